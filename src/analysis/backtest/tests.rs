use std::path::Path;

use chrono::{DateTime, Duration, Utc};

use super::*;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn now() -> DateTime<Utc> {
    utc("2026-01-01T00:00:00Z")
}

fn signal(id: i64, source: &str, at: &str, labels: &[(Label, f64)]) -> SignalPost {
    SignalPost {
        post_id: id,
        source_id: source.to_lowercase(),
        source_name: source.to_string(),
        created_at: utc(at),
        labels: labels.to_vec(),
    }
}

#[test]
fn reads_the_timeline_shape_with_bom_and_no_label() {
    let csv = "\u{feff}time,event\n20190508,商务部发言人表示，中方深表遗憾。\n20190510,美国开始加征25%关税。\n";
    let (events, bad) = parse_events(Path::new("t.csv"), csv.as_bytes(), now()).unwrap();
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(events.len(), 2);
    // A date alone is 00:00 Beijing = 16:00 UTC the day before.
    assert_eq!(events[0].at, utc("2019-05-07T16:00:00Z"));
    assert_eq!(events[0].label, None);
    assert_eq!(events[0].description, "商务部发言人表示，中方深表遗憾。");
    assert_eq!(events[1].line, 3);
}

#[test]
fn bad_rows_are_reported_with_their_line_and_skipped() {
    let csv = "date,label,description\n\
               2019-05-13,escalation,ok\n\
               someday,talks,no date\n\
               2019-06-29,tariffs,unknown label\n\
               \n\
               2019-06-29 20:00,talks,with a time\n\
               2019/12/13,,unlabelled\n";
    let (events, bad) = parse_events(Path::new("e.csv"), csv.as_bytes(), now()).unwrap();
    let places: Vec<&str> = bad.iter().map(|b| b.place.as_str()).collect();
    assert_eq!(places, ["line 3", "line 4"]);
    assert!(bad[0].problem.contains("someday"), "{:?}", bad[0]);
    assert!(
        bad[1]
            .to_string()
            .starts_with("e.csv: line 4: label `tariffs`"),
        "{}",
        bad[1]
    );
    let labels: Vec<Option<Label>> = events.iter().map(|e| e.label).collect();
    assert_eq!(labels, [Some(Label::Escalation), Some(Label::Talks), None]);
    assert_eq!(events[1].at, utc("2019-06-29T12:00:00Z"));
    assert_eq!(events[2].at, utc("2019-12-12T16:00:00Z"));
}

#[test]
fn a_file_without_a_date_column_is_refused() {
    let err = parse_events(Path::new("x.csv"), b"when,what\n1,2\n", now()).unwrap_err();
    assert!(err.to_string().contains("no date column"), "{err}");
    assert!(err.to_string().contains("when,what"), "{err}");
}

#[test]
fn first_post_before_and_after_within_the_window() {
    let events = vec![Event {
        line: 2,
        at: utc("2019-05-10T00:00:00Z"),
        date: "2019-05-10".into(),
        label: Some(Label::Escalation),
        description: "tariffs raised".into(),
    }];
    let e = Label::Escalation;
    let t = Label::Talks;
    let signals = vec![
        signal(1, "A", "2019-05-01T00:00:00Z", &[(e, 0.9)]), // outside a 7-day window
        signal(2, "B", "2019-05-06T12:00:00Z", &[(t, 0.8)]), // wrong label
        signal(3, "C", "2019-05-08T18:00:00Z", &[(e, 0.7)]), // first before: 30 h lead
        signal(4, "C", "2019-05-09T23:00:00Z", &[(t, 0.6), (e, 0.55)]),
        signal(5, "D", "2019-05-10T00:00:00Z", &[(e, 0.9)]), // at the event: after, 0 lag
        signal(6, "A", "2019-05-12T00:00:00Z", &[(e, 0.9)]),
        signal(7, "A", "2019-05-17T00:00:00Z", &[(e, 0.9)]), // the window's end is open
    ];
    let out = backtest(&events, &signals, Duration::days(7), None);
    assert_eq!(out.len(), 1);
    let o = &out[0];
    assert_eq!(o.first_before.as_ref().map(|s| s.post_id), Some(3));
    assert_eq!(o.lead(), Some(Duration::hours(30)));
    assert_eq!(o.posts_before, 2);
    assert_eq!(o.sources_before, vec![("C".to_string(), 2)]);
    assert_eq!(o.first_after.as_ref().map(|s| s.post_id), Some(5));
    assert_eq!(o.lag(), Some(Duration::zero()));
    assert_eq!(o.posts_after, 2);
    assert_eq!(
        o.sources_after,
        vec![("D".to_string(), 1), ("A".to_string(), 1)]
    );

    // Unlabelled: any label counts, so the talks post 2 is the first before.
    let mut any = events.clone();
    any[0].label = None;
    let o = &backtest(&any, &signals, Duration::days(7), None)[0];
    assert_eq!(o.first_before.as_ref().map(|s| s.post_id), Some(2));
    assert_eq!(o.posts_before, 3);
    // --label talks on the unlabelled event; an escalation event is skipped under it.
    let o = &backtest(&any, &signals, Duration::days(7), Some(t))[0];
    assert_eq!(o.label, Some(t));
    assert_eq!(o.posts_before + o.posts_after, 2);
    assert!(backtest(&events, &signals, Duration::days(7), Some(t)).is_empty());
    // A one-day window sees neither post 3 nor post 6.
    let o = &backtest(&events, &signals, Duration::days(1), None)[0];
    assert_eq!(o.first_before.as_ref().map(|s| s.post_id), Some(4));
    assert_eq!(o.posts_after, 1);
}

#[test]
fn store_rows_group_into_posts_and_render() {
    let rows = vec![
        FlaggedPost {
            post_id: 9,
            source_id: "s".into(),
            source_name: "参考消息".into(),
            created_at: utc("2019-05-09T01:00:00Z"),
            label: Label::Escalation,
            score: 0.6,
        },
        FlaggedPost {
            post_id: 9,
            source_id: "s".into(),
            source_name: "参考消息".into(),
            created_at: utc("2019-05-09T01:00:00Z"),
            label: Label::Talks,
            score: 0.8,
        },
    ];
    let s = signals(rows);
    assert_eq!(s.len(), 1);
    assert_eq!(
        s[0].labels,
        vec![(Label::Talks, 0.8), (Label::Escalation, 0.6)]
    );
    let events = vec![Event {
        line: 2,
        at: utc("2019-05-08T16:00:00Z"),
        date: "20190509".into(),
        label: None,
        description: "升级, \"quoted\"".into(),
    }];
    let out = backtest(&events, &s, Duration::days(3), None);
    let mut csv = Vec::new();
    render(&out, BacktestFormat::Csv, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(CSV_HEADER));
    assert_eq!(
        lines.next(),
        Some("20190509,any,\"升级, \"\"quoted\"\"\",,,,,0,9,2019-05-09 09:00,参考消息,9.0,1,,参考消息 1")
    );
    let mut table = Vec::new();
    render(&out, BacktestFormat::Table, &mut table).unwrap();
    let table = String::from_utf8(table).unwrap();
    assert!(table.contains("2019-05-09 09:00 #9 (9.0 h, 1)"), "{table}");
    assert!(
        table.contains("1 events: 0 with a flagged post before (median lead -), 1 with one after (median lag 9.0 h)"),
        "{table}"
    );
}
