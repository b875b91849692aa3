//! One pass of one source, the generic loop: (circuit breaker) → read (the kind's own client,
//! through `SourceSpec`) → only new → classify → store (with alerts in the same transaction)
//! → complete stored previews → record the run. Used by `once`, `demo` and the daemon's
//! loops. Nothing here knows a kind: each kind gets an `Env` and gives posts to a `Sink`.

mod complete;
mod context;

use std::time::{Duration, Instant};

use chrono::Utc;
use futures::stream::{self, StreamExt};

use crate::alert::{self, DispatchReport};
use crate::classify::Classification;
use crate::config::SourceConfig;
use crate::sources::run::{Sink, Tally};
use crate::sources::{Post, PostDetail};
use crate::states::SourceState;
use crate::store::{FetchRun, NewPost};

pub use crate::classify::capped::{
    classified_part, classify_capped, note_cut, MAX_CLASSIFIED_CHARS,
};
pub use crate::sources::parse_pool::{ParseMetrics, ParsePool, ParseRefused};
pub use crate::sources::run::RunError;
pub use complete::retry_truncated;
pub use context::{Context, PARSE_BUDGET};

/// What one source run did.
#[derive(Debug, Clone, Default)]
pub struct SourceReport {
    pub source_id: String,
    pub fetched: usize,
    pub new_posts: usize,
    pub flagged: usize,
    pub alerts_queued: usize,
    pub parse_issues: usize,
    /// Weibo previews whose full text this run fetched: new posts completed before they were
    /// stored, and stored previews completed by a later pass.
    pub long_texts_completed: usize,
    /// The run was skipped by the source's open circuit breaker.
    pub skipped: bool,
    pub error: Option<String>,
    /// The failure's kind (`timeout`, `http-5xx`, `parse`, …), for metrics.
    pub error_kind: Option<String>,
    /// The labels of the newly flagged posts, one entry per post and label, for metrics.
    pub flagged_labels: Vec<String>,
    pub duration: Duration,
}

#[derive(Debug, Clone, Default)]
pub struct PassReport {
    pub sources: Vec<SourceReport>,
    pub dispatch: DispatchReport,
}

impl PassReport {
    pub fn all_ok(&self) -> bool {
        self.sources.iter().all(|s| s.error.is_none())
    }
}

/// Runs every source (or one), bounded in parallel, then delivers due alerts.
pub async fn run_pass(ctx: &Context, only: Option<&str>) -> PassReport {
    let sources: Vec<SourceConfig> = ctx
        .cfg
        .sources
        .iter()
        .filter(|s| only.is_none_or(|id| s.id == id))
        .cloned()
        .collect();
    let reports = stream::iter(sources)
        .map(|s| async move { run_source(ctx, &s).await })
        .buffer_unordered(ctx.cfg.max_concurrency.max(1))
        .collect::<Vec<_>>()
        .await;
    let dispatch = match alert::deliver(
        &ctx.store,
        ctx.fetcher.alert_client(),
        &*ctx.cfg,
        Utc::now(),
    )
    .await
    {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "Cannot deliver alerts.");
            DispatchReport::default()
        }
    };
    let mut sources = reports;
    sources.sort_by(|a, b| a.source_id.cmp(&b.source_id));
    PassReport { sources, dispatch }
}

/// One run of one source. Never panics on bad input; failures are recorded and returned.
#[tracing::instrument(skip_all, fields(source = %src.id))]
pub async fn run_source(ctx: &Context, src: &SourceConfig) -> SourceReport {
    let started = Instant::now();
    let started_at = Utc::now();
    let mut report = SourceReport {
        source_id: src.id.clone(),
        ..Default::default()
    };
    let outcome = match ctx.breakers.check(&src.id, started) {
        Err(open) => {
            report.skipped = true;
            Err(RunError::CircuitOpen {
                failures: open.failures,
                retry_in: open.retry_in,
                last_state: open.last_state,
            })
        }
        Ok(()) => read_and_store(ctx, src, &mut report).await,
    };
    report.duration = started.elapsed();
    let (error, state) = match &outcome {
        Ok(()) => (None, SourceState::Ok),
        Err(e) => {
            let (kind, state) = e.kind_and_state();
            // A remote answer quoted in the error may echo a cookie or token.
            (
                Some((kind.to_string(), ctx.cfg.redact(&e.to_string()))),
                state,
            )
        }
    };
    match &outcome {
        Ok(()) => ctx.breakers.record_success(&src.id),
        Err(RunError::CircuitOpen { .. }) => {}
        Err(_) => {
            if ctx.breakers.record_failure(&src.id, Instant::now(), state) {
                tracing::warn!(
                    cooldown = ?ctx.cfg.fetch.breaker_cooldown,
                    "Circuit breaker opened: the source is skipped until the cooldown passes."
                );
            }
        }
    }
    let run = FetchRun {
        source_id: src.id.clone(),
        started_at,
        finished_at: Utc::now(),
        fetched: report.fetched,
        new_posts: report.new_posts,
        flagged: report.flagged,
        error: error.clone(),
        state,
    };
    if let Err(e) = ctx.store.call(move |s| s.record_run(&run)).await {
        tracing::error!(error = %e, "Cannot record the fetch run.");
    }
    match &error {
        None => tracing::info!(
            fetched = report.fetched,
            new = report.new_posts,
            flagged = report.flagged,
            alerted = report.alerts_queued,
            long_texts_completed = report.long_texts_completed,
            duration_ms = report.duration.as_millis() as u64,
            "Source run done."
        ),
        Some((kind, msg)) => {
            tracing::warn!(kind = %kind, error = %msg, "Source run failed; will retry next tick.")
        }
    }
    report.error_kind = error.as_ref().map(|e| e.0.clone());
    report.error = error.map(|e| e.1);
    report
}

/// The kind reads (and hands its new posts to `Ingest`), the page it read is remembered once
/// they are stored, and stored previews get another chance at their full text.
async fn read_and_store(
    ctx: &Context,
    src: &SourceConfig,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    let env = ctx.env(src);
    let mut sink = Ingest {
        ctx,
        src,
        report,
        tally: Tally::default(),
    };
    let read = src.spec.read(&env, &mut sink).await;
    // Counted whether or not the read failed: what was fetched before a failure was fetched.
    let Ingest { report, tally, .. } = sink;
    report.fetched += tally.fetched;
    report.parse_issues += tally.parse_issues;
    report.long_texts_completed += tally.long_texts_completed;
    let commit = read?;
    if let Some(c) = commit {
        let sid = src.id.clone();
        ctx.store
            .call(move |s| s.remember_page(&sid, &c.url, &c.validators, c.matched, Utc::now()))
            .await?;
    }
    if src.spec.completes() {
        complete::retry_truncated(
            ctx,
            src,
            crate::store::Book::Local(&ctx.store),
            &tally.tried,
            report,
        )
        .await?;
    }
    Ok(())
}

/// The generic loop's side of a read: new posts are classified and stored with their alerts.
struct Ingest<'a> {
    ctx: &'a Context,
    src: &'a SourceConfig,
    report: &'a mut SourceReport,
    tally: Tally,
}

impl Sink for Ingest<'_> {
    async fn store(&mut self, posts: Vec<Post>) -> Result<(), RunError> {
        if posts.is_empty() {
            return Ok(());
        }
        store_posts(self.ctx, self.src, posts, self.report).await
    }

    fn tally(&mut self) -> &mut Tally {
        &mut self.tally
    }
}

/// Classifies and stores new posts with their alerts, in one transaction.
async fn store_posts(
    ctx: &Context,
    src: &SourceConfig,
    fresh: Vec<Post>,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    let detail_of = src.spec.detail_reader();
    let (classified, details): (Vec<(Post, Classification, String)>, Vec<PostDetail>) = {
        let classifier = ctx.classifier.clone();
        tokio::task::spawn_blocking(move || {
            let now = Utc::now();
            fresh
                .into_iter()
                .map(|p| {
                    let text = p.full_text();
                    let (c, words) = classify_capped(&classifier, &text);
                    let detail = detail_of(&p, now);
                    ((p, c, words), detail)
                })
                .unzip()
        })
        .await
        .map_err(|e| RunError::Parse(format!("classifier task failed: {e}")))?
    };
    let labels: Vec<String> = classified
        .iter()
        .flat_map(|(_, c, _)| c.labels.iter().map(|l| l.label.as_str().to_string()))
        .collect();
    let cfg = ctx.cfg.clone();
    let (sid, sname) = (src.id.clone(), src.name.clone());
    let ingest = ctx
        .store
        .call(move |s| {
            let items: Vec<NewPost<'_>> = classified
                .iter()
                .map(|(p, c, words)| NewPost {
                    post: p,
                    classification: c,
                    alerts: alert::plan(&sid, &sname, p, c, &cfg.alerts),
                    index_words: words,
                })
                .collect();
            s.ingest_with_details(&sid, &items, &details, Utc::now())
        })
        .await?;
    report.new_posts += ingest.new_posts;
    report.flagged += ingest.flagged;
    report.alerts_queued += ingest.alerts_queued;
    if ingest.new_posts > 0 {
        report.flagged_labels.extend(labels);
    }
    Ok(())
}
