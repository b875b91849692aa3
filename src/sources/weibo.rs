//! Weibo through the mobile JSON API (m.weibo.cn): the timeline of an account
//! (`getIndex?containerid=107603{uid}`) and long texts (`statuses/extend`). Pure parsing;
//! requests are made by the pipeline through `fetch`.

use chrono::{DateTime, Utc};
use scraper::{Html, Node};
use serde_json::Value;
use url::Url;

use super::time::parse_time;
use super::{ParseIssue, Post, Retweet};

/// What a timeline response said.
#[derive(Debug)]
pub enum TimelineResponse {
    Page(TimelinePage),
    /// `ok: 0` with no cards: wrong container, empty or private account.
    Empty {
        msg: String,
    },
    /// `ok: -100`: captcha or login/visitor cookie required.
    Blocked {
        url: String,
    },
}

#[derive(Debug, Default)]
pub struct TimelinePage {
    pub posts: Vec<Post>,
    pub issues: Vec<ParseIssue>,
    /// `cardlistInfo.since_id`, for the next page.
    pub since_id: Option<String>,
    pub total: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum WeiboParseError {
    #[error("the response is not JSON ({0}); the API may have changed or the body was cut")]
    NotJson(String),
    #[error("the response has no `ok` field; the API shape changed")]
    NoOk,
    #[error("unexpected `ok` = {0}")]
    UnexpectedOk(String),
}

pub fn timeline_url(api_base: &Url, uid: &str, since_id: Option<&str>) -> Url {
    let mut url = api_base.clone();
    url.set_path("/api/container/getIndex");
    {
        let mut q = url.query_pairs_mut();
        q.clear();
        q.append_pair("type", "uid");
        q.append_pair("value", uid);
        q.append_pair("containerid", &format!("107603{uid}"));
        if let Some(s) = since_id {
            q.append_pair("since_id", s);
        }
    }
    url
}

pub fn extend_url(api_base: &Url, mid: &str) -> Url {
    let mut url = api_base.clone();
    url.set_path("/statuses/extend");
    url.query_pairs_mut().clear().append_pair("id", mid);
    url
}

/// `statuses/show?id=…`: the full post, the fallback when `statuses/extend` fails.
pub fn show_url(api_base: &Url, mid: &str) -> Url {
    let mut url = api_base.clone();
    url.set_path("/statuses/show");
    url.query_pairs_mut().clear().append_pair("id", mid);
    url
}

/// The visitor passport endpoint (REFERENCE §1.6).
pub fn genvisitor_url(passport_base: &Url) -> Url {
    let mut url = passport_base.clone();
    url.set_path("/visitor/genvisitor2");
    url.set_query(None);
    url
}

/// The form `genvisitor2` expects.
pub fn genvisitor_form() -> Vec<(&'static str, String)> {
    vec![
        ("cb", "visitor_gray_callback".into()),
        ("tid", String::new()),
        ("from", "weibo".into()),
        ("webdriver", "false".into()),
    ]
}

/// A `genvisitor2` JSONP answer (`visitor_gray_callback({...})`) to a `Cookie` header value
/// `SUB=…; SUBP=…`, or `None` when it carries no `data.sub`.
pub fn parse_genvisitor(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let json = match (text.find('('), text.rfind(')')) {
        (Some(a), Some(b)) if a < b && !text.starts_with('{') => &text[a + 1..b],
        _ => text,
    };
    let v: Value = serde_json::from_str(json).ok()?;
    let data = v.get("data")?;
    let sub = data
        .get("sub")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())?;
    let mut cookie = format!("SUB={sub}");
    if let Some(subp) = data
        .get("subp")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        cookie.push_str(&format!("; SUBP={subp}"));
    }
    Some(cookie)
}

/// Parses a `statuses/show` body into the full plain text, if it is complete (not itself cut
/// at 全文).
pub fn parse_show(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    if ok_value(&v) != Some(1) {
        return None;
    }
    let data = v.get("data")?;
    let html = data
        .get("longText")
        .and_then(|l| l.get("content"))
        .and_then(Value::as_str)
        .or_else(|| data.get("text").and_then(Value::as_str))?;
    if html.contains(">全文<") {
        return None;
    }
    let text = weibo_html_to_text(html);
    (!text.is_empty()).then_some(text)
}

/// Picture URLs of an mblog: `pics` is an array, or an object keyed "0", "1", … (RSSHub saw
/// both); the large version is preferred.
pub fn pic_urls(mblog: &Value) -> Vec<String> {
    let pics: Vec<&Value> = match mblog.get("pics") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Object(o)) => {
            let mut items: Vec<(&String, &Value)> = o.iter().collect();
            items.sort_by_key(|(k, _)| k.parse::<u32>().unwrap_or(u32::MAX));
            items.into_iter().map(|(_, v)| v).collect()
        }
        _ => Vec::new(),
    };
    pics.into_iter()
        .filter_map(|p| {
            p.get("large")
                .and_then(|l| l.get("url"))
                .or_else(|| p.get("url"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect()
}

/// A count as Weibo writes it: 123, "123", "1.5万", "100万+", "2亿".
pub fn parse_count(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => {
            let s = s.trim().trim_end_matches('+');
            let (num, mult) = if let Some(n) = s.strip_suffix('万') {
                (n, 10_000.0)
            } else if let Some(n) = s.strip_suffix('亿') {
                (n, 100_000_000.0)
            } else {
                (s, 1.0)
            };
            let x: f64 = num.trim().parse().ok()?;
            (x >= 0.0).then(|| (x * mult).round() as u64)
        }
        _ => None,
    }
}

fn ok_value(v: &Value) -> Option<i64> {
    match v.get("ok")? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// Parses a `getIndex` body. One malformed card costs one card, not the page.
pub fn parse_timeline(
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<TimelineResponse, WeiboParseError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| WeiboParseError::NotJson(e.to_string()))?;
    match ok_value(&v) {
        Some(1) => {}
        Some(0) => {
            return Ok(TimelineResponse::Empty {
                msg: v
                    .get("msg")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            })
        }
        Some(-100) => {
            return Ok(TimelineResponse::Blocked {
                url: v
                    .get("url")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            })
        }
        Some(other) => return Err(WeiboParseError::UnexpectedOk(other.to_string())),
        None => return Err(WeiboParseError::NoOk),
    }
    let data = v.get("data").cloned().unwrap_or(Value::Null);
    let info = data.get("cardlistInfo");
    let since_id = info
        .and_then(|i| i.get("since_id"))
        .and_then(id_string)
        .filter(|s| s != "0");
    let total = info.and_then(|i| i.get("total")).and_then(Value::as_u64);
    let mut page = TimelinePage {
        since_id,
        total,
        ..Default::default()
    };
    let cards = data
        .get("cards")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, card) in cards.iter().enumerate() {
        // Card groups (search pages, type 11) nest posts one level down.
        let nested: Vec<&Value> = match card.get("card_group").and_then(Value::as_array) {
            Some(g) => g.iter().collect(),
            None => vec![card],
        };
        for c in nested {
            if c.get("card_type").and_then(Value::as_i64) != Some(9) {
                continue;
            }
            match mblog_to_post(c, now) {
                Ok(p) => page.posts.push(p),
                Err(problem) => page.issues.push(ParseIssue {
                    item: format!("cards[{i}]"),
                    problem,
                }),
            }
        }
    }
    Ok(TimelineResponse::Page(page))
}

/// Ids arrive as strings or numbers depending on the endpoint.
fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn is_true(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0) != 0,
        Some(Value::String(s)) => s == "1" || s == "true",
        _ => false,
    }
}

/// One `card_type: 9` card to a post.
pub fn mblog_to_post(card: &Value, now: DateTime<Utc>) -> Result<Post, String> {
    let mblog = card.get("mblog").ok_or("card has no `mblog`")?;
    let mid = mblog
        .get("mid")
        .and_then(id_string)
        .or_else(|| mblog.get("id").and_then(id_string))
        .ok_or("mblog has no id")?;
    let created_raw = mblog
        .get("created_at")
        .and_then(Value::as_str)
        .ok_or("mblog has no created_at")?
        .to_string();
    let created_at = parse_time(&created_raw, now)
        .ok_or_else(|| format!("cannot read created_at `{created_raw}`"))?;
    let user = mblog.get("user").filter(|u| !u.is_null());
    let author = user
        .and_then(|u| u.get("screen_name"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let uid = user
        .and_then(|u| u.get("id"))
        .and_then(id_string)
        .unwrap_or_default();
    let html = mblog.get("text").and_then(Value::as_str).unwrap_or("");
    let text = weibo_html_to_text(html);
    let bid = mblog
        .get("bid")
        .and_then(Value::as_str)
        .filter(|b| !b.is_empty())
        .map(str::to_string)
        .or_else(|| bid_from_scheme(card.get("scheme").and_then(Value::as_str).unwrap_or("")));
    let url = match (&bid, uid.is_empty()) {
        (Some(b), false) => format!("https://weibo.com/{uid}/{b}"),
        _ => format!("https://m.weibo.cn/detail/{mid}"),
    };
    let pinned = is_true(mblog.get("isTop"))
        || mblog.get("mblogtype").and_then(Value::as_i64) == Some(2)
        || card
            .get("profile_type_id")
            .and_then(Value::as_str)
            .is_some_and(|p| p.starts_with("proweibotop"));
    let truncated = is_true(mblog.get("isLongText")) || html.contains(">全文<");
    let edit_count = mblog.get("edit_count").and_then(Value::as_u64).unwrap_or(0) as u32;
    let retweet = mblog
        .get("retweeted_status")
        .filter(|r| r.is_object())
        .map(|rt| {
            let author = rt
                .get("user")
                .filter(|u| !u.is_null())
                .and_then(|u| u.get("screen_name"))
                .and_then(Value::as_str)
                .map(str::to_string);
            Retweet {
                platform_id: rt
                    .get("mid")
                    .and_then(id_string)
                    .or_else(|| rt.get("id").and_then(id_string))
                    .unwrap_or_default(),
                author,
                text: weibo_html_to_text(rt.get("text").and_then(Value::as_str).unwrap_or("")),
            }
        });
    Ok(Post {
        platform_id: mid,
        author,
        text,
        created_at,
        created_at_raw: created_raw,
        url,
        pinned,
        truncated,
        edit_count,
        retweet,
        raw: mblog.to_string(),
    })
}

fn bid_from_scheme(scheme: &str) -> Option<String> {
    let after = scheme.split("/status/").nth(1)?;
    let bid: String = after
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (!bid.is_empty()).then_some(bid)
}

/// Parses a `statuses/extend` body into the full plain text, if it has one.
pub fn parse_long_text(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    if ok_value(&v) != Some(1) {
        return None;
    }
    let data = v.get("data")?;
    if data.get("ok").is_some() && ok_value(data) != Some(1) {
        return None;
    }
    let html = data.get("longTextContent").and_then(Value::as_str)?;
    let text = weibo_html_to_text(html);
    (!text.is_empty()).then_some(text)
}

/// Weibo's HTML to plain text: `<br>` → newline, emoji `<img alt>` kept, topic and mention
/// links kept as their text, the trailing 全文 link dropped.
pub fn weibo_html_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.trim().to_string();
    }
    let frag = Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len());
    for node in frag.root_element().descendants() {
        match node.value() {
            Node::Text(t) => {
                // Skip the 全文 ("full text") link itself.
                let in_more_link = t.trim() == "全文"
                    && node
                        .ancestors()
                        .any(|a| a.value().as_element().is_some_and(|e| e.name() == "a"));
                if !in_more_link {
                    out.push_str(t);
                }
            }
            Node::Element(e) => match e.name() {
                "br" => out.push('\n'),
                "img" => {
                    if let Some(alt) = e.attr("alt") {
                        out.push_str(alt);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    let trimmed = out.trim_end();
    let trimmed = trimmed.strip_suffix("...").unwrap_or(trimmed);
    trimmed.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_text() {
        let html = "<a href='/n/胡歌'>@胡歌</a> 你好<br />世界 <span class='url-icon'><img alt=[泪] src='x'></span> <a href=\"https://m.weibo.cn/search?containerid=1\"><span class=\"surl-text\">#零废弃日#</span></a> 更多...<a href=\"/status/123\">全文</a>";
        assert_eq!(
            weibo_html_to_text(html),
            "@胡歌 你好\n世界 [泪] #零废弃日# 更多"
        );
    }

    #[test]
    fn timeline_url_has_container() {
        let u = timeline_url(
            &Url::parse("http://127.0.0.1:9/").unwrap(),
            "2656274875",
            Some("42"),
        );
        assert_eq!(u.path(), "/api/container/getIndex");
        assert!(u.query().unwrap().contains("containerid=1076032656274875"));
        assert!(u.query().unwrap().contains("since_id=42"));
    }

    #[test]
    fn pics_and_counts_in_every_shape() {
        let arr =
            serde_json::json!({"pics": [{"url": "s1", "large": {"url": "l1"}}, {"url": "s2"}]});
        assert_eq!(pic_urls(&arr), ["l1", "s2"]);
        let obj = serde_json::json!({"pics": {"1": {"url": "b"}, "0": {"large": {"url": "a"}}}});
        assert_eq!(pic_urls(&obj), ["a", "b"]);
        assert!(pic_urls(&serde_json::json!({"pics": null})).is_empty());
        let c = |v: serde_json::Value| parse_count(&v);
        assert_eq!(c(serde_json::json!(28544)), Some(28544));
        assert_eq!(c(serde_json::json!("100万+")), Some(1_000_000));
        assert_eq!(c(serde_json::json!("7164.8万")), Some(71_648_000));
        assert_eq!(c(serde_json::json!("2亿")), Some(200_000_000));
        assert_eq!(c(serde_json::json!("很多")), None);
        // A card with an object `pics` and string counts still parses.
        let card = serde_json::json!({"card_type": 9, "mblog": {
            "mid": "1", "created_at": "Tue Apr 22 10:00:00 +0800 2025", "text": "x",
            "pics": {"0": {"url": "u"}}, "reposts_count": "100万+", "attitudes_count": "1.2万",
            "user": {"id": 5, "screen_name": "n"}}});
        assert!(mblog_to_post(&card, Utc::now()).is_ok());
    }

    #[test]
    fn visitor_and_show_bodies() {
        let jsonp = br#"window.visitor_gray_callback && visitor_gray_callback({"retcode":20000000,"msg":"succ","data":{"sub":"_2AkMabc","subp":"0033Wr"}});"#;
        assert_eq!(
            parse_genvisitor(jsonp).as_deref(),
            Some("SUB=_2AkMabc; SUBP=0033Wr")
        );
        assert_eq!(
            parse_genvisitor(br#"{"data":{"sub":"s"}}"#).as_deref(),
            Some("SUB=s")
        );
        assert_eq!(
            parse_genvisitor(br#"visitor_gray_callback({"retcode":1,"data":{}})"#),
            None
        );
        let show = r#"{"ok":1,"data":{"text":"完整的<br />正文"}}"#;
        assert_eq!(parse_show(show.as_bytes()).as_deref(), Some("完整的\n正文"));
        let cut = r#"{"ok":1,"data":{"text":"半截...<a href=\"/status/1\">全文</a>"}}"#;
        assert_eq!(parse_show(cut.as_bytes()), None);
    }

    #[test]
    fn blocked_and_empty() {
        let now = Utc::now();
        assert!(matches!(
            parse_timeline(br#"{"ok":-100,"url":"https://m.weibo.cn/captcha"}"#, now).unwrap(),
            TimelineResponse::Blocked { .. }
        ));
        assert!(matches!(
            parse_timeline(
                r#"{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"#.as_bytes(),
                now
            )
            .unwrap(),
            TimelineResponse::Empty { .. }
        ));
        assert!(parse_timeline(br#"{"ok":1,"data":{"cards":[{"card_ty"#, now).is_err());
    }
}
