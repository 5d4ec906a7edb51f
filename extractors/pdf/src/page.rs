//! Page layout and document assembly: tables and lines per page, running headers/footers and
//! page numbers dropped, tables continued over a page break joined, blocks in reading order.

use gongkai_model::{BBox, Block, Cell, Document, Paragraph, Provenance, Table};
use std::collections::HashMap;

use crate::grid::{self, Frame};
use crate::lines::{build_lines, join_wrapped, Line};
use crate::settings::TableSettings;
use crate::unruled;
use crate::walker::{Glyph, PageInk};

pub(crate) struct PageTable {
    pub table: Table,
    pub bbox: BBox,
    /// Column edges, to recognise the same table continuing on the next page.
    pub xs: Vec<f32>,
    /// Set for a table read from alignment (no rules).
    pub unruled: Option<unruled::Unruled>,
    /// Too few rows to stand alone: a table only if it continues the previous page's.
    pub only_as_continuation: bool,
}

pub(crate) enum Item {
    Line(Line),
    Table(PageTable),
}

impl Item {
    fn top(&self) -> f32 {
        match self {
            Item::Line(l) => l.top(),
            Item::Table(t) => t.bbox.y0,
        }
    }
}

pub(crate) struct PageOut {
    no: u32,
    height: f32,
    pub items: Vec<Item>,
}

enum PageKind {
    Text,
    ImageOnly,
    Blank,
}

/// Builds the document from the walked pages (in page order).
/// `note` says why image-only pages are unread (`needs OCR`, …).
pub(crate) fn assemble(inks: Vec<(u32, PageInk)>, s: &TableSettings, note: &str) -> Document {
    let mut pages = Vec::new();
    let mut image_only = Vec::new();
    let mut text_pages = 0;
    let mut cut = Vec::new();
    for (no, ink) in inks {
        if ink.truncated {
            cut.push(no);
        }
        match kind(&ink, s) {
            PageKind::ImageOnly => image_only.push(no),
            PageKind::Blank => {}
            PageKind::Text => text_pages += 1,
        }
        pages.push(layout_page(no, ink, s));
    }
    drop_running_lines(&mut pages, s);
    let blocks = join_pages(pages, s);
    let mut partial = Vec::new();
    if !cut.is_empty() {
        let (glyphs, ops) = (crate::walker::MAX_GLYPHS_PER_PAGE, crate::walker::MAX_OPS_PER_PAGE);
        partial.push(format!("pages {}: more content than a page holds (over {glyphs} glyphs, {ops} operators or a 1 MiB string), the rest of each not read", ranges(&cut)));
    }
    if !image_only.is_empty() {
        partial.push(format!("image-only PDF pages {}: {note}", ranges(&image_only)));
    }
    let partial = (!partial.is_empty()).then(|| partial.join("; "));
    let _ = text_pages;
    Document { blocks, pages: None, partial, warnings: Vec::new() }
}

/// A page drawn as an image with no text on it: a scan.
pub(crate) fn is_image_only(ink: &PageInk, s: &TableSettings) -> bool {
    matches!(kind(ink, s), PageKind::ImageOnly)
}

fn kind(ink: &PageInk, s: &TableSettings) -> PageKind {
    if !ink.glyphs.is_empty() {
        PageKind::Text
    } else if ink.image_area > ink.width * ink.height * s.image_only_area {
        PageKind::ImageOnly
    } else {
        PageKind::Blank
    }
}

fn ranges(pages: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        parts.push(if i == j { pages[i].to_string() } else { format!("{}-{}", pages[i], pages[j]) });
        i = j + 1;
    }
    parts.join(", ")
}

pub(crate) fn layout_page(no: u32, ink: PageInk, s: &TableSettings) -> PageOut {
    let mut frames = grid::frames(&ink.segs, s);
    if std::env::var_os("GONGKAI_PDF_DEBUG").is_some_and(|v| v.to_str() == Some(&no.to_string())) {
        for s in &ink.segs {
            eprintln!("seg {:?}", s);
        }
        for f in &frames {
            eprintln!("frame xs={:?} ys={:?}", f.xs, f.ys);
        }
        for g in &ink.glyphs {
            eprintln!("glyph {:?}", g);
        }
    }
    frames.sort_by(|a, b| area(a).total_cmp(&area(b)));
    let mut per_frame: Vec<Vec<&Glyph>> = vec![Vec::new(); frames.len()];
    let mut free: Vec<&Glyph> = Vec::new();
    for g in &ink.glyphs {
        match frames.iter().position(|f| f.contains(g.cx(), g.cy(), s.frame_margin)) {
            Some(i) => per_frame[i].push(g),
            None => free.push(g),
        }
    }
    let mut items = Vec::new();
    for (f, gs) in frames.iter().zip(per_frame) {
        match table_from_frame(f, &gs, no, s) {
            Some(t) => items.push(Item::Table(t)),
            None => free.extend(gs),
        }
    }
    let lines = join_stacked(build_lines(&free, s), s);
    let (rest, tables) = unruled::detect(lines, no, s);
    items.extend(tables.into_iter().map(Item::Table));
    items.extend(rest.into_iter().map(Item::Line));
    items.sort_by(|a, b| a.top().total_cmp(&b.top()));
    PageOut { no, height: ink.height, items }
}

/// A label set one character per line (a tall merged cell's 年/度/绩/效/指/标) reads as one word.
fn join_stacked(lines: Vec<Line>, s: &TableSettings) -> Vec<Line> {
    let single = |l: &Line| l.chunks.len() == 1 && l.chunks[0].text.chars().count() == 1 && l.chunks[0].text.chars().all(crate::lines::is_cjk);
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut stacked = false;
    for l in lines {
        if let Some(prev) = out.last_mut() {
            let step = l.base - (prev.base + prev.extra);
            let below = step > 0.0 && step < l.size * s.stacked_step_em;
            let aligned = (l.x0 - prev.x0).abs() < l.size * s.stacked_align_em;
            if single(&l) && below && aligned && (stacked || single(prev)) {
                prev.chunks[0].text.push_str(&l.chunks[0].text);
                prev.extra = l.base - prev.base;
                stacked = true;
                continue;
            }
        }
        stacked = false;
        out.push(l);
    }
    out
}

fn area(f: &Frame) -> f32 {
    (f.x1() - f.x0()) * (f.y1() - f.y0())
}

fn table_from_frame(frame: &Frame, glyphs: &[&Glyph], page: u32, s: &TableSettings) -> Option<PageTable> {
    let nc = frame.xs.len() - 1;
    let nr = frame.ys.len() - 1;
    // A single row is kept: a table's first row is often all that fits at a page's foot.
    if nc < 2 || nr < 1 {
        return None;
    }
    let mut owner = vec![0usize; nr * nc];
    for (k, (r0, c0, r1, c1)) in frame.cells.iter().enumerate() {
        for r in *r0..*r1 {
            for c in *c0..*c1 {
                if let Some(o) = owner.get_mut(r * nc + c) {
                    *o = k;
                }
            }
        }
    }
    let mut content: Vec<Vec<&Glyph>> = vec![Vec::new(); frame.cells.len()];
    for g in glyphs {
        let (r, c) = frame.locate(g.cx(), g.cy());
        if let Some(k) = owner.get(r * nc + c) {
            content[*k].push(g);
        }
    }
    let mut table = Table::default();
    let mut filled = 0;
    for (k, (r0, c0, r1, c1)) in frame.cells.iter().enumerate() {
        let texts: Vec<String> = build_lines(&content[k], s).iter().map(Line::text).collect();
        let text = join_wrapped(&texts);
        if !text.is_empty() {
            filled += 1;
        }
        let bbox = BBox::new(frame.xs[*c0], frame.ys[*r0], frame.xs[*c1], frame.ys[*r1]);
        table.push(Cell {
            text,
            row: *r0,
            col: *c0,
            row_span: r1 - r0,
            col_span: c1 - c0,
            prov: Provenance { page: Some(page), bbox: Some(bbox), ..Default::default() },
        });
    }
    if filled < 2 {
        return None;
    }
    let bbox = BBox::new(frame.x0(), frame.y0(), frame.x1(), frame.y1());
    table.prov = Provenance { page: Some(page), bbox: Some(bbox), ..Default::default() };
    Some(PageTable { table, bbox, xs: frame.xs.clone(), unruled: None, only_as_continuation: false })
}

/// Page numbers and running headers/footers are not content: drop lines repeated at the
/// same place on most pages, and lone page numbers near the top or bottom edge.
fn drop_running_lines(pages: &mut [PageOut], s: &TableSettings) {
    let key = |l: &Line| -> String { l.text().chars().filter(|c| !c.is_whitespace()).map(|c| if c.is_ascii_digit() { '#' } else { c }).collect() };
    let mut counts: HashMap<(String, i32), usize> = HashMap::new();
    for p in pages.iter() {
        let mut seen = std::collections::HashSet::new();
        for it in &p.items {
            if let Item::Line(l) = it {
                let k = (key(l), (l.base / s.running_bucket).round() as i32);
                if seen.insert(k.clone()) {
                    *counts.entry(k).or_default() += 1;
                }
            }
        }
    }
    let n = pages.len();
    let repeated = |k: &(String, i32)| -> bool {
        if n < s.running_min_pages {
            return false;
        }
        let near = [k.1 - 1, k.1, k.1 + 1].iter().map(|b| counts.get(&(k.0.clone(), *b)).copied().unwrap_or(0)).sum::<usize>();
        near as f32 >= n as f32 * s.running_share && near >= s.running_min_pages
    };
    for p in pages.iter_mut() {
        let h = p.height.max(1.0);
        p.items.retain(|it| {
            let Item::Line(l) = it else { return true };
            let in_margin = l.top() < h * s.margin_top || l.bottom() > h * s.margin_bottom;
            if !in_margin {
                return true;
            }
            let k = (key(l), (l.base / s.running_bucket).round() as i32);
            !(is_page_number(&l.text()) || repeated(&k))
        });
    }
}

/// `3`, `- 3 -`, `第 3 页`, `第3页 共10页`, `3/10`, `Page 3 of 10`.
pub(crate) fn is_page_number(s: &str) -> bool {
    let lower = s.to_lowercase().replace("page", "").replace("of", "");
    let digits = lower.chars().filter(char::is_ascii_digit).count();
    let rest_ok = lower
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '—' | '–' | '－' | ' ' | '第' | '页' | '共' | '/' | '·' | '(' | ')' | '（' | '）' | ',' | '，'));
    rest_ok && (1..=8).contains(&digits) && !lower.contains("--")
}

/// Emits blocks in order; a table that ends a page and one that starts the next page with
/// compatible columns are one table (a repeated header row on the new page is dropped, a row
/// split by the page break is joined).
fn join_pages(pages: Vec<PageOut>, s: &TableSettings) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut last_xs: Option<Vec<f32>> = None;
    let mut last_unruled: Option<unruled::Unruled> = None;
    let mut prev_page_ended_with_table = false;
    // A header alone at a page's foot, kept as a table until the next page shows whether a
    // table continues it (else it is text again): the block's index and its lines as text.
    let mut pending: Option<(usize, Vec<Block>)> = None;
    let undo = |pending: &mut Option<(usize, Vec<Block>)>, blocks: &mut Vec<Block>| {
        if let Some((at, text)) = pending.take() {
            blocks.splice(at..at + 1, text);
        }
    };
    for p in pages {
        let mut items = p.items;
        let n_items = items.len();
        let carried = match prev_page_ended_with_table && last_unruled.is_some() {
            true => carry_cell_tail(&mut items, s),
            false => 0,
        };
        for (i, it) in items.into_iter().enumerate() {
            match it {
                Item::Line(l) => {
                    undo(&mut pending, &mut blocks);
                    blocks.push(paragraph(&l, p.no))
                }
                Item::Table(mut t) => {
                    let continued = i == 0 && prev_page_ended_with_table;
                    let recut = match (&mut last_unruled, &t.unruled) {
                        (Some(prev), Some(next)) if continued => unruled::continue_with(prev, next, s),
                        _ => None,
                    };
                    if recut.is_none() && i == 0 && carried > 0 {
                        // Not a continuation after all: the carried lines are text again.
                        if let Some(u) = t.unruled.as_mut() {
                            blocks.extend(u.take_front(carried).iter().map(|l| paragraph(l, p.no)));
                        }
                    }
                    if let (Some(pages), Some(Block::Table(prev))) = (recut, blocks.last_mut()) {
                        let mut pages = pages.into_iter();
                        if let Some(first) = pages.next() {
                            *prev = pages.fold(first, |mut table, next| {
                                append_rows(&mut table, next);
                                table
                            });
                        }
                        pending = None;
                        continue;
                    }
                    undo(&mut pending, &mut blocks);
                    if t.only_as_continuation {
                        let text: Vec<Block> = t.unruled.iter().flat_map(|u| u.lines()).map(|l| paragraph(l, p.no)).collect();
                        if i + 1 < n_items {
                            blocks.extend(text);
                            continue;
                        }
                        pending = Some((blocks.len(), text));
                    }
                    let union = match (&last_xs, continued) {
                        (Some(xs), true) => union_columns(xs, &t.xs, s.continued_edge_tol),
                        _ => None,
                    };
                    if let (Some(u), Some(Block::Table(prev))) = (union, blocks.last_mut()) {
                        if let Some(old) = &last_xs {
                            remap_columns(prev, old, &u);
                        }
                        remap_columns(&mut t.table, &t.xs, &u);
                        append_rows(prev, t.table);
                        last_xs = Some(u);
                        last_unruled = None;
                        continue;
                    }
                    last_xs = Some(t.xs.clone());
                    last_unruled = t.unruled;
                    blocks.push(Block::Table(t.table));
                }
            }
        }
        prev_page_ended_with_table = matches!(blocks.last(), Some(Block::Table(_)));
    }
    undo(&mut pending, &mut blocks);
    for b in &mut blocks {
        if let Block::Table(t) = b {
            drop_empty_rows(t);
        }
    }
    blocks
}

/// Word breaks a row over a page inside a cell: the rest of a wrapped label (`管理`) opens
/// the next page above the continued table. Such lines (one or two, short, no figures) go to
/// the front of that table, where joining the pages finishes the label; returns how many.
fn carry_cell_tail(items: &mut Vec<Item>, s: &TableSettings) -> usize {
    let short = |it: &Item| matches!(it, Item::Line(l) if l.chunks.len() == 1 && unruled::is_label_tail(&l.text(), s));
    let k = items.iter().take_while(|it| short(it)).count();
    if !(1..=s.carried_tail_lines).contains(&k) || !matches!(items.get(k), Some(Item::Table(t)) if t.unruled.is_some()) {
        return 0;
    }
    let lines: Vec<Line> = items.drain(..k).filter_map(|it| if let Item::Line(l) = it { Some(l) } else { None }).collect();
    if let Some(Item::Table(t)) = items.first_mut() {
        if let Some(u) = t.unruled.as_mut() {
            u.put_front(lines);
        }
    }
    k
}

fn paragraph(l: &Line, page: u32) -> Block {
    let bbox = BBox::new(l.x0, l.top(), l.x1, l.bottom());
    Block::Paragraph(Paragraph { text: l.text(), prov: Provenance { page: Some(page), bbox: Some(bbox), ..Default::default() } })
}

/// Rows with no text at all (spacer rows, the empty remainder of a row cut by a page break)
/// carry nothing and confuse header detection downstream.
fn drop_empty_rows(t: &mut Table) {
    let mut has_text = vec![false; t.n_rows];
    for c in &t.cells {
        if !c.text.is_empty() {
            let end = (c.row + c.row_span.max(1)).min(t.n_rows);
            if let Some(rows) = has_text.get_mut(c.row..end) {
                rows.fill(true);
            }
        }
    }
    if has_text.iter().all(|h| *h) {
        return;
    }
    let mut new_index = Vec::with_capacity(t.n_rows + 1);
    let mut k = 0;
    for h in &has_text {
        new_index.push(k);
        if *h {
            k += 1;
        }
    }
    new_index.push(k);
    t.cells.retain(|c| has_text.get(c.row..(c.row + c.row_span.max(1)).min(has_text.len())).is_some_and(|s| s.iter().any(|h| *h)));
    for c in &mut t.cells {
        let end = (c.row + c.row_span.max(1)).min(has_text.len());
        let (r0, r1) = (new_index[c.row], new_index[end]);
        c.row = r0;
        c.row_span = (r1 - r0).max(1);
    }
    t.n_rows = k;
}

/// The column edges of two page pieces of one table: same outer edges, and the inner edges
/// of one all found in the other (a header row may merge columns the body splits).
fn union_columns(a: &[f32], b: &[f32], tol: f32) -> Option<Vec<f32>> {
    let (first_a, last_a, first_b, last_b) = (a.first()?, a.last()?, b.first()?, b.last()?);
    if (first_a - first_b).abs() > tol || (last_a - last_b).abs() > tol {
        return None;
    }
    let has = |xs: &[f32], x: f32| xs.iter().any(|y| (x - y).abs() <= tol);
    let a_in_b = a.iter().all(|x| has(b, *x));
    let b_in_a = b.iter().all(|x| has(a, *x));
    match (a_in_b, b_in_a) {
        (_, true) => Some(a.to_vec()),
        (true, false) => Some(b.to_vec()),
        _ => None,
    }
}

fn nearest(xs: &[f32], x: f32) -> usize {
    let mut best = 0;
    for (i, v) in xs.iter().enumerate() {
        if (v - x).abs() < (xs[best] - x).abs() {
            best = i;
        }
    }
    best
}

fn remap_columns(t: &mut Table, old: &[f32], new: &[f32]) {
    if old.len() == new.len() {
        return;
    }
    for c in &mut t.cells {
        let (Some(a), Some(b)) = (old.get(c.col), old.get(c.col + c.col_span)) else {
            continue;
        };
        let c0 = nearest(new, *a);
        let c1 = nearest(new, *b).max(c0 + 1);
        c.col = c0;
        c.col_span = c1 - c0;
    }
    t.n_cols = t.cells.iter().map(|c| c.col + c.col_span).max().unwrap_or(0).max(new.len().saturating_sub(1));
}

fn append_rows(prev: &mut Table, next: Table) {
    let pg = prev.text_grid();
    let ng = next.text_grid();
    // Skip the rows of `next` that repeat the first rows of `prev` (a repeated header).
    let mut skip = 0;
    // Header rows hold no amounts; a body row that happens to repeat is kept.
    let amount = |t: &String| t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'));
    while skip < ng.len() && skip + 1 < pg.len() && ng[skip] == pg[skip] && ng[skip].iter().any(|c| !c.is_empty()) && !ng[skip].iter().any(amount) {
        skip += 1;
    }
    // A header cell spanning into the skipped rows would be cut; keep rows whole.
    if next.cells.iter().any(|c| c.row < skip && c.row + c.row_span > skip) {
        skip = 0;
    }
    let split_row = skip < ng.len() && is_split_row(pg.last(), &ng[skip]);
    let offset = prev.n_rows;
    let last_row = prev.n_rows.saturating_sub(1);
    for mut c in next.cells {
        if c.row < skip {
            continue;
        }
        if split_row && c.row == skip && c.row_span == 1 {
            if !c.text.is_empty() {
                if let Some(target) = prev.cells.iter_mut().find(|p| p.col == c.col && p.row + p.row_span - 1 == last_row) {
                    target.text = join_wrapped(&[std::mem::take(&mut target.text), c.text]);
                }
            }
            continue;
        }
        c.row = c.row - skip + offset - usize::from(split_row);
        prev.push(c);
    }
}

/// The first row on a new page only finishes the texts of the last row of the old page: it
/// fills fewer cells, and only cells whose column already has text above that is not a
/// finished total label (`本年收入合计` is never continued by the next page's `使用…结余`).
fn is_split_row(last: Option<&Vec<String>>, first: &[String]) -> bool {
    let Some(last) = last else { return false };
    if last.len() != first.len() {
        return false;
    }
    let filled_first = first.iter().filter(|t| !t.is_empty()).count();
    let filled_last = last.iter().filter(|t| !t.is_empty()).count();
    let numeric = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == '-');
    filled_first > 0
        && filled_first < filled_last
        && first.iter().zip(last).all(|(f, l)| f.is_empty() || (!l.is_empty() && !numeric(f) && !ends_with_total_label(l)))
}

fn ends_with_total_label(t: &str) -> bool {
    ["合计", "总计", "小计"].iter().any(|w| t.trim_end().ends_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert!(is_page_number("- 3 -"));
        assert!(is_page_number("第 3 页"));
        assert!(is_page_number("12"));
        assert!(is_page_number("Page 3 of 10"));
        assert!(is_page_number("第5页，共45页"));
        assert!(!is_page_number("665.38"));
        assert!(!is_page_number("公开01表"));
        assert!(!is_page_number("2024年"));
    }

    #[test]
    fn a_finished_total_row_is_not_continued_on_the_next_page() {
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let wrapped = row(&["其他社会保障和就业支", "12.00", "其他支", "3.00"]);
        assert!(is_split_row(Some(&wrapped), &row(&["出", "", "出", ""])));
        let total = row(&["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"]);
        assert!(!is_split_row(Some(&total), &row(&["使用非财政拨款结余（含专用结余）", "", "结余分配", ""])));
    }
}
