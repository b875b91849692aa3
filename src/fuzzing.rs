//! Entry points that feed arbitrary bytes to every parser of outside input, shared by the
//! cargo-fuzz targets (scripts/fuzz) and the stable garbage tests (tests/it/garbage.rs). Each
//! must return without panicking, whatever the input.

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};

use crate::config::{Config, HtmlSpec, SourceSpec};
use crate::sources::{html, rss, time, weibo};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 4, 22, 10, 0, 0)
        .single()
        .expect("a valid fixed time")
}

/// Weibo: timeline, long text, show, visitor passport, HTML → text, and the deletion verdict.
pub fn weibo(data: &[u8]) {
    if let Ok(weibo::TimelineResponse::Page(p)) = weibo::parse_timeline(data, now()) {
        for post in &p.posts {
            let _ = post.full_text();
        }
    }
    let _ = weibo::parse_long_text(data);
    let _ = weibo::parse_show(data);
    let _ = weibo::parse_genvisitor(data);
    let _ = crate::sources::weibo::presence::verdict_from_body(data);
    let text = String::from_utf8_lossy(data);
    let _ = weibo::weibo_html_to_text(&text);
    let _ = crate::daemon::recheck::diff(&text, &text.chars().rev().collect::<String>());
}

fn spec() -> &'static HtmlSpec {
    static SPEC: OnceLock<HtmlSpec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let cfg = Config::from_toml_str(
            r##"
[[sources]]
id = "page"
kind = "html"
url = "http://127.0.0.1/list/"
schedule = "every 10m"
item = "ul li"
title = "a"
date = "span"
body = "#zoom"
"##,
            None,
        )
        .expect("the fuzz html source is valid");
        match cfg.sources.into_iter().next().map(|s| s.spec) {
            Some(SourceSpec::Html(h)) => h,
            _ => unreachable!("the fuzz source is an html source"),
        }
    })
}

/// RSS/Atom/JSON feeds, HTML list pages, articles, JavaScript redirects and charset sniffing.
pub fn feeds_html(data: &[u8]) {
    let _ = rss::parse_feed(data, "fuzz", now());
    let (text, _, _) =
        crate::fetch::charset::decode_html(data, Some("text/html"), Some("www.mofcom.gov.cn"));
    let url = url::Url::parse("http://127.0.0.1/list/").expect("a valid URL");
    let _ = html::parse_list(&text, &url, spec(), now());
    let _ = html::parse_article(&text, Some("#zoom"), now());
    let _ = html::js_redirect(&text, &url);
}

/// Every time format windvane reads.
pub fn time(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = time::parse_time(&text, now());
}

/// The configuration loader and its validation.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = Config::from_toml_str(&text, None) {
        let _ = e.to_string();
    }
}
