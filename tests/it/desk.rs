//! The review desk as a new analyst uses it: a relabel shows everywhere the post is listed,
//! the chart covers any range (imported history too), the JSONL export has everything.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use windvane::classify::Classifier;
use windvane::review::web::Desk;
use windvane::store::Store;

use crate::review::{seed, Seeded};

fn windvane(s: &Seeded) -> Command {
    let mut c = Command::cargo_bin("windvane").unwrap();
    c.arg("--config").arg(&s.config);
    c.env_remove("WINDVANE_REVIEW_TOKEN");
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

async fn start_desk(db: &Path) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let classifier = Classifier::load(None, None).unwrap();
    crate::review_web::serve_desk(Desk {
        store: Store::open(db).unwrap().into(),
        segmenter: classifier.segmenter,
        token: None,
    })
    .await
}

async fn get(addr: SocketAddr, path: &str) -> String {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let r = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
        .get(format!("http://{addr}{path}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relabel_shows_in_the_list_the_queue_and_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let talks = s.ids[0].to_string();
    let said = stdout(windvane(&s).args(["review", "confirm", &talks, "--label", "purchase"]));
    assert!(said.contains("now relabelled"), "{said}");

    let list = stdout(windvane(&s).args(["review", "list", "--status", "relabelled"]));
    let row = list
        .lines()
        .find(|l| l.trim_start().starts_with(&talks))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        row.contains("purchase (analyst; classifier: talks"),
        "{row}"
    );
    assert!(row.contains("relabelled"), "{row}");
    // Not listed as a plain confirmation of the classifier.
    let confirmed = stdout(windvane(&s).args(["review", "list", "--status", "confirmed"]));
    assert!(
        !confirmed
            .lines()
            .any(|l| l.trim_start().starts_with(&talks)),
        "{confirmed}"
    );

    let csv_path = dir.path().join("out.csv");
    stdout(
        windvane(&s)
            .args(["export", "--format", "csv", "--out"])
            .arg(&csv_path),
    );
    let bytes = std::fs::read(&csv_path).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = r
        .records()
        .map(Result::unwrap)
        .find(|r| r[0] == talks)
        .unwrap();
    assert_eq!(&row[at("status")], "relabelled");
    assert_eq!(&row[at("analyst_labels")], "purchase");

    let (addr, _stop) = start_desk(&s.db).await;
    let queue = get(addr, "/?status=relabelled").await;
    let row = queue
        .split("<tr>")
        .find(|r| r.contains(&format!("/posts/{talks}\"")))
        .unwrap_or_else(|| panic!("{queue}"));
    assert!(row.contains("purchase (analyst)"), "{row}");
    assert!(row.contains("classifier: "), "{row}");
    assert!(row.contains("relabelled"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chart_covers_any_range_and_is_linked_from_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    // The seeded posts are of 2025-04-22 (a Tuesday), long before the last 90 days.
    let s = seed(dir.path());
    let (addr, _stop) = start_desk(&s.db).await;

    let queue = get(addr, "/").await;
    assert!(queue.contains("href=\"/timeline?range=all\""), "{queue}");

    let recent = get(addr, "/timeline").await;
    assert!(
        !recent.contains("2025-04-22"),
        "the default is the last 90 days"
    );

    let all = get(addr, "/timeline?range=all&by=week").await;
    assert!(all.contains("Signals per week, 2025-04-21 to "), "{all}");
    assert!(all.contains("2025-04-21: "), "the week's bar: {all}");
    let days = get(addr, "/timeline?from=2025-04-20&to=2025-04-24&by=day").await;
    assert!(
        days.contains("Signals per day, 2025-04-20 to 2025-04-24"),
        "{days}"
    );
    assert!(days.contains("2025-04-22: 1 flagged"), "{days}");
    assert!(days.contains("talks"), "{days}");
    let svg = get(addr, "/timeline.svg?range=all&by=week").await;
    assert!(svg.starts_with("<svg"), "{svg}");
    let bad = get(addr, "/timeline?from=yesterday").await;
    assert!(bad.contains("`yesterday` is not a date"), "{bad}");
}

#[test]
fn jsonl_export_has_the_raw_payload_pictures_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.execute(
        "UPDATE posts SET raw = '{\"mid\":\"p0\",\"reposts_count\":\"100万+\"}',
            pics = '[\"https://wx1.sinaimg.cn/large/a.jpg\"]', reposts_count = 1000000,
            comments_count = 12, attitudes_count = 345 WHERE id = ?1",
        [s.ids[0]],
    )
    .unwrap();
    let out = stdout(windvane(&s).args(["export", "--format", "jsonl"]));
    let talks: serde_json::Value = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["id"] == s.ids[0])
        .unwrap();
    assert_eq!(talks["raw"]["mid"], "p0", "{talks}");
    assert_eq!(talks["pics"][0], "https://wx1.sinaimg.cn/large/a.jpg");
    assert_eq!(talks["reposts_count"], 1000000);
    assert_eq!(talks["comments_count"], 12);
    assert_eq!(talks["attitudes_count"], 345);
    assert!(talks.get("created_at_raw").is_some(), "{talks}");
}
