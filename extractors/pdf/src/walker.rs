//! Walks a page's content stream and collects what layout needs: every glyph with its
//! baseline and extent, every straight ruling (stroked line, rectangle edge, thin filled bar),
//! and how much of the page images cover. All positions are in "view" space: points, origin
//! top-left of the page as displayed (after /Rotate), y growing downwards.

use ecow::EcoString;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::rc::Rc;

use crate::content::{Operand, Operation, Tokens};
use crate::font::{deref, Code, Font};
use crate::settings::{TableSettings, EM_MIDDLE};

pub(crate) const MAX_OPS_PER_PAGE: usize = 3_000_000;
const MAX_FORM_DEPTH: usize = 8;
pub(crate) const MAX_GLYPHS_PER_PAGE: usize = 400_000;
pub(crate) const MAX_SEGS_PER_PAGE: usize = 200_000;
/// Bytes of one shown string decoded: a real one holds a line at most. A 60 MiB string is an
/// attack on memory (each glyph costs far more than its byte), so the rest is cut.
const MAX_STRING_BYTES: usize = 1 << 20;

/// One glyph as drawn. Pages hold hundreds of thousands of them, so it stays small (40
/// bytes): the text is inline up to 15 bytes (a glyph is one character, an OCR word a few),
/// with no allocation of its own.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub text: EcoString,
    pub x0: f32,
    pub x1: f32,
    /// Baseline, view space.
    pub base: f32,
    /// Font size as drawn (em height in view space).
    pub size: f32,
    /// Typed spaces fill the gap before this glyph: a gap in running text, not a move to
    /// another column.
    pub after_space: bool,
    /// Read by OCR: the engine's confidence in this word (0–100).
    pub conf: Option<u8>,
}

impl Glyph {
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    /// Middle of the em box, a steadier reference than the baseline for "which cell".
    pub fn cy(&self) -> f32 {
        self.base - self.size * EM_MIDDLE
    }
}

/// An axis-parallel ruling in view space: horizontal (y = pos, x from a to b) or vertical.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seg {
    pub horizontal: bool,
    pub pos: f32,
    pub a: f32,
    pub b: f32,
}

#[derive(Default)]
pub(crate) struct PageInk {
    pub glyphs: Vec<Glyph>,
    pub segs: Vec<Seg>,
    /// Area of the page covered by images (sum of their boxes), in square points.
    pub image_area: f32,
    /// The images drawn, in painting order, for OCR to take them without rendering the page.
    pub images: Vec<PlacedImage>,
    pub width: f32,
    pub height: f32,
    pub truncated: bool,
    /// Right edge of the last space glyph drawn, until the next glyph.
    pub space_end: Option<f32>,
    pub direction: Direction,
}

/// An image drawn on the page: its object (none for an inline image) and the map of the unit
/// square onto view space (the image's first row at the square's top, y = 1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlacedImage {
    pub id: Option<ObjectId>,
    pub ctm: [f32; 6],
}

/// How many glyphs run left to right, up and down the page as displayed.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Direction {
    pub upright: usize,
    pub up: usize,
    pub down: usize,
}

type M = [f32; 6];

fn mul(a: &M, b: &M) -> M {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &M, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

const IDENTITY: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

#[derive(Clone)]
struct GState {
    ctm: M,
    font: Option<Rc<Font>>,
    size: f32,
    char_space: f32,
    word_space: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
    fill_white: bool,
}

enum PathPart {
    Move(f32, f32),
    Line(f32, f32),
    Rect(f32, f32, f32, f32),
    Curve(f32, f32),
    Close,
}

pub(crate) struct Walker<'a> {
    doc: &'a Document,
    fonts: HashMap<ObjectId, Rc<Font>>,
    pub warnings: Vec<String>,
    max_stream: usize,
    settings: &'a TableSettings,
}

struct Ctx<'r> {
    resources: Vec<&'r Dictionary>,
}

impl<'a> Walker<'a> {
    pub(crate) fn new(doc: &'a Document, max_stream: usize, settings: &'a TableSettings) -> Self {
        Walker { doc, fonts: HashMap::new(), warnings: Vec::new(), max_stream, settings }
    }

    pub(crate) fn walk_page(&mut self, page_id: ObjectId) -> PageInk {
        let (media, rotate) = page_geometry(self.doc, page_id);
        // Inflated once, walked once or twice.
        let content = match self.doc.get_page_content_with_limit(page_id, self.max_stream) {
            Ok(c) => c,
            Err(e) => {
                self.warnings.push(format!("page content unreadable: {e}"));
                let (_, w, h) = view_matrix(media, rotate);
                return PageInk { width: w, height: h, ..Default::default() };
            }
        };
        let ink = self.walk_page_as(page_id, &content, media, rotate);
        // A wide table printed sideways on a portrait page (no /Rotate): most text runs up or
        // down the page. Read the page turned the way its text reads.
        let turn = match ink.direction {
            Direction { upright, up, down } if up > upright && up >= down => 90,
            Direction { upright, down, .. } if down > upright => 270,
            _ => return ink,
        };
        let warnings = self.warnings.len();
        let turned = self.walk_page_as(page_id, &content, media, (rotate + turn) % 360);
        self.warnings.truncate(warnings);
        turned
    }

    fn walk_page_as(&mut self, page_id: ObjectId, content: &[u8], media: [f32; 4], rotate: i64) -> PageInk {
        let doc = self.doc;
        let (view, w, h) = view_matrix(media, rotate);
        let mut ink = PageInk { width: w, height: h, ..Default::default() };
        let mut resources: Vec<&Dictionary> = Vec::new();
        if let Ok((own, ids)) = doc.get_page_resources(page_id) {
            resources.extend(own);
            for id in ids {
                if let Ok(d) = doc.get_dictionary(id) {
                    resources.push(d);
                }
            }
        }
        let gs = GState { ctm: view, font: None, size: 0.0, char_space: 0.0, word_space: 0.0, hscale: 1.0, leading: 0.0, rise: 0.0, fill_white: false };
        let mut ops = 0usize;
        self.walk_stream(content, &Ctx { resources }, gs, &mut ink, 0, &mut ops);
        // Text placed off the page is not seen by a reader (some producers draw a whole
        // flowing text on every page and let the page box cut it).
        let (w, h, m) = (ink.width, ink.height, self.settings.off_page_margin);
        ink.glyphs.retain(|g| {
            let (x, y) = (g.cx(), g.cy());
            x >= -m && x <= w + m && y >= -m && y <= h + m
        });
        // Every page's glyphs are held until the document is assembled: no growth slack.
        ink.glyphs.shrink_to_fit();
        ink
    }

    fn font_for(&mut self, ctx: &Ctx<'a>, name: &[u8]) -> Option<Rc<Font>> {
        let doc = self.doc;
        for res in &ctx.resources {
            let Some(fonts) = deref(doc, res.get(b"Font").ok()).and_then(|o| o.as_dict().ok()) else {
                continue;
            };
            let Ok(entry) = fonts.get(name) else { continue };
            let (id, dict) = match entry {
                Object::Reference(id) => (*id, doc.get_dictionary(*id).ok()?),
                Object::Dictionary(d) => ((u32::MAX, 0), d),
                _ => continue,
            };
            if id.0 != u32::MAX {
                if let Some(f) = self.fonts.get(&id) {
                    return Some(f.clone());
                }
            }
            let f = Rc::new(Font::load(doc, dict, &mut self.warnings));
            if id.0 != u32::MAX {
                self.fonts.insert(id, f.clone());
            }
            return Some(f);
        }
        None
    }

    /// The XObject named in the resources, and its object id when it is referenced.
    fn xobject(&self, ctx: &Ctx<'a>, name: &[u8]) -> Option<(Option<ObjectId>, &'a lopdf::Stream)> {
        let doc = self.doc;
        for res in &ctx.resources {
            let Some(xs) = deref(doc, res.get(b"XObject").ok()).and_then(|o| o.as_dict().ok()) else {
                continue;
            };
            let entry = xs.get(name).ok();
            if let Some(Object::Stream(s)) = deref(doc, entry) {
                return Some((entry.and_then(|o| o.as_reference().ok()), s));
            }
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn walk_stream(&mut self, data: &[u8], ctx: &Ctx<'a>, mut gs: GState, ink: &mut PageInk, depth: usize, ops: &mut usize) {
        let mut stack: Vec<GState> = Vec::new();
        let mut tm: M = IDENTITY;
        let mut tlm: M = IDENTITY;
        let mut path: Vec<PathPart> = Vec::new();
        let mut codes: Vec<Code> = Vec::new();
        let white = self.settings.white_fill;
        let (mut tokens, mut op, mut text) = (Tokens::new(data), Operation::default(), Vec::new());
        while tokens.next_op(&mut op) {
            *ops += 1;
            if *ops > MAX_OPS_PER_PAGE || ink.glyphs.len() > MAX_GLYPHS_PER_PAGE {
                ink.truncated = true;
                break;
            }
            let a = &op.operands;
            let f = |i: usize| op.num(i);
            match op.operator {
                b"q" if stack.len() < 256 => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                b"cm" if a.len() >= 6 => {
                    let m = [f(0), f(1), f(2), f(3), f(4), f(5)];
                    gs.ctm = mul(&m, &gs.ctm);
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tf" => {
                    gs.size = f(1);
                    gs.font = a.first().and_then(Operand::as_name).and_then(|n| self.font_for(ctx, n));
                }
                b"Tc" => gs.char_space = f(0),
                b"Tw" => gs.word_space = f(0),
                b"Tz" => gs.hscale = f(0) / 100.0,
                b"TL" => gs.leading = f(0),
                b"Ts" => gs.rise = f(0),
                b"Td" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                    tm = tlm;
                }
                b"TD" => {
                    gs.leading = -f(1);
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, f(0), f(1)], &tlm);
                    tm = tlm;
                }
                b"Tm" if a.len() >= 6 => {
                    tlm = [f(0), f(1), f(2), f(3), f(4), f(5)];
                    tm = tlm;
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op.operator == b"\"" {
                        gs.word_space = f(0);
                        gs.char_space = f(1);
                    }
                    if op.operator != b"Tj" {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    if let Some(Operand::Str(s)) = a.last() {
                        s.decode_into(&mut text);
                        self.show(&text, &gs, &mut tm, ink, &mut codes);
                    }
                }
                b"TJ" => {
                    for item in op.array(a.first()) {
                        match item {
                            Operand::Str(s) => {
                                s.decode_into(&mut text);
                                self.show(&text, &gs, &mut tm, ink, &mut codes);
                            }
                            other => {
                                if let Some(adj) = other.as_float() {
                                    let vertical = gs.font.as_ref().is_some_and(|f| f.vertical);
                                    let d = -adj / 1000.0 * gs.size;
                                    if vertical {
                                        tm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, d], &tm);
                                    } else {
                                        tm = mul(&[1.0, 0.0, 0.0, 1.0, d * gs.hscale, 0.0], &tm);
                                    }
                                }
                            }
                        }
                    }
                }
                b"g" => gs.fill_white = f(0) > white,
                b"rg" => gs.fill_white = f(0) > white && f(1) > white && f(2) > white,
                b"k" => gs.fill_white = [f(0), f(1), f(2), f(3)].iter().all(|v| *v < 1.0 - white),
                b"sc" | b"scn" => {
                    let nums = a.iter().filter_map(Operand::as_float);
                    let (n, all_light, all_dark) = nums.fold((0, true, true), |(n, l, d), v| (n + 1, l && v > white, d && v < 1.0 - white));
                    gs.fill_white = match n {
                        1 | 3 => all_light,
                        4 => all_dark,
                        _ => false,
                    };
                }
                b"m" => path.push(PathPart::Move(f(0), f(1))),
                b"l" => path.push(PathPart::Line(f(0), f(1))),
                b"c" => path.push(PathPart::Curve(f(4), f(5))),
                b"v" | b"y" => path.push(PathPart::Curve(f(2), f(3))),
                b"re" => path.push(PathPart::Rect(f(0), f(1), f(2), f(3))),
                b"h" => path.push(PathPart::Close),
                b"S" | b"s" => {
                    self.emit_path(&path, &gs, ink, PaintKind::Stroke);
                    path.clear();
                }
                b"f" | b"F" | b"f*" => {
                    if !gs.fill_white {
                        self.emit_path(&path, &gs, ink, PaintKind::Fill);
                    }
                    path.clear();
                }
                b"B" | b"B*" | b"b" | b"b*" => {
                    self.emit_path(&path, &gs, ink, PaintKind::Stroke);
                    path.clear();
                }
                b"n" => path.clear(),
                b"Do" => {
                    let Some(name) = a.first().and_then(Operand::as_name) else {
                        continue;
                    };
                    let Some((id, stream)) = self.xobject(ctx, name) else {
                        continue;
                    };
                    let sub = stream.dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
                    if sub == b"Image" {
                        ink.image_area += unit_square_area(&gs.ctm);
                        ink.images.push(PlacedImage { id, ctm: gs.ctm });
                    } else if sub == b"Form" && depth < MAX_FORM_DEPTH {
                        self.walk_form(stream, ctx, &gs, ink, depth, ops);
                    }
                }
                b"BI" => {
                    ink.image_area += unit_square_area(&gs.ctm);
                    ink.images.push(PlacedImage { id: None, ctm: gs.ctm });
                }
                _ => {}
            }
        }
    }

    fn walk_form(&mut self, stream: &'a lopdf::Stream, ctx: &Ctx<'a>, gs: &GState, ink: &mut PageInk, depth: usize, ops: &mut usize) {
        let doc = self.doc;
        let mut inner = gs.clone();
        if let Some(m) = deref(doc, stream.dict.get(b"Matrix").ok()).and_then(|o| o.as_array().ok()) {
            let v: Vec<f32> = m.iter().filter_map(|o| o.as_float().ok()).collect();
            if v.len() == 6 {
                inner.ctm = mul(&[v[0], v[1], v[2], v[3], v[4], v[5]], &inner.ctm);
            }
        }
        let data = match stream.decompressed_content_with_limit(self.max_stream) {
            Ok(d) => d,
            Err(_) if stream.dict.get(b"Filter").is_err() => stream.content.clone(),
            Err(_) => return,
        };
        let mut resources: Vec<&Dictionary> = Vec::new();
        if let Some(d) = deref(doc, stream.dict.get(b"Resources").ok()).and_then(|o| o.as_dict().ok()) {
            resources.push(d);
        }
        resources.extend(ctx.resources.iter().copied());
        self.walk_stream(&data, &Ctx { resources }, inner, ink, depth + 1, ops);
    }

    fn show(&mut self, s: &[u8], gs: &GState, tm: &mut M, ink: &mut PageInk, codes: &mut Vec<Code>) {
        let set = self.settings;
        let fallback;
        let font: &Font = match &gs.font {
            Some(f) => f,
            None => {
                fallback = Font::fallback();
                &fallback
            }
        };
        codes.clear();
        if s.len() > MAX_STRING_BYTES || ink.glyphs.len() >= MAX_GLYPHS_PER_PAGE {
            ink.truncated = true;
        }
        let room = (MAX_GLYPHS_PER_PAGE.saturating_sub(ink.glyphs.len()) * 4).min(MAX_STRING_BYTES);
        font.decode(&s[..s.len().min(room)], codes);
        // Each code's text moves into its glyph (no copy per glyph).
        for code in codes.iter_mut() {
            let trm = mul(&[gs.size * gs.hscale, 0.0, 0.0, gs.size, 0.0, gs.rise], &mul(tm, &gs.ctm));
            let (ox, oy) = apply(&trm, 0.0, 0.0);
            let extra = gs.char_space + if code.is_space_byte { gs.word_space } else { 0.0 };
            if font.vertical {
                let (ex, _) = apply(&trm, 1.0, 0.0);
                let size = ((trm[2]).powi(2) + (trm[3]).powi(2)).sqrt();
                push_glyph(ink, std::mem::take(&mut code.text), ox.min(ex), ox.max(ex), oy, size, set);
                *tm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -(gs.size) - extra], tm);
                continue;
            }
            let adv = code.advance * gs.size;
            let (ex, ey) = apply(&trm, code.advance, 0.0);
            let size = ((trm[2]).powi(2) + (trm[3]).powi(2)).sqrt();
            // Only text running left to right in view space is laid out as lines; other
            // directions keep their origin so they still land in the right cell.
            let ink_shown = !code.text.trim().is_empty();
            if (ey - oy).abs() <= (ex - ox).abs() * set.upright_slope && ex >= ox {
                ink.direction.upright += usize::from(ink_shown);
                push_glyph(ink, std::mem::take(&mut code.text), ox, ex, oy, size, set);
            } else {
                if (ey - oy).abs() > (ex - ox).abs() * set.vertical_slope && ink_shown {
                    if ey < oy {
                        ink.direction.up += 1;
                    } else {
                        ink.direction.down += 1;
                    }
                }
                let w = size * set.vertical_glyph_width_em;
                push_glyph(ink, std::mem::take(&mut code.text), ox - w / 2.0, ox + w / 2.0, oy, size, set);
            }
            let tx = (adv + extra) * gs.hscale;
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
        }
    }

    fn emit_path(&mut self, path: &[PathPart], gs: &GState, ink: &mut PageInk, kind: PaintKind) {
        let m = &gs.ctm;
        let mut start: Option<(f32, f32)> = None;
        let mut cur: Option<(f32, f32)> = None;
        let mut poly: Vec<(f32, f32)> = Vec::new();
        let mut polys: Vec<Vec<(f32, f32)>> = Vec::new();
        for part in path {
            match *part {
                PathPart::Move(x, y) => {
                    if poly.len() > 1 {
                        polys.push(std::mem::take(&mut poly));
                    }
                    poly.clear();
                    let p = apply(m, x, y);
                    poly.push(p);
                    start = Some(p);
                    cur = Some(p);
                }
                PathPart::Line(x, y) => {
                    let p = apply(m, x, y);
                    if cur.is_none() {
                        start = Some(p);
                    }
                    poly.push(p);
                    cur = Some(p);
                }
                PathPart::Curve(x, y) => {
                    // A curve breaks a polyline: keep what came before, restart at its end.
                    if poly.len() > 1 {
                        polys.push(std::mem::take(&mut poly));
                    }
                    poly.clear();
                    let p = apply(m, x, y);
                    poly.push(p);
                    cur = Some(p);
                }
                PathPart::Close => {
                    if let Some(s) = start {
                        poly.push(s);
                    }
                    if poly.len() > 1 {
                        polys.push(std::mem::take(&mut poly));
                    }
                    poly.clear();
                    if let Some(s) = start {
                        poly.push(s);
                    }
                    cur = start;
                }
                PathPart::Rect(x, y, w, h) => {
                    let pts = [apply(m, x, y), apply(m, x + w, y), apply(m, x + w, y + h), apply(m, x, y + h)];
                    self.emit_rect(&pts, ink, kind);
                }
            }
        }
        if poly.len() > 1 {
            polys.push(poly);
        }
        for p in polys {
            if kind == PaintKind::Fill {
                // Word and WPS draw cell borders as thin filled quadrilaterals.
                if p.len() >= 4 && p.len() <= 6 {
                    self.emit_rect(&p, ink, kind);
                }
                continue;
            }
            for w in p.windows(2) {
                push_seg(ink, w[0], w[1], self.settings.straight_tol);
            }
        }
    }

    fn emit_rect(&mut self, pts: &[(f32, f32)], ink: &mut PageInk, kind: PaintKind) {
        let xs = pts.iter().map(|p| p.0);
        let ys = pts.iter().map(|p| p.1);
        let (x0, x1) = (xs.clone().fold(f32::MAX, f32::min), xs.fold(f32::MIN, f32::max));
        let (y0, y1) = (ys.clone().fold(f32::MAX, f32::min), ys.fold(f32::MIN, f32::max));
        let (w, h) = (x1 - x0, y1 - y0);
        if !(w.is_finite() && h.is_finite()) {
            return;
        }
        let (thin, tol) = (self.settings.ruling_max_thickness, self.settings.straight_tol);
        if h <= thin && w > h {
            push_seg(ink, (x0, (y0 + y1) / 2.0), (x1, (y0 + y1) / 2.0), tol);
        } else if w <= thin && h > w {
            push_seg(ink, ((x0 + x1) / 2.0, y0), ((x0 + x1) / 2.0, y1), tol);
        } else if kind == PaintKind::Stroke || (kind == PaintKind::Fill && w < ink.width * self.settings.shaded_cell_max_width) {
            // A stroked rectangle, or a shaded cell: its edges are cell borders.
            push_seg(ink, (x0, y0), (x1, y0), tol);
            push_seg(ink, (x0, y1), (x1, y1), tol);
            push_seg(ink, (x0, y0), (x0, y1), tol);
            push_seg(ink, (x1, y0), (x1, y1), tol);
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum PaintKind {
    Stroke,
    Fill,
}

fn push_glyph(ink: &mut PageInk, text: EcoString, x0: f32, x1: f32, base: f32, size: f32, set: &TableSettings) {
    if text.is_empty() || !(x0.is_finite() && x1.is_finite() && base.is_finite() && size.is_finite()) {
        return;
    }
    if ink.glyphs.len() >= MAX_GLYPHS_PER_PAGE {
        ink.truncated = true;
        return;
    }
    if text.chars().all(char::is_whitespace) {
        ink.space_end = Some(x1);
        return;
    }
    let after_space = ink.space_end.take().is_some_and(|end| (x0 - end).abs() < size * set.typed_space_reach_em);
    ink.glyphs.push(Glyph { text, x0, x1, base, size: size.max(set.min_glyph_size), after_space, conf: None });
}

fn push_seg(ink: &mut PageInk, p: (f32, f32), q: (f32, f32), tol: f32) {
    if ink.segs.len() >= MAX_SEGS_PER_PAGE || !(p.0.is_finite() && p.1.is_finite() && q.0.is_finite() && q.1.is_finite()) {
        return;
    }
    let (dx, dy) = ((q.0 - p.0).abs(), (q.1 - p.1).abs());
    if dy <= tol && dx > tol {
        ink.segs.push(Seg { horizontal: true, pos: (p.1 + q.1) / 2.0, a: p.0.min(q.0), b: p.0.max(q.0) });
    } else if dx <= tol && dy > tol {
        ink.segs.push(Seg { horizontal: false, pos: (p.0 + q.0) / 2.0, a: p.1.min(q.1), b: p.1.max(q.1) });
    }
}

/// The matrix from user space to the page as displayed (top-left origin), and the page's
/// displayed width and height.
fn view_matrix(media: [f32; 4], rotate: i64) -> (M, f32, f32) {
    let [mx0, my0, mx1, my1] = media;
    match rotate {
        90 => ([0.0, 1.0, 1.0, 0.0, -my0, -mx0], my1 - my0, mx1 - mx0),
        180 => ([-1.0, 0.0, 0.0, 1.0, mx1, -my0], mx1 - mx0, my1 - my0),
        270 => ([0.0, -1.0, -1.0, 0.0, my1, mx1], my1 - my0, mx1 - mx0),
        _ => ([1.0, 0.0, 0.0, -1.0, -mx0, my1], mx1 - mx0, my1 - my0),
    }
}

fn unit_square_area(m: &M) -> f32 {
    (m[0] * m[3] - m[1] * m[2]).abs()
}

/// MediaBox (falling back to A4) and /Rotate, both inheritable through the page tree.
fn page_geometry(doc: &Document, page_id: ObjectId) -> ([f32; 4], i64) {
    let mut media: Option<[f32; 4]> = None;
    let mut rotate: Option<i64> = None;
    let mut node = doc.get_dictionary(page_id).ok();
    for _ in 0..32 {
        let Some(d) = node else { break };
        if media.is_none() {
            let boxed = deref(doc, d.get(b"CropBox").ok()).or_else(|| deref(doc, d.get(b"MediaBox").ok()));
            if let Some(arr) = boxed.and_then(|o| o.as_array().ok()) {
                let v: Vec<f32> = arr.iter().filter_map(|o| deref(doc, Some(o)).and_then(|o| o.as_float().ok())).collect();
                if v.len() == 4 && v.iter().all(|x| x.is_finite()) {
                    media = Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])]);
                }
            }
        }
        if rotate.is_none() {
            rotate = deref(doc, d.get(b"Rotate").ok()).and_then(|o| o.as_i64().ok());
        }
        node = d.get(b"Parent").ok().and_then(|o| o.as_reference().ok()).and_then(|id| doc.get_dictionary(id).ok());
    }
    let media = media.filter(|m| m[2] - m[0] > 1.0 && m[3] - m[1] > 1.0).unwrap_or([0.0, 0.0, 595.0, 842.0]);
    (media, rotate.unwrap_or(0).rem_euclid(360))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field more on the glyph costs every page of every PDF: keep it at 40 bytes.
    #[test]
    fn a_glyph_stays_forty_bytes() {
        assert_eq!(std::mem::size_of::<Glyph>(), 40);
    }
}
