//! The analyst's reads and verdicts on PostgreSQL: what `store::AnyStore` asks of cluster mode
//! for `search`, `history`, `review …`, `alerts` and the desk. Each answers as its SQLite
//! namesake in `store::review`, `store::history` and `store::alerts` does (the same store
//! test-suite runs on both, tests/it/store_suite.rs); the filters, the review status and the
//! labels an analyst gave are the same SQL or the same Rust on both sides.

use chrono::{DateTime, Utc};
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use super::{tsquery_literal, Context as _, PgError, PgStore};
use crate::classify::{Evidence, Label, LabelScore};
use crate::states::{AlertKind, AlertStatus, SourceState};
use crate::store::history::flagged_between_sql;
use crate::store::review::{
    analyst_order, queue_clauses, status_sql, QueueArg, StaleVerdict, VerdictRecord, VerdictWrite,
    LATEST_BATCH,
};
use crate::store::{
    ts, AlertRow, FlaggedPost, HistoryQuery, HistoryRow, LastRun, Period, PostExtras, PostVersion,
    QueueQuery, ReviewPost, ReviewRow, ReviewStatus, SourceStatus, Verdict, VerdictCount,
};

/// A post with its latest classification, review status and verdict version. The labels
/// come as one JSON array (label, score, evidence JSON), so a page of posts is one query.
fn post_select() -> String {
    format!(
        "SELECT p.id, p.source_id, coalesce(s.name, p.source_id), p.platform_id, p.author,
                p.text, p.url, p.created_at, p.fetched_at, p.truncated, c.explanation,
                c.classifier_version, {status}, p.review_version,
                coalesce((SELECT json_agg(json_build_array(l.label, l.score, l.evidence)
                                          ORDER BY l.score DESC, l.label COLLATE \"C\")::text
                          FROM classification_labels l WHERE l.classification_id = c.id), '[]'),
                coalesce((SELECT json_agg(r.label ORDER BY r.id)::text FROM reviews r
                          WHERE r.post_id = p.id AND r.label IS NOT NULL
                            AND r.verdict IN ('confirmed', 'relabelled')
                            AND r.batch = {LATEST_BATCH}), '[]'),
                coalesce((SELECT max(v.edit_count) FROM post_versions v WHERE v.post_id = p.id), 0)
         FROM posts p
         LEFT JOIN sources s ON s.id = p.source_id
         LEFT JOIN classifications c
           ON c.id = (SELECT max(c2.id) FROM classifications c2 WHERE c2.post_id = p.id)",
        status = status_sql()
    )
}

fn post_from_row(r: &Row) -> ReviewPost {
    let labels: String = r.get(14);
    let labels: Vec<(String, f64, String)> = serde_json::from_str(&labels).unwrap_or_default();
    let labels: Vec<LabelScore> = labels
        .into_iter()
        // A label name this build does not know (a newer classifier's) is skipped, not fatal.
        .filter_map(|(label, score, evidence)| {
            Some(LabelScore {
                label: label.parse::<Label>().ok()?,
                score,
                evidence: serde_json::from_str::<Vec<Evidence>>(&evidence).unwrap_or_default(),
            })
        })
        .collect();
    let present: String = r.get(15);
    let present: Vec<String> = serde_json::from_str(&present).unwrap_or_default();
    let present: Vec<Label> = present.iter().filter_map(|l| l.parse().ok()).collect();
    let status: String = r.get(12);
    ReviewPost {
        id: r.get(0),
        source_id: r.get(1),
        source_name: r.get(2),
        platform_id: r.get(3),
        author: r.get(4),
        // The stored text is the full text (a repost's after `//`), as search reads it.
        text: r.get(5),
        retweet_author: None,
        retweet_text: None,
        url: r.get(6),
        created_at: r.get(7),
        fetched_at: r.get(8),
        edit_count: i64::from(r.get::<_, i32>(16)),
        truncated: r.get(9),
        analyst_labels: analyst_order(&labels, present),
        labels,
        explanation: r.get(10),
        classifier_version: r.get(11),
        status: status.parse().unwrap_or(ReviewStatus::Unreviewed),
        version: r.get(13),
    }
}

/// The arguments of a query built at run time, as the driver takes them.
fn refs(args: &[Box<dyn ToSql + Sync + Send>]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter()
        .map(|a| a.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

fn period_sql(p: Period) -> &'static str {
    match p {
        Period::Day => "to_char(p.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')",
        // date_trunc's weeks start on Monday, as SQLite's `weekday 0, -6 days` does.
        Period::Week => {
            "to_char(date_trunc('week', p.created_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')"
        }
    }
}

fn alert_from_row(r: &Row) -> Option<AlertRow> {
    // Rows written by windvane always carry a known status and kind; anything else is skipped.
    let status = AlertStatus::from_text(r.get::<_, &str>(7))?;
    let kind = AlertKind::from_text(r.get::<_, &str>(10))?;
    Some(AlertRow {
        id: r.get(0),
        post_id: r.get(1),
        label: r.get(2),
        channel_id: r.get(3),
        score: r.get(4),
        idempotency_key: r.get(5),
        payload: r.get(6),
        status,
        attempts: u32::try_from(r.get::<_, i32>(8)).unwrap_or(0),
        last_error: r.get(9),
        kind,
        created_at: ts(r.get(11)),
        sent_at: r.get::<_, Option<DateTime<Utc>>>(12).map(ts),
        digest_key: r.get(13),
    })
}

const ALERT_COLUMNS: &str = "id, post_id, label, channel_id, score, idempotency_key, payload,
    status, attempts, last_error, kind, created_at, sent_at, digest_key";

impl PgStore {
    /// One post with its latest classification, or `None` (SQLite: `Store::review_post`).
    pub async fn review_post(&self, id: i64) -> Result<Option<ReviewPost>, PgError> {
        let row = self
            .client()
            .await?
            .query_opt(&format!("{} WHERE p.id = $1", post_select()), &[&id])
            .await
            .context("read a post")?;
        Ok(row.as_ref().map(post_from_row))
    }

    /// Posts matching `q`, newest first (SQLite: `Store::review_queue`).
    pub async fn review_queue(&self, q: &QueueQuery) -> Result<Vec<ReviewPost>, PgError> {
        let (clauses, queue_args) = queue_clauses(q, |n| format!("${n}"));
        let args: Vec<Box<dyn ToSql + Sync + Send>> = queue_args
            .into_iter()
            .map(|a| -> Box<dyn ToSql + Sync + Send> {
                match a {
                    QueueArg::Text(t) => Box::new(t),
                    QueueArg::Time(t) => Box::new(t),
                    QueueArg::Real(x) => Box::new(x),
                    QueueArg::Int(n) => Box::new(n),
                    // NULL: PostgreSQL's "no limit".
                    QueueArg::Limit(n) => Box::new(n),
                }
            })
            .collect();
        let rows = self
            .client()
            .await?
            .query(&format!("{} {clauses}", post_select()), &refs(&args))
            .await
            .context("list the review queue")?;
        Ok(rows.iter().map(post_from_row).collect())
    }

    /// Posts containing every word of `q`, the most recently stored first (SQLite:
    /// `Store::search_posts`).
    pub async fn search_posts(
        &self,
        q: &crate::text::SearchQuery,
        limit: usize,
    ) -> Result<Vec<ReviewPost>, PgError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "{} WHERE p.id IN (SELECT id FROM posts WHERE search @@ $1::text::tsquery
                                       ORDER BY id DESC LIMIT $2)
                     ORDER BY p.id DESC",
                    post_select()
                ),
                &[&tsquery_literal(q), &limit],
            )
            .await
            .context("search posts")?;
        Ok(rows.iter().map(post_from_row).collect())
    }

    /// Records one review action against the version the analyst saw (SQLite:
    /// `Store::record_review`). Raising the version locks the post's row until commit, so
    /// two instances recording on one post are serialised and the later one is refused.
    pub async fn record_review(&self, r: &VerdictRecord) -> Result<VerdictWrite, PgError> {
        let (post_id, expected) = (r.post_id, r.expected);
        let mut client = self.client().await?;
        let tx = client.transaction().await.context("begin a review")?;
        let bumped = tx
            .query_opt(
                "UPDATE posts SET review_version = review_version + 1
                 WHERE id = $1 AND ($2::bigint IS NULL OR review_version = $2)
                 RETURNING review_version",
                &[&post_id, &expected],
            )
            .await
            .context("version a review")?;
        let Some(bumped) = bumped else {
            let current = tx
                .query_opt(
                    "SELECT review_version FROM posts WHERE id = $1",
                    &[&post_id],
                )
                .await
                .context("read a post's verdict version")?;
            let Some(current) = current else {
                return Ok(VerdictWrite::NoPost);
            };
            let last = tx
                .query_opt(
                    "SELECT reviewer, created_at FROM reviews WHERE post_id = $1
                     ORDER BY batch DESC, id DESC LIMIT 1",
                    &[&post_id],
                )
                .await
                .context("read a post's latest review")?;
            return Ok(VerdictWrite::Stale(StaleVerdict {
                post_id,
                expected: expected.unwrap_or_default(),
                current: current.get(0),
                by: last.as_ref().map(|r| r.get(0)),
                at: last.as_ref().map(|r| r.get(1)),
            }));
        };
        // Batches only need to grow per post (the latest one is the post's verdict), and the
        // post's row is locked: one more than every batch so far is enough.
        let batch: i64 = tx
            .query_one("SELECT coalesce(max(batch), 0) + 1 FROM reviews", &[])
            .await
            .context("number a review")?
            .get(0);
        let insert = tx
            .prepare(
                "INSERT INTO reviews (batch, post_id, label, verdict, note, reviewer, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .await
            .context("prepare a review insert")?;
        for v in &r.verdicts {
            tx.execute(
                &insert,
                &[
                    &batch,
                    &post_id,
                    &v.label.map(Label::as_str),
                    &v.verdict.as_str(),
                    &r.note,
                    &r.reviewer,
                    &r.at,
                ],
            )
            .await
            .context("record a verdict")?;
        }
        tx.commit().await.context("commit a review")?;
        Ok(VerdictWrite::Recorded {
            batch,
            version: bumped.get(0),
        })
    }

    /// Every verdict on a post, oldest first.
    pub async fn reviews_of(&self, post_id: i64) -> Result<Vec<ReviewRow>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT batch, post_id, label, verdict, note, reviewer, created_at FROM reviews
                 WHERE post_id = $1 ORDER BY batch, id",
                &[&post_id],
            )
            .await
            .context("read a post's reviews")?;
        Ok(rows
            .iter()
            .map(|r| ReviewRow {
                batch: r.get(0),
                post_id: r.get(1),
                label: r.get::<_, Option<&str>>(2).and_then(|l| l.parse().ok()),
                verdict: Verdict::parse(r.get(3)),
                note: r.get(4),
                reviewer: r.get(5),
                created_at: r.get(6),
            })
            .collect())
    }

    /// Current verdicts per month (Beijing) of the post, label and verdict.
    pub async fn verdict_counts(&self) -> Result<Vec<VerdictCount>, PgError> {
        let sql = format!(
            "SELECT to_char(p.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), r.label,
                    r.verdict, count(*)
             FROM reviews r JOIN posts p ON p.id = r.post_id
             WHERE r.label IS NOT NULL AND r.batch = {LATEST_BATCH}
             GROUP BY 1, 2, 3 ORDER BY 1, r.label COLLATE \"C\", r.verdict COLLATE \"C\""
        );
        let rows = self
            .client()
            .await?
            .query(&sql, &[])
            .await
            .context("count verdicts")?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(VerdictCount {
                    month: r.get(0),
                    label: r.get::<_, &str>(1).parse().ok()?,
                    verdict: Verdict::parse(r.get(2)),
                    count: r.get(3),
                })
            })
            .collect())
    }

    /// Flagged posts and mean scores per period and label, oldest first, of the posts created
    /// in `[since, until)` (SQLite: `Store::history_between`).
    pub async fn history_between(&self, q: &HistoryQuery) -> Result<Vec<HistoryRow>, PgError> {
        let per = period_sql(q.period);
        let within = "($2::text IS NULL OR p.source_id = $2)
                      AND ($3::timestamptz IS NULL OR p.created_at >= $3)
                      AND ($4::timestamptz IS NULL OR p.created_at < $4)";
        let sql = format!(
            "WITH totals AS (
                 SELECT {per} AS period, count(*) AS posts FROM posts p WHERE {within} GROUP BY 1)
             SELECT {per} AS period, l.label, count(*), t.posts, avg(l.score), max(l.score),
                    count(*) FILTER (WHERE EXISTS (
                        SELECT 1 FROM reviews r WHERE r.post_id = p.id AND r.label = l.label
                          AND r.verdict = 'confirmed' AND r.batch = {LATEST_BATCH}))
             FROM posts p
             JOIN classifications c
               ON c.id = (SELECT max(c2.id) FROM classifications c2 WHERE c2.post_id = p.id)
             JOIN classification_labels l ON l.classification_id = c.id
             JOIN totals t ON t.period = {per}
             WHERE ($1::text IS NULL OR l.label = $1) AND {within}
             GROUP BY 1, 2, t.posts ORDER BY 1, l.label COLLATE \"C\""
        );
        let rows = self
            .client()
            .await?
            .query(&sql, &[&q.label, &q.source, &q.since, &q.until])
            .await
            .context("read the signal history")?;
        Ok(rows
            .iter()
            .map(|r| HistoryRow {
                period: r.get(0),
                label: r.get(1),
                flagged: r.get(2),
                posts: r.get(3),
                mean_score: r.get(4),
                max_score: r.get(5),
                confirmed: r.get(6),
            })
            .collect())
    }

    /// Every label of every flagged post created in `[from, to)`, oldest first (then by id);
    /// `label` narrows it (SQLite: `Store::flagged_between`, for `backtest`).
    pub async fn flagged_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        label: Option<Label>,
    ) -> Result<Vec<FlaggedPost>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                &flagged_between_sql(|n| format!("${n}")),
                &[&from, &to, &label.map(Label::as_str)],
            )
            .await
            .context("read flagged posts")?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(FlaggedPost {
                    post_id: r.get(0),
                    source_id: r.get(1),
                    source_name: r.get(2),
                    created_at: r.get(3),
                    // Rows written by this program always parse; anything else is skipped.
                    label: r.get::<_, &str>(4).parse().ok()?,
                    score: r.get(5),
                })
            })
            .collect())
    }

    /// The creation time of the oldest stored post.
    pub async fn oldest_post_time(&self) -> Result<Option<DateTime<Utc>>, PgError> {
        Ok(self
            .client()
            .await?
            .query_one("SELECT min(created_at) FROM posts", &[])
            .await
            .context("find the oldest post")?
            .get(0))
    }

    /// The outbox, oldest first; `status` narrows it (SQLite: `Store::alerts`).
    pub async fn alerts(&self, status: Option<AlertStatus>) -> Result<Vec<AlertRow>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {ALERT_COLUMNS} FROM alerts
                     WHERE ($1::text IS NULL OR status = $1) ORDER BY id"
                ),
                &[&status.map(AlertStatus::as_str)],
            )
            .await
            .context("list alerts")?;
        Ok(rows.iter().filter_map(alert_from_row).collect())
    }

    /// The alerts raised for one post.
    pub async fn alerts_for_post(&self, post_id: i64) -> Result<Vec<AlertRow>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE post_id = $1 ORDER BY id"),
                &[&post_id],
            )
            .await
            .context("read a post's alerts")?;
        Ok(rows.iter().filter_map(alert_from_row).collect())
    }

    /// Puts failed alerts (or one) back in the queue, due now by the database's clock.
    pub async fn retry_alerts(&self, id: Option<i64>) -> Result<u64, PgError> {
        self.client()
            .await?
            .execute(
                "UPDATE alerts SET status = 'pending', attempts = 0, next_attempt_at = now()
                 WHERE status = 'failed' AND ($1::bigint IS NULL OR id = $1)",
                &[&id],
            )
            .await
            .context("requeue alerts")
    }

    /// Every text a post had before (copied from SQLite; cluster mode does not recheck).
    pub async fn post_versions(&self, post_id: i64) -> Result<Vec<PostVersion>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT version, text, edit_count, seen_at FROM post_versions
                 WHERE post_id = $1 ORDER BY version",
                &[&post_id],
            )
            .await
            .context("list post versions")?;
        Ok(rows
            .iter()
            .map(|r| PostVersion {
                version: u32::try_from(r.get::<_, i32>(0)).unwrap_or(0),
                text: r.get(1),
                edit_count: u32::try_from(r.get::<_, i32>(2)).unwrap_or(0),
                seen_at: ts(r.get(3)),
            })
            .collect())
    }

    /// What a full export adds to a post (SQLite: `Store::post_extras`): its payload,
    /// pictures, counts and edit time.
    pub async fn post_extras(&self, post_id: i64) -> Result<Option<PostExtras>, PgError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT raw, created_at_raw, truncated, pics, reposts_count, comments_count,
                        attitudes_count, edit_at
                 FROM posts WHERE id = $1",
                &[&post_id],
            )
            .await
            .context("read a post's payload")?;
        Ok(row.map(|r| PostExtras {
            raw: r.get(0),
            created_at_raw: r.get(1),
            // Written by windvane as a JSON array; anything else reads as none.
            pics: serde_json::from_str(r.get::<_, &str>(3)).unwrap_or_default(),
            reposts_count: r.get(4),
            comments_count: r.get(5),
            attitudes_count: r.get(6),
            edit_at: r.get::<_, Option<DateTime<Utc>>>(7).map(ts),
            truncated: r.get(2),
        }))
    }

    /// Every source with its state and post count (SQLite: `Store::source_statuses`).
    pub async fn source_statuses(&self) -> Result<Vec<SourceStatus>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT s.id, s.kind, s.name, s.state, s.last_run_at, s.last_success_at,
                        s.last_error, (SELECT count(*) FROM posts p WHERE p.source_id = s.id)
                 FROM sources s ORDER BY s.id COLLATE \"C\"",
                &[],
            )
            .await
            .context("list sources")?;
        Ok(rows
            .iter()
            .map(|r| SourceStatus {
                id: r.get(0),
                kind: r.get(1),
                name: r.get(2),
                state: SourceState::from_stored(r.get(3)),
                last_run_at: r.get::<_, Option<DateTime<Utc>>>(4).map(ts),
                last_success_at: r.get::<_, Option<DateTime<Utc>>>(5).map(ts),
                last_error: r.get(6),
                posts: r.get(7),
            })
            .collect())
    }

    /// The latest run of every source that has one.
    pub async fn last_runs(&self) -> Result<Vec<LastRun>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT * FROM (SELECT DISTINCT ON (source_id) source_id, finished_at, outcome,
                                       new_posts, fetched
                                FROM fetch_runs ORDER BY source_id, id DESC) last
                 ORDER BY source_id COLLATE \"C\"",
                &[],
            )
            .await
            .context("read the last fetch runs")?;
        Ok(rows
            .iter()
            .map(|r| LastRun {
                source_id: r.get(0),
                finished_at: ts(r.get(1)),
                outcome: r.get(2),
                error_kind: None,
                fetched: r.get::<_, Option<i32>>(4).map(i64::from),
                new_posts: i64::from(r.get::<_, i32>(3)),
            })
            .collect())
    }
}
