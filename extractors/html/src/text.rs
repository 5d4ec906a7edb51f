//! Whitespace the way a reader sees it on the rendered page.

/// Marks a hard line break (`<br>`, a block boundary inside a cell, a newline inside `<pre>`)
/// in collected text. The HTML parser never lets NUL through into text, and text nodes are
/// stripped of it anyway, so it cannot collide with content.
pub const HARD_BREAK: char = '\0';

/// Appends a text node's content, keeping it free of the break marker.
pub fn push_text(buf: &mut String, text: &str) {
    if text.contains(HARD_BREAK) {
        buf.extend(text.chars().filter(|&c| c != HARD_BREAK));
    } else {
        buf.push_str(text);
    }
}

/// Collapses each whitespace run to one space and trims, like a browser. A run holding a
/// source line break between two CJK characters disappears instead: the editor wrapped a
/// line, and `一般公共\n预算` must read `一般公共预算`, not `一般公共 预算`.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run_has_newline = false;
    let mut in_run = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            in_run = true;
            run_has_newline |= c == '\n' || c == '\r';
            continue;
        }
        if in_run && !out.is_empty() {
            let joins_cjk = run_has_newline && out.chars().next_back().is_some_and(is_cjk) && is_cjk(c);
            if !joins_cjk {
                out.push(' ');
            }
        }
        in_run = false;
        run_has_newline = false;
        out.push(c);
    }
    out
}

/// Text with hard breaks as `\n`: every line collapsed, empty lines dropped.
pub fn lines(s: &str) -> String {
    s.split(HARD_BREAK).map(collapse).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}')
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_like_a_browser() {
        assert_eq!(collapse("  一般公共\n      预算  财政拨款 "), "一般公共预算 财政拨款");
        assert_eq!(collapse("2024年\n部门决算"), "2024年部门决算");
        assert_eq!(collapse("第二部分\n2024年度"), "第二部分 2024年度");
        assert_eq!(collapse("\u{a0}665.38\u{200b}"), "665.38");
        assert_eq!(lines("项目\0\0 （万元）\0"), "项目\n（万元）");
    }
}
