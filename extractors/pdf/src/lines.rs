//! Glyphs → visual lines → words. Lines are grouped by baseline, not by glyph box: CJK fonts
//! give Latin digits and punctuation boxes far from their neighbours (the period of `665.38`
//! can sit a whole point lower), but every glyph of a line shares the baseline.

use crate::settings::{TableSettings, ASCENT_EM, DESCENT_EM};
use crate::walker::Glyph;

/// A run of glyphs on one line with no column-sized gap inside.
#[derive(Debug, Clone)]
pub(crate) struct Chunk {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Where a space was put between words, or where CJK glyphs set solid stand a seam apart
    /// (see `seam_gap_em`; no space written): its byte offset in `text` (of the space, or of
    /// the glyph after the seam) and the x1 and x0 of the words it parts, so that a chunk
    /// crossing columns can be cut between them.
    pub breaks: Vec<(usize, f32, f32)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub chunks: Vec<Chunk>,
    pub base: f32,
    pub size: f32,
    pub x0: f32,
    pub x1: f32,
    /// Extra height below the baseline when stacked lines were joined into this one.
    pub extra: f32,
}

impl Line {
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, c) in self.chunks.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&c.text);
        }
        s
    }
    pub fn top(&self) -> f32 {
        self.base - self.size * ASCENT_EM
    }
    pub fn bottom(&self) -> f32 {
        self.base + self.size * DESCENT_EM + self.extra
    }
}

pub(crate) fn is_cjk(c: char) -> bool {
    let u = c as u32;
    (0x2E80..=0x9FFF).contains(&u) || (0xF900..=0xFAFF).contains(&u) || (0xFF00..=0xFFEF).contains(&u) || (0x20000..=0x2FFFF).contains(&u)
}

/// Groups glyphs into lines, top to bottom, each left to right.
pub(crate) fn build_lines(glyphs: &[&Glyph], s: &TableSettings) -> Vec<Line> {
    let mut order: Vec<&Glyph> = glyphs.to_vec();
    order.sort_by(|a, b| a.base.total_cmp(&b.base).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    let mut cur_base = f32::MIN;
    let mut cur_size = 0.0f32;
    for g in order {
        let tol = (cur_size.max(g.size) * s.baseline_tol_em).max(s.baseline_tol_min);
        match groups.last_mut() {
            Some(last) if (g.base - cur_base).abs() <= tol => {
                last.push(g);
                cur_size = cur_size.max(g.size);
            }
            _ => {
                groups.push(vec![g]);
                cur_base = g.base;
                cur_size = g.size;
            }
        }
    }
    groups.into_iter().filter_map(|mut gs| line_of(&mut gs, s)).collect()
}

fn line_of(gs: &mut [&Glyph], s: &TableSettings) -> Option<Line> {
    gs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    // The most common size and baseline stand for the line (a superscript must not move it).
    let size = median(gs.iter().map(|g| g.size));
    let base = median(gs.iter().map(|g| g.base));
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut prev: Option<&Glyph> = None;
    for g in gs.iter() {
        if let Some(p) = prev {
            // Fake bold: the same glyph printed twice a hair apart.
            if p.text == g.text && (g.x0 - p.x0).abs() < p.size.min(g.size) * s.fake_bold_em && (g.base - p.base).abs() < s.fake_bold_rise {
                continue;
            }
        }
        let gap = prev.map(|p| g.x0 - p.x1);
        // Office software moves to the next column: an em of clear space parts cells. Typed
        // spaces (目   录, 项  目) part them only when wider.
        let chunk_gap = if g.after_space { (size * s.typed_gap_em).max(s.typed_gap_min) } else { (size * s.cell_gap_em).max(s.cell_gap_min) };
        match (gap, chunks.last_mut()) {
            // An amount is a cell's whole text: clear space after one starts the next cell
            // (any space at all before another figure).
            (Some(gap), Some(c)) if gap < chunk_gap && !(gap >= size * amount_gap(&g.text, s) && ends_with_amount(&c.text)) => {
                match word_break(c.text.chars().last(), g.text.chars().next(), gap, size, s) {
                    Some(WordBreak::Space) => {
                        c.breaks.push((c.text.len(), c.x1, g.x0));
                        c.text.push(' ');
                    }
                    Some(WordBreak::Seam) => c.breaks.push((c.text.len(), c.x1, g.x0)),
                    None => {}
                }
                c.text.push_str(&g.text);
                c.x1 = c.x1.max(g.x1);
            }
            _ => chunks.push(Chunk { text: g.text.to_string(), x0: g.x0, x1: g.x1, breaks: Vec::new() }),
        }
        prev = Some(g);
    }
    chunks.iter_mut().for_each(keep_seams_between_words);
    let x0 = chunks.first()?.x0;
    let x1 = chunks.iter().map(|c| c.x1).fold(x0, f32::max);
    Some(Line { chunks, base, size, x0, x1, extra: 0.0 })
}

/// The clear space after an amount that parts cells, in ems: less before another figure.
fn amount_gap(next: &str, s: &TableSettings) -> f32 {
    let word = next.starts_with(|c: char| is_cjk(c) && !"万元亿千百十角分个%％，。、；：）)》".contains(c));
    if word || next.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        s.amount_figure_gap_em
    } else {
        s.amount_gap_em
    }
}

/// `3,643.37`, `0.50`: a figure with two decimals at the end of the text.
pub(crate) fn ends_with_amount(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 4 && b[b.len() - 3] == b'.' && b[b.len() - 2].is_ascii_digit() && b[b.len() - 1].is_ascii_digit() && b[b.len() - 4].is_ascii_digit()
}

/// A seam parts two words set solid, each of two glyphs or more. Glyphs each a seam apart
/// are one label spread over its cell (分散对齐, `预 算 数`), not labels set close.
fn keep_seams_between_words(c: &mut Chunk) {
    if c.breaks.is_empty() {
        return;
    }
    let ats: Vec<usize> = c.breaks.iter().map(|b| b.0).collect();
    let glyphs = |a: usize, b: usize| c.text[a..b].trim().chars().count();
    let keep: Vec<bool> = ats
        .iter()
        .enumerate()
        .map(|(k, &at)| {
            let seam = !c.text[at..].starts_with(' ');
            let (before, after) = (if k == 0 { 0 } else { ats[k - 1] }, ats.get(k + 1).copied().unwrap_or(c.text.len()));
            !seam || (glyphs(before, at) >= 2 && glyphs(at, after) >= 2)
        })
        .collect();
    let mut keep = keep.into_iter();
    c.breaks.retain(|_| keep.next().unwrap_or(true));
}

/// How two glyphs a gap apart within a chunk are parted.
enum WordBreak {
    /// A word space, written into the text.
    Space,
    /// CJK glyphs not set solid: two labels set close (`公用经费支出专项业务经费支出`), which
    /// columns may part; the text keeps no space.
    Seam,
}

fn word_break(a: Option<char>, b: Option<char>, gap: f32, size: f32, s: &TableSettings) -> Option<WordBreak> {
    let (Some(a), Some(b)) = (a, b) else {
        return None;
    };
    if !(is_cjk(a) || is_cjk(b)) {
        return (gap > size * s.word_space_latin_em).then_some(WordBreak::Space);
    }
    if gap > size * s.word_space_cjk_em {
        Some(WordBreak::Space)
    } else if is_cjk(a) && is_cjk(b) && gap > size * s.seam_gap_em {
        Some(WordBreak::Seam)
    } else {
        None
    }
}

pub(crate) fn median(it: impl Iterator<Item = f32>) -> f32 {
    let mut v: Vec<f32> = it.collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v[v.len() / 2]
}

/// Joins the wrapped lines of one cell: a number broken after `6,190,000.` continues with
/// `00` without a separator, CJK text continues without a space, other text gets one.
pub(crate) fn join_wrapped(parts: &[String]) -> String {
    let mut out = String::new();
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), p.chars().next()) {
            let numeric = |c: char| c.is_ascii_digit() || c == '.' || c == ',' || c == '-';
            let glue = (numeric(a) && numeric(b)) || is_cjk(a) || is_cjk(b) || a == '-' || b == ')' || b == '）';
            if !glue {
                out.push(' ');
            }
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(t: &str, x0: f32, base: f32) -> Glyph {
        Glyph { text: t.into(), x0, x1: x0 + 10.0, base, size: 10.0, after_space: false, conf: None }
    }

    #[test]
    fn baseline_groups_despite_offset_boxes() {
        let gs = [g("6", 0.0, 100.0), g(".", 10.0, 100.4), g("5", 20.0, 100.0), g("下", 0.0, 115.0)];
        let refs: Vec<&Glyph> = gs.iter().collect();
        let lines = build_lines(&refs, &TableSettings::DEFAULT);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text(), "6.5");
    }

    /// Glyphs 10 wide at `x`, one per character of `text`, typed spaces marked.
    fn run(text: &str, x: f32, typed_space: bool) -> Vec<Glyph> {
        text.chars().enumerate().map(|(i, c)| Glyph { after_space: typed_space && i == 0, ..g(&c.to_string(), x + 10.0 * i as f32, 100.0) }).collect()
    }

    fn chunks_of(parts: &[Vec<Glyph>]) -> Vec<String> {
        let gs: Vec<Glyph> = parts.concat();
        let refs: Vec<&Glyph> = gs.iter().collect();
        build_lines(&refs, &TableSettings::DEFAULT)[0].chunks.iter().map(|c| c.text.clone()).collect()
    }

    #[test]
    fn cells_part_at_an_em_of_clear_space_or_after_an_amount() {
        // An em apart: two cells; typed spaces of an em: one text.
        assert_eq!(chunks_of(&[run("合计", 0.0, false), run("行次", 30.0, false)]), ["合计", "行次"]);
        assert_eq!(chunks_of(&[run("目", 0.0, false), run("录", 20.0, true)]), ["目 录"]);
        // Half an em after an amount: the next cell.
        assert_eq!(chunks_of(&[run("1.50", 0.0, false), run("合计", 45.0, false)]), ["1.50", "合计"]);
        assert_eq!(chunks_of(&[run("第1", 0.0, false), run("页", 25.0, false)]), ["第1页"]);
        // Two amounts never share a cell, however close.
        assert_eq!(chunks_of(&[run("1.50", 0.0, false), run("2.00", 42.0, false)]), ["1.50", "2.00"]);
    }

    /// Glyphs 10 wide at `x`, `gap` apart.
    fn spaced(text: &str, x: f32, gap: f32) -> Vec<Glyph> {
        text.chars().enumerate().map(|(i, c)| g(&c.to_string(), x + (10.0 + gap) * i as f32, 100.0)).collect()
    }

    #[test]
    fn labels_set_close_part_at_their_seam_and_spread_labels_stay_whole() {
        // Two labels two points apart (a fifth of an em): one chunk, no space, one seam.
        let gs = [run("公用经费", 0.0, false), run("专项业务", 42.0, false)].concat();
        let refs: Vec<&Glyph> = gs.iter().collect();
        let line = &build_lines(&refs, &TableSettings::DEFAULT)[0];
        assert_eq!(line.text(), "公用经费专项业务");
        assert_eq!(line.chunks[0].breaks, [("公用经费".len(), 40.0, 42.0)]);
        // A label spread over its cell, each glyph the same two points apart: no seams.
        let gs = spaced("预算数", 0.0, 2.0);
        let refs: Vec<&Glyph> = gs.iter().collect();
        let line = &build_lines(&refs, &TableSettings::DEFAULT)[0];
        assert_eq!((line.text().as_str(), line.chunks[0].breaks.len()), ("预算数", 0));
    }

    #[test]
    fn wrapped_numbers_and_cjk_join_without_space() {
        assert_eq!(join_wrapped(&["6,190,000.".into(), "00".into()]), "6,190,000.00");
        assert_eq!(join_wrapped(&["一、一般公共预算".into(), "财政拨款收入".into()]), "一、一般公共预算财政拨款收入");
        assert_eq!(join_wrapped(&["Total".into(), "amount".into()]), "Total amount");
    }
}
