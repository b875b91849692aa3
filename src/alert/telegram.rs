//! Telegram bot: `POST {api_base}/bot{token}/sendMessage` with `chat_id`, plain `text`
//! (≤ 4096 characters) and no link previews. `api_base` lets users behind the firewall use a
//! relay. Success is `"ok": true`; the token is never logged (errors drop the URL).

use super::message::Rendered;
use super::transport::{post, AlertError, Answer};
use crate::secret::Secret;

pub const MAX_CHARS: usize = 4096;

#[derive(Debug, Clone)]
pub struct Telegram {
    pub api_base: String,
    pub token: Secret,
    pub chat_id: String,
}

pub fn body(t: &Telegram, r: &Rendered) -> serde_json::Value {
    let text: String = if r.body.chars().count() > MAX_CHARS {
        r.body.chars().take(MAX_CHARS - 1).chain(['…']).collect()
    } else {
        r.body.clone()
    };
    serde_json::json!({ "chat_id": t.chat_id, "text": text, "disable_web_page_preview": true })
}

pub async fn send(
    client: &reqwest::Client,
    channel: &str,
    t: &Telegram,
    r: &Rendered,
) -> Result<Answer, AlertError> {
    let url = format!("{}/bot{}/sendMessage", t.api_base, t.token.expose());
    let answer = post(channel, client.post(url).json(&body(t, r))).await?;
    let v: serde_json::Value = serde_json::from_str(&answer.body).unwrap_or_default();
    if v.get("ok").and_then(|o| o.as_bool()) != Some(true) {
        let detail = v
            .get("description")
            .and_then(|d| d.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| format!("HTTP {}: {}", answer.status, answer.body));
        return Err(AlertError::rejected(channel, &detail));
    }
    Ok(answer)
}
