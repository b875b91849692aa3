//! The binary itself: check-config and classify.

use assert_cmd::Command;

fn windvane() -> Command {
    let mut c = Command::cargo_bin("windvane").unwrap();
    c.current_dir(env!("CARGO_TARGET_TMPDIR"));
    c
}

#[test]
fn check_config_on_shipped_files() {
    for f in ["config/windvane.toml", "config/example.toml"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(f);
        let out = windvane()
            .arg("--config")
            .arg(&path)
            .arg("check-config")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn check_config_names_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[[sources]]\nid = \"a\"\nkind = \"weibo\"\nuid = \"123\"\nschedule = \"every 5m\"\napi_bsae = \"http://x\"\n").unwrap();
    let out = windvane()
        .arg("--config")
        .arg(&path)
        .arg("check-config")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.toml"), "{err}");
    assert!(err.contains("sources[0].api_bsae"), "{err}");
    assert!(err.contains("unknown field"), "{err}");

    std::fs::write(&path, "[[sources]]\nid = \"a\"\nkind = \"weibo\"\nuid = \"12x\"\nschedule = \"every now and then\"\n").unwrap();
    let out = windvane()
        .arg("--config")
        .arg(&path)
        .arg("check-config")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sources[0].uid") && err.contains("sources[0].schedule"),
        "both problems reported: {err}"
    );

    // A Weibo account is a uid or a screen name: both, or neither, is named with file and key.
    for (keys, key, says) in [
        (
            "uid = \"123\"\nscreen_name = \"央视新闻\"\n",
            "sources[0].screen_name",
            "not both",
        ),
        ("", "sources[0].uid", "or `screen_name`"),
    ] {
        std::fs::write(
            &path,
            format!("[[sources]]\nid = \"a\"\nkind = \"weibo\"\nschedule = \"every 5m\"\n{keys}"),
        )
        .unwrap();
        let out = windvane()
            .arg("--config")
            .arg(&path)
            .arg("check-config")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("broken.toml: `{key}`")) && err.contains(says),
            "{err}"
        );
    }
}

#[test]
fn once_with_bad_config_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.toml");
    std::fs::write(&path, "[store\n").unwrap();
    let out = windvane()
        .arg("--config")
        .arg(&path)
        .arg("once")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn classify_json_has_labels_scores_and_evidence() {
    let input = "据悉，美方近期多次通过不同渠道向中方表达希望就关税问题举行会谈的意愿。\n欧盟宣布对部分进口商品加征关税。\n若美方坚持升级关税措施，中方将采取对等反制。\n";
    let out = windvane()
        .args(["classify", "--json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let labels = |v: &serde_json::Value| -> Vec<String> {
        v["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["label"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(labels(&lines[0]), ["talks"]);
    assert!(labels(&lines[1]).is_empty());
    assert_eq!(labels(&lines[2]), ["escalation"]);
    let talks = &lines[0]["labels"][0];
    let score = talks["score"].as_f64().unwrap();
    assert!(score > 0.5 && score <= 1.0);
    let text: Vec<char> = lines[0]["text"].as_str().unwrap().chars().collect();
    for e in talks["evidence"].as_array().unwrap() {
        let (s, en) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..en].iter().collect::<String>(),
            e["term"].as_str().unwrap()
        );
        assert!(!e["gloss"].as_str().unwrap().is_empty());
    }
}

/// `demo`, README's first command: real posts through the whole pipeline, offline.
#[test]
fn demo_stores_the_bundled_posts_and_delivers_every_alert_it_queues() {
    let out = windvane().arg("demo").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The bundled files: 12 posts of @央视新闻 (2024-11-26) and 14 of 2019 (src/demo/*.json).
    let row = |source: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.starts_with(source))
            .unwrap_or_else(|| panic!("no line for {source}: {text}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(&row("cctv-news")[1..3], ["12", "12"], "{text}");
    assert_eq!(&row("media-2019")[1..3], ["14", "14"], "{text}");
    assert!(text.contains("Stored 26 posts."), "{text}");
    let db: std::path::PathBuf = text
        .lines()
        .next()
        .and_then(|l| l.split("database ").nth(1))
        .unwrap_or_else(|| panic!("no database path: {text}"))
        .trim()
        .into();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(q("SELECT count(*) FROM posts"), 26);
    let flagged = q("SELECT count(DISTINCT post_id) FROM alerts");
    let queued = q("SELECT count(*) FROM alerts");
    assert!(flagged > 0, "the demo's posts include trade signals");
    assert_eq!(q("SELECT count(*) FROM alerts WHERE status != 'sent'"), 0);
    // Two channels (log and the local webhook) get every alert; the summary says so.
    assert_eq!(
        q("SELECT count(*) FROM alerts WHERE channel_id = 'local-webhook'") * 2,
        queued
    );
    assert!(
        text.contains(&format!(
            "Alerts: {queued} queued, {queued} delivered now ({} webhook calls received).",
            queued / 2
        )),
        "{text}"
    );
    let listed = text
        .lines()
        .filter(|l| l.starts_with("20") && (l.contains("cctv-news") || l.contains("media-2019")))
        .count() as i64;
    assert_eq!(listed, flagged, "every flagged post listed once: {text}");
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

/// `eval`: its counts checked against the classifier's own answers, label by label.
#[test]
fn eval_reports_precision_recall_and_support_that_add_up() {
    let texts = [
        (
            "美方通过多种渠道主动接触中方，希望就关税问题进行谈判。",
            "talks",
        ),
        (
            "国务院关税税则委员会决定对原产于美国的部分进口商品加征关税。",
            "escalation",
        ),
        (
            "中美双方同意暂停加征新的关税，并取消部分已加征的关税。",
            "de_escalation",
        ),
        (
            "中方企业与美方签署大豆采购合同，采购量达数百万吨。",
            "purchase",
        ),
        ("今天北京天气晴朗，气温适宜。", "none"),
        ("外交部发言人表示中方愿同美方加强沟通、管控分歧。", "talks"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("eval.tsv");
    let mut body = "text\tlabels\n".to_string();
    for (t, l) in &texts {
        body += &format!("{t}\t{l}\n");
    }
    std::fs::write(&tsv, body).unwrap();
    // What the classifier says of each text, through the CLI.
    let predicted: Vec<Vec<String>> = texts
        .iter()
        .map(|(t, _)| {
            let out = windvane().args(["classify", "--json", t]).output().unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            v["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["label"].as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    let out = windvane().arg("eval").arg(&tsv).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.starts_with("6 examples"), "{report}");
    for label in ["talks", "de_escalation", "escalation", "purchase"] {
        let gold = |i: usize| texts[i].1.split(',').any(|l| l == label);
        let pred = |i: usize| predicted[i].iter().any(|l| l == label);
        let tp = (0..texts.len()).filter(|&i| gold(i) && pred(i)).count();
        let fp = (0..texts.len()).filter(|&i| !gold(i) && pred(i)).count();
        let support = (0..texts.len()).filter(|&i| gold(i)).count();
        let cols: Vec<&str> = report
            .lines()
            .find(|l| l.split_whitespace().next() == Some(label))
            .unwrap_or_else(|| panic!("no {label} row: {report}"))
            .split_whitespace()
            .collect();
        assert_eq!(
            cols.last().copied(),
            Some(support.to_string().as_str()),
            "{label}: {report}"
        );
        if tp + fp > 0 {
            assert_eq!(
                cols[1],
                format!("{:.3}", tp as f64 / (tp + fp) as f64),
                "{label} precision: {report}"
            );
        }
        assert_eq!(
            cols[2],
            format!("{:.3}", tp as f64 / support as f64),
            "{label} recall: {report}"
        );
    }
}

/// `reclassify`: stored posts get the current classifier's labels; alerts only for labels
/// they did not have; a second run has nothing to do.
#[test]
fn reclassify_adds_the_current_version_and_alerts_only_new_labels() {
    use windvane::classify::{Classification, Label, LabelScore};
    use windvane::sources::Post;
    use windvane::store::{NewPost, Store};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let config = dir.path().join("windvane.toml");
    std::fs::write(
        &config,
        "[store]\npath = \"w.db\"\n\n[[sources]]\nid = \"wb\"\nkind = \"weibo\"\nuid = \"1\"\nschedule = \"every 1h\"\n\n[[alerts]]\nid = \"log\"\nkind = \"log\"\nmin_score = 0.5\n",
    )
    .unwrap();
    let store = Store::open(&db).unwrap();
    store.ensure_source("wb", "weibo", "wb").unwrap();
    let post = |id: &str, text: &str| Post {
        platform_id: id.into(),
        author: "测试".into(),
        text: text.into(),
        created_at: chrono::Utc::now(),
        created_at_raw: String::new(),
        url: String::new(),
        pinned: false,
        truncated: false,
        edit_count: 0,
        retweet: None,
        raw: "{}".into(),
    };
    let talks = post(
        "1",
        "美方通过多种渠道主动接触中方，希望就关税问题进行谈判。",
    );
    let plain = post("2", "今天北京天气晴朗，气温适宜。");
    // An old version that already had `talks` on the first post, nothing on the second.
    let old = |labels: Vec<LabelScore>| Classification {
        labels,
        explanation: String::new(),
        events: Vec::new(),
        version: "old-1".into(),
    };
    let had_talks = old(vec![LabelScore {
        label: Label::Talks,
        score: 0.9,
        evidence: vec![],
    }]);
    let had_none = old(vec![]);
    store
        .ingest(
            "wb",
            &[
                NewPost {
                    post: &talks,
                    classification: &had_talks,
                    alerts: vec![],
                    index_words: "",
                },
                NewPost {
                    post: &plain,
                    classification: &had_none,
                    alerts: vec![],
                    index_words: "",
                },
            ],
            chrono::Utc::now(),
        )
        .unwrap();
    drop(store);
    let run = || {
        let out = windvane()
            .arg("--config")
            .arg(&config)
            .arg("reclassify")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
    };
    run();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        q("SELECT count(*) FROM classifications"),
        4,
        "one new classification per post"
    );
    assert_eq!(
        q("SELECT count(*) FROM classifications WHERE classifier_version = 'old-1'"),
        2,
        "the old ones kept"
    );
    let new_talks: Vec<String> = conn
        .prepare("SELECT l.label FROM classification_labels l JOIN classifications c ON c.id = l.classification_id JOIN posts p ON p.id = c.post_id WHERE p.platform_id = '1' AND c.classifier_version != 'old-1'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(new_talks.contains(&"talks".to_string()), "{new_talks:?}");
    // `talks` was known before: no alert for it; any other new label of post 1 alerts.
    let alerted: Vec<String> = conn
        .prepare("SELECT a.label FROM alerts a JOIN posts p ON p.id = a.post_id WHERE p.platform_id = '1'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected: Vec<String> = new_talks
        .iter()
        .filter(|l| *l != "talks")
        .cloned()
        .collect();
    assert_eq!(alerted, expected);
    assert_eq!(q("SELECT count(*) FROM alerts a JOIN posts p ON p.id = a.post_id WHERE p.platform_id = '2'"), 0);
    run();
    assert_eq!(
        q("SELECT count(*) FROM classifications"),
        4,
        "nothing left to do"
    );
}

/// `windvane eval … | head`: a reader that closes the pipe early ends the command quietly
/// (exit 0, nothing on stderr), instead of the panic `println!` gives on a closed stdout.
#[test]
fn a_reader_closing_the_pipe_early_ends_a_command_quietly() {
    use std::process::{Command, Stdio};
    let labelled =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/labelled/train.tsv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_windvane"))
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .arg("eval")
        .arg(&labelled)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before the command has classified its 3,000 texts, so its first write
    // meets a closed pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.trim().is_empty(), "{err}");
}

/// `windvane classify --json < posts | head -1`: the per-post writes meet the closed pipe too,
/// and end the command as quietly as the report commands (it used to print "error: Broken
/// pipe" and exit 1).
#[test]
fn classify_ends_quietly_when_its_reader_stops_early() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_windvane"))
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .args(["classify", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    // (The command may end before it has read everything: a write here can fail, and that
    // is fine.)
    for _ in 0..500 {
        if writeln!(
            stdin,
            "美方宣布对2000亿美元中国商品加征的关税从10%上调至25%。"
        )
        .is_err()
        {
            break;
        }
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}
