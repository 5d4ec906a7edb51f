//! Format detection from the bytes alone: scraped file names lie, so extensions are ignored.

use std::fmt;
use std::io::{Cursor, Read};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Pdf,
    Docx,
    Xlsx,
    Ods,
    /// A ZIP archive that is no office document: its members are read one by one.
    Zip,
    /// BIFF .xls workbook (an OLE2 container with a Workbook stream).
    Xls,
    /// Legacy binary Word (.doc) or WPS (.wps): an OLE2 container with a WordDocument stream.
    Doc,
    /// OpenDocument text (.odt): a ZIP whose `mimetype` says so.
    Odt,
    /// A slide deck (.pptx, .ppt, .odp, WPS .dps): no budget report is published as one.
    Presentation,
    /// OFD (GB/T 33190), China's fixed-layout format: a ZIP with an `OFD.xml` entry point.
    Ofd,
    /// An OOXML or OpenDocument package of another kind (Visio, XPS, a drawing, EPUB): a
    /// package is never unpacked as an archive, its parts are no documents of their own.
    Package,
    /// An OLE2 compound file that holds no Word document, workbook or slides (Outlook .msg,
    /// Visio .vsd, an installer …).
    OtherOle,
    /// An OOXML file protected by a password (OLE2 with an EncryptedPackage stream).
    EncryptedOffice,
    Html,
    Markdown,
    Text,
    Rtf,
    Image,
    Empty,
    Unknown,
}

impl Format {
    /// Every format, for reading a stored `format` column back.
    pub const ALL: [Format; 20] = [
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Ods,
        Format::Zip,
        Format::Xls,
        Format::Doc,
        Format::Odt,
        Format::Presentation,
        Format::Ofd,
        Format::Package,
        Format::OtherOle,
        Format::EncryptedOffice,
        Format::Html,
        Format::Markdown,
        Format::Text,
        Format::Rtf,
        Format::Image,
        Format::Empty,
        Format::Unknown,
    ];

    /// The short name written to the `format` column.
    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Zip => "zip",
            Format::Xls => "xls",
            Format::Doc => "doc",
            Format::Odt => "odt",
            Format::Presentation => "presentation",
            Format::Ofd => "ofd",
            Format::Package => "package",
            Format::OtherOle => "ole",
            Format::EncryptedOffice => "ooxml-encrypted",
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Rtf => "rtf",
            Format::Image => "image",
            Format::Empty => "empty",
            Format::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// Detects the format of a file from its bytes.
pub fn detect(bytes: &[u8]) -> Format {
    let trimmed = trim_start(bytes);
    if trimmed.is_empty() {
        return Format::Empty;
    }
    let head = &bytes[..bytes.len().min(1024)];
    if contains(head, b"%PDF-") {
        return Format::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return detect_zip(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return detect_ole(bytes);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Format::Rtf;
    }
    if bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*")
    {
        return Format::Image;
    }
    detect_text(trimmed)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// Office files are ZIPs: what the package says it is (ODF `mimetype`, OOXML content types,
/// OFD's entry point) decides, then its part names; a plain archive is what remains.
fn detect_zip(bytes: &[u8]) -> Format {
    guarded(|| package_format(bytes)).unwrap_or_else(|| detect_damaged_zip(bytes))
}

/// Parsers of hostile bytes may panic: detection then falls back to byte patterns, and the
/// reader of that format says what is wrong with the file.
fn guarded(parse: impl FnOnce() -> Option<Format>) -> Option<Format> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)).ok().flatten()
}

/// The format of a ZIP with a readable central directory.
fn package_format(bytes: &[u8]) -> Option<Format> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names: Vec<String> = zip.file_names().filter_map(Result::ok).map(|n| n.to_ascii_lowercase()).collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("mimetype") {
        return Some(opendocument(&small_member(&mut zip, "mimetype")));
    }
    if has("[content_types].xml") {
        let types = small_member(&mut zip, "[Content_Types].xml").to_ascii_lowercase();
        return Some(ooxml_by_content_type(&types).unwrap_or_else(|| ooxml_by_part_names(&names)));
    }
    if has("ofd.xml") {
        return Some(Format::Ofd);
    }
    // A package without its manifest (damaged or hand-made): its part names still tell.
    Some(match ooxml_by_part_names(&names) {
        Format::Package => Format::Zip,
        office => office,
    })
}

/// A package's small descriptive member, at most its first MiB (empty when unreadable).
fn small_member<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Vec<u8> {
    let Some(index) = (0..zip.len()).find(|&i| matches!(zip.name_for_index(i), Some(Ok(n)) if n.eq_ignore_ascii_case(name))) else {
        return Vec::new();
    };
    let mut head = Vec::new();
    if let Ok(member) = zip.by_index(index) {
        let _ = member.take(1 << 20).read_to_end(&mut head);
    }
    head
}

fn opendocument(mimetype: &[u8]) -> Format {
    let mimetype = String::from_utf8_lossy(mimetype);
    match mimetype.trim().strip_prefix("application/vnd.oasis.opendocument.") {
        Some(kind) if kind.starts_with("spreadsheet") => Format::Ods,
        Some(kind) if kind.starts_with("text") => Format::Odt,
        Some(kind) if kind.starts_with("presentation") => Format::Presentation,
        _ => Format::Package,
    }
}

/// The main part's content type names the application, macro-enabled and template variants
/// included (`…wordprocessingml.document.main+xml`, `…ms-excel.sheet.macroenabled.main+xml`).
fn ooxml_by_content_type(types: &[u8]) -> Option<Format> {
    const KINDS: [(&[u8], Format); 6] = [
        (b"wordprocessingml.", Format::Docx),
        (b"ms-word.", Format::Docx),
        (b"spreadsheetml.", Format::Xlsx),
        (b"ms-excel.", Format::Xlsx),
        (b"presentationml.", Format::Presentation),
        (b"ms-powerpoint.", Format::Presentation),
    ];
    let main = |kind: &[u8]| types.windows(kind.len()).enumerate().any(|(at, w)| w == kind && is_main_part(&types[at..]));
    KINDS.iter().find(|(kind, _)| main(kind)).map(|&(_, format)| format)
}

/// Whether the content type starting here is a main part (`….main+xml"` or xlsb's `….main"`).
fn is_main_part(from: &[u8]) -> bool {
    let end = from.iter().position(|&b| b == b'"' || b == b'\'').unwrap_or(from.len());
    let content_type = &from[..end];
    content_type.ends_with(b".main+xml") || content_type.ends_with(b".main")
}

fn ooxml_by_part_names(names: &[String]) -> Format {
    let has = |prefix: &str| names.iter().any(|n| n.starts_with(prefix));
    if has("word/document") {
        Format::Docx
    } else if has("xl/workbook.") {
        Format::Xlsx
    } else if has("ppt/presentation.") {
        Format::Presentation
    } else {
        Format::Package
    }
}

/// A ZIP without a readable central directory (truncated): the local headers still name the
/// parts, so the reader of its kind can say what is wrong with it.
fn detect_damaged_zip(bytes: &[u8]) -> Format {
    if contains(bytes, b"word/document.xml") || contains(bytes, b"word/document2.xml") {
        Format::Docx
    } else if contains(bytes, b"xl/workbook.xml") || contains(bytes, b"xl/workbook.bin") {
        Format::Xlsx
    } else if contains(&bytes[..bytes.len().min(200)], b"application/vnd.oasis.opendocument.spreadsheet") {
        Format::Ods
    } else {
        Format::Zip
    }
}

/// OLE2 compound files: the streams of the root storage tell which application wrote it
/// (names compare without case, as the format specifies).
fn detect_ole(bytes: &[u8]) -> Format {
    guarded(|| compound_file_format(bytes)).unwrap_or_else(|| detect_damaged_ole(bytes))
}

fn compound_file_format(bytes: &[u8]) -> Option<Format> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let streams: Vec<String> = file.read_root_storage().map(|entry| entry.name().to_ascii_lowercase()).collect();
    let has = |name: &str| streams.iter().any(|s| s == name);
    Some(if has("encryptedpackage") {
        Format::EncryptedOffice
    } else if has("workbook") || has("book") {
        Format::Xls
    } else if has("worddocument") {
        Format::Doc
    } else if has("powerpoint document") {
        Format::Presentation
    } else {
        Format::OtherOle
    })
}

/// An OLE2 file whose directory does not parse: the stream names are still in its bytes
/// (UTF-16LE), so the reader of its kind can say what is wrong with it.
fn detect_damaged_ole(bytes: &[u8]) -> Format {
    if contains(bytes, &utf16le("EncryptedPackage")) {
        Format::EncryptedOffice
    } else if contains(bytes, &utf16le("Workbook")) || contains(bytes, &utf16le("Book")) {
        Format::Xls
    } else {
        Format::Doc
    }
}

fn detect_text(trimmed: &[u8]) -> Format {
    let sample = &trimmed[..trimmed.len().min(4096)];
    let lower: Vec<u8> = sample.iter().map(|b| b.to_ascii_lowercase()).collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") || lower.starts_with(b"<?xml")
        && contains(&lower, b"<html") || (lower.starts_with(b"<") && contains(&lower, b"<body"))
        || contains(&lower[..lower.len().min(1024)], b"<html")
    {
        return Format::Html;
    }
    let ctrl = sample.iter().filter(|&&b| b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B)).count();
    if ctrl * 20 > sample.len() {
        return Format::Unknown;
    }
    if looks_like_markdown(trimmed) {
        Format::Markdown
    } else {
        Format::Text
    }
}

fn looks_like_markdown(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 16)]);
    text.lines().any(|l| {
        let l = l.trim();
        (l.starts_with('|') && l.contains("---")) || l.starts_with("## ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content_not_name() {
        assert_eq!(detect(b""), Format::Empty);
        assert_eq!(detect(b"  \n"), Format::Empty);
        assert_eq!(detect(b"%PDF-1.7\n..."), Format::Pdf);
        assert_eq!(detect(b"<!DOCTYPE html><html><body>404</body></html>"), Format::Html);
        assert_eq!(detect("收入支出决算总表\n公开01表\n".as_bytes()), Format::Text);
        assert_eq!(detect("## 第二部分\n| a | b |\n|---|---|\n".as_bytes()), Format::Markdown);
        assert_eq!(detect(&[0u8, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 1]), Format::Unknown);
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend(utf16le("WordDocument"));
        assert_eq!(detect(&ole), Format::Doc, "a damaged OLE2 file keeps the byte-pattern guess");
    }

    /// A compound file with these streams in its root storage, each holding `content`.
    fn ole(streams: &[&str], content: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for name in streams {
            file.create_stream(format!("/{name}")).unwrap().write_all(content).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    /// A ZIP of these members, stored (so their bytes show through, as in a real archive of
    /// uncompressed office files).
    fn package(members: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in members {
            zip.start_file(*name, stored).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn content_types(main: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/main.xml" ContentType="{main}"/></Types>"#
        )
    }

    #[test]
    fn ole2_files_are_told_apart_by_their_streams() {
        assert_eq!(detect(&ole(&["Workbook", "SummaryInformation"], b"")), Format::Xls);
        assert_eq!(detect(&ole(&["BOOK"], b"")), Format::Xls, "BIFF5, stream names compare without case");
        assert_eq!(detect(&ole(&["EncryptedPackage", "EncryptionInfo"], b"")), Format::EncryptedOffice);
        assert_eq!(detect(&ole(&["PowerPoint Document", "Current User"], b"")), Format::Presentation);
        assert_eq!(detect(&ole(&["__properties_version1.0"], b"")), Format::OtherOle);
        // Word stores Chinese text as UTF-16LE: a document mentioning a workbook stays a document.
        let text = utf16le("见附件Workbook与Book");
        assert_eq!(detect(&ole(&["WordDocument", "1Table"], &text)), Format::Doc);
    }

    #[test]
    fn office_packages_are_named_by_their_manifest_and_never_unpacked() {
        let word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
        let macro_workbook = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";
        let xlsb = "application/vnd.ms-excel.sheet.binary.macroEnabled.main";
        let slides = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";
        let visio = "application/vnd.ms-visio.drawing.main+xml";
        for (main, format) in [(word, Format::Docx), (macro_workbook, Format::Xlsx), (xlsb, Format::Xlsx), (slides, Format::Presentation), (visio, Format::Package)] {
            let types = content_types(main);
            assert_eq!(detect(&package(&[("[Content_Types].xml", types.as_bytes()), ("main.xml", b"<x/>")])), format, "{main}");
        }
        let odf = |kind: &str| package(&[("mimetype", format!("application/vnd.oasis.opendocument.{kind}").as_bytes()), ("content.xml", b"<x/>")]);
        assert_eq!(detect(&odf("text")), Format::Odt);
        assert_eq!(detect(&odf("spreadsheet")), Format::Ods);
        assert_eq!(detect(&odf("presentation")), Format::Presentation);
        assert_eq!(detect(&odf("graphics")), Format::Package);
        assert_eq!(detect(&package(&[("mimetype", b"application/epub+zip"), ("OEBPS/a.xhtml", b"<x/>")])), Format::Package);
        assert_eq!(detect(&package(&[("OFD.xml", b"<ofd:OFD/>"), ("Doc_0/Document.xml", b"<x/>")])), Format::Ofd);
    }

    #[test]
    fn an_archive_of_office_files_is_an_archive() {
        let docx = package(&[("[Content_Types].xml", content_types("x.wordprocessingml.document.main+xml").as_bytes()), ("word/document.xml", b"<w:document/>")]);
        assert_eq!(detect(&docx), Format::Docx);
        // Stored members: the inner package's part names are visible in the outer archive's bytes.
        assert_eq!(detect(&package(&[("2024决算.docx", &docx), ("2025预算.docx", &docx)])), Format::Zip);
        assert_eq!(detect(&package(&[("word/document.xml", b"<w:document/>")])), Format::Docx, "no manifest: the part names tell");
        let truncated = &docx[..docx.len() - 30];
        assert_eq!(detect(truncated), Format::Docx, "a truncated DOCX still goes to the DOCX reader, which says what is wrong");
    }
}
