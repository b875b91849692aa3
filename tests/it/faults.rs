//! Faults bad luck brings: a full disk under the alert outbox, receivers that redirect, pages
//! built to freeze a parser. Real servers on 127.0.0.1, the real binary, real filesystems.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use chrono::Utc;

use crate::common::*;
use crate::daemon::*;

// ---------------------------------------------------------------------------------------------
// A small real filesystem

/// A tmpfs of a few MB, unmounted on drop.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `Err(reason)` where this test process cannot mount (not root, no tmpfs, a container
    /// without CAP_SYS_ADMIN).
    fn mount(size: &str) -> Result<SmallDisk, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the filesystem is full; returns its path.
    fn fill(&self) -> PathBuf {
        use std::io::Write as _;
        let path = self.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 4096];
        loop {
            match f.write(&chunk) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    assert_eq!(e.raw_os_error(), Some(28), "ENOSPC expected: {e}");
                    break;
                }
            }
        }
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

// ---------------------------------------------------------------------------------------------
// A webhook receiver that can hold a request until the test lets it answer

#[derive(Default)]
struct Gate {
    /// Idempotency keys (or `operator:<title>` for operator alerts), in arrival order.
    calls: Mutex<Vec<String>>,
    /// Requests wait here while it is false.
    open: tokio::sync::watch::Sender<bool>,
}

async fn gated_hook(State(g): State<Arc<Gate>>, headers: HeaderMap, body: String) -> StatusCode {
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let key = if v["kind"] == "operator" {
        format!("operator:{}", v["title"].as_str().unwrap_or(""))
    } else {
        headers
            .get("idempotency-key")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    g.calls.lock().unwrap().push(key);
    let mut rx = g.open.subscribe();
    let _ = rx.wait_for(|open| *open).await;
    StatusCode::OK
}

async fn gated_server(g: Arc<Gate>) -> SocketAddr {
    serve(Router::new().route("/hook", post(gated_hook)).with_state(g)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disk_full_pauses_the_channel_without_resending_then_resumes_and_tells_the_operator() {
    let disk = match SmallDisk::mount("4m") {
        Ok(d) => d,
        Err(reason) => {
            eprintln!("SKIPPED disk_full test: {reason}");
            return;
        }
    };
    let weibo = Arc::new(WeiboState::default());
    let addr = weibo_server(weibo.clone()).await;
    let now = Utc::now();
    let cards: Vec<_> = (0..3)
        .map(|i| {
            card(
                &format!("{}", 700 + i),
                &format!("{TALKS} 第{i}条"),
                now - chrono::Duration::minutes(10 - i),
                0,
            )
        })
        .collect();
    weibo
        .timelines
        .lock()
        .unwrap()
        .insert(format!("107603{UID}"), timeline(&cards, None));
    let gate = Arc::new(Gate::default());
    let hook = gated_server(gate.clone()).await;
    let conf = tempfile::tempdir().unwrap();
    let db = disk.path().join("windvane.db");
    let path = conf.path().join("windvane.toml");
    std::fs::write(
        &path,
        format!(
            r#"
[store]
path = "{db}"

[daemon]
timezone = "Asia/Shanghai"
shutdown_grace = "5s"
dispatch_interval = "100ms"
metrics_listen = "127.0.0.1:0"

[fetch]
min_interval_per_host = "1ms"
retries = 0
timeout = "5s"
jitter = "0s"

[[sources]]
id = "wb"
kind = "weibo"
uid = "{UID}"
schedule = "every 1h"
api_base = "http://{addr}"
passport_base = "http://{addr}"
recheck_window = "0s"

[[alerts]]
id = "hook"
kind = "webhook"
url = "http://{hook}/hook"
labels = ["talks"]
min_score = 0.5
operator = true
"#,
            db = db.display()
        ),
    )
    .unwrap();

    let mut d = Daemon::start(&path);
    let health = health_addr(&d).await;
    // The first alert is on its way; the receiver holds it while the disk fills up.
    assert!(
        eventually(Duration::from_secs(30), || gate.calls.lock().unwrap().len()
            == 1)
        .await,
        "no alert sent: {}",
        d.log_text()
    );
    {
        // Every later write must grow a file: the WAL is emptied into the database first.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.busy_timeout(Duration::from_secs(10)).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let filler = disk.fill();
    gate.open.send_replace(true);

    // The send succeeded but cannot be recorded: /healthz says so.
    let mut last = String::new();
    let unhealthy = {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            if let Some((code, body)) = http_get(&format!("http://{health}/healthz")).await {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                if code == 503 && v["writable"] == false && v["healthy"] == false {
                    break true;
                }
                last = body;
            }
            if std::time::Instant::now() > deadline {
                break false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    assert!(unhealthy, "healthz: {last}\n{}", d.log_text());
    assert!(
        eventually(Duration::from_secs(30), || d
            .log_text()
            .contains("cannot be recorded"))
        .await,
        "{}",
        d.log_text()
    );
    // Twenty dispatch rounds: the alert is not sent again, and nothing else goes out.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        gate.calls.lock().unwrap().len(),
        1,
        "no resend while the outcome cannot be recorded: {:?}",
        gate.calls.lock().unwrap()
    );
    let (_, metrics) = http_get(&format!("http://{health}/metrics")).await.unwrap();
    assert!(metrics.contains("windvane_store_writable 0"), "{metrics}");
    assert!(
        metrics.contains("windvane_alert_outcomes_unrecorded 1"),
        "{metrics}"
    );
    let status = assert_cmd::Command::cargo_bin("windvane")
        .unwrap()
        .arg("--config")
        .arg(&path)
        .arg("status")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&status.stdout);
    assert_eq!(status.status.code(), Some(1), "{out}");
    assert!(out.contains("NOT WRITABLE"), "{out}");

    // Space again: the kept outcome is written, the rest go out once each, and the operator
    // hears about it.
    std::fs::remove_file(&filler).unwrap();
    let done = eventually(Duration::from_secs(30), || {
        let calls = gate.calls.lock().unwrap();
        calls.iter().filter(|k| !k.starts_with("operator:")).count() >= 3
            && calls.iter().any(|k| k.starts_with("operator:"))
    })
    .await;
    assert!(done, "{:?}\n{}", gate.calls.lock().unwrap(), d.log_text());
    assert!(
        eventually(Duration::from_secs(30), || count(
            &db,
            "SELECT count(*) FROM alerts WHERE status != 'sent'"
        ) == 0)
        .await
    );
    d.signal("TERM");
    assert_eq!(
        d.wait_exit(Duration::from_secs(20)).and_then(|s| s.code()),
        Some(0),
        "{}",
        d.log_text()
    );
    let calls = gate.calls.lock().unwrap().clone();
    let posts: Vec<&String> = calls
        .iter()
        .filter(|k| !k.starts_with("operator:"))
        .collect();
    let distinct: std::collections::HashSet<&&String> = posts.iter().collect();
    assert_eq!(posts.len(), 3, "each alert exactly once: {calls:?}");
    assert_eq!(distinct.len(), 3, "{calls:?}");
    let operator: Vec<&String> = calls
        .iter()
        .filter(|k| k.starts_with("operator:"))
        .collect();
    assert_eq!(operator.len(), 1, "{calls:?}");
    assert!(operator[0].contains("database"), "{calls:?}");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM alerts WHERE kind = 'post' AND status = 'sent'"
        ),
        3
    );
}

// ---------------------------------------------------------------------------------------------
// Answers of the wrong shape, one bad card among good ones

/// Serves `body` as the Weibo timeline and as an RSS feed, byte for byte.
async fn raw_server(body: Arc<Mutex<Vec<u8>>>) -> SocketAddr {
    let b = body.clone();
    let feed = body;
    serve(
        Router::new()
            .route(
                "/api/container/getIndex",
                axum::routing::get(move || {
                    let b = b.clone();
                    async move {
                        (
                            [("content-type", "application/json")],
                            b.lock().unwrap().clone(),
                        )
                    }
                }),
            )
            .route(
                "/feed.xml",
                axum::routing::get(move || {
                    let f = feed.clone();
                    async move {
                        (
                            [("content-type", "application/rss+xml")],
                            f.lock().unwrap().clone(),
                        )
                    }
                }),
            ),
    )
    .await
}

async fn context_for(dir: &Path, sources: &str) -> windvane::pipeline::Context {
    let path = dir.join("windvane.toml");
    std::fs::write(
        &path,
        config_text("metrics_listen = \"off\"", "5s", sources),
    )
    .unwrap();
    windvane::pipeline::Context::new(windvane::config::Config::load(Some(&path)).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeline_of_the_wrong_shape_is_a_parse_failure_naming_the_path() {
    let body = Arc::new(Mutex::new(Vec::new()));
    let addr = raw_server(body.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context_for(
        dir.path(),
        &(weibo_source("wb", addr, "every 1h") + "recheck_window = \"0s\"\n"),
    )
    .await;
    let src = ctx.cfg.sources[0].clone();
    for (answer, path) in [
        (r#"{"ok":1,"data":null}"#, "`data`"),
        (r#"{"ok":1,"data":{"cards":{"0":{}}}}"#, "`data.cards`"),
        (r#"{"ok":1,"data":{}}"#, "`data.cards`"),
        (r#"[1,2]"#, "`$`"),
    ] {
        *body.lock().unwrap() = answer.as_bytes().to_vec();
        let r = windvane::pipeline::run_source(&ctx, &src).await;
        assert_eq!(r.error_kind.as_deref(), Some("parse"), "{answer}: {r:?}");
        let err = r.error.unwrap_or_default();
        assert!(err.contains(path), "{answer}: {err}");
        let runs = ctx.store.fetch_runs("wb").unwrap();
        assert_eq!(runs.last().unwrap().state, "failing", "{answer}");
    }
    // The right shape with an empty list: `no-items`, not a quiet success.
    *body.lock().unwrap() = br#"{"ok":1,"data":{"cardlistInfo":{"total":0},"cards":[]}}"#.to_vec();
    let r = windvane::pipeline::run_source(&ctx, &src).await;
    assert_eq!(r.error_kind.as_deref(), Some("no-items"), "{r:?}");
    let runs = ctx.store.fetch_runs("wb").unwrap();
    assert_eq!(runs.last().unwrap().state, "no-items");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_bad_card_or_feed_entry_costs_itself_only() {
    let body = Arc::new(Mutex::new(Vec::new()));
    let addr = raw_server(body.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = context_for(
        dir.path(),
        &(weibo_source("wb", addr, "every 1h")
            + "recheck_window = \"0s\"\n"
            + &format!(
                "\n[[sources]]\nid = \"feed\"\nkind = \"rss\"\nurl = \"http://{addr}/feed.xml\"\nschedule = \"every 1h\"\n"
            )),
    )
    .await;
    let now = Utc::now();
    // Ten good cards, and between them: invalid UTF-8, a number out of range, deep nesting.
    let mut page = br#"{"ok":1,"data":{"cardlistInfo":{"total":13},"cards":["#.to_vec();
    for i in 0..10 {
        let c = card(&format!("{}", 900 + i), &format!("普通消息{i}"), now, 0);
        page.extend_from_slice(c.to_string().as_bytes());
        page.push(b',');
        match i {
            2 => page.extend_from_slice(
                b"{\"card_type\":9,\"mblog\":{\"id\":\"1\",\"text\":\"\xff\xfe\xfd\"}},",
            ),
            5 => page
                .extend_from_slice(br#"{"card_type":9,"mblog":{"id":"2","reposts_count":1e999}},"#),
            7 => {
                page.extend_from_slice(br#"{"card_type":9,"mblog":{"id":"3","x":"#);
                page.extend_from_slice(&b"[".repeat(500));
                page.extend_from_slice(&b"]".repeat(500));
                page.extend_from_slice(b"}},");
            }
            _ => {}
        }
    }
    page.pop();
    page.extend_from_slice(b"]}}");
    *body.lock().unwrap() = page;
    let wb = ctx.cfg.sources[0].clone();
    let r = windvane::pipeline::run_source(&ctx, &wb).await;
    assert_eq!(r.error, None, "{r:?}");
    assert_eq!((r.new_posts, r.parse_issues), (10, 3), "{r:?}");

    // RSS: one item with invalid UTF-8 among two good ones.
    let mut feed =
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>t</title>"
            .to_vec();
    for (i, text) in [&b"\xe4\xb8\x80"[..], b"\xff\xfe", b"\xe4\xba\x8c"]
        .iter()
        .enumerate()
    {
        feed.extend_from_slice(format!("<item><guid>g{i}</guid><title>").as_bytes());
        feed.extend_from_slice(text);
        feed.extend_from_slice(
            b"</title><pubDate>Tue, 26 Nov 2024 10:00:00 +0800</pubDate></item>",
        );
    }
    feed.extend_from_slice(b"</channel></rss>");
    *body.lock().unwrap() = feed;
    let rss = ctx.cfg.sources[1].clone();
    let r = windvane::pipeline::run_source(&ctx, &rss).await;
    assert_eq!(r.error, None, "{r:?}");
    assert_eq!((r.new_posts, r.parse_issues), (2, 1), "{r:?}");
    let texts: Vec<String> = {
        let conn = rusqlite::Connection::open(ctx.store.path()).unwrap();
        let mut st = conn
            .prepare("SELECT text FROM posts WHERE source_id = 'feed' ORDER BY platform_id")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(texts, ["一", "二"]);
}

// ---------------------------------------------------------------------------------------------
// Pages built to freeze a parser, texts built to freeze the classifier

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_html_costs_its_own_source_while_a_healthy_one_keeps_its_schedule() {
    // 150,000 nested elements: minutes for a tree builder whose time grows with depth².
    let deep = format!(
        "<html><body><ul class=\"list\">{}</ul></body></html>",
        "<div>".repeat(150_000)
    );
    let page = Arc::new(deep);
    let p = page.clone();
    let deep_addr = serve(Router::new().route(
        "/list.html",
        axum::routing::get(move || {
            let p = p.clone();
            async move { ([("content-type", "text/html; charset=utf-8")], (*p).clone()) }
        }),
    ))
    .await;
    let weibo = Arc::new(WeiboState::default());
    let good = weibo_server(weibo.clone()).await;
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        timeline(&[card("1", "普通。", Utc::now(), 0)], None),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    let mut sources = weibo_source("good", good, "every 1s") + "recheck_window = \"0s\"\n";
    for id in ["deep1", "deep2"] {
        sources += &format!(
            "\n[[sources]]\nid = \"{id}\"\nkind = \"html\"\nurl = \"http://{deep_addr}/list.html\"\nschedule = \"every 1s\"\nitem = \"ul.list li\"\ntitle = \"a\"\nlink = \"a@href\"\n"
        );
    }
    std::fs::write(
        &path,
        config_text("metrics_listen = \"127.0.0.1:0\"", "900ms", &sources).replace(
            "jitter = \"0s\"",
            "jitter = \"0s\"\nmax_body_bytes = 4194304",
        ),
    )
    .unwrap();
    let db = dir.path().join("windvane.db");
    let mut d = Daemon::start(&path);
    let health = health_addr(&d).await;
    // /healthz keeps answering (2 s client timeout) while the deep pages come and go, and the
    // healthy source keeps running once a second.
    let mut answered = 0;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let r = http_get(&format!("http://{health}/healthz")).await;
        assert!(r.is_some(), "/healthz did not answer: {}", d.log_text());
        answered += 1;
        let good_runs = count(
            &db,
            "SELECT count(*) FROM fetch_runs WHERE source_id = 'good' AND error_kind IS NULL",
        );
        let deep_fails = count(
            &db,
            "SELECT count(*) FROM fetch_runs WHERE source_id LIKE 'deep%' AND error_kind = 'parse'",
        );
        if good_runs >= 5 && deep_fails >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    d.signal("TERM");
    let exit = d.wait_exit(Duration::from_secs(20));
    assert_eq!(exit.and_then(|e| e.code()), Some(0), "{}", d.log_text());
    let good_runs = count(
        &db,
        "SELECT count(*) FROM fetch_runs WHERE source_id = 'good' AND error_kind IS NULL",
    );
    assert!(
        good_runs >= 5,
        "the healthy source kept its schedule: {good_runs} runs; {}",
        d.log_text()
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let errors: Vec<String> = conn
        .prepare("SELECT error FROM fetch_runs WHERE source_id LIKE 'deep%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(errors.len() >= 4, "{errors:?}");
    assert!(
        errors.iter().all(|e| e.contains("nests elements")),
        "{errors:?}"
    );
    assert!(answered > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500k_character_post_is_stored_whole_and_classified_on_its_start() {
    let weibo = Arc::new(WeiboState::default());
    let addr = weibo_server(weibo.clone()).await;
    // A trade-talks sentence, then half a million characters of filler.
    let long: String = format!(
        "{TALKS}{}",
        "今天天气晴朗，市民出行平稳。".repeat(500_000 / 14)
    );
    let total = long.chars().count();
    assert!(total > 500_000);
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        timeline(&[card("42", &long, Utc::now(), 0)], None),
    );
    let dir = tempfile::tempdir().unwrap();
    let ctx = context_for(
        dir.path(),
        &(weibo_source("wb", addr, "every 1h") + "recheck_window = \"0s\"\n"),
    )
    .await;
    let src = ctx.cfg.sources[0].clone();
    let r = windvane::pipeline::run_source(&ctx, &src).await;
    assert_eq!(
        (r.error.as_deref(), r.new_posts, r.flagged),
        (None, 1, 1),
        "{r:?}"
    );
    let conn = rusqlite::Connection::open(ctx.store.path()).unwrap();
    let (chars, explanation): (i64, String) = conn
        .query_row(
            "SELECT length(p.text), c.explanation FROM posts p JOIN classifications c ON c.post_id = p.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(chars as usize, total, "the stored text is whole");
    assert!(
        explanation.contains(&format!("first 20000 of {total} characters")),
        "{explanation}"
    );
}

// ---------------------------------------------------------------------------------------------
// Terminal escapes from posts

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_escapes_from_every_source_are_shown_inert_and_stored_raw() {
    // OSC 0 (window title), ESC[2J (clear screen), OSC 52 (clipboard write), in each source.
    let weibo = Arc::new(WeiboState::default());
    let wb = weibo_server(weibo.clone()).await;
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        timeline(
            &[card(
                "77",
                &format!("\u{1b}]0;owned\u{7}{TALKS}\u{1b}[2J"),
                Utc::now(),
                0,
            )],
            None,
        ),
    );
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>f</title>\
         <item><guid>e1</guid><title>&#27;]52;c;cm0gLXJmIH4=&#7;{TALKS}</title>\
         <pubDate>Tue, 26 Nov 2024 10:00:00 +0800</pubDate></item></channel></rss>"
    );
    let list = format!(
        "<html><body><ul class=\"list\"><li><a href=\"/a1.html\">&#27;[2J{TALKS}</a></li></ul></body></html>"
    );
    let other = serve(
        Router::new()
            .route(
                "/feed.xml",
                axum::routing::get(move || {
                    let f = feed.clone();
                    async move { ([("content-type", "application/rss+xml")], f) }
                }),
            )
            .route(
                "/list.html",
                axum::routing::get(move || {
                    let l = list.clone();
                    async move { ([("content-type", "text/html; charset=utf-8")], l) }
                }),
            ),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let sources = weibo_source("wb", wb, "every 1h")
        + "recheck_window = \"0s\"\n"
        + &format!("\n[[sources]]\nid = \"feed\"\nkind = \"rss\"\nurl = \"http://{other}/feed.xml\"\nschedule = \"every 1h\"\n")
        + &format!("\n[[sources]]\nid = \"page\"\nkind = \"html\"\nurl = \"http://{other}/list.html\"\nschedule = \"every 1h\"\nitem = \"ul.list li\"\ntitle = \"a\"\nlink = \"a@href\"\n");
    let ctx = context_for(dir.path(), &sources).await;
    for src in ctx.cfg.sources.clone() {
        let r = windvane::pipeline::run_source(&ctx, &src).await;
        assert_eq!((r.error.as_deref(), r.new_posts), (None, 1), "{r:?}");
    }
    let conn = rusqlite::Connection::open(ctx.store.path()).unwrap();
    let raw: i64 = conn
        .query_row(
            "SELECT count(*) FROM posts WHERE instr(text, char(27)) > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(raw, 3, "the stored text keeps what the source sent");
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM posts ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let config = dir.path().join("windvane.toml");
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("windvane")
            .unwrap()
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let mut shown = vec![
        run(&["review", "list"]),
        run(&["export", "--format", "csv"]),
    ];
    for id in &ids {
        shown.push(run(&["review", "show", &id.to_string()]));
    }
    for out in &shown {
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "a control character reached the terminal: {out:?}"
        );
    }
    assert_eq!(shown[0].matches("\\u{1b}").count(), 4, "{}", shown[0]);
    assert!(shown[1].contains("\\u{1b}]52;c;"), "{}", shown[1]);
}
