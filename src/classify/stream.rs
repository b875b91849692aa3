//! Whole-timeline evaluation (`windvane eval-stream`): every post of an account's timeline is
//! classified as the daemon would, and each alert that would go out at a given `min_score`
//! is listed with its explanation; against a labels file the false alerts and the missed
//! signals are counted. This is the figure an analyst feels: alerts per 1,000 ordinary posts.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context as _};

use super::{Classification, Classifier, Label};

/// One post of a timeline: the file it came from, its id there, and its text.
#[derive(Debug, Clone)]
pub struct StreamPost {
    pub file: String,
    pub id: String,
    pub text: String,
}

/// Gold labels of timeline posts, keyed by (file name, post id).
pub type StreamLabels = HashMap<(String, String), Vec<Label>>;

/// Reads a labels file: TSV with a header `file<TAB>id<TAB>labels[<TAB>note]`; labels as in
/// LABELS.md (`none` or a comma-separated list). `ambiguous` rows are left out of the counts.
pub fn read_stream_labels(path: &Path) -> anyhow::Result<StreamLabels> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 && line.starts_with("file\t") {
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(id), Some(labels)) = (f.first(), f.get(1), f.get(2)) else {
            bail!(
                "`{}` line {}: expected `file<TAB>id<TAB>labels`",
                path.display(),
                i + 1
            );
        };
        if labels.trim() == "ambiguous" {
            continue;
        }
        let mut ls = Vec::new();
        if labels.trim() != "none" {
            for l in labels.split(',') {
                ls.push(
                    l.parse::<Label>()
                        .map_err(|e| anyhow::anyhow!("`{}` line {}: {e}", path.display(), i + 1))?,
                );
            }
        }
        out.insert((file.to_string(), id.to_string()), ls);
    }
    Ok(out)
}

/// One alert that would go out: a label at or above `min_score`.
#[derive(Debug, Clone)]
pub struct WouldAlert {
    pub file: String,
    pub id: String,
    pub label: Label,
    pub score: f64,
    pub explanation: String,
    pub text: String,
    /// `Some(true)` when the labels file says the post carries the label.
    pub correct: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct StreamReport {
    pub posts: usize,
    pub alerts: Vec<WouldAlert>,
    /// Labelled signals (post, label) no alert was raised for.
    pub missed: Vec<(String, String, Label)>,
    /// Whether a labels file was given.
    pub labelled: bool,
    /// Posts with no row in the labels file (only when one was given).
    pub unlabelled_flagged: usize,
}

impl StreamReport {
    pub fn false_alerts(&self) -> usize {
        self.alerts
            .iter()
            .filter(|a| a.correct == Some(false))
            .count()
    }

    pub fn false_per_1000(&self) -> f64 {
        if self.posts == 0 {
            0.0
        } else {
            self.false_alerts() as f64 * 1000.0 / self.posts as f64
        }
    }
}

/// Classifies every post and decides which alerts would go out at `min_score`.
pub fn evaluate(
    classifier: &Classifier,
    posts: &[StreamPost],
    labels: Option<&StreamLabels>,
    min_score: f64,
) -> StreamReport {
    let results: Vec<Classification> =
        super::map_parallel(posts, threads(), |p| classifier.classify(&p.text));
    let mut report = StreamReport {
        posts: posts.len(),
        labelled: labels.is_some(),
        ..Default::default()
    };
    for (p, c) in posts.iter().zip(&results) {
        let gold = labels.and_then(|l| l.get(&(p.file.clone(), p.id.clone())));
        if labels.is_some() && gold.is_none() && c.labels.iter().any(|l| l.score >= min_score) {
            report.unlabelled_flagged += 1;
        }
        for l in c.labels.iter().filter(|l| l.score >= min_score) {
            report.alerts.push(WouldAlert {
                file: p.file.clone(),
                id: p.id.clone(),
                label: l.label,
                score: l.score,
                explanation: c.explanation.clone(),
                text: p.text.clone(),
                correct: gold.map(|g| g.contains(&l.label)),
            });
        }
        if let Some(g) = gold {
            for &l in g {
                if !c
                    .labels
                    .iter()
                    .any(|x| x.label == l && x.score >= min_score)
                {
                    report.missed.push((p.file.clone(), p.id.clone(), l));
                }
            }
        }
    }
    report
}

fn preview(text: &str, n: usize) -> String {
    let t: String = text.chars().filter(|c| !c.is_control()).take(n).collect();
    if text.chars().count() > n {
        format!("{t}…")
    } else {
        t
    }
}

pub fn render(r: &StreamReport, min_score: f64) -> String {
    let mut s = String::new();
    for a in &r.alerts {
        let mark = match a.correct {
            Some(true) => "ok   ",
            Some(false) => "FALSE",
            None => "?    ",
        };
        let _ = writeln!(
            s,
            "{mark} {} {} {} {:.3}\n      {}\n      {}",
            a.file,
            a.id,
            a.label,
            a.score,
            a.explanation,
            preview(&a.text, 90)
        );
    }
    for (file, id, l) in &r.missed {
        let _ = writeln!(s, "MISSED {file} {id} {l}");
    }
    let _ = writeln!(
        s,
        "{} posts, min_score {min_score}: {} alerts",
        r.posts,
        r.alerts.len()
    );
    if r.labelled {
        let _ = writeln!(
            s,
            "false alerts {} ({:.2} per 1,000 posts); labelled signals missed {}; flagged posts with no label row {}",
            r.false_alerts(),
            r.false_per_1000(),
            r.missed.len(),
            r.unlabelled_flagged
        );
    }
    s
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
