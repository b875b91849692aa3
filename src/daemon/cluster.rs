//! The daemon in cluster mode (`[store] url`, issue 15): instead of a timer per source, one
//! claim loop takes due sources from PostgreSQL (leased, fenced, bounded by
//! `max_concurrency`, only through this instance's egress while it is not cooling down), reads
//! each with its kind's own client, classifies the new posts and commits posts,
//! classifications, alerts, the next due time and the lease's release in one fenced
//! transaction; a lease renewer runs beside each read. One outbox loop sends the channels
//! this instance holds a lease on (`alert::shared`). Every time that decides who owns what is
//! the database's `now()`.
//!
//! The database going away costs the runs in hand (their leases expire and the sources run
//! again); the loops log it once, retry on every poll and say when it is back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::{mpsc, Notify};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::recheck::maybe_recheck_in;
use super::{Signal, Stopped};
use crate::classify::Classification;
use crate::config::{ClusterConfig, SourceConfig};
use crate::ops::metrics::{ClusterEvent, Metrics};
use crate::pipeline::{classify_capped, retry_truncated, Context, RunError};
use crate::post::PostDetail;
use crate::sources::run::{Sink, Tally};
use crate::sources::weibo::cookies::VisitorCookies;
use crate::sources::Post;
use crate::states::ErrorKind;
use crate::store::pg::{
    Lease, PgError, PgStore, RunItem, RunOutcome, RunRecord, MAX_COOLDOWN_FACTOR,
};
use crate::store::Book;

/// How often the claim loop looks for due sources when nothing else wakes it.
const POLL: Duration = Duration::from_millis(500);
/// How long `run`/`once` keep trying to reach the database at start.
const CONNECT_PATIENCE: Duration = Duration::from_secs(60);

/// Connects to the shared database (retrying for `CONNECT_PATIENCE`: in a compose file the
/// database may start after the instances), applies its migrations, announces the instance
/// and upserts the configured sources.
pub async fn connect(ctx: &mut Context) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let Some(cluster) = ctx.cfg.cluster.clone() else {
        return Ok(());
    };
    let deadline = Instant::now() + CONNECT_PATIENCE;
    let specs: Vec<_> = ctx.cfg.sources.iter().map(spec_of).collect();
    // The whole start is retried, not only the first connection: a database that goes away
    // while the instance migrates or registers its sources (a restart of the database during
    // a rolling start) is waited for like one that is not up yet.
    // Every "cannot reach" gets its "reachable again", as in the claim loop: an operator
    // reading the log of an instance that started during an outage sees when it ended.
    let mut waited = false;
    let pg = loop {
        match start(&cluster, &specs).await {
            Ok(pg) => {
                if waited {
                    tracing::info!(url = %cluster.url, "PostgreSQL is reachable again; starting.");
                }
                break pg;
            }
            Err((e, _)) if e.is_unreachable() && Instant::now() < deadline => {
                waited = true;
                tracing::warn!(error = %e, url = %cluster.url, "Cannot reach PostgreSQL yet; retrying.");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err((e, doing)) => {
                return Err(e).with_context(|| format!("{doing} (`{}`)", cluster.url))
            }
        }
    };
    // Every instance on this egress uses (and renews) one visitor cookie, kept in the
    // database; login cookies stay in their file.
    ctx.visitor = Arc::new(VisitorCookies::shared(
        ctx.cfg.fetch.visitor_cooldown,
        pg.clone(),
        &cluster.egress,
    ));
    ctx.shared = Some(pg);
    Ok(())
}

/// One try at starting on the shared database: connect, apply its migrations, announce the
/// instance and upsert the configured sources (all idempotent, so a failed try is simply
/// retried). The error says what was being done.
async fn start(
    cluster: &ClusterConfig,
    specs: &[crate::store::pg::SourceSpec],
) -> Result<PgStore, (PgError, String)> {
    let pg = PgStore::connect_with(
        cluster
            .pg_config()
            .map_err(|e| (e, "cannot read the PostgreSQL settings".to_string()))?,
    )
    .await
    .map_err(|e| (e, "cannot connect".to_string()))?;
    let applied = pg
        .migrate()
        .await
        .map_err(|e| (e, "cannot apply the PostgreSQL migrations".to_string()))?;
    if applied > 0 {
        tracing::info!(applied, "PostgreSQL migrations applied.");
    }
    pg.announce(
        &cluster.instance_id,
        &cluster.egress,
        env!("CARGO_PKG_VERSION"),
    )
    .await
    .map_err(|e| (e, "cannot announce the instance".to_string()))?;
    for s in specs {
        pg.upsert_source(s)
            .await
            .map_err(|e| (e, format!("cannot register source `{}`", s.id)))?;
    }
    Ok(pg)
}

/// What the database keeps of a source: its interval (`every_secs`, a fallback only: each
/// run commits its next due time from the source's own schedule, cron, jitter and active
/// hours included; a cron source's fallback is an hour) and the egress it is pinned to.
fn spec_of(s: &SourceConfig) -> crate::store::pg::SourceSpec {
    let every = s.schedule.interval().unwrap_or(Duration::from_secs(3600));
    crate::store::pg::SourceSpec {
        id: s.id.clone(),
        kind: s.kind().to_string(),
        name: s.name.clone(),
        egress: s.egress.clone(),
        every,
    }
}

/// What every task of a cluster instance shares.
#[derive(Clone)]
struct Instance {
    ctx: Context,
    pg: PgStore,
    cluster: ClusterConfig,
    metrics: Arc<Metrics>,
    /// Runs that queue alerts wake the outbox loop.
    wake: Arc<Notify>,
    /// The database was unreachable at the last try (logged once per outage).
    db_down: Arc<AtomicBool>,
}

impl Instance {
    fn db_failed(&self, what: &str, e: &PgError) {
        if !e.is_unreachable() {
            tracing::error!(error = %e, doing = what, "PostgreSQL refused a statement; the run is redone when its lease expires.");
            return;
        }
        if !self.db_down.swap(true, Ordering::AcqRel) {
            tracing::error!(error = %e, doing = what, "PostgreSQL is unreachable; retrying until it is back (runs in hand are redone by whoever claims them next).");
        } else {
            tracing::debug!(error = %e, doing = what, "PostgreSQL still unreachable.");
        }
    }

    fn db_ok(&self) {
        if self.db_down.swap(false, Ordering::AcqRel) {
            tracing::info!("PostgreSQL is reachable again; resuming.");
        }
    }
}

/// Runs a cluster instance until a `Shutdown` signal: the claim loop, the outbox loop,
/// `/healthz` + `/metrics` and, with `[review] enabled`, the review desk on PostgreSQL. `ctx.shared` must be set (`connect`).
pub async fn run_with_signals(
    mut ctx: Context,
    mut signals: mpsc::Receiver<Signal>,
) -> anyhow::Result<Stopped> {
    let (Some(pg), Some(cluster)) = (ctx.shared.clone(), ctx.cfg.cluster.clone()) else {
        anyhow::bail!("cluster mode without a shared database (call daemon::cluster::connect)");
    };
    let mut metrics = Metrics::new();
    metrics.register_parses(ctx.parse_pool.metrics());
    let mut inst = Instance {
        ctx: ctx.clone(),
        pg: pg.clone(),
        cluster: cluster.clone(),
        metrics: Arc::new(metrics),
        wake: Arc::new(Notify::new()),
        db_down: Arc::new(AtomicBool::new(false)),
    };
    let listener_token = CancellationToken::new();
    // SIGHUP swaps the sources and alerts (`reload`); health reads the current ones.
    let (cfg_tx, cfg_rx) = tokio::sync::watch::channel(ctx.cfg.clone());
    // `/healthz` judges this instance's standing in the shared database; `/metrics` counts
    // this process's events.
    let judge = crate::ops::health::Judge::Cluster {
        pg: pg.clone(),
        cluster: cluster.clone(),
    };
    let listener = super::serve_health(
        ctx.cfg.metrics_listen,
        ctx.store.clone(),
        judge,
        cfg_rx,
        inst.metrics.clone(),
        listener_token.clone(),
    )
    .await;
    // Any instance serves the desk on the shared database (`[review] enabled`).
    let desk = super::start_desk(&ctx, pg.into(), &listener_token).await?;
    let mut loops = Loops::start(&inst);
    tracing::info!(
        instance = %cluster.instance_id,
        egress = %cluster.egress,
        lease_ttl_s = cluster.lease_ttl.as_secs_f64(),
        sources = ctx.cfg.sources.len(),
        alerts = ctx.cfg.alerts.len(),
        "windvane running in cluster mode."
    );
    while let Some(sig) = signals.recv().await {
        match sig {
            Signal::Shutdown => break,
            Signal::Reload => {
                if reload(&mut inst, &mut loops).await {
                    ctx.cfg = inst.ctx.cfg.clone();
                    let _ = cfg_tx.send(ctx.cfg.clone());
                }
            }
        }
    }
    let grace = ctx.cfg.shutdown_grace;
    tracing::info!(
        grace_s = grace.as_secs_f64(),
        "Shutting down: no new claims; finishing the runs in hand."
    );
    loops.token.cancel();
    listener_token.cancel();
    let stopped = tokio::select! {
        _ = loops.tracker.wait() => Stopped::Clean,
        _ = tokio::time::sleep(grace) => {
            tracing::warn!("Shutdown grace over; the runs still going are cut short (their leases expire and another instance redoes them).");
            Stopped::GraceExceeded
        }
        _ = async { while let Some(s) = signals.recv().await { if s == Signal::Shutdown { return; } } std::future::pending::<()>().await } => {
            tracing::warn!("Second signal: exiting at once (uncommitted runs are redone after their leases expire).");
            Stopped::Forced
        }
    };
    if stopped == Stopped::Clean {
        for h in [listener, desk].into_iter().flatten() {
            let _ = h.await;
        }
    }
    tracing::info!(how = ?stopped, "windvane stopped.");
    Ok(stopped)
}

/// The claim loop and the outbox loop of one configuration: stopped and started again whole
/// when SIGHUP brings new sources or alerts.
struct Loops {
    token: CancellationToken,
    tracker: TaskTracker,
}

impl Loops {
    fn start(inst: &Instance) -> Loops {
        let (token, tracker) = (CancellationToken::new(), TaskTracker::new());
        tracker.spawn(claim_loop(inst.clone(), token.clone()));
        tracker.spawn(outbox_loop(inst.clone(), token.clone()));
        tracker.close();
        Loops { token, tracker }
    }
}

/// SIGHUP: re-reads the configuration as one process does (`reread_config`: a file with
/// problems is logged and the running configuration stays), registers new and changed
/// sources in the shared database, and restarts the claim and outbox loops with the new
/// sources and alerts (the runs in hand finish and commit first, within the grace). Returns
/// whether the new configuration was taken.
///
/// A source removed from this instance's file is simply no longer claimed *by this
/// instance*: an instance only ever claims the sources of its own configuration
/// (`claim_due_among`), so another instance that still has it configured keeps running it,
/// and its row, posts and alerts stay in the database (nothing is deleted or flagged, so
/// nothing is lost, and a later reload that adds it back resumes at its stored due time).
/// A run of it already in hand finishes under its lease and commits fenced, so it is never
/// fetched by two instances at once; a source no instance configures any more simply stops
/// being fetched.
async fn reload(inst: &mut Instance, loops: &mut Loops) -> bool {
    let Some(new) = super::reread_config(&inst.ctx.cfg).await else {
        return false;
    };
    for s in &new.sources {
        if let Err(e) = inst.pg.upsert_source(&spec_of(s)).await {
            inst.db_failed("registering a reloaded source", &e);
            tracing::error!(source = %s.id, error = %e, "Reload failed: cannot register the source in PostgreSQL; the running configuration stays.");
            return false;
        }
    }
    let (old, new) = (inst.ctx.cfg.clone(), Arc::new(new));
    let ids = |c: &crate::config::Config| -> Vec<String> {
        c.sources.iter().map(|s| s.id.clone()).collect()
    };
    let (old_ids, new_ids) = (ids(&old), ids(&new));
    let added: Vec<&String> = new_ids.iter().filter(|i| !old_ids.contains(i)).collect();
    let removed: Vec<&String> = old_ids.iter().filter(|i| !new_ids.contains(i)).collect();
    loops.token.cancel();
    if tokio::time::timeout(new.shutdown_grace, loops.tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("Runs in hand outlast the grace; the new configuration starts beside them (they still commit only under their leases).");
    }
    inst.ctx.cfg = new;
    *loops = Loops::start(inst);
    tracing::info!(
        sources = inst.ctx.cfg.sources.len(),
        alerts = inst.ctx.cfg.alerts.len(),
        added = ?added,
        removed = ?removed,
        "Configuration reloaded."
    );
    true
}

/// One pass for `once`: claims every due configured source (in rounds of
/// `max_concurrency`) and runs it, then sends the channels this instance can take. Returns
/// (runs committed, runs failed or refused).
pub async fn run_once(ctx: &Context) -> anyhow::Result<(usize, usize)> {
    let (Some(pg), Some(cluster)) = (ctx.shared.clone(), ctx.cfg.cluster.clone()) else {
        anyhow::bail!("cluster mode without a shared database (call daemon::cluster::connect)");
    };
    let inst = Instance {
        ctx: ctx.clone(),
        pg,
        cluster,
        metrics: Arc::new(Metrics::new()),
        wake: Arc::new(Notify::new()),
        db_down: Arc::new(AtomicBool::new(false)),
    };
    let ids: Vec<String> = ctx.cfg.sources.iter().map(|s| s.id.clone()).collect();
    let (mut ok, mut failed) = (0, 0);
    loop {
        let limit = i64::try_from(ctx.cfg.max_concurrency.max(1)).unwrap_or(1);
        let leases = inst
            .pg
            .claim_due_among(
                &inst.cluster.instance_id,
                &inst.cluster.egress,
                limit,
                inst.cluster.lease_ttl,
                Some(&ids),
            )
            .await?;
        if leases.is_empty() {
            break;
        }
        let mut set = JoinSet::new();
        for l in leases {
            set.spawn(run_leased(inst.clone(), l));
        }
        while let Some(r) = set.join_next().await {
            match r {
                Ok(true) => ok += 1,
                _ => failed += 1,
            }
        }
    }
    send_held_channels(&inst, &mut Vec::new()).await;
    Ok((ok, failed))
}

/// Claims due sources while there is room, runs each on its own task, and keeps the
/// instance's roster row fresh.
async fn claim_loop(inst: Instance, cancel: CancellationToken) {
    let ids: Vec<String> = inst.ctx.cfg.sources.iter().map(|s| s.id.clone()).collect();
    let cap = inst.ctx.cfg.max_concurrency.max(1);
    let mut running: JoinSet<bool> = JoinSet::new();
    let mut heartbeat = tokio::time::interval(inst.cluster.lease_ttl / 3);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let poll = POLL.min(inst.cluster.lease_ttl / 4);
    loop {
        while running.try_join_next().is_some() {}
        if cancel.is_cancelled() {
            break;
        }
        let free = cap.saturating_sub(running.len());
        if free > 0 {
            match inst
                .pg
                .claim_due_among(
                    &inst.cluster.instance_id,
                    &inst.cluster.egress,
                    i64::try_from(free).unwrap_or(1),
                    inst.cluster.lease_ttl,
                    Some(&ids),
                )
                .await
            {
                Ok(leases) => {
                    inst.db_ok();
                    for l in leases {
                        tracing::debug!(source = %l.source_id, fence = l.fence, "Claimed.");
                        running.spawn(run_leased(inst.clone(), l));
                    }
                }
                Err(e) => {
                    inst.metrics.record_cluster(ClusterEvent::ClaimFailed);
                    inst.db_failed("claiming due sources", &e);
                }
            }
        }
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            _ = heartbeat.tick() => {
                let c = &inst.cluster;
                if let Err(e) = inst.pg.announce(&c.instance_id, &c.egress, env!("CARGO_PKG_VERSION")).await {
                    inst.db_failed("announcing the instance", &e);
                }
            }
            Some(_) = running.join_next(), if !running.is_empty() => {}
            _ = tokio::time::sleep(poll) => {}
        }
    }
    // Shutdown: the runs in hand finish (and commit) within the daemon's grace.
    while running.join_next().await.is_some() {}
}

/// One leased run: read (with the lease renewed beside it), classify, commit fenced.
/// Returns whether the run was committed as a success.
#[tracing::instrument(skip_all, fields(source = %lease.source_id, fence = lease.fence))]
async fn run_leased(inst: Instance, lease: Lease) -> bool {
    let started = Instant::now();
    let Some(src) = inst
        .ctx
        .cfg
        .sources
        .iter()
        .find(|s| s.id == lease.source_id)
        .cloned()
    else {
        return false;
    };
    let timing = crate::schedule::Timing {
        schedule: src.schedule.clone(),
        tz: inst.ctx.cfg.timezone,
        jitter: src.watch.schedule_jitter,
        active: src.watch.active_hours,
    };
    // Outside its active hours a claimed source is given back unread, due at their opening
    // (one process skips such ticks the same way). The time is the database's, at the claim.
    if let Some(active) = timing.active {
        let opens = active.next_open(lease.claimed_at, timing.tz);
        if opens > lease.claimed_at {
            let wait = (opens - lease.claimed_at).to_std().unwrap_or_default();
            tracing::debug!(source = %src.id, opens = %opens, "Outside active hours; deferred.");
            match inst.pg.defer(&lease, wait).await {
                Ok(_) => inst.db_ok(),
                Err(e) => inst.db_failed("deferring a source outside its active hours", &e),
            }
            return false;
        }
    }
    let renewer = tokio::spawn(renew_while_running(inst.clone(), lease.clone()));
    let env = inst.ctx.env(&src);
    let mut sink = Collect {
        ctx: &inst.ctx,
        src: &src,
        items: Vec::new(),
        tally: Tally::default(),
    };
    let read = src.spec.read(&env, &mut sink).await;
    // Edits and deletions, at the source's own recheck pace, under the same lease (so never
    // two instances at once) and before the run's commit gives it back; each of its writes
    // is fenced. After a failed read the host would fail the recheck too: it waits.
    if read.is_ok() {
        recheck_leased(&inst, &src, &lease, started).await;
    }
    let Collect { items, tally, .. } = sink;
    // Stored previews (Weibo long texts, HTML articles) get another chance at their full
    // text, as in one process, under the same lease and fenced; this run's own new previews
    // were tried during the read (`tally.tried`) and are not in the database yet.
    let mut completed = crate::pipeline::SourceReport::default();
    if read.is_ok() && src.spec.completes() {
        let book = Book::Shared {
            pg: &inst.pg,
            lease: &lease,
        };
        match retry_truncated(&inst.ctx, &src, book, &tally.tried, &mut completed).await {
            Ok(()) => {
                if completed.alerts_queued > 0 {
                    inst.wake.notify_one();
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "Completing stored previews failed; the next run tries again.")
            }
        }
    }
    renewer.abort();
    let error = read
        .as_ref()
        .err()
        .map(|e| inst.ctx.cfg.redact(&e.to_string()));
    let error_kind = read
        .as_ref()
        .err()
        .map(|e| e.kind_and_state().0.to_string());
    if let Err(e) = &read {
        if refused_by_host(e) {
            cool_down(&inst).await;
        }
    }
    let outcome = match &read {
        Ok(_) => RunOutcome::Ok,
        Err(e) => RunOutcome::Failed(e.kind_and_state().1),
    };
    // The next due time from the source's own schedule (interval or cron, jitter, active
    // hours), counted on the database's clock.
    let db_now = db_now(&lease, started);
    let next_in = match timing.next_due(db_now, timing.draw_jitter()) {
        Some(due) => (due - db_now).to_std().unwrap_or_default(),
        None => {
            tracing::warn!(source = %src.id, "The cron line has no future occurrence; the source will not run again.");
            crate::duration::MAX_DURATION
        }
    };
    let run = RunRecord {
        items: &items,
        outcome,
        error: error.as_deref(),
        fetched: tally.fetched,
        next_in: Some(next_in),
    };
    match inst.pg.commit_run_record(&lease, &run).await {
        Ok(c) => {
            inst.db_ok();
            if c.alerts_queued > 0 {
                inst.wake.notify_one();
            }
            if let Ok(Some(page)) = read {
                let sid = src.id.clone();
                let _ = inst
                    .ctx
                    .store
                    .call(move |s| {
                        s.remember_page(&sid, &page.url, &page.validators, page.matched, Utc::now())
                    })
                    .await;
            }
            let report = crate::pipeline::SourceReport {
                source_id: src.id.clone(),
                fetched: tally.fetched,
                new_posts: usize::try_from(c.new_posts).unwrap_or(usize::MAX),
                flagged: usize::try_from(c.flagged)
                    .unwrap_or(usize::MAX)
                    .saturating_add(completed.flagged),
                alerts_queued: usize::try_from(c.alerts_queued)
                    .unwrap_or(usize::MAX)
                    .saturating_add(completed.alerts_queued),
                long_texts_completed: tally.long_texts_completed + completed.long_texts_completed,
                flagged_labels: completed.flagged_labels,
                error_kind,
                error: error.clone(),
                duration: started.elapsed(),
                ..Default::default()
            };
            inst.metrics.record_run(&report);
            match &error {
                None => {
                    if let Err(e) = inst.pg.egress_healthy(&inst.cluster.egress).await {
                        tracing::debug!(error = %e, "Cannot clear the egress strikes.");
                    }
                    tracing::info!(
                        fetched = tally.fetched,
                        new = c.new_posts,
                        flagged = c.flagged,
                        alerted = c.alerts_queued,
                        long_texts_completed = report.long_texts_completed,
                        duration_ms = report.duration.as_millis() as u64,
                        "Source run done."
                    );
                    true
                }
                Some(e) => {
                    tracing::warn!(error = %e, "Source run failed; the source is due again at its next interval.");
                    false
                }
            }
        }
        Err(e @ PgError::LeaseLost { .. }) => {
            inst.metrics.record_cluster(ClusterEvent::LeaseLost);
            tracing::warn!(error = %e, "Lease lost: another instance took the source over; this run's commit was refused and rolled back.");
            false
        }
        Err(e) => {
            inst.metrics.record_cluster(ClusterEvent::CommitFailed);
            inst.db_failed("committing a run", &e);
            false
        }
    }
}

/// Rechecks a leased source when its `recheck_every` has passed (see `daemon::recheck`);
/// its change alerts wake the outbox.
async fn recheck_leased(inst: &Instance, src: &SourceConfig, lease: &Lease, started: Instant) {
    let book = Book::Shared {
        pg: &inst.pg,
        lease,
    };
    let now = db_now(lease, started);
    if let Some(Ok(r)) = maybe_recheck_in(&inst.ctx, src, book, now).await {
        inst.metrics.record_change(&src.id, "edited", r.edited);
        inst.metrics.record_change(&src.id, "deleted", r.deleted);
        inst.metrics
            .record_change(&src.id, "invisible", r.invisible);
        if r.alerts_queued > 0 {
            inst.wake.notify_one();
        }
    }
}

/// The database's time now, as a run counts it: its time at the claim plus what the run has
/// taken since (never an instance's own clock).
fn db_now(lease: &Lease, started: Instant) -> chrono::DateTime<Utc> {
    lease.claimed_at
        + chrono::Duration::from_std(started.elapsed()).unwrap_or_else(|_| chrono::Duration::zero())
}

/// Whether the host refused this egress (418, 429, or a refusal that a fresh visitor cookie
/// did not cure): every instance fetching through it should back off.
fn refused_by_host(e: &RunError) -> bool {
    match e {
        RunError::Fetch(f) => matches!(f.kind(), ErrorKind::Http418 | ErrorKind::Http429),
        RunError::Blocked(_) => true,
        _ => false,
    }
}

async fn cool_down(inst: &Instance) {
    let base = inst.cluster.egress_cooldown;
    match inst
        .pg
        .cool_down(&inst.cluster.egress, base, base * MAX_COOLDOWN_FACTOR)
        .await
    {
        Ok(d) => {
            inst.metrics.record_cluster(ClusterEvent::EgressCooledDown);
            tracing::warn!(egress = %inst.cluster.egress, cooldown_s = d.as_secs_f64(), "The host refused this egress; every instance on it backs off (unpinned sources go to other egresses).");
        }
        Err(e) => inst.db_failed("cooling the egress down", &e),
    }
}

/// Renews a lease every third of its TTL while its run goes on; stops when it is lost.
async fn renew_while_running(inst: Instance, lease: Lease) {
    let every = inst.cluster.lease_ttl / 3;
    loop {
        tokio::time::sleep(every).await;
        match inst.pg.renew(&lease, inst.cluster.lease_ttl).await {
            Ok(true) => tracing::debug!("Lease renewed."),
            Ok(false) => {
                tracing::warn!(
                    "The lease was taken over during the run; its commit will be refused."
                );
                return;
            }
            Err(e) => inst.db_failed("renewing a lease", &e),
        }
    }
}

/// The cluster side of a read: new posts are classified at once and kept for the run's one
/// fenced commit (nothing is written before it).
struct Collect<'a> {
    ctx: &'a Context,
    src: &'a SourceConfig,
    items: Vec<RunItem>,
    tally: Tally,
}

impl Sink for Collect<'_> {
    async fn store(&mut self, posts: Vec<Post>) -> Result<(), RunError> {
        if posts.is_empty() {
            return Ok(());
        }
        let classifier = self.ctx.classifier.clone();
        let detail_of = self.src.spec.detail_reader();
        let now = Utc::now();
        let classified: Vec<(Post, Classification, PostDetail)> =
            tokio::task::spawn_blocking(move || {
                posts
                    .into_iter()
                    .map(|p| {
                        let (c, _) = classify_capped(&classifier, &p.full_text());
                        let d = detail_of(&p, now);
                        (p, c, d)
                    })
                    .collect()
            })
            .await
            .map_err(|e| RunError::Parse(format!("classifier task failed: {e}")))?;
        for (p, c, d) in classified {
            let alerts =
                crate::alert::plan(&self.src.id, &self.src.name, &p, &c, &self.ctx.cfg.alerts);
            self.items.push(RunItem::new(&p, c, alerts).with_detail(d));
        }
        Ok(())
    }

    fn tally(&mut self) -> &mut Tally {
        &mut self.tally
    }
}

/// Sends every channel this instance holds or can take; `held` collects the leases taken.
async fn send_held_channels(inst: &Instance, held: &mut Vec<crate::store::pg::ChannelLease>) {
    let alerting = crate::alert::Alerting::from(&*inst.ctx.cfg);
    // Any instance may open an operator incident: the database keeps it to one per incident.
    if let Err(e) = crate::alert::shared::raise_operator(&inst.pg, &alerting).await {
        inst.db_failed("raising operator alerts", &e);
    }
    for ch in &inst.ctx.cfg.alerts {
        let lease = match inst
            .pg
            .take_channel(&ch.id, &inst.cluster.instance_id, inst.cluster.lease_ttl)
            .await
        {
            Ok(Some(l)) => l,
            Ok(None) => {
                held.retain(|l| l.channel_id != ch.id);
                continue;
            }
            Err(e) => {
                inst.db_failed("taking an alert channel", &e);
                continue;
            }
        };
        if !held.iter().any(|l| l == &lease) {
            held.retain(|l| l.channel_id != ch.id);
            tracing::info!(channel = %ch.id, fence = lease.fence, "Sending this alert channel.");
            held.push(lease.clone());
        }
        match crate::alert::shared::send_channel(
            &inst.pg,
            inst.ctx.fetcher.alert_client(),
            &alerting,
            ch,
            &lease,
        )
        .await
        {
            Ok(d) => inst.metrics.record_dispatch(&d),
            Err(e) => inst.db_failed("sending alerts", &e),
        }
    }
}

/// Every `dispatch_interval` (or when a run queued alerts) sends the channels this instance
/// holds or can take; at shutdown lets them go so another instance sends at once.
async fn outbox_loop(inst: Instance, cancel: CancellationToken) {
    let every = inst
        .ctx
        .cfg
        .dispatch_interval
        .min(inst.cluster.lease_ttl / 3);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut held = Vec::new();
    loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            _ = tick.tick() => {}
            _ = inst.wake.notified() => {}
        }
        send_held_channels(&inst, &mut held).await;
    }
    for l in &held {
        if let Err(e) = inst.pg.release_channel(l).await {
            tracing::debug!(channel = %l.channel_id, error = %e, "Cannot release the channel; its lease expires.");
        }
    }
}
