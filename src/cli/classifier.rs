//! The classifier's commands: `classify`, `eval`, `eval-stream`, `train`.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Context as _;

use super::exit::{stdout_error, Exit, EXIT_CONFIG, EXIT_OK};
use crate::classify::{eval, Classifier};
use crate::config::Config;

pub fn classify(cfg: &Config, json: bool, texts: &[String]) -> Result<i32, Exit> {
    let classifier = configured_classifier(cfg)?;
    classify_command(&classifier, json, texts)?;
    Ok(EXIT_OK)
}

pub fn evaluate(
    cfg: &Config,
    files: &[PathBuf],
    errors: bool,
    events_only: bool,
) -> Result<i32, Exit> {
    let mut classifier = configured_classifier(cfg)?;
    if events_only {
        classifier = classifier.with_model(None);
    }
    let examples = read_all(files)?;
    let preds: Vec<_> = examples
        .iter()
        .map(|e| classifier.classify(&e.text))
        .collect();
    let base: Vec<_> = examples.iter().map(|e| eval::baseline(&e.text)).collect();
    let report = eval::score(&examples, &preds);
    let base = eval::score(&examples, &base);
    outln!(
        "{} examples, classifier {}\n",
        examples.len(),
        classifier.version()
    )?;
    outln!("{}", eval::render(&report, Some(&base), errors))?;
    out!("{}", eval::render_groups(&examples, &preds))?;
    Ok(EXIT_OK)
}

pub fn eval_stream(
    cfg: &Config,
    files: &[PathBuf],
    min_score: f64,
    labels: Option<&std::path::Path>,
) -> Result<i32, Exit> {
    let classifier = configured_classifier(cfg)?;
    let usage = |e: anyhow::Error| Exit {
        code: EXIT_CONFIG,
        error: Some(e),
    };
    let mut posts = Vec::new();
    for f in files {
        let bytes = std::fs::read(f)
            .with_context(|| format!("cannot read `{}`", f.display()))
            .map_err(usage)?;
        let (_, parsed) = crate::bulk::import::parse_file(f, &bytes, chrono::Utc::now())
            .map_err(|e| usage(anyhow::anyhow!("`{}`: {e}", f.display())))?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        posts.extend(
            parsed
                .posts
                .iter()
                .map(|p| crate::classify::stream::StreamPost {
                    file: name.clone(),
                    id: p.platform_id.clone(),
                    text: p.full_text(),
                }),
        );
    }
    let gold = labels
        .map(crate::classify::stream::read_stream_labels)
        .transpose()
        .map_err(usage)?;
    let report = crate::classify::stream::evaluate(&classifier, &posts, gold.as_ref(), min_score);
    outln!("classifier {}", classifier.version())?;
    out!("{}", crate::classify::stream::render(&report, min_score))?;
    Ok(EXIT_OK)
}

pub struct TrainArgs<'a> {
    pub files: &'a [PathBuf],
    pub out: Option<PathBuf>,
    pub l2: Option<f64>,
    pub eval_files: &'a [PathBuf],
    pub cv_errors: bool,
    pub folds: crate::classify::model::Folds,
    pub from_reviews: bool,
}

pub async fn train(cfg: &Config, args: TrainArgs<'_>) -> Result<i32, Exit> {
    let classifier = configured_classifier(cfg)?;
    let usage = |msg: &str| Exit {
        code: EXIT_CONFIG,
        error: Some(anyhow::anyhow!("{msg}")),
    };
    let mut examples = read_all(args.files)?;
    if args.from_reviews {
        if args.eval_files.is_empty() {
            return Err(usage("--from-reviews needs --eval FILE: the new model replaces the old only if it scores at least as well there"));
        }
        // The verdicts of whichever database the configuration names (cluster mode's too).
        let store = super::open_store(cfg).await?;
        let reviewed = store
            .reviewed_examples()
            .await
            .map_err(anyhow::Error::from)?;
        outln!("{} reviewed posts become labelled examples", reviewed.len())?;
        let first_line = examples.len();
        examples.extend(reviewed.into_iter().enumerate().map(|(i, (text, labels))| {
            eval::Example {
                text,
                labels,
                line: first_line + i + 1,
                source: Some("reviews".into()),
                ..Default::default()
            }
        }));
    }
    if examples.is_empty() {
        return Err(usage(
            "no labelled examples: give TSV files and/or --from-reviews",
        ));
    }
    let out = args.out.clone().or_else(|| {
        cfg.classifier
            .signals_dir
            .as_ref()
            .map(|d| d.join(crate::classify::MODEL_FILE))
    });
    train_command(&classifier, &examples, TrainArgs { out, ..args })?;
    Ok(EXIT_OK)
}

fn classify_command(classifier: &Classifier, json: bool, texts: &[String]) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut one = |text: &str| -> anyhow::Result<()> {
        let c = classifier.classify(text);
        if json {
            let v = serde_json::json!({
                "text": text,
                "labels": c.labels,
                "explanation": c.explanation,
                "events": c.events,
                "version": c.version,
            });
            writeln!(out, "{v}").map_err(stdout_error)?;
        } else {
            let labels = if c.labels.is_empty() {
                "none".to_string()
            } else {
                c.labels
                    .iter()
                    .map(|l| format!("{} {:.2}", l.label, l.score))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(out, "{labels}\t{}\t{}", c.explanation, text).map_err(stdout_error)?;
        }
        Ok(())
    };
    if texts.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("cannot read stdin")?;
            if !line.trim().is_empty() {
                one(&line)?;
            }
        }
    } else {
        for t in texts {
            one(t)?;
        }
    }
    Ok(())
}

/// The classifier the config names (its signals folder and user dictionary, else built-in).
pub(super) fn configured_classifier(cfg: &Config) -> anyhow::Result<Classifier> {
    Classifier::load(
        cfg.classifier.signals_dir.as_deref(),
        cfg.classifier.user_dict.as_deref(),
    )
}

fn read_all(files: &[PathBuf]) -> Result<Vec<eval::Example>, Exit> {
    let mut examples = Vec::new();
    for f in files {
        examples.extend(eval::read_labelled(f).map_err(|e| Exit {
            code: EXIT_CONFIG,
            error: Some(e),
        })?);
    }
    Ok(examples)
}

/// Training epochs: enough for the full-batch descent to settle on a few thousand examples.
const EPOCHS: usize = 400;

/// Trains on `examples` (the files' and, with `from_reviews`, the reviewed posts'); with
/// `from_reviews` the new model is written only if it scores at least as well on the
/// `eval_files`.
fn train_command(
    classifier: &Classifier,
    examples: &[eval::Example],
    args: TrainArgs<'_>,
) -> Result<(), Exit> {
    let TrainArgs {
        out,
        l2,
        eval_files,
        cv_errors,
        folds,
        from_reviews: only_if_better,
        ..
    } = args;
    use crate::classify::model;
    let l2 = match l2 {
        Some(x) => x,
        None => {
            let results = model::choose_l2(
                examples,
                &classifier.segmenter,
                &classifier.codebook,
                &[0.001, 0.003, 0.01, 0.03, 0.1],
                EPOCHS,
                folds,
            );
            for (l, f1) in &results {
                outln!("5-fold CV on training data: l2 {l:<6} micro-F1 {f1:.3}")?;
            }
            // The strongest regularisation within 0.002 of the best CV score: among equals,
            // the simpler model (a 5-fold score on a few hundred texts is that noisy).
            let best = results.iter().map(|r| r.1).fold(0.0, f64::max);
            results
                .iter()
                .filter(|r| r.1 >= best - 0.002)
                .map(|r| r.0)
                .fold(0.001, f64::max)
        }
    };
    // The final model with its calibration, which a 5-fold cross-validation fits; the
    // folds' calibrated predictions are the CV figures.
    let (m, preds) = model::train_calibrated(
        examples,
        &classifier.segmenter,
        &classifier.codebook,
        l2,
        EPOCHS,
        folds,
    );
    if cv_errors {
        outln!(
            "{}",
            eval::render(&eval::score(examples, &preds), None, true)
        )?;
        out!("{}", eval::render_groups(examples, &preds))?;
    }
    let out =
        out.unwrap_or_else(|| PathBuf::from("config/signals").join(crate::classify::MODEL_FILE));
    outln!(
        "trained {} on {} examples (l2 {l2}, {} features)",
        m.version,
        m.trained_on,
        m.weights.len()
    )?;
    // Evaluate before writing: with --from-reviews the new model must not be worse.
    let mut write = true;
    if !eval_files.is_empty() {
        let test = read_all(eval_files)?;
        let trained = classifier.with_model(Some(m.clone()));
        let score_with = |c: &Classifier| {
            let preds: Vec<_> = test.iter().map(|e| c.classify(&e.text)).collect();
            eval::score(&test, &preds)
        };
        let (old, new) = (score_with(classifier), score_with(&trained));
        outln!(
            "on {} held-out examples: before {} micro-F1 {:.3}; after {} micro-F1 {:.3}",
            test.len(),
            classifier.version(),
            old.micro().f1(),
            trained.version(),
            new.micro().f1()
        )?;
        outln!("{}", eval::render(&new, None, false))?;
        if only_if_better && new.micro().f1() < old.micro().f1() {
            outln!(
                "the new model scores lower; keeping {}",
                classifier.version()
            )?;
            write = false;
        }
    }
    if write {
        let json = serde_json::to_string_pretty(&m).map_err(anyhow::Error::from)?;
        std::fs::write(&out, json + "\n")
            .with_context(|| format!("cannot write `{}`", out.display()))?;
        outln!("wrote {} → {}", m.version, out.display())?;
    }
    Ok(())
}
