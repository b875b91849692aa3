//! `windvane status`: how each source and the outbox are doing, from the database, for
//! operators, scripts and the Docker HEALTHCHECK. Exit 1 when something needs an operator
//! (or, with `--health`, when `/healthz` would answer 503).

use chrono::Utc;

use crate::config::Config;
use crate::ops::health::{self, ClusterHealth, Health};
use crate::store::Store;

/// Prints the status; returns whether it calls for the exit code 1.
pub fn run(cfg: &Config, json: bool, health_only: bool) -> anyhow::Result<bool> {
    use anyhow::Context as _;
    let store = Store::open(&cfg.store_path)
        .with_context(|| format!("cannot open `{}`", cfg.store_path.display()))?;
    store.set_busy_timeout(cfg.store_busy_timeout)?;
    let h = health::evaluate(&store, cfg, Utc::now());
    if json {
        outln!("{}", serde_json::to_string_pretty(&h)?)?;
    } else {
        out!("{}", render(&h))?;
    }
    Ok(if health_only {
        !h.healthy
    } else {
        h.needs_operator || !h.healthy
    })
}

/// Cluster mode's status (`[store] url`): the instances and when each was last seen, the
/// sources (state, holder, failures), egress cool-downs and the shared outbox, from
/// PostgreSQL. Returns whether it calls for exit 1: with `health_only`, when the database is
/// unreachable or this instance has not announced itself within three lease TTLs; else also
/// when a source fails three runs in a row or an alert gave up.
pub async fn cluster(cfg: &Config, json: bool, health_only: bool) -> anyhow::Result<bool> {
    use anyhow::Context as _;
    let Some(c) = &cfg.cluster else {
        anyhow::bail!("not in cluster mode");
    };
    let pg = crate::store::pg::PgStore::connect_with(c.pg_config()?)
        .await
        .with_context(|| format!("cannot reach `{}`", c.url))?;
    let h = health::evaluate_cluster(&pg, c).await?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&h)?)?;
    } else {
        out!("{}", crate::review::shown(&render_cluster(&h)))?;
    }
    Ok(if health_only {
        !h.healthy
    } else {
        !h.reasons.is_empty()
    })
}

/// Cluster status's human form: the roster, the sources failing, cool-downs, the outbox, then
/// the reasons.
fn render_cluster(h: &ClusterHealth) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<24} {:<16} {:<10} {}\n",
        "INSTANCE", "EGRESS", "VERSION", "LAST SEEN"
    ));
    for r in &h.instances {
        out.push_str(&format!(
            "{:<24} {:<16} {:<10} {:.0}s ago\n",
            r.id, r.egress, r.version, r.seen_secs_ago
        ));
    }
    let leased = h.sources.iter().filter(|s| s.leased_by.is_some()).count();
    out.push_str(&format!(
        "sources: {} ({} being fetched now)\n",
        h.sources.len(),
        leased
    ));
    for s in h.failing() {
        let err: String = s
            .last_error
            .clone()
            .unwrap_or_default()
            .chars()
            .take(80)
            .collect();
        out.push_str(&format!(
            "  {:<24} {} failures in a row  {}\n",
            s.id, s.consecutive_failures, err
        ));
    }
    for e in &h.cooling_egresses {
        out.push_str(&format!(
            "egress {} cooling down for {:.0}s more\n",
            e.egress, e.secs_left
        ));
    }
    let count = |st: &str| h.outbox.get(st).copied().unwrap_or(0);
    out.push_str(&format!(
        "outbox: {} pending, {} sent, {} failed\n",
        count("pending"),
        count("sent"),
        count("failed")
    ));
    if h.reasons.is_empty() {
        out.push_str("ok\n");
    }
    for r in &h.reasons {
        out.push_str(&format!("! {r}\n"));
    }
    out
}

/// The human form: one line per source, the outbox, then the reasons.
pub fn render(h: &Health) -> String {
    let mut out = String::new();
    let dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    out.push_str(&format!(
        "{:<24} {:<14} {:<21} {:<21} {:>7}  {}\n",
        "SOURCE", "STATE", "LAST RUN", "LAST SUCCESS", "POSTS", "LAST ERROR"
    ));
    for s in &h.sources {
        let state = if s.fresh || s.last_run_at.is_none() || s.state.is_starting() {
            s.state.to_string()
        } else if s.last_success_at.is_none() {
            format!("{} (never ok)", s.state)
        } else {
            format!("{} (stale)", s.state)
        };
        let err: String = dash(&s.last_error).chars().take(80).collect();
        out.push_str(&format!(
            "{:<24} {:<14} {:<21} {:<21} {:>7}  {}\n",
            s.id,
            state,
            dash(&s.last_run_at),
            dash(&s.last_success_at),
            s.posts,
            err
        ));
    }
    let needs_cookie: Vec<&str> = h
        .sources
        .iter()
        .filter(|s| s.needs_cookie)
        .map(|s| s.id.as_str())
        .collect();
    if !needs_cookie.is_empty() {
        out.push_str(&format!("needs a cookie: {}\n", needs_cookie.join(", ")));
    }
    out.push_str(&format!(
        "outbox: {} pending, {} sent, {} failed\n",
        h.outbox.pending, h.outbox.sent, h.outbox.failed
    ));
    out.push_str(&format!(
        "database: {}\n",
        if h.writable {
            "writable"
        } else {
            "NOT WRITABLE"
        }
    ));
    if h.reasons.is_empty() {
        out.push_str("ok\n");
    }
    for r in &h.reasons {
        out.push_str(&format!("! {r}\n"));
    }
    out
}
