//! The seeds in other publishers' styles, made on the fly: the same report printed in 元
//! with thousands separators, as markdown pipe tables, and one cell per line. Each variant
//! must give the gold records (amounts in 万元) — the recogniser reads meaning, not layout.
//! The same holds for PDFs printed from the seeds in other styles (`pdf_style`): rules or
//! none, fonts through UniGB-UCS2-H, GBK-EUC-H or only /ToUnicode, landscape and rotated pages, glyphs
//! placed one by one, wrapped names and tables running over pages.

mod common;
mod docx_style;
mod pdf_style;
use common::*;
use gongkai_model::{Extractor, Format, Options};
use rust_decimal::Decimal;

fn seed(stem: &str) -> String {
    std::fs::read_to_string(fixtures().join("seeds").join(format!("{stem}.txt"))).unwrap()
}

fn text_document(text: &str) -> gongkai_model::Document {
    gongkai_text::TextExtractor(Format::Text).extract(text.as_bytes(), &Options::default()).unwrap()
}

/// Records of a text through the library, keyed like the gold.
fn records(text: &str) -> (gongkai::report::Report, std::collections::HashMap<String, Decimal>) {
    records_of(&text_document(text))
}

fn records_of(doc: &gongkai_model::Document) -> (gongkai::report::Report, std::collections::HashMap<String, Decimal>) {
    let report = gongkai::recognise::recognise(doc);
    let map = report.records.iter().map(|r| (record_key(&r.table, &r.side, &r.item_code, &r.item_name, &r.column), r.amount)).collect();
    (report, map)
}

/// `1,529.16` 万元 → `15,291,600.00` 元, for every table cell that is a decimal amount.
fn in_yuan(text: &str) -> String {
    let amount = regex::Regex::new(r"^\d[\d,]*\.\d{2}$").unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let line = line.replace("单位：万元", "单位：元").replace("单位: 万元", "单位: 元").replace("单位:万元", "单位:元");
            if !line.contains('\t') {
                return line;
            }
            line.split('\t')
                .map(|cell| {
                    if !amount.is_match(cell.trim()) {
                        return cell.to_string();
                    }
                    let wan: Decimal = cell.trim().replace(',', "").parse().unwrap();
                    thousands(wan * Decimal::from(10000))
                })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    lines.join("\n")
}

fn thousands(d: Decimal) -> String {
    let s = format!("{:.2}", d);
    let (int, frac) = s.split_once('.').unwrap();
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(*c);
    }
    format!("{out}.{frac}")
}

/// Tab rows → markdown pipe tables (header rule after the first row of each table).
fn as_markdown(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.contains('\t') {
            let cells: Vec<&str> = line.split('\t').collect();
            out.push(format!("| {} |", cells.join(" | ")));
            if !in_table {
                out.push(format!("|{}|", vec!["---"; cells.len()].join("|")));
            }
            in_table = true;
        } else {
            if !line.trim().is_empty() {
                in_table = false;
            }
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

/// Tab rows → one cell per line, rows separated by blank lines (seed 004's layout).
fn one_cell_per_line(text: &str) -> String {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.contains('\t') {
            for cell in line.split('\t') {
                out.push(format!("\t{cell}"));
            }
            out.push(String::new());
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

fn assert_gold(stem: &str, text: &str, only_decimals: bool) {
    assert_gold_of(stem, &text_document(text), only_decimals)
}

fn assert_gold_of(stem: &str, doc: &gongkai_model::Document, only_decimals: bool) {
    let gold = gold(stem);
    let (report, got) = records_of(doc);
    let mut problems = Vec::new();
    let gold_text: std::collections::HashMap<String, String> = {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixtures().join("gold").join(format!("{stem}.json"))).unwrap()).unwrap();
        v["records"].as_array().unwrap().iter().map(|r| {
            let f = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (record_key(&f("table"), &f("side"), &f("item_code"), &f("item_name"), &f("column")), f("text_printed"))
        }).collect()
    };
    for (k, want) in &gold.records {
        if only_decimals && !gold_text[k].contains('.') {
            continue;
        }
        match got.get(k) {
            Some(v) if v == want => {}
            other => problems.push(format!("{k}: gold {want} got {other:?}")),
        }
    }
    assert!(problems.is_empty(), "{stem}: {} of {} differ, e.g.\n{}", problems.len(), gold.records.len(), problems[..problems.len().min(15)].join("\n"));
    assert_eq!(report.meta.year, gold.document["year"].as_i64().map(|y| y as i32));
}

#[test]
fn reports_printed_in_yuan_with_thousands_separators_give_wanyuan() {
    for stem in ["000_5010c9f98508a758", "003_66bd46d71a5bdd15"] {
        let text = in_yuan(&seed(stem));
        assert!(!text.contains("单位：万元") && !text.contains("单位: 万元"), "{stem}: the variant really is in 元");
        assert_gold(stem, &text, true);
        let (report, _) = records(&text);
        assert!(report.records.iter().any(|r| r.unit_printed == "元" && r.text_printed.contains(',')));
    }
}

#[test]
fn markdown_pipe_tables_give_the_gold() {
    for stem in ["000_5010c9f98508a758", "002_97d50bc877a759dd"] {
        assert_gold(stem, &as_markdown(&seed(stem)), false);
    }
}

#[test]
fn one_cell_per_line_layout_gives_the_gold() {
    for stem in ["000_5010c9f98508a758", "002_97d50bc877a759dd", "003_66bd46d71a5bdd15"] {
        assert_gold(stem, &one_cell_per_line(&seed(stem)), false);
    }
}

/// The seeds with tables. 004's rendering lost its cells' places (rows shorter than their
/// header, one cell per line), so printed without rules it draws a shifted table no publisher
/// prints; with rules the shift is still visible to the recogniser, as in the rendering.
const TABLE_SEEDS: [&str; 4] = ["000_5010c9f98508a758", "002_97d50bc877a759dd", "003_66bd46d71a5bdd15", "004_295e34a150d1a2fa"];
const ALIGNED_SEEDS: [&str; 3] = ["000_5010c9f98508a758", "002_97d50bc877a759dd", "003_66bd46d71a5bdd15"];

/// With GONGKAI_KEEP_PDF set, the made file is kept in /tmp/pv to look at.
fn keep(name: &str, bytes: &[u8]) {
    if std::env::var_os("GONGKAI_KEEP_PDF").is_some() {
        let _ = std::fs::create_dir_all("/tmp/pv");
        std::fs::write(format!("/tmp/pv/{name}"), bytes).unwrap();
    }
}

/// Every seed read through `read` gives the gold; the failures of all seeds are reported.
fn assert_each_gold(stems: &[&str], yuan: bool, read: impl Fn(&str) -> gongkai_model::Document) {
    let mut failures = Vec::new();
    for &stem in stems {
        let doc = read(stem);
        if let Err(e) = std::panic::catch_unwind(|| assert_gold_of(stem, &doc, yuan)) {
            failures.push(e.downcast_ref::<String>().cloned().unwrap_or_default());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each seed printed in `style` and read back by the PDF reader gives the gold.
fn assert_pdf_gold(style: pdf_style::Style, yuan: bool) {
    let seeds: &[&str] = if style.rules == Rules::Grid { &TABLE_SEEDS } else { &ALIGNED_SEEDS };
    assert_each_gold(seeds, yuan, |stem| {
        let text = if yuan { in_yuan(&seed(stem)) } else { seed(stem) };
        let pdf = pdf_style::print(&text_document(&text), style);
        keep(&format!("{stem}-{:?}-{:?}-{:?}.pdf", style.rules, style.font, style.page), &pdf);
        let doc = gongkai_pdf::PdfExtractor.extract(&pdf, &Options::default()).unwrap();
        assert!(doc.warnings.is_empty(), "{stem}: {:?}", doc.warnings);
        doc
    });
}

use pdf_style::{Font, Page, Rules, Style};

#[test]
fn pdf_ruled_subset_font_wrapped_names_over_short_pages() {
    let style = Style { rules: Rules::Grid, font: Font::Subset, page: Page::Portrait, per_glyph: false, wrap_ems: 12.0, short_pages: 420.0, spread_labels: false };
    assert_pdf_gold(style, false);
}

#[test]
fn pdf_without_rules_in_landscape_labels_spread() {
    let style = Style { rules: Rules::None, font: Font::UniGb, page: Page::Landscape, per_glyph: false, wrap_ems: 0.0, short_pages: 0.0, spread_labels: true };
    assert_pdf_gold(style, false);
}

#[test]
fn pdf_rotated_page_glyph_by_glyph_in_yuan_labels_spread() {
    let style = Style { rules: Rules::Grid, font: Font::UniGb, page: Page::Rotated, per_glyph: true, wrap_ems: 0.0, short_pages: 0.0, spread_labels: true };
    assert_pdf_gold(style, true);
}

#[test]
fn pdf_three_line_tables_labels_spread() {
    let style = Style { rules: Rules::ThreeLine, font: Font::Gbk, page: Page::Portrait, per_glyph: false, wrap_ems: 0.0, short_pages: 0.0, spread_labels: true };
    assert_pdf_gold(style, false);
}

#[test]
fn pdf_without_rules_glyph_by_glyph_in_yuan_over_short_pages() {
    let style = Style { rules: Rules::None, font: Font::Subset, page: Page::Portrait, per_glyph: true, wrap_ems: 0.0, short_pages: 420.0, spread_labels: false };
    assert_pdf_gold(style, true);
}

/// The report as one worksheet, every paragraph a row and every table below it, amounts
/// stored as numbers shown through `format` (how many 预算 workbooks are exported).
fn one_sheet_workbook(doc: &gongkai_model::Document, format: &str) -> Vec<u8> {
    use gongkai_model::Block;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let number = rust_xlsxwriter::Format::new().set_num_format(format);
    let ws = wb.add_worksheet();
    let mut row = 0u32;
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => {
                ws.write_string(row, 0, &p.text).unwrap();
                row += 1;
            }
            Block::Table(t) => {
                for c in &t.cells {
                    let (r, col) = (row + c.row as u32, c.col as u16);
                    let text = c.text.trim();
                    match gongkai::recognise::amount::parse_amount(text).filter(|_| text.contains('.')) {
                        Some(v) => ws.write_number_with_format(r, col, v.to_string().parse::<f64>().unwrap(), &number).map(|_| ()),
                        None => ws.write_string(r, col, text).map(|_| ()),
                    }
                    .unwrap();
                }
                row += t.n_rows as u32;
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_with_every_table_on_one_sheet() {
    for (stem, yuan) in [("000_5010c9f98508a758", false), ("003_66bd46d71a5bdd15", true)] {
        let text = if yuan { in_yuan(&seed(stem)) } else { seed(stem) };
        let xlsx = one_sheet_workbook(&text_document(&text), "#,##0.00");
        let doc = gongkai_sheet::SheetExtractor::new(Format::Xlsx).extract(&xlsx, &Options::default()).unwrap();
        assert_gold_of(stem, &doc, yuan);
    }
}

#[test]
fn docx_with_runs_per_character_captions_in_the_grid_and_tables_cut_at_page_breaks() {
    for (stems, yuan) in [(&["000_5010c9f98508a758", "002_97d50bc877a759dd"][..], false), (&["003_66bd46d71a5bdd15"][..], true)] {
        assert_each_gold(stems, yuan, |stem| {
            let text = if yuan { in_yuan(&seed(stem)) } else { seed(stem) };
            let docx = docx_style::write(&text_document(&text));
            keep(&format!("{stem}-styled.docx"), &docx);
            gongkai_docx::DocxExtractor.extract(&docx, &Options::default()).unwrap()
        });
    }
}

#[test]
fn generated_pdfs_with_their_rules_removed() {
    assert_each_gold(&TABLE_SEEDS, false, |stem| {
        let pdf = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/generated").join(format!("{stem}.pdf"))).unwrap();
        let bare = pdf_style::without_rules(&pdf);
        keep(&format!("{stem}-bare.pdf"), &bare);
        gongkai_pdf::PdfExtractor.extract(&bare, &Options::default()).unwrap()
    });
}

#[test]
fn pdf_tables_printed_sideways_on_portrait_pages() {
    let style = Style { rules: Rules::Grid, font: Font::Subset, page: Page::Sideways, per_glyph: false, wrap_ems: 0.0, short_pages: 0.0, spread_labels: false };
    assert_pdf_gold(style, false);
}

/// The real corpus's PDFs with every rule stripped, read again: a stress of the unruled
/// reader on real publishers' layouts, many of them cramped (they relied on the rules). The
/// records that agree with the ruled reading, and the readings that disagree, are held where
/// they stand (46 files: 12,928 of 14,634 agree, 261 of 13,189 disagree; issue 15 aims at
/// 97% and 0.3%) so that they only get better. Joining the halves of cells centred on their
/// row's line (labels and amounts wrapped beside one-line cells) took them from 12,734 and
/// 277 to 12,753 and 273 (泉州 reads whole); letting a sparse column's amounts and the words
/// of close-set header labels part columns, to 12,928 and 261 (上海普陀, 烟台, 佛山, 湖州…). The recogniser of issues 14/16 reads more
/// tables of the ruled files (西安's 13 tables, 北京's 项目支出总数), which the stripped
/// reading follows less closely: 86.9% where the reader alone reached 87.0%. The scheme twins
/// Y11/Y12 (深圳's and 西安's economic/functional copies of Y05/Y06) and 西安's Y05 columns
/// added 3,907 ruled records, mostly 西安's, whose stripped reading is weakest: 15,214 of
/// 17,910 agree (84.9%), 286 of 15,500 disagree (1.85%). Cells straddling their row's line
/// joined and sparse columns kept apart: 15,496 agree (86.5%), 270 of 15,766 disagree (1.71%).
/// A header cell wrapped over two lines in a larger type than the rows (西安's
/// `专项业务经费支` / `出`) no longer parts the header from its table: 16,016 agree (89.4%; 西安
/// real_036 105 → 625 of 747), 286 of 16,302 disagree (1.75%: 西安's 三公/经济分类 unit rows
/// are read now, their unit name set above and below its code's line, where the ruled
/// reading has none). Labels set close without a word space (`公用经费支出专项业务经费支出`
/// over three columns) parted at their seam: 16,073 agree (89.7%; 西安 real_045 486 → 543),
/// 278 of 16,351 disagree (1.70%). The two halves of a header wrapped beside one-line headers
/// (`附属单位上缴收` / `入`) mark their column as one-line headers do, the clear run between
/// headers reaching into a gap from both sides parts it: 16,088 agree (89.8%), 270 of 16,358
/// disagree (1.65%). (Letting the upper of two headers stacked in levels that reach into one
/// gap from both sides mark nothing gave 16,222 and 259, but split labels spread over their
/// cell: tests `pdf_*_labels_spread`.) A label spread a glyph at a time inside one gap
/// (`小 计`) marks one column, and a code parts from the word a space away where the columns
/// line up (`30101 基本工资`, `116001 西安市财政局`): 16,184 agree (90.4%), 238 of 16,422
/// disagree (1.45%; 55 of them in verified documents, all 西安 real_022's 支出 side read from
/// its economic column pair, each flagged row_not_in_catalogue, and one in 长沙 real_029).
/// A label spread in two chunks from inside a gap into its column (`总` `计` over 总计's
/// amounts) marks that column alone: 16,268 agree (90.8%; 重庆 real_043 301 → 385 of 487),
/// 212 of 16,480 disagree (1.29%; 55 in verified documents, as above). The ruled reading
/// then gained 131 records (上海 单位 财务收支预算总表's 支出 side, printed as 合计 | 人员经费 |
/// 公用经费 | 项目支出 under 预算数; 三公 totals of the group's 小计), which the stripped
/// reading reads only in part, and 西安's 三公 合计 outside the group became a row of its own,
/// a key more where the stripped reading of that table was already wrong: 16,299 of 18,041
/// agree (90.3%), 226 of 16,525 disagree (1.37%). 西安 表8's 人员经费支出 | 公用经费支出 and
/// 上海's 三公 购置费 | 运行费 read (ruled 18,299): 16,557 agree (90.5%), 226 of 16,783
/// disagree (1.35%).
/// Header words set close and cut at their columns placed by their middle, not their first
/// glyph (a column found to start where a word starts may start a little after it, and the
/// word went to the column before: 西安 real_045's `人员经费支出 公用经费支出专项业务经费支出`),
/// and a label spread a glyph at a time over a table's top line (`支 出` over 西安's six 支出
/// columns, its glyphs in the middle two) spanning the columns it is centred over, so that 支出
/// heads the functional pair again, not the economic one (real_022 54 → 18 disagree, real_045
/// 42 → 13; ruled 18,312): 16,942 agree (92.5%), 161 of 17,103 disagree (0.94%).
/// 苏州's and 无锡's 三公 table read (`…“三公”经费、会议费、培训费支出表`, ruled +16): 16,952 of
/// 18,328 agree (92.49%).
/// Header rows printed as three lines of lone labels joined into one (`join_header_halves`;
/// with wt-stress8, before main's 0.94% merge: 16,269 agree, 212 of 16,481 disagree, from 16,268 and 212 of 16,480;
/// with main: 16,942 agree, 162 of 17,104 disagree, one of them a wrong key the join added, 上海 real_014's 三公
/// 32.20 under 购置费: its joined 公务用车购置及运行费, a label over three columns, closed the gaps between them).
/// Over a table's single row of figures (三公 tables) one header line alone closes no gap, the figures close
/// all theirs, and the header lines fold onto the figures' columns as over many rows: 16,954 agree (92.6%), 164
/// of 17,118 disagree (0.96%). Of the 4 new disagreements, 3 are 上海 real_002's 09 read right where the ruled
/// reading is wrong (its narrative: 公务接待费 决算 0.39, not the ruled 2.85), one is real_001's 09 0.95 under
/// 公务用车运行维护费 (公务接待费's 预算数; its ruled reading says 决算数, wrong too). With main's 苏州/无锡 三公
/// (ruled 18,328): 16,966 agree (92.57%), 164 of 17,130 disagree (0.96%).
/// With wt-stress9 (栏次 numbers hold column gaps; text between columns goes right of a
/// right-aligned column) and 深圳's 收入总表 read (ruled 18,420): 17,110 agree (92.89%), 164 of
/// 17,274 disagree (0.95%).
/// A group header centred over its sub-headers spans them (`基本支出` over `小计 | 人员经费 | 公用经费`,
/// `2026年预算数` over 总计 | 基本支出 | 项目支出; `span_group_labels`): 17,337 agree (94.12%; 重庆 real_031
/// 242 → 325, 北京 real_041 Y05, 湖州, 苏州, 无锡, 长春, 中央 Y05), 125 of 17,462 disagree (0.72%; 重庆
/// real_031's 41 gone; 3 new in 上海 real_018's 收支总表, whose stripped columns are merged: 预算数 now heads them).
/// With wt-unruled9 (group runs placed by their printed extent: 17,351 of 18,417, 106 disagree) and main's
/// recogniser reading 三公 per unit and 上海's 机关运行经费 (ruled 18,417 -> 18,613; of the 196 new ruled
/// records 杭州 real_026's 8, 湖州 real_035's 20 and 11 上海 files' 机关运行经费 are read from the ruled
/// PDFs only): 17,485 agree (93.94%), 96 of 17,581 disagree (0.55%).
#[test]
fn real_pdfs_with_their_rules_stripped_mostly_agree_with_the_ruled_reading() {
    let mut names: Vec<_> = std::fs::read_dir(fixtures().join("real")).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "pdf")).collect();
    names.sort();
    let records = |d: &gongkai_model::Document| -> std::collections::HashSet<String> {
        gongkai::recognise::recognise(d).records.iter().map(|r| format!("{}|{}|{}|{}|{}|{}", r.table, r.side, r.item_code, r.item_name, r.column, r.amount)).collect()
    };
    let (mut ruled, mut stripped, mut agree) = (0, 0, 0);
    let mut lines = Vec::new();
    for path in names {
        let pdf = std::fs::read(&path).unwrap();
        let Ok(orig) = gongkai_pdf::PdfExtractor.extract(&pdf, &Options::default()) else { continue };
        let bare_pdf = pdf_style::without_rules(&pdf);
        keep(&format!("{}-bare.pdf", path.file_stem().unwrap().to_string_lossy()), &bare_pdf);
        let bare = gongkai_pdf::PdfExtractor.extract(&bare_pdf, &Options::default()).unwrap();
        let (a, b) = (records(&orig), records(&bare));
        let both = a.intersection(&b).count();
        (ruled, stripped, agree) = (ruled + a.len(), stripped + b.len(), agree + both);
        lines.push(format!("{}: ruled {} stripped {} agree {}", path.file_name().unwrap().to_string_lossy(), a.len(), b.len(), both));
        // GONGKAI_DIFF=DIR writes each file's records read one way only, to find the causes.
        if let Some(dir) = std::env::var_os("GONGKAI_DIFF") {
            let side = |x: &std::collections::HashSet<String>, y: &std::collections::HashSet<String>| {
                let mut v: Vec<&String> = x.difference(y).collect();
                v.sort();
                v.iter().map(|r| r.as_str()).collect::<Vec<_>>().join("\n")
            };
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let text = format!("## ruled only\n{}\n## stripped only\n{}\n", side(&a, &b), side(&b, &a));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(std::path::Path::new(&dir).join(format!("{name}.txt")), text).unwrap();
        }
    }
    let report = lines.join("\n");
    if std::env::var_os("GONGKAI_SHOW").is_some() { println!("{report}\nagree {agree} of {ruled}; stripped {stripped}"); }
    assert!(agree * 1000 >= ruled * 939, "{agree} of {ruled} agree\n{report}");
    assert!((stripped - agree) * 10000 <= stripped * 55, "{} of {stripped} disagree\n{report}", stripped - agree);
}

/// The stress corpus: the seeds printed without rules in many layouts — three font
/// encodings, type from 7.5 to 10.5 pt, cell line pitch 1.2–2.0 em, column gaps from a
/// third of an em to two ems, stacked or flush-left headers, wrapped names and tables broken
/// over short pages under a repeated header. Each layout must read at F1 ≥ 0.995 against the
/// gold (all seeds together); with GONGKAI_SHOW the F1 of every layout is printed and with
/// GONGKAI_KEEP_PDF the files are kept in /tmp/pv; GONGKAI_DIFF=DIR writes each layout's
/// missed and extra records per seed. Layouts not there yet are held at the F1
/// they read at (`STRESS_BELOW_TARGET`), so that they only get better; the list should empty.
/// Two kinds remain: GBK with a third of an em between columns and headers stacked at 5 ems
/// (0.954–0.986, from 0.928–0.977 before a header row whose wrapped cells print as three lines
/// of lone labels around a one-line label was joined into one line, from 0.48–0.66 before a sparse column's amounts and the words of header labels
/// set close were let part columns, and 0.56–0.89 before labels set without a word space were
/// parted at their seams), and flush-left headers over names and amounts wrapped at 12 ems (0.985–0.993,
/// from 0.84 before cells straddling their row's line were joined, 0.86–0.87 before the
/// halves of a header wrapped beside one-line headers marked their column, and 0.97–0.98
/// before a total's label reaching from under a flush-left header into the codes' column
/// stopped holding that header apart from its codes: what is left are headers wrapped over
/// three lines in one row, `“三公”经费预算/数` above the table). The 栏次 line's numbers then
/// held the gaps of columns no row fills (GBK 0.962–0.994: 附属单位上缴收入 beside 其他收入
/// was one column), and text between two columns went to the one after when the one before
/// is right-aligned (flush-left 0.991–0.998, from 0.984–0.992: a flush-left header went to
/// the column before, in seed 000's 三公 table a wrong key). An amount set close to its 行次
/// (`27 665.38`, one chunk) then held its column by its own part (GBK 0.962–0.972 to
/// 0.983–0.993: 04's 收入 金额 was joined to the 支出 labels, `665.38 本年支出合计`), the lower
/// half of an amount wrapped around a table's last row stayed in the table (`635.1` / `3`,
/// flush-left 18 0.994 to 0.997), and rows whose code and name print as one at a page's foot
/// stopped ending the table (GBK 20 0.994 to 0.997: 10表's continuation). Header cells wrapped
/// over three lines beside two-line and one-line ones (`公务用车购` / `置及运行维` / `护费` around
/// `合计`, seed 000's 09) were then joined around their row, and a total wrapped around its
/// row whose label's halves span different columns (`公用经费合` / `计`) joined its halves (it
/// read `人员经费合计` = 6, its amount's lower half, instead of 204.16): GBK 02/05 0.9926 to
/// 0.9954, 14/23 0.9944 to 0.9972, 17/26 to 0.9963, 08 0.9869 to 0.9898; flush-left 21 0.9917
/// to 0.9944, 24 0.9945 to 0.9972. What is left: seed 000's 06 in GBK, whose third 金额 column
/// holds no amounts and its stacked `金` / `额` fall into the columns beside (30201 决算数),
/// seed 002's 09 (`决算数`, a row's pitch under `预算数`, joined to it as its wrapped tail), 003's
/// 04 一般公共预算财政拨款 in 08, 000's 06 and 11 in flush-left 21.
fn stress_layouts() -> Vec<(String, Style, pdf_style::Layout)> {
    use pdf_style::Layout;
    let fonts = [Font::UniGb, Font::Subset, Font::Gbk];
    let mut out = Vec::new();
    let mut k = 0usize;
    for &font_size in &[7.5f32, 9.0, 10.5] {
        for &line_pitch in &[1.2f32, 1.6, 2.0] {
            for &(col_pad, header_wrap_ems, header_left) in &[(0.6f32, 0.0f32, false), (0.3, 5.0, false), (1.0, 0.0, true)] {
                k += 1;
                let font = fonts[k % 3];
                // Page breaks inside tables on every other layout; names wrapped on every third.
                let short_pages = if k % 2 == 0 { 420.0 } else { 0.0 };
                let wrap_ems = if k % 3 == 0 { 12.0 } else { 0.0 };
                let row_pad = if k % 4 == 0 { 0.8 } else { 0.4 };
                let style = Style { rules: Rules::None, font, page: Page::Portrait, per_glyph: k % 5 == 0, wrap_ems, short_pages, spread_labels: false };
                let layout = Layout { font_size, line_pitch, row_pad, col_pad, header_wrap_ems, header_left };
                let name = format!("{k:02}: {font:?} {font_size}pt pitch {line_pitch} pad {col_pad} rowpad {row_pad} header-wrap {header_wrap_ems} left {header_left} wrap {wrap_ems} short {short_pages}");
                out.push((name, style, layout));
            }
        }
    }
    out
}

/// Layouts (by number) below F1 0.995 today, with the F1 each must keep.
const STRESS_BELOW_TARGET: [(usize, f64); 2] = [(8, 0.989), (21, 0.994)];

/// F1 of a document's records against the gold (extra records count against precision).
fn f1_against_gold(stem: &str, doc: &gongkai_model::Document) -> (usize, usize, usize) {
    let gold = gold(stem);
    let (_, got) = records_of(doc);
    let right = gold.records.iter().filter(|(k, v)| got.get(*k) == Some(*v)).count();
    (right, gold.records.len(), got.len())
}

/// The gold records a document misses or misreads, and the records it reads beyond the gold.
fn write_gold_misses(dir: &std::path::Path, file: &str, stem: &str, doc: &gongkai_model::Document) {
    let gold = gold(stem);
    let (_, got) = records_of(doc);
    let mut missed: Vec<String> =
        gold.records.iter().filter(|(k, v)| got.get(*k) != Some(*v)).map(|(k, v)| format!("{k} = {v} got {:?}", got.get(k))).collect();
    let mut extra: Vec<String> = got.iter().filter(|(k, _)| !gold.records.contains_key(*k)).map(|(k, v)| format!("{k} = {v}")).collect();
    missed.sort();
    extra.sort();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(file), format!("## missed\n{}\n## extra\n{}\n", missed.join("\n"), extra.join("\n"))).unwrap();
}

#[test]
fn unruled_stress_layouts_read_at_f1_0995() {
    let mut lines = Vec::new();
    let mut failing = Vec::new();
    for (k, (name, style, layout)) in stress_layouts().into_iter().enumerate() {
        let floor = STRESS_BELOW_TARGET.iter().find(|(n, _)| *n == k + 1).map_or(0.995, |(_, f)| *f);
        let (mut right, mut gold_n, mut got_n) = (0, 0, 0);
        for stem in ALIGNED_SEEDS {
            let pdf = pdf_style::print_with(&text_document(&seed(stem)), style, layout);
            keep(&format!("{stem}-stress-{}.pdf", &name[..2]), &pdf);
            let doc = gongkai_pdf::PdfExtractor.extract(&pdf, &Options::default()).unwrap();
            let (r, g, n) = f1_against_gold(stem, &doc);
            if let Some(dir) = std::env::var_os("GONGKAI_DIFF") {
                write_gold_misses(std::path::Path::new(&dir), &format!("stress-{}-{stem}.txt", &name[..2]), stem, &doc);
            }
            (right, gold_n, got_n) = (right + r, gold_n + g, got_n + n);
        }
        let (p, r) = (right as f64 / got_n.max(1) as f64, right as f64 / gold_n.max(1) as f64);
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        lines.push(format!("{name}: F1 {f1:.4} ({right} right of {gold_n} gold, {got_n} read)"));
        if f1 < floor {
            failing.push(lines.last().unwrap().clone());
        }
    }
    if std::env::var_os("GONGKAI_SHOW").is_some() {
        println!("{}", lines.join("\n"));
    }
    assert!(failing.is_empty(), "{} of {} layouts below their floor (0.995, or STRESS_BELOW_TARGET):\n{}", failing.len(), lines.len(), failing.join("\n"));
}
