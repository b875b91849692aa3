//! The alert outbox: rows are written with their post; the dispatcher claims due rows,
//! sends them and marks them sent, or schedules a retry, or gives up as `failed`.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{ts, Doing, Result, Store};
use crate::states::{AlertKind, AlertStatus};

#[derive(Debug, Clone)]
pub struct AlertRow {
    pub id: i64,
    /// `None` for operator alerts.
    pub post_id: Option<i64>,
    pub label: String,
    pub channel_id: String,
    pub score: f64,
    pub idempotency_key: String,
    pub payload: String,
    pub status: AlertStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub kind: AlertKind,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// The digest this alert went out in, when it was folded into one.
    pub digest_key: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

pub(super) const ALERT_COLUMNS: &str =
    "id, post_id, label, channel_id, score, idempotency_key, payload, status,
    attempts, last_error, kind, created_at, sent_at, digest_key";

pub(super) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AlertRow> {
    Ok(AlertRow {
        id: r.get(0)?,
        post_id: r.get(1)?,
        label: r.get(2)?,
        channel_id: r.get(3)?,
        score: r.get(4)?,
        idempotency_key: r.get(5)?,
        payload: r.get(6)?,
        status: r.get(7)?,
        attempts: r.get(8)?,
        last_error: r.get(9)?,
        kind: r.get(10)?,
        created_at: r.get(11)?,
        sent_at: r.get(12)?,
        digest_key: r.get(13)?,
    })
}

impl Store {
    pub fn alerts(&self, status: Option<AlertStatus>) -> Result<Vec<AlertRow>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {ALERT_COLUMNS} FROM alerts WHERE (?1 IS NULL OR status = ?1) ORDER BY id"
            ))
            .doing("listing alerts")?;
        let rows = stmt.query_map([status], from_row).doing("listing alerts")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading alerts")
    }

    pub fn mark_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE alerts SET status = 'sent', sent_at = ?2, attempts = attempts + 1, sending_at = NULL,
                    last_error = NULL WHERE id = ?1",
                params![id, ts(now)],
            )
            .doing("marking an alert sent")?;
        Ok(())
    }

    /// Records a failed attempt: retry at `next_at`, or `failed` once `max_attempts` is reached.
    pub fn mark_attempt_failed(
        &self,
        id: i64,
        error: &str,
        next_at: DateTime<Utc>,
        max_attempts: u32,
    ) -> Result<AlertStatus> {
        let conn = self.lock();
        conn.execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,
                sending_at = NULL,
                status = CASE WHEN attempts + 1 >= ?4 THEN 'failed' ELSE 'pending' END
             WHERE id = ?1",
            params![id, error, ts(next_at), max_attempts],
        )
        .doing("recording a failed alert attempt")?;
        conn.query_row("SELECT status FROM alerts WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .doing("reading an alert's status")
    }

    /// Marks alerts as about to be sent, before the request: if the process dies before
    /// their outcome is recorded, the next start knows they were in flight.
    pub fn mark_sending(&self, ids: &[i64], now: DateTime<Utc>) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting a send mark")?;
        for id in ids {
            tx.execute(
                "UPDATE alerts SET sending_at = ?2 WHERE id = ?1",
                params![id, ts(now)],
            )
            .doing("marking an alert as being sent")?;
        }
        tx.commit().doing("committing a send mark")
    }

    /// At start: alerts that were in flight when the last process stopped (marked, no
    /// outcome). They stay pending, due now, to be sent again with their key; returns how many.
    pub fn reconcile_sending(&self, now: DateTime<Utc>) -> Result<usize> {
        self.lock()
            .execute(
                "UPDATE alerts SET sending_at = NULL, next_attempt_at = ?1
                 WHERE sending_at IS NOT NULL AND status = 'pending'",
                [ts(now)],
            )
            .doing("reconciling alerts in flight")
    }

    /// Puts failed alerts (or one) back in the queue, due now.
    pub fn retry_alerts(&self, id: Option<i64>, now: DateTime<Utc>) -> Result<usize> {
        self.lock()
            .execute(
                "UPDATE alerts SET status = 'pending', attempts = 0, next_attempt_at = ?2
                 WHERE status = 'failed' AND (?1 IS NULL OR id = ?1)",
                params![id, ts(now)],
            )
            .doing("requeueing alerts")
    }

    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        let conn = self.read();
        let mut stmt = conn
            .prepare("SELECT status, count(*) FROM alerts GROUP BY status")
            .doing("counting alerts")?;
        let mut c = OutboxCounts::default();
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .doing("counting alerts")?;
        for row in rows {
            let (s, n) = row.doing("counting alerts")?;
            match s.as_str() {
                "pending" => c.pending = n,
                "sent" => c.sent = n,
                _ => c.failed += n,
            }
        }
        Ok(c)
    }
}
