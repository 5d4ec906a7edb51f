//! Reading the rows of a located table into records, one reader per row kind.

use crate::classify::{self, Scheme};
use crate::recognise::amount::{is_code_like, parse_amount, to_wanyuan};
use crate::recognise::catalogue::{self, Family, NamedRow, RowKind, TableSpec};
use crate::recognise::locate;
use crate::recognise::header::{self, is_lanci_row, leaf_is, map_column, norm, path_has, Header};
use crate::recognise::rows::{canonical_name, has_unit_name_shape, is_total_label, named_row, split_code_name, CodeTrail, RowId};
use crate::report::Record;
use gongkai_model::{Cell, Table};

/// One table block as the readers see it: text per position (merged text repeated), the
/// anchor cell per position, and how many positions each row really covers.
struct View<'a> {
    text: Vec<Vec<String>>,
    cells: Vec<Vec<Option<&'a Cell>>>,
    coverage: Vec<usize>,
    n_cols: usize,
}

impl<'a> View<'a> {
    fn new(t: &'a Table) -> Self {
        let cells = t.filled_grid();
        let coverage = cells.iter().map(|r| r.iter().filter(|c| c.is_some()).count()).collect();
        View { text: t.text_grid(), cells, coverage, n_cols: t.n_cols }
    }
    fn text(&self, r: usize, c: usize) -> &str {
        self.text.get(r).and_then(|row| row.get(c)).map(|s| s.as_str()).unwrap_or("")
    }
    fn cell(&self, r: usize, c: usize) -> Option<&'a Cell> {
        self.cells.get(r).and_then(|row| row.get(c)).copied().flatten()
    }
    /// The cells of a row in column order, each once (a merged cell counts at its anchor).
    fn row_cells(&self, r: usize) -> Vec<&'a Cell> {
        let mut out: Vec<&Cell> = Vec::new();
        for c in self.cells.get(r).into_iter().flatten().flatten() {
            if !out.last().is_some_and(|l| std::ptr::eq(*l, *c)) {
                out.push(c);
            }
        }
        out
    }
    fn header(&self) -> Header {
        header::read(&self.text, &self.coverage, self.n_cols)
    }
}

/// What every record of one table shares.
struct Sink<'s> {
    spec: &'static TableSpec,
    unit: &'s str,
    /// The unit block the rows being read belong to ("" outside per-unit blocks).
    block: String,
    /// The second code of the row being read in a cross table.
    cross: String,
    /// Units the report's other tables name as blocks: a row with one of these names is a
    /// unit row even when its name has no place in it.
    known_units: &'s [String],
    out: Vec<Record>,
    columns_unread: Vec<(Option<u32>, Vec<String>)>,
}

impl Sink<'_> {
    /// Adds a record for a printed, non-empty number; dashes and empty cells are no value.
    fn push(&mut self, side: &str, id: &RowId, column: &str, cell: &Cell, row_line: Option<u32>) {
        let Some(printed) = parse_amount(&cell.text) else { return };
        self.out.push(Record {
            table: self.spec.id.to_string(),
            side: side.to_string(),
            item_code: id.code.clone(),
            item_name: id.name.clone(),
            column: column.to_string(),
            amount: to_wanyuan(printed, self.unit),
            unit_printed: self.unit.to_string(),
            text_printed: cell.text.trim().to_string(),
            page: cell.prov.page,
            line: row_line.or(cell.prov.line),
            flags: ocr_flags(&id.flags, cell),
            block: self.block.clone(),
            cross_code: self.cross.clone(),
            ordinal: 0,
        });
    }
}

/// A number read by OCR says so, with the engine's confidence (`ocr`, `ocr_conf=87`).
fn ocr_flags(flags: &[String], cell: &Cell) -> Vec<String> {
    let mut out = flags.to_vec();
    if let Some(conf) = cell.prov.ocr_conf {
        out.push("ocr".to_string());
        out.push(format!("ocr_conf={conf}"));
    }
    out
}

fn named(name: &str) -> RowId {
    RowId { code: String::new(), name: name.to_string(), flags: Vec::new() }
}

fn first_line(cells: &[&Cell]) -> Option<u32> {
    cells.iter().find_map(|c| c.prov.line)
}

/// Does the header of this block look like the table `spec` at all (some column maps to
/// one of its canonical columns)? A title followed by an unrelated grid (a table of
/// contents, a unit list) is then not taken for the table.
pub fn recognisable(spec: &'static TableSpec, block: &Table) -> bool {
    let view = View::new(block);
    let h = view.header();
    match spec.rows {
        RowKind::EconomicGroups => !groups(spec, &h).is_empty(),
        RowKind::SanGong => h.paths.iter().any(|p| sangong_item(spec, p).is_some() || p.iter().any(|t| budget_kind(t).is_some())),
        RowKind::TwoSided => sides(spec, &h, view.n_cols).iter().any(|s| !s.values.is_empty()),
        _ => h.paths.iter().any(|p| map_column(spec, p, "").is_some()),
    }
}

/// What was read of one table: its records, and the columns printed with figures that no
/// column of the table names, by page (the header words of each, top to leaf).
#[derive(Debug, Default)]
pub struct TableRead {
    pub records: Vec<Record>,
    pub columns_unread: Vec<(Option<u32>, Vec<String>)>,
}

/// Reads all blocks of one located table.
///
/// `known_units`: the units other tables of the report name as blocks (see [`Sink`]).
pub fn read_table(spec: &'static TableSpec, blocks: &[Table], unit: &str, known_units: &[String]) -> TableRead {
    let mut sink = Sink { spec, unit, block: String::new(), cross: String::new(), known_units, out: Vec::new(), columns_unread: Vec::new() };
    match spec.rows {
        RowKind::Functional => read_coded(&mut sink, blocks, Some(Scheme::Functional)),
        RowKind::Economic => read_coded(&mut sink, blocks, Some(Scheme::Economic)),
        RowKind::Named => read_coded(&mut sink, blocks, None),
        RowKind::EconomicGroups => read_groups(&mut sink, blocks),
        RowKind::TwoSided => read_two_sided(&mut sink, blocks),
        RowKind::SanGong => read_sangong(&mut sink, blocks),
    }
    TableRead { records: sink.out, columns_unread: sink.columns_unread }
}

// ---------------------------------------------------------------- coded and named rows

/// Where the label and the values of a coded table sit.
#[derive(Debug, Clone, Default)]
struct Columns {
    /// Grid column → canonical value column.
    values: Vec<(usize, &'static str)>,
    /// Columns that only number lines (行次): never values, never labels.
    line_numbers: Vec<usize>,
    /// 类 | 款 | 项 columns when the code is split over them.
    split: Option<(usize, usize, usize)>,
    /// The rendering lost its geometry: read values in this order after the label.
    sequential: Option<Vec<&'static str>>,
    /// Value columns this table does not read (last year's figures, comparisons): their
    /// numbers are neither labels nor a sign that the row was displaced.
    unread: Vec<usize>,
    /// Value columns whose canonical column an earlier (leftmost) column already reads: 长春
    /// prints 合计 | 当年预算 | 上年结转结余 groups with the same sub-columns, the first being
    /// the table's total. Kept in `values` so that a displaced row still lines up.
    repeats: Vec<usize>,
    /// The 项目名称 column of a project table that prints the unit or category beside it.
    name_col: Option<usize>,
    /// The 预算单位 / 单位名称 column of a table printed by unit (深圳 支出总表).
    unit_col: Option<usize>,
}

impl Columns {
    /// Where the values start: the columns before it hold the row's label.
    fn first_value(&self) -> usize {
        self.values.first().map_or(usize::MAX, |v| v.0)
    }
}

fn columns(spec: &TableSpec, view: &View, h: &Header, sequential_ok: bool) -> Columns {
    let mut cols = Columns::default();
    for (c, path) in h.paths.iter().enumerate() {
        if leaf_is(path, "行次") || leaf_is(path, "行") || leaf_is(path, "栏次") {
            cols.line_numbers.push(c);
        } else if let Some(name) = map_column(spec, path, "") {
            cols.values.push((c, name));
        }
    }
    cols.name_col = h.paths.iter().position(|p| path_has(p, &["项目名称"]));
    cols.unit_col = h.paths.iter().position(|p| leaf_is(p, "预算单位") || leaf_is(p, "单位名称"));
    let at = |w: &str| h.paths.iter().position(|p| leaf_is(p, w));
    if let (Some(l), Some(k), Some(x)) = (at("类"), at("款"), at("项")) {
        cols.split = Some((l, k, x));
    }
    let mut names: Vec<&str> = cols.values.iter().map(|v| v.1).collect();
    names.sort_unstable();
    let repeated = names.windows(2).any(|w| w[0] == w[1]);
    // A label header (科目名称) stacked on a value header: the header rows are misaligned.
    let stacked = h.paths.iter().any(|p| path_has(p, &["名称", "编码", "代码"]) && p.iter().any(|t| map_column(spec, std::slice::from_ref(t), "").is_some()));
    // The 栏次 row numbers every value column: fewer columns found means some were lost.
    let uncounted = h.lanci_count > 0 && h.lanci_count != cols.values.len();
    let misaligned = h.lost_geometry || repeated || stacked || uncounted || names_in_value_columns(view, h.end, &cols.values);
    if misaligned && sequential_ok {
        let k = if h.lanci_count > 0 { h.lanci_count } else { max_sequential_values(view, h.end) };
        cols.sequential = spec.layouts.iter().find(|l| l.len() == k).map(|l| l.to_vec());
    }
    if cols.sequential.is_none() {
        cols.repeats = cols.values.iter().enumerate().filter(|(i, v)| cols.values[..*i].iter().any(|w| w.1 == v.1)).map(|(_, v)| v.0).collect();
    }
    if !misaligned {
        cols.unread = h.paths.iter().enumerate().filter(|(c, p)| !cols.values.iter().any(|v| v.0 == *c) && header::is_other_period(spec, p)).map(|(c, _)| c).collect();
    }
    cols
}

/// Columns right of the label that print figures and are not read — under a header naming no
/// column of the table (nor a line number or another period), or repeating a column already
/// read: their header words, joined top to leaf.
fn unread_figure_columns(view: &View, h: &Header, cols: &Columns) -> Vec<String> {
    if cols.values.is_empty() || cols.sequential.is_some() {
        return Vec::new();
    }
    // A repeat (a second column mapping to a column already read: 西安's 一般公共预算拨款 小计
    // after 合计, 长春's 当年预算 group) is not read: it is named like any other.
    let read = |c: usize| cols.values.iter().any(|v| v.0 == c) && !cols.repeats.contains(&c);
    let known = |c: usize| read(c) || cols.line_numbers.contains(&c) || cols.unread.contains(&c);
    let mut out: Vec<String> = Vec::new();
    for (c, path) in h.paths.iter().enumerate().skip(cols.first_value()).filter(|(c, _)| !known(*c)) {
        let name = path.concat();
        let figures = (h.end..view.text.len()).any(|r| view.cell(r, c).is_some_and(|cell| cell.col == c && locate::is_figure(cell.text.trim())));
        if figures && !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A converter that dropped merged header cells leaves the header names one position off
/// the data: row names then stand in value columns.
fn names_in_value_columns(view: &View, from: usize, values: &[(usize, &'static str)]) -> bool {
    let rows = (from..view.text.len()).filter(|&r| {
        let first = view.text.get(r).and_then(|row| row.iter().find(|t| !t.trim().is_empty())).map(|t| t.trim()).unwrap_or("");
        is_code_like(first)
    });
    let mut coded = 0;
    let mut misplaced = 0;
    for r in rows {
        coded += 1;
        if values.iter().any(|(c, _)| {
            let t = view.text(r, *c).trim();
            !t.is_empty() && parse_amount(t).is_none() && t != "-" && t != "--" && t != "—"
        }) {
            misplaced += 1;
        }
    }
    coded > 0 && misplaced * 2 > coded
}

fn max_sequential_values(view: &View, from: usize) -> usize {
    (from..view.text.len()).map(|r| split_sequential(&view.row_cells(r)).1.len()).max().unwrap_or(0)
}

/// A row read without header positions: leading empties, an optional code cell and one name
/// cell form the label; every cell after it is a value, in column order.
fn split_sequential<'a>(cells: &[&'a Cell]) -> (Vec<&'a Cell>, Vec<&'a Cell>) {
    let mut i = 0;
    while i < cells.len() && cells[i].text.trim().is_empty() {
        i += 1;
    }
    let start = i;
    if i < cells.len() && !split_code_name(&cells[i].text).0.is_empty() {
        i += 1;
    }
    if i < cells.len() && parse_amount(&cells[i].text).is_none() {
        i += 1;
    }
    (cells[start..i].to_vec(), cells[i..].to_vec())
}

/// A 款/项 part of a code printed in a cell of its own, two digits; some converters drop its
/// leading zero (`301 | 2 | 津贴补贴`).
fn code_piece(cell: &str) -> Option<String> {
    (matches!(cell.len(), 1 | 2) && cell.bytes().all(|b| b.is_ascii_digit())).then(|| format!("{cell:0>2}"))
}

/// The printed code and name of a row from its label cells.
fn label_of(cells: &[&Cell]) -> (String, String, Vec<String>) {
    let mut code = String::new();
    let mut name = String::new();
    let mut pieces = Vec::new();
    for c in cells {
        let t = c.text.trim();
        if let Some(piece) = code_piece(t) {
            pieces.push(piece);
            continue;
        }
        let (k, n) = split_code_name(t);
        if code.is_empty() && !k.is_empty() {
            code = k;
        }
        if name.is_empty() && !n.is_empty() {
            name = n;
        }
    }
    (code, name, pieces)
}

fn read_coded(sink: &mut Sink, blocks: &[Table], scheme: Option<Scheme>) {
    let mut trail = CodeTrail::default();
    let mut carried: Option<Columns> = None;
    let mut parts: Vec<(View, Columns, usize)> = Vec::new();
    for block in blocks {
        let view = View::new(block);
        let h = view.header();
        let mut cols = columns(sink.spec, &view, &h, scheme.is_some());
        let unread = unread_figure_columns(&view, &h, &cols);
        if !unread.is_empty() {
            sink.columns_unread.push((block.prov.page, unread));
        }
        if cols.values.is_empty() && cols.sequential.is_none() {
            // A continuation page without its own header.
            match &carried {
                Some(c) => cols = c.clone(),
                None => continue,
            }
        }
        carried = Some(cols.clone());
        parts.push((view, cols, h.end));
    }
    let rows: Vec<(usize, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(p, (view, _, start))| (*start..view.text.len()).filter(|&r| !is_lanci_row(&view.text[r])).map(move |r| (p, r)))
        .collect();
    let kinds = unit_rows(&parts, &rows, sink.known_units);
    for (i, &(p, r)) in rows.iter().enumerate() {
        let (view, cols, _) = &parts[p];
        let forced = match &kinds[i] {
            LeadRow::Item => None,
            LeadRow::Total => Some(named("合计")),
            LeadRow::Unit(name) => {
                // Each unit's block restarts the classification: its codes are its own.
                sink.block = name.clone();
                trail = CodeTrail::default();
                Some(named("合计"))
            }
        };
        read_coded_row(sink, view, r, cols, scheme, &mut trail, forced);
    }
    sink.block.clear();
    if scheme.is_some() {
        unnamed_blocks(&mut sink.out);
    }
}

/// 北京 prints 预算05表 one unit after the other without the units' names: the codes start
/// again (… 2210201, then 2010801). Where a code repeats, each restart of the ascending code
/// order begins a block `#2`, `#3` … (the first is `#1`), so that each printed number keeps its
/// own key and no sum mixes two units. Totals and named rows stay with the table.
fn unnamed_blocks(records: &mut [Record]) {
    let coded = |r: &Record| r.block.is_empty() && r.cross_code.is_empty() && !r.item_code.is_empty();
    let mut seen = std::collections::HashSet::new();
    if !records.iter().filter(|r| coded(r)).any(|r| !seen.insert((r.item_code.clone(), r.column.clone()))) {
        return;
    }
    let mut starts = vec![0usize; records.len()];
    let (mut block, mut last) = (1, None::<&str>);
    for (i, r) in records.iter().enumerate().filter(|(_, r)| coded(r)) {
        if last.is_some_and(|l| r.item_code.as_str() < l) {
            block += 1;
        }
        last = Some(&r.item_code);
        starts[i] = block;
    }
    if block == 1 {
        return;
    }
    for (r, b) in records.iter_mut().zip(starts) {
        if b > 0 {
            r.block = format!("#{b}");
        }
    }
}

/// What a row that names no item stands for in a coded table.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LeadRow {
    Item,
    /// The table's own total, printed unlabelled (北京 预算02表) or under the department's
    /// name (深圳 `深圳市民政局（本级）` as the only unit).
    Total,
    /// The total row of one 预算单位 whose block of rows follows (深圳 prints one block per
    /// unit in 支出总表 and 一般公共预算支出表).
    Unit(String),
}

/// Finds the unit rows of a table: a row labelled with a unit's name (no code, a place and
/// an organ in the name). Several of them make blocks; when the first is followed at once
/// by the next, it is the department's total over all blocks. One alone, first, is the total.
fn unit_rows(parts: &[(View, Columns, usize)], rows: &[(usize, usize)], known_units: &[String]) -> Vec<LeadRow> {
    let mut kinds = vec![LeadRow::Item; rows.len()];
    let mut units: Vec<(usize, String)> = Vec::new();
    for (i, &(p, r)) in rows.iter().enumerate() {
        let (view, cols, _) = &parts[p];
        let first_value = cols.first_value();
        let label: Vec<&str> = (0..first_value.min(view.n_cols)).map(|c| view.text(r, c).trim()).filter(|t| !t.is_empty()).collect();
        let has_value = cols.values.iter().any(|(c, _)| parse_amount(view.text(r, *c)).is_some());
        if !has_value {
            continue;
        }
        if label.is_empty() && i == 0 {
            kinds[i] = LeadRow::Total;
            continue;
        }
        let in_unit_column = |name: &str| cols.unit_col.is_some_and(|u| view.text(r, u).trim() == label[0]) && !is_total_label(name);
        if let Some(unit) = unit_label(&label, known_units, in_unit_column) {
            units.push((i, unit));
        }
    }
    if let Some(&(first, _)) = units.first() {
        let grand = first == 0 && (units.len() == 1 || units[1].0 == 1);
        for (k, (i, name)) in units.into_iter().enumerate() {
            kinds[i] = if k == 0 && grand { LeadRow::Total } else { LeadRow::Unit(name) };
        }
    }
    kinds
}

/// The unit a row's label cells name, as its block is called: `深圳市民政局（本级）`, or with
/// its unit code `125001 | 西安市安全生产监督管理局` → `西安市安全生产监督管理局（125001）`. A name
/// without a code counts where it has a unit's shape, is a unit another table names, or
/// `in_unit_column` says it sits under the table's 单位名称 header.
fn unit_label(label: &[&str], known_units: &[String], in_unit_column: impl Fn(&str) -> bool) -> Option<String> {
    let (code, name) = match label {
        [one] => split_code_name(one),
        [code, name] if is_code_like(code) && split_code_name(name).0.is_empty() => (code.to_string(), canonical_name(name)),
        _ => return None,
    };
    if !code.is_empty() {
        return is_unit_name(&name).then(|| format!("{name}（{code}）"));
    }
    (is_unit_name(&name) || in_unit_column(&name) || known_units.contains(&name)).then_some(name)
}

/// A budget unit's name, not an item: a place or the Party in front, an organ at the end
/// (`深圳市人力资源和社会保障局（本级）`, `中共西安市委宣传部`). Classification names
/// (`法院`, `行政运行`) never carry a place.
fn is_unit_name(text: &str) -> bool {
    const PLACES: [&str; 9] = ["市", "省", "区", "县", "镇", "乡", "国家", "中共", "中国"];
    let name = canonical_name(text);
    has_unit_name_shape(&name)
        && (name.ends_with("本级") || PLACES.iter().any(|p| name.contains(p)))
        && classify::code_of_name(Scheme::Functional, &name, None).is_none()
}

fn read_coded_row(sink: &mut Sink, view: &View, r: usize, cols: &Columns, scheme: Option<Scheme>, trail: &mut CodeTrail, forced: Option<RowId>) {
    let cells = view.row_cells(r);
    let line = first_line(&cells);
    let first_value = cols.first_value();
    let label_cells: Vec<&Cell> =
        cells.iter().copied().filter(|c| c.col < first_value && !cols.line_numbers.contains(&c.col) && !cols.unread.contains(&c.col)).collect();
    // A row shorter than the header (page break in a converter) has its values right after
    // its label; so has every row of a rendering that lost its geometry.
    let displaced = label_cells.iter().any(|c| parse_amount(&c.text).is_some() && !is_code_like(&c.text) && c.text.contains(['.', ',']));
    let (label_cells, values): (Vec<&Cell>, Vec<(&'static str, &Cell)>) = match (&cols.sequential, displaced) {
        (Some(order), _) => {
            let (l, v) = split_sequential(&cells);
            (l, order.iter().copied().zip(v).collect())
        }
        (None, true) => {
            let (l, v) = split_sequential(&cells);
            (l, cols.values.iter().zip(v).filter(|(x, _)| !cols.repeats.contains(&x.0)).map(|(x, cell)| (x.1, cell)).collect())
        }
        (None, false) => {
            let read = cols.values.iter().filter(|(c, _)| !cols.repeats.contains(c));
            (label_cells, read.filter_map(|(c, name)| view.cell(r, *c).map(|cell| (*name, cell))).collect())
        }
    };
    let (label_cells, cross) = if scheme.is_some() { split_cross(&label_cells) } else { (label_cells, String::new()) };
    let id = match forced {
        Some(id) => id,
        None => match row_identity(sink.spec, view, r, &label_cells, cols, scheme, trail) {
            Some(id) => id,
            None => return,
        },
    };
    sink.cross = cross;
    for (column, cell) in values {
        sink.push("", &id, column, cell, line);
    }
    sink.cross.clear();
}

/// A cross table prints a second classification beside the first (北京: function | 政府经济 |
/// 部门经济, each `code-name`; 烟台: 部门 类 | 款 | name | 政府 类 | 款 | name). The first
/// code names the row; the codes after it, with their split 款 parts, are its cross code.
fn split_cross<'a>(label: &[&'a Cell]) -> (Vec<&'a Cell>, String) {
    let starts: Vec<usize> = label.iter().enumerate().filter(|(_, c)| split_code_name(&c.text).0.len() >= 3).map(|(i, _)| i).collect();
    let Some(&second) = starts.get(1) else { return (label.to_vec(), String::new()) };
    let mut codes: Vec<String> = Vec::new();
    for c in &label[second..] {
        let t = c.text.trim();
        let code = split_code_name(t).0;
        if code.len() >= 3 {
            codes.push(code);
        } else if let (Some(piece), Some(last)) = (code_piece(t), codes.last_mut()) {
            last.push_str(&piece);
        }
    }
    (label[..second].to_vec(), codes.join("/"))
}

fn row_identity(spec: &TableSpec, view: &View, r: usize, label: &[&Cell], cols: &Columns, scheme: Option<Scheme>, trail: &mut CodeTrail) -> Option<RowId> {
    let (mut code, name, pieces) = label_of(label);
    let Some(scheme) = scheme else {
        // Named rows (table 11, 项目支出表). 杭州 prints 单位名称 | 项目名称, 长春 项目名称 |
        // 单位名称, 烟台 项目名称 | 项目类别: the row is the project.
        let project = cols.name_col.and_then(|nc| label.iter().find(|c| c.col == nc)).map(|c| split_code_name(&c.text).1);
        let name = project.filter(|n| !n.is_empty()).unwrap_or(name);
        if name.is_empty() {
            return None;
        }
        return Some(match named_row(spec.named_rows, &name, "") {
            Some(row) => named(row.canonical),
            None => named(&name),
        });
    };
    // A 合计 row that shares its line with the header's last row (`类 | 款 | 项 | 合计 | 2,946.25`,
    // 上海 决算 02): the header words stand before the label.
    if code.is_empty() && (is_total_label(&name) || label.iter().any(|c| is_total_label(&canonical_name(&c.text)))) {
        return Some(named("合计"));
    }
    if let Some((l, k, x)) = cols.split {
        let composed = if code.len() == 3 || !pieces.is_empty() {
            let lei = if code.len() == 3 { code.clone() } else { view.text(r, l).trim().to_string() };
            trail.compose(&lei, view.text(r, k), view.text(r, x))
        } else {
            None
        };
        if let Some(c) = composed {
            code = c;
        }
    }
    // `301 | 01 | 基本工资`: an economic code split over 类 | 款 without a 项 column.
    if cols.split.is_none() && code.len() == 3 && !pieces.is_empty() {
        code.push_str(&pieces.concat());
    }
    if code.is_empty() && name.is_empty() {
        return None;
    }
    trail.resolve(scheme, &code, &name)
}

// ---------------------------------------------------------------- table 06

/// One (科目代码, 科目名称, 金额) group of table 06.
#[derive(Debug, Clone, Copy)]
struct Group {
    code: usize,
    name: usize,
    amount: usize,
}

fn groups(spec: &TableSpec, h: &Header) -> Vec<Group> {
    let mut out = Vec::new();
    let mut c = 0;
    while let Some(path) = h.paths.get(c) {
        if !path_has(path, &["编码", "代码"]) {
            c += 1;
            continue;
        }
        // 类 | 款 under one 科目编码 caption (上海 决算): the code is split over two columns.
        let split = leaf_is(path, "类") && h.paths.get(c + 1).is_some_and(|p| leaf_is(p, "款"));
        let name = if split { c + 2 } else { c + 1 };
        let amount = (c + 1..(c + 4).min(h.paths.len())).find(|&k| map_column(spec, &h.paths[k], "").is_some()).unwrap_or(name + 1);
        out.push(Group { code: c, name, amount });
        c = name;
    }
    out
}

/// The printed code of a group's row, its 款 column appended when the code is split.
fn group_code(view: &View, r: usize, g: &Group) -> String {
    let lei = view.text(r, g.code).trim();
    let kuan = view.text(r, g.code + 1).trim();
    let two_digits = kuan.len() == 2 && kuan.bytes().all(|b| b.is_ascii_digit());
    if g.name == g.code + 2 && lei.len() == 3 && two_digits {
        format!("{lei}{kuan}")
    } else {
        lei.to_string()
    }
}

fn read_groups(sink: &mut Sink, blocks: &[Table]) {
    let mut carried: Vec<Group> = Vec::new();
    let mut trails: Vec<CodeTrail> = Vec::new();
    for block in blocks {
        let view = View::new(block);
        let h = view.header();
        let mut gs = groups(sink.spec, &h);
        if gs.is_empty() {
            gs = if carried.is_empty() { (0..view.n_cols / 3).map(|g| Group { code: 3 * g, name: 3 * g + 1, amount: 3 * g + 2 }).collect() } else { carried.clone() };
        }
        trails.resize(gs.len(), CodeTrail::default());
        let column = sink.spec.columns.first().map(|c| c.canonical).unwrap_or("决算数");
        for r in h.end..view.text.len() {
            let cells = view.row_cells(r);
            let line = first_line(&cells);
            if read_footers(sink, &cells, column, line) {
                continue;
            }
            for (g, trail) in gs.iter().zip(trails.iter_mut()) {
                let (code, name) = split_code_name(&group_code(&view, r, g));
                let name = if name.is_empty() { canonical_name(view.text(r, g.name)) } else { name };
                if code.is_empty() && (name.is_empty() || name.starts_with("注")) {
                    continue;
                }
                let Some(id) = trail.resolve(Scheme::Economic, &code, &name) else { continue };
                if let Some(cell) = view.cell(r, g.amount) {
                    sink.push("", &id, column, cell, line);
                }
            }
        }
        carried = gs;
    }
}

/// 人员经费合计 / 公用经费合计: the label, then its number somewhere to the right.
fn read_footers(sink: &mut Sink, cells: &[&Cell], column: &str, line: Option<u32>) -> bool {
    let mut any = false;
    for (i, c) in cells.iter().enumerate() {
        let label = canonical_name(&c.text);
        if !matches!(label.as_str(), "人员经费合计" | "公用经费合计") {
            continue;
        }
        any = true;
        let value = cells[i + 1..].iter().take_while(|v| v.text.trim().is_empty() || parse_amount(&v.text).is_some()).find(|v| parse_amount(&v.text).is_some());
        if let Some(v) = value {
            sink.push("", &named(&label), column, v, line);
        }
    }
    any
}

// ---------------------------------------------------------------- tables 01 and 04

const FUNDS: &[&str] = &["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"];
/// Rows whose fund sub-rows (一般公共预算财政拨款 …) are their parts, not this year's money
/// (国家信访局, 重庆 Y04 print 上年结转 with its own 一般公共预算财政拨款 row below it).
const CARRY_OVERS: &[&str] = &["年初财政拨款结转和结余", "年末财政拨款结转和结余", "上年结转"];

struct Side {
    name: &'static str,
    label: usize,
    values: Vec<(usize, &'static str)>,
    /// The carry-over row above fund sub-rows (04): their names get it as prefix.
    carry: Option<&'static str>,
    /// 本年收入合计 / 本年支出合计 was read: a later bare 收入合计 (福州, 泉州 print it below
    /// 上年结转) is the side's grand total.
    year_total_seen: bool,
}

fn sides(spec: &TableSpec, h: &Header, n_cols: usize) -> Vec<Side> {
    let items: Vec<usize> = h.paths.iter().enumerate().filter(|(_, p)| p.iter().any(|t| t == "项目")).map(|(c, _)| c).collect();
    // Without a 项目 column on the 支出 side, the 收入 | 支出 group headers say where it
    // starts (西安 prints it three groups wide: 功能分类 | 部门经济分类 | 政府经济分类, each
    // with its 预算数, none headed 项目).
    let top = |c: usize, word: &str| h.paths.get(c).and_then(|p| p.first()).is_some_and(|t| t == word);
    let grouped = (2..n_cols).find(|&c| top(c, "支出")).filter(|_| top(0, "收入") && !h.lost_geometry);
    let split = items.get(1).copied().or(grouped).unwrap_or(n_cols / 2);
    let label_in = |lo: usize, hi: usize| items.iter().copied().find(|&c| c >= lo && c < hi).unwrap_or(lo);
    let mut out = vec![
        Side { name: "收入", label: label_in(0, split), values: Vec::new(), carry: None, year_total_seen: false },
        Side { name: "支出", label: label_in(split, n_cols), values: Vec::new(), carry: None, year_total_seen: false },
    ];
    // A second label column on a side after its values starts another classification of
    // the same money (西安: 支出功能分类 | 预算数 | 部门预算支出经济分类 | 预算数 | …): the side's
    // first label | values group is the one read, the others are not read under its labels.
    let mut closed = [false, false];
    for (c, path) in h.paths.iter().enumerate() {
        let s = usize::from(c >= split);
        if c == out[s].label || leaf_is(path, "行次") || leaf_is(path, "行") || closed[s] {
            continue;
        }
        if let Some(name) = map_column(spec, path, out[s].name) {
            out[s].values.push((c, name));
        } else if !out[s].values.is_empty() && path.iter().any(|t| t == "项目" || t.contains("科目") || t.ends_with("名称") || t.ends_with("分类")) {
            closed[s] = true;
        }
    }
    out
}

type SideColumns = (usize, Vec<(usize, &'static str)>);

fn read_two_sided(sink: &mut Sink, blocks: &[Table]) {
    // Per side: (label column, value columns), reused by a continuation without header.
    let mut carried: Option<Vec<SideColumns>> = None;
    let mut carry: [Option<&'static str>; 2] = [None, None];
    for block in blocks {
        let view = View::new(block);
        let h = view.header();
        let mut ss = sides(sink.spec, &h, view.n_cols);
        if ss.iter().all(|s| s.values.is_empty()) {
            let Some(prev) = &carried else { continue };
            for (s, (label, values)) in ss.iter_mut().zip(prev) {
                s.label = *label;
                s.values = values.clone();
            }
        }
        for (s, c) in ss.iter_mut().zip(carry) {
            s.carry = c;
        }
        for r in h.end..view.text.len() {
            if is_lanci_row(&view.text[r]) {
                continue;
            }
            let line = first_line(&view.row_cells(r));
            for side in ss.iter_mut() {
                let printed = canonical_name(view.text(r, side.label));
                let Some(id) = side_item(sink.spec.named_rows, &printed, side) else { continue };
                for (c, column) in &side.values {
                    if let Some(cell) = view.cell(r, *c) {
                        sink.push(side.name, &id, column, cell, line);
                    }
                }
            }
        }
        carry = [ss[0].carry, ss[1].carry];
        carried = Some(ss.into_iter().map(|s| (s.label, s.values)).collect());
    }
}

/// The item of one side of a row: a named row, a 类 of the functional classification
/// (支出 side), or a fund sub-row of a carry-over (prefixed).
fn side_item(rows: &'static [NamedRow], printed: &str, side: &mut Side) -> Option<RowId> {
    // A label that is a figure (a row number, or amounts run together where the columns were
    // lost) names no row.
    if printed.is_empty() || matches!(printed, "项目" | "栏次" | "收入" | "支出") || parse_amount(printed).is_some() {
        return None;
    }
    let name = if printed == "合计" { "总计" } else { printed };
    if name == "总计" {
        side.carry = None;
    }
    if let Some(carry) = side.carry {
        let is_fund = |n: &str| FUNDS.iter().find(|f| n == **f || n.strip_suffix("收入") == Some(f));
        // Printed as the row's synonym (一般公共预算拨款) too.
        if let Some(fund) = is_fund(name).or_else(|| named_row(rows, name, side.name).and_then(|r| is_fund(r.canonical))) {
            return Some(named(&format!("{carry}/{fund}")));
        }
    }
    if let Some(row) = named_row(rows, name, side.name) {
        if matches!(row.canonical, "本年收入合计" | "本年支出合计") {
            if side.year_total_seen && !name.starts_with("本年") {
                let grand = if side.name == "收入" { "收入总计" } else { "支出总计" };
                side.carry = None;
                return Some(named(named_row(rows, grand, side.name).map(|r| r.canonical).unwrap_or(grand)));
            }
            side.year_total_seen = true;
        }
        // Any other named row ends the carry-over's parts.
        side.carry = CARRY_OVERS.iter().find(|c| **c == row.canonical).copied();
        return Some(named(row.canonical));
    }
    if side.name == "支出" {
        if let Some(code) = classify::lei_of_name(name) {
            let official = classify::name_of(Scheme::Functional, code).unwrap_or(name);
            return Some(RowId { code: code.to_string(), name: official.to_string(), flags: Vec::new() });
        }
        // 湖州 names its 款 and 项 without codes: a classification name is a known row.
        if classify::is_listed_name(Scheme::Functional, name) {
            return Some(named(name));
        }
    }
    // Neither a row of the table nor a classification name: kept as printed, flagged (a
    // regional row, or rows of another table read as this one's continuation).
    Some(RowId { code: String::new(), name: name.to_string(), flags: vec![OUTSIDE_CATALOGUE_FLAG.to_string()] })
}

/// Flag of a row of a two-sided summary table that the catalogue does not name.
pub const OUTSIDE_CATALOGUE_FLAG: &str = "row_not_in_catalogue";

// ---------------------------------------------------------------- table 09

/// The 三公 item a column's header path names; a group header naming the 三公 itself
/// (`一般公共预算拨款安排的“三公”经费预算` over 小计 | 因公出国 | …) names its 合计.
fn sangong_item(spec: &'static TableSpec, path: &[String]) -> Option<&'static str> {
    path.iter()
        .rev()
        .filter(|p| p.as_str() != "小计")
        .find_map(|p| named_row(spec.named_rows, p, "").map(|r| r.canonical).or_else(|| names_sangong(p).then_some("合计")))
}

fn names_sangong(header: &str) -> bool {
    header.contains("三公")
}

/// A 合计 column outside the 三公 group, in a table that prints the group's own total and
/// 会议费 or 培训费 beside it, sums all of them (西安): it is not the 三公's 合计.
fn widen_outer_total(cols: &mut [(Option<&'static str>, Option<&'static str>)], paths: &[Vec<String>]) {
    let in_group = |c: usize| paths.get(c).is_some_and(|p| p.iter().any(|t| names_sangong(t)));
    let group_total = (0..cols.len()).any(|c| cols[c].0 == Some("合计") && in_group(c));
    let meetings = cols.iter().any(|(item, _)| matches!(item, Some("会议费" | "培训费")));
    if !(group_total && meetings) {
        return;
    }
    for c in 0..cols.len() {
        if cols[c].0 == Some("合计") && !in_group(c) {
            cols[c].0 = Some(catalogue::SANGONG_WITH_MEETINGS);
        }
    }
}

fn budget_kind(text: &str) -> Option<&'static str> {
    // Last year's budget (`上年预算数`, `2025年预算数` made relative by the header) is not this year's.
    if text.starts_with("上年") && !text.contains("结转") {
        return None;
    }
    if text.contains("预算数") || text == "预算" {
        Some("预算数")
    } else if text.contains("决算数") || text == "决算" {
        Some("决算数")
    } else {
        None
    }
}

/// A 预算 table's column that names no kind is this year's 预算数 (长春 prints only `当年预算`
/// and `上年结转结余` groups), unless its group is last year's money.
fn this_year_budget(spec: &TableSpec, path: &[String]) -> Option<&'static str> {
    let last_year = |t: &String| ["上年", "结转", "执行", "决算"].iter().any(|w| t.contains(w));
    (spec.family == Family::Budget && !path.iter().any(last_year)).then_some("预算数")
}

fn read_sangong(sink: &mut Sink, blocks: &[Table]) {
    for block in blocks {
        let view = View::new(block);
        let h = view.header();
        let mut col_info: Vec<(Option<&'static str>, Option<&'static str>)> =
            h.paths.iter().map(|p| (sangong_item(sink.spec, p), p.iter().find_map(|t| budget_kind(t)))).collect();
        fix_budget_groups(&mut col_info);
        widen_outer_total(&mut col_info, &h.paths);
        let label_col = col_info.first().is_some_and(|(i, k)| i.is_none() && k.is_none());
        // Columns naming neither item nor kind hold the row labels (before repeated item
        // columns are blanked below, which are values, not labels).
        let label_cols: Vec<usize> = col_info.iter().enumerate().filter(|(_, col)| **col == (None, None)).map(|(c, _)| c).collect();
        for ((item, kind), path) in col_info.iter_mut().zip(&h.paths) {
            if item.is_some() && kind.is_none() {
                *kind = this_year_budget(sink.spec, path);
            }
        }
        // 小计 | 因公出国（境）费 | 科研因公出国（境）费用 all name one item: the first (the subtotal) counts.
        let mut seen = Vec::new();
        for col in col_info.iter_mut() {
            if let (Some(item), Some(kind)) = *col {
                if seen.contains(&(item, kind)) {
                    *col = (None, None);
                } else {
                    seen.push((item, kind));
                }
            }
        }
        let row_label = |r: usize| if label_col { norm(view.text(r, 0)) } else { String::new() };
        let item_of = |label: &str| named_row(sink.spec.named_rows, label, "").map(|x| x.canonical);
        // Label columns headed 预算单位 / 单位名称: a name there is a unit's, place or not (深圳鹏城技师学院).
        let unit_cols: Vec<usize> = label_cols.iter().copied().filter(|&c| h.paths.get(c).is_some_and(|p| p.iter().any(|t| t.contains("单位")))).collect();
        // 广州 prints the items down the rows (行政经费, “三公”经费, （一）因公出国（境）支出 …)
        // under 合计 | 一般公共预算 | …: the 合计 column is then the funds' total, not the item 合计.
        let items_in_rows = (h.end..view.text.len()).any(|r| item_of(&row_label(r)).is_some_and(|i| i != "合计"));
        let periods: Vec<RowPeriod> = (0..view.text.len()).map(|r| row_period(label_cols.iter().map(|&c| norm(view.text(r, c))))).collect();
        let latest = periods.iter().filter_map(|p| if let RowPeriod::Year(y) = p { Some(*y) } else { None }).max();
        let has_last_year = sink.spec.columns.iter().any(|c| c.canonical == "上年预算数");
        let mut total_seen = false;
        for r in h.end..view.text.len() {
            if is_lanci_row(&view.text[r]) {
                continue;
            }
            enter_row_unit(sink, &view, r, &label_cols, &unit_cols);
            // 深圳 prints the years down the rows (2025年 | 2026年 | 增减变化金额): the latest is
            // this year's budget, an earlier one last year's, the change is not read.
            let period_kind = match periods.get(r) {
                Some(RowPeriod::Change) => continue,
                Some(RowPeriod::Year(y)) if Some(*y) != latest && has_last_year => Some("上年预算数"),
                Some(RowPeriod::Year(y)) if Some(*y) != latest => continue,
                _ => None,
            };
            let line = first_line(&view.row_cells(r));
            let row_label = row_label(r);
            let row_kind = period_kind.or(budget_kind(&row_label));
            let row_item = item_of(&row_label);
            // 杭州, 湖州 print the 合计 row, then rows of the department's units under names
            // that have no unit's shape: their shares are not the department's figures.
            if sink.block.is_empty() && total_seen && !row_label.is_empty() && row_item.is_none() && row_kind.is_none() {
                continue;
            }
            total_seen |= is_total_label(&row_label);
            for (c, (item, kind)) in col_info.iter().enumerate().skip(usize::from(label_col)) {
                let item = if items_in_rows { row_item } else { item.or(row_item) };
                let kind = if period_kind.is_some() { period_kind } else { kind.or(row_kind) };
                let (Some(item), Some(kind)) = (item, kind) else { continue };
                if let Some(cell) = view.cell(r, c) {
                    sink.push("", &named(item), kind, cell, line);
                }
            }
        }
    }
    sink.block.clear();
    department_first(&mut sink.out);
}

/// Sets the sink's block to the unit a 三公 row names (西安: the 合计 row, then one row per
/// unit, `245001 | 西安市医疗保障局`; 深圳: a unit's name on the first of its year rows). A row
/// naming only a year, or nothing (continued from the page before), keeps the unit above it;
/// any other row that names no unit ends it.
fn enter_row_unit(sink: &mut Sink, view: &View, r: usize, label_cols: &[usize], unit_cols: &[usize]) {
    let texts: Vec<String> = label_cols.iter().map(|&c| view.text(r, c).trim().to_string()).filter(|t| !t.is_empty()).collect();
    let period = |t: &String| row_period(std::iter::once(norm(t))) != RowPeriod::None;
    let labels: Vec<&str> = texts.iter().filter(|t| !period(t)).map(String::as_str).collect();
    if labels.is_empty() {
        return;
    }
    let named_item = |t: &str| named_row(sink.spec.named_rows, t, "").is_some() || budget_kind(&norm(t)).is_some();
    // A 三公 table has no classification rows: a coded row is a unit, even under a name cut
    // at the column's edge (`242008 | 西安市人力资源和社会保障局信息中`).
    let coded_unit = || match labels.as_slice() {
        [code, name] if is_code_like(code) => Some(format!("{}（{code}）", canonical_name(name))),
        _ => None,
    };
    let in_unit_column = |name: &str| !is_total_label(name) && unit_cols.iter().any(|&c| canonical_name(view.text(r, c)) == name);
    let unit = unit_label(&labels, sink.known_units, in_unit_column).or_else(coded_unit).filter(|_| !labels.iter().any(|t| named_item(t)));
    sink.block = unit.unwrap_or_default();
}

/// 深圳 prints the department's row first, then its units (`深圳市人力资源和社会保障局`, then
/// `深圳市人力资源和社会保障局（本级）` …): with no 合计 row read, a first block that is the only
/// one, or whose name the next block's name begins with, is the department's total, outside
/// any block.
fn department_first(records: &mut [Record]) {
    if records.iter().any(|r| r.block.is_empty()) {
        return;
    }
    let Some(first) = records.first().map(|r| r.block.clone()) else { return };
    let second = records.iter().map(|r| r.block.as_str()).find(|b| *b != first);
    if second.is_none_or(|second| second.starts_with(first.as_str())) {
        for r in records.iter_mut().filter(|r| r.block == first) {
            r.block.clear();
        }
    }
}

/// What a 三公 row's label cells say of its period, when the years run down the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowPeriod {
    None,
    Year(u32),
    /// 增减变化金额, 比上年增减: a difference, not an amount.
    Change,
}

pub(super) fn row_period(labels: impl Iterator<Item = String>) -> RowPeriod {
    for label in labels {
        if label.contains("增减") || label.contains("变化") {
            return RowPeriod::Change;
        }
        let year = label.strip_suffix("年度").or_else(|| label.strip_suffix('年'));
        if let Some(y) = year.filter(|y| y.len() == 4).and_then(|y| y.parse::<u32>().ok()) {
            return RowPeriod::Year(y);
        }
    }
    RowPeriod::None
}

/// When items are printed twice side by side (预算数 group, then 决算数 group), the second
/// run of items is the 决算数 group, whatever column the group caption landed in.
fn fix_budget_groups(cols: &mut [(Option<&'static str>, Option<&'static str>)]) {
    let Some(first) = cols.iter().position(|(i, _)| i.is_some()) else { return };
    let Some(item) = cols[first].0 else { return };
    let Some(second) = cols.iter().skip(first + 1).position(|(i, _)| *i == Some(item)).map(|p| p + first + 1) else { return };
    let has = |kind: &str| cols.iter().any(|(_, k)| *k == Some(kind));
    if has("预算数") && has("决算数") {
        for (c, col) in cols.iter_mut().enumerate().skip(first) {
            col.1 = Some(if c < second { "预算数" } else { "决算数" });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coded(code: &str) -> Record {
        Record { table: "Y05".into(), item_code: code.into(), column: "合计".into(), ..Default::default() }
    }

    #[test]
    fn units_printed_one_after_the_other_become_blocks() {
        // 北京 预算05表: three units' rows, no unit names, then the table's 合计.
        let mut records: Vec<Record> = ["2010801", "2210201", "2010801", "2080505", "2010850"].into_iter().map(coded).collect();
        records.push(Record { item_name: "合计".into(), ..coded("") });
        unnamed_blocks(&mut records);
        let blocks: Vec<&str> = records.iter().map(|r| r.block.as_str()).collect();
        assert_eq!(blocks, ["#1", "#1", "#2", "#2", "#3", ""]);
        // Sorted codes without a repeat are one table, whatever their order of levels.
        let mut plain: Vec<Record> = ["201", "20101", "2010101", "202"].into_iter().map(coded).collect();
        unnamed_blocks(&mut plain);
        assert!(plain.iter().all(|r| r.block.is_empty()));
    }

    #[test]
    fn unit_names_are_not_items() {
        assert!(is_unit_name("深圳市人力资源和社会保障局（本级）"));
        assert!(is_unit_name("中共西安市委宣传部"));
        assert!(is_unit_name("西安市安全生产监督管理局"));
        assert!(!is_unit_name("行政运行"));
        assert!(!is_unit_name("法院"));
        assert!(!is_unit_name("一般公共服务支出"));
    }
}
