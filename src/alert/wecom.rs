//! WeCom (企业微信) group robot: `{"msgtype":"text","text":{"content"}}`, content at most 2048
//! bytes. Success is `errcode == 0`.

use super::message::Rendered;
use super::transport::{check_2xx, post, AlertError, Answer};
use crate::secret::Secret;

pub const MAX_BYTES: usize = 2048;

#[derive(Debug, Clone)]
pub struct WeCom {
    pub url: Secret,
}

pub fn body(r: &Rendered) -> serde_json::Value {
    serde_json::json!({
        "msgtype": "text",
        "text": { "content": super::message::cut_bytes(&r.body, MAX_BYTES) }
    })
}

pub async fn send(
    client: &reqwest::Client,
    channel: &str,
    w: &WeCom,
    r: &Rendered,
) -> Result<Answer, AlertError> {
    let answer = post(channel, client.post(w.url.expose()).json(&body(r))).await?;
    check_2xx(channel, &answer)?;
    super::transport::errcode_zero(channel, &answer)?;
    Ok(answer)
}
