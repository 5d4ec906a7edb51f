//! PDF → gongkai document model.
//!
//! Budget disclosures are published as PDFs made by WPS, Word, LibreOffice, ONLYOFFICE and
//! Excel. This crate walks each page's content stream (on lopdf, pure Rust), places every
//! glyph and every ruling, and rebuilds what a reader sees: text lines outside tables as
//! paragraphs, and tables as cell grids with row/column spans — from ruling lines where the
//! table is ruled, from column alignment where it is not. Tables continuing over a page break
//! become one table; running headers, footers and page numbers are dropped.
//!
//! Entry point: [`PdfExtractor`] (implements [`gongkai_model::Extractor`]).

mod cmap;
mod debug;
mod font;
mod grid;
mod lines;
mod page;
mod placed;
mod settings;
mod unruled;
mod walker;

use gongkai_model::{Block, Document, ExtractError, Extractor, Format, Options};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use debug::{debug_pages, svg, PageView, TableView};
pub use placed::{layout_placed, PlacedPage, PlacedRule, PlacedText};
pub use settings::TableSettings;

/// Reads PDF files. Stateless; share one value between threads.
pub struct PdfExtractor;

impl Extractor for PdfExtractor {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn extract(&self, bytes: &[u8], opts: &Options) -> Result<Document, ExtractError> {
        extract_with(bytes, opts, &TableSettings::DEFAULT)
    }
}

/// Reads a PDF with other layout settings than the defaults (checked first).
pub fn extract_with(bytes: &[u8], opts: &Options, settings: &TableSettings) -> Result<Document, ExtractError> {
    settings.validate().map_err(|e| ExtractError::failed(format!("PDF table settings: {e}")))?;
    // lopdf can still panic on hostile input; a panic must become a reason, not a crash.
    match catch_unwind(AssertUnwindSafe(|| extract(bytes, opts, settings))) {
        Ok(r) => r,
        Err(_) => Err(ExtractError::failed("malformed PDF: the reader gave up on its structure")),
    }
}

fn extract(bytes: &[u8], opts: &Options, settings: &TableSettings) -> Result<Document, ExtractError> {
    let limit = usize::try_from(opts.max_inflated_bytes).unwrap_or(usize::MAX).max(1 << 20);
    let doc = load(bytes, limit)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::failed("truncated or corrupt PDF: no pages could be read"));
    }
    let total = pages.len() as u32;
    let mut walker = walker::Walker::new(&doc, limit, settings);
    let mut inks = Vec::new();
    for (&no, &id) in pages.iter().take(opts.max_pages as usize) {
        inks.push((no, walker.walk_page(id)));
    }
    let mut document = page::assemble(inks, settings);
    document.pages = Some(total);
    let mut warnings = walker.warnings;
    warnings.sort();
    warnings.dedup();
    document.warnings.extend(warnings);
    if total > opts.max_pages {
        let note = format!("only the first {} of {} pages read (page limit)", opts.max_pages, total);
        document.partial = Some(match document.partial.take() {
            Some(p) => format!("{p}; {note}"),
            None => note,
        });
    }
    if document.blocks.is_empty() && document.partial.is_none() {
        return Err(ExtractError::failed("PDF has no readable text"));
    }
    if document.blocks.iter().all(|b| matches!(b, Block::Paragraph(p) if p.text.trim().is_empty())) {
        if let Some(p) = &document.partial {
            if p.starts_with("image-only") {
                return Err(ExtractError::failed(p.clone()));
            }
        }
    }
    Ok(document)
}

fn load(bytes: &[u8], limit: usize) -> Result<lopdf::Document, ExtractError> {
    let options = lopdf::LoadOptions { max_decompressed_size: Some(limit), ..Default::default() };
    let doc = match lopdf::Document::load_mem_with_options(bytes, options) {
        Ok(d) => d,
        Err(e) => {
            let encrypted = matches!(e, lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)) || bytes.windows(8).any(|w| w == b"/Encrypt");
            if encrypted {
                return Err(ExtractError::failed("encrypted PDF: needs a password"));
            }
            return Err(ExtractError::failed(format!("truncated or corrupt PDF: {e}")));
        }
    };
    // lopdf opens with the empty user password when that works and then drops /Encrypt.
    if doc.trailer.has(b"Encrypt") {
        return Err(ExtractError::failed("encrypted PDF: needs a password"));
    }
    Ok(doc)
}
