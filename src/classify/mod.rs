//! Classification: segmented text in, labels with scores, evidence and an English explanation
//! out. Pure: no clock, network or database. Rules come from config/signals/*.toml.

pub mod eval;
pub mod model;
pub mod rules;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::{Segmented, Segmenter};
pub use rules::{RuleError, RuleOutcome, RuleSet};

/// The four signal labels of LABELS.md, in their fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Talks,
    DeEscalation,
    Escalation,
    Purchase,
}

impl Label {
    pub const ALL: [Label; 4] = [
        Label::Talks,
        Label::DeEscalation,
        Label::Escalation,
        Label::Purchase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Talks => "talks",
            Label::DeEscalation => "de_escalation",
            Label::Escalation => "escalation",
            Label::Purchase => "purchase",
        }
    }

    /// The English name analysts see in alerts (LABELS.md).
    pub fn english(self) -> &'static str {
        match self {
            Label::Talks => "Negotiation signal",
            Label::DeEscalation => "De-escalation",
            Label::Escalation => "Escalation",
            Label::Purchase => "Purchase commitment",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Label {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Label::ALL
            .into_iter()
            .find(|l| l.as_str() == s.trim())
            .ok_or_else(|| {
                format!("unknown label `{s}`; expected one of talks, de_escalation, escalation, purchase")
            })
    }
}

/// One matched word or phrase; offsets are char indices into the *original* text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub term: String,
    pub start: usize,
    pub end: usize,
    pub gloss: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelScore {
    pub label: Label,
    pub score: f64,
    pub evidence: Vec<Evidence>,
}

/// The result for one text. An empty `labels` list means no signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    pub labels: Vec<LabelScore>,
    pub explanation: String,
    pub version: String,
}

impl Classification {
    pub fn score(&self, label: Label) -> Option<f64> {
        self.labels
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.score)
    }
}

/// Rules, the learned model and the segmenter they were built with, shared across the process.
#[derive(Debug, Clone)]
pub struct Classifier {
    pub segmenter: Segmenter,
    pub rules: std::sync::Arc<RuleSet>,
    pub model: Option<std::sync::Arc<model::Model>>,
    version: String,
}

/// File name of the learned model inside a signals folder.
pub const MODEL_FILE: &str = "model.json";

/// Score at or above which a label is reported.
pub const REPORT_THRESHOLD: f64 = 0.5;

impl Classifier {
    /// The built-in rules (config/signals compiled into the binary), or a folder of rule files.
    pub fn load(
        signals_dir: Option<&std::path::Path>,
        user_dict: Option<&std::path::Path>,
    ) -> anyhow::Result<Classifier> {
        use anyhow::Context as _;
        let (rules, model_text, model_name) = match signals_dir {
            Some(dir) => {
                let path = dir.join(MODEL_FILE);
                let text = match std::fs::read_to_string(&path) {
                    Ok(t) => Some(t),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => {
                        return Err(e).with_context(|| format!("cannot read `{}`", path.display()))
                    }
                };
                (RuleSet::load_dir(dir)?, text, path.display().to_string())
            }
            None => (
                RuleSet::builtin()?,
                rules::builtin_file(MODEL_FILE),
                format!("config/signals/{MODEL_FILE}"),
            ),
        };
        let model = model_text
            .map(|t| {
                model::Model::from_json(&t)
                    .with_context(|| format!("model file `{model_name}` is unusable"))
            })
            .transpose()?;
        if let Some(m) = &model {
            if m.rules_version != rules.version {
                tracing::warn!(model = %m.version, trained_with = %m.rules_version, rules = %rules.version,
                    "The model was trained with other rules; retrain with `windvane train`.");
            }
        }
        Ok(Classifier::new(
            Segmenter::new(user_dict, rules.terms())?,
            rules,
            model,
        ))
    }

    pub fn new(segmenter: Segmenter, rules: RuleSet, model: Option<model::Model>) -> Classifier {
        let version = match &model {
            Some(m) => format!("{}+{}", rules.version, m.version),
            None => rules.version.clone(),
        };
        Classifier {
            segmenter,
            rules: std::sync::Arc::new(rules),
            model: model.map(std::sync::Arc::new),
            version,
        }
    }

    /// The same rules and segmenter with another model (or none).
    pub fn with_model(&self, model: Option<model::Model>) -> Classifier {
        let version = match &model {
            Some(m) => format!("{}+{}", self.rules.version, m.version),
            None => self.rules.version.clone(),
        };
        Classifier {
            segmenter: self.segmenter.clone(),
            rules: self.rules.clone(),
            model: model.map(std::sync::Arc::new),
            version,
        }
    }

    /// Rules version plus model version; stored with every classification.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn classify(&self, raw: &str) -> Classification {
        let norm = crate::text::normalize(raw);
        // No rule term occurs anywhere in the text: no rule can fire and the model is skipped
        // (see `classify`), so the result is known without segmenting. A third of an
        // account's everyday posts take this path.
        if !self.rules.any_term_in(&norm.text) {
            let out = RuleOutcome::nothing(&self.rules);
            return rules::finish(&out, out.logit.map(rules::sigmoid), &self.version);
        }
        self.classify_segmented(&self.segmenter.segment_normalized(norm))
    }

    /// The classification and the search-index words of one text, segmenting it once.
    pub fn classify_indexed(&self, raw: &str) -> (Classification, String) {
        let seg = self.segmenter.segment(raw);
        (self.classify_segmented(&seg), seg.index_words())
    }

    pub fn classify_segmented(&self, seg: &Segmented) -> Classification {
        classify(seg, &self.rules, self.model.as_deref(), &self.version)
    }
}

/// Classifies one segmented text: rules, then the model's correction when there is one.
pub fn classify(
    seg: &Segmented,
    rules: &RuleSet,
    model: Option<&model::Model>,
    version: &str,
) -> Classification {
    let out = rules.outcome(seg);
    // No term of any rule group at all: nothing trade-related for the model to correct, and
    // skipping it keeps the bulk of an account's everyday posts cheap.
    let model = model.filter(|_| out.any_hits);
    let probs = model::probabilities(model, seg, &out, rules);
    rules::finish(&out, probs, version)
}

/// Items a thread takes at a time in `map_parallel`: small enough that a thread slowed down
/// by other work on the machine does not hold the batch up.
pub const CHUNK: usize = 64;

/// `f` over `items` on up to `threads` threads, results in input order. Threads take chunks
/// of `CHUNK` items as they go (no thread waits for a slower one's fixed share). Classifying
/// is CPU-bound and `Classifier` is shared by reference, so import and reclassify use this.
pub fn map_parallel<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads.max(1).min(items.len().div_ceil(CHUNK).max(1));
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let at = next.fetch_add(CHUNK, Ordering::Relaxed);
                        let Some(part) = items.get(at..(at + CHUNK).min(items.len())) else {
                            break;
                        };
                        if part.is_empty() {
                            break;
                        }
                        done.push((at, part.iter().map(&f).collect()));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    parts.sort_by_key(|p| p.0);
    parts.into_iter().flat_map(|p| p.1).collect()
}

#[cfg(test)]
mod tests;
