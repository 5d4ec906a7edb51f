//! Header rows → canonical columns. Headers are several rows deep with merged cells; each
//! grid column gets the path of header texts above it (group → leaf), and the path is
//! matched against the catalogue's printed synonyms.

use crate::recognise::amount::{is_code_like, parse_amount};
use crate::recognise::catalogue::{Family, TableSpec};
use crate::recognise::rows::canonical_name;

/// Header rows are never deeper than this; a table whose data does not start by then is
/// read as if its header ended here.
const MAX_HEADER_ROWS: usize = 8;

/// The header of one table block.
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// First data row.
    pub end: usize,
    /// Per grid column, the header texts from the top group to the leaf (canonicalised,
    /// 栏次 numbers left out).
    pub paths: Vec<Vec<String>>,
    /// How many column numbers the 栏次 row prints (1 2 3 …), 0 when there is none.
    pub lanci_count: usize,
    /// A header row covers fewer positions than the grid is wide: the rendering lost
    /// merged cells (one cell per line), so header positions cannot be trusted.
    pub lost_geometry: bool,
}

/// Canonical text of a cell for matching: whitespace and ordinals removed, full-width parentheses.
pub fn norm(text: &str) -> String {
    canonical_name(text)
}

/// `栏次 | 1 | 2 …` or a bare `1 2 3 … n` row: column numbers, never values.
pub fn is_lanci_row(row: &[String]) -> bool {
    let cells: Vec<String> = row.iter().map(|t| norm(t)).filter(|t| !t.is_empty()).collect();
    if cells.iter().any(|t| t == "栏次") {
        return true;
    }
    cells.len() >= 2 && cells.iter().enumerate().all(|(i, t)| t.parse::<usize>().ok() == Some(i + 1))
}

fn lanci_numbers(row: &[String]) -> usize {
    row.iter().filter(|t| norm(t).parse::<usize>().is_ok()).count()
}

/// A row that carries data: a decimal amount anywhere, or a code/合计 label with a number.
pub fn is_data_row(row: &[String]) -> bool {
    let has_decimal = row.iter().any(|t| parse_amount(t).is_some() && t.contains(['.', ',']));
    if has_decimal {
        return true;
    }
    let label = row.iter().map(|t| norm(t)).find(|t| !t.is_empty()).unwrap_or_default();
    let labelled = is_code_like(&label)
        || label.split(|c: char| !c.is_ascii_digit()).next().is_some_and(|d| (3..=7).contains(&d.len()))
        || matches!(label.as_str(), "合计" | "总计" | "人员经费合计")
        || label.starts_with("一、");
    let numbers = row.iter().skip(1).filter(|t| parse_amount(t).is_some()).count();
    labelled && numbers > 0
}

/// Reads the header of a block: where data starts, the column paths, the 栏次 count.
pub fn read(text: &[Vec<String>], coverage: &[usize], n_cols: usize) -> Header {
    let limit = text.len().min(MAX_HEADER_ROWS);
    let mut end = 0;
    let mut lanci_count = 0;
    let mut header_rows = Vec::new();
    for (r, row) in text.iter().enumerate().take(limit) {
        if is_lanci_row(row) {
            lanci_count = lanci_numbers(row);
            end = r + 1;
            break;
        }
        if is_data_row(row) {
            end = r;
            break;
        }
        header_rows.push(r);
        end = r + 1;
    }
    let lost_geometry = header_rows.iter().any(|&r| coverage.get(r).copied().unwrap_or(n_cols) < n_cols);
    let mut paths = paths(text, &header_rows, n_cols);
    relative_years(&mut paths);
    Header { end, paths, lanci_count, lost_geometry }
}

/// The year a header text starts with (`2026年预算数`, `2025年度执行数`) and the rest.
fn leading_year(text: &str) -> Option<(u32, &str)> {
    let digits = text.get(..4)?;
    let year: u32 = digits.parse().ok().filter(|y| (1990..=2100).contains(y))?;
    let rest = text[4..].strip_prefix('年')?;
    Some((year, rest.strip_prefix('度').unwrap_or(rest)))
}

/// Header texts name their period by year (`2025年执行数 | 2026年预算数`) where the
/// catalogue speaks of 上年 / 本年: the latest year printed in the header is the table's
/// own (its prefix is dropped: `2026年预算数` is `预算数`), an earlier one is `上年`.
fn relative_years(paths: &mut [Vec<String>]) {
    let latest = paths.iter().flatten().filter_map(|t| leading_year(t).map(|(y, _)| y)).max();
    let Some(latest) = latest else { return };
    for text in paths.iter_mut().flatten() {
        if let Some((year, rest)) = leading_year(text) {
            *text = if year == latest { rest.to_string() } else { format!("上年{rest}") };
        }
    }
}

/// Words of a column that compares two figures (增减额, 增长%, 2026年比2025年): never an amount of its own.
const COMPARISON_WORDS: &[&str] = &["增减", "增长", "增幅", "变动", "比上年", "较上年", "同比", "比较", "比20", "较20", "%", "％"];

/// Memo columns of a 预算 table (政府采购 amounts, the part reserved for small firms): a
/// 小计 below them is not the table's 合计.
const MEMO_WORDS: &[&str] = &["政府采购", "中小企业", "小微企业"];

/// Last year's money in a 预算 table: `上年预算数`, `上年执行数`, `2025年执行数`, `决算数`
/// (a 预算 reports last year's outturn, never this year's). `上年结转`, `上年实户资金余额` are
/// not: they are money carried into this year's budget.
fn last_year_kind(path: &[String]) -> Option<&'static str> {
    const CARRIED: &[&str] = &["结转", "结余", "余额", "资金"];
    let outturn = |t: &String| t.contains("执行") || t.contains("决算");
    let last = path.iter().any(|t| t.starts_with("上年") && !CARRIED.iter().any(|w| t.contains(w)));
    if path.iter().any(outturn) {
        Some("上年执行数")
    } else if last {
        Some("上年预算数")
    } else {
        None
    }
}

/// The leaf under a last-year group that carries the group's total (not its 基本支出 part).
fn is_group_total(path: &[String]) -> bool {
    let leaf = path.last().map(String::as_str).unwrap_or("");
    path.len() == 1
        || leaf.starts_with("上年")
        || matches!(leaf, "合计" | "小计" | "总计" | "预算数" | "执行数" | "决算数" | "金额" | "年初预算数" | "预算执行数")
}

/// A 预算 table's column of last year (or a comparison, or a memo): the 上年 canonical
/// column when the catalogue has one and this is the group's total, else no column, so
/// that last year's figures never stand in for this year's 合计 or 基本支出.
fn budget_period_column(spec: &TableSpec, path: &[String]) -> Option<Option<&'static str>> {
    if spec.family != Family::Budget {
        return None;
    }
    if path.iter().any(|t| COMPARISON_WORDS.iter().chain(MEMO_WORDS).any(|w| t.contains(w))) {
        return Some(None);
    }
    let kind = last_year_kind(path)?;
    let column = spec.columns.iter().find(|c| c.canonical == kind).map(|c| c.canonical);
    Some(column.filter(|_| is_group_total(path)))
}

/// Column paths with group headers carried to the right: a tab rendering prints a merged
/// group header once and leaves the positions it covers empty. A cell is carried only
/// inside its own parent group, so a leaf header never leaks into a neighbouring column.
fn paths(text: &[Vec<String>], header_rows: &[usize], n_cols: usize) -> Vec<Vec<String>> {
    let mut filled: Vec<Vec<String>> = Vec::new();
    for (i, &r) in header_rows.iter().enumerate() {
        let mut line: Vec<String> = (0..n_cols).map(|c| text.get(r).and_then(|row| row.get(c)).map(|t| norm(t)).unwrap_or_default()).collect();
        for c in 1..n_cols {
            if !line[c].is_empty() || line[c - 1].is_empty() {
                continue;
            }
            let parent = |k: usize| if i == 0 { String::new() } else { filled[i - 1][k].clone() };
            // Only a group header is carried: it has sub-headers below it.
            let below = header_rows[i + 1..].iter().any(|&n| text.get(n).and_then(|row| row.get(c)).is_some_and(|t| !norm(t).is_empty()));
            if !below {
                continue;
            }
            if i == 0 || (!parent(c).is_empty() && parent(c) == parent(c - 1)) {
                line[c] = line[c - 1].clone();
            }
        }
        filled.push(line);
    }
    (0..n_cols)
        .map(|c| {
            let mut path: Vec<String> = Vec::new();
            for line in &filled {
                let t = &line[c];
                if t.is_empty() || t.parse::<u64>().is_ok() || path.last() == Some(t) {
                    continue;
                }
                path.push(t.clone());
            }
            path
        })
        .collect()
}

/// Is this a 预算 column of another period, a comparison or a memo? Its numbers belong to
/// no label, whether or not it has a canonical (上年) column.
pub fn is_other_period(spec: &TableSpec, path: &[String]) -> bool {
    budget_period_column(spec, path).is_some()
}

/// The canonical column a header path means in this table (and side), if any. The leaf is
/// tried first, then the leaf joined with the texts above it (a header wrapped over two
/// rows: `一般公共预算` / `财政拨款`).
pub fn map_column(spec: &TableSpec, path: &[String], side: &str) -> Option<&'static str> {
    if let Some(column) = budget_period_column(spec, path) {
        return column;
    }
    for k in 1..=path.len() {
        let split = path.len() - k;
        let candidate: String = path[split..].concat();
        let ancestors = &path[..split];
        for c in spec.columns {
            if !(c.side.is_empty() || side.is_empty() || c.side == side) {
                continue;
            }
            let printed = c.printed.iter().any(|p| norm(p) == candidate);
            let placed = c.under.is_empty() || ancestors.iter().any(|a| c.under.iter().any(|u| a == u));
            if printed && placed {
                return Some(c.canonical);
            }
        }
    }
    None
}

/// Does any part of the path contain one of these words (编码, 名称, 行次 …)?
pub fn path_has(path: &[String], words: &[&str]) -> bool {
    path.iter().any(|p| words.iter().any(|w| p.contains(w)))
}

/// Is the leaf of the path exactly this word (类, 款, 项)?
pub fn leaf_is(path: &[String], word: &str) -> bool {
    path.last().is_some_and(|l| l == word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognise::catalogue::spec;

    fn rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines.iter().map(|l| l.split('|').map(|c| c.trim().to_string()).collect()).collect()
    }

    #[test]
    fn group_headers_carry_over_their_span() {
        let t = rows(&["项目||本年支出||", "功能分类科目代码|科目名称|小计|基本支出|项目支出", "|栏次|1|2|3", "|合计|1.00|1.00|"]);
        let h = read(&t, &[5, 5, 5, 5], 5);
        assert_eq!(h.end, 3);
        let s = spec("05").unwrap();
        let cols: Vec<_> = h.paths.iter().map(|p| map_column(s, p, "")).collect();
        assert_eq!(cols, vec![None, None, Some("合计"), Some("基本支出"), Some("项目支出")]);
    }

    #[test]
    fn wrapped_headers_join() {
        let s = spec("04").unwrap();
        let p = vec!["支出".to_string(), "决算数".to_string(), "一般公共预算".to_string(), "财政拨款".to_string()];
        assert_eq!(map_column(s, &p, "支出"), Some("一般公共预算财政拨款"));
    }
}
