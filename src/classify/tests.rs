use std::sync::OnceLock;

use super::*;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::load(None, None).expect("built-in rules load"))
}

#[track_caller]
fn check(text: &str, expect: &[Label]) {
    let c = classifier().classify(text);
    let mut got: Vec<Label> = c.labels.iter().map(|l| l.label).collect();
    got.sort();
    let mut want = expect.to_vec();
    want.sort();
    assert_eq!(got, want, "{text}\n{c:#?}");
}

// The examples of LABELS.md.
#[test]
fn labels_md_examples() {
    check(
        "据悉，美方近期多次通过不同渠道向中方表达希望就关税问题举行会谈的意愿。",
        &[Label::Talks],
    );
    check(
        "中美双方同意暂停加征部分关税九十天，并将继续就经贸问题保持沟通。",
        &[Label::Talks, Label::DeEscalation],
    );
    check(
        "若美方坚持升级关税措施，中方将采取对等反制。",
        &[Label::Escalation],
    );
    check(
        "中方企业近日恢复采购美国大豆。",
        &[Label::Purchase, Label::DeEscalation],
    );
    check("欧盟宣布对部分进口商品加征关税。", &[]);
    check("贸易战没有赢家，对话协商才是正确途径。", &[]);
    check("美方官员表示，目前没有与中方举行任何贸易谈判。", &[]);
    check("本届世界杯转会谈判进入关键阶段。", &[]);
}

#[test]
fn evidence_points_into_the_original_text() {
    let text = "美国\u{200B}财长贝森特表示，美中双方将在日内瓦举行经贸磋商。";
    let c = classifier().classify(text);
    let talks = c
        .labels
        .iter()
        .find(|l| l.label == Label::Talks)
        .expect("talks");
    let chars: Vec<char> = text.chars().collect();
    for e in &talks.evidence {
        let span: String = chars[e.start..e.end].iter().collect();
        assert_eq!(span, e.term, "{e:?}");
        assert!(!e.gloss.is_empty());
    }
}

#[test]
fn hedged_sourcing_lowers_the_score_and_is_explained() {
    let plain = classifier().classify("美方通过多种渠道主动接触中方，希望就关税问题进行谈判。");
    let hedged =
        classifier().classify("据悉，美方通过多种渠道主动接触中方，希望就关税问题进行谈判。");
    let (p, h) = (
        plain.score(Label::Talks).unwrap(),
        hedged.score(Label::Talks).unwrap(),
    );
    assert!(h < p, "hedged {h} should be below plain {p}");
    assert!(
        hedged.explanation.contains("hedged"),
        "{}",
        hedged.explanation
    );
}

#[test]
fn every_term_has_a_gloss() {
    let rules = RuleSet::builtin().unwrap();
    let mut n = 0;
    for (term, gloss) in rules.glossary() {
        assert!(
            gloss.chars().any(|c| c.is_ascii_alphabetic()),
            "{term} has no English gloss"
        );
        n += 1;
    }
    assert!(n > 100, "only {n} terms");
}

#[test]
fn bad_rule_files_name_file_rule_and_reason() {
    let files = vec![(
        "bad.toml".to_string(),
        "[groups.a]\nterms = { \"谈判\" = \"talks\" }\n[[rules]]\nid = \"r1\"\nlabel = \"talks\"\nall = [\"a\", \"missing\"]\nweight = 1.0\nexplain = \"x\"\n".to_string(),
    )];
    let err = RuleSet::from_files(&files).unwrap_err().to_string();
    assert!(
        err.contains("bad.toml") && err.contains("rules.r1") && err.contains("missing"),
        "{err}"
    );

    let files = vec![(
        "g.toml".to_string(),
        "[groups.a]\nterms = { \"谈判\" = \"\" }\n".to_string(),
    )];
    let err = RuleSet::from_files(&files).unwrap_err().to_string();
    assert!(err.contains("gloss"), "{err}");
}

/// The hashed feature index must give exactly the logits of looking every feature name up in
/// the model's weights (the form training writes), on real labelled texts.
#[test]
fn hashed_feature_lookup_matches_the_named_weights() {
    let c = classifier();
    let model = c.model.as_deref().expect("built-in model present");
    let train = include_str!("../../tests/fixtures/labelled/train.tsv");
    let mut compared = 0;
    for line in train.lines().skip(1).take(300) {
        let Some((text, _)) = line.rsplit_once('\t') else {
            continue;
        };
        let seg = c.segmenter.segment(text);
        let out = c.rules.outcome(&seg);
        let mut by_name: [f64; 4] = std::array::from_fn(|l| {
            model.bias[l] + model.rule_weight[l] * out.logit[l].clamp(-8.0, 8.0)
        });
        for name in super::model::feature_names(&seg, &out, &c.rules) {
            if let Some(w) = model.weights.get(&name) {
                for l in 0..4 {
                    by_name[l] += w[l];
                }
            }
        }
        let hashed = model.logits(&seg, &out, &c.rules);
        for l in 0..4 {
            assert!(
                // f32 storage of four-decimal weights: far below what changes a score.
                (hashed[l] - by_name[l]).abs() < 1e-5,
                "label {l} of {text}: hashed {} vs named {}",
                hashed[l],
                by_name[l]
            );
        }
        compared += 1;
    }
    assert!(compared > 250, "only {compared} texts compared");
}

/// The shortcut for texts with no rule term must give exactly what the full path gives, on
/// every labelled text and on everyday state-media posts (where it is taken most).
#[test]
fn classify_shortcut_matches_the_full_path() {
    let c = classifier();
    let labelled = include_str!("../../tests/fixtures/labelled/test.tsv");
    let timeline = include_str!("../../benches/fixtures/state_media_posts.txt");
    let texts = labelled
        .lines()
        .skip(1)
        .filter_map(|l| l.rsplit_once('\t').map(|(t, _)| t))
        .chain(timeline.lines().take(400));
    let (mut total, mut shortcut) = (0, 0);
    for t in texts {
        let full = c.classify_segmented(&c.segmenter.segment(t));
        assert_eq!(c.classify(t), full, "{t}");
        let (indexed, words) = c.classify_indexed(t);
        assert_eq!(indexed, full, "{t}");
        assert_eq!(words, c.segmenter.index_words(t));
        total += 1;
        if !c.rules.any_term_in(&crate::text::normalize(t).text) {
            shortcut += 1;
        }
    }
    // Both paths were exercised.
    assert!(
        shortcut > 20 && shortcut < total,
        "{shortcut} of {total} took the shortcut"
    );
}

/// The learned model also flags posts no rule fires on (a vow of countermeasures with no US
/// named, from train.tsv); such a label is explained as the model's, never as "no signal".
#[test]
fn a_label_from_the_model_alone_is_reported_and_explained() {
    let c = classifier();
    let t = "中方一再表示，加征关税解决不了任何问题，发起贸易战只会损人害己。对于贸易战，中国不想打、\
             不愿打，但也绝不怕打。如果有人打到家门口，我们必然会奉陪到底。中方从来不会屈从于任何外部\
             压力，我们有决心、有能力捍卫自身合法正当权益。";
    let seg = c.segmenter.segment(t);
    assert!(c.rules.outcome(&seg).fired.is_empty(), "a rule fired");
    let got = c.classify(t);
    assert!(
        got.score(Label::Escalation).is_some_and(|s| s >= 0.5),
        "{got:?}"
    );
    assert!(
        got.explanation.contains("learned model") && !got.explanation.contains("No US–China"),
        "{}",
        got.explanation
    );
}
