use chrono::{DateTime, Utc};

use super::*;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn a_mid_carries_its_creation_second() {
    let now = utc("2026-01-01T00:00:00Z");
    // 中国之声, search result dated "07-23" (2019): 2019-07-23 20:46 Beijing.
    let t = time_from_mid("4397137645685277", now).unwrap();
    assert_eq!(
        (t + chrono::Duration::hours(8))
            .format("%Y-%m-%d")
            .to_string(),
        "2019-07-23"
    );
    assert_eq!(time_from_mid("42", now), None, "before Weibo existed");
    assert_eq!(time_from_mid("not a number", now), None);
    assert_eq!(time_from_mid("99999999999999999999", now), None);
    // A mid from after `now` does not decode either.
    assert_eq!(
        time_from_mid("4397137645685277", utc("2019-01-01T00:00:00Z")),
        None
    );
}

#[test]
fn search_results_go_under_their_authors_with_full_times() {
    let now = utc("2026-01-01T00:00:00Z");
    let json = r#"{"query": "G20 重启经贸磋商", "result": [
        {"id": "4397137645685277", "created_at": "07-23", "text": "【中美经贸】<a href='/n/x'>@中国之声</a> 重启经贸磋商<br/>第二行",
         "user": {"id": 1699540307, "screen_name": "中国之声", "verified_type": 3}, "comments": []},
        {"id": "4402392302956345", "created_at": "16小时前", "text": "磋商", "user": {"id": 1, "screen_name": "x"}},
        {"id": "4295336087734211", "created_at": "2018-09-18", "text": "written date wins", "user": {"id": 2}},
        {"id": "4397137645685278", "created_at": "07-23", "text": "no user"},
        {"id": "4397137645685279", "created_at": "07-23", "text": "  ", "user": {"id": 3}}
    ]}"#;
    let (format, parsed) = parse_file(Path::new("q.json"), json.as_bytes(), now).unwrap();
    assert_eq!(format, Format::SearchJson);
    assert_eq!(parsed.posts.len(), 3);
    let places: Vec<&str> = parsed.bad.iter().map(|b| b.0.as_str()).collect();
    assert_eq!(places, ["result[3]", "result[4]"]);
    let p = &parsed.posts[0];
    assert_eq!(p.text, "【中美经贸】@中国之声 重启经贸磋商\n第二行");
    assert_eq!(
        p.created_at,
        time_from_mid("4397137645685277", now).unwrap()
    );
    assert_eq!(p.created_at_raw, "07-23");
    assert_eq!(
        parsed.owners[0],
        Owner::WeiboUser {
            uid: "1699540307".into(),
            name: "中国之声".into()
        }
    );
    // "16小时前" has no crawl time to count from: the mid's time is the post's.
    assert_eq!(
        parsed.posts[1].created_at,
        time_from_mid("4402392302956345", now).unwrap()
    );
    // This (made-up) mid decodes to another day than the one written: the written day wins.
    assert_eq!(parsed.posts[2].created_at, utc("2018-09-17T16:00:00Z"));
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

#[test]
fn files_are_read_a_chunk_at_a_time() {
    let now = utc("2026-01-01T00:00:00Z");
    // The 1498-row crawler CSV in chunks of at most 100: every row, none twice, and the
    // account named by the file in every chunk.
    let (format, mut chunks) = open_file(&fixture("import/人民日报_2803301701.csv"), now).unwrap();
    assert_eq!(format, Format::CrawlerCsv);
    let (mut total, mut n) = (0, 0);
    let mut ids = std::collections::HashSet::new();
    loop {
        let c = chunks.next_chunk(100, now);
        if c.posts.is_empty() && c.bad.is_empty() {
            break;
        }
        assert!(c.posts.len() + c.bad.len() <= 100);
        assert_eq!(c.uid.as_deref(), Some("2803301701"));
        assert_eq!(c.screen_name.as_deref(), Some("人民日报"));
        total += c.posts.len();
        ids.extend(c.posts.into_iter().map(|p| p.platform_id));
        n += 1;
    }
    assert_eq!((total, ids.len(), n), (1498, 1498, 15));

    // windvane's JSONL export, streamed line by line, with line numbers in bad rows.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.jsonl");
    let line = |id: u32| {
        format!(
            r#"{{"platform_id":"{id}","source_id":"cctv","source_name":"央视新闻","text":"第{id}条","created_at":"2025-04-22T02:00:00Z","raw":{{"mid":"{id}"}}}}"#
        )
    };
    let mut text: String = (1..=5).map(|i| line(i) + "\n").collect();
    text.push_str("{not json\n");
    std::fs::write(&path, &text).unwrap();
    let (format, mut chunks) = open_file(&path, now).unwrap();
    assert_eq!(format, Format::WindvaneJsonl);
    let a = chunks.next_chunk(4, now);
    assert_eq!(a.posts.len(), 4);
    assert_eq!(
        a.posts[0].raw, r#"{"mid":"1"}"#,
        "the exported payload comes back"
    );
    let b = chunks.next_chunk(4, now);
    assert_eq!(b.posts.len(), 1);
    assert_eq!(b.bad.len(), 1);
    assert_eq!(b.bad[0].0, "line 6");
    let c = chunks.next_chunk(4, now);
    assert!(c.posts.is_empty() && c.bad.is_empty());
}

#[test]
fn broken_json_says_what_is_wrong_and_where() {
    let now = utc("2026-01-01T00:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    // A crawler file cut short, and one with a missing comma on line 3.
    for (name, text, place) in [
        (
            "cut.json",
            "{\"user\": {\"id\": \"1\"},\n \"weibo\": [\n  {\"id\": 1,",
            "line 3 column ",
        ),
        (
            "comma.json",
            "{\n \"weibo\": [\n  {\"id\": 1 \"text\": \"x\"}\n ]\n}\n",
            "line 3 column ",
        ),
        (
            "array.json",
            "[\n {\"id\": 1},\n {\"id\": 2\n]\n",
            "line 4 column ",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let err = match open_file(&path, now) {
            Ok((format, _)) => panic!("{name} read as {format:?}"),
            Err(e) => e.to_string(),
        };
        assert!(err.starts_with("not valid JSON: "), "{name}: {err}");
        assert!(err.contains(place), "{name}: {err}");
        assert!(!err.contains("CSV"), "{name}: {err}");
        // The whole-bytes path agrees.
        let bytes = std::fs::read(&path).unwrap();
        let err2 = parse_file(&path, &bytes, now).unwrap_err().to_string();
        assert_eq!(err, err2);
    }
}
