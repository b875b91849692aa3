//! How a channel talks to its service: the request (`post`: redirects decided here, the
//! answer capped), what counts as success (`check_2xx`, `errcode_zero`) and `AlertError`.
//! Below every channel file; knows no channel.

use super::message::{AlertMessage, Rendered};

/// Header carrying the idempotency key on webhook requests.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// Bytes of a service's answer kept (for errors and `alerts test`).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The JSON a webhook (and an exec command) receives: every message field plus the rendered
/// text as `message`.
pub fn webhook_value(msg: &AlertMessage, r: &Rendered) -> serde_json::Value {
    let mut v = serde_json::to_value(msg).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("message".into(), r.body.clone().into());
    }
    v
}

#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    #[error("channel `{channel}`: HTTP {status} from the receiver: {detail}")]
    Status {
        channel: String,
        status: u16,
        detail: String,
    },
    #[error("channel `{channel}`: the service refused the message: {detail}")]
    Rejected { channel: String, detail: String },
    #[error("channel `{channel}`: cannot reach the receiver: {error}")]
    Network { channel: String, error: String },
    #[error("channel `{channel}`: SMTP: {error}")]
    Smtp { channel: String, error: String },
    #[error("channel `{channel}`: {error}")]
    Exec { channel: String, error: String },
    #[error("channel `{channel}`: the template does not render: {error}")]
    Template { channel: String, error: String },
    #[error("channel `{channel}`: the receiver answered HTTP {status} redirecting to {location}; {why}; put the final address in the channel's configuration")]
    Redirected {
        channel: String,
        status: u16,
        /// Scheme, host and path only: a query may carry a token.
        location: String,
        why: &'static str,
    },
    #[error("channel `{channel}` is not configured any more")]
    Unconfigured { channel: String },
}

impl AlertError {
    pub(super) fn rejected(channel: &str, detail: &str) -> AlertError {
        AlertError::Rejected {
            channel: channel.to_string(),
            detail: short(detail),
        }
    }
}

pub(super) fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 300 {
        s.chars().take(300).chain(['…']).collect()
    } else {
        s.to_string()
    }
}

/// A service's answer: HTTP status (SMTP code for e-mail) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// The User-Agent of alert requests: the shared client's agent is the mobile browser Weibo
/// expects, which chat services and webhooks should not be told. A channel's own `headers`
/// may still set one.
pub const ALERT_USER_AGENT: &str = concat!("windvane/", env!("CARGO_PKG_VERSION"));

/// Redirects an alert request follows (307/308 on the channel's own host only).
const MAX_ALERT_REDIRECTS: usize = 3;

/// Sends an alert request. Redirects are decided here, not by the client: 307 and 308 keep
/// the method and body, so they are followed, on the channel's own scheme, host and port only
/// (the request carries signatures and keys); 301, 302 and 303 would turn the POST into a
/// body-less GET whose 200 would mark an alert sent that never arrived, so they are a failure
/// naming the new location.
pub(super) async fn post(
    channel: &str,
    req: reqwest::RequestBuilder,
) -> Result<Answer, AlertError> {
    let network = |e: reqwest::Error| AlertError::Network {
        channel: channel.to_string(),
        // Without the URL: it usually carries the channel's secret.
        error: e.without_url().to_string(),
    };
    let (client, request) = req.build_split();
    let mut request = request.map_err(network)?;
    request
        .headers_mut()
        .entry(reqwest::header::USER_AGENT)
        .or_insert(reqwest::header::HeaderValue::from_static(ALERT_USER_AGENT));
    let origin = request.url().clone();
    let mut hops = 0;
    let mut resp = loop {
        let again = request.try_clone();
        let resp = client.execute(request).await.map_err(network)?;
        let status = resp.status();
        if !status.is_redirection() || status == reqwest::StatusCode::NOT_MODIFIED {
            break resp;
        }
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| resp.url().join(l).ok());
        let shown = location.as_ref().map_or_else(
            || "nowhere (no Location header)".to_string(),
            |u| {
                let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
                let host = u.host_str().unwrap_or("");
                format!("{}://{host}{port}{}", u.scheme(), u.path())
            },
        );
        let redirected = |why| AlertError::Redirected {
            channel: channel.to_string(),
            status: status.as_u16(),
            location: shown.clone(),
            why,
        };
        let keeps_body = matches!(status.as_u16(), 307 | 308);
        match (location, again) {
            _ if !keeps_body => {
                return Err(redirected(
                    "alerts do not follow a redirect that would resend the POST as a GET without its body",
                ))
            }
            (Some(loc), Some(mut next))
                if loc.scheme() == origin.scheme()
                    && loc.host_str() == origin.host_str()
                    && loc.port_or_known_default() == origin.port_or_known_default() =>
            {
                if hops >= MAX_ALERT_REDIRECTS {
                    return Err(redirected("too many redirects"));
                }
                hops += 1;
                *next.url_mut() = loc;
                request = next;
            }
            _ => {
                return Err(redirected(
                    "alerts follow a 307/308 only on the channel's own host (the request carries its keys and signature)",
                ))
            }
        }
    };
    let status = resp.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(network)? {
        body.extend_from_slice(&chunk);
        if body.len() >= MAX_ANSWER_BYTES {
            break;
        }
    }
    Ok(Answer {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

pub(super) fn check_2xx(channel: &str, a: &Answer) -> Result<(), AlertError> {
    if (200..300).contains(&a.status) {
        Ok(())
    } else {
        Err(AlertError::Status {
            channel: channel.to_string(),
            status: a.status,
            detail: short(&a.body),
        })
    }
}

/// DingTalk and WeCom answer 200 with `{"errcode": N, "errmsg": …}`; only 0 is success.
pub(super) fn errcode_zero(channel: &str, a: &Answer) -> Result<(), AlertError> {
    let v: serde_json::Value =
        serde_json::from_str(&a.body).map_err(|_| AlertError::rejected(channel, &a.body))?;
    match v.get("errcode").and_then(|c| c.as_i64()) {
        Some(0) => Ok(()),
        _ => Err(AlertError::rejected(channel, &a.body)),
    }
}
