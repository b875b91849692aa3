//! The shared outbox's sender (cluster mode): a channel is sent only by the instance that
//! holds its lease in PostgreSQL, in outbox order, within its rate limits and quiet hours,
//! through the same `send` as one process uses. Each send is marked (fenced) before its
//! request and recorded after; an alert marked but not recorded when its sender died goes out
//! again with the same Idempotency-Key.
//!
//! The alerts one process derives are derived here with the same pure parts of `derive` and
//! `mod.rs` (`corroborations`, `incident_step`, `daily_digest`, `singles_within`,
//! `fold_digest`), from the shared database and on its clock, and made unique in its schema:
//! - a corroboration is raised by its channel's holder, at most once per label and window
//!   (`PgStore::raise_corroborated`);
//! - an operator incident queues its alerts only in the transaction that opens it, whichever
//!   instance gets there first (`PgStore::open_incident`);
//! - the daily digest is sent by the channel's holder, marked (fenced) before its request;
//! - alerts over a rate limit fold into one digest, as in one process.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::derive::{self, IncidentStep};
use super::{send, AlertConfig, AlertMessage, Alerting, DispatchReport};
use crate::store::pg::{ChannelLease, OutboxRow, PgError, PgStore, SendOutcome};

/// Alerts read per channel per round.
const BATCH: i64 = 100;

/// One round on one channel this instance holds: raises the channel's corroborated alerts,
/// sends what is due (stopping at the first failure, later alerts waiting behind it in
/// order, or when the lease is lost), then the daily digest when it is due.
pub async fn send_channel(
    pg: &PgStore,
    client: &reqwest::Client,
    cfg: &Alerting<'_>,
    ch: &AlertConfig,
    lease: &ChannelLease,
) -> Result<DispatchReport, PgError> {
    let round = Round {
        pg,
        client,
        cfg,
        ch,
        lease,
        now: pg.now().await?,
    };
    round.raise_corroborated().await?;
    let mut report = round.send_due().await?;
    report.add(round.send_daily_digest().await?);
    Ok(report)
}

/// Opens and closes operator incidents from the sources' health in the shared database: an
/// incident queues one alert per operator channel, once across the cluster.
pub async fn raise_operator(pg: &PgStore, cfg: &Alerting<'_>) -> Result<(), PgError> {
    let now = pg.now().await?;
    let health = pg.source_health().await?;
    let incidents = pg.operator_incidents().await?;
    for i in derive::incident_steps(cfg, &health, &incidents, now) {
        let (src, h) = (i.src, i.health);
        match i.step {
            IncidentStep::Keep => {}
            IncidentStep::Open(c) => {
                let alerts = derive::operator_alerts(cfg, src, h, c, now);
                let queued = pg.open_incident(src.id, c, &alerts).await?;
                if queued > 0 {
                    tracing::warn!(source = %src.id, condition = c, channels = queued, "Source needs an operator; alert queued.");
                }
            }
            IncidentStep::Close => {
                if let Some(c) = i.open {
                    pg.close_incident(src.id, c).await?;
                }
            }
        }
    }
    Ok(())
}

/// One round on one channel: what each of its steps reads. `now` is the database's clock at
/// the round's start.
struct Round<'a, 'c> {
    pg: &'a PgStore,
    client: &'a reqwest::Client,
    cfg: &'a Alerting<'c>,
    ch: &'a AlertConfig,
    lease: &'a ChannelLease,
    now: DateTime<Utc>,
}

impl Round<'_, '_> {
    /// Queues the corroborated alerts the channel is owed: two or more sources raising one
    /// label within the window, one alert per label and window whichever instance holds the
    /// channel.
    async fn raise_corroborated(&self) -> Result<(), PgError> {
        let window = self.cfg.corroboration_window;
        let since = self.now - chrono::Duration::from_std(window).unwrap_or_default();
        let hits = self.pg.label_hits_since(since).await?;
        for (label, group) in derive::corroborations(&hits, self.ch) {
            let a = derive::corroborated_alert(self.ch, label, &group, window);
            if self.pg.raise_corroborated(self.lease, window, &a).await? {
                tracing::info!(channel = %self.ch.id, label = %label, sources = group.len(), "Corroborated signal; alert queued.");
            }
        }
        Ok(())
    }

    /// Sends the channel's due alerts: quiet hours hold those below the urgent score; within the
    /// rate limits' room they go one by one, and over it the rest fold into one digest (the last
    /// message the limits allow), as `dispatch_channel` does in one process.
    async fn send_due(&self) -> Result<DispatchReport, PgError> {
        let mut report = DispatchReport::default();
        let rows = self.pg.due_alerts(self.lease, BATCH).await?;
        if rows.is_empty() {
            return Ok(report);
        }
        let in_flight = rows.iter().filter(|r| r.was_in_flight).count();
        if in_flight > 0 {
            tracing::warn!(channel = %self.ch.id, alerts = in_flight, "Alerts were being sent when their sender stopped; they are sent again with the same Idempotency-Key (a receiver may see them twice).");
        }
        let quiet = self
            .ch
            .quiet_hours
            .and_then(|q| q.until(self.now))
            .is_some();
        let (mut ready, held): (Vec<OutboxRow>, Vec<OutboxRow>) = rows
            .into_iter()
            .partition(|r| !quiet || r.score >= self.ch.urgent_score);
        report.held += held.len();
        if ready.is_empty() {
            return Ok(report);
        }
        let mut room = u32::MAX;
        for (limit, window) in self.ch.rate_limits() {
            let (used, _) = self.pg.channel_sends_since(&self.ch.id, window).await?;
            room = room.min(limit.saturating_sub(used));
        }
        if room == 0 {
            tracing::debug!(channel = %self.ch.id, alerts = ready.len(), "Rate limit reached: alerts wait for the next digest.");
            report.held += ready.len();
            return Ok(report);
        }
        let fold = ready.split_off(super::singles_within(ready.len(), room));
        for row in ready {
            let Some(mut msg) = message_of(&row) else {
                let outcome = SendOutcome::Failed {
                    error: "stored payload unreadable".into(),
                    retry_in: Duration::ZERO,
                    max_attempts: 1,
                };
                self.pg.record_send(self.lease, row.id, &outcome).await?;
                report.failed += 1;
                continue;
            };
            msg.review_url = super::review_url(self.cfg, row.post_id);
            if !self.pg.mark_sending(self.lease, row.id).await? {
                tracing::info!(channel = %self.ch.id, "The channel's self.lease moved to another instance; it sends the rest.");
                return Ok(report);
            }
            // Signatures (DingTalk, Feishu) carry this machine's time, as the service checks.
            match send(self.client, self.ch, &msg, Utc::now()).await {
                Ok(_) => {
                    self.pg
                        .record_send(self.lease, row.id, &SendOutcome::Sent)
                        .await?;
                    report.sent += 1;
                }
                Err(e) => {
                    self.record_failure(&row, &e, &mut report).await?;
                    // Later alerts (and the fold) wait behind this one, in order.
                    return Ok(report);
                }
            }
        }
        if !fold.is_empty() {
            self.send_fold(&fold, &mut report).await?;
        }
        Ok(report)
    }

    /// Sends alerts over the rate limit as one digest, marked (fenced) before its request and
    /// counted as one message.
    async fn send_fold(
        &self,
        rows: &[OutboxRow],
        report: &mut DispatchReport,
    ) -> Result<(), PgError> {
        let msg = super::fold_digest(
            self.cfg,
            self.ch,
            rows.iter()
                .map(|r| (r.idempotency_key.as_str(), r.payload.as_str(), r.post_id)),
        );
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        if !self.pg.mark_sending_all(self.lease, &ids).await? {
            tracing::info!(channel = %self.ch.id, "The channel's self.lease moved to another instance; it sends the rest.");
            return Ok(());
        }
        match send(self.client, self.ch, &msg, Utc::now()).await {
            Ok(_) => {
                self.pg
                    .record_sent(self.lease, &ids, Some(&msg.idempotency_key))
                    .await?;
                report.sent += rows.len();
                report.digests += 1;
                tracing::info!(channel = %self.ch.id, alerts = rows.len(), "Rate limit reached: alerts sent as one digest.");
            }
            Err(e) => {
                for row in rows {
                    self.record_failure(row, &e, report).await?;
                }
            }
        }
        Ok(())
    }

    async fn record_failure(
        &self,
        row: &OutboxRow,
        e: &super::AlertError,
        report: &mut DispatchReport,
    ) -> Result<(), PgError> {
        let attempts = u32::try_from(row.attempts).unwrap_or(0);
        // The error quotes the service's answer, which may echo the channel's URL or token.
        let error = self.cfg.redact(&e.to_string());
        tracing::warn!(channel = %self.ch.id, alert = row.id, error = %error, "Alert send failed; later alerts of the channel wait behind it.");
        let outcome = SendOutcome::Failed {
            error,
            retry_in: super::retry_delay(attempts),
            max_attempts: self.ch.max_attempts,
        };
        self.pg.record_send(self.lease, row.id, &outcome).await?;
        if attempts + 1 >= self.ch.max_attempts {
            report.failed += 1;
        } else {
            report.retrying += 1;
        }
        Ok(())
    }

    /// Sends the channel's daily digest once its local time has passed `digest_at`, once per
    /// channel and day across the cluster: only the channel's holder sends it, marked before the
    /// request; a failed one is tried again next round until the day is over.
    async fn send_daily_digest(&self) -> Result<DispatchReport, PgError> {
        let mut report = DispatchReport::default();
        let Some(day) = derive::daily_digest_day(self.ch, self.now) else {
            return Ok(report);
        };
        if self.pg.daily_digest_sent(&self.ch.id, &day).await? {
            return Ok(report);
        }
        let hits = self
            .pg
            .label_hits_since(self.now - chrono::Duration::hours(24))
            .await?;
        let msg = derive::daily_digest(self.cfg, self.ch, &hits, &day);
        if !self.pg.mark_daily_digest(self.lease, &day).await? {
            return Ok(report);
        }
        match send(self.client, self.ch, &msg, Utc::now()).await {
            Ok(_) => {
                self.pg.record_daily_digest(&self.ch.id, &day).await?;
                report.digests += 1;
            }
            Err(e) => {
                tracing::warn!(channel = %self.ch.id, error = %self.cfg.redact(&e.to_string()), "Daily digest failed; will retry.");
            }
        }
        Ok(report)
    }
}

fn message_of(row: &OutboxRow) -> Option<AlertMessage> {
    serde_json::from_str::<AlertMessage>(&row.payload).ok()
}
