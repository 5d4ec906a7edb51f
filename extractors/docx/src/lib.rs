//! DOCX reader for gongkai: the body of a Word document — paragraphs and tables in document
//! order — as the [`gongkai_model`] document model.
//!
//! Budget reports print their tables as Word tables with merged cells, so this reads the
//! WordprocessingML directly (zip + quick-xml) to keep `gridSpan` and `vMerge` as cell spans.
//! Text is read as Word displays it: field results rather than field codes, tracked
//! insertions in and deletions out, text boxes as paragraphs. Headers, footers and comments
//! are not part of the body and are not read.
//!
//! Legacy binary Word (.doc/.wps) is read only through LibreOffice when the caller opts in
//! ([`LegacyWordExtractor`], [`convert_legacy`]).

mod body;
mod legacy;
mod xml;

pub use legacy::{convert_legacy, unsupported_reason, LegacyWordExtractor};

use gongkai_model::{detect, Document, ExtractError, Extractor, Format, Options};
use std::io::{Cursor, Read};

/// Reads DOCX files ([`Format::Docx`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct DocxExtractor;

impl Extractor for DocxExtractor {
    fn format(&self) -> Format {
        Format::Docx
    }

    fn extract(&self, bytes: &[u8], opts: &Options) -> Result<Document, ExtractError> {
        refuse_non_zip(bytes)?;
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ExtractError::failed(format!("damaged DOCX: not a readable ZIP archive (truncated or corrupt): {e}")))?;
        let part = main_part_name(&mut zip, opts);
        let xml = read_member(&mut zip, &part, opts)?;
        let xml = String::from_utf8(xml)
            .map_err(|_| ExtractError::failed(format!("damaged DOCX: {part} is not UTF-8 XML")))?;
        let root = xml::parse(&xml).map_err(|e| ExtractError::failed(format!("damaged DOCX: {part}: {e}")))?;
        if !root.is_w("document") {
            return Err(ExtractError::failed(format!("damaged DOCX: {part} is not a WordprocessingML document")));
        }
        Ok(Document { blocks: body::body_blocks(&root), ..Default::default() })
    }
}

/// OLE2 and other non-ZIP bytes get the reason that fits them, not a ZIP error.
fn refuse_non_zip(bytes: &[u8]) -> Result<(), ExtractError> {
    match detect(bytes) {
        Format::EncryptedOffice => Err(ExtractError::failed("encrypted Office file: remove the password and re-run")),
        format @ (Format::Doc | Format::Odt | Format::Rtf) => Err(ExtractError::unsupported(unsupported_reason(format))),
        Format::Empty => Err(ExtractError::failed("empty file")),
        _ if !bytes.starts_with(b"PK") => Err(ExtractError::failed("not a DOCX file: no ZIP signature")),
        _ => Ok(()),
    }
}

/// The main document part named by the package relationships, else the usual name.
fn main_part_name<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, opts: &Options) -> String {
    let fallback = if zip.index_for_name("word/document.xml").is_none() && zip.index_for_name("word/document2.xml").is_some() {
        "word/document2.xml"
    } else {
        "word/document.xml"
    };
    let from_rels = read_member(zip, "_rels/.rels", opts)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|rels| office_document_target(&rels))
        .filter(|name| zip.index_for_name(name).is_some());
    from_rels.unwrap_or_else(|| fallback.to_string())
}

fn office_document_target(rels: &str) -> Option<String> {
    let root = xml::parse(rels).ok()?;
    let target = root
        .elements()
        .filter(|r| r.name == "Relationship")
        .find(|r| r.attr("Type").is_some_and(|t| t.ends_with("/officeDocument")))
        .and_then(|r| r.attr("Target"))
        .map(|t| t.trim_start_matches('/').to_string());
    target
}

/// Inflates one member, refusing to go past the caller's inflation limit (zip bombs).
fn read_member<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str, opts: &Options) -> Result<Vec<u8>, ExtractError> {
    let limit = opts.max_inflated_bytes;
    let too_big = || ExtractError::failed(format!("{name} inflates to more than {limit} bytes: refused (zip bomb?)"));
    let file = zip.by_name(name).map_err(|e| match e {
        zip::result::ZipError::FileNotFound => {
            ExtractError::failed(format!("not a Word document (or damaged): the package has no {name}"))
        }
        zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
            ExtractError::failed("encrypted Office file: remove the password and re-run")
        }
        other => ExtractError::failed(format!("damaged DOCX: cannot open {name}: {other}")),
    })?;
    if file.size() > limit {
        return Err(too_big());
    }
    let mut out = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| ExtractError::failed(format!("damaged DOCX: cannot inflate {name}: {e}")))?;
    if out.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(out)
}
