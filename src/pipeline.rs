//! One pass of one source: fetch → parse → classify → store (with alerts in the same
//! transaction) → record the run. Used by `once`, `demo` and the daemon's loops.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::stream::{self, StreamExt};

use crate::alert::{self, DispatchReport};
use crate::classify::{Classification, Classifier};
use crate::config::{Config, SourceConfig, SourceSpec};
use crate::fetch::{FetchError, Fetcher};
use crate::sources::weibo::{self, TimelineResponse};
use crate::sources::Post;
use crate::store::{FetchRun, NewPost, Store};

/// Everything a pass needs, built once per process.
#[derive(Clone)]
pub struct Context {
    pub cfg: Arc<Config>,
    pub store: Store,
    pub fetcher: Fetcher,
    pub classifier: Classifier,
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
        let fetcher = Fetcher::new(&cfg.fetch).context("cannot build the HTTP client")?;
        for s in &cfg.sources {
            store.ensure_source(&s.id, &s.kind().to_string(), &s.name)?;
        }
        Ok(Context {
            cfg: Arc::new(cfg),
            store,
            fetcher,
            classifier,
        })
    }
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
    pub error: Option<String>,
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

/// Why a source run failed, with the state the source is left in.
#[derive(Debug, thiserror::Error)]
enum RunError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("Weibo refused the request (ok:-100, {0}); a visitor or login cookie is needed")]
    Blocked(String),
    #[error("the response could not be read: {0}")]
    Parse(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl RunError {
    fn kind_and_state(&self) -> (&'static str, &'static str) {
        match self {
            RunError::Fetch(e) if e.kind() == "http-432" => ("http-432", "needs-cookie"),
            RunError::Fetch(e) => (e.kind(), "failing"),
            RunError::Blocked(_) => ("blocked", "needs-cookie"),
            RunError::Parse(_) => ("parse", "layout-changed"),
            RunError::Store(_) => ("store", "failing"),
        }
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
    let dispatch = match alert::dispatch_due(
        &ctx.store,
        ctx.fetcher.client(),
        &ctx.cfg.alerts,
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
    let outcome = fetch_and_store(ctx, src, &mut report).await;
    report.duration = started.elapsed();
    let (error, state) = match &outcome {
        Ok(()) => (None, "ok"),
        Err(e) => {
            let (kind, state) = e.kind_and_state();
            (Some((kind.to_string(), e.to_string())), state)
        }
    };
    let run = FetchRun {
        source_id: src.id.clone(),
        started_at,
        finished_at: Utc::now(),
        fetched: report.fetched,
        new_posts: report.new_posts,
        flagged: report.flagged,
        error: error.clone(),
        state: state.to_string(),
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
            duration_ms = report.duration.as_millis() as u64,
            "Source run done."
        ),
        Some((kind, msg)) => {
            tracing::warn!(kind = %kind, error = %msg, "Source run failed; will retry next tick.")
        }
    }
    report.error = error.map(|e| e.1);
    report
}

async fn fetch_and_store(
    ctx: &Context,
    src: &SourceConfig,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    let posts = match &src.spec {
        SourceSpec::Weibo { uid, api_base } => fetch_weibo(ctx, uid, api_base, report).await?,
    };
    report.fetched = posts.len();
    let ids: Vec<String> = posts.iter().map(|p| p.platform_id.clone()).collect();
    let sid = src.id.clone();
    let known = ctx
        .store
        .call(move |s| s.known_ids(&sid, &ids.iter().map(String::as_str).collect::<Vec<_>>()))
        .await?;
    let mut fresh: Vec<Post> = posts
        .into_iter()
        .filter(|p| !known.contains(&p.platform_id))
        .collect();
    // Full texts only for posts we will store.
    {
        let SourceSpec::Weibo { api_base, uid } = &src.spec;
        for p in fresh.iter_mut().filter(|p| p.truncated) {
            let url = weibo::extend_url(api_base, &p.platform_id);
            let headers = weibo_headers(uid, Some(&p.platform_id));
            match ctx.fetcher.get(&url, &headers).await {
                Ok(f) => match weibo::parse_long_text(&f.body) {
                    Some(full) => {
                        p.text = full;
                        p.truncated = false;
                    }
                    None => {
                        tracing::debug!(post = %p.platform_id, "No long text; keeping the preview.")
                    }
                },
                Err(e) => {
                    tracing::debug!(post = %p.platform_id, error = %e, "Long text fetch failed; keeping the preview.")
                }
            }
        }
    }
    let classified: Vec<(Post, Classification)> = {
        let classifier = ctx.classifier.clone();
        tokio::task::spawn_blocking(move || {
            fresh
                .into_iter()
                .map(|p| {
                    let c = classifier.classify(&p.full_text());
                    (p, c)
                })
                .collect()
        })
        .await
        .map_err(|e| RunError::Parse(format!("classifier task failed: {e}")))?
    };
    let cfg = ctx.cfg.clone();
    let (sid, sname) = (src.id.clone(), src.name.clone());
    let ingest = ctx
        .store
        .call(move |s| {
            let items: Vec<NewPost<'_>> = classified
                .iter()
                .map(|(p, c)| NewPost {
                    post: p,
                    classification: c,
                    alerts: alert::plan(&sid, &sname, p, c, &cfg.alerts),
                })
                .collect();
            s.ingest(&sid, &items, Utc::now())
        })
        .await?;
    report.new_posts = ingest.new_posts;
    report.flagged = ingest.flagged;
    report.alerts_queued = ingest.alerts_queued;
    Ok(())
}

/// The headers that m.weibo.cn expects from its own mobile site.
fn weibo_headers(uid: &str, mid: Option<&str>) -> Vec<(&'static str, String)> {
    let referer = match mid {
        Some(m) => format!("https://m.weibo.cn/detail/{m}"),
        None => format!("https://m.weibo.cn/u/{uid}"),
    };
    vec![
        ("MWeibo-Pwa", "1".into()),
        ("X-Requested-With", "XMLHttpRequest".into()),
        ("Referer", referer),
        ("Accept", "application/json, text/plain, */*".into()),
    ]
}

async fn fetch_weibo(
    ctx: &Context,
    uid: &str,
    api_base: &url::Url,
    report: &mut SourceReport,
) -> Result<Vec<Post>, RunError> {
    let url = weibo::timeline_url(api_base, uid, None);
    let fetched = ctx.fetcher.get(&url, &weibo_headers(uid, None)).await?;
    match weibo::parse_timeline(&fetched.body, Utc::now()) {
        Ok(TimelineResponse::Page(page)) => {
            for issue in &page.issues {
                tracing::warn!(item = %issue.item, problem = %issue.problem, "Skipped a malformed card.");
            }
            report.parse_issues = page.issues.len();
            Ok(page.posts)
        }
        Ok(TimelineResponse::Empty { msg }) => {
            tracing::warn!(msg = %msg, "Weibo returned no cards (ok:0).");
            Ok(Vec::new())
        }
        Ok(TimelineResponse::Blocked { url }) => Err(RunError::Blocked(url)),
        Err(e) => Err(RunError::Parse(e.to_string())),
    }
}
