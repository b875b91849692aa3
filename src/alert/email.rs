//! E-mail over SMTP (lettre): STARTTLS (587), TLS (465) or, for a local relay or tests, none.
//! A multipart/alternative message: the plain-text part and an HTML part, UTF-8 throughout
//! (the Chinese subject is RFC 2047-encoded by lettre).

use std::time::Duration;

use lettre::message::{header, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;

use super::message::{AlertMessage, Rendered};
use super::transport::{AlertError, Answer};
use crate::secret::Secret;

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only for a relay on localhost or tests.
    None,
}

#[derive(Debug, Clone)]
pub struct Email {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub credentials: Option<(String, Secret)>,
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub timeout: Duration,
}

pub fn message(e: &Email, msg: &AlertMessage, r: &Rendered) -> Result<Message, String> {
    let mut b = Message::builder()
        .from(e.from.clone())
        .subject(r.title.clone())
        .header(header::MIME_VERSION_1_0);
    for to in &e.to {
        b = b.to(to.clone());
    }
    if !msg.idempotency_key.is_empty() {
        // A stable Message-ID lets mail clients drop a resend after a crash.
        b = b.message_id(Some(format!("<{}@windvane>", msg.idempotency_key)));
    }
    let html = r.html.clone().unwrap_or_default();
    b.multipart(
        MultiPart::alternative()
            .singlepart(SinglePart::plain(r.body.clone()))
            .singlepart(SinglePart::html(html)),
    )
    .map_err(|err| err.to_string())
}

pub async fn send(
    channel: &str,
    e: &Email,
    msg: &AlertMessage,
    r: &Rendered,
) -> Result<Answer, AlertError> {
    let smtp = |error: String| AlertError::Smtp {
        channel: channel.to_string(),
        error,
    };
    let m = message(e, msg, r).map_err(smtp)?;
    let mut t = match e.tls {
        SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&e.host)
            .map_err(|err| smtp(err.to_string()))?,
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&e.host)
            .map_err(|err| smtp(err.to_string()))?,
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&e.host),
    }
    .port(e.port)
    .timeout(Some(e.timeout));
    if let Some((user, pass)) = &e.credentials {
        t = t.credentials(Credentials::new(user.clone(), pass.expose().to_string()));
    }
    let resp = t
        .build()
        .send(m)
        .await
        .map_err(|err| smtp(err.to_string()))?;
    Ok(Answer {
        status: u16::from(resp.code()),
        body: resp.message().collect::<Vec<_>>().join(" "),
    })
}
