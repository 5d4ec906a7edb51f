//! Walks the parsed page in document order and emits paragraphs and tables, skipping what a
//! reader skips: scripts, styles, hidden elements, site navigation and page chrome.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use gongkai_model::{Block, Cell, Paragraph, Provenance, Table};
use scraper::node::Element;
use scraper::Node;

use crate::positioned::Positioned;
use crate::text::{self, HARD_BREAK};

/// Deeper than this, an element's text is gathered flat instead of walked: hostile pages nest
/// tens of thousands of `<div>`s, and the walk is recursive.
pub(crate) const MAX_DEPTH: usize = 200;
/// HTML's own ceilings for spans (the HTML standard clamps to these).
const MAX_COLSPAN: usize = 1000;
const MAX_ROWSPAN: usize = 65534;
/// Largest rows x columns grid a table may span before its spans are dropped: far above any
/// disclosure (a few thousand rows of a few dozen columns).
const MAX_GRID_POSITIONS: usize = 4_000_000;

pub struct Walker {
    pub blocks: Vec<Block>,
    pub warnings: Vec<String>,
    buf: String,
    stats: HashMap<NodeId, Stats>,
    deep_warned: bool,
    /// The page's positioned part, laid out: its blocks go where its first page container is.
    positioned: Option<Positioned>,
}

impl Walker {
    pub fn new(root: NodeRef<'_, Node>, positioned: Option<Positioned>) -> Self {
        Walker { blocks: Vec::new(), warnings: Vec::new(), buf: String::new(), stats: link_stats(root), deep_warned: false, positioned }
    }

    /// At the first page container of the positioned part, its laid-out blocks.
    fn enter_positioned(&mut self, node: NodeRef<'_, Node>) {
        if self.positioned.as_ref().is_some_and(|p| p.containers.first() == Some(&node.id())) {
            self.emit_positioned();
        }
    }

    /// The laid-out blocks, numbered on from the blocks before them as every HTML block is
    /// (they keep their page and position too). Once only.
    fn emit_positioned(&mut self) {
        let Some(p) = self.positioned.as_mut() else { return };
        let laid_out = std::mem::take(&mut p.blocks);
        if laid_out.is_empty() {
            return;
        }
        self.flush();
        for mut block in laid_out {
            let line = self.next_line();
            match &mut block {
                Block::Paragraph(para) => para.prov.line = Some(line),
                Block::Table(t) => {
                    t.prov.line = Some(line);
                    t.cells.iter_mut().for_each(|c| c.prov.line = Some(line));
                }
            }
            self.blocks.push(block);
        }
    }

    /// Ends the last paragraph; laid-out blocks the walk never placed (their first page
    /// container sat inside something read as a menu) go last.
    pub fn finish(&mut self) {
        self.flush();
        self.emit_positioned();
    }

    fn is_placed(&self, node: NodeRef<'_, Node>) -> bool {
        self.positioned.as_ref().is_some_and(|p| p.placed.contains(&node.id()))
    }

    pub fn walk(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        match node.value() {
            Node::Text(t) => {
                if in_pre(node) {
                    text::push_text(&mut self.buf, &t.replace('\n', "\0"));
                } else {
                    text::push_text(&mut self.buf, t);
                }
            }
            Node::Element(el) => self.element(node, el, depth),
            Node::Document | Node::Fragment => {
                self.enter_positioned(node);
                self.children(node, depth)
            }
            _ => {}
        }
    }

    fn children(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        if depth >= MAX_DEPTH {
            self.warn_deep();
            self.buf.push_str(&flat_text(node));
            return;
        }
        for child in node.children() {
            self.walk(child, depth + 1);
        }
    }

    fn element(&mut self, node: NodeRef<'_, Node>, el: &Element, depth: usize) {
        if is_ignored(node, el) || self.is_placed(node) || self.is_menu(node, el) {
            return;
        }
        self.enter_positioned(node);
        match el.name() {
            "br" => self.buf.push(HARD_BREAK),
            "table" => {
                self.flush();
                self.table(node, depth);
            }
            name if is_block(name) => {
                self.flush();
                self.children(node, depth);
                self.flush();
            }
            _ => self.children(node, depth),
        }
    }

    /// Ends the current paragraph (each hard break ends one too: a `<br>` starts a new line).
    pub fn flush(&mut self) {
        let raw = std::mem::take(&mut self.buf);
        for line in raw.split(HARD_BREAK) {
            let text = text::collapse(line);
            if !text.is_empty() && !is_breadcrumb(&text) {
                let prov = Provenance::line(self.next_line());
                self.blocks.push(Block::Paragraph(Paragraph { text, prov }));
            }
        }
    }

    fn next_line(&self) -> u32 {
        u32::try_from(self.blocks.len() + 1).unwrap_or(u32::MAX)
    }

    fn warn_deep(&mut self) {
        if !self.deep_warned {
            self.deep_warned = true;
            self.warnings.push(format!("elements nested deeper than {MAX_DEPTH}: their text read flat"));
        }
    }

    fn table(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        let rows = table_rows(node);
        let mut placed = place_cells(&rows);
        let mut n_cols = placed.iter().map(|p| p.col + p.col_span).max().unwrap_or(0);
        if rows.len().saturating_mul(n_cols) > MAX_GRID_POSITIONS {
            // Readers of the model allocate the full grid; a few bytes of hostile colspans
            // must not turn into gigabytes.
            self.warnings.push(format!("table of {} rows x {n_cols} columns: spans ignored", rows.len()));
            placed = place_without_spans(&rows);
            n_cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        }
        let nested = rows.iter().flatten().any(|c| has_nested_table(*c));
        if placed.len() == 1 || (nested && n_cols <= 3) {
            // A layout table (page frame, boxed text): read its cells as flowing content.
            for cell in rows.iter().flatten() {
                self.children(*cell, depth);
                self.flush();
            }
            return;
        }
        if let Some(caption) = node.children().find(|c| element_name(*c) == Some("caption")) {
            self.children(caption, depth);
            self.flush();
        }
        let line = self.next_line();
        let mut table = Table { prov: Provenance::line(line), ..Default::default() };
        let mut inner_tables = Vec::new();
        for p in &placed {
            let mut raw = String::new();
            cell_text(p.node, &mut raw, &mut inner_tables, depth);
            let mut cell = Cell::new(p.row, p.col, text::lines(&raw));
            cell.row_span = p.row_span;
            cell.col_span = p.col_span;
            cell.prov = Provenance::line(line);
            table.push(cell);
        }
        if !table.cells.is_empty() {
            self.blocks.push(Block::Table(table));
        }
        for inner in inner_tables {
            if let Some(inner) = node.tree().get(inner) {
                self.table(inner, depth + 1);
            }
        }
    }

    /// Site menus: a list (or a block of inline links) that is mostly links.
    fn is_menu(&self, node: NodeRef<'_, Node>, el: &Element) -> bool {
        let Some(s) = self.stats.get(&node.id()) else { return false };
        let candidate = match el.name() {
            "ul" | "ol" | "dl" | "menu" => true,
            "div" | "p" | "span" => !s.has_block,
            _ => false,
        };
        candidate && s.links >= 3 && s.link_chars * 10 >= s.chars * 7
    }
}

/// "You are here: 首页 > 政务公开 > …", whatever its markup: every Chinese government site
/// opens its breadcrumb with one of these phrases.
fn is_breadcrumb(text: &str) -> bool {
    ["您当前的位置", "您现在的位置", "当前位置", "您的位置"].iter().any(|p| text.starts_with(p))
}

fn element_name<'a>(node: NodeRef<'a, Node>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

fn in_pre(node: NodeRef<'_, Node>) -> bool {
    node.ancestors().take(MAX_DEPTH).any(|a| matches!(element_name(a), Some("pre" | "textarea" | "listing")))
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address" | "article" | "aside" | "blockquote" | "body" | "center" | "dd" | "details" | "dialog"
            | "dir" | "div" | "dl" | "dt" | "fieldset" | "figcaption" | "figure" | "form" | "h1" | "h2"
            | "h3" | "h4" | "h5" | "h6" | "hgroup" | "hr" | "html" | "li" | "main" | "menu" | "ol" | "p"
            | "pre" | "section" | "summary" | "ul" | "caption" | "legend" | "tr" | "td" | "th"
            | "tbody" | "thead" | "tfoot"
    )
}

/// Elements a reader never sees as content.
pub(crate) fn is_ignored(node: NodeRef<'_, Node>, el: &Element) -> bool {
    let name = el.name();
    if matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "title" | "nav" | "iframe" | "object"
            | "embed" | "svg" | "math" | "canvas" | "select" | "button" | "textarea" | "input" | "map"
            | "audio" | "video" | "frameset" | "frame"
    ) {
        return true;
    }
    // An <article>'s own header holds its title; the page's header/footer is site chrome.
    if matches!(name, "header" | "footer" | "aside") {
        return !node.ancestors().take(MAX_DEPTH).any(|a| matches!(element_name(a), Some("article" | "main")));
    }
    is_hidden(el) || (!is_table_part(name) && has_chrome_class(el))
}

fn is_table_part(name: &str) -> bool {
    matches!(name, "table" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th" | "caption")
}

fn is_hidden(el: &Element) -> bool {
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    el.attr("style").is_some_and(|style| {
        let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Class or id words that name site navigation, breadcrumbs, share bars and footers.
/// "header" is left out: article pages name their title block `article-header`.
fn has_chrome_class(el: &Element) -> bool {
    let words = el.classes().chain(el.id()).flat_map(|v| v.split(['-', '_', ' ']));
    words.map(|w| w.to_ascii_lowercase()).any(|w| {
        w.starts_with("nav") || w.ends_with("nav") || w.contains("menu") || w.contains("crumb")
            || matches!(w.as_str(), "footer" | "foot" | "sidebar" | "share" | "toolbar" | "topbar" | "bdsharebuttonbox")
    })
}

/// Text volumes per element, to tell menus from content without walking subtrees twice.
#[derive(Default, Clone, Copy)]
struct Stats {
    chars: usize,
    link_chars: usize,
    links: usize,
    has_block: bool,
}

fn link_stats(root: NodeRef<'_, Node>) -> HashMap<NodeId, Stats> {
    let mut stats: HashMap<NodeId, Stats> = HashMap::new();
    for edge in root.traverse() {
        let Edge::Close(node) = edge else { continue };
        let mut s = Stats::default();
        match node.value() {
            Node::Text(t) => s.chars = t.chars().filter(|c| !c.is_whitespace()).count(),
            Node::Element(el) if matches!(el.name(), "script" | "style" | "noscript" | "template") => {}
            Node::Element(el) => {
                for child in node.children() {
                    let c = stats.get(&child.id()).copied().unwrap_or_default();
                    s.chars += c.chars;
                    s.link_chars += c.link_chars;
                    s.links += c.links;
                    s.has_block |= c.has_block || element_name(child).is_some_and(is_block);
                }
                if el.name() == "a" {
                    s.links += 1;
                    s.link_chars = s.chars;
                }
            }
            _ => {}
        }
        stats.insert(node.id(), s);
    }
    stats
}

fn flat_text(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            text::push_text(&mut out, t);
            out.push(' ');
        }
    }
    out
}

/// The rows of this table only (not of tables nested in its cells), each as its cells.
fn table_rows(table: NodeRef<'_, Node>) -> Vec<Vec<NodeRef<'_, Node>>> {
    let mut rows = Vec::new();
    for child in table.children() {
        match element_name(child) {
            Some("tr") => rows.push(row_cells(child)),
            Some("thead" | "tbody" | "tfoot") => {
                rows.extend(child.children().filter(|c| element_name(*c) == Some("tr")).map(row_cells));
            }
            _ => {}
        }
    }
    rows
}

fn row_cells(tr: NodeRef<'_, Node>) -> Vec<NodeRef<'_, Node>> {
    tr.children().filter(|c| matches!(element_name(*c), Some("td" | "th"))).collect()
}

fn has_nested_table(cell: NodeRef<'_, Node>) -> bool {
    cell.descendants().skip(1).any(|d| element_name(d) == Some("table"))
}

struct Placed<'a> {
    node: NodeRef<'a, Node>,
    row: usize,
    col: usize,
    row_span: usize,
    col_span: usize,
}

/// The HTML table model: each cell takes the first column not covered by a rowspan from
/// above; `rowspan="0"` and oversized spans stop at the table's last row.
fn place_cells<'a>(rows: &[Vec<NodeRef<'a, Node>>]) -> Vec<Placed<'a>> {
    let mut placed = Vec::new();
    // Column ranges still covered by rowspans from rows above: (start, end, rows left).
    let mut carried: Vec<(usize, usize, usize)> = Vec::new();
    for (r, cells) in rows.iter().enumerate() {
        let rows_left = rows.len() - r;
        let mut col = 0;
        for &node in cells {
            while let Some(&(_, end, _)) = carried.iter().find(|&&(s, e, _)| s <= col && col < e) {
                col = end;
            }
            let el = node.value().as_element();
            let col_span = span(el, "colspan", 1, MAX_COLSPAN).max(1);
            let row_span = match span(el, "rowspan", 1, MAX_ROWSPAN) {
                0 => rows_left,
                n => n.min(rows_left),
            };
            if row_span > 1 {
                carried.push((col, col + col_span, row_span));
            }
            placed.push(Placed { node, row: r, col, row_span, col_span });
            col += col_span;
        }
        for c in &mut carried {
            c.2 = c.2.saturating_sub(1);
        }
        carried.retain(|c| c.2 > 0);
    }
    placed
}

fn place_without_spans<'a>(rows: &[Vec<NodeRef<'a, Node>>]) -> Vec<Placed<'a>> {
    let cells = rows.iter().enumerate().flat_map(|(r, cells)| cells.iter().enumerate().map(move |(c, &n)| (r, c, n)));
    cells.map(|(row, col, node)| Placed { node, row, col, row_span: 1, col_span: 1 }).collect()
}

fn span(el: Option<&Element>, attr: &str, default: usize, max: usize) -> usize {
    let Some(v) = el.and_then(|e| e.attr(attr)) else { return default };
    let digits: String = v.trim().chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<usize>().map_or(default, |n| n.min(max))
}

/// A cell's text with `<br>` and block boundaries as hard breaks; tables nested in the cell
/// are left out of its text and returned to be emitted as tables of their own.
fn cell_text(node: NodeRef<'_, Node>, out: &mut String, nested: &mut Vec<NodeId>, depth: usize) {
    if depth >= MAX_DEPTH {
        out.push_str(&flat_text(node));
        return;
    }
    for child in node.children() {
        match child.value() {
            Node::Text(t) => text::push_text(out, t),
            Node::Element(el) if el.name() == "table" => nested.push(child.id()),
            Node::Element(el) if el.name() == "br" => out.push(HARD_BREAK),
            Node::Element(el) if is_ignored(child, el) => {}
            Node::Element(el) if is_block(el.name()) => {
                out.push(HARD_BREAK);
                cell_text(child, out, nested, depth + 1);
                out.push(HARD_BREAK);
            }
            Node::Element(_) => cell_text(child, out, nested, depth + 1),
            _ => {}
        }
    }
}
