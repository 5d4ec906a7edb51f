//! Reads scraped HTML disclosure pages into the gongkai document model: paragraphs (headings,
//! text blocks, list items) and tables (row and column spans kept; nested tables emitted as
//! tables of their own) in document order, without scripts, styles, hidden elements, site
//! menus, breadcrumbs, headers and footers.
//!
//! Parser choice: `scraper` over html5ever, the WHATWG-conformant parser browsers' rules are
//! written for. Scraped government pages are tag soup (unclosed `<td>`, `<p>` around `<div>`,
//! tables without `<tbody>`) and only a spec parser rebuilds them into the tree a browser
//! shows; lighter parsers such as `tl` keep the source nesting as written, which puts cells of
//! unclosed rows in the wrong place. The cost (a few more crates) is paid once at build.
//!
//! Pages converted from PDF into absolutely positioned elements (every text run and cell
//! border a `<div style="position:absolute; top:…; left:…">`, a positioned container per
//! page) are laid out by position with the PDF reader's layout: see `positioned`.
//!
//! Charset: BOM, then `<meta charset>` / `http-equiv` (checked against the bytes), else UTF-8
//! when valid, else GB18030 (which reads GBK and GB2312 too).
//!
//! A page that only links its report (an article "见附件" with a PDF to download) reads as a
//! few paragraphs and no table; [`attachment_links`] lists what it links so the caller can say
//! so instead of reporting an empty report.

mod charset;
mod links;
mod nesting;
mod positioned;
mod text;
mod walk;

use gongkai_model::{Document, ExtractError, Extractor, Format, Options};
use scraper::Html;

pub use charset::declared_encoding;
pub use links::attachment_links;

/// Pages larger than this are refused: no disclosure page comes near, and html5ever's tree
/// costs several times the text in memory.
const MAX_HTML_BYTES: usize = 256 << 20;

/// The HTML reader. Provenance: every block's `line` is its 1-based index among the
/// document's blocks (HTML has no pages; a table's cells carry their table's index).
pub struct HtmlExtractor;

impl Extractor for HtmlExtractor {
    fn format(&self) -> Format {
        Format::Html
    }

    fn extract(&self, bytes: &[u8], _opts: &Options) -> Result<Document, ExtractError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ExtractError::failed("empty HTML file"));
        }
        if bytes.len() > MAX_HTML_BYTES {
            return Err(ExtractError::failed(format!(
                "HTML page of {} MiB is larger than the {} MiB limit",
                bytes.len() >> 20,
                MAX_HTML_BYTES >> 20
            )));
        }
        let decoded = charset::decode(bytes);
        if let Some(depth) = nesting::too_deep(&decoded.text) {
            return Err(ExtractError::failed(format!(
                "HTML elements nested {depth}+ deep (limit {}): refused, no real page nests so deep",
                nesting::MAX_DEPTH
            )));
        }
        let page = Html::parse_document(&decoded.text);
        let mut positioned = positioned::read(page.tree.root(), walk::is_ignored);
        let pages = positioned.as_ref().map(|p| p.pages);
        let layout_warnings = positioned.as_mut().map(|p| std::mem::take(&mut p.warnings));
        let mut walker = walk::Walker::new(page.tree.root(), positioned);
        walker.walk(page.tree.root(), 0);
        walker.finish();
        let mut doc = Document { blocks: walker.blocks, warnings: walker.warnings, pages, ..Default::default() };
        doc.warnings.extend(layout_warnings.into_iter().flatten());
        doc.warnings.extend(decoded.warning);
        if doc.tables().next().is_none() {
            let links = links::links_in(&page);
            if !links.is_empty() {
                let names: Vec<&str> = links.iter().map(|(text, _)| text.as_str()).collect();
                doc.warnings.push(format!("HTML page without tables links attachments: {}", names.join(", ")));
            }
        }
        Ok(doc)
    }
}
