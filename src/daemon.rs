//! The daemon: one loop per source fed by scheduler ticks, one outbox dispatcher, and a clean
//! shutdown on SIGTERM/SIGINT (stop taking ticks, finish the run in hand, exit within the grace).

use std::future::Future;
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{mpsc, Notify};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::alert;
use crate::config::SourceConfig;
use crate::pipeline::{self, Context};
use crate::schedule::{self, Tick};

/// Resolves on SIGTERM (Docker, systemd) or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => tracing::info!("SIGTERM received; shutting down."),
                    _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT received; shutting down."),
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "Cannot listen for SIGTERM; only Ctrl-C stops the daemon.");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs until `shutdown` resolves. Each source runs once at start, then on its schedule.
pub async fn run(ctx: Context, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let token = CancellationToken::new();
    let tracker = TaskTracker::new();
    // The review desk binds first: a port in use fails the start before any source runs.
    if ctx.cfg.review.enabled {
        let review = &ctx.cfg.review;
        let listener = crate::review::web::bind(review.listen, review.token.is_some()).await?;
        let desk = crate::review::web::Desk {
            store: ctx.store.clone(),
            segmenter: ctx.classifier.segmenter.clone(),
            token: review.token.clone(),
        };
        let stop = token.clone().cancelled_owned();
        tracker.spawn(async move {
            if let Err(e) = crate::review::web::serve(listener, desk, stop).await {
                tracing::error!(error = %e, "The review desk stopped.");
            }
        });
    }
    // Source runs that queue alerts wake the dispatcher at once instead of at its next tick.
    let wake = Arc::new(Notify::new());
    let mut jobs = Vec::new();
    for src in ctx.cfg.sources.clone() {
        // Capacity 1: a tick arriving while one is queued is dropped (no pile-up, no overlap).
        let (tx, rx) = mpsc::channel::<Tick>(1);
        let _ = tx.try_send(Tick); // first run at start
        jobs.push((src.schedule.clone(), tx));
        tracker.spawn(source_loop(
            ctx.clone(),
            src,
            rx,
            wake.clone(),
            token.clone(),
        ));
    }
    tracker.spawn(dispatch_loop(ctx.clone(), wake, token.clone()));
    let mut sched = schedule::start(jobs, ctx.cfg.timezone).await?;
    tracing::info!(sources = ctx.cfg.sources.len(), db = %ctx.store.path().display(), "windvane running.");

    shutdown.await;
    token.cancel();
    if let Err(e) = sched.shutdown().await {
        tracing::warn!(error = %e, "Scheduler did not stop cleanly.");
    }
    tracker.close();
    if tokio::time::timeout(ctx.cfg.shutdown_grace, tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            grace_s = ctx.cfg.shutdown_grace.as_secs(),
            tasks = tracker.len(),
            "Shutdown grace over; cutting short the runs still going."
        );
    }
    tracing::info!("windvane stopped.");
    Ok(())
}

async fn source_loop(
    ctx: Context,
    src: SourceConfig,
    mut ticks: mpsc::Receiver<Tick>,
    wake: Arc<Notify>,
    cancel: CancellationToken,
) {
    loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            t = ticks.recv() => match t {
                Some(Tick) => {
                    let report = pipeline::run_source(&ctx, &src).await;
                    if report.alerts_queued > 0 {
                        wake.notify_one();
                    }
                }
                None => break,
            },
        }
    }
}

async fn dispatch_loop(ctx: Context, wake: Arc<Notify>, cancel: CancellationToken) {
    let mut every = tokio::time::interval(ctx.cfg.dispatch_interval);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            _ = async { tokio::select! { _ = every.tick() => {}, _ = wake.notified() => {} } } => {
                if let Err(e) = alert::deliver(&ctx.store, ctx.fetcher.client(), &ctx.cfg, Utc::now()).await {
                    tracing::error!(error = %e, "Cannot deliver alerts; will retry.");
                }
            }
        }
    }
}
