//! Evaluation on labelled files (LABELS.md format: `text<TAB>labels`, labels comma-separated
//! or `none`): per-label precision/recall/F1, micro and macro F1, a calibration table, and a
//! keyword baseline to compare against.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context as _};

use super::{Classification, Label};

/// One labelled text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Example {
    pub text: String,
    pub labels: Vec<Label>,
    /// 1-based line number in its file, for error listings.
    pub line: usize,
    /// The outlet, page or account the text came from (column `source`), when recorded.
    pub source: Option<String>,
    /// The source group (`state_media`, `hk_tw_overseas`, `ministry`, `weibo`, `general`).
    pub group: Option<String>,
    /// `third_country` when the text's subject is trade with or between third countries.
    pub topic: Option<String>,
}

/// Reads a labelled TSV file. Bad lines are errors naming the file and line.
pub fn read_labelled(path: &Path) -> anyhow::Result<Vec<Example>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    parse_labelled(&text).with_context(|| format!("in `{}`", path.display()))
}

/// `text<TAB>labels`, or with a header naming more columns (`text labels source group
/// topic`): every labelled file of tests/fixtures/labelled reads with this.
pub fn parse_labelled(text: &str) -> anyhow::Result<Vec<Example>> {
    let mut out = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}');
        if i == 0 && line.starts_with("text\t") {
            columns = Some(line.split('\t').map(|c| c.trim().to_string()).collect());
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let (t, l, extra) = match &columns {
            Some(cols) if cols.len() > 2 => {
                let fields: Vec<&str> = line.split('\t').collect();
                let get = |name: &str| {
                    cols.iter()
                        .position(|c| c == name)
                        .and_then(|k| fields.get(k))
                        .map(|v| v.trim())
                        .filter(|v| !v.is_empty())
                        .map(str::to_string)
                };
                let (Some(t), Some(l)) = (fields.first(), get("labels")) else {
                    bail!("line {}: expected the columns {}", i + 1, cols.join(", "));
                };
                (
                    t.to_string(),
                    l,
                    [get("source"), get("group"), get("topic")],
                )
            }
            _ => {
                let Some((t, l)) = line.rsplit_once('\t') else {
                    bail!("line {}: expected `text<TAB>labels`", i + 1);
                };
                (t.to_string(), l.to_string(), [None, None, None])
            }
        };
        let mut labels = Vec::new();
        if l.trim() != "none" {
            for name in l.split(',') {
                labels.push(
                    name.parse::<Label>()
                        .map_err(|e| anyhow::anyhow!("line {}: {e}", i + 1))?,
                );
            }
        }
        labels.sort();
        labels.dedup();
        let [source, group, topic] = extra;
        out.push(Example {
            text: t,
            labels,
            line: i + 1,
            source,
            group,
            topic,
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of a run over labelled examples.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub per_label: [Counts; 4],
    /// (bin low edge, predictions in bin, correct) over every reported label score.
    pub calibration: Vec<(f64, usize, usize)>,
    pub errors: Vec<(usize, String, Vec<Label>, Vec<Label>)>,
}

impl Report {
    pub fn micro(&self) -> Counts {
        self.per_label
            .iter()
            .fold(Counts::default(), |a, c| Counts {
                tp: a.tp + c.tp,
                fp: a.fp + c.fp,
                fn_: a.fn_ + c.fn_,
            })
    }

    pub fn macro_f1(&self) -> f64 {
        self.per_label.iter().map(Counts::f1).sum::<f64>() / 4.0
    }

    pub fn label(&self, l: Label) -> Counts {
        self.per_label[l.index()]
    }
}

/// Compares predictions (one per example) with the gold labels.
pub fn score(examples: &[Example], predictions: &[Classification]) -> Report {
    let mut r = Report {
        calibration: (0..5).map(|i| (0.5 + i as f64 * 0.1, 0, 0)).collect(),
        ..Default::default()
    };
    for (ex, pred) in examples.iter().zip(predictions) {
        let mut got: Vec<Label> = pred.labels.iter().map(|l| l.label).collect();
        got.sort();
        for l in Label::ALL {
            let (g, p) = (ex.labels.contains(&l), got.contains(&l));
            let c = &mut r.per_label[l.index()];
            match (g, p) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                (false, false) => {}
            }
        }
        for ls in &pred.labels {
            let bin = (((ls.score - 0.5) / 0.1).floor().max(0.0) as usize).min(4);
            r.calibration[bin].1 += 1;
            if ex.labels.contains(&ls.label) {
                r.calibration[bin].2 += 1;
            }
        }
        if got != ex.labels {
            r.errors
                .push((ex.line, ex.text.clone(), ex.labels.clone(), got));
        }
    }
    r
}

/// The plain keyword baseline: any of 关税/谈判/磋商 → talks.
pub fn baseline(text: &str) -> Classification {
    let hit = ["关税", "谈判", "磋商"].iter().any(|k| text.contains(k));
    Classification {
        labels: if hit {
            vec![super::LabelScore {
                label: Label::Talks,
                score: 1.0,
                evidence: Vec::new(),
            }]
        } else {
            Vec::new()
        },
        explanation: String::new(),
        events: Vec::new(),
        version: "baseline".into(),
    }
}

fn names(ls: &[Label]) -> String {
    if ls.is_empty() {
        "none".into()
    } else {
        ls.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(",")
    }
}

/// The printed report. Its last line is exactly `micro-F1: 0.NNN`.
pub fn render(r: &Report, baseline: Option<&Report>, errors: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<14} {:>9} {:>7} {:>6} {:>8}",
        "label", "precision", "recall", "F1", "support"
    );
    for l in Label::ALL {
        let c = r.label(l);
        let _ = writeln!(
            s,
            "{:<14} {:>9.3} {:>7.3} {:>6.3} {:>8}",
            l.as_str(),
            c.precision(),
            c.recall(),
            c.f1(),
            c.support()
        );
    }
    let m = r.micro();
    let _ = writeln!(
        s,
        "{:<14} {:>9.3} {:>7.3} {:>6.3} {:>8}",
        "micro",
        m.precision(),
        m.recall(),
        m.f1(),
        m.support()
    );
    let _ = writeln!(
        s,
        "{:<14} {:>9} {:>7} {:>6.3}",
        "macro",
        "",
        "",
        r.macro_f1()
    );
    let _ = writeln!(s, "\ncalibration (reported label scores):");
    let _ = writeln!(s, "{:<12} {:>6} {:>9}", "score", "count", "precision");
    for (lo, n, ok) in &r.calibration {
        let _ = writeln!(
            s,
            "{:<12} {:>6} {:>9}",
            format!("{lo:.1}–{:.1}", lo + 0.1),
            n,
            if *n == 0 {
                "-".to_string()
            } else {
                format!("{:.3}", *ok as f64 / *n as f64)
            }
        );
    }
    if let Some(b) = baseline {
        let t = b.label(Label::Talks);
        let _ = writeln!(
            s,
            "\nbaseline (关税/谈判/磋商 → talks): talks P {:.3} R {:.3} F1 {:.3}; micro-F1 {:.3}",
            t.precision(),
            t.recall(),
            t.f1(),
            b.micro().f1()
        );
    }
    if errors {
        let _ = writeln!(s, "\nerrors ({}):", r.errors.len());
        for (line, text, gold, got) in &r.errors {
            let short: String = text.chars().take(90).collect();
            let _ = writeln!(
                s,
                "  line {line}: gold {} · got {} · {short}",
                names(gold),
                names(got)
            );
        }
    }
    let _ = write!(s, "micro-F1: {:.3}", m.f1());
    s
}

/// Figures per source group (`group` column) and how often third-country texts are flagged:
/// a classifier that is good on one kind of outlet only shows it here.
pub fn render_groups(examples: &[Example], predictions: &[Classification]) -> String {
    let mut out = String::new();
    let mut groups: Vec<&str> = examples.iter().filter_map(|e| e.group.as_deref()).collect();
    groups.sort();
    groups.dedup();
    if !groups.is_empty() {
        let _ = writeln!(
            out,
            "per source group   n     micro-F1  talks  de_esc  escal  purch"
        );
    }
    for g in groups {
        let (ex, pr): (Vec<Example>, Vec<Classification>) = examples
            .iter()
            .zip(predictions)
            .filter(|(e, _)| e.group.as_deref() == Some(g))
            .map(|(e, p)| (e.clone(), p.clone()))
            .unzip();
        let r = score(&ex, &pr);
        let f = |l: Label| {
            let c = r.label(l);
            if c.support() == 0 && c.fp == 0 {
                "  -  ".to_string()
            } else {
                format!("{:.3}", c.f1())
            }
        };
        let _ = writeln!(
            out,
            "{g:<16} {:>5}    {:.3}    {}  {}   {}  {}",
            ex.len(),
            r.micro().f1(),
            f(Label::Talks),
            f(Label::DeEscalation),
            f(Label::Escalation),
            f(Label::Purchase)
        );
    }
    let third: Vec<&Classification> = examples
        .iter()
        .zip(predictions)
        .filter(|(e, _)| e.topic.as_deref() == Some("third_country"))
        .map(|(_, p)| p)
        .collect();
    if !third.is_empty() {
        let flagged = third.iter().filter(|p| !p.labels.is_empty()).count();
        let _ = writeln!(
            out,
            "third-country texts flagged: {flagged} of {} ({:.1}%)",
            third.len(),
            100.0 * flagged as f64 / third.len() as f64
        );
    }
    out
}
