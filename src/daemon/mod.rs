//! The daemon: per source a timer (`schedule::run_timer`) feeding a loop that runs the source
//! and, at its slower pace, its recheck; one outbox dispatcher; the `/healthz` + `/metrics`
//! listener. Signals: SIGTERM/SIGINT stop taking ticks and wait up to the grace for the runs in
//! hand (logging what was cut short), a second one exits at once (SQLite's WAL keeps the
//! database whole); SIGHUP reloads sources and alerts, keeping the old ones if the new file
//! has problems.

pub mod cluster;
pub mod recheck;

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{mpsc, watch, Notify};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::alert;
use crate::config::{Config, SourceConfig};
use crate::ops::metrics::Metrics;
use crate::pipeline::{self, Context};
use crate::schedule::{self, SourceState, Tick, Timing};

/// What the daemon is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGTERM or SIGINT: stop (a second one: stop at once).
    Shutdown,
    /// SIGHUP: reload sources and alerts from the configuration file.
    Reload,
}

/// How the daemon stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Every run in hand finished within the grace.
    Clean,
    /// The grace ran out; the runs still going were cut short (and logged).
    GraceExceeded,
    /// A second signal: exited at once.
    Forced,
}

/// Resolves on SIGTERM (Docker, systemd) or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let mut s = os_signals();
    while let Some(sig) = s.recv().await {
        if sig == Signal::Shutdown {
            return;
        }
    }
}

/// SIGTERM and SIGINT as `Shutdown`, SIGHUP as `Reload`, for as long as the receiver lives.
pub fn os_signals() -> mpsc::Receiver<Signal> {
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let (mut term, mut hup) = match (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
            ) {
                (Ok(t), Ok(h)) => (t, h),
                (Err(e), _) | (_, Err(e)) => {
                    tracing::warn!(error = %e, "Cannot listen for SIGTERM/SIGHUP; only Ctrl-C stops the daemon.");
                    while tokio::signal::ctrl_c().await.is_ok() {
                        if tx.send(Signal::Shutdown).await.is_err() {
                            return;
                        }
                    }
                    return;
                }
            };
            loop {
                let sig = tokio::select! {
                    _ = term.recv() => { tracing::info!("SIGTERM received."); Signal::Shutdown }
                    _ = tokio::signal::ctrl_c() => { tracing::info!("SIGINT received."); Signal::Shutdown }
                    _ = hup.recv() => { tracing::info!("SIGHUP received."); Signal::Reload }
                };
                if tx.send(sig).await.is_err() {
                    return;
                }
            }
        }
        #[cfg(not(unix))]
        {
            while tokio::signal::ctrl_c().await.is_ok() {
                if tx.send(Signal::Shutdown).await.is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// Runs until `shutdown` resolves. Each source runs once at start, then on its schedule.
pub async fn run(ctx: Context, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel(1);
    let daemon = run_with_signals(ctx, rx);
    tokio::pin!(daemon);
    tokio::select! {
        r = &mut daemon => return r.map(|_| ()),
        _ = shutdown => {}
    }
    let _ = tx.send(Signal::Shutdown).await;
    daemon.await.map(|_| ())
}

/// State shared by every task of the daemon, across reloads.
struct Shared {
    metrics: Arc<Metrics>,
    /// Source runs that queue alerts wake the dispatcher at once instead of at its next tick.
    wake: Arc<Notify>,
    dispatching: AtomicBool,
}

/// The tasks of one configuration: stopped and restarted whole on reload.
struct Generation {
    token: CancellationToken,
    tracker: TaskTracker,
    states: Vec<(String, Arc<SourceState>)>,
}

impl Generation {
    fn start(ctx: &Context, shared: &Arc<Shared>) -> Generation {
        let token = CancellationToken::new();
        let tracker = TaskTracker::new();
        let mut states = Vec::new();
        for src in ctx.cfg.sources.clone() {
            let state = Arc::new(SourceState::default());
            states.push((src.id.clone(), state.clone()));
            let (tx, rx) = mpsc::channel::<Tick>(1);
            let timing = Timing {
                schedule: src.schedule.clone(),
                tz: ctx.cfg.timezone,
                jitter: src.watch.schedule_jitter,
                active: src.watch.active_hours,
            };
            let m = shared.metrics.clone();
            tracker.spawn(schedule::run_timer(
                src.id.clone(),
                timing,
                state.clone(),
                tx,
                token.clone(),
                move |id, skip| m.record_skip(id, skip),
            ));
            tracker.spawn(source_loop(
                ctx.clone(),
                src,
                rx,
                state,
                shared.clone(),
                token.clone(),
            ));
        }
        tracker.spawn(dispatch_loop(ctx.clone(), shared.clone(), token.clone()));
        tracker.close();
        Generation {
            token,
            tracker,
            states,
        }
    }

    /// Sources whose run was still going.
    fn running(&self) -> Vec<String> {
        self.states
            .iter()
            .filter(|(_, s)| s.running.load(Ordering::Acquire))
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// Runs until a `Shutdown` signal (or the sender is dropped); `Reload` re-reads the
/// configuration file.
pub async fn run_with_signals(
    mut ctx: Context,
    mut signals: mpsc::Receiver<Signal>,
) -> anyhow::Result<Stopped> {
    let mut metrics = Metrics::new();
    metrics.register_parses(ctx.parse_pool.metrics());
    let shared = Arc::new(Shared {
        metrics: Arc::new(metrics),
        wake: Arc::new(Notify::new()),
        dispatching: AtomicBool::new(false),
    });
    // Until each source has had its first run, health says "starting" (healthy) instead of
    // judging the runs of an earlier process.
    // An unwritable store does not stop the daemon (it rides it out): health then judges the
    // earlier runs until the sources run.
    let ids: Vec<String> = ctx.cfg.sources.iter().map(|s| s.id.clone()).collect();
    if let Err(e) = ctx.store.call(move |s| s.mark_starting(&ids)).await {
        tracing::warn!(error = %e, "Cannot mark the sources as starting; health judges their earlier runs until they run.");
    }
    let (cfg_tx, cfg_rx) = watch::channel(ctx.cfg.clone());
    let listener_token = CancellationToken::new();
    let listener = serve_health(
        ctx.cfg.metrics_listen,
        ctx.store.clone(),
        crate::ops::health::Judge::Local,
        cfg_rx,
        shared.metrics.clone(),
        listener_token.clone(),
    )
    .await;
    let desk_handle = start_desk(&ctx, ctx.store.clone().into(), &listener_token).await?;
    let mut generation = Generation::start(&ctx, &shared);
    tracing::info!(sources = ctx.cfg.sources.len(), alerts = ctx.cfg.alerts.len(), db = %ctx.store.path().display(), "windvane running.");

    // Until Shutdown (or the sender is gone): each Reload re-reads the configuration.
    while let Some(Signal::Reload) = signals.recv().await {
        reload(&mut ctx, &mut generation, &shared).await;
        let _ = cfg_tx.send(ctx.cfg.clone());
    }

    let grace = ctx.cfg.shutdown_grace;
    tracing::info!(
        grace_s = grace.as_secs_f64(),
        running = ?generation.running(),
        "Shutting down: no new runs; finishing the runs in hand (a second signal exits at once)."
    );
    generation.token.cancel();
    listener_token.cancel();
    let second_signal = async {
        loop {
            match signals.recv().await {
                Some(Signal::Shutdown) => return,
                Some(Signal::Reload) => continue,
                None => std::future::pending::<()>().await,
            }
        }
    };
    let stopped = tokio::select! {
        _ = generation.tracker.wait() => Stopped::Clean,
        _ = tokio::time::sleep(grace) => {
            tracing::warn!(
                grace_s = grace.as_secs_f64(),
                cut_short = ?generation.running(),
                dispatching_alerts = shared.dispatching.load(Ordering::Acquire),
                "Shutdown grace over; cutting short the runs still going (their transactions roll back; the next start redoes them)."
            );
            Stopped::GraceExceeded
        }
        _ = second_signal => {
            tracing::warn!(
                cut_short = ?generation.running(),
                dispatching_alerts = shared.dispatching.load(Ordering::Acquire),
                "Second signal: exiting at once (SQLite's WAL keeps the database whole; unfinished runs are redone at the next start)."
            );
            Stopped::Forced
        }
    };
    if let Some(h) = listener {
        if stopped == Stopped::Clean {
            let _ = h.await;
        }
    }
    if let Some(h) = desk_handle {
        if stopped == Stopped::Clean {
            let _ = h.await;
        }
    }
    tracing::info!(how = ?stopped, "windvane stopped.");
    Ok(stopped)
}

/// Re-reads the configuration file for a reload: the running one with the new file's
/// `[[sources]]` and `[[alerts]]` (other sections need a restart, which is logged). `None`
/// when the file has problems (each logged with its file, key and message) or cannot be
/// read: the running configuration stays. One process and a cluster instance share it.
pub(crate) async fn reread_config(old: &Config) -> Option<Config> {
    let origin = old.origin.clone();
    let loaded = tokio::task::spawn_blocking(move || Config::load(origin.as_deref())).await;
    let new = match loaded {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => {
            tracing::error!(
                problems = e.problems.len(),
                "Reload rejected; the running configuration stays. {e}"
            );
            return None;
        }
        Err(e) => {
            tracing::error!(error = %e, "Reload failed; the running configuration stays.");
            return None;
        }
    };
    if new.store_path != old.store_path
        || new.metrics_listen != old.metrics_listen
        || new.timezone != old.timezone
        || format!("{:?}{:?}{:?}", new.fetch, new.classifier, new.cluster)
            != format!("{:?}{:?}{:?}", old.fetch, old.classifier, old.cluster)
    {
        tracing::warn!("Reload applies [[sources]] and [[alerts]] only; changes to [store], [instance], [daemon], [fetch] and [classifier] need a restart.");
    }
    let mut merged = old.clone();
    merged.sources = new.sources;
    merged.alerts = new.alerts;
    Some(merged)
}

/// Re-reads the configuration; on success restarts the source loops and the dispatcher with
/// the new sources and alerts (runs in hand finish first). Other sections need a restart.
async fn reload(ctx: &mut Context, generation: &mut Generation, shared: &Arc<Shared>) {
    let Some(merged) = reread_config(&ctx.cfg).await else {
        return;
    };
    for s in &merged.sources {
        let (id, kind, name) = (s.id.clone(), s.kind().to_string(), s.name.clone());
        if let Err(e) = ctx
            .store
            .call(move |st| st.ensure_source(&id, &kind, &name))
            .await
        {
            tracing::error!(error = %e, "Reload failed; the running configuration stays.");
            return;
        }
    }
    generation.token.cancel();
    if tokio::time::timeout(merged.shutdown_grace, generation.tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!(still_running = ?generation.running(), "Runs in hand outlast the grace; the new configuration starts beside them.");
    }
    ctx.cfg = Arc::new(merged);
    *generation = Generation::start(ctx, shared);
    tracing::info!(
        sources = ctx.cfg.sources.len(),
        alerts = ctx.cfg.alerts.len(),
        "Configuration reloaded."
    );
}

async fn source_loop(
    ctx: Context,
    src: SourceConfig,
    mut ticks: mpsc::Receiver<Tick>,
    state: Arc<SourceState>,
    shared: Arc<Shared>,
    cancel: CancellationToken,
) {
    loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            t = ticks.recv() => match t {
                Some(Tick) => {
                    state.running.store(true, Ordering::Release);
                    let report = pipeline::run_source(&ctx, &src).await;
                    shared.metrics.record_run(&report);
                    if report.alerts_queued > 0 {
                        shared.wake.notify_one();
                    }
                    if !cancel.is_cancelled() {
                        if let Some(Ok(r)) = crate::daemon::recheck::maybe_recheck(&ctx, &src).await {
                            shared.metrics.record_change(&src.id, "edited", r.edited);
                            shared.metrics.record_change(&src.id, "deleted", r.deleted);
                            shared.metrics.record_change(&src.id, "invisible", r.invisible);
                            if r.alerts_queued > 0 {
                                shared.wake.notify_one();
                            }
                        }
                    }
                    state.running.store(false, Ordering::Release);
                }
                None => break,
            },
        }
    }
}

async fn dispatch_loop(ctx: Context, shared: Arc<Shared>, cancel: CancellationToken) {
    let mut every = tokio::time::interval(ctx.cfg.dispatch_interval);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            _ = async { tokio::select! { _ = every.tick() => {}, _ = shared.wake.notified() => {} } } => {
                shared.dispatching.store(true, Ordering::Release);
                match alert::deliver(&ctx.store, ctx.fetcher.alert_client(), &*ctx.cfg, Utc::now()).await {
                    Ok(d) => shared.metrics.record_dispatch(&d),
                    Err(e) => tracing::error!(error = %e, "Cannot deliver alerts; will retry."),
                }
                shared.dispatching.store(false, Ordering::Release);
            }
        }
    }
}

/// Serves /healthz and /metrics on `[daemon] metrics_listen` when it is set. A daemon whose
/// address cannot be bound runs on without them (logged): fetching matters more.
/// With `[review] enabled`, binds the review desk on `store` (one process's SQLite file, or a
/// cluster instance's PostgreSQL) and serves it until `stop`. It binds before any source
/// runs: a port in use fails the start.
pub(crate) async fn start_desk(
    ctx: &Context,
    store: crate::store::AnyStore,
    stop: &CancellationToken,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    if !ctx.cfg.review.enabled {
        return Ok(None);
    }
    let review = &ctx.cfg.review;
    crate::review::web::check_token(review.token.as_ref())?;
    let bound = crate::review::web::bind(review.listen, review.token.is_some()).await?;
    let desk = crate::review::web::Desk {
        store,
        segmenter: ctx.classifier.segmenter.clone(),
        token: review.token.clone(),
    };
    let stop = stop.clone().cancelled_owned();
    Ok(Some(tokio::spawn(async move {
        if let Err(e) = crate::review::web::serve(bound, desk, stop).await {
            tracing::error!(error = %e, "The review desk stopped.");
        }
    })))
}

pub(crate) async fn serve_health(
    addr: Option<std::net::SocketAddr>,
    store: crate::store::Store,
    judge: crate::ops::health::Judge,
    cfg: watch::Receiver<std::sync::Arc<crate::config::Config>>,
    metrics: std::sync::Arc<crate::ops::metrics::Metrics>,
    cancel: CancellationToken,
) -> Option<tokio::task::JoinHandle<()>> {
    let addr = addr?;
    match crate::ops::health::serve(addr, store, judge, cfg, metrics, cancel).await {
        Ok((bound, handle)) => {
            tracing::info!(listen = %bound, "Serving /healthz and /metrics.");
            Some(handle)
        }
        Err(e) => {
            tracing::error!(listen = %addr, error = %e, "Cannot serve /healthz and /metrics; running without them (set [daemon] metrics_listen).");
            None
        }
    }
}
