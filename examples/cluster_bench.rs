//! Cluster mode with real instances (issue 15's figures): ACCOUNTS Weibo accounts every EVERY
//! seconds on a loopback Weibo-format server (each answer carries one new trade post, so every
//! run classifies, indexes and stores a post and queues an alert), INSTANCES `windvane run`
//! processes on one PostgreSQL for SECS seconds. Prints runs/s, posts/s, and the p50/p99/max
//! delay from a source's due time to its claim, over the runs that fell due after the first
//! round (the start's burst excluded). With URL `sqlite`, one process on a SQLite file instead
//! (runs/s and posts/s), for the cost of the network database beside it. Run by
//! scripts/bench-cluster.sh; by hand:
//!
//!     cargo run --release --example cluster_bench -- WINDVANE_BIN URL ACCOUNTS EVERY SECS INSTANCES

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use windvane::store::pg::PgStore;

/// How long the fake Weibo takes per answer.
const ANSWER_DELAY: Duration = Duration::from_millis(20);
const UID_BASE: u64 = 8_000_000_000;
const TEXT: &str = "美方通过多种渠道主动接触中方，希望就关税问题进行谈判。";

type Counters = Arc<Mutex<HashMap<String, u64>>>;

async fn get_index(
    State(n): State<Counters>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::response::Response {
    tokio::time::sleep(ANSWER_DELAY).await;
    let Some(cid) = q.get("containerid") else {
        return r#"{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"#.into_response();
    };
    let uid = cid.trim_start_matches("107603").to_string();
    let k = {
        let mut m = n.lock().unwrap_or_else(|p| p.into_inner());
        let k = m.entry(uid.clone()).or_default();
        *k += 1;
        *k
    };
    let card = |mid: String| {
        serde_json::json!({"card_type": 9, "mblog": {
            "id": mid, "mid": mid, "text": TEXT,
            "created_at": "Tue Dec 01 10:00:00 +0800 2026",
            "user": {"id": 1, "screen_name": "测试"}, "isLongText": false}})
    };
    let body = serde_json::json!({"ok": 1, "data": {
        "cardlistInfo": {"containerid": cid, "total": 2},
        "cards": [card(format!("{uid}{k:06}")), card(format!("{uid}000000"))]}});
    ([("content-type", "application/json")], body.to_string()).into_response()
}

fn config(dir: &Path, id: &str, url: &str, weibo: &str, accounts: usize, every: u64) -> String {
    let store = if url == "sqlite" {
        "[store]\npath = \"bench.db\"\n".to_string()
    } else {
        format!("[store]\nurl = \"{url}\"\n\n[instance]\nid = \"{id}\"\n")
    };
    let mut text = format!(
        "{store}\n[daemon]\nmax_concurrency = 8\nmetrics_listen = \"off\"\n\n\
         [fetch]\nmin_interval_per_host = \"1ms\"\nretries = 0\ntimeout = \"2s\"\njitter = \"0s\"\n\n\
         [[alerts]]\nid = \"log\"\nkind = \"log\"\nlabels = [\"talks\"]\nmin_score = 0.5\n"
    );
    for i in 0..accounts {
        text.push_str(&format!(
            "\n[[sources]]\nid = \"acct-{i:05}\"\nkind = \"weibo\"\nuid = \"{}\"\nschedule = \"every {every}s\"\napi_base = \"http://{weibo}\"\npassport_base = \"http://{weibo}\"\n",
            UID_BASE + i as u64
        ));
    }
    let path = dir.join(format!("{id}.toml"));
    std::fs::write(&path, text).expect("write a config");
    path.display().to_string()
}

fn start(bin: &str, config: &str, log: &Path) -> anyhow::Result<Child> {
    Ok(Command::new(bin)
        .args(["--config", config, "run"])
        .env("RUST_LOG", "windvane=warn")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log)?)
        .spawn()?)
}

fn stop(children: &mut [Child]) {
    for c in children.iter() {
        let _ = Command::new("kill")
            .args(["-TERM", &c.id().to_string()])
            .status();
    }
    for c in children {
        let _ = c.wait();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, bin, url, accounts, every, secs, instances] = &args[..] else {
        anyhow::bail!("usage: cluster_bench WINDVANE_BIN URL ACCOUNTS EVERY SECS INSTANCES");
    };
    let (accounts, every, secs, instances): (usize, u64, u64, usize) = (
        accounts.parse()?,
        every.parse()?,
        secs.parse()?,
        instances.parse()?,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let weibo = listener.local_addr()?.to_string();
    let counters: Counters = Arc::default();
    let state = counters.clone();
    tokio::spawn(async move {
        let app = Router::new()
            .route("/api/container/getIndex", get(get_index))
            .with_state(state);
        let _ = axum::serve(listener, app).await;
    });
    let dir = tempfile::tempdir()?;
    let sqlite = url == "sqlite";
    let n = if sqlite { 1 } else { instances.max(1) };
    let admin = if sqlite {
        None
    } else {
        let pg = PgStore::connect(url).await?;
        pg.migrate().await?;
        Some(pg)
    };
    let since = match &admin {
        Some(pg) => Some(pg.now().await? + chrono::Duration::seconds(every as i64)),
        None => None,
    };
    let mut children = Vec::new();
    for i in 0..n {
        let id = format!("bench-{i}");
        let cfg = config(dir.path(), &id, url, &weibo, accounts, every);
        children.push(start(bin, &cfg, &dir.path().join(format!("{id}.log")))?);
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop(&mut children);
    let elapsed = started.elapsed().as_secs_f64();
    let log = std::fs::read_to_string(dir.path().join("bench-0.log")).unwrap_or_default();
    if log.contains("ERROR") || log.contains("problem") {
        eprintln!(
            "bench-0's log:\n{}",
            log.lines().take(20).collect::<Vec<_>>().join("\n")
        );
    }
    let requests: u64 = counters
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .values()
        .sum();
    let (posts, runs) = match &admin {
        Some(pg) => pg.counts().await?,
        None => {
            let c = rusqlite::Connection::open(dir.path().join("bench.db"))?;
            let q = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0));
            (
                q("SELECT count(*) FROM posts")?,
                q("SELECT count(*) FROM fetch_runs")?,
            )
        }
    };
    let what = if sqlite {
        "SQLite, 1 process".to_string()
    } else {
        format!("PostgreSQL, {n} instances")
    };
    print!(
        "{what}: {accounts} accounts every {every}s for {secs}s (start included): {:.1} runs/s, {:.1} posts/s, {:.1} timeline requests/s",
        runs as f64 / elapsed,
        posts as f64 / elapsed,
        requests as f64 / elapsed,
    );
    if let (Some(pg), Some(since)) = (&admin, since) {
        let (steady, p50, p99, max) = pg.run_delays("bench-", since).await?;
        print!(
            "; due→claim after the first round ({steady} runs): p50 {} ms, p99 {} ms, max {} ms",
            p50.as_millis(),
            p99.as_millis(),
            max.as_millis()
        );
    }
    println!();
    Ok(())
}
