//! The learned layer: one logistic regression per label over words, word bigrams, character
//! bigrams (weighted down in long texts, see `text_scale`), the kinds of event coded, and the
//! events' own logit. Regularised towards "the
//! events as they are" (weight 1 on the event logit, 0 elsewhere), so with little data it
//! stays the event coder and with more it learns corrections. Trained by `windvane train`, stored as JSON under config/signals/.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::codebook::Codebook;
use super::eval::Example;
use super::events::{is_cjk, Coded};
use super::sigmoid;
use crate::text::{Segmented, Segmenter};

/// Format version of the model file; bump when the feature scheme changes.
pub const MODEL_FORMAT: u32 = 3;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    pub format: u32,
    /// Content hash, recorded with every classification.
    pub version: String,
    /// The codebook version the model was trained with (field name kept for old files).
    pub rules_version: String,
    pub trained_on: usize,
    pub l2: f64,
    /// Sparse feature name → weights for the four labels (written sorted, for stable diffs).
    #[serde(serialize_with = "sorted")]
    pub weights: HashMap<String, [f64; 4], rustc_hash::FxBuildHasher>,
    /// Weight of the events' own logit, per label.
    pub rule_weight: [f64; 4],
    pub bias: [f64; 4],
    /// Per-label Platt scaling `(a, b)`: the reported probability is `sigmoid(a·z + b)` of the
    /// raw logit `z`, fitted on out-of-fold logits of a 5-fold cross-validation, so a score
    /// reads as a probability (LABELS.md: of posts scored about 0.8, about 8 in 10 right).
    /// Absent in models trained before it (identity).
    #[serde(default)]
    pub calibration: Option<[[f64; 2]; 4]>,
    /// `weights` keyed by feature hashes, built on first use: classifying looks features up
    /// by hash without building their names (name building and string hashing were a quarter
    /// of classification time).
    #[serde(skip)]
    index: std::sync::OnceLock<FeatureIndex>,
}

/// Feature weights keyed by the hashes of `mod key`. Stored as f32 (weights are written
/// with four decimals): the table is half the size and stays in cache.
#[derive(Debug, Clone)]
struct FeatureIndex {
    weights: HashMap<u64, [f32; 4], rustc_hash::FxBuildHasher>,
    /// One bit per 16-bit key prefix that some feature has (8 KiB, stays in L1): most words,
    /// bigrams and character pairs of a post have no weight, and this answers them without a
    /// probe into the (much larger) table.
    present: Vec<u64>,
    hedged: Option<[f64; 4]>,
}

impl FeatureIndex {
    fn insert(&mut self, k: u64, w: [f32; 4]) {
        let p = (k >> 48) as usize;
        self.present[p / 64] |= 1 << (p % 64);
        self.weights.insert(k, w);
    }

    #[inline]
    fn get(&self, k: u64) -> Option<&[f32; 4]> {
        let p = (k >> 48) as usize;
        if self.present[p / 64] & (1 << (p % 64)) == 0 {
            return None;
        }
        self.weights.get(&k)
    }
}

/// Hash keys of the four feature kinds, computed from their parts. A word is hashed once
/// and reused for its word feature and both bigrams it belongs to.
mod key {
    use std::hash::Hasher as _;

    const WORD: u64 = 1;
    const BIGRAM: u64 = 2;
    const RULE: u64 = 3;
    const CHARS: u64 = 4;

    pub fn text(s: &str) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        h.write(s.as_bytes());
        h.write_u8(0xff);
        h.finish()
    }

    fn mix(kind: u64, a: u64, b: u64) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        h.write_u64(kind);
        h.write_u64(a);
        h.write_u64(b);
        h.finish()
    }

    pub fn word(w: u64) -> u64 {
        mix(WORD, w, 0)
    }
    pub fn bigram(a: u64, b: u64) -> u64 {
        mix(BIGRAM, a, b)
    }
    pub fn rule(id: u64) -> u64 {
        mix(RULE, id, 0)
    }
    pub fn chars(a: char, b: char) -> u64 {
        mix(CHARS, a as u64, b as u64)
    }
}

impl FeatureIndex {
    /// The hash key(s) of a feature name as `feature_names` writes it.
    fn build(weights: &HashMap<String, [f64; 4], rustc_hash::FxBuildHasher>) -> FeatureIndex {
        let mut index = FeatureIndex {
            weights: HashMap::with_capacity_and_hasher(weights.len(), rustc_hash::FxBuildHasher),
            present: vec![0; (1 << 16) / 64],
            hedged: None,
        };
        for (name, w) in weights {
            let w = &w.map(|x| x as f32);
            if name == "h" {
                index.hedged = Some(w.map(f64::from));
                continue;
            }
            let Some((kind, rest)) = name.split_once(':') else {
                continue;
            };
            match kind {
                "w" => {
                    index.insert(key::word(key::text(rest)), *w);
                }
                "r" => {
                    index.insert(key::rule(key::text(rest)), *w);
                }
                "c" => {
                    let mut cs = rest.chars();
                    if let (Some(a), Some(b), None) = (cs.next(), cs.next(), cs.next()) {
                        index.insert(key::chars(a, b), *w);
                    }
                }
                "b" => {
                    // Words never contain `|` in practice; if one does, every split is kept
                    // (an unused key costs nothing).
                    for (i, _) in rest.match_indices('|') {
                        let (a, b) = (&rest[..i], &rest[i + 1..]);
                        index.insert(key::bigram(key::text(a), key::text(b)), *w);
                    }
                }
                _ => {}
            }
        }
        index
    }
}

fn sorted<S: serde::Serializer>(
    m: &HashMap<String, [f64; 4], rustc_hash::FxBuildHasher>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let ordered: std::collections::BTreeMap<_, _> = m.iter().collect();
    ordered.serialize(s)
}

/// Sparse feature names of one text. Words and bigrams skip punctuation and spaces.
pub fn feature_names(seg: &Segmented, out: &Coded) -> Vec<String> {
    let words: Vec<&str> = seg
        .words()
        .filter(|w| crate::text::is_wordlike(w))
        .collect();
    let mut f = Vec::with_capacity(words.len() * 2 + out.features.len() + 1);
    for w in &words {
        f.push(format!("w:{w}"));
    }
    for pair in words.windows(2) {
        f.push(format!("b:{}|{}", pair[0], pair[1]));
    }
    for r in &out.features {
        f.push(format!("r:{r}"));
    }
    if out.hedged {
        f.push("h".to_string());
    }
    // Character bigrams of Chinese text: they generalise over
    // segmentation differences when training data is small (5-fold CV on train: 0.878 vs 0.873).
    for_each_char_bigram(&seg.norm.text, |a, b| f.push(format!("c:{a}{b}")));
    f
}

fn for_each_char_bigram(text: &str, mut f: impl FnMut(char, char)) {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = prev {
            if is_cjk(p) && is_cjk(c) {
                f(p, c);
            }
        }
        prev = Some(c);
    }
}

/// Words up to which a text's word and character features count in full.
const FULL_WEIGHT_WORDS: usize = 40;

/// The weight of a text's word, bigram and character features: 1 up to `FULL_WEIGHT_WORDS`
/// words, then falling with the square root of the length. Counted features grow with a
/// text's length, and a long article's hundreds of words otherwise outvote the events coded
/// in it (a hedged easing in a 300-character report fell below the report threshold).
fn text_scale(words: usize) -> f64 {
    (FULL_WEIGHT_WORDS as f64 / words.max(FULL_WEIGHT_WORDS) as f64).sqrt()
}

/// `text_scale` of a segmented text.
pub fn text_weight(seg: &Segmented) -> f64 {
    text_scale(seg.words().filter(|w| crate::text::is_wordlike(w)).count())
}

/// The value of the feature `name` (as `feature_names` writes it) in a text of weight
/// `scale`: the events' features (`r:…`, `h`) count in full, the text's own are scaled.
pub fn feature_value(name: &str, scale: f64) -> f64 {
    if name.starts_with("r:") || name == "h" {
        1.0
    } else {
        scale
    }
}

fn rule_input(z: f64) -> f64 {
    z.clamp(-8.0, 8.0)
}

impl Model {
    /// Per-label logits for one text.
    pub fn logits(&self, seg: &Segmented, out: &Coded) -> [f64; 4] {
        let index = self
            .index
            .get_or_init(|| FeatureIndex::build(&self.weights));
        let mut z: [f64; 4] = std::array::from_fn(|l| {
            self.bias[l] + self.rule_weight[l] * rule_input(super::event_logit(out)[l])
        });
        let add = |k: u64, z: &mut [f64; 4]| {
            if let Some(w) = index.get(k) {
                for l in 0..4 {
                    z[l] += f64::from(w[l]);
                }
            }
        };
        // Features are counts (a word twice adds its weight twice), as in training; the
        // text's own features are scaled down in long texts (see `text_scale`).
        let mut text = [0.0f64; 4];
        let mut prev: Option<u64> = None;
        let mut words = 0usize;
        for w in seg.words().filter(|w| crate::text::is_wordlike(w)) {
            let h = key::text(w);
            add(key::word(h), &mut text);
            if let Some(p) = prev {
                add(key::bigram(p, h), &mut text);
            }
            prev = Some(h);
            words += 1;
        }
        for_each_char_bigram(&seg.norm.text, |a, b| add(key::chars(a, b), &mut text));
        let scale = text_scale(words);
        for l in 0..4 {
            z[l] += scale * text[l];
        }
        for r in &out.features {
            add(key::rule(key::text(r)), &mut z);
        }
        if let (true, Some(w)) = (out.hedged, index.hedged) {
            for l in 0..4 {
                z[l] += w[l];
            }
        }
        z
    }

    pub fn from_json(text: &str) -> anyhow::Result<Model> {
        let m: Model = serde_json::from_str(text)?;
        if m.format != MODEL_FORMAT {
            anyhow::bail!(
                "model format {} is not the supported format {MODEL_FORMAT}; retrain with `windvane train`",
                m.format
            );
        }
        Ok(m)
    }
}

/// A training row: sparse features, the events' logits, and the gold labels.
struct Row {
    /// Feature index and value (the text's scale for its own features, 1 for the events').
    feats: Vec<(usize, f64)>,
    z: [f64; 4],
    gold: [bool; 4],
}

/// Trains a model on labelled examples with L2 strength `l2` (towards the events-only model).
pub fn train(
    examples: &[Example],
    segmenter: &Segmenter,
    book: &Codebook,
    l2: f64,
    epochs: usize,
) -> Model {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let prepared: Vec<(Vec<String>, Coded, [bool; 4], f64)> = examples
        .iter()
        .map(|e| {
            let seg = segmenter.segment(&e.text);
            let out = book.code(&seg.norm);
            let names = feature_names(&seg, &out);
            for n in &names {
                *counts.entry(n.clone()).or_default() += 1;
            }
            let mut gold = [false; 4];
            for l in &e.labels {
                gold[l.index()] = true;
            }
            let scale = text_weight(&seg);
            (names, out, gold, scale)
        })
        .collect();
    // Features seen once cannot generalise; keep those seen at least twice.
    let rows: Vec<Row> = prepared
        .into_iter()
        .map(|(names, out, gold, scale)| {
            let feats = names
                .into_iter()
                .filter(|n| counts.get(n).copied().unwrap_or(0) >= 2)
                .map(|n| {
                    let value = feature_value(&n, scale);
                    let next = index.len();
                    (*index.entry(n).or_insert(next), value)
                })
                .collect();
            Row {
                feats,
                z: super::event_logit(&out).map(rule_input),
                gold,
            }
        })
        .collect();
    let nf = index.len();
    let mut w = vec![[0.0f64; 4]; nf];
    let mut rw = [1.0f64; 4];
    let mut b = [0.0f64; 4];
    let n = rows.len().max(1) as f64;
    // Full-batch gradient descent with a decaying step; the problem is small and convex.
    for epoch in 0..epochs {
        let lr = 0.5 / (1.0 + epoch as f64 / 100.0);
        let mut gw = vec![[0.0f64; 4]; nf];
        let mut grw = [0.0f64; 4];
        let mut gb = [0.0f64; 4];
        for r in &rows {
            for l in 0..4 {
                let mut z = b[l] + rw[l] * r.z[l];
                for &(f, v) in &r.feats {
                    z += v * w[f][l];
                }
                let err = sigmoid(z) - if r.gold[l] { 1.0 } else { 0.0 };
                gb[l] += err;
                grw[l] += err * r.z[l];
                for &(f, v) in &r.feats {
                    gw[f][l] += err * v;
                }
            }
        }
        for l in 0..4 {
            b[l] -= lr * gb[l] / n;
            rw[l] -= lr * (grw[l] / n + l2 * (rw[l] - 1.0));
            for f in 0..nf {
                w[f][l] -= lr * (gw[f][l] / n + l2 * w[f][l]);
            }
        }
    }
    let mut weights = HashMap::with_capacity_and_hasher(nf, rustc_hash::FxBuildHasher);
    for (name, i) in index {
        let ws = w[i].map(|x| (x * 1e4).round() / 1e4);
        if ws.iter().any(|x| x.abs() >= 1e-3) {
            weights.insert(name, ws);
        }
    }
    let mut m = Model {
        format: MODEL_FORMAT,
        version: String::new(),
        rules_version: book.version.clone(),
        trained_on: examples.len(),
        l2,
        weights,
        rule_weight: rw.map(|x| (x * 1e4).round() / 1e4),
        bias: b.map(|x| (x * 1e4).round() / 1e4),
        calibration: None,
        index: Default::default(),
    };
    m.version = content_version(&m);
    m
}

/// A short hash of the weights, so two different models never share a version.
fn content_version(m: &Model) -> String {
    use sha2::{Digest, Sha256};
    let mut keys: Vec<_> = m.weights.iter().collect();
    keys.sort_by(|a, b| a.0.cmp(b.0));
    let mut h = Sha256::new();
    h.update(format!(
        "{:?}{:?}{:?}{}",
        m.rule_weight, m.bias, keys, m.rules_version
    ));
    if let Some(c) = &m.calibration {
        h.update(format!("{c:?}"));
    }
    format!("model-{}", &hex::encode(h.finalize())[..10])
}

/// Probabilities for the four labels from a model (or the events alone).
pub fn probabilities(model: Option<&Model>, seg: &Segmented, out: &Coded) -> [f64; 4] {
    match model {
        Some(m) => m.calibrated(m.logits(seg, out)),
        None => super::event_logit(out).map(sigmoid),
    }
}

impl Model {
    /// Probabilities from raw logits, through the calibration when the model has one.
    pub fn calibrated(&self, z: [f64; 4]) -> [f64; 4] {
        match &self.calibration {
            Some(c) => std::array::from_fn(|l| sigmoid(c[l][0] * z[l] + c[l][1])),
            None => z.map(sigmoid),
        }
    }
}

/// Fits `sigmoid(a·z + b)` to 0/1 outcomes by Newton's method on the log-loss (Platt
/// scaling), with Platt's smoothed targets so that a separable label does not drive `a` to
/// infinity. Returns the identity `(1, 0)` when there is nothing to fit.
pub fn fit_platt(z: &[f64], y: &[bool]) -> [f64; 2] {
    let pos = y.iter().filter(|&&v| v).count() as f64;
    let neg = y.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return [1.0, 0.0];
    }
    let (t_pos, t_neg) = ((pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0));
    let (mut a, mut b) = (1.0f64, 0.0f64);
    for _ in 0..100 {
        // Gradient and Hessian of the log-loss in (a, b), with a small ridge for stability.
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-6, 0.0, 1e-6);
        for (&zi, &yi) in z.iter().zip(y) {
            let t = if yi { t_pos } else { t_neg };
            let p = sigmoid(a * zi + b);
            let d = p - t;
            let w = (p * (1.0 - p)).max(1e-12);
            ga += d * zi;
            gb += d;
            haa += w * zi * zi;
            hab += w * zi;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if da.abs() < 1e-9 && db.abs() < 1e-9 {
            break;
        }
    }
    if a.is_finite() && b.is_finite() && a > 0.0 {
        [(a * 1e4).round() / 1e4, (b * 1e4).round() / 1e4]
    } else {
        [1.0, 0.0]
    }
}

/// How a cross-validation cuts the training examples into five folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Folds {
    /// Every fifth row. Rows of one outlet, often near-duplicates, sit on both sides of every
    /// fold, so the figures are those of outlets the model has seen.
    #[default]
    Interleaved,
    /// Whole outlets (the `source` column) per fold, as the test split is cut: each fold is
    /// scored by a model that never saw its outlets, which is what a new outlet meets.
    BySource,
}

/// The fold (0..5) of each example.
fn fold_of(examples: &[Example], folds: Folds) -> Vec<usize> {
    match folds {
        Folds::Interleaved => (0..examples.len()).map(|i| i % 5).collect(),
        Folds::BySource => {
            // An outlet larger than a fifth of the data would make one fold alone; it is cut
            // into runs of consecutive rows (its file order, roughly time) of a tenth.
            let block = (examples.len() / 10).max(1);
            let mut groups: std::collections::BTreeMap<(String, usize), Vec<usize>> =
                Default::default();
            let mut seen: HashMap<String, usize> = HashMap::new();
            for (i, e) in examples.iter().enumerate() {
                let source = e
                    .source
                    .clone()
                    .unwrap_or_else(|| format!("line {}", e.line));
                let nth = seen.entry(source.clone()).or_default();
                groups.entry((source, *nth / block)).or_default().push(i);
                *nth += 1;
            }
            // Largest group first into the emptiest fold (ties: the first), deterministic.
            let mut ordered: Vec<_> = groups.into_values().collect();
            ordered.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
            let mut load = [0usize; 5];
            let mut fold = vec![0; examples.len()];
            for rows in ordered {
                let f = (0..5).min_by_key(|&f| (load[f], f)).unwrap_or(0);
                load[f] += rows.len();
                for i in rows {
                    fold[i] = f;
                }
            }
            fold
        }
    }
}

/// Out-of-fold raw logits of a 5-fold cross-validation on the training examples, with the
/// coded events of each example (for the final decision).
fn out_of_fold(
    examples: &[Example],
    segmenter: &Segmenter,
    book: &Codebook,
    l2: f64,
    epochs: usize,
    folds: Folds,
) -> Vec<([f64; 4], Coded)> {
    let fold = fold_of(examples, folds);
    let mut out: Vec<Option<([f64; 4], Coded)>> = vec![None; examples.len()];
    for k in 0..5 {
        let train_set: Vec<Example> = examples
            .iter()
            .zip(&fold)
            .filter(|(_, &f)| f != k)
            .map(|(e, _)| e.clone())
            .collect();
        let m = train(&train_set, segmenter, book, l2, epochs);
        for (i, e) in examples.iter().enumerate().filter(|(i, _)| fold[*i] == k) {
            let seg = segmenter.segment(&e.text);
            let coded = book.code(&seg.norm);
            out[i] = Some((m.logits(&seg, &coded), coded));
        }
    }
    out.into_iter().flatten().collect()
}

/// The per-label calibration fitted on out-of-fold logits.
fn calibration_from(examples: &[Example], oof: &[([f64; 4], Coded)]) -> [[f64; 2]; 4] {
    std::array::from_fn(|l| {
        let z: Vec<f64> = oof.iter().map(|(z, _)| z[l]).collect();
        let y: Vec<bool> = examples
            .iter()
            .map(|e| e.labels.iter().any(|x| x.index() == l))
            .collect();
        fit_platt(&z, &y)
    })
}

/// A model trained on all examples, with its calibration fitted by 5-fold cross-validation;
/// and the calibrated out-of-fold predictions (what `--cv-errors` reports).
pub fn train_calibrated(
    examples: &[Example],
    segmenter: &Segmenter,
    book: &Codebook,
    l2: f64,
    epochs: usize,
    folds: Folds,
) -> (Model, Vec<super::Classification>) {
    let oof = out_of_fold(examples, segmenter, book, l2, epochs, folds);
    let calibration = calibration_from(examples, &oof);
    let mut m = train(examples, segmenter, book, l2, epochs);
    m.calibration = Some(calibration);
    m.version = content_version(&m);
    let preds = oof
        .iter()
        .map(|(z, coded)| super::finish(coded, book, m.calibrated(*z), ""))
        .collect();
    (m, preds)
}

/// Out-of-fold predictions of a 5-fold cross-validation on the training examples (raw
/// scores: the calibration is itself fitted on these folds).
pub fn cross_validate(
    examples: &[Example],
    segmenter: &Segmenter,
    book: &Codebook,
    l2: f64,
    epochs: usize,
    folds: Folds,
) -> Vec<super::Classification> {
    out_of_fold(examples, segmenter, book, l2, epochs, folds)
        .into_iter()
        .map(|(z, coded)| super::finish(&coded, book, z.map(sigmoid), ""))
        .collect()
}

/// Picks the L2 strength by 5-fold cross-validation on the training examples only (micro-F1).
pub fn choose_l2(
    examples: &[Example],
    segmenter: &Segmenter,
    book: &Codebook,
    candidates: &[f64],
    epochs: usize,
    folds: Folds,
) -> Vec<(f64, f64)> {
    candidates
        .iter()
        .map(|&l2| {
            let preds = cross_validate(examples, segmenter, book, l2, epochs, folds);
            (l2, super::eval::score(examples, &preds).micro().f1())
        })
        .collect()
}
