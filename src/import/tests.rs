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
