//! `windvane store copy` with the real binary: a SQLite database made by the import path (posts,
//! classifications, alerts) and the review actions, copied into a throwaway PostgreSQL; the
//! copy is verified, resumes where it stopped, and `search`, `history` (by day) and `review
//! list` (flagged posts with their status) answer the same on both backends.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;

use windvane::classify::Classifier;
use windvane::config::Config;
use windvane::import::{import_files, ImportOptions};
use windvane::store::{NewVerdict, Period, QueueQuery, Store, Verdict, VerdictRecord};

use super::{binary::url_of, TempPostgres};

fn config(dir: &Path) -> Config {
    let path = dir.join("windvane.toml");
    // A channel that wants talks, so the import queues alerts; nothing is ever sent.
    std::fs::write(
        &path,
        "[store]\npath = \"windvane.db\"\n\n[[alerts]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"\nlabels = [\"talks\", \"escalation\"]\nmin_score = 0.5\n",
    )
    .unwrap();
    Config::load(Some(&path)).unwrap()
}

fn copy(db: &Path, url: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_windvane"))
        .args(["store", "copy", "--batch", "200", "--from"])
        .arg(db)
        .args(["--to", url])
        .env_remove("PGPASSWORD")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "store copy failed: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// `table: N in SQLite, M copied now, K in PostgreSQL, verified`: (N, M, K).
fn line_of(out: &str, table: &str) -> (i64, i64, i64) {
    let line = out
        .lines()
        .find(|l| l.starts_with(&format!("{table}: ")) && l.contains("in SQLite"))
        .unwrap_or_else(|| panic!("no line for {table} in:\n{out}"));
    assert!(line.ends_with(", verified"), "{line}");
    let nums: Vec<i64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    (nums[0], nums[1], nums[2])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_copy_is_verified_resumable_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let sqlite = Store::open(&cfg.store_path).unwrap();
    let cls = Classifier::load(None, None).unwrap();
    let opts = ImportOptions {
        alert: true,
        ..ImportOptions::default()
    };
    let first = [
        crate::common::fixture("import/人民日报_2803301701.csv"),
        crate::common::fixture("import/央视新闻_2656274875.json"),
    ];
    import_files(&cfg, &sqlite, &cls, &first, &opts, chrono::Utc::now()).unwrap();

    // Review actions on the first flagged posts: confirmed, dismissed, confirmed again later.
    let flagged = sqlite
        .review_queue(&QueueQuery {
            flagged_only: true,
            ..QueueQuery::default()
        })
        .unwrap();
    assert!(flagged.len() >= 3, "{} flagged posts", flagged.len());
    let verdict = |post: &windvane::store::ReviewPost, v: Verdict| {
        let label = post.labels.first().map(|l| l.label);
        sqlite
            .record_review(&VerdictRecord {
                post_id: post.id,
                expected: None,
                verdicts: vec![NewVerdict { label, verdict: v }],
                note: String::new(),
                reviewer: "analyst".into(),
                at: chrono::Utc::now(),
            })
            .unwrap();
    };
    verdict(&flagged[0], Verdict::Confirmed);
    verdict(&flagged[1], Verdict::Dismissed);
    verdict(&flagged[2], Verdict::Dismissed);
    verdict(&flagged[2], Verdict::Confirmed);
    // What a recheck and a Weibo run keep beside a post: flagged[0] confirmed deleted (with
    // its change alert), flagged[1] with pictures, counts and an edit time.
    let gone = flagged[0].id;
    let change = windvane::recheck::change_alerts(
        &sqlite.flagged_alerts(gone).unwrap(),
        windvane::states::AlertEvent::Deleted,
        "",
        None,
        None,
    );
    assert!(!change.is_empty());
    let now = chrono::Utc::now();
    assert!(sqlite
        .mark_gone(
            gone,
            windvane::store::Gone::Deleted,
            "已被作者删除",
            now,
            &change
        )
        .unwrap());
    rusqlite::Connection::open(&cfg.store_path)
        .unwrap()
        .execute(
            "UPDATE posts SET pics = '[\"https://wx1.sinaimg.cn/large/a.jpg\"]', reposts_count = 5,
                 comments_count = 6, attitudes_count = 7, edit_at = '2021-06-16T02:51:10Z',
                 edit_count = 1 WHERE id = ?1",
            [flagged[1].id],
        )
        .unwrap();

    let pg = TempPostgres::start();
    let url = url_of(&pg);
    let out = copy(&cfg.store_path, &url);
    let (posts, copied, in_pg) = line_of(&out, "posts");
    assert!(posts > 500, "{out}");
    assert_eq!((copied, in_pg), (posts, posts), "{out}");
    let (alerts, copied, _) = line_of(&out, "alerts");
    assert!(alerts > 0, "the import queued alerts: {out}");
    assert_eq!(copied, alerts);
    assert_eq!(line_of(&out, "reviews").1, 4, "{out}");
    assert_eq!(
        line_of(&out, "classifications").1,
        line_of(&out, "classifications").0
    );
    assert!(out.contains("store copy: verified"), "{out}");

    // More posts in the file: a second copy resumes after the rows it copied.
    let second = [crate::common::fixture("import/央视新闻_2656274875.csv")];
    let opts = ImportOptions {
        source: Some("second-archive".into()),
        ..opts
    };
    import_files(&cfg, &sqlite, &cls, &second, &opts, chrono::Utc::now()).unwrap();
    let out = copy(&cfg.store_path, &url);
    assert!(out.contains("posts: resuming after row"), "{out}");
    let (all, copied, in_pg) = line_of(&out, "posts");
    assert!(all > posts, "the second archive adds posts: {out}");
    assert_eq!(copied, all - posts, "only the new posts: {out}");
    assert_eq!(in_pg, all);
    assert_eq!(line_of(&out, "reviews").1, 0, "reviews copied once: {out}");
    // A third copy has nothing left to do.
    let out = copy(&cfg.store_path, &url);
    for table in [
        "posts",
        "classifications",
        "alerts",
        "reviews",
        "fetch_runs",
    ] {
        assert_eq!(line_of(&out, table).1, 0, "{table}: {out}");
    }

    let store = pg.store().await;
    // search: the same posts for the same queries.
    let c = rusqlite::Connection::open(&cfg.store_path).unwrap();
    let key_of: HashMap<i64, (String, String)> = c
        .prepare("SELECT id, source_id, platform_id FROM posts")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let normalized = crate::search::all_posts(&cfg.store_path);
    let found = super::same_search_answers(
        crate::search::queries(&normalized).into_iter().take(30),
        &sqlite,
        &cls,
        &key_of,
        &store,
    )
    .await;
    assert!(found >= 20, "only {found} of 30 queries found anything");

    // history by day: the same periods, labels, counts (confirmed included) and scores.
    let h_sqlite = sqlite.history(Period::Day, None, None).unwrap();
    let h_pg = store.history_between(&Default::default()).await.unwrap();
    assert!(!h_sqlite.is_empty());
    assert_eq!(h_pg.len(), h_sqlite.len());
    for (a, b) in h_sqlite.iter().zip(&h_pg) {
        assert_eq!(
            (&a.period, &a.label, a.flagged, a.posts, a.confirmed),
            (&b.period, &b.label, b.flagged, b.posts, b.confirmed)
        );
        assert!((a.mean_score - b.mean_score).abs() < 1e-9, "{a:?} {b:?}");
        assert!((a.max_score - b.max_score).abs() < 1e-12, "{a:?} {b:?}");
    }
    assert_eq!(
        h_pg.iter().map(|r| r.confirmed).sum::<i64>(),
        2,
        "two posts' latest verdict confirms their label"
    );

    // review list: the flagged posts in the same order, labels and status.
    let list_sqlite = sqlite
        .review_queue(&QueueQuery {
            flagged_only: true,
            ..QueueQuery::default()
        })
        .unwrap();
    let list_pg = store
        .review_queue(&QueueQuery {
            flagged_only: true,
            ..QueueQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(list_pg.len(), list_sqlite.len());
    for (a, b) in list_sqlite.iter().zip(&list_pg) {
        assert_eq!(
            (&a.source_id, &a.platform_id, a.status),
            (&b.source_id, &b.platform_id, b.status)
        );
        let la: HashSet<(String, u64)> = a
            .labels
            .iter()
            .map(|l| (l.label.as_str().to_string(), l.score.to_bits()))
            .collect();
        let lb: HashSet<(String, u64)> = b
            .labels
            .iter()
            .map(|l| (l.label.as_str().to_string(), l.score.to_bits()))
            .collect();
        assert_eq!(la, lb, "{}", a.platform_id);
        // A copied post keeps its verdict version: its number of review batches.
        assert_eq!(a.version, b.version, "{}", a.platform_id);
    }
    let twice = list_pg
        .iter()
        .find(|p| p.platform_id == flagged[2].platform_id)
        .unwrap();
    assert_eq!(twice.version, 2, "two reviews, version 2");

    // The deletion, its change alert, and the pictures, counts and edit time came along.
    // By source and platform id: the second archive holds some of the same posts.
    let pg_id = |p: &windvane::store::ReviewPost| {
        list_pg
            .iter()
            .find(|q| q.source_id == p.source_id && q.platform_id == p.platform_id)
            .unwrap()
            .id
    };
    let pg_any = windvane::store::AnyStore::from(store.clone());
    let sqlite_any = windvane::store::AnyStore::Local(sqlite.clone());
    let on_pg = pg_any.post_gone(pg_id(&flagged[0])).await.unwrap();
    assert_eq!(
        on_pg.as_ref().map(|g| (g.0.as_str(), g.2.as_str())),
        Some(("deleted", "已被作者删除"))
    );
    assert_eq!(
        on_pg.map(|g| g.1),
        sqlite_any.post_gone(gone).await.unwrap().map(|g| g.1),
        "confirmed at the same time"
    );
    let events: Vec<String> = pg_any
        .alerts(None)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.payload.contains("\"event\":\"deleted\""))
        .map(|a| a.idempotency_key)
        .collect();
    assert_eq!(events.len(), change.len(), "the change alerts are copied");
    assert_eq!(
        store
            .flagged_alerts(pg_id(&flagged[0]))
            .await
            .unwrap()
            .len(),
        sqlite.flagged_alerts(gone).unwrap().len(),
        "copied change alerts keep their event (a recheck builds on flagged ones only)"
    );
    let extras_pg = pg_any
        .post_extras(pg_id(&flagged[1]))
        .await
        .unwrap()
        .unwrap();
    let extras_sqlite = sqlite_any
        .post_extras(flagged[1].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(extras_pg.pics, ["https://wx1.sinaimg.cn/large/a.jpg"]);
    assert_eq!(extras_pg, extras_sqlite);
    let statuses: HashSet<&str> = list_pg.iter().map(|r| r.status.as_str()).collect();
    assert!(
        statuses.len() >= 3,
        "unreviewed, confirmed and dismissed: {statuses:?}"
    );
}
