//! Weibo archives other tools saved, read one element or row at a time (pure: no IO, `now`
//! resolves relative times): dataabc/weibo-crawler JSON elements and CSV rows, saved Weibo
//! search results, a saved getIndex page. Finding the format, reading files (streamed, so
//! memory stays flat) and writing batches is `bulk::import`'s; what a Weibo archive means is
//! here, beside the live parser. The CSV row reader also serves import's generic
//! `text`,`created_at` CSV (`Columns::GENERIC`): one reader, two column sets.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{parse_timeline, weibo_html_to_text, TimelineResponse};
use crate::post::{Post, Retweet};
use crate::sources::time::parse_time;

/// A saved getIndex page (one API answer, read by the live parser) with the account it
/// belongs to: the uid from the first post URL that names one, the first author's name.
#[derive(Debug, Default)]
pub(crate) struct SavedPage {
    pub uid: Option<String>,
    pub screen_name: Option<String>,
    pub posts: Vec<Post>,
    /// (item, problem) of each post the parser could not read.
    pub bad: Vec<(String, String)>,
}

/// Reads a saved getIndex page; a saved refusal or unreadable JSON is the error.
pub(crate) fn saved_page(bytes: &[u8], now: DateTime<Utc>) -> Result<SavedPage, String> {
    match parse_timeline(bytes, now) {
        Ok(TimelineResponse::Page(page)) => {
            let uid = page
                .posts
                .iter()
                .find_map(|p| uid_from_url(&p.url))
                .map(str::to_string);
            let screen_name = page
                .posts
                .iter()
                .map(|p| p.author.clone())
                .find(|a| !a.is_empty());
            Ok(SavedPage {
                uid,
                screen_name,
                posts: page.posts,
                bad: page
                    .issues
                    .into_iter()
                    .map(|i| (i.item, i.problem))
                    .collect(),
            })
        }
        Ok(TimelineResponse::Empty { .. }) => Ok(SavedPage::default()),
        Ok(TimelineResponse::Blocked { url }) => {
            Err(format!("a saved refusal (ok -100, {url}), not a timeline"))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// One element of a weibo-crawler JSON `weibo` array. `uid` and `screen_name` are the file's
/// account (its `user`), for elements that do not name their own.
pub(crate) fn crawler_json_post(
    w: &Value,
    uid: Option<&str>,
    screen_name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Post, String> {
    let mid = json_id(w.get("id")).ok_or("no `id`")?;
    let text = json_str(w, "text").to_string();
    if text.trim().is_empty() {
        return Err("empty `text`".into());
    }
    let raw_time = [json_str(w, "full_created_at"), json_str(w, "created_at")]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .ok_or("no `created_at`")?
        .to_string();
    let created_at =
        parse_time(&raw_time, now).ok_or_else(|| format!("cannot read the time `{raw_time}`"))?;
    let uid = json_id(w.get("user_id"))
        .or_else(|| uid.map(str::to_string))
        .unwrap_or_default();
    let author = w
        .get("screen_name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| screen_name.map(str::to_string))
        .unwrap_or_default();
    let retweet = w.get("retweet").filter(|r| r.is_object()).map(|r| Retweet {
        platform_id: json_id(r.get("id")).unwrap_or_default(),
        author: r
            .get("screen_name")
            .and_then(Value::as_str)
            .map(str::to_string),
        text: json_str(r, "text").to_string(),
    });
    Ok(Post {
        url: weibo_url(&uid, json_str(w, "bid"), &mid),
        platform_id: mid,
        author,
        text,
        created_at,
        created_at_raw: raw_time,
        pinned: false,
        truncated: false,
        edit_count: 0,
        retweet,
        raw: w.to_string(),
    })
}

/// A search result's author: each post of a saved search belongs to its author's account.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Author {
    pub uid: String,
    pub name: String,
}

/// One element of a saved search's `result` array (`{id, created_at, text (Weibo HTML),
/// user {id, screen_name, …}}`).
pub(crate) fn search_post(w: &Value, now: DateTime<Utc>) -> Result<(Post, Author), String> {
    let mid = json_id(w.get("id")).ok_or("no `id`")?;
    let text = weibo_html_to_text(json_str(w, "text"));
    if text.trim().is_empty() {
        return Err("empty `text`".into());
    }
    let user = w.get("user").filter(|u| u.is_object()).ok_or("no `user`")?;
    let uid = json_id(user.get("id")).ok_or("no `user.id`")?;
    let name = json_str(user, "screen_name").to_string();
    let raw_time = json_str(w, "created_at").to_string();
    let created_at = search_time(&raw_time, &mid, now)
        .ok_or_else(|| format!("cannot read the time `{raw_time}`"))?;
    let post = Post {
        url: format!("https://m.weibo.cn/detail/{mid}"),
        platform_id: mid,
        author: name.clone(),
        text,
        created_at,
        created_at_raw: raw_time,
        pinned: false,
        truncated: false,
        edit_count: 0,
        retweet: None,
        raw: w.to_string(),
    };
    Ok((post, Author { uid, name }))
}

/// A search result's time. Search pages write "05-13" (this year), "2018-09-18" or "16小时前",
/// relative to a crawl time the file does not keep. The post's mid carries its own creation
/// second (see [`time_from_mid`]); it is used when the written date agrees with it (or is
/// relative), else the written date wins.
fn search_time(raw: &str, mid: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let Some(t) = time_from_mid(mid, now) else {
        return parse_time(raw, now);
    };
    let s = raw.trim();
    let relative = s.ends_with('前')
        || ["刚刚", "今天", "昨天", "前天"]
            .iter()
            .any(|p| s.starts_with(p));
    if relative {
        return Some(t);
    }
    let written = parse_time(raw, t)?;
    let day = |x: DateTime<Utc>| (x + chrono::Duration::hours(8)).date_naive();
    Some(if day(written) == day(t) { t } else { written })
}

/// The creation time encoded in a Weibo mid: its top bits count seconds from Weibo's epoch
/// (`(mid >> 22) + 515483463` is the Unix time). `None` for ids that do not decode to a time
/// between Weibo's launch (2009-08) and `now` (plus a day).
pub(crate) fn time_from_mid(mid: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let n: u64 = mid.trim().parse().ok()?;
    let secs = i64::try_from(n >> 22).ok()?.checked_add(515_483_463)?;
    let t = DateTime::from_timestamp(secs, 0)?;
    let launch = DateTime::from_timestamp(1_250_000_000, 0)?;
    (t >= launch && t <= now + chrono::Duration::days(1)).then_some(t)
}

/// Which CSV columns hold what, by (lower-cased) header name; the first present wins.
pub(crate) struct Columns {
    id: &'static [&'static str],
    text: &'static [&'static str],
    time: &'static [&'static str],
    author: &'static [&'static str],
    url: &'static [&'static str],
    bid: &'static [&'static str],
    rt_id: &'static [&'static str],
    rt_author: &'static [&'static str],
    rt_text: &'static [&'static str],
}

impl Columns {
    pub(crate) const CRAWLER: Columns = Columns {
        id: &["id"],
        text: &["正文"],
        // 完整日期 (full time) when the crawler wrote it; 日期 is sometimes only the day.
        time: &["完整日期", "日期"],
        author: &[],
        url: &[],
        bid: &["bid"],
        rt_id: &["源微博id"],
        rt_author: &["源用户昵称"],
        rt_text: &["源微博正文"],
    };
    pub(crate) const GENERIC: Columns = Columns {
        id: &["id", "mid", "platform_id"],
        text: &["text"],
        time: &["created_at"],
        author: &["author", "screen_name"],
        url: &["url"],
        bid: &[],
        rt_id: &[],
        rt_author: &[],
        rt_text: &[],
    };
}

/// One CSV row (a weibo-crawler row, or a generic `text`,`created_at` row) read through
/// `cols`; `col` maps each lower-cased header to its column, `uid` is the file's account.
pub(crate) fn csv_post(
    r: &csv::StringRecord,
    col: &HashMap<String, usize>,
    cols: &Columns,
    uid: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Post, String> {
    let get = |names: &[&str]| -> Option<String> {
        names
            .iter()
            .filter_map(|n| col.get(*n).and_then(|&i| r.get(i)))
            // weibo-crawler writes ids with a trailing tab so spreadsheets keep them as text.
            .map(|s| s.trim().to_string())
            .find(|s| !s.is_empty())
    };
    let text = get(cols.text).ok_or("empty text")?;
    let raw_time = get(cols.time).ok_or("no time")?;
    let created_at =
        parse_time(&raw_time, now).ok_or_else(|| format!("cannot read the time `{raw_time}`"))?;
    let id = match get(cols.id) {
        Some(id) => id,
        // Without an id, the text and time identify the post (stable across re-imports).
        None => synthetic_id(&text, &raw_time),
    };
    let bid = get(cols.bid).unwrap_or_default();
    let url = get(cols.url).unwrap_or_else(|| {
        if cols.bid.is_empty() {
            String::new()
        } else {
            weibo_url(uid.unwrap_or(""), &bid, &id)
        }
    });
    let retweet = get(cols.rt_id)
        .or_else(|| get(cols.rt_text).map(|_| String::new()))
        .map(|rt_id| Retweet {
            platform_id: rt_id,
            author: get(cols.rt_author),
            text: get(cols.rt_text).unwrap_or_default(),
        });
    let raw = serde_json::to_string(&r.iter().collect::<Vec<_>>()).unwrap_or_default();
    Ok(Post {
        platform_id: id,
        author: get(cols.author).unwrap_or_default(),
        text,
        created_at,
        created_at_raw: raw_time,
        url,
        pinned: false,
        truncated: false,
        edit_count: 0,
        retweet,
        raw,
    })
}

fn synthetic_id(text: &str, time: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(time.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    format!("sha256:{}", hex::encode(&h.finalize()[..12]))
}

/// `https://weibo.com/<uid>/<bid>` → uid.
fn uid_from_url(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://weibo.com/")?;
    let (uid, _) = rest.split_once('/')?;
    (!uid.is_empty() && uid.bytes().all(|b| b.is_ascii_digit())).then_some(uid)
}

/// An id written as a JSON string or number.
pub(crate) fn json_id(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A string field, empty when missing or not a string.
pub(crate) fn json_str<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn weibo_url(uid: &str, bid: &str, mid: &str) -> String {
    if !uid.is_empty() && !bid.is_empty() {
        format!("https://weibo.com/{uid}/{bid}")
    } else {
        format!("https://m.weibo.cn/detail/{mid}")
    }
}
