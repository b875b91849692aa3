//! The desk's and the CLI's reads on PostgreSQL, as far as cluster mode has them: the signal
//! history by Beijing day and the review list of flagged posts. They answer as the SQLite
//! reads do (`store::history`, `store::review`), which a test checks on a copied database.

use super::{Context as _, PgError, PgStore};
use crate::store::{HistoryRow, ReviewStatus};

/// A flagged post as `review list` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlaggedRow {
    pub source_id: String,
    pub platform_id: String,
    /// The latest classification's labels, highest score first.
    pub labels: Vec<(String, f64)>,
    pub status: ReviewStatus,
}

/// A source as cluster `status` lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceRow {
    pub id: String,
    pub state: String,
    /// The instance holding its lease now, if any.
    pub leased_by: Option<String>,
    pub egress: Option<String>,
    pub last_success_at: Option<chrono::DateTime<chrono::Utc>>,
    pub consecutive_failures: i32,
    pub last_error: Option<String>,
}

/// An instance with the time since it last announced itself (by the database's clock).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RosterRow {
    pub id: String,
    pub egress: String,
    pub version: String,
    pub seen_secs_ago: f64,
}

const LATEST_BATCH: &str = "(SELECT max(r2.batch) FROM reviews r2 WHERE r2.post_id = p.id)";

impl PgStore {
    /// Every source with its state and current holder.
    pub async fn source_rows(&self) -> Result<Vec<SourceRow>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, state, CASE WHEN lease_until > now() THEN lease_owner END, egress,
                        last_success_at, consecutive_failures, last_error
                 FROM sources ORDER BY id",
                &[],
            )
            .await
            .context("list sources")?;
        Ok(rows
            .iter()
            .map(|r| SourceRow {
                id: r.get(0),
                state: r.get(1),
                leased_by: r.get(2),
                egress: r.get(3),
                last_success_at: r.get(4),
                consecutive_failures: r.get(5),
                last_error: r.get(6),
            })
            .collect())
    }

    /// The instances, with how long ago each last announced itself.
    pub async fn roster(&self) -> Result<Vec<RosterRow>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, egress, version, extract(epoch FROM now() - last_seen)::float8
                 FROM instances ORDER BY id",
                &[],
            )
            .await
            .context("list instances")?;
        Ok(rows
            .iter()
            .map(|r| RosterRow {
                id: r.get(0),
                egress: r.get(1),
                version: r.get(2),
                seen_secs_ago: r.get::<_, f64>(3).max(0.0),
            })
            .collect())
    }

    /// Flagged posts and mean scores per Beijing day and label, oldest first (SQLite:
    /// `Store::history` with `Period::Day`).
    pub async fn history_by_day(&self, label: Option<&str>) -> Result<Vec<HistoryRow>, PgError> {
        let day = "to_char(p.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')";
        let sql = format!(
            "WITH totals AS (
                 SELECT {day} AS period, count(*) AS posts FROM posts p GROUP BY 1)
             SELECT {day} AS period, l.label, count(*), t.posts, avg(l.score), max(l.score),
                    count(*) FILTER (WHERE EXISTS (
                        SELECT 1 FROM reviews r WHERE r.post_id = p.id AND r.label = l.label
                          AND r.verdict = 'confirmed' AND r.batch = {LATEST_BATCH}))
             FROM posts p
             JOIN classifications c
               ON c.id = (SELECT max(c2.id) FROM classifications c2 WHERE c2.post_id = p.id)
             JOIN classification_labels l ON l.classification_id = c.id
             JOIN totals t ON t.period = {day}
             WHERE ($1::text IS NULL OR l.label = $1)
             GROUP BY 1, 2, t.posts ORDER BY 1, 2"
        );
        let rows = self
            .client()
            .await?
            .query(&sql, &[&label])
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

    /// Flagged posts, newest first, with their labels and review status (SQLite:
    /// `Store::review_queue` with `flagged_only`).
    pub async fn flagged_posts(&self, limit: i64) -> Result<Vec<FlaggedRow>, PgError> {
        let sql = format!(
            "SELECT p.source_id, p.platform_id,
                    coalesce((SELECT json_agg(json_build_array(l.label, l.score)
                                              ORDER BY l.score DESC, l.label)::text
                              FROM classification_labels l WHERE l.classification_id = c.id), '[]'),
                    CASE WHEN NOT EXISTS (SELECT 1 FROM reviews r WHERE r.post_id = p.id) THEN 'unreviewed'
                         WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.post_id = p.id
                                        AND r.batch = {LATEST_BATCH} AND r.verdict = 'relabelled') THEN 'relabelled'
                         WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.post_id = p.id
                                        AND r.batch = {LATEST_BATCH} AND r.verdict = 'confirmed') THEN 'confirmed'
                         ELSE 'dismissed' END
             FROM posts p
             JOIN classifications c
               ON c.id = (SELECT max(c2.id) FROM classifications c2 WHERE c2.post_id = p.id)
             WHERE EXISTS (SELECT 1 FROM classification_labels l WHERE l.classification_id = c.id)
             ORDER BY p.created_at DESC, p.id DESC LIMIT $1"
        );
        let rows = self
            .client()
            .await?
            .query(&sql, &[&limit])
            .await
            .context("list flagged posts")?;
        Ok(rows
            .iter()
            .map(|r| {
                let labels: String = r.get(2);
                let status: String = r.get(3);
                FlaggedRow {
                    source_id: r.get(0),
                    platform_id: r.get(1),
                    labels: serde_json::from_str(&labels).unwrap_or_default(),
                    status: status.parse().unwrap_or(ReviewStatus::Unreviewed),
                }
            })
            .collect())
    }
}
