//! A small CMap reader: codespace ranges, bfchar/bfrange (ToUnicode) and cidchar/cidrange
//! (embedded encoding CMaps). Tolerant of junk: unknown tokens are skipped.

use ecow::EcoString;
use std::collections::HashMap;

const MAX_ENTRIES: usize = 200_000;

#[derive(Default)]
pub(crate) struct CMap {
    /// (byte length, low, high)
    codespace: Vec<(usize, u32, u32)>,
    /// Sorted by key (byte length, code): looked up per glyph, so by binary search rather
    /// than by hashing.
    chars: Vec<((usize, u32), EcoString)>,
    /// (byte length, low, high, first destination as UTF-16 units)
    ranges: Vec<(usize, u32, u32, Vec<u16>)>,
    /// Sorted by key, as `chars`.
    cids: Vec<((usize, u32), u32)>,
    cid_ranges: Vec<(usize, u32, u32, u32)>,
    pub(crate) use_cmap: Option<String>,
    pub(crate) vertical: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Num(i64),
    Name(String),
    Kw(String),
    Open,
    Close,
}

fn tokenize(data: &[u8]) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut i = 0;
    while i < data.len() && toks.len() < MAX_ENTRIES * 4 {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let start = i + 1;
                let end = data[start..].iter().position(|b| *b == b'>').map(|p| start + p).unwrap_or(data.len());
                let digits: Vec<u8> = data[start..end].iter().copied().filter(|b| b.is_ascii_hexdigit()).collect();
                let mut bytes = Vec::with_capacity(digits.len() / 2 + 1);
                for pair in digits.chunks(2) {
                    let hi = hex_val(pair[0]);
                    let lo = pair.get(1).map(|b| hex_val(*b)).unwrap_or(0);
                    bytes.push(hi << 4 | lo);
                }
                toks.push(Tok::Hex(bytes));
                i = end + 1;
                continue;
            }
            b'[' => toks.push(Tok::Open),
            b']' => toks.push(Tok::Close),
            b'(' => {
                // Literal strings appear only in the CMap header; skip them, nesting included.
                let mut depth = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'/' => {
                let start = i + 1;
                let mut end = start;
                while end < data.len() && !is_delim(data[end]) {
                    end += 1;
                }
                toks.push(Tok::Name(String::from_utf8_lossy(&data[start..end]).to_string()));
                i = end;
                continue;
            }
            _ if c.is_ascii_whitespace() => {}
            _ => {
                let start = i;
                let mut end = i;
                while end < data.len() && !is_delim(data[end]) {
                    end += 1;
                }
                if end == start {
                    i += 1;
                    continue;
                }
                let word = String::from_utf8_lossy(&data[start..end]).to_string();
                match word.parse::<i64>() {
                    Ok(n) => toks.push(Tok::Num(n)),
                    Err(_) => toks.push(Tok::Kw(word)),
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    toks
}

fn is_delim(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'/' | b'[' | b']' | b'<' | b'>' | b'(' | b')' | b'%' | b'{' | b'}')
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks(2).map(|p| (u16::from(p[0]) << 8) | u16::from(*p.get(1).unwrap_or(&0))).collect()
}

impl CMap {
    pub(crate) fn parse(data: &[u8]) -> CMap {
        let toks = tokenize(data);
        let mut cm = CMap::default();
        // Filled as the entries come (a later one replaces an earlier), then frozen sorted.
        let (mut chars, mut cids) = (HashMap::new(), HashMap::new());
        let mut i = 0;
        let mut section: Option<String> = None;
        let mut prev_name: Option<String> = None;
        while i < toks.len() {
            match &toks[i] {
                Tok::Kw(k) if k.starts_with("begin") => {
                    section = Some(k[5..].to_string());
                    i += 1;
                    continue;
                }
                Tok::Kw(k) if k.starts_with("end") => section = None,
                Tok::Kw(k) if k == "usecmap" => cm.use_cmap = prev_name.clone(),
                Tok::Name(n) => {
                    if n == "WMode" {
                        if let Some(Tok::Num(1)) = toks.get(i + 1) {
                            cm.vertical = true;
                        }
                    }
                    prev_name = Some(n.clone());
                }
                _ => {}
            }
            let full = chars.len() + cm.ranges.len() + cids.len() + cm.cid_ranges.len() > MAX_ENTRIES;
            match section.as_deref() {
                Some("codespacerange") => {
                    if let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) = (toks.get(i), toks.get(i + 1)) {
                        if !lo.is_empty() && lo.len() <= 4 {
                            cm.codespace.push((lo.len(), code_of(lo), code_of(hi)));
                        }
                        i += 2;
                        continue;
                    }
                }
                Some("bfchar") if !full => {
                    if let (Some(Tok::Hex(src)), Some(dst)) = (toks.get(i), toks.get(i + 1)) {
                        if let Some(text) = dest_text(dst) {
                            chars.insert((src.len().clamp(1, 4), code_of(src)), text);
                        }
                        i += 2;
                        continue;
                    }
                }
                Some("bfrange") if !full => {
                    if let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) = (toks.get(i), toks.get(i + 1)) {
                        let (l, h) = (code_of(lo), code_of(hi));
                        let len = lo.len().clamp(1, 4);
                        match toks.get(i + 2) {
                            Some(Tok::Hex(dst)) => {
                                if h >= l {
                                    cm.ranges.push((len, l, h, utf16_units(dst)));
                                }
                                i += 3;
                            }
                            Some(Tok::Open) => {
                                let mut j = i + 3;
                                let mut code = l;
                                while let Some(t) = toks.get(j) {
                                    if *t == Tok::Close {
                                        break;
                                    }
                                    if let Some(text) = dest_text(t) {
                                        chars.insert((len, code), text);
                                    }
                                    code = code.saturating_add(1);
                                    j += 1;
                                }
                                i = j + 1;
                            }
                            _ => i += 2,
                        }
                        continue;
                    }
                }
                Some("cidchar") if !full => {
                    if let (Some(Tok::Hex(src)), Some(Tok::Num(cid))) = (toks.get(i), toks.get(i + 1)) {
                        cids.insert((src.len().clamp(1, 4), code_of(src)), (*cid).max(0) as u32);
                        i += 2;
                        continue;
                    }
                }
                Some("cidrange") if !full => {
                    if let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi)), Some(Tok::Num(cid))) =
                        (toks.get(i), toks.get(i + 1), toks.get(i + 2))
                    {
                        cm.cid_ranges.push((lo.len().clamp(1, 4), code_of(lo), code_of(hi), (*cid).max(0) as u32));
                        i += 3;
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        cm.chars = sorted(chars);
        cm.cids = sorted(cids);
        cm
    }

    pub(crate) fn codespace_is_empty(&self) -> bool {
        self.codespace.is_empty()
    }

    /// The length of the code at the start of `rest`, from the codespace ranges.
    pub(crate) fn code_len(&self, rest: &[u8]) -> Option<usize> {
        if self.codespace.is_empty() {
            return None;
        }
        for n in 1..=4usize {
            if rest.len() < n {
                break;
            }
            let code = code_of(&rest[..n]);
            if self.codespace.iter().any(|(len, lo, hi)| *len == n && code >= *lo && code <= *hi) {
                return Some(n);
            }
        }
        // Not in any range: consume the shortest declared length, as the spec says.
        self.codespace.iter().map(|(len, _, _)| *len).min()
    }

    pub(crate) fn lookup(&self, code: u32, len: usize) -> Option<EcoString> {
        if let Ok(at) = self.chars.binary_search_by_key(&(len, code), |e| e.0) {
            return Some(self.chars[at].1.clone());
        }
        for (l, lo, hi, dst) in &self.ranges {
            if *l == len && code >= *lo && code <= *hi {
                let mut units = dst.clone();
                if let Some(last) = units.last_mut() {
                    *last = last.wrapping_add((code - lo) as u16);
                }
                return Some(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect());
            }
        }
        None
    }

    pub(crate) fn cid(&self, code: u32, len: usize) -> Option<u32> {
        if let Ok(at) = self.cids.binary_search_by_key(&(len, code), |e| e.0) {
            return Some(self.cids[at].1);
        }
        self.cid_ranges
            .iter()
            .find(|(l, lo, hi, _)| *l == len && code >= *lo && code <= *hi)
            .map(|(_, lo, _, first)| first + (code - lo))
    }
}

fn sorted<V>(map: HashMap<(usize, u32), V>) -> Vec<((usize, u32), V)> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_unstable_by_key(|e| e.0);
    v
}

fn dest_text(t: &Tok) -> Option<EcoString> {
    match t {
        Tok::Hex(b) => Some(String::from_utf16_lossy(&utf16_units(b)).into()),
        Tok::Name(n) => glyph_name_text(n),
        _ => None,
    }
}

/// Glyph names used as bfchar destinations: `uniXXXX`, `uXXXX[XX]` and a few common ones.
fn glyph_name_text(n: &str) -> Option<EcoString> {
    if let Some(hex) = n.strip_prefix("uni").or_else(|| n.strip_prefix('u')) {
        if let Ok(v) = u32::from_str_radix(hex.get(..4.max(hex.len().min(6)))?, 16) {
            return char::from_u32(v).map(EcoString::from);
        }
    }
    match n {
        "space" => Some(" ".into()),
        "period" => Some(".".into()),
        "comma" => Some(",".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bfchar_and_bfrange() {
        let cm = CMap::parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <0010> <4E2D> endbfchar\n\
              1 beginbfrange <0020> <0022> <0041> endbfrange\n\
              1 beginbfrange <0030> <0031> [<5143> <4E07>] endbfrange",
        );
        assert_eq!(cm.lookup(0x10, 2).as_deref(), Some("中"));
        assert_eq!(cm.lookup(0x22, 2).as_deref(), Some("C"));
        assert_eq!(cm.lookup(0x31, 2).as_deref(), Some("万"));
        assert_eq!(cm.code_len(&[0x00, 0x10]), Some(2));
        assert_eq!(cm.lookup(0x99, 2), None);
    }

    /// The sorted tables keep what the maps kept: a later entry for a code replaces an
    /// earlier one, and a code's byte length is part of its key.
    #[test]
    fn a_later_entry_wins_and_lengths_stay_apart() {
        let cm = CMap::parse(
            b"2 beginbfchar <0010> <4E2D> <0010> <6587> endbfchar\n\
              1 beginbfchar <10> <0041> endbfchar\n\
              2 begincidchar <0020> 7 <0020> 9 endcidchar",
        );
        assert_eq!(cm.lookup(0x10, 2).as_deref(), Some("文"));
        assert_eq!(cm.lookup(0x10, 1).as_deref(), Some("A"));
        assert_eq!(cm.cid(0x20, 2), Some(9));
        assert_eq!(cm.cid(0x21, 2), None);
    }
}
