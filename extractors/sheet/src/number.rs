//! Numbers as the sheet shows them, without ever doing arithmetic on money.
//!
//! Workbooks store amounts as binary floats (`8.279999999999999` for a printed `8.28`). Excel
//! shows at most 15 significant digits and then applies the cell's number format, so the
//! float is first written with 15 significant digits (exact decimal formatting of the binary
//! value, done by the standard library) and every further step — trimming, rounding to the
//! format's decimals, percent scaling — is done on the decimal digits as text.

/// How a number format shows a number, as far as gongkai cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    /// Fixed decimals (`0.00` → 2, `#,##0` → 0); `None` for General.
    pub decimals: Option<usize>,
    pub percent: bool,
}

/// Reads the section of an Excel format code that applies to `negative`/`zero` values.
/// Returns `None` where the format prints literal text instead of the number (a zero section
/// like `"-"`), with that text.
pub fn shape_of(code: &str, negative: bool, zero: bool) -> Result<Shape, String> {
    let sections = split_sections(code);
    let section = match (sections.len(), negative, zero) {
        (n, _, true) if n >= 3 => sections[2].as_str(),
        (n, true, _) if n >= 2 => sections[1].as_str(),
        _ => sections.first().map_or("", |s| s.as_str()),
    };
    let Section { bare, literal } = read_section(section);
    if bare.eq_ignore_ascii_case("general") || bare.is_empty() && section.trim().is_empty() {
        return Ok(Shape::default());
    }
    // Accounting formats print zero as a dash: a zero section without a `0` placeholder
    // shows its literal text.
    if zero && sections.len() >= 3 && !bare.contains('0') {
        let shown: String = literal.chars().filter(|c| !matches!(c, '?' | '#')).collect();
        if !shown.is_empty() {
            return Err(shown);
        }
    }
    let has_digits = bare.chars().any(|c| matches!(c, '0' | '#' | '?'));
    if !has_digits {
        if bare.to_ascii_lowercase().contains("general") || bare.contains('@') {
            return Ok(Shape::default());
        }
        return Err(literal);
    }
    if bare.contains(['E', 'e']) || bare.contains('/') {
        return Ok(Shape::default()); // scientific and fractions: not worth imitating
    }
    let decimals = match bare.split_once('.') {
        Some((_, frac)) => frac.chars().take_while(|c| matches!(c, '0' | '#' | '?' | ',')).filter(|c| *c != ',').count(),
        None => 0,
    };
    Ok(Shape { decimals: Some(decimals), percent: bare.contains('%') })
}

fn split_sections(code: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == ';' && !quoted {
            out.push(String::new());
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// A format section read once into its two views: `bare`, the code without quoted text,
/// escapes, `[...]` colour/condition blocks and the `_x` (space as wide as x) and `*x` (fill
/// with x) markers; and `literal`, the text a number-less section prints (`"-"` → `-`).
struct Section {
    bare: String,
    literal: String,
}

fn read_section(section: &str) -> Section {
    let (mut bare, mut literal) = (String::new(), String::new());
    let mut chars = section.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    literal.push(q);
                }
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '\\' => literal.extend(chars.next()),
            '_' | '*' => {
                chars.next();
            }
            '(' | ')' | ' ' => bare.push(c),
            other => {
                bare.push(other);
                literal.push(other);
            }
        }
    }
    Section { bare: bare.trim().to_string(), literal: literal.trim().to_string() }
}

/// The text of a float under a format code (`None` = General).
pub fn float_text(value: f64, format: Option<&str>) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    let shape = match format.map(|f| shape_of(f, value < 0.0, value == 0.0)) {
        Some(Ok(shape)) => shape,
        Some(Err(literal)) => return literal,
        None => Shape::default(),
    };
    let decimal = significant15(value);
    let decimal = if shape.percent { shift_point(&decimal, 2) } else { decimal };
    let text = match shape.decimals {
        Some(n) => round_to(&decimal, n),
        None => decimal,
    };
    if shape.percent {
        format!("{text}%")
    } else {
        text
    }
}

/// The value with 15 significant digits, as plain decimal text without trailing zeros.
pub fn significant15(value: f64) -> String {
    let sci = format!("{value:.14e}"); // e.g. "-8.28000000000000e0"
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let point = exp + 1; // digits before the decimal point
    let (int, frac) = if point <= 0 {
        ("0".to_string(), format!("{}{}", "0".repeat((-point) as usize), digits))
    } else if point as usize >= digits.len() {
        (format!("{}{}", digits, "0".repeat(point as usize - digits.len())), String::new())
    } else {
        (digits[..point as usize].to_string(), digits[point as usize..].to_string())
    };
    assemble(negative, &int, frac.trim_end_matches('0'))
}

fn assemble(negative: bool, int: &str, frac: &str) -> String {
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let zero = int == "0" && frac.chars().all(|c| c == '0');
    let sign = if negative && !zero { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// Moves the decimal point `places` to the right (percent display).
fn shift_point(decimal: &str, places: usize) -> String {
    let (negative, body) = match decimal.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, decimal),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut frac = frac.to_string();
    while frac.len() < places {
        frac.push('0');
    }
    let (moved, rest) = frac.split_at(places);
    assemble(negative, &format!("{int}{moved}"), rest.trim_end_matches('0'))
}

/// Rounds decimal text to `places` decimals, half away from zero (as Excel displays).
pub fn round_to(decimal: &str, places: usize) -> String {
    let (negative, body) = match decimal.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, decimal),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(places)).collect();
    let round_up = frac.as_bytes().get(places).is_some_and(|d| *d >= b'5');
    if round_up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - places;
    let int_part = String::from_utf8_lossy(&digits[..split]).into_owned();
    let frac_part = String::from_utf8_lossy(&digits[split..]).into_owned();
    let text = assemble(negative, &int_part, "");
    if places == 0 {
        text
    } else if text == "0" && negative && frac_part.bytes().any(|d| d != b'0') {
        format!("-0.{frac_part}")
    } else {
        format!("{text}.{frac_part}")
    }
}

#[cfg(test)]
#[allow(clippy::excessive_precision)] // literals copied verbatim from the sheet XML
mod tests {
    use super::*;

    #[test]
    fn general_shows_fifteen_significant_digits() {
        assert_eq!(float_text(8.279999999999999, None), "8.28");
        assert_eq!(float_text(665.38, None), "665.38");
        assert_eq!(float_text(350.0, None), "350");
        assert_eq!(float_text(0.1 + 0.2, None), "0.3");
        assert_eq!(float_text(-0.5, None), "-0.5");
        assert_eq!(float_text(1e-7, None), "0.0000001");
        assert_eq!(float_text(123456789012.0, None), "123456789012");
    }

    #[test]
    fn fixed_decimals_follow_the_format() {
        assert_eq!(float_text(456.5, Some("0.00")), "456.50");
        assert_eq!(float_text(8.279999999999999, Some("0.00")), "8.28");
        assert_eq!(float_text(194.4, Some("#,##0.00")), "194.40");
        assert_eq!(float_text(2.675, Some("0.00")), "2.68"); // as displayed: 15 digits first
        assert_eq!(float_text(9.995, Some("0.00")), "10.00");
        assert_eq!(float_text(-1.005, Some("0.00")), "-1.01");
        assert_eq!(float_text(1234.5, Some("0")), "1235");
        assert_eq!(float_text(0.256, Some("0.0%")), "25.6%");
        assert_eq!(float_text(-3.0, Some("0.00;(0.00)")), "-3.00");
        assert_eq!(float_text(0.0, Some(r#"_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)"#)), "-");
        assert_eq!(float_text(5.0, Some("General")), "5");
        assert_eq!(float_text(5.0, Some("@")), "5");
        assert_eq!(float_text(12.5, Some(r#"0.00"万元""#)), "12.50");
    }
}
