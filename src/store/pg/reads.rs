//! Cluster `status`'s reads on PostgreSQL: the sources with their holders and the roster.
//! The analyst's reads are `review.rs`.

use super::{Context as _, PgError, PgStore};

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
}
