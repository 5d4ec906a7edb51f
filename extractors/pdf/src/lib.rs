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
mod content;
mod debug;
mod font;
mod grid;
mod lines;
mod ocr;
mod page;
mod placed;
mod settings;
mod unruled;
mod walker;

use gongkai_model::{Block, Document, ExtractError, Extractor, Format, OcrMode, Options};
use std::collections::HashMap;
use std::time::Instant;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use debug::{debug_pages, svg, without_rules, PageView, TableView};
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
    check_page_tree(&doc)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ExtractError::failed("truncated or corrupt PDF: no pages could be read"));
    }
    let total = pages.len() as u32;
    let mut walker = walker::Walker::new(&doc, limit, settings);
    let mut inks = Vec::new();
    let mut ocr = OcrRun::new(opts, bytes);
    for (&no, &id) in pages.iter().take(opts.max_pages as usize) {
        let mut ink = walker.walk_page(id);
        let image_only = page::is_image_only(&ink, settings);
        match (opts.ocr, image_only) {
            (OcrMode::Force, _) | (OcrMode::Auto, true) => {
                let all = ink.images.clone();
                ocr.read(&doc, no, &mut ink, ocr::Scope::Page, all);
            }
            (OcrMode::Auto, false) => {
                // Screened before the engine is looked for: a chart costs its decoding only.
                let pictures = ocr::table_pictures(&doc, &ink, settings);
                if !pictures.is_empty() {
                    ocr.read(&doc, no, &mut ink, ocr::Scope::Images, pictures);
                }
            }
            (OcrMode::Off, _) => {}
        }
        inks.push((no, ink));
    }
    let mut document = page::assemble(inks, settings, &ocr.note());
    ocr.mark(&mut document);
    document.pages = Some(total);
    let mut warnings = walker.warnings;
    warnings.extend(ocr.summary());
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
            let encrypted = matches!(e, lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)) || trailer_has_encrypt(bytes);
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

/// Whether a trailer (a `trailer` dictionary, or the dictionary of an /XRef stream) names
/// /Encrypt — not merely whether the bytes hold the word: an unencrypted PDF may print it.
fn trailer_has_encrypt(bytes: &[u8]) -> bool {
    let positions = |needle: &'static [u8]| bytes.windows(needle.len()).enumerate().filter(move |(_, w)| *w == needle).map(|(i, _)| i);
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let names_encrypt = |dict: &[u8]| find(dict, &b"/Encrypt"[..]).is_some();
    // `trailer << … >>` runs to its startxref.
    let trailers = positions(&b"trailer"[..]).any(|i| {
        let rest = &bytes[i..bytes.len().min(i + 4096)];
        names_encrypt(&rest[..find(rest, &b"startxref"[..]).unwrap_or(rest.len())])
    });
    // An /XRef stream's dictionary: from its `obj` to its `stream`.
    let xrefs = positions(&b"/XRef"[..]).any(|i| {
        let before = &bytes[i.saturating_sub(4096)..i];
        let start = i - before.len() + before.windows(3).rposition(|w| w == b"obj").map_or(0, |p| p + 3);
        let after = &bytes[i..bytes.len().min(i + 4096)];
        names_encrypt(&bytes[start..i + find(after, &b"stream"[..]).unwrap_or(after.len())])
    });
    trailers || xrefs
}

/// A /Pages node cannot hold more pages than the file has objects; lopdf sizes its page map by
/// the claimed /Count, so `/Count 99999999999` in a 1 KB file would ask for a terabyte.
fn check_page_tree(doc: &lopdf::Document) -> Result<(), ExtractError> {
    let objects = doc.objects.len() as i64;
    for d in doc.objects.values().filter_map(|o| o.as_dict().ok()) {
        let is_pages = d.get(b"Type").and_then(|t| t.as_name()).is_ok_and(|n| n == b"Pages");
        match d.get(b"Count").and_then(|c| c.as_i64()) {
            Ok(n) if is_pages && !(0..=objects).contains(&n) => {
                return Err(ExtractError::failed(format!("corrupt PDF page tree: a /Pages node claims {n} pages, the file holds {objects} objects")));
            }
            _ => {}
        }
    }
    Ok(())
}

const LATE: &str = "stopped at the time limit, see --timeout-secs";

/// OCR of one document's pages: the engine, a scratch folder holding the file, and what
/// happened per page.
struct OcrRun<'b> {
    mode: OcrMode,
    bytes: &'b [u8],
    deadline: Option<Instant>,
    engine: Option<Result<&'static dyn ocr::OcrEngine, String>>,
    dir: Option<tempfile::TempDir>,
    /// The first page that could not be read, and why.
    failure: Option<String>,
    /// Per page read: each word's centre and confidence, and whether all the page was read.
    words: HashMap<u32, (Vec<(f32, f32, u8)>, ocr::Scope)>,
    started: Option<Instant>,
    counter: gongkai_model::PageCounter,
}

impl<'b> OcrRun<'b> {
    fn new(opts: &Options, bytes: &'b [u8]) -> Self {
        let counter = opts.ocr_pages.clone();
        OcrRun { mode: opts.ocr, bytes, deadline: opts.deadline, engine: None, dir: None, failure: None, words: HashMap::new(), started: None, counter }
    }

    /// Reads page `no` (or, for `Scope::Images`, the given pictures on it) by OCR.
    fn read(&mut self, doc: &lopdf::Document, no: u32, ink: &mut walker::PageInk, scope: ocr::Scope, images: Vec<walker::PlacedImage>) {
        let engine = self.engine.get_or_insert_with(|| ocr::Tesseract::find().map(|t| t as &'static dyn ocr::OcrEngine));
        let Ok(engine) = engine.clone() else { return };
        self.started.get_or_insert_with(Instant::now);
        if self.dir.is_none() {
            match tempfile::Builder::new().prefix("gongkai-ocr").tempdir() {
                // GONGKAI_OCR_DEBUG=1 keeps the scratch folder (the last page's line images).
                Ok(mut d) if std::env::var_os("GONGKAI_OCR_DEBUG").is_some() => {
                    d.disable_cleanup(true);
                    eprintln!("ocr scratch folder: {}", d.path().display());
                    self.dir = Some(d);
                }
                Ok(d) => self.dir = Some(d),
                Err(e) => return self.fail(no, format!("cannot create a scratch folder: {e}")),
            }
        }
        let Some(dir) = self.dir.as_ref().map(|d| d.path().to_path_buf()) else { return };
        let deadline = self.deadline.unwrap_or_else(|| Instant::now() + std::time::Duration::from_secs(3600));
        if Instant::now() >= deadline {
            return self.fail(no, LATE.into());
        }
        // The file goes to disk only when a page has to be rendered.
        let (bytes, pdf) = (self.bytes, dir.join("doc.pdf"));
        let mut written = move || -> Result<std::path::PathBuf, String> {
            if !pdf.exists() {
                std::fs::write(&pdf, bytes).map_err(|e| format!("cannot write the scratch copy: {e}"))?;
            }
            Ok(pdf.clone())
        };
        let before = ink.glyphs.len();
        match ocr::read_page(engine, doc, &mut written, no, scope, &images, ink, &dir, deadline) {
            // An image of a text page found to hold no text is no page read.
            Ok(0) if scope == ocr::Scope::Images => {}
            Ok(_) => {
                let read = if scope == ocr::Scope::Page { &ink.glyphs[..] } else { &ink.glyphs[before..] };
                self.words.insert(no, (read.iter().map(|g| (g.cx(), g.cy(), g.conf.unwrap_or(0))).collect(), scope));
                self.counter.add();
            }
            Err(_) if self.deadline.is_some_and(|d| Instant::now() >= d) => self.fail(no, LATE.into()),
            Err(e) => self.fail(no, e),
        }
    }

    fn fail(&mut self, no: u32, why: String) {
        self.failure.get_or_insert(format!("page {no}: {why}"));
    }

    /// What the status says of image-only pages that stay unread.
    fn note(&self) -> String {
        match (&self.engine, &self.failure) {
            _ if self.mode == OcrMode::Off => "needs OCR".into(),
            (Some(Err(why)), _) => format!("needs OCR ({why}; to enable it: {})", ocr::INSTALL_HINT),
            (_, Some(why)) => format!("OCR failed ({why})"),
            _ => "OCR found no text".into(),
        }
    }

    fn summary(&self) -> Option<String> {
        let started = self.started.filter(|_| !self.words.is_empty() || self.failure.is_some())?;
        let engine = self.engine.as_ref().and_then(|e| e.as_ref().ok()).map_or("OCR", |e| e.name());
        Some(format!("OCR ({engine}): {} pages read in {:.1} s", self.words.len(), started.elapsed().as_secs_f64()))
    }

    /// Text read by OCR carries the engine's confidence (the lowest of its words) and has the
    /// engine's known misreadings mended.
    fn mark(&self, doc: &mut Document) {
        if self.words.is_empty() {
            return;
        }
        let conf = |prov: &mut gongkai_model::Provenance| {
            let Some((words, scope)) = prov.page.and_then(|p| self.words.get(&p)) else { return };
            let inside = |b: &gongkai_model::BBox| {
                words.iter().filter(|(x, y, _)| *x >= b.x0 - 1.0 && *x <= b.x1 + 1.0 && *y >= b.y0 - 2.0 && *y <= b.y1 + 2.0).map(|w| w.2).min()
            };
            // Text of a read page placed without a box, or whose words fell outside it: the
            // page's lowest. On a text page only what lies on the words read was read.
            let page_min = words.iter().map(|w| w.2).min().filter(|_| *scope == ocr::Scope::Page);
            prov.ocr_conf = prov.bbox.as_ref().and_then(inside).or(page_min);
        };
        for b in &mut doc.blocks {
            match b {
                Block::Paragraph(p) => {
                    conf(&mut p.prov);
                    if p.prov.ocr_conf.is_some() {
                        p.text = ocr::normalise(&p.text);
                    }
                }
                Block::Table(t) => {
                    for c in t.cells.iter_mut().filter(|c| !c.text.is_empty()) {
                        conf(&mut c.prov);
                        if c.prov.ocr_conf.is_some() {
                            c.text = ocr::normalise(&c.text);
                        }
                    }
                    conf(&mut t.prov);
                }
            }
        }
    }
}
