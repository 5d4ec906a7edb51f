//! OCR of image-only pages into the same page ink as a text page: positioned words (glyphs)
//! and the table's rules (segments), so that the ruled and unruled table readers, the
//! recogniser and the checks run unchanged on a scan.
//!
//! A page is rendered (`pdftoppm`, at 300 dpi, grey), deskewed, and its table rules found as
//! long dark runs. Whole-page OCR of a ruled table reads rules as characters and merges rows,
//! so every cell is cut along the rules and each text line in it is read on its own (single
//! line mode); text outside tables is cut into lines the same way. Lines that read as an
//! amount are read again with a digits-only engine setup and the surer reading is kept.
//! The engine sits behind [`OcrEngine`]; [`tesseract::Tesseract`] is the one there is.

mod bitmap;
mod images;
mod tesseract;

use crate::grid;
use crate::settings::TableSettings;
use crate::walker::{Glyph, PageInk, PlacedImage, Seg};
use bitmap::Gray;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) use tesseract::Tesseract;

/// How to install what OCR needs, for the status of a document that needed it.
pub(crate) const INSTALL_HINT: &str = "apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils";

/// Rendering resolution.
const DPI: f32 = 300.0;
const PX_PER_PT: f32 = DPI / 72.0;
/// An image of a text page is read when it holds a ruled table of this many cells at least…
const TABLE_MIN_CELLS: usize = 4;
/// …or this many lines of text (bands of ink no taller than a large heading, `TEXT_LINE_MAX_IN`
/// inches, no shorter than `TEXT_LINE_MIN_IN`) holding this share of its inked rows at least…
const TEXT_MIN_LINES: usize = 3;
const TEXT_LINE_MAX_IN: f32 = 0.3;
const TEXT_LINE_MIN_IN: f32 = 0.015;
const TEXT_MIN_SHARE: f32 = 0.7;
/// …and not painted: more than this share of its horizontal runs lie within `STACKED_IN`
/// inches of another (one rule's runs are merged into one, so only a filled area stacks them).
const PAINTED_SHARE: f32 = 0.3;
const STACKED_IN: f32 = 0.03;
/// No page gets more than this, whatever the file's deadline.
const PAGE_LIMIT: Duration = Duration::from_secs(90);

/// What a line may hold: anything, or only an amount (digits, separators, a sign).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Any,
    Amount,
}

/// A recognised word, its box in the pixels of the image it was read from.
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    pub left: f32,
    pub width: f32,
    /// 0–100.
    pub conf: f32,
}

/// An OCR engine: reads images that each hold one line of text.
pub trait OcrEngine: Send + Sync {
    fn name(&self) -> &'static str;
    /// The words of each image, in order. `dir` is a private scratch folder; the work must
    /// end by `deadline`.
    fn read_lines(&self, lines: &[Gray], charset: Charset, dir: &Path, deadline: Instant) -> Result<Vec<Vec<Word>>, String>;
}

/// One line image and where it sits on the page (pixels of the deskewed render).
struct LineImg {
    img: Gray,
    /// Page column of the image's left edge.
    ox: f32,
    /// The ink band: top and bottom row on the page.
    top: f32,
    bottom: f32,
}

const PAD: usize = 10;

/// What of a page to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The whole page, its ink replaced by what is read (a scan).
    Page,
    /// Only its large images that carry no text (a table pasted as a picture into a text
    /// page): their words and rules are added to the page's.
    Images,
}

/// The pictures of a text page that may be tables, to read by OCR: large ones (at least
/// `ocr_image_area` of the page) on which no glyph is drawn (a scan with a text layer is read
/// already; a seal stamped on text is no table), not mostly in strong colour (a chart, a
/// photo: `ocr_colour_share`). A picture that cannot be decoded here is kept (it is rendered).
pub(crate) fn table_pictures(doc: &lopdf::Document, ink: &PageInk, settings: &TableSettings) -> Vec<PlacedImage> {
    let page = ink.width * ink.height;
    let debug = std::env::var_os("GONGKAI_OCR_DEBUG").is_some();
    ink.images
        .iter()
        .filter(|im| {
            let (x0, y0, x1, y1) = images::bounds(&im.ctm);
            let on = |g: &Glyph| g.cx() >= x0 && g.cx() <= x1 && g.cy() >= y0 && g.cy() <= y1;
            (x1 - x0) * (y1 - y0) >= page * settings.ocr_image_area && !ink.glyphs.iter().any(on)
        })
        .filter(|im| {
            let Some(taken) = images::take(doc, im) else { return true };
            let worth = taken.colour_share < settings.ocr_colour_share && holds_table_or_text(taken.gray, taken.dpi);
            if debug {
                eprintln!("ocr: picture {:?}: {:.2} of its painted pixels in strong colour, {} dpi, read: {worth}", im.id, taken.colour_share, taken.dpi);
            }
            worth
        })
        .copied()
        .collect()
}

/// Whether a picture (at `dpi`) holds a ruled table or lines of text, not a chart or a photo.
/// Judged on its own pixels before any OCR work, so a chart costs its decoding only.
fn holds_table_or_text(img: Gray, dpi: f32) -> bool {
    let pt = 72.0 / dpi;
    let r = Ruled::find(img, dpi, (pt, pt));
    let table = r.frames.iter().any(|f| f.cells.len() >= TABLE_MIN_CELLS);
    !painted(&r.rules, dpi) && (table || mostly_text(&r.img, r.ink, dpi))
}

/// A bitmap deskewed, with its table rules found: as pixel runs, as page segments (points)
/// and as the ruled frames they make.
struct Ruled {
    img: Gray,
    /// Pixels darker than this are ink.
    ink: u8,
    skew: f32,
    rules: Vec<bitmap::Rule>,
    segs: Vec<Seg>,
    frames: Vec<grid::Frame>,
}

impl Ruled {
    /// `img` at `dpi`, `(sx, sy)` points per pixel across and down.
    fn find(img: Gray, dpi: f32, (sx, sy): (f32, f32)) -> Ruled {
        let ink = img.threshold();
        let skew = bitmap::skew_degrees(&img, ink);
        let img = if skew.abs() >= 0.05 { bitmap::rotate(&img, skew) } else { img };
        let rules = bitmap::rules(&img, ink, dpi);
        let segs: Vec<Seg> = rules
            .iter()
            .map(|r| match r.horizontal {
                true => Seg { horizontal: true, pos: r.pos * sy, a: r.a * sx, b: r.b * sx },
                false => Seg { horizontal: false, pos: r.pos * sx, a: r.a * sy, b: r.b * sy },
            })
            .collect();
        let frames = grid::frames(&segs, &TableSettings::default());
        Ruled { img, ink, skew, rules, segs, frames }
    }
}

/// Reads a page (or its text-free images) by OCR into `ink`. The bitmap is taken from the
/// page's image XObjects where it can be, else rendered from `pdf()` (the document written to
/// disk); `dir` is a scratch folder. Returns how many words were read.
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_page(
    engine: &dyn OcrEngine,
    doc: &lopdf::Document,
    pdf: &mut dyn FnMut() -> Result<std::path::PathBuf, String>,
    page: u32,
    scope: Scope,
    images: &[PlacedImage],
    ink: &mut PageInk,
    dir: &Path,
    deadline: Instant,
) -> Result<usize, String> {
    let started = Instant::now();
    let deadline = deadline.min(started + PAGE_LIMIT);
    let region = match scope {
        Scope::Page => Region { x: 0, y: 0, w: (ink.width * PX_PER_PT).round() as usize, h: (ink.height * PX_PER_PT).round() as usize },
        Scope::Images => Region::around(images, ink.width, ink.height),
    };
    // A scan drawn with vector rules over it is rendered, so the rules are in the bitmap too.
    let direct = match scope {
        Scope::Page if !ink.glyphs.is_empty() || !ink.segs.is_empty() => None,
        _ => images::compose(doc, images, (region.x, region.y, region.w, region.h), PX_PER_PT),
    };
    let taken = direct.is_some();
    let img = match direct {
        Some(img) => img,
        None => {
            let mut img = render(&pdf()?, page, region, dir, deadline)?;
            if scope == Scope::Images {
                keep_only(&mut img, images, region);
            }
            img
        }
    };
    if std::env::var_os("GONGKAI_OCR_DEBUG").is_some() {
        let how = if taken { "from the images" } else { "rendered" };
        eprintln!("ocr page {page}: bitmap {how} in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
    }
    let size = match scope {
        Scope::Page => (ink.width, ink.height),
        Scope::Images => (region.w as f32 / PX_PER_PT, region.h as f32 / PX_PER_PT),
    };
    let origin = (region.x as f32 / PX_PER_PT, region.y as f32 / PX_PER_PT);
    let (glyphs, segs) = read_bitmap(engine, img, page, size, origin, dir, deadline)?;
    let n = glyphs.len();
    match scope {
        Scope::Page => {
            ink.direction = Default::default();
            ink.glyphs = glyphs;
            ink.segs = segs;
        }
        Scope::Images => {
            ink.glyphs.extend(glyphs);
            ink.segs.extend(segs);
        }
    }
    ink.direction.upright += n;
    Ok(n)
}

/// A rectangle of the page's pixels at the rendering resolution.
#[derive(Debug, Clone, Copy)]
struct Region {
    x: usize,
    y: usize,
    w: usize,
    h: usize,
}

impl Region {
    /// The smallest region holding the images, inside the page.
    fn around(images: &[PlacedImage], width: f32, height: f32) -> Region {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, 0.0f32, 0.0f32);
        for im in images {
            let b = images::bounds(&im.ctm);
            (x0, y0, x1, y1) = (x0.min(b.0), y0.min(b.1), x1.max(b.2), y1.max(b.3));
        }
        let (x0, y0) = ((x0.max(0.0) * PX_PER_PT) as usize, (y0.max(0.0) * PX_PER_PT) as usize);
        let (x1, y1) = ((x1.min(width) * PX_PER_PT).ceil() as usize, (y1.min(height) * PX_PER_PT).ceil() as usize);
        Region { x: x0, y: y0, w: x1.saturating_sub(x0).max(1), h: y1.saturating_sub(y0).max(1) }
    }
}

/// Reads a bitmap of `size` points of the page, its top left corner at `origin`: its words as
/// glyphs and its table rules.
#[allow(clippy::too_many_arguments)]
fn read_bitmap(
    engine: &dyn OcrEngine,
    img: Gray,
    page: u32,
    (width, height): (f32, f32),
    (ox, oy): (f32, f32),
    dir: &Path,
    deadline: Instant,
) -> Result<(Vec<Glyph>, Vec<Seg>), String> {
    let debug = std::env::var_os("GONGKAI_OCR_DEBUG").is_some();
    let (sx, sy) = (width / img.w as f32, height / img.h as f32);
    // A grey scan (JPEG: most ink pixels grey) is read thresholded; a bitonal one keeps the
    // render's smooth edges, which the engine reads better.
    let binarize = img.grey_ink() > 3.0;
    let Ruled { img, ink: ink_level, skew, rules, segs, frames } = Ruled::find(img, DPI, (sx, sy));
    if debug {
        eprintln!(
            "ocr page {page}: {}x{} px, skew {skew:.2}°, ink < {ink_level}, binarize {binarize}, {} rules, {} frames",
            img.w,
            img.h,
            rules.len(),
            frames.len()
        );
    }
    let min_h = (DPI * TEXT_LINE_MIN_IN) as usize;
    let inset = (DPI * 0.02) as usize;
    let mut lines: Vec<LineImg> = Vec::new();
    // Rules are not text: whited out, they cannot be read as characters at a cell's edge.
    let mut img = img;
    let t = DPI * 0.017;
    for r in &rules {
        match r.horizontal {
            true => whiten(&mut img, r.a as usize, (r.pos - t).max(0.0) as usize, r.b as usize, (r.pos + t) as usize + 1),
            false => whiten(&mut img, (r.pos - t).max(0.0) as usize, r.a as usize, (r.pos + t) as usize + 1, r.b as usize),
        }
    }
    // Text outside the tables: the page with the tables whited out too.
    let mut rest = img.clone();
    let px = |v: f32, s: f32| (v / s).max(0.0) as usize;
    for f in &frames {
        for &(r0, c0, r1, c1) in &f.cells {
            let (x0, x1) = (px(f.xs[c0], sx) + inset, px(f.xs[c1], sx).saturating_sub(inset));
            let (y0, y1) = (px(f.ys[r0], sy) + inset, px(f.ys[r1], sy).saturating_sub(inset));
            if x1 <= x0 + 2 || y1 <= y0 + 2 {
                continue;
            }
            for (b0, b1) in bitmap::bands(&img, ink_level, x0, y0, x1, y1, min_h) {
                let ps = bitmap::pieces(&img, ink_level, x0, x1, b0, b1, usize::MAX);
                if let (Some(first), Some(last)) = (ps.first(), ps.last()) {
                    lines.push(line_img(&img, binarize.then_some(ink_level), first.0, b0, last.1, b1));
                }
            }
        }
        let (x0, x1) = (px(f.x0(), sx).saturating_sub(inset), px(f.x1(), sx) + inset);
        let (y0, y1) = (px(f.y0(), sy).saturating_sub(inset), px(f.y1(), sy) + inset);
        whiten(&mut rest, x0, y0, x1, y1);
    }
    let gap = (DPI * 0.3) as usize;
    for (b0, b1) in bitmap::bands(&rest, ink_level, 0, 0, rest.w, rest.h, min_h) {
        for (p0, p1) in bitmap::pieces(&rest, ink_level, 0, rest.w, b0, b1, gap) {
            if p1 - p0 >= min_h {
                lines.push(line_img(&rest, binarize.then_some(ink_level), p0, b0, p1, b1));
            }
        }
    }
    let imgs: Vec<Gray> = lines.iter().map(|l| l.img.clone()).collect();
    let mut words = engine.read_lines(&imgs, Charset::Any, dir, deadline)?;
    // Amounts read again with digits only; the surer reading wins.
    // So is a lone narrow glyph (a 栏次 `1` read as `工`, `7` as `了7`).
    let narrow = |l: &LineImg| (l.img.w - 2 * PAD) as f32 <= (l.bottom - l.top) * 0.8;
    // And an amount with a digit read as a look-alike character (`工67` for `1.67`).
    let lookalike = |t: &str| t.chars().filter(|c| matches!(c, '工' | '了')).count() == 1 && is_amount(&t.replace(['工', '了'], ""));
    let amounts: Vec<usize> = (0..words.len()).filter(|&i| is_amount(&joined(&words[i])) || lookalike(&joined(&words[i])) || narrow(&lines[i])).collect();
    if !amounts.is_empty() {
        let again: Vec<Gray> = amounts.iter().map(|&i| imgs[i].clone()).collect();
        let reread = engine.read_lines(&again, Charset::Amount, dir, deadline)?;
        for (&i, w) in amounts.iter().zip(reread) {
            let (a, b) = (joined(&words[i]), joined(&w));
            if debug && a != b {
                eprintln!("ocr page {page}: amount {a:?} ({:.0}) vs digits-only {b:?} ({:.0})", min_conf(&words[i]), min_conf(&w));
            }
            // The digits-only reading replaces a lone narrow glyph (no Chinese character is that
            // narrow) or a malformed amount; it is not surer otherwise (it drops decimal points).
            // Or one where the first reading merged a doubled digit (`0.11` read `0.1`).
            // Or one that lost its leading digits (`1,369.17` read `369.17`).
            if well_formed(&b) && (!well_formed(&a) || merged_double(&a, &b) || extends_front(&a, &b)) {
                words[i] = w;
            }
        }
        for &i in &amounts {
            tidy_amount(&mut words[i]);
        }
    }
    let mut glyphs = Vec::new();
    for (l, ws) in lines.iter().zip(words) {
        let size = ((l.bottom - l.top) * sy / 0.85).max(3.0);
        let base = l.bottom * sy;
        // A mark "read" in the white margin around the ink is not there (raw line mode sees
        // a comma at the end of some lines).
        let margin = |w: &Word| w.left >= (l.img.w - PAD) as f32 - 1.0 || w.left + w.width <= PAD as f32 + 1.0;
        for w in ws.into_iter().filter(|w| !margin(w)) {
            let x0 = (l.ox + w.left) * sx;
            let x1 = (l.ox + w.left + w.width) * sx;
            glyphs.push(glyph(w, ox + x0, ox + x1, oy + base, size));
        }
    }
    if debug {
        eprintln!("ocr page {page}: {} lines, {} words", lines.len(), glyphs.len());
    }
    let segs = segs
        .into_iter()
        .map(|s| match s.horizontal {
            true => Seg { pos: s.pos + oy, a: s.a + ox, b: s.b + ox, ..s },
            false => Seg { pos: s.pos + ox, a: s.a + oy, b: s.b + oy, ..s },
        })
        .collect();
    Ok((glyphs, segs))
}

/// Whether the long runs of ink are mostly stacked on each other: the filled areas of a chart
/// or a photo, not the thin rules of a table (each a few pixels thick, rows apart).
fn painted(rules: &[bitmap::Rule], dpi: f32) -> bool {
    let hs: Vec<&bitmap::Rule> = rules.iter().filter(|r| r.horizontal).collect();
    let near = |r: &bitmap::Rule, o: &bitmap::Rule| !std::ptr::eq(r, o) && (o.pos - r.pos).abs() <= dpi * STACKED_IN && o.a < r.b && o.b > r.a;
    let stacked = hs.iter().filter(|r| hs.iter().any(|o| near(r, o))).count();
    stacked as f32 > hs.len() as f32 * PAINTED_SHARE
}

/// Whether most of the ink lies in bands as tall as lines of text (a chart's or a photo's
/// does not), and there are a few such lines.
fn mostly_text(img: &Gray, ink: u8, dpi: f32) -> bool {
    let bands = bitmap::bands(img, ink, 0, 0, img.w, img.h, (dpi * TEXT_LINE_MIN_IN) as usize);
    let text_like = |b: &&(usize, usize)| (b.1 - b.0) as f32 <= dpi * TEXT_LINE_MAX_IN;
    let rows = |bs: &mut dyn Iterator<Item = &(usize, usize)>| bs.map(|b| b.1 - b.0).sum::<usize>();
    let (text, all) = (rows(&mut bands.iter().filter(text_like)), rows(&mut bands.iter()));
    bands.iter().filter(text_like).count() >= TEXT_MIN_LINES && text as f32 >= all as f32 * TEXT_MIN_SHARE
}

/// A word read as a glyph of the page (view space), carrying the engine's confidence.
fn glyph(w: Word, x0: f32, x1: f32, base: f32, size: f32) -> Glyph {
    Glyph { text: w.text.into(), x0, x1, base, size, after_space: false, conf: Some(w.conf.clamp(0.0, 100.0).round() as u8) }
}

/// Whites out all of a rendered region but the given images' boxes.
fn keep_only(img: &mut Gray, images: &[PlacedImage], region: Region) {
    let px = |v: f32, from: usize| ((v * PX_PER_PT).max(0.0).round() as usize).saturating_sub(from);
    let boxes: Vec<(usize, usize, usize, usize)> = images
        .iter()
        .map(|im| {
            let (x0, y0, x1, y1) = images::bounds(&im.ctm);
            (px(x0, region.x), px(y0, region.y), px(x1, region.x), px(y1, region.y))
        })
        .collect();
    for y in 0..img.h {
        for x in 0..img.w {
            if !boxes.iter().any(|b| x >= b.0 && x < b.2 && y >= b.1 && y < b.3) {
                img.px[y * img.w + x] = 255;
            }
        }
    }
}

fn joined(ws: &[Word]) -> String {
    ws.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join("")
}

fn min_conf(ws: &[Word]) -> f32 {
    ws.iter().map(|w| w.conf).fold(f32::MAX, f32::min)
}

/// Misreadings that are never what these reports print: angle brackets for the brackets of
/// 部门(汇总), 年未 for 年末 (末 and 未 differ by one stroke's length), 工. for the ordinal 1.
pub(crate) fn normalise(text: &str) -> String {
    let text = text.replace('〈', "（").replace('〉', "）").replace("年未", "年末");
    // An ordinal `1.` read as the character 工.
    match text.strip_prefix("工.") {
        Some(rest) => format!("1.{rest}"),
        None => text,
    }
}

/// A comma or full stop after an amount's last digit is a speck read as a mark (`735,`, `34.`).
fn tidy_amount(words: &mut Vec<Word>) {
    let Some(last) = words.last_mut() else { return };
    let dots = last.text.matches('.').count();
    while last.text.ends_with([',', '，', '。']) || (last.text.ends_with('.') && dots == 1) {
        last.text.pop();
    }
    if last.text.is_empty() {
        words.pop();
    }
}

/// `1,529.16`, `-3.00`, `735`, `0.5`: digits, thousands in groups of three, decimals; a
/// stray mark at the end is tolerated (tidied later).
fn well_formed(s: &str) -> bool {
    let s = s.trim_end_matches([',', '.', '，', '。']);
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, dec) = s.split_once('.').unwrap_or((s, "0"));
    let groups: Vec<&str> = int.split(',').collect();
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(dec) && digits(groups[0]) && (groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3 && digits(g))))
}

/// `b` is `a` with more in front (`369.17` → `1,369.17`, `67` → `1.67`), separators aside.
fn extends_front(a: &str, b: &str) -> bool {
    let clean = |s: &str| s.trim_end_matches([',', '.']).replace(',', "");
    let (a, b) = (clean(a), clean(b));
    !a.is_empty() && b.len() > a.len() && b.ends_with(&a)
}

/// `b` is `a` with one of its digits doubled (`0.1` → `0.11`, `3029` → `30299`).
fn merged_double(a: &str, b: &str) -> bool {
    let b: Vec<char> = b.chars().collect();
    b.len() == a.chars().count() + 1
        && (1..b.len()).any(|k| b[k] == b[k - 1] && b[k].is_ascii_digit() && b[..k].iter().chain(&b[k + 1..]).copied().eq(a.chars()))
}

/// `1,529.16`, `-3.00`, `735`: what an amount cell holds.
fn is_amount(s: &str) -> bool {
    let s = s.trim_end_matches(['，', '。']);
    !s.is_empty() && s.chars().any(|c| c.is_ascii_digit()) && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
}

/// A line's image for the engine, thresholded black on white when given a threshold:
/// Tesseract misreads short lines of a grey scan (合计 as 容庆) that it reads right thresholded.
fn line_img(img: &Gray, threshold: Option<u8>, x0: usize, y0: usize, x1: usize, y1: usize) -> LineImg {
    let mut crop = img.crop(x0, y0, x1, y1, PAD);
    if let Some(ink) = threshold {
        for p in &mut crop.px {
            *p = if *p < ink { 0 } else { 255 };
        }
    }
    LineImg { img: crop, ox: x0 as f32 - PAD as f32, top: y0 as f32, bottom: y1 as f32 }
}

fn whiten(img: &mut Gray, x0: usize, y0: usize, x1: usize, y1: usize) {
    let (x1, y1) = (x1.min(img.w), y1.min(img.h));
    for y in y0..y1 {
        if x0 < x1 {
            img.px[y * img.w + x0..y * img.w + x1].fill(255);
        }
    }
}

/// A region of the page as a grey bitmap, by `pdftoppm`.
fn render(pdf: &Path, page: u32, region: Region, dir: &Path, deadline: Instant) -> Result<Gray, String> {
    let out = dir.join("page");
    let mut cmd = Command::new("pdftoppm");
    cmd.args(["-r", &DPI.to_string(), "-gray", "-singlefile", "-f", &page.to_string(), "-l", &page.to_string()]);
    if region.x > 0 || region.y > 0 {
        cmd.args(["-x", &region.x.to_string(), "-y", &region.y.to_string(), "-W", &region.w.to_string(), "-H", &region.h.to_string()]);
    }
    cmd.arg(pdf).arg(&out);
    run(cmd, deadline, "pdftoppm")?;
    let bytes = std::fs::read(out.with_extension("pgm")).map_err(|e| format!("pdftoppm wrote no page image: {e}"))?;
    Gray::from_pgm(&bytes).ok_or_else(|| "pdftoppm wrote an unreadable page image".to_string())
}

/// Runs a child process to its end or until `deadline` (then it is killed).
pub(crate) fn run(mut cmd: Command, deadline: Instant, what: &str) -> Result<(), String> {
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {what}: {e}"))?;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(format!("{what} failed ({status})")),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what} did not finish in time"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for {what} failed: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        for ok in ["1,529.16", "-3.00", "735", "0.5", "735,", "34."] {
            assert!(well_formed(ok), "{ok}");
        }
        for bad in ["工", "", "1,52.16", "1.2.3", "12,3456", "2-5"] {
            assert!(!well_formed(bad), "{bad}");
        }
        assert!(extends_front("369.17", "1,369.17,") && extends_front("67", "1.67") && !extends_front("2.75", "275"));
        assert!(is_amount("572.03，"));
        assert!(merged_double("0.1", "0.11") && merged_double("3029", "30299"));
        assert!(!merged_double("0.1", "0.12") && !merged_double("275", "2.75"));
        let mut ws = vec![Word { text: "735,".into(), left: 0.0, width: 1.0, conf: 90.0 }];
        tidy_amount(&mut ws);
        assert_eq!(ws[0].text, "735");
    }
}
