use chrono::{DateTime, Utc};

use crate::sources::weibo::archive::time_from_mid;

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
    let (format, Opened::Chunks(mut chunks)) =
        open_file(&fixture("import/人民日报_2803301701.csv"), now).unwrap()
    else {
        panic!("a CSV is read in chunks")
    };
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
    let (format, Opened::Chunks(mut chunks)) = open_file(&path, now).unwrap() else {
        panic!("JSONL is read in chunks")
    };
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

/// Every chunk the file gives, with `max` posts at most each.
fn chunks_of(path: &Path, max: usize, now: DateTime<Utc>) -> (Format, Vec<Parsed>) {
    let (format, opened) = open_file(path, now).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    opened
        .for_each_chunk(max, now, |c| {
            assert!(c.posts.len() + c.bad.len() <= max);
            out.push(c);
            ControlFlow::Continue(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    (format, out)
}

#[test]
fn json_documents_are_read_a_post_at_a_time() {
    let now = utc("2026-01-01T00:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    // weibo-crawler JSON with `user` after the posts, one post without an id and one that is
    // not an object: 7 good posts in chunks of 3, the account known from the first chunk.
    let post = |id: u32| {
        format!(
            r#"{{"id": {id}, "bid": "B{id}", "text": "第{id}条", "created_at": "2025-04-22T10:00:00"}}"#
        )
    };
    let mut items: Vec<String> = (1..=4).map(post).collect();
    items.push(r#"{"text": "no id", "created_at": "2025-04-22T10:00:00"}"#.into());
    items.extend((5..=7).map(post));
    items.push("42".into());
    let text = format!(
        "{{\"weibo\": [\n{}\n], \"user\": {{\"id\": \"2656274875\", \"screen_name\": \"央视新闻\"}}}}",
        items.join(",\n")
    );
    let path = dir.path().join("a.json");
    std::fs::write(&path, &text).unwrap();
    let (format, chunks) = chunks_of(&path, 3, now);
    assert_eq!(format, Format::CrawlerJson);
    let sizes: Vec<(usize, usize)> = chunks
        .iter()
        .map(|c| (c.posts.len(), c.bad.len()))
        .collect();
    assert_eq!(sizes, [(3, 0), (2, 1), (2, 1)]);
    for c in &chunks {
        assert_eq!(c.uid.as_deref(), Some("2656274875"));
        assert_eq!(c.screen_name.as_deref(), Some("央视新闻"));
    }
    let ids: Vec<&str> = chunks
        .iter()
        .flat_map(|c| c.posts.iter().map(|p| p.platform_id.as_str()))
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7"]);
    let bad: Vec<&str> = chunks
        .iter()
        .flat_map(|c| c.bad.iter().map(|b| b.0.as_str()))
        .collect();
    assert_eq!(bad, ["weibo[4]", "weibo[8]"]);
    assert_eq!(
        chunks[0].posts[0].url, "https://weibo.com/2656274875/B1",
        "the account read after the posts still makes their URLs"
    );

    // The same document read whole gives the same posts.
    let (_, whole) = parse_file(&path, text.as_bytes(), now).unwrap();
    let streamed: Vec<&Post> = chunks.iter().flat_map(|c| &c.posts).collect();
    assert_eq!(streamed.len(), whole.posts.len());
    for (a, b) in streamed.iter().zip(&whole.posts) {
        assert_eq!(
            (&a.platform_id, &a.url, &a.text, a.created_at, &a.raw),
            (&b.platform_id, &b.url, &b.text, b.created_at, &b.raw)
        );
    }

    // A repeated key: the last value is the one read, as in a document read whole.
    let path = dir.path().join("twice.json");
    std::fs::write(
        &path,
        format!(
            "{{\"weibo\": [{}], \"weibo\": [{}, {}]}}",
            post(1),
            post(2),
            post(3)
        ),
    )
    .unwrap();
    let (_, chunks) = chunks_of(&path, 10, now);
    let ids: Vec<&str> = chunks[0]
        .posts
        .iter()
        .map(|p| p.platform_id.as_str())
        .collect();
    assert_eq!(ids, ["2", "3"]);

    // Search results: each post with its author, a chunk at a time.
    let path = dir.path().join("q.json");
    let result = |id: u64, uid: u32| {
        format!(
            r#"{{"id": "{id}", "created_at": "2019-07-23", "text": "磋商{id}", "user": {{"id": {uid}, "screen_name": "u{uid}"}}}}"#
        )
    };
    std::fs::write(
        &path,
        format!(
            "{{\"query\": \"磋商\", \"result\": [{}, {}, {}]}}",
            result(4397137645685277, 1),
            result(4397137645685278, 2),
            result(4397137645685279, 1)
        ),
    )
    .unwrap();
    let (format, chunks) = chunks_of(&path, 2, now);
    assert_eq!(format, Format::SearchJson);
    let owners: Vec<&Owner> = chunks.iter().flat_map(|c| &c.owners).collect();
    assert_eq!(
        owners,
        [
            &Owner::WeiboUser {
                uid: "1".into(),
                name: "u1".into()
            },
            &Owner::WeiboUser {
                uid: "2".into(),
                name: "u2".into()
            },
            &Owner::WeiboUser {
                uid: "1".into(),
                name: "u1".into()
            },
        ]
    );
    assert_eq!(chunks.len(), 2);

    // An empty array is one empty chunk that still names the account.
    let path = dir.path().join("empty.json");
    std::fs::write(
        &path,
        r#"{"user": {"id": 7, "screen_name": "x"}, "weibo": []}"#,
    )
    .unwrap();
    let (_, chunks) = chunks_of(&path, 10, now);
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].uid.as_deref(), Some("7"));
    assert!(chunks[0].posts.is_empty());
}

#[test]
fn the_crawler_fixture_streams_as_it_reads_whole() {
    let now = utc("2026-01-01T00:00:00Z");
    let path = fixture("import/央视新闻_2656274875.json");
    let (format, chunks) = chunks_of(&path, 64, now);
    assert_eq!(format, Format::CrawlerJson);
    assert_eq!(chunks.len(), 4, "200 posts in chunks of 64");
    let bytes = std::fs::read(&path).unwrap();
    let (_, whole) = parse_file(&path, &bytes, now).unwrap();
    let streamed: Vec<&Post> = chunks.iter().flat_map(|c| &c.posts).collect();
    assert_eq!((streamed.len(), whole.posts.len()), (200, 200));
    for (a, b) in streamed.iter().zip(&whole.posts) {
        assert_eq!(
            (
                &a.platform_id,
                &a.url,
                &a.author,
                &a.text,
                a.created_at,
                &a.raw
            ),
            (
                &b.platform_id,
                &b.url,
                &b.author,
                &b.text,
                b.created_at,
                &b.raw
            )
        );
    }
    assert!(chunks
        .iter()
        .all(|c| c.uid == whole.uid && c.screen_name == whole.screen_name));
}

#[test]
fn an_export_line_is_told_without_keeping_the_document() {
    use std::io::Read;
    assert!(stream::is_export_line(
        &br#"{"platform_id": "1", "source_id": "cctv", "raw": {"weibo": []}}"#[..]
    ));
    for not in [
        &br#"{"platform_id": "1"}"#[..],
        br#"{"platform_id": "1", "source_id": "s"} x"#,
        br#"{"user": {"id": 1}, "weibo": [{"platform_id": "1", "source_id": "s"}]}"#,
        br#"[{"platform_id": "1", "source_id": "s"}]"#,
        b"{",
    ] {
        assert!(
            !stream::is_export_line(not),
            "{}",
            String::from_utf8_lossy(not)
        );
    }
    // The first line only, its newline included, whatever the reads' sizes.
    let mut text = b"{\"a\": 1}\n{\"b\": 2}\n".as_slice();
    let mut first = stream::FirstLine {
        inner: &mut text,
        done: false,
    };
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    while first.read(&mut byte).unwrap() == 1 {
        got.push(byte[0]);
    }
    assert_eq!(got, b"{\"a\": 1}\n");
    assert_eq!(text, b"{\"b\": 2}\n", "the rest is left unread");
}
