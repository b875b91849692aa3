//! How the daemon is doing: one evaluation shared by `GET /healthz`, `windvane status` and the
//! Docker HEALTHCHECK, and the small HTTP listener serving `/healthz` and `/metrics`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::ops::metrics::Metrics;
use crate::states::SourceState;
use crate::store::pg::{ClusterConfig, PgError, PgStore, RosterRow, SourceRow};
use crate::store::{OutboxCounts, Store};

#[derive(Debug, Clone, Serialize)]
pub struct SourceHealth {
    pub id: String,
    pub kind: String,
    pub state: SourceState,
    pub last_run_at: Option<String>,
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
    pub posts: i64,
    pub stale_after_s: u64,
    /// A success within `stale_after`.
    pub fresh: bool,
    pub needs_cookie: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// What `/healthz` answers: the store takes writes, and at least one source is fresh or
    /// some source has not had its first run yet (`starting`).
    pub healthy: bool,
    /// `starting` while some source has not had its first run since the daemon started and
    /// none is fresh yet; else `ok` or `unhealthy`.
    pub status: &'static str,
    /// Something only an operator can fix: an unwritable store, a source that needs a cookie
    /// or new selectors or went stale, alerts that gave up.
    pub needs_operator: bool,
    pub reasons: Vec<String>,
    pub writable: bool,
    pub sources: Vec<SourceHealth>,
    pub outbox: Outbox,
}

#[derive(Debug, Clone, Copy, Serialize, Default)]
pub struct Outbox {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

impl From<OutboxCounts> for Outbox {
    fn from(c: OutboxCounts) -> Self {
        Outbox {
            pending: c.pending,
            sent: c.sent,
            failed: c.failed,
        }
    }
}

/// Evaluates the configured sources against the database. Blocking (SQLite).
pub fn evaluate(store: &Store, cfg: &Config, now: DateTime<Utc>) -> Health {
    let mut reasons = Vec::new();
    let writable = match store.check_writable() {
        Ok(()) => true,
        Err(e) => {
            reasons.push(format!("the database does not take writes: {e}"));
            false
        }
    };
    let statuses = match store.source_statuses() {
        Ok(s) => s,
        Err(e) => {
            reasons.push(format!("cannot read the sources: {e}"));
            Vec::new()
        }
    };
    let outbox: Outbox = match store.outbox_counts() {
        Ok(c) => c.into(),
        Err(e) => {
            reasons.push(format!("cannot read the outbox: {e}"));
            Outbox::default()
        }
    };
    let mut sources = Vec::new();
    let mut needs_operator = !writable;
    for s in &cfg.sources {
        let st = statuses.iter().find(|st| st.id == s.id);
        let last_success = st
            .and_then(|st| st.last_success_at.as_deref())
            .and_then(crate::store::parse_ts);
        let stale_after =
            chrono::Duration::from_std(s.watch.stale_after).unwrap_or(chrono::Duration::MAX);
        let fresh = last_success.is_some_and(|t| now - t <= stale_after);
        // No row yet: the source has never run.
        let state = st.map_or(SourceState::New, |st| st.state);
        if state.needs_operator() {
            needs_operator = true;
            reasons.push(format!("source `{}` is {state}", s.id));
        } else if state.is_starting() {
            // Its first run is still to come: not stale, whatever an earlier process left.
        } else if !fresh {
            // A source that never ran yet is not stale: the daemon may just have started.
            let last_run = st
                .and_then(|st| st.last_run_at.as_deref())
                .and_then(crate::store::parse_ts);
            let ago = |t: DateTime<Utc>| {
                humantime::format_duration(Duration::from_secs(
                    (now - t).num_seconds().max(0) as u64
                ))
            };
            match (last_success, last_run) {
                (Some(ok), _) => {
                    needs_operator = true;
                    reasons.push(format!(
                        "source `{}` last succeeded {} ago, at {} (stale after {})",
                        s.id,
                        ago(ok),
                        crate::store::ts(ok),
                        humantime::format_duration(s.watch.stale_after)
                    ));
                }
                (None, Some(run)) => {
                    needs_operator = true;
                    reasons.push(format!(
                        "source `{}` has never succeeded (last tried {} ago, at {})",
                        s.id,
                        ago(run),
                        crate::store::ts(run)
                    ));
                }
                (None, None) => {}
            }
        }
        sources.push(SourceHealth {
            id: s.id.clone(),
            kind: s.kind().to_string(),
            needs_cookie: state == SourceState::NeedsCookie,
            state,
            last_run_at: st.and_then(|st| st.last_run_at.clone()),
            last_success_at: st.and_then(|st| st.last_success_at.clone()),
            last_error: st.and_then(|st| st.last_error.clone()),
            posts: st.map(|st| st.posts).unwrap_or(0),
            stale_after_s: s.watch.stale_after.as_secs(),
            fresh,
        });
    }
    if outbox.failed > 0 {
        needs_operator = true;
        reasons.push(format!(
            "{} alerts failed for good; retry them once the channel works",
            outbox.failed
        ));
    }
    let any_fresh = sources.iter().any(|s| s.fresh);
    let starting = sources.iter().any(|s| s.state.is_starting());
    if !any_fresh && !starting {
        reasons.push(if cfg.sources.is_empty() {
            "no source is configured".into()
        } else {
            "no source succeeded within its stale_after".into()
        });
    }
    let healthy = writable && (any_fresh || starting);
    Health {
        healthy,
        status: match (healthy, any_fresh) {
            (true, false) => "starting",
            (true, true) => "ok",
            (false, _) => "unhealthy",
        },
        needs_operator,
        reasons,
        writable,
        sources,
        outbox,
    }
}

/// A cluster instance's health, from the shared database (database time): what a cluster
/// instance's `/healthz` answers and `windvane status` prints in cluster mode.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterHealth {
    pub instance: String,
    /// The database answers and this instance announced itself within three lease TTLs
    /// (its claim loop is alive): `/healthz` 200, `status --health` exit 0.
    pub healthy: bool,
    pub instances: Vec<RosterRow>,
    pub sources: Vec<SourceRow>,
    pub cooling_egresses: Vec<CoolingEgress>,
    /// Alerts per status.
    pub outbox: std::collections::BTreeMap<String, i64>,
    /// What needs an operator: this instance silent, sources failing three runs in a row or
    /// more, alerts that gave up.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoolingEgress {
    pub egress: String,
    pub secs_left: f64,
}

impl ClusterHealth {
    /// Sources that failed three runs in a row or more.
    pub fn failing(&self) -> impl Iterator<Item = &SourceRow> {
        self.sources.iter().filter(|s| s.consecutive_failures >= 3)
    }
}

/// Reads a cluster instance's health from the shared database.
pub async fn evaluate_cluster(pg: &PgStore, c: &ClusterConfig) -> Result<ClusterHealth, PgError> {
    let instances = pg.roster().await?;
    let sources = pg.source_rows().await?;
    let cooling = pg.cooling_egresses().await?;
    let outbox: std::collections::BTreeMap<String, i64> =
        pg.alert_counts().await?.into_iter().collect();
    let me_alive = instances
        .iter()
        .any(|r| r.id == c.instance_id && r.seen_secs_ago < 3.0 * c.lease_ttl.as_secs_f64());
    let mut h = ClusterHealth {
        instance: c.instance_id.clone(),
        healthy: me_alive,
        instances,
        sources,
        cooling_egresses: cooling
            .into_iter()
            .map(|(egress, left)| CoolingEgress {
                egress,
                secs_left: left.as_secs_f64(),
            })
            .collect(),
        reasons: Vec::new(),
        outbox,
    };
    if !me_alive {
        h.reasons.push(format!(
            "instance `{}` has not announced itself within 3 × lease_ttl",
            c.instance_id
        ));
    }
    let failing = h.failing().count();
    if failing > 0 {
        h.reasons
            .push(format!("{failing} sources failed 3 runs in a row or more"));
    }
    let failed_alerts = h.outbox.get("failed").copied().unwrap_or(0);
    if failed_alerts > 0 {
        h.reasons.push(format!("{failed_alerts} alerts gave up"));
    }
    Ok(h)
}

/// What `/healthz` judges: one process's SQLite store, or a cluster instance's standing in
/// the shared database.
#[derive(Clone)]
pub enum Judge {
    Local,
    Cluster { pg: PgStore, cluster: ClusterConfig },
}

#[derive(Clone)]
struct Web {
    store: Store,
    judge: Judge,
    cfg: watch::Receiver<Arc<Config>>,
    metrics: Arc<Metrics>,
}

async fn healthz(State(w): State<Web>) -> Response {
    let answer = |healthy: bool, body: serde_json::Value| {
        let code = if healthy {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        (code, axum::Json(body)).into_response()
    };
    match &w.judge {
        Judge::Local => {
            let cfg = w.cfg.borrow().clone();
            let store = w.store.clone();
            let health = store.call(move |s| evaluate(s, &cfg, Utc::now())).await;
            answer(health.healthy, serde_json::json!(health))
        }
        Judge::Cluster { pg, cluster } => match evaluate_cluster(pg, cluster).await {
            Ok(h) => answer(h.healthy, serde_json::json!(h)),
            // The shared database is this instance's work queue: without it it does nothing.
            Err(e) => answer(
                false,
                serde_json::json!({
                    "instance": cluster.instance_id,
                    "healthy": false,
                    "reasons": [format!("the shared database does not answer: {e}")],
                }),
            ),
        },
    }
}

async fn metrics_page(State(w): State<Web>) -> Response {
    let cfg = w.cfg.borrow().clone();
    let m = w.metrics.clone();
    let body = w.store.call(move |s| m.render(s, &cfg)).await;
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Binds `/healthz` and `/metrics` on `addr` and serves them until `cancel`. Returns the bound
/// address (useful with port 0).
pub async fn serve(
    addr: SocketAddr,
    store: Store,
    judge: Judge,
    cfg: watch::Receiver<Arc<Config>>,
    metrics: Arc<Metrics>,
    cancel: CancellationToken,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_page))
        .with_state(Web {
            store,
            judge,
            cfg,
            metrics,
        });
    let handle = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(cancel.cancelled_owned())
            .await
        {
            tracing::warn!(error = %e, "The health and metrics listener stopped.");
        }
    });
    Ok((bound, handle))
}
