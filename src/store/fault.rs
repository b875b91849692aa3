//! Writes the database could not take. A delivery outcome (an alert went out, or failed) that
//! cannot be recorded — disk full, a read-only file — is kept here, in memory, and written
//! first once the database takes writes again. Until then its channel sends nothing more:
//! resending an alert whose "sent" could not be written would repeat it every round (an alert
//! storm), and the next write would most likely fail the same way.

use chrono::{DateTime, Utc};

use super::{ts, AlertStatus, Result, Store, StoreError};

/// An outcome the dispatcher could not record.
#[derive(Debug, Clone, PartialEq)]
pub enum Unrecorded {
    /// A message went out carrying these alerts (one, or a digest of several).
    Sent {
        channel_id: String,
        ids: Vec<i64>,
        message_key: String,
        digest_key: Option<String>,
        at: DateTime<Utc>,
    },
    /// A send failed; the attempt counts once it is recorded.
    Failed {
        channel_id: String,
        id: i64,
        error: String,
        next_at: DateTime<Utc>,
        max_attempts: u32,
    },
    /// A channel's daily digest went out.
    DailyDigest {
        channel_id: String,
        day: String,
        at: DateTime<Utc>,
    },
}

impl Unrecorded {
    pub fn channel_id(&self) -> &str {
        match self {
            Unrecorded::Sent { channel_id, .. }
            | Unrecorded::Failed { channel_id, .. }
            | Unrecorded::DailyDigest { channel_id, .. } => channel_id,
        }
    }
}

/// Since when the database refuses the dispatcher's writes, why, and what waits to be written.
#[derive(Debug, Clone, Default)]
pub(crate) struct WriteFault {
    since: Option<DateTime<Utc>>,
    error: String,
    outcomes: Vec<Unrecorded>,
}

/// The database took the kept outcomes: the fault is over.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultCleared {
    pub since: DateTime<Utc>,
    pub error: String,
    /// Outcomes written late.
    pub recorded: usize,
}

impl Store {
    /// Keeps an outcome the database refused (`error`), which pauses its channel.
    pub fn keep_unrecorded(&self, outcome: Unrecorded, error: &StoreError, now: DateTime<Utc>) {
        let mut f = self.fault.lock().unwrap_or_else(|p| p.into_inner());
        f.since.get_or_insert(now);
        f.error = error.to_string();
        f.outcomes.push(outcome);
    }

    /// Channels whose outcomes wait to be recorded: they send nothing until then.
    pub fn paused_channels(&self) -> Vec<String> {
        let f = self.fault.lock().unwrap_or_else(|p| p.into_inner());
        let mut ids: Vec<String> = f
            .outcomes
            .iter()
            .map(|o| o.channel_id().to_string())
            .collect();
        ids.dedup();
        ids
    }

    /// Outcomes waiting to be recorded.
    pub fn unrecorded_count(&self) -> usize {
        self.fault
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .outcomes
            .len()
    }

    /// The open write fault, as an error naming the database and what to do.
    pub(crate) fn write_fault(&self) -> Option<StoreError> {
        let f = self.fault.lock().unwrap_or_else(|p| p.into_inner());
        f.since.map(|since| StoreError::Unwritable {
            path: self.path.clone(),
            since: ts(since),
            error: f.error.clone(),
            unrecorded: f.outcomes.len(),
        })
    }

    /// Records one delivery outcome; for a failed send, the alert's status after it.
    pub fn record_outcome(&self, o: &Unrecorded) -> Result<Option<AlertStatus>> {
        match o {
            Unrecorded::Sent {
                channel_id,
                ids,
                message_key,
                digest_key,
                at,
            } => self
                .record_delivery(channel_id, ids, message_key, digest_key.as_deref(), *at)
                .map(|_| None),
            Unrecorded::Failed {
                id,
                error,
                next_at,
                max_attempts,
                ..
            } => self
                .mark_attempt_failed(*id, error, *next_at, *max_attempts)
                .map(Some),
            Unrecorded::DailyDigest {
                channel_id,
                day,
                at,
            } => self.record_daily_digest(channel_id, day, *at).map(|_| None),
        }
    }

    /// Writes the kept outcomes, oldest first. `Ok(Some(_))` when the last one was written
    /// and the fault is over; on an error the rest stay kept.
    pub fn flush_unrecorded(&self) -> Result<Option<FaultCleared>> {
        let mut f = self.fault.lock().unwrap_or_else(|p| p.into_inner());
        let Some(since) = f.since else {
            return Ok(None);
        };
        let mut written = 0;
        let pending = f.outcomes.clone();
        for o in &pending {
            if let Err(e) = self.record_outcome(o) {
                f.outcomes.drain(..written);
                f.error = e.to_string();
                return Err(e);
            }
            written += 1;
        }
        let error = std::mem::take(&mut f.error);
        *f = WriteFault::default();
        Ok(Some(FaultCleared {
            since,
            error,
            recorded: written,
        }))
    }
}
