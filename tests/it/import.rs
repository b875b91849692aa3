//! `windvane import`: the real weibo-crawler archives (tests/fixtures/import/), a saved getIndex
//! page, a generic CSV with bad rows; counts, ids kept, no duplicates, no alerts unless asked.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::Utc;
use windvane::classify::Classifier;
use windvane::config::Config;
use windvane::import::{import_files, ImportOptions};
use windvane::store::Store;

use crate::common::fixture;

const CCTV_JSON: &str = "import/央视新闻_2656274875.json";
const CCTV_CSV: &str = "import/央视新闻_2656274875.csv";
const PEOPLES_CSV: &str = "import/人民日报_2803301701.csv";

/// A config whose one Weibo source is 央视新闻 (so its archive lands under `cctv`), with a
/// webhook on a closed local port that wants every label (import never delivers).
fn config(dir: &Path) -> Config {
    let path = dir.join("windvane.toml");
    std::fs::write(
        &path,
        r#"
[store]
path = "windvane.db"

[[sources]]
id = "cctv"
name = "央视新闻"
kind = "weibo"
uid = "2656274875"
schedule = "every 1h"

[[alerts]]
id = "hook"
kind = "webhook"
url = "http://127.0.0.1:9/hook"
min_score = 0.0
"#,
    )
    .unwrap();
    Config::load(Some(&path)).unwrap()
}

fn classifier(cfg: &Config) -> Classifier {
    Classifier::load(
        cfg.classifier.signals_dir.as_deref(),
        cfg.classifier.user_dict.as_deref(),
    )
    .unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn real_crawler_archives_import_once_with_their_ids() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = Store::open(&cfg.store_path).unwrap();
    let cls = classifier(&cfg);
    let opts = ImportOptions::default();
    let now = Utc::now();

    let r = import_files(&cfg, &store, &cls, &[fixture(CCTV_JSON)], &opts, now).unwrap();
    assert_eq!((r.read, r.stored, r.duplicates), (200, 200, 0));
    assert!(r.bad.is_empty(), "{:?}", r.bad);
    assert_eq!(r.alerts_queued, 0, "no alerts without --alert");
    // The configured source of the same uid, so a live fetch of 央视新闻 dedups against it.
    assert_eq!(r.sources, vec![("cctv".to_string(), 200)]);

    // The CSV holds the same 200 posts (ids written with a trailing tab): nothing new.
    let r = import_files(&cfg, &store, &cls, &[fixture(CCTV_CSV)], &opts, now).unwrap();
    assert_eq!((r.read, r.stored, r.duplicates), (200, 0, 200));
    assert!(r.bad.is_empty(), "{:?}", r.bad);

    // 人民日报: 1498 posts, dates only (2020-04-15…05-17); its uid is in the file name.
    let r = import_files(&cfg, &store, &cls, &[fixture(PEOPLES_CSV)], &opts, now).unwrap();
    assert_eq!((r.read, r.stored, r.duplicates), (1498, 1498, 0));
    assert!(r.bad.is_empty(), "{:?}", r.bad);
    assert_eq!(r.sources, vec![("weibo-2803301701".to_string(), 1498)]);

    // Everything again: nothing stored twice.
    let all = [fixture(CCTV_JSON), fixture(CCTV_CSV), fixture(PEOPLES_CSV)];
    let r = import_files(&cfg, &store, &cls, &all, &opts, now).unwrap();
    assert_eq!((r.read, r.stored, r.duplicates), (1898, 0, 1898));

    let db = &cfg.store_path;
    assert_eq!(count(db, "SELECT COUNT(*) FROM posts"), 1698);
    assert_eq!(count(db, "SELECT COUNT(*) FROM alerts"), 0);
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM posts WHERE source_id = 'cctv' AND platform_id = '5106121943814622'
               AND url = 'https://weibo.com/2656274875/P2zg6g0ma' AND author = '央视新闻'
               AND created_at LIKE '2024-11-29T10:56:41%'"
        ),
        1,
        "id, url, author and Beijing time kept"
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM classifications"),
        1698,
        "every imported post classified once"
    );
}

#[test]
fn alert_flag_queues_alerts_for_flagged_posts() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = Store::open(&cfg.store_path).unwrap();
    let cls = classifier(&cfg);
    let opts = ImportOptions {
        source: Some("archive".into()),
        alert: true,
        ..Default::default()
    };
    let r = import_files(&cfg, &store, &cls, &[fixture(CCTV_JSON)], &opts, Utc::now()).unwrap();
    assert_eq!(r.sources, vec![("archive".to_string(), 200)]);
    // Exactly the posts stored with a label, each alerting once per label (one channel).
    let flagged = count(
        &cfg.store_path,
        "SELECT COUNT(DISTINCT c.post_id) FROM classifications c
         JOIN classification_labels l ON l.classification_id = c.id",
    ) as usize;
    let labels = count(
        &cfg.store_path,
        "SELECT COUNT(*) FROM classification_labels",
    ) as usize;
    assert!(flagged > 0, "the tariff-threat replies are flagged");
    assert_eq!(r.flagged, flagged, "{r:?}");
    assert_eq!(r.alerts_queued, labels, "{r:?}");
    assert_eq!(
        count(&cfg.store_path, "SELECT COUNT(*) FROM alerts") as usize,
        r.alerts_queued
    );
}

#[test]
fn bad_rows_are_reported_with_line_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = Store::open(&cfg.store_path).unwrap();
    let cls = classifier(&cfg);
    let csv = dir.path().join("notes.csv");
    std::fs::write(
        &csv,
        "id,author,text,created_at,url\n\
         a1,商务部,中美双方将举行新一轮经贸磋商,2019-05-09 10:00,https://example.org/1\n\
         a2,商务部,没有日期的一行,not a date,\n\
         a3,商务部,,2019-05-10,\n\
         ,商务部,没有编号的一行,2019-05-11 08:00:00,\n\
         a5,商务部,\"多行\n正文\",2019-05-12,\n",
    )
    .unwrap();
    let missing = dir.path().join("missing.json");
    let files: Vec<PathBuf> = vec![missing.clone(), csv.clone()];
    let opts = ImportOptions::default();
    let r = import_files(&cfg, &store, &cls, &files, &opts, Utc::now()).unwrap();
    assert_eq!((r.read, r.stored), (3, 3), "{r:?}");
    let bad: Vec<String> = r.bad.iter().map(|b| b.to_string()).collect();
    assert_eq!(bad.len(), 3, "{bad:?}");
    assert!(bad[0].contains("missing.json") && bad[0].contains("file"));
    assert!(
        bad[1].contains("notes.csv: line 3:") && bad[1].contains("not a date"),
        "{bad:?}"
    );
    assert!(bad[2].contains("notes.csv: line 4:"), "{bad:?}");
    assert_eq!(r.sources, vec![("import-notes".to_string(), 3)]);
    // The row without an id gets a stable one: importing again stores nothing.
    let r = import_files(&cfg, &store, &cls, &files, &opts, Utc::now()).unwrap();
    assert_eq!((r.stored, r.duplicates), (0, 3));
}

#[test]
fn saved_getindex_page_imports() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = Store::open(&cfg.store_path).unwrap();
    let cls = classifier(&cfg);
    let r = import_files(
        &cfg,
        &store,
        &cls,
        &[fixture("weibo/weibo_ys_list_0.json")],
        &ImportOptions::default(),
        Utc::now(),
    )
    .unwrap();
    // Counted here from the saved page itself: its `card_type: 9` cards.
    let page: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("weibo/weibo_ys_list_0.json")).unwrap(),
    )
    .unwrap();
    let cards = page["data"]["cards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["card_type"] == 9)
        .count();
    assert!(cards > 0);
    assert_eq!((r.read, r.stored), (cards, cards), "{r:?}");
    assert_eq!(r.sources.len(), 1);
    assert!(r.sources[0].0.starts_with("weibo-"), "{:?}", r.sources);
}

#[test]
fn binary_imports_and_reports_counts() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    let run = |files: &[&str]| {
        let mut c = Command::cargo_bin("windvane").unwrap();
        c.current_dir(dir.path())
            .arg("--config")
            .arg(dir.path().join("windvane.toml"))
            .arg("import");
        for f in files {
            c.arg(fixture(f));
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let out = run(&[CCTV_JSON, CCTV_CSV]);
    assert!(
        out.contains("2 files: 400 posts read, 200 stored, 200 duplicates, 0 bad rows"),
        "{out}"
    );
    assert!(out.contains("0 alerts queued"), "{out}");
    let out = run(&[CCTV_JSON]);
    assert!(
        out.contains("200 posts read, 0 stored, 200 duplicates"),
        "{out}"
    );
    assert_eq!(
        count(
            &dir.path().join("windvane.db"),
            "SELECT COUNT(*) FROM posts"
        ),
        200
    );
}

#[test]
fn history_per_day_and_week_matches_the_store() {
    use windvane::store::Period;
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = Store::open(&cfg.store_path).unwrap();
    let cls = classifier(&cfg);
    let files = [fixture(CCTV_JSON), fixture(PEOPLES_CSV)];
    import_files(
        &cfg,
        &store,
        &cls,
        &files,
        &ImportOptions::default(),
        Utc::now(),
    )
    .unwrap();
    let db = &cfg.store_path;
    let label_rows = count(db, "SELECT COUNT(*) FROM classification_labels");
    assert!(label_rows > 0, "the archives carry some signal");

    let days = store.history(Period::Day, None, None).unwrap();
    let weeks = store.history(Period::Week, None, None).unwrap();
    assert_eq!(days.iter().map(|r| r.flagged).sum::<i64>(), label_rows);
    assert_eq!(weeks.iter().map(|r| r.flagged).sum::<i64>(), label_rows);
    for w in &weeks {
        let d = chrono::NaiveDate::parse_from_str(&w.period, "%Y-%m-%d").unwrap();
        assert_eq!(chrono::Datelike::weekday(&d), chrono::Weekday::Mon, "{w:?}");
        assert!(w.flagged <= w.posts && w.mean_score <= w.max_score, "{w:?}");
    }
    // 人民日报 ran 2020-04-15…05-17: six Monday-weeks; 央视新闻 2024-11-23…29: two.
    let peoples = store
        .history(Period::Week, None, Some("weibo-2803301701"))
        .unwrap();
    assert!(peoples.iter().all(|r| r.period.starts_with("2020-")));
    assert!(peoples
        .iter()
        .all(|r| r.period.as_str() >= "2020-04-13" && r.period.as_str() <= "2020-05-11"));
    // Per-period post totals count every post of the source, flagged or not.
    let day = days.iter().find(|r| r.period.starts_with("2020-")).unwrap();
    let on_day = count(
        db,
        &format!(
            "SELECT COUNT(*) FROM posts WHERE source_id = 'weibo-2803301701'
               AND substr(datetime(created_at, '+8 hours'), 1, 10) = '{}'",
            day.period
        ),
    );
    assert_eq!(day.posts, on_day);

    let esc = store
        .history(Period::Day, Some("escalation"), None)
        .unwrap();
    assert!(esc.iter().all(|r| r.label == "escalation"));
    let esc_total = count(
        db,
        "SELECT COUNT(*) FROM classification_labels WHERE label = 'escalation'",
    );
    assert_eq!(esc.iter().map(|r| r.flagged).sum::<i64>(), esc_total);

    // The binary: CSV out, and a wrong label is a usage error (exit 2).
    let out = Command::cargo_bin("windvane")
        .unwrap()
        .arg("--config")
        .arg(dir.path().join("windvane.toml"))
        .args(["history", "--by", "week", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("period,label,flagged,posts,mean_score,max_score,confirmed")
    );
    assert_eq!(lines.count(), weeks.len());
    let out = Command::cargo_bin("windvane")
        .unwrap()
        .arg("--config")
        .arg(dir.path().join("windvane.toml"))
        .args(["history", "--label", "tariffs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // An unknown source is a usage error too, naming the known ones; a known one is fine.
    let history = |args: &[&str]| {
        Command::cargo_bin("windvane")
            .unwrap()
            .arg("--config")
            .arg(dir.path().join("windvane.toml"))
            .arg("history")
            .args(args)
            .output()
            .unwrap()
    };
    let out = history(&["--source", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--source `nosuch`") && err.contains("weibo-2803301701"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no empty history printed");
    let out = history(&["--source", "weibo-2803301701"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn own_jsonl_export_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    let windvane = |db_dir: &Path, args: &[&std::ffi::OsStr]| {
        let out = Command::cargo_bin("windvane")
            .unwrap()
            .current_dir(db_dir)
            .arg("--config")
            .arg(db_dir.join("windvane.toml"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json = fixture(CCTV_JSON);
    let peoples = fixture(PEOPLES_CSV);
    windvane(
        dir.path(),
        &["import".as_ref(), json.as_os_str(), peoples.as_os_str()],
    );
    let jsonl = dir.path().join("all.jsonl");
    windvane(
        dir.path(),
        &["export", "--format", "jsonl", "--out"]
            .map(std::ffi::OsStr::new)
            .into_iter()
            .chain([jsonl.as_os_str()])
            .collect::<Vec<_>>(),
    );
    let other = tempfile::tempdir().unwrap();
    config(other.path());
    let out = windvane(other.path(), &["import".as_ref(), jsonl.as_os_str()]);
    assert!(
        out.contains("1698 posts read, 1698 stored, 0 duplicates, 0 bad rows"),
        "{out}"
    );
    assert!(
        out.contains("cctv: 200 posts read") && out.contains("weibo-2803301701: 1498 posts read"),
        "{out}"
    );
    let q = "SELECT group_concat(source_id || platform_id || url || created_at || text, '|')
             FROM (SELECT * FROM posts ORDER BY source_id, platform_id)";
    let a: String = rusqlite::Connection::open(dir.path().join("windvane.db"))
        .unwrap()
        .query_row(q, [], |r| r.get(0))
        .unwrap();
    let b: String = rusqlite::Connection::open(other.path().join("windvane.db"))
        .unwrap()
        .query_row(q, [], |r| r.get(0))
        .unwrap();
    assert!(a == b, "ids, urls, times and texts survive the round trip");
    // And into the original store: all duplicates.
    let out = windvane(dir.path(), &["import".as_ref(), jsonl.as_os_str()]);
    assert!(
        out.contains("1698 posts read, 0 stored, 1698 duplicates"),
        "{out}"
    );
}

/// An archive imported first, then a live pass of the same account (the real binary against a
/// Weibo-format server on 127.0.0.1): nothing stored twice, nothing alerted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_fetch_after_import_stores_nothing_twice() {
    use crate::common::{webhook_server, weibo_server, write_config, Receiver, WeiboState};
    use std::sync::Arc;
    const UID: &str = "6279793937";
    let page = "weibo/mixed_trade_getindex.json";
    let weibo = Arc::new(WeiboState::default());
    weibo
        .timelines
        .lock()
        .unwrap()
        .insert(format!("107603{UID}"), crate::common::read_fixture(page));
    let receiver = Arc::new(Receiver::default());
    let (waddr, haddr) = (
        weibo_server(weibo).await,
        webhook_server(receiver.clone()).await,
    );
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), waddr, haddr, UID);
    let run = move |args: Vec<std::ffi::OsString>| {
        let config = config.clone();
        tokio::task::spawn_blocking(move || {
            Command::cargo_bin("windvane")
                .unwrap()
                .arg("--config")
                .arg(&config)
                .args(args)
                .output()
                .unwrap()
        })
    };
    let out = run(vec!["import".into(), fixture(page).into()])
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The file's uid is the configured source's: its posts land under `test-weibo`.
    assert!(stdout.contains("test-weibo: 10 posts read"), "{stdout}");
    assert!(
        stdout.contains("10 stored") && stdout.contains("0 alerts queued"),
        "{stdout}"
    );

    let out = run(vec!["once".into()]).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("test-weibo: fetched 10, new 0, flagged 0, alerts queued 0"),
        "{stdout}"
    );
    let db = dir.path().join("windvane.db");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM posts"), 10);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM alerts"), 0);
    assert!(receiver.calls.lock().unwrap().is_empty(), "no webhook call");
}

/// A source configured by `screen_name` (no uid in the config) still takes its account's
/// archive, matched by the screen name the archive carries.
#[test]
fn archive_lands_under_a_source_configured_by_screen_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("windvane.toml");
    std::fs::write(
        &path,
        r#"
[store]
path = "windvane.db"

[[sources]]
id = "cctv-by-name"
kind = "weibo"
screen_name = "央视新闻"
schedule = "every 1h"
"#,
    )
    .unwrap();
    let cfg = Config::load(Some(&path)).unwrap();
    let store = Store::open(&cfg.store_path).unwrap();
    let r = import_files(
        &cfg,
        &store,
        &classifier(&cfg),
        &[fixture(CCTV_JSON)],
        &ImportOptions::default(),
        Utc::now(),
    )
    .unwrap();
    assert_eq!(r.sources, vec![("cctv-by-name".to_string(), 200)]);
    // 人民日报's archive is another account: it gets its own source, not this one.
    let r = import_files(
        &cfg,
        &store,
        &classifier(&cfg),
        &[fixture(PEOPLES_CSV)],
        &ImportOptions::default(),
        Utc::now(),
    )
    .unwrap();
    assert_eq!(r.sources, vec![("weibo-2803301701".to_string(), 1498)]);
}

/// A weibo-crawler JSON document (`{"user": …, "weibo": […]}` on one line, as the crawler
/// writes it) for 央视新闻 with `good` distinct posts, every 100th the README's talks sentence,
/// then post 0 again and three bad items.
fn crawler_json(good: usize) -> String {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let start = chrono::DateTime::parse_from_rfc3339("2025-04-01T00:00:00+08:00").unwrap();
    let post = |i: usize| {
        let t = (start + chrono::Duration::minutes(i as i64)).with_timezone(&beijing);
        let text = if i % 100 == 0 {
            "美方通过多种渠道主动接触中方，希望就关税问题进行谈判。".to_string()
        } else {
            format!("今天是普通的一天，第{i}条消息。")
        };
        serde_json::json!({
            "user_id": 2656274875u64, "screen_name": "央视新闻", "id": 5_000_000_000_000_000u64 + i as u64,
            "bid": format!("B{i}"), "text": text, "created_at": t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "full_created_at": t.format("%Y-%m-%d %H:%M:%S").to_string(), "source": "微博 weibo.com",
            "attitudes_count": i, "comments_count": 0, "reposts_count": 0,
        })
        .to_string()
    };
    let mut items: Vec<String> = (0..good).map(post).collect();
    items.push(post(0));
    items.push(r#"{"text": "没有id", "created_at": "2025-04-01T00:00:00"}"#.into());
    items.push(r#"{"id": 1, "text": " ", "created_at": "2025-04-01T00:00:00"}"#.into());
    items.push(r#"{"id": 2, "text": "时间不对", "created_at": "not a date"}"#.into());
    format!(
        r#"{{"user": {{"id": "2656274875", "screen_name": "央视新闻"}}, "weibo": [{}]}}"#,
        items.join(", ")
    )
}

#[test]
fn a_crawler_json_larger_than_a_batch_imports_with_exact_counts() {
    // 6,000 posts: more than one batch (5,000) of the streaming reader.
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = Store::open(&cfg.store_path).unwrap();
    let cls = classifier(&cfg);
    let path = dir.path().join("央视新闻_2656274875.json");
    std::fs::write(&path, crawler_json(6000)).unwrap();
    let r = import_files(
        &cfg,
        &store,
        &cls,
        std::slice::from_ref(&path),
        &ImportOptions::default(),
        Utc::now(),
    )
    .unwrap();
    assert_eq!(
        (r.read, r.stored, r.duplicates, r.flagged),
        (6001, 6000, 1, 60)
    );
    assert_eq!(r.sources, vec![("cctv".to_string(), 6001)]);
    let bad: Vec<String> = r
        .bad
        .iter()
        .map(|b| format!("{}: {}", b.place, b.problem))
        .collect();
    assert_eq!(
        bad,
        [
            "weibo[6001]: no `id`",
            "weibo[6002]: empty `text`",
            "weibo[6003]: cannot read the time `not a date`"
        ]
    );
    let db = &cfg.store_path;
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM posts WHERE source_id = 'cctv'"),
        6000
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM posts WHERE platform_id = '5000000000005999'
               AND url = 'https://weibo.com/2656274875/B5999' AND author = '央视新闻'"
        ),
        1,
        "the last post, with its id, URL and author"
    );
}

#[test]
fn a_broken_json_names_line_and_column_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    config(dir.path());
    // Good posts first, then the file breaks on its second line: nothing is imported (the
    // whole document is checked before the first post is stored).
    let mut text = crawler_json(50);
    text.truncate(text.len() - 2);
    text.push_str("\n {\"id\": 3, \"text\": \"x\"}]}"); // no comma before it
    let path = dir.path().join("broken.json");
    std::fs::write(&path, &text).unwrap();
    let out = Command::cargo_bin("windvane")
        .unwrap()
        .current_dir(dir.path())
        .arg("--config")
        .arg(dir.path().join("windvane.toml"))
        .arg("import")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stderr
            .contains("broken.json: file: not valid JSON: expected `,` or `]` at line 2 column 2"),
        "{stderr}"
    );
    assert!(
        stdout.contains("1 files: 0 posts read, 0 stored"),
        "{stdout}"
    );
    assert_eq!(
        count(
            &dir.path().join("windvane.db"),
            "SELECT COUNT(*) FROM posts"
        ),
        0
    );
}
