//! A picture of the reading (pdfplumber's visual debugging is the model): per page, the words
//! the reader saw, the rulings it found, and for each table it decided on — ruled or read from
//! alignment — its columns, rows and cells. `gongkai dump --debug-svg DIR FILE` writes one SVG
//! per page from these, labelled with the table ids the recogniser found on the page.

use gongkai_model::{BBox, ExtractError, Options};
use std::fmt::Write as _;

use crate::lines::build_lines;
use crate::page::{layout_page, Item};
use crate::settings::TableSettings;

/// What the reader saw and decided on one page (view space: points, y down).
#[derive(Debug, Clone)]
pub struct PageView {
    pub page: u32,
    pub width: f32,
    pub height: f32,
    /// Every chunk of text (a cell-sized run of glyphs) with its box.
    pub words: Vec<(BBox, String)>,
    /// Every straight ruling found: (x0, y0, x1, y1).
    pub rules: Vec<[f32; 4]>,
    /// The tables decided on this page, before tables are joined across pages.
    pub tables: Vec<TableView>,
    /// Lines kept as text (paragraphs, titles, running headers).
    pub text_lines: Vec<BBox>,
}

#[derive(Debug, Clone)]
pub struct TableView {
    pub ruled: bool,
    /// A page end or top of a few rows, a table only if it continues across the break.
    pub only_as_continuation: bool,
    pub bbox: BBox,
    /// Column edges, left to right.
    pub columns: Vec<f32>,
    /// Each row's top and bottom.
    pub rows: Vec<(f32, f32)>,
    /// (box, text, row, col) of every cell.
    pub cells: Vec<(BBox, String, usize, usize)>,
}

/// Reads the PDF's pages as the extractor does and returns what it saw on each.
pub fn debug_pages(bytes: &[u8], opts: &Options, settings: &TableSettings) -> Result<Vec<PageView>, ExtractError> {
    settings.validate().map_err(|e| ExtractError::failed(format!("PDF table settings: {e}")))?;
    let limit = usize::try_from(opts.max_inflated_bytes).unwrap_or(usize::MAX).max(1 << 20);
    let doc = crate::load(bytes, limit)?;
    let mut walker = crate::walker::Walker::new(&doc, limit, settings);
    let mut out = Vec::new();
    for (&no, &id) in doc.get_pages().iter().take(opts.max_pages as usize) {
        let ink = walker.walk_page(id);
        let glyphs: Vec<&crate::walker::Glyph> = ink.glyphs.iter().collect();
        let words = build_lines(&glyphs, settings)
            .iter()
            .flat_map(|l| l.chunks.iter().map(move |c| (BBox::new(c.x0, l.top(), c.x1, l.bottom()), c.text.clone())))
            .collect();
        let rules = ink.segs.iter().map(|s| if s.horizontal { [s.a, s.pos, s.b, s.pos] } else { [s.pos, s.a, s.pos, s.b] }).collect();
        let (width, height) = (ink.width, ink.height);
        let laid = layout_page(no, ink, settings);
        let mut view = PageView { page: no, width, height, words, rules, tables: Vec::new(), text_lines: Vec::new() };
        for it in &laid.items {
            match it {
                Item::Line(l) => view.text_lines.push(BBox::new(l.x0, l.top(), l.x1, l.bottom())),
                Item::Table(t) => view.tables.push(table_view(t)),
            }
        }
        out.push(view);
    }
    Ok(out)
}

fn table_view(t: &crate::page::PageTable) -> TableView {
    let mut rows: Vec<(f32, f32)> = vec![(f32::MAX, f32::MIN); t.table.n_rows];
    let mut cells = Vec::new();
    for c in &t.table.cells {
        let Some(b) = c.prov.bbox else { continue };
        if let Some(r) = rows.get_mut(c.row) {
            if c.row_span <= 1 {
                *r = (r.0.min(b.y0), r.1.max(b.y1));
            }
        }
        cells.push((b, c.text.clone(), c.row, c.col));
    }
    rows.retain(|r| r.0 <= r.1);
    let columns = match &t.unruled {
        Some(u) => u.column_edges(),
        None => t.xs.clone(),
    };
    TableView { ruled: t.unruled.is_none(), only_as_continuation: t.only_as_continuation, bbox: t.bbox, columns, rows, cells }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One page as SVG: words grey, rulings red, text lines dotted, each table's box (blue when
/// ruled, green when read from alignment, orange when only a possible continuation), its
/// column edges dashed, its rows as bands and its cells outlined; `labels` (the table ids
/// recognised on the page) are printed at the top.
pub fn svg(view: &PageView, labels: &[String]) -> String {
    let mut s = String::new();
    let (w, h) = (view.width.max(1.0), view.height.max(1.0));
    let _ = writeln!(s, r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.1} {h:.1}" font-family="sans-serif">"##);
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="white"/>"##);
    for t in &view.tables {
        let colour = if t.ruled {
            "#1f5fbf"
        } else if t.only_as_continuation {
            "#e07b00"
        } else {
            "#1e9e3a"
        };
        let b = t.bbox;
        for (k, (y0, y1)) in t.rows.iter().enumerate() {
            let fill = if k % 2 == 0 { "#f2f6ff" } else { "#fffbe8" };
            let _ = writeln!(s, r##"<rect x="{:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{fill}"/>"##, b.x0, b.x1 - b.x0, (y1 - y0).max(0.1));
        }
        for (cb, text, r, c) in &t.cells {
            let _ = writeln!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="{colour}" stroke-width="0.3" stroke-opacity="0.6"><title>r{r} c{c}: {}</title></rect>"##,
                cb.x0,
                cb.y0,
                (cb.x1 - cb.x0).max(0.1),
                (cb.y1 - cb.y0).max(0.1),
                esc(text)
            );
        }
        for x in &t.columns {
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{colour}" stroke-width="0.8" stroke-dasharray="3 2"/>"##,
                b.y0, b.y1
            );
        }
        let kind = if t.ruled { "ruled" } else { "unruled" };
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="{colour}" stroke-width="1.2"/><text x="{:.1}" y="{:.1}" font-size="6" fill="{colour}">{kind} {}×{}</text>"##,
            b.x0,
            b.y0,
            b.x1 - b.x0,
            b.y1 - b.y0,
            b.x0,
            (b.y0 - 1.5).max(6.0),
            t.rows.len(),
            t.columns.len().saturating_sub(1)
        );
    }
    for l in &view.text_lines {
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#888" stroke-width="0.4" stroke-dasharray="1 1"/>"##,
            l.x0,
            l.y0,
            (l.x1 - l.x0).max(0.1),
            (l.y1 - l.y0).max(0.1)
        );
    }
    for r in &view.rules {
        let _ = writeln!(s, r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#d62728" stroke-width="0.6"/>"##, r[0], r[1], r[2], r[3]);
    }
    for (b, text) in &view.words {
        let size = ((b.y1 - b.y0) * 0.8).max(1.0);
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#999" fill-opacity="0.15"/><text x="{:.1}" y="{:.1}" font-size="{size:.1}" fill="#333">{}</text>"##,
            b.x0,
            b.y0,
            (b.x1 - b.x0).max(0.1),
            (b.y1 - b.y0).max(0.1),
            b.x0,
            b.y1 - (b.y1 - b.y0) * 0.15,
            esc(text)
        );
    }
    let title = if labels.is_empty() { String::from("no table recognised") } else { format!("tables {}", labels.join(", ")) };
    let _ = writeln!(s, r##"<text x="4" y="10" font-size="9" fill="#b0006e">page {} — {}</text>"##, view.page, esc(&title));
    s.push_str("</svg>\n");
    s
}

/// The same PDF with every path painting removed from its pages' content: the rules of its
/// tables gone, the text where it was — a publisher's layout as read without rules. Used by
/// the rules-stripped tests and the `strip_rules` example (to look at such a file with
/// `gongkai dump --debug-svg`).
pub fn without_rules(pdf: &[u8]) -> Result<Vec<u8>, lopdf::Error> {
    const PATHS: &[&str] = &["m", "l", "c", "v", "y", "h", "re", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"];
    let mut doc = lopdf::Document::load_mem(pdf)?;
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
    for page in pages {
        let content = doc.get_and_decode_page_content(page)?;
        let operations: Vec<lopdf::content::Operation> = content.operations.into_iter().filter(|op| !PATHS.contains(&op.operator.as_str())).collect();
        let encoded = lopdf::content::Content { operations }.encode()?;
        doc.change_page_content(page, encoded)?;
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}
