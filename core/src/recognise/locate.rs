//! Finding the standard tables: a title or 公开NN表 tag followed by a table block. The table
//! of contents lists every title too; a title there is forgotten once narrative text follows
//! it, so only a title standing right above a table makes a table.

use crate::recognise::amount::unit_of_caption;
use crate::recognise::catalogue::{spec, titles, Family, RowKind, SCHEME_TWINS};
use crate::recognise::read::recognisable;
use crate::recognise::rows::canonical_name;
use gongkai_model::{Block, Cell, Document, Table};

/// A paragraph longer than this is narrative: it ends any pending title.
const NARRATIVE_CHARS: usize = 60;
/// A title line is short; a longer line that happens to end with a title is a sentence.
const TITLE_MAX_CHARS: usize = 40;
/// Generous byte bound of a title line before canonicalisation (spaces, ordinals, a year).
const TITLE_MAX_BYTES: usize = 400;
/// Lines other than captions allowed between a title and its table (a note, a subtitle).
const MAX_LINES_AFTER_TITLE: usize = 3;
/// Between two pieces of one table (page break) only page furniture may stand.
const FURNITURE_CHARS: usize = 12;

/// A standard table as found: its id, the table blocks it spans (continuations included),
/// its unit caption, and the caption texts seen with it.
#[derive(Debug, Clone)]
pub struct Located {
    pub id: &'static str,
    pub blocks: Vec<Table>,
    pub unit: Option<&'static str>,
}

/// A table printed with figures under a title that gongkai does not read: a table outside
/// the catalogue (政府采购预算明细表, 项目绩效目标表), or a standard title over a grid whose
/// header maps to none of the table's columns. Its figures are not records; the documents
/// row names it so that the loss is visible.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Unread {
    /// The title as printed, without its ordinal, year and spaces.
    pub title: String,
    /// The standard table the title names, when it names one.
    pub id: Option<String>,
    pub page: Option<u32>,
    /// Columns of a standard table that was read, printed with figures under headers that
    /// name no column of the table (北京 Y02's 上年结转结余 group, 长沙 本级财政拨款): only these
    /// were not read. Empty when the whole table was not read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

/// What [`find`] saw: the standard tables read, and the tables with figures left unread.
#[derive(Debug, Default)]
pub struct Found {
    pub tables: Vec<Located>,
    pub unread: Vec<Unread>,
}

/// The table id a title line names, if it is one.
pub fn title_id(text: &str) -> Option<&'static str> {
    // Every line of every report comes through here: narrative is refused before any copying.
    if text.len() > TITLE_MAX_BYTES || !could_name_a_table(text) {
        return None;
    }
    let full = strip_year(&canonical_name(text));
    // 西安 prints `…支出表-不含上年结转`: this year's money only, still the table.
    let full = ["-不含上年结转", "—不含上年结转", "（不含上年结转）"].iter().find_map(|s| full.strip_suffix(s)).map(str::to_string).unwrap_or(full);
    let t = strip_tag_suffix(&full);
    if t.is_empty() || t.chars().count() > TITLE_MAX_CHARS || t.ends_with("说明") {
        return None;
    }
    let qualifier = &full[t.len()..];
    let t = unquoted(t);
    let (title, id) = unquoted_titles().iter().find(|(title, _)| t == *title || t.strip_suffix(title.as_str()).is_some_and(|before| !narrows(before, title)))?;
    if misread_longer(&t[..t.len() - title.len()], title) {
        return None;
    }
    let id = *id;
    // 深圳 prints 一般公共预算支出表 twice, （按功能分类） and （按经济分类）: only the copy by the
    // classification the standard table is read by is that table.
    let other_scheme = match spec(id).map(|s| s.rows) {
        Some(RowKind::Functional) => qualifier.contains("经济"),
        Some(RowKind::Economic | RowKind::EconomicGroups) => qualifier.contains("功能"),
        _ => false,
    };
    match other_scheme {
        false => Some(id),
        true => SCHEME_TWINS.iter().find(|(standard, _)| *standard == id).map(|(_, twin)| *twin),
    }
}

/// Whether `text` holds the last character of some title (表 for all of them): a line that
/// lacks it names no table, since a title is matched at the end of the canonical line and
/// canonicalising (spacing, brackets, ordinals, quotes, a year) adds no such character. Most
/// lines are narrative; they are refused here before any copy.
fn could_name_a_table(text: &str) -> bool {
    static ENDS: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let ends = ENDS.get_or_init(|| {
        let mut ends: Vec<char> = unquoted_titles().iter().filter_map(|(title, _)| title.chars().last()).collect();
        ends.sort_unstable();
        ends.dedup();
        ends
    });
    text.contains(ends.as_slice())
}

/// `基本支出总表` (深圳) is not the `支出总表`: 基本 or 项目 in front of a title starting with
/// 支出 names a part of the spending, another table.
fn narrows(before: &str, title: &str) -> bool {
    title.starts_with("支出") && (before.ends_with("基本") || before.ends_with("项目"))
}

/// Whether the text before a matched title is a misread of the rest of a longer title ending
/// in it (OCR's `财政拨获收入支出决算总表` is 04's title, not 01's `收入支出决算总表` with a
/// prefix): at most a third of its characters differ. Such a line names no table — the title
/// above the grid or its 公开NN表 tag does — rather than the wrong one.
fn misread_longer(before: &str, title: &str) -> bool {
    let tail = |n: usize| -> String { before.chars().skip(before.chars().count().saturating_sub(n)).collect() };
    unquoted_titles().iter().any(|(longer, _)| {
        let Some(rest) = longer.strip_suffix(title).filter(|r| !r.is_empty()) else { return false };
        let n = rest.chars().count();
        let misread = (n.saturating_sub(1)..=n + 1).map(|k| strsim::levenshtein(rest, &tail(k))).min().unwrap_or(usize::MAX);
        n >= 2 && misread * 3 <= n
    })
}

/// The catalogue's titles and variants without quotes, longest first (built once).
fn unquoted_titles() -> &'static [(String, &'static str)] {
    static TITLES: std::sync::OnceLock<Vec<(String, &'static str)>> = std::sync::OnceLock::new();
    TITLES.get_or_init(|| titles().into_iter().map(|(title, id)| (unquoted(title), id)).collect())
}

/// `收支总表（预算表1）`: some regions print the table's number after its title; others
/// the classification it is printed by (`一般公共预算支出情况表（按功能分类科目）`,
/// `…基本支出情况表（按经济分类科目）`, `（按支出功能分类）`, 西安's `（支出经济分类科目-不含上年结转）`),
/// which the title already implies, or that it leaves last year's money out.
fn strip_tag_suffix(t: &str) -> &str {
    match t.strip_suffix('）').and_then(|r| r.rfind('（').map(|at| (r, at))) {
        Some((r, at)) if ["表", "分类", "不含上年结转"].iter().any(|k| r[at..].contains(k)) || r[at..].starts_with("（按") => &r[..at],
        _ => t,
    }
}

/// “三公” is printed with curly, straight or CJK quotes, or none.
fn unquoted(s: &str) -> String {
    s.chars().filter(|c| !"“”\"＂〝〞‘’'".contains(*c)).collect()
}

fn strip_year(t: &str) -> String {
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() == 4 {
        let rest = &t[4..];
        let rest = rest.strip_prefix("年度").or_else(|| rest.strip_prefix('年')).unwrap_or(rest);
        return rest.to_string();
    }
    t.to_string()
}

/// `公开01表`, `公开 01 表`, `表1`, `表一` → table id.
pub fn tag_id(text: &str) -> Option<&'static str> {
    // Both shapes hold 表; most lines do not and are refused before any copy.
    if !text.contains('表') {
        return None;
    }
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.chars().count() > TITLE_MAX_CHARS {
        return None;
    }
    let number = if let Some(at) = t.find("公开") {
        let rest = &t[at + "公开".len()..];
        let end = rest.find('表')?;
        parse_number(&rest[..end])?
    } else {
        parse_number(t.strip_prefix('表')?)?
    };
    crate::recognise::catalogue::TABLES.iter().find(|s| s.id.parse::<u32>().ok() == Some(number)).map(|s| s.id)
}

fn parse_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse::<u32>() {
        return Some(n);
    }
    const DIGITS: &str = "一二三四五六七八九";
    let chars: Vec<char> = s.chars().collect();
    let digit = |c: char| DIGITS.chars().position(|d| d == c).map(|p| p as u32 + 1);
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', c] => Some(10 + digit(*c)?),
        _ => None,
    }
}

/// Leading rows of a grid that are captions (title, tag, unit, department): workbook and
/// some PDF renderings put them inside the grid.
fn caption_rows(table: &Table) -> (usize, Vec<String>) {
    let text = table.text_grid();
    let mut captions = Vec::new();
    for row in text.iter().take(6) {
        let distinct: Vec<&String> = {
            let mut v: Vec<&String> = row.iter().filter(|t| !t.trim().is_empty()).collect();
            v.dedup();
            v
        };
        let joined = distinct.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
        let labelled = joined.replace(':', "：");
        let is_caption = distinct.len() <= 3
            && !distinct.is_empty()
            && (title_id(&joined).is_some()
                || titled_like(&joined)
                || distinct.iter().any(|d| tag_id(d).is_some() || unit_of_caption(d).is_some())
                || labelled.contains("部门：")
                || labelled.contains("单位："));
        if !is_caption {
            break;
        }
        captions.push(joined);
    }
    (captions.len(), captions)
}

/// A line shaped like a table's title that names none: short, ending in 表, no amount. A title
/// misread by OCR (`财政拨获收入支出决算总表`) is still a caption, not the grid's header; the
/// title printed above the grid or its 公开NN表 tag names the table.
fn titled_like(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.ends_with('表') && t.chars().count() <= TITLE_MAX_CHARS && !t.chars().any(|c| c.is_ascii_digit())
}

/// Department, unit, date and note lines that stand between a title and its grid.
fn is_caption(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    ["部门", "单位", "编制", "金额", "年度", "（", "("].iter().any(|w| t.starts_with(w)) || t.chars().count() <= 4
}

/// The grid without its first `n` rows.
fn drop_rows(table: &Table, n: usize) -> Table {
    if n == 0 {
        return table.clone();
    }
    let mut t = Table { prov: table.prov.clone(), ..Default::default() };
    for c in table.cells.iter().filter(|c| c.row >= n) {
        t.push(Cell { row: c.row - n, ..c.clone() });
    }
    t.n_cols = t.n_cols.max(table.n_cols);
    t
}

#[derive(Default)]
struct Pending {
    id: Option<&'static str>,
    from_title: bool,
    unit: Option<&'static str>,
    /// Lines since the title that are not captions: paged formats cut narrative into short
    /// visual lines, so length alone does not tell a caption from narrative.
    other_lines: usize,
    family: Option<Family>,
    /// The last short line that named no table: the first half of a wrapped title.
    previous: String,
    /// The pending title as printed (a standard one, or one outside the catalogue).
    title: String,
}

impl Pending {
    fn see(&mut self, text: &str) {
        let family = self.family;
        // A title of the other family is a table of contents entry or a quotation (预算
        // reports name last year's 决算 tables), never this report's table.
        let own = |id: &&'static str| family.is_none_or(|f| spec(id).is_some_and(|s| s.family == f));
        // A title wrapped over two lines (西安's long 三公 title): the line before, joined.
        // Only while no title is pending, and only a long one: the header cells of a
        // rendering wrap too (`一般公共预算财 | 政拨款支出决算 | 表` under its title), and their
        // fragments joined must not name another table (`…支出决算表` is 03).
        let wrapped = || {
            if self.id.is_some() || self.previous.is_empty() {
                return None;
            }
            let joined = format!("{}{text}", self.previous);
            (joined.chars().count() >= 16).then(|| title_id(&joined)).flatten()
        };
        let title = title_id(text).or_else(wrapped).filter(own);
        self.previous = if title.is_none() && text.chars().count() <= TITLE_MAX_CHARS { text.to_string() } else { String::new() };
        if let Some(id) = title {
            *self = Pending { id: Some(id), from_title: true, family, title: title_text(text), ..Default::default() };
        } else if self.id.is_none() && tag_id(text).is_none() && looks_like_title(text) {
            *self = Pending { family, title: title_text(text), ..Default::default() };
            return;
        } else if let Some(id) = tag_id(text).filter(|id| spec(id).is_some_and(|s| family.is_none_or(|f| s.family == f))) {
            // The title wins when both are printed and disagree (regions number differently).
            if !(self.from_title && self.id.is_some()) {
                self.id = Some(id);
            }
        }
        if let Some(u) = unit_of_caption(text) {
            self.unit = Some(u);
        } else if title.is_none() && tag_id(text).is_none() && !is_caption(text) {
            self.other_lines += 1;
            if self.other_lines > MAX_LINES_AFTER_TITLE {
                *self = Pending { family: self.family, previous: std::mem::take(&mut self.previous), ..Default::default() };
            }
        }
    }
}

/// Walks the document and returns the standard tables in order of appearance.
///
/// `family` is the report type from the title (决算/预算, or empty when unknown): a bare
/// number tag (`表2`, `公开02表`) names a table of that family only, since the 预算 family
/// numbers its own tables.
pub fn find(doc: &Document, family: Option<Family>) -> Found {
    let mut found = Found::default();
    let mut pending = Pending { family, ..Default::default() };
    // Paragraphs seen since the last table block, to decide whether the next block continues it.
    let mut since_table: Vec<&str> = Vec::new();
    // Whose the grid just before was, and its width: only that grid can be continued.
    let mut last: Option<(Last, usize)> = None;
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => {
                let text = p.text.trim();
                if text.is_empty() {
                    continue;
                }
                since_table.push(text);
                if text.chars().count() > NARRATIVE_CHARS && !text.starts_with("注") {
                    pending = Pending { family, ..Default::default() };
                } else {
                    pending.see(text);
                }
            }
            Block::Table(table) => {
                let (skip, captions) = caption_rows(table);
                for c in &captions {
                    pending.see(c);
                }
                let body = drop_rows(table, skip);
                let n_cols = body.n_cols;
                let continuing = last.filter(|&(_, cols)| continues(cols, &body, &since_table)).map(|(whose, _)| whose);
                last = found.place(&mut pending, body, table.prov.page, continuing).map(|whose| (whose, n_cols));
                since_table.clear();
            }
        }
    }
    found
}

/// Whose a grid was.
#[derive(Debug, Clone, Copy)]
enum Last {
    Standard,
    Unread,
}

impl Found {
    /// Places one grid: a standard table under its title, the continuation of the grid just
    /// before it, or a table with figures under a title not read. Returns whose grid it
    /// became, if anyone's.
    fn place(&mut self, pending: &mut Pending, body: Table, page: Option<u32>, continuing: Option<Last>) -> Option<Last> {
        let fits = |id: &str| spec(id).is_some_and(|s| recognisable(s, &body));
        let fresh = Pending { family: pending.family, ..Default::default() };
        if let Some(id) = pending.id.filter(|id| fits(id)) {
            self.tables.push(Located { id, blocks: vec![body], unit: pending.unit.take() });
            *pending = fresh;
            return Some(Last::Standard);
        }
        match continuing {
            Some(Last::Standard) => {
                self.tables.last_mut()?.blocks.push(body);
                Some(Last::Standard)
            }
            Some(Last::Unread) => {
                let more = Unread { page, ..self.unread.last()?.clone() };
                self.unread.push(more);
                Some(Last::Unread)
            }
            None if !pending.title.is_empty() && has_figures(&body) => {
                self.unread.push(Unread { title: std::mem::take(&mut pending.title), id: pending.id.map(str::to_string), page, columns: Vec::new() });
                *pending = fresh;
                Some(Last::Unread)
            }
            None => None,
        }
    }
}

/// A line shaped like a table's title (short, ending in 表 once its ordinal, year and a
/// trailing `（表N）` tag are set aside) that names no standard table.
fn looks_like_title(text: &str) -> bool {
    if text.len() > TITLE_MAX_BYTES || !text.contains('表') {
        return false;
    }
    let t = title_text(text);
    // A qualifier after the title (`财政拨款支出表（功能科目）`, `…绩效目标表（一级项目）`).
    let t = t.strip_suffix(['）', ')']).and_then(|q| q.rfind(['（', '(']).map(|at| &q[..at])).unwrap_or(&t);
    titled_like(t) && t.chars().count() >= 4
}

/// A title line as the documents row names it: no ordinal, year, spaces or trailing tag.
fn title_text(text: &str) -> String {
    let full = strip_year(&canonical_name(text));
    strip_tag_suffix(&full).to_string()
}

/// Whether a grid prints at least one amount (a header-only grid, a blank template's codes, a
/// list numbered 1, 2, 3, loses nothing): a non-zero figure with a decimal point or a thousands
/// separator, or an integer of three or more digits that is not shaped like a classification
/// code (3, 5 or 7 digits).
pub(crate) fn has_figures(table: &Table) -> bool {
    table.cells.iter().any(|c| is_figure(c.text.trim()))
}

/// A cell printing money: a non-zero amount with a decimal point or separator, or an integer
/// not shaped like a code (3, 5 or 7 digits) — blank templates and numbered lists print none.
pub(crate) fn is_figure(t: &str) -> bool {
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let shaped = t.contains(['.', ',']) || (digits >= 3 && !(digits == t.len() && matches!(digits, 3 | 5 | 7)));
    shaped && crate::recognise::amount::parse_amount(t).is_some_and(|a| !a.is_zero())
}

/// A block continues the grid just before it (`prev_cols` wide) when nothing but page
/// furniture (a page number) stands between them and the grid is about as wide.
fn continues(prev_cols: usize, body: &Table, between: &[&str]) -> bool {
    let furniture = between.iter().all(|t| t.chars().count() <= FURNITURE_CHARS && !t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) && !"第页共".contains(c)));
    furniture && body.n_rows > 0 && prev_cols.abs_diff(body.n_cols) <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_tags() {
        assert_eq!(title_id("2024 年度财政拨款收入支出决算总表"), Some("04"));
        assert_eq!(title_id("- 一、收入支出决算总表"), Some("01"));
        assert_eq!(title_id("六、一般公共预算财政拨款基本支出决算明细表"), Some("06"));
        assert_eq!(title_id("一、收入支出决算总体情况说明"), None);
        // OCR misreads of a longer title name no table, not the shorter title they end in.
        assert_eq!(title_id("财政拨获收入支出决算总表"), None);
        assert_eq!(title_id("一般公共有预算财政搜教支出决算表"), None);
        assert_eq!(title_id("德惠市医疗保障局收入支出决算总表"), Some("01"));
        assert_eq!(title_id("收支总表（预算表1）"), Some("Y01"));
        assert_eq!(title_id("本年一般公共预算基本支出表(预算表6)"), Some("Y06"));
        // 广州: the classification the table is printed by, in parentheses after the title.
        assert_eq!(title_id("一般公共预算支出情况表（按功能分类科目）"), Some("Y05"));
        assert_eq!(title_id("五、一般公共预算支出情况表(按支出功能分类)"), Some("Y05"));
        assert_eq!(title_id("一般公共预算基本支出情况表（按经济分类科目）"), Some("Y06"));
        assert_eq!(title_id("一般公共预算项目支出情况表（按经济分类科目）"), None);
        assert_eq!(title_id("（七）一般公共预算支出表（按功能分类）"), Some("Y05"));
        assert_eq!(title_id("（八）一般公共预算支出表（按经济分类）"), Some("Y11"));
        assert_eq!(title_id("（三）支出总表"), Some("Y03"));
        assert_eq!(title_id("基本支出总表"), None);
        assert_eq!(title_id("项目支出总表"), Some("Y10"));
        assert_eq!(title_id("一般公共预算支出情况表（单位名称）"), None);
        // 西安 部门综合预算: the functional and economic twins of one title.
        assert_eq!(title_id("部门综合预算一般公共预算支出明细表（按支出功能分类科目）"), Some("Y05"));
        assert_eq!(title_id("部门综合预算一般公共预算支出明细表（按支出经济分类科目）"), Some("Y11"));
        assert_eq!(title_id("部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）"), Some("Y06"));
        assert_eq!(title_id("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）"), Some("Y12"));
        assert_eq!(title_id("部门综合预算政府性基金收支表"), Some("Y08"));
        assert_eq!(title_id("部门综合预算专项业务经费支出表"), Some("Y10"));
        assert_eq!(title_id("部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表"), Some("Y07"));
        assert_eq!(title_id("2020年部门综合预算一般公共预算支出表-不含上年结转"), Some("Y05"));
        // 西安 2022: the classification and the exclusion inside one bracket; 三公 with no 支出.
        assert_eq!(title_id("2022年部门综合预算一般公共预算基本支出明细表（支出经济分类科目-不含上年结转）"), Some("Y06"));
        assert_eq!(title_id("2022年部门综合预算一般公共预算拨款“三公”经费、会议费、培训费表（不含上年结转）"), Some("Y07"));
        assert_eq!(tag_id("公开 01 表"), Some("01"));
        assert_eq!(tag_id("公开11表"), Some("11"));
        assert_eq!(tag_id("表九"), Some("09"));
        assert_eq!(tag_id("表格为空的理由"), None);
    }
}
