//! The shared outbox of cluster mode: each alert channel is leased to one sender at a time
//! (`channel_leases`, with a fence raised at every change of owner), so a channel's order,
//! rate limits and quiet hours keep one process's semantics. A send is marked before its
//! request only while the sender still holds the channel; its outcome is recorded even when
//! the lease was lost meanwhile (the request went out: forgetting it would send it again).

use std::time::Duration;

use super::{Context as _, PgError, PgStore};

/// A claim on one channel: valid while `fence` is the channel's and `owner` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelLease {
    pub channel_id: String,
    pub owner: String,
    pub fence: i64,
}

/// A due alert, as its sender reads it.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub post_id: Option<i64>,
    pub score: f64,
    pub idempotency_key: String,
    pub payload: String,
    pub attempts: i32,
    /// It was being sent when its last sender stopped (it may have arrived).
    pub was_in_flight: bool,
}

/// How a send ended.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    Sent,
    /// Tried again after `retry_in`, or `failed` once `max_attempts` are spent.
    Failed {
        error: String,
        retry_in: Duration,
        max_attempts: u32,
    },
}

impl PgStore {
    /// Takes (or keeps) `channel_id` for `owner` for `ttl`: `None` while another instance
    /// holds it. A change of owner raises the fence.
    pub async fn take_channel(
        &self,
        channel_id: &str,
        owner: &str,
        ttl: Duration,
    ) -> Result<Option<ChannelLease>, PgError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "INSERT INTO channel_leases (channel_id, owner, until)
                 VALUES ($1, $2, now() + make_interval(secs => $3))
                 ON CONFLICT (channel_id) DO UPDATE SET
                     fence = CASE WHEN channel_leases.owner = $2 THEN channel_leases.fence
                                  ELSE channel_leases.fence + 1 END,
                     owner = $2,
                     until = now() + make_interval(secs => $3)
                 WHERE channel_leases.owner = $2 OR channel_leases.until < now()
                 RETURNING fence",
                &[&channel_id, &owner, &ttl.as_secs_f64()],
            )
            .await
            .context("take a channel")?;
        Ok(row.map(|r| ChannelLease {
            channel_id: channel_id.to_string(),
            owner: owner.to_string(),
            fence: r.get(0),
        }))
    }

    /// Lets a channel go at shutdown, so another instance sends at once.
    pub async fn release_channel(&self, lease: &ChannelLease) -> Result<(), PgError> {
        self.client()
            .await?
            .execute(
                "DELETE FROM channel_leases WHERE channel_id = $1 AND owner = $2 AND fence = $3",
                &[&lease.channel_id, &lease.owner, &lease.fence],
            )
            .await
            .context("release a channel")?;
        Ok(())
    }

    /// The channel's due alerts, in outbox order, leaving out any behind an earlier alert of
    /// the channel waiting out a retry backoff, so the channel's alerts arrive in order once
    /// it recovers (as `Store::due_alerts_in_order` on SQLite).
    pub async fn due_alerts(
        &self,
        lease: &ChannelLease,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, post_id, score, idempotency_key, payload, attempts, sending_at IS NOT NULL
                 FROM alerts a
                 WHERE channel_id = $1 AND status = 'pending' AND next_attempt_at <= now()
                   AND NOT EXISTS (SELECT 1 FROM alerts b
                        WHERE b.channel_id = $1 AND b.status = 'pending' AND b.attempts > 0
                          AND b.next_attempt_at > now() AND b.id < a.id)
                 ORDER BY id LIMIT $2",
                &[&lease.channel_id, &limit],
            )
            .await
            .context("read due alerts")?;
        Ok(rows
            .iter()
            .map(|r| OutboxRow {
                id: r.get(0),
                post_id: r.get(1),
                score: r.get(2),
                idempotency_key: r.get(3),
                payload: r.get(4),
                attempts: r.get(5),
                was_in_flight: r.get(6),
            })
            .collect())
    }

    /// How many messages (one alert, or a digest of several) the channel received in the
    /// last `window`, and when the oldest of them went (for rate limits), by the database's
    /// clock.
    pub async fn channel_sends_since(
        &self,
        channel_id: &str,
        window: Duration,
    ) -> Result<(u32, Option<chrono::DateTime<chrono::Utc>>), PgError> {
        let r = self
            .client()
            .await?
            .query_one(
                "SELECT count(*), min(sent_at) FROM channel_sends
                 WHERE channel_id = $1 AND sent_at > now() - make_interval(secs => $2)",
                &[&channel_id, &window.as_secs_f64()],
            )
            .await
            .context("count a channel's sends")?;
        let n: i64 = r.get(0);
        Ok((u32::try_from(n).unwrap_or(u32::MAX), r.get(1)))
    }

    /// Marks an alert as being sent, committed before the request; false when the channel is
    /// no longer this sender's (the send must not be made).
    pub async fn mark_sending(&self, lease: &ChannelLease, alert_id: i64) -> Result<bool, PgError> {
        self.mark_sending_all(lease, &[alert_id]).await
    }

    /// Marks alerts going out in one message (a digest) as being sent, all or none; false
    /// when the channel is no longer this sender's or one of them is no longer pending.
    pub async fn mark_sending_all(
        &self,
        lease: &ChannelLease,
        alert_ids: &[i64],
    ) -> Result<bool, PgError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.context("begin a send mark")?;
        let n = tx
            .execute(
                "UPDATE alerts SET sending_at = now(), sending_by = $3
                 WHERE id = ANY($1) AND status = 'pending'
                   AND EXISTS (SELECT 1 FROM channel_leases l
                               WHERE l.channel_id = $2 AND l.owner = $3 AND l.fence = $4
                                 AND l.until > now())",
                &[&alert_ids, &lease.channel_id, &lease.owner, &lease.fence],
            )
            .await
            .context("mark alerts as being sent")?;
        if usize::try_from(n).ok() != Some(alert_ids.len()) {
            tx.rollback().await.context("roll back a send mark")?;
            return Ok(false);
        }
        tx.commit().await.context("commit a send mark")?;
        Ok(true)
    }

    /// Records alerts sent in one message: one alert (`digest_key` None: the message carries
    /// the alert's own key) or a rate-limit digest of several. The message counts once
    /// towards the channel's rate limits.
    pub async fn record_sent(
        &self,
        lease: &ChannelLease,
        alert_ids: &[i64],
        digest_key: Option<&str>,
    ) -> Result<(), PgError> {
        self.client()
            .await?
            .execute(
                "WITH sent AS (
                     UPDATE alerts SET status = 'sent', sent_at = now(), sent_by = $2,
                         attempts = attempts + 1, sending_at = NULL, last_error = NULL,
                         digest_key = $3
                     WHERE id = ANY($1) AND status = 'pending'
                     RETURNING idempotency_key)
                 INSERT INTO channel_sends (channel_id, idempotency_key, alerts, sent_by)
                 SELECT $4, coalesce($3, min(idempotency_key)), count(*), $2 FROM sent
                 HAVING count(*) > 0",
                &[&alert_ids, &lease.owner, &digest_key, &lease.channel_id],
            )
            .await
            .context("record a send")?;
        Ok(())
    }

    /// Records how a send ended.
    pub async fn record_send(
        &self,
        lease: &ChannelLease,
        alert_id: i64,
        outcome: &SendOutcome,
    ) -> Result<(), PgError> {
        match outcome {
            SendOutcome::Sent => self.record_sent(lease, &[alert_id], None).await,
            SendOutcome::Failed {
                error,
                retry_in,
                max_attempts,
            } => {
                let max = i32::try_from(*max_attempts).unwrap_or(i32::MAX);
                self.client()
                    .await?
                    .execute(
                        "UPDATE alerts SET attempts = attempts + 1, sending_at = NULL,
                             last_error = $2,
                             status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END,
                             next_attempt_at = now() + make_interval(secs => $4)
                         WHERE id = $1 AND status = 'pending'",
                        &[&alert_id, error, &max, &retry_in.as_secs_f64()],
                    )
                    .await
                    .context("record a failed send")?;
                Ok(())
            }
        }
    }

    /// Alerts by status (`pending`, `sent`, `failed`), for tests and `status`.
    pub async fn alert_counts(&self) -> Result<Vec<(String, i64)>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT status, count(*) FROM alerts GROUP BY status ORDER BY status",
                &[],
            )
            .await
            .context("count alerts")?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}
