//! Feishu/Lark custom bot: an interactive card (header title, one lark_md block). With a
//! secret, `timestamp` (epoch seconds) and `sign` go in the body, where
//! `sign = base64(HMAC-SHA256(key = "{timestamp}\n{secret}", message = ""))`.
//! Success is `code == 0` (older bots: `StatusCode == 0`); 9499 is Feishu's rate limit.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::message::{AlertMessage, Rendered};
use super::transport::{check_2xx, post, AlertError, Answer};
use crate::secret::Secret;

#[derive(Debug, Clone)]
pub struct Feishu {
    pub url: Secret,
    pub secret: Option<Secret>,
}

pub fn sign(secret: &str, timestamp: i64) -> String {
    let key = format!("{timestamp}\n{secret}");
    let mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

pub fn body(msg: &AlertMessage, r: &Rendered, signed: Option<(i64, String)>) -> serde_json::Value {
    let colour = if msg.severity == "high" {
        "red"
    } else {
        match msg.kind {
            super::MessageKind::Operator => "orange",
            _ => "blue",
        }
    };
    // The card header carries the title; the body repeats it in bold, so drop that line.
    let text = r
        .body
        .split_once('\n')
        .map(|x| x.1.trim_start())
        .unwrap_or(&r.body);
    let mut v = serde_json::json!({
        "msg_type": "interactive",
        "card": {
            "header": {
                "title": { "tag": "plain_text", "content": r.title },
                "template": colour
            },
            "elements": [ { "tag": "div", "text": { "tag": "lark_md", "content": text } } ]
        }
    });
    if let (Some((ts, sign)), Some(o)) = (signed, v.as_object_mut()) {
        o.insert("timestamp".into(), ts.to_string().into());
        o.insert("sign".into(), sign.into());
    }
    v
}

pub async fn send(
    client: &reqwest::Client,
    channel: &str,
    f: &Feishu,
    msg: &AlertMessage,
    r: &Rendered,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Answer, AlertError> {
    let signed = f.secret.as_ref().map(|s| {
        let ts = now.timestamp();
        (ts, sign(s.expose(), ts))
    });
    let answer = post(
        channel,
        client.post(f.url.expose()).json(&body(msg, r, signed)),
    )
    .await?;
    check_2xx(channel, &answer)?;
    let v: serde_json::Value = serde_json::from_str(&answer.body)
        .map_err(|_| AlertError::rejected(channel, &answer.body))?;
    let code = v
        .get("code")
        .or_else(|| v.get("StatusCode"))
        .and_then(|c| c.as_i64());
    if code != Some(0) {
        return Err(AlertError::rejected(channel, &answer.body));
    }
    Ok(answer)
}
