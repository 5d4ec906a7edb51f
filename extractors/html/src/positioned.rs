//! Pages converted from PDF into absolutely positioned elements: every text run a
//! `<div style="position:absolute; top:…; left:…; font-size:…">`, every cell border an empty
//! positioned `<div>` with `border-bottom` or `border-right`, each PDF page a positioned
//! container (`<div class="page" style="position:relative; width:…; height:…">`). In source
//! order such text is a heap of fragments; laid out by position — by the PDF reader's own
//! layout ([`gongkai_pdf::layout_placed`]) — it gives back the lines and tables printed.

use std::collections::{HashMap, HashSet};

use ego_tree::{NodeId, NodeRef};
use gongkai_model::Block;
use gongkai_pdf::{PlacedPage, PlacedRule, PlacedText};
use scraper::node::Element;
use scraper::Node;

use crate::text;
// The walk below is recursive like the flowing reader's, and stops at the same depth:
// deeper content is left to the flowing reader.
use crate::walk::MAX_DEPTH;

/// At least this many positioned text runs, holding at least this share of the page's
/// visible text, before a page is read by position (an article with a few positioned
/// badges stays a flowing page).
const MIN_RUNS: usize = 8;
const MIN_SHARE: f32 = 0.5;
/// Font size when none is set: the browser default, 16px.
const DEFAULT_SIZE: f32 = 12.0;
/// A filled box this thin (in points) is a ruling.
const RULE_THICKNESS: f32 = 2.5;

/// The positioned part of a page, laid out.
pub struct Positioned {
    /// The page containers, in document order; the walker emits `blocks` at the first one
    /// and leaves their positioned children out of the flowing text.
    pub containers: Vec<NodeId>,
    /// Positioned elements (text runs and rulings), not walked as flowing text.
    pub placed: HashSet<NodeId>,
    pub blocks: Vec<Block>,
    pub pages: u32,
    /// The layout's notes (a page cut at the PDF reader's limits).
    pub warnings: Vec<String>,
}

/// Reads the positioned part of the page, when most of its text is positioned.
pub fn read(
    root: NodeRef<'_, Node>,
    is_ignored: impl Fn(NodeRef<'_, Node>, &Element) -> bool,
) -> Option<Positioned> {
    let mut c = Collector {
        is_ignored: &is_ignored,
        containers: Vec::new(),
        by_node: HashMap::new(),
        items: Vec::new(),
        placed: HashSet::new(),
        flow_chars: 0,
    };
    // Positioned elements without a positioned ancestor are placed on the document.
    c.visit(root, Some(root), DEFAULT_SIZE, 0);
    let texts = c.items.iter().filter_map(|(_, it)| match it {
        Item::Text(t) => Some(t),
        Item::Rule(_) => None,
    });
    let (runs, positioned_chars) = texts.fold((0, 0), |(n, chars), t| {
        (
            n + 1,
            chars + t.text.chars().filter(|ch| !ch.is_whitespace()).count(),
        )
    });
    if runs < MIN_RUNS
        || (positioned_chars as f32) < c.flow_chars.max(1) as f32 * MIN_SHARE / (1.0 - MIN_SHARE)
    {
        return None;
    }
    let pages = pages_of(&c.containers, c.items);
    let doc = gongkai_pdf::layout_placed(pages);
    Some(Positioned {
        containers: c.containers.iter().map(|k| k.node).collect(),
        placed: c.placed,
        blocks: doc.blocks,
        pages: doc.pages.unwrap_or(0),
        warnings: doc.warnings,
    })
}

/// The pages: one per container that gives its height (a converted PDF page). A container
/// without one may hold several pages drawn over each other, their offsets starting again
/// from the top: a text run placed where one of the current page already stands starts the
/// next page. Such a container's size is what it holds.
fn pages_of(containers: &[Container], items: Vec<(usize, Item)>) -> Vec<PlacedPage> {
    let mut per: Vec<Vec<Item>> = containers.iter().map(|_| Vec::new()).collect();
    for (k, it) in items {
        per[k].push(it);
    }
    let mut pages = Vec::new();
    for (k, items) in containers.iter().zip(per) {
        let sized = k.height > 0.0;
        let new_page = || PlacedPage {
            width: k.width,
            height: k.height,
            ..Default::default()
        };
        let mut page = new_page();
        // Where runs of the current page start, to one point.
        let mut taken: HashSet<(i32, i32)> = HashSet::new();
        for it in items {
            match it {
                Item::Text(t) => {
                    let at = (t.base.round() as i32, t.x0.round() as i32);
                    if !sized && !taken.insert(at) {
                        pages.push(std::mem::replace(&mut page, new_page()));
                        taken.clear();
                        taken.insert(at);
                    }
                    page.texts.push(t);
                }
                Item::Rule(r) => page.rules.push(r),
            }
        }
        pages.push(page);
    }
    for p in &mut pages {
        let right = p.texts.iter().map(|t| t.x1.unwrap_or(t.x0));
        let right = right.chain(
            p.rules
                .iter()
                .map(|r| if r.horizontal { r.to } else { r.pos }),
        );
        let bottom = p.texts.iter().map(|t| t.base);
        let bottom = bottom.chain(
            p.rules
                .iter()
                .map(|r| if r.horizontal { r.pos } else { r.to }),
        );
        if p.width <= 0.0 {
            p.width = right.fold(0.0, f32::max);
        }
        if p.height <= 0.0 {
            p.height = bottom.fold(0.0, f32::max) + DEFAULT_SIZE;
        }
    }
    pages
}

struct Container {
    node: NodeId,
    width: f32,
    height: f32,
}

enum Item {
    Text(PlacedText),
    Rule(PlacedRule),
}

struct Collector<'f, F> {
    is_ignored: &'f F,
    containers: Vec<Container>,
    by_node: HashMap<NodeId, usize>,
    /// Text runs and rulings in source order, each with its container.
    items: Vec<(usize, Item)>,
    placed: HashSet<NodeId>,
    /// Visible characters outside positioned elements.
    flow_chars: usize,
}

impl<F: Fn(NodeRef<'_, Node>, &Element) -> bool> Collector<'_, F> {
    /// `frame` is the nearest ancestor that positions its children (a page), `size` the font
    /// size inherited.
    fn visit(
        &mut self,
        node: NodeRef<'_, Node>,
        frame: Option<NodeRef<'_, Node>>,
        size: f32,
        depth: usize,
    ) {
        if depth >= MAX_DEPTH {
            return;
        }
        for child in node.children() {
            match child.value() {
                Node::Text(t) => {
                    self.flow_chars += t.chars().filter(|c| !c.is_whitespace()).count()
                }
                Node::Element(el) if (self.is_ignored)(child, el) => {}
                Node::Element(el) => {
                    let style = Style::parse(el.attr("style").unwrap_or(""));
                    let size = style.length("font-size", size).unwrap_or(size);
                    match (frame, style.placed()) {
                        (Some(frame), Some((left, top))) => {
                            let k = self.container(frame);
                            self.placed_element(child, k, &style, left, top, size, depth)
                        }
                        _ => {
                            let frames = style.is_frame() || style.length("height", size).is_some();
                            let frame = if frames { Some(child) } else { frame };
                            self.visit(child, frame, size, depth + 1)
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn container(&mut self, frame: NodeRef<'_, Node>) -> usize {
        if let Some(&k) = self.by_node.get(&frame.id()) {
            return k;
        }
        let style = frame
            .value()
            .as_element()
            .map(|e| Style::parse(e.attr("style").unwrap_or("")))
            .unwrap_or_default();
        let k = self.containers.len();
        let (width, height) = (
            style.length("width", DEFAULT_SIZE).unwrap_or(0.0),
            style.length("height", DEFAULT_SIZE).unwrap_or(0.0),
        );
        self.containers.push(Container {
            node: frame.id(),
            width,
            height,
        });
        self.by_node.insert(frame.id(), k);
        k
    }

    #[allow(clippy::too_many_arguments)]
    fn placed_element(
        &mut self,
        node: NodeRef<'_, Node>,
        k: usize,
        style: &Style,
        left: f32,
        top: f32,
        size: f32,
        depth: usize,
    ) {
        self.placed.insert(node.id());
        let width = style.length("width", size);
        let height = style.length("height", size);
        for rule in style.rules(left, top, width, height, size) {
            self.items.push((k, Item::Rule(rule)));
        }
        // Its text, line by line (`<br>`), without positioned elements inside it: those are
        // placed relative to this one.
        let mut raw = String::new();
        let mut inner = Vec::new();
        gather(node, &mut raw, &mut inner, self.is_ignored, depth);
        let line_height = style.line_height(size);
        // The line box centres the em box; a CJK font's ascent is 0.88 em.
        let base0 = top + (line_height - size) / 2.0 + size * 0.88;
        let lines = raw.split(text::HARD_BREAK).map(collapse_spaces);
        let lines = lines.filter(|l| !l.trim_matches('\u{3000}').is_empty());
        for (i, line) in lines.enumerate() {
            let x1 = width.filter(|w| *w > 0.0).map(|w| left + w);
            let base = base0 + line_height * i as f32;
            self.items.push((
                k,
                Item::Text(PlacedText {
                    text: line,
                    x0: left,
                    x1,
                    base,
                    size,
                }),
            ));
        }
        for child in inner.into_iter().filter_map(|id| node.tree().get(id)) {
            let Some(el) = child.value().as_element() else {
                continue;
            };
            let inner_style = Style::parse(el.attr("style").unwrap_or(""));
            let inner_size = inner_style.length("font-size", size).unwrap_or(size);
            if let Some((l, t)) = inner_style.placed() {
                self.placed_element(
                    child,
                    k,
                    &inner_style,
                    left + l,
                    top + t,
                    inner_size,
                    depth + 1,
                );
            }
        }
    }
}

/// HTML's white space collapsing, for one line: runs of spaces, tabs and newlines become one
/// space, trimmed at both ends. Ideographic spaces and no-break spaces are printed spaces and
/// stay (an indented item name keeps its indent).
fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split([' ', '\t', '\n', '\r', '\u{c}'])
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.replace('\u{a0}', " ")
}

/// The text of a positioned element with `<br>` and block ends as hard breaks; positioned
/// descendants are returned instead.
fn gather<F: Fn(NodeRef<'_, Node>, &Element) -> bool>(
    node: NodeRef<'_, Node>,
    out: &mut String,
    inner: &mut Vec<NodeId>,
    is_ignored: &F,
    depth: usize,
) {
    if depth >= MAX_DEPTH {
        return;
    }
    for child in node.children() {
        match child.value() {
            Node::Text(t) => text::push_text(out, t),
            Node::Element(el) if is_ignored(child, el) => {}
            Node::Element(el) if el.name() == "br" => out.push(text::HARD_BREAK),
            Node::Element(el)
                if Style::parse(el.attr("style").unwrap_or(""))
                    .placed()
                    .is_some() =>
            {
                inner.push(child.id())
            }
            Node::Element(el) if matches!(el.name(), "div" | "p" | "li" | "tr") => {
                out.push(text::HARD_BREAK);
                gather(child, out, inner, is_ignored, depth + 1);
                out.push(text::HARD_BREAK);
            }
            Node::Element(_) => gather(child, out, inner, is_ignored, depth + 1),
            _ => {}
        }
    }
}

/// An inline `style` attribute's declarations (names lower-cased, values trimmed).
#[derive(Default)]
struct Style {
    decls: Vec<(String, String)>,
}

impl Style {
    fn parse(s: &str) -> Style {
        let decls = s
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(k, v)| {
                (
                    k.trim().to_ascii_lowercase(),
                    v.trim()
                        .trim_end_matches("!important")
                        .trim()
                        .to_ascii_lowercase(),
                )
            })
            .collect();
        Style { decls }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.decls
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A length in points (`pt`, `px`, `em` of `size`, a bare number as pixels).
    fn length(&self, name: &str, size: f32) -> Option<f32> {
        length(self.get(name)?, size)
    }

    /// (left, top) of an absolutely positioned element. `position:absolute` may come from a
    /// class rule, so any element placed by `top` and `left` that is not said to be in the
    /// flow counts.
    fn placed(&self) -> Option<(f32, f32)> {
        if matches!(self.get("position"), Some("relative" | "static" | "sticky")) {
            return None;
        }
        Some((
            self.length("left", DEFAULT_SIZE)?,
            self.length("top", DEFAULT_SIZE)?,
        ))
    }

    /// An element whose positioned children are placed relative to it.
    fn is_frame(&self) -> bool {
        matches!(
            self.get("position"),
            Some("relative" | "absolute" | "fixed")
        )
    }

    fn line_height(&self, size: f32) -> f32 {
        match self.get("line-height") {
            Some(v) => match v.parse::<f32>() {
                Ok(factor) if factor > 0.0 => factor * size,
                _ => length(v, size).filter(|h| *h > 0.0).unwrap_or(size * 1.2),
            },
            None => size * 1.2,
        }
    }

    /// The borders it draws (`border-bottom:0.5pt solid #000`), and the box itself when it
    /// is a thin filled bar.
    fn rules(
        &self,
        left: f32,
        top: f32,
        width: Option<f32>,
        height: Option<f32>,
        size: f32,
    ) -> Vec<PlacedRule> {
        let (w, h) = (
            width.unwrap_or(0.0).max(0.0),
            height.unwrap_or(0.0).max(0.0),
        );
        let mut out = Vec::new();
        let all = self.get("border").and_then(|v| border_width(v, size));
        let side = |name: &str| self.get(name).map_or(all, |v| border_width(v, size));
        let (bt, br, bb, bl) = (
            side("border-top"),
            side("border-right"),
            side("border-bottom"),
            side("border-left"),
        );
        let (right, bottom) = (
            left + w + bl.unwrap_or(0.0) + br.unwrap_or(0.0),
            top + h + bt.unwrap_or(0.0) + bb.unwrap_or(0.0),
        );
        // Each border drawn is a rule along that edge, centred in the border's width.
        let edges = [
            (bt.map(|t| top + t / 2.0), true, left, right),
            (bb.map(|b| bottom - b / 2.0), true, left, right),
            (bl.map(|l| left + l / 2.0), false, top, bottom),
            (br.map(|r| right - r / 2.0), false, top, bottom),
        ];
        for (pos, horizontal, from, to) in edges {
            if let Some(pos) = pos {
                out.push(PlacedRule { horizontal, pos, from, to });
            }
        }
        let filled = ["background", "background-color"].iter().any(|p| {
            self.get(p).is_some_and(|v| {
                !matches!(v, "none" | "transparent" | "#fff" | "#ffffff" | "white")
            })
        });
        if out.is_empty() && filled && w > 0.0 && h > 0.0 {
            if h <= RULE_THICKNESS && w > h {
                out.push(PlacedRule {
                    horizontal: true,
                    pos: top + h / 2.0,
                    from: left,
                    to: left + w,
                });
            } else if w <= RULE_THICKNESS && h > w {
                out.push(PlacedRule {
                    horizontal: false,
                    pos: left + w / 2.0,
                    from: top,
                    to: top + h,
                });
            }
        }
        out
    }
}

/// The width of a drawn border (`0.5pt solid #000000`); `None` for none, hidden or zero.
fn border_width(v: &str, size: f32) -> Option<f32> {
    if v.split_whitespace().any(|w| matches!(w, "none" | "hidden")) {
        return None;
    }
    let width = v.split_whitespace().find_map(|w| match w {
        "thin" => Some(0.75),
        "medium" => Some(2.25),
        "thick" => Some(3.75),
        w => length(w, size),
    });
    // A style with no width given draws a medium border.
    let width = width.unwrap_or(2.25);
    (width > 0.0).then_some(width)
}

fn length(v: &str, size: f32) -> Option<f32> {
    let v = v.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(v.len());
    let n: f32 = v[..split].parse().ok()?;
    let pt = match v[split..].trim() {
        "pt" => n,
        "px" | "" => n * 0.75,
        "em" | "rem" => n * size,
        "in" => n * 72.0,
        "cm" => n * 72.0 / 2.54,
        "mm" => n * 72.0 / 25.4,
        _ => return None,
    };
    pt.is_finite().then_some(pt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HtmlExtractor;
    use gongkai_model::{Document, Extractor, Options};

    const ROWS: [[&str; 3]; 4] = [
        ["项目", "本年预算数", "上年预算数"],
        ["一、工资福利支出", "120.50", "100.00"],
        ["二、商品和服务支出", "30.25", "28.00"],
        ["合计", "150.75", "128.00"],
    ];
    const XS: [f32; 4] = [40.0, 200.0, 300.0, 400.0];
    const YS: [f32; 5] = [100.0, 120.0, 140.0, 160.0, 180.0];

    /// A site page holding one converted PDF page: a menu and a heading in the flow, then a
    /// positioned title and a 3 x 4 table whose cells come column by column (source order is
    /// not reading order), with its borders drawn as positioned `<div>`s when `ruled`.
    fn converted_page(ruled: bool) -> String {
        let cell = |x: f32, y: f32, t: &str| {
            format!(
                r#"<div class="p" style="top:{y}pt;left:{x}pt;line-height:10pt;font-size:10pt;width:auto;position:absolute;">{t}</div>"#
            )
        };
        let mut page = cell(150.0, 60.0, "测试单位收支表");
        for c in 0..3 {
            for (r, row) in ROWS.iter().enumerate() {
                page.push_str(&cell(XS[c] + 4.0, YS[r] + 5.0, row[c]));
            }
        }
        if ruled {
            for y in YS {
                page.push_str(&format!(r#"<div class="r" style="position:absolute;left:40pt;top:{y}pt;width:360pt;height:0pt;border-bottom:0.5pt solid #000000;"></div>"#));
            }
            for x in XS {
                page.push_str(&format!(r#"<div class="r" style="position:absolute;left:{x}pt;top:100pt;width:0pt;height:80pt;border-right:0.5pt solid #000000;"></div>"#));
            }
        }
        format!(
            r#"<html><body><ul class="links"><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li><li><a href="/b">财政信息</a></li></ul>
            <h1>2026年测试单位部门预算</h1><div id="zoom"><div class="page" style="width:595pt;height:842pt;position:relative;">{page}</div></div></body></html>"#
        )
    }

    fn read(html: &str) -> Document {
        HtmlExtractor
            .extract(html.as_bytes(), &Options::default())
            .expect("extract")
    }

    #[test]
    fn positioned_divs_are_laid_out_into_a_table() {
        for ruled in [true, false] {
            let doc = read(&converted_page(ruled));
            let tables: Vec<_> = doc.tables().collect();
            assert_eq!(tables.len(), 1, "ruled {ruled}:\n{}", doc.render());
            let want: Vec<Vec<String>> = ROWS
                .iter()
                .map(|r| r.iter().map(|t| t.to_string()).collect())
                .collect();
            assert_eq!(tables[0].text_grid(), want, "ruled {ruled}");
            let texts: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
            assert_eq!(
                texts,
                ["2026年测试单位部门预算", "测试单位收支表"],
                "ruled {ruled}"
            );
            assert_eq!(doc.pages, Some(1));
            assert_eq!(tables[0].cells[0].prov.page, Some(1));
            if ruled {
                // Read from the drawn borders: the table is the frame they make.
                let b = tables[0].prov.bbox.expect("bbox");
                assert!(
                    (b.x0 - 40.0).abs() < 1.0
                        && (b.x1 - 400.0).abs() < 1.0
                        && (b.y1 - 180.0).abs() < 1.0,
                    "{b:?}"
                );
            }
        }
    }

    #[test]
    fn pages_drawn_over_each_other_are_parted() {
        // One container without a height holding two pages whose offsets start again at the
        // top: the second page's heading lands where the first one's stands.
        let run = |y: f32, x: f32, t: &str| {
            format!(
                r#"<div style="position:absolute;top:{y}pt;left:{x}pt;font-size:10pt;line-height:10pt">{t}</div>"#
            )
        };
        let pages = [
            [
                ("一、工资福利支出", "120.50"),
                ("二、商品和服务支出", "30.25"),
            ],
            [("三、对个人和家庭的补助", "8.00"), ("合计", "158.75")],
        ];
        let mut html = String::from(r#"<html><body><div style="position:relative">"#);
        for rows in pages {
            html.push_str(&run(20.0, 300.0, "公开表1"));
            html.push_str(&run(40.0, 100.0, "支出情况表"));
            html.push_str(&run(60.0, 300.0, "单位：万元"));
            html.push_str(&(run(80.0, 40.0, "项目") + &run(80.0, 250.0, "金额")));
            for (i, (item, amount)) in rows.iter().enumerate() {
                let y = 100.0 + 20.0 * i as f32;
                html.push_str(&(run(y, 40.0, item) + &run(y, 250.0, amount)));
            }
        }
        html.push_str("</div></body></html>");
        let doc = read(&html);
        assert_eq!(doc.pages, Some(2), "{}", doc.render());
        let page_of = |needle: &str| {
            let paragraphs = doc
                .paragraphs()
                .filter(|p| p.text.contains(needle))
                .map(|p| p.prov.page);
            let cells = doc
                .tables()
                .flat_map(|t| &t.cells)
                .filter(|c| c.text.contains(needle))
                .map(|c| c.prov.page);
            paragraphs.chain(cells).collect::<Vec<_>>()
        };
        assert_eq!(page_of("一、工资福利支出"), [Some(1)], "{}", doc.render());
        assert_eq!(page_of("合计"), [Some(2)], "{}", doc.render());
        assert_eq!(
            page_of("支出情况表"),
            [Some(1), Some(2)],
            "{}",
            doc.render()
        );
    }

    #[test]
    fn a_few_positioned_elements_leave_a_page_flowing() {
        let html = r#"<html><body><div style="position:absolute;top:0;left:0">通知</div><p>一、部门职责</p><table><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1.00</td></tr></table></body></html>"#;
        let doc = read(html);
        assert_eq!(doc.pages, None);
        assert_eq!(
            doc.paragraphs().next().map(|p| p.text.as_str()),
            Some("通知")
        );
        assert_eq!(doc.tables().count(), 1);
    }

    #[test]
    fn lengths_in_points() {
        assert_eq!(length("12pt", 10.0), Some(12.0));
        assert_eq!(length("16px", 10.0), Some(12.0));
        assert_eq!(length("2em", 10.0), Some(20.0));
        assert_eq!(length("auto", 10.0), None);
        assert_eq!(border_width("0.5pt solid #000000", 10.0), Some(0.5));
        assert_eq!(border_width("none", 10.0), None);
    }
}
