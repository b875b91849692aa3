//! What the long-running daemon keeps: post versions (edits), confirmed deletions and
//! invisibility, recheck bookkeeping, change alerts in the outbox, and the writability probe
//! behind `/healthz` and `status`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{parse_ts, ts, Doing, Result, Store, StoreError};
use crate::states::AlertEvent;

/// Room the database's folder must have left to count as writable: a few WAL frames.
const SPACE_PROBE_BYTES: usize = 64 * 1024;

/// A stored post as a recheck compares it with what the source shows now.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackedPost {
    pub id: i64,
    pub platform_id: String,
    pub text: String,
    pub edit_count: u32,
    pub truncated: bool,
    pub pinned: bool,
    pub created_at: DateTime<Utc>,
}

/// One text a post has had.
#[derive(Debug, Clone, PartialEq)]
pub struct PostVersion {
    pub version: u32,
    pub text: String,
    pub edit_count: u32,
    pub seen_at: String,
}

/// A `flagged` outbox row of a post: the channel and label a change alert goes to, and the
/// payload it was sent with (the change alert starts from it).
#[derive(Debug, Clone)]
pub struct FlaggedAlert {
    pub channel_id: String,
    pub label: String,
    pub score: f64,
    pub idempotency_key: String,
    pub payload: String,
}

/// A change alert to queue with the change that raised it.
#[derive(Debug, Clone)]
pub struct ChangeAlert {
    pub event: AlertEvent,
    pub channel_id: String,
    pub label: String,
    pub score: f64,
    pub idempotency_key: String,
    pub payload: String,
}

/// A post's new text as a recheck read it, to store as its next version (either backend).
#[derive(Debug, Clone, Copy)]
pub struct Edit<'a> {
    pub text: &'a str,
    pub edit_count: u32,
    /// The payload the new text was read from.
    pub raw: &'a str,
    /// The edit time, pictures and counts now.
    pub detail: &'a crate::post::PostDetail,
}

/// Where a post went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gone {
    Deleted,
    Invisible,
}

impl Gone {
    pub fn as_str(self) -> &'static str {
        match self {
            Gone::Deleted => "deleted",
            Gone::Invisible => "invisible",
        }
    }

    /// The change alert this raises.
    pub fn event(self) -> AlertEvent {
        match self {
            Gone::Deleted => AlertEvent::Deleted,
            Gone::Invisible => AlertEvent::Invisible,
        }
    }
}

impl Store {
    /// Whether the source's last recheck is older than `every` (or never happened).
    pub fn recheck_due(
        &self,
        source_id: &str,
        every: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let last: Option<String> = self
            .lock()
            .query_row(
                "SELECT last_recheck_at FROM sources WHERE id = ?1",
                [source_id],
                |r| r.get(0),
            )
            .optional()
            .doing("reading the last recheck")?
            .flatten();
        let every = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::MAX);
        Ok(match last.as_deref().and_then(parse_ts) {
            None => true,
            Some(t) => now - t >= every,
        })
    }

    pub fn mark_rechecked(&self, source_id: &str, now: DateTime<Utc>) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE sources SET last_recheck_at = ?2 WHERE id = ?1",
                params![source_id, ts(now)],
            )
            .doing("recording a recheck")?;
        Ok(())
    }

    /// Visible posts of a source created at or after `since`, newest first.
    pub fn tracked_posts(&self, source_id: &str, since: DateTime<Utc>) -> Result<Vec<TrackedPost>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, platform_id, text, edit_count, truncated, pinned, created_at FROM posts
                 WHERE source_id = ?1 AND visibility = 'visible' AND created_at >= ?2
                 ORDER BY created_at DESC",
            )
            .doing("listing posts to recheck")?;
        let rows = stmt
            .query_map(params![source_id, ts(since)], |r| {
                Ok(TrackedPost {
                    id: r.get(0)?,
                    platform_id: r.get(1)?,
                    text: r.get(2)?,
                    edit_count: r.get(3)?,
                    truncated: r.get(4)?,
                    pinned: r.get(5)?,
                    created_at: parse_ts(&r.get::<_, String>(6)?).unwrap_or_default(),
                })
            })
            .doing("listing posts to recheck")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading posts to recheck")
    }

    /// Notes that a recheck saw these posts on the timeline.
    pub fn mark_seen(&self, post_ids: &[i64], now: DateTime<Utc>) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting a seen update")?;
        {
            let mut stmt = tx
                .prepare_cached("UPDATE posts SET last_seen_at = ?2 WHERE id = ?1")
                .doing("marking posts seen")?;
            let now_s = ts(now);
            for id in post_ids {
                stmt.execute(params![id, now_s])
                    .doing("marking posts seen")?;
            }
        }
        tx.commit().doing("committing a seen update")
    }

    /// The `flagged` alerts a post raised, one per channel and label.
    pub fn flagged_alerts(&self, post_id: i64) -> Result<Vec<FlaggedAlert>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT channel_id, label, score, idempotency_key, payload FROM alerts
                 WHERE post_id = ?1 AND event = 'flagged' ORDER BY id",
            )
            .doing("listing a post's alerts")?;
        let rows = stmt
            .query_map([post_id], |r| {
                Ok(FlaggedAlert {
                    channel_id: r.get(0)?,
                    label: r.get(1)?,
                    score: r.get(2)?,
                    idempotency_key: r.get(3)?,
                    payload: r.get(4)?,
                })
            })
            .doing("listing a post's alerts")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading a post's alerts")
    }

    /// Stores a new text of a post as its next version (the first text becomes version 1 when
    /// the first change is seen), updates the post, and queues the change alerts, all in one
    /// transaction. Returns the new version number.
    pub fn record_edit(
        &self,
        post_id: i64,
        text: &str,
        edit_count: u32,
        raw: &str,
        now: DateTime<Utc>,
        alerts: &[ChangeAlert],
    ) -> Result<u32> {
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting an edit record")?;
        let now_s = ts(now);
        let (old_text, old_count, fetched_at, old_raw): (String, u32, String, String) = tx
            .query_row(
                "SELECT text, edit_count, fetched_at, raw FROM posts WHERE id = ?1",
                [post_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .doing("reading a post to version")?;
        let last: Option<u32> = tx
            .query_row(
                "SELECT max(version) FROM post_versions WHERE post_id = ?1",
                [post_id],
                |r| r.get(0),
            )
            .doing("reading a post's versions")?;
        let last = match last {
            Some(v) => v,
            None => {
                tx.execute(
                    "INSERT INTO post_versions (post_id, version, text, edit_count, seen_at, raw)
                     VALUES (?1, 1, ?2, ?3, ?4, ?5)",
                    params![post_id, old_text, old_count, fetched_at, old_raw],
                )
                .doing("storing a post's first version")?;
                1
            }
        };
        let version = last + 1;
        tx.execute(
            "INSERT INTO post_versions (post_id, version, text, edit_count, seen_at, raw)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![post_id, version, text, edit_count, now_s, raw],
        )
        .doing("storing a post version")?;
        tx.execute(
            "UPDATE posts SET text = ?2, edit_count = ?3, truncated = 0, last_seen_at = ?4
             WHERE id = ?1",
            params![post_id, text, edit_count, now_s],
        )
        .doing("updating an edited post")?;
        insert_change_alerts(&tx, post_id, alerts, &now_s)?;
        tx.commit().doing("committing an edit record")?;
        Ok(version)
    }

    /// Marks a post deleted or invisible (after a confirming request) and queues the change
    /// alerts, in one transaction. Returns false when the post was not visible any more.
    pub fn mark_gone(
        &self,
        post_id: i64,
        gone: Gone,
        reason: &str,
        now: DateTime<Utc>,
        alerts: &[ChangeAlert],
    ) -> Result<bool> {
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting a deletion record")?;
        let now_s = ts(now);
        let n = tx
            .execute(
                "UPDATE posts SET visibility = ?2, gone_at = ?3, gone_reason = ?4
                 WHERE id = ?1 AND visibility = 'visible'",
                params![post_id, gone.as_str(), now_s, reason],
            )
            .doing("marking a post gone")?;
        if n > 0 {
            insert_change_alerts(&tx, post_id, alerts, &now_s)?;
        }
        tx.commit().doing("committing a deletion record")?;
        Ok(n > 0)
    }

    /// Every text a post has had, oldest first (empty when it never changed).
    pub fn post_versions(&self, post_id: i64) -> Result<Vec<PostVersion>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(
                "SELECT version, text, edit_count, seen_at FROM post_versions
                 WHERE post_id = ?1 ORDER BY version",
            )
            .doing("listing post versions")?;
        let rows = stmt
            .query_map([post_id], |r| {
                Ok(PostVersion {
                    version: r.get(0)?,
                    text: r.get(1)?,
                    edit_count: r.get(2)?,
                    seen_at: r.get(3)?,
                })
            })
            .doing("listing post versions")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading post versions")
    }

    /// A post's visibility and, when it is gone, when and by which marker that was confirmed.
    pub fn post_gone(&self, post_id: i64) -> Result<Option<(String, String, String)>> {
        self.read()
            .query_row(
                "SELECT visibility, coalesce(gone_at, ''), coalesce(gone_reason, '') FROM posts
                 WHERE id = ?1 AND visibility != 'visible'",
                [post_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .doing("reading whether a post is gone")
    }

    /// The id and visibility of a post, by source and platform id.
    pub fn post_visibility(
        &self,
        source_id: &str,
        platform_id: &str,
    ) -> Result<Option<(i64, String)>> {
        self.read()
            .query_row(
                "SELECT id, visibility FROM posts WHERE source_id = ?1 AND platform_id = ?2",
                params![source_id, platform_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .doing("reading a post's visibility")
    }

    /// Outbox rows by event (flagged, edited, deleted, invisible), for tests and `status`.
    pub fn alert_events(&self) -> Result<Vec<(i64, String, String)>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare("SELECT post_id, event, idempotency_key FROM alerts ORDER BY id")
            .doing("listing alert events")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .doing("listing alert events")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading alert events")
    }

    /// Marks the daemon's sources `starting` until their first run in this process records a
    /// state: health then reports "starting" instead of judging runs from before the start.
    /// Sources waiting for their operator (needs-cookie, layout-changed) keep their state.
    pub fn mark_starting(&self, source_ids: &[String]) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction().doing("marking sources starting")?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "UPDATE sources SET state = 'starting'
                     WHERE id = ?1 AND state NOT IN ('needs-cookie', 'layout-changed')",
                )
                .doing("marking sources starting")?;
            for id in source_ids {
                stmt.execute([id]).doing("marking sources starting")?;
            }
        }
        tx.commit().doing("marking sources starting")
    }

    /// Proves the database takes writes: no delivery outcome waits in memory (see
    /// `fault.rs`), a write transaction is begun (which fails on a read-only file or a
    /// query-only connection) and rolled back, and the database's folder has room for
    /// `SPACE_PROBE_BYTES` more (a full disk lets the rolled-back transaction through but
    /// fails the next commit that grows the WAL).
    pub fn check_writable(&self) -> Result<()> {
        if let Some(e) = self.write_fault() {
            return Err(e);
        }
        self.probe_space()?;
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .doing("checking the database is writable")?;
        tx.execute("DELETE FROM post_versions WHERE 0", [])
            .doing("checking the database is writable")?;
        tx.rollback().doing("checking the database is writable")
    }

    /// `check_writable` for start-up: a refusal names the file and what to check, where a
    /// first write would only say "attempt to write a readonly database".
    pub fn ensure_writable(&self) -> Result<()> {
        self.check_writable()
            .map_err(|e| super::StoreError::NotWritable {
                path: self.path.clone(),
                error: match e {
                    super::StoreError::Sql { error, .. } => error.to_string(),
                    other => other.to_string(),
                },
            })
    }

    /// Writes and removes a `SPACE_PROBE_BYTES` file beside the database (not for in-memory
    /// databases).
    fn probe_space(&self) -> Result<()> {
        use std::io::Write as _;
        if self.path.as_os_str() == ":memory:" {
            return Ok(());
        }
        let mut name = self.path.as_os_str().to_owned();
        name.push("-space-probe");
        let probe = std::path::PathBuf::from(name);
        let written = std::fs::File::create(&probe).and_then(|mut f| {
            f.write_all(&[0u8; SPACE_PROBE_BYTES])?;
            f.sync_all()
        });
        let _ = std::fs::remove_file(&probe);
        written.map_err(|e| StoreError::Unwritable {
            path: self.path.clone(),
            since: super::ts(chrono::Utc::now()),
            error: format!("no room for {SPACE_PROBE_BYTES} bytes beside it: {e}"),
            unrecorded: self.unrecorded_count(),
        })
    }

    /// How long calls wait for a lock held by another connection or process.
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<()> {
        for r in &self.readers.conns {
            r.lock()
                .unwrap_or_else(|p| p.into_inner())
                .busy_timeout(timeout)
                .doing("setting the busy timeout")?;
        }
        self.lock()
            .busy_timeout(timeout)
            .doing("setting the busy timeout")
    }

    /// Fault injection for tests and drills: refuse every write (as a read-only file would).
    pub fn set_query_only(&self, on: bool) -> Result<()> {
        self.lock()
            .pragma_update(None, "query_only", on)
            .doing("setting query_only")
    }

    /// Fault injection for tests and drills: cap the database at `pages` pages, so a write
    /// that needs more fails as on a full disk ("database or disk is full").
    pub fn set_max_page_count(&self, pages: i64) -> Result<i64> {
        self.lock()
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
                r.get(0)
            })
            .doing("setting max_page_count")
    }

    /// The database's size in pages.
    pub fn page_count(&self) -> Result<i64> {
        self.lock()
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .doing("reading page_count")
    }
}

fn insert_change_alerts(
    tx: &rusqlite::Transaction<'_>,
    post_id: i64,
    alerts: &[ChangeAlert],
    now_s: &str,
) -> Result<()> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO alerts (post_id, label, channel_id, score, idempotency_key, payload,
                status, attempts, next_attempt_at, created_at, event)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?7, ?8)
             ON CONFLICT(idempotency_key) DO NOTHING",
        )
        .doing("preparing a change alert")?;
    for a in alerts {
        stmt.execute(params![
            post_id,
            a.label,
            a.channel_id,
            a.score,
            a.idempotency_key,
            a.payload,
            now_s,
            a.event
        ])
        .doing("queueing a change alert")?;
    }
    Ok(())
}
