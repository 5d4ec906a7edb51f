//! The catalogue of standard tables: ids, titles, canonical columns with the header texts
//! printed for them, and named rows. Data, not code: a new table family (the 预算 tables of
//! issue 9) is added as more [`TableSpec`] entries. Documented in `docs/tables.md`, which
//! extends the shared reference `reference/tables.md`.

/// The report family a table belongs to: 部门决算 (公开01–11表) or 部门预算/单位预算.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Final,
    Budget,
}

impl Family {
    /// As printed in titles and written to documents.report_type.
    pub fn name(self) -> &'static str {
        match self {
            Family::Final => "决算",
            Family::Budget => "预算",
        }
    }

    /// The family a report type as printed names (`决算`, `预算`), if any.
    pub fn of(report_type: &str) -> Option<Family> {
        match report_type {
            "决算" => Some(Family::Final),
            "预算" => Some(Family::Budget),
            _ => None,
        }
    }
}

/// What a standard table reports, whatever the family: 决算 09 and 预算 Y07 are both the
/// 三公 table. Records carry it (`table_concept`) so that one query spans both families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Concept {
    IncomeSpendingSummary,
    Income,
    Spending,
    AppropriationSummary,
    GeneralBudgetSpending,
    GeneralBudgetBasicSpending,
    /// The money of GeneralBudgetSpending again, by economic class (预算 Y11): a concept of
    /// its own, so that a total over one concept never counts it twice.
    GeneralBudgetSpendingByEconomicClass,
    /// The money of GeneralBudgetBasicSpending again, by functional class (预算 Y12).
    GeneralBudgetBasicSpendingByFunction,
    GovernmentFundSpending,
    StateCapitalSpending,
    SanGong,
    AdminRunningCosts,
    Procurement,
    ProjectSpending,
}

impl Concept {
    /// The canonical table name, free of either family's wording (决算表 / 预算表).
    pub fn name(self) -> &'static str {
        match self {
            Concept::IncomeSpendingSummary => "收支总表",
            Concept::Income => "收入表",
            Concept::Spending => "支出表",
            Concept::AppropriationSummary => "财政拨款收支总表",
            Concept::GeneralBudgetSpending => "一般公共预算财政拨款支出表",
            Concept::GeneralBudgetBasicSpending => "一般公共预算财政拨款基本支出表",
            Concept::GeneralBudgetSpendingByEconomicClass => "一般公共预算财政拨款支出表（按经济分类）",
            Concept::GeneralBudgetBasicSpendingByFunction => "一般公共预算财政拨款基本支出表（按功能分类）",
            Concept::GovernmentFundSpending => "政府性基金预算财政拨款支出表",
            Concept::StateCapitalSpending => "国有资本经营预算财政拨款支出表",
            Concept::SanGong => "三公经费支出表",
            Concept::AdminRunningCosts => "机关运行经费支出表",
            Concept::Procurement => "政府采购支出表",
            Concept::ProjectSpending => "项目支出表",
        }
    }
}

/// How the rows of a table are identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// 支出功能分类科目 codes (类/款/项) plus a 合计 row.
    Functional,
    /// 部门预算支出经济分类科目 codes plus a 合计 row.
    Economic,
    /// Economic codes printed as side-by-side groups of (科目代码, 科目名称, 金额), with the
    /// footers 人员经费合计 / 公用经费合计 (table 06).
    EconomicGroups,
    /// Two sides, 收入 left and 支出 right, rows are named items (tables 01, 04).
    TwoSided,
    /// Named items in rows (table 11).
    Named,
    /// "三公" items by 预算数/决算数, printed in either orientation (table 09).
    SanGong,
}

/// A canonical column and the header texts that mean it.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub canonical: &'static str,
    /// Header texts (whitespace removed) printed for this column.
    pub printed: &'static [&'static str],
    /// When non-empty, the printed text means this column only below one of these group
    /// headers (小计 under 本年支出 is the total, under 基本支出 it is 基本支出).
    pub under: &'static [&'static str],
    /// For two-sided tables: the side this column belongs to ("" = any).
    pub side: &'static str,
}

/// A named row (tables 01, 04, 09, 11): the canonical name and printed synonyms.
#[derive(Debug, Clone, Copy)]
pub struct NamedRow {
    pub canonical: &'static str,
    pub printed: &'static [&'static str],
    pub side: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub id: &'static str,
    /// What the table reports, the same for its twin in the other family.
    pub concept: Concept,
    pub family: Family,
    pub title: &'static str,
    pub variants: &'static [&'static str],
    pub rows: RowKind,
    /// Most specific entries first: the first match wins.
    pub columns: &'static [ColumnSpec],
    /// Column orders in which the table is printed, used when a rendering lost the header
    /// geometry (one cell per line): the layout with as many columns as the data is chosen.
    pub layouts: &'static [&'static [&'static str]],
    pub named_rows: &'static [NamedRow],
}

const fn col(canonical: &'static str, printed: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec { canonical, printed, under: &[], side: "" }
}
const fn col_under(canonical: &'static str, printed: &'static [&'static str], under: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec { canonical, printed, under, side: "" }
}
const fn col_side(canonical: &'static str, printed: &'static [&'static str], side: &'static str) -> ColumnSpec {
    ColumnSpec { canonical, printed, under: &[], side }
}
const fn row(canonical: &'static str, printed: &'static [&'static str], side: &'static str) -> NamedRow {
    NamedRow { canonical, printed, side }
}

/// Spending side totals and the 类 names are resolved through the classification, so only
/// the non-类 rows are listed here.
const ROWS_01: &[NamedRow] = &[
    row("一般公共预算财政拨款收入", &["一般公共预算财政拨款收入", "一般公共预算财政拨款"], "收入"),
    row("政府性基金预算财政拨款收入", &["政府性基金预算财政拨款收入", "政府性基金预算财政拨款"], "收入"),
    row("国有资本经营预算财政拨款收入", &["国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款"], "收入"),
    row("上级补助收入", &["上级补助收入"], "收入"),
    row("事业收入", &["事业收入"], "收入"),
    row("经营收入", &["经营收入"], "收入"),
    row("附属单位上缴收入", &["附属单位上缴收入"], "收入"),
    row("其他收入", &["其他收入"], "收入"),
    row("本年收入合计", &["本年收入合计", "收入合计"], "收入"),
    row("使用非财政拨款结余（含专用结余）", &["使用非财政拨款结余（含专用结余）", "使用非财政拨款结余", "使用非财政拨款结余和专用结余"], "收入"),
    row("年初结转和结余", &["年初结转和结余"], "收入"),
    row("总计", &["总计"], ""),
    row("本年支出合计", &["本年支出合计", "支出合计"], "支出"),
    row("结余分配", &["结余分配"], "支出"),
    row("年末结转和结余", &["年末结转和结余"], "支出"),
];

const ROWS_04: &[NamedRow] = &[
    row("一般公共预算财政拨款", &["一般公共预算财政拨款", "一般公共预算财政拨款收入"], "收入"),
    row("政府性基金预算财政拨款", &["政府性基金预算财政拨款", "政府性基金预算财政拨款收入"], "收入"),
    row("国有资本经营预算财政拨款", &["国有资本经营预算财政拨款", "国有资本经营预算财政拨款收入"], "收入"),
    row("本年收入合计", &["本年收入合计", "收入合计"], "收入"),
    row("年初财政拨款结转和结余", &["年初财政拨款结转和结余", "年初结转和结余"], "收入"),
    row("总计", &["总计"], ""),
    row("本年支出合计", &["本年支出合计", "支出合计"], "支出"),
    row("年末财政拨款结转和结余", &["年末财政拨款结转和结余", "年末结转和结余"], "支出"),
];

/// 西安 prints a 合计 before the 三公 group that also counts the 会议费 and 培训费 printed
/// beside it: not the 三公's 合计 (the group's 小计 is), so it gets a row of its own.
pub const SANGONG_WITH_MEETINGS: &str = "“三公”经费及会议费、培训费合计";

const ROWS_09: &[NamedRow] = &[
    row("合计", &["合计", "“三公”经费合计", "三公经费合计", "“三公”经费", "三公经费", "总计", "小计"], ""),
    row(SANGONG_WITH_MEETINGS, &[], ""),
    row("因公出国（境）费", &["因公出国（境）费", "因公出国（境）费用", "因公出国费", "因公出国（境）支出"], ""),
    row("公务用车购置及运行维护费", &["公务用车购置及运行维护费", "公务用车购置及运行费", "公务用车购置及运行维护支出"], ""),
    // 上海 heads the vehicles' two columns 购置费 | 运行费 under 公务用车购置及运行费: in a
    // 三公 table they can only be the vehicles'.
    row("公务用车购置费", &["公务用车购置费", "公务用车购置", "购置费"], ""),
    row("公务用车运行维护费", &["公务用车运行维护费", "公务用车运行费", "运行费", "运行维护费"], ""),
    row("公务接待费", &["公务接待费", "公务接待费支出"], ""),
    row("会议费", &["会议费"], ""),
    row("培训费", &["培训费"], ""),
];

const ROWS_11: &[NamedRow] = &[
    row("政府采购支出合计", &["政府采购支出合计"], ""),
    row("政府采购货物支出", &["政府采购货物支出"], ""),
    row("政府采购工程支出", &["政府采购工程支出"], ""),
    row("政府采购服务支出", &["政府采购服务支出"], ""),
    row("政府采购授予中小企业合同金额", &["政府采购授予中小企业合同金额", "授予中小企业合同金额"], ""),
    row("授予小微企业合同金额", &["授予小微企业合同金额"], ""),
];

const COLS_07: &[ColumnSpec] = &[
    col_under("本年支出合计", &["小计", "合计", "本年支出合计"], &["本年支出"]),
    col("年初结转和结余", &["年初结转和结余"]),
    col("本年收入", &["本年收入"]),
    col("本年支出合计", &["本年支出合计"]),
    col("基本支出", &["基本支出"]),
    col("项目支出", &["项目支出"]),
    col("年末结转和结余", &["年末结转和结余"]),
];

/// The 决算 family (2019 template of the Ministry of Finance).
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        id: "01",
        concept: Concept::IncomeSpendingSummary,
        family: Family::Final,
        title: "收入支出决算总表",
        variants: &[],
        rows: RowKind::TwoSided,
        columns: &[col_side("决算数", &["决算数", "金额", "决算金额"], "")],
        layouts: &[],
        named_rows: ROWS_01,
    },
    TableSpec {
        id: "02",
        concept: Concept::Income,
        family: Family::Final,
        title: "收入决算表",
        variants: &[],
        rows: RowKind::Functional,
        columns: &[
            col("本年收入合计", &["本年收入合计", "合计"]),
            col("财政拨款收入", &["财政拨款收入"]),
            col("上级补助收入", &["上级补助收入"]),
            col("事业收入", &["事业收入"]),
            col("经营收入", &["经营收入"]),
            col("附属单位上缴收入", &["附属单位上缴收入"]),
            col("其他收入", &["其他收入"]),
        ],
        layouts: &[&["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]],
        named_rows: &[],
    },
    TableSpec {
        id: "03",
        concept: Concept::Spending,
        family: Family::Final,
        title: "支出决算表",
        variants: &[],
        rows: RowKind::Functional,
        columns: &[
            col("本年支出合计", &["本年支出合计", "合计"]),
            col("基本支出", &["基本支出"]),
            col("项目支出", &["项目支出"]),
            col("上缴上级支出", &["上缴上级支出"]),
            col("经营支出", &["经营支出"]),
            col("对附属单位补助支出", &["对附属单位补助支出"]),
        ],
        layouts: &[&["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]],
        named_rows: &[],
    },
    TableSpec {
        id: "04",
        concept: Concept::AppropriationSummary,
        family: Family::Final,
        title: "财政拨款收入支出决算总表",
        variants: &[],
        rows: RowKind::TwoSided,
        columns: &[
            col_side("决算数", &["决算数", "金额"], "收入"),
            col_side("合计", &["合计", "小计", "决算数", "金额"], "支出"),
            col_side("一般公共预算财政拨款", &["一般公共预算财政拨款"], "支出"),
            col_side("政府性基金预算财政拨款", &["政府性基金预算财政拨款"], "支出"),
            col_side("国有资本经营预算财政拨款", &["国有资本经营预算财政拨款"], "支出"),
        ],
        layouts: &[],
        named_rows: ROWS_04,
    },
    TableSpec {
        id: "05",
        concept: Concept::GeneralBudgetSpending,
        family: Family::Final,
        title: "一般公共预算财政拨款支出决算表",
        variants: &[],
        rows: RowKind::Functional,
        columns: &[
            col_under("基本支出", &["小计", "合计"], &["基本支出"]),
            col_under("合计", &["小计", "合计"], &["本年支出"]),
            col("合计", &["合计", "本年支出合计", "小计"]),
            col("基本支出", &["基本支出"]),
            col("人员经费", &["人员经费"]),
            col("公用经费", &["公用经费"]),
            col("项目支出", &["项目支出"]),
        ],
        layouts: &[
            &["合计", "基本支出", "项目支出"],
            &["合计", "基本支出", "人员经费", "公用经费", "项目支出"],
        ],
        named_rows: &[],
    },
    TableSpec {
        id: "06",
        concept: Concept::GeneralBudgetBasicSpending,
        family: Family::Final,
        title: "一般公共预算财政拨款基本支出决算表",
        variants: &["一般公共预算财政拨款基本支出决算明细表"],
        rows: RowKind::EconomicGroups,
        columns: &[col("决算数", &["决算数", "金额"])],
        layouts: &[],
        named_rows: &[],
    },
    TableSpec {
        id: "07",
        concept: Concept::GovernmentFundSpending,
        family: Family::Final,
        title: "政府性基金预算财政拨款收入支出决算表",
        variants: &["政府性基金预算财政拨款支出决算表"],
        rows: RowKind::Functional,
        columns: COLS_07,
        layouts: &[&["年初结转和结余", "本年收入", "本年支出合计", "基本支出", "项目支出", "年末结转和结余"]],
        named_rows: &[],
    },
    TableSpec {
        id: "08",
        concept: Concept::StateCapitalSpending,
        family: Family::Final,
        title: "国有资本经营预算财政拨款支出决算表",
        variants: &["国有资本经营预算财政拨款收入支出决算表"],
        rows: RowKind::Functional,
        columns: &[
            col_under("本年支出合计", &["小计", "合计", "本年支出合计"], &["本年支出"]),
            col("年初结转和结余", &["年初结转和结余"]),
            col("本年收入", &["本年收入"]),
            col("本年支出合计", &["本年支出合计", "合计", "小计"]),
            col("基本支出", &["基本支出"]),
            col("项目支出", &["项目支出"]),
            col("年末结转和结余", &["年末结转和结余"]),
        ],
        layouts: &[
            &["本年支出合计", "基本支出", "项目支出"],
            &["年初结转和结余", "本年收入", "本年支出合计", "基本支出", "项目支出", "年末结转和结余"],
        ],
        named_rows: &[],
    },
    TableSpec {
        id: "09",
        concept: Concept::SanGong,
        family: Family::Final,
        title: "财政拨款“三公”经费支出决算表",
        variants: &["财政拨款“三公”经费及会议费、培训费支出决算表", "“三公”经费支出决算表"],
        rows: RowKind::SanGong,
        columns: &[col("预算数", &["预算数"]), col("决算数", &["决算数"])],
        layouts: &[],
        named_rows: ROWS_09,
    },
    TableSpec {
        id: "10",
        concept: Concept::AdminRunningCosts,
        family: Family::Final,
        title: "机关运行经费支出情况表",
        variants: &["机关运行经费支出决算表"],
        rows: RowKind::Economic,
        columns: &[col("决算数", &["机关运行经费支出决算数", "决算数", "金额", "机关运行经费支出"])],
        layouts: &[&["决算数"]],
        named_rows: &[],
    },
    TableSpec {
        id: "11",
        concept: Concept::Procurement,
        family: Family::Final,
        title: "政府采购支出情况表",
        variants: &["政府采购支出决算表"],
        rows: RowKind::Named,
        columns: &[col("金额", &["金额", "决算数"])],
        layouts: &[&["金额"]],
        named_rows: ROWS_11,
    },
];

// ---------------------------------------------------------------- the 预算 family

/// The fund columns every 预算 table may split its amounts into.
const FUND_COLUMNS: [ColumnSpec; 3] = [
    col("一般公共预算财政拨款", &["一般公共预算", "一般公共预算拨款", "一般公共预算资金", "一般公共预算财政拨款", "一般公共预算拨款收入", "一般公共预算收入"]),
    col("政府性基金预算财政拨款", &["政府性基金预算资金", "政府性基金预算", "政府性基金", "政府性基金预算拨款", "政府性基金预算财政拨款", "政府性基金拨款", "政府性基金预算拨款收入", "政府性基金收入"]),
    col("国有资本经营预算财政拨款", &["国有资本经营预算资金", "国有资本经营预算", "国有资本经营预算拨款", "国有资本经营预算财政拨款", "国有资本经营预算拨款收入", "国有资本经营预算收入"]),
];

/// 收入 side of the 预算 summary tables (Y01, Y04): fund rows under their many regional names.
const BUDGET_INCOME_ROWS: [NamedRow; 5] = [
    row("一般公共预算财政拨款", &["一般公共预算资金", "一般公共预算", "一般公共预算拨款", "一般公共预算拨款收入", "一般公共预算财政拨款收入", "一般公共预算收入", "本年一般公共预算财政拨款", "一般公共预算财政拨款"], "收入"),
    row("政府性基金预算财政拨款", &["政府性基金", "政府性基金预算", "政府性基金预算拨款", "政府性基金预算拨款收入", "政府性基金预算财政拨款收入", "政府性基金收入", "本年政府性基金预算财政拨款", "政府性基金拨款", "政府性基金预算资金", "政府性基金预算收入"], "收入"),
    row("国有资本经营预算财政拨款", &["国有资本经营预算", "国有资本经营预算拨款", "国有资本经营预算拨款收入", "国有资本经营预算财政拨款收入", "国有资本经营预算收入", "本年国有资本经营预算财政拨款", "国有资本经营预算资金"], "收入"),
    // 重庆, 苏州, 长沙 head the year's rows `一、本年收入` with their total beside it; the
    // `收入合计` printed below 上年结转 is then the grand total.
    row("本年收入合计", &["本年收入合计", "收入合计", "本年收入小计", "本年收入"], "收入"),
    row("收入总计", &["收入总计", "总计", "收入总计（合计）"], "收入"),
];

const BUDGET_SPENDING_ROWS: [NamedRow; 3] = [
    row("本年支出合计", &["本年支出合计", "支出合计", "本年支出小计", "本年支出"], "支出"),
    row("结转下年", &["结转下年", "年末结转和结余", "结转下年支出", "年终结转结余", "结转结余下年"], "支出"),
    row("支出总计", &["支出总计", "总计", "支出总计（合计）"], "支出"),
];

const ROWS_Y01: &[NamedRow] = &[
    BUDGET_INCOME_ROWS[0],
    BUDGET_INCOME_ROWS[1],
    BUDGET_INCOME_ROWS[2],
    row("财政拨款收入", &["财政拨款收入", "财政拨款", "财政拨款收入合计", "财政拨款资金"], "收入"),
    row("财政专户管理资金收入", &["财政专户管理资金收入", "财政专户管理资金", "财政专户拨款", "纳入专户管理的非税收入拨款"], "收入"),
    row("事业收入", &["事业收入", "事业收入资金", "事业收入（不含教育收费）"], "收入"),
    row("事业单位经营收入", &["事业单位经营收入", "经营收入", "事业单位经营收入资金"], "收入"),
    row("上级补助收入", &["上级补助收入"], "收入"),
    row("附属单位上缴收入", &["附属单位上缴收入"], "收入"),
    row("其他收入", &["其他收入", "其他资金", "其他收入资金"], "收入"),
    row("用事业基金弥补收支差额", &["用事业基金弥补收支差额"], "收入"),
    row("上年结转", &["上年结转", "上年结转结余", "上年结转资金", "上年结转结余资金", "年初结转和结余", "上年财政拨款资金结转", "上年结余、结转"], "收入"),
    BUDGET_INCOME_ROWS[3],
    BUDGET_INCOME_ROWS[4],
    BUDGET_SPENDING_ROWS[0],
    BUDGET_SPENDING_ROWS[1],
    BUDGET_SPENDING_ROWS[2],
];

const ROWS_Y04: &[NamedRow] = &[
    BUDGET_INCOME_ROWS[0],
    BUDGET_INCOME_ROWS[1],
    BUDGET_INCOME_ROWS[2],
    row("上年结转", &["上年结转", "上年结转结余", "上年结转资金", "年初财政拨款结转和结余", "年初结转和结余"], "收入"),
    BUDGET_INCOME_ROWS[3],
    BUDGET_INCOME_ROWS[4],
    BUDGET_SPENDING_ROWS[0],
    BUDGET_SPENDING_ROWS[1],
    BUDGET_SPENDING_ROWS[2],
];

/// Columns of the functional 支出 tables (Y03, Y05, Y08, Y09).
const COLS_BUDGET_SPENDING: &[ColumnSpec] = &[
    col_under("基本支出", &["小计", "合计"], &["基本支出"]),
    col("合计", &["合计", "总计", "小计", "本年支出合计", "支出合计", "支出总计", "本年预算数", "预算数", "金额", "本年支出", "本年合计"]),
    col("基本支出", &["基本支出", "基本支出合计"]),
    col("人员经费", &["人员经费", "人员支出", "工资福利支出", "人员类", "人员经费支出"]),
    col("公用经费", &["公用经费", "公用支出", "日常公用经费", "日常公用支出", "公用类", "公用经费支出"]),
    // 西安 calls project spending 专项业务经费 (its 表10 is the 专项业务经费支出表).
    col("项目支出", &["项目支出", "项目支出合计", "项目支出总数", "专项业务经费支出", "专项业务经费"]),
    col("事业单位经营支出", &["事业单位经营支出", "经营支出"]),
    col("上缴上级支出", &["上缴上级支出"]),
    col("对附属单位补助支出", &["对附属单位补助支出"]),
    col("上年预算数", &["上年预算数", "上年预算"]),
    col("上年执行数", &["上年执行数", "上年决算数"]),
];

/// The 部门预算 / 单位预算 family (财政部 部门预算公开 templates and their regional variants).
/// Ids start with `Y` so that they never meet the 决算 ids 01–11; regions number their
/// tables differently, so bare tags never name a 预算 table: titles do.
pub const BUDGET_TABLES: &[TableSpec] = &[
    TableSpec {
        id: "Y01",
        concept: Concept::IncomeSpendingSummary,
        family: Family::Budget,
        title: "部门收支总表",
        variants: &[
            "收支总表", "收支预算总表", "财务收支预算总表", "部门收支预算总表", "部门财务收支预算总表", "收支总体情况表",
            "部门收支总体情况表", "部门综合预算收支总表", "收支预算总体情况表",
        ],
        rows: RowKind::TwoSided,
        columns: &[
            col_side("预算数", &["预算数", "本年预算数", "金额", "预算金额", "本年预算", "预算"], ""),
            // 上海's 单位 tables split the 支出 side's 预算数: 合计 | 基本支出 (人员经费 | 公用经费) | 项目支出.
            col_under("预算数", &["合计"], &["预算数"]),
            col_side("人员经费", &["人员经费"], "支出"),
            col_side("公用经费", &["公用经费"], "支出"),
            col_side("项目支出", &["项目支出"], "支出"),
        ],
        layouts: &[],
        named_rows: ROWS_Y01,
    },
    TableSpec {
        id: "Y02",
        concept: Concept::Income,
        family: Family::Budget,
        title: "部门收入总表",
        variants: &[
            "收入总表", "收入预算总表", "部门收入预算总表", "部门收入预算表", "单位收入预算表", "收入总体情况表", "部门收入总体情况表", "部门综合预算收入总表",
        ],
        rows: RowKind::Functional,
        columns: &[
            // 烟台 prints 合计 | 财政拨款收入 (小计 | 一般公共预算收入 …): that 小计 is not the 合计.
            col_under("财政拨款收入", &["小计", "合计"], &["财政拨款收入", "财政拨款"]),
            // 西安: 一般公共预算拨款 | 小计, 其中：专项资金列入部门预算项目.
            col_under("一般公共预算财政拨款", &["小计", "合计"], &["一般公共预算拨款", "一般公共预算"]),
            col("合计", &["合计", "总计", "收入合计", "本年收入合计", "小计", "收入总计"]),
            col("财政拨款收入", &["财政拨款收入", "财政拨款", "财政拨款小计", "财政拨款合计"]),
            FUND_COLUMNS[0],
            FUND_COLUMNS[1],
            FUND_COLUMNS[2],
            col("财政专户管理资金收入", &["财政专户管理资金收入", "财政专户管理资金", "财政专户拨款", "纳入专户管理的非税收入拨款"]),
            col("事业收入", &["事业收入"]),
            col("事业单位经营收入", &["事业单位经营收入", "经营收入"]),
            col("上级补助收入", &["上级补助收入"]),
            // 西安 prints it 对附属单位上缴收入.
            col("附属单位上缴收入", &["附属单位上缴收入", "对附属单位上缴收入"]),
            col("其他收入", &["其他收入"]),
            col("用事业基金弥补收支差额", &["用事业基金弥补收支差额"]),
            col("上年结转", &["上年结转", "上年结转结余", "上年结转资金", "上年结余、结转", "上年结余结转"]),
        ],
        layouts: &[],
        named_rows: &[],
    },
    TableSpec {
        id: "Y03",
        concept: Concept::Spending,
        family: Family::Budget,
        title: "部门支出总表",
        variants: &["支出总表", "支出预算总表", "部门支出预算总表", "部门支出预算表", "单位支出预算表", "支出总体情况表", "部门支出总体情况表", "本年支出总体情况表", "部门综合预算支出总表"],
        rows: RowKind::Functional,
        columns: COLS_BUDGET_SPENDING,
        layouts: &[],
        named_rows: &[],
    },
    TableSpec {
        id: "Y04",
        concept: Concept::AppropriationSummary,
        family: Family::Budget,
        title: "财政拨款收支总表",
        variants: &["财政拨款收支预算总表", "财政拨款收支总体情况表", "部门综合预算财政拨款收支总表", "财政拨款收支预算总体情况表"],
        rows: RowKind::TwoSided,
        columns: &[
            col_side("预算数", &["预算数", "本年预算数", "金额", "预算金额", "本年预算", "预算"], "收入"),
            col_side("合计", &["合计", "小计", "总计", "预算数", "本年预算数", "金额", "预算"], "支出"),
            FUND_COLUMNS[0],
            FUND_COLUMNS[1],
            FUND_COLUMNS[2],
        ],
        layouts: &[],
        named_rows: ROWS_Y04,
    },
    TableSpec {
        id: "Y05",
        concept: Concept::GeneralBudgetSpending,
        family: Family::Budget,
        title: "一般公共预算支出表",
        variants: &[
            "一般公共预算支出功能分类预算表", "一般公共预算支出情况表", "一般公共预算支出预算表", "一般公共预算拨款支出预算表",
            "一般公共预算财政拨款支出表", "一般公共预算财政拨款支出预算表", "部门综合预算一般公共预算支出表",
            // 西安 部门综合预算 表5 (its economic twin, 表6, is not this table).
            "一般公共预算支出明细表",
        ],
        rows: RowKind::Functional,
        columns: COLS_BUDGET_SPENDING,
        layouts: &[],
        named_rows: &[],
    },
    TableSpec {
        id: "Y06",
        concept: Concept::GeneralBudgetBasicSpending,
        family: Family::Budget,
        title: "一般公共预算基本支出表",
        variants: &[
            "一般公共预算基本支出部门预算经济分类预算表", "一般公共预算基本支出经济分类预算表", "一般公共预算基本支出情况表",
            "一般公共预算基本支出预算表", "一般公共预算基本支出经济分类情况表", "部门综合预算一般公共预算基本支出表",
            "一般公共预算财政拨款基本支出表", "一般公共预算财政拨款基本支出预算表",
            // 西安 表8 (按支出经济分类科目; its functional twin, 表7, is not this table).
            "一般公共预算基本支出明细表",
        ],
        rows: RowKind::Economic,
        columns: &[
            col_under("合计", &["小计", "合计"], &["基本支出", "一般公共预算基本支出"]),
            col("合计", &["合计", "总计", "小计", "基本支出", "预算数", "本年预算数", "金额", "预算"]),
            col("人员经费", &["人员经费", "人员支出", "人员类", "人员经费支出"]),
            col("公用经费", &["公用经费", "公用支出", "日常公用经费", "日常公用支出", "公用类", "公用经费支出"]),
        ],
        layouts: &[],
        named_rows: &[],
    },
    TableSpec {
        id: "Y07",
        concept: Concept::SanGong,
        family: Family::Budget,
        title: "一般公共预算“三公”经费支出表",
        variants: &[
            "“三公”经费和机关运行经费预算表", "一般公共预算“三公”经费支出预算表", "一般公共预算“三公”经费预算表",
            "一般公共预算“三公”经费支出情况表", "财政拨款“三公”经费支出表", "财政拨款预算“三公”经费支出表",
            "财政拨款“三公”经费支出情况表", "“三公”经费支出表", "“三公”经费预算表", "部门综合预算“三公”经费支出表",
            "一般公共预算拨款“三公”经费及会议费、培训费支出预算表", "“三公”经费及会议费、培训费支出预算表",
            "一般公共预算“三公”经费、会议费、培训费支出表", "“三公”经费、会议费、培训费支出表",
        ],
        rows: RowKind::SanGong,
        columns: &[col("预算数", &["预算数"])],
        layouts: &[],
        named_rows: ROWS_09,
    },
    TableSpec {
        id: "Y08",
        concept: Concept::GovernmentFundSpending,
        family: Family::Budget,
        title: "政府性基金预算支出表",
        variants: &[
            "政府性基金预算支出功能分类预算表", "政府性基金预算支出情况表", "政府性基金预算支出预算表", "政府性基金预算拨款支出预算表",
            "政府性基金预算财政拨款支出表", "部门综合预算政府性基金预算支出表", "政府性基金收支表",
        ],
        rows: RowKind::Functional,
        columns: COLS_BUDGET_SPENDING,
        layouts: &[],
        named_rows: &[],
    },
    TableSpec {
        id: "Y09",
        concept: Concept::StateCapitalSpending,
        family: Family::Budget,
        title: "国有资本经营预算支出表",
        variants: &[
            "国有资本经营预算支出功能分类预算表", "国有资本经营预算支出情况表", "国有资本经营预算支出预算表",
            "国有资本经营预算拨款支出预算表", "国有资本经营预算财政拨款支出表",
        ],
        rows: RowKind::Functional,
        columns: COLS_BUDGET_SPENDING,
        layouts: &[],
        named_rows: &[],
    },
    TableSpec {
        id: "Y10",
        concept: Concept::ProjectSpending,
        family: Family::Budget,
        title: "项目支出表",
        variants: &["项目支出预算表", "项目支出总表", "项目支出预算情况表", "部门预算项目支出及其他支出预算表", "专项业务经费支出表"],
        rows: RowKind::Named,
        columns: &[col("合计", &["合计", "金额", "预算数", "本年预算数", "项目支出", "总计", "小计", "项目金额"])],
        layouts: &[],
        named_rows: &[],
    },
    // The scheme twins of Y05 and Y06: the same money by the other classification. Regions print
    // them beside the standard tables under the same title and a qualifier (深圳 `一般公共预算支出表
    // （按经济分类）`, 西安 表6 and 表7); see SCHEME_TWINS.
    TableSpec {
        id: "Y11",
        concept: Concept::GeneralBudgetSpendingByEconomicClass,
        family: Family::Budget,
        title: "一般公共预算支出经济分类表",
        variants: &["一般公共预算支出经济分类预算表", "一般公共预算支出经济分类情况表", "一般公共预算财政拨款支出经济分类表"],
        rows: RowKind::Economic,
        columns: COLS_BUDGET_SPENDING,
        layouts: &[],
        named_rows: &[],
    },
    TableSpec {
        id: "Y12",
        concept: Concept::GeneralBudgetBasicSpendingByFunction,
        family: Family::Budget,
        title: "一般公共预算基本支出功能分类表",
        variants: &["一般公共预算基本支出功能分类预算表", "一般公共预算基本支出功能分类情况表"],
        rows: RowKind::Functional,
        columns: COLS_BUDGET_SPENDING,
        layouts: &[],
        named_rows: &[],
    },
];

/// A standard table and its twin by the other classification: a title of the first printed with
/// a qualifier naming the other scheme (`（按经济分类）`, `（按支出功能分类科目）`) is the twin.
pub const SCHEME_TWINS: &[(&str, &str)] = &[("Y05", "Y11"), ("Y06", "Y12")];

/// The spec of a table id.
pub fn spec(id: &str) -> Option<&'static TableSpec> {
    all().find(|t| t.id == id)
}

/// Every table of both families.
pub fn all() -> impl Iterator<Item = &'static TableSpec> {
    TABLES.iter().chain(BUDGET_TABLES.iter())
}

/// Every title and variant with its table, longest first so that a title which ends with a
/// shorter one (财政拨款收入支出决算总表 ⊃ 收入支出决算总表) wins.
pub fn titles() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<(&str, &str)> =
        all().flat_map(|t| std::iter::once(t.title).chain(t.variants.iter().copied()).map(move |s| (s, t.id))).collect();
    v.sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
    v
}

/// Named rows that are the sum of other named rows of the same table (the 三公 items of 09 and
/// Y07): (parent, children). A record's `parent_item` comes from here, so that an analyst
/// summing a level never counts a subtotal and its parts twice. 会议费 and 培训费 are printed
/// beside the 三公 but are no part of its 合计.
pub const NAMED_ROW_PARTS: &[(RowKind, &str, &[&str])] = &[
    (RowKind::SanGong, "合计", &["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"]),
    (RowKind::SanGong, "公务用车购置及运行维护费", &["公务用车购置费", "公务用车运行维护费"]),
    (RowKind::Named, "政府采购支出合计", &["政府采购货物支出", "政府采购工程支出", "政府采购服务支出"]),
    (RowKind::Named, "政府采购授予中小企业合同金额", &["授予小微企业合同金额"]),
];

/// The named row a named row of a table of `kind` is part of.
pub fn named_parent(kind: RowKind, item: &str) -> Option<&'static str> {
    NAMED_ROW_PARTS.iter().find(|(k, _, children)| *k == kind && children.contains(&item)).map(|(_, parent, _)| *parent)
}

/// Whether a named row is a subtotal of other named rows of its table.
pub fn is_named_parent(kind: RowKind, item: &str) -> bool {
    NAMED_ROW_PARTS.iter().any(|(k, parent, _)| *k == kind && *parent == item)
}

/// Whether a row name is a table's grand total or a side's total (合计, 总计, 本年收入合计,
/// 支出总计, 人员经费合计 …): what a level sums to.
pub fn is_total_row(item: &str) -> bool {
    item.ends_with("合计") || item.ends_with("总计")
}

// ---------------------------------------------------------------- declared links

/// One printed cell of a standard table: (table, side, item key, column). The item key is a
/// code for coded rows, else the canonical row name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRef {
    pub table: &'static str,
    pub side: &'static str,
    pub item: &'static str,
    pub column: &'static str,
}

const fn cell(table: &'static str, side: &'static str, item: &'static str, column: &'static str) -> CellRef {
    CellRef { table, side, item, column }
}

/// A column that is the sum of other columns, on every row of a table (`total = Σ parts`).
#[derive(Debug, Clone, Copy)]
pub struct RowSum {
    pub check: &'static str,
    pub table: &'static str,
    /// The side of a two-sided table the rows are on (empty for one-sided tables).
    pub side: &'static str,
    pub total: &'static str,
    pub parts: &'static [&'static str],
}

const fn row_sum(check: &'static str, table: &'static str, total: &'static str, parts: &'static [&'static str]) -> RowSum {
    RowSum { check, table, side: "", total, parts }
}

const fn side_row_sum(check: &'static str, table: &'static str, side: &'static str, total: &'static str, parts: &'static [&'static str]) -> RowSum {
    RowSum { check, table, side, total, parts }
}

const BASIC_PROJECT: &[&str] = &["基本支出", "项目支出"];
const PERSONNEL_PUBLIC: &[&str] = &["人员经费", "公用经费"];
/// The three funds of 财政拨款, as the 预算 and 决算 tables name their columns.
pub const FUNDS: &[&str] = &["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"];

/// Parts of a row identity that some 预算 tables print only as their own parts, without a
/// 小计 (杭州 and 湖州: 基本支出 as 人员经费 | 公用经费; 深圳: 财政拨款收入 as its three funds):
/// where the whole is not printed, its parts stand in for it.
pub const PRINTED_AS_PARTS: &[(&str, &[&str])] = &[("基本支出", PERSONNEL_PUBLIC), ("财政拨款收入", FUNDS)];

/// Row identities of both families (a table absent from a report adds no check).
pub const ROW_SUMS: &[RowSum] = &[
    row_sum("02:total=sum(sources)", "02", "本年收入合计", &["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]),
    row_sum("03:total=basic+project+…", "03", "本年支出合计", &["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]),
    row_sum("05:total=basic+project", "05", "合计", BASIC_PROJECT),
    row_sum("05:basic=personnel+public", "05", "基本支出", PERSONNEL_PUBLIC),
    row_sum("07:total=basic+project", "07", "本年支出合计", BASIC_PROJECT),
    row_sum("08:total=basic+project", "08", "本年支出合计", BASIC_PROJECT),
    row_sum("Y03:total=basic+project+…", "Y03", "合计", &["基本支出", "项目支出", "事业单位经营支出", "上缴上级支出", "对附属单位补助支出"]),
    row_sum("Y05:total=basic+project", "Y05", "合计", BASIC_PROJECT),
    row_sum("Y08:total=basic+project", "Y08", "合计", BASIC_PROJECT),
    row_sum("Y09:total=basic+project", "Y09", "合计", BASIC_PROJECT),
    row_sum("Y05:basic=personnel+public", "Y05", "基本支出", PERSONNEL_PUBLIC),
    row_sum("Y06:total=personnel+public", "Y06", "合计", PERSONNEL_PUBLIC),
    row_sum("Y11:total=basic+project", "Y11", "合计", BASIC_PROJECT),
    row_sum("Y12:total=personnel+public", "Y12", "合计", PERSONNEL_PUBLIC),
    side_row_sum("Y01:支出=personnel+public+project", "Y01", "支出", "预算数", &["人员经费", "公用经费", "项目支出"]),
    // A source column the reader missed (烟台's 事业收入) fails it instead of vanishing.
    row_sum(
        "Y02:合计=sum(sources)",
        "Y02",
        "合计",
        &["财政拨款收入", "财政专户管理资金收入", "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入", "用事业基金弥补收支差额", "上年结转"],
    ),
];

/// A column of a table side: (table, side, column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnRef {
    pub table: &'static str,
    pub side: &'static str,
    pub column: &'static str,
}

const fn column(table: &'static str, side: &'static str, column: &'static str) -> ColumnRef {
    ColumnRef { table, side, column }
}

/// One classification printed by two tables: every code row of `from` equals the same code's
/// row of `to` (a summary table's 类 rows are the totals of the detail table's 类; a table of
/// basic spending is the 基本支出 column of the table of all spending, code by code).
#[derive(Debug, Clone, Copy)]
pub struct ClassLink {
    pub check: &'static str,
    pub from: ColumnRef,
    pub to: ColumnRef,
}

const fn class_link(check: &'static str, from: ColumnRef, to: ColumnRef) -> ClassLink {
    ClassLink { check, from, to }
}

/// A summary table's side whose total is the sum of the 类 rows it prints (functional codes),
/// in every column: (check, table, side, total row).
pub const CLASS_SUMS: &[(&str, &str, &str, &str)] = &[
    ("01:支出 本年支出合计=sum(类)", "01", "支出", "本年支出合计"),
    ("Y01:支出 本年支出合计=sum(类)", "Y01", "支出", "本年支出合计"),
    ("Y04:支出 本年支出合计=sum(类)", "Y04", "支出", "本年支出合计"),
];

/// A row some templates print over its own parts (`财政拨款收入` over the three funds,
/// `上年结转` over `财政拨款结余、结转` …): the whole is the sum of the parts printed, and where the
/// whole is printed its parts are no rows of their own in the side's sums. A part may also be
/// printed as a sub-row of the whole (`上年结转/一般公共预算财政拨款`).
#[derive(Debug, Clone, Copy)]
pub struct RowGroup {
    /// The whole's names across templates; the first names the group in checks.
    pub names: &'static [&'static str],
    pub parts: &'static [&'static str],
}

/// How one side of a 预算 summary table (Y01 收支总表, Y04 财政拨款收支总表) adds up, per
/// column: the subtotal (本年收入合计) is this year's rows — printed above it, or, where the
/// subtotal heads them (`一、本年收入`), below it up to the first carried row; the total is the
/// subtotal (or, unprinted, all rows) plus every other row. Rows are named, not coded, so a
/// row the declaration does not know makes the side's sums not applicable (a sum missing an
/// unknown row would fail on the report's own figures); the groups' sums still hold.
#[derive(Debug, Clone, Copy)]
pub struct SideTotal {
    pub tables: &'static [&'static str],
    pub side: &'static str,
    pub subtotal: &'static str,
    pub total: &'static str,
    /// This year's rows. `None`: the side's other rows are classification rows (类, 款 …),
    /// summed by [`CLASS_SUMS`]; only the total's tail is checked here.
    pub current: Option<&'static [&'static str]>,
    /// Money carried in or out (上年结转, 结转下年): never part of the subtotal.
    pub carried: &'static [&'static str],
    pub groups: &'static [RowGroup],
    /// `其中` rows, part of a row above them and of no sum.
    pub of_which: &'static [&'static str],
}

const CARRIED_IN_PARTS: &[&str] = &[
    "财政拨款结余、结转",
    "非财政拨款结余、结转",
    "财政拨款资金结转",
    "非财政拨款资金结余",
    "一般公共预算拨款结余、结转",
    "政府性基金预算拨款结余、结转",
    "国有资本经营预算拨款结余、结转",
];
const UNIT_FUNDS: &[&str] = &["事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"];

/// The summary tables' sides (checks `<table>:<side> <subtotal>=sum(rows)`, `<table>:<side>
/// <total>=<subtotal>+rest`, `<table>:<side> <group>=sum(parts)`).
pub const SIDE_TOTALS: &[SideTotal] = &[
    SideTotal {
        tables: &["Y01", "Y04"],
        side: "收入",
        subtotal: "本年收入合计",
        total: "收入总计",
        current: Some(&[
            "一般公共预算财政拨款",
            "政府性基金预算财政拨款",
            "国有资本经营预算财政拨款",
            "财政专户管理资金收入",
            "纳入财政专户管理的收费",
            "事业收入",
            "事业单位经营收入",
            "上级补助收入",
            "附属单位上缴收入",
            "其他收入",
        ]),
        carried: &["上年结转", "用事业基金弥补收支差额", "上年实户资金余额", "使用非财政拨款结余"],
        groups: &[
            RowGroup { names: &["财政拨款收入", "财政拨款", "预算拨款", "本级财政拨款收入"], parts: FUNDS },
            RowGroup { names: &["单位资金", "单位资金收入"], parts: UNIT_FUNDS },
            RowGroup { names: &["上年结转", "上年结余、结转"], parts: CARRIED_IN_PARTS },
        ],
        of_which: &["专项资金列入部门预算的项目"],
    },
    SideTotal {
        tables: &["Y01", "Y04"],
        side: "支出",
        subtotal: "本年支出合计",
        total: "支出总计",
        current: None,
        carried: &["结转下年", "未安排支出的实户资金"],
        groups: &[],
        of_which: &[],
    },
];

/// Class links of the 决算 family: 01's 支出 类 rows are 03's; 04's fund columns are the totals
/// of 05 (一般公共预算), 07 (政府性基金), 08 (国有资本经营).
pub const FINAL_CLASS_LINKS: &[ClassLink] = &[
    class_link("01:类=03:类", column("01", "支出", "决算数"), column("03", "", "本年支出合计")),
    class_link("04:类=05:类", column("04", "支出", "一般公共预算财政拨款"), column("05", "", "合计")),
    class_link("04:类=07:类", column("04", "支出", "政府性基金预算财政拨款"), column("07", "", "本年支出合计")),
    class_link("04:类=08:类", column("04", "支出", "国有资本经营预算财政拨款"), column("08", "", "本年支出合计")),
];

/// Class links of the 预算 family: the summary tables' 类 rows (Y01 → Y03; Y04's funds → Y05,
/// Y08, Y09), and the scheme twins code by code: Y12 (basic spending by function) is Y05's
/// 基本支出, Y06 (basic spending by economic class) is Y11's 基本支出, with their 人员经费 and
/// 公用经费 where both print them.
pub const BUDGET_CLASS_LINKS: &[ClassLink] = &[
    class_link("Y01:类=Y03:类", column("Y01", "支出", "预算数"), column("Y03", "", "合计")),
    class_link("Y04:类=Y05:类", column("Y04", "支出", "一般公共预算财政拨款"), column("Y05", "", "合计")),
    class_link("Y04:类=Y08:类", column("Y04", "支出", "政府性基金预算财政拨款"), column("Y08", "", "合计")),
    class_link("Y04:类=Y09:类", column("Y04", "支出", "国有资本经营预算财政拨款"), column("Y09", "", "合计")),
    class_link("Y12:科目=Y05:科目", column("Y12", "", "合计"), column("Y05", "", "基本支出")),
    class_link("Y12:科目=Y05:科目", column("Y12", "", "人员经费"), column("Y05", "", "人员经费")),
    class_link("Y12:科目=Y05:科目", column("Y12", "", "公用经费"), column("Y05", "", "公用经费")),
    class_link("Y06:科目=Y11:科目", column("Y06", "", "合计"), column("Y11", "", "基本支出")),
    class_link("Y06:科目=Y11:科目", column("Y06", "", "人员经费"), column("Y11", "", "人员经费")),
    class_link("Y06:科目=Y11:科目", column("Y06", "", "公用经费"), column("Y11", "", "公用经费")),
];

/// Cross-table identities of the 决算 family with a fixed cell on each side (the per-类
/// comparisons, 01 ↔ 03 and 04 ↔ 05/07/08 by code, are run for every 类 printed).
pub const FINAL_SAME_FIGURES: &[SameFigure] = &[
    SameFigure {
        check: "01:本年收入合计=02:合计",
        cell: cell("01", "收入", "本年收入合计", "决算数"),
        any_of: &[cell("02", "", "合计", "本年收入合计")],
    },
    SameFigure {
        check: "01:本年支出合计=03:合计",
        cell: cell("01", "支出", "本年支出合计", "决算数"),
        any_of: &[cell("03", "", "合计", "本年支出合计")],
    },
    SameFigure {
        check: "04:一般公共预算财政拨款=05:合计",
        cell: cell("04", "支出", "本年支出合计", "一般公共预算财政拨款"),
        any_of: &[cell("05", "", "合计", "合计")],
    },
    SameFigure {
        check: "04:政府性基金预算财政拨款=07:合计",
        cell: cell("04", "支出", "本年支出合计", "政府性基金预算财政拨款"),
        any_of: &[cell("07", "", "合计", "本年支出合计")],
    },
    SameFigure {
        check: "04:国有资本经营预算财政拨款=08:合计",
        cell: cell("04", "支出", "本年支出合计", "国有资本经营预算财政拨款"),
        any_of: &[cell("08", "", "合计", "本年支出合计")],
    },
];

/// The same figure printed in two tables: `cell` must equal one of `any_of` that is printed
/// (regions print the other table's total under different rows). An independent tie: when it holds, the totals are
/// confirmed by a second table.
#[derive(Debug, Clone, Copy)]
pub struct SameFigure {
    pub check: &'static str,
    pub cell: CellRef,
    pub any_of: &'static [CellRef],
}

/// Cross-table identities of the 预算 family (docs/tables.md, "Identities").
pub const BUDGET_SAME_FIGURES: &[SameFigure] = &[
    SameFigure {
        check: "Y02:合计=Y01:收入",
        cell: cell("Y02", "", "合计", "合计"),
        any_of: &[cell("Y01", "收入", "收入总计", "预算数"), cell("Y01", "收入", "本年收入合计", "预算数")],
    },
    SameFigure {
        check: "Y03:合计=Y01:支出",
        cell: cell("Y03", "", "合计", "合计"),
        any_of: &[cell("Y01", "支出", "本年支出合计", "预算数"), cell("Y01", "支出", "支出总计", "预算数")],
    },
    SameFigure {
        check: "Y05:合计=Y04:一般公共预算",
        cell: cell("Y05", "", "合计", "合计"),
        any_of: &[
            cell("Y04", "支出", "本年支出合计", "一般公共预算财政拨款"),
            cell("Y04", "支出", "支出总计", "一般公共预算财政拨款"),
        ],
    },
    SameFigure {
        check: "Y06:合计=Y05:基本支出",
        cell: cell("Y06", "", "合计", "合计"),
        any_of: &[cell("Y05", "", "合计", "基本支出")],
    },
    SameFigure { check: "Y11:合计=Y05:合计", cell: cell("Y11", "", "合计", "合计"), any_of: &[cell("Y05", "", "合计", "合计")] },
    SameFigure { check: "Y12:合计=Y06:合计", cell: cell("Y12", "", "合计", "合计"), any_of: &[cell("Y06", "", "合计", "合计")] },
];

/// A narrative statement and the cell printing the same figure. The fact is named by its
/// topic and name in facts.csv.
#[derive(Debug, Clone, Copy)]
pub struct NarrativeLink {
    pub topic: &'static str,
    pub name: &'static str,
    pub cells: &'static [CellRef],
    /// One more alternative: the sum of these cells (西安 prints 三公 with 会议费 and 培训费
    /// under one 合计, so the 三公 figure is the sum of its three items).
    pub sum_of: &'static [CellRef],
}

/// What the 预算 narrative states and where its tables print it (compared with the closest
/// printed alternative).
pub const BUDGET_NARRATIVE: &[NarrativeLink] = &[
    NarrativeLink {
        topic: "收支总体",
        name: "收支总预算",
        cells: &[cell("Y01", "收入", "收入总计", "预算数"), cell("Y01", "支出", "支出总计", "预算数"), cell("Y02", "", "合计", "合计")],
        sum_of: &[],
    },
    NarrativeLink {
        topic: "收支总体",
        name: "支出总预算",
        cells: &[cell("Y01", "支出", "支出总计", "预算数"), cell("Y03", "", "合计", "合计")],
        sum_of: &[],
    },
    NarrativeLink {
        topic: "财政拨款",
        name: "财政拨款收支总预算",
        cells: &[cell("Y04", "收入", "收入总计", "预算数"), cell("Y04", "支出", "支出总计", "合计")],
        sum_of: &[],
    },
    NarrativeLink {
        topic: "财政拨款",
        name: "一般公共预算财政拨款支出",
        cells: &[cell("Y05", "", "合计", "合计")],
        sum_of: &[],
    },
    NarrativeLink {
        topic: "三公经费",
        name: "预算数",
        cells: &[cell("Y07", "", "合计", "预算数")],
        sum_of: &[
            cell("Y07", "", "因公出国（境）费", "预算数"),
            cell("Y07", "", "公务用车购置及运行维护费", "预算数"),
            cell("Y07", "", "公务接待费", "预算数"),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/tables.md names every table and every declared identity and narrative link.
    #[test]
    fn docs_name_every_declaration() {
        let doc = include_str!("../../../docs/tables.md");
        for t in all() {
            assert!(doc.contains(&format!("| {} | {} |", t.id, t.title)), "docs/tables.md lacks the row of {} {}", t.id, t.title);
        }
        for r in ROW_SUMS {
            assert!(doc.contains(&format!("`{}`", r.check)), "docs/tables.md lacks the row identity {}", r.check);
        }
        for d in BUDGET_SAME_FIGURES.iter().chain(FINAL_SAME_FIGURES) {
            assert!(doc.contains(&format!("`{}`", d.check)), "docs/tables.md lacks the identity {}", d.check);
        }
        for l in BUDGET_NARRATIVE {
            assert!(doc.contains(&format!("{} / {}", l.topic, l.name)), "docs/tables.md lacks the narrative link {} / {}", l.topic, l.name);
        }
        for l in FINAL_CLASS_LINKS.iter().chain(BUDGET_CLASS_LINKS) {
            assert!(doc.contains(&format!("`{}`", l.check)), "docs/tables.md lacks the class link {}", l.check);
        }
        for s in SIDE_TOTALS {
            for name in [s.subtotal, s.total].iter().chain(s.groups.iter().map(|g| &g.names[0])) {
                assert!(doc.contains(&format!("`{name}`")), "docs/tables.md lacks the side total row {name}");
            }
        }
        for (check, ..) in CLASS_SUMS {
            assert!(doc.contains(&format!("`{check}`")), "docs/tables.md lacks the class sum {check}");
        }
    }
}
