//! Prints a document (paragraphs and tables with spans) as a PDF the way other publishers'
//! software does, so the PDF reader meets layouts the bundled files do not have: with or
//! without rules, a predefined Adobe-GB1 CMap or a subset font with only a ToUnicode map,
//! portrait, landscape or a /Rotate 90 page, whole runs or one glyph at a time, long names
//! wrapped inside their cell, and tables continued over pages under a repeated header.

use gongkai_model::{Block, Document, Table};
use lopdf::{dictionary, Object, Stream};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rules {
    /// Every cell boxed (Word's and WPS's default table style).
    Grid,
    /// No lines at all: columns only by alignment.
    None,
    /// 三线表: a line above the table, one under the header, one below the last row.
    ThreeLine,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Font {
    /// Non-embedded STSong-Light through UniGB-UCS2-H (iText and many report servers).
    UniGb,
    /// A subset font, Identity-H, CIDs in order of first use, text only through /ToUnicode.
    Subset,
    /// STSong-Light through GBK-EUC-H: one byte for ASCII, two for 汉字 (older Chinese
    /// report generators).
    Gbk,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Page {
    Portrait,
    Landscape,
    /// A portrait MediaBox with /Rotate 90 and the content drawn sideways (scanned-to-PDF
    /// and printer drivers): displayed as landscape.
    Rotated,
    /// The same drawing without /Rotate: a wide table printed sideways on a portrait page,
    /// to be read with the page turned.
    Sideways,
}

#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub rules: Rules,
    pub font: Font,
    pub page: Page,
    /// One `Tm … Tj` per glyph instead of one run per line of a cell.
    pub per_glyph: bool,
    /// Cells wider than this many ems wrap onto more lines (0: never).
    pub wrap_ems: f32,
    /// Page height in points for the layout, smaller than A4 to force page breaks (0: A4).
    pub short_pages: f32,
    /// Short header labels spread over their cell (分散对齐: `项      目`).
    pub spread_labels: bool,
}

/// How a table is set: type size, spacing and header style — the knobs on which publishers'
/// unruled layouts differ (`print_with`; `print` uses `Layout::DEFAULT`).
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// Type size of tables, in points (shrunk when the table would not fit the page).
    pub font_size: f32,
    /// Baseline pitch of the lines of one cell, in ems.
    pub line_pitch: f32,
    /// Extra height of every row beyond its lines, in ems (cell padding top and bottom).
    pub row_pad: f32,
    /// Padding left and right inside each cell, in ems: half the gap between columns.
    pub col_pad: f32,
    /// Header cells wrap at this many ems (stacked multi-line headers; 0: never).
    pub header_wrap_ems: f32,
    /// Header labels set flush left instead of centred.
    pub header_left: bool,
}

impl Layout {
    pub const DEFAULT: Layout = Layout { font_size: 9.0, line_pitch: 1.5, row_pad: 0.4, col_pad: 0.6, header_wrap_ems: 0.0, header_left: false };
}

const MARGIN: f32 = 36.0;

fn ems(s: &str) -> f32 {
    s.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

/// Splits a cell's text into lines of at most `max` ems.
fn wrap(text: &str, max: f32) -> Vec<String> {
    if max <= 0.0 || ems(text) <= max {
        return vec![text.to_string()];
    }
    let mut lines = vec![String::new()];
    for c in text.chars() {
        if ems(lines.last().unwrap()) + ems(&c.to_string()) > max {
            lines.push(String::new());
        }
        lines.last_mut().unwrap().push(c);
    }
    lines
}

fn is_amount(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || ",.-".contains(c)) && s.chars().any(|c| c.is_ascii_digit())
}

/// A table's cells on a full grid, merged as the model's spans say. (Merges guessed from
/// blank header cells would be wrong as often as right: the renderings lost them.)
struct Grid {
    text: Vec<Vec<String>>,
    /// (row, col) → (row_span, col_span) for the top-left cell of each box; covered cells absent.
    boxes: BTreeMap<(usize, usize), (usize, usize)>,
    header_rows: usize,
}

impl Grid {
    fn new(t: &Table) -> Grid {
        let mut text = vec![vec![String::new(); t.n_cols]; t.n_rows];
        let mut covered = vec![vec![false; t.n_cols]; t.n_rows];
        let mut boxes = BTreeMap::new();
        for c in &t.cells {
            text[c.row][c.col] = c.text.trim().to_string();
            boxes.insert((c.row, c.col), (c.row_span.max(1), c.col_span.max(1)));
            for r in c.row..(c.row + c.row_span.max(1)).min(t.n_rows) {
                for k in c.col..(c.col + c.col_span.max(1)).min(t.n_cols) {
                    covered[r][k] = (r, k) != (c.row, c.col);
                }
            }
        }
        let header_rows = text.iter().position(|row| row.iter().any(|s| is_amount(s))).unwrap_or(0).min(4);
        for r in 0..t.n_rows {
            for k in 0..t.n_cols {
                if !covered[r][k] && !boxes.contains_key(&(r, k)) {
                    boxes.insert((r, k), (1, 1));
                }
            }
        }
        Grid { text, boxes, header_rows }
    }
}

/// Text shown on a page: glyph codes are assigned per font kind.
struct Fonts {
    kind: Font,
    cids: BTreeMap<char, u16>,
}

impl Fonts {
    fn hex(&mut self, s: &str) -> String {
        let mut out = String::from("<");
        for c in s.chars() {
            let code = match self.kind {
                Font::UniGb => c as u32 as u16,
                Font::Subset => {
                    let next = self.cids.len() as u16 + 1;
                    *self.cids.entry(c).or_insert(next)
                }
                Font::Gbk => {
                    let mut buf = [0; 4];
                    let (bytes, _, _) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
                    out.extend(bytes.iter().map(|b| format!("{b:02X}")));
                    continue;
                }
            };
            out.push_str(&format!("{code:04X}"));
        }
        out.push('>');
        out
    }
}

struct Canvas {
    style: Style,
    layout: Layout,
    width: f32,
    height: f32,
    fs: f32,
    pages: Vec<String>,
    y: f32,
    fonts: Fonts,
}

impl Canvas {
    fn ops(&mut self) -> &mut String {
        self.pages.last_mut().unwrap()
    }

    fn new_page(&mut self) {
        let mut ops = String::new();
        if matches!(self.style.page, Page::Rotated | Page::Sideways) {
            // Landscape content on a portrait page shown turned 90° clockwise.
            ops.push_str(&format!("0 1 -1 0 {} 0 cm\n", self.height));
        }
        self.pages.push(ops);
        self.y = self.height - MARGIN;
    }

    fn text(&mut self, s: &str, x: f32, baseline: f32, fs: f32) {
        if s.is_empty() {
            return;
        }
        if self.style.per_glyph {
            let mut x = x;
            for c in s.chars() {
                let hex = self.fonts.hex(&c.to_string());
                let op = format!("BT /F1 {fs} Tf 1 0 0 1 {x:.2} {baseline:.2} Tm {hex} Tj ET\n");
                self.ops().push_str(&op);
                x += ems(&c.to_string()) * fs;
            }
        } else {
            let hex = self.fonts.hex(s);
            let op = format!("BT /F1 {fs} Tf 1 0 0 1 {x:.2} {baseline:.2} Tm {hex} Tj ET\n");
            self.ops().push_str(&op);
        }
    }

    fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32) {
        let op = format!("{x0:.2} {y0:.2} m {x1:.2} {y1:.2} l S\n");
        self.ops().push_str(&op);
    }

    fn paragraph(&mut self, s: &str) {
        let fs = 10.0;
        let lines = wrap(s, (self.width - 2.0 * MARGIN) / fs);
        for l in lines {
            if self.y - fs * 1.6 < MARGIN {
                self.new_page();
            }
            self.y -= fs * 1.6;
            let y = self.y;
            self.text(&l, MARGIN, y + fs * 0.3, fs);
        }
    }

    fn table(&mut self, t: &Table) {
        let g = Grid::new(t);
        let n_cols = t.n_cols;
        let pad = self.layout.col_pad;
        let header_wrap = self.layout.header_wrap_ems;
        let mut col_ems = vec![2.0f32; n_cols];
        for (&(r, k), &(_, cs)) in &g.boxes {
            if cs == 1 {
                let wrap_at = if r < g.header_rows && header_wrap > 0.0 { header_wrap } else { self.style.wrap_ems };
                let w = ems(&g.text[r][k]).min(if wrap_at > 0.0 { wrap_at } else { f32::MAX });
                col_ems[k] = col_ems[k].max(w + 2.0 * pad);
            }
        }
        let total: f32 = col_ems.iter().sum();
        let fs = self.fs.min((self.width - 2.0 * MARGIN) / total);
        let xs: Vec<f32> = std::iter::once(MARGIN)
            .chain(col_ems.iter().scan(MARGIN, |x, w| {
                *x += w * fs;
                Some(*x)
            }))
            .collect();
        let lines: BTreeMap<(usize, usize), Vec<String>> = g
            .boxes
            .iter()
            .map(|(&(r, k), &(_, cs))| {
                let width = (xs[k + cs] - xs[k]) / fs - 2.0 * pad;
                let wraps = self.style.wrap_ems > 0.0 || (r < g.header_rows && header_wrap > 0.0);
                let max = if wraps { width } else { 0.0 };
                ((r, k), wrap(&g.text[r][k], max))
            })
            .collect();
        let line_h = fs * self.layout.line_pitch;
        let row_pad = self.layout.row_pad;
        let header_left = self.layout.header_left;
        let heights: Vec<f32> = (0..t.n_rows)
            .map(|r| {
                let n = lines.iter().filter(|((rr, _), _)| *rr == r).filter(|((rr, k), _)| g.boxes[&(*rr, *k)].0 == 1).map(|(_, l)| l.len()).max().unwrap_or(1);
                n.max(1) as f32 * line_h + fs * row_pad
            })
            .collect();
        let draw_rows = |c: &mut Canvas, rows: std::ops::Range<usize>, top: f32| {
            let mut tops = vec![top];
            for r in rows.clone() {
                tops.push(tops.last().unwrap() - heights[r]);
            }
            let y_of = |r: usize| tops[r - rows.start];
            for (&(r, k), &(rs, cs)) in g.boxes.range((rows.start, 0)..(rows.end, 0)) {
                let last = (r + rs).min(rows.end);
                let (top, bottom) = (y_of(r), y_of(last));
                let (left, right) = (xs[k], xs[(k + cs).min(n_cols)]);
                if c.style.rules == Rules::Grid {
                    c.line(left, top, right, top);
                    c.line(left, bottom, right, bottom);
                    c.line(left, top, left, bottom);
                    c.line(right, top, right, bottom);
                }
                let cell_lines = &lines[&(r, k)];
                let block = cell_lines.len() as f32 * line_h;
                let mut baseline = (top + bottom) / 2.0 + block / 2.0 - line_h + fs * 0.35;
                let spread = c.style.spread_labels
                    && r < g.header_rows
                    && cell_lines.len() == 1
                    && (2..=4).contains(&cell_lines[0].chars().count())
                    && !cell_lines[0].is_ascii();
                if spread {
                    let chars: Vec<char> = cell_lines[0].chars().collect();
                    let step = (right - left - 2.0 * pad * fs - fs) / (chars.len() - 1) as f32;
                    for (i, ch) in chars.iter().enumerate() {
                        c.text(&ch.to_string(), left + pad * fs + step * i as f32, baseline, fs);
                    }
                    continue;
                }
                for l in cell_lines {
                    let w = ems(l) * fs;
                    let x = if is_amount(l) {
                        right - pad * fs - w
                    } else if r < g.header_rows && !header_left {
                        (left + right - w) / 2.0
                    } else {
                        left + pad * fs
                    };
                    c.text(l, x, baseline, fs);
                    baseline -= line_h;
                }
            }
            *tops.last().unwrap()
        };
        let header_h: f32 = heights[..g.header_rows].iter().sum();
        let mut r = 0;
        while r < t.n_rows {
            // Room for the header and one more row, or the table goes on on a new page.
            let next = heights[if r == 0 { g.header_rows.min(t.n_rows - 1) } else { r }];
            if self.y - header_h - next < MARGIN {
                self.new_page();
            }
            let top = self.y;
            let y = if r > 0 { draw_rows(self, 0..g.header_rows, top) } else { top };
            let (start, mut end, mut bottom) = (r, r, y);
            while end < t.n_rows && (end == start || bottom - heights[end] >= MARGIN) {
                bottom -= heights[end];
                end += 1;
            }
            let body_bottom = draw_rows(self, start..end, y);
            if self.style.rules == Rules::ThreeLine {
                let (left, right) = (xs[0], xs[n_cols]);
                let under_header = if start == 0 { top - header_h } else { y };
                for y in [top, under_header, body_bottom] {
                    self.line(left, y, right, y);
                }
            }
            self.y = body_bottom - fs;
            r = end;
        }
    }
}

/// The document's blocks printed as a PDF in `style`.
pub fn print(doc: &Document, style: Style) -> Vec<u8> {
    print_with(doc, style, Layout::DEFAULT)
}

/// The document printed in `style` with its tables set in `layout`.
pub fn print_with(doc: &Document, style: Style, layout: Layout) -> Vec<u8> {
    let (w, h) = match style.page {
        Page::Portrait => (595.0, 842.0),
        Page::Landscape | Page::Rotated | Page::Sideways => (842.0, 595.0),
    };
    let h = if style.short_pages > 0.0 { style.short_pages } else { h };
    let mut c = Canvas {
        style,
        layout,
        width: w,
        height: h,
        fs: layout.font_size,
        pages: Vec::new(),
        y: 0.0,
        fonts: Fonts { kind: style.font, cids: BTreeMap::new() },
    };
    c.new_page();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => c.paragraph(&p.text),
            Block::Table(t) => c.table(t),
        }
    }
    assemble(c)
}

fn assemble(c: Canvas) -> Vec<u8> {
    let mut pdf = lopdf::Document::with_version("1.5");
    let pages_id = pdf.new_object_id();
    let font = font_dict(&mut pdf, &c.fonts);
    let font_id = pdf.add_object(font);
    let media: Vec<Object> = match c.style.page {
        Page::Rotated | Page::Sideways => vec![0.into(), 0.into(), c.height.into(), c.width.into()],
        _ => vec![0.into(), 0.into(), c.width.into(), c.height.into()],
    };
    let mut kids = Vec::new();
    for ops in &c.pages {
        let content = pdf.add_object(Stream::new(dictionary! {}, ops.clone().into_bytes()));
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content,
            "MediaBox" => media.clone(),
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        };
        if c.style.page == Page::Rotated {
            page.set("Rotate", 90);
        }
        kids.push(Object::Reference(pdf.add_object(page)));
    }
    let count = kids.len() as i64;
    pdf.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog = pdf.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    pdf.trailer.set("Root", catalog);
    let mut out = Vec::new();
    pdf.save_to(&mut out).unwrap();
    out
}

fn font_dict(pdf: &mut lopdf::Document, fonts: &Fonts) -> lopdf::Dictionary {
    let descriptor = pdf.add_object(dictionary! {
        "Type" => "FontDescriptor", "FontName" => "SimSun", "Flags" => 4,
        "FontBBox" => vec![0.into(), (-140).into(), 1000.into(), 860.into()],
        "ItalicAngle" => 0, "Ascent" => 860, "Descent" => -140, "CapHeight" => 700, "StemV" => 80,
    });
    let gb1 = dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 2 };
    match fonts.kind {
        Font::UniGb | Font::Gbk => {
            let ascii: Vec<Object> = (0..95).map(|_| 500.into()).collect();
            let cid = dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
                "CIDSystemInfo" => gb1, "FontDescriptor" => descriptor, "DW" => 1000,
                "W" => vec![1.into(), Object::Array(ascii)],
            };
            let encoding = if fonts.kind == Font::Gbk { "GBK-EUC-H" } else { "UniGB-UCS2-H" };
            dictionary! { "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light", "Encoding" => encoding, "DescendantFonts" => vec![cid.into()] }
        }
        Font::Subset => {
            let mut w = Vec::new();
            let mut cmap = String::from("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CMapName /Subset-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
            let pairs: Vec<(&char, &u16)> = fonts.cids.iter().collect();
            for chunk in pairs.chunks(100) {
                cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
                for (ch, cid) in chunk {
                    let utf16: Vec<String> = ch.encode_utf16(&mut [0; 2]).iter().map(|u| format!("{u:04X}")).collect();
                    cmap.push_str(&format!("<{cid:04X}> <{}>\n", utf16.concat()));
                    w.push(Object::Integer(**cid as i64));
                    w.push(Object::Array(vec![(if ch.is_ascii() { 500 } else { 1000 }).into()]));
                }
                cmap.push_str("endbfchar\n");
            }
            cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end\n");
            let to_unicode = pdf.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
            let cid = dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "GKABCD+SimSun",
                "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
                "FontDescriptor" => descriptor, "DW" => 1000, "W" => w, "CIDToGIDMap" => "Identity",
            };
            dictionary! { "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "GKABCD+SimSun", "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()], "ToUnicode" => to_unicode }
        }
    }
}

/// The same PDF without its rules (see [`gongkai_pdf::without_rules`]).
pub fn without_rules(pdf: &[u8]) -> Vec<u8> {
    gongkai_pdf::without_rules(pdf).unwrap()
}
