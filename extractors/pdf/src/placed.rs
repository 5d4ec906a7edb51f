//! Layout for text and rulings placed by position in another format: HTML converted from a
//! PDF draws every text run and every cell border as an absolutely positioned element, and
//! such pages are read the way a PDF page is (lines, ruled and unruled tables, running lines
//! dropped, tables joined over page breaks) by the same code.

use gongkai_model::Document;

use crate::lines::is_cjk;
use crate::page;
use crate::walker::{Glyph, PageInk, Seg, MAX_GLYPHS_PER_PAGE, MAX_SEGS_PER_PAGE};

/// One page of placed content, in points, origin at the page's top-left, y growing downwards.
#[derive(Debug, Clone, Default)]
pub struct PlacedPage {
    pub width: f32,
    pub height: f32,
    pub texts: Vec<PlacedText>,
    pub rules: Vec<PlacedRule>,
}

/// A run of text on one line. Its glyphs are laid out from `x0` with the advances of a CJK
/// font (a full-width character one em, any other half an em), squeezed to end at `x1`
/// where the format gives the run's width and the estimate overshoots it.
#[derive(Debug, Clone, Default)]
pub struct PlacedText {
    pub text: String,
    pub x0: f32,
    pub x1: Option<f32>,
    /// Baseline.
    pub base: f32,
    /// Font size (em height).
    pub size: f32,
}

/// An axis-parallel ruling: horizontal at y = `pos` from x = `from` to `to`, or vertical at
/// x = `pos` from y = `from` to `to`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlacedRule {
    pub horizontal: bool,
    pub pos: f32,
    pub from: f32,
    pub to: f32,
}

/// Lays the pages out as the PDF reader lays out its pages: paragraphs for lines outside
/// tables, tables from rulings or from column alignment, a table continued over a page break
/// joined into one; page numbers and running headers dropped. Blocks carry their 1-based
/// page and bounding box. A page holding more than the PDF reader takes from one page is
/// cut there, with a warning.
pub fn layout_placed(pages: Vec<PlacedPage>) -> Document {
    let n = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    let inks = pages
        .into_iter()
        .zip(1..)
        .map(|(p, no)| (no, ink_of(p)))
        .collect();
    let mut doc = page::assemble(inks, &crate::settings::TableSettings::default(), "needs OCR");
    doc.pages = Some(n);
    doc
}

fn ink_of(p: PlacedPage) -> PageInk {
    let mut ink = PageInk {
        width: p.width,
        height: p.height,
        ..Default::default()
    };
    for t in &p.texts {
        if ink.glyphs.len() > MAX_GLYPHS_PER_PAGE {
            ink.truncated = true;
            break;
        }
        glyphs_of(t, &mut ink.glyphs);
    }
    let rules = p
        .rules
        .iter()
        .filter(|r| r.pos.is_finite() && r.from.is_finite() && r.to.is_finite());
    ink.segs = rules
        .map(|r| Seg {
            horizontal: r.horizontal,
            pos: r.pos,
            a: r.from.min(r.to),
            b: r.from.max(r.to),
        })
        .collect();
    if ink.segs.len() > MAX_SEGS_PER_PAGE {
        ink.segs.truncate(MAX_SEGS_PER_PAGE);
        ink.truncated = true;
    }
    ink
}

/// Advance of a character in ems in a CJK font: full-width forms one em, the rest half.
fn advance(c: char) -> f32 {
    if is_cjk(c) || c == '\u{3000}' || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
    {
        1.0
    } else {
        0.5
    }
}

fn glyphs_of(t: &PlacedText, out: &mut Vec<Glyph>) {
    let size = t.size.max(0.1);
    if !(t.x0.is_finite() && t.base.is_finite() && size.is_finite()) {
        return;
    }
    let natural: f32 = t.text.chars().map(advance).sum::<f32>() * size;
    let scale = match t.x1 {
        Some(x1) if x1.is_finite() && x1 > t.x0 && natural > x1 - t.x0 => (x1 - t.x0) / natural,
        _ => 1.0,
    };
    let mut x = t.x0;
    let mut after_space = false;
    for c in t.text.chars() {
        let w = advance(c) * size * scale;
        if c.is_whitespace() || c.is_control() {
            after_space = true;
        } else {
            out.push(Glyph {
                text: c.into(),
                x0: x,
                x1: x + w,
                base: t.base,
                size,
                after_space,
                conf: None,
            });
            after_space = false;
        }
        x += w;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_model::Block;

    fn text(s: &str, x0: f32, base: f32) -> PlacedText {
        PlacedText {
            text: s.into(),
            x0,
            x1: None,
            base,
            size: 10.0,
        }
    }

    #[test]
    fn aligned_runs_make_an_unruled_table() {
        let mut texts = vec![text("收支总体情况表", 100.0, 40.0)];
        let rows = [
            ("项目", "本年", "上年"),
            ("一、工资福利支出", "120.50", "100.00"),
            ("二、商品和服务支出", "30.25", "28.00"),
            ("合计", "150.75", "128.00"),
        ];
        for (i, (a, b, c)) in rows.iter().enumerate() {
            let base = 80.0 + 20.0 * i as f32;
            texts.extend([
                text(a, 40.0, base),
                text(b, 200.0, base),
                text(c, 300.0, base),
            ]);
        }
        let doc = layout_placed(vec![PlacedPage {
            width: 595.0,
            height: 842.0,
            texts,
            rules: Vec::new(),
        }]);
        let tables: Vec<_> = doc.tables().collect();
        assert_eq!(tables.len(), 1, "{}", doc.render());
        assert_eq!(tables[0].text_grid()[3], ["合计", "150.75", "128.00"]);
        assert!(matches!(&doc.blocks[0], Block::Paragraph(p) if p.text == "收支总体情况表"));
        assert_eq!(doc.pages, Some(1));
    }
}
