//! The registry of format extractors: one per format, all behind `gongkai_model::Extractor`.

use gongkai_model::{Document, ExtractError, Extractor, Format, Options};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The extractor for a detected format, or the reason the format is not read.
fn extractor_for(format: Format) -> Result<Box<dyn Extractor>, ExtractError> {
    match format {
        Format::Text | Format::Markdown => Ok(Box::new(gongkai_text::TextExtractor(format))),
        Format::Pdf => Ok(Box::new(gongkai_pdf::PdfExtractor)),
        Format::Html => Ok(Box::new(gongkai_html::HtmlExtractor)),
        Format::Docx => Ok(Box::new(gongkai_docx::DocxExtractor)),
        Format::Doc | Format::Odt | Format::Rtf => Ok(Box::new(gongkai_docx::LegacyWordExtractor(format))),
        Format::Xlsx | Format::Xls | Format::Ods => Ok(Box::new(gongkai_sheet::SheetExtractor::new(format))),
        Format::Empty => Err(ExtractError::failed("empty file")),
        Format::EncryptedOffice => Err(ExtractError::failed("encrypted Office file: remove the password and re-run")),
        Format::Image => Err(ExtractError::failed("image file, not a document: needs OCR")),
        Format::Unknown => Err(ExtractError::failed("unrecognised binary content: not a PDF, Office, HTML or text file")),
        Format::Presentation => Err(ExtractError::unsupported(
            "a slide presentation (PowerPoint, Impress or WPS 演示), not a report: budget disclosures are read from PDF, Word, Excel, HTML or text",
        )),
        Format::Ofd => Err(ExtractError::unsupported(
            "OFD (GB/T 33190 版式文档) is not read yet: save it as PDF with an OFD reader (e.g. 数科OFD阅读器) and re-run",
        )),
        Format::Package => Err(ExtractError::unsupported(
            "an office package that is no document, workbook or presentation (e.g. Visio, XPS, a drawing or an e-book): not read",
        )),
        Format::OtherOle => Err(ExtractError::unsupported(
            "an OLE2 compound file that holds no Word document, workbook or slides (e.g. an Outlook message or a Visio drawing): not read",
        )),
        Format::Zip => Err(ExtractError::failed("a ZIP archive: its members are read as documents of their own by the run, not by one reader")),
    }
}

/// Extracts one file's bytes. A panic inside an extractor is caught here and becomes this
/// file's failure, so that one hostile file never stops a run.
pub fn extract(format: Format, bytes: &[u8], opts: &Options) -> Result<Document, ExtractError> {
    let extractor = extractor_for(format)?;
    match catch_unwind(AssertUnwindSafe(|| extractor.extract(bytes, opts))) {
        Ok(result) => result,
        Err(panic) => Err(ExtractError::failed(format!("internal error in the {format} reader: {}", panic_message(&panic)))),
    }
}

/// The panic's message, and where it happened when the quiet hook recorded it.
pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string());
    match LAST_PANIC.with(|l| l.borrow_mut().take()) {
        Some(location) => format!("{message} (at {location})"),
        None => message,
    }
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Replaces the default panic hook, which prints every caught panic to stderr, with one that
/// only records where it happened: the panic becomes the file's failure reason instead
/// (documents.error), and logs stay clean. `GONGKAI_PANIC_TRACE=1` keeps the default output.
pub fn quiet_panics() {
    if std::env::var_os("GONGKAI_PANIC_TRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
        LAST_PANIC.with(|l| *l.borrow_mut() = location);
    }));
}
