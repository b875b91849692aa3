//! A linear pre-check of HTML before a tree is built. html5ever's time grows with the square of
//! the nesting depth (100,000 nested `<div>`s: 30 s), so a hostile or broken page could hold
//! a thread for minutes. Browsers cap the depth too (Chromium at 512). Pure.

/// Deeper pages are refused: real list and article pages nest a few dozen elements.
pub const MAX_DEPTH: usize = 512;
/// More elements are refused: a 1 MB list page of real markup holds a few tens of thousands.
pub const MAX_ELEMENTS: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkupError {
    #[error(
        "the page nests elements more than {MAX_DEPTH} deep; not parsed (a broken or hostile page)"
    )]
    TooDeep,
    #[error(
        "the page has more than {MAX_ELEMENTS} elements; not parsed (a broken or hostile page)"
    )]
    TooManyElements,
}

/// Elements that never have children.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];
/// Elements whose end tag may be left out: the next sibling closes them, so unclosed ones do
/// not pile up (an old page's `<p>text<p>text` stays shallow).
const SELF_CLOSING_SIBLINGS: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rt", "rp", "tbody", "thead",
    "tfoot", "colgroup",
];
/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// Counts elements and an upper bound of the nesting depth, in one pass over the bytes.
pub fn check(html: &str) -> Result<(), MarkupError> {
    let b = html.as_bytes();
    let (mut depth, mut elements, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = memchr(b'<', &b[i..]) {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let end = start
            + b[start..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
        if end == start || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        elements += 1;
        if elements > MAX_ELEMENTS {
            return Err(MarkupError::TooManyElements);
        }
        if RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find_ignore_case(b, end, close.as_bytes()).unwrap_or(b.len());
            continue;
        }
        if VOID.contains(&name.as_str()) || SELF_CLOSING_SIBLINGS.contains(&name.as_str()) {
            continue;
        }
        depth += 1;
        if depth > MAX_DEPTH {
            return Err(MarkupError::TooDeep);
        }
    }
    Ok(())
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ignore_case(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_pages_pass_and_hostile_ones_do_not() {
        let page = "<!DOCTYPE html><html><head><title>a<b</title><script>if (a<b) {}</script>\
                    </head><body><ul><li><a href=x>一</a><li><a href=y>二</a></ul>\
                    <p>段落<p>段落<br><img src=z><!-- <div><div> --></body></html>";
        assert_eq!(check(page), Ok(()));
        let unclosed_p = "<p>x".repeat(10_000);
        assert_eq!(check(&unclosed_p), Ok(()));
        let deep = "<div>".repeat(MAX_DEPTH + 1);
        assert_eq!(check(&deep), Err(MarkupError::TooDeep));
        let closed = "<div></div>".repeat(MAX_ELEMENTS);
        assert_eq!(check(&closed), Ok(()));
        let many = "<span></span>".repeat(MAX_ELEMENTS + 1);
        assert_eq!(check(&many), Err(MarkupError::TooManyElements));
        let deep_in_b = "<b>".repeat(MAX_DEPTH + 1);
        assert_eq!(check(&deep_in_b), Err(MarkupError::TooDeep));
    }
}
