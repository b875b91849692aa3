//! The classifier's figures on the committed test split (tests/fixtures/labelled/test.tsv:
//! its sources, outlets, pages and accounts, appear nowhere in train.tsv; never used for
//! tuning), and on three whole state-media timelines. The thresholds are issue #13's targets.

use windvane::classify::{eval, stream, Classifier};

use crate::common::fixture;

#[test]
fn source_split_figures() {
    let c = Classifier::load(None, None).unwrap();
    let examples = eval::read_labelled(&fixture("labelled/test.tsv")).unwrap();
    let train = eval::read_labelled(&fixture("labelled/train.tsv")).unwrap();
    assert!(examples.len() + train.len() >= 1500, "{}", examples.len());
    // Split by source: no outlet, page or account on both sides.
    let train_sources: std::collections::HashSet<_> =
        train.iter().filter_map(|e| e.source.clone()).collect();
    for e in &examples {
        let s = e
            .source
            .as_deref()
            .expect("every test row names its source");
        assert!(!train_sources.contains(s), "`{s}` is in both splits");
    }
    let preds: Vec<_> = examples.iter().map(|e| c.classify(&e.text)).collect();
    let r = eval::score(&examples, &preds);
    let base: Vec<_> = examples.iter().map(|e| eval::baseline(&e.text)).collect();
    let base = eval::score(&examples, &base);
    let report = format!(
        "{}\n{}",
        eval::render(&r, Some(&base), false),
        eval::render_groups(&examples, &preds)
    );
    println!("{report}");
    // Every source group is in the split and reported.
    for g in [
        "general",
        "hk_tw_overseas",
        "ministry",
        "state_media",
        "weibo",
    ] {
        assert!(report.contains(&format!("\n{g} ")), "{g} missing: {report}");
    }
    // Issue #13's escalation-precision target (>= 0.90) is reached and held here. Its other
    // targets (micro-F1 >= 0.90, every label F1 >= 0.85, third-country flagged <= 2%) are
    // not reached yet by this codebook and model (figures in the closing note); they are not
    // asserted at lower floors. Also asserted: the events and model beat the keyword
    // baseline by far on unseen outlets.
    // The earlier issue's floors (micro-F1 >= 0.85, every label F1 >= 0.70), set on an easier
    // split that shared sources with train, hold again on this source split and are held.
    // Its talks precision >= 0.90 is not reached here (0.889 with codebook 2027.01.07); it is
    // named, not lowered.
    assert!(r.micro().f1() >= 0.85, "micro-F1 below 0.85: {report}");
    for (i, c) in r.per_label.iter().enumerate() {
        assert!(
            c.f1() >= 0.70,
            "label {i} F1 {:.3} below 0.70: {report}",
            c.f1()
        );
    }
    let escalation = &r.per_label[windvane::classify::Label::Escalation.index()];
    assert!(
        escalation.precision() >= 0.90,
        "escalation precision {:.3} < 0.90: {report}",
        escalation.precision()
    );
    assert!(
        r.micro().f1() > base.micro().f1() + 0.4,
        "must beat the keyword baseline by far: {report}"
    );
    // Scores read as probabilities (LABELS.md): on unseen outlets, every 0.1-wide score bin
    // with at least 30 reported labels is right about as often as its scores say (within
    // 0.15 of the bin's middle). The uncalibrated model failed this (0.7–0.8 right 0.57 of
    // the time in cross-validation).
    for &(low, n, ok) in &r.calibration {
        if n >= 30 {
            let precision = ok as f64 / n as f64;
            assert!(
                (precision - (low + 0.05)).abs() <= 0.15,
                "scores {low:.1}–{:.1} right {precision:.3} of the time: {report}",
                low + 0.1
            );
        }
    }
}

/// The three fixture timelines (1,896 posts of 人民日报, 央视新闻 and 头条新闻), every post
/// labelled: at the default `min_score` every labelled signal is alerted and at most two
/// alerts are false.
#[test]
fn whole_timelines_alert_the_signals_and_little_else() {
    let c = Classifier::load(None, None).unwrap();
    let mut posts = Vec::new();
    for f in [
        "import/人民日报_2803301701.csv",
        "import/央视新闻_2656274875.json",
        "timelines/头条新闻_1618051664.json",
    ] {
        let path = fixture(f);
        let bytes = std::fs::read(&path).unwrap();
        let (_, parsed) = windvane::import::parse_file(&path, &bytes, chrono::Utc::now()).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        posts.extend(parsed.posts.iter().map(|p| stream::StreamPost {
            file: name.clone(),
            id: p.platform_id.clone(),
            text: p.full_text(),
        }));
    }
    assert_eq!(posts.len(), 1896);
    let labels = stream::read_stream_labels(&fixture("labelled/timelines.tsv")).unwrap();
    let r = stream::evaluate(&c, &posts, Some(&labels), 0.6);
    let printed = stream::render(&r, 0.6);
    println!("{printed}");
    assert_eq!(r.unlabelled_flagged, 0, "{printed}");
    assert!(r.missed.is_empty(), "{printed}");
    assert!(r.false_alerts() <= 2, "{printed}");
}

#[test]
fn every_stored_classification_names_its_version() {
    let c = Classifier::load(None, None).unwrap();
    let out = c.classify("美方通过多种渠道主动接触中方，希望就关税问题进行谈判。");
    assert!(
        out.version.starts_with("codebook-") && out.version.contains("+model-"),
        "{}",
        out.version
    );
    assert!(!out.explanation.is_empty());
}

/// Posts stored under the rules alone are re-run with the rules + model: each gets a second
/// classification with the new version, and only labels no earlier classification reported
/// raise alerts; a second reclassify does nothing.
#[test]
fn reclassify_adds_versions_and_alerts_only_new_labels() {
    use chrono::Utc;
    use windvane::sources::Post;
    use windvane::store::{NewPost, Store};

    let dir = tempfile::tempdir().unwrap();
    let cfg_text = format!(
        "[store]\npath = \"{}\"\n\n[[alerts]]\nid = \"log\"\nkind = \"log\"\nmin_score = 0.5\n",
        dir.path().join("w.db").display()
    );
    let cfg = windvane::config::Config::from_toml_str(&cfg_text, None).unwrap();
    let store = Store::open(&cfg.store_path).unwrap();
    store.ensure_source("s", "weibo", "S").unwrap();
    let full = Classifier::load(None, None).unwrap();
    // An "old classifier" that never reports anything: every label the new one finds is new.
    let mut old = full.with_model(None).classify("x");
    old.labels.clear();
    old.version = "old".into();
    let texts = [
        "据悉，美方近期多次通过不同渠道向中方表达希望就关税问题举行会谈的意愿。",
        "若美方坚持升级关税措施，中方将采取对等反制。",
        "北京今天下雪了，气温零下五度。",
    ];
    let posts: Vec<Post> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Post {
            platform_id: format!("{i}"),
            author: "a".into(),
            text: t.to_string(),
            created_at: Utc::now(),
            created_at_raw: "刚刚".into(),
            url: format!("https://weibo.com/1/{i}"),
            pinned: false,
            truncated: false,
            edit_count: 0,
            retweet: None,
            raw: "{}".into(),
        })
        .collect();
    let items: Vec<NewPost<'_>> = posts
        .iter()
        .map(|p| NewPost {
            post: p,
            classification: &old,
            alerts: vec![],
            index_words: "",
        })
        .collect();
    store.ingest("s", &items, Utc::now()).unwrap();

    let r = windvane::reclassify::reclassify(&store, &full, &cfg.alerts, None, 2).unwrap();
    assert_eq!((r.read, r.reclassified, r.flagged), (3, 3, 2), "{r:?}");
    assert_eq!(
        r.alerts_queued, 2,
        "one alert per newly reported label: {r:?}"
    );
    let again = windvane::reclassify::reclassify(&store, &full, &cfg.alerts, None, 2).unwrap();
    assert_eq!(
        (again.reclassified, again.alerts_queued),
        (0, 0),
        "{again:?}"
    );
    assert_eq!(store.alerts(None).unwrap().len(), 2);
}
