//! One interface, two backends, for what analysts do: the reads and verdicts of `search`,
//! `history`, `backtest`, `review …`, `alerts list|retry`, `export` and the review desk, on the SQLite
//! file (`Store`) or on cluster mode's shared PostgreSQL (`pg::PgStore`).
//!
//! A closed enum rather than a trait: the set is two and fixed, one side blocks (SQLite, run
//! here on the blocking pool) and the other is async, and an enum needs no boxed futures or
//! `async_trait`. The backend is chosen once, where the configuration is read
//! (`AnyStore::open`); the CLI and the desk hold an `AnyStore` and never look at which.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::pg::{ClusterConfig, PgStore};
use super::{
    AlertRow, AlertStatus, FlaggedPost, HistoryQuery, HistoryRow, LastRun, PostExtras, PostVersion,
    QueueQuery, Result, ReviewPost, ReviewRow, SourceStatus, Store, VerdictCount, VerdictRecord,
    VerdictWrite,
};
use crate::classify::Label;
use crate::text::{SearchQuery, Segmenter};

/// The analyst's database: the SQLite file, or the cluster's PostgreSQL. Cheap to clone.
#[derive(Clone)]
pub enum AnyStore {
    Local(Store),
    Shared(PgStore),
}

impl From<Store> for AnyStore {
    fn from(s: Store) -> AnyStore {
        AnyStore::Local(s)
    }
}

impl From<PgStore> for AnyStore {
    fn from(s: PgStore) -> AnyStore {
        AnyStore::Shared(s)
    }
}

/// Runs a method on either backend: `$local` on the SQLite store (a blocking call, on the
/// blocking pool, so its arguments must be owned), `$shared` on PostgreSQL.
macro_rules! on_either {
    ($self:expr, |$s:ident| $local:expr, |$p:ident| $shared:expr) => {
        match $self {
            AnyStore::Local(store) => store.call(move |$s: &Store| $local).await,
            AnyStore::Shared($p) => Ok($shared.await?),
        }
    };
}

impl AnyStore {
    /// The database the configuration names: with `[store] url` the cluster's PostgreSQL
    /// (connected, and migrated if it is behind this build), else the SQLite file at `path`
    /// (created and migrated when missing).
    pub async fn open(path: &Path, cluster: Option<&ClusterConfig>) -> Result<AnyStore> {
        match cluster {
            Some(c) => {
                let pg = PgStore::connect_with(c.pg_config()?).await?;
                pg.migrate_if_behind().await?;
                Ok(AnyStore::Shared(pg))
            }
            None => Ok(AnyStore::Local(Store::open(path)?)),
        }
    }

    /// Where the data lives, for messages: the SQLite file's path or "PostgreSQL".
    pub fn describe(&self) -> String {
        match self {
            AnyStore::Local(s) => s.path().display().to_string(),
            AnyStore::Shared(_) => "the cluster's PostgreSQL".into(),
        }
    }

    /// One post with its latest classification, review status and verdict version.
    pub async fn review_post(&self, id: i64) -> Result<Option<ReviewPost>> {
        on_either!(self, |s| s.review_post(id), |p| p.review_post(id))
    }

    /// Posts matching `q`, newest first.
    pub async fn review_queue(&self, q: &QueueQuery) -> Result<Vec<ReviewPost>> {
        let owned = q.clone();
        on_either!(self, |s| s.review_queue(&owned), |p| p.review_queue(q))
    }

    /// The posts containing every word of `query` (`text::SearchQuery`), the most recently
    /// stored first, at most `limit`. SQLite first indexes posts not yet indexed;
    /// PostgreSQL's index is written with each post.
    pub async fn search(
        &self,
        segmenter: &Segmenter,
        query: &str,
        limit: usize,
    ) -> Result<Vec<ReviewPost>> {
        match self {
            AnyStore::Local(store) => {
                let (segmenter, query) = (segmenter.clone(), query.to_string());
                store
                    .call(move |s| s.search(&segmenter, &query, limit))
                    .await
            }
            AnyStore::Shared(p) => match SearchQuery::parse(query) {
                None => Ok(Vec::new()),
                Some(q) => Ok(p.search_posts(&q, limit).await?),
            },
        }
    }

    /// Records one review action, only if the post is still at the version it names.
    pub async fn record_review(&self, r: &VerdictRecord) -> Result<VerdictWrite> {
        let owned = r.clone();
        on_either!(self, |s| s.record_review(&owned), |p| p.record_review(r))
    }

    /// Every reviewed post's full text with the labels analysts judged it to carry, for
    /// training.
    pub async fn reviewed_examples(&self) -> Result<Vec<(String, Vec<Label>)>> {
        on_either!(self, |s| s.reviewed_examples(), |p| p.reviewed_examples())
    }

    pub async fn reviews_of(&self, post_id: i64) -> Result<Vec<ReviewRow>> {
        on_either!(self, |s| s.reviews_of(post_id), |p| p.reviews_of(post_id))
    }

    pub async fn alerts_for_post(&self, post_id: i64) -> Result<Vec<AlertRow>> {
        on_either!(self, |s| s.alerts_for_post(post_id), |p| p
            .alerts_for_post(post_id))
    }

    pub async fn post_versions(&self, post_id: i64) -> Result<Vec<PostVersion>> {
        on_either!(self, |s| s.post_versions(post_id), |p| p
            .post_versions(post_id))
    }

    /// `(visibility, confirmed at, marker)` when the post was confirmed deleted or invisible.
    pub async fn post_gone(&self, post_id: i64) -> Result<Option<(String, String, String)>> {
        on_either!(self, |s| s.post_gone(post_id), |p| p.post_gone(post_id))
    }

    pub async fn post_extras(&self, post_id: i64) -> Result<Option<PostExtras>> {
        on_either!(self, |s| s.post_extras(post_id), |p| p.post_extras(post_id))
    }

    /// Current verdicts per month (Beijing) of the post, label and verdict.
    pub async fn verdict_counts(&self) -> Result<Vec<VerdictCount>> {
        on_either!(self, |s| s.verdict_counts(), |p| p.verdict_counts())
    }

    /// Flagged posts and scores per period and label, oldest first, as `q` narrows them.
    pub async fn history_between(&self, q: &HistoryQuery) -> Result<Vec<HistoryRow>> {
        let owned = q.clone();
        on_either!(self, |s| s.history_between(&owned), |p| p
            .history_between(q))
    }

    /// Every label of every flagged post created in `[from, to)`, oldest first.
    pub async fn flagged_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        label: Option<Label>,
    ) -> Result<Vec<FlaggedPost>> {
        on_either!(self, |s| s.flagged_between(from, to, label), |p| p
            .flagged_between(from, to, label))
    }

    pub async fn oldest_post_time(&self) -> Result<Option<DateTime<Utc>>> {
        on_either!(self, |s| s.oldest_post_time(), |p| p.oldest_post_time())
    }

    /// The outbox, oldest first; `status` narrows it.
    pub async fn alerts(&self, status: Option<AlertStatus>) -> Result<Vec<AlertRow>> {
        on_either!(self, |s| s.alerts(status), |p| p.alerts(status))
    }

    /// Puts failed alerts (or the one with `id`) back in the queue; returns how many. On
    /// PostgreSQL they fall due by the database's clock, not `now`.
    pub async fn retry_alerts(&self, id: Option<i64>, now: DateTime<Utc>) -> Result<usize> {
        match self {
            AnyStore::Local(store) => store.call(move |s| s.retry_alerts(id, now)).await,
            AnyStore::Shared(p) => Ok(usize::try_from(p.retry_alerts(id).await?).unwrap_or(0)),
        }
    }

    pub async fn source_statuses(&self) -> Result<Vec<SourceStatus>> {
        on_either!(self, |s| s.source_statuses(), |p| p.source_statuses())
    }

    pub async fn last_runs(&self) -> Result<Vec<LastRun>> {
        on_either!(self, |s| s.last_runs(), |p| p.last_runs())
    }

    /// Cluster mode's instances, who holds each source and the egresses cooling down, as
    /// `status` shows them; `None` for the SQLite file (one process, no roster).
    pub async fn cluster_view(&self) -> Result<Option<ClusterView>> {
        match self {
            AnyStore::Local(_) => Ok(None),
            AnyStore::Shared(p) => Ok(Some(ClusterView {
                roster: p.roster().await?,
                sources: p.source_rows().await?,
                cooling: p.cooling_egresses().await?,
            })),
        }
    }
}

/// What the desk shows of a cluster beside its sources.
#[derive(Debug, Clone)]
pub struct ClusterView {
    pub roster: Vec<super::pg::RosterRow>,
    pub sources: Vec<super::pg::SourceRow>,
    /// Egresses cooling down, with the time left.
    pub cooling: Vec<(String, std::time::Duration)>,
}

/// Where a leased pass over a source's stored posts (a recheck, completing previews) reads
/// and writes: one process's SQLite file, or in cluster mode the shared database with every
/// write fenced by the source's lease. Each pass adds its own methods (`daemon::recheck`,
/// `pipeline::complete`).
#[derive(Clone, Copy)]
pub enum Book<'a> {
    /// One process: the SQLite file.
    Local(&'a Store),
    /// Cluster mode: the shared database, every write fenced by the source's lease.
    Shared {
        pg: &'a super::pg::PgStore,
        lease: &'a super::pg::Lease,
    },
}
