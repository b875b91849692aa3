//! Classification: text in; events (who did what to whom, config/codebook/*.toml), labels
//! derived from them with scores and evidence, and an English explanation rendered from the
//! events out. Pure: no clock, network or database. The learned model (config/signals/
//! model.json) corrects the events' scores.

pub mod capped;
pub mod codebook;
pub mod eval;
pub mod events;
pub mod model;
pub mod stream;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::{Segmented, Segmenter};
pub use codebook::{Codebook, CodebookError};
pub use events::{Coded, Event, Mode};

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
    /// The events coded in the text, counting or not (denied talks, a demand…).
    #[serde(default)]
    pub events: Vec<Event>,
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

/// The codebook, the learned model and the segmenter they were built with, shared across
/// the process.
#[derive(Debug, Clone)]
pub struct Classifier {
    pub segmenter: Segmenter,
    pub codebook: std::sync::Arc<Codebook>,
    pub model: Option<std::sync::Arc<model::Model>>,
    version: String,
}

/// File name of the learned model inside a signals folder.
pub const MODEL_FILE: &str = "model.json";

/// Score at or above which a label with an event behind it is reported.
pub const REPORT_THRESHOLD: f64 = 0.5;

/// Score a label needs when no event was coded for it: the learned model alone must be sure,
/// and the explanation says that no event was found.
pub const MODEL_ONLY_THRESHOLD: f64 = 0.9;

static BUILTIN_MODEL: &str = include_str!("../../config/signals/model.json");

impl Classifier {
    /// The built-in codebook and model, or a folder holding codebook files (*.toml) and
    /// optionally a `model.json`.
    pub fn load(
        signals_dir: Option<&std::path::Path>,
        user_dict: Option<&std::path::Path>,
    ) -> anyhow::Result<Classifier> {
        use anyhow::Context as _;
        let (book, model_text, model_name) = match signals_dir {
            Some(dir) => {
                let path = dir.join(MODEL_FILE);
                let text = match std::fs::read_to_string(&path) {
                    Ok(t) => Some(t),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => {
                        return Err(e).with_context(|| format!("cannot read `{}`", path.display()))
                    }
                };
                (Codebook::load_dir(dir)?, text, path.display().to_string())
            }
            None => (
                Codebook::builtin()?,
                Some(BUILTIN_MODEL.to_string()),
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
            if m.rules_version != book.version {
                tracing::warn!(model = %m.version, trained_with = %m.rules_version, codebook = %book.version,
                    "The model was trained with another codebook; retrain with `windvane train`.");
            }
        }
        Ok(Classifier::new(
            Segmenter::new(user_dict, book.terms())?,
            book,
            model,
        ))
    }

    pub fn new(segmenter: Segmenter, book: Codebook, model: Option<model::Model>) -> Classifier {
        let version = match &model {
            Some(m) => format!("{}+{}", book.version, m.version),
            None => book.version.clone(),
        };
        Classifier {
            segmenter,
            codebook: std::sync::Arc::new(book),
            model: model.map(std::sync::Arc::new),
            version,
        }
    }

    /// The same codebook and segmenter with another model (or none).
    pub fn with_model(&self, model: Option<model::Model>) -> Classifier {
        let version = match &model {
            Some(m) => format!("{}+{}", self.codebook.version, m.version),
            None => self.codebook.version.clone(),
        };
        Classifier {
            segmenter: self.segmenter.clone(),
            codebook: self.codebook.clone(),
            model: model.map(std::sync::Arc::new),
            version,
        }
    }

    /// Codebook version plus model version; stored with every classification.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn classify(&self, raw: &str) -> Classification {
        let norm = crate::text::normalize(raw);
        let coded = self.codebook.code(&norm);
        // The trade gate: a text with no instrument, trade topic or negotiator cannot hold an
        // event, and the model is not asked (most of an account's everyday posts).
        if !coded.trade {
            return finish(&coded, &self.codebook, [0.0; 4], &self.version);
        }
        let seg = self.segmenter.segment_normalized(norm);
        classify(
            &seg,
            coded,
            &self.codebook,
            self.model.as_deref(),
            &self.version,
        )
    }

    /// The classification and the search-index words of one text, segmenting it once.
    pub fn classify_indexed(&self, raw: &str) -> (Classification, String) {
        let norm = crate::text::normalize(raw);
        let coded = self.codebook.code(&norm);
        // The index terms are character n-grams, not jieba's words: a text the trade gate
        // turns away needs no segmentation at all (most posts on the ingest path).
        if !coded.trade {
            let words = crate::text::search::index_terms(&norm.text);
            return (
                finish(&coded, &self.codebook, [0.0; 4], &self.version),
                words,
            );
        }
        let seg = self.segmenter.segment_normalized(norm);
        let c = classify(
            &seg,
            coded,
            &self.codebook,
            self.model.as_deref(),
            &self.version,
        );
        (c, seg.index_words())
    }

    pub fn classify_segmented(&self, seg: &Segmented) -> Classification {
        let coded = self.codebook.code(&seg.norm);
        if !coded.trade {
            return finish(&coded, &self.codebook, [0.0; 4], &self.version);
        }
        classify(
            seg,
            coded,
            &self.codebook,
            self.model.as_deref(),
            &self.version,
        )
    }

    /// The events of one text, as `classify --json` shows them.
    pub fn events(&self, raw: &str) -> Vec<events::Event> {
        self.codebook.code(&crate::text::normalize(raw)).events
    }
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The events' own per-label logit: a counting event makes a label likely, more events more
/// so; hedged sourcing lowers it; no event makes it unlikely.
pub fn event_logit(c: &events::Coded) -> [f64; 4] {
    std::array::from_fn(|l| {
        let n = c
            .events
            .iter()
            .filter(|e| e.label.is_some_and(|x| x.index() == l))
            .count();
        if n == 0 {
            -4.0
        } else {
            2.2 + 0.4 * (n - 1).min(3) as f64 - if c.hedged { 0.7 } else { 0.0 }
        }
    })
}

/// Classifies one segmented, coded text: the events, then the model's correction.
pub fn classify(
    seg: &Segmented,
    coded: events::Coded,
    book: &Codebook,
    model: Option<&model::Model>,
    version: &str,
) -> Classification {
    let probs = model::probabilities(model, seg, &coded);
    finish(&coded, book, probs, version)
}

/// Builds the final classification from per-label probabilities and the coded events.
pub fn finish(
    coded: &events::Coded,
    _book: &Codebook,
    probs: [f64; 4],
    version: &str,
) -> Classification {
    let mut labels: Vec<LabelScore> = Label::ALL
        .into_iter()
        .filter(|&l| {
            let p = probs[l.index()];
            p >= MODEL_ONLY_THRESHOLD || (p >= REPORT_THRESHOLD && coded.has_event(l))
        })
        .map(|l| LabelScore {
            label: l,
            score: (probs[l.index()] * 1000.0).round() / 1000.0,
            evidence: coded.evidence[l.index()].clone(),
        })
        .collect();
    labels.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut parts: Vec<String> = Vec::new();
    for l in &labels {
        let events: Vec<&Event> = coded
            .events
            .iter()
            .filter(|e| e.label == Some(l.label))
            .collect();
        if events.is_empty() {
            parts.push(format!(
                "{} suggested by the learned model only: no event was coded in the text.",
                l.label.english()
            ));
        }
        // The first counting event the text reports, and the other side's answer when the
        // text gives one (the US threatens tariffs; China vows countermeasures): a reader
        // needs both sides' moves, not only the first. The first is told by the act that says
        // it most exactly (a raise, the goods' value, a proposal: see `told_by`, `sized`).
        let first = events.first().map(|&f| {
            told_by(
                &events,
                sized(&events, told_by(&events, f, "raise", 20)),
                "propose",
                3,
            )
        });
        let answer = first.and_then(|f| events.iter().copied().find(|e| e.actor != f.actor));
        for e in first.into_iter().chain(answer) {
            if !parts.contains(&e.sentence) {
                parts.push(e.sentence.clone());
            }
        }
    }
    let explanation = if parts.is_empty() {
        "No US–China trade signal found.".to_string()
    } else {
        let s = parts.join(" ");
        if coded.hedged {
            format!("Reportedly, citing unnamed or hedged sources: {s}")
        } else {
            s
        }
    };
    Classification {
        labels,
        explanation,
        events: coded.events.clone(),
        version: version.to_string(),
    }
}

/// The imposition `f`, or the same side's `action` right after it (within `reach`
/// characters), which tells it more exactly: a raise (加征的关税从10%提高到25%: the raise), a
/// proposal (针对…加征关税的听证会: proposed, not imposed).
fn told_by<'e>(events: &[&'e Event], f: &'e Event, action: &str, reach: usize) -> &'e Event {
    events
        .iter()
        .copied()
        .find(|e| {
            f.action == "impose"
                && e.action == action
                && e.actor == f.actor
                && e.start >= f.end
                && e.start - f.end <= reach
        })
        .unwrap_or(f)
}

/// The act `f`, or the same act told further on with the value of the goods it covers: a
/// headline's bare act (反对对华加征关税) says less than 拟对3000亿美元中国输美商品加征关税.
/// (Only a value: a percentage after it may be a share of something else, 占比达到96%.)
fn sized<'e>(events: &[&'e Event], f: &'e Event) -> &'e Event {
    if f.magnitude.is_some() {
        return f;
    }
    events
        .iter()
        .copied()
        .find(|e| {
            e.start > f.end
                && e.magnitude.as_deref().is_some_and(|m| m.starts_with('$'))
                && e.action == f.action
                && e.actor == f.actor
                && e.target == f.target
                && e.instrument == f.instrument
        })
        .unwrap_or(f)
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
