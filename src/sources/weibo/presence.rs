//! Whether a post missing from its timeline still exists, read from its own page
//! (`statuses/show`, `statuses/extend`). Pure.

use serde_json::Value;

use super::parse;
use crate::store::Gone;

/// Texts Weibo shows in place of a post its author deleted (REFERENCE §1).
pub const DELETED_MARKERS: &[&str] = &[
    "此微博已被作者删除",
    "该微博已被作者删除",
    "此微博已被删除",
    "该微博已被删除",
];
/// Texts Weibo shows for a post that exists but may not be seen (author's setting, limited
/// visibility, removal under "relevant laws").
pub const INVISIBLE_MARKERS: &[&str] = &[
    "暂无查看权限",
    "没有这条微博的查看权限",
    "暂时无法查看",
    "根据相关法律法规",
    "内容暂不可见",
    "仅自己可见",
];

/// What a post's own page said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// It is there (its full text when the page gave one).
    Exists(Option<String>),
    Gone(Gone, String),
    /// Neither: a network error, a refusal, an unknown body. Decided on a later recheck.
    Unknown,
}

/// Reads a `statuses/show` or `statuses/extend` body. Pure. A body with the post wins over
/// any marker (a repost quoting a deleted original carries the deletion text).
pub fn verdict_from_body(body: &[u8]) -> Presence {
    if let Some(t) = parse::parse_show(body).or_else(|| parse::parse_long_text(body)) {
        return Presence::Exists(Some(t));
    }
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        let ok = v.get("ok").and_then(Value::as_i64);
        let has_post = v
            .get("data")
            .and_then(|d| d.get("text").or_else(|| d.get("id")))
            .is_some();
        if ok == Some(1) && has_post {
            return Presence::Exists(None);
        }
    }
    let text = String::from_utf8_lossy(body);
    for (gone, markers) in [
        (Gone::Deleted, DELETED_MARKERS),
        (Gone::Invisible, INVISIBLE_MARKERS),
    ] {
        if let Some(m) = markers.iter().find(|m| text.contains(*m)) {
            return Presence::Gone(gone, (*m).to_string());
        }
    }
    Presence::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        let gone = r#"{"ok":0,"msg":"抱歉，此微博已被作者删除。查看帮助：http://t.cn/x"}"#;
        assert_eq!(
            verdict_from_body(gone.as_bytes()),
            Presence::Gone(Gone::Deleted, "此微博已被作者删除".into())
        );
        let hidden = "<html><p>抱歉，由于作者设置，你暂时没有这条微博的查看权限哦。</p></html>";
        assert!(matches!(
            verdict_from_body(hidden.as_bytes()),
            Presence::Gone(Gone::Invisible, _)
        ));
        // A repost of a deleted original is itself alive.
        let repost = r#"{"ok":1,"data":{"id":"1","text":"转发","retweeted_status":{"text":"抱歉，此微博已被作者删除。"}}}"#;
        assert!(matches!(
            verdict_from_body(repost.as_bytes()),
            Presence::Exists(Some(_))
        ));
        assert_eq!(verdict_from_body(b"<html>busy</html>"), Presence::Unknown);
        assert_eq!(verdict_from_body(b"\xff\xfe garbage"), Presence::Unknown);
        assert_eq!(
            verdict_from_body(br#"{"ok":1,"data":{}}"#),
            Presence::Unknown
        );
    }
}
