//! One pass of one source, the generic loop: (circuit breaker) → read (the kind's own client,
//! through `SourceSpec`) → only new → classify → store (with alerts in the same transaction)
//! → complete stored previews → record the run. Used by `once`, `demo` and the daemon's
//! loops. Nothing here knows a kind: each kind gets an `Env` and gives posts to a `Sink`.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::stream::{self, StreamExt};

use crate::alert::{self, DispatchReport};
use crate::classify::{Classification, Classifier};
use crate::config::{Config, SourceConfig};
use crate::fetch::breaker::Breakers;
use crate::fetch::Fetcher;
use crate::sources::run::{Env, Sink, Tally};
use crate::sources::weibo::cookies::VisitorCookies;
use crate::sources::{Post, PostDetail};
use crate::states::SourceState;
use crate::store::{FetchRun, NewPost, Store};

pub use crate::sources::parse_pool::{ParseMetrics, ParsePool, ParseRefused};
pub use crate::sources::run::RunError;

/// Stored previews whose full text a pass tries again to fetch, per source.
const LONG_TEXT_RETRIES_PER_RUN: usize = 5;
/// Parses running at once on the blocking pool (every source together).
const PARSE_SLOTS: usize = 4;
/// Parses past `PARSE_BUDGET` that may run on without a slot (see `sources::parse_pool`):
/// beyond this, an overrun keeps its slot until it ends.
const MAX_ABANDONED_PARSES: usize = 4;
/// How long one parse may take before its run fails (the page's markup is capped first, see
/// `sources::markup`, so only a new kind of pathological page reaches this).
pub const PARSE_BUDGET: Duration = Duration::from_secs(10);
/// Characters of a post the classifier reads: classification time grows faster than the text,
/// and a trade signal sits in a post's first paragraphs. The stored text stays whole.
pub const MAX_CLASSIFIED_CHARS: usize = 20_000;

/// Everything a pass needs, built once per process.
#[derive(Clone)]
pub struct Context {
    pub cfg: Arc<Config>,
    pub store: Store,
    pub fetcher: Fetcher,
    pub classifier: Classifier,
    /// Per-source circuit breakers (in memory: a restart closes them all).
    pub breakers: Arc<Breakers>,
    /// Weibo visitor cookies, shared by every Weibo source without a login cookie.
    pub visitor: Arc<VisitorCookies>,
    /// Bounds the parses on the blocking pool and their time (`sources::parse_pool`).
    pub parse_pool: Arc<ParsePool>,
}

impl Context {
    pub fn new(cfg: Config) -> anyhow::Result<Context> {
        use anyhow::Context as _;
        let classifier = Classifier::load(
            cfg.classifier.signals_dir.as_deref(),
            cfg.classifier.user_dict.as_deref(),
        )
        .context("cannot load the classifier")?;
        let store = Store::open(&cfg.store_path)?;
        // Every command that fetches writes: say now, with the path, if the database cannot be.
        store.ensure_writable()?;
        // Posts stored before the search index existed (or whose text changed) get indexed.
        store.index_missing(&|t| classifier.segmenter.index_words(t))?;
        // Alerts in flight when the last process stopped: they may have arrived; they go
        // out again with the same Idempotency-Key, and the count says how many.
        let in_flight = store.reconcile_sending(Utc::now())?;
        if in_flight > 0 {
            tracing::warn!(alerts = in_flight, "Alerts were being sent when the last process stopped; they are sent again with the same Idempotency-Key (a receiver may see them twice).");
        }
        store.set_busy_timeout(cfg.store_busy_timeout)?;
        let fetcher = Fetcher::new(&cfg.fetch).context("cannot build the HTTP client")?;
        for s in &cfg.sources {
            store.ensure_source(&s.id, &s.kind().to_string(), &s.name)?;
        }
        for s in &cfg.sources {
            if let Some(every) = s.schedule.interval() {
                // The whole run (retries included) should end before the next tick.
                let worst = cfg.fetch.timeout * (cfg.fetch.retries + 1);
                if worst >= every {
                    tracing::warn!(source = %s.id, every = ?every, worst = ?worst, "A run with every retry may outlast the schedule; lower fetch.retries or fetch.timeout.");
                }
            }
        }
        Ok(Context {
            breakers: Arc::new(Breakers::new(
                cfg.fetch.breaker_threshold,
                cfg.fetch.breaker_cooldown,
            )),
            visitor: Arc::new(VisitorCookies::new(cfg.fetch.visitor_cooldown)),
            cfg: Arc::new(cfg),
            store,
            fetcher,
            classifier,
            parse_pool: Arc::new(ParsePool::new(
                PARSE_SLOTS,
                MAX_ABANDONED_PARSES,
                PARSE_BUDGET,
            )),
        })
    }

    /// What a run of `src` may use: its kind's client sees this, not the context.
    pub fn env<'a>(&'a self, src: &'a SourceConfig) -> Env<'a> {
        Env {
            source_id: &src.id,
            source_name: &src.name,
            fetcher: &self.fetcher,
            store: &self.store,
            visitor: &self.visitor,
            parsing: &self.parse_pool,
        }
    }
}

/// The part of a post the classifier reads (`MAX_CLASSIFIED_CHARS`), and whether it is cut.
pub fn classified_part(text: &str) -> (&str, bool) {
    match text.char_indices().nth(MAX_CLASSIFIED_CHARS) {
        Some((at, _)) => (&text[..at], true),
        None => (text, false),
    }
}

/// Classifies a post's text, only its first `MAX_CLASSIFIED_CHARS` characters; a cut is
/// recorded in the explanation that analysts and alerts see.
pub fn classify_capped(classifier: &Classifier, text: &str) -> (Classification, String) {
    let (part, cut) = classified_part(text);
    let (mut c, words) = classifier.classify_indexed(part);
    if cut {
        note_cut(&mut c, text);
    }
    (c, words)
}

/// Records in the explanation that only the first `MAX_CLASSIFIED_CHARS` of `text` were read.
pub fn note_cut(c: &mut Classification, text: &str) {
    let note = format!(
        "(Classified on the first {MAX_CLASSIFIED_CHARS} of {} characters.)",
        text.chars().count()
    );
    c.explanation = if c.explanation.is_empty() {
        note
    } else {
        format!("{} {note}", c.explanation)
    };
}

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
        retry_truncated(ctx, src, &tally.tried, report).await?;
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

/// Stored previews (`truncated = 1`: Weibo long texts, HTML articles that could not be read)
/// get another chance at their full text. A completed text replaces the preview and is
/// classified again; only labels no earlier classification reported raise alerts.
async fn retry_truncated(
    ctx: &Context,
    src: &SourceConfig,
    tried: &HashSet<String>,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    let (sid, version) = (src.id.clone(), ctx.classifier.version().to_string());
    let limit = LONG_TEXT_RETRIES_PER_RUN + tried.len();
    let due = ctx
        .store
        .call(move |s| s.truncated_stored_posts(&sid, &version, limit))
        .await?;
    let due = due
        .into_iter()
        .filter(|p| !tried.contains(&p.post.platform_id));
    for stored in due.take(LONG_TEXT_RETRIES_PER_RUN) {
        let Some(full) = src.spec.complete(&ctx.env(src), &stored.post).await else {
            let post_id = stored.id;
            ctx.store
                .call(move |s| s.mark_full_text_tried(post_id, Utc::now()))
                .await?;
            continue;
        };
        let mut post = stored.post.clone();
        post.text = full;
        post.truncated = false;
        let classifier = ctx.classifier.clone();
        let text = post.full_text();
        let (c, words) = tokio::task::spawn_blocking(move || classify_capped(&classifier, &text))
            .await
            .map_err(|e| RunError::Parse(format!("classifier task failed: {e}")))?;
        let mut fresh = c.clone();
        fresh
            .labels
            .retain(|l| !stored.prior_labels.contains(&l.label));
        let alerts = alert::plan(
            &stored.source_id,
            &stored.source_name,
            &post,
            &fresh,
            &ctx.cfg.alerts,
        );
        let post_id = stored.id;
        let done = ctx
            .store
            .call(move |s| {
                s.complete_and_reclassify(post_id, &post.text, &words, &c, &alerts, Utc::now())
            })
            .await?;
        if let Some(r) = done {
            report.long_texts_completed += 1;
            report.flagged += r.flagged;
            report.alerts_queued += r.alerts_queued;
            report
                .flagged_labels
                .extend(fresh.labels.iter().map(|l| l.label.as_str().to_string()));
        }
    }
    Ok(())
}
