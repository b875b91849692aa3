//! Alerts beyond single posts, cluster mode's side (migrations/postgres/07-derived-alerts):
//! what `alert::derive` reads (label hits, source health, open incidents) and the writes that
//! make each derived alert unique across instances: a corroboration is queued only by its
//! channel's holder and at most once per label and window (`corroborated_labels`), an
//! operator incident queues its alerts only in the transaction that opens it
//! (`operator_incidents`), and a daily digest is marked by its channel's holder before its
//! request (`daily_digests`).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{ChannelLease, Context as _, PgError, PgStore};
use crate::states::SourceState;
use crate::store::delivery::{label_hits_since_sql, SOURCE_HEALTH_SQL};
use crate::store::{LabelHit, NewAlert, SourceRunState};

/// Whether a channel lease is still its holder's (the fence unchanged and the lease live), as
/// a condition on the channel `$1`, owner `$2` and fence `$3` of a statement.
const HOLDS_CHANNEL: &str = "EXISTS (SELECT 1 FROM channel_leases l
     WHERE l.channel_id = $1 AND l.owner = $2 AND l.fence = $3 AND l.until > now())";

impl PgStore {
    /// Every label of every post created since `since` (its latest classification), oldest
    /// first, as `Store::label_hits_since` answers on SQLite.
    pub async fn label_hits_since(&self, since: DateTime<Utc>) -> Result<Vec<LabelHit>, PgError> {
        let rows = self
            .client()
            .await?
            .query(&label_hits_since_sql(|n| format!("${n}")), &[&since])
            .await
            .context("list recent labels")?;
        Ok(rows
            .iter()
            .map(|r| LabelHit {
                post_id: r.get(0),
                source_id: r.get(1),
                source_name: r.get(2),
                label: r.get(3),
                score: r.get(4),
                created_at: r.get(5),
                url: r.get(6),
                text: r.get(7),
            })
            .collect())
    }

    /// Every source's health for operator alerts: its state, last error and since when it
    /// has been without a good run (its last success, else its first run).
    pub async fn source_health(&self) -> Result<Vec<SourceRunState>, PgError> {
        let rows = self
            .client()
            .await?
            .query(SOURCE_HEALTH_SQL, &[])
            .await
            .context("read source health")?;
        Ok(rows
            .iter()
            .map(|r| SourceRunState {
                id: r.get(0),
                name: r.get(1),
                state: SourceState::from_stored(r.get(2)),
                last_error: r.get(3),
                failing_since: r.get(4),
            })
            .collect())
    }

    /// Open operator incidents: `(source_id, condition)`.
    pub async fn operator_incidents(&self) -> Result<Vec<(String, String)>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT source_id, condition FROM operator_incidents ORDER BY source_id",
                &[],
            )
            .await
            .context("read operator incidents")?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Opens a source's incident for `condition` (or changes its condition) and queues its
    /// operator alerts, in one transaction; returns how many were queued. When the incident
    /// is already open with this condition (another instance opened it first: the upsert
    /// waits for its commit), nothing is queued.
    pub async fn open_incident(
        &self,
        source_id: &str,
        condition: &str,
        alerts: &[NewAlert],
    ) -> Result<u64, PgError> {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .context("begin an operator incident")?;
        let opened = tx
            .query_opt(
                "INSERT INTO operator_incidents (source_id, condition) VALUES ($1, $2)
                 ON CONFLICT (source_id) DO UPDATE SET condition = excluded.condition,
                     raised_at = now()
                 WHERE operator_incidents.condition <> excluded.condition
                 RETURNING 1",
                &[&source_id, &condition],
            )
            .await
            .context("open an operator incident")?;
        if opened.is_none() {
            tx.rollback().await.context("roll back an open incident")?;
            return Ok(0);
        }
        let mut queued = 0;
        for a in alerts {
            queued += queue(&tx, a).await?;
        }
        tx.commit().await.context("commit an operator incident")?;
        Ok(queued)
    }

    /// Closes a source's incident, if it is still the one with `condition`.
    pub async fn close_incident(&self, source_id: &str, condition: &str) -> Result<(), PgError> {
        self.client()
            .await?
            .execute(
                "DELETE FROM operator_incidents WHERE source_id = $1 AND condition = $2",
                &[&source_id, &condition],
            )
            .await
            .context("close an operator incident")?;
        Ok(())
    }

    /// Queues a corroborated alert on the channel `lease` holds, unless one for its label was
    /// raised on that channel within `window` (by any instance) or the lease is lost; returns
    /// whether it was queued. The window's mark and the alert commit together.
    pub async fn raise_corroborated(
        &self,
        lease: &ChannelLease,
        window: Duration,
        a: &NewAlert,
    ) -> Result<bool, PgError> {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .context("begin a corroborated alert")?;
        let marked = tx
            .query_opt(
                &format!(
                    "INSERT INTO corroborated_labels (channel_id, label, raised_at)
                     SELECT $1, $4, now() WHERE {HOLDS_CHANNEL}
                     ON CONFLICT (channel_id, label) DO UPDATE SET raised_at = now()
                     WHERE corroborated_labels.raised_at <= now() - make_interval(secs => $5)
                     RETURNING 1"
                ),
                &[
                    &lease.channel_id,
                    &lease.owner,
                    &lease.fence,
                    &a.label,
                    &window.as_secs_f64(),
                ],
            )
            .await
            .context("mark a corroboration")?;
        if marked.is_none() {
            tx.rollback().await.context("roll back a corroboration")?;
            return Ok(false);
        }
        let queued = queue(&tx, a).await?;
        if queued == 0 {
            // Raised before with these very posts: the window's mark stays where it was.
            tx.rollback().await.context("roll back a corroboration")?;
            return Ok(false);
        }
        tx.commit().await.context("commit a corroborated alert")?;
        Ok(true)
    }

    /// Whether the channel's daily digest for `day` went out.
    pub async fn daily_digest_sent(&self, channel_id: &str, day: &str) -> Result<bool, PgError> {
        let r = self
            .client()
            .await?
            .query_opt(
                "SELECT 1 FROM daily_digests
                 WHERE channel_id = $1 AND day = $2 AND sent_at IS NOT NULL",
                &[&channel_id, &day],
            )
            .await
            .context("look up a daily digest")?;
        Ok(r.is_some())
    }

    /// Marks the channel's daily digest for `day` as being sent, committed before its
    /// request: false when it went out already or the channel is no longer this holder's (the
    /// digest must not be sent). A mark left by a failed or interrupted send is taken again.
    pub async fn mark_daily_digest(
        &self,
        lease: &ChannelLease,
        day: &str,
    ) -> Result<bool, PgError> {
        let r = self
            .client()
            .await?
            .query_opt(
                &format!(
                    "INSERT INTO daily_digests (channel_id, day, sending_by)
                     SELECT $1, $4, $2 WHERE {HOLDS_CHANNEL}
                     ON CONFLICT (channel_id, day) DO UPDATE SET
                         sending_by = excluded.sending_by, sending_at = now()
                     WHERE daily_digests.sent_at IS NULL
                     RETURNING 1"
                ),
                &[&lease.channel_id, &lease.owner, &lease.fence, &day],
            )
            .await
            .context("mark a daily digest")?;
        Ok(r.is_some())
    }

    /// Records that the channel's daily digest for `day` went out.
    pub async fn record_daily_digest(&self, channel_id: &str, day: &str) -> Result<(), PgError> {
        self.client()
            .await?
            .execute(
                "UPDATE daily_digests SET sent_at = now() WHERE channel_id = $1 AND day = $2",
                &[&channel_id, &day],
            )
            .await
            .context("record a daily digest")?;
        Ok(())
    }
}

/// Queues one alert not tied to a single post's run; 0 when its idempotency key is queued.
async fn queue(tx: &tokio_postgres::Transaction<'_>, a: &NewAlert) -> Result<u64, PgError> {
    tx.execute(
        "INSERT INTO alerts (post_id, kind, label, channel_id, score, idempotency_key, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (idempotency_key) DO NOTHING",
        &[
            &a.post_id,
            &a.kind.as_str(),
            &a.label,
            &a.channel_id,
            &a.score,
            &a.idempotency_key,
            &a.payload,
        ],
    )
    .await
    .context("queue a derived alert")
}
