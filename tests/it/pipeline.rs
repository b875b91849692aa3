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
