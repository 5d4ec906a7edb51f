//! Format detection from the bytes alone: scraped file names lie, so extensions are ignored.

use std::fmt;

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

/// Office files are ZIPs: the member names (stored uncompressed in the headers) tell which.
fn detect_zip(bytes: &[u8]) -> Format {
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

/// OLE2 compound files: the directory holds stream names in UTF-16LE.
fn detect_ole(bytes: &[u8]) -> Format {
    if contains(bytes, &utf16le("EncryptedPackage")) {
        Format::EncryptedOffice
    } else if contains(bytes, &utf16le("Workbook")) || contains(bytes, &utf16le("Book")) {
        Format::Xls
    } else {
        // WordDocument (.doc), WPS's own streams, or anything else legacy: not read directly.
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
        assert_eq!(detect(&ole), Format::Doc);
    }
}
