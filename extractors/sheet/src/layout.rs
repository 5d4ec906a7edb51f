//! One sheet's cells into blocks: caption rows above the grid as paragraphs (so the
//! recogniser meets `收入支出决算总表`, `公开01表`, `单位：万元` as it would in a PDF), the grid
//! as a table with merged regions as spans, and trailing notes (`注：…`) as paragraphs.

use crate::read::{RawCell, RawSheet};
use calamine::Dimensions;
use gongkai_model::{Block, Cell, Paragraph, Provenance, Table};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A sheet whose table would cover more positions than this is hostile or not a report.
const MAX_AREA: u64 = 4_000_000;
const MAX_MERGES: usize = 20_000;
/// Up to this many positions, every empty box of the grid becomes an empty cell, as a printed
/// table has it (the recogniser reads a position without a cell as a box that was not
/// printed). Larger sheets stay sparse to bound memory.
const MAX_FILLED_AREA: u64 = 250_000;

/// A caption row holding a few cells ("部门：… | 单位：万元") is still a caption row.
const CAPTION_PREFIXES: &[&str] = &["部门", "单位", "金额单位", "编制单位", "填报单位", "预算单位", "公开", "报送单位"];
const NOTE_PREFIXES: &[&str] = &["注", "说明", "备注", "数据来源", "填表说明"];

pub fn sheet_blocks(sheet: &RawSheet, number: u32, warnings: &mut Vec<String>) -> Vec<Block> {
    let prov = |row: Option<u32>| Provenance {
        page: Some(number),
        sheet: Some(sheet.name.clone()),
        line: row.map(|r| r.saturating_add(1)),
        ..Default::default()
    };
    let Some(bounds) = Bounds::of(sheet.cells.iter()) else { return Vec::new() };
    if bounds.area() > MAX_AREA {
        warnings.push(format!("sheet {}: used range {}×{} too large, skipped", sheet.name, bounds.rows(), bounds.cols()));
        return Vec::new();
    }
    let merges = Merges::new(&sheet.merges, &bounds, warnings, &sheet.name);
    let mut rows: BTreeMap<u32, Vec<&RawCell>> = BTreeMap::new();
    for cell in sheet.cells.iter().filter(|c| !merges.covered(c.row, c.col)) {
        rows.entry(cell.row).or_default().push(cell);
    }
    for row in rows.values_mut() {
        row.sort_by_key(|c| c.col);
    }

    let rows: Vec<(&u32, &Vec<&RawCell>)> = rows.iter().collect();
    let mut blocks = Vec::new();
    let mut run: Vec<(&u32, &Vec<&RawCell>)> = Vec::new();
    let flush = |run: &mut Vec<(&u32, &Vec<&RawCell>)>, blocks: &mut Vec<Block>| {
        if let Some(table) = grid(run, &merges, &prov) {
            blocks.push(Block::Table(table));
        }
        run.clear();
    };
    for (i, &(row, cells)) in rows.iter().enumerate() {
        // A blank row ends a table: workbooks that stack several tables on one sheet leave one.
        if i > 0 && *row > rows[i - 1].0 + 1 {
            flush(&mut run, &mut blocks);
        }
        if is_text_row(&rows, i) {
            flush(&mut run, &mut blocks);
            blocks.push(paragraph(cells, prov(Some(*row))));
        } else {
            run.push((row, cells));
        }
    }
    flush(&mut run, &mut blocks);
    blocks
}

/// A row that is text, not a table row: a title, a 公开表 number, 单位 or 部门 caption, a
/// note, a line of narrative. A lone label between two table rows (a heading row with no
/// figures, `（一）基本支出`) stays in its table.
fn is_text_row(rows: &[(&u32, &Vec<&RawCell>)], i: usize) -> bool {
    let cells = rows[i].1;
    if is_note_row(cells) || is_caption_row(cells) {
        return true;
    }
    if cells.len() != 1 {
        return false;
    }
    let table_row = |j: usize| rows[j].1.len() > 1;
    let adjacent = |a: usize, b: usize| *rows[b].0 == *rows[a].0 + 1;
    let between = i > 0 && i + 1 < rows.len() && adjacent(i - 1, i) && adjacent(i, i + 1) && table_row(i - 1) && table_row(i + 1);
    !between
}

fn paragraph(cells: &[&RawCell], prov: Provenance) -> Block {
    let text = cells.iter().map(|c| c.text.trim()).collect::<Vec<_>>().join("    ");
    Block::Paragraph(Paragraph { text, prov })
}

/// A title or caption row (`收入支出决算总表`, "部门：… | 单位：万元"), in up to three cells.
fn is_caption_row(cells: &[&RawCell]) -> bool {
    (1..=3).contains(&cells.len())
        && cells.iter().all(|c| {
            let t = c.text.trim();
            CAPTION_PREFIXES.iter().any(|p| t.starts_with(p)) || t.ends_with('表')
        })
}

fn is_note_row(cells: &[&RawCell]) -> bool {
    matches!(cells, [only] if NOTE_PREFIXES.iter().any(|p| only.text.trim_start().starts_with(p)))
}

/// The table of the remaining rows, positioned relative to its own top-left.
fn grid(rows: &[(&u32, &Vec<&RawCell>)], merges: &Merges, prov: &dyn Fn(Option<u32>) -> Provenance) -> Option<Table> {
    let bounds = Bounds::of(rows.iter().flat_map(|(_, cells)| cells.iter().copied()))?;
    let mut table = Table { prov: prov(None), ..Default::default() };
    for cell in rows.iter().flat_map(|(_, cells)| cells.iter()) {
        let (row_span, col_span) = merges.span_at(cell.row, cell.col, &bounds);
        table.push(Cell {
            text: cell.text.clone(),
            row: (cell.row - bounds.row0) as usize,
            col: (cell.col - bounds.col0) as usize,
            row_span,
            col_span,
            prov: prov(Some(cell.row)),
        });
    }
    if bounds.area() <= MAX_FILLED_AREA {
        let present: HashSet<(u32, u32)> = rows.iter().flat_map(|(_, cells)| cells.iter().map(|c| (c.row, c.col))).collect();
        for row in bounds.row0..=bounds.row1 {
            for col in bounds.col0..=bounds.col1 {
                if present.contains(&(row, col)) || merges.covered(row, col) {
                    continue;
                }
                let (row_span, col_span) = merges.span_at(row, col, &bounds);
                table.push(Cell {
                    row: (row - bounds.row0) as usize,
                    col: (col - bounds.col0) as usize,
                    row_span,
                    col_span,
                    prov: prov(Some(row)),
                    ..Cell::default()
                });
            }
        }
        table.cells.sort_by_key(|c| (c.row, c.col));
    }
    Some(table)
}

#[derive(Debug, Clone, Copy)]
struct Bounds {
    row0: u32,
    col0: u32,
    row1: u32,
    col1: u32,
}

impl Bounds {
    fn of<'a>(cells: impl Iterator<Item = &'a RawCell>) -> Option<Bounds> {
        cells.fold(None, |b: Option<Bounds>, c| {
            Some(match b {
                None => Bounds { row0: c.row, col0: c.col, row1: c.row, col1: c.col },
                Some(b) => Bounds { row0: b.row0.min(c.row), col0: b.col0.min(c.col), row1: b.row1.max(c.row), col1: b.col1.max(c.col) },
            })
        })
    }
    fn rows(&self) -> u64 {
        u64::from(self.row1 - self.row0) + 1
    }
    fn cols(&self) -> u64 {
        u64::from(self.col1 - self.col0) + 1
    }
    fn area(&self) -> u64 {
        self.rows() * self.cols()
    }
}

/// Merged regions clipped to the used range: anchors with their extent, covered positions.
struct Merges {
    anchors: HashMap<(u32, u32), (u32, u32)>,
    covered: HashSet<(u32, u32)>,
}

impl Merges {
    fn new(regions: &[Dimensions], b: &Bounds, warnings: &mut Vec<String>, sheet: &str) -> Merges {
        let mut m = Merges { anchors: HashMap::new(), covered: HashSet::new() };
        if regions.len() > MAX_MERGES {
            warnings.push(format!("sheet {sheet}: {} merged regions, spans ignored", regions.len()));
            return m;
        }
        for d in regions {
            let (r0, c0) = d.start;
            let (r1, c1) = (d.end.0.min(b.row1), d.end.1.min(b.col1));
            if r1 < r0 || c1 < c0 || r0 > b.row1 || c0 > b.col1 {
                continue;
            }
            if m.covered.len() as u64 + u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1) > MAX_AREA {
                warnings.push(format!("sheet {sheet}: merged regions cover too much, the rest ignored"));
                break;
            }
            m.anchors.insert((r0, c0), (r1, c1));
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) {
                        m.covered.insert((r, c));
                    }
                }
            }
        }
        m
    }

    fn covered(&self, row: u32, col: u32) -> bool {
        self.covered.contains(&(row, col))
    }

    /// The span of a cell, clipped to the table's rows and columns.
    fn span_at(&self, row: u32, col: u32, b: &Bounds) -> (usize, usize) {
        match self.anchors.get(&(row, col)) {
            Some(&(r1, c1)) => ((r1.min(b.row1) - row) as usize + 1, (c1.min(b.col1) - col) as usize + 1),
            None => (1, 1),
        }
    }
}
