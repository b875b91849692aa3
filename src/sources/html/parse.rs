//! Ministry and state-media list pages read through CSS selectors (`[[sources]] kind = "html"`):
//! the list page gives items (title, link, date); for new items the article page gives the
//! body text and, when present, `meta[name=PubDate]`. Pure parsing; the pipeline fetches.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

use super::HtmlSpec;
use crate::post::{ParseIssue, Post};
use crate::sources::time::parse_time;

/// One entry of a list page.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub title: String,
    pub url: Url,
    pub date_raw: Option<String>,
    pub date: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
pub struct ListPage {
    pub items: Vec<ListItem>,
    pub issues: Vec<ParseIssue>,
    /// Elements the `item` selector matched (before per-item problems).
    pub matched: usize,
}

/// What an article page gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// The text of the `body` selector's elements; empty when it matched nothing.
    pub text: String,
    pub pub_date_raw: Option<String>,
    pub pub_date: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
#[error("`{selector}` is not a CSS selector: {error}")]
pub struct SelectorError {
    selector: String,
    error: String,
}

fn selector(s: &str) -> Result<Selector, SelectorError> {
    Selector::parse(s).map_err(|e| SelectorError {
        selector: s.to_string(),
        error: e.to_string(),
    })
}

/// Parses a list page. `page_url` resolves relative links (a `<base href>` wins).
pub fn parse_list(
    html: &str,
    page_url: &Url,
    spec: &HtmlSpec,
    now: DateTime<Utc>,
) -> Result<ListPage, SelectorError> {
    let doc = Html::parse_document(html);
    let item_sel = selector(&spec.item)?;
    let title_sel = selector(&spec.title)?;
    let link_sel = spec.link.as_deref().map(selector).transpose()?;
    let date_sel = spec.date.as_deref().map(selector).transpose()?;
    let base = base_url(&doc, page_url);
    let mut page = ListPage::default();
    for (i, item) in doc.select(&item_sel).enumerate() {
        // With a `date` selector, an item without a date is page furniture (a menu entry
        // matched by a broad `ul li`), not an entry, and does not count as a match.
        let date_el = date_sel.as_ref().map(|s| item.select(s).next());
        if matches!(date_el, Some(None)) {
            continue;
        }
        page.matched += 1;
        let title = item
            .select(&title_sel)
            .next()
            .map(|t| {
                // A title attribute carries the full title when the text is cut with "…".
                t.value()
                    .attr("title")
                    .map(str::to_string)
                    .filter(|a| !a.trim().is_empty())
                    .unwrap_or_else(|| collapse(&t.text().collect::<String>()))
            })
            .map(|t| collapse(&t))
            .unwrap_or_default();
        let link_el = match &link_sel {
            Some(s) => item.select(s).next(),
            None => Some(item),
        };
        let href = link_el.and_then(|l| l.value().attr(&spec.link_attr));
        let Some(href) = href.map(str::trim).filter(|h| !h.is_empty()) else {
            page.issues.push(ParseIssue {
                item: format!("item {i}"),
                problem: format!("no `{}` attribute on the link", spec.link_attr),
            });
            continue;
        };
        if href.starts_with("javascript:") || href.starts_with('#') {
            continue;
        }
        let url = match base.join(href) {
            Ok(u) => u,
            Err(e) => {
                page.issues.push(ParseIssue {
                    item: format!("item {i}"),
                    problem: format!("link `{href}` does not resolve: {e}"),
                });
                continue;
            }
        };
        if title.is_empty() {
            page.issues.push(ParseIssue {
                item: format!("item {i} ({url})"),
                problem: "the title selector matched nothing".into(),
            });
            continue;
        }
        let date_raw = date_el
            .flatten()
            .map(|d| collapse(&d.text().collect::<String>()))
            .map(|d| strip_brackets(&d).to_string())
            .filter(|d| !d.is_empty());
        let date = date_raw
            .as_deref()
            .and_then(|d| parse_date(d, spec.date_format.as_deref(), now));
        page.items.push(ListItem {
            title,
            url,
            date_raw,
            date,
        });
    }
    Ok(page)
}

fn base_url(doc: &Html, page_url: &Url) -> Url {
    let Ok(sel) = Selector::parse("base[href]") else {
        return page_url.clone();
    };
    doc.select(&sel)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page_url.join(h).ok())
        .unwrap_or_else(|| page_url.clone())
}

/// "[2025-04-04]", "（2025年4月4日）" → the date inside.
fn strip_brackets(s: &str) -> &str {
    s.trim()
        .trim_matches(|c: char| "[]()（）【】<>〔〕".contains(c) || c.is_whitespace())
}

/// A date with an explicit chrono format (Beijing time), else any format `parse_time` knows.
pub fn parse_date(raw: &str, format: Option<&str>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let bj = chrono::FixedOffset::east_opt(8 * 3600)?;
    if let Some(f) = format {
        let naive = NaiveDateTime::parse_from_str(raw, f).ok().or_else(|| {
            NaiveDate::parse_from_str(raw, f)
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        });
        if let Some(n) = naive {
            return bj
                .from_local_datetime(&n)
                .single()
                .map(|t| t.with_timezone(&Utc));
        }
    }
    parse_time(raw, now)
}

/// The target of a JavaScript or meta-refresh redirect, when the page is only a redirect stub
/// (little visible text). Pages that merely mention `location.href` in a script are not stubs.
pub fn js_redirect(html: &str, page_url: &Url) -> Option<Url> {
    let doc = Html::parse_document(html);
    let visible = visible_text(doc.root_element());
    if visible.chars().filter(|c| !c.is_whitespace()).count() > 200 {
        return None;
    }
    let mut target = None;
    if let Ok(sel) = Selector::parse("meta[http-equiv]") {
        for m in doc.select(&sel) {
            let is_refresh = m
                .value()
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
            if let (true, Some(c)) = (is_refresh, m.value().attr("content")) {
                let lower = c.to_ascii_lowercase();
                if let Some(i) = lower.find("url=") {
                    target = Some(c[i + 4..].trim().trim_matches(['\'', '"']).to_string());
                }
            }
        }
    }
    if target.is_none() {
        if let Ok(sel) = Selector::parse("script") {
            for s in doc.select(&sel) {
                let code: String = s.text().collect();
                if let Some(t) = location_assignment(&code) {
                    target = Some(t);
                    break;
                }
            }
        }
    }
    let t = target.filter(|t| !t.is_empty())?;
    page_url.join(&t).ok().filter(|u| u != page_url)
}

/// `window.location.href = '…'`, `location.href="…"`, `location.replace('…')`,
/// `window.location = "…"`, `top.location.href='…'`.
fn location_assignment(code: &str) -> Option<String> {
    let mut rest = code;
    while let Some(i) = rest.find("location") {
        rest = &rest[i + "location".len()..];
        let after = rest
            .strip_prefix(".href")
            .or_else(|| rest.strip_prefix(".replace"))
            .or_else(|| rest.strip_prefix(".assign"))
            .unwrap_or(rest)
            .trim_start();
        let after = match after.strip_prefix('=') {
            Some(a) if !a.starts_with('=') => a,
            _ => match after.strip_prefix('(') {
                Some(a) => a,
                None => continue,
            },
        };
        let after = after.trim_start();
        let quote = after.chars().next()?;
        if quote != '\'' && quote != '"' {
            continue;
        }
        let inner = &after[1..];
        if let Some(end) = inner.find(quote) {
            return Some(inner[..end].to_string());
        }
    }
    None
}

/// Reads an article: the text of `body_selector` (all matches, in order) and the publication
/// time from `meta[name=PubDate]` (or `publishdate`), which government CMSs fill reliably.
pub fn parse_article(html: &str, body_selector: Option<&str>, now: DateTime<Utc>) -> Article {
    let doc = Html::parse_document(html);
    let mut article = Article::default();
    if let Ok(sel) = Selector::parse("meta[name][content]") {
        for m in doc.select(&sel) {
            let name = m.value().attr("name").unwrap_or("").to_ascii_lowercase();
            if matches!(
                name.as_str(),
                "pubdate" | "publishdate" | "firstpublishedtime"
            ) {
                let raw = m.value().attr("content").unwrap_or("").trim().to_string();
                if let Some(t) = parse_time(&raw, now) {
                    article.pub_date = Some(t);
                    article.pub_date_raw = Some(raw);
                    break;
                }
            }
        }
    }
    if let Some(sel) = body_selector.and_then(|s| Selector::parse(s).ok()) {
        let parts: Vec<String> = doc
            .select(&sel)
            .map(visible_text)
            .filter(|t| !t.is_empty())
            .collect();
        article.text = parts.join("\n");
    }
    article
}

/// The text a reader sees: scripts and styles dropped, block elements and `<br>` on new lines,
/// runs of blank space collapsed.
pub fn visible_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    walk(el, &mut out);
    out.lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn walk(el: ElementRef<'_>, out: &mut String) {
    let name = el.value().name();
    if matches!(name, "script" | "style" | "noscript" | "head" | "template") {
        return;
    }
    let block = matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "tr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "table"
            | "ul"
            | "ol"
    );
    if block {
        out.push('\n');
    }
    for child in el.children() {
        if let Some(e) = ElementRef::wrap(child) {
            walk(e, out);
        } else if let Node::Text(t) = child.value() {
            out.push_str(t);
        }
    }
    if block {
        out.push('\n');
    }
}

/// Collapses whitespace (including the full-width space pages use for indents).
fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One list item (and its article, when read) as a post.
pub fn to_post(
    item: &ListItem,
    article: Option<&Article>,
    author: &str,
    now: DateTime<Utc>,
) -> Post {
    let body = article.map(|a| a.text.as_str()).unwrap_or("");
    let text = if body.is_empty() {
        item.title.clone()
    } else if body.starts_with(&item.title) {
        body.to_string()
    } else {
        format!("{}\n{}", item.title, body)
    };
    let (created_at, created_at_raw) = match (article.and_then(|a| a.pub_date), &item.date) {
        (Some(t), _) => (
            t,
            article
                .and_then(|a| a.pub_date_raw.clone())
                .unwrap_or_default(),
        ),
        (None, Some(t)) => (*t, item.date_raw.clone().unwrap_or_default()),
        (None, None) => (now, String::new()),
    };
    let raw = serde_json::json!({
        "title": item.title,
        "url": item.url.as_str(),
        "date": item.date_raw,
        "pub_date": article.and_then(|a| a.pub_date_raw.clone()),
    })
    .to_string();
    Post {
        platform_id: item.url.to_string(),
        author: author.to_string(),
        text,
        created_at,
        created_at_raw,
        url: item.url.to_string(),
        pinned: false,
        truncated: false,
        edit_count: 0,
        retweet: None,
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(item: &str, link: Option<&str>, attr: &str) -> HtmlSpec {
        HtmlSpec {
            url: Url::parse("http://www.mofcom.gov.cn/article/ae/ag/").unwrap(),
            item: item.into(),
            title: "a".into(),
            link: link.map(str::to_string),
            link_attr: attr.into(),
            date: Some("span".into()),
            date_format: None,
            body: None,
        }
    }

    #[test]
    fn list_items_resolve_links_and_dates() {
        let html = r#"<html><body><ul class="list">
<li><a href="/article/ae/ag/202504/20250403.shtml" title="商务部新闻发言人就美方宣布所谓“对等关税”发表谈话">商务部新闻发言人就美方宣布…</a><span>[2025-04-03]</span></li>
<li><a href="202504/x.shtml">第二条</a><span>2025年4月4日</span></li>
<li><a href="javascript:void(0)">跳过</a><span>2025-04-01</span></li>
<li><span>no link</span></li>
<li><a href="/nav/">导航</a></li>
</ul></body></html>"#;
        let s = spec("ul.list li", Some("a"), "href");
        let now = Utc::now();
        let page = parse_list(html, &s.url, &s, now).unwrap();
        assert_eq!(page.matched, 4);
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.issues.len(), 1, "{:?}", page.issues);
        let a = &page.items[0];
        assert_eq!(
            a.url.as_str(),
            "http://www.mofcom.gov.cn/article/ae/ag/202504/20250403.shtml"
        );
        assert!(
            a.title.contains("对等关税"),
            "title attribute preferred: {}",
            a.title
        );
        assert_eq!(a.date_raw.as_deref(), Some("2025-04-03"));
        assert_eq!(a.date.unwrap().to_rfc3339(), "2025-04-02T16:00:00+00:00");
        assert_eq!(
            page.items[1].url.as_str(),
            "http://www.mofcom.gov.cn/article/ae/ag/202504/x.shtml"
        );
        assert_eq!(
            page.items[1].date.unwrap().to_rfc3339(),
            "2025-04-03T16:00:00+00:00"
        );
    }

    #[test]
    fn item_itself_as_link_and_explicit_format() {
        let html = r#"<div><a class="n" data-u="/a/1.html">一<i>01/05/2025</i></a></div>"#;
        let mut s = spec("a.n", None, "data-u");
        s.title = "a.n".into();
        s.date = Some("i".into());
        s.date_format = Some("%m/%d/%Y".into());
        // `a.n` inside `a.n` does not match the item itself: the title falls back to an issue.
        let page = parse_list(html, &s.url, &s, Utc::now()).unwrap();
        assert_eq!(page.items.len(), 0);
        s.title = "i".into();
        let page = parse_list(html, &s.url, &s, Utc::now()).unwrap();
        assert_eq!(
            page.items[0].url.as_str(),
            "http://www.mofcom.gov.cn/a/1.html"
        );
        assert_eq!(
            page.items[0].date.unwrap().to_rfc3339(),
            "2025-01-04T16:00:00+00:00"
        );
    }

    #[test]
    fn js_redirect_only_on_stub_pages() {
        let base = Url::parse("http://www.mofcom.gov.cn/article/ae/ag/").unwrap();
        let stub = r#"<html><head><script>window.location.href='http://www.mofcom.gov.cn/article/xwfb/';</script></head><body></body></html>"#;
        assert_eq!(
            js_redirect(stub, &base).unwrap().as_str(),
            "http://www.mofcom.gov.cn/article/xwfb/"
        );
        let stub2 = r#"<script>location.replace("../new/")</script>"#;
        assert_eq!(
            js_redirect(stub2, &base).unwrap().as_str(),
            "http://www.mofcom.gov.cn/article/ae/new/"
        );
        let refresh = r#"<meta http-equiv="Refresh" content="0; URL=/x/">"#;
        assert_eq!(
            js_redirect(refresh, &base).unwrap().as_str(),
            "http://www.mofcom.gov.cn/x/"
        );
        let long = format!(
            "<body><p>{}</p><script>function qr(){{window.location.href='x_ewm.shtml'}}</script></body>",
            "正文".repeat(200)
        );
        assert_eq!(js_redirect(&long, &base), None);
        assert_eq!(
            js_redirect("<script>if (location.href == 'a') {}</script>", &base),
            None
        );
    }

    #[test]
    fn article_pubdate_and_body() {
        let html = r#"<html><head><meta name="PubDate" content="2019-09-18 06:23"></head>
<body><div id="zoom"><p>　　第一段。</p><p>第二段<br>第三行</p><script>var x=1;</script></div></body></html>"#;
        let a = parse_article(html, Some("#zoom"), Utc::now());
        assert_eq!(a.text, "第一段。\n第二段\n第三行");
        assert_eq!(a.pub_date_raw.as_deref(), Some("2019-09-18 06:23"));
        assert_eq!(
            a.pub_date.unwrap().to_rfc3339(),
            "2019-09-17T22:23:00+00:00"
        );
        let none = parse_article(html, Some("#missing"), Utc::now());
        assert_eq!(none.text, "");
    }
}
