//! Sources, posts, classifications and fetch runs.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{ts, Doing, Result, Store};
use crate::classify::{Classification, Label};
use crate::post::{Post, PostDetail};
use crate::states::SourceState;

/// A post to store together with its classification and the alerts it raises if it is new.
#[derive(Debug)]
pub struct NewPost<'a> {
    pub post: &'a Post,
    pub classification: &'a Classification,
    pub alerts: Vec<PlannedAlert>,
    /// The full text's words for the search index (`Segmenter::index_words`), computed before
    /// the store call so the index row is written in the same transaction as the post.
    pub index_words: &'a str,
}

/// An outbox row to write in the same transaction as its post.
#[derive(Debug, Clone)]
pub struct PlannedAlert {
    pub label: Label,
    pub channel_id: String,
    pub score: f64,
    pub idempotency_key: String,
    pub payload: String,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct IngestReport {
    pub new_posts: usize,
    pub flagged: usize,
    pub alerts_queued: usize,
}

/// One run of one source, as recorded in `fetch_runs`.
#[derive(Debug, Clone)]
pub struct FetchRun {
    pub source_id: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub fetched: usize,
    pub new_posts: usize,
    pub flagged: usize,
    /// `(kind, message)` when the run failed.
    pub error: Option<(String, String)>,
    /// The source's state after this run.
    pub state: SourceState,
}

/// A stored post with its labels, for listings.
#[derive(Debug, Clone)]
pub struct PostSummary {
    pub id: i64,
    pub source_id: String,
    pub author: String,
    pub text: String,
    pub url: String,
    pub created_at: String,
    pub labels: Vec<(Label, f64)>,
}

#[derive(Debug, Clone)]
pub struct SourceStatus {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub state: SourceState,
    pub last_run_at: Option<String>,
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
    pub posts: i64,
}

impl Store {
    /// Makes sure a source row exists (posts reference it).
    pub fn ensure_source(&self, id: &str, kind: &str, name: &str) -> Result<()> {
        self.lock()
            .execute(
                "INSERT INTO sources (id, kind, name) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name",
                params![id, kind, name],
            )
            .doing("registering a source")?;
        Ok(())
    }

    /// Which of `platform_ids` are already stored for this source.
    pub fn known_ids(&self, source_id: &str, platform_ids: &[&str]) -> Result<HashSet<String>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached("SELECT 1 FROM posts WHERE source_id = ?1 AND platform_id = ?2")
            .doing("looking up known posts")?;
        let mut known = HashSet::new();
        for id in platform_ids {
            if stmt
                .exists(params![source_id, id])
                .doing("looking up known posts")?
            {
                known.insert(id.to_string());
            }
        }
        Ok(known)
    }

    /// Stores posts, their classifications and their alerts in one transaction. A post already
    /// stored is skipped with everything attached to it, so a re-fetch never re-alerts.
    pub fn ingest(
        &self,
        source_id: &str,
        items: &[NewPost<'_>],
        now: DateTime<Utc>,
    ) -> Result<IngestReport> {
        self.ingest_with_details(source_id, items, &[], now)
    }

    /// `ingest`, with each post's `PostDetail` (edit time, pictures, counts) stored beside it:
    /// `details[i]` belongs to `items[i]`; a shorter (or empty) slice leaves the rest empty.
    pub fn ingest_with_details(
        &self,
        source_id: &str,
        items: &[NewPost<'_>],
        details: &[PostDetail],
        now: DateTime<Utc>,
    ) -> Result<IngestReport> {
        let empty = PostDetail::default();
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting an ingest transaction")?;
        let mut report = IngestReport::default();
        {
            let mut insert_post = tx
                .prepare_cached(
                    "INSERT INTO posts (source_id, platform_id, author, text, url, created_at,
                        created_at_raw, fetched_at, pinned, truncated, edit_count, retweet_id,
                        retweet_author, retweet_text, raw, edit_at, edit_at_raw, pics,
                        reposts_count, comments_count, attitudes_count)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                        ?16, ?17, ?18, ?19, ?20, ?21)
                     ON CONFLICT(source_id, platform_id) DO NOTHING",
                )
                .doing("preparing the post insert")?;
            let mut insert_class = tx
                .prepare_cached(
                    "INSERT INTO classifications (post_id, classifier_version, explanation, classified_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .doing("preparing the classification insert")?;
            let mut insert_fts = tx
                .prepare_cached("INSERT INTO posts_fts (rowid, words) VALUES (?1, ?2)")
                .doing("preparing the search index insert")?;
            let now_s = ts(now);
            for (i, item) in items.iter().enumerate() {
                let p = item.post;
                let rt = p.retweet.as_ref();
                let d = details.get(i).unwrap_or(&empty);
                let pics = serde_json::to_string(&d.pics).unwrap_or_else(|_| "[]".into());
                let count = |n: Option<u64>| n.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
                let inserted = insert_post
                    .execute(params![
                        source_id,
                        p.platform_id,
                        p.author,
                        p.text,
                        p.url,
                        ts(p.created_at),
                        p.created_at_raw,
                        now_s,
                        p.pinned,
                        p.truncated,
                        p.edit_count,
                        rt.map(|r| r.platform_id.as_str()),
                        rt.and_then(|r| r.author.as_deref()),
                        rt.map(|r| r.text.as_str()),
                        p.raw,
                        d.edit_at.map(ts),
                        d.edit_at_raw,
                        pics,
                        count(d.reposts),
                        count(d.comments),
                        count(d.attitudes),
                    ])
                    .doing("inserting a post")?;
                if inserted == 0 {
                    continue;
                }
                report.new_posts += 1;
                let post_id = tx.last_insert_rowid();
                insert_fts
                    .execute(params![post_id, item.index_words])
                    .doing("indexing a post for search")?;
                let c = item.classification;
                insert_class
                    .execute(params![post_id, c.version, c.explanation, now_s])
                    .doing("inserting a classification")?;
                let class_id = tx.last_insert_rowid();
                write_labels_and_alerts(
                    &tx,
                    post_id,
                    class_id,
                    c,
                    &item.alerts,
                    &now_s,
                    &mut report,
                )?;
            }
        }
        tx.commit().doing("committing an ingest")?;
        Ok(report)
    }

    /// Records a fetch run and updates the source's state.
    pub fn record_run(&self, run: &FetchRun) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting a run record")?;
        tx.execute(
            "INSERT INTO fetch_runs (source_id, started_at, finished_at, outcome, fetched, new_posts,
                flagged, error_kind, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                run.source_id,
                ts(run.started_at),
                ts(run.finished_at),
                if run.error.is_some() { "error" } else { "ok" },
                run.fetched as i64,
                run.new_posts as i64,
                run.flagged as i64,
                run.error.as_ref().map(|e| e.0.as_str()),
                run.error.as_ref().map(|e| e.1.as_str()),
            ],
        )
        .doing("recording a fetch run")?;
        match &run.error {
            None => tx.execute(
                "UPDATE sources SET state = ?2, last_run_at = ?3, last_success_at = ?3,
                    last_error = NULL, consecutive_failures = 0 WHERE id = ?1",
                params![run.source_id, run.state, ts(run.finished_at)],
            ),
            Some((_, msg)) => tx.execute(
                "UPDATE sources SET state = ?2, last_run_at = ?3, last_error = ?4,
                    consecutive_failures = consecutive_failures + 1 WHERE id = ?1",
                params![run.source_id, run.state, ts(run.finished_at), msg],
            ),
        }
        .doing("updating a source's state")?;
        tx.commit().doing("committing a run record")
    }

    pub fn fetch_runs(&self, source_id: &str) -> Result<Vec<FetchRun>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare(
                "SELECT r.source_id, r.started_at, r.finished_at, r.fetched, r.new_posts, r.flagged,
                        r.error_kind, r.error, s.state
                 FROM fetch_runs r JOIN sources s ON s.id = r.source_id
                 WHERE r.source_id = ?1 ORDER BY r.id",
            )
            .doing("listing fetch runs")?;
        let rows = stmt
            .query_map([source_id], |r| {
                let kind: Option<String> = r.get(6)?;
                let msg: Option<String> = r.get(7)?;
                Ok(FetchRun {
                    source_id: r.get(0)?,
                    started_at: super::parse_ts(&r.get::<_, String>(1)?).unwrap_or_default(),
                    finished_at: super::parse_ts(&r.get::<_, String>(2)?).unwrap_or_default(),
                    fetched: r.get::<_, i64>(3)? as usize,
                    new_posts: r.get::<_, i64>(4)? as usize,
                    flagged: r.get::<_, i64>(5)? as usize,
                    error: kind.map(|k| (k, msg.unwrap_or_default())),
                    state: r.get(8)?,
                })
            })
            .doing("listing fetch runs")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading fetch runs")
    }

    pub fn post_count(&self) -> Result<i64> {
        self.read()
            .query_row("SELECT count(*) FROM posts", [], |r| r.get(0))
            .doing("counting posts")
    }

    /// Newest posts first, with their latest labels.
    pub fn recent_posts(&self, limit: usize, flagged_only: bool) -> Result<Vec<PostSummary>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare(
                "SELECT p.id, p.source_id, p.author, p.text, p.url, p.created_at,
                        (SELECT group_concat(l.label || '=' || l.score, ',')
                           FROM classifications c JOIN classification_labels l ON l.classification_id = c.id
                          WHERE c.post_id = p.id
                            AND c.id = (SELECT max(id) FROM classifications WHERE post_id = p.id))
                 FROM posts p ORDER BY p.created_at DESC, p.id DESC",
            )
            .doing("listing posts")?;
        let rows = stmt
            .query_map([], |r| {
                let labels: Option<String> = r.get(6)?;
                Ok(PostSummary {
                    id: r.get(0)?,
                    source_id: r.get(1)?,
                    author: r.get(2)?,
                    text: r.get(3)?,
                    url: r.get(4)?,
                    created_at: r.get(5)?,
                    labels: parse_label_list(labels.as_deref().unwrap_or("")),
                })
            })
            .doing("listing posts")?;
        let mut out = Vec::new();
        for row in rows {
            let row = row.doing("reading a post")?;
            if flagged_only && row.labels.is_empty() {
                continue;
            }
            out.push(row);
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    pub fn source_statuses(&self) -> Result<Vec<SourceStatus>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare(
                "SELECT s.id, s.kind, s.name, s.state, s.last_run_at, s.last_success_at, s.last_error,
                        (SELECT count(*) FROM posts p WHERE p.source_id = s.id)
                 FROM sources s ORDER BY s.id",
            )
            .doing("listing sources")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SourceStatus {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    name: r.get(2)?,
                    state: r.get(3)?,
                    last_run_at: r.get(4)?,
                    last_success_at: r.get(5)?,
                    last_error: r.get(6)?,
                    posts: r.get(7)?,
                })
            })
            .doing("listing sources")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading sources")
    }

    /// The stored text of one post, by source and platform id.
    pub fn post_text(&self, source_id: &str, platform_id: &str) -> Result<Option<String>> {
        self.lock()
            .query_row(
                "SELECT text FROM posts WHERE source_id = ?1 AND platform_id = ?2",
                params![source_id, platform_id],
                |r| r.get(0),
            )
            .optional()
            .doing("reading a post")
    }
}

/// Writes a classification's labels and queues its alerts (ignoring alerts whose idempotency
/// key exists), inside the caller's transaction. Shared by ingest and reclassify.
fn write_labels_and_alerts(
    tx: &rusqlite::Transaction<'_>,
    post_id: i64,
    class_id: i64,
    c: &Classification,
    alerts: &[PlannedAlert],
    now_s: &str,
    report: &mut IngestReport,
) -> Result<()> {
    let mut insert_label = tx
        .prepare_cached(
            "INSERT INTO classification_labels (classification_id, label, score, evidence)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .doing("preparing the label insert")?;
    for l in &c.labels {
        let evidence = serde_json::to_string(&l.evidence).unwrap_or_else(|_| "[]".into());
        insert_label
            .execute(params![class_id, l.label.as_str(), l.score, evidence])
            .doing("inserting a label")?;
    }
    if !c.labels.is_empty() {
        report.flagged += 1;
    }
    let mut insert_alert = tx
        .prepare_cached(
            "INSERT INTO alerts (post_id, label, channel_id, score, idempotency_key, payload,
                status, attempts, next_attempt_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?7)
             ON CONFLICT(idempotency_key) DO NOTHING",
        )
        .doing("preparing the alert insert")?;
    for a in alerts {
        report.alerts_queued += insert_alert
            .execute(params![
                post_id,
                a.label.as_str(),
                a.channel_id,
                a.score,
                a.idempotency_key,
                a.payload,
                now_s
            ])
            .doing("queueing an alert")?;
    }
    Ok(())
}

fn parse_label_list(s: &str) -> Vec<(Label, f64)> {
    let mut out: Vec<(Label, f64)> = s
        .split(',')
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            Some((k.parse().ok()?, v.parse().ok()?))
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

/// A stored post read back for re-classification.
#[derive(Debug, Clone)]
pub struct StoredPost {
    pub id: i64,
    pub source_id: String,
    pub source_name: String,
    pub post: Post,
    /// Labels any earlier classification of this post reported.
    pub prior_labels: Vec<Label>,
    /// Whether a classification with the current version exists already.
    pub has_version: bool,
}

/// A new classification of a stored post, with the alerts its newly reported labels raise.
#[derive(Debug)]
pub struct Reclassified<'a> {
    pub post_id: i64,
    pub classification: &'a Classification,
    pub alerts: Vec<PlannedAlert>,
}

impl Store {
    /// Stored posts with id > `after_id` (and created at or after `since`), oldest id first.
    pub fn posts_after(
        &self,
        after_id: i64,
        since: Option<DateTime<Utc>>,
        version: &str,
        limit: usize,
    ) -> Result<Vec<StoredPost>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(&format!(
                "{STORED_POST_SELECT}
                 WHERE p.id > ?1 AND (?2 IS NULL OR p.created_at >= ?2)
                 ORDER BY p.id LIMIT ?4"
            ))
            .doing("reading posts to reclassify")?;
        let rows = stmt
            .query_map(
                params![after_id, since.map(ts), version, limit as i64],
                stored_post_from_row,
            )
            .doing("reading posts to reclassify")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading posts to reclassify")
    }

    /// Stored previews (`truncated = 1`) of a source whose full text is still due, with what
    /// a reclassification needs: those never retried first (newest first), then those whose
    /// last try is oldest.
    pub fn truncated_stored_posts(
        &self,
        source_id: &str,
        version: &str,
        limit: usize,
    ) -> Result<Vec<StoredPost>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(&format!(
                "{STORED_POST_SELECT}
                 WHERE p.source_id = ?1 AND p.truncated = 1
                 ORDER BY p.full_text_tried_at IS NOT NULL, p.full_text_tried_at,
                          p.created_at DESC, p.id DESC
                 LIMIT ?4"
            ))
            .doing("listing truncated posts")?;
        // ?2 is not used here (the shared select numbers the version ?3).
        let rows = stmt
            .query_map(
                params![source_id, rusqlite::types::Null, version, limit as i64],
                stored_post_from_row,
            )
            .doing("listing truncated posts")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading truncated posts")
    }

    /// Replaces a post's stored `PostDetail` (edit time, pictures, counts), as a recheck that
    /// saw an edit reads them.
    pub fn update_post_detail(&self, post_id: i64, d: &PostDetail) -> Result<()> {
        let count = |n: Option<u64>| n.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
        self.lock()
            .execute(
                "UPDATE posts SET edit_at = ?2, edit_at_raw = ?3, pics = ?4, reposts_count = ?5,
                    comments_count = ?6, attitudes_count = ?7 WHERE id = ?1",
                params![
                    post_id,
                    d.edit_at.map(ts),
                    d.edit_at_raw,
                    serde_json::to_string(&d.pics).unwrap_or_else(|_| "[]".into()),
                    count(d.reposts),
                    count(d.comments),
                    count(d.attitudes),
                ],
            )
            .doing("updating a post's detail")?;
        Ok(())
    }

    /// Records a failed try to complete a preview (see `truncated_stored_posts`).
    pub fn mark_full_text_tried(&self, post_id: i64, now: DateTime<Utc>) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE posts SET full_text_tried_at = ?2 WHERE id = ?1",
                params![post_id, ts(now)],
            )
            .doing("recording a long-text try")?;
        Ok(())
    }

    /// A stored preview completed: its full text replaces the preview, `truncated` is cleared,
    /// the search row is rewritten, and the new text's classification is stored with the
    /// alerts of its newly reported labels, all in one transaction (the alerts are written by
    /// the helper ingest and reclassify share). A classification of the preview under the
    /// same version is kept, renamed `<version>+preview`. `None` when the post was no longer
    /// a preview (completed by another pass).
    pub fn complete_and_reclassify(
        &self,
        post_id: i64,
        text: &str,
        index_words: &str,
        classification: &Classification,
        alerts: &[PlannedAlert],
        now: DateTime<Utc>,
    ) -> Result<Option<IngestReport>> {
        let mut conn = self.lock();
        let tx = conn
            .transaction()
            .doing("starting a long-text completion")?;
        let updated = tx
            .execute(
                "UPDATE posts SET text = ?2, truncated = 0 WHERE id = ?1 AND truncated = 1",
                params![post_id, text],
            )
            .doing("completing a post's text")?;
        if updated == 0 {
            return Ok(None);
        }
        // The text-change trigger dropped the stale search row.
        tx.execute(
            "INSERT INTO posts_fts (rowid, words) VALUES (?1, ?2)",
            params![post_id, index_words],
        )
        .doing("indexing a completed post")?;
        let c = classification;
        tx.execute(
            "UPDATE classifications SET classifier_version = classifier_version || '+preview'
             WHERE post_id = ?1 AND classifier_version = ?2",
            params![post_id, c.version],
        )
        .doing("keeping the preview's classification")?;
        let now_s = ts(now);
        tx.execute(
            "INSERT INTO classifications (post_id, classifier_version, explanation, classified_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![post_id, c.version, c.explanation, now_s],
        )
        .doing("inserting a classification")?;
        let class_id = tx.last_insert_rowid();
        let mut report = IngestReport::default();
        write_labels_and_alerts(&tx, post_id, class_id, c, alerts, &now_s, &mut report)?;
        tx.commit().doing("committing a long-text completion")?;
        Ok(Some(report))
    }

    /// Writes new classifications and their alerts in one transaction.
    pub fn store_reclassified(
        &self,
        items: &[Reclassified<'_>],
        now: DateTime<Utc>,
    ) -> Result<IngestReport> {
        let mut conn = self.lock();
        let tx = conn
            .transaction()
            .doing("starting a reclassify transaction")?;
        let mut report = IngestReport::default();
        {
            let mut insert_class = tx
                .prepare_cached(
                    "INSERT INTO classifications (post_id, classifier_version, explanation, classified_at)
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT(post_id, classifier_version) DO NOTHING",
                )
                .doing("preparing the classification insert")?;
            let now_s = ts(now);
            for item in items {
                let c = item.classification;
                if insert_class
                    .execute(params![item.post_id, c.version, c.explanation, now_s])
                    .doing("inserting a classification")?
                    == 0
                {
                    continue;
                }
                let class_id = tx.last_insert_rowid();
                report.new_posts += 1;
                write_labels_and_alerts(
                    &tx,
                    item.post_id,
                    class_id,
                    c,
                    &item.alerts,
                    &now_s,
                    &mut report,
                )?;
            }
        }
        tx.commit().doing("committing a reclassify batch")?;
        Ok(report)
    }
}

/// The columns `stored_post_from_row` reads; `?3` is the classifier version asked about.
const STORED_POST_SELECT: &str =
    "SELECT p.id, p.source_id, coalesce(s.name, p.source_id), p.platform_id, p.author, p.text,
            p.url, p.created_at, p.created_at_raw, p.pinned, p.truncated, p.edit_count,
            p.retweet_id, p.retweet_author, p.retweet_text,
            (SELECT group_concat(DISTINCT l.label) FROM classifications c
               JOIN classification_labels l ON l.classification_id = c.id WHERE c.post_id = p.id),
            EXISTS (SELECT 1 FROM classifications c WHERE c.post_id = p.id AND c.classifier_version = ?3)
     FROM posts p LEFT JOIN sources s ON s.id = p.source_id";

fn stored_post_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredPost> {
    let created: String = r.get(7)?;
    let rt_id: Option<String> = r.get(12)?;
    let prior: Option<String> = r.get(15)?;
    Ok(StoredPost {
        id: r.get(0)?,
        source_id: r.get(1)?,
        source_name: r.get(2)?,
        post: Post {
            platform_id: r.get(3)?,
            author: r.get(4)?,
            text: r.get(5)?,
            url: r.get(6)?,
            created_at: super::parse_ts(&created).unwrap_or_default(),
            created_at_raw: r.get(8)?,
            pinned: r.get(9)?,
            truncated: r.get(10)?,
            edit_count: r.get(11)?,
            retweet: match rt_id {
                Some(id) => Some(crate::post::Retweet {
                    platform_id: id,
                    author: r.get(13)?,
                    text: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
                }),
                None => None,
            },
            raw: String::new(),
        },
        prior_labels: prior
            .unwrap_or_default()
            .split(',')
            .filter_map(|l| l.parse().ok())
            .collect(),
        has_version: r.get(16)?,
    })
}
