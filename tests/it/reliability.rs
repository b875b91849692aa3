//! Reliability, proven: SIGKILL at random moments (real binary, thousands of posts), bad
//! sources beside a good one, storage faults (query-only, full, locked), and a soak that
//! watches memory and file handles. Iterations and durations grow with env vars:
//! `WINDVANE_CRASH_ITERATIONS` (default 6), `WINDVANE_SOAK_SECS` (default 6).

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use rand::{Rng, SeedableRng};
use windvane::config::Config;
use windvane::daemon::{self, Signal, Stopped};
use windvane::pipeline::{self, Context};

use crate::common::*;
use crate::daemon::*;

fn env_n(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------------------------
// A timeline of thousands of posts, growing over time.

const PAGE: usize = 100;

struct Feed {
    /// Newest last. Every 7th post is a trade-talks post (flagged, alerted).
    posts: Mutex<Vec<serde_json::Value>>,
    requests: AtomicUsize,
}

impl Feed {
    fn new(n: usize) -> Feed {
        let f = Feed {
            posts: Mutex::new(Vec::new()),
            requests: AtomicUsize::new(0),
        };
        f.grow(n);
        f
    }

    fn grow(&self, n: usize) {
        let mut posts = self.posts.lock().unwrap();
        let start = posts.len();
        let base = Utc::now() - chrono::Duration::hours(30);
        for i in start..start + n {
            let text = if i % 7 == 0 {
                format!("{TALKS} 编号{i}")
            } else {
                format!("普通消息编号{i}。")
            };
            posts.push(card(
                &format!("{}", 1_000_000 + i),
                &text,
                base + chrono::Duration::seconds(i as i64),
                0,
            ));
        }
    }

    fn ids(&self) -> HashSet<String> {
        (0..self.posts.lock().unwrap().len())
            .map(|i| format!("{}", 1_000_000 + i))
            .collect()
    }
}

async fn feed_index(
    State(f): State<Arc<Feed>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    f.requests.fetch_add(1, Ordering::Relaxed);
    let posts = f.posts.lock().unwrap();
    // since_id = the mid of the last post on the previous page; newest first.
    let newest_first: Vec<&serde_json::Value> = posts.iter().rev().collect();
    let start = match q.get("since_id") {
        None => 0,
        Some(s) => newest_first
            .iter()
            .position(|c| c["mblog"]["mid"].as_str() == Some(s.as_str()))
            .map(|p| p + 1)
            .unwrap_or(newest_first.len()),
    };
    let page: Vec<serde_json::Value> = newest_first
        .iter()
        .skip(start)
        .take(PAGE)
        .map(|c| (*c).clone())
        .collect();
    let since = page
        .last()
        .filter(|_| start + PAGE < newest_first.len())
        .and_then(|c| c["mblog"]["mid"].as_str().map(str::to_string));
    (
        [("content-type", "application/json")],
        timeline(&page, since.as_deref()),
    )
        .into_response()
}

async fn feed_server(f: Arc<Feed>) -> SocketAddr {
    serve(
        Router::new()
            .route("/api/container/getIndex", get(feed_index))
            .with_state(f),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Crash: SIGKILL at random moments

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_at_random_moments_loses_and_duplicates_nothing() {
    let iterations = env_n("WINDVANE_CRASH_ITERATIONS", 6);
    let seed = env_n("WINDVANE_CRASH_SEED", 7);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let feed = Arc::new(Feed::new(2000));
    let addr = feed_server(feed.clone()).await;
    let receiver = Arc::new(Receiver::default());
    let hook = webhook_server(receiver.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    let source =
        weibo_source("feed", addr, "every 1s") + "backfill_pages = 40\nrecheck_window = \"0s\"\n";
    let text = config_text("metrics_listen = \"off\"", "900ms", &source).replace(
        "[[alerts]]\nid = \"log\"\nkind = \"log\"",
        &format!("[[alerts]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://{hook}/hook\""),
    );
    std::fs::write(&path, text).unwrap();
    let db = dir.path().join("windvane.db");
    let started = Instant::now();

    let check = |db: &Path| {
        let conn = rusqlite::Connection::open(db).unwrap();
        let migrated: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'posts'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if migrated == 0 {
            // Killed before the first migration committed: nothing there, nothing lost.
            return 0;
        }
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        // Nothing half-written: each post has exactly its one classification; each flagged
        // post its one alert; no alert without its post.
        assert_eq!(
            q("SELECT count(*) FROM posts p WHERE (SELECT count(*) FROM classifications c WHERE c.post_id = p.id) != 1"),
            0
        );
        assert_eq!(
            q("SELECT count(*) FROM posts p WHERE p.text LIKE '%关税%'
               AND (SELECT count(*) FROM alerts a WHERE a.post_id = p.id) != 1"),
            0
        );
        assert_eq!(q("SELECT count(*) FROM alerts a WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = a.post_id)"), 0);
        q("SELECT count(*) FROM posts")
    };

    let mut kills = 0;
    let mut stored_before = 0;
    // Alerts each start found in flight (marked as being sent, no outcome): the only ones
    // that may arrive twice.
    let mut in_doubt = 0usize;
    let in_flight = |log: &str| -> usize {
        log.lines()
            .filter(|l| l.contains("were being sent when the last process stopped"))
            .filter_map(|l| l.split("alerts=").nth(1))
            .filter_map(|n| n.split_whitespace().next()?.parse::<usize>().ok())
            .sum()
    };
    for i in 0..iterations {
        let mut d = Daemon::start(&path);
        let wait = Duration::from_millis(rng.random_range(150..2500));
        tokio::time::sleep(wait).await;
        assert!(
            d.child.try_wait().unwrap().is_none(),
            "daemon died: {}",
            d.log_text()
        );
        d.child.kill().unwrap(); // SIGKILL
        d.child.wait().unwrap();
        in_doubt += in_flight(&d.log_text());
        kills += 1;
        let stored = check(&db);
        assert!(stored >= stored_before, "posts went missing after kill {i}");
        stored_before = stored;
        // New posts appear between runs, as on a live account.
        feed.grow(30);
    }

    // A last run to the end: every post the feed ever showed is stored once; every alert
    // delivered, duplicates only where a kill fell between send and record (same key).
    let mut d = Daemon::start(&path);
    let all = feed.ids();
    let done = eventually(Duration::from_secs(90), || {
        db.exists()
            && count(&db, "SELECT count(*) FROM posts") as usize == all.len()
            && count(&db, "SELECT count(*) FROM alerts WHERE status != 'sent'") == 0
    })
    .await;
    d.signal("TERM");
    let _ = d.wait_exit(Duration::from_secs(8));
    in_doubt += in_flight(&d.log_text());
    assert!(
        done,
        "not caught up: {} of {} posts, {} alerts not sent ({:?}); log:\n{}",
        count(&db, "SELECT count(*) FROM posts"),
        all.len(),
        count(&db, "SELECT count(*) FROM alerts WHERE status != 'sent'"),
        {
            let c = rusqlite::Connection::open(&db).unwrap();
            let mut st = c
                .prepare("SELECT status, attempts, last_error, sending_at FROM alerts WHERE status != 'sent' LIMIT 3")
                .unwrap();
            st.query_map([], |r| {
                Ok(format!(
                    "{}/{}/{:?}/{:?}",
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
        },
        d.log_text()
            .lines()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let stored = check(&db);
    assert_eq!(stored as usize, all.len());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stmt = conn.prepare("SELECT platform_id FROM posts").unwrap();
    let ids: HashSet<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids, all, "no post lost");
    let mut stmt = conn.prepare("SELECT idempotency_key FROM alerts").unwrap();
    let keys: HashSet<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let calls = receiver.calls.lock().unwrap();
    let received: Vec<String> = calls
        .iter()
        .map(|c| c.idempotency_key.clone().unwrap())
        .collect();
    let distinct: HashSet<&String> = received.iter().collect();
    assert_eq!(
        distinct.len(),
        keys.len(),
        "every alert delivered, none invented"
    );
    let duplicates = received.len() - distinct.len();
    assert!(
        duplicates <= kills,
        "{duplicates} duplicates for {kills} kills"
    );
    assert!(
        duplicates <= in_doubt,
        "every repeat was an alert found in flight at a start: {duplicates} > {in_doubt}"
    );
    eprintln!(
        "crash test: {kills} SIGKILLs, {} posts, {} alerts, {duplicates} duplicate deliveries (same key; {:.3} per kill), {in_doubt} alerts found in flight at restarts, 0 lost, {:?}",
        all.len(),
        keys.len(),
        duplicates as f64 / kills.max(1) as f64,
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// Bad sources beside a good one

/// A Weibo API whose timeline misbehaves as `kind` says; also serves a broken RSS feed.
async fn bad_server(kind: &'static str) -> SocketAddr {
    let index = move || async move {
        match kind {
            "storm" => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            "stall" => {
                // Headers and the start of a body, then nothing.
                let stream = futures::stream::unfold(0u8, |n| async move {
                    if n == 0 {
                        Some((
                            Ok::<_, std::io::Error>(b"{\"ok\":1,\"data\":{\"cards\":[".to_vec()),
                            1,
                        ))
                    } else {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        None
                    }
                });
                Body::from_stream(stream).into_response()
            }
            "huge" => {
                // A gigabyte, lazily: the fetcher must stop at its cap.
                let chunk = vec![b' '; 64 * 1024];
                let stream = futures::stream::iter(
                    (0..16 * 1024).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
                );
                Body::from_stream(stream).into_response()
            }
            "utf8" => b"{\"ok\":1,\"data\":{\"cards\":[{\"card_type\":9,\"mblog\":{\"text\":\"\xff\xfe\xfd\"}}]}}"
                .to_vec()
                .into_response(),
            _ => "{\"ok\":1,\"data\":{\"cards\":[{\"card_ty".into_response(),
        }
    };
    let feed = || async {
        (
            [("content-type", "application/rss+xml")],
            "<rss><channel><item><title>x</ti",
        )
    };
    serve(
        Router::new()
            .route("/api/container/getIndex", get(index))
            .route("/feed.xml", get(feed)),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_sources_fail_recorded_while_the_good_one_keeps_its_schedule() {
    let weibo = Arc::new(WeiboState::default());
    let good = weibo_server(weibo.clone()).await;
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        timeline(&[card("1", "普通。", Utc::now(), 0)], None),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    let mut sources = weibo_source("good", good, "every 1s");
    let mut feed_addr = None;
    for kind in ["storm", "stall", "huge", "utf8", "malformed"] {
        let bad = bad_server(kind).await;
        feed_addr = Some(bad);
        sources += &weibo_source(kind, bad, "every 1s");
    }
    sources += &format!(
        "\n[[sources]]\nid = \"badfeed\"\nkind = \"rss\"\nurl = \"http://{}/feed.xml\"\nschedule = \"every 1s\"\n",
        feed_addr.unwrap()
    );
    let text = config_text("metrics_listen = \"off\"", "600ms", &sources).replace(
        "jitter = \"0s\"",
        "jitter = \"0s\"\nmax_body_bytes = 1048576",
    );
    std::fs::write(&path, text).unwrap();
    let ctx = Context::new(Config::load(Some(&path)).unwrap()).unwrap();
    let store = ctx.store.clone();
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let started = Instant::now();
    let run = tokio::spawn(daemon::run_with_signals(ctx, rx));
    // Until the good source has run three times and every bad one twice (a generous deadline).
    let bad = ["storm", "stall", "huge", "utf8", "malformed", "badfeed"];
    let enough = eventually(Duration::from_secs(60), || {
        store.fetch_runs("good").unwrap().len() >= 3
            && bad.iter().all(|b| store.fetch_runs(b).unwrap().len() >= 2)
    })
    .await;
    tx.send(Signal::Shutdown).await.unwrap();
    let stopped = tokio::time::timeout(Duration::from_secs(8), run)
        .await
        .expect("stops within the grace")
        .unwrap()
        .unwrap();
    assert_eq!(stopped, Stopped::Clean);
    assert!(enough, "runs: good {:?}", store.fetch_runs("good").unwrap());
    let good_runs = store.fetch_runs("good").unwrap();
    assert!(
        good_runs.len() >= 3 && good_runs.iter().all(|r| r.error.is_none()),
        "the good source kept its 1s schedule: {good_runs:?}"
    );
    for (id, kind) in [
        ("storm", "http-5xx"),
        ("stall", "timeout"),
        ("huge", "too-large"),
        ("utf8", "parse"),
        ("malformed", "parse"),
        ("badfeed", "parse"),
    ] {
        let runs = store.fetch_runs(id).unwrap();
        assert!(runs.len() >= 2, "{id}: {runs:?}");
        assert!(
            runs.iter()
                .all(|r| r.error.as_ref().is_some_and(|e| e.0 == kind)),
            "{id} should fail as {kind}: {runs:?}"
        );
    }
    eprintln!(
        "bad sources: {} good runs in {:?}",
        good_runs.len(),
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// Storage faults

fn half_written(store: &windvane::store::Store) -> i64 {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.query_row(
        "SELECT count(*) FROM posts p WHERE NOT EXISTS (SELECT 1 FROM classifications c WHERE c.post_id = p.id)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_faults_give_a_clear_error_then_recover_with_nothing_half_written() {
    let weibo = Arc::new(WeiboState::default());
    let addr = weibo_server(weibo.clone()).await;
    let now = Utc::now();
    let cards: Vec<_> = (0..50)
        .map(|i| card(&format!("{}", 100 + i), &format!("{TALKS}{i}"), now, 0))
        .collect();
    let cid = format!("107603{UID}");
    weibo
        .timelines
        .lock()
        .unwrap()
        .insert(cid.clone(), timeline(&cards[..10], None));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    std::fs::write(
        &path,
        config_text(
            "metrics_listen = \"off\"",
            "2s",
            &(weibo_source("wb", addr, "every 1h") + "recheck_window = \"0s\"\n"),
        ),
    )
    .unwrap();
    let ctx = Context::new(Config::load(Some(&path)).unwrap()).unwrap();
    let src = ctx.cfg.sources[0].clone();
    let store = ctx.store.clone();
    assert_eq!(pipeline::run_source(&ctx, &src).await.new_posts, 10);

    // Read-only: every write refused.
    weibo
        .timelines
        .lock()
        .unwrap()
        .insert(cid.clone(), timeline(&cards[..20], None));
    store.set_query_only(true).unwrap();
    let r = pipeline::run_source(&ctx, &src).await;
    assert_eq!(r.error_kind.as_deref(), Some("store"), "{r:?}");
    assert!(r.error.unwrap().contains("readonly"), "a clear error");
    let h = windvane::health::evaluate(&store, &ctx.cfg, Utc::now());
    assert!(!h.writable && !h.healthy && h.needs_operator);
    store.set_query_only(false).unwrap();
    assert_eq!(
        pipeline::run_source(&ctx, &src).await.new_posts,
        10,
        "retried and stored"
    );

    // Disk full: the database may not grow.
    weibo
        .timelines
        .lock()
        .unwrap()
        .insert(cid.clone(), timeline(&cards[..50], None));
    let pages = store.page_count().unwrap();
    store.set_max_page_count(pages).unwrap();
    let r = pipeline::run_source(&ctx, &src).await;
    assert_eq!(r.error_kind.as_deref(), Some("store"), "{r:?}");
    assert!(r.error.unwrap().contains("full"));
    assert_eq!(
        store.post_count().unwrap(),
        20,
        "the whole batch rolled back"
    );
    store.set_max_page_count(1 << 30).unwrap();

    // Locked by another process (a backup, sqlite3 shell): waits busy_timeout, fails, retries.
    let other = rusqlite::Connection::open(store.path()).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let t = Instant::now();
    let r = pipeline::run_source(&ctx, &src).await;
    assert!(r.error.as_deref().unwrap_or("").contains("locked"), "{r:?}");
    assert!(t.elapsed() < Duration::from_secs(5));
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    let r = pipeline::run_source(&ctx, &src).await;
    assert_eq!(r.new_posts, 30, "{r:?}");
    assert_eq!(store.post_count().unwrap(), 50);
    assert_eq!(half_written(&store), 0);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_rides_out_an_unwritable_store_without_a_crash_loop() {
    let weibo = Arc::new(WeiboState::default());
    let addr = weibo_server(weibo.clone()).await;
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        timeline(&[card("1", TALKS, Utc::now(), 0)], None),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    std::fs::write(
        &path,
        config_text(
            "metrics_listen = \"off\"",
            "500ms",
            &weibo_source("wb", addr, "every 1s"),
        ),
    )
    .unwrap();
    let ctx = Context::new(Config::load(Some(&path)).unwrap()).unwrap();
    let store = ctx.store.clone();
    store.set_query_only(true).unwrap();
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let started = Instant::now();
    let run = tokio::spawn(daemon::run_with_signals(ctx, rx));
    // Two ticks' tries (the event), then: still running, nothing stored, and no more tries
    // than the 1 s ticks that passed allow (no tight loop; a slow machine only makes fewer).
    assert!(eventually(Duration::from_secs(30), || weibo.count("getIndex") >= 2).await);
    assert!(!run.is_finished(), "the daemon keeps going");
    assert_eq!(store.post_count().unwrap(), 0);
    let tries = weibo.count("getIndex");
    let ticks = started.elapsed().as_secs() as usize + 1;
    assert!(
        tries <= ticks + 1,
        "one try per tick, no tight loop: {tries} tries in {ticks} ticks"
    );
    store.set_query_only(false).unwrap();
    assert!(eventually(Duration::from_secs(3), || store.post_count().unwrap() == 1).await);
    tx.send(Signal::Shutdown).await.unwrap();
    let stopped = run.await.unwrap().unwrap();
    assert_eq!(stopped, Stopped::Clean);
    assert_eq!(half_written(&store), 0);
    let runs = store.fetch_runs("wb").unwrap();
    assert!(runs.iter().any(|r| r.error.is_none()), "{runs:?}");
}

// ---------------------------------------------------------------------------------------------
// Soak: many sources, short schedules; memory and file handles stay flat.

/// The process's resident memory. Panics when /proc cannot tell: a soak that cannot measure
/// must not pass.
fn rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("cannot read /proc/{pid}/status to measure memory: {e}"));
    let kib = s
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no VmRSS line in /proc/{pid}/status: {s}"));
    assert!(kib > 0, "VmRSS of {pid} reads 0");
    kib
}

/// The process's open file handles. Panics when /proc cannot tell.
fn fds(pid: u32) -> usize {
    let n = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap_or_else(|e| panic!("cannot list /proc/{pid}/fd to count handles: {e}"))
        .count();
    assert!(
        n > 0,
        "a running daemon has open handles; /proc/{pid}/fd lists none"
    );
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_many_sources_memory_and_handles_stay_flat() {
    let secs = env_n("WINDVANE_SOAK_SECS", 6);
    let feed = Arc::new(Feed::new(200));
    let addr = feed_server(feed.clone()).await;
    let broken = bad_server("malformed").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    let mut sources = String::new();
    for i in 0..20 {
        sources += &weibo_source(&format!("s{i}"), addr, "every 1s");
        sources += "recheck_every = \"2s\"\n";
    }
    for i in 0..4 {
        sources += &format!(
            "\n[[sources]]\nid = \"bad{i}\"\nkind = \"rss\"\nurl = \"http://{broken}/feed.xml\"\nschedule = \"every 1s\"\n"
        );
    }
    std::fs::write(
        &path,
        config_text("metrics_listen = \"off\"", "800ms", &sources),
    )
    .unwrap();
    let db = dir.path().join("windvane.db");
    let mut d = Daemon::start(&path);
    let pid = d.child.id();
    // Warm up: every source has run and rechecked a few times.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (rss0, fd0) = (rss_kib(pid), fds(pid));
    let mut peak_fd = fd0;
    let mut samples = Vec::new();
    let end = Instant::now() + Duration::from_secs(secs.saturating_sub(3).max(2));
    while Instant::now() < end {
        feed.grow(3);
        tokio::time::sleep(Duration::from_millis(500)).await;
        peak_fd = peak_fd.max(fds(pid));
        samples.push(rss_kib(pid));
    }
    // Let every source catch up with the last posts.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (rss1, fd1) = (rss_kib(pid), fds(pid));
    d.signal("TERM");
    let exit = d.wait_exit(Duration::from_secs(8));
    assert_eq!(exit.and_then(|e| e.code()), Some(0), "{}", d.log_text());
    let runs = count(&db, "SELECT count(*) FROM fetch_runs");
    eprintln!(
        "soak: {secs}s, 24 sources, {runs} runs, {} requests; RSS {rss0} → {rss1} KiB (max {}), fds {fd0} → {fd1} (peak {peak_fd})",
        feed.requests.load(Ordering::Relaxed),
        samples.iter().max().unwrap_or(&0)
    );
    assert!(runs >= 24 * 3, "{runs} runs");
    // Idle pooled HTTP connections come and go; a leak of one handle per run would show as
    // hundreds here ({runs} runs).
    assert!(
        fd1 <= fd0 + 16,
        "file handles grew: {fd0} → {fd1} over {runs} runs"
    );
    assert!(
        peak_fd <= fd0 + 40,
        "file handles spiked: {fd0} → {peak_fd}"
    );
    assert!(rss1 <= rss0 + 40 * 1024, "memory grew: {rss0} → {rss1} KiB");
    assert_eq!(
        count(
            &db,
            "SELECT count(DISTINCT platform_id) FROM posts WHERE source_id = 's0'"
        ) as usize,
        feed.ids().len(),
        "every source kept up with the feed"
    );
}

// ---------------------------------------------------------------------------------------------
// A long first run, cut short again and again

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_first_run_cut_short_again_and_again_keeps_every_page_it_stored() {
    // Ten pages of 100 posts, each answered after 100 ms.
    let feed = Arc::new(Feed::new(1000));
    let f = feed.clone();
    let addr = serve(Router::new().route(
        "/api/container/getIndex",
        get(move |q: Query<HashMap<String, String>>| {
            let f = f.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                feed_index(State(f), q).await
            }
        }),
    ))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    // A page that fails (a timeout on a loaded machine) is tried again at the next tick.
    let source =
        weibo_source("feed", addr, "every 10s") + "backfill_pages = 40\nrecheck_window = \"0s\"\n";
    std::fs::write(
        &path,
        config_text("metrics_listen = \"off\"", "5s", &source),
    )
    .unwrap();
    let db = dir.path().join("windvane.db");
    // Posts stored so far (none while the database is not there or not migrated yet).
    let stored = || -> i64 {
        let Ok(conn) = rusqlite::Connection::open(&db) else {
            return 0;
        };
        conn.query_row(
            "SELECT count(*) FROM posts WHERE source_id = 'feed'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0)
    };
    // Each run is killed once it has asked for four more pages, before it could finish: a
    // restart reads the top page and the page it resumes at (stored already, read again),
    // so the fourth request comes after at least one new page was stored.
    let mut after_each = Vec::new();
    for _ in 0..15 {
        let asked = feed.requests.load(Ordering::Relaxed);
        let mut d = Daemon::start(&path);
        let reached = eventually(Duration::from_secs(60), || {
            feed.requests.load(Ordering::Relaxed) >= asked + 4 || stored() == 1000
        })
        .await;
        assert!(
            reached,
            "the daemon never read four pages: {}",
            d.log_text()
        );
        d.child.kill().unwrap();
        d.child.wait().unwrap();
        after_each.push(stored());
        if *after_each.last().unwrap() == 1000 {
            break;
        }
    }
    assert!(
        after_each.windows(2).all(|w| w[1] > w[0]) && after_each[0] > 0,
        "every restart stores more: {after_each:?}"
    );
    assert_eq!(after_each.last(), Some(&1000), "{after_each:?}");
    assert_eq!(
        count(&db, "SELECT count(DISTINCT platform_id) FROM posts"),
        1000
    );
    eprintln!("long first run: posts stored after each kill {after_each:?}");
}
