//! Parsing of the real captured getIndex responses.

use chrono::Utc;
use windvane::sources::weibo::{parse_long_text, parse_timeline, TimelineResponse};

use crate::common::read_fixture;

fn page(name: &str) -> windvane::sources::weibo::TimelinePage {
    match parse_timeline(read_fixture(name).as_bytes(), Utc::now()).unwrap() {
        TimelineResponse::Page(p) => p,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn every_card_of_the_captured_timelines_parses() {
    for (name, cards) in [
        ("weibo/weibo_ak_list_0.json", 10),
        ("weibo/weibo_ak_list_1.json", 11),
        ("weibo/weibo_ys_list_0.json", 11),
    ] {
        let p = page(name);
        assert!(p.issues.is_empty(), "{name}: {:?}", p.issues);
        assert_eq!(p.posts.len(), cards, "{name}");
        for post in &p.posts {
            assert!(
                post.platform_id.chars().all(|c| c.is_ascii_digit()),
                "{}",
                post.platform_id
            );
            assert!(
                !post.text.contains('<'),
                "HTML left in {}: {}",
                post.platform_id,
                post.text
            );
            assert!(post.url.starts_with("https://"), "{}", post.url);
        }
    }
}

#[test]
fn ak_list_0_details() {
    let p = page("weibo/weibo_ak_list_0.json");
    assert_eq!(p.since_id.as_deref(), Some("4646131823281332"));
    let pinned: Vec<_> = p
        .posts
        .iter()
        .filter(|x| x.pinned)
        .map(|x| x.platform_id.as_str())
        .collect();
    assert_eq!(pinned, ["4645748019299849"]);
    assert_eq!(p.posts.iter().filter(|x| x.truncated).count(), 6);
    let rt = p
        .posts
        .iter()
        .find(|x| x.platform_id == "4648806186747944")
        .unwrap();
    let original = rt.retweet.as_ref().expect("retweet kept");
    assert!(!original.text.is_empty());
    let first = &p.posts[0];
    assert_eq!(first.created_at.to_rfc3339(), "2021-06-08T01:35:04+00:00");
    assert_eq!(first.created_at_raw, "Tue Jun 08 09:35:04 +0800 2021");
    assert_eq!(first.author, "明日方舟Arknights");
    assert!(first.text.starts_with("#明日方舟#"), "{}", first.text);
}

#[test]
fn long_text_responses_parse() {
    let t = parse_long_text(read_fixture("weibo/weibo_detail_4645748019299849.json").as_bytes())
        .unwrap();
    assert!(t.chars().count() > 140 && !t.contains('<'), "{t}");
    assert!(parse_long_text(br#"{"ok":1,"data":{}}"#).is_none());
}

#[test]
fn empty_profile_is_empty_not_an_error() {
    let r = parse_timeline(
        read_fixture("weibo/weibo_err_profile.json").as_bytes(),
        Utc::now(),
    )
    .unwrap();
    assert!(matches!(r, TimelineResponse::Empty { .. }));
}
