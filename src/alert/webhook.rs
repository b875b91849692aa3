//! Generic webhook: the alert JSON (every `AlertMessage` field plus the rendered `message`),
//! an `Idempotency-Key` header, custom headers, and with a shared secret an
//! `X-Windvane-Signature: sha256=<hex HMAC-SHA256(secret, body)>` header.

use hmac::{Hmac, Mac};
use reqwest::header::{HeaderName, HeaderValue};
use sha2::Sha256;

use super::message::{AlertMessage, Rendered};
use super::transport::{check_2xx, post, AlertError, Answer, IDEMPOTENCY_HEADER};
use crate::secret::Secret;

#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: Secret,
    pub secret: Option<Secret>,
    pub signature_header: String,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

/// `sha256=<hex>` of the body under the shared secret.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

pub fn body(msg: &AlertMessage, r: &Rendered) -> Vec<u8> {
    serde_json::to_vec(&super::transport::webhook_value(msg, r)).unwrap_or_default()
}

pub async fn send(
    client: &reqwest::Client,
    channel: &str,
    w: &Webhook,
    msg: &AlertMessage,
    r: &Rendered,
) -> Result<Answer, AlertError> {
    let body = body(msg, r);
    let mut req = client
        .post(w.url.expose())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(IDEMPOTENCY_HEADER, &msg.idempotency_key);
    for (n, v) in &w.headers {
        req = req.header(n, v);
    }
    if let Some(s) = &w.secret {
        req = req.header(w.signature_header.as_str(), signature(s.expose(), &body));
    }
    let answer = post(channel, req.body(body)).await?;
    check_2xx(channel, &answer)?;
    Ok(answer)
}
