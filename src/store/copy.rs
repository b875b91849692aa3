//! `store copy`'s SQLite side: the rows of each table a batch at a time, in id order, as plain
//! types the PostgreSQL side writes (`pg::copy`). A post is named by `(source_id,
//! platform_id)`, never by its SQLite id, so rows can land beside a cluster's own.

use rusqlite::params;

use super::{parse_ts, Doing, Result, Store};

type Time = chrono::DateTime<chrono::Utc>;

fn time(s: Option<String>) -> Option<Time> {
    s.as_deref().and_then(parse_ts)
}

/// The tables `store copy` moves, in the order it moves them (a row's post before the row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyTable {
    Sources,
    Posts,
    Versions,
    Classifications,
    Alerts,
    Reviews,
    Runs,
}

impl CopyTable {
    /// The query for the keys `store copy` verifies a table by, the same SQL on both
    /// backends: posts as `source_id/platform_id`, classifications with their version,
    /// alerts by idempotency key, sources by id. None for tables verified by counts.
    pub fn keys_sql(self) -> Option<&'static str> {
        Some(match self {
            CopyTable::Posts => "SELECT source_id || '/' || platform_id FROM posts",
            CopyTable::Classifications => {
                "SELECT p.source_id || '/' || p.platform_id || '/' || c.classifier_version
                 FROM classifications c JOIN posts p ON p.id = c.post_id"
            }
            CopyTable::Alerts => "SELECT idempotency_key FROM alerts",
            CopyTable::Sources => "SELECT id FROM sources",
            CopyTable::Versions | CopyTable::Reviews | CopyTable::Runs => return None,
        })
    }

    pub const ALL: [CopyTable; 7] = [
        CopyTable::Sources,
        CopyTable::Posts,
        CopyTable::Versions,
        CopyTable::Classifications,
        CopyTable::Alerts,
        CopyTable::Reviews,
        CopyTable::Runs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CopyTable::Sources => "sources",
            CopyTable::Posts => "posts",
            CopyTable::Versions => "post_versions",
            CopyTable::Classifications => "classifications",
            CopyTable::Alerts => "alerts",
            CopyTable::Reviews => "reviews",
            CopyTable::Runs => "fetch_runs",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CopySource {
    pub key: i64,
    pub id: String,
    pub kind: String,
    pub name: String,
    pub state: String,
    pub last_run_at: Option<Time>,
    pub last_success_at: Option<Time>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CopyPost {
    pub key: i64,
    pub source_id: String,
    pub platform_id: String,
    pub author: String,
    /// The full text as search reads it (a repost's text after `//`).
    pub text: String,
    pub url: String,
    pub created_at: Time,
    pub created_at_raw: String,
    pub fetched_at: Time,
    pub truncated: bool,
    pub raw: String,
    pub pinned: bool,
    pub edit_count: i64,
    pub edit_at: Option<Time>,
    pub edit_at_raw: Option<String>,
    /// JSON array of picture URLs.
    pub pics: String,
    pub reposts_count: Option<i64>,
    pub comments_count: Option<i64>,
    pub attitudes_count: Option<i64>,
    /// visible | deleted | invisible, with when and why it went (recheck).
    pub visibility: String,
    pub gone_at: Option<Time>,
    pub gone_reason: Option<String>,
    pub last_seen_at: Option<Time>,
}

#[derive(Debug, Clone)]
pub struct CopyVersion {
    pub key: i64,
    pub source_id: String,
    pub platform_id: String,
    pub version: i64,
    pub text: String,
    pub edit_count: i64,
    pub seen_at: Time,
    pub raw: String,
}

#[derive(Debug, Clone)]
pub struct CopyClassification {
    pub key: i64,
    pub source_id: String,
    pub platform_id: String,
    pub classifier_version: String,
    pub explanation: String,
    pub classified_at: Time,
    /// (label, score, evidence JSON)
    pub labels: Vec<(String, f64, String)>,
}

#[derive(Debug, Clone)]
pub struct CopyAlert {
    pub key: i64,
    /// `None` for operator alerts.
    pub post: Option<(String, String)>,
    pub kind: String,
    pub label: String,
    pub channel_id: String,
    pub score: f64,
    pub idempotency_key: String,
    pub payload: String,
    /// flagged | edited | deleted | invisible.
    pub event: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Time,
    pub last_error: Option<String>,
    pub created_at: Time,
    pub sent_at: Option<Time>,
}

#[derive(Debug, Clone)]
pub struct CopyReview {
    pub key: i64,
    pub batch: i64,
    pub source_id: String,
    pub platform_id: String,
    pub label: Option<String>,
    pub verdict: String,
    pub note: String,
    pub reviewer: String,
    pub created_at: Time,
}

#[derive(Debug, Clone)]
pub struct CopyRun {
    pub key: i64,
    pub source_id: String,
    pub started_at: Time,
    pub finished_at: Time,
    pub outcome: String,
    pub new_posts: i64,
    pub fetched: i64,
}

/// One batch of one table.
#[derive(Debug, Clone)]
pub enum CopyBatch {
    Sources(Vec<CopySource>),
    Posts(Vec<CopyPost>),
    Versions(Vec<CopyVersion>),
    Classifications(Vec<CopyClassification>),
    Alerts(Vec<CopyAlert>),
    Reviews(Vec<CopyReview>),
    Runs(Vec<CopyRun>),
}

impl CopyBatch {
    pub fn len(&self) -> usize {
        match self {
            CopyBatch::Sources(v) => v.len(),
            CopyBatch::Posts(v) => v.len(),
            CopyBatch::Versions(v) => v.len(),
            CopyBatch::Classifications(v) => v.len(),
            CopyBatch::Alerts(v) => v.len(),
            CopyBatch::Reviews(v) => v.len(),
            CopyBatch::Runs(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The last row's key: where the next batch starts.
    pub fn last_key(&self) -> Option<i64> {
        match self {
            CopyBatch::Sources(v) => v.last().map(|r| r.key),
            CopyBatch::Posts(v) => v.last().map(|r| r.key),
            CopyBatch::Versions(v) => v.last().map(|r| r.key),
            CopyBatch::Classifications(v) => v.last().map(|r| r.key),
            CopyBatch::Alerts(v) => v.last().map(|r| r.key),
            CopyBatch::Reviews(v) => v.last().map(|r| r.key),
            CopyBatch::Runs(v) => v.last().map(|r| r.key),
        }
    }
}

impl Store {
    /// How many rows `table` holds.
    pub fn copy_count(&self, table: CopyTable) -> Result<i64> {
        let conn = self.read();
        conn.query_row(
            &format!("SELECT count(*) FROM {}", table.as_str()),
            [],
            |r| r.get(0),
        )
        .doing("counting rows to copy")
    }

    /// Up to `limit` rows of `table` after `after` (its rowid), in rowid order.
    pub fn copy_batch(&self, table: CopyTable, after: i64, limit: usize) -> Result<CopyBatch> {
        let conn = self.read();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let doing = "reading rows to copy";
        Ok(match table {
            CopyTable::Sources => {
                let mut st = conn
                    .prepare(
                        "SELECT rowid, id, kind, name, state, last_run_at, last_success_at, last_error
                         FROM sources WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
                    )
                    .doing(doing)?;
                let rows = st
                    .query_map(params![after, limit], |r| {
                        Ok(CopySource {
                            key: r.get(0)?,
                            id: r.get(1)?,
                            kind: r.get(2)?,
                            name: r.get(3)?,
                            state: r.get(4)?,
                            last_run_at: time(r.get(5)?),
                            last_success_at: time(r.get(6)?),
                            last_error: r.get(7)?,
                        })
                    })
                    .doing(doing)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .doing(doing)?;
                CopyBatch::Sources(rows)
            }
            CopyTable::Posts => {
                let mut st = conn
                    .prepare(
                        "SELECT id, source_id, platform_id, author, text, retweet_text, url, created_at,
                                created_at_raw, fetched_at, truncated, raw, pinned, edit_count,
                                edit_at, edit_at_raw, pics, reposts_count, comments_count,
                                attitudes_count, visibility, gone_at, gone_reason, last_seen_at
                         FROM posts WHERE id > ?1 ORDER BY id LIMIT ?2",
                    )
                    .doing(doing)?;
                let rows = st
                    .query_map(params![after, limit], |r| {
                        let (text, rt): (String, Option<String>) = (r.get(4)?, r.get(5)?);
                        let created: String = r.get(7)?;
                        let fetched: String = r.get(9)?;
                        Ok(CopyPost {
                            key: r.get(0)?,
                            source_id: r.get(1)?,
                            platform_id: r.get(2)?,
                            author: r.get(3)?,
                            text: match rt {
                                Some(rt) if !rt.is_empty() => format!("{text}\n//{rt}"),
                                _ => text,
                            },
                            url: r.get(6)?,
                            created_at: parse_ts(&created).unwrap_or_default(),
                            created_at_raw: r.get(8)?,
                            fetched_at: parse_ts(&fetched).unwrap_or_default(),
                            truncated: r.get::<_, i64>(10)? != 0,
                            raw: r.get(11)?,
                            pinned: r.get::<_, i64>(12)? != 0,
                            edit_count: r.get(13)?,
                            edit_at: time(r.get(14)?),
                            edit_at_raw: r.get(15)?,
                            pics: r.get(16)?,
                            reposts_count: r.get(17)?,
                            comments_count: r.get(18)?,
                            attitudes_count: r.get(19)?,
                            visibility: r.get(20)?,
                            gone_at: time(r.get(21)?),
                            gone_reason: r.get(22)?,
                            last_seen_at: time(r.get(23)?),
                        })
                    })
                    .doing(doing)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .doing(doing)?;
                CopyBatch::Posts(rows)
            }
            CopyTable::Versions => {
                let mut st = conn
                    .prepare(
                        "SELECT v.rowid, p.source_id, p.platform_id, v.version, v.text, v.edit_count,
                                v.seen_at, v.raw
                         FROM post_versions v JOIN posts p ON p.id = v.post_id
                         WHERE v.rowid > ?1 ORDER BY v.rowid LIMIT ?2",
                    )
                    .doing(doing)?;
                let rows = st
                    .query_map(params![after, limit], |r| {
                        let seen: String = r.get(6)?;
                        Ok(CopyVersion {
                            key: r.get(0)?,
                            source_id: r.get(1)?,
                            platform_id: r.get(2)?,
                            version: r.get(3)?,
                            text: r.get(4)?,
                            edit_count: r.get(5)?,
                            seen_at: parse_ts(&seen).unwrap_or_default(),
                            raw: r.get(7)?,
                        })
                    })
                    .doing(doing)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .doing(doing)?;
                CopyBatch::Versions(rows)
            }
            CopyTable::Classifications => {
                let mut st = conn
                    .prepare(
                        "SELECT c.id, p.source_id, p.platform_id, c.classifier_version, c.explanation,
                                c.classified_at
                         FROM classifications c JOIN posts p ON p.id = c.post_id
                         WHERE c.id > ?1 ORDER BY c.id LIMIT ?2",
                    )
                    .doing(doing)?;
                let mut rows = st
                    .query_map(params![after, limit], |r| {
                        let at: String = r.get(5)?;
                        Ok(CopyClassification {
                            key: r.get(0)?,
                            source_id: r.get(1)?,
                            platform_id: r.get(2)?,
                            classifier_version: r.get(3)?,
                            explanation: r.get(4)?,
                            classified_at: parse_ts(&at).unwrap_or_default(),
                            labels: Vec::new(),
                        })
                    })
                    .doing(doing)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .doing(doing)?;
                let mut labels = conn
                    .prepare_cached(
                        "SELECT label, score, evidence FROM classification_labels
                         WHERE classification_id = ?1 ORDER BY label",
                    )
                    .doing(doing)?;
                for c in &mut rows {
                    c.labels = labels
                        .query_map([c.key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                        .doing(doing)?
                        .collect::<rusqlite::Result<Vec<_>>>()
                        .doing(doing)?;
                }
                CopyBatch::Classifications(rows)
            }
            CopyTable::Alerts => {
                let mut st = conn
                    .prepare(
                        "SELECT a.id, p.source_id, p.platform_id, a.kind, a.label, a.channel_id, a.score,
                                a.idempotency_key, a.payload, a.status, a.attempts, a.next_attempt_at,
                                a.last_error, a.created_at, a.sent_at, a.event
                         FROM alerts a LEFT JOIN posts p ON p.id = a.post_id
                         WHERE a.id > ?1 ORDER BY a.id LIMIT ?2",
                    )
                    .doing(doing)?;
                let rows = st
                    .query_map(params![after, limit], |r| {
                        let (sid, pid): (Option<String>, Option<String>) = (r.get(1)?, r.get(2)?);
                        let next: String = r.get(11)?;
                        let created: String = r.get(13)?;
                        Ok(CopyAlert {
                            key: r.get(0)?,
                            post: sid.zip(pid),
                            kind: r.get(3)?,
                            label: r.get(4)?,
                            channel_id: r.get(5)?,
                            score: r.get(6)?,
                            idempotency_key: r.get(7)?,
                            payload: r.get(8)?,
                            status: r.get(9)?,
                            attempts: r.get(10)?,
                            next_attempt_at: parse_ts(&next).unwrap_or_default(),
                            last_error: r.get(12)?,
                            created_at: parse_ts(&created).unwrap_or_default(),
                            sent_at: time(r.get(14)?),
                            event: r.get(15)?,
                        })
                    })
                    .doing(doing)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .doing(doing)?;
                CopyBatch::Alerts(rows)
            }
            CopyTable::Reviews => {
                let mut st = conn
                    .prepare(
                        "SELECT r.id, r.batch, p.source_id, p.platform_id, r.label, r.verdict, r.note,
                                r.reviewer, r.created_at
                         FROM reviews r JOIN posts p ON p.id = r.post_id
                         WHERE r.id > ?1 ORDER BY r.id LIMIT ?2",
                    )
                    .doing(doing)?;
                let rows = st
                    .query_map(params![after, limit], |r| {
                        let at: String = r.get(8)?;
                        Ok(CopyReview {
                            key: r.get(0)?,
                            batch: r.get(1)?,
                            source_id: r.get(2)?,
                            platform_id: r.get(3)?,
                            label: r.get(4)?,
                            verdict: r.get(5)?,
                            note: r.get(6)?,
                            reviewer: r.get(7)?,
                            created_at: parse_ts(&at).unwrap_or_default(),
                        })
                    })
                    .doing(doing)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .doing(doing)?;
                CopyBatch::Reviews(rows)
            }
            CopyTable::Runs => {
                let mut st = conn
                    .prepare(
                        "SELECT id, source_id, started_at, finished_at, outcome, new_posts, fetched
                         FROM fetch_runs WHERE id > ?1 ORDER BY id LIMIT ?2",
                    )
                    .doing(doing)?;
                let rows = st
                    .query_map(params![after, limit], |r| {
                        let (s, f): (String, String) = (r.get(2)?, r.get(3)?);
                        Ok(CopyRun {
                            key: r.get(0)?,
                            source_id: r.get(1)?,
                            started_at: parse_ts(&s).unwrap_or_default(),
                            finished_at: parse_ts(&f).unwrap_or_default(),
                            outcome: r.get(4)?,
                            new_posts: r.get(5)?,
                            fetched: r.get(6)?,
                        })
                    })
                    .doing(doing)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .doing(doing)?;
                CopyBatch::Runs(rows)
            }
        })
    }

    /// The keys `store copy` verifies on the other side: posts as `source_id/platform_id`,
    /// classifications with their version, alerts by idempotency key.
    pub fn copy_keys(&self, table: CopyTable) -> Result<Vec<String>> {
        let Some(sql) = table.keys_sql() else {
            return Ok(Vec::new());
        };
        let conn = self.read();
        let mut st = conn.prepare(sql).doing("reading keys to verify")?;
        let keys = st
            .query_map([], |r| r.get(0))
            .doing("reading keys to verify")?
            .collect::<rusqlite::Result<Vec<String>>>()
            .doing("reading keys to verify")?;
        Ok(keys)
    }
}
