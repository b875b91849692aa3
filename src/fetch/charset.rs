//! Bytes of an HTML page to text. Chinese government and media pages are UTF-8, GBK, GB2312 or
//! GB18030, and their headers and `<meta>` tags are not always right.
//!
//! Order: a byte-order mark; then bytes that are valid UTF-8 and not plain ASCII are UTF-8
//! whatever the page claims (GBK text of any length is practically never valid UTF-8, while
//! re-encoded pages that keep an old `charset=GB2312` meta are common); then the
//! `Content-Type` header's charset; then `<meta charset>` / `http-equiv`; then chardetng.

use encoding_rs::{Encoding, UTF_8};

/// How the charset was decided, for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    Bom,
    ValidUtf8,
    Header,
    Meta,
    Sniffed,
}

/// Decodes `body`; `content_type` is the HTTP header, `host` helps the sniffer (`.cn` → GBK).
pub fn decode_html(
    body: &[u8],
    content_type: Option<&str>,
    host: Option<&str>,
) -> (String, &'static Encoding, CharsetSource) {
    let (enc, how) = detect(body, content_type, host);
    // `decode` also strips a BOM; malformed sequences become U+FFFD rather than failing.
    let (text, _, _) = enc.decode(body);
    (text.into_owned(), enc, how)
}

fn detect(
    body: &[u8],
    content_type: Option<&str>,
    host: Option<&str>,
) -> (&'static Encoding, CharsetSource) {
    if let Some((enc, _)) = Encoding::for_bom(body) {
        return (enc, CharsetSource::Bom);
    }
    if !body.is_ascii() && std::str::from_utf8(body).is_ok() {
        return (UTF_8, CharsetSource::ValidUtf8);
    }
    if let Some(enc) = content_type.and_then(charset_param).and_then(label) {
        return (enc, CharsetSource::Header);
    }
    if let Some(enc) = meta_charset(body) {
        return (enc, CharsetSource::Meta);
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(body, true);
    let tld = host.and_then(|h| h.rsplit('.').next()).map(str::as_bytes);
    (det.guess(tld, true), CharsetSource::Sniffed)
}

/// `text/html; charset=gbk` → `gbk`.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// An encoding label, with GB2312 and GBK widened to GB18030 (their superset; pages labelled
/// GB2312 routinely use GBK characters).
fn label(name: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(name.trim().as_bytes())?;
    if enc == encoding_rs::GBK {
        return Some(encoding_rs::GB18030);
    }
    Some(enc)
}

/// The charset a page declares in its first 4 KiB: `<meta charset=…>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`.
fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let head = &body[..body.len().min(4096)];
    // ASCII-only view: the declaration itself is always ASCII.
    let head: String = head
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                b.to_ascii_lowercase() as char
            } else {
                ' '
            }
        })
        .collect();
    let mut rest = head.as_str();
    while let Some(i) = rest.find("<meta") {
        rest = &rest[i + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(j) = tag.find("charset") {
            let after = tag[j + 7..].trim_start();
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start().trim_start_matches(['"', '\'']);
                let end = v
                    .find(|c: char| {
                        c == '"' || c == '\'' || c == ';' || c.is_whitespace() || c == '/'
                    })
                    .unwrap_or(v.len());
                if let Some(enc) = label(&v[..end]) {
                    return Some(enc);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    #[test]
    fn header_charset_decodes_gbk() {
        let body = gbk("<html><body>商务部新闻发言人</body></html>");
        let (text, enc, how) = decode_html(&body, Some("text/html; charset=GBK"), None);
        assert!(text.contains("商务部新闻发言人"), "{text}");
        assert_eq!((enc, how), (encoding_rs::GB18030, CharsetSource::Header));
    }

    #[test]
    fn meta_charset_decodes_gb2312() {
        let body = gbk(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>外交部发言人答记者问</body></html>",
        );
        let (text, _, how) = decode_html(&body, Some("text/html"), None);
        assert!(text.contains("外交部发言人答记者问"), "{text}");
        assert_eq!(how, CharsetSource::Meta);
        let body = gbk("<meta charset='gbk'><p>关税</p>");
        assert!(decode_html(&body, None, None).0.contains("关税"));
    }

    #[test]
    fn valid_utf8_wins_over_a_lying_meta() {
        let body =
            "<meta http-equiv=\"content-type\" content=\"text/html;charset=GB2312\"><p>人民网</p>";
        let (text, enc, how) =
            decode_html(body.as_bytes(), Some("text/html; charset=gb2312"), None);
        assert!(text.contains("人民网"));
        assert_eq!((enc, how), (UTF_8, CharsetSource::ValidUtf8));
    }

    #[test]
    fn undeclared_gbk_is_sniffed() {
        let body = gbk("<html><body><p>中华人民共和国商务部新闻发言人就美方宣布对华加征关税发表谈话。中方坚决反对。</p></body></html>");
        let (text, _, how) = decode_html(&body, None, Some("www.mofcom.gov.cn"));
        assert_eq!(how, CharsetSource::Sniffed);
        assert!(text.contains("加征关税"), "{text}");
    }

    #[test]
    fn bom_is_used_and_stripped() {
        let mut body = vec![0xEF, 0xBB, 0xBF];
        body.extend_from_slice("<p>x</p>".as_bytes());
        let (text, _, how) = decode_html(&body, Some("text/html; charset=gbk"), None);
        assert_eq!((text.as_str(), how), ("<p>x</p>", CharsetSource::Bom));
    }
}
