//! A cheap pre-scan of element nesting before the real parse. html5ever's tree builder is
//! quadratic in the depth of open elements (20,000 nested `<div>` take 2 s, 80,000 take 40 s:
//! found by the fuzzer), while a real page nests a few dozen deep. A page nested deeper than
//! [`MAX_DEPTH`] is refused instead of parsed.

/// Far above any real page (the corpus pages nest 4 to 6 deep by this count), low enough that
/// the quadratic parse stays near a millisecond (2,000 levels took 20 ms, 300 ms under the
/// fuzzer's sanitizer, which then spent its time on such inputs).
pub const MAX_DEPTH: usize = 512;

/// Elements that never hold others (void) or whose end tag pages commonly omit: they do not
/// count, so tag soup with unclosed cells is never mistaken for deep nesting.
const NOT_COUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p", "li", "dt",
    "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "colgroup", "option", "optgroup", "rp", "rt", "caption", "!doctype",
];

/// The depth reached, when it exceeds [`MAX_DEPTH`].
pub fn too_deep(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let (mut i, mut depth) = (0usize, 0usize);
    while let Some(at) = bytes.get(i..).and_then(|rest| rest.iter().position(|&b| b == b'<')) {
        i += at + 1;
        if bytes.get(i..).is_some_and(|r| r.starts_with(b"!--")) {
            i = find(bytes, i, b"-->").unwrap_or(bytes.len());
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let end = start + bytes.get(start..).map_or(0, |r| r.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'!').count());
        let name = html.get(start..end).unwrap_or("").to_ascii_lowercase();
        if name.is_empty() || NOT_COUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        if name == "script" || name == "style" {
            // Their text is not markup.
            i = find(bytes, end, format!("</{name}").as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        let tag_end = find(bytes, end, b">").unwrap_or(bytes.len());
        if tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/') {
            continue;
        }
        depth += 1;
        if depth > MAX_DEPTH {
            return Some(depth);
        }
    }
    None
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = hay.get(from..)?;
    rest.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|p| from + p + needle.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_divs_are_refused_and_tag_soup_is_not() {
        let deep = format!("<html><body>{}x{}</body></html>", "<div>".repeat(MAX_DEPTH + 1), "</div>".repeat(MAX_DEPTH + 1));
        assert_eq!(too_deep(&deep), Some(MAX_DEPTH + 1));
        // 10,000 rows of unclosed cells and paragraphs, balanced divs, comments, scripts.
        let soup = format!(
            "<table>{}</table><div><!-- <div><div> --><script>var s = '<div>'.repeat(9);</script>{}</div>",
            "<tr><td>1<td>2<p>x".repeat(10_000),
            "<div><br><img src=a.png/></div>".repeat(5_000)
        );
        assert_eq!(too_deep(&soup), None);
    }
}
