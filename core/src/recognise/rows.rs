//! Row identity: canonical names of named rows and full classification codes of coded rows.

use crate::classify::{self, Scheme};
use crate::recognise::amount::is_code_like;
use crate::recognise::catalogue::NamedRow;

/// tables.md convention: whitespace and markdown emphasis removed, parentheses full-width,
/// ordinal prefixes (一、 （一） 1. 其中：) dropped.
pub fn canonical_name(printed: &str) -> String {
    let s: String = printed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '#'))
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect();
    classify::strip_ordinals(&s)
}

/// Looks a printed row label up among named rows (exact canonical match first, then a
/// printed synonym). `side` "" accepts any side.
pub fn named_row(
    rows: &'static [NamedRow],
    printed: &str,
    side: &str,
) -> Option<&'static NamedRow> {
    let name = canonical_name(printed);
    let fits = |r: &&NamedRow| r.side.is_empty() || side.is_empty() || r.side == side;
    rows.iter()
        .filter(fits)
        .find(|r| r.canonical == name)
        .or_else(|| {
            rows.iter()
                .filter(fits)
                .find(|r| r.printed.iter().any(|p| canonical_name(p) == name))
        })
}

/// A label cell split into its printed code and name: `201 一般公共服务支出` (one cell,
/// seed 003), `2101501`, `行政运行`.
pub fn split_code_name(cell: &str) -> (String, String) {
    let t = cell.trim();
    // 广州 prints the code in brackets: `[20105]统计信息事务`.
    if let Some(inner) = t.strip_prefix('[').or_else(|| t.strip_prefix('【')) {
        let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &inner[digits..];
        if let Some(name) = rest
            .strip_prefix(']')
            .or_else(|| rest.strip_prefix('】'))
            .filter(|_| (3..=7).contains(&digits))
        {
            return (inner[..digits].to_string(), canonical_name(name));
        }
    }
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() >= 3 && digits.len() <= 7 {
        let rest = t[digits.len()..].trim();
        // `2026年城乡医疗救助补助资金`: a year that starts a project's name is no code.
        if rest.is_empty() || !rest.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '年') {
            return (digits, canonical_name(rest));
        }
    }
    (String::new(), canonical_name(t))
}

/// Full code lengths per scheme.
fn is_full(scheme: Scheme, code: &str) -> bool {
    match scheme {
        Scheme::Functional => matches!(code.len(), 3 | 5 | 7),
        Scheme::Economic => matches!(code.len(), 3 | 5),
    }
}

/// Every functional code starts with a 类 of the list (201…234). A code that does not is a
/// budget unit's code: 苏州, 西安, 无锡, 长春 print 收入总表/支出总表 by 部门代码/单位编码
/// (`123 苏州市交通运输局`, `123001 …（本级）`), never by 科目.
fn outside_functional(printed_code: &str) -> bool {
    printed_code.len() >= 3
        && printed_code.bytes().all(|b| b.is_ascii_digit())
        && printed_code
            .get(..3)
            .is_some_and(|lei| classify::name_of(Scheme::Functional, lei).is_none())
}

/// Endings of the name of an organ or a budget unit (`西安市科学技术局`, `中共西安市委宣传部`,
/// `西安市人才服务中心`, `福田区机关事务管理局（本级）`, `深圳市第二高级中学校`, `市文化馆`).
const UNIT_NAME_ENDINGS: &[&str] = &[
    "局", "委员会", "委", "部", "办公室", "办", "室", "厅", "院", "中心", "站", "所", "队", "处", "学校", "校", "协会", "联合会", "会", "社", "馆", "台",
    "场", "园", "署", "府", "机关", "本级", "（本级）",
];

/// Whether a printed name reads as a budget unit's or an organ's, not as a line of the
/// classification: an organ's ending (or `中共…`, `…（本级）`) and at least four characters,
/// before a bracketed second name (`广州市统计监测中心（广州市统计发展中心）`).
/// Callers add their evidence (a unit code, a place name) and check the list themselves.
pub fn has_unit_name_shape(name: &str) -> bool {
    let name = name.trim();
    let shaped = |n: &str| n.chars().count() >= 4 && (n.starts_with("中共") || UNIT_NAME_ENDINGS.iter().any(|e| n.ends_with(e)));
    let first_name = name.strip_suffix('）').and_then(|n| n.rsplit_once('（')).map(|(head, _)| head);
    shaped(name) || first_name.is_some_and(shaped)
}

/// A row printed with a budget unit's code and name where the code happens to be a 类 of the
/// list: 西安 numbers its departments 201 中共西安市委宣传部, 204 西安市科学技术局 …, and
/// their units 201001 …. The row is the unit, not 201 一般公共服务支出: its name is no name of
/// the list and reads as an organ's.
fn unit_code_of_a_listed_lei(scheme: Scheme, printed_code: &str, printed_name: &str) -> bool {
    let name = printed_name.trim();
    matches!(printed_code.len(), 3 | 6)
        && printed_code.bytes().all(|b| b.is_ascii_digit())
        && has_unit_name_shape(name)
        && !classify::is_listed_name(scheme, name)
}

/// A row of a budget unit: no classification code. Its unit code stays in the name, since a
/// department and its 本级 unit print the same name under different codes.
fn unit_row(unit_code: &str, printed_name: &str) -> RowId {
    RowId {
        code: String::new(),
        name: format!("{printed_name}（{unit_code}）"),
        flags: vec!["unit_row".to_string()],
    }
}

/// What a coded row resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowId {
    pub code: String,
    pub name: String,
    pub flags: Vec<String>,
}

/// Follows the hierarchy down a table so that a truncated or partial code can be completed
/// from its parent: the latest code seen at each level.
#[derive(Debug, Default, Clone)]
pub struct CodeTrail {
    lei: String,
    kuan: String,
}

impl CodeTrail {
    fn parent_for(&self, scheme: Scheme, printed_len: usize) -> Option<String> {
        let p = match (scheme, printed_len) {
            // A name without a code hangs under the deepest level seen.
            (_, 0) if !self.kuan.is_empty() => &self.kuan,
            (_, 0) => &self.lei,
            (_, 1..=3) => return None,
            (Scheme::Economic, _) => &self.lei,
            (Scheme::Functional, 4 | 5) => &self.lei,
            (Scheme::Functional, _) => &self.kuan,
        };
        (!p.is_empty()).then(|| p.clone())
    }

    /// A printed code that extends a row just read, whose name led back to that row, is a row
    /// below it (佛山 prints 2121100 under 21211 with the same name, 重庆 3030101 离休费 under
    /// 30301 离休费): taking the parent's code would make two rows one.
    fn is_child_of(&self, printed_code: &str, found: &str) -> bool {
        printed_code.len() > found.len()
            && printed_code.starts_with(found)
            && (self.kuan == found || self.lei == found)
    }

    fn remember(&mut self, code: &str) {
        match code.len() {
            3 => {
                self.lei = code.to_string();
                self.kuan.clear();
            }
            5 => self.kuan = code.to_string(),
            _ => {}
        }
    }

    /// Resolves a printed code (possibly truncated, possibly empty) and name to the full
    /// official code. The classification decides; a full-length printed code it does not
    /// know is kept as printed.
    pub fn resolve(
        &mut self,
        scheme: Scheme,
        printed_code: &str,
        printed_name: &str,
    ) -> Option<RowId> {
        if printed_code.is_empty() && printed_name.is_empty() {
            return None;
        }
        if (scheme == Scheme::Functional && outside_functional(printed_code))
            || unit_code_of_a_listed_lei(scheme, printed_code, printed_name)
        {
            return Some(unit_row(printed_code, printed_name));
        }
        let parent = self.parent_for(scheme, printed_code.len());
        let resolved = classify::resolve(scheme, printed_code, printed_name, parent.as_deref())
            .filter(|r| !self.is_child_of(printed_code, &r.code));
        let id = match resolved {
            Some(r) => {
                let flags = if r.recovered {
                    vec!["code_recovered".to_string()]
                } else {
                    Vec::new()
                };
                RowId {
                    code: r.code,
                    name: r.name.to_string(),
                    flags,
                }
            }
            // Kept exactly as printed: a code of another edition or region, never a neighbour's.
            None if is_full(scheme, printed_code) => {
                match classify::name_of(scheme, printed_code) {
                    Some(name) => RowId {
                        code: printed_code.to_string(),
                        name: name.to_string(),
                        flags: Vec::new(),
                    },
                    None => RowId {
                        code: printed_code.to_string(),
                        name: printed_name.to_string(),
                        flags: vec!["code_not_in_classification".to_string()],
                    },
                }
            }
            None if !printed_code.is_empty() => RowId {
                code: printed_code.to_string(),
                name: printed_name.to_string(),
                flags: vec!["code_unresolved".into()],
            },
            None => return None,
        };
        self.remember(&id.code);
        Some(id)
    }

    /// Composes a code split over 类 | 款 | 项 columns (`210 | 15 | 01`, or only the 项 part
    /// with 类 and 款 inherited from the rows above).
    pub fn compose(&self, lei: &str, kuan: &str, xiang: &str) -> Option<String> {
        let (lei, kuan, xiang) = (lei.trim(), kuan.trim(), xiang.trim());
        let two = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if is_code_like(lei) && lei.len() == 3 {
            let mut code = lei.to_string();
            if two(kuan) {
                code.push_str(kuan);
                if two(xiang) {
                    code.push_str(xiang);
                }
            }
            return Some(code);
        }
        if two(kuan) && self.lei.len() == 3 {
            let mut code = format!("{}{}", self.lei, kuan);
            if two(xiang) {
                code.push_str(xiang);
            }
            return Some(code);
        }
        if two(xiang) && self.kuan.len() == 5 {
            return Some(format!("{}{}", self.kuan, xiang));
        }
        None
    }
}

/// Is this label a total row (合计/总计), as opposed to a named or coded item?
pub fn is_total_label(name: &str) -> bool {
    // 长春 prints `总计：`.
    matches!(name.trim_end_matches([':', '：']), "合计" | "总计" | "小计")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_canonicalised() {
        assert_eq!(
            canonical_name("一、一般公共预算财政拨款收入"),
            "一般公共预算财政拨款收入"
        );
        assert_eq!(
            canonical_name("使用非财政拨款结余(含专用结余)"),
            "使用非财政拨款结余（含专用结余）"
        );
        assert_eq!(canonical_name("(一) 政府采购支出合计"), "政府采购支出合计");
        assert_eq!(
            canonical_name("其中：授予小微企业合同金额"),
            "授予小微企业合同金额"
        );
        assert_eq!(
            canonical_name("二十一、国有资本经营预算支出"),
            "国有资本经营预算支出"
        );
        assert_eq!(canonical_name("项    目"), "项目");
    }

    #[test]
    fn code_and_name_in_one_cell() {
        assert_eq!(
            split_code_name("201 一般公共服务支出"),
            ("201".into(), "一般公共服务支出".into())
        );
        assert_eq!(split_code_name("2101501"), ("2101501".into(), "".into()));
        assert_eq!(split_code_name("合计"), ("".into(), "合计".into()));
        // A project named after its year keeps the year (烟台, 西安 项目支出表).
        assert_eq!(split_code_name("2026年城乡医疗救助中央补助资金"), ("".into(), "2026年城乡医疗救助中央补助资金".into()));
        assert_eq!(split_code_name("2026年度城乡居民大病保险承保运营费").1, "2026年度城乡居民大病保险承保运营费");
        assert_eq!(
            split_code_name("[20105]统计信息事务"),
            ("20105".into(), "统计信息事务".into())
        );
        assert_eq!(
            split_code_name("【301】工资福利支出"),
            ("301".into(), "工资福利支出".into())
        );
        assert_eq!(split_code_name("[注]说明"), ("".into(), "[注]说明".into()));
    }

    #[test]
    fn unit_codes_are_not_functional_codes() {
        let mut t = CodeTrail::default();
        let dept = t
            .resolve(Scheme::Functional, "123", "苏州市交通运输局")
            .unwrap();
        let unit = t
            .resolve(Scheme::Functional, "123001", "苏州市交通运输局")
            .unwrap();
        assert_eq!(
            (dept.code.as_str(), dept.name.as_str()),
            ("", "苏州市交通运输局（123）")
        );
        assert_eq!(
            (unit.code.as_str(), unit.name.as_str()),
            ("", "苏州市交通运输局（123001）")
        );
        assert_eq!(unit.flags, vec!["unit_row".to_string()]);
        // A unit row leaves the trail alone; a 类 and a truncated 项 code still resolve.
        assert_eq!(
            t.resolve(Scheme::Functional, "214", "交通运输支出")
                .unwrap()
                .code,
            "214"
        );
        assert_eq!(
            t.resolve(Scheme::Functional, "208050", "机关事业单位职业年金缴费支出")
                .unwrap()
                .code,
            "2080506"
        );
        // Economic tables keep codes the list lacks (重庆 prints 3010201 规范性津补贴).
        assert_eq!(
            t.resolve(Scheme::Economic, "3010201", "规范性津补贴")
                .unwrap()
                .code,
            "3010201"
        );
    }

    #[test]
    fn unit_codes_that_are_also_lei_codes_are_units() {
        // 西安 numbers its departments 201 中共西安市委宣传部, 204 西安市科学技术局 …
        let mut t = CodeTrail::default();
        let dept = t
            .resolve(Scheme::Functional, "201", "中共西安市委宣传部")
            .unwrap();
        assert_eq!(
            (dept.code.as_str(), dept.name.as_str()),
            ("", "中共西安市委宣传部（201）")
        );
        assert_eq!(dept.flags, vec!["unit_row".to_string()]);
        let unit = t
            .resolve(Scheme::Functional, "204001", "西安市科学技术局（本级）")
            .unwrap();
        assert_eq!(
            (unit.code.as_str(), unit.flags.as_slice()),
            ("", ["unit_row".to_string()].as_slice())
        );
        let dept = t
            .resolve(Scheme::Functional, "204", "西安市科学技术局")
            .unwrap();
        assert_eq!(dept.code, "");
        // The 类 itself, or a 类 printed with a listed name (法院, 档案馆), stays a 类.
        assert_eq!(
            t.resolve(Scheme::Functional, "201", "一般公共服务支出")
                .unwrap()
                .code,
            "201"
        );
        assert_eq!(
            t.resolve(Scheme::Functional, "204", "公共安全支出")
                .unwrap()
                .code,
            "204"
        );
        assert_eq!(
            t.resolve(Scheme::Functional, "20405", "法院").unwrap().code,
            "20405"
        );
        // A 类 printed with a wrong name that is no organ's keeps the code (seed 004 convention).
        assert_eq!(
            t.resolve(Scheme::Functional, "221", "住房改革支出类")
                .unwrap()
                .code,
            "221"
        );
    }

    #[test]
    fn an_unlisted_code_is_kept_as_printed_with_a_flag() {
        let mut t = CodeTrail::default();
        t.resolve(Scheme::Functional, "215", "资源勘探工业信息等支出");
        let kuan = t
            .resolve(Scheme::Functional, "21597", "超长期特别国债安排的支出")
            .unwrap();
        assert_eq!(
            (
                kuan.code.as_str(),
                kuan.name.as_str(),
                kuan.flags.as_slice()
            ),
            (
                "21597",
                "超长期特别国债安排的支出",
                ["code_not_in_classification".to_string()].as_slice()
            )
        );
        let xiang = t.resolve(Scheme::Functional, "2159702", "制造业").unwrap();
        assert_eq!(
            (xiang.code.as_str(), xiang.name.as_str()),
            ("2159702", "制造业")
        );
        assert_eq!(xiang.flags, vec!["code_not_in_classification".to_string()]);
        // 21598 and 2159802 (2024- editions) are listed now.
        let mut t = CodeTrail::default();
        t.resolve(Scheme::Functional, "215", "资源勘探工业信息等支出");
        let kuan = t
            .resolve(Scheme::Functional, "21598", "超长期特别国债安排的支出")
            .unwrap();
        let xiang = t.resolve(Scheme::Functional, "2159802", "制造业").unwrap();
        assert_eq!((kuan.code.as_str(), kuan.flags.len()), ("21598", 0));
        assert_eq!(
            (xiang.code.as_str(), xiang.name.as_str(), xiang.flags.len()),
            ("2159802", "制造业", 0)
        );
    }

    #[test]
    fn dashed_and_short_names_are_canonical() {
        assert_eq!(canonical_name("-公务接待费"), "公务接待费");
        assert_eq!(
            split_code_name("50206 -公务接待费"),
            ("50206".into(), "公务接待费".into())
        );
        let mut t = CodeTrail::default();
        let r = t
            .resolve(Scheme::Economic, "50999", "其他对个人和家庭的补助")
            .unwrap();
        assert_eq!(
            (r.code.as_str(), r.name.as_str(), r.flags.len()),
            ("50999", "其他对个人和家庭补助", 0)
        );
    }

    #[test]
    fn a_row_below_a_row_of_the_same_name_keeps_its_code() {
        let mut t = CodeTrail::default();
        t.resolve(Scheme::Functional, "212", "城乡社区支出");
        t.resolve(Scheme::Functional, "21211", "农业土地开发资金安排的支出");
        let child = t
            .resolve(Scheme::Functional, "2121100", "农业土地开发资金安排的支出")
            .unwrap();
        assert_eq!(child.code, "2121100");
        let mut t = CodeTrail::default();
        t.resolve(Scheme::Economic, "303", "对个人和家庭的补助");
        t.resolve(Scheme::Economic, "30301", "离休费");
        let child = t.resolve(Scheme::Economic, "3030101", "离休费").unwrap();
        assert_eq!(
            (child.code.as_str(), child.flags.as_slice()),
            ("3030101", ["code_unresolved".to_string()].as_slice())
        );
        // Without the 款 row just above, a sub-item named like its 款 (西安 `3010201 津贴补贴`
        // beside `3010202 改革性补贴`) is still kept as printed, never read as that 款.
        let mut t = CodeTrail::default();
        t.resolve(Scheme::Economic, "301", "工资福利支出");
        let child = t.resolve(Scheme::Economic, "3010101", "基本工资").unwrap();
        assert_eq!(
            (child.code.as_str(), child.flags.as_slice()),
            ("3010101", ["code_unresolved".to_string()].as_slice())
        );
    }

    #[test]
    fn split_codes_inherit_their_parents() {
        let mut t = CodeTrail::default();
        assert_eq!(t.compose("210", "", ""), Some("210".into()));
        t.remember("210");
        assert_eq!(t.compose("", "15", ""), Some("21015".into()));
        t.remember("21015");
        assert_eq!(t.compose("", "", "01"), Some("2101501".into()));
    }
}
