//! Classification: segmented text in, labels with scores, evidence and an English explanation
//! out. Pure: no clock, network or database. Rules come from config/signals/*.toml.

pub mod eval;
pub mod rules;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::{Segmented, Segmenter};
pub use rules::{RuleError, RuleSet};

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

/// Rules plus the segmenter they were built with, shared across the process.
#[derive(Debug, Clone)]
pub struct Classifier {
    pub segmenter: Segmenter,
    pub rules: std::sync::Arc<RuleSet>,
}

/// Score at or above which a label is reported.
pub const REPORT_THRESHOLD: f64 = 0.5;

impl Classifier {
    /// The built-in rules (config/signals compiled into the binary), or a folder of rule files.
    pub fn load(
        signals_dir: Option<&std::path::Path>,
        user_dict: Option<&std::path::Path>,
    ) -> anyhow::Result<Classifier> {
        let rules = match signals_dir {
            Some(dir) => RuleSet::load_dir(dir)?,
            None => RuleSet::builtin()?,
        };
        let segmenter = Segmenter::new(user_dict, rules.terms())?;
        Ok(Classifier {
            segmenter,
            rules: std::sync::Arc::new(rules),
        })
    }

    pub fn version(&self) -> &str {
        &self.rules.version
    }

    pub fn classify(&self, raw: &str) -> Classification {
        classify(&self.segmenter.segment(raw), &self.rules)
    }
}

/// Classifies one segmented text.
pub fn classify(seg: &Segmented, rules: &RuleSet) -> Classification {
    rules.apply(seg)
}

#[cfg(test)]
mod tests;
