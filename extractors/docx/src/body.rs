//! Walks the element tree of `word/document.xml` into blocks, reading text as Word displays it.

use crate::xml::{Node, Ns};
use gongkai_model::{Block, Cell, Paragraph, Provenance, Table};

/// A hostile `gridSpan` must not make a grid of millions of columns.
const MAX_SPAN: usize = 1000;
/// Nested fields deeper than this are not real documents; deeper ones are read as results.
const MAX_FIELD_NESTING: usize = 64;
/// A table grid larger than this (rows × columns) comes from hostile spans.
const MAX_GRID: u64 = 4_000_000;

/// One direct block of a container plus the nested tables that follow it in the output.
struct Piece {
    block: Block,
    trailing: Vec<Block>,
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    /// Between `begin` and `separate`: the field code, not shown.
    Instruction,
    /// Between `separate` and `end`: the displayed result.
    Result,
}

#[derive(Default)]
struct Walker {
    /// Complex fields may span runs and paragraphs, so their state lives across the walk.
    fields: Vec<Field>,
}

/// The body's blocks in document order, each numbered (1-based) in `prov.line`.
pub fn body_blocks(document: &Node) -> Vec<Block> {
    let body = document.child_w("body").unwrap_or(document);
    let mut walker = Walker::default();
    let mut out = Vec::new();
    for piece in walker.pieces(body) {
        let Piece { block, trailing } = piece;
        if let Block::Paragraph(p) = &block {
            if p.text.trim().is_empty() {
                continue;
            }
        }
        out.push(block);
        out.extend(trailing);
    }
    for (i, block) in out.iter_mut().enumerate() {
        number(block, i as u32 + 1);
    }
    out
}

fn number(block: &mut Block, line: u32) {
    match block {
        Block::Paragraph(p) => p.prov.line = Some(line),
        Block::Table(t) => {
            t.prov.line = Some(line);
            for c in &mut t.cells {
                c.prov.line = Some(line);
            }
        }
    }
}

impl Walker {
    fn showing(&self) -> bool {
        self.fields.iter().all(|f| *f == Field::Result)
    }

    /// Block-level content of a body, cell, text box or content control.
    fn pieces(&mut self, container: &Node) -> Vec<Piece> {
        let mut out = Vec::new();
        for el in container.elements() {
            match (el.ns, el.name.as_str()) {
                (Some(Ns::W), "p") => {
                    let (text, boxed) = self.paragraph(el);
                    out.push(Piece { block: paragraph_block(text), trailing: Vec::new() });
                    out.extend(boxed);
                }
                (Some(Ns::W), "tbl") => {
                    let (table, trailing) = self.table(el);
                    out.push(Piece { block: Block::Table(table), trailing });
                }
                (Some(Ns::W), "sdt") => {
                    if let Some(content) = el.child_w("sdtContent") {
                        out.extend(self.pieces(content));
                    }
                }
                (Some(Ns::W), "customXml" | "ins" | "moveTo" | "smartTag") => out.extend(self.pieces(el)),
                (Some(Ns::Mc), "AlternateContent") => {
                    if let Some(branch) = alternate_branch(el) {
                        out.extend(self.pieces(branch));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// A paragraph's displayed text, and the content of text boxes anchored in it.
    fn paragraph(&mut self, p: &Node) -> (String, Vec<Piece>) {
        let mut text = String::new();
        let mut boxed = Vec::new();
        self.inline(p, &mut text, &mut boxed);
        (text, boxed)
    }

    fn inline(&mut self, node: &Node, text: &mut String, boxed: &mut Vec<Piece>) {
        for el in node.elements() {
            match (el.ns, el.name.as_str()) {
                (Some(Ns::W), "t") => {
                    if self.showing() {
                        text.push_str(&el.text());
                    }
                }
                (Some(Ns::W), "tab" | "ptab") => self.show(text, '\t'),
                (Some(Ns::W), "br" | "cr") => self.show(text, '\n'),
                (Some(Ns::W), "noBreakHyphen") => self.show(text, '-'),
                (Some(Ns::W), "sym") => {
                    if let Some(c) = symbol_char(el) {
                        self.show(text, c);
                    }
                }
                (Some(Ns::W), "fldChar") => self.field_char(el.attr("fldCharType")),
                (Some(Ns::W), "txbxContent") => boxed.extend(self.pieces(el)),
                (Some(Ns::Mc), "AlternateContent") => {
                    if let Some(branch) = alternate_branch(el) {
                        self.inline(branch, text, boxed);
                    }
                }
                // Properties, deleted or moved-away text, field codes and hidden bookkeeping.
                (
                    Some(Ns::W),
                    "pPr" | "rPr" | "del" | "moveFrom" | "delText" | "instrText" | "sdtPr" | "sdtEndPr" | "fldData"
                    | "tbl",
                ) => {}
                // Runs, hyperlinks, simple fields (their children are the result), insertions,
                // content controls, drawings that may hold a text box: their content shows.
                _ => self.inline(el, text, boxed),
            }
        }
    }

    fn show(&self, text: &mut String, c: char) {
        if self.showing() {
            text.push(c);
        }
    }

    fn field_char(&mut self, kind: Option<&str>) {
        match kind {
            Some("begin") if self.fields.len() < MAX_FIELD_NESTING => self.fields.push(Field::Instruction),
            Some("separate") => {
                if let Some(top) = self.fields.last_mut() {
                    *top = Field::Result;
                }
            }
            Some("end") => {
                self.fields.pop();
            }
            _ => {}
        }
    }

    /// A table with its spans, and the nested tables found in its cells (in order, each
    /// followed by its own nested tables).
    fn table(&mut self, tbl: &Node) -> (Table, Vec<Block>) {
        let mut trailing = Vec::new();
        let mut spec = Vec::new();
        for tr in rows(tbl) {
            if tr.child_w("trPr").is_some_and(|p| p.child_w("del").is_some()) {
                continue; // a tracked row deletion is not displayed
            }
            let before = tr.child_w("trPr").and_then(|p| p.child_w("gridBefore")).map_or(0, span_of);
            let mut cells_spec = Vec::new();
            for tc in cells(tr) {
                let props = tc.child_w("tcPr");
                let (text, nested) = self.cell_content(tc);
                trailing.extend(nested);
                cells_spec.push(CellSpec {
                    text,
                    span: props.and_then(|p| p.child_w("gridSpan")).map_or(1, span_of),
                    hmerge_continue: props.and_then(|p| p.child_w("hMerge")).is_some_and(|m| m.attr("val") != Some("restart")),
                    vmerge_continue: props
                        .and_then(|p| p.child_w("vMerge"))
                        .is_some_and(|m| m.attr("val").is_none_or(|v| v == "continue")),
                });
            }
            spec.push((before, cells_spec));
        }
        let table = place(&spec, true);
        if (table.n_rows as u64).saturating_mul(table.n_cols as u64) > MAX_GRID {
            // Hostile spans would make every reader allocate a huge grid: keep the text, drop spans.
            return (place(&spec, false), trailing);
        }
        (table, trailing)
    }

    /// A cell's text (paragraphs joined by `\n`, nested tables as tab-separated lines) and the
    /// nested tables to emit after the outer one.
    fn cell_content(&mut self, tc: &Node) -> (String, Vec<Block>) {
        let mut lines = Vec::new();
        let mut nested = Vec::new();
        for Piece { block, trailing } in self.pieces(tc) {
            match &block {
                Block::Paragraph(p) => lines.push(p.text.clone()),
                Block::Table(t) => lines.push(table_text(t)),
            }
            if matches!(block, Block::Table(_)) {
                nested.push(block);
            }
            nested.extend(trailing);
        }
        let text = lines.join("\n");
        (text.trim_matches('\n').to_string(), nested)
    }
}

struct CellSpec {
    text: String,
    span: usize,
    hmerge_continue: bool,
    vmerge_continue: bool,
}

/// Places a table's cells on its grid: `gridSpan` and `hMerge` widen, a `vMerge`
/// continuation extends the cell above it (and is covered, not a cell of its own).
fn place(rows: &[(usize, Vec<CellSpec>)], honour_spans: bool) -> Table {
    let mut table = Table::default();
    // For each grid column, the cell that last occupied it: a vMerge continuation extends it.
    let mut above: Vec<Option<usize>> = Vec::new();
    for (r, (before, cells)) in rows.iter().enumerate() {
        let mut col = if honour_spans { *before } else { 0 };
        let mut left: Option<usize> = None;
        for spec in cells {
            let span = if honour_spans { spec.span } else { 1 };
            let text = spec.text.clone();
            if spec.hmerge_continue && honour_spans {
                if let Some(cell) = left.and_then(|i| table.cells.get_mut(i)) {
                    cell.col_span += span;
                    append_text(&mut cell.text, &text);
                    col += span;
                    table.n_cols = table.n_cols.max(col);
                    continue;
                }
            }
            let anchor = if spec.vmerge_continue && honour_spans { above.get(col).copied().flatten() } else { None };
            let extends = anchor.and_then(|i| table.cells.get(i)).is_some_and(|a| a.col == col && a.row + a.row_span == r);
            let index = match anchor {
                Some(i) if extends => {
                    if let Some(a) = table.cells.get_mut(i) {
                        a.row_span += 1;
                        append_text(&mut a.text, &text);
                    }
                    table.n_rows = table.n_rows.max(r + 1);
                    i
                }
                _ => {
                    table.push(Cell { col_span: span, ..Cell::new(r, col, text) });
                    table.cells.len() - 1
                }
            };
            if above.len() < col + 1 {
                above.resize(col + 1, None);
            }
            if let Some(slot) = above.get_mut(col) {
                *slot = Some(index);
            }
            left = Some(index);
            col += span;
        }
    }
    table.n_rows = table.n_rows.max(rows.len());
    table
}

fn paragraph_block(text: String) -> Block {
    Block::Paragraph(Paragraph { text, prov: Provenance::default() })
}

fn append_text(into: &mut String, more: &str) {
    if more.trim().is_empty() {
        return;
    }
    if !into.is_empty() {
        into.push('\n');
    }
    into.push_str(more);
}

/// A nested table's text inside its outer cell: one line per row, cells separated by tabs.
fn table_text(t: &Table) -> String {
    t.grid()
        .iter()
        .map(|row| row.iter().map(|c| c.map_or("", |c| c.text.as_str())).collect::<Vec<_>>().join("\t"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn span_of(node: &Node) -> usize {
    node.attr("val").and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, MAX_SPAN)
}

/// Rows of a table, seen through content controls, custom XML and tracked insertions.
fn rows(tbl: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    collect(tbl, "tr", &mut out, 0);
    out
}

fn cells(tr: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    collect(tr, "tc", &mut out, 0);
    out
}

fn collect<'a>(node: &'a Node, want: &str, out: &mut Vec<&'a Node>, depth: usize) {
    if depth > 8 {
        return;
    }
    for el in node.elements() {
        if el.is_w(want) {
            out.push(el);
        } else if el.ns == Some(Ns::W) && matches!(el.name.as_str(), "sdt" | "sdtContent" | "customXml" | "ins" | "moveTo") {
            collect(el, want, out, depth + 1);
        }
    }
}

/// The branch of `mc:AlternateContent` Word shows: the first `Choice`, else the `Fallback`
/// (both usually hold the same text box, so only one is read).
fn alternate_branch(node: &Node) -> Option<&Node> {
    node.elements()
        .find(|n| n.is(Ns::Mc, "Choice"))
        .or_else(|| node.elements().find(|n| n.is(Ns::Mc, "Fallback")))
}

/// `w:sym` names a character by code; symbol-font codes in the private-use area have no
/// meaningful Unicode and are dropped.
fn symbol_char(el: &Node) -> Option<char> {
    let code = u32::from_str_radix(el.attr("char")?.trim(), 16).ok()?;
    let c = char::from_u32(code)?;
    (!('\u{E000}'..='\u{F8FF}').contains(&c)).then_some(c)
}
