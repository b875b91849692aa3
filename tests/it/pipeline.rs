//! End to end: Weibo-format server → windvane once (the real binary) → SQLite → webhook.

use std::sync::Arc;

use assert_cmd::Command;

use crate::common::*;

const UID: &str = "6279793937";

fn count(db: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

async fn once(config: std::path::PathBuf) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        Command::cargo_bin("windvane")
            .unwrap()
            .arg("--config")
            .arg(&config)
            .arg("once")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// Log text without terminal colour codes (`ESC [ … m`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_twice_stores_once_and_alerts_once() {
    let weibo = Arc::new(WeiboState::default());
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        read_fixture("weibo/mixed_trade_getindex.json"),
    );
    for id in ["4645748019299849", "4649031014551911"] {
        weibo.extends.lock().unwrap().insert(
            id.into(),
            read_fixture(&format!("weibo/weibo_detail_{id}.json")),
        );
    }
    let receiver = Arc::new(Receiver::default());
    let (waddr, haddr) = (
        weibo_server(weibo.clone()).await,
        webhook_server(receiver.clone()).await,
    );
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), waddr, haddr, UID);
    let db = dir.path().join("windvane.db");

    let first = once(config.clone()).await;
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM posts"), 10);
    // The trade post is classified talks; nothing else in the game account's feed is.
    let talks: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT p.platform_id FROM posts p JOIN classifications c ON c.post_id = p.id
             JOIN classification_labels l ON l.classification_id = c.id WHERE l.label = 'talks'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(talks, "4338185154550112");
    // Long texts were merged from statuses/extend.
    assert_eq!(
        count(&db, "SELECT count(*) FROM posts WHERE truncated = 1"),
        4,
        "4 long posts have no extend response"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM posts WHERE platform_id = '4645748019299849' AND truncated = 0 AND text NOT LIKE '%全文%'"), 1);
    // The run's log line counts the two previews completed before they were stored.
    let log = strip_ansi(&String::from_utf8_lossy(&first.stderr));
    assert!(
        log.lines()
            .any(|l| l.contains("Source run done.") && l.contains("long_texts_completed=2")),
        "{log}"
    );
    {
        let calls = receiver.calls.lock().unwrap();
        assert_eq!(calls.len(), 1, "exactly one webhook call");
        let body = &calls[0].body;
        assert_eq!(body["label"], "talks");
        assert_eq!(body["source"], "test-weibo");
        assert!(body["text"]
            .as_str()
            .unwrap()
            .contains("美中经贸高级别磋商"));
        assert!(body["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| !e["gloss"].as_str().unwrap().is_empty()));
        assert_eq!(
            calls[0].idempotency_key.as_deref(),
            body["idempotency_key"].as_str()
        );
    }

    let second = once(config).await;
    assert!(second.status.success());
    assert_eq!(
        count(&db, "SELECT count(*) FROM posts"),
        10,
        "nothing stored twice"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM alerts"), 1);
    assert_eq!(
        receiver.calls.lock().unwrap().len(),
        1,
        "nothing resent on the second pass"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM fetch_runs WHERE outcome = 'ok'"),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_receiver_keeps_alert_pending_then_delivers() {
    let weibo = Arc::new(WeiboState::default());
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        read_fixture("weibo/mixed_trade_getindex.json"),
    );
    let receiver = Arc::new(Receiver::default());
    *receiver.fail_next.lock().unwrap() = 1;
    let (waddr, haddr) = (
        weibo_server(weibo).await,
        webhook_server(receiver.clone()).await,
    );
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), waddr, haddr, UID);
    let db = dir.path().join("windvane.db");

    let out = once(config.clone()).await;
    assert!(out.status.success());
    assert_eq!(receiver.calls.lock().unwrap().len(), 0);
    assert_eq!(count(&db, "SELECT count(*) FROM alerts WHERE status = 'pending' AND attempts = 1 AND last_error LIKE '%503%'"), 1);
    // Make the retry due now, as time passing would.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE alerts SET next_attempt_at = '2000-01-01T00:00:00Z'",
            [],
        )
        .unwrap();
    let out = once(config).await;
    assert!(out.status.success());
    assert_eq!(receiver.calls.lock().unwrap().len(), 1);
    assert_eq!(
        count(&db, "SELECT count(*) FROM alerts WHERE status = 'sent'"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_source_exits_1_and_is_recorded() {
    let weibo = Arc::new(WeiboState::default());
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        r#"{"ok":-100,"url":"https://m.weibo.cn/captcha?scene=limit"}"#.into(),
    );
    let receiver = Arc::new(Receiver::default());
    let (waddr, haddr) = (weibo_server(weibo).await, webhook_server(receiver).await);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), waddr, haddr, UID);
    let out = once(config).await;
    assert_eq!(out.status.code(), Some(1));
    let db = dir.path().join("windvane.db");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM fetch_runs WHERE outcome = 'error' AND error_kind = 'blocked'"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM sources WHERE state = 'needs-cookie'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daemon_runs_at_start_and_shuts_down_cleanly() {
    let weibo = Arc::new(WeiboState::default());
    weibo.timelines.lock().unwrap().insert(
        format!("107603{UID}"),
        read_fixture("weibo/mixed_trade_getindex.json"),
    );
    let receiver = Arc::new(Receiver::default());
    let (waddr, haddr) = (
        weibo_server(weibo).await,
        webhook_server(receiver.clone()).await,
    );
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), waddr, haddr, UID);
    let cfg = windvane::config::Config::load(Some(&config)).unwrap();
    let ctx = windvane::pipeline::Context::new(cfg).unwrap();
    let store = ctx.store.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let daemon = tokio::spawn(windvane::daemon::run(ctx, async {
        let _ = rx.await;
    }));
    // The first run happens at start; wait for its posts and the dispatcher's delivery.
    for _ in 0..200 {
        if store.post_count().unwrap() == 10 && !receiver.calls.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(store.post_count().unwrap(), 10);
    assert_eq!(receiver.calls.lock().unwrap().len(), 1);
    tx.send(()).unwrap();
    let res = tokio::time::timeout(std::time::Duration::from_secs(11), daemon).await;
    assert!(
        matches!(res, Ok(Ok(Ok(())))),
        "daemon did not exit cleanly: {res:?}"
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

/// `windvane once` against local servers for every kind: a Weibo account configured by its
/// screen name, the RSSHub feed, and the HTML list page with its articles. The database holds
/// exactly the fixtures' posts, with full texts and UTC times.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_stores_exactly_the_fixtures_posts_of_every_kind() {
    use std::collections::BTreeSet;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Mutex;

    use axum::routing::get;

    // Weibo: 明日方舟Arknights by name → uid → the profile's tabsInfo container → ak_list_0.
    let weibo = Arc::new(WeiboState::default());
    weibo
        .names
        .lock()
        .unwrap()
        .insert("明日方舟Arknights".into(), UID.into());
    weibo
        .profiles
        .lock()
        .unwrap()
        .insert(UID.into(), read_fixture("weibo/weibo_ak_profile.json"));
    weibo.timelines.lock().unwrap().insert(
        "1076036279793937".into(),
        read_fixture("weibo/weibo_ak_list_0.json"),
    );
    // Long texts: one through statuses/extend, one only through its detail page (extend
    // empty, show refused); both real long texts. The other four have no full text anywhere.
    let extend_a = read_fixture("weibo/weibo_detail_4645748019299849.json");
    let extend_b = read_fixture("weibo/weibo_detail_4649031014551911.json");
    weibo
        .extends
        .lock()
        .unwrap()
        .insert("4645748019299849".into(), extend_a.clone());
    let long_b: serde_json::Value = serde_json::from_str(&extend_b).unwrap();
    let html_b = long_b["data"]["longTextContent"]
        .as_str()
        .unwrap()
        .to_string();
    let render = serde_json::json!([{"status": {"id": "4649031014551911", "text": html_b}}]);
    weibo.details.lock().unwrap().insert(
        "4649031014551911".into(),
        format!(
            "<html><body><script>var $render_data = {render}[0] || {{}};</script></body></html>"
        ),
    );
    let waddr = weibo_server(weibo.clone()).await;

    // RSS: the RSSHub feed.
    let feed = read_fixture("rss/rsshub_weibo_user_1935396210_demo.xml");
    let rss_app = axum::Router::new().route(
        "/weibo/user/1935396210",
        get(move || {
            let feed = feed.clone();
            async move { ([("content-type", "application/rss+xml")], feed) }
        }),
    );
    let raddr = serve(rss_app).await;

    // HTML: the list page behind a JavaScript redirect, four real or GBK articles.
    let haddr = crate::sources::html_site(
        Arc::new(Mutex::new(crate::sources::LIST_V1)),
        Arc::new(AtomicUsize::new(0)),
    )
    .await;

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("windvane.toml");
    std::fs::write(
        &config,
        format!(
            r#"
[store]
path = "windvane.db"

[fetch]
min_interval_per_host = "10ms"
retries = 1
retry_backoff = "10ms"
timeout = "5s"
jitter = "0s"

[[sources]]
id = "ak"
kind = "weibo"
screen_name = "明日方舟Arknights"
schedule = "every 1h"
backfill_pages = 1
api_base = "http://{waddr}"
passport_base = "http://{waddr}"

[[sources]]
id = "jump"
kind = "rss"
url = "http://{raddr}/weibo/user/1935396210"
schedule = "every 1h"

{html}
[[alerts]]
id = "log"
kind = "log"
"#,
            html = crate::sources::html_source(haddr),
        ),
    )
    .unwrap();
    let db = dir.path().join("windvane.db");
    let out = once(config).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(String, String, String, String, String, bool)> = conn
        .prepare(
            "SELECT source_id, platform_id, text, created_at, created_at_raw, truncated FROM posts",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let ids = |source: &str| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| r.0 == source)
            .map(|r| r.1.clone())
            .collect()
    };
    let row = |id: &str| rows.iter().find(|r| r.1 == id).unwrap().clone();

    // Weibo: the ten cards, every time the card's own `created_at` in UTC.
    let expected: BTreeSet<String> = [
        "4645748019299849",
        "4649031014551911",
        "4648806186747944",
        "4648004356937383",
        "4647212359090479",
        "4647211990255467",
        "4646917039199914",
        "4646569834450357",
        "4646502071534367",
        "4646192191903210",
    ]
    .map(String::from)
    .into();
    assert_eq!(ids("ak"), expected);
    for r in rows.iter().filter(|r| r.0 == "ak") {
        let utc = chrono::DateTime::parse_from_str(&r.4, "%a %b %d %H:%M:%S %z %Y")
            .unwrap()
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        assert_eq!(r.3, utc, "{}", r.1);
        assert!(
            !r.2.contains('<') && !r.2.contains("全文"),
            "{}: {}",
            r.1,
            r.2
        );
    }
    assert_eq!(row("4645748019299849").3, "2021-06-08T01:35:04Z");
    // Expected texts written out independently (tests/fixtures/weibo/expected/README.md).
    assert_eq!(
        row("4645748019299849").2,
        read_fixture("weibo/expected/4645748019299849.txt")
    );
    assert_eq!(
        row("4649031014551911").2,
        read_fixture("weibo/expected/4649031014551911.txt")
    );
    let previews: BTreeSet<String> = rows.iter().filter(|r| r.5).map(|r| r.1.clone()).collect();
    assert_eq!(
        previews,
        [
            "4647212359090479",
            "4646569834450357",
            "4646502071534367",
            "4646192191903210"
        ]
        .map(String::from)
        .into(),
        "kept as previews, marked for a later pass"
    );
    assert_eq!(weibo.count("name"), 1);

    // RSS: the two items, their full descriptions as plain text, pubDate in UTC.
    assert_eq!(
        ids("jump"),
        [
            "https://weibo.com/1935396210/PzxMFDdIO",
            "https://weibo.com/1935396210/PzxHZnoFG"
        ]
        .map(String::from)
        .into()
    );
    let jump1 = row("https://weibo.com/1935396210/PzxMFDdIO");
    assert_eq!(jump1.3, "2025-07-04T07:51:28Z");
    let jump2 = row("https://weibo.com/1935396210/PzxHZnoFG");
    assert_eq!(jump2.3, "2025-07-04T07:39:56Z");
    // The description is the whole post; RSSHub's title is a cut copy of it ("… [图片]").
    assert_eq!(
        jump1.2,
        "『致不灭的你』动画第三季「现世篇」视觉图公开！2025年10月开播！\n\n#致不灭的你#致不灭的你"
    );
    assert_eq!(jump2.2, "小畑健新绘 『棋魂』展纪念插画合集\n\n棋魂");

    // HTML: the four list items (not the navigation), each article's text, its PubDate (or
    // the list's date) as Beijing time in UTC.
    let article = |name: &str| format!("http://{haddr}/articles/{name}");
    assert_eq!(
        ids("mofcom"),
        [
            "people_1.html",
            "shanxi_1.html",
            "xinhuanet_1.html",
            "gbk.html"
        ]
        .map(article)
        .into()
    );
    for (name, utc, starts, contains) in [
        (
            "people_1.html",
            "2019-06-14T16:00:00Z",
            "女儿出嫁，郑板桥画了几笔兰花当嫁妆\n",
            "郑板桥",
        ),
        (
            "shanxi_1.html",
            "2019-09-17T22:23:00Z",
            "山西品牌丝路行（南美站）正式启动\n",
            "山西",
        ),
        (
            "xinhuanet_1.html",
            "2019-12-09T16:00:00Z",
            "法国罢工\n",
            "法国",
        ),
        (
            "gbk.html",
            "2025-04-04T02:30:00Z",
            "商务部新闻发言人谈话\n",
            "中方坚决反对",
        ),
    ] {
        let r = row(&article(name));
        assert_eq!(r.3, utc, "{name}");
        assert!(r.2.starts_with(starts), "{name}: {}", r.2);
        assert!(
            r.2.contains(contains) && !r.2.contains('\u{FFFD}'),
            "{name}: {}",
            r.2
        );
    }
    assert!(row(&article("people_1.html")).2.chars().count() > 300);
    assert!(row(&article("xinhuanet_1.html")).2.chars().count() > 200);

    assert_eq!(rows.len(), 16, "nothing else stored");
    assert_eq!(
        count(&db, "SELECT count(*) FROM fetch_runs WHERE outcome = 'ok'"),
        3
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM sources WHERE state = 'ok'"),
        3
    );
}
