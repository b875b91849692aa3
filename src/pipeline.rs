//! One pass of one source: (circuit breaker) → fetch → parse → classify → store (with alerts
//! in the same transaction) → record the run. Used by `once`, `demo` and the daemon's loops.
//! Each kind only says what to request and how to read it: `weibo_*` (timeline pages, cookies,
//! long texts), `rss_*` (conditional GET of a feed), `html_*` (list page, redirects, articles).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::stream::{self, StreamExt};

use crate::alert::{self, DispatchReport};
use crate::classify::{Classification, Classifier};
use crate::config::{Config, HtmlSpec, SourceConfig, SourceSpec, WeiboSpec};
use crate::fetch::breaker::Breakers;
use crate::fetch::cookies::VisitorCookies;
use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::sources::weibo::{self, TimelinePage, TimelineResponse};
use crate::sources::{self, html, rss, Post, PostDetail};
use crate::store::{FetchRun, NewPost, Store, WeiboAccount};

mod parse_pool;
pub use parse_pool::{ParseMetrics, ParsePool, ParseRefused};

/// Stored posts whose full text a pass tries again to fetch, per Weibo source.
const LONG_TEXT_RETRIES_PER_RUN: usize = 5;
/// JavaScript redirects followed from one list page.
const MAX_JS_REDIRECTS: usize = 3;
/// Parses running at once on the blocking pool (every source together).
const PARSE_SLOTS: usize = 4;
/// Parses past `PARSE_BUDGET` that may run on without a slot (see `parse_pool`): beyond
/// this, an overrun keeps its slot until it ends.
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
    /// Bounds the parses on the blocking pool and their time (`off_runtime`).
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
}

/// Runs `f` (a parse) on the blocking pool: never on the async workers, which serve every
/// other source, `/healthz` and the desk. At most `PARSE_SLOTS` at once within
/// `PARSE_BUDGET`; an overrun fails its run and gives its slot back (`parse_pool`).
async fn off_runtime<T: Send + 'static>(
    ctx: &Context,
    source_id: &str,
    what: &'static str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, RunError> {
    ctx.parse_pool
        .run(source_id, what, f)
        .await
        .map_err(|e| RunError::Parse(e.to_string()))
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

/// Why a source run failed, with the state the source is left in.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("Weibo refused the request ({0}); a visitor or login cookie is needed")]
    Blocked(String),
    #[error("Weibo refused the configured login cookie ({0}); put a fresh cookie in `cookie_file` or `cookie_env`")]
    CookieRejected(String),
    #[error("cannot resolve the Weibo screen name `{name}`: {reason}; check `screen_name` or give `uid`")]
    Unresolved { name: String, reason: String },
    #[error("the response could not be read: {0}")]
    Parse(String),
    #[error("the item selector `{selector}` matched nothing on {url}, which it used to match; the page layout changed: update the source's selectors")]
    LayoutChanged { selector: String, url: String },
    #[error("the item selector `{selector}` matched nothing on {url}; check the source's `item` selector and `url`")]
    NoItems { selector: String, url: String },
    #[error("the timeline of container {container} answered `ok: 1` with an empty `cards` list; the account may have no posts, or the API changed")]
    EmptyTimeline { container: String },
    #[error("circuit open after {failures} failed runs; next try in {retry_in:?}")]
    CircuitOpen {
        failures: u32,
        retry_in: Duration,
        last_state: String,
    },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl RunError {
    fn kind_and_state(&self) -> (&'static str, String) {
        let (kind, state) = match self {
            RunError::Fetch(e) if e.kind() == "http-432" => ("http-432", "needs-cookie"),
            RunError::Fetch(e) => (e.kind(), "failing"),
            RunError::Blocked(_) => ("blocked", "needs-cookie"),
            RunError::CookieRejected(_) => ("cookie-rejected", "needs-cookie"),
            RunError::Unresolved { .. } => ("account-unresolved", "failing"),
            RunError::Parse(_) => ("parse", "failing"),
            RunError::LayoutChanged { .. } => ("layout-changed", "layout-changed"),
            // README's documented state: the selector never matched (unlike layout-changed).
            RunError::NoItems { .. } => ("no-items", "no-items"),
            RunError::EmptyTimeline { .. } => ("no-items", "no-items"),
            RunError::CircuitOpen { last_state, .. } => {
                return ("circuit-open", last_state.clone())
            }
            RunError::Store(_) => ("store", "failing"),
        };
        (kind, state.to_string())
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
    let dispatch =
        match alert::deliver(&ctx.store, ctx.fetcher.alert_client(), &ctx.cfg, Utc::now()).await {
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
        Ok(()) => fetch_and_store(ctx, src, &mut report).await,
    };
    report.duration = started.elapsed();
    let (error, state) = match &outcome {
        Ok(()) => (None, "ok".to_string()),
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
            if ctx.breakers.record_failure(&src.id, Instant::now(), &state) {
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

/// A list or feed page to remember once its posts are safely stored.
struct PageCommit {
    url: String,
    validators: Validators,
    matched: usize,
}

async fn fetch_and_store(
    ctx: &Context,
    src: &SourceConfig,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    let mut commit = None;
    // Long posts whose full text this run already tried (not retried again in the same run).
    let mut tried = HashSet::new();
    let fresh = match &src.spec {
        SourceSpec::Weibo(w) => {
            // Stored page by page as the timeline is read.
            weibo_timeline(ctx, src, w, &mut tried, report).await?;
            Vec::new()
        }
        SourceSpec::Rss { url } => {
            let (posts, c) = rss_fetch(ctx, src, url, report).await?;
            commit = c;
            report.fetched = posts.len();
            only_new(ctx, &src.id, posts).await?
        }
        SourceSpec::Html(spec) => {
            let (items, c) = html_list(ctx, &src.id, spec, report).await?;
            commit = Some(c);
            report.fetched = items.len();
            let now = Utc::now();
            let posts: Vec<Post> = items
                .iter()
                .map(|i| html::to_post(i, None, &src.name, now))
                .collect();
            let fresh = only_new(ctx, &src.id, posts).await?;
            html_articles(ctx, src, spec, &items, fresh, &mut tried, report).await
        }
    };
    if !fresh.is_empty() {
        store_posts(ctx, src, fresh, report).await?;
    }
    if let Some(c) = commit {
        let sid = src.id.clone();
        ctx.store
            .call(move |s| s.remember_page(&sid, &c.url, &c.validators, c.matched, Utc::now()))
            .await?;
    }
    let completer = match &src.spec {
        SourceSpec::Weibo(w) => Some(Completer::Weibo(w)),
        SourceSpec::Html(spec) => spec.body.as_deref().map(Completer::Html),
        SourceSpec::Rss { .. } => None,
    };
    if let Some(completer) = completer {
        retry_truncated(ctx, src, &completer, &tried, report).await?;
    }
    Ok(())
}

/// The posts not stored yet for this source.
async fn only_new(ctx: &Context, source_id: &str, posts: Vec<Post>) -> Result<Vec<Post>, RunError> {
    let ids: Vec<String> = posts.iter().map(|p| p.platform_id.clone()).collect();
    let sid = source_id.to_string();
    let known = ctx
        .store
        .call(move |s| s.known_ids(&sid, &ids.iter().map(String::as_str).collect::<Vec<_>>()))
        .await?;
    let mut seen = HashSet::new();
    Ok(posts
        .into_iter()
        .filter(|p| !known.contains(&p.platform_id) && seen.insert(p.platform_id.clone()))
        .collect())
}

/// Classifies and stores new posts with their alerts, in one transaction.
async fn store_posts(
    ctx: &Context,
    src: &SourceConfig,
    fresh: Vec<Post>,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    let is_weibo = matches!(src.spec, SourceSpec::Weibo(_));
    let (classified, details): (Vec<(Post, Classification, String)>, Vec<PostDetail>) = {
        let classifier = ctx.classifier.clone();
        tokio::task::spawn_blocking(move || {
            let now = Utc::now();
            fresh
                .into_iter()
                .map(|p| {
                    let text = p.full_text();
                    let (c, words) = classify_capped(&classifier, &text);
                    let detail = if is_weibo {
                        weibo::post_detail_from_raw(&p.raw, now)
                    } else {
                        PostDetail::default()
                    };
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

// ---------------------------------------------------------------------------------------------
// Weibo

/// The headers that m.weibo.cn expects from its own mobile site, plus the cookie if any.
pub(crate) fn weibo_headers(
    uid: &str,
    mid: Option<&str>,
    cookie: Option<&str>,
) -> Vec<(&'static str, String)> {
    let referer = match mid {
        Some(m) => format!("https://m.weibo.cn/detail/{m}"),
        None if uid.is_empty() => "https://m.weibo.cn/".to_string(),
        None => format!("https://m.weibo.cn/u/{uid}"),
    };
    let mut h = vec![
        ("MWeibo-Pwa", "1".into()),
        ("X-Requested-With", "XMLHttpRequest".into()),
        ("Referer", referer),
        ("Accept", "application/json, text/plain, */*".into()),
    ];
    if let Some(c) = cookie {
        h.push(("Cookie", c.to_string()));
    }
    h
}

/// The cookie to send: the user's login cookie, else the current visitor cookie (if any).
pub(crate) async fn weibo_cookie(ctx: &Context, w: &WeiboSpec) -> Option<String> {
    match &w.cookie {
        Some(c) => Some(c.expose().to_string()),
        None => ctx.visitor.current(&w.passport_base).await,
    }
}

/// A GET to m.weibo.cn with `headers` plus the cookie. On a refusal (HTTP 432, `ok:-100`, a
/// redirect into the visitor or login system) without a login cookie, renews the visitor
/// cookie once and tries again; with a login cookie the source needs a new cookie from its
/// operator.
async fn weibo_get(
    ctx: &Context,
    w: &WeiboSpec,
    url: &url::Url,
    headers: &[(&'static str, String)],
) -> Result<Fetched, RunError> {
    let mut renewed = false;
    loop {
        let cookie = weibo_cookie(ctx, w).await;
        let mut h = headers.to_vec();
        if let Some(c) = &cookie {
            h.push(("Cookie", c.clone()));
        }
        let refusal = match ctx.fetcher.get(url, &h).await {
            Ok(f) => match weibo::refusal(&f.body) {
                Some(r) => r,
                None if weibo::is_passport_address(&f.url) => format!(
                    "redirected to {}{}",
                    f.url.host_str().unwrap_or(""),
                    f.url.path()
                ),
                None => return Ok(f),
            },
            Err(e) if e.kind() == "http-432" => format!("HTTP 432 from {url}"),
            Err(e) => return Err(e.into()),
        };
        if w.cookie.is_some() {
            return Err(RunError::CookieRejected(refusal));
        }
        if renewed {
            return Err(RunError::Blocked(format!(
                "{refusal}, even with a fresh visitor cookie"
            )));
        }
        match ctx
            .visitor
            .renew(&ctx.fetcher, &w.passport_base, cookie.as_deref())
            .await
        {
            Ok(_) => renewed = true,
            Err(e) => return Err(RunError::Blocked(format!("{refusal}; {e}"))),
        }
    }
}

/// What the config names: `uid:<uid>` or `screen_name:<name>`.
fn configured_account(w: &WeiboSpec) -> String {
    match &w.screen_name {
        Some(n) => format!("screen_name:{n}"),
        None => format!("uid:{}", w.uid),
    }
}

/// The account a Weibo source reads: the resolution cached in the database when it matches
/// the config, else resolved now (and cached). The flag says whether it was resolved now.
pub(crate) async fn weibo_account(
    ctx: &Context,
    source_id: &str,
    w: &WeiboSpec,
) -> Result<(WeiboAccount, bool), RunError> {
    let sid = source_id.to_string();
    let cached = ctx.store.call(move |s| s.weibo_account(&sid)).await?;
    let configured = configured_account(w);
    if let Some(a) = cached.filter(|a| a.configured == configured) {
        return Ok((a, false));
    }
    let account = weibo_resolve(ctx, w, configured).await?;
    let (sid, a) = (source_id.to_string(), account.clone());
    // A cache that cannot be written costs a resolution next run, not this run.
    if let Err(e) = ctx
        .store
        .call(move |s| s.save_weibo_account(&sid, &a, Utc::now()))
        .await
    {
        tracing::warn!(error = %e, "Cannot cache the resolved Weibo account.");
    }
    tracing::info!(uid = %account.uid, container = %account.containerid, from = %account.container_from, "Resolved the Weibo account.");
    Ok((account, true))
}

/// Resolves the uid (a `screen_name` through `m.weibo.cn/n/{name}`, which redirects to
/// `/u/{uid}`) and the timeline container (the profile's `tabsInfo` "微博" tab, else
/// 107603{uid} when the profile has none or is refused with a 4xx).
async fn weibo_resolve(
    ctx: &Context,
    w: &WeiboSpec,
    configured: String,
) -> Result<WeiboAccount, RunError> {
    let uid = match &w.screen_name {
        None => w.uid.clone(),
        Some(name) => {
            let url = weibo::screen_name_url(&w.api_base, name);
            let headers = [
                ("Accept", "text/html,application/xhtml+xml".to_string()),
                ("Referer", "https://m.weibo.cn/".to_string()),
            ];
            let f = weibo_get(ctx, w, &url, &headers).await?;
            weibo::uid_from_profile_address(&f.url).ok_or_else(|| RunError::Unresolved {
                name: name.clone(),
                reason: format!("{url} led to {}, not to a profile (/u/<uid>)", f.url),
            })?
        }
    };
    let url = weibo::profile_url(&w.api_base, &uid);
    let headers = weibo_headers(&uid, None, None);
    let profile = match weibo_get(ctx, w, &url, &headers).await {
        Ok(f) => weibo::parse_profile(&f.body),
        // A profile refused for good (403: the API changed): the default container serves.
        Err(RunError::Fetch(e @ FetchError::Status { status, .. })) if status.is_client_error() => {
            tracing::warn!(error = %e, "Cannot read the account's profile; using the default timeline container.");
            None
        }
        // Refusals, timeouts, 5xx, 418 after retries: the timeline, on the same host, would
        // fare no better; the run fails now with that kind and the next run asks again.
        Err(e) => return Err(e),
    };
    let container = profile.as_ref().and_then(|p| p.containerid.clone());
    Ok(WeiboAccount {
        configured,
        screen_name: profile
            .and_then(|p| p.screen_name)
            .or_else(|| w.screen_name.clone()),
        container_from: if container.is_some() {
            "tabsInfo"
        } else {
            "default"
        }
        .into(),
        containerid: container.unwrap_or_else(|| weibo::default_container(&uid)),
        uid,
    })
}

/// Reads timeline pages, newest first, following `since_id`, and stores each page before
/// reading the next (a long first run that is cut short keeps every page it stored): at most
/// `backfill_pages` pages, and after the first run only until a page holds a post already
/// stored. Pinned posts are ignored for that decision (a pinned old post would otherwise stop
/// paging at once). While a backfill is under way its next page is recorded
/// (`Store::backfill_cursor`), so the run after an interruption, having met the stored posts,
/// goes on from there. A cached account whose timeline answers empty is resolved again, once.
async fn weibo_timeline(
    ctx: &Context,
    src: &SourceConfig,
    w: &WeiboSpec,
    tried: &mut HashSet<String>,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    let source_id = src.id.as_str();
    let sid = source_id.to_string();
    let cursor = ctx.store.call(move |s| s.backfill_cursor(&sid)).await?;
    let save_cursor = |next: Option<(String, u32)>| {
        let sid = source_id.to_string();
        async move {
            ctx.store
                .call(move |s| {
                    s.set_backfill_cursor(&sid, next.as_ref().map(|(a, n)| (a.as_str(), *n)))
                })
                .await
        }
    };
    let (mut account, mut fresh) = weibo_account(ctx, source_id, w).await?;
    let mut since: Option<String> = None;
    let (mut met_stored, mut wrote_cursor, mut page_failed) = (false, false, false);
    for page_no in 0..w.backfill_pages {
        let mut answer = weibo_page(ctx, source_id, w, &account, since.as_deref()).await;
        if page_no == 0 && !fresh && matches!(answer, Ok(None)) {
            tracing::warn!(container = %account.containerid, "The timeline answered empty; resolving the account again.");
            let sid = source_id.to_string();
            ctx.store
                .call(move |s| s.forget_weibo_account(&sid))
                .await?;
            let (again, _) = weibo_account(ctx, source_id, w).await?;
            fresh = true;
            if again.containerid != account.containerid {
                account = again;
                answer = weibo_page(ctx, source_id, w, &account, None).await;
            }
        }
        // `ok: 1` (a page), not `ok: 0` (Weibo's own "nothing here").
        let answered_page = matches!(answer, Ok(Some(_)));
        let page = match answer {
            Ok(p) => p.unwrap_or_default(),
            // Later pages are a bonus: keep what the first pages gave.
            Err(e) if page_no > 0 => {
                tracing::warn!(page = page_no + 1, error = %e, "Timeline page failed; keeping the pages before it.");
                page_failed = true;
                break;
            }
            Err(e) => return Err(e),
        };
        for issue in &page.issues {
            tracing::warn!(item = %issue.item, problem = %issue.problem, "Skipped a malformed card.");
        }
        // One bad card costs one card; a page of nothing but bad cards is a failed read.
        if let (true, Some(first)) = (page.posts.is_empty(), page.issues.first()) {
            if page_no == 0 {
                return Err(RunError::Parse(format!(
                    "every card of the timeline is malformed ({}; first at {}: {})",
                    page.issues.len(),
                    first.item,
                    first.problem
                )));
            }
        }
        // The right shape with nothing in it: say so, rather than a quiet "fetched 0".
        if page_no == 0 && answered_page && page.cards == 0 {
            return Err(RunError::EmptyTimeline {
                container: account.containerid.clone(),
            });
        }
        report.parse_issues += page.issues.len();
        let ids: Vec<String> = page
            .posts
            .iter()
            .filter(|p| !p.pinned)
            .map(|p| p.platform_id.clone())
            .collect();
        let sid = source_id.to_string();
        let known = ctx
            .store
            .call(move |s| s.known_ids(&sid, &ids.iter().map(String::as_str).collect::<Vec<_>>()))
            .await?;
        let empty = page.posts.is_empty();
        let next = page.since_id.clone();
        // Where a restart goes on, recorded before this page is stored, and always a page
        // whose predecessors are stored: this page itself (it may be stored already when the
        // restart reads it again; its posts are then skipped). For the top page, the next
        // one: every run reads the top page anyway. A backfill already under way keeps its
        // own cursor (resumed below).
        if known.is_empty() && !empty && cursor.is_none() {
            let at = match (page_no, &since) {
                (0, _) => next.clone().map(|n| (n, w.backfill_pages - 1)),
                (_, Some(s)) => Some((s.clone(), w.backfill_pages - page_no)),
                (_, None) => None,
            };
            save_cursor(at.filter(|(_, left)| *left > 0)).await?;
            wrote_cursor = true;
        }
        weibo_store_page(ctx, src, w, page.posts, tried, report).await?;
        if !known.is_empty() {
            met_stored = true;
            break;
        }
        if empty {
            break;
        }
        match next {
            Some(s) => since = Some(s),
            None => break,
        }
    }
    // This run's paging ended on its own (stored posts met, the end, the page limit): nothing
    // of it is left to backfill. After a failed page the cursor stays for the next run.
    if wrote_cursor && !page_failed {
        save_cursor(None).await?;
    }
    // An interrupted backfill: on from its next page, storing page by page.
    if let (true, Some((mut next, left))) = (met_stored, cursor) {
        tracing::info!(pages_left = left, "Resuming an interrupted backfill.");
        for i in 0..left {
            let page = match weibo_page(ctx, source_id, w, &account, Some(&next)).await {
                Ok(p) => p.unwrap_or_default(),
                Err(e) => {
                    tracing::warn!(error = %e, "Backfill page failed; it is tried again next run.");
                    return Ok(());
                }
            };
            report.parse_issues += page.issues.len();
            let empty = page.posts.is_empty();
            let following = page.since_id.clone();
            weibo_store_page(ctx, src, w, page.posts, tried, report).await?;
            let remaining = left - i - 1;
            match following.filter(|_| !empty && remaining > 0) {
                Some(f) => {
                    save_cursor(Some((f.clone(), remaining))).await?;
                    next = f;
                }
                None => {
                    save_cursor(None).await?;
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Stores the new posts of one timeline page (long texts completed first).
async fn weibo_store_page(
    ctx: &Context,
    src: &SourceConfig,
    w: &WeiboSpec,
    posts: Vec<Post>,
    tried: &mut HashSet<String>,
    report: &mut SourceReport,
) -> Result<(), RunError> {
    report.fetched += posts.len();
    let mut fresh = only_new(ctx, &src.id, posts).await?;
    for p in fresh.iter_mut().filter(|p| p.truncated) {
        tried.insert(p.platform_id.clone());
        if let Some(full) = weibo_full_text(ctx, w, &p.platform_id).await {
            p.text = full;
            p.truncated = false;
            report.long_texts_completed += 1;
        }
    }
    if fresh.is_empty() {
        return Ok(());
    }
    store_posts(ctx, src, fresh, report).await
}

/// One timeline page of the account's container; `None` when Weibo answered `ok:0` (no
/// cards: a wrong container, an empty or private account).
pub(crate) async fn weibo_page(
    ctx: &Context,
    source_id: &str,
    w: &WeiboSpec,
    account: &WeiboAccount,
    since: Option<&str>,
) -> Result<Option<TimelinePage>, RunError> {
    let url = weibo::timeline_url(&w.api_base, &account.uid, &account.containerid, since);
    let headers = weibo_headers(&account.uid, None, None);
    let f = weibo_get(ctx, w, &url, &headers).await?;
    let body = f.body;
    let parsed = off_runtime(ctx, source_id, "timeline parse", move || {
        weibo::parse_timeline(&body, Utc::now())
    })
    .await?;
    match parsed {
        Ok(TimelineResponse::Page(page)) => Ok(Some(page)),
        Ok(TimelineResponse::Empty { msg }) => {
            tracing::warn!(msg = %msg, "Weibo returned no cards (ok:0).");
            Ok(None)
        }
        // `weibo_get` catches refusals; one that slipped through is still one.
        Ok(TimelineResponse::Blocked { url }) => Err(RunError::Blocked(format!("ok:-100, {url}"))),
        Err(e) => Err(RunError::Parse(format!("{e} (from {url})"))),
    }
}

/// The full text of a long post: `statuses/extend`, else `statuses/show`, else the post's
/// `detail` HTML page (`$render_data`); `None` keeps the preview (and `truncated = 1`, so a
/// later pass tries again).
pub(crate) async fn weibo_full_text(ctx: &Context, w: &WeiboSpec, mid: &str) -> Option<String> {
    let cookie = weibo_cookie(ctx, w).await;
    let headers = weibo_headers("", Some(mid), cookie.as_deref());
    let extend = weibo::extend_url(&w.api_base, mid);
    match ctx.fetcher.get(&extend, &headers).await {
        Ok(f) => {
            if let Some(t) = weibo::parse_long_text(&f.body) {
                return Some(t);
            }
            tracing::debug!(post = %mid, "statuses/extend had no long text; trying statuses/show.");
        }
        Err(e) => {
            tracing::debug!(post = %mid, error = %e, "statuses/extend failed; trying statuses/show.")
        }
    }
    let show = weibo::show_url(&w.api_base, mid);
    match ctx.fetcher.get(&show, &headers).await {
        Ok(f) => {
            if let Some(t) = weibo::parse_show(&f.body) {
                return Some(t);
            }
            tracing::debug!(post = %mid, "statuses/show had no full text; trying the detail page.");
        }
        Err(e) => {
            tracing::debug!(post = %mid, error = %e, "statuses/show failed; trying the detail page.")
        }
    }
    let detail = weibo::detail_url(&w.api_base, mid);
    let mut headers: Vec<(&str, String)> = vec![
        ("Accept", "text/html,application/xhtml+xml".into()),
        ("Referer", "https://m.weibo.cn/".into()),
    ];
    if let Some(c) = cookie {
        headers.push(("Cookie", c));
    }
    match ctx.fetcher.get(&detail, &headers).await {
        Ok(f) => weibo::parse_detail_page(&f.html_text()).or_else(|| {
            tracing::debug!(post = %mid, "No full text yet; keeping the preview for a later pass.");
            None
        }),
        Err(e) => {
            tracing::debug!(post = %mid, error = %e, "The detail page failed; keeping the preview for a later pass.");
            None
        }
    }
}

/// How a stored preview's full text is fetched again.
enum Completer<'a> {
    /// statuses/extend, show, detail page.
    Weibo(&'a WeiboSpec),
    /// The article page, read with this `body` selector (an HTML item whose article was
    /// missing, e.g. 404 before it was published, is stored with its title only).
    Html(&'a str),
}

impl Completer<'_> {
    async fn full_text(&self, ctx: &Context, source_id: &str, post: &Post) -> Option<String> {
        match self {
            Completer::Weibo(w) => weibo_full_text(ctx, w, &post.platform_id).await,
            Completer::Html(body_sel) => {
                let url = url::Url::parse(&post.url).ok()?;
                match html_article(ctx, source_id, &url, body_sel).await {
                    Ok(a) if !a.text.is_empty() => {
                        // As `html::to_post` joins them: the title, then the body.
                        let title = &post.text;
                        Some(if a.text.starts_with(title.as_str()) {
                            a.text
                        } else {
                            format!("{title}\n{}", a.text)
                        })
                    }
                    Ok(_) => None,
                    Err(e) => {
                        tracing::debug!(url = %url, error = %e, "The article is still unavailable; keeping the title for a later pass.");
                        None
                    }
                }
            }
        }
    }
}

/// Stored previews (`truncated = 1`: Weibo long texts, HTML articles that could not be read)
/// get another chance at their full text. A completed text replaces the preview and is
/// classified again; only labels no earlier classification reported raise alerts.
async fn retry_truncated(
    ctx: &Context,
    src: &SourceConfig,
    completer: &Completer<'_>,
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
        let Some(full) = completer.full_text(ctx, &src.id, &stored.post).await else {
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

// ---------------------------------------------------------------------------------------------
// RSS / Atom

async fn rss_fetch(
    ctx: &Context,
    src: &SourceConfig,
    url: &url::Url,
    report: &mut SourceReport,
) -> Result<(Vec<Post>, Option<PageCommit>), RunError> {
    let (sid, u) = (src.id.clone(), url.to_string());
    let memory = ctx.store.call(move |s| s.page_memory(&sid, &u)).await?;
    let headers = memory.validators.request_headers();
    let f = ctx.fetcher.get(url, &headers).await?;
    if f.not_modified() {
        tracing::debug!(url = %url, "Feed not modified.");
        return Ok((Vec::new(), None));
    }
    let (body, name) = (f.body.clone(), src.name.clone());
    let (posts, issues) = off_runtime(ctx, &src.id, "feed parse", move || {
        rss::parse_feed(&body, &name, Utc::now())
    })
    .await?
    .map_err(|e| RunError::Parse(format!("{e} (from {url})")))?;
    for issue in &issues {
        tracing::warn!(item = %issue.item, problem = %issue.problem, "Skipped a malformed feed entry.");
    }
    report.parse_issues += issues.len();
    let commit = PageCommit {
        url: url.to_string(),
        validators: Validators::from_headers(&f.headers),
        matched: posts.len(),
    };
    Ok((posts, Some(commit)))
}

// ---------------------------------------------------------------------------------------------
// HTML list pages

/// Fetches and reads the list page, following JavaScript redirect stubs. A selector that
/// matches nothing is an error: `layout-changed` when it matched before, counted per source.
async fn html_list(
    ctx: &Context,
    source_id: &str,
    spec: &HtmlSpec,
    report: &mut SourceReport,
) -> Result<(Vec<html::ListItem>, PageCommit), RunError> {
    let (sid, u) = (source_id.to_string(), spec.url.to_string());
    let memory = ctx.store.call(move |s| s.page_memory(&sid, &u)).await?;
    let f = ctx
        .fetcher
        .get(&spec.url, &memory.validators.request_headers())
        .await?;
    if f.not_modified() {
        tracing::debug!(url = %spec.url, "List page not modified.");
        let commit = PageCommit {
            url: spec.url.to_string(),
            validators: memory.validators,
            matched: 0,
        };
        return Ok((Vec::new(), commit));
    }
    let validators = Validators::from_headers(&f.headers);
    let mut page_url = f.url.clone();
    let text = f.html_text();
    let now = Utc::now();
    // The page, and where it redirects to when it is only a JavaScript redirect stub.
    let read = |text: String, url: url::Url| {
        let spec = spec.clone();
        off_runtime(ctx, source_id, "list page parse", move || {
            sources::markup::check(&text).map_err(|e| RunError::Parse(format!("{e} ({url})")))?;
            let list = html::parse_list(&text, &url, &spec, now)
                .map_err(|e| RunError::Parse(e.to_string()))?;
            let target = (list.matched == 0)
                .then(|| html::js_redirect(&text, &url))
                .flatten();
            Ok::<_, RunError>((list, target))
        })
    };
    let (mut list, mut target) = read(text, page_url.clone()).await??;
    for _ in 0..MAX_JS_REDIRECTS {
        let Some(to) = target.take() else {
            break;
        };
        tracing::debug!(from = %page_url, to = %to, "Following a JavaScript redirect.");
        let f = ctx.fetcher.get(&to, &[]).await?;
        page_url = f.url.clone();
        (list, target) = read(f.html_text(), page_url.clone()).await??;
    }
    if list.matched == 0 {
        let url = page_url.to_string();
        if memory.ever_matched {
            let (sid, u) = (source_id.to_string(), spec.url.to_string());
            let total = ctx
                .store
                .call(move |s| {
                    s.forget_validators(&sid, &u)?;
                    s.count_layout_change(&sid)
                })
                .await?;
            tracing::warn!(url = %url, selector = %spec.item, layout_changes = total, "Layout changed: the item selector matched nothing.");
            return Err(RunError::LayoutChanged {
                selector: spec.item.clone(),
                url,
            });
        }
        return Err(RunError::NoItems {
            selector: spec.item.clone(),
            url,
        });
    }
    for issue in &list.issues {
        tracing::warn!(item = %issue.item, problem = %issue.problem, "Skipped a list item.");
    }
    report.parse_issues += list.issues.len();
    let commit = PageCommit {
        url: spec.url.to_string(),
        validators,
        matched: list.matched,
    };
    Ok((list.items, commit))
}

/// For new items, reads each article (when the source has a `body` selector): its text and
/// `meta[name=PubDate]`. An article that cannot be fetched now (timeout, 5xx) is left for the
/// next pass; one that answers 4xx (listed before it is published, or moved) is stored with its
/// title only, marked pending (`truncated`), and read again by later passes as Weibo previews are.
async fn html_articles(
    ctx: &Context,
    src: &SourceConfig,
    spec: &HtmlSpec,
    items: &[html::ListItem],
    fresh: Vec<Post>,
    tried: &mut HashSet<String>,
    report: &mut SourceReport,
) -> Vec<Post> {
    let Some(body_sel) = spec.body.as_deref() else {
        return fresh;
    };
    let by_url: HashMap<&str, &html::ListItem> =
        items.iter().map(|i| (i.url.as_str(), i)).collect();
    let mut out = Vec::with_capacity(fresh.len());
    for post in fresh {
        let Some(item) = by_url.get(post.platform_id.as_str()) else {
            out.push(post);
            continue;
        };
        match html_article(ctx, &src.id, &item.url, body_sel).await {
            Ok(article) => {
                if article.text.is_empty() {
                    report.parse_issues += 1;
                    tracing::warn!(url = %item.url, selector = %body_sel, "The body selector matched nothing; keeping the title only.");
                }
                out.push(html::to_post(item, Some(&article), &src.name, Utc::now()));
            }
            Err(e) if matches!(&e, FetchError::Status { status, .. } if status.is_client_error()) =>
            {
                tracing::warn!(url = %item.url, error = %e, "Article unavailable; keeping the title, to be completed by a later pass.");
                tried.insert(post.platform_id.clone());
                out.push(Post {
                    truncated: true,
                    ..post
                });
            }
            Err(e) => {
                tracing::warn!(url = %item.url, error = %e, "Article fetch failed; the item waits for the next pass.");
            }
        }
    }
    out
}

async fn html_article(
    ctx: &Context,
    source_id: &str,
    url: &url::Url,
    body_sel: &str,
) -> Result<html::Article, FetchError> {
    // An article page that cannot be parsed (too deep, over budget) keeps its title only.
    let read = |text: String, page: url::Url| {
        let sel = body_sel.to_string();
        let shown = page.clone();
        async move {
            let r = off_runtime(ctx, source_id, "article parse", move || {
                sources::markup::check(&text)?;
                let article = html::parse_article(&text, Some(&sel), Utc::now());
                let target = article
                    .text
                    .is_empty()
                    .then(|| html::js_redirect(&text, &page))
                    .flatten();
                Ok((article, target))
            })
            .await;
            match r {
                Ok(Ok(a)) => a,
                Ok(Err(e)) => {
                    let e: sources::markup::MarkupError = e;
                    tracing::warn!(url = %shown, error = %e, "Article not parsed; keeping the title only.");
                    (html::Article::default(), None)
                }
                Err(e) => {
                    tracing::warn!(url = %shown, error = %e, "Article not parsed; keeping the title only.");
                    (html::Article::default(), None)
                }
            }
        }
    };
    let f: Fetched = ctx.fetcher.get(url, &[]).await?;
    let (mut article, target) = read(f.html_text(), f.url.clone()).await;
    if let Some(target) = target {
        let f = ctx.fetcher.get(&target, &[]).await?;
        article = read(f.html_text(), f.url.clone()).await.0;
    }
    Ok(article)
}
