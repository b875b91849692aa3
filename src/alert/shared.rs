//! The shared outbox's sender (cluster mode): a channel is sent only by the instance that
//! holds its lease in PostgreSQL, in outbox order, within its rate limits and quiet hours,
//! through the same `send` as one process uses. Each send is marked (fenced) before its
//! request and recorded after; an alert marked but not recorded when its sender died goes out
//! again with the same Idempotency-Key.
//!
//! Not here yet (single-process only): folding alerts over a rate limit into one digest
//! (they wait for room instead), corroborated, operator and daily-digest alerts.

use std::time::Duration;

use chrono::Utc;

use super::{send, AlertConfig, AlertMessage, DispatchReport};
use crate::store::pg::{ChannelLease, OutboxRow, PgError, PgStore, SendOutcome};

/// Alerts read per channel per round.
const BATCH: i64 = 100;

/// One round on one channel this instance holds: sends what is due, stopping at the first
/// failure (later alerts wait behind it, in order) or when the lease is lost.
pub async fn send_channel(
    pg: &PgStore,
    client: &reqwest::Client,
    ch: &AlertConfig,
    lease: &ChannelLease,
    redact: &(dyn Fn(&str) -> String + Sync),
) -> Result<DispatchReport, PgError> {
    let mut report = DispatchReport::default();
    let now = Utc::now();
    let quiet = ch.quiet_hours.and_then(|q| q.until(now)).is_some();
    let mut room = u32::MAX;
    for (limit, window) in ch.rate_limits() {
        let (used, _) = pg.channel_sends_since(&ch.id, window).await?;
        room = room.min(limit.saturating_sub(used));
    }
    let rows = pg.due_alerts(lease, BATCH).await?;
    let in_flight = rows.iter().filter(|r| r.was_in_flight).count();
    if in_flight > 0 {
        tracing::warn!(channel = %ch.id, alerts = in_flight, "Alerts were being sent when their sender stopped; they are sent again with the same Idempotency-Key (a receiver may see them twice).");
    }
    for row in rows {
        if quiet && row.score < ch.urgent_score {
            report.held += 1;
            continue;
        }
        if room == 0 {
            report.held += 1;
            continue;
        }
        let Some(msg) = message_of(&row) else {
            let outcome = SendOutcome::Failed {
                error: "stored payload unreadable".into(),
                retry_in: Duration::ZERO,
                max_attempts: 1,
            };
            pg.record_send(lease, row.id, &outcome).await?;
            report.failed += 1;
            continue;
        };
        if !pg.mark_sending(lease, row.id).await? {
            tracing::info!(channel = %ch.id, "The channel's lease moved to another instance; it sends the rest.");
            break;
        }
        match send(client, ch, &msg, Utc::now()).await {
            Ok(_) => {
                pg.record_send(lease, row.id, &SendOutcome::Sent).await?;
                report.sent += 1;
                room = room.saturating_sub(1);
            }
            Err(e) => {
                let attempts = u32::try_from(row.attempts).unwrap_or(0);
                let error = redact(&e.to_string());
                tracing::warn!(channel = %ch.id, error = %error, "Alert send failed; later alerts of the channel wait behind it.");
                let outcome = SendOutcome::Failed {
                    error,
                    retry_in: super::retry_delay(attempts),
                    max_attempts: ch.max_attempts,
                };
                pg.record_send(lease, row.id, &outcome).await?;
                if attempts + 1 >= ch.max_attempts {
                    report.failed += 1;
                } else {
                    report.retrying += 1;
                }
                break;
            }
        }
    }
    Ok(report)
}

fn message_of(row: &OutboxRow) -> Option<AlertMessage> {
    serde_json::from_str::<AlertMessage>(&row.payload).ok()
}
