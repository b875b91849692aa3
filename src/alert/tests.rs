use super::*;
use crate::classify::{Evidence, LabelScore};

fn post() -> Post {
    Post {
        platform_id: "5152395046175139".into(),
        author: "玉渊谭天".into(),
        text: "【独家】美方近期通过多种渠道主动接触中方，希望就关税问题进行谈判。".repeat(40),
        created_at: DateTime::parse_from_rfc3339("2025-04-11T02:30:00Z")
            .unwrap()
            .with_timezone(&Utc),
        created_at_raw: "Fri Apr 11 10:30:00 +0800 2025".into(),
        url: "https://m.weibo.cn/detail/5152395046175139".into(),
        pinned: false,
        truncated: false,
        edit_count: 0,
        retweet: None,
        raw: String::new(),
    }
}

fn classification(label: Label) -> Classification {
    Classification {
        labels: vec![LabelScore {
            label,
            score: 0.93,
            evidence: vec![Evidence {
                term: "主动接触".into(),
                start: 13,
                end: 17,
                gloss: "reached out <proactively> & \"directly\"".into(),
            }],
        }],
        explanation: "The US reached out to China seeking tariff talks.".into(),
        events: Vec::new(),
        version: "test".into(),
    }
}

fn styles() -> Vec<(&'static str, Style)> {
    let s = |template, text_limit| Style {
        template,
        text_limit,
        item_limit: 50,
        max_bytes: 0,
    };
    vec![
        ("text", s("text", 300)),
        ("markdown", s("markdown", 300)),
        ("slack", s("slack", 300)),
    ]
}

fn every_kind(label: Label) -> Vec<AlertMessage> {
    let p = post();
    let c = classification(label);
    let mut m = message("k", "yyt", "玉渊谭天", &p, &c, label);
    m.review_url = Some("https://review.example/posts/7".into());
    let mut corr = m.clone();
    corr.kind = MessageKind::Corroborated;
    corr.severity = "high".into();
    corr.sources = vec![
        SourceMention {
            id: "yyt".into(),
            name: "玉渊谭天".into(),
            score: 0.93,
            post_url: "https://m.weibo.cn/detail/1".into(),
        },
        SourceMention {
            id: "cctv".into(),
            name: "央视新闻".into(),
            score: 0.81,
            post_url: "https://m.weibo.cn/detail/2".into(),
        },
    ];
    let mut op = m.clone();
    op.kind = MessageKind::Operator;
    op.label = None;
    let digest = digest_message(
        "d",
        "windvane digest · 2 alerts".into(),
        &[m.clone(), corr.clone()],
    );
    vec![m, corr, op, digest]
}

#[test]
fn every_default_template_renders_every_label_and_kind() {
    for label in Label::ALL {
        for msg in every_kind(label) {
            for (name, style) in styles() {
                let r = message::render(&msg, style, None, true)
                    .unwrap_or_else(|e| panic!("{name} {label} {:?}: {e:#}", msg.kind));
                assert!(
                    r.body.contains(&msg.title),
                    "{name}: title missing\n{}",
                    r.body
                );
                let html = r.html.unwrap();
                assert!(html.contains("<h2>"), "{html}");
                match msg.kind {
                    MessageKind::Post | MessageKind::Corroborated => {
                        assert!(r.body.contains(label.english()), "{name}");
                        assert!(
                            r.body.contains("2025-04-11 10:30 (Beijing)"),
                            "{name}\n{}",
                            r.body
                        );
                        assert!(r.body.contains("2025-04-11 02:30 UTC"), "{name}");
                        assert!(r.body.contains("reached out"), "{name}: gloss\n{}", r.body);
                        assert!(r.body.contains("https://review.example/posts/7"), "{name}");
                        assert!(r.body.contains("…"), "{name}: long text is cut");
                        assert!(r.body.chars().count() < 1500, "{name}: {}", r.body.len());
                        // HTML part escapes the gloss; text parts keep it verbatim.
                        assert!(html.contains("&lt;proactively&gt;"), "{html}");
                        assert!(!html.contains("<proactively>"));
                    }
                    MessageKind::Digest => {
                        assert!(r.body.contains("1. "), "{name}\n{}", r.body);
                        assert!(r.body.contains("2. "), "{name}\n{}", r.body);
                    }
                    _ => {}
                }
                if msg.kind == MessageKind::Corroborated {
                    assert!(
                        r.body.contains("央视新闻") && r.body.contains("0.81"),
                        "{name}\n{}",
                        r.body
                    );
                }
            }
        }
    }
}

#[test]
fn title_reads_label_account_score() {
    let m = message(
        "k",
        "yyt",
        "Yuyuan Tantian",
        &post(),
        &classification(Label::Talks),
        Label::Talks,
    );
    assert_eq!(m.title, "Negotiation signal · 玉渊谭天 · 0.93");
}

#[test]
fn override_template_is_used_and_bad_ones_are_rejected() {
    let m = every_kind(Label::Escalation).remove(0);
    let style = styles()[0].1;
    let r = message::render(
        &m,
        style,
        Some("{{ label_name }}! {{ text | cut(10) }}"),
        false,
    )
    .unwrap();
    assert_eq!(r.body, "Escalation! 【独家】美方近期通…");
    assert!(message::check_template("{% if %}").is_err());
}

#[test]
fn keys_are_stable_and_distinct() {
    let a = idempotency_key("s", "1", Label::Talks, "hook");
    assert_eq!(a, idempotency_key("s", "1", Label::Talks, "hook"));
    assert_ne!(a, idempotency_key("s", "1", Label::Escalation, "hook"));
    assert_ne!(a, idempotency_key("s", "1", Label::Talks, "slack"));
    assert_eq!(a.len(), 32);
}

#[test]
fn dingtalk_and_feishu_signatures_follow_the_reference() {
    // Recomputed independently: HMAC key/message order differs between the two.
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let mut m = Hmac::<Sha256>::new_from_slice(b"SECxyz").unwrap();
    m.update(b"1700000000000\nSECxyz");
    let want = base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes());
    assert_eq!(dingtalk::sign("SECxyz", 1_700_000_000_000), want);
    let m = Hmac::<Sha256>::new_from_slice(b"1700000000\nfsecret").unwrap();
    let want = base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes());
    assert_eq!(feishu::sign("fsecret", 1_700_000_000), want);
}

#[test]
fn over_the_rate_limits_room_the_last_message_is_the_fold() {
    // (due alerts, room left) → alerts sent one by one; the rest fold into one digest.
    for (ready, room, singles) in [
        (2, 3, 2),
        (3, 3, 3),
        (4, 3, 2),
        (25, 3, 2),
        (25, 20, 19),
        (5, 1, 0),
    ] {
        assert_eq!(
            singles_within(ready, room),
            singles,
            "{ready} due, room {room}"
        );
    }
}

#[test]
fn an_incident_alerts_when_it_opens_or_changes_not_while_it_lasts() {
    use crate::states::SourceState;
    use crate::store::SourceRunState;
    let now = Utc::now();
    let health = |state, hours: i64| SourceRunState {
        id: "yyt".into(),
        name: "玉渊谭天".into(),
        state,
        last_error: None,
        failing_since: Some(now - chrono::Duration::hours(hours)),
    };
    let stale_after = Duration::from_secs(3600);
    let step = |h: &SourceRunState, open| derive::incident_step(h, stale_after, open, now);
    use derive::IncidentStep::{Close, Keep, Open};
    let cookie = health(SourceState::NeedsCookie, 0);
    assert_eq!(step(&cookie, None), Open("needs-cookie"));
    assert_eq!(step(&cookie, Some("needs-cookie")), Keep);
    assert_eq!(step(&cookie, Some("stale")), Open("needs-cookie"));
    assert_eq!(
        step(&health(SourceState::Failing, 0), None),
        Keep,
        "not stale yet"
    );
    assert_eq!(step(&health(SourceState::Failing, 2), None), Open("stale"));
    assert_eq!(step(&health(SourceState::Ok, 2), Some("stale")), Close);
    assert_eq!(step(&health(SourceState::Ok, 2), None), Keep);
}
