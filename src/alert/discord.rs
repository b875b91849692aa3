//! Discord webhook: `{"content": <markdown, ≤ 2000 characters>, "allowed_mentions": {"parse": []}}`
//! (no @everyone from a quoted post); 204 on success.

use super::message::Rendered;
use super::transport::{check_2xx, post, AlertError, Answer};
use crate::secret::Secret;

/// Discord's cap on `content`, in characters.
pub const MAX_CHARS: usize = 2000;

#[derive(Debug, Clone)]
pub struct Discord {
    pub url: Secret,
}

pub fn body(r: &Rendered) -> serde_json::Value {
    let content: String = if r.body.chars().count() > MAX_CHARS {
        r.body.chars().take(MAX_CHARS - 1).chain(['…']).collect()
    } else {
        r.body.clone()
    };
    serde_json::json!({ "content": content, "allowed_mentions": { "parse": [] } })
}

pub async fn send(
    client: &reqwest::Client,
    channel: &str,
    d: &Discord,
    r: &Rendered,
) -> Result<Answer, AlertError> {
    let answer = post(channel, client.post(d.url.expose()).json(&body(r))).await?;
    check_2xx(channel, &answer)?;
    Ok(answer)
}
