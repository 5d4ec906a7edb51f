//! Report metadata from the content (file names lie): department and scope, fiscal year,
//! report type, unit, region tags.

use crate::recognise::catalogue::Family;
use crate::recognise::amount::unit_of_caption;
use crate::report::Metadata;
use gongkai_model::Document;
use regex::Regex;
use std::sync::OnceLock;

/// Title and captions are at the start; narrative context for the region resolver is
/// bounded so that a huge document costs nothing extra.
const TITLE_PARAGRAPHS: usize = 40;
const CONTEXT_CHARS: usize = 6000;

struct Patterns {
    /// `部门：X局（汇总）`, `编制部门：…`, `编制单位：…`
    caption: Regex,
    /// `X局2024年度部门决算` (title on one or two lines)
    dept_then_year: Regex,
    /// `2024年度X局（汇总）部门决算`
    year_then_dept: Regex,
    /// `纳入X局2024年度部门决算编制范围` (narrative-only reports)
    scope_sentence: Regex,
    /// `2024年度部门决算` alone
    year_only: Regex,
    /// `2024年度收入支出决算总表`: workbooks carry the year only in their table titles.
    table_title_year: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        caption: Regex::new(r"(?:编制部门|编制单位|预算单位|单位名称|部门名称|部门)[:：]\s*([^\s:：]{2,40}?)(?:\s|单位[:：]|金额单位|$)").expect("static regex"),
        dept_then_year: Regex::new(r"^([^\d]{2,40}?)(\d{4})年度?(?:[区市县省]级)?(部门|单位)(?:综合)?(决算|预算)").expect("static regex"),
        year_then_dept: Regex::new(r"^(\d{4})年度?([^\d]{2,40}?)(部门|单位)(?:综合)?(决算|预算)").expect("static regex"),
        scope_sentence: Regex::new(r"纳入([^\d，。；]{2,40}?)(\d{4})年度?(?:本)?(部门)(决算|预算)").expect("static regex"),
        year_only: Regex::new(r"^(\d{4})年度?(?:[区市县省]级)?(部门|单位)(?:综合)?(决算|预算)").expect("static regex"),
        table_title_year: Regex::new(r"^(\d{4})年度?[^\d]{0,40}?(决算|预算)[^\d]{0,6}表$").expect("static regex"),
    })
}

/// Text for title matching: no whitespace, no markdown.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '#' | '*' | '-')).collect()
}

/// Splits `X局（汇总）` into (`X局`, `汇总`); `本级` likewise.
pub fn split_scope(name: &str) -> (String, String) {
    let n = squeeze(name).replace('(', "（").replace(')', "）");
    // Leaders and bullets a converter leaves in front of a cover title (`.长春市信访局`).
    let n = n.trim_start_matches(['.', '·', '、', '。', '•', '…', '_']).to_string();
    for (suffix, scope) in [("（汇总）", "汇总"), ("汇总", "汇总"), ("（本级）", "本级"), ("本级", "本级")] {
        if let Some(stem) = n.strip_suffix(suffix) {
            return (stem.to_string(), scope.to_string());
        }
    }
    (n, String::new())
}

/// `第二部分 X局2024年度部门决算表`: a section heading, not part of the name.
fn strip_section(s: &str) -> &str {
    if let Some(rest) = s.strip_prefix('第') {
        if let Some(at) = rest.find("部分") {
            if rest[..at].chars().all(|c| "一二三四五六七八九十".contains(c)) {
                return &rest[at + "部分".len()..];
            }
        }
    }
    s
}

#[derive(Debug, Default)]
struct Title {
    department: Option<String>,
    year: Option<i32>,
    /// 部门 or 单位: which budget the title announces.
    kind: String,
    report_type: Option<String>,
}

/// The cover/title: one paragraph or two consecutive ones (`2024年度` / `X局（汇总）部门决算`).
fn title(paragraphs: &[String]) -> Title {
    let p = patterns();
    for i in 0..paragraphs.len() {
        let one = strip_section(&squeeze(&paragraphs[i])).to_string();
        // A sentence (`纳入X局2024年度部门决算编制范围的单位…`) is not a title.
        if one.starts_with("纳入") || one.contains(['，', '。', '：']) {
            continue;
        }
        // Cover titles wrap: `2026年度` / `福州市医疗保障局` / `部门预算`.
        let two = paragraphs.get(i + 1).map(|n| format!("{one}{}", squeeze(n)));
        let three = paragraphs.get(i + 2).and_then(|n| two.as_ref().map(|t| format!("{t}{}", squeeze(n))));
        for cand in std::iter::once(one.clone()).chain(two).chain(three) {
            let cand = strip_section(&cand);
            if let Some(c) = p.dept_then_year.captures(cand) {
                return Title { department: Some(c[1].to_string()), year: c[2].parse().ok(), kind: c[3].to_string(), report_type: Some(c[4].to_string()) };
            }
            if let Some(c) = p.year_then_dept.captures(cand) {
                return Title { department: Some(c[2].to_string()), year: c[1].parse().ok(), kind: c[3].to_string(), report_type: Some(c[4].to_string()) };
            }
        }
        // `2024年度部门决算` alone, department on no line next to it: year and type only.
        if let Some(c) = p.year_only.captures(&one) {
            return Title { department: None, year: c[1].parse().ok(), kind: c[2].to_string(), report_type: Some(c[3].to_string()) };
        }
    }
    Title::default()
}

fn caption_department(texts: &[String]) -> Option<String> {
    let p = patterns();
    for (i, t) in texts.iter().enumerate() {
        if t.chars().count() > 80 {
            continue;
        }
        if let Some(c) = p.caption.captures(t) {
            return Some(c[1].to_string());
        }
        // `部门：` alone, the name on the next line (one cell per line renderings).
        let s = squeeze(t);
        if matches!(s.as_str(), "部门：" | "部门:" | "编制部门：" | "编制单位：") {
            if let Some(next) = texts.get(i + 1) {
                let n = squeeze(next);
                if (2..=40).contains(&n.chars().count()) && !n.contains("单位") {
                    return Some(n);
                }
            }
        }
    }
    None
}

/// A report-only file (北京 附件2 报表) names its department only in a table's header:
/// `部门名称 | 北京市审计局`.
fn table_department(doc: &Document) -> Option<String> {
    doc.blocks.iter().find_map(|b| {
        let gongkai_model::Block::Table(t) = b else { return None };
        t.text_grid().iter().find_map(|row| {
            let at = row.iter().position(|c| matches!(squeeze(c).as_str(), "部门名称" | "单位名称" | "部门名称：" | "单位名称："))?;
            let name = row[at + 1..].iter().map(|c| squeeze(c)).find(|c| !c.is_empty() && !c.contains("名称"))?;
            (2..=40).contains(&name.chars().count()).then_some(name)
        })
    })
}

/// `（2026年度）` alone on a line under a table title: the year of a report-only file.
fn bracketed_year(paragraphs: &[String]) -> Option<i32> {
    paragraphs.iter().find_map(|p| {
        let s = squeeze(p).replace('(', "（").replace(')', "）");
        let inner = s.strip_prefix('（')?.strip_suffix("年度）")?;
        (inner.len() == 4).then(|| inner.parse().ok()).flatten()
    })
}

/// Reads the metadata of a document. `report_type_hint` is used when no title says it
/// (the tables found are all of one family).
pub fn read(doc: &Document, report_type_hint: &str) -> Metadata {
    let paragraphs: Vec<String> = doc.paragraphs().map(|p| p.text.clone()).collect();
    let head: Vec<String> = paragraphs.iter().take(TITLE_PARAGRAPHS).cloned().collect();
    let title = title(&head);
    let mut department = caption_department(&paragraphs).or(title.department.clone()).or_else(|| table_department(doc));
    let mut year = title.year.or_else(|| bracketed_year(&paragraphs));
    let mut report_type = title.report_type.clone();
    if department.is_none() || year.is_none() {
        let p = patterns();
        if let Some(c) = paragraphs.iter().find_map(|t| p.scope_sentence.captures(&squeeze(t)).map(|c| (c[1].to_string(), c[2].to_string(), c[4].to_string()))) {
            department = department.or(Some(c.0));
            year = year.or(c.1.parse().ok());
            report_type = report_type.or(Some(c.2));
        }
    }
    if year.is_none() {
        let p = patterns();
        if let Some(c) = paragraphs.iter().find_map(|t| p.table_title_year.captures(&squeeze(t)).map(|c| (c[1].to_string(), c[2].to_string()))) {
            year = c.0.parse().ok();
            report_type = report_type.or(Some(c.1));
        }
    }
    let (department, printed_scope) = department.map(|d| split_scope(&d)).unwrap_or_default();
    // 预算: 部门预算 (the department with its units) or 单位预算 (one unit), as the title
    // says; 决算: 汇总 or 本级 as printed after the name.
    let scope = if report_type.as_deref().and_then(Family::of) == Some(Family::Budget) && !title.kind.is_empty() { title.kind.clone() } else { printed_scope };
    // `北京市医疗保障局部门2026年度部门预算`: the word 部门 after the name is not part of it.
    let department = match department.strip_suffix("部门") {
        Some(stem) if stem.chars().count() >= 4 => stem.to_string(),
        _ => department,
    };
    let unit_printed = paragraphs.iter().find_map(|t| unit_of_caption(t)).unwrap_or("").to_string();
    let context: String = paragraphs.iter().flat_map(|p| p.chars().chain(std::iter::once('\n'))).take(CONTEXT_CHARS).collect();
    let region = crate::regions::resolve(&department, &context);
    let mut flags = Vec::new();
    if region.ambiguous {
        flags.push("region_ambiguous".to_string());
    }
    Metadata {
        department,
        scope,
        province: region.province,
        prefecture: region.prefecture,
        county: region.county,
        region_code: region.region_code,
        year,
        report_type: report_type.unwrap_or_else(|| report_type_hint.to_string()),
        unit_printed,
        flags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titled(lines: &[&str]) -> Title {
        title(&lines.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn title_variants() {
        let t = titled(&["西宁市城中区医疗保障局", "2024年度部门决算", "目 录"]);
        assert_eq!((t.department.as_deref(), t.year), (Some("西宁市城中区医疗保障局"), Some(2024)));
        let t = titled(&["附件1：", "2024年度", "德惠市医疗保障局（汇总）部门决算", "2025年9月14日"]);
        assert_eq!((t.department.as_deref(), t.year), (Some("德惠市医疗保障局（汇总）"), Some(2024)));
        let t = titled(&["上海市普陀区规划和自然", "资源局", "2024年度部门决算"]);
        assert_eq!(t.department.as_deref(), Some("上海市普陀区规划和自然资源局"));
        let t = titled(&["2026年度", "福州市医疗保障局", "部门预算"]);
        assert_eq!((t.department.as_deref(), t.report_type.as_deref()), (Some("福州市医疗保障局"), Some("预算")));
        let t = titled(&["# 2024 年度武汉市东西湖区医疗保障局部门决 算公开"]);
        assert_eq!(t.department.as_deref(), Some("武汉市东西湖区医疗保障局"));
        assert_eq!(split_scope("武汉市东西湖区医疗保障局(汇总)"), ("武汉市东西湖区医疗保障局".into(), "汇总".into()));
    }

    #[test]
    fn captions() {
        let c = caption_department(&["部门：\t德惠市医疗保障局（汇总）\t单位：万元".to_string()]);
        assert_eq!(c.as_deref(), Some("德惠市医疗保障局（汇总）"));
        let c = caption_department(&["部门:武汉市东西湖区医疗保障局(汇总)".to_string()]);
        assert_eq!(c.as_deref(), Some("武汉市东西湖区医疗保障局(汇总)"));
    }
}
