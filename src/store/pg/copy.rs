//! `store copy`'s PostgreSQL side: each batch of SQLite rows written with the table's progress
//! in one transaction (an interrupted copy resumes after its last committed batch, and never
//! writes a row twice), and the keys and counts that verify a copy.

use std::collections::HashSet;

use super::{tsvector_literal, Context as _, PgError, PgStore};
use crate::store::copy::{CopyBatch, CopyTable};

/// Instance id on runs that came from a SQLite database.
pub const COPIED_RUNS: &str = "sqlite-copy";
/// A copied source's interval until a cluster configuration sets its own.
pub(super) const COPIED_EVERY_SECS: i32 = 3600;

impl PgStore {
    /// The last SQLite key copied of `table` from `db` (0 before the first batch).
    pub async fn copy_progress(&self, db: &str, table: CopyTable) -> Result<i64, PgError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT last_key FROM copy_progress WHERE source_db = $1 AND table_name = $2",
                &[&db, &table.as_str()],
            )
            .await
            .context("read the copy's progress")?;
        Ok(row.map(|r| r.get(0)).unwrap_or(0))
    }

    /// Writes one batch and its progress in one transaction; returns the rows inserted
    /// (rows already present, e.g. a post a cluster stored, are skipped).
    pub async fn copy_write(&self, db: &str, batch: &CopyBatch) -> Result<u64, PgError> {
        let Some(last) = batch.last_key() else {
            return Ok(0);
        };
        let mut client = self.client().await?;
        let tx = client.transaction().await.context("begin a copy batch")?;
        let post_id = "(SELECT id FROM posts WHERE source_id = $1 AND platform_id = $2)";
        let mut n = 0u64;
        let table = match batch {
            CopyBatch::Sources(rows) => {
                for s in rows {
                    n += tx
                        .execute(
                            "INSERT INTO sources (id, kind, name, every_secs, state, last_run_at,
                                                  last_success_at, last_error)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                            &[
                                &s.id,
                                &s.kind,
                                &s.name,
                                &COPIED_EVERY_SECS,
                                &s.state,
                                &s.last_run_at,
                                &s.last_success_at,
                                &s.last_error,
                            ],
                        )
                        .await
                        .context("copy a source")?;
                }
                CopyTable::Sources
            }
            CopyBatch::Posts(rows) => {
                let st = tx
                    .prepare(
                        "INSERT INTO posts (source_id, platform_id, author, text, url, created_at,
                                            created_at_raw, fetched_at, truncated, raw, search,
                                            pinned, edit_count, edit_at, edit_at_raw, pics,
                                            reposts_count, comments_count, attitudes_count,
                                            visibility, gone_at, gone_reason, last_seen_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::tsvector,
                                 $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
                         ON CONFLICT (source_id, platform_id) DO NOTHING",
                    )
                    .await
                    .context("prepare the post copy")?;
                for p in rows {
                    let search = tsvector_literal(&crate::text::normalize(&p.text).text);
                    let edit_count = i32::try_from(p.edit_count).unwrap_or(i32::MAX);
                    n += tx
                        .execute(
                            &st,
                            &[
                                &p.source_id,
                                &p.platform_id,
                                &p.author,
                                &p.text,
                                &p.url,
                                &p.created_at,
                                &p.created_at_raw,
                                &p.fetched_at,
                                &p.truncated,
                                &p.raw,
                                &search,
                                &p.pinned,
                                &edit_count,
                                &p.edit_at,
                                &p.edit_at_raw,
                                &p.pics,
                                &p.reposts_count,
                                &p.comments_count,
                                &p.attitudes_count,
                                &p.visibility,
                                &p.gone_at,
                                &p.gone_reason,
                                &p.last_seen_at,
                            ],
                        )
                        .await
                        .context("copy a post")?;
                }
                CopyTable::Posts
            }
            CopyBatch::Versions(rows) => {
                let sql = format!(
                    "INSERT INTO post_versions (post_id, version, text, edit_count, seen_at, raw)
                     SELECT {post_id}, $3, $4, $5, $6, $7 ON CONFLICT DO NOTHING"
                );
                for v in rows {
                    let (version, edits) = (
                        i32::try_from(v.version).unwrap_or(i32::MAX),
                        i32::try_from(v.edit_count).unwrap_or(i32::MAX),
                    );
                    n += tx
                        .execute(
                            &sql,
                            &[
                                &v.source_id,
                                &v.platform_id,
                                &version,
                                &v.text,
                                &edits,
                                &v.seen_at,
                                &v.raw,
                            ],
                        )
                        .await
                        .context("copy a post version")?;
                }
                CopyTable::Versions
            }
            CopyBatch::Classifications(rows) => {
                let sql = format!(
                    "INSERT INTO classifications (post_id, classifier_version, explanation, classified_at)
                     SELECT {post_id}, $3, $4, $5
                     ON CONFLICT (post_id, classifier_version) DO NOTHING RETURNING id"
                );
                for c in rows {
                    let Some(row) = tx
                        .query_opt(
                            &sql,
                            &[
                                &c.source_id,
                                &c.platform_id,
                                &c.classifier_version,
                                &c.explanation,
                                &c.classified_at,
                            ],
                        )
                        .await
                        .context("copy a classification")?
                    else {
                        continue;
                    };
                    let id: i64 = row.get(0);
                    n += 1;
                    for (label, score, evidence) in &c.labels {
                        tx.execute(
                            "INSERT INTO classification_labels (classification_id, label, score, evidence)
                             VALUES ($1, $2, $3, $4)",
                            &[&id, label, score, evidence],
                        )
                        .await
                        .context("copy a label")?;
                    }
                }
                CopyTable::Classifications
            }
            CopyBatch::Alerts(rows) => {
                for a in rows {
                    let (sid, pid) = a.post.clone().unzip();
                    let attempts = i32::try_from(a.attempts).unwrap_or(i32::MAX);
                    n += tx
                        .execute(
                            "INSERT INTO alerts (post_id, kind, label, channel_id, score, idempotency_key,
                                                 payload, status, attempts, next_attempt_at, last_error,
                                                 created_at, sent_at, sent_by, event)
                             VALUES ((SELECT id FROM posts WHERE source_id = $1 AND platform_id = $2),
                                     $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                                     CASE WHEN $14::timestamptz IS NULL THEN NULL ELSE 'sqlite-copy' END,
                                     $15)
                             ON CONFLICT (idempotency_key) DO NOTHING",
                            &[
                                &sid,
                                &pid,
                                &a.kind,
                                &a.label,
                                &a.channel_id,
                                &a.score,
                                &a.idempotency_key,
                                &a.payload,
                                &a.status,
                                &attempts,
                                &a.next_attempt_at,
                                &a.last_error,
                                &a.created_at,
                                &a.sent_at,
                                &a.event,
                            ],
                        )
                        .await
                        .context("copy an alert")?;
                }
                CopyTable::Alerts
            }
            CopyBatch::Reviews(rows) => {
                let sql = format!(
                    "INSERT INTO reviews (batch, post_id, label, verdict, note, reviewer, created_at)
                     SELECT $3, {post_id}, $4, $5, $6, $7, $8"
                );
                for r in rows {
                    n += tx
                        .execute(
                            &sql,
                            &[
                                &r.source_id,
                                &r.platform_id,
                                &r.batch,
                                &r.label,
                                &r.verdict,
                                &r.note,
                                &r.reviewer,
                                &r.created_at,
                            ],
                        )
                        .await
                        .context("copy a review")?;
                    // The post's verdict version counts its review batches, as migration 06
                    // set it for posts reviewed before (see `record_review`).
                    tx.execute(
                        "UPDATE posts p SET review_version = greatest(p.review_version,
                             (SELECT count(DISTINCT r.batch) FROM reviews r WHERE r.post_id = p.id))
                         WHERE p.source_id = $1 AND p.platform_id = $2",
                        &[&r.source_id, &r.platform_id],
                    )
                    .await
                    .context("count a copied post's reviews")?;
                }
                CopyTable::Reviews
            }
            CopyBatch::Runs(rows) => {
                for r in rows {
                    let new_posts = i32::try_from(r.new_posts).unwrap_or(i32::MAX);
                    let fetched = i32::try_from(r.fetched).unwrap_or(i32::MAX);
                    n += tx
                        .execute(
                            "INSERT INTO fetch_runs (source_id, instance_id, fence, started_at,
                                                     finished_at, outcome, new_posts, fetched)
                             VALUES ($1, $2, 0, $3, $4, $5, $6, $7)",
                            &[
                                &r.source_id,
                                &COPIED_RUNS,
                                &r.started_at,
                                &r.finished_at,
                                &r.outcome,
                                &new_posts,
                                &fetched,
                            ],
                        )
                        .await
                        .context("copy a run")?;
                }
                CopyTable::Runs
            }
        };
        let read = i64::try_from(batch.len()).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO copy_progress (source_db, table_name, last_key, rows_read)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (source_db, table_name) DO UPDATE SET
                 last_key = $3, rows_read = copy_progress.rows_read + $4",
            &[&db, &table.as_str(), &last, &read],
        )
        .await
        .context("record the copy's progress")?;
        tx.commit().await.context("commit a copy batch")?;
        Ok(n)
    }

    /// The keys present for `table`, in the form `Store::copy_keys` gives them.
    pub async fn copy_keys(&self, table: CopyTable) -> Result<HashSet<String>, PgError> {
        let Some(sql) = table.keys_sql() else {
            return Ok(HashSet::new());
        };
        let rows = self
            .client()
            .await?
            .query(sql, &[])
            .await
            .context("read keys to verify")?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// Rows of `table` (runs: only those copied from SQLite).
    pub async fn copy_count(&self, table: CopyTable) -> Result<i64, PgError> {
        let sql = match table {
            CopyTable::Sources => "SELECT count(*) FROM sources",
            CopyTable::Posts => "SELECT count(*) FROM posts",
            CopyTable::Versions => "SELECT count(*) FROM post_versions",
            CopyTable::Classifications => "SELECT count(*) FROM classifications",
            CopyTable::Alerts => "SELECT count(*) FROM alerts",
            CopyTable::Reviews => "SELECT count(*) FROM reviews",
            CopyTable::Runs => "SELECT count(*) FROM fetch_runs WHERE instance_id = 'sqlite-copy'",
        };
        let r = self
            .client()
            .await?
            .query_one(sql, &[])
            .await
            .context("count copied rows")?;
        Ok(r.get(0))
    }

    /// How many rows of `table` of `db` the copy has read so far.
    pub async fn copy_rows_read(&self, db: &str, table: CopyTable) -> Result<i64, PgError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT rows_read FROM copy_progress WHERE source_db = $1 AND table_name = $2",
                &[&db, &table.as_str()],
            )
            .await
            .context("read the copy's progress")?;
        Ok(row.map(|r| r.get(0)).unwrap_or(0))
    }
}
