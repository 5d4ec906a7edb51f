//! The two official code lists every coded table row is checked against: 支出功能分类科目
//! (functional, tables 02/03/05/07/08 and the 类 rows of 01/04) and 部门预算支出经济分类科目
//! (economic, tables 06/10).
//!
//! Reports print codes badly: truncated by converters (`208050` for 2080505), split over 类/款/项
//! columns, or with a name that is not the official one. The name printed on the row is the
//! evidence that decides which code was meant; the lists (embedded from `data/classification/`)
//! say which codes exist. Everything here is conservative: when two codes fit equally well the
//! answer is `None`, never a guess.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Which classification a code belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// 支出功能分类科目: 类 3 digits, 款 5, 项 7.
    Functional,
    /// 部门预算支出经济分类科目: 类 3 digits, 款 5.
    Economic,
}

/// Depth of a code in its list, read from its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Lei,
    Kuan,
    Xiang,
    Unknown,
}

/// A printed (code, name) pair matched to an official entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub code: String,
    /// The official name of `code`.
    pub name: &'static str,
    /// The printed code was missing, truncated or not in the list; `code` was inferred from
    /// the printed name (output flag `code_recovered`).
    pub recovered: bool,
    /// The printed name is the official name, a known variant, or a converter-truncated
    /// prefix of it. False when a valid printed code carries another name (the code is kept,
    /// the official name replaces the printed one — gold convention, e.g. 22102 printed
    /// 住房保障支出).
    pub name_matched: bool,
}

const FUNCTIONAL_TSV: &str = include_str!("../../data/classification/functional.tsv");
const FUNCTIONAL_ALIASES_TSV: &str = include_str!("../../data/classification/functional_aliases.tsv");
const ECONOMIC_TSV: &str = include_str!("../../data/classification/economic.tsv");
const ECONOMIC_ALIASES_TSV: &str = include_str!("../../data/classification/economic_aliases.tsv");

struct Entry {
    code: &'static str,
    name: &'static str,
    /// normalised official name and normalised printed variants
    keys: Vec<String>,
    /// loses every tie against another entry: a code kept only so that old reports resolve
    /// (note `obsolete…`), or a code of 政府预算支出经济分类 (5xx), which shares many names with
    /// 部门预算支出经济分类 (工资福利支出, 会议费 …) and is only meant when its code is printed
    loses_ties: bool,
}

struct List {
    entries: Vec<Entry>,
    by_code: HashMap<&'static str, usize>,
    by_key: HashMap<String, Vec<usize>>,
}

/// Rows of a TSV data file: comment lines (`#`) and the header row skipped.
fn data_rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split('\t').collect())
}

impl List {
    fn build(list_tsv: &'static str, aliases_tsv: &'static str) -> List {
        let mut entries = Vec::new();
        let mut by_code = HashMap::new();
        for cols in data_rows(list_tsv) {
            let (Some(code), Some(name)) = (cols.first(), cols.get(1)) else {
                continue;
            };
            let note = cols.get(2).copied().unwrap_or("");
            by_code.insert(*code, entries.len());
            entries.push(Entry {
                code,
                name,
                keys: vec![normalise(name)],
                loses_ties: note.starts_with("obsolete") || code.starts_with('5'),
            });
        }
        for cols in data_rows(aliases_tsv) {
            let (Some(code), Some(printed)) = (cols.first(), cols.get(1)) else {
                continue;
            };
            if let Some(&i) = by_code.get(code) {
                if let Some(e) = entries.get_mut(i) {
                    e.keys.push(normalise(printed));
                }
            }
        }
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for k in &e.keys {
                by_key.entry(k.clone()).or_default().push(i);
            }
        }
        List {
            entries,
            by_code,
            by_key,
        }
    }

    fn get(&self, code: &str) -> Option<&Entry> {
        self.by_code.get(code).and_then(|&i| self.entries.get(i))
    }
}

fn list(scheme: Scheme) -> &'static List {
    static FUNCTIONAL: OnceLock<List> = OnceLock::new();
    static ECONOMIC: OnceLock<List> = OnceLock::new();
    match scheme {
        Scheme::Functional => {
            FUNCTIONAL.get_or_init(|| List::build(FUNCTIONAL_TSV, FUNCTIONAL_ALIASES_TSV))
        }
        Scheme::Economic => {
            ECONOMIC.get_or_init(|| List::build(ECONOMIC_TSV, ECONOMIC_ALIASES_TSV))
        }
    }
}

/// Canonical form of a printed name, for comparison only: whitespace and quotes removed,
/// parentheses full-width, ordinal prefixes (`一、` `（一）` `1.` `其中：`) dropped.
pub fn normalise(name: &str) -> String {
    let s: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’'))
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            ':' => '：',
            _ => c,
        })
        .collect();
    strip_ordinals(&s)
}

/// A row label without its ordinal prefixes (`一、` `（一）` `1.` `其中：`). They can stack
/// (`其中：1.`); each pass removes one, bounded.
pub fn strip_ordinals(label: &str) -> String {
    let mut s = label;
    for _ in 0..4 {
        let stripped = strip_ordinal(s);
        if stripped.len() == s.len() {
            break;
        }
        s = stripped;
    }
    s.to_string()
}

fn is_cjk_numeral(c: char) -> bool {
    "一二三四五六七八九十百零〇".contains(c)
}

fn strip_ordinal(s: &str) -> &str {
    // `-公务接待费` (北京 prints 政府预算支出经济分类 items with a dash): a dash before a
    // name, never before a number.
    let undashed = s.trim_start_matches(['-', '－', '—', '–', '‐']);
    if undashed.len() < s.len() && undashed.starts_with(|c: char| !c.is_ascii_digit() && c != '.') {
        return undashed;
    }
    if let Some(rest) = s.strip_prefix("其中：").or_else(|| s.strip_prefix("其中:")) {
        return rest;
    }
    // （一） / （1）
    if let Some(inner) = s.strip_prefix('（') {
        let n = inner
            .chars()
            .take_while(|c| is_cjk_numeral(*c) || c.is_ascii_digit())
            .map(char::len_utf8)
            .sum::<usize>();
        if n > 0 {
            if let Some(rest) = inner.get(n..).and_then(|r| r.strip_prefix('）')) {
                return rest;
            }
        }
        return s;
    }
    // 一、 / 1. / 1、 / 1．
    let n = s
        .chars()
        .take_while(|c| is_cjk_numeral(*c) || c.is_ascii_digit())
        .map(char::len_utf8)
        .sum::<usize>();
    if n > 0 {
        if let Some(rest) = s.get(n..) {
            for sep in ['、', '.', '．'] {
                // `1.5` is a number, not an ordinal.
                if let Some(r) = rest
                    .strip_prefix(sep)
                    .filter(|r| !r.starts_with(|c: char| c.is_ascii_digit()))
                {
                    return r;
                }
            }
        }
    }
    s
}

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Official name of a code (`"2101501"` → `行政运行`).
pub fn name_of(scheme: Scheme, code: &str) -> Option<&'static str> {
    list(scheme).get(code.trim()).map(|e| e.name)
}

/// Depth of a code from its length: 3 → 类, 5 → 款, 7 → 项.
pub fn level(code: &str) -> Level {
    let code = code.trim();
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Level::Unknown;
    }
    match code.len() {
        3 => Level::Lei,
        5 => Level::Kuan,
        7 => Level::Xiang,
        _ => Level::Unknown,
    }
}

/// The code one level up (`2101501` → `21015`, `21015` → `210`), by length.
pub fn parent_code(code: &str) -> Option<&str> {
    let code = code.trim();
    match level(code) {
        Level::Kuan => code.get(..3),
        Level::Xiang => code.get(..5),
        _ => None,
    }
}

/// How well a printed (normalised) name fits an entry: 3 exact or known variant, 2 the
/// printed name is a converter-truncated prefix of it, 1 loose (containment or long common
/// prefix), 0 no fit.
fn fit(printed: &str, e: &Entry) -> u8 {
    if printed.is_empty() {
        return 0;
    }
    if e.keys.iter().any(|k| k == printed) {
        return 3;
    }
    let printed_chars = printed.chars().count();
    if printed_chars >= 2 && e.keys.iter().any(|k| k.starts_with(printed)) {
        return 2;
    }
    let loose = e.keys.iter().any(|k| {
        let k_chars = k.chars().count();
        let common = k
            .chars()
            .zip(printed.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let shorter = k_chars.min(printed_chars);
        (k_chars >= 3 && printed.contains(k.as_str())) || (common >= 4 && common * 3 >= shorter * 2)
    });
    u8::from(loose)
}

/// The single best-fitting entry among `candidates`; obsolete and 5xx entries lose ties; a remaining
/// tie means no answer.
fn best_fit<'a>(printed: &str, candidates: impl Iterator<Item = &'a Entry>) -> Option<&'a Entry> {
    let mut best: Vec<(&Entry, u8)> = Vec::new();
    for e in candidates {
        let q = fit(printed, e);
        if q == 0 {
            continue;
        }
        match best.first().map(|(_, bq)| *bq) {
            Some(bq) if q < bq => {}
            Some(bq) if q == bq => best.push((e, q)),
            _ => best = vec![(e, q)],
        }
    }
    unique_preferring_current(best.into_iter().map(|(e, _)| e).collect())
}

fn unique_preferring_current(mut found: Vec<&Entry>) -> Option<&Entry> {
    if found.len() > 1 {
        found.retain(|e| !e.loses_ties);
    }
    match found.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// Code of a printed name. With `parent`, the shallowest descendant of the parent carrying
/// that name wins (行政运行 exists under every 款); without, the name must be unique.
pub fn code_of_name(scheme: Scheme, name: &str, parent: Option<&str>) -> Option<&'static str> {
    entry_of_name(scheme, &normalise(name), parent).map(|e| e.code)
}

fn entry_of_name(scheme: Scheme, key: &str, parent: Option<&str>) -> Option<&'static Entry> {
    if key.is_empty() {
        return None;
    }
    let l = list(scheme);
    let exact: Vec<&Entry> = l
        .by_key
        .get(key)
        .map(|ids| ids.iter().filter_map(|&i| l.entries.get(i)).collect())
        .unwrap_or_default();
    let parent = parent.map(digits).filter(|p| !p.is_empty());
    if let Some(p) = &parent {
        let under: Vec<&Entry> = exact
            .iter()
            .copied()
            .filter(|e| e.code.starts_with(p.as_str()) && e.code.len() > p.len())
            .collect();
        if let Some(shallowest) = under.iter().map(|e| e.code.len()).min() {
            return unique_preferring_current(
                under
                    .into_iter()
                    .filter(|e| e.code.len() == shallowest)
                    .collect(),
            );
        }
        // Not printed exactly: a truncated or variant name, judged only among the parent's
        // descendants, where it cannot be confused with the rest of the list.
        let descendants = l
            .entries
            .iter()
            .filter(|e| e.code.starts_with(p.as_str()) && e.code.len() > p.len());
        if let Some(e) = best_fit(key, descendants) {
            return Some(e);
        }
    }
    // No parent, or one that does not contain the name (it may itself be wrong): a row
    // without context reads as the shallowest entry of that name (其他支出 → 399, not 39999),
    // and it must be unique at that depth.
    let shallowest = exact.iter().map(|e| e.code.len()).min()?;
    unique_preferring_current(
        exact
            .into_iter()
            .filter(|e| e.code.len() == shallowest)
            .collect(),
    )
}

/// Matches a printed (code, name) pair to the official entry. See [`Resolved`] for the
/// meaning of the flags. `parent` is the code of the enclosing row (the 款 above a 项 row).
pub fn resolve(
    scheme: Scheme,
    printed_code: &str,
    printed_name: &str,
    parent: Option<&str>,
) -> Option<Resolved> {
    let l = list(scheme);
    let code = digits(printed_code);
    let key = normalise(printed_name);

    if let Some(e) = l.get(&code) {
        if key.is_empty() || fit(&key, e) >= 2 {
            return Some(found(e, false, !key.is_empty()));
        }
        // A 类/款 code printed with a child's name: the row is the child, its code cut short.
        let children: Vec<&'static Entry> = l
            .entries
            .iter()
            .filter(|c| c.code.len() > code.len() && c.code.starts_with(code.as_str()))
            .filter(|c| fit(&key, c) == 3)
            .collect();
        if let [child] = children.as_slice() {
            return Some(found(child, true, true));
        }
        return Some(found(e, false, false));
    }

    if is_full_length(scheme, &code) {
        // A code of full length that the list lacks is a code of an edition or a region the
        // list does not know (21598 超长期特别国债安排的支出, 2026): it is kept as printed by
        // the caller, never replaced by the code of the same name elsewhere in the list
        // (21498, 21502 制造业). It cannot be a truncation either: every listed code's parent
        // is listed.
        return None;
    }

    if !code.is_empty() {
        // Converter truncation: the full code starts with what was printed. A parent that
        // contradicts the printed prefix is ignored (the printed digits are evidence too).
        let parent_digits = parent.map(digits).unwrap_or_default();
        let parent_fits =
            code.starts_with(parent_digits.as_str()) || parent_digits.starts_with(code.as_str());
        let candidates = l.entries.iter().filter(|e| {
            e.code.len() > code.len()
                && e.code.starts_with(code.as_str())
                && (!parent_fits || e.code.starts_with(parent_digits.as_str()))
        });
        if let Some(e) = best_fit(&key, candidates) {
            return Some(found(e, true, true));
        }
    }

    // Nothing printed, or a code of no length of the list (a converter cut it, or appended
    // digits): the name decides, among the codes the printed digits allow. A 7-digit
    // economic code is no garble but a region's sub-item, often named like its 款 (西安
    // `3010201 津贴补贴` beside `3010202 改革性补贴`, 上海 `3030101 离休费`): it stays as
    // printed, as its siblings do.
    let regional_sub_item = scheme == Scheme::Economic && code.len() == 7;
    entry_of_name(scheme, &key, parent)
        .filter(|e| {
            code.is_empty()
                || e.code.starts_with(code.as_str())
                || (code.starts_with(e.code) && !regional_sub_item)
        })
        .map(|e| found(e, true, true))
}

/// A code of a length the list uses (functional 3/5/7 digits, economic 3/5).
pub fn is_full_length(scheme: Scheme, code: &str) -> bool {
    let code = code.trim();
    code.bytes().all(|b| b.is_ascii_digit())
        && match scheme {
            Scheme::Functional => matches!(code.len(), 3 | 5 | 7),
            Scheme::Economic => matches!(code.len(), 3 | 5),
        }
}

/// Does a printed name fit some entry of the list (its official name, a known variant, or a
/// converter-truncated prefix of one)?
pub fn is_listed_name(scheme: Scheme, name: &str) -> bool {
    let key = normalise(name);
    !key.is_empty() && list(scheme).entries.iter().any(|e| fit(&key, e) >= 2)
}

fn found(e: &'static Entry, recovered: bool, name_matched: bool) -> Resolved {
    Resolved {
        code: e.code.to_string(),
        name: e.name,
        recovered,
        name_matched,
    }
}

/// Joins a code printed over 类/款/项 columns (`210`,`15`,`01` → `2101501`). When a row prints
/// only its 款 or 项 part, the missing leading parts come from the rows above (`parent_lei`
/// like `210`, `parent_kuan` like `21015` or `15`). A column that already holds a full code
/// wins. Returns an empty string when nothing was printed.
pub fn join_split(
    lei: &str,
    kuan: &str,
    xiang: &str,
    parent_lei: Option<&str>,
    parent_kuan: Option<&str>,
) -> String {
    let (l, k, x) = (digits(lei), digits(kuan), digits(xiang));
    if x.len() == 7 {
        return x;
    }
    if k.len() == 5 {
        return if x.len() == 2 { k + &x } else { k };
    }
    if l.len() == 5 || l.len() == 7 {
        return l + &k + &x;
    }
    if l.is_empty() && k.is_empty() && x.is_empty() {
        return String::new();
    }
    let pk = parent_kuan.map(digits).unwrap_or_default();
    let lei = if !l.is_empty() {
        l
    } else if let Some(pl) = parent_lei.map(digits).filter(|p| p.len() >= 3) {
        pl.get(..3).unwrap_or_default().to_string()
    } else if pk.len() >= 5 {
        pk.get(..3).unwrap_or_default().to_string()
    } else {
        String::new()
    };
    let kuan = if !k.is_empty() || x.is_empty() {
        k
    } else {
        match pk.len() {
            5 => pk.get(3..5).unwrap_or_default().to_string(),
            2 => pk,
            _ => String::new(),
        }
    };
    lei + &kuan + &x
}

/// The 类 code of a 类 printed by name, as in tables 01/04 (`七、社会保障和就业支出` → `208`).
pub fn lei_of_name(name: &str) -> Option<&'static str> {
    let key = normalise(name);
    let l = list(Scheme::Functional);
    let lei_with = |k: &str| -> Option<&'static str> {
        let ids = l.by_key.get(k)?;
        let leis: Vec<&Entry> = ids
            .iter()
            .filter_map(|&i| l.entries.get(i))
            .filter(|e| e.code.len() == 3)
            .collect();
        unique_preferring_current(leis).map(|e| e.code)
    };
    lei_with(&key).or_else(|| lei_with(&format!("{key}支出")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_length(scheme: Scheme, len: usize) -> bool {
        match scheme {
            Scheme::Functional => matches!(len, 3 | 5 | 7),
            Scheme::Economic => matches!(len, 3 | 5),
        }
    }

    const GOLD_ITEMS: &str = include_str!("../../tests/fixtures/classify/gold_coded_items.tsv");
    const TRUNCATED_003: &str = include_str!("../../tests/fixtures/classify/truncated_003.tsv");

    fn fixture_rows(text: &str) -> Vec<Vec<&str>> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .map(|l| l.split('\t').collect())
            .collect()
    }

    #[test]
    fn every_gold_coded_item_has_its_official_name() {
        let rows = fixture_rows(GOLD_ITEMS);
        assert!(rows.len() > 150, "fixture too small: {}", rows.len());
        for r in rows {
            let scheme = if r[1] == "economic" {
                Scheme::Economic
            } else {
                Scheme::Functional
            };
            assert_eq!(
                name_of(scheme, r[2]),
                Some(r[3]),
                "seed {} code {}",
                r[0],
                r[2]
            );
        }
    }

    #[test]
    fn every_truncated_code_of_seed_003_resolves_to_the_gold_code() {
        let rows = fixture_rows(TRUNCATED_003);
        assert_eq!(rows.len(), 75);
        for r in rows {
            let scheme = if r[0] == "06" {
                Scheme::Economic
            } else {
                Scheme::Functional
            };
            let parent = Some(r[4]).filter(|p| !p.is_empty());
            let got = resolve(scheme, r[2], r[3], parent);
            let got = got.unwrap_or_else(|| panic!("line {}: {} {} unresolved", r[1], r[2], r[3]));
            assert_eq!(got.code, r[5], "line {}: {} {}", r[1], r[2], r[3]);
            assert!(got.recovered, "line {}", r[1]);
            assert_eq!(Some(got.name), name_of(scheme, r[5]));
        }
    }

    #[test]
    fn truncated_code_without_parent_still_resolves() {
        let r = resolve(
            Scheme::Functional,
            "208050",
            "机关事业单位职业年金缴费支出",
            None,
        )
        .unwrap();
        assert_eq!(r.code, "2080506");
    }

    #[test]
    fn valid_code_with_wrong_name_keeps_code_and_takes_official_name() {
        // seed 004: 22102 printed with the 类 name 住房保障支出
        let r = resolve(Scheme::Functional, "22102", "住房保障支出", Some("221")).unwrap();
        assert_eq!(
            (r.code.as_str(), r.name, r.recovered, r.name_matched),
            ("22102", "住房改革支出", false, false)
        );
    }

    #[test]
    fn exact_pair_is_not_recovered() {
        let r = resolve(Scheme::Functional, "2101501", "行政运行", Some("21015")).unwrap();
        assert_eq!(
            (r.code.as_str(), r.recovered, r.name_matched),
            ("2101501", false, true)
        );
        let r = resolve(Scheme::Economic, " 30213 ", "维修(护)费", None).unwrap();
        assert_eq!((r.code.as_str(), r.name_matched), ("30213", true));
    }

    #[test]
    fn printed_variants_resolve_through_aliases() {
        // seed 000 table 06 prints 30399 as 其他对个人和家庭的补助支出
        let r = resolve(
            Scheme::Economic,
            "",
            "其他对个人和家庭的补助支出",
            Some("303"),
        )
        .unwrap();
        assert_eq!(
            (r.code.as_str(), r.name, r.recovered),
            ("30399", "其他对个人和家庭的补助", true)
        );
        assert_eq!(
            code_of_name(Scheme::Functional, "职业年金缴费", Some("20805")),
            Some("2080506")
        );
    }

    #[test]
    fn code_row_printed_without_code_recovers_from_name() {
        // seeds 000/002: the 其他支出 row of table 06 lost its code
        let r = resolve(Scheme::Economic, "", "其他支出", None).unwrap();
        assert_eq!((r.code.as_str(), r.recovered), ("399", true));
    }

    #[test]
    fn repeated_names_need_the_parent() {
        assert_eq!(
            code_of_name(Scheme::Functional, "行政运行", Some("21015")),
            Some("2101501")
        );
        assert_eq!(
            code_of_name(Scheme::Functional, "行政运行", Some("20106")),
            Some("2010601")
        );
        assert_eq!(code_of_name(Scheme::Functional, "行政运行", None), None);
        // 20899 and 2089999 share a name: the parent's direct child wins
        assert_eq!(
            code_of_name(Scheme::Functional, "其他社会保障和就业支出", Some("208")),
            Some("20899")
        );
        assert_eq!(
            code_of_name(Scheme::Functional, "其他社会保障和就业支出", Some("20899")),
            Some("2089999")
        );
        assert_eq!(
            code_of_name(Scheme::Functional, "（一）行政运行", Some("2010")),
            None
        );
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise("七、社会保障和就业支出"), "社会保障和就业支出");
        assert_eq!(normalise("（一） 政府采购 货物支出"), "政府采购货物支出");
        assert_eq!(
            normalise("其中：1.授予小微企业合同金额"),
            "授予小微企业合同金额"
        );
        assert_eq!(normalise("因公出国(境)费"), "因公出国（境）费");
        assert_eq!(normalise("一般公共服务支出"), "一般公共服务支出");
    }

    #[test]
    fn lei_rows_by_name() {
        assert_eq!(lei_of_name("七、社会保障和就业支出"), Some("208"));
        assert_eq!(lei_of_name("卫生健康支出"), Some("210"));
        assert_eq!(lei_of_name("十、卫 生 健 康"), Some("210"));
        assert_eq!(lei_of_name("文化体育与传媒支出"), Some("207"));
        assert_eq!(lei_of_name("抗疫特别国债安排的支出"), Some("234"));
        assert_eq!(lei_of_name("本年支出合计"), None);
    }

    #[test]
    fn split_codes_join_with_inherited_parts() {
        assert_eq!(join_split("210", "15", "01", None, None), "2101501");
        assert_eq!(
            join_split("", "", "01", Some("210"), Some("21015")),
            "2101501"
        );
        assert_eq!(join_split("", "", "05", None, Some("20805")), "2080505");
        assert_eq!(join_split("", "11", "", Some("210"), None), "21011");
        assert_eq!(join_split("", "", "", Some("210"), Some("21015")), "");
        assert_eq!(join_split("2101501", "", "", None, None), "2101501");
    }

    #[test]
    fn levels_by_length() {
        assert_eq!(level("208"), Level::Lei);
        assert_eq!(level("30101"), Level::Kuan);
        assert_eq!(level("2080505"), Level::Xiang);
        assert_eq!(level("208050"), Level::Unknown);
        assert_eq!(level("2o8"), Level::Unknown);
        assert_eq!(parent_code("2101501"), Some("21015"));
    }

    #[test]
    fn every_lei_has_kuan_and_every_child_has_a_parent() {
        for scheme in [Scheme::Functional, Scheme::Economic] {
            let l = list(scheme);
            for e in &l.entries {
                assert!(valid_length(scheme, e.code.len()), "{}", e.code);
                if let Some(p) = parent_code(e.code) {
                    assert!(l.get(p).is_some(), "{} has no parent {}", e.code, p);
                }
            }
        }
        assert!(list(Scheme::Functional).entries.len() > 1400);
        assert!(list(Scheme::Economic).entries.len() > 100);
    }

    #[test]
    fn codes_of_the_2026_reports_are_listed() {
        // 重庆市商务委员会 2026 (real_043)
        assert_eq!(
            name_of(Scheme::Functional, "21598"),
            Some("超长期特别国债安排的支出")
        );
        let r = resolve(
            Scheme::Functional,
            "21598",
            "超长期特别国债安排的支出",
            Some("215"),
        )
        .unwrap();
        assert_eq!(
            (r.code.as_str(), r.recovered, r.name_matched),
            ("21598", false, true)
        );
        let r = resolve(Scheme::Functional, "2159802", "制造业", Some("21598")).unwrap();
        assert_eq!(
            (r.code.as_str(), r.name, r.recovered),
            ("2159802", "制造业", false)
        );
        // A name shared by 21498 and 21598 needs its 类.
        assert_eq!(
            code_of_name(Scheme::Functional, "超长期特别国债安排的支出", Some("215")),
            Some("21598")
        );
        assert_eq!(
            code_of_name(Scheme::Functional, "超长期特别国债安排的支出", Some("214")),
            Some("21498")
        );
        assert_eq!(
            code_of_name(Scheme::Functional, "超长期特别国债安排的支出", None),
            None
        );
        // 深圳 and 西安 2026 print these codes with these names.
        assert_eq!(name_of(Scheme::Functional, "2080116"), Some("引进人才费用"));
        assert_eq!(
            name_of(Scheme::Functional, "2130803"),
            Some("农业保险保费补贴")
        );
        assert_eq!(
            name_of(Scheme::Functional, "2060208"),
            Some("科技人才队伍建设")
        );
    }

    #[test]
    fn an_unlisted_full_code_is_never_replaced_by_a_neighbour() {
        // Not in the list: no answer, so that the caller keeps the code as printed. Before,
        // the name found 21502 制造业 and 21498 超长期特别国债安排的支出.
        assert_eq!(
            resolve(Scheme::Functional, "2159902", "制造业", Some("21599")),
            None
        );
        assert_eq!(
            resolve(
                Scheme::Functional,
                "21597",
                "超长期特别国债安排的支出",
                Some("215")
            ),
            None
        );
        assert_eq!(
            resolve(Scheme::Economic, "39998", "其他支出", Some("399")),
            None
        );
        // A truncated code still completes, but only to a code its digits allow.
        assert_eq!(
            resolve(Scheme::Functional, "215980", "制造业", None)
                .unwrap()
                .code,
            "2159802"
        );
        assert_eq!(resolve(Scheme::Functional, "215970", "制造业", None), None);
        // A 7-digit economic code named like its 款 is a regional sub-item, not 30101 garbled.
        assert_eq!(resolve(Scheme::Economic, "3010101", "基本工资", Some("301")), None);
        assert_eq!(resolve(Scheme::Economic, "3010201", "津贴补贴", None), None);
        assert!(is_full_length(Scheme::Functional, "2159802"));
        assert!(!is_full_length(Scheme::Economic, "3010101"));
    }

    #[test]
    fn government_economic_codes_lose_ties_to_departmental_ones() {
        assert_eq!(name_of(Scheme::Economic, "50101"), Some("工资奖金津补贴"));
        let r = resolve(Scheme::Economic, "50206", "-公务接待费", None).unwrap();
        assert_eq!(
            (r.code.as_str(), r.name, r.name_matched),
            ("50206", "公务接待费", true)
        );
        // 工资福利支出 is both 301 and 50501: without a code it is the 部门 classification.
        assert_eq!(
            code_of_name(Scheme::Economic, "工资福利支出", None),
            Some("301")
        );
        assert_eq!(
            code_of_name(Scheme::Economic, "其他支出", None),
            Some("399")
        );
        assert_eq!(
            code_of_name(Scheme::Economic, "其他对个人和家庭的补助", None),
            Some("30399")
        );
        assert_eq!(
            code_of_name(Scheme::Economic, "其他对个人和家庭的补助", Some("509")),
            Some("50999")
        );
    }

    #[test]
    fn leading_dashes_and_short_forms_name_the_canonical_entry() {
        assert_eq!(normalise("-公务接待费"), "公务接待费");
        assert_eq!(normalise("－其他工资福利支出"), "其他工资福利支出");
        assert_eq!(normalise("-12.5"), "-12.5");
        assert_eq!(normalise("--"), "--");
        assert_eq!(lei_of_name("7、文化旅游"), Some("207"));
        let r = resolve(
            Scheme::Functional,
            "2080701",
            "就业创业服务补助",
            Some("20807"),
        )
        .unwrap();
        assert_eq!((r.name, r.name_matched), ("就业创业服务补贴", true));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for s in [
            "",
            "（",
            "（一",
            "一、",
            "其中：",
            "\u{0}",
            "９９",
            "(((",
            "3",
            "2080505050505",
        ] {
            let _ = resolve(Scheme::Functional, s, s, Some(s));
            let _ = resolve(Scheme::Economic, s, s, None);
            let _ = join_split(s, s, s, Some(s), Some(s));
            let _ = lei_of_name(s);
        }
    }
}
