//! Narrative facts of the five seed text renderings against the gold facts
//! (tests/fixtures/gold/*.json; seeds in tests/fixtures/seeds or /work/shared/corpus/seeds).

use super::*;
use gongkai_model::{Extractor, Format, Options};
use std::collections::BTreeSet;

const SEEDS: [&str; 5] = ["000_5010c9f98508a758", "001_03d4e11e00e8d2e9", "002_97d50bc877a759dd", "003_66bd46d71a5bdd15", "004_295e34a150d1a2fa"];

fn seed_doc(stem: &str) -> Document {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let candidates = [format!("{dir}/samples/seeds/{stem}.txt"), format!("{dir}/tests/fixtures/seeds/{stem}.txt")];
    let path = candidates.iter().find(|p| std::path::Path::new(p).exists()).unwrap_or_else(|| panic!("seed {stem} not found"));
    let bytes = std::fs::read(path).unwrap();
    gongkai_text::TextExtractor(Format::Text).extract(&bytes, &Options::default()).unwrap()
}

use crate::recognise::tests::norm_name as norm;

type Key = (String, String, Decimal);

fn gold_facts(stem: &str) -> BTreeSet<Key> {
    let g = crate::checks::tests::gold(stem);
    g["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (norm(f["topic"].as_str().unwrap()), norm(f["name"].as_str().unwrap()), Decimal::from_str(f["value"].as_str().unwrap()).unwrap().normalize()))
        .collect()
}

fn found(stem: &str) -> (BTreeSet<Key>, Vec<Fact>) {
    let facts = extract_facts(&seed_doc(stem), None);
    (facts.iter().map(|f| (norm(&f.topic), norm(&f.name), f.value.normalize())).collect(), facts)
}

/// Every gold fact is found, per seed; what else is emitted is a correct reading too (the
/// gold keeps headline figures only), bounded so junk would show.
#[test]
fn every_gold_fact_is_found_on_every_seed() {
    for s in SEEDS {
        let gold = gold_facts(s);
        let (got, facts) = found(s);
        let missing: Vec<_> = gold.iter().filter(|k| !got.contains(*k)).collect();
        assert!(missing.is_empty(), "{s}: missing {missing:?}");
        let plain = facts.iter().filter(|f| !f.name.contains("_增减")).count();
        assert!(plain <= gold.len() + 20, "{s}: {plain} facts for {} gold", gold.len());
    }
}

#[test]
fn extracted_facts_agree_with_the_gold_tables() {
    for s in SEEDS {
        let g = crate::checks::tests::gold(s);
        let checks = crate::checks::narrative_vs_tables(&extract_facts(&seed_doc(s), None), &crate::checks::tests::gold_records(&g), Decimal::new(1, 2));
        let failed: Vec<_> = checks.iter().filter(|c| c.status == crate::report::CheckStatus::Fail).collect();
        assert!(failed.is_empty(), "{s}: {failed:?}");
    }
}

fn one_paragraph_doc(lines: &[&str]) -> Document {
    let blocks = lines.iter().map(|t| Block::Paragraph(gongkai_model::Paragraph { text: t.to_string(), prov: Default::default() })).collect();
    Document { blocks, ..Default::default() }
}

fn value_of(facts: &[Fact], topic: &str, name: &str) -> Option<Decimal> {
    facts.iter().find(|f| f.topic == topic && f.name == name).map(|f| f.value)
}

#[test]
fn split_lines_spaced_digits_and_yuan_are_read_exactly() {
    let doc = one_paragraph_doc(&[
        "一、收入支出决算总体情况说明",
        "2024年度收入、支出总计665. 39万元，比上年收入、支出总计各减",
        "少475. 37万元，下降41. 67%。",
        "十、机关运行经费支出情况说明",
        "2024年度，机关运行经费支出47,215.5元。",
    ]);
    let facts = extract_facts(&doc, None);
    assert_eq!(value_of(&facts, "收支总体", "收入总计"), Some(Decimal::new(66539, 2)));
    assert_eq!(value_of(&facts, "收支总体", "支出总计"), Some(Decimal::new(66539, 2)));
    assert_eq!(value_of(&facts, "收支总体", "收入总计_增减"), Some(Decimal::new(-47537, 2)));
    assert_eq!(value_of(&facts, "收支总体", "支出总计_增减率"), Some(Decimal::new(-4167, 2)));
    assert_eq!(value_of(&facts, "机关运行经费", "决算数"), Some(Decimal::new(472155, 5)));
    let f = facts.iter().find(|f| f.name == "收入总计").unwrap();
    assert!(f.sentence.starts_with("一、收入支出决算总体情况说明2024年度") && f.sentence.ends_with("下降41.67%。"), "{}", f.sentence);
}

#[test]
fn the_09_statistics_block_is_read_from_the_table() {
    let (_, facts) = found("000_5010c9f98508a758");
    let f = facts.iter().find(|f| f.topic == "三公经费统计数" && f.name == "公务用车保有量").unwrap();
    assert_eq!((f.value, f.unit.as_str()), (Decimal::ONE, "辆"));
}

#[test]
fn performance_appendix_figures_are_not_facts() {
    let doc = one_paragraph_doc(&["十三、预算绩效情况说明", "（1）贫困群众医疗救助项目年初预算200万元，项目支出执行数为427.3万元，资金执行率为85.46%。"]);
    assert!(extract_facts(&doc, None).is_empty());
}

#[test]
fn basic_spending_is_recognised_without_its_heading() {
    // The generated PDF of seed 001 loses the 六、…基本支出决算情况说明 heading.
    let doc = one_paragraph_doc(&[
        "五、一般公共预算财政拨款支出决算情况说明",
        "11.住房保障支出（类）住房改革支出（款）住房公积金（项）：支出决算为28.60万元，完成预算",
        "100%。",
        "2024年度一般公共预算财政拨款基本支出415.25万元，其中：",
        "人员经费379.64万元，主要包括：基本工资。",
        "公用经费35.61万元，主要包括：办公费。",
    ]);
    let facts = extract_facts(&doc, None);
    assert_eq!(value_of(&facts, "基本支出", "一般公共预算财政拨款基本支出"), Some(Decimal::new(41525, 2)));
    assert_eq!(value_of(&facts, "基本支出", "人员经费"), Some(Decimal::new(37964, 2)));
    assert_eq!(value_of(&facts, "基本支出", "公用经费"), Some(Decimal::new(3561, 2)));
    assert_eq!(value_of(&facts, "财政拨款", "住房改革支出/住房公积金（2210201）"), Some(Decimal::new(2860, 2)));
}

#[test]
fn item_rows_are_not_read_as_their_class() {
    // real_028 (无锡市教育局 2026 单位预算) lists 款/项 figures under the 类 heading line.
    let doc = one_paragraph_doc(&[
        "五、一般公共预算财政拨款支出决算情况说明",
        "其中：（一）教育支出（类）1.教育管理事务（款）行政运行（项）支出1，631.11万元，与上年相比减少116.98万元，减少6.69%。",
        "3.普通教育（款）学前教育（项）支出150万元，与上年相比减少638.67万元，减少80.98%。",
        "全年安排因公出国（境）团组0个，100人次。",
    ]);
    let facts = extract_facts(&doc, None);
    assert_eq!(value_of(&facts, "财政拨款", "教育支出"), None, "{facts:?}");
    assert_eq!(value_of(&facts, "财政拨款", "教育管理事务/行政运行（2050101）"), Some(Decimal::new(163111, 2)));
    assert_eq!(value_of(&facts, "财政拨款", "普通教育/学前教育"), Some(Decimal::from(150)));
    assert_eq!(value_of(&facts, "三公经费统计数", "因公出国（境）人次数"), Some(Decimal::from(100)));
}

/// 西安 lists the 项 of its spending with their codes: a 项 whose name contains a 类's
/// (`其他成人教育支出` ⊃ 教育支出) is not that 类, nor are the changes printed after it.
#[test]
fn items_printed_with_their_codes_are_not_their_class() {
    let doc = one_paragraph_doc(&[
        "（二）支出按功能科目分类的明细情况",
        "本部门当年一般公共预算支出30,331.26万元，其中：1.行政运行（2010601）4,702.02万元，较上年增加121.66万元，增长2.66%；\
         8.其他成人教育支出（2050499）406.33万元，较上年减少20.33万元，下降4.76%；\
         10.行政单位离退休（2080501）146.88万元，较上年增加37.51万元，增长34.30%。",
    ]);
    let facts = extract_facts(&doc, None);
    let wrong: Vec<&Fact> = facts.iter().filter(|f| f.name.starts_with("教育支出") || f.name.starts_with("社会保障和就业支出")).collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}

/// A 三公 figure its sentence calls neither 预算 nor 决算 is of the report's own kind.
#[test]
fn a_bare_sangong_figure_takes_the_reports_kind() {
    let lines = ["二、“三公”经费安排情况", "其中：因公出国（境）费5万元，公务接待费8.16万元。"];
    let name = |family| extract_facts(&one_paragraph_doc(&lines), family).into_iter().find(|f| f.name.starts_with("公务接待费")).map(|f| f.name);
    assert_eq!(name(Some(crate::recognise::catalogue::Family::Budget)).as_deref(), Some("公务接待费预算数"));
    assert_eq!(name(Some(crate::recognise::catalogue::Family::Final)).as_deref(), Some("公务接待费决算数"));
}

/// A change printed after an item's own figure is the item's, even when its figure is 0
/// (湖州: `因公出国（境）费用预算0.00万元，比上年预算数下降100.0%` is not the 三公 total's change).
#[test]
fn an_items_change_is_not_its_groups() {
    let lines = [
        "（九）关于2026年一般公共预算“三公”经费预算情",
        "况说明",
        "湖州市交通运输局2026年“三公”经费预算数为749.83",
        "万元，比上年预算数增加78.79万元，增长11.7%，具体如",
        "下：",
        "1.因公出国（境）费用：根据因公出国计划和实际工作",
        "需要，2026年安排因公出国（境）费用预算0.00万元，比",
        "上年预算数下降100.0%。主要用于单位人员公务出国（境）",
    ];
    let facts = extract_facts(&one_paragraph_doc(&lines), Some(crate::recognise::catalogue::Family::Budget));
    let names: Vec<(String, Decimal)> = facts.iter().map(|f| (f.name.clone(), f.value)).collect();
    assert_eq!(value_of(&facts, "三公经费", "预算数_增减率"), Some(Decimal::new(117, 1)), "{names:?}");
    assert!(!facts.iter().any(|f| f.name == "预算数_增减率" && f.value.is_sign_negative()), "{names:?}");
}

/// Money carried over from last year is not this year's income, and a foreign delegation is
/// not a domestic reception (苏州, 佛山 audits).
#[test]
fn carried_over_income_and_foreign_visits_keep_their_own_names() {
    let lines = [
        "（二）收入预算情况说明",
        "2026年收入预算中，本年一般公共预算收入242,360.1万元，占97%；上年结转结余的一般公共预算收入0万元，占0%。",
    ];
    let facts = extract_facts(&one_paragraph_doc(&lines), Some(crate::recognise::catalogue::Family::Budget));
    let income: Vec<Decimal> = facts.iter().filter(|f| f.name == "一般公共预算财政拨款收入").map(|f| f.value).collect();
    assert_eq!(income, [Decimal::from_str("242360.1").unwrap()], "{facts:?}");
    let lines = ["（六）“三公”经费支出情况说明", "公务接待费支出0.5万元，共接待国外来访团组0个，来访外宾0人次；发生国内接待1次，接待人数共13人。"];
    let facts = extract_facts(&one_paragraph_doc(&lines), Some(crate::recognise::catalogue::Family::Final));
    let domestic: Vec<Decimal> = facts.iter().filter(|f| f.name == "国内公务接待批次").map(|f| f.value).collect();
    assert_eq!(domestic, [Decimal::ONE], "{facts:?}");
}

#[test]
fn parts_last_year_and_carried_money_take_no_name_of_this_years_totals() {
    let budget = Some(crate::recognise::catalogue::Family::Budget);
    let doc = one_paragraph_doc(&[
        "十、机关运行经费安排情况",
        "2020年机关运行经费预算总计82万元，其中：办公经费41.47万元，工会经费17.25万元，其他商品和服务支出2万元。",
        "七、一般公共预算“三公”经费情况说明",
        "2026年“三公经费”预算数为7.61万元，2025年预算数为9.23万元。",
        "三、支出预算情况说明",
        "2026年支出总计1682.76万元。其中:基本支出合计为1208.20万元，项目支出合计为474.56万元。",
        "（三）年终结转结余资金0万元。",
    ]);
    let facts = extract_facts(&doc, budget);
    let all = |topic: &str, name: &str| facts.iter().filter(|f| f.topic == topic && f.name == name).map(|f| f.value.to_string()).collect::<Vec<_>>();
    assert_eq!(all("机关运行经费", "预算数"), ["82"]);
    assert_eq!(all("三公经费", "预算数"), ["7.61"]);
    assert_eq!(all("支出", "基本支出"), ["1208.20"]);
    assert_eq!(all("支出", "项目支出"), ["474.56"]);
    assert!(all("支出", "本年支出合计").is_empty());
}

#[test]
fn a_total_stated_as_spent_keeps_its_name() {
    let doc = one_paragraph_doc(&["十、机关运行经费支出情况说明", "2023年度机关运行经费预算5.58万元，支出决算3.24万元，完成预算的58.06%。"]);
    let facts = extract_facts(&doc, None);
    assert_eq!(value_of(&facts, "机关运行经费", "决算数"), Some(Decimal::new(324, 2)));
}

#[test]
fn planned_equipment_purchases_are_not_the_holdings() {
    let doc = one_paragraph_doc(&[
        "十一、国有资产占有使用及资产购置情况说明",
        "截至上年底，本部门共有车辆7辆，单价20万元以上的设备26台（套）。",
        "当年部门预算安排购置车辆0辆；安排购置单价20万元以上的设备1台（套）。",
        "2026年计划购置车辆7辆、153.00万元；单价100万元以上设备2台（套）、128.70万元。",
    ]);
    let facts = extract_facts(&doc, None);
    assert_eq!(value_of(&facts, "国有资产", "单价20万元以上的设备"), Some(Decimal::from(26)));
    assert_eq!(value_of(&facts, "国有资产", "购置单价20万元以上的设备"), Some(Decimal::from(1)));
    assert_eq!(value_of(&facts, "国有资产", "购置单价100万元以上设备"), Some(Decimal::from(2)));
}
