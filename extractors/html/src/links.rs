//! Attachment links: government article pages often hold no report at all, only a link to
//! the PDF or workbook that does.

use scraper::{Html, Node};

use crate::{charset, text};

/// File kinds a disclosure is published as (WPS's .wps/.et and the OFD e-document included).
const ATTACHMENT_EXTENSIONS: &[&str] =
    &["pdf", "doc", "docx", "xls", "xlsx", "zip", "rar", "7z", "wps", "et", "ofd"];

/// Every link on the page to an attachment (.pdf, .doc(x), .xls(x), .zip, …) as
/// `(link text, href)`, in document order, without repeats.
///
/// Links given by script rather than `href` are found too: sites such as czj.cq.gov.cn write
/// `<a onclick="downloadFj('说明.pdf','./W0202….pdf')">`; the last quoted attachment path in
/// the handler is taken as the href. An empty link text is replaced by the file name.
pub fn attachment_links(html_bytes: &[u8]) -> Vec<(String, String)> {
    let decoded = charset::decode(html_bytes);
    // The page was refused for its depth (see nesting.rs): no links, and no slow parse.
    if crate::nesting::too_deep(&decoded.text).is_some() {
        return Vec::new();
    }
    links_in(&Html::parse_document(&decoded.text))
}

/// [`attachment_links`] of an already parsed page.
pub(crate) fn links_in(page: &Html) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for node in page.tree.root().descendants() {
        let Node::Element(el) = node.value() else { continue };
        if el.name() != "a" {
            continue;
        }
        let href = el
            .attr("href")
            .map(str::trim)
            .filter(|h| is_attachment(h))
            .map(str::to_owned)
            .or_else(|| el.attr("onclick").and_then(attachment_in_script))
            .or_else(|| ["data-href", "data-url", "data-src"].iter().find_map(|a| el.attr(a).filter(|h| is_attachment(h)).map(str::to_owned)));
        let Some(href) = href else { continue };
        let mut raw = String::new();
        for d in node.descendants() {
            if let Node::Text(t) = d.value() {
                text::push_text(&mut raw, t);
            }
        }
        let mut label = text::collapse(&raw);
        if label.is_empty() {
            label = el.attr("title").map(text::collapse).unwrap_or_default();
        }
        if label.is_empty() {
            label = file_name(&href).to_owned();
        }
        if !out.iter().any(|(l, h)| *l == label && *h == href) {
            out.push((label, href));
        }
    }
    out
}

fn is_attachment(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or(href);
    let Some((_, ext)) = path.rsplit_once('.') else { return false };
    ATTACHMENT_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e))
}

/// The last quoted attachment path in a script snippet; a path-like one (with `/`) wins over
/// a bare file name, which is usually the display name.
fn attachment_in_script(script: &str) -> Option<String> {
    let quoted: Vec<&str> = script
        .split(['\'', '"'])
        .skip(1)
        .step_by(2)
        .map(str::trim)
        .filter(|s| is_attachment(s))
        .collect();
    quoted.iter().rev().find(|s| s.contains('/')).or(quoted.last()).map(|s| (*s).to_owned())
}

fn file_name(href: &str) -> &str {
    let path = href.split(['?', '#']).next().unwrap_or(href);
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_by_href_script_and_bare() {
        let page = r#"<html><body>
            <a href="/">首页</a>
            <a href="./P0201.PDF?t=1">附件1：2024年部门决算.pdf</a>
            <a onclick="downloadFj('说明.xlsx','./W020.xlsx')">说明.xlsx</a>
            <a href="files/表.zip"></a>
            <a href="./P0201.PDF?t=1">附件1：2024年部门决算.pdf</a>
            <a href="news.html">新闻</a></body></html>"#;
        assert_eq!(
            attachment_links(page.as_bytes()),
            [
                ("附件1：2024年部门决算.pdf".to_owned(), "./P0201.PDF?t=1".to_owned()),
                ("说明.xlsx".to_owned(), "./W020.xlsx".to_owned()),
                ("表.zip".to_owned(), "files/表.zip".to_owned()),
            ]
        );
    }
}
