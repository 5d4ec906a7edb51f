//! Turning a scraped page's bytes into text. Chinese government sites still serve GBK/GB2312
//! and often declare one encoding while sending another, so the declaration is checked
//! against the bytes.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// How far into the file a `<meta charset>` is looked for. Browsers stop at 1024 bytes, but
/// scraped pages often put long comments or scripts first, and a wrong guess costs more
/// than a longer scan.
const SNIFF_BYTES: usize = 64 * 1024;

/// The decoded page and a note for the log when the bytes contradicted the declaration.
pub struct Decoded {
    pub text: String,
    #[allow(dead_code)] // asserted by the tests; kept for callers' logs
    pub encoding: &'static Encoding,
    pub warning: Option<String>,
}

/// BOM first, then the declared charset (checked against the bytes), else UTF-8 when valid,
/// else GB18030 — the superset of GBK and GB2312, so all three decode alike.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        let (text, _) = enc.decode_without_bom_handling(rest);
        return Decoded { text: text.into_owned(), encoding: enc, warning: None };
    }
    let head = bytes.get(..bytes.len().min(SNIFF_BYTES)).unwrap_or(bytes);
    let declared = declared_encoding(head).map(widen);
    let utf8 = std::str::from_utf8(bytes).ok();
    match (declared, utf8) {
        (Some(enc), Some(text)) if enc != UTF_8 && !text.is_ascii() => Decoded {
            text: text.to_owned(),
            encoding: UTF_8,
            warning: Some(format!("page declares {} but its bytes are UTF-8; read as UTF-8", enc.name())),
        },
        (Some(enc), _) if enc != UTF_8 => lossy(enc, bytes, None),
        (_, Some(text)) => Decoded { text: text.to_owned(), encoding: UTF_8, warning: None },
        (Some(_), None) => match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => Decoded {
                text: text.into_owned(),
                encoding: GB18030,
                warning: Some("page declares UTF-8 but its bytes are GBK; read as GB18030".into()),
            },
            None => lossy(UTF_8, bytes, Some("page is not valid UTF-8 nor GBK")),
        },
        (None, None) => lossy(GB18030, bytes, None),
    }
}

fn lossy(enc: &'static Encoding, bytes: &[u8], why: Option<&str>) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let warning = match (why, had_errors) {
        (Some(w), _) => Some(format!("{w}; undecodable bytes replaced")),
        (None, true) => Some(format!("bytes invalid in {}; undecodable bytes replaced", enc.name())),
        (None, false) => None,
    };
    Decoded { text: text.into_owned(), encoding: enc, warning }
}

/// GBK and GB2312 pages routinely contain GB18030-only characters (rare names in people's
/// and places' names), so the superset decodes them all. A `<meta>` claiming UTF-16 on a
/// page without a BOM is a lie by construction (the tag itself was readable as ASCII).
fn widen(enc: &'static Encoding) -> &'static Encoding {
    if enc == encoding_rs::GBK || enc.name().eq_ignore_ascii_case("gb2312") {
        GB18030
    } else {
        enc.output_encoding()
    }
}

/// The charset named by the first `<meta charset=…>`, `<meta http-equiv … content="…;
/// charset=…">` or an XML declaration's `encoding="…"`.
pub fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    if lower.starts_with(b"<?xml") {
        let end = find(&lower, b"?>", 0).unwrap_or(lower.len());
        if let Some(enc) = lower.get(..end).and_then(|decl| value_after(decl, b"encoding")) {
            return Some(enc);
        }
    }
    let mut from = 0;
    while let Some(start) = find(&lower, b"<meta", from) {
        let end = find(&lower, b">", start).unwrap_or(lower.len());
        if let Some(enc) = lower.get(start..end).and_then(|tag| value_after(tag, b"charset")) {
            return Some(enc);
        }
        from = end;
    }
    None
}

/// The encoding label following `key`, `=` and an optional quote, inside one tag.
fn value_after(tag: &[u8], key: &[u8]) -> Option<&'static Encoding> {
    let mut from = 0;
    while let Some(at) = find(tag, key, from) {
        from = at + key.len();
        let rest = tag.get(from..)?;
        let rest = trim_ascii_start(rest);
        let Some(rest) = rest.strip_prefix(b"=") else { continue };
        let rest = trim_ascii_start(rest);
        let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
        let len = rest.iter().take_while(|b| !matches!(b, b'"' | b'\'' | b';' | b'>' | b'/') && !b.is_ascii_whitespace()).count();
        if let Some(enc) = rest.get(..len).and_then(Encoding::for_label) {
            return Some(enc);
        }
    }
    None
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    b.get(n..).unwrap_or_default()
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let tail = hay.get(from..)?;
    tail.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_found_in_all_their_forms() {
        assert_eq!(declared_encoding(b"<meta charset=\"UTF-8\" />"), Some(UTF_8));
        assert_eq!(
            declared_encoding(b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gb2312\">"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\" encoding='GBK'?><html>"), Some(encoding_rs::GBK));
        assert_eq!(declared_encoding(b"<meta name=\"keywords\" content=\"x\"><p>charset=gbk</p>"), None);
    }

    #[test]
    fn gbk_declared_and_sent_decodes() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<meta charset=gbk><p>部门决算</p>");
        let d = decode(&gbk);
        assert!(d.text.contains("部门决算"));
        assert_eq!((d.encoding, d.warning), (GB18030, None));
    }

    #[test]
    fn the_bytes_win_over_a_wrong_declaration() {
        let d = decode("<meta charset=gbk><p>部门决算</p>".as_bytes());
        assert!(d.text.contains("部门决算"));
        assert_eq!(d.encoding, UTF_8);
        let (gbk, _, _) = encoding_rs::GBK.encode("<meta charset=utf-8><p>部门决算</p>");
        let d = decode(&gbk);
        assert!(d.text.contains("部门决算"));
        assert_eq!(d.encoding, GB18030);
    }

    #[test]
    fn undeclared_gbk_falls_back_to_gb18030() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<p>收入支出决算总表</p>");
        assert!(decode(&gbk).text.contains("收入支出决算总表"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("<p>决算</p>".as_bytes());
        assert_eq!(decode(&bom).text, "<p>决算</p>");
    }
}
