//! The long-running daemon: edits and deletions (recheck), SIGHUP reload, graceful and forced
//! shutdown, /healthz, /metrics and `status` — against the Weibo test server, with the real
//! binary where signals matter.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{json, Value};
use windvane::config::{Config, SourceSpec};
use windvane::pipeline::{self, Context};
use windvane::recheck;
use windvane::store::Gone;

use crate::common::*;

pub const UID: &str = "1234567890";
/// Classified `talks` by the built-in rules (README's example).
pub const TALKS: &str = "美方通过多种渠道主动接触中方，希望就关税问题进行谈判。";

/// A `card_type: 9` card as m.weibo.cn sends it.
pub fn card(mid: &str, text: &str, created: DateTime<Utc>, edit_count: u32) -> Value {
    let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
    let mut mblog = json!({
        "id": mid, "mid": mid, "text": text,
        "created_at": created.with_timezone(&beijing).format("%a %b %d %H:%M:%S +0800 %Y").to_string(),
        "user": {"id": UID.parse::<u64>().unwrap(), "screen_name": "测试账号"},
        "isLongText": false,
    });
    if edit_count > 0 {
        mblog["edit_count"] = json!(edit_count);
    }
    json!({"card_type": 9, "mblog": mblog})
}

/// A getIndex body with these cards and, when given, the next page's since_id.
pub fn timeline(cards: &[Value], since_id: Option<&str>) -> String {
    let mut info = json!({"containerid": format!("107603{UID}"), "total": cards.len()});
    if let Some(s) = since_id {
        info["since_id"] = json!(s);
    }
    json!({"ok": 1, "data": {"cardlistInfo": info, "cards": cards}}).to_string()
}

/// The address the daemon reports for `/healthz` and `/metrics` when told to bind port 0.
pub async fn health_addr(d: &Daemon) -> String {
    logged_addr(d, "Serving /healthz", "listen=").await
}

/// The address after `key` on the first log line containing `marker`: a listener the daemon
/// bound on port 0 and reported.
pub async fn logged_addr(d: &Daemon, marker: &str, key: &str) -> String {
    let mut addr = None;
    let found = eventually(Duration::from_secs(30), || {
        addr = d
            .log_text()
            .lines()
            .find(|l| l.contains(marker))
            .and_then(|l| l.split(key).nth(1))
            .map(|a| a.split_whitespace().next().unwrap_or("").to_string());
        addr.is_some()
    })
    .await;
    assert!(found, "no `{marker}` in the log: {}", d.log_text());
    addr.unwrap()
}

pub fn weibo_source(id: &str, addr: std::net::SocketAddr, schedule: &str) -> String {
    format!(
        r#"
[[sources]]
id = "{id}"
kind = "weibo"
uid = "{UID}"
schedule = "{schedule}"
api_base = "http://{addr}"
passport_base = "http://{addr}"
"#
    )
}

/// `[store]`, `[daemon]` and `[fetch]` for fast tests, with `extra` appended.
pub fn config_text(daemon: &str, fetch_timeout: &str, extra: &str) -> String {
    format!(
        r#"
[store]
path = "windvane.db"
busy_timeout = "300ms"

[daemon]
timezone = "Asia/Shanghai"
shutdown_grace = "5s"
dispatch_interval = "1s"
{daemon}

[fetch]
min_interval_per_host = "1ms"
retries = 0
retry_backoff = "10ms"
timeout = "{fetch_timeout}"
jitter = "0s"
breaker_threshold = 0

[[alerts]]
id = "log"
kind = "log"
labels = ["talks"]
min_score = 0.5
{extra}
"#
    )
}

pub fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The real binary, `windvane run`, logging to a file.
pub struct Daemon {
    pub child: Child,
    pub log: PathBuf,
}

impl Daemon {
    pub fn start(config: &Path) -> Daemon {
        let log = config.with_file_name(format!("daemon-{}.log", rand_suffix()));
        let file = std::fs::File::create(&log).unwrap();
        let child = Command::new(assert_cmd::cargo::cargo_bin("windvane"))
            .arg("--config")
            .arg(config)
            .arg("run")
            .env("RUST_LOG", "windvane=debug,warn")
            .env("NO_COLOR", "1")
            // Hermetic: a token in the runner's environment would change the desk's answers.
            .env_remove("WINDVANE_REVIEW_TOKEN")
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .unwrap();
        Daemon { child, log }
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{sig}");
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits for the exit; `None` after `within`.
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < within {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Polls `cond` every 25 ms until it holds or `within` passes.
pub async fn eventually(within: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    cond()
}

// ---------------------------------------------------------------------------------------------
// Edits and deletions

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recheck_stores_edits_confirms_deletions_and_alerts_for_flagged_posts() {
    let weibo = Arc::new(WeiboState::default());
    let addr = weibo_server(weibo.clone()).await;
    let now = Utc::now();
    let h = |n: i64| now - chrono::Duration::hours(n);
    let cid = format!("107603{UID}");
    // A: flagged, will be edited. F: flagged, will be deleted. B: plain, deleted.
    // C: plain, missing but its page answers nothing useful. E: plain, older than any post
    // the later timeline shows (absence beyond the pages read).
    let first = vec![
        card("500", TALKS, h(1), 0),
        card("400", &format!("{TALKS} 第二条"), h(2), 0),
        card("300", "今天天气晴。", h(3), 0),
        card("200", "博物馆开放时间调整。", h(4), 0),
        card("150", "一条普通微博。", h(5), 0),
        card("100", "很早的一条。", h(20), 0),
    ];
    weibo
        .timelines
        .lock()
        .unwrap()
        .insert(cid.clone(), timeline(&first, None));
    let dir = tempfile::tempdir().unwrap();
    let text = config_text(
        "metrics_listen = \"off\"",
        "2s",
        &weibo_source("wb", addr, "every 1h"),
    );
    let path = dir.path().join("windvane.toml");
    std::fs::write(&path, text).unwrap();
    let cfg = Config::load(Some(&path)).unwrap();
    let ctx = Context::new(cfg).unwrap();
    let src = ctx.cfg.sources[0].clone();
    let SourceSpec::Weibo(w) = &src.spec else {
        panic!()
    };
    let r = pipeline::run_source(&ctx, &src).await;
    assert!(r.error.is_none(), "{r:?}");
    assert_eq!((r.new_posts, r.flagged), (6, 2));

    // Later: A edited (edit_count 1), F (400), B (300) and C (200) gone, 150 still there,
    // E (100) beyond the page.
    let edited = TALKS.replace("希望", "急切希望");
    let mut edited_card = card("500", &edited, h(1), 1);
    edited_card["mblog"]["edit_at"] = json!("Wed Jun 16 10:51:10 +0800 2021");
    let later = vec![edited_card, card("150", "一条普通微博。", h(5), 0)];
    weibo
        .timelines
        .lock()
        .unwrap()
        .insert(cid.clone(), timeline(&later, None));
    let deleted = r#"{"ok":0,"msg":"抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV"}"#;
    for mid in ["400", "300", "100"] {
        weibo
            .shows
            .lock()
            .unwrap()
            .insert(mid.into(), deleted.into());
    }
    let report = recheck::recheck(&ctx, &src, w, Utc::now()).await.unwrap();
    assert_eq!(report.tracked, 6);
    assert_eq!(report.seen, 2);
    assert_eq!(report.edited, 1);
    assert_eq!(report.deleted, 2, "{report:?}");
    assert_eq!(
        report.unconfirmed, 1,
        "post 200's page said nothing: {report:?}"
    );
    assert_eq!(
        report.alerts_queued, 2,
        "edited A + deleted F, one channel each"
    );
    assert!(
        weibo.count("show 100") == 0,
        "absence beyond the pages read is never checked"
    );

    let store = &ctx.store;
    let vis = |mid: &str| store.post_visibility("wb", mid).unwrap().unwrap();
    assert_eq!(vis("400").1, "deleted");
    assert_eq!(vis("300").1, "deleted");
    assert_eq!(vis("200").1, "visible");
    assert_eq!(vis("100").1, "visible");
    let a = vis("500").0;
    let versions = store.post_versions(a).unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].text, TALKS);
    assert_eq!(
        (versions[1].text.as_str(), versions[1].edit_count),
        (edited.as_str(), 1)
    );
    assert_eq!(store.post_text("wb", "500").unwrap().unwrap(), edited);
    let edit_at: String = rusqlite::Connection::open(store.path())
        .unwrap()
        .query_row(
            "SELECT edit_at FROM posts WHERE platform_id = '500'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(edit_at, "2021-06-16T02:51:10Z", "the edit's time is stored");
    let events = store.alert_events().unwrap();
    let of = |ev: &str| events.iter().filter(|e| e.1 == ev).count();
    assert_eq!((of("flagged"), of("edited"), of("deleted")), (2, 1, 1));
    let edited_row = store
        .alerts(None)
        .unwrap()
        .into_iter()
        .find(|r| r.payload.contains("\"event\":\"edited\""))
        .unwrap();
    let payload: Value = serde_json::from_str(&edited_row.payload).unwrap();
    let diff = payload["diff"].as_str().unwrap();
    assert!(
        diff.contains("{+急切+}希望") && !diff.contains("[-"),
        "{diff}"
    );
    assert_eq!(payload["previous_text"], TALKS);
    assert!(payload["title"].as_str().unwrap().starts_with("Edited: "));

    // A second recheck changes nothing and alerts nothing more.
    let again = recheck::recheck(&ctx, &src, w, Utc::now()).await.unwrap();
    assert_eq!(
        (again.edited, again.deleted, again.alerts_queued),
        (0, 0, 0),
        "{again:?}"
    );
    assert_eq!(store.alert_events().unwrap().len(), events.len());
    // Post 200 comes back on the timeline: never marked, nothing to undo.
    assert_eq!(vis("200").1, "visible");
    let _ = Gone::Deleted;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeline_that_fails_or_comes_back_empty_deletes_nothing() {
    let weibo = Arc::new(WeiboState::default());
    let addr = weibo_server(weibo.clone()).await;
    let cid = format!("107603{UID}");
    let now = Utc::now();
    weibo.timelines.lock().unwrap().insert(
        cid.clone(),
        timeline(
            &[card("9", "普通。", now - chrono::Duration::hours(1), 0)],
            None,
        ),
    );
    weibo.shows.lock().unwrap().insert(
        "9".into(),
        r#"{"ok":0,"msg":"抱歉，此微博已被作者删除。"}"#.into(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    std::fs::write(
        &path,
        config_text(
            "metrics_listen = \"off\"",
            "2s",
            &weibo_source("wb", addr, "every 1h"),
        ),
    )
    .unwrap();
    let ctx = Context::new(Config::load(Some(&path)).unwrap()).unwrap();
    let src = ctx.cfg.sources[0].clone();
    let SourceSpec::Weibo(w) = &src.spec else {
        panic!()
    };
    assert!(pipeline::run_source(&ctx, &src).await.error.is_none());
    // ok:0 "no content" (a refusal in disguise): nothing read, nothing deleted.
    weibo.timelines.lock().unwrap().remove(&cid);
    let r = recheck::recheck(&ctx, &src, w, Utc::now()).await.unwrap();
    assert_eq!((r.deleted, r.seen), (0, 0));
    assert_eq!(weibo.count("show"), 0);
    // Malformed JSON: the recheck fails, nothing deleted.
    weibo
        .timelines
        .lock()
        .unwrap()
        .insert(cid.clone(), "{\"ok\":1,\"data\":{\"cards\":[".into());
    assert!(recheck::recheck(&ctx, &src, w, Utc::now()).await.is_err());
    assert_eq!(
        ctx.store.post_visibility("wb", "9").unwrap().unwrap().1,
        "visible"
    );
}

// ---------------------------------------------------------------------------------------------
// Lifecycle of the real binary

pub async fn http_get(url: &str) -> Option<(u16, String)> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let r = reqwest::Client::new()
        .get(url)
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .ok()?;
    let code = r.status().as_u16();
    Some((code, r.text().await.ok()?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_metrics_status_and_sighup_reload() {
    let weibo = Arc::new(WeiboState::default());
    let addr = weibo_server(weibo.clone()).await;
    let now = Utc::now();
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        timeline(
            &[
                card("2", TALKS, now - chrono::Duration::minutes(5), 0),
                card("1", "普通。", now - chrono::Duration::minutes(9), 0),
            ],
            None,
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    // The daemon binds port 0 and logs the address it got: no port found free then dropped.
    let daemon_keys = "metrics_listen = \"127.0.0.1:0\"";
    let good = config_text(daemon_keys, "1s", &weibo_source("wb", addr, "every 2s"));
    std::fs::write(&path, &good).unwrap();
    let db = dir.path().join("windvane.db");
    let mut d = Daemon::start(&path);

    let base = format!("http://{}", health_addr(&d).await);
    // Healthy from the start (`starting`); wait for the source's first run to be judged, so
    // the metrics below include its success.
    let mut health = None;
    for _ in 0..400 {
        if let Some((200, body)) = http_get(&format!("{base}/healthz")).await {
            let v: Value = serde_json::from_str(&body).unwrap();
            if v["sources"][0]["state"] == "ok" {
                health = Some(body);
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let health: Value =
        serde_json::from_str(&health.expect("healthz never 200 with the source ok")).unwrap();
    assert_eq!(health["healthy"], true);
    assert_eq!(health["sources"][0]["id"], "wb");
    // The run's metrics are recorded just after its state: wait for them, not a fixed time.
    let mut got = None;
    for _ in 0..200 {
        let (code, metrics) = http_get(&format!("{base}/metrics")).await.unwrap();
        assert_eq!(code, 200);
        let done = metrics.contains("windvane_last_success_timestamp_seconds{source=\"wb\"}");
        got = Some(metrics);
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let metrics = got.unwrap();
    for want in [
        "windvane_fetches_total{source=\"wb\"}",
        "windvane_posts_stored_total{source=\"wb\"} 2",
        "windvane_posts_flagged_total{label=\"talks\"} 1",
        "windvane_fetch_duration_seconds_bucket{le=",
        "windvane_last_success_timestamp_seconds{source=\"wb\"}",
        "windvane_alerts{status=\"pending\"}",
        "windvane_store_writable 1",
        // No page overran its parse budget: nothing abandoned, no slot held after the run.
        "windvane_parses_abandoned 0",
        "windvane_parse_slots_busy 0",
    ] {
        assert!(metrics.contains(want), "{want} missing from\n{metrics}");
    }

    // `status` reads the same database: all well, exit 0.
    let status = Command::new(assert_cmd::cargo::cargo_bin("windvane"))
        .arg("--config")
        .arg(&path)
        .arg("status")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success(), "{out}");
    assert!(out.contains("wb") && out.contains("outbox:"), "{out}");

    // A bad config on SIGHUP is rejected with its errors; the daemon goes on.
    std::fs::write(
        &path,
        format!("{good}\n[[sources]]\nid = \"bad\"\nkind = \"weibo\"\nuid = \"x\"\nschedule = \"every banana\"\n"),
    )
    .unwrap();
    d.signal("HUP");
    assert!(
        eventually(Duration::from_secs(5), || d
            .log_text()
            .contains("Reload rejected"))
        .await,
        "{}",
        d.log_text()
    );
    assert!(
        d.log_text().contains("sources[1].schedule"),
        "errors are named"
    );
    assert!(d.child.try_wait().unwrap().is_none(), "still running");

    // A good one adds a source, which runs at once.
    std::fs::write(
        &path,
        format!("{good}{}", weibo_source("wb2", addr, "every 2s")),
    )
    .unwrap();
    d.signal("HUP");
    assert!(
        eventually(Duration::from_secs(8), || count(
            &db,
            "SELECT count(*) FROM fetch_runs WHERE source_id = 'wb2'"
        ) > 0)
        .await,
        "{}",
        d.log_text()
    );
    assert!(d.log_text().contains("Configuration reloaded"));

    // A source needing a cookie makes `status` exit 1.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE sources SET state = 'needs-cookie' WHERE id = 'wb2'",
            [],
        )
        .unwrap();
    let status = Command::new(assert_cmd::cargo::cargo_bin("windvane"))
        .args(["--config", path.to_str().unwrap(), "status", "--json"])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    let js: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(js["needs_operator"], true);

    d.signal("TERM");
    let exit = d
        .wait_exit(Duration::from_secs(8))
        .expect("no exit within the grace");
    assert_eq!(exit.code(), Some(0), "{}", d.log_text());
    assert!(d.log_text().contains("windvane stopped"));
    // Never a secret, never a cookie: the visitor cookie handed out by the server is absent.
    assert!(!d.log_text().contains("SUB="));
}

/// A server whose timeline answers only after `stall`; counts the requests it holds.
async fn stalling_server(
    stall: Duration,
) -> (std::net::SocketAddr, Arc<std::sync::atomic::AtomicUsize>) {
    use axum::routing::get;
    let held = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let h = held.clone();
    let app = axum::Router::new().route(
        "/api/container/getIndex",
        get(move || {
            h.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move {
                tokio::time::sleep(stall).await;
                "{}"
            }
        }),
    );
    (serve(app).await, held)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_logs_what_was_cut_short_and_a_second_signal_exits_at_once() {
    let (slow, held) = stalling_server(Duration::from_secs(60)).await;
    let held_now = || held.load(std::sync::atomic::Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    // Grace 1s: the stalled run is cut short and named.
    let text = config_text(
        "metrics_listen = \"off\"",
        "30s",
        &weibo_source("slow", slow, "every 1m"),
    )
    .replace("shutdown_grace = \"5s\"", "shutdown_grace = \"1s\"");
    std::fs::write(&path, &text).unwrap();
    let mut d = Daemon::start(&path);
    assert!(
        eventually(Duration::from_secs(5), || d
            .log_text()
            .contains("windvane running"))
        .await
    );
    // The run is under way once the server holds its request.
    assert!(eventually(Duration::from_secs(30), || held_now() >= 1).await);
    let t = Instant::now();
    d.signal("TERM");
    let exit = d
        .wait_exit(Duration::from_secs(20))
        .expect("exit after the grace");
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(exit.code(), Some(0));
    let log = d.log_text();
    assert!(log.contains("Shutdown grace over"), "{log}");
    assert!(log.contains("cut_short=[\"slow\"]"), "{log}");

    // Grace 30s, but a second SIGTERM: out at once, exit 1, database whole.
    std::fs::write(
        &path,
        text.replace("shutdown_grace = \"1s\"", "shutdown_grace = \"30s\""),
    )
    .unwrap();
    let mut d = Daemon::start(&path);
    assert!(
        eventually(Duration::from_secs(5), || d
            .log_text()
            .contains("windvane running"))
        .await
    );
    assert!(eventually(Duration::from_secs(30), || held_now() >= 2).await);
    d.signal("TERM");
    assert!(
        eventually(Duration::from_secs(30), || d
            .log_text()
            .contains("Shutting down"))
        .await
    );
    d.signal("TERM");
    // Out well before the 30 s grace: the second signal cut it short.
    let exit = d
        .wait_exit(Duration::from_secs(20))
        .expect("second signal exits at once");
    assert_eq!(exit.code(), Some(1));
    assert!(d.log_text().contains("Second signal"), "{}", d.log_text());
    let ok: String = rusqlite::Connection::open(dir.path().join("windvane.db"))
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}
