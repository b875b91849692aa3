//! Slack incoming webhook: `{"text": <mrkdwn>}`; Slack answers `ok` (plain text) on success
//! and a reason (`invalid_payload`, `no_text`, …) otherwise.

use super::message::Rendered;
use super::transport::{check_2xx, post, AlertError, Answer};
use crate::secret::Secret;

#[derive(Debug, Clone)]
pub struct Slack {
    pub url: Secret,
}

pub fn body(r: &Rendered) -> serde_json::Value {
    serde_json::json!({ "text": r.body })
}

pub async fn send(
    client: &reqwest::Client,
    channel: &str,
    s: &Slack,
    r: &Rendered,
) -> Result<Answer, AlertError> {
    let answer = post(channel, client.post(s.url.expose()).json(&body(r))).await?;
    check_2xx(channel, &answer)?;
    if answer.body.trim() != "ok" {
        return Err(AlertError::rejected(channel, &answer.body));
    }
    Ok(answer)
}
