//! `windvane status`: how each source and the outbox are doing, from the database, for
//! operators, scripts and the Docker HEALTHCHECK. Exit 1 when something needs an operator
//! (or, with `--health`, when `/healthz` would answer 503).

use chrono::Utc;

use crate::config::Config;
use crate::ops::health::{self, Health};
use crate::store::Store;

/// Prints the status; returns whether it calls for the exit code 1.
pub fn run(cfg: &Config, json: bool, health_only: bool) -> anyhow::Result<bool> {
    use anyhow::Context as _;
    let store = Store::open(&cfg.store_path)
        .with_context(|| format!("cannot open `{}`", cfg.store_path.display()))?;
    store.set_busy_timeout(cfg.store_busy_timeout)?;
    let h = health::evaluate(&store, cfg, Utc::now());
    if json {
        println!("{}", serde_json::to_string_pretty(&h)?);
    } else {
        print!("{}", render(&h));
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
    let roster = pg.roster().await?;
    let sources = pg.source_rows().await?;
    let cooling = pg.cooling_egresses().await?;
    let outbox = pg.alert_counts().await.unwrap_or_default();
    let me_alive = roster
        .iter()
        .any(|r| r.id == c.instance_id && r.seen_secs_ago < 3.0 * c.lease_ttl.as_secs_f64());
    let failing: Vec<&crate::store::pg::SourceRow> = sources
        .iter()
        .filter(|s| s.consecutive_failures >= 3)
        .collect();
    let failed_alerts = outbox
        .iter()
        .find(|(s, _)| s == "failed")
        .map(|(_, n)| *n)
        .unwrap_or(0);
    let mut reasons = Vec::new();
    if !me_alive {
        reasons.push(format!(
            "instance `{}` has not announced itself within 3 × lease_ttl",
            c.instance_id
        ));
    }
    if !failing.is_empty() {
        reasons.push(format!(
            "{} sources failed 3 runs in a row or more",
            failing.len()
        ));
    }
    if failed_alerts > 0 {
        reasons.push(format!("{failed_alerts} alerts gave up"));
    }
    if json {
        let v = serde_json::json!({
            "instance": c.instance_id,
            "healthy": me_alive,
            "instances": roster,
            "sources": sources,
            "cooling_egresses": cooling.iter().map(|(e, left)| serde_json::json!({"egress": e, "secs_left": left.as_secs_f64()})).collect::<Vec<_>>(),
            "outbox": outbox.iter().map(|(s, n)| (s.clone(), *n)).collect::<std::collections::BTreeMap<_, _>>(),
            "reasons": reasons,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        let mut out = String::new();
        out.push_str(&format!(
            "{:<24} {:<16} {:<10} {}\n",
            "INSTANCE", "EGRESS", "VERSION", "LAST SEEN"
        ));
        for r in &roster {
            out.push_str(&format!(
                "{:<24} {:<16} {:<10} {:.0}s ago\n",
                r.id, r.egress, r.version, r.seen_secs_ago
            ));
        }
        let leased = sources.iter().filter(|s| s.leased_by.is_some()).count();
        out.push_str(&format!(
            "sources: {} ({} being fetched now)\n",
            sources.len(),
            leased
        ));
        for s in &failing {
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
        for (e, left) in &cooling {
            out.push_str(&format!(
                "egress {e} cooling down for {:.0}s more\n",
                left.as_secs_f64()
            ));
        }
        let count = |st: &str| {
            outbox
                .iter()
                .find(|(s, _)| s == st)
                .map(|(_, n)| *n)
                .unwrap_or(0)
        };
        out.push_str(&format!(
            "outbox: {} pending, {} sent, {} failed\n",
            count("pending"),
            count("sent"),
            count("failed")
        ));
        if reasons.is_empty() {
            out.push_str("ok\n");
        }
        for r in &reasons {
            out.push_str(&format!("! {r}\n"));
        }
        print!("{}", crate::review::shown(&out));
    }
    Ok(if health_only {
        !me_alive
    } else {
        !reasons.is_empty()
    })
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
