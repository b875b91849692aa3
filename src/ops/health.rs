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

#[derive(Clone)]
struct Web {
    store: Store,
    cfg: watch::Receiver<Arc<Config>>,
    metrics: Arc<Metrics>,
}

async fn healthz(State(w): State<Web>) -> Response {
    let cfg = w.cfg.borrow().clone();
    let store = w.store.clone();
    let health = store.call(move |s| evaluate(s, &cfg, Utc::now())).await;
    let code = if health.healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, axum::Json(health)).into_response()
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
