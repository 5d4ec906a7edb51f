//! Tables without rulings, read from alignment: a run of lines that break into chunks at
//! column-sized gaps, where the gaps line up over several lines, is a table whose columns are
//! the x ranges no (or almost no) chunk crosses.

use gongkai_model::{BBox, Cell, Provenance, Table};

use crate::lines::{median, Line};
use crate::page::PageTable;

const MIN_ROWS: usize = 3;

/// Splits the page's free lines into lines that stay text and tables read from alignment.
pub(crate) fn detect(lines: Vec<Line>, page: u32) -> (Vec<Line>, Vec<PageTable>) {
    let mut rest = Vec::new();
    let mut tables = Vec::new();
    let mut run: Vec<Line> = Vec::new();
    let flush = |run: &mut Vec<Line>, rest: &mut Vec<Line>, tables: &mut Vec<PageTable>| {
        // Trailing single-chunk lines are text after the table, not rows.
        let mut tail = Vec::new();
        while run.last().is_some_and(|l| l.chunks.len() < 2) {
            if let Some(l) = run.pop() {
                tail.push(l);
            }
        }
        tail.reverse();
        let multi = run.iter().filter(|l| l.chunks.len() >= 2).count();
        let taken = std::mem::take(run);
        match (multi >= MIN_ROWS).then(|| table_of(&taken, page)).flatten() {
            Some(t) => tables.push(t),
            None => rest.extend(taken),
        }
        rest.extend(tail);
    };
    for l in lines {
        let close = run.last().is_some_and(|p| l.base - p.base <= p.size.max(l.size) * 3.0);
        if l.chunks.len() >= 2 {
            if !close && !run.is_empty() {
                flush(&mut run, &mut rest, &mut tables);
            }
            run.push(l);
        } else if close && !run.is_empty() {
            run.push(l);
        } else {
            flush(&mut run, &mut rest, &mut tables);
            rest.push(l);
        }
    }
    flush(&mut run, &mut rest, &mut tables);
    (rest, tables)
}

fn table_of(run: &[Line], page: u32) -> Option<PageTable> {
    let multi: Vec<&Line> = run.iter().filter(|l| l.chunks.len() >= 2).collect();
    let x0 = run.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let x1 = run.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    let width = (x1 - x0).ceil() as usize + 1;
    if width > 20_000 {
        return None;
    }
    let mut cover = vec![0usize; width];
    for l in &multi {
        for c in &l.chunks {
            let a = ((c.x0 - x0).floor().max(0.0) as usize).min(width - 1);
            let b = ((c.x1 - x0).ceil().max(0.0) as usize).min(width - 1);
            for v in &mut cover[a..=b] {
                *v += 1;
            }
        }
    }
    // A column gap may be crossed by a few spanning header chunks, never by most lines.
    let allowed = multi.len() / 6;
    let size = median(run.iter().map(|l| l.size));
    let min_gap = (size * 0.8).max(4.0) as usize;
    let mut cols: Vec<(f32, f32)> = Vec::new();
    let mut i = 0;
    let mut start = 0usize;
    while i < width {
        if cover[i] <= allowed {
            let gs = i;
            while i < width && cover[i] <= allowed {
                i += 1;
            }
            if i - gs >= min_gap && gs > start {
                cols.push((x0 + start as f32, x0 + gs as f32));
                start = i;
            }
        } else {
            i += 1;
        }
    }
    if start < width {
        cols.push((x0 + start as f32, x1));
    }
    if cols.len() < 2 || cols.len() > 40 {
        return None;
    }
    let mut table = Table::default();
    let mut row = 0;
    for l in run {
        let mut cells: Vec<(usize, usize, String, f32, f32)> = Vec::new();
        for c in &l.chunks {
            let overl: Vec<usize> = cols.iter().enumerate().filter(|(_, (a, b))| c.x1 > *a && c.x0 < *b).map(|(k, _)| k).collect();
            let (c0, c1) = match (overl.first(), overl.last()) {
                (Some(a), Some(b)) => (*a, *b + 1),
                _ => continue,
            };
            match cells.last_mut() {
                Some(last) if last.1 > c0 => {
                    last.1 = last.1.max(c1);
                    last.2.push(' ');
                    last.2.push_str(&c.text);
                    last.4 = c.x1;
                }
                _ => cells.push((c0, c1, c.text.clone(), c.x0, c.x1)),
            }
        }
        if cells.is_empty() {
            continue;
        }
        for (c0, c1, text, a, b) in cells {
            let bbox = BBox::new(a, l.top(), b, l.bottom());
            table.push(Cell {
                text,
                row,
                col: c0,
                row_span: 1,
                col_span: c1 - c0,
                prov: Provenance { page: Some(page), bbox: Some(bbox), ..Default::default() },
            });
        }
        row += 1;
    }
    let top = run.first()?.top();
    let bottom = run.last()?.bottom();
    let bbox = BBox::new(x0, top, x1, bottom);
    table.n_cols = table.n_cols.max(cols.len());
    table.prov = Provenance { page: Some(page), bbox: Some(bbox), ..Default::default() };
    let mut xs: Vec<f32> = cols.iter().map(|c| c.0).collect();
    xs.push(x1);
    Some(PageTable { table, bbox, xs })
}
