//! Delivery bookkeeping for the alert outbox: in-order due rows, holds (quiet hours, rate
//! limits), the messages each channel received (what rate limits count), alerts not tied to a
//! single post (corroborated, operator), operator incidents and daily digests.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::alerts::{from_row, ALERT_COLUMNS};
use super::{parse_ts, ts, AlertRow, Doing, Result, Store};
use crate::states::{AlertKind, SourceState};

/// An outbox row written outside an ingest (corroborated and operator alerts).
#[derive(Debug, Clone)]
pub struct NewAlert {
    pub post_id: Option<i64>,
    pub kind: AlertKind,
    pub label: String,
    pub channel_id: String,
    pub score: f64,
    pub idempotency_key: String,
    pub payload: String,
}

/// One label on one stored post (latest classification), for corroboration and digests.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelHit {
    pub post_id: i64,
    pub source_id: String,
    pub source_name: String,
    pub label: String,
    pub score: f64,
    pub created_at: DateTime<Utc>,
    pub url: String,
    pub text: String,
}

/// A source's health, for operator alerts.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRunState {
    pub id: String,
    pub name: String,
    pub state: SourceState,
    pub last_error: Option<String>,
    /// Last success, else the first run: how long the source has been without a good run.
    pub failing_since: Option<DateTime<Utc>>,
}

/// Every label of every post created since placeholder 1 (its latest classification), oldest
/// first: the same SQL on both backends, `mark(n)` writing the n-th placeholder.
pub(super) fn label_hits_since_sql(mark: fn(usize) -> String) -> String {
    format!(
        "SELECT p.id, p.source_id, coalesce(s.name, p.source_id), l.label, l.score,
                p.created_at, p.url, p.text
         FROM posts p LEFT JOIN sources s ON s.id = p.source_id
         JOIN classifications c ON c.post_id = p.id
              AND c.id = (SELECT max(id) FROM classifications WHERE post_id = p.id)
         JOIN classification_labels l ON l.classification_id = c.id
         WHERE p.created_at >= {} ORDER BY p.created_at, p.id",
        mark(1)
    )
}

/// Every source's health (state, last error, since when without a good run: its last
/// success, else its first run), the same SQL on both backends.
pub(super) const SOURCE_HEALTH_SQL: &str = "SELECT s.id, s.name, s.state, s.last_error,
        coalesce(s.last_success_at,
                 (SELECT min(started_at) FROM fetch_runs r WHERE r.source_id = s.id))
     FROM sources s ORDER BY s.id";

impl Store {
    /// Pending alerts due at `now`, oldest first, leaving out any that sit behind an earlier
    /// alert of the same channel waiting out a retry backoff, so a channel that recovers gets
    /// its alerts in order.
    pub fn due_alerts_in_order(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<AlertRow>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {ALERT_COLUMNS} FROM alerts a
                 WHERE status = 'pending' AND next_attempt_at <= ?1
                   AND NOT EXISTS (SELECT 1 FROM alerts b
                        WHERE b.channel_id = a.channel_id AND b.status = 'pending'
                          AND b.attempts > 0 AND b.next_attempt_at > ?1 AND b.id < a.id)
                 ORDER BY id LIMIT ?2"
            ))
            .doing("listing due alerts")?;
        let rows = stmt
            .query_map(params![ts(now), limit as i64], from_row)
            .doing("listing due alerts")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading due alerts")
    }

    pub fn alert(&self, id: i64) -> Result<Option<AlertRow>> {
        self.lock()
            .query_row(
                &format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()
            .doing("reading an alert")
    }

    /// Holds pending alerts until `until` without counting an attempt (quiet hours, rate limit).
    pub fn hold_alerts(&self, ids: &[i64], until: DateTime<Utc>) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting a hold")?;
        for id in ids {
            tx.execute(
                "UPDATE alerts SET next_attempt_at = ?2 WHERE id = ?1 AND status = 'pending'",
                params![id, ts(until)],
            )
            .doing("holding an alert")?;
        }
        tx.commit().doing("committing a hold")
    }

    /// Messages the channel received since `since`, and when the oldest of them went out.
    pub fn channel_sends_since(
        &self,
        channel_id: &str,
        since: DateTime<Utc>,
    ) -> Result<(u32, Option<DateTime<Utc>>)> {
        let (n, oldest): (i64, Option<String>) = self
            .lock()
            .query_row(
                "SELECT count(*), min(sent_at) FROM channel_sends
                 WHERE channel_id = ?1 AND sent_at > ?2",
                params![channel_id, ts(since)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .doing("counting channel sends")?;
        Ok((n as u32, oldest.as_deref().and_then(parse_ts)))
    }

    /// Marks alerts sent by one message (one alert, or a digest of several when `digest_key`
    /// is set) and records the message for the channel's rate limits, in one transaction.
    pub fn record_delivery(
        &self,
        channel_id: &str,
        ids: &[i64],
        message_key: &str,
        digest_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting a delivery record")?;
        for id in ids {
            tx.execute(
                "UPDATE alerts SET status = 'sent', sent_at = ?2, attempts = attempts + 1, sending_at = NULL,
                    last_error = NULL, digest_key = ?3 WHERE id = ?1",
                params![id, ts(now), digest_key],
            )
            .doing("marking an alert sent")?;
        }
        tx.execute(
            "INSERT INTO channel_sends (channel_id, sent_at, idempotency_key, alerts)
             VALUES (?1, ?2, ?3, ?4)",
            params![channel_id, ts(now), message_key, ids.len() as i64],
        )
        .doing("recording a channel send")?;
        tx.commit().doing("committing a delivery record")
    }

    /// Queues one alert; `false` when its idempotency key is already queued.
    pub fn queue_alert(&self, a: &NewAlert, now: DateTime<Utc>) -> Result<bool> {
        let n = self
            .lock()
            .execute(
                "INSERT INTO alerts (post_id, label, channel_id, score, idempotency_key, payload,
                    status, attempts, next_attempt_at, created_at, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?7, ?8)
                 ON CONFLICT(idempotency_key) DO NOTHING",
                params![
                    a.post_id,
                    a.label,
                    a.channel_id,
                    a.score,
                    a.idempotency_key,
                    a.payload,
                    ts(now),
                    a.kind
                ],
            )
            .doing("queueing an alert")?;
        Ok(n > 0)
    }

    /// Whether a `kind` alert for this label and channel was queued after `since`.
    pub fn alert_queued_since(
        &self,
        kind: AlertKind,
        label: &str,
        channel_id: &str,
        since: DateTime<Utc>,
    ) -> Result<bool> {
        self.lock()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM alerts WHERE kind = ?1 AND label = ?2
                    AND channel_id = ?3 AND created_at > ?4)",
                params![kind, label, channel_id, ts(since)],
                |r| r.get(0),
            )
            .doing("looking up recent alerts")
    }

    /// Every label of every post created since `since` (latest classification), oldest first.
    pub fn label_hits_since(&self, since: DateTime<Utc>) -> Result<Vec<LabelHit>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(&label_hits_since_sql(|n| format!("?{n}")))
            .doing("listing recent labels")?;
        let rows = stmt
            .query_map([ts(since)], |r| {
                Ok(LabelHit {
                    post_id: r.get(0)?,
                    source_id: r.get(1)?,
                    source_name: r.get(2)?,
                    label: r.get(3)?,
                    score: r.get(4)?,
                    created_at: parse_ts(&r.get::<_, String>(5)?).unwrap_or_default(),
                    url: r.get(6)?,
                    text: r.get(7)?,
                })
            })
            .doing("listing recent labels")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading recent labels")
    }

    pub fn source_health(&self) -> Result<Vec<SourceRunState>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(SOURCE_HEALTH_SQL)
            .doing("reading source health")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SourceRunState {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    state: r.get(2)?,
                    last_error: r.get(3)?,
                    failing_since: r.get::<_, Option<String>>(4)?.as_deref().and_then(parse_ts),
                })
            })
            .doing("reading source health")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading source health")
    }

    /// Open operator incidents: `(source_id, condition)`.
    pub fn operator_incidents(&self) -> Result<Vec<(String, String)>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT source_id, condition FROM operator_incidents ORDER BY source_id",
            )
            .doing("reading operator incidents")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .doing("reading operator incidents")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading operator incidents")
    }

    /// Opens (or changes) a source's incident and queues its operator alerts, atomically.
    pub fn open_incident(
        &self,
        source_id: &str,
        condition: &str,
        alerts: &[NewAlert],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting an incident")?;
        tx.execute(
            "INSERT INTO operator_incidents (source_id, condition, raised_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(source_id) DO UPDATE SET condition = excluded.condition,
                raised_at = excluded.raised_at",
            params![source_id, condition, ts(now)],
        )
        .doing("opening an operator incident")?;
        let mut queued = 0;
        for a in alerts {
            queued += tx
                .execute(
                    "INSERT INTO alerts (post_id, label, channel_id, score, idempotency_key, payload,
                        status, attempts, next_attempt_at, created_at, kind)
                     VALUES (NULL, ?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?6, ?7)
                     ON CONFLICT(idempotency_key) DO NOTHING",
                    params![
                        a.label,
                        a.channel_id,
                        a.score,
                        a.idempotency_key,
                        a.payload,
                        ts(now),
                        a.kind
                    ],
                )
                .doing("queueing an operator alert")?;
        }
        tx.commit().doing("committing an incident")?;
        Ok(queued)
    }

    pub fn close_incident(&self, source_id: &str) -> Result<()> {
        self.lock()
            .execute(
                "DELETE FROM operator_incidents WHERE source_id = ?1",
                [source_id],
            )
            .doing("closing an operator incident")?;
        Ok(())
    }

    /// Whether the daily digest for this channel and local day (`YYYY-MM-DD`) went out.
    pub fn daily_digest_sent(&self, channel_id: &str, day: &str) -> Result<bool> {
        self.lock()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM daily_digests WHERE channel_id = ?1 AND day = ?2)",
                params![channel_id, day],
                |r| r.get(0),
            )
            .doing("looking up daily digests")
    }

    pub fn record_daily_digest(
        &self,
        channel_id: &str,
        day: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO daily_digests (channel_id, day, sent_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
                params![channel_id, day, ts(now)],
            )
            .doing("recording a daily digest")?;
        Ok(())
    }
}
