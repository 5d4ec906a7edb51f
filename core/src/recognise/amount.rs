//! Printed amounts → exact decimals in 万元.

use rust_decimal::Decimal;
use std::str::FromStr;

/// The printed unit of a table: 万元 unless the caption says 元 (or, rarely, 千元 or 亿元).
///
/// Every `单位` of the line is tried, not only the first: Shanghai prints `编制单位：X局
/// 单位：元` on one line, and stopping at `编制单位` read those tables as 万元 (10,000× too
/// large). A header cell that is only the unit in brackets (`（万元）`) also states it.
pub fn unit_of_caption(text: &str) -> Option<&'static str> {
    // Every line of a document is asked: one without 元, which ends every unit, names none
    // and is refused before any copy.
    if !text.contains('元') {
        return None;
    }
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let after_label = t.match_indices("单位").find_map(|(at, _)| {
        let rest = t[at + "单位".len()..].trim_start_matches([':', '：']);
        let rest = rest.strip_prefix("人民币").unwrap_or(rest);
        UNITS.into_iter().find(|u| rest.starts_with(u))
    });
    after_label.or_else(|| {
        let inner = t.strip_prefix(['（', '('])?.strip_suffix(['）', ')'])?;
        let inner = inner.strip_prefix("人民币").unwrap_or(inner);
        UNITS.into_iter().find(|u| inner == *u)
    })
}

/// Money units as printed, longest first (元 ends all of them).
const UNITS: [&str; 4] = ["万元", "千元", "亿元", "元"];

/// A printed number as an exact decimal: `1,529.16`, `665. 39` (converter noise), `0`.
/// `None` for empty cells and dashes (`--`, `—`, `-`): they are no value.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let cleaned: String =
        text.chars().filter(|c| !c.is_whitespace() && *c != ',' && *c != '，').map(fullwidth_digit).collect();
    if cleaned.is_empty() || cleaned.len() > 40 {
        return None;
    }
    let body = cleaned.strip_prefix('-').unwrap_or(&cleaned);
    let mut dots = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => {}
            '.' => dots += 1,
            _ => return None,
        }
    }
    if dots > 1 || !body.starts_with(|c: char| c.is_ascii_digit()) || body.ends_with('.') {
        return None;
    }
    Decimal::from_str(&cleaned).ok()
}

fn fullwidth_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' => '.',
        '－' => '-',
        _ => c,
    }
}

/// Amounts are kept in 万元: a table printed in 元 is divided by 10000 exactly (千元 by 10,
/// 亿元 multiplied by 10000).
pub fn to_wanyuan(value: Decimal, unit: &str) -> Decimal {
    match unit {
        "元" => (value / Decimal::from(10000)).normalize(),
        "千元" => (value / Decimal::from(10)).normalize(),
        "亿元" => (value * Decimal::from(10000)).normalize(),
        _ => value,
    }
}

/// A classification code as printed: 3 to 7 ASCII digits, nothing else.
pub fn is_code_like(text: &str) -> bool {
    let t = text.trim();
    (3..=7).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_forms() {
        assert_eq!(parse_amount("1,529.16"), Some(Decimal::from_str("1529.16").unwrap()));
        assert_eq!(parse_amount("665. 39"), Some(Decimal::from_str("665.39").unwrap()));
        assert_eq!(parse_amount("0"), Some(Decimal::ZERO));
        assert_eq!(parse_amount("0.00").map(|d| d.to_string()), Some("0.00".to_string()));
        for none in ["", "--", "—", "-", "合计", "1.2.3", "12%"] {
            assert_eq!(parse_amount(none), None, "{none}");
        }
        assert_eq!(to_wanyuan(Decimal::from(12345), "元").to_string(), "1.2345");
        assert_eq!(unit_of_caption("金额单位：元"), Some("元"));
        assert_eq!(unit_of_caption("部门：X局\t单位：万元"), Some("万元"));
        assert_eq!(unit_of_caption("单位：人民币元"), Some("元"));
        assert_eq!(unit_of_caption("金额单位: 千元"), Some("千元"));
        assert_eq!(unit_of_caption("单位：亿元"), Some("亿元"));
        // Shanghai: the unit shares its line with 编制单位.
        assert_eq!(unit_of_caption("编制单位：上海市普陀区商务委员会 单位：元"), Some("元"));
        assert_eq!(unit_of_caption("编制单位：上海市普陀区商务委员会\t金额单位：万元"), Some("万元"));
        assert_eq!(unit_of_caption("编制单位：上海市普陀区商务委员会"), None);
        assert_eq!(unit_of_caption("（万元）"), Some("万元"));
        assert_eq!(unit_of_caption("(元)"), Some("元"));
        assert_eq!(unit_of_caption("（一）一般公共服务支出（万元）"), None);
        assert_eq!(to_wanyuan(Decimal::new(12345, 1), "千元"), Decimal::new(12345, 2));
        assert_eq!(to_wanyuan(Decimal::new(15, 1), "亿元"), Decimal::from(15000));
    }
}
