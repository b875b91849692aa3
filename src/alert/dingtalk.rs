//! DingTalk custom robot: `{"msgtype":"markdown","markdown":{"title","text"}}`. With a secret,
//! `timestamp` (epoch ms) and `sign = urlencode(base64(HMAC-SHA256(secret, "{ts}\n{secret}")))`
//! go in the query. Success is `errcode == 0`; 130101 is "send too fast" (20 a minute).

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::message::Rendered;
use super::transport::{check_2xx, post, AlertError, Answer};
use crate::secret::Secret;

/// Messages a robot accepts per minute.
pub const MAX_PER_MINUTE: u32 = 20;

#[derive(Debug, Clone)]
pub struct DingTalk {
    pub url: Secret,
    pub secret: Option<Secret>,
}

/// The base64 signature (before URL encoding, which the query builder does).
pub fn sign(secret: &str, timestamp_ms: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

pub fn body(r: &Rendered) -> serde_json::Value {
    serde_json::json!({
        "msgtype": "markdown",
        "markdown": { "title": r.title, "text": r.body }
    })
}

pub async fn send(
    client: &reqwest::Client,
    channel: &str,
    d: &DingTalk,
    r: &Rendered,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Answer, AlertError> {
    let mut req = client.post(d.url.expose()).header(
        reqwest::header::CONTENT_TYPE,
        "application/json;charset=utf-8",
    );
    if let Some(s) = &d.secret {
        let ts = now.timestamp_millis();
        req = req.query(&[
            ("timestamp", ts.to_string()),
            ("sign", sign(s.expose(), ts)),
        ]);
    }
    let answer = post(channel, req.body(body(r).to_string())).await?;
    check_2xx(channel, &answer)?;
    super::transport::errcode_zero(channel, &answer)?;
    Ok(answer)
}
