//! Parsing of the real captured getIndex responses.

use chrono::Utc;
use windvane::sources::weibo::{
    parse_long_text, parse_profile, parse_timeline, post_detail_from_raw, Profile, TimelineResponse,
};

use crate::common::read_fixture;

fn page(name: &str) -> windvane::sources::weibo::TimelinePage {
    match parse_timeline(read_fixture(name).as_bytes(), Utc::now()).unwrap() {
        TimelineResponse::Page(p) => p,
        other => panic!("{name}: {other:?}"),
    }
}

/// Every card of the three captured timelines: the exact ids, which are long previews (to
/// be completed through extend/show/detail), pinned, and reposts with their originals.
struct Expect {
    file: &'static str,
    ids: &'static [&'static str],
    long: &'static [&'static str],
    pinned: &'static str,
    /// (repost, original, original's author)
    retweets: &'static [(&'static str, &'static str, &'static str)],
}

const AK_IDS_0: &[&str] = &[
    "4645748019299849",
    "4649031014551911",
    "4648806186747944",
    "4648004356937383",
    "4647212359090479",
    "4647211990255467",
    "4646917039199914",
    "4646569834450357",
    "4646502071534367",
    "4646192191903210",
];
const AK_LONG: &[&str] = &[
    "4645748019299849",
    "4649031014551911",
    "4647212359090479",
    "4646569834450357",
    "4646502071534367",
    "4646192191903210",
];

const EXPECT: &[Expect] = &[
    Expect {
        file: "weibo/weibo_ak_list_0.json",
        ids: AK_IDS_0,
        long: AK_LONG,
        pinned: "4645748019299849",
        retweets: &[("4648806186747944", "4645748019299849", "明日方舟Arknights")],
    },
    Expect {
        file: "weibo/weibo_ak_list_1.json",
        ids: &[
            "4645748019299849",
            "4649106427873349",
            "4649031014551911",
            "4648806186747944",
            "4648004356937383",
            "4647212359090479",
            "4647211990255467",
            "4646917039199914",
            "4646569834450357",
            "4646502071534367",
            "4646192191903210",
        ],
        long: AK_LONG,
        pinned: "4645748019299849",
        retweets: &[("4648806186747944", "4645748019299849", "明日方舟Arknights")],
    },
    Expect {
        file: "weibo/weibo_ys_list_0.json",
        ids: &[
            "4640329573078415",
            "4655758022804664",
            "4655727546995839",
            "4655701919795833",
            "4655682274199795",
            "4655669099106091",
            "4655623977568742",
            "4655591404078569",
            "4655435766039395",
            "4655401851422792",
            "4655363733591226",
        ],
        long: &["4640329573078415"],
        pinned: "4640329573078415",
        retweets: &[("4655758022804664", "4655757364823177", "骆歆同学")],
    },
];

#[test]
fn every_card_of_the_captured_timelines_parses() {
    for e in EXPECT {
        let p = page(e.file);
        let name = e.file;
        assert!(p.issues.is_empty(), "{name}: {:?}", p.issues);
        let ids: Vec<&str> = p.posts.iter().map(|x| x.platform_id.as_str()).collect();
        assert_eq!(ids, e.ids, "{name}");
        let long: Vec<&str> = p
            .posts
            .iter()
            .filter(|x| x.truncated)
            .map(|x| x.platform_id.as_str())
            .collect();
        assert_eq!(long, e.long, "{name}: previews to complete");
        let pinned: Vec<&str> = p
            .posts
            .iter()
            .filter(|x| x.pinned)
            .map(|x| x.platform_id.as_str())
            .collect();
        assert_eq!(pinned, [e.pinned], "{name}");
        let retweets: Vec<(&str, &str, &str)> = p
            .posts
            .iter()
            .filter_map(|x| {
                let rt = x.retweet.as_ref()?;
                Some((
                    x.platform_id.as_str(),
                    rt.platform_id.as_str(),
                    rt.author.as_deref().unwrap_or("<deleted>"),
                ))
            })
            .collect();
        assert_eq!(retweets, e.retweets, "{name}");
        for post in &p.posts {
            let id = &post.platform_id;
            assert!(!post.text.contains('<'), "HTML left in {id}: {}", post.text);
            assert!(!post.text.ends_with("全文"), "全文 link kept in {id}");
            assert!(!post.text.is_empty(), "{id}");
            assert!(
                post.url.starts_with("https://weibo.com/"),
                "{id}: {}",
                post.url
            );
            if let Some(rt) = &post.retweet {
                assert!(!rt.text.is_empty() && !rt.text.contains('<'), "{id}");
            }
        }
    }
}

#[test]
fn edit_times_pictures_and_counts_of_the_captured_cards() {
    let p = page("weibo/weibo_ak_list_0.json");
    let detail = |id: &str| {
        let post = p.posts.iter().find(|x| x.platform_id == id).unwrap();
        post_detail_from_raw(&post.raw, Utc::now())
    };
    let pinned = detail("4645748019299849");
    assert_eq!(
        pinned.edit_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2021-06-16T02:51:10+00:00")
    );
    assert_eq!(
        pinned.edit_at_raw.as_deref(),
        Some("Wed Jun 16 10:51:10 +0800 2021")
    );
    assert!(pinned.pics.is_empty());
    assert_eq!(
        (pinned.reposts, pinned.comments, pinned.attitudes),
        (Some(9079), Some(2126), Some(37053))
    );
    let four = detail("4646917039199914");
    assert_eq!(four.pics.len(), 4);
    assert!(
        four.pics
            .iter()
            .all(|u| u.starts_with("https://") && u.contains("/large/")),
        "{:?}",
        four.pics
    );
    assert_eq!(four.edit_at, None);
    let ys = page("weibo/weibo_ys_list_0.json");
    assert_eq!(
        post_detail_from_raw(&ys.posts[0].raw, Utc::now())
            .pics
            .len(),
        9
    );
}

#[test]
fn the_captured_profile_names_the_timeline_container() {
    let p = parse_profile(read_fixture("weibo/weibo_ak_profile.json").as_bytes()).unwrap();
    assert_eq!(
        p,
        Profile {
            uid: "6279793937".into(),
            screen_name: Some("明日方舟Arknights".into()),
            containerid: Some("1076036279793937".into()),
        }
    );
    assert_eq!(
        parse_profile(read_fixture("weibo/weibo_err_profile.json").as_bytes()),
        None
    );
    // A timeline page is not a profile.
    assert_eq!(
        parse_profile(read_fixture("weibo/weibo_ak_list_0.json").as_bytes()),
        None
    );
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
