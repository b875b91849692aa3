//! Review: the store (verdicts, search index), and every review command of the real binary on
//! a real SQLite file.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use windvane::classify::{Classifier, Label};
use windvane::sources::Post;
use windvane::store::{NewPost, PlannedAlert, Store};

/// The posts every review test starts from, in order of `Seeded::ids`.
pub const TALKS: &str = "美方通过多种渠道主动接触中方，希望就关税问题进行谈判。";
pub const ESCALATION: &str = "若美方坚持升级关税措施，中方将采取对等反制。";
pub const PURCHASE: &str = "中方企业近日恢复采购美国大豆。";
pub const NOTHING: &str = "今天北京天气晴朗，适合出游。";
/// Untrusted text: markup that must show as text, with a comma, quotes and a newline for CSV.
pub const HOSTILE: &str = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">\n据悉，美方希望就关税问题与中方举行谈判，\"尽快\"。";

pub struct Seeded {
    pub config: PathBuf,
    pub db: PathBuf,
    /// Post ids of TALKS, ESCALATION, PURCHASE, NOTHING, HOSTILE.
    pub ids: Vec<i64>,
}

/// A database with the five posts above (classified by the real classifier, indexed by the
/// store) and a config pointing at it.
pub fn seed(dir: &Path) -> Seeded {
    let db = dir.join("windvane.db");
    let config = dir.join("windvane.toml");
    std::fs::write(
        &config,
        "[store]\npath = \"windvane.db\"\n\n[[alerts]]\nid = \"log\"\nkind = \"log\"\n",
    )
    .unwrap();
    let classifier = Classifier::load(None, None).unwrap();
    let store = Store::open(&db).unwrap();
    store.ensure_source("cctv", "weibo", "央视新闻").unwrap();
    let texts = [TALKS, ESCALATION, PURCHASE, NOTHING, HOSTILE];
    let posts: Vec<Post> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Post {
            platform_id: format!("p{i}"),
            author: "央视新闻".into(),
            text: t.to_string(),
            // One hour apart, oldest first: the newest is HOSTILE.
            created_at: Utc
                .with_ymd_and_hms(2025, 4, 22, 2 + i as u32, 0, 0)
                .unwrap(),
            created_at_raw: String::new(),
            url: format!("https://m.weibo.cn/status/p{i}"),
            pinned: false,
            truncated: false,
            edit_count: 0,
            retweet: None,
            raw: "{}".into(),
        })
        .collect();
    let classes: Vec<_> = posts.iter().map(|p| classifier.classify(&p.text)).collect();
    let words: Vec<String> = posts
        .iter()
        .map(|p| classifier.segmenter.index_words(&p.text))
        .collect();
    let items: Vec<NewPost<'_>> = posts
        .iter()
        .zip(&classes)
        .zip(&words)
        .enumerate()
        .map(|(i, ((p, c), w))| NewPost {
            post: p,
            classification: c,
            alerts: if i == 0 {
                vec![PlannedAlert {
                    label: Label::Talks,
                    channel_id: "log".into(),
                    score: 0.9,
                    idempotency_key: "k0".into(),
                    payload: "{}".into(),
                }]
            } else {
                vec![]
            },
            index_words: w,
        })
        .collect();
    store.ingest("cctv", &items, Utc::now()).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ids = (0..texts.len())
        .map(|i| {
            conn.query_row(
                "SELECT id FROM posts WHERE platform_id = ?1",
                [format!("p{i}")],
                |r| r.get(0),
            )
            .unwrap()
        })
        .collect();
    // The classifier must see what the tests assume it sees.
    assert_eq!(classes[0].labels[0].label, Label::Talks, "{:?}", classes[0]);
    assert!(
        classes[1].score(Label::Escalation).is_some(),
        "{:?}",
        classes[1]
    );
    assert!(classes[1].score(Label::Talks).is_none(), "{:?}", classes[1]);
    assert!(
        classes[2].score(Label::Purchase).is_some(),
        "{:?}",
        classes[2]
    );
    assert!(classes[3].labels.is_empty(), "{:?}", classes[3]);
    assert!(classes[4].score(Label::Talks).is_some(), "{:?}", classes[4]);
    Seeded { config, db, ids }
}

fn windvane(s: &Seeded) -> Command {
    let mut c = Command::cargo_bin("windvane").unwrap();
    c.arg("--config").arg(&s.config);
    c.env_remove("WINDVANE_REVIEW_TOKEN");
    c
}

pub fn stdout(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{:?}\nstdout: {}\nstderr: {}",
        c,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Ids in the first column of a `review list` / `search` table.
pub fn ids_listed(table: &str) -> Vec<i64> {
    table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

#[test]
fn search_finds_posts_with_every_word_and_heals_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let (talks, esc, hostile) = (s.ids[0], s.ids[1], s.ids[4]);
    let mut found = ids_listed(&stdout(windvane(&s).args(["search", "关税 谈判"])));
    found.sort();
    assert_eq!(found, vec![talks, hostile], "both words, not just 关税");
    // The query is segmented like the index: punctuation goes, words stay.
    let mut found = ids_listed(&stdout(windvane(&s).args(["search", "关税，谈判！"])));
    found.sort();
    assert_eq!(found, vec![talks, hostile]);
    assert_eq!(
        ids_listed(&stdout(windvane(&s).args(["search", "反制"]))),
        vec![esc]
    );
    assert!(ids_listed(&stdout(windvane(&s).args(["search", "足球"]))).is_empty());

    // Posts without an index row (stored before the index existed) are indexed on search.
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.execute("DELETE FROM posts_fts", []).unwrap();
    assert_eq!(
        ids_listed(&stdout(windvane(&s).args(["search", "反制"]))),
        vec![esc]
    );
    // A completed preview drops its stale row (trigger) and is re-indexed from the new text.
    conn.execute("UPDATE posts SET truncated = 1 WHERE id = ?1", [s.ids[3]])
        .unwrap();
    let store = Store::open(&s.db).unwrap();
    assert!(store
        .complete_post_text("cctv", "p3", "今天北京天气晴朗，商务部就出口管制答记者问。")
        .unwrap());
    assert_eq!(
        ids_listed(&stdout(windvane(&s).args(["search", "出口管制"]))),
        vec![s.ids[3]]
    );
    assert!(ids_listed(&stdout(windvane(&s).args(["search", "出游"]))).is_empty());
}

#[test]
fn list_confirm_dismiss_show_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let (talks, esc, purchase, nothing, hostile) =
        (s.ids[0], s.ids[1], s.ids[2], s.ids[3], s.ids[4]);

    let all = ids_listed(&stdout(windvane(&s).args(["review", "list"])));
    assert_eq!(
        all,
        vec![hostile, purchase, esc, talks],
        "flagged only, newest first"
    );
    assert!(!all.contains(&nothing));
    let table = stdout(windvane(&s).args(["review", "list", "--label", "talks"]));
    assert_eq!(ids_listed(&table), vec![hostile, talks]);
    assert!(table.contains("2025-04-22 10:00"), "Beijing time: {table}");
    assert!(table.contains("talks 0."), "{table}");
    assert_eq!(
        ids_listed(&stdout(windvane(&s).args([
            "review",
            "list",
            "--since",
            "2025-04-22",
            "--limit",
            "1"
        ]))),
        vec![hostile]
    );
    assert!(ids_listed(&stdout(windvane(&s).args([
        "review",
        "list",
        "--since",
        "2025-04-23"
    ])))
    .is_empty());
    assert!(ids_listed(&stdout(windvane(&s).args([
        "review",
        "list",
        "--min-score",
        "1.0"
    ])))
    .is_empty());

    let out = stdout(windvane(&s).args([
        "review",
        "confirm",
        &talks.to_string(),
        "--note",
        "MOFCOM confirmed",
        "--reviewer",
        "alice",
    ]));
    assert!(out.contains("talks confirmed"), "{out}");
    let out =
        stdout(windvane(&s).args(["review", "dismiss", &esc.to_string(), "--reviewer", "bob"]));
    assert!(out.contains("escalation dismissed"), "{out}");
    // Relabel: purchase is right, de_escalation is not, and talks was missed.
    let out = stdout(windvane(&s).args([
        "review",
        "confirm",
        &purchase.to_string(),
        "--label",
        "purchase",
        "--label",
        "talks",
    ]));
    assert!(out.contains("purchase confirmed"), "{out}");
    assert!(out.contains("de_escalation dismissed"), "{out}");
    assert!(out.contains("talks relabelled"), "{out}");

    assert_eq!(
        ids_listed(&stdout(windvane(&s).args([
            "review",
            "list",
            "--status",
            "unreviewed"
        ]))),
        vec![hostile]
    );
    assert_eq!(
        ids_listed(&stdout(windvane(&s).args([
            "review",
            "list",
            "--status",
            "confirmed"
        ]))),
        vec![talks]
    );
    // A relabel is its own status (issue 16: it no longer passes for a confirmation).
    assert_eq!(
        ids_listed(&stdout(windvane(&s).args([
            "review",
            "list",
            "--status",
            "relabelled"
        ]))),
        vec![purchase]
    );
    assert_eq!(
        ids_listed(&stdout(windvane(&s).args([
            "review",
            "list",
            "--status",
            "dismissed"
        ]))),
        vec![esc]
    );

    // The verdicts are in the database as the analyst gave them.
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    let (label, verdict, note, reviewer): (String, String, String, String) = conn
        .query_row(
            "SELECT label, verdict, note, reviewer FROM reviews WHERE post_id = ?1",
            [talks],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (
            label.as_str(),
            verdict.as_str(),
            note.as_str(),
            reviewer.as_str()
        ),
        ("talks", "confirmed", "MOFCOM confirmed", "alice")
    );

    // Piped: plain markers around the evidence, glosses, explanation, history, alerts.
    let show = stdout(windvane(&s).args(["review", "show", &talks.to_string()]));
    assert!(
        show.contains("[[主动接触]]") && show.contains("[[关税]]"),
        "{show}"
    );
    assert!(
        show.contains("主动接触 — proactively reached out"),
        "glosses: {show}"
    );
    assert!(!show.contains('\x1b'), "no colour codes when piped: {show}");
    assert!(show.contains("explanation: "), "{show}");
    assert!(show.contains("https://m.weibo.cn/status/p0"), "{show}");
    assert!(
        show.contains("alice: talks confirmed — MOFCOM confirmed"),
        "{show}"
    );
    assert!(show.contains("talks → log: pending"), "{show}");

    // Precision from verdicts: talks 1 of 1 (and once added), escalation 0 of 1,
    // de_escalation 0 of 1, purchase 1 of 1.
    let stats = stdout(windvane(&s).args(["review", "stats"]));
    let line = |label: &str| {
        stats
            .lines()
            .find(|l| l.starts_with("all") && l.split_whitespace().nth(1) == Some(label))
            .unwrap_or_else(|| panic!("no {label} line in {stats}"))
            .split_whitespace()
            .skip(2)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(line("talks"), ["1", "1", "0", "1", "1.00"]);
    assert_eq!(line("escalation"), ["1", "0", "1", "0", "0.00"]);
    assert_eq!(line("de_escalation"), ["1", "0", "1", "0", "0.00"]);
    assert_eq!(line("purchase"), ["1", "1", "0", "0", "1.00"]);
    assert!(stats.contains("2025-04"), "per month too: {stats}");

    // A later verdict supersedes: the dismissed post confirmed after all.
    stdout(windvane(&s).args(["review", "confirm", &esc.to_string()]));
    assert!(ids_listed(&stdout(windvane(&s).args([
        "review",
        "list",
        "--status",
        "dismissed"
    ])))
    .is_empty());

    // Usage errors exit 2.
    let out = windvane(&s)
        .args(["review", "confirm", "999999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no post with id 999999"));
    let out = windvane(&s)
        .args(["review", "confirm", &nothing.to_string()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "nothing to confirm without --label"
    );
    let out = windvane(&s)
        .args(["review", "list", "--since", "someday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn csv_export_round_trips_and_jsonl_has_everything() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let csv_path = dir.path().join("out.csv");
    windvane(&s)
        .args(["export", "--format", "csv", "--out"])
        .arg(&csv_path)
        .assert()
        .success();
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(
        bytes.starts_with("\u{FEFF}".as_bytes()),
        "UTF-8 BOM for spreadsheets"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        windvane::review::CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 5, "every post without --flagged");
    let hostile = rows.iter().find(|r| r[0] == s.ids[4].to_string()).unwrap();
    assert_eq!(
        &hostile[10], HOSTILE,
        "text with quotes, comma and newline survives"
    );
    assert_eq!(&hostile[3], "2025-04-22 14:00");
    assert!(hostile[5].contains("talks"), "{:?}", hostile);

    let out = stdout(windvane(&s).args([
        "export",
        "--format",
        "jsonl",
        "--flagged",
        "--since",
        "2025-04-22",
    ]));
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "flagged only");
    let talks = lines.iter().find(|v| v["id"] == s.ids[0]).unwrap();
    assert_eq!(talks["text"], TALKS);
    assert_eq!(talks["labels"][0]["label"], "talks");
    assert!(
        talks["labels"][0]["evidence"][0]["gloss"].is_string(),
        "{talks}"
    );
    assert_eq!(talks["status"], "unreviewed");
}

#[test]
fn serve_refuses_a_public_address_without_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("windvane.toml");
    std::fs::write(&config, "[store]\npath = \"w.db\"\n").unwrap();
    let out = Command::cargo_bin("windvane")
        .unwrap()
        .env_remove("WINDVANE_REVIEW_TOKEN")
        .arg("--config")
        .arg(&config)
        .args(["serve", "--listen", "0.0.0.0:0"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0") && err.contains("token"),
        "{err}"
    );

    // `[review] enabled` on a public address without a token is a config problem.
    std::fs::write(
        &config,
        "[store]\npath = \"w.db\"\n[review]\nenabled = true\nlisten = \"0.0.0.0:8090\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("windvane")
        .unwrap()
        .env_remove("WINDVANE_REVIEW_TOKEN")
        .arg("--config")
        .arg(&config)
        .arg("check-config")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("review.listen"));
}

#[tokio::test]
async fn timeline_counts_signals_per_beijing_day_with_the_confirmed_share() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let now = Utc.with_ymd_and_hms(2025, 9, 30, 12, 0, 0).unwrap();
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    // TALKS at 23:30 UTC on 28 September is 29 September in Beijing; HOSTILE on 30 September;
    // the rest stay in April, outside the 90 days.
    conn.execute(
        "UPDATE posts SET created_at = '2025-09-28T23:30:00Z' WHERE id = ?1",
        [s.ids[0]],
    )
    .unwrap();
    conn.execute(
        "UPDATE posts SET created_at = '2025-09-30T01:00:00Z' WHERE id = ?1",
        [s.ids[4]],
    )
    .unwrap();
    let store = Store::open(&s.db).unwrap().into();
    windvane::review::review(
        &store,
        s.ids[0],
        None,
        &windvane::review::Action::Confirm { labels: vec![] },
        "",
        "t",
        now,
    )
    .await
    .unwrap();
    let t = windvane::review::timeline(&store, now, 90).await.unwrap();
    assert_eq!(t.days.len(), 90);
    assert_eq!(t.days.last().map(String::as_str), Some("2025-09-30"));
    let talks = &t.counts[&Label::Talks];
    let day = |d: &str| t.days.iter().position(|x| x == d).unwrap();
    assert_eq!(talks[day("2025-09-29")], (1, 1));
    assert_eq!(talks[day("2025-09-30")], (1, 0));
    assert_eq!(
        talks.iter().map(|c| c.0).sum::<i64>(),
        2,
        "April is out of range"
    );
    assert!(t.counts[&Label::Purchase].iter().all(|c| *c == (0, 0)));
}

#[tokio::test]
async fn show_colours_evidence_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let store = Store::open(&s.db).unwrap().into();
    let view = windvane::review::post_view(&store, s.ids[0]).await.unwrap();
    let mut tty = Vec::new();
    windvane::cli::review::print_post(&mut tty, &view, true).unwrap();
    let tty = String::from_utf8(tty).unwrap();
    assert!(tty.contains("\x1b[1;33m主动接触\x1b[0m"), "{tty}");
    assert!(!tty.contains("[["), "{tty}");
}

#[tokio::test]
async fn run_serves_the_desk_when_enabled() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    // The daemon binds port 0 and logs the address it got: no port found free and dropped
    // here, which another test could take first.
    std::fs::write(
        &s.config,
        "[store]\npath = \"windvane.db\"\n\n[daemon]\nmetrics_listen = \"off\"\n\n[review]\nenabled = true\nlisten = \"127.0.0.1:0\"\n",
    )
    .unwrap();
    let d = crate::daemon::Daemon::start(&s.config);
    let addr = crate::daemon::logged_addr(&d, "Review desk listening", "addr=").await;
    let mut page = None;
    for _ in 0..300 {
        if let Ok(mut conn) = std::net::TcpStream::connect(&addr) {
            use std::io::{Read, Write};
            write!(
                conn,
                "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut body = String::new();
            conn.read_to_string(&mut body).unwrap();
            page = Some(body);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    drop(d);
    let page = page.expect("the daemon serves the desk");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Review queue"), "{page}");
}

/// A signals folder in `dir` with the built-in codebook and a model whose bias silences every
/// label: a current model any trained one beats.
pub fn silent_signals(dir: &std::path::Path) -> std::path::PathBuf {
    let signals = dir.join("signals");
    std::fs::create_dir(&signals).unwrap();
    let codebook = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/codebook");
    for f in std::fs::read_dir(&codebook).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, signals.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        signals.join("model.json"),
        r#"{"format":3,"version":"model-silent","rules_version":"codebook-2027.03.15","trained_on":0,"l2":0.03,"weights":{},"rule_weight":[0.0,0.0,0.0,0.0],"bias":[-20.0,-20.0,-20.0,-20.0]}"#,
    )
    .unwrap();
    signals
}

/// Verdicts become labelled examples: `train --from-reviews` reads them, evaluates the new
/// model against the old on held-out data before writing it, and refuses without `--eval`.
#[test]
fn train_from_reviews_uses_verdicts_and_evaluates_first() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let talks = s.ids[0].to_string();
    let esc = s.ids[1].to_string();
    stdout(windvane(&s).args(["review", "confirm", &talks]));
    stdout(windvane(&s).args(["review", "dismiss", &esc]));
    let store = Store::open(&s.db).unwrap();
    let examples = store.reviewed_examples().unwrap();
    assert_eq!(examples.len(), 2);
    assert_eq!(
        examples
            .iter()
            .filter(|(_, l)| l.contains(&Label::Talks))
            .count(),
        1
    );
    assert!(
        examples.iter().any(|(_, l)| l.is_empty()),
        "the dismissed post has no label"
    );

    let out = windvane(&s)
        .args(["train", "--from-reviews"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--eval is required");

    let config = s.config.clone();
    trains_from_two_verdicts(dir.path(), &|| windvane(&s), &|signals| {
        std::fs::write(
            &config,
            format!(
                "[store]\npath = \"windvane.db\"\n\n[classifier]\nsignals_dir = \"{}\"\n\n[[alerts]]\nid = \"log\"\nkind = \"log\"\n",
                signals.display()
            ),
        )
        .unwrap();
    });
}

/// `train --from-reviews` on a database holding two verdicts (one post confirmed, one
/// dismissed), through `windvane` (the binary on its configuration). A worse model is
/// refused: two reviewed posts alone cannot beat the built-in model on the test split, so
/// nothing is written. A better model is written: against a current model that reports
/// nothing (`silent_signals`, which `use_signals` puts in the configuration), the model
/// trained on train.tsv plus the verdicts scores better and replaces it.
pub fn trains_from_two_verdicts(
    dir: &Path,
    windvane: &dyn Fn() -> Command,
    use_signals: &dyn Fn(&Path),
) {
    let test = crate::common::fixture("labelled/test.tsv");
    let train = crate::common::fixture("labelled/train.tsv");
    let worse = dir.join("worse.json");
    let printed = stdout(
        windvane()
            .args(["train", "--from-reviews", "--l2", "0.03", "--out"])
            .arg(&worse)
            .arg("--eval")
            .arg(&test),
    );
    assert!(
        printed.contains("2 reviewed posts become labelled examples"),
        "{printed}"
    );
    assert!(
        printed.contains("before ") && printed.contains("after "),
        "{printed}"
    );
    assert!(printed.contains("keeping "), "{printed}");
    assert!(!worse.exists(), "a worse model was written: {printed}");

    use_signals(&silent_signals(dir));
    let better = dir.join("better.json");
    let printed = stdout(
        windvane()
            .args(["train", "--from-reviews", "--l2", "0.03", "--out"])
            .arg(&better)
            .arg("--eval")
            .arg(&test)
            .arg(&train),
    );
    assert!(printed.contains("wrote model-"), "{printed}");
    assert!(better.exists(), "{printed}");
}

/// `review show` tells the post's edit and deletion history (recorded by the recheck).
#[test]
fn show_tells_edits_and_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let id = s.ids[0];
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.execute(
        "INSERT INTO post_versions (post_id, version, text, edit_count, seen_at) VALUES (?1, 1, '美方主动接触中方（初稿）', 0, '2025-04-22T02:00:00Z')",
        [id],
    )
    .unwrap();
    conn.execute(
        "UPDATE posts SET visibility = 'deleted', gone_at = '2025-04-23T01:00:00Z', gone_reason = '抱歉，此微博已被作者删除。' WHERE id = ?1",
        [id],
    )
    .unwrap();
    let out = stdout(windvane(&s).args(["review", "show", &id.to_string()]));
    assert!(
        out.contains("edits:") && out.contains("美方主动接触中方（初稿）"),
        "{out}"
    );
    assert!(
        out.contains("gone: deleted (confirmed 2025-04-23T01:00:00Z): 抱歉，此微博已被作者删除。"),
        "{out}"
    );
    let other = stdout(windvane(&s).args(["review", "show", &s.ids[1].to_string()]));
    assert!(
        !other.contains("gone:") && !other.contains("edits:"),
        "{other}"
    );
}
