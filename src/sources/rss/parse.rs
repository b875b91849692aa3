//! RSS and Atom feeds (RSSHub routes such as `/weibo/user/:uid`, official feeds) through
//! feed-rs. Pure parsing; the pipeline does the (conditional) GET.

use chrono::{DateTime, Utc};

use crate::post::{ParseIssue, Post};
use crate::sources::weibo::weibo_html_to_text;

#[derive(Debug, thiserror::Error)]
#[error("the body is not an RSS, Atom or JSON feed ({0}); check the source's `url`")]
pub struct FeedError(String);

/// A UTF-8 feed with invalid bytes inside some entries, without those entries (one issue
/// each), so one broken entry costs one entry: the XML parser refuses the whole document.
/// `None` when the body is valid UTF-8 or declares another encoding (feed-rs decodes it).
fn drop_invalid_items(body: &[u8]) -> Option<(Vec<u8>, Vec<ParseIssue>)> {
    if std::str::from_utf8(body).is_ok() {
        return None;
    }
    let head = body[..body.len().min(200)].to_ascii_lowercase();
    let declared = find(&head, 0, b"encoding=");
    if declared.is_some() && find(&head, 0, b"utf-8").is_none() {
        return None;
    }
    let mut out = Vec::with_capacity(body.len());
    let mut issues = Vec::new();
    let (mut pos, mut n) = (0, 0);
    // RSS has items, Atom entries; one search per entry keeps this linear.
    let (open, close): (&[u8], &[u8]) = if find(body, 0, b"<item").is_some() {
        (b"<item", b"</item>")
    } else {
        (b"<entry", b"</entry>")
    };
    while let Some(start) = find_tag(body, pos, open) {
        let Some(end) = find(body, start, close).map(|e| e + close.len()) else {
            break;
        };
        out.extend_from_slice(&body[pos..start]);
        if std::str::from_utf8(&body[start..end]).is_ok() {
            out.extend_from_slice(&body[start..end]);
        } else {
            issues.push(ParseIssue {
                item: format!("entries[{n}]"),
                problem: "invalid UTF-8 in the entry; skipped".into(),
            });
        }
        n += 1;
        pos = end;
    }
    out.extend_from_slice(&body[pos..]);
    Some((out, issues))
}

/// `<name` followed by `>` or whitespace (not `<items`).
fn find_tag(hay: &[u8], mut from: usize, open: &[u8]) -> Option<usize> {
    loop {
        let at = find(hay, from, open)?;
        match hay.get(at + open.len()) {
            Some(c) if *c == b'>' || c.is_ascii_whitespace() => return Some(at),
            _ => from = at + 1,
        }
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Parses a feed body (raw bytes: feed-rs reads the XML prolog's encoding itself).
/// `fallback_author` names the source when an entry has no author.
pub fn parse_feed(
    body: &[u8],
    fallback_author: &str,
    now: DateTime<Utc>,
) -> Result<(Vec<Post>, Vec<ParseIssue>), FeedError> {
    // The guid is the platform id; without one, the entry's link (never feed-rs's hash, which
    // changes when a title is edited).
    let parser = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        .id_generator(|links, title, _| match links.first() {
            Some(l) => l.href.clone(),
            None => title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default(),
        })
        .build();
    let (body, mut issues) = match drop_invalid_items(body) {
        Some((kept, issues)) => (std::borrow::Cow::Owned(kept), issues),
        None => (std::borrow::Cow::Borrowed(body), Vec::new()),
    };
    let feed = parser
        .parse(body.as_ref())
        .map_err(|e| FeedError(e.to_string()))?;
    let feed_title = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| fallback_author.to_string());
    let mut posts = Vec::new();
    for (i, e) in feed.entries.iter().enumerate() {
        if e.id.trim().is_empty() {
            issues.push(ParseIssue {
                item: format!("entries[{i}]"),
                problem: "entry has no guid, link or title".into(),
            });
            continue;
        }
        let title = e
            .title
            .as_ref()
            .map(|t| weibo_html_to_text(&t.content))
            .unwrap_or_default();
        let html = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let body_text = weibo_html_to_text(&html);
        let text = join_title(&title, &body_text);
        if text.is_empty() {
            issues.push(ParseIssue {
                item: format!("entries[{i}] ({})", e.id),
                problem: "entry has neither title nor description".into(),
            });
            continue;
        }
        let created_at = e.published.or(e.updated);
        // RSS 2 `<author>` arrives as name "author" with the text as the "email" (feed-rs
        // follows the spec, where it is an address); RSSHub puts the screen name there.
        let author = e
            .authors
            .first()
            .map(|a| match (&a.email, a.name.as_str()) {
                (Some(email), "author") => email.trim().to_string(),
                _ => a.name.trim().to_string(),
            })
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| feed_title.clone());
        posts.push(Post {
            platform_id: e.id.trim().to_string(),
            author,
            text,
            created_at: created_at.unwrap_or(now),
            created_at_raw: created_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            url: e.links.first().map(|l| l.href.clone()).unwrap_or_default(),
            pinned: false,
            truncated: false,
            edit_count: 0,
            retweet: None,
            raw: if html.is_empty() { title.clone() } else { html },
        });
    }
    Ok((posts, issues))
}

/// News feeds put the headline in the title and a summary in the description; RSSHub's Weibo
/// feeds put a cut copy of the text in the title. Keep the title only when it adds something.
fn join_title(title: &str, body: &str) -> String {
    let title = title.trim();
    let body = body.trim();
    if title.is_empty() {
        return body.to_string();
    }
    if body.is_empty() {
        return title.to_string();
    }
    let head: String = title.chars().take(12).collect();
    if body.contains(&head) {
        body.to_string()
    } else {
        format!("{title}\n{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_without_description_and_rss_without_guid() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>商务部</title><id>x</id>
<entry><id>tag:mofcom,1</id><title>商务部新闻发言人就中美经贸磋商答记者问</title>
<link href="http://www.mofcom.gov.cn/a/1.shtml"/><updated>2025-05-07T08:00:00+08:00</updated></entry>
</feed>"#;
        let (posts, issues) = parse_feed(atom.as_bytes(), "src", Utc::now()).unwrap();
        assert!(issues.is_empty());
        assert_eq!(posts[0].platform_id, "tag:mofcom,1");
        assert_eq!(posts[0].text, "商务部新闻发言人就中美经贸磋商答记者问");
        assert_eq!(posts[0].author, "商务部");
        assert_eq!(
            posts[0].created_at.to_rfc3339(),
            "2025-05-07T00:00:00+00:00"
        );

        let rss = r#"<rss version="2.0"><channel><title>t</title>
<item><title>标题一</title><link>http://example.org/1</link><description>&lt;p&gt;正文&lt;/p&gt;</description></item>
</channel></rss>"#;
        let (posts, _) = parse_feed(rss.as_bytes(), "src", Utc::now()).unwrap();
        assert_eq!(posts[0].platform_id, "http://example.org/1");
        assert_eq!(posts[0].text, "标题一\n正文");
    }

    #[test]
    fn not_a_feed_is_an_error() {
        assert!(parse_feed(b"<html><body>502</body></html>", "s", Utc::now()).is_err());
    }
}
