//! `windvane demo`: the whole pipeline offline. A local server on 127.0.0.1 serves real posts in
//! the m.weibo.cn format (src/demo/*.json) and receives webhooks; one pass runs into a fresh
//! database and the result is printed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::pipeline::{self, Context, PassReport};
// Real 2019 trade-war posts by media accounts (also the sample for `windvane alerts test`).
use crate::samples::MEDIA2019_GETINDEX;

const CCTV_GETINDEX: &str = include_str!("demo/cctv_getindex.json");
const CCTV_EXTEND: &str = include_str!("demo/cctv_extend.json");

#[derive(Default)]
struct DemoState {
    webhooks: AtomicUsize,
}

async fn get_index(Query(q): Query<HashMap<String, String>>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let body = match q.get("containerid").map(String::as_str) {
        Some("1076032656274875") => CCTV_GETINDEX,
        Some("1076031000000001") => MEDIA2019_GETINDEX,
        _ => r#"{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"#,
    };
    ([("content-type", "application/json; charset=utf-8")], body).into_response()
}

async fn extend(Query(q): Query<HashMap<String, String>>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let all: serde_json::Value = serde_json::from_str(CCTV_EXTEND).unwrap_or_default();
    let body = q
        .get("id")
        .and_then(|id| all.get(id))
        .map(|v| v.to_string())
        .unwrap_or_else(|| r#"{"ok":1,"data":{}}"#.to_string());
    ([("content-type", "application/json; charset=utf-8")], body).into_response()
}

async fn hook(State(st): State<Arc<DemoState>>) -> &'static str {
    st.webhooks.fetch_add(1, Ordering::SeqCst);
    "ok"
}

/// Serves the demo API and webhook receiver on an ephemeral loopback port.
async fn serve() -> anyhow::Result<(std::net::SocketAddr, Arc<DemoState>)> {
    let state = Arc::new(DemoState::default());
    let app = Router::new()
        .route("/api/container/getIndex", get(get_index))
        .route("/statuses/extend", get(extend))
        .route("/hook", post(hook))
        .with_state(state.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((addr, state))
}

/// The demo's configuration: two sources on the local server, a log and a webhook channel.
pub fn demo_config(addr: std::net::SocketAddr, db: &std::path::Path) -> anyhow::Result<Config> {
    let text = format!(
        r#"
[store]
path = "{db}"

[fetch]
min_interval_per_host = "50ms"
jitter = "0s"
retries = 1
retry_backoff = "100ms"
timeout = "10s"

[[sources]]
id = "cctv-news"
name = "央视新闻"
kind = "weibo"
uid = "2656274875"
schedule = "every 5m"
api_base = "http://{addr}"

[[sources]]
id = "media-2019"
name = "2019 media sample"
kind = "weibo"
uid = "1000000001"
schedule = "every 5m"
api_base = "http://{addr}"

[[alerts]]
id = "log"
kind = "log"
min_score = 0.6

[[alerts]]
id = "local-webhook"
kind = "webhook"
url = "http://{addr}/hook"
labels = ["talks", "de_escalation", "escalation", "purchase"]
min_score = 0.6
"#,
        db = db.display().to_string().replace('\\', "/"),
    );
    Config::from_toml_str(&text, None).map_err(|e| anyhow::anyhow!("{e}"))
}

pub async fn run() -> anyhow::Result<()> {
    let (addr, state) = serve().await?;
    let dir = std::env::temp_dir().join(format!("windvane-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("windvane.db");
    let ctx = Context::new(demo_config(addr, &db)?)?;
    outln!(
        "windvane demo — local Weibo-format server on http://{addr}, database {}\n",
        db.display()
    )?;
    let report = pipeline::run_pass(&ctx, None).await;
    print_report(&ctx, &report, state.webhooks.load(Ordering::SeqCst))?;
    Ok(())
}

fn cut(s: &str, n: usize) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(n).collect();
    if one_line.chars().count() > n {
        out.push('…');
    }
    out
}

fn print_report(ctx: &Context, report: &PassReport, webhooks: usize) -> anyhow::Result<()> {
    outln!(
        "{:<12} {:>7} {:>5} {:>7} {:>7}  error",
        "source",
        "fetched",
        "new",
        "flagged",
        "alerts"
    )?;
    for s in &report.sources {
        outln!(
            "{:<12} {:>7} {:>5} {:>7} {:>7}  {}",
            s.source_id,
            s.fetched,
            s.new_posts,
            s.flagged,
            s.alerts_queued,
            s.error.as_deref().unwrap_or("-")
        )?;
    }
    let posts = ctx.store.recent_posts(100, false)?;
    outln!("\nStored {} posts. Flagged:", posts.len())?;
    outln!(
        "{:<17} {:<12} {:<34} text",
        "time (UTC)",
        "source",
        "labels"
    )?;
    for p in posts.iter().filter(|p| !p.labels.is_empty()) {
        let labels = p
            .labels
            .iter()
            .map(|(l, s)| format!("{l} {s:.2}"))
            .collect::<Vec<_>>()
            .join(", ");
        outln!(
            "{:<17} {:<12} {:<34} {}",
            &p.created_at[..16.min(p.created_at.len())],
            p.source_id,
            labels,
            cut(&p.text, 48)
        )?;
    }
    let alerts = ctx.store.alerts(None)?;
    outln!(
        "\nAlerts: {} queued, {} delivered now ({} webhook calls received).",
        alerts.len(),
        report.dispatch.sent,
        webhooks
    )?;
    for a in alerts.iter().take(40) {
        let title = serde_json::from_str::<crate::alert::AlertMessage>(&a.payload)
            .map(|m| m.title)
            .unwrap_or_default();
        outln!(
            "  #{:<3} {:<14} {:<8} {}",
            a.id,
            a.channel_id,
            a.status,
            title
        )?;
    }
    Ok(())
}
