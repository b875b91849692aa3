//! Weibo through the mobile JSON API (m.weibo.cn): the timeline of an account
//! (`getIndex?containerid=107603{uid}`) and long texts (`statuses/extend`). Pure parsing;
//! requests are made by the pipeline through `fetch`.

use chrono::{DateTime, Utc};
use scraper::{Html, Node};
use serde_json::Value;
use url::Url;

use crate::post::{ParseIssue, Post, PostDetail, Retweet};
use crate::sources::time::parse_time;

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
    /// Entries of `data.cards` (of any type), so an empty list can be told from a list of
    /// cards that are not posts.
    pub cards: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum WeiboParseError {
    #[error("the response is not JSON ({0}); the API may have changed or the body was cut")]
    NotJson(String),
    #[error("the response has no `ok` field; the API shape changed")]
    NoOk,
    #[error("unexpected `ok` = {0}")]
    UnexpectedOk(String),
    /// The first place where the answer is not the shape a timeline has.
    #[error("unexpected shape at `{path}`: {problem}; the API may have changed")]
    Shape { path: String, problem: String },
}

fn shape(path: &str, problem: impl Into<String>) -> WeiboParseError {
    WeiboParseError::Shape {
        path: path.to_string(),
        problem: problem.into(),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Where the elements of the array at `data.cards` sit in a JSON body: the array's byte
/// range and each element's. A linear scan that does not decode anything, so one card with
/// invalid UTF-8, an out-of-range number or deep nesting can be parsed (and fail) alone.
fn locate_cards(body: &[u8]) -> Option<(std::ops::Range<usize>, Vec<std::ops::Range<usize>>)> {
    // Per open container: is it an object, and its current key (objects only).
    let mut stack: Vec<(bool, Vec<u8>)> = Vec::new();
    let mut expect_key = false;
    let mut cards: Option<(usize, usize)> = None; // (array start, depth inside it)
    let mut elems = Vec::new();
    let mut elem_start: Option<usize> = None;
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        let in_cards = cards.is_some_and(|(_, d)| d == stack.len());
        if in_cards && elem_start.is_none() && !c.is_ascii_whitespace() && c != b',' && c != b']' {
            elem_start = Some(i);
        }
        match c {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(top) = stack.last_mut() {
                        top.1 = body.get(start..i.min(body.len()))?.to_vec();
                    }
                    expect_key = false;
                }
            }
            b'{' | b'[' => {
                let path_is_cards = stack.len() == 2
                    && stack[0].0
                    && stack[0].1 == b"data"
                    && stack[1].0
                    && stack[1].1 == b"cards";
                stack.push((c == b'{', Vec::new()));
                expect_key = c == b'{';
                if c == b'[' && path_is_cards && cards.is_none() {
                    cards = Some((i, stack.len()));
                }
            }
            b'}' | b']' => {
                if let Some((start, d)) = cards {
                    if d == stack.len() {
                        if let Some(s) = elem_start.take() {
                            elems.push(s..i);
                        }
                        if c == b']' {
                            return Some((start..i + 1, elems));
                        }
                    }
                }
                stack.pop();
            }
            b',' => {
                if in_cards {
                    if let Some(s) = elem_start.take() {
                        elems.push(s..i);
                    }
                }
                expect_key = stack.last().is_some_and(|t| t.0);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The default timeline container of an account: the "微博" tab, `107603{uid}`.
pub fn default_container(uid: &str) -> String {
    format!("107603{uid}")
}

/// A timeline page of `containerid` (from `tabsInfo`, or `default_container`).
pub fn timeline_url(api_base: &Url, uid: &str, containerid: &str, since_id: Option<&str>) -> Url {
    let mut url = api_base.clone();
    url.set_path("/api/container/getIndex");
    {
        let mut q = url.query_pairs_mut();
        q.clear();
        q.append_pair("type", "uid");
        q.append_pair("value", uid);
        q.append_pair("containerid", containerid);
        if let Some(s) = since_id {
            q.append_pair("since_id", s);
        }
    }
    url
}

/// The profile of an account: `getIndex?type=uid&value={uid}` without a container answers
/// `userInfo` and `tabsInfo` (REFERENCE §1.1).
pub fn profile_url(api_base: &Url, uid: &str) -> Url {
    let mut url = api_base.clone();
    url.set_path("/api/container/getIndex");
    url.query_pairs_mut()
        .clear()
        .append_pair("type", "uid")
        .append_pair("value", uid);
    url
}

/// `m.weibo.cn/n/{screen_name}`: the mobile site redirects it to `/u/{uid}`.
pub fn screen_name_url(api_base: &Url, screen_name: &str) -> Url {
    let mut url = api_base.clone();
    url.set_query(None);
    url.set_path("/n/");
    if let Ok(mut segs) = url.path_segments_mut() {
        segs.pop_if_empty().push(screen_name);
    }
    url
}

/// The uid in the address a `/n/{screen_name}` lookup landed on (`/u/{uid}` or
/// `/profile/{uid}`), if it is a profile address.
pub fn uid_from_profile_address(url: &Url) -> Option<String> {
    let mut segs = url.path_segments()?;
    match segs.next()? {
        "u" | "profile" => {}
        _ => return None,
    }
    let uid = segs.next()?;
    (!uid.is_empty() && uid.chars().all(|c| c.is_ascii_digit())).then(|| uid.to_string())
}

/// What an account's profile says: its uid, screen name and the container of its "微博" tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub uid: String,
    pub screen_name: Option<String>,
    /// `tabsInfo.tabs[]` entry with `tab_type == "weibo"` (or `tabKey == "weibo"`).
    pub containerid: Option<String>,
}

/// Reads a profile answer (`getIndex?type=uid&value=…`); `None` when it is not one (`ok:0`,
/// no `userInfo`).
pub fn parse_profile(body: &[u8]) -> Option<Profile> {
    let v: Value = serde_json::from_slice(body).ok()?;
    if ok_value(&v) != Some(1) {
        return None;
    }
    let data = v.get("data")?;
    let user = data.get("userInfo")?;
    let uid = user.get("id").and_then(id_string)?;
    let containerid = data
        .get("tabsInfo")
        .and_then(|t| t.get("tabs"))
        .and_then(Value::as_array)
        .and_then(|tabs| {
            tabs.iter().find(|t| {
                t.get("tab_type").and_then(Value::as_str) == Some("weibo")
                    || t.get("tabKey").and_then(Value::as_str) == Some("weibo")
            })
        })
        .and_then(|t| t.get("containerid"))
        .and_then(id_string);
    Some(Profile {
        uid,
        screen_name: user
            .get("screen_name")
            .and_then(Value::as_str)
            .map(str::to_string),
        containerid,
    })
}

/// Whether a request ended in Weibo's visitor or login system (a redirect there is a refusal:
/// REFERENCE §1.1 "302 (to the visitor or login system)").
pub fn is_passport_address(url: &Url) -> bool {
    let host = url.host_str().unwrap_or("");
    let path = url.path();
    host.starts_with("passport.")
        || host.contains(".passport.")
        || ["/visitor/", "/signin", "/sso/"]
            .iter()
            .any(|p| path.starts_with(p))
}

/// The refusal an answer carries (`ok:-100` with its captcha or login address), if any.
pub fn refusal(body: &[u8]) -> Option<String> {
    // Refusals are tiny; a timeline page is never parsed twice for this.
    if body.len() > 4096 {
        return None;
    }
    let v: Value = serde_json::from_slice(body).ok()?;
    (ok_value(&v) == Some(-100)).then(|| {
        let url = v.get("url").and_then(Value::as_str).unwrap_or("");
        format!("ok:-100, {url}")
    })
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

/// `m.weibo.cn/detail/{mid}`: the post's HTML page, whose `$render_data` holds the whole
/// mblog; the last long-text fallback.
pub fn detail_url(api_base: &Url, mid: &str) -> Url {
    let mut url = api_base.clone();
    url.set_query(None);
    url.set_path("/detail/");
    if let Ok(mut segs) = url.path_segments_mut() {
        segs.pop_if_empty().push(mid);
    }
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

/// Reads a `detail/{mid}` HTML page: `var $render_data = [{"status": {<mblog>}, …}][0] || {};`
/// (REFERENCE §1.2). The full plain text, if the page has it and it is not itself cut.
pub fn parse_detail_page(html: &str) -> Option<String> {
    let at = html.find("$render_data")?;
    let rest = &html[at..];
    let rest = &rest[rest.find('=')? + 1..];
    // The JSON value ends where the script goes on (`[0] || {};`): read exactly one value.
    let v: Value = serde_json::Deserializer::from_str(rest.trim_start())
        .into_iter::<Value>()
        .next()?
        .ok()?;
    let status = v.get(0).unwrap_or(&v).get("status")?;
    let html = status
        .get("longText")
        .and_then(|l| l.get("content"))
        .and_then(Value::as_str)
        .or_else(|| status.get("text").and_then(Value::as_str))?;
    if html.contains(">全文<") {
        return None;
    }
    let text = weibo_html_to_text(html);
    (!text.is_empty()).then_some(text)
}

/// What an mblog says beyond its text: when it was last edited, its pictures and its counts.
pub fn post_detail(mblog: &Value, now: DateTime<Utc>) -> PostDetail {
    let edit_at_raw = mblog
        .get("edit_at")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string);
    PostDetail {
        edit_at: edit_at_raw.as_deref().and_then(|r| parse_time(r, now)),
        edit_at_raw,
        pics: pic_urls(mblog),
        reposts: mblog.get("reposts_count").and_then(parse_count),
        comments: mblog.get("comments_count").and_then(parse_count),
        attitudes: mblog.get("attitudes_count").and_then(parse_count),
    }
}

/// `post_detail` of a post's stored `raw` mblog JSON; empty when `raw` is not one.
pub fn post_detail_from_raw(raw: &str, now: DateTime<Utc>) -> PostDetail {
    match serde_json::from_str::<Value>(raw) {
        Ok(v) if v.is_object() => post_detail(&v, now),
        _ => PostDetail::default(),
    }
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
    // One bad card must not cost the page: when the whole body does not parse, the cards are
    // cut out and parsed one by one, and the rest must parse without them.
    let (v, cards): (Value, Vec<Result<Value, String>>) =
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => {
                let cards = match v.get("data").and_then(|d| d.get("cards")) {
                    Some(Value::Array(a)) => a.iter().cloned().map(Ok).collect(),
                    _ => Vec::new(),
                };
                (v, cards)
            }
            Err(whole) => {
                let Some((array, elems)) = locate_cards(body) else {
                    return Err(WeiboParseError::NotJson(whole.to_string()));
                };
                let mut rest = body[..array.start].to_vec();
                rest.extend_from_slice(b"[]");
                rest.extend_from_slice(&body[array.end..]);
                let v: Value = serde_json::from_slice(&rest)
                    .map_err(|_| WeiboParseError::NotJson(whole.to_string()))?;
                let cards = elems
                    .into_iter()
                    .map(|r| serde_json::from_slice::<Value>(&body[r]).map_err(|e| e.to_string()))
                    .collect();
                (v, cards)
            }
        };
    if !v.is_object() {
        return Err(shape("$", format!("{}, expected an object", json_kind(&v))));
    }
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
    let data = match v.get("data") {
        Some(d @ Value::Object(_)) => d,
        Some(other) => {
            return Err(shape(
                "data",
                format!("{}, expected an object with `cards`", json_kind(other)),
            ))
        }
        None => return Err(shape("data", "missing")),
    };
    match data.get("cards") {
        Some(Value::Array(_)) => {}
        Some(other) => {
            return Err(shape(
                "data.cards",
                format!("{}, expected an array", json_kind(other)),
            ))
        }
        None => return Err(shape("data.cards", "missing")),
    }
    let info = data.get("cardlistInfo");
    let since_id = info
        .and_then(|i| i.get("since_id"))
        .and_then(id_string)
        .filter(|s| s != "0");
    let mut page = TimelinePage {
        since_id,
        cards: cards.len(),
        ..Default::default()
    };
    for (i, card) in cards.iter().enumerate() {
        let card = match card {
            Ok(c) => c,
            Err(e) => {
                page.issues.push(ParseIssue {
                    item: format!("cards[{i}]"),
                    problem: format!("not readable JSON: {e}"),
                });
                continue;
            }
        };
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

/// The text between tags, linear in the input, for markup too deep to parse.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Weibo's HTML to plain text: `<br>` → newline, emoji `<img alt>` kept, topic and mention
/// links kept as their text, the trailing 全文 link dropped.
pub fn weibo_html_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.trim().to_string();
    }
    if crate::sources::markup::check(html).is_err() {
        // Too deep to build a tree in reasonable time: the text between the tags.
        return strip_tags(html);
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
        let base = Url::parse("http://127.0.0.1:9/").unwrap();
        let u = timeline_url(
            &base,
            "2656274875",
            &default_container("2656274875"),
            Some("42"),
        );
        assert_eq!(u.path(), "/api/container/getIndex");
        assert!(u.query().unwrap().contains("containerid=1076032656274875"));
        assert!(u.query().unwrap().contains("since_id=42"));
        let p = profile_url(&base, "2656274875");
        assert_eq!(p.query(), Some("type=uid&value=2656274875"));
        let n = screen_name_url(&base, "央视新闻");
        assert_eq!(n.path(), "/n/%E5%A4%AE%E8%A7%86%E6%96%B0%E9%97%BB");
        assert_eq!(
            detail_url(&base, "123").as_str(),
            "http://127.0.0.1:9/detail/123"
        );
    }

    #[test]
    fn profile_addresses() {
        let uid = |u: &str| uid_from_profile_address(&Url::parse(u).unwrap());
        assert_eq!(
            uid("https://m.weibo.cn/u/2656274875").as_deref(),
            Some("2656274875")
        );
        assert_eq!(
            uid("https://m.weibo.cn/profile/2656274875?x=1").as_deref(),
            Some("2656274875")
        );
        assert_eq!(uid("https://m.weibo.cn/n/%E5%A4%AE"), None);
        assert_eq!(
            uid("https://passport.weibo.com/visitor/visitor?entry=miniblog"),
            None
        );
        assert_eq!(uid("https://m.weibo.cn/u/abc"), None);
        let passport = |u: &str| is_passport_address(&Url::parse(u).unwrap());
        assert!(passport(
            "https://passport.weibo.com/visitor/visitor?entry=miniblog"
        ));
        assert!(passport("http://127.0.0.1:1/visitor/visitor"));
        assert!(!passport("https://m.weibo.cn/u/1"));
    }

    #[test]
    fn detail_pages_and_refusals() {
        let page = r#"<html><script>var $render_data = [{"status": {"id": "1", "text": "完整<br />正文 <a href='/n/x'>@x</a>"}, "call": "1"}][0] || {};
var x = 1;</script></html>"#;
        assert_eq!(parse_detail_page(page).as_deref(), Some("完整\n正文 @x"));
        let cut = r#"var $render_data = [{"status": {"text": "半截...<a href=\"/status/1\">全文</a>"}}][0] || {};"#;
        assert_eq!(parse_detail_page(cut), None);
        assert_eq!(parse_detail_page("<html>登录</html>"), None);
        assert_eq!(parse_detail_page("var $render_data = [{\"stat"), None);
        assert_eq!(
            refusal(br#"{"ok":-100,"url":"https://m.weibo.cn/captcha"}"#).as_deref(),
            Some("ok:-100, https://m.weibo.cn/captcha")
        );
        assert_eq!(refusal(br#"{"ok":1,"data":{}}"#), None);
    }

    #[test]
    fn details_of_an_mblog() {
        let now = Utc::now();
        let m = serde_json::json!({"edit_at": "Wed Jun 16 10:51:10 +0800 2021",
            "pics": {"0": {"large": {"url": "L0"}}}, "reposts_count": "100万+",
            "comments_count": 12, "attitudes_count": "1.5万"});
        let d = post_detail(&m, now);
        assert_eq!(d.edit_at.unwrap().to_rfc3339(), "2021-06-16T02:51:10+00:00");
        assert_eq!(
            d.edit_at_raw.as_deref(),
            Some("Wed Jun 16 10:51:10 +0800 2021")
        );
        assert_eq!(d.pics, ["L0"]);
        assert_eq!(
            (d.reposts, d.comments, d.attitudes),
            (Some(1_000_000), Some(12), Some(15_000))
        );
        assert_eq!(post_detail_from_raw("not json", now), PostDetail::default());
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
