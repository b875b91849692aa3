//! ntfy: JSON publishing (`POST {base}/` with `topic`, `title`, `message`, `tags`, `priority`,
//! `click`), so Chinese titles survive (HTTP headers are ASCII). Optional bearer token.

use super::message::{AlertMessage, MessageKind, Rendered};
use super::transport::{check_2xx, post, AlertError, Answer};
use crate::secret::Secret;

/// ntfy's message cap, in bytes.
pub const MAX_BYTES: usize = 4096;

#[derive(Debug, Clone)]
pub struct Ntfy {
    pub base: Secret,
    pub topic: String,
    pub token: Option<Secret>,
}

pub fn body(n: &Ntfy, msg: &AlertMessage, r: &Rendered) -> serde_json::Value {
    let priority = match (msg.kind, msg.severity.as_str()) {
        (_, "high") => 5,
        (MessageKind::Operator, _) | (MessageKind::Digest, _) => 3,
        _ => 4,
    };
    let mut tags = vec!["windvane".to_string(), msg.kind.as_str().to_string()];
    if let Some(l) = msg.label {
        tags.push(l.as_str().to_string());
    }
    // The title travels separately; the message repeats it, so drop that first line.
    let text = r
        .body
        .split_once('\n')
        .map(|x| x.1.trim_start())
        .unwrap_or(&r.body);
    let mut v = serde_json::json!({
        "topic": n.topic,
        "title": r.title,
        "message": super::message::cut_bytes(text, MAX_BYTES),
        "tags": tags,
        "priority": priority,
    });
    if !msg.post_url.is_empty() {
        if let Some(o) = v.as_object_mut() {
            o.insert(
                "click".into(),
                msg.review_url
                    .clone()
                    .unwrap_or_else(|| msg.post_url.clone())
                    .into(),
            );
        }
    }
    v
}

pub async fn send(
    client: &reqwest::Client,
    channel: &str,
    n: &Ntfy,
    msg: &AlertMessage,
    r: &Rendered,
) -> Result<Answer, AlertError> {
    let mut req = client.post(n.base.expose()).json(&body(n, msg, r));
    if let Some(t) = &n.token {
        req = req.bearer_auth(t.expose());
    }
    let answer = post(channel, req).await?;
    check_2xx(channel, &answer)?;
    Ok(answer)
}
