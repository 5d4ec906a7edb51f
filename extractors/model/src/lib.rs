//! The one document model every gongkai extractor produces.
//!
//! Whatever the input format — PDF, DOCX, XLSX, HTML or a text rendering — an extractor turns
//! the bytes into a [`Document`]: an ordered list of [`Block`]s, each a [`Paragraph`] or a
//! [`Table`] (a grid of [`Cell`]s with row and column spans). Every block and cell keeps its
//! [`Provenance`] (page or sheet, bounding box where the format has one, source line for text)
//! so that every number in the final dataset can be traced back to where it was printed.
//!
//! The report recogniser works on this model only; it never sees the format.

mod detect;
pub use detect::{detect, Format};

use std::fmt;

/// A rectangle in the coordinates of its page, in PDF points, origin at the top-left
/// (y grows downwards, as a reader reads).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl BBox {
    pub fn new(x0: f32, y0: f32, x1: f32, y1: f32) -> Self {
        BBox { x0, y0, x1, y1 }
    }
    pub fn union(&self, o: &BBox) -> BBox {
        BBox::new(self.x0.min(o.x0), self.y0.min(o.y0), self.x1.max(o.x1), self.y1.max(o.y1))
    }
}

/// Where a block or cell came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Provenance {
    /// 1-based page (PDF) or sheet number (workbooks); `None` for flowing formats.
    pub page: Option<u32>,
    /// Sheet name for workbooks, member path inside an archive, etc.
    pub sheet: Option<String>,
    /// Position on the page, where the format has one.
    pub bbox: Option<BBox>,
    /// 1-based line of the source text (text renderings), for tracing back.
    pub line: Option<u32>,
    /// Set when the text was read by OCR: the engine's lowest word confidence (0–100).
    pub ocr_conf: Option<u8>,
}

impl Provenance {
    pub fn page(page: u32) -> Self {
        Provenance { page: Some(page), ..Default::default() }
    }
    pub fn line(line: u32) -> Self {
        Provenance { line: Some(line), ..Default::default() }
    }
}

/// A run of text outside tables: a title, a heading, a narrative paragraph, a page line.
/// Extractors of paged formats emit one paragraph per visual line or block; the recogniser
/// never relies on paragraphs being whole sentences.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paragraph {
    pub text: String,
    pub prov: Provenance,
}

/// One cell of a table, placed at its top-left grid position.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The text as displayed; wrapped lines inside one cell are joined with `\n`.
    pub text: String,
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    pub prov: Provenance,
}

impl Cell {
    pub fn new(row: usize, col: usize, text: impl Into<String>) -> Self {
        Cell { text: text.into(), row, col, row_span: 1, col_span: 1, prov: Provenance::default() }
    }
}

/// A table: cells at their anchor positions. A merged region is one cell with spans; the
/// positions it covers hold no other cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub n_rows: usize,
    pub n_cols: usize,
    pub cells: Vec<Cell>,
    pub prov: Provenance,
}

impl Table {
    /// Builds a table from plain rows of text (no spans), as text renderings give them.
    pub fn from_rows(rows: Vec<Vec<String>>, prov: Provenance) -> Self {
        let mut t = Table { prov, ..Default::default() };
        for (r, row) in rows.into_iter().enumerate() {
            for (c, text) in row.into_iter().enumerate() {
                t.push(Cell::new(r, c, text));
            }
        }
        t
    }

    /// Adds a cell and grows the grid to hold it.
    pub fn push(&mut self, cell: Cell) {
        self.n_rows = self.n_rows.max(cell.row + cell.row_span.max(1));
        self.n_cols = self.n_cols.max(cell.col + cell.col_span.max(1));
        self.cells.push(cell);
    }

    /// The grid with each anchor cell at its own position and `None` elsewhere
    /// (covered positions of a merged cell and missing cells alike).
    pub fn grid(&self) -> Vec<Vec<Option<&Cell>>> {
        let mut g = vec![vec![None; self.n_cols]; self.n_rows];
        for c in &self.cells {
            if c.row < self.n_rows && c.col < self.n_cols {
                g[c.row][c.col] = Some(c);
            }
        }
        g
    }

    /// The grid with a merged cell's text repeated over every position it covers — what a
    /// reader sees when scanning a row or a column.
    pub fn filled_grid(&self) -> Vec<Vec<Option<&Cell>>> {
        let mut g = vec![vec![None; self.n_cols]; self.n_rows];
        for c in &self.cells {
            let cols = c.col..(c.col + c.col_span.max(1)).min(self.n_cols);
            for row in g.iter_mut().take((c.row + c.row_span.max(1)).min(self.n_rows)).skip(c.row) {
                for slot in row.iter_mut().take(cols.end).skip(cols.start) {
                    *slot = Some(c);
                }
            }
        }
        g
    }

    /// The text of each position of the grid (merged text repeated, missing = "").
    pub fn text_grid(&self) -> Vec<Vec<String>> {
        self.filled_grid()
            .into_iter()
            .map(|row| row.into_iter().map(|c| c.map(|c| c.text.clone()).unwrap_or_default()).collect())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// What an extractor made of one file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// Number of pages (PDF) or sheets (workbooks), where known.
    pub pages: Option<u32>,
    /// Set when only part of the file could be read; the one-line reason
    /// (e.g. `image-only PDF pages 3-9: needs OCR`). The document's status becomes `partial`.
    pub partial: Option<String>,
    /// Non-fatal notes for the log (a font without ToUnicode, a skipped object, …).
    pub warnings: Vec<String>,
}

impl Document {
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
    }
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}

impl Document {
    /// A plain-text view for people debugging an extractor: paragraphs as `P<page>| text`,
    /// tables as tab-separated rows with a merged cell's spans after its text (`[2x3]`),
    /// covered positions as `·`, then warnings. Line breaks inside cells show as `⏎`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let place = |p: &Provenance| match (p.page, p.line) {
            (Some(page), _) => format!("p{page}"),
            (None, Some(line)) => format!("l{line}"),
            _ => String::new(),
        };
        for block in &self.blocks {
            match block {
                Block::Paragraph(p) => out.push_str(&format!("P{}| {}\n", place(&p.prov), p.text)),
                Block::Table(t) => {
                    out.push_str(&format!("T{} {}x{}\n", place(&t.prov), t.n_rows, t.n_cols));
                    for row in t.grid() {
                        let cells: Vec<String> = row.iter().map(|c| render_cell(*c)).collect();
                        out.push_str(&format!("  | {}\n", cells.join("\t")));
                    }
                }
            }
        }
        if let Some(reason) = &self.partial {
            out.push_str(&format!("PARTIAL| {reason}\n"));
        }
        for w in &self.warnings {
            out.push_str(&format!("W| {w}\n"));
        }
        out
    }
}

fn render_cell(cell: Option<&Cell>) -> String {
    match cell {
        None => "·".to_string(),
        Some(c) => {
            let text = c.text.replace('\n', "⏎").replace('\t', "⇥");
            if c.row_span > 1 || c.col_span > 1 {
                format!("{text}[{}x{}]", c.row_span, c.col_span)
            } else {
                text
            }
        }
    }
}

/// Why a file could not be read. `message` is one line a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError {
    pub kind: ErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The format is recognised but not read (legacy .doc, …): status `unsupported`.
    Unsupported,
    /// The file is broken, encrypted, empty, or not what it claims: status `failed`.
    Failed,
}

impl ExtractError {
    pub fn failed(msg: impl Into<String>) -> Self {
        ExtractError { kind: ErrorKind::Failed, message: one_line(msg.into()) }
    }
    pub fn unsupported(msg: impl Into<String>) -> Self {
        ExtractError { kind: ErrorKind::Unsupported, message: one_line(msg.into()) }
    }
}

fn one_line(s: String) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExtractError {}

/// Limits and switches an extractor honours. Extractors must stay within them and fail
/// with a reason rather than exhaust memory or time.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Options {
    /// Stop after this many pages (PDF) or sheets.
    pub max_pages: u32,
    /// Refuse to inflate more than this many bytes from one file (streams, zip members).
    pub max_inflated_bytes: u64,
    /// Convert legacy binary Word files with LibreOffice when it is on PATH.
    pub convert_legacy: bool,
    /// When image-only PDF pages are read by OCR.
    pub ocr: OcrMode,
    /// Work on this file must end by then (OCR stops and the rest stays unread); set per file
    /// by the run from `--timeout-secs`. An instant means nothing in another process: a
    /// reader process is given its own deadline with each file.
    #[serde(skip)]
    pub deadline: Option<std::time::Instant>,
    /// Counts the pages read by OCR, for the run's progress display. Not sent to reader
    /// processes: each counts its own and reports them over its pipe (src/worker.rs).
    #[serde(skip)]
    pub ocr_pages: PageCounter,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_pages: 2000, max_inflated_bytes: 512 << 20, convert_legacy: false, ocr: OcrMode::Auto, deadline: None, ocr_pages: PageCounter::default() }
    }
}

/// A count of pages shared by the clones of one run's [`Options`]. Its Debug output is the
/// same whatever the count, so options print alike before and after work (the incremental
/// run's settings fingerprint is their Debug text).
#[derive(Clone, Default)]
pub struct PageCounter(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl PageCounter {
    pub fn add(&self) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn get(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl std::fmt::Debug for PageCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageCounter")
    }
}

/// When scanned (image-only) pages are read by OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum OcrMode {
    /// Image-only pages are OCR'd when the engine is installed; otherwise the document says
    /// how to install it.
    #[default]
    Auto,
    /// Never: image-only pages stay unread (`needs OCR`).
    Off,
    /// Every page is OCR'd, even pages with a text layer (whose text is then ignored).
    Force,
}

/// One input format's reader. Implementations never panic on any input: every failure is an
/// [`ExtractError`] with a one-line reason.
pub trait Extractor: Send + Sync {
    /// The format this extractor reads.
    fn format(&self) -> Format;
    fn extract(&self, bytes: &[u8], opts: &Options) -> Result<Document, ExtractError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filled_grid_repeats_merged_text() {
        let mut t = Table::default();
        t.push(Cell { row_span: 1, col_span: 2, ..Cell::new(0, 0, "收入") });
        t.push(Cell::new(1, 0, "项目"));
        t.push(Cell::new(1, 1, "金额"));
        let g = t.text_grid();
        assert_eq!(g[0], vec!["收入", "收入"]);
        assert_eq!(t.grid()[0][1], None);
        assert_eq!((t.n_rows, t.n_cols), (2, 2));
    }
}
