//! Alerts: which channels want a flagged post (pure), the message they get (pure), and the
//! outbox dispatcher that sends due alerts and records the outcome.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::classify::{Classification, Evidence, Label};
use crate::config::{AlertConfig, ChannelSpec};
use crate::sources::Post;
use crate::store::{AlertRow, AlertStatus, PlannedAlert, Store};

/// First retry delay for a failed send; doubles per attempt up to `MAX_RETRY_DELAY`.
pub const FIRST_RETRY_DELAY: Duration = Duration::from_secs(30);
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);
/// Header carrying the idempotency key on webhook requests.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// What a channel receives (webhook body; the log channel prints its title).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct AlertMessage {
    pub idempotency_key: String,
    pub title: String,
    pub label: Label,
    pub label_name: String,
    pub score: f64,
    pub source: String,
    pub source_name: String,
    pub author: String,
    pub post_url: String,
    pub text: String,
    pub explanation: String,
    pub evidence: Vec<Evidence>,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub created_at_beijing: String,
}

/// Stable per post + label + channel, so a receiver can drop a resend after a crash.
pub fn idempotency_key(
    source_id: &str,
    platform_id: &str,
    label: Label,
    channel_id: &str,
) -> String {
    let mut h = Sha256::new();
    h.update(format!(
        "{source_id}\u{1f}{platform_id}\u{1f}{label}\u{1f}{channel_id}"
    ));
    hex::encode(&h.finalize()[..16])
}

/// The alerts a newly stored post raises: one per (channel, label) the channel wants.
pub fn plan(
    source_id: &str,
    source_name: &str,
    post: &Post,
    c: &Classification,
    channels: &[AlertConfig],
) -> Vec<PlannedAlert> {
    let mut out = Vec::new();
    for ch in channels {
        for l in &c.labels {
            if !ch.wants(l.label, l.score) {
                continue;
            }
            let key = idempotency_key(source_id, &post.platform_id, l.label, &ch.id);
            let msg = message(&key, source_id, source_name, post, c, l.label);
            out.push(PlannedAlert {
                label: l.label,
                channel_id: ch.id.clone(),
                score: l.score,
                idempotency_key: key,
                payload: serde_json::to_string(&msg).unwrap_or_else(|_| "{}".into()),
            });
        }
    }
    out
}

pub fn message(
    key: &str,
    source_id: &str,
    source_name: &str,
    post: &Post,
    c: &Classification,
    label: Label,
) -> AlertMessage {
    let ls = c.labels.iter().find(|l| l.label == label);
    let score = ls.map(|l| l.score).unwrap_or(0.0);
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is valid");
    let who = if post.author.is_empty() {
        source_name
    } else {
        &post.author
    };
    AlertMessage {
        idempotency_key: key.to_string(),
        title: format!("{} · {} · {:.2}", label.english(), who, score),
        label,
        label_name: label.english().to_string(),
        score,
        source: source_id.to_string(),
        source_name: source_name.to_string(),
        author: post.author.clone(),
        post_url: post.url.clone(),
        text: post.full_text(),
        explanation: c.explanation.clone(),
        evidence: ls.map(|l| l.evidence.clone()).unwrap_or_default(),
        created_at: crate::store::ts(post.created_at),
        created_at_beijing: post
            .created_at
            .with_timezone(&beijing)
            .format("%Y-%m-%d %H:%M (Beijing)")
            .to_string(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    #[error("channel `{channel}`: HTTP {status} from the receiver")]
    Status { channel: String, status: u16 },
    #[error("channel `{channel}`: cannot reach the receiver: {error}")]
    Network { channel: String, error: String },
    #[error("channel `{channel}` is not configured any more")]
    Unconfigured { channel: String },
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends one alert. Pure IO; the outcome is recorded by `dispatch_due`.
pub async fn send(
    client: &reqwest::Client,
    channel: &AlertConfig,
    row: &AlertRow,
) -> Result<(), AlertError> {
    match &channel.channel {
        ChannelSpec::Log => {
            let title = serde_json::from_str::<AlertMessage>(&row.payload)
                .map(|m| m.title)
                .unwrap_or_else(|_| row.label.clone());
            tracing::info!(channel = %channel.id, alert = row.id, key = %row.idempotency_key, "Alert: {title}.");
            Ok(())
        }
        ChannelSpec::Webhook { url } => {
            let resp = client
                .post(url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(IDEMPOTENCY_HEADER, &row.idempotency_key)
                .body(row.payload.clone())
                .send()
                .await
                .map_err(|e| AlertError::Network {
                    channel: channel.id.clone(),
                    // Without the URL: it usually carries the channel's secret.
                    error: e.without_url().to_string(),
                })?;
            if resp.status().is_success() {
                Ok(())
            } else {
                Err(AlertError::Status {
                    channel: channel.id.clone(),
                    status: resp.status().as_u16(),
                })
            }
        }
    }
}

fn retry_delay(attempts: u32) -> Duration {
    let base = FIRST_RETRY_DELAY
        .as_secs()
        .saturating_mul(1 << attempts.min(12));
    let capped = base.min(MAX_RETRY_DELAY.as_secs());
    let jitter = rand::rng().random_range(0..=capped / 5);
    Duration::from_secs(capped + jitter)
}

/// Sends every due alert once, in order, and records each outcome.
pub async fn dispatch_due(
    store: &Store,
    client: &reqwest::Client,
    channels: &[AlertConfig],
    now: DateTime<Utc>,
) -> crate::store::Result<DispatchReport> {
    let due = store.call(move |s| s.due_alerts(now, 500)).await?;
    let mut report = DispatchReport::default();
    for row in due {
        let channel = channels.iter().find(|c| c.id == row.channel_id);
        let outcome = match channel {
            Some(ch) => send(client, ch, &row).await,
            None => Err(AlertError::Unconfigured {
                channel: row.channel_id.clone(),
            }),
        };
        let id = row.id;
        match outcome {
            Ok(()) => {
                store.call(move |s| s.mark_sent(id, Utc::now())).await?;
                report.sent += 1;
            }
            Err(e) => {
                let max = channel.map(|c| c.max_attempts).unwrap_or(1);
                let next = Utc::now()
                    + chrono::Duration::from_std(retry_delay(row.attempts)).unwrap_or_default();
                let msg = e.to_string();
                tracing::warn!(channel = %row.channel_id, alert = id, error = %msg, "Alert send failed.");
                let status = store
                    .call(move |s| s.mark_attempt_failed(id, &msg, next, max))
                    .await?;
                match status {
                    AlertStatus::Failed => report.failed += 1,
                    _ => report.retrying += 1,
                }
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_distinct() {
        let a = idempotency_key("s", "1", Label::Talks, "hook");
        assert_eq!(a, idempotency_key("s", "1", Label::Talks, "hook"));
        assert_ne!(a, idempotency_key("s", "1", Label::Escalation, "hook"));
        assert_ne!(a, idempotency_key("s", "1", Label::Talks, "slack"));
        assert_eq!(a.len(), 32);
    }
}
