//! Fonts: how the bytes of a shown string split into character codes, what text each code
//! stands for, and how far each glyph advances.
//!
//! Text comes from the font's ToUnicode CMap first (lopdf itself looks at /Encoding first,
//! which is wrong for subset fonts whose /Encoding is a placeholder), then from the predefined
//! CMap of a non-embedded CJK font (UniGB-UCS2-H and friends map codes to Unicode directly; the
//! GB-EUC/GBK CMaps are decoded as GBK bytes, which yields the same characters as the Adobe-GB1
//! round trip without shipping its table), then from the simple-font encoding.

use ecow::EcoString;
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;

use crate::cmap::CMap;

/// How a Type0 font's codes are read when no embedded CMap says so.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Predefined {
    /// Identity-H / Identity-V: two-byte codes equal to CIDs; text only via ToUnicode.
    Identity,
    /// UniGB-UCS2-H, UniCNS-UCS2-H, …: two-byte codes that are UCS-2 code points.
    Ucs2,
    /// Uni*-UTF16-H: UTF-16BE code units (four bytes for a surrogate pair).
    Utf16,
    /// GBK-EUC-H, GB-EUC-H, GBKp-EUC-H, GBK2K-H: GBK multi-byte codes.
    Gbk,
    /// B5pc-H, ETen-B5-H, …: Big5 codes.
    Big5,
    /// An embedded CMap stream (codespace ranges say how long codes are).
    Embedded,
}

pub(crate) struct Font {
    composite: bool,
    predefined: Predefined,
    to_unicode: Option<CMap>,
    /// Embedded /Encoding CMap of a composite font: code → CID and code lengths.
    encoding_cmap: Option<CMap>,
    /// Simple fonts: text of each single-byte code from the font's encoding.
    simple_text: Option<Vec<EcoString>>,
    /// Simple fonts: /FirstChar and /Widths, in glyph units.
    first_char: u32,
    widths: Vec<f32>,
    /// Composite fonts: /W entries by CID.
    cid_widths: HashMap<u32, f32>,
    default_width: f32,
    /// Glyph units to text-space units (1/1000, or the Type3 FontMatrix).
    scale: f32,
    pub(crate) vertical: bool,
}

/// One character code read from a shown string.
pub(crate) struct Code {
    /// Inline (no allocation) for all but long ligature mappings.
    pub text: EcoString,
    /// Horizontal advance in text-space units before font size and scaling.
    pub advance: f32,
    /// Single-byte code 32, which word spacing (Tw) applies to.
    pub is_space_byte: bool,
}

impl Font {
    /// A font that knows nothing: one-byte codes, Latin-1 text, 500-unit widths.
    pub(crate) fn fallback() -> Font {
        Font {
            composite: false,
            predefined: Predefined::Identity,
            to_unicode: None,
            encoding_cmap: None,
            simple_text: None,
            first_char: 0,
            widths: Vec::new(),
            cid_widths: HashMap::new(),
            default_width: 500.0,
            scale: 0.001,
            vertical: false,
        }
    }

    pub(crate) fn load(doc: &Document, dict: &Dictionary, warnings: &mut Vec<String>) -> Font {
        let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
        let mut font = Font::fallback();
        font.to_unicode = deref(doc, dict.get(b"ToUnicode").ok())
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| s.decompressed_content().ok().or_else(|| Some(s.content.clone())))
            .map(|bytes| CMap::parse(&bytes));
        if subtype == b"Type0" {
            font.composite = true;
            font.load_composite(doc, dict, warnings);
        } else {
            font.load_simple(doc, dict, subtype == b"Type3");
        }
        font
    }

    fn load_composite(&mut self, doc: &Document, dict: &Dictionary, warnings: &mut Vec<String>) {
        self.default_width = 1000.0;
        match deref(doc, dict.get(b"Encoding").ok()) {
            Some(Object::Name(name)) => {
                let name = String::from_utf8_lossy(name).to_string();
                self.vertical = name.ends_with("-V");
                self.predefined = predefined_cmap(&name);
                if self.to_unicode.is_none() && self.predefined == Predefined::Identity && name != "Identity-H" && name != "Identity-V" {
                    warnings.push(format!("font with unknown predefined CMap {name}: codes read as two-byte"));
                }
            }
            Some(Object::Stream(s)) => {
                let bytes = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
                let cmap = CMap::parse(&bytes);
                self.vertical = cmap.vertical;
                self.predefined = match cmap.use_cmap.as_deref() {
                    Some(base) if cmap.codespace_is_empty() => predefined_cmap(base),
                    _ => Predefined::Embedded,
                };
                self.encoding_cmap = Some(cmap);
            }
            _ => {}
        }
        let descendant = deref(doc, dict.get(b"DescendantFonts").ok())
            .and_then(|o| o.as_array().ok())
            .and_then(|a| deref(doc, a.first()))
            .and_then(|o| o.as_dict().ok());
        if let Some(d) = descendant {
            if let Some(dw) = deref(doc, d.get(b"DW").ok()).and_then(|o| o.as_float().ok()) {
                self.default_width = dw;
            }
            if let Some(w) = deref(doc, d.get(b"W").ok()).and_then(|o| o.as_array().ok()) {
                self.cid_widths = parse_w_array(doc, w);
            }
        }
        if self.to_unicode.is_none() && self.predefined == Predefined::Identity {
            let name = dict.get(b"BaseFont").and_then(Object::as_name).map(|n| String::from_utf8_lossy(n).to_string());
            warnings.push(format!(
                "font {} has Identity encoding and no ToUnicode: its text cannot be read",
                name.unwrap_or_default()
            ));
        }
    }

    fn load_simple(&mut self, doc: &Document, dict: &Dictionary, type3: bool) {
        self.first_char = deref(doc, dict.get(b"FirstChar").ok()).and_then(|o| o.as_i64().ok()).unwrap_or(0).clamp(0, 255) as u32;
        if let Some(w) = deref(doc, dict.get(b"Widths").ok()).and_then(|o| o.as_array().ok()) {
            self.widths = w.iter().take(256).map(|o| deref(doc, Some(o)).and_then(|o| o.as_float().ok()).unwrap_or(0.0)).collect();
        }
        let missing = deref(doc, dict.get(b"FontDescriptor").ok())
            .and_then(|o| o.as_dict().ok())
            .and_then(|fd| deref(doc, fd.get(b"MissingWidth").ok()))
            .and_then(|o| o.as_float().ok());
        self.default_width = missing.filter(|w| *w > 0.0).unwrap_or(500.0);
        if type3 {
            if let Some(m) = deref(doc, dict.get(b"FontMatrix").ok()).and_then(|o| o.as_array().ok()) {
                if let Some(a) = m.first().and_then(|o| o.as_float().ok()) {
                    if a.is_finite() && a != 0.0 {
                        self.scale = a.abs();
                    }
                }
            }
        }
        // lopdf resolves /Encoding with /Differences and the standard tables; when the dict
        // has no /Type /Font (sloppy producers) it refuses, so fall back to WinAnsi-ish Latin-1.
        let table: Vec<EcoString> = match dict.get_font_encoding(doc) {
            Ok(enc) => (0u8..=255).map(|b| enc.bytes_to_string(&[b]).unwrap_or_default().into()).collect(),
            Err(_) => (0u8..=255).map(|b| EcoString::from(char::from(b))).collect(),
        };
        self.simple_text = Some(table);
    }

    /// Splits a shown string into codes with their text and advance.
    pub(crate) fn decode(&self, bytes: &[u8], out: &mut Vec<Code>) {
        let mut i = 0;
        while i < bytes.len() {
            let len = self.code_len(&bytes[i..]).clamp(1, 4).min(bytes.len() - i);
            let raw = &bytes[i..i + len];
            let code = raw.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
            let text = clean(self.text_of(code, raw));
            let advance = self.width_of(code, len) * self.scale;
            out.push(Code { text, advance, is_space_byte: len == 1 && code == 32 });
            i += len;
        }
    }

    fn code_len(&self, rest: &[u8]) -> usize {
        if !self.composite {
            return 1;
        }
        if let Some(cm) = &self.encoding_cmap {
            if let Some(n) = cm.code_len(rest) {
                return n;
            }
        }
        let first = rest.first().copied().unwrap_or(0);
        match self.predefined {
            Predefined::Gbk | Predefined::Big5 => {
                if (0x81..=0xFE).contains(&first) {
                    2
                } else {
                    1
                }
            }
            Predefined::Utf16 => {
                if (0xD8..=0xDB).contains(&first) && rest.len() >= 4 {
                    4
                } else {
                    2
                }
            }
            _ => {
                if let Some(n) = self.to_unicode.as_ref().and_then(|cm| cm.code_len(rest)) {
                    return n;
                }
                2
            }
        }
    }

    fn text_of(&self, code: u32, raw: &[u8]) -> EcoString {
        if let Some(t) = self.to_unicode.as_ref().and_then(|cm| cm.lookup(code, raw.len())) {
            return t;
        }
        if self.composite {
            return match self.predefined {
                Predefined::Ucs2 => char::from_u32(code).map(EcoString::from).unwrap_or_default(),
                Predefined::Utf16 => encoding_rs::UTF_16BE.decode_without_bom_handling(raw).0.as_ref().into(),
                Predefined::Gbk => decode_multibyte(encoding_rs::GBK, raw),
                Predefined::Big5 => decode_multibyte(encoding_rs::BIG5, raw),
                Predefined::Identity | Predefined::Embedded => EcoString::new(),
            };
        }
        self.simple_text.as_ref().and_then(|t| t.get(code as usize)).cloned().unwrap_or_default()
    }

    fn width_of(&self, code: u32, len: usize) -> f32 {
        if !self.composite {
            let w = code.checked_sub(self.first_char).and_then(|i| self.widths.get(i as usize)).copied();
            return match w {
                Some(w) if w > 0.0 => w,
                _ => self.default_width,
            };
        }
        let cid = match self.predefined {
            Predefined::Identity => Some(code),
            Predefined::Embedded => self.encoding_cmap.as_ref().and_then(|cm| cm.cid(code, len)),
            // Adobe-GB1 puts the half-width ASCII glyphs at CIDs 1..95.
            _ if (0x20..0x7F).contains(&code) => Some(code - 0x1F),
            _ => None,
        };
        match cid.and_then(|c| self.cid_widths.get(&c)) {
            Some(w) => *w,
            None if self.predefined != Predefined::Identity && (0x20..0x7F).contains(&code) => 500.0,
            None => self.default_width,
        }
    }
}

fn decode_multibyte(enc: &'static encoding_rs::Encoding, raw: &[u8]) -> EcoString {
    let (s, _, had_errors) = enc.decode(raw);
    if had_errors {
        EcoString::new()
    } else {
        s.as_ref().into()
    }
}

fn predefined_cmap(name: &str) -> Predefined {
    if name.starts_with("Identity") {
        Predefined::Identity
    } else if name.contains("UCS2") {
        Predefined::Ucs2
    } else if name.contains("UTF16") {
        Predefined::Utf16
    } else if name.starts_with("GB") {
        Predefined::Gbk
    } else if name.starts_with("B5") || name.starts_with("ETen") || name.starts_with("HKscs") {
        Predefined::Big5
    } else {
        Predefined::Identity
    }
}

/// Drops what must never reach the dataset: private-use code points (unmapped glyphs of
/// subset fonts), replacement characters and control characters.
fn clean(s: EcoString) -> EcoString {
    if s.chars().all(|c| !bad_char(c)) {
        return s;
    }
    s.chars().filter(|c| !bad_char(*c)).collect()
}

fn bad_char(c: char) -> bool {
    let u = c as u32;
    (0xE000..=0xF8FF).contains(&u)
        || u >= 0xF0000
        || c == '\u{FFFD}'
        || c == '\u{FEFF}'
        || (c.is_control() && c != '\t')
}

fn parse_w_array(doc: &Document, w: &[Object]) -> HashMap<u32, f32> {
    let mut map = HashMap::new();
    let num = |o: &Object| deref(doc, Some(o)).and_then(|o| o.as_float().ok());
    let mut i = 0;
    while i < w.len() && map.len() < 70_000 {
        let Some(first) = num(&w[i]).map(|f| f.max(0.0) as u32) else { break };
        match w.get(i + 1).and_then(|o| deref(doc, Some(o))) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate().take(70_000) {
                    if let Some(v) = num(o) {
                        map.insert(first.saturating_add(k as u32), v);
                    }
                }
                i += 2;
            }
            Some(_) => {
                let last = w.get(i + 1).and_then(num).map(|f| f.max(0.0) as u32).unwrap_or(first);
                let v = w.get(i + 2).and_then(num).unwrap_or(0.0);
                let last = last.min(first.saturating_add(70_000));
                for c in first..=last {
                    map.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
    map
}

/// Follows references a bounded number of times.
pub(crate) fn deref<'a>(doc: &'a Document, mut o: Option<&'a Object>) -> Option<&'a Object> {
    for _ in 0..8 {
        match o? {
            Object::Reference(id) => o = doc.get_object(*id).ok(),
            other => return Some(other),
        }
    }
    None
}
