use chrono::TimeZone;

use super::*;
use crate::classify::{Evidence, LabelScore};
use crate::sources::{Post, Retweet};

fn ev(term: &str, start: usize, end: usize, gloss: &str) -> Evidence {
    Evidence {
        term: term.into(),
        start,
        end,
        gloss: gloss.into(),
    }
}

fn ls(label: Label, score: f64, evidence: Vec<Evidence>) -> LabelScore {
    LabelScore {
        label,
        score,
        evidence,
    }
}

fn post_with(labels: Vec<LabelScore>) -> ReviewPost {
    ReviewPost {
        id: 7,
        source_id: "s".into(),
        source_name: "S".into(),
        platform_id: "1".into(),
        author: "a".into(),
        text: "t".into(),
        retweet_author: None,
        retweet_text: None,
        url: "https://x/1".into(),
        created_at: Utc::now(),
        fetched_at: Utc::now(),
        edit_count: 0,
        truncated: false,
        labels,
        explanation: None,
        classifier_version: None,
        status: ReviewStatus::Unreviewed,
        analyst_labels: Vec::new(),
        version: 0,
    }
}

#[test]
fn highlight_cuts_at_char_offsets_and_skips_overlaps() {
    let text = "美方希望就关税问题进行谈判。";
    let labels = vec![
        ls(
            Label::Talks,
            0.9,
            vec![
                ev("谈判", 11, 13, "negotiations"),
                ev("关税", 5, 7, "tariffs"),
            ],
        ),
        // Overlaps 关税 and starts later: dropped. Out of range: dropped.
        ls(
            Label::Escalation,
            0.6,
            vec![ev("税问", 6, 8, "x"), ev("far", 40, 42, "y")],
        ),
    ];
    let pieces = highlight(text, &labels);
    let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(joined, text, "no text lost or duplicated");
    let marked: Vec<&str> = pieces
        .iter()
        .filter(|p| p.mark.is_some())
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, ["关税", "谈判"]);
    assert_eq!(
        pieces[1].mark.as_ref().map(|m| m.gloss.as_str()),
        Some("tariffs")
    );
}

#[test]
fn full_text_matches_the_classifier_input() {
    let mut p = post_with(vec![]);
    p.text = "转发理由".into();
    p.retweet_text = Some("原文：关税".into());
    let post = Post {
        platform_id: "1".into(),
        author: "a".into(),
        text: p.text.clone(),
        created_at: Utc::now(),
        created_at_raw: String::new(),
        url: String::new(),
        pinned: false,
        truncated: false,
        edit_count: 0,
        retweet: Some(Retweet {
            platform_id: "2".into(),
            author: None,
            text: "原文：关税".into(),
        }),
        raw: String::new(),
    };
    assert_eq!(p.full_text(), post.full_text());
}

#[test]
fn verdicts_for_each_action() {
    let p = post_with(vec![
        ls(Label::Talks, 0.9, vec![]),
        ls(Label::Escalation, 0.7, vec![]),
    ]);
    let all = verdicts(&p, &Action::Confirm { labels: vec![] }).unwrap();
    assert!(all.iter().all(|v| v.verdict == Verdict::Confirmed));
    assert_eq!(all.len(), 2);

    let relabel = verdicts(
        &p,
        &Action::Confirm {
            labels: vec![Label::Talks, Label::Purchase, Label::Purchase],
        },
    )
    .unwrap();
    let find = |l| {
        relabel
            .iter()
            .find(|v| v.label == Some(l))
            .map(|v| v.verdict)
    };
    assert_eq!(find(Label::Talks), Some(Verdict::Confirmed));
    assert_eq!(find(Label::Escalation), Some(Verdict::Dismissed));
    assert_eq!(find(Label::Purchase), Some(Verdict::Relabelled));
    assert_eq!(relabel.len(), 3, "a repeated label is recorded once");

    let dismiss = verdicts(&p, &Action::Dismiss).unwrap();
    assert!(dismiss.iter().all(|v| v.verdict == Verdict::Dismissed));

    let none = post_with(vec![]);
    assert!(matches!(
        verdicts(&none, &Action::Confirm { labels: vec![] }),
        Err(ReviewError::NoLabels(7))
    ));
    assert_eq!(
        verdicts(&none, &Action::Dismiss).unwrap(),
        vec![NewVerdict {
            label: None,
            verdict: Verdict::Dismissed
        }]
    );
}

#[test]
fn parse_date_is_beijing_midnight() {
    assert_eq!(
        parse_date("2025-04-22"),
        Some(Utc.with_ymd_and_hms(2025, 4, 21, 16, 0, 0).unwrap())
    );
    assert_eq!(parse_date("not a date"), None);
}

#[test]
fn stats_precision() {
    let mut s = LabelStats::default();
    s.add(Verdict::Confirmed, 3);
    s.add(Verdict::Dismissed, 1);
    s.add(Verdict::Relabelled, 2);
    assert_eq!((s.reviewed, s.added), (4, 2));
    assert_eq!(s.precision(), Some(0.75));
    assert_eq!(LabelStats::default().precision(), None);
}
