//! Daemon metrics in the Prometheus text format (prometheus-client). Counters and the fetch
//! duration histogram are fed by the daemon's loops; the outbox and last-success gauges are
//! read from the database at each scrape, so they survive restarts and never drift.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::alert::DispatchReport;
use crate::config::Config;
use crate::pipeline::SourceReport;
use crate::schedule::Skip;
use crate::store::Store;

type Labels = Vec<(&'static str, String)>;

fn source(id: &str) -> Labels {
    vec![("source", id.to_string())]
}

fn new_histogram() -> Histogram {
    // 50 ms … ~100 s.
    Histogram::new(exponential_buckets(0.05, 2.0, 12))
}

pub struct Metrics {
    registry: Registry,
    fetches: Family<Labels, Counter>,
    failures: Family<Labels, Counter>,
    posts_stored: Family<Labels, Counter>,
    flagged: Family<Labels, Counter>,
    ticks_skipped: Family<Labels, Counter>,
    alerts_delivered: Family<Labels, Counter>,
    alerts_outbox: Family<Labels, Gauge>,
    last_success: Family<Labels, Gauge<f64, AtomicU64>>,
    fetch_duration: Family<Labels, Histogram, fn() -> Histogram>,
    changes: Family<Labels, Counter>,
    store_writable: Gauge,
    alerts_unrecorded: Gauge,
    cluster: Family<Labels, Counter>,
}

/// What cluster mode counts (issue 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterEvent {
    /// A run's commit was refused: its lease had been taken over (stale fence).
    LeaseLost,
    /// A run read its source but the shared database did not take the commit.
    CommitFailed,
    /// Claiming due sources failed (the database is unreachable or restarting).
    ClaimFailed,
    /// This instance set a cool-down on its egress (418 or a refusal).
    EgressCooledDown,
}

impl ClusterEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterEvent::LeaseLost => "lease-lost",
            ClusterEvent::CommitFailed => "commit-failed",
            ClusterEvent::ClaimFailed => "claim-failed",
            ClusterEvent::EgressCooledDown => "egress-cooled-down",
        }
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("windvane");
        let m = Metrics {
            fetches: Family::default(),
            failures: Family::default(),
            posts_stored: Family::default(),
            flagged: Family::default(),
            ticks_skipped: Family::default(),
            alerts_delivered: Family::default(),
            alerts_outbox: Family::default(),
            last_success: Family::default(),
            fetch_duration: Family::new_with_constructor(new_histogram),
            changes: Family::default(),
            store_writable: Gauge::default(),
            alerts_unrecorded: Gauge::default(),
            cluster: Family::default(),
            registry: Registry::default(),
        };
        registry.register(
            "fetches",
            "Source runs (fetch, parse, store), by source",
            m.fetches.clone(),
        );
        registry.register(
            "fetch_failures",
            "Failed source runs, by source and kind",
            m.failures.clone(),
        );
        registry.register(
            "posts_stored",
            "New posts stored, by source",
            m.posts_stored.clone(),
        );
        registry.register(
            "posts_flagged",
            "New posts flagged, by label",
            m.flagged.clone(),
        );
        registry.register(
            "ticks_skipped",
            "Schedule ticks that started no run, by source and reason (overlap, inactive)",
            m.ticks_skipped.clone(),
        );
        registry.register(
            "alerts_delivered",
            "Alert send outcomes since start: sent, retrying, failed",
            m.alerts_delivered.clone(),
        );
        registry.register(
            "alerts",
            "Outbox rows by status (pending, sent, failed), read from the database",
            m.alerts_outbox.clone(),
        );
        registry.register(
            "last_success_timestamp_seconds",
            "Unix time of each source's last successful run, read from the database",
            m.last_success.clone(),
        );
        registry.register(
            "fetch_duration_seconds",
            "Duration of source runs, by source",
            m.fetch_duration.clone(),
        );
        registry.register(
            "post_changes",
            "Edits and confirmed deletions seen by rechecks, by source and kind",
            m.changes.clone(),
        );
        registry.register(
            "store_writable",
            "1 when the database took a write probe at the last scrape",
            m.store_writable.clone(),
        );
        registry.register(
            "alert_outcomes_unrecorded",
            "Alert outcomes the database refused, kept in memory; their channels are paused",
            m.alerts_unrecorded.clone(),
        );
        registry.register(
            "cluster_events",
            "Cluster mode: lease-lost (stale commits refused), commit-failed, claim-failed, egress-cooled-down",
            m.cluster.clone(),
        );
        Metrics { registry, ..m }
    }

    /// Registers the parse pool's overrun counters and gauges (`sources::parse_pool`).
    pub fn register_parses(&mut self, p: &crate::pipeline::ParseMetrics) {
        self.registry.register(
            "parse_overruns",
            "Parses past their time budget, by outcome: abandoned (slot given back) or held-slot (the cap of abandoned parses was reached)",
            p.overruns.clone(),
        );
        self.registry.register(
            "parses_refused",
            "Parses not started, by reason: still-running (the source's overrun parse runs on) or cap-reached (its last parse overran and every abandoned place is taken)",
            p.refused.clone(),
        );
        self.registry.register(
            "parses_abandoned",
            "Parses past their budget still running without a slot",
            p.abandoned.clone(),
        );
        self.registry.register(
            "parse_slots_busy",
            "Parse slots in use by parses within their budget",
            p.busy.clone(),
        );
    }

    /// One source run.
    pub fn record_run(&self, r: &SourceReport) {
        let s = source(&r.source_id);
        if r.skipped {
            self.ticks_skipped
                .get_or_create(&vec![
                    ("source", r.source_id.clone()),
                    ("reason", "circuit-open".into()),
                ])
                .inc();
            return;
        }
        self.fetches.get_or_create(&s).inc();
        self.fetch_duration
            .get_or_create(&s)
            .observe(r.duration.as_secs_f64());
        if let Some(kind) = &r.error_kind {
            self.failures
                .get_or_create(&vec![
                    ("source", r.source_id.clone()),
                    ("kind", kind.clone()),
                ])
                .inc();
        }
        self.posts_stored
            .get_or_create(&s)
            .inc_by(r.new_posts as u64);
        for l in &r.flagged_labels {
            self.flagged
                .get_or_create(&vec![("label", l.clone())])
                .inc();
        }
    }

    pub fn record_skip(&self, source_id: &str, skip: Skip) {
        self.ticks_skipped
            .get_or_create(&vec![
                ("source", source_id.to_string()),
                ("reason", skip.as_str().into()),
            ])
            .inc();
    }

    pub fn record_dispatch(&self, d: &DispatchReport) {
        for (outcome, n) in [
            ("sent", d.sent),
            ("retrying", d.retrying),
            ("failed", d.failed),
            ("paused", d.paused),
        ] {
            self.alerts_delivered
                .get_or_create(&vec![("outcome", outcome.into())])
                .inc_by(n as u64);
        }
    }

    pub fn record_cluster(&self, e: ClusterEvent) {
        self.cluster
            .get_or_create(&vec![("event", e.as_str().into())])
            .inc();
    }

    pub fn record_change(&self, source_id: &str, kind: &str, n: usize) {
        if n > 0 {
            self.changes
                .get_or_create(&vec![
                    ("source", source_id.to_string()),
                    ("kind", kind.to_string()),
                ])
                .inc_by(n as u64);
        }
    }

    /// Refreshes the database-backed gauges and renders every metric. Blocking (SQLite).
    pub fn render(&self, store: &Store, cfg: &Config) -> String {
        if let Ok(c) = store.outbox_counts() {
            for (status, n) in [
                ("pending", c.pending),
                ("sent", c.sent),
                ("failed", c.failed),
            ] {
                self.alerts_outbox
                    .get_or_create(&vec![("status", status.into())])
                    .set(n);
            }
        }
        if let Ok(statuses) = store.source_statuses() {
            for st in statuses
                .iter()
                .filter(|st| cfg.sources.iter().any(|s| s.id == st.id))
            {
                if let Some(t) = st
                    .last_success_at
                    .as_deref()
                    .and_then(crate::store::parse_ts)
                {
                    self.last_success
                        .get_or_create(&source(&st.id))
                        .set(t.timestamp() as f64);
                }
            }
        }
        self.store_writable
            .set(i64::from(store.check_writable().is_ok()));
        self.alerts_unrecorded.set(store.unrecorded_count() as i64);
        let mut out = String::new();
        if let Err(e) = encode(&mut out, &self.registry) {
            tracing::warn!(error = %e, "Cannot encode metrics.");
        }
        out
    }
}
