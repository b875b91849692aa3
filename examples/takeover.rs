//! Takeover time after SIGKILL (issue 15's figure): three `windvane run` processes on one
//! PostgreSQL and a loopback Weibo-format server that answers slowly (so an instance always
//! has runs in hand); KILLS times, the instance holding leases is SIGKILLed and the time until
//! every source it held is claimed by another instance is measured, then it is restarted.
//! Prints each takeover, the time its leases still had to run, and the mean and max. Run by
//! scripts/takeover.sh, which starts a throwaway cluster; by hand:
//!
//!     cargo run --example takeover -- WINDVANE_BIN URL KILLS LEASE_TTL_SECS ACCOUNTS

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::extract::Query;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use windvane::store::pg::PgStore;

/// How long the fake Weibo takes per answer.
const ANSWER_DELAY: Duration = Duration::from_millis(300);

async fn get_index(Query(q): Query<HashMap<String, String>>) -> axum::response::Response {
    tokio::time::sleep(ANSWER_DELAY).await;
    let Some(cid) = q.get("containerid") else {
        return r#"{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"#.into_response();
    };
    let uid = cid.trim_start_matches("107603");
    let body = serde_json::json!({"ok": 1, "data": {
        "cardlistInfo": {"containerid": cid, "total": 1},
        "cards": [{"card_type": 9, "mblog": {
            "id": format!("{uid}01"), "mid": format!("{uid}01"),
            "text": "城市公园里的花开了。",
            "created_at": "Tue Dec 01 10:00:00 +0800 2026",
            "user": {"id": 1, "screen_name": "测试"}, "isLongText": false}}]}});
    ([("content-type", "application/json")], body.to_string()).into_response()
}

fn config(
    dir: &Path,
    id: &str,
    url: &str,
    weibo: SocketAddr,
    ttl: u64,
    accounts: usize,
) -> PathBuf {
    let mut text = format!(
        "[store]\nurl = \"{url}\"\n\n[instance]\nid = \"{id}\"\nlease_ttl = \"{ttl}s\"\n\n\
         [daemon]\nmax_concurrency = 8\nmetrics_listen = \"off\"\n\n\
         [fetch]\nmin_interval_per_host = \"2ms\"\nretries = 0\ntimeout = \"2s\"\njitter = \"0s\"\n"
    );
    for i in 0..accounts {
        text.push_str(&format!(
            "\n[[sources]]\nid = \"acct-{i:04}\"\nkind = \"weibo\"\nuid = \"{}\"\nschedule = \"every 3s\"\napi_base = \"http://{weibo}\"\npassport_base = \"http://{weibo}\"\n",
            7_000_000_000u64 + i as u64
        ));
    }
    let path = dir.join(format!("{id}.toml"));
    std::fs::write(&path, text).expect("write a config");
    path
}

fn start(bin: &str, config: &Path, log: &Path) -> anyhow::Result<Child> {
    Ok(Command::new(bin)
        .arg("--config")
        .arg(config)
        .arg("run")
        .env("RUST_LOG", "windvane=warn")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log)?)
        .spawn()?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, bin, url, kills, ttl, accounts] = &args[..] else {
        anyhow::bail!("usage: takeover WINDVANE_BIN URL KILLS LEASE_TTL_SECS ACCOUNTS");
    };
    let (kills, ttl, accounts): (usize, u64, usize) =
        (kills.parse()?, ttl.parse()?, accounts.parse()?);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let weibo = listener.local_addr()?;
    tokio::spawn(async move {
        let app = Router::new().route("/api/container/getIndex", get(get_index));
        let _ = axum::serve(listener, app).await;
    });
    let dir = tempfile::tempdir()?;
    let ids = ["t1", "t2", "t3"];
    let configs: Vec<PathBuf> = ids
        .iter()
        .map(|id| config(dir.path(), id, url, weibo, ttl, accounts))
        .collect();
    let logs: Vec<PathBuf> = ids
        .iter()
        .map(|id| dir.path().join(format!("{id}.log")))
        .collect();
    let mut children = Vec::new();
    for (c, l) in configs.iter().zip(&logs) {
        children.push(start(bin, c, l)?);
    }
    let admin = PgStore::connect(url).await?;
    // Every account has run once before the first kill.
    let warm = Instant::now();
    loop {
        let (_, runs) = admin.counts().await.unwrap_or((0, 0));
        if runs >= accounts as i64 {
            break;
        }
        anyhow::ensure!(
            warm.elapsed() < Duration::from_secs(120),
            "the instances did not start (logs in {})",
            dir.path().display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut times = Vec::new();
    for k in 0..kills {
        let v = k % ids.len();
        let held: HashMap<String, i64> = loop {
            let h: HashMap<String, i64> = admin
                .source_leases()
                .await?
                .into_iter()
                .filter(|l| l.live && l.owner.as_deref() == Some(ids[v]))
                .map(|l| (l.source_id, l.fence))
                .collect();
            if !h.is_empty() {
                break h;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        let left = admin
            .source_leases()
            .await?
            .into_iter()
            .filter(|l| held.contains_key(&l.source_id))
            .map(|l| l.left)
            .max()
            .unwrap_or_default();
        children[v].kill()?;
        let killed = Instant::now();
        children[v].wait()?;
        loop {
            let now: HashMap<String, i64> = admin
                .source_leases()
                .await?
                .into_iter()
                .map(|l| (l.source_id, l.fence))
                .collect();
            if held
                .iter()
                .all(|(id, f)| now.get(id).is_some_and(|n| n > f))
            {
                break;
            }
            anyhow::ensure!(
                killed.elapsed() < Duration::from_secs(ttl * 3 + 30),
                "no takeover"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let took = killed.elapsed();
        println!(
            "kill {:>2}: {} held {:>2} sources; all claimed again after {:>6.2} s (their leases had {:>5.2} s left)",
            k + 1,
            ids[v],
            held.len(),
            took.as_secs_f64(),
            left.as_secs_f64()
        );
        times.push(took.as_secs_f64());
        children[v] = start(bin, &configs[v], &logs[v])?;
    }
    for c in &mut children {
        let _ = c.kill();
        let _ = c.wait();
    }
    let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
    let max = times.iter().cloned().fold(0.0, f64::max);
    println!(
        "takeover after SIGKILL over {} kills (lease_ttl {ttl} s, {accounts} accounts, 3 instances): mean {mean:.2} s, max {max:.2} s",
        times.len()
    );
    Ok(())
}
