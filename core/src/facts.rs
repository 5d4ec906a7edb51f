//! Figures stated in the narrative (情况说明): the headline numbers a report writes out in words
//! next to its tables — totals, 三公经费, 机关运行经费, 政府采购, 国有资产 — and the 相关统计数
//! counts of table 09.
//!
//! The narrative is read as one stream: paragraphs joined in order without separators (PDF
//! lines break mid-sentence), whitespace removed (converters print `665. 39`), split into
//! sentences at 。！？ and at tables. Headings (`二、收入决算情况说明`) set the section, which
//! decides the topic of generic labels (基本支出 in the 支出 section is 支出/基本支出, in the
//! 财政拨款 section 一般公共预算财政拨款基本支出). Every number with a unit is read with the
//! label in front of it; a label the vocabulary does not know yields nothing, so figures of
//! 绩效 appendices and prose stay out.
//!
//! Names follow the gold vocabulary. Year-on-year changes are extra facts named
//! `<name>_增减` (万元, negative for 减少/下降) and `<name>_增减率` (unit `%`), attached to the
//! figure stated just before them in the same sentence.

use crate::recognise::catalogue::Family;
use crate::report::Fact;
use gongkai_model::{Block, Document, Table};
use regex::Regex;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::OnceLock;

/// Reads the narrative figures and table 09's 相关统计数 counts of a document. `family` is
/// the report's (决算 or 预算): a figure its sentence calls neither (`公务接待费3.00万元`) is
/// of the report's own kind.
pub fn extract_facts(doc: &Document, family: Option<Family>) -> Vec<Fact> {
    let stream = Stream::of(doc);
    let bare = if family == Some(Family::Budget) { "预算数" } else { "决算数" };
    let mut out = Vec::new();
    for s in stream.sentences() {
        read_sentence(&stream, s, bare, &mut out);
    }
    for b in &doc.blocks {
        if let Block::Table(t) = b {
            read_count_table(t, &mut out);
        }
    }
    dedup(out)
}

/// The headline totals of a 预算 narrative, named by the catalogue's 预算 narrative links:
/// `收支总预算` (`X局2025年收支总预算50,616.94万元`, `收入预算37,151.47万元`,
/// `收支预算总额…`, `本部门当年预算收入30,331.26万元`), `支出总预算` (`…预算支出…`) and
/// `财政拨款收支总预算`. Called for 预算 reports only: a 决算
/// narrative's 年初预算 figures are not its totals. A label qualified by a fund or an
/// income source (`财政拨款收入预算`, `政府采购预算总额`) is not the total.
pub fn extract_budget_totals(doc: &Document) -> Vec<Fact> {
    static R: OnceLock<Regex> = OnceLock::new();
    let total = re(
        &R,
        r"(财政拨款)?(收支总预算|收支预算总[额数计]|预算收支总[额数计]|收入预算总[额数计]|收入总预算|收入预算|预算收入|部门预算总[额数计]|预算支出)(?:总[额数计])?(?:为|是|共计|合计)?((?:[1-9]\d{0,2}(?:，\d{3})+|\d+)(?:\.\d+)?)(万元|亿元|元)",
    );
    const QUALIFIERS: [&str; 10] = ["一般公共", "政府性基金", "国有资本", "事业", "上级", "其他", "经营", "采购", "项目", "附属"];
    let stream = Stream::of(doc);
    let mut out = Vec::new();
    for (start, end) in stream.sentences() {
        let Some(sentence) = stream.text.get(start..end) else { continue };
        for c in total.captures_iter(sentence) {
            let (Some(whole), Some(v), Some(unit)) = (c.get(0), c.get(3), c.get(4)) else { continue };
            let before = clause_label(sentence, 0, whole.start());
            if QUALIFIERS.iter().any(|q| before.ends_with(q) || before.contains(&format!("{q}收入"))) {
                continue;
            }
            // The bare `预算收入` / `预算支出` are the totals only right after the year or the
            // department (`本部门当年预算收入`, `X局部门预算支出`), not after an item
            // (`因公出国（境）费预算支出`).
            let bare = c.get(2).is_some_and(|k| matches!(k.as_str(), "预算收入" | "预算支出"));
            if bare && !(before.is_empty() || ["年", "部门", "单位"].iter().any(|w| before.ends_with(w))) {
                continue;
            }
            let Some(value) = parse_number(v.as_str()).and_then(|x| to_wan(x, unit.as_str())) else { continue };
            let spending = c.get(2).is_some_and(|k| k.as_str() == "预算支出");
            let (topic, name) = match (c.get(1).is_some(), spending) {
                (true, _) => ("财政拨款", "财政拨款收支总预算"),
                (false, false) => ("收支总体", "收支总预算"),
                (false, true) => ("收支总体", "支出总预算"),
            };
            if !out.iter().any(|f: &Fact| f.name == name) {
                out.push(fact(topic, name, value, "万元", sentence));
            }
        }
    }
    out
}

/// The part of the report a figure belongs to, from the last heading before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Other,
    Overall,
    Income,
    Spending,
    Appropriation,
    Basic,
    ThreePublic,
    Running,
    Procurement,
    Assets,
}

fn section_of_heading(title: &str) -> Section {
    let has = |words: &[&str]| words.iter().any(|w| title.contains(w));
    if has(&["三公", "培训费", "会议费"]) {
        Section::ThreePublic
    } else if has(&["机关运行经费"]) {
        Section::Running
    } else if has(&["政府采购"]) {
        Section::Procurement
    } else if has(&["国有资产"]) {
        Section::Assets
    } else if has(&["绩效", "名词解释", "职责", "机构", "人员情况", "其他"]) {
        Section::Other
    } else if has(&["基本支出"]) {
        Section::Basic
    } else if has(&["财政拨款", "政府性基金", "国有资本经营"]) {
        Section::Appropriation
    } else if has(&["收入支出决算总体", "收支决算总体", "收支总体", "结转结余", "收支情况"]) {
        Section::Overall
    } else if has(&["收入"]) {
        Section::Income
    } else if has(&["支出"]) {
        Section::Spending
    } else {
        Section::Other
    }
}

/// The narrative as one normalised string, with sentence breaks and section starts by offset.
struct Stream {
    text: String,
    /// Byte offsets where a table interrupted the narrative: a sentence ends there.
    breaks: Vec<usize>,
    /// (byte offset, section) in increasing offset order.
    sections: Vec<(usize, Section)>,
    /// Byte offsets where a heading ends: a label never reaches back over a heading.
    heading_ends: Vec<usize>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    // The patterns are constants of this file; a typo is caught by the tests, never by users.
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| panic!("facts regex {pattern}: {e}")))
}

fn heading_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(?:第[一二三四五六七八九十]+部分)?(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)([^。；，：]{0,40}?(?:情况说明|说明|情况))")
}

/// Whitespace and markdown emphasis removed, half-width parentheses, colons and digits made
/// uniform, so `665. 39` and `（含）`/`(含)` read the same.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_whitespace() => {}
            '*' | '#' => {}
            '(' => out.push('（'),
            ')' => out.push('）'),
            ':' => out.push('：'),
            ';' => out.push('；'),
            ',' => out.push('，'),
            '．' => out.push('.'),
            '０'..='９' => out.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            c => out.push(c),
        }
    }
    out
}

fn strip_bookmarks(s: &str) -> String {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"\[bookmark：[^\]]*\]").replace_all(s, "").into_owned()
}

impl Stream {
    fn of(doc: &Document) -> Self {
        let mut st = Stream { text: String::new(), breaks: Vec::new(), sections: vec![(0, Section::Other)], heading_ends: Vec::new() };
        for b in &doc.blocks {
            match b {
                Block::Paragraph(p) => st.push_paragraph(&p.text),
                // A text line ending in a tab reads as a one-cell table; it is a paragraph.
                Block::Table(t) => match single_cell(t) {
                    Some(text) => st.push_paragraph(text),
                    None => st.breaks.push(st.text.len()),
                },
            }
        }
        st
    }

    fn push_paragraph(&mut self, raw: &str) {
        let text = strip_bookmarks(&normalise(raw));
        let at = self.text.len();
        if let Some(c) = heading_re().captures(&text) {
            if let (Some(whole), Some(title)) = (c.get(0), c.get(1)) {
                self.sections.push((at, section_of_heading(title.as_str())));
                self.heading_ends.push(at + whole.end());
            }
        } else if text.contains("名词解释") && text.chars().count() < 30 {
            self.sections.push((at, Section::Other));
            self.heading_ends.push(at + text.len());
        }
        self.text.push_str(&text);
    }

    /// Where the label of a figure at `offset` may start at the earliest.
    fn label_floor(&self, offset: usize) -> usize {
        self.heading_ends.iter().copied().filter(|&e| e <= offset).max().unwrap_or(0)
    }

    fn section_at(&self, offset: usize) -> Section {
        self.sections.iter().take_while(|(o, _)| *o <= offset).last().map_or(Section::Other, |(_, s)| *s)
    }

    /// Byte ranges of the sentences.
    fn sentences(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut breaks = self.breaks.iter().peekable();
        for (i, c) in self.text.char_indices() {
            while let Some(&&b) = breaks.peek() {
                if b > i {
                    break;
                }
                if b > start {
                    out.push((start, b));
                }
                start = start.max(b);
                breaks.next();
            }
            if matches!(c, '。' | '！' | '？') {
                let end = i + c.len_utf8();
                out.push((start, end));
                start = end;
            }
        }
        if start < self.text.len() {
            out.push((start, self.text.len()));
        }
        out
    }
}

fn single_cell(t: &Table) -> Option<&str> {
    let mut texts = t.cells.iter().map(|c| c.text.trim()).filter(|s| !s.is_empty());
    let first = texts.next()?;
    texts.next().is_none().then_some(first)
}

/// A number with its unit: `665.38万元`, `1,529.16万元`, `0辆`, `7人次`, `41.67%`.
fn number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // Thousands separators only after a leading 1-3 digit group: `0，100人次` is two numbers.
    re(&R, r"((?:[1-9]\d{0,2}(?:，\d{3})+|\d+)(?:\.\d+)?)(万元|亿元|元|辆|人次|批次|个|人|台（套）|台|套|次|%)")
}

/// `单价100万元（含）以上设备（不含车辆）0台`: the 100万元 is part of the name, not a figure.
fn equipment_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"((?:单价|单位价值)\d+万元(?:（含）)?以上[^，。；、\d]{0,12}?设备)(?:（不含车辆）)?(\d+)(台（套）|台|套)")
}

/// `社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）：支出决算为8.16万元`
fn xiang_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(?:([^（）。，；：\d.、]+)（类）)?(?:\d+[.、])?([^（）。，；：\d]+)（款）([^（）。，；：]+)（项）：?(?:支出决算为|支出决算|决算为|决算数为|支出)((?:[1-9]\d{0,2}(?:，\d{3})+|\d+)(?:\.\d+)?)万元")
}

fn parse_number(s: &str) -> Option<Decimal> {
    Decimal::from_str(&s.replace('，', "")).ok()
}

/// Amount in 万元 for a money unit; exact decimal scaling.
fn to_wan(v: Decimal, unit: &str) -> Option<Decimal> {
    match unit {
        "万元" => Some(v),
        "元" => v.checked_div(Decimal::from(10_000)),
        "亿元" => v.checked_mul(Decimal::from(10_000)),
        _ => None,
    }
}

/// The 类 of the functional classification, as narratives name them. 其他支出 and 预备费 are
/// left out: as narrative labels they are too ambiguous.
const CLASSES: [&str; 27] = [
    "一般公共服务支出",
    "外交支出",
    "国防支出",
    "公共安全支出",
    "教育支出",
    "科学技术支出",
    "文化旅游体育与传媒支出",
    "社会保障和就业支出",
    "社会保险基金支出",
    "卫生健康支出",
    "节能环保支出",
    "城乡社区支出",
    "农林水支出",
    "交通运输支出",
    "资源勘探工业信息等支出",
    "商业服务业等支出",
    "金融支出",
    "援助其他地区支出",
    "自然资源海洋气象等支出",
    "住房保障支出",
    "粮油物资储备支出",
    "国有资本经营预算支出",
    "灾害防治及应急管理支出",
    "债务付息支出",
    "债务发行费用支出",
    "抗疫特别国债安排的支出",
    "其他政府性基金及对应专项债务收入安排的支出",
];

/// What the figures of one sentence refer back to.
#[derive(Default)]
struct SentenceState {
    /// (topic, names) of the last money figure: the subject of `支出决算为…` and of changes.
    subject: Option<(String, Vec<String>)>,
    /// The 三公 item being talked about (`公务接待费`), for `支出决算为…` and `共计支出…`.
    sangong_item: Option<String>,
    /// The last count context: 出国, 国内公务接待, 外宾接待, 外事接待.
    count_ctx: Option<String>,
    /// The last figure was a 年初预算: the 类 listed next are its breakdown.
    budget_context: bool,
    /// The last change was against the budget: the percentage after it is too.
    versus_budget: bool,
    /// The kind of a figure named neither 决算 nor 预算: the report's own.
    bare: &'static str,
    /// The year the sentence's first dated figure is of: a later figure dated earlier
    /// (`2026年…7.61万元，2025年预算数为9.23万元`) is last year's, no fact of this report.
    year: Option<u32>,
}

/// The year a label dates its figure by (`2025年预算数为`), the last one it names.
fn label_year(label: &str) -> Option<u32> {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(20\d\d)\s*年").captures_iter(label).last().and_then(|c| c[1].parse().ok())
}

fn read_sentence(stream: &Stream, (start, end): (usize, usize), bare: &'static str, out: &mut Vec<Fact>) {
    let Some(sentence) = stream.text.get(start..end) else { return };
    for c in equipment_re().captures_iter(sentence) {
        if let (Some(name), Some(v)) = (c.get(1), c.get(2)) {
            if let Some(value) = parse_number(v.as_str()) {
                // `预算安排购置…设备0台`, `计划购置车辆…；单价100万元以上设备1台` state this year's
                // purchases, not the holdings the same phrase states: named as printed, 购置 first.
                let before = &sentence[..name.start()];
                let planned = before.ends_with("购置") || ["安排购置", "计划购置", "拟购置", "预算购置"].iter().any(|w| before.contains(w));
                let name = if planned { format!("购置{}", name.as_str()) } else { name.as_str().to_string() };
                out.push(fact("国有资产", &name, value, "台（套）", sentence));
            }
        }
    }
    // The equipment phrase is blanked (same byte length, ASCII) so its 100万元 is not a figure;
    // a sentence without one (nearly all) is read in place.
    let masked = equipment_re().replace_all(sentence, |c: &regex::Captures| "_".repeat(c[0].len()));

    if stream.section_at(start) == Section::Appropriation || masked.contains("（类）") {
        read_xiang(&masked, sentence, out);
    }

    let mut st = SentenceState { bare, ..SentenceState::default() };
    let mut label_start = 0;
    for c in number_re().captures_iter(&masked) {
        let (Some(whole), Some(num), Some(unit)) = (c.get(0), c.get(1), c.get(2)) else { continue };
        let floor = stream.label_floor(start + whole.start()).saturating_sub(start);
        let label = clause_label(&masked, label_start.max(floor).min(whole.start()), whole.start());
        label_start = whole.end();
        let Some(value) = parse_number(num.as_str()) else { continue };
        let section = stream.section_at(start + whole.start());
        read_figure(section, &label, value, unit.as_str(), sentence, &mut st, out);
    }
}

/// The text between the previous figure (or clause start) and this number.
fn clause_label(s: &str, from: usize, to: usize) -> String {
    let Some(span) = s.get(from..to) else { return String::new() };
    let cut = span.rfind(['，', '；', '：', '。']).map_or(0, |i| i + span[i..].chars().next().map_or(0, char::len_utf8));
    let label = span.get(cut..).unwrap_or_default();
    label
        .trim_start_matches(['、', '）', '_'])
        .replace("（类）", "")
        .replace(['“', '”', '"'], "")
}

fn fact(topic: &str, name: &str, value: Decimal, unit: &str, sentence: &str) -> Fact {
    Fact { topic: topic.into(), name: name.into(), value, unit: unit.into(), sentence: sentence.into() }
}

fn read_xiang(masked: &str, sentence: &str, out: &mut Vec<Fact>) {
    use crate::classify::{code_of_name, lei_of_name, Scheme};
    for c in xiang_re().captures_iter(masked) {
        let (Some(kuan), Some(xiang), Some(v)) = (c.get(2), c.get(3), c.get(4)) else { continue };
        let Some(value) = parse_number(v.as_str()) else { continue };
        let lei = c.get(1).map_or("", |m| m.as_str());
        let kuan_code = lei_of_name(lei).and_then(|l| code_of_name(Scheme::Functional, kuan.as_str(), Some(l)));
        let code = kuan_code.and_then(|k| code_of_name(Scheme::Functional, xiang.as_str(), Some(k)));
        let name = match code {
            Some(code) => format!("{}/{}（{code}）", kuan.as_str(), xiang.as_str()),
            None => format!("{}/{}", kuan.as_str(), xiang.as_str()),
        };
        out.push(fact("财政拨款", &name, value, "万元", sentence));
    }
}

const CHANGE_UP: [&str; 5] = ["增加", "增长", "上升", "提高", "增"];
const CHANGE_DOWN: [&str; 5] = ["减少", "下降", "降低", "减低", "减"];

/// How a label ends: `…比上年减少` is a change, `…比年初预算数减少` a difference from the
/// budget (not a year-on-year change, and not a figure of its own).
enum Tail {
    Figure,
    Change(Decimal, String),
    VersusBudget,
}

fn tail_of(label: &str) -> Tail {
    static R: OnceLock<Regex> = OnceLock::new();
    let tail = re(&R, r"（[^）]*）$").replace(label, "").into_owned();
    let verb = CHANGE_DOWN
        .iter()
        .map(|w| (w, Decimal::NEGATIVE_ONE))
        .chain(CHANGE_UP.iter().map(|w| (w, Decimal::ONE)))
        .find(|(w, _)| tail.ends_with(*w));
    let Some((w, sign)) = verb else { return Tail::Figure };
    let versus_budget = label.contains("预算") && !label.contains("上年") && !label.contains("年度相比");
    if versus_budget {
        return Tail::VersusBudget;
    }
    let subject = tail.strip_suffix(*w).unwrap_or(&tail).trim_end_matches(['各', '均']).to_string();
    Tail::Change(sign, subject)
}

/// A label that prints a 款 or 项 code in brackets (`8.其他成人教育支出（2050499）`, 西安) is
/// about that row, even when its name contains a 类's (教育支出).
fn names_row_below_class(label: &str) -> bool {
    label.split('（').skip(1).any(|part| {
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        matches!(digits, 5 | 7) && part[digits..].starts_with('）')
    })
}

/// A label whose last clause names an expense item of its own (`其中：办公费`, `、工会经费`,
/// `其他商品和服务支出`): a part of the 机关运行经费 listed after it, not the total again.
/// `支出决算` and `年度预算` name no item: only what is left once such words are gone does.
fn names_another_item(label: &str) -> bool {
    const GENERIC: [&str; 15] = ["年度", "全年", "本年", "当年", "实际", "预算", "决算", "合计", "总计", "安排", "年", "数", "为", "是", "共"];
    let clause = label.rsplit(['，', '、', '：', ':', '；', ';']).next().unwrap_or(label);
    if clause.contains("运行经费") || clause.contains("公用经费") {
        return false;
    }
    let item = GENERIC.iter().fold(clause.trim().to_string(), |c, w| c.replace(w, ""));
    let item = item.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    item.contains('费') || item.find("支出").is_some_and(|at| at > 0)
}

/// The name of the term that ends last in `label` (ties: the longest term): the words right
/// before a number name it, earlier words are context.
fn latest<'a>(label: &str, terms: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<&'a str> {
    terms
        .into_iter()
        .filter_map(|(w, n)| label.rfind(w).map(|i| (i + w.len(), w.len(), n)))
        .max_by_key(|(end, len, _)| (*end, *len))
        .map(|(_, _, n)| n)
}

/// 决算数 or 预算数 by whichever word comes last; bare 支出/费 is spending, i.e. 决算数.
fn budget_or_actual(label: &str, bare: &'static str) -> Option<&'static str> {
    match (label.rfind("决算"), label.rfind("预算")) {
        (Some(a), Some(b)) => Some(if a > b { "决算数" } else { "预算数" }),
        (Some(_), None) => Some("决算数"),
        (None, Some(_)) => Some("预算数"),
        (None, None) => (label.contains("支出") || label.contains("费")).then_some(bare),
    }
}

fn read_figure(section: Section, label: &str, value: Decimal, unit: &str, sentence: &str, st: &mut SentenceState, out: &mut Vec<Fact>) {
    let tail = tail_of(label);
    if unit == "%" {
        if st.versus_budget {
            return;
        }
        if let (Tail::Change(sign, _), Some((topic, names))) = (tail, &st.subject) {
            for n in names {
                out.push(fact(topic, &format!("{n}_增减率"), sign * value, "%", sentence));
            }
        }
        return;
    }
    if let Some(wan) = to_wan(value, unit) {
        st.versus_budget = matches!(tail, Tail::VersusBudget);
        let dated = matches!(tail, Tail::Figure).then(|| label_year(label)).flatten();
        let last_years = dated.zip(st.year).is_some_and(|(year, first)| year < first);
        st.year = st.year.or(dated);
        match tail {
            Tail::VersusBudget => {}
            Tail::Change(sign, subject) => {
                if let Some(named) = money_names(section, &subject, st) {
                    st.subject = Some(named);
                }
                if let Some((topic, names)) = &st.subject {
                    for n in names {
                        out.push(fact(topic, &format!("{n}_增减"), sign * wan, "万元", sentence));
                    }
                }
            }
            Tail::Figure if last_years => st.subject = None,
            Tail::Figure => match money_names(section, label, st) {
                Some((topic, names)) => {
                    for n in &names {
                        out.push(fact(&topic, n, wan, "万元", sentence));
                    }
                    st.budget_context = names.iter().any(|n| n.contains("年初预算"));
                    st.subject = Some((topic, names));
                }
                // A figure the vocabulary does not name (a 项 of its own, an item under a
                // heading of its own): the changes after it are its, not the last named figure's.
                None => st.subject = None,
            },
        }
        return;
    }
    if let Some((topic, name, unit)) = count_name(section, label, unit, st) {
        out.push(fact(topic, &name, value, unit, sentence));
    }
}

fn money_names(section: Section, label: &str, st: &mut SentenceState) -> Option<(String, Vec<String>)> {
    let has = |w: &str| label.contains(w);
    let one = |topic: &str, name: &str| Some((topic.to_string(), vec![name.to_string()]));
    if has("授予小微企业") {
        return one("政府采购", "授予小微企业合同金额");
    }
    if has("授予中小企业") {
        return one("政府采购", "授予中小企业合同金额");
    }
    if has("政府采购") || section == Section::Procurement {
        let terms = [
            ("货物支出", "政府采购货物支出"),
            ("工程支出", "政府采购工程支出"),
            ("服务支出", "政府采购服务支出"),
            ("政府采购支出总额", "政府采购支出总额"),
            ("政府采购总额", "政府采购支出总额"),
            ("政府采购支出合计", "政府采购支出总额"),
            ("政府采购支出共", "政府采购支出总额"),
        ];
        if let Some(n) = latest(label, terms) {
            return one("政府采购", n);
        }
        if section == Section::Procurement {
            return None;
        }
    }
    let running_subject = st.subject.as_ref().is_some_and(|(t, _)| t == "机关运行经费");
    if has("机关运行经费") || (section == Section::Running && running_subject) {
        if !has("机关运行经费") && names_another_item(label) {
            return None;
        }
        return one("机关运行经费", budget_or_actual(label, st.bare)?);
    }
    if section == Section::ThreePublic || has("三公") {
        return sangong_money(label, st);
    }
    if matches!(section, Section::Running | Section::Assets | Section::Other) {
        return None;
    }
    // The 基本支出 paragraph reads the same under a lost heading (PDF renderings drop some).
    if matches!(section, Section::Appropriation | Section::Basic) {
        let terms = [("人员经费", "人员经费"), ("公用经费", "公用经费"), ("一般公共预算财政拨款基本支出", "一般公共预算财政拨款基本支出")];
        if let Some(n) = latest(label, terms) {
            return one("基本支出", n);
        }
    }
    generic_money(section, label, st)
}

fn sangong_money(label: &str, st: &mut SentenceState) -> Option<(String, Vec<String>)> {
    let items = [
        ("三公", ""),
        ("因公出国", "因公出国（境）费"),
        ("公务用车购置及运行", "公务用车购置及运行维护费"),
        ("公务用车购置", "公务用车购置费"),
        ("公务用车运行", "公务用车运行维护费"),
        ("国内公务接待", "国内公务接待费"),
        ("国内接待", "国内公务接待费"),
        ("外事接待", "外事接待费"),
        ("外宾接待", "外宾接待费"),
        ("公务接待", "公务接待费"),
        ("培训费", "培训费"),
        ("会议费", "会议费"),
    ];
    let item = match latest(label, items) {
        Some(i) => {
            st.sangong_item = Some(i.to_string());
            i.to_string()
        }
        // `支出决算为0.11万元`, `共计支出0.07万元`: the item named before in the sentence.
        None if label.contains("决算") || label.contains("预算") || label.contains("支出") => st.sangong_item.clone()?,
        None => return None,
    };
    Some(("三公经费".into(), vec![format!("{item}{}", budget_or_actual(label, st.bare)?)]))
}

fn generic_money(section: Section, label: &str, st: &SentenceState) -> Option<(String, Vec<String>)> {
    let has = |w: &str| label.contains(w);
    let both = |topic: &str, a: &str, b: &str| Some((topic.to_string(), vec![a.to_string(), b.to_string()]));
    let one = |topic: &str, name: &str| Some((topic.to_string(), vec![name.to_string()]));
    let pair_total = ["收入、支出总计", "收、支总计", "收入总计、支出总计", "收支总计", "收入和支出总计"].iter().any(|w| has(w));
    // A 类 listed after 年初预算 is the budget's breakdown, not spending; a label naming a
    // 款 or 项 is about that row, not its 类.
    let below_class = has("（款）") || has("（项）") || names_row_below_class(label);
    let classes = CLASSES.iter().filter(|_| !st.budget_context && !below_class).map(|c| (*c, *c));
    match section {
        Section::Overall if !has("财政拨款") => {
            if pair_total {
                return both("收支总体", "收入总计", "支出总计");
            }
            let terms = [("收入总计", "收入总计"), ("支出总计", "支出总计"), ("年末结转", "年末结转和结余")];
            latest(label, terms).and_then(|n| one("收支总体", n))
        }
        // `上年结转结余的一般公共预算收入0万元` is last year's money carried over, not this
        // year's income the vocabulary names.
        // `年终结转结余资金0万元` under 支出 is money carried into next year, not spending.
        Section::Income | Section::Appropriation | Section::Spending if carried_over(label) => None,
        Section::Income => {
            let terms = [
                ("年初预算收入", "年初预算收入"),
                ("本年收入合计", "本年收入合计"),
                ("收入合计", "本年收入合计"),
                ("决算报表收入", "本年收入合计"),
                ("一般公共预算财政拨款收入", "一般公共预算财政拨款收入"),
                ("一般公共预算收入", "一般公共预算财政拨款收入"),
                ("政府性基金预算财政拨款收入", "政府性基金预算财政拨款收入"),
                ("国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款收入"),
                ("财政拨款收入", "财政拨款收入"),
                ("上级补助收入", "上级补助收入"),
                ("附属单位上缴收入", "附属单位上缴收入"),
                ("其他收入", "其他收入"),
                ("事业收入", "事业收入"),
                ("经营收入", "经营收入"),
            ];
            latest(label, terms).and_then(|n| one("收入", n))
        }
        Section::Spending => {
            let terms = [
                ("年初预算支出", "年初预算支出"),
                ("本年支出合计", "本年支出合计"),
                ("支出合计", "本年支出合计"),
                ("决算报表支出", "本年支出合计"),
                ("基本支出", "基本支出"),
                ("基本支出合计", "基本支出"),
                ("项目支出", "项目支出"),
                ("项目支出合计", "项目支出"),
                ("上缴上级支出", "上缴上级支出"),
                ("对附属单位补助支出", "对附属单位补助支出"),
                ("经营支出", "经营支出"),
            ];
            latest(label, terms.into_iter().chain(classes)).and_then(|n| one("支出", n))
        }
        Section::Appropriation | Section::Overall => {
            let t = "财政拨款";
            if pair_total {
                return both(t, "财政拨款收入总计", "财政拨款支出总计");
            }
            let general = "一般公共预算财政拨款支出";
            let terms = [
                (general, general),
                ("一般公共预算财政拨款收入", "一般公共预算财政拨款收入"),
                ("政府性基金预算财政拨款收入", "政府性基金预算财政拨款收入"),
                ("国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款收入"),
                ("政府性基金预算财政拨款支出", "政府性基金预算财政拨款支出"),
                ("政府性基金预算支出", "政府性基金预算财政拨款支出"),
                ("国有资本经营预算财政拨款支出", "国有资本经营预算财政拨款支出"),
                ("国有资本经营预算支出", "国有资本经营预算财政拨款支出"),
                ("基本支出", "一般公共预算财政拨款基本支出"),
                ("项目支出", "一般公共预算财政拨款项目支出"),
            ];
            match latest(label, terms.into_iter().chain(classes)) {
                Some(n) if n == general => {
                    let after = label.rfind(general).and_then(|i| label.get(i + general.len()..)).unwrap_or_default();
                    one(t, if budget_or_actual(after, "决算数") == Some("预算数") { "一般公共预算财政拨款支出年初预算" } else { general })
                }
                Some(n) => one(t, n),
                None => {
                    // `支出决算为665.38万元` after `年初预算为751.54万元`.
                    let follows_budget = st.subject.as_ref().is_some_and(|(_, n)| n.iter().any(|n| n.starts_with(general)));
                    (follows_budget && has("决算")).then(|| (t.to_string(), vec![general.to_string()]))
                }
            }
        }
        Section::Basic => {
            let terms = [("人员经费", "人员经费"), ("公用经费", "公用经费"), ("基本支出", "一般公共预算财政拨款基本支出")];
            latest(label, terms).and_then(|n| one("基本支出", n))
        }
        _ => None,
    }
}

fn carried_over(label: &str) -> bool {
    ["上年结转", "结转结余", "结转和结余", "年初结转"].iter().any(|w| label.contains(w))
}

fn count_name(section: Section, label: &str, unit: &str, st: &mut SentenceState) -> Option<(&'static str, String, &'static str)> {
    let has = |w: &str| label.contains(w);
    let people = matches!(unit, "人次" | "人");
    if unit == "辆" {
        if section == Section::Assets || (has("车辆") && has("共有")) {
            return (has("车辆") && (has("共有") || has("拥有"))).then(|| ("国有资产", "车辆".to_string(), "辆"));
        }
        if section != Section::ThreePublic && !has("公务用车") {
            return None;
        }
        if has("保有") || has("共有公务用车") {
            return Some(("三公经费统计数", "公务用车保有量".into(), "辆"));
        }
        if has("购置") {
            return Some(("三公经费统计数", "公务用车购置数".into(), "辆"));
        }
        return None;
    }
    if section != Section::ThreePublic && !has("出国") && !has("接待") && st.count_ctx.is_none() {
        return None;
    }
    let ctx = if has("出国") {
        Some("出国")
    } else if has("外事") {
        Some("外事接待")
    } else if has("外宾") || has("国（境）外") || has("境外") || has("国外") {
        Some("外宾接待")
    } else if has("接待") || has("来访") {
        Some("国内公务接待")
    } else {
        None
    };
    if let Some(c) = ctx {
        st.count_ctx = Some(c.to_string());
        st.sangong_item = Some(if c == "出国" { "因公出国（境）费".into() } else { format!("{c}费") });
    }
    let ctx = st.count_ctx.clone()?;
    if ctx == "出国" {
        return if people {
            Some(("三公经费统计数", "因公出国（境）人次数".into(), "人次"))
        } else if has("团组") && matches!(unit, "个" | "次") {
            Some(("三公经费统计数", "因公出国（境）团组数".into(), "个"))
        } else {
            None
        };
    }
    if people {
        Some(("三公经费统计数", format!("{ctx}人次"), "人次"))
    } else if matches!(unit, "批次" | "个" | "次") {
        Some(("三公经费统计数", format!("{ctx}批次"), "个"))
    } else {
        None
    }
}

/// Table 09's 相关统计数 block: a count label cell followed (right or below) by its number.
fn read_count_table(t: &Table, out: &mut Vec<Fact>) {
    const LABELS: [(&str, &str, &str); 6] = [
        ("团组数", "因公出国（境）团组数", "个"),
        ("人次数", "因公出国（境）人次数", "人次"),
        ("公务用车购置数", "公务用车购置数", "辆"),
        ("公务用车保有量", "公务用车保有量", "辆"),
        ("接待批次", "国内公务接待批次", "个"),
        ("接待人次", "国内公务接待人次", "人次"),
    ];
    let label_ends: Vec<char> = LABELS.iter().filter_map(|(w, _, _)| w.chars().last()).collect();
    let grid = t.text_grid();
    let cell = |r: usize, c: usize| grid.get(r).and_then(|row| row.get(c)).map(|s| normalise(s));
    for (r, row) in grid.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            // Every cell of every table comes through here: a cell without the last character
            // of any label cannot hold one once normalised (which only drops or narrows
            // spacing, marks and digits), and is passed over without a copy.
            if !text.contains(label_ends.as_slice()) {
                continue;
            }
            let label = normalise(text);
            let Some((_, name, unit)) = LABELS.iter().find(|(w, _, _)| label.contains(w)) else { continue };
            if label.chars().count() > 20 {
                continue;
            }
            let value = [cell(r, c + 1), cell(r + 1, c)]
                .into_iter()
                .flatten()
                .find_map(|v| if v.bytes().all(|b| b.is_ascii_digit() || b == b'.') { parse_number(&v) } else { None });
            if let Some(v) = value {
                out.push(fact("三公经费统计数", name, v, unit, &format!("相关统计数：{label}\t{v}")));
            }
        }
    }
}

/// One fact per (topic, name, value); the first sentence stating it is kept.
fn dedup(facts: Vec<Fact>) -> Vec<Fact> {
    let mut seen = std::collections::HashSet::new();
    facts.into_iter().filter(|f| seen.insert((f.topic.clone(), f.name.clone(), f.value.normalize()))).collect()
}

#[cfg(test)]
mod tests;
