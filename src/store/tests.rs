use chrono::TimeZone;

use super::*;
use crate::classify::{Classification, Evidence, Label, LabelScore};
use crate::post::Post;

#[test]
fn migrations_are_valid() {
    assert!(migrations().validate().is_ok());
}

fn post(id: &str) -> Post {
    Post {
        platform_id: id.into(),
        author: "玉渊谭天".into(),
        text: "美方主动接触中方，希望就关税问题进行谈判。".into(),
        created_at: Utc.with_ymd_and_hms(2025, 4, 22, 2, 0, 0).unwrap(),
        created_at_raw: "Tue Apr 22 10:00:00 +0800 2025".into(),
        url: format!("https://weibo.com/1/{id}"),
        pinned: false,
        truncated: false,
        edit_count: 0,
        retweet: None,
        raw: "{}".into(),
    }
}

fn flagged() -> Classification {
    Classification {
        labels: vec![LabelScore {
            label: Label::Talks,
            score: 0.9,
            evidence: vec![Evidence {
                term: "谈判".into(),
                start: 18,
                end: 20,
                gloss: "negotiations".into(),
            }],
        }],
        explanation: "negotiations on tariffs".into(),
        events: Vec::new(),
        version: "test".into(),
    }
}

fn alert(key: &str) -> PlannedAlert {
    PlannedAlert {
        label: Label::Talks,
        channel_id: "hook".into(),
        score: 0.9,
        idempotency_key: key.into(),
        payload: "{}".into(),
    }
}

#[test]
fn ingest_is_idempotent_and_never_realerts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("w.db")).unwrap();
    store.ensure_source("s", "weibo", "S").unwrap();
    let (p, c) = (post("1"), flagged());
    let now = Utc::now();
    let items = [NewPost {
        post: &p,
        classification: &c,
        alerts: vec![alert("k1")],
        index_words: "",
    }];
    let first = store.ingest("s", &items, now).unwrap();
    assert_eq!(
        first,
        IngestReport {
            new_posts: 1,
            flagged: 1,
            alerts_queued: 1
        }
    );
    let second = store.ingest("s", &items, now).unwrap();
    assert_eq!(second, IngestReport::default());
    assert_eq!(store.post_count().unwrap(), 1);
    assert_eq!(store.alerts(None).unwrap().len(), 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn outbox_retries_then_fails_then_requeues() {
    let store = Store::open_in_memory().unwrap();
    store.ensure_source("s", "weibo", "S").unwrap();
    let (p, c) = (post("1"), flagged());
    let now = Utc::now();
    store
        .ingest(
            "s",
            &[NewPost {
                post: &p,
                classification: &c,
                alerts: vec![alert("k")],
                index_words: "",
            }],
            now,
        )
        .unwrap();
    let due = store.due_alerts_in_order(now, 10).unwrap();
    assert_eq!(due.len(), 1);
    let later = now + chrono::Duration::minutes(5);
    assert_eq!(
        store
            .mark_attempt_failed(due[0].id, "HTTP 500", later, 2)
            .unwrap(),
        AlertStatus::Pending
    );
    assert!(
        store.due_alerts_in_order(now, 10).unwrap().is_empty(),
        "not due before next_attempt_at"
    );
    assert_eq!(store.due_alerts_in_order(later, 10).unwrap().len(), 1);
    assert_eq!(
        store
            .mark_attempt_failed(due[0].id, "HTTP 500", later, 2)
            .unwrap(),
        AlertStatus::Failed
    );
    assert!(store.due_alerts_in_order(later, 10).unwrap().is_empty());
    assert_eq!(store.outbox_counts().unwrap().failed, 1);
    assert_eq!(store.retry_alerts(None, later).unwrap(), 1);
    store.mark_sent(due[0].id, later).unwrap();
    assert_eq!(
        store.outbox_counts().unwrap(),
        OutboxCounts {
            pending: 0,
            sent: 1,
            failed: 0
        }
    );
}

#[test]
fn search_index_rows_survive_the_move_to_a_contentless_index() {
    // A database at migration 07 with an indexed post, then migrated to 08: the row is found
    // by the contentless index and can still be deleted by rowid. (09 rebuilds the index:
    // `search_rows_are_rebuilt_as_ngrams_by_migration_09`.)
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    migrations().to_version(&mut conn, 7).unwrap();
    conn.execute_batch(
        "INSERT INTO sources (id, kind, name) VALUES ('s', 'weibo', 'x');
         INSERT INTO posts (id, source_id, platform_id, author, text, url, created_at,
             created_at_raw, fetched_at, raw)
           VALUES (1, 's', '1', 'a', '美方 接触 关税', 'u', '2025-04-22T02:00:00Z', '', '', '{}');
         INSERT INTO posts_fts (rowid, words) VALUES (1, '美方 接触 关税');",
    )
    .unwrap();
    migrations().to_version(&mut conn, 8).unwrap();
    let found = |conn: &rusqlite::Connection, q: &str| -> Vec<i64> {
        let mut st = conn
            .prepare("SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1")
            .unwrap();
        st.query_map([q], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(found(&conn, "\"关税\"*"), vec![1]);
    assert_eq!(found(&conn, "\"欧盟\"*"), Vec::<i64>::new());
    // The text-changed trigger still drops the stale row and queues the post.
    conn.execute("UPDATE posts SET text = '新' WHERE id = 1", [])
        .unwrap();
    assert_eq!(found(&conn, "\"关税\"*"), Vec::<i64>::new());
    let pending: i64 = conn
        .query_row("SELECT count(*) FROM posts_fts_pending", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pending, 1);
    drop(conn);
    // And the store opens it.
    assert_eq!(Store::open(&path).unwrap().post_count().unwrap(), 1);
}

#[test]
fn search_rows_are_rebuilt_as_ngrams_by_migration_09() {
    // A database at 08 whose index holds jieba's words (经贸磋商 one token): after 09 the post
    // is re-indexed from its text, and 磋商 inside 经贸磋商 is found.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    migrations().to_version(&mut conn, 8).unwrap();
    conn.execute_batch(
        "INSERT INTO sources (id, kind, name) VALUES ('s', 'weibo', 'x');
         INSERT INTO posts (id, source_id, platform_id, author, text, url, created_at,
             created_at_raw, fetched_at, raw)
           VALUES (1, 's', '1', 'a', '中美举行经贸磋商', 'u', '2025-04-22T02:00:00Z', '', '', '{}');
         INSERT INTO posts_fts (rowid, words) VALUES (1, '中美 举行 经贸磋商');",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let terms = |t: &str| crate::text::search::index_terms(&crate::text::normalize(t).text);
    assert_eq!(store.index_missing(&terms).unwrap(), 1);
    assert_eq!(store.index_missing(&terms).unwrap(), 0, "indexed once");
    let ids = |q: &str| -> Vec<i64> {
        let q = crate::text::SearchQuery::parse(q).unwrap();
        store
            .search_posts(&q.match_expr, 10)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect()
    };
    assert_eq!(ids("磋商"), vec![1]);
    assert_eq!(ids("经贸磋商"), vec![1]);
    assert_eq!(ids("贸磋"), vec![1]);
    assert_eq!(ids("美中"), Vec::<i64>::new());
}
