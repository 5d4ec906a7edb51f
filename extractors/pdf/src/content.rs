//! A zero-copy reader of content streams for the walker: operators and their operands are
//! borrowed from the inflated bytes, and the operand buffers are reused from one operation to
//! the next, so reading a page allocates nothing per token (lopdf's reader builds an `Object`
//! per operand: a third of the PDF time went there). It reads exactly the grammar of lopdf's
//! `Content::decode_iter` — the same operations, and it stops where that one stops — so the
//! walk sees what it saw before; lopdf stays the object model.

use std::borrow::Cow;

/// Nesting of arrays and dictionaries, and of parentheses in a literal string, that the
/// reader follows (lopdf's MAX_NESTING_DEPTH and MAX_BRACKET): deeper input ends the stream.
const MAX_DEPTH: usize = 100;

/// One operand, borrowed from the stream.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand<'a> {
    Int(i64),
    Real(f32),
    Bool(bool),
    Name(Cow<'a, [u8]>),
    Str(PdfStr<'a>),
    /// The elements of an array: a range of [`Operation::items`].
    Array(usize, usize),
    /// Null, a reference or a dictionary: nothing the walker reads.
    Other,
}

impl Operand<'_> {
    /// An integer or a real as a number (lopdf's `Object::as_float`).
    pub(crate) fn as_float(&self) -> Option<f32> {
        match *self {
            Operand::Int(v) => Some(v as f32),
            Operand::Real(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn as_name(&self) -> Option<&[u8]> {
        match self {
            Operand::Name(n) => Some(n),
            _ => None,
        }
    }
}

/// A string operand as written; its bytes are decoded on demand into a reused buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum PdfStr<'a> {
    /// Between the parentheses, escapes not yet resolved.
    Literal(&'a [u8]),
    /// Between the angle brackets: hexadecimal digits and white space.
    Hex(&'a [u8]),
}

impl PdfStr<'_> {
    /// The string's bytes (escapes resolved, hexadecimal decoded) into `out`, replacing its
    /// content; the bytes lopdf's `Object::String` holds.
    pub(crate) fn decode_into(&self, out: &mut Vec<u8>) {
        out.clear();
        match *self {
            PdfStr::Literal(raw) => unescape(raw, out),
            PdfStr::Hex(raw) => {
                let mut high = None;
                for d in raw.iter().filter_map(|&c| hex_value(c)) {
                    match high.take() {
                        None => {
                            out.push(d << 4);
                            high = Some(());
                        }
                        Some(()) => *out.last_mut().expect("a high nibble was pushed") |= d,
                    }
                }
            }
        }
    }
}

/// The current operation: its operator and operands (valid until the next call to
/// [`Tokens::next_op`]).
#[derive(Debug, Default)]
pub(crate) struct Operation<'a> {
    pub operator: &'a [u8],
    pub operands: Vec<Operand<'a>>,
    /// Array elements, nested arrays flattened after their own range.
    pub items: Vec<Operand<'a>>,
}

impl<'a> Operation<'a> {
    /// Operand `i` as a number (0 when it is missing, not a number or not finite).
    pub(crate) fn num(&self, i: usize) -> f32 {
        self.operands.get(i).and_then(Operand::as_float).filter(|v| v.is_finite()).unwrap_or(0.0)
    }

    /// The elements of the array `operand` (empty when it is not an array).
    pub(crate) fn array(&self, operand: Option<&Operand<'a>>) -> &[Operand<'a>] {
        match operand {
            Some(Operand::Array(from, to)) => &self.items[*from..*to],
            _ => &[],
        }
    }
}

/// The operations of a content stream, one at a time.
pub(crate) struct Tokens<'a> {
    data: &'a [u8],
    pos: usize,
    done: bool,
    /// Elements of the arrays being read (a nested array's after its parent's so far).
    pending: Vec<Operand<'a>>,
}

/// Why reading stopped short: lopdf's reader ends the stream there too.
struct Stop;

type Step<T> = Result<T, Stop>;

/// A dictionary entry.
type Entry<'a> = (Cow<'a, [u8]>, Operand<'a>);

impl<'a> Tokens<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        let mut t = Tokens { data, pos: 0, done: false, pending: Vec::new() };
        t.skip_white();
        t
    }

    /// Reads the next operation into `op`; false at the end of the stream or where it stops
    /// being readable.
    pub(crate) fn next_op(&mut self, op: &mut Operation<'a>) -> bool {
        if self.done {
            return false;
        }
        op.operands.clear();
        op.items.clear();
        let start = self.pos;
        match self.operation(op) {
            Ok(()) if self.pos > start => true,
            _ => {
                self.done = true;
                false
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn rest(&self) -> &'a [u8] {
        &self.data[self.pos.min(self.data.len())..]
    }

    fn skip_white(&mut self) {
        while self.peek().is_some_and(is_white) {
            self.pos += 1;
        }
    }

    /// A comment with its end of line; false (nothing consumed) when there is none, or when it
    /// is not ended by one (lopdf requires the end of line).
    fn comment(&mut self) -> bool {
        if self.peek() != Some(b'%') {
            return false;
        }
        let rest = self.rest();
        let Some(eol) = rest.iter().position(|c| *c == b'\r' || *c == b'\n') else { return false };
        self.pos += eol + if rest[eol..].starts_with(b"\r\n") { 2 } else { 1 };
        true
    }

    /// White space and comments, as many as there are (inside arrays and dictionaries).
    fn skip_space(&mut self) {
        loop {
            self.skip_white();
            if !self.comment() {
                return;
            }
        }
    }

    fn operation(&mut self, op: &mut Operation<'a>) -> Step<()> {
        while self.comment() {
            self.skip_white();
        }
        if self.rest().starts_with(b"BI") {
            self.pos += 2;
            self.skip_white();
            self.inline_image()?;
            op.operator = b"BI";
            return Ok(());
        }
        loop {
            let at = self.pos;
            match self.operand(op, MAX_DEPTH) {
                Ok(Some(v)) => {
                    op.operands.push(v);
                    self.skip_white();
                }
                Ok(None) => {
                    self.pos = at;
                    break;
                }
                Err(Stop) => return Err(Stop),
            }
        }
        let rest = self.rest();
        let len = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || b"*'\"".contains(c)).count();
        if len == 0 || rest[0].is_ascii_digit() {
            return Err(Stop);
        }
        op.operator = &rest[..len];
        self.pos += len;
        self.skip_white();
        Ok(())
    }

    /// One top-level operand (lopdf's `operand`): `None` when the input there is no operand
    /// (then it must be the operator); `Stop` when the stream cannot be read on.
    fn operand(&mut self, op: &mut Operation<'a>, depth: usize) -> Step<Option<Operand<'a>>> {
        let rest = self.rest();
        if let Some(v) = self.keyword() {
            return Ok(Some(v));
        }
        match rest.first() {
            Some(b'0'..=b'9' | b'+' | b'-' | b'.') => Ok(self.number()),
            Some(b'/') => Ok(Some(Operand::Name(self.name()))),
            Some(b'(') => Ok(self.literal().map(|s| Operand::Str(PdfStr::Literal(s)))),
            Some(b'<') => {
                if let Some(s) = self.hex() {
                    return Ok(Some(Operand::Str(PdfStr::Hex(s))));
                }
                self.dictionary(op, depth).map(|d| d.then_some(Operand::Other))
            }
            Some(b'[') => self.array(op, depth),
            _ => Ok(None),
        }
    }

    /// An array element or dictionary value (lopdf's `_direct_object`), with the space after.
    fn direct(&mut self, op: &mut Operation<'a>, depth: usize) -> Step<Option<Operand<'a>>> {
        if depth == 0 {
            return Err(Stop);
        }
        let at = self.pos;
        let rest = self.rest();
        let v = match rest.first() {
            Some(b'n' | b't' | b'f') => self.keyword(),
            Some(b'0'..=b'9') if self.reference() => Some(Operand::Other),
            Some(b'0'..=b'9' | b'+' | b'-' | b'.') => self.number(),
            Some(b'/') => Some(Operand::Name(self.name())),
            Some(b'(') => self.literal().map(|s| Operand::Str(PdfStr::Literal(s))),
            Some(b'<') => match self.hex() {
                Some(s) => Some(Operand::Str(PdfStr::Hex(s))),
                None => self.dictionary(op, depth - 1)?.then_some(Operand::Other),
            },
            Some(b'[') => self.array(op, depth - 1)?,
            _ => None,
        };
        match v {
            Some(v) => {
                self.skip_space();
                Ok(Some(v))
            }
            None => {
                self.pos = at;
                Ok(None)
            }
        }
    }

    /// `[ elements ]`: the elements go to `op.items`, nested arrays after their parent's range.
    fn array(&mut self, op: &mut Operation<'a>, depth: usize) -> Step<Option<Operand<'a>>> {
        let (at, mark) = (self.pos, self.pending.len());
        self.pos += 1;
        self.skip_space();
        while let Some(v) = self.direct(op, depth)? {
            self.pending.push(v);
        }
        if self.peek() != Some(b']') {
            self.pos = at;
            self.pending.truncate(mark);
            return Ok(None);
        }
        self.pos += 1;
        let from = op.items.len();
        op.items.extend(self.pending.drain(mark..));
        Ok(Some(Operand::Array(from, op.items.len())))
    }

    /// `<< /Key value … >>` (read to be skipped); false when it is not one.
    fn dictionary(&mut self, op: &mut Operation<'a>, depth: usize) -> Step<bool> {
        let at = self.pos;
        if !self.rest().starts_with(b"<<") {
            return Ok(false);
        }
        self.pos += 2;
        self.skip_space();
        self.entries(op, depth, None)?;
        if !self.rest().starts_with(b">>") {
            self.pos = at;
            return Ok(false);
        }
        self.pos += 2;
        Ok(true)
    }

    /// Key–value pairs, as many as there are (a dictionary's inside, an inline image's
    /// header), kept in `keep` when given.
    fn entries(&mut self, op: &mut Operation<'a>, depth: usize, mut keep: Option<&mut Vec<Entry<'a>>>) -> Step<()> {
        loop {
            let at = self.pos;
            if self.peek() != Some(b'/') {
                return Ok(());
            }
            let key = self.name();
            self.skip_space();
            match self.direct(op, depth)? {
                Some(v) => keep.iter_mut().for_each(|k| k.push((key.clone(), v.clone()))),
                None => {
                    self.pos = at;
                    return Ok(());
                }
            }
        }
    }

    /// `null`, `true` or `false`.
    fn keyword(&mut self) -> Option<Operand<'a>> {
        let rest = self.rest();
        let (v, len) = match rest {
            [b'n', b'u', b'l', b'l', ..] => (Operand::Other, 4),
            [b't', b'r', b'u', b'e', ..] => (Operand::Bool(true), 4),
            [b'f', b'a', b'l', b's', b'e', ..] => (Operand::Bool(false), 5),
            _ => return None,
        };
        self.pos += len;
        Some(v)
    }

    /// `n g R` (only inside arrays and dictionaries); consumed when it is one.
    fn reference(&mut self) -> bool {
        let at = self.pos;
        let ok = self.unsigned(u32::MAX as u64)
            && {
                self.skip_space();
                self.unsigned(u16::MAX as u64)
            }
            && {
                self.skip_space();
                self.peek() == Some(b'R')
            };
        self.pos = if ok { self.pos + 1 } else { at };
        ok
    }

    fn unsigned(&mut self, max: u64) -> bool {
        let digits = self.rest().iter().take_while(|c| c.is_ascii_digit()).count();
        let value = self.rest()[..digits].iter().try_fold(0u64, |v, d| v.checked_mul(10)?.checked_add(u64::from(d - b'0')));
        self.pos += digits;
        digits > 0 && value.is_some_and(|v| v <= max)
    }

    /// A real (`1.5`, `.5`, `-3.`, with a stray minus inside the fraction ignored) or an
    /// integer (`-12`), as lopdf reads it; `None` (nothing consumed) when neither.
    fn number(&mut self) -> Option<Operand<'a>> {
        let rest = self.rest();
        let signed = usize::from(matches!(rest.first(), Some(b'+' | b'-')));
        let body = &rest[signed..];
        let int_digits = body.iter().take_while(|c| c.is_ascii_digit()).count();
        let after = &body[int_digits..];
        let real = after.first() == Some(&b'.') && (int_digits > 0 || after.get(1).is_some_and(u8::is_ascii_digit));
        if real {
            let fraction = after[1..].iter().take_while(|c| **c == b'-' || c.is_ascii_digit()).count();
            let text = &rest[..signed + int_digits + 1 + fraction];
            let value = if text[1..].contains(&b'-') {
                let kept: Vec<u8> = text[..1].iter().chain(text[1..].iter().filter(|c| **c != b'-')).copied().collect();
                parse_f32(&kept)
            } else {
                fast_real(rest[0] == b'-', &body[..int_digits], &after[1..1 + fraction]).or_else(|| parse_f32(text))
            };
            // A real that does not parse is tried as an integer, as lopdf does.
            if let Some(value) = value {
                self.pos += text.len();
                return Some(Operand::Real(value));
            }
        }
        if int_digits == 0 {
            return None;
        }
        let magnitude = body[..int_digits].iter().try_fold(0u64, |v, d| v.checked_mul(10)?.checked_add(u64::from(d - b'0')))?;
        let value = if rest[0] == b'-' { 0i64.checked_sub_unsigned(magnitude)? } else { i64::try_from(magnitude).ok()? };
        self.pos += signed + int_digits;
        Some(Operand::Int(value))
    }

    /// `/Name`, `#xx` escapes resolved (borrowed when it has none).
    fn name(&mut self) -> Cow<'a, [u8]> {
        self.pos += 1;
        let rest = self.rest();
        let run = rest.iter().position(|c| *c == b'#' || !is_regular(*c)).unwrap_or(rest.len());
        self.pos += run;
        if rest.get(run) != Some(&b'#') {
            return Cow::Borrowed(&rest[..run]);
        }
        let mut bytes = rest[..run].to_vec();
        loop {
            let rest = self.rest();
            match rest {
                [b'#', h, l, ..] if hex_value(*h).is_some() && hex_value(*l).is_some() => {
                    bytes.push((hex_value(*h).unwrap_or(0) << 4) | hex_value(*l).unwrap_or(0));
                    self.pos += 3;
                }
                _ => return Cow::Owned(bytes),
            }
            let rest = self.rest();
            let run = rest.iter().position(|c| *c == b'#' || !is_regular(*c)).unwrap_or(rest.len());
            bytes.extend_from_slice(&rest[..run]);
            self.pos += run;
        }
    }

    /// `( … )` with balanced parentheses: the raw inside, or `None` (nothing consumed).
    fn literal(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest();
        let mut depth = 0usize;
        let mut i = 1;
        while i < rest.len() {
            match rest[i] {
                b'\\' => {
                    // Any byte after a backslash is escaped (an end of line, an octal digit:
                    // none of them closes or opens a parenthesis).
                    if i + 1 >= rest.len() {
                        return None;
                    }
                    i += 2;
                    continue;
                }
                b'(' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return None;
                    }
                }
                b')' if depth == 0 => {
                    self.pos += i + 1;
                    return Some(&rest[1..i]);
                }
                b')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// `< hex digits and white space >`: the inside, or `None` (nothing consumed).
    fn hex(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest();
        let len = rest[1..].iter().take_while(|c| hex_value(**c).is_some() || is_white(**c)).count();
        if rest.get(1 + len) != Some(&b'>') {
            return None;
        }
        self.pos += len + 2;
        Some(&rest[1..1 + len])
    }

    /// `BI` read: the header up to `ID`, the image data and `EI` (lopdf's `inline_image`).
    fn inline_image(&mut self) -> Step<()> {
        let (mut scratch, mut header) = (Operation::default(), Vec::new());
        self.entries(&mut scratch, MAX_DEPTH, Some(&mut header))?;
        if !self.rest().starts_with(b"ID") {
            return Err(Stop);
        }
        self.pos += 2;
        let rest = self.rest();
        self.pos += match rest {
            [b'\r', b'\n', ..] => 2,
            [c, ..] if is_white(*c) => 1,
            _ => 0,
        };
        match image_data_len(&header, &scratch).filter(|len| *len <= self.rest().len()) {
            Some(len) => {
                self.pos += len;
                self.skip_white();
                if !self.rest().starts_with(b"EI") {
                    return Err(Stop);
                }
                self.pos += 2;
            }
            // Data of unknown length (a filter, an unknown colour space): skip to an `EI`
            // between white space.
            None => {
                let bytes = self.rest();
                let ei = (0..bytes.len().saturating_sub(2))
                    .find(|&i| is_white(bytes[i]) && &bytes[i + 1..i + 3] == b"EI" && bytes.get(i + 3).is_none_or(|c| is_white(*c)));
                let Some(ei) = ei else { return Err(Stop) };
                self.pos += ei + 3;
            }
        }
        self.skip_white();
        Ok(())
    }
}

/// The byte length of an inline image's data as lopdf computes it, or `None` when it cannot
/// (a filter, a missing or odd entry, an unknown colour space).
fn image_data_len(header: &[Entry], op: &Operation) -> Option<usize> {
    let entry = |key: &[u8]| header.iter().rev().find(|(k, _)| k.as_ref() == key).map(|(_, v)| v);
    let get = |short: &[u8], long: &[u8]| entry(short).or_else(|| entry(long));
    let size = |short: &[u8], long: &[u8]| match get(short, long) {
        Some(Operand::Int(v)) => usize::try_from(*v).ok(),
        _ => None,
    };
    let (width, height) = (size(b"W", b"Width")?, size(b"H", b"Height")?);
    let mask = matches!(get(b"IM", b"ImageMask"), Some(Operand::Bool(true)));
    let bpc = match get(b"BPC", b"BitsPerComponent") {
        None if mask => 1,
        _ => size(b"BPC", b"BitsPerComponent")?,
    };
    let colours = match get(b"CS", b"ColorSpace") {
        _ if mask => 1,
        Some(Operand::Array(from, to)) if matches!(op.items[*from..*to].first().and_then(Operand::as_name), Some(b"Indexed" | b"I")) => 1,
        Some(Operand::Name(n)) => match n.as_ref() {
            b"DeviceGray" | b"G" | b"Gray" => 1,
            b"DeviceRGB" | b"RGB" => 3,
            b"DeviceRGBA" | b"RGBA" | b"DeviceCMYK" | b"CMYK" => 4,
            _ => return None,
        },
        _ => return None,
    };
    if get(b"F", b"Filter").is_some() {
        return None;
    }
    bpc.checked_mul(colours)?.checked_mul(width)?.div_ceil(8).checked_mul(height)
}

fn unescape(raw: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\\' => {
                let Some(&c) = raw.get(i + 1) else { return };
                i += 2;
                match c {
                    b'0'..=b'7' => {
                        let mut v = u16::from(c - b'0');
                        for _ in 0..2 {
                            match raw.get(i) {
                                Some(d @ b'0'..=b'7') => {
                                    v = v * 8 + u16::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    b'\r' => i += usize::from(raw.get(i) == Some(&b'\n')),
                    b'\n' => {}
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(b'\x08'),
                    b'f' => out.push(b'\x0C'),
                    other => out.push(other),
                }
            }
            b'\r' => {
                out.push(b'\n');
                i += 1 + usize::from(raw.get(i + 1) == Some(&b'\n'));
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// `int.frac` as `f32::from_str` reads it, bit for bit, when that is one exact division
/// (Clinger's fast path, the one the standard library takes first: a mantissa of at most 2^24
/// over a power of ten f32 holds exactly); `None` for the rest.
fn fast_real(negative: bool, int: &[u8], frac: &[u8]) -> Option<f32> {
    const POW10: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
    let scale = *POW10.get(frac.len())?;
    let mut mantissa = 0u64;
    for d in int.iter().chain(frac) {
        mantissa = mantissa * 10 + u64::from(d - b'0');
        if mantissa > 1 << 24 {
            return None;
        }
    }
    let v = mantissa as f32 / scale;
    Some(if negative { -v } else { v })
}

fn parse_f32(text: &[u8]) -> Option<f32> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|v| v as u8)
}

fn is_white(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

fn is_regular(c: u8) -> bool {
    !is_white(c) && !b"()<>[]{}/%".contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Object;

    /// An operation as text, from lopdf's reader.
    fn lopdf_ops(data: &[u8]) -> Vec<String> {
        fn obj(o: &Object) -> String {
            match o {
                Object::Integer(v) => format!("i{v}"),
                Object::Real(v) => format!("r{:x}", v.to_bits()),
                Object::Boolean(b) => format!("b{b}"),
                Object::Name(n) => format!("/{n:?}"),
                Object::String(s, _) => format!("s{s:?}"),
                Object::Array(a) => format!("[{}]", a.iter().map(obj).collect::<Vec<_>>().join(" ")),
                _ => "o".into(),
            }
        }
        let ops = lopdf::content::Content::decode_iter(data).map_while(Result::ok);
        ops.map(|op| match op.operator.as_str() {
            "BI" => "BI".to_string(),
            _ => format!("{} {}", op.operands.iter().map(obj).collect::<Vec<_>>().join(" "), op.operator),
        })
        .collect()
    }

    /// The same, from ours.
    fn our_ops(data: &[u8]) -> Vec<String> {
        fn operand(op: &Operation, o: &Operand, buf: &mut Vec<u8>) -> String {
            match o {
                Operand::Int(v) => format!("i{v}"),
                Operand::Real(v) => format!("r{:x}", v.to_bits()),
                Operand::Bool(b) => format!("b{b}"),
                Operand::Name(n) => format!("/{:?}", n.to_vec()),
                Operand::Str(s) => {
                    s.decode_into(buf);
                    format!("s{buf:?}")
                }
                Operand::Array(..) => format!("[{}]", op.array(Some(o)).iter().map(|e| operand(op, e, buf)).collect::<Vec<_>>().join(" ")),
                Operand::Other => "o".into(),
            }
        }
        let (mut tokens, mut op, mut buf, mut out) = (Tokens::new(data), Operation::default(), Vec::new(), Vec::new());
        while tokens.next_op(&mut op) {
            out.push(match op.operator {
                b"BI" => "BI".to_string(),
                name => {
                    let operands: Vec<String> = op.operands.iter().map(|o| operand(&op, o, &mut buf)).collect();
                    format!("{} {}", operands.join(" "), String::from_utf8_lossy(name))
                }
            });
        }
        out
    }

    #[test]
    fn reads_what_lopdf_reads_on_odd_streams() {
        let streams: &[&[u8]] = &[
            b"q 1 0 0 1 72.5 -.5 cm BT /F1 12 Tf 1 0 0 1 0 0 Tm (Hello \\(world\\)\\n\\101\\0612) Tj ET Q",
            b"[(A) -120.5 <4142 43> 3 (B)] TJ 0.00-4142502 1.5e3 Td /Na#6de#zz 5 Tf",
            b"%comment\r\n  % another\n/P <</MCID 0 /K [1 0 R 2]>> BDC (a\rb\r\nc\\\r\nd(nested (deep))) Tj EMC",
            b"1 2 3 4 re\nf* 0.5 g true false null 7 d0 +3 -4 ' 1 2 (x) \"",
            b"BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\x01\x02\x03 EI 10 10 m 20 20 l S",
            b"BI /W 2 /H 2 /F /AHx ID 00 EIx EI\n 1 g",
            b"BI /IM true /W 8 /H 1 ID \xff EI (after) Tj",
            b"1 2 % a comment between operands ends the stream\n m",
            b"(unterminated Tj",
            b"99999999999999999999 1 Td (x) Tj",
            b"<414 > Tj <41 zz> Tj",
            b"1 2 Td1 2 Td [1 [2 3] 4] TJ",
            b"16777216.0 16777217.0 0.1 -0.0 .30000001 123456.789 0.00000000001 7.0000000001 -.5 +.25 3. 595.2756 Td",
        ];
        for s in streams {
            assert_eq!(our_ops(s), lopdf_ops(s), "stream {:?}", String::from_utf8_lossy(s));
        }
    }

    /// Every page of the bundled PDFs (Word, WPS, LibreOffice, ONLYOFFICE output), and of the
    /// folders in GONGKAI_CONTENT_CORPUS (colon-separated: the real corpus, say), reads into
    /// the same operations as with lopdf.
    #[test]
    fn reads_what_lopdf_reads_on_every_bundled_pdf() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let extra = std::env::var("GONGKAI_CONTENT_CORPUS").unwrap_or_default();
        let dirs = ["samples/generated", "tests/fixtures/pdf"].iter().map(|d| root.join(d)).chain(extra.split(':').filter(|d| !d.is_empty()).map(Into::into));
        let mut pdfs: Vec<_> = dirs
            .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        pdfs.sort();
        assert!(pdfs.len() >= 5, "bundled PDFs not found under {}", root.display());
        let mut pages = 0;
        for path in &pdfs {
            let Ok(doc) = lopdf::Document::load(path) else { continue };
            for (no, id) in doc.get_pages() {
                let data = doc.get_page_content(id);
                assert_eq!(our_ops(&data), lopdf_ops(&data), "{} page {no}", path.display());
                pages += 1;
            }
        }
        assert!(pages >= 50, "only {pages} pages compared");
    }
}
