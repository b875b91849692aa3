//! Rule files (config/signals/*.toml): term groups with English glosses, rules that require
//! groups to co-occur within a sentence or clause, and modifiers (negation, denial, hedging,
//! penalties, third-country counterparts). Loading validates everything and names the file,
//! the rule and the reason; applying is pure.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};
use include_dir::{include_dir, Dir};
use serde::Deserialize;

use super::{Classification, Evidence, Label, LabelScore, REPORT_THRESHOLD};
use crate::text::Segmented;

static BUILTIN_SIGNALS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/config/signals");

/// A built-in file of config/signals (e.g. the model), if present.
pub fn builtin_file(name: &str) -> Option<String> {
    BUILTIN_SIGNALS
        .get_file(name)
        .and_then(|f| f.contents_utf8())
        .map(str::to_string)
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("rule file `{file}`: {reason}")]
    File { file: String, reason: String },
    #[error("rule file `{file}`, `{item}`: {reason}")]
    Item {
        file: String,
        item: String,
        reason: String,
    },
    #[error("cannot read rule folder `{}`: {reason}", path.display())]
    Folder { path: PathBuf, reason: String },
}

// ----- raw form ------------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRuleFile {
    version: Option<String>,
    #[serde(default)]
    context: Option<RawContext>,
    #[serde(default)]
    labels: BTreeMap<String, RawLabel>,
    #[serde(default)]
    groups: BTreeMap<String, RawGroup>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    modifiers: Vec<RawModifier>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContext {
    /// The group whose presence anywhere in a post makes it about the US.
    us_group: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabel {
    bias: f64,
    /// Added per extra distinct rule that fires for the label (capped at three).
    #[serde(default = "default_extra")]
    extra_rule: f64,
}

fn default_extra() -> f64 {
    0.4
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    #[allow(dead_code)]
    description: Option<String>,
    /// term → English gloss
    terms: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    label: String,
    /// Groups that must all match in the same scope; the first is the anchor that negation
    /// cues attach to.
    all: Vec<String>,
    #[serde(default)]
    scope: Scope,
    weight: f64,
    #[serde(default = "default_true")]
    needs_us: bool,
    /// A group that must match somewhere in the post (e.g. a trade term for US contact).
    post_needs: Option<String>,
    explain: String,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Sentence,
    Clause,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ModifierKind {
    /// A cue within `window` chars before the anchor, in the same clause, cancels it.
    Negation,
    /// A cue after the anchor in the same sentence ("…的说法不实") cancels it.
    DenialAfter,
    /// A cue anywhere in the post adds `weight` (negative: lowers confidence).
    Hedge,
    /// A cue in the same sentence as a fired rule adds `weight`.
    Penalty,
    /// A cue in the sentence, with no US term in that sentence, cancels the hit there.
    ThirdCountry,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModifier {
    id: String,
    kind: ModifierKind,
    group: String,
    #[serde(default)]
    weight: f64,
    #[serde(default = "default_window")]
    window: usize,
    #[serde(default)]
    labels: Vec<String>,
    /// For penalties: a group whose presence in the same sentence cancels the penalty
    /// (a concrete event next to principle language).
    unless: Option<String>,
    explain: Option<String>,
}

fn default_window() -> usize {
    8
}

// ----- compiled form -------------------------------------------------------------------------

#[derive(Debug)]
struct Group {
    name: String,
}

#[derive(Debug)]
struct Pattern {
    gloss: String,
    /// Bit `g` set for every group `g` the term belongs to (`MAX_GROUPS` at most).
    groups: GroupSet,
}

/// A set of group indices as bits: a rule asks "is this hit in group g" for every hit and
/// rule, and a bit test is what makes that cheap.
type GroupSet = u128;
const MAX_GROUPS: usize = GroupSet::BITS as usize;

fn has(set: GroupSet, g: usize) -> bool {
    set >> g & 1 != 0
}

#[derive(Debug)]
struct Rule {
    id: String,
    label: Label,
    all: Vec<usize>,
    /// `all` as a set: a sentence without every one of these groups cannot fire the rule.
    all_set: GroupSet,
    scope: Scope,
    weight: f64,
    needs_us: bool,
    post_needs: Option<usize>,
    explain: String,
}

#[derive(Debug)]
struct Modifier {
    #[allow(dead_code)]
    id: String,
    kind: ModifierKind,
    group: usize,
    weight: f64,
    window: usize,
    labels: Vec<Label>,
    unless: Option<usize>,
    explain: Option<String>,
}

impl Modifier {
    fn applies(&self, l: Label) -> bool {
        self.labels.is_empty() || self.labels.contains(&l)
    }
}

/// Compiled rules, built once per process.
#[derive(Debug)]
pub struct RuleSet {
    pub version: String,
    groups: Vec<Group>,
    patterns: Vec<Pattern>,
    terms: Vec<String>,
    term_set: rustc_hash::FxHashSet<String>,
    matcher: AhoCorasick,
    rules: Vec<Rule>,
    modifiers: Vec<Modifier>,
    bias: [f64; 4],
    extra_rule: [f64; 4],
    us_group: Option<usize>,
}

/// Everything the rules saw in one text: the raw per-label logit and which rules fired. The
/// learned model uses these as features.
#[derive(Debug, Clone, Default)]
pub struct RuleOutcome {
    pub logit: [f64; 4],
    pub fired: Vec<usize>,
    pub hedged: bool,
    pub evidence: [Vec<Evidence>; 4],
    pub explain: [Option<String>; 4],
    pub hedge_explain: Option<String>,
    /// Whether any term of any group matched.
    pub any_hits: bool,
}

impl RuleOutcome {
    /// The outcome of a text in which no term of any group occurs.
    pub fn nothing(rules: &RuleSet) -> RuleOutcome {
        RuleOutcome {
            logit: std::array::from_fn(|l| rules.bias[l] - 3.0),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    pattern: usize,
    sentence: usize,
    clause: usize,
}

impl RuleSet {
    /// The rule files compiled into the binary.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut files: Vec<(String, String)> = BUILTIN_SIGNALS
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
            .map(|f| {
                (
                    format!("config/signals/{}", f.path().display()),
                    f.contents_utf8().unwrap_or_default().to_string(),
                )
            })
            .collect();
        files.sort();
        RuleSet::from_files(&files)
    }

    /// Every `*.toml` in a folder.
    pub fn load_dir(dir: &Path) -> Result<RuleSet, RuleError> {
        let entries = std::fs::read_dir(dir).map_err(|e| RuleError::Folder {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let mut files = Vec::new();
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "toml") {
                let text = std::fs::read_to_string(&p).map_err(|e| RuleError::File {
                    file: p.display().to_string(),
                    reason: e.to_string(),
                })?;
                files.push((p.display().to_string(), text));
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(RuleError::Folder {
                path: dir.to_path_buf(),
                reason: "no *.toml rule files in it".into(),
            });
        }
        RuleSet::from_files(&files)
    }

    /// Compiles (file name, text) pairs. Groups may be used across files.
    pub fn from_files(files: &[(String, String)]) -> Result<RuleSet, RuleError> {
        let mut parsed = Vec::new();
        for (name, text) in files {
            let raw: RawRuleFile = toml::from_str(text).map_err(|e| RuleError::File {
                file: name.clone(),
                reason: e.to_string(),
            })?;
            parsed.push((name.clone(), raw));
        }

        let mut version = Vec::new();
        let mut group_index: HashMap<String, usize> = HashMap::new();
        let mut groups = Vec::new();
        let mut term_groups: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        for (file, raw) in &parsed {
            if let Some(v) = &raw.version {
                version.push(v.clone());
            }
            for (gname, g) in &raw.groups {
                if group_index.contains_key(gname) {
                    return Err(RuleError::Item {
                        file: file.clone(),
                        item: format!("groups.{gname}"),
                        reason: "group defined twice".into(),
                    });
                }
                if g.terms.is_empty() {
                    return Err(RuleError::Item {
                        file: file.clone(),
                        item: format!("groups.{gname}"),
                        reason: "group has no terms".into(),
                    });
                }
                let gi = groups.len();
                if gi == MAX_GROUPS {
                    return Err(RuleError::Item {
                        file: file.clone(),
                        item: format!("groups.{gname}"),
                        reason: format!("more than {MAX_GROUPS} term groups in all"),
                    });
                }
                group_index.insert(gname.clone(), gi);
                groups.push(Group {
                    name: gname.clone(),
                });
                for (term, gloss) in &g.terms {
                    let term = crate::text::normalize(term).text;
                    if term.is_empty() || gloss.trim().is_empty() {
                        return Err(RuleError::Item {
                            file: file.clone(),
                            item: format!("groups.{gname}.{term}"),
                            reason: "every term needs a non-empty English gloss".into(),
                        });
                    }
                    let entry = term_groups
                        .entry(term)
                        .or_insert_with(|| (gloss.clone(), Vec::new()));
                    entry.1.push(gi);
                }
            }
        }

        let group = |file: &str, item: &str, name: &str| {
            group_index
                .get(name)
                .copied()
                .ok_or_else(|| RuleError::Item {
                    file: file.to_string(),
                    item: item.to_string(),
                    reason: format!("unknown group `{name}`"),
                })
        };
        let label = |file: &str, item: &str, name: &str| {
            name.parse::<Label>().map_err(|reason| RuleError::Item {
                file: file.to_string(),
                item: item.to_string(),
                reason,
            })
        };

        let mut bias = [-2.0; 4];
        let mut extra_rule = [default_extra(); 4];
        let mut us_group = None;
        let mut rules = Vec::new();
        let mut modifiers = Vec::new();
        let mut rule_ids = HashSet::new();
        for (file, raw) in &parsed {
            if let Some(ctx) = &raw.context {
                us_group = Some(group(file, "context.us_group", &ctx.us_group)?);
            }
            for (lname, l) in &raw.labels {
                let lab = label(file, &format!("labels.{lname}"), lname)?;
                bias[lab.index()] = l.bias;
                extra_rule[lab.index()] = l.extra_rule;
            }
            for r in &raw.rules {
                let item = format!("rules.{}", r.id);
                if !rule_ids.insert(r.id.clone()) {
                    return Err(RuleError::Item {
                        file: file.clone(),
                        item,
                        reason: "rule id used twice".into(),
                    });
                }
                if r.all.is_empty() {
                    return Err(RuleError::Item {
                        file: file.clone(),
                        item,
                        reason: "`all` must name at least one group".into(),
                    });
                }
                if !r.weight.is_finite() {
                    return Err(RuleError::Item {
                        file: file.clone(),
                        item,
                        reason: "weight must be a finite number".into(),
                    });
                }
                let all = r
                    .all
                    .iter()
                    .map(|g| group(file, &item, g))
                    .collect::<Result<Vec<_>, _>>()?;
                for cap in placeholders(&r.explain) {
                    if !r.all.iter().any(|g| g == cap) {
                        return Err(RuleError::Item {
                            file: file.clone(),
                            item,
                            reason: format!(
                                "explain uses `{{{cap}}}` but `{cap}` is not among the rule's groups"
                            ),
                        });
                    }
                }
                rules.push(Rule {
                    id: r.id.clone(),
                    label: label(file, &item, &r.label)?,
                    all_set: all.iter().fold(0, |set: GroupSet, &g| set | 1 << g),
                    all,
                    scope: r.scope,
                    weight: r.weight,
                    needs_us: r.needs_us,
                    post_needs: r
                        .post_needs
                        .as_deref()
                        .map(|g| group(file, &item, g))
                        .transpose()?,
                    explain: r.explain.clone(),
                });
            }
            for m in &raw.modifiers {
                let item = format!("modifiers.{}", m.id);
                let labels = m
                    .labels
                    .iter()
                    .map(|l| label(file, &item, l))
                    .collect::<Result<Vec<_>, _>>()?;
                modifiers.push(Modifier {
                    id: m.id.clone(),
                    kind: m.kind,
                    group: group(file, &item, &m.group)?,
                    weight: m.weight,
                    window: m.window,
                    labels,
                    unless: m
                        .unless
                        .as_deref()
                        .map(|g| group(file, &item, g))
                        .transpose()?,
                    explain: m.explain.clone(),
                });
            }
        }
        if rules.is_empty() {
            return Err(RuleError::File {
                file: files
                    .first()
                    .map(|f| f.0.clone())
                    .unwrap_or_else(|| "(none)".into()),
                reason: "no rules defined".into(),
            });
        }

        // A term that contains a US term names the US too (美国大豆, 中美元首): since a match
        // inside a longer match yields to it, the longer term must carry the US group.
        if let Some(us) = us_group {
            let us_terms: Vec<String> = term_groups
                .iter()
                .filter(|(t, (_, gs))| gs.contains(&us) && t.chars().count() >= 2)
                .map(|(t, _)| t.clone())
                .collect();
            let third: Vec<usize> = parsed
                .iter()
                .flat_map(|(_, raw)| raw.modifiers.iter())
                .filter(|m| m.kind == ModifierKind::ThirdCountry)
                .filter_map(|m| group_index.get(&m.group).copied())
                .collect();
            for (term, (_, gs)) in term_groups.iter_mut() {
                // 日韩myz names another pair, whatever its letters say.
                if gs.iter().any(|g| third.contains(g)) {
                    continue;
                }
                if !gs.contains(&us) && us_terms.iter().any(|u| term.contains(u.as_str())) {
                    gs.push(us);
                }
            }
        }
        let mut terms = Vec::new();
        let mut patterns = Vec::new();
        for (term, (gloss, gs)) in term_groups {
            terms.push(term);
            let groups = gs.iter().fold(0, |set: GroupSet, &g| set | 1 << g);
            patterns.push(Pattern { gloss, groups });
        }
        // A full DFA: a few hundred terms make it small, and it scans each text twice as fast
        // as the default contiguous NFA.
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&terms)
            .map_err(|e| RuleError::File {
                file: "config/signals".into(),
                reason: format!("cannot build the term matcher: {e}"),
            })?;
        Ok(RuleSet {
            version: if version.is_empty() {
                "rules".into()
            } else {
                version.join("+")
            },
            term_set: terms.iter().cloned().collect(),
            groups,
            patterns,
            terms,
            matcher,
            rules,
            modifiers,
            bias,
            extra_rule,
            us_group,
        })
    }

    /// Whether any term occurs in the (normalised) text at all, aligned with words or not.
    /// When none does, `outcome` finds no hits: a cheap test before segmenting.
    pub fn any_term_in(&self, text: &str) -> bool {
        self.matcher.is_match(text)
    }

    /// Every term, for the segmenter's dictionary.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(String::as_str)
    }

    /// Every (term, gloss) pair.
    pub fn glossary(&self) -> impl Iterator<Item = (&str, &str)> {
        self.terms
            .iter()
            .zip(&self.patterns)
            .map(|(t, p)| (t.as_str(), p.gloss.as_str()))
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    pub fn rule_id(&self, i: usize) -> &str {
        &self.rules[i].id
    }

    pub fn group_name(&self, i: usize) -> &str {
        &self.groups[i].name
    }

    fn hits(&self, seg: &Segmented) -> Vec<Hit> {
        let text = seg.norm.text.as_str();
        let tokens = &seg.tokens;
        // Sentence and clause ends: counted per token (punctuation is a token of its own), so
        // a match finds its place from its token without per-character tables.
        fn advance(place: (usize, usize), s: &str) -> (usize, usize) {
            s.chars().fold(place, |(s, c), ch| {
                if matches!(ch, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '\n' | '…') {
                    (s + 1, c + 1)
                } else if matches!(ch, '，' | ',' | '：' | ':' | '】' | '【') {
                    (s, c + 1)
                } else {
                    (s, c)
                }
            })
        }
        let mut place = Vec::with_capacity(tokens.len());
        let mut at = (0, 0);
        for t in tokens {
            place.push(at);
            // The marks are not word characters, so jieba gives each its own token: only
            // one-character tokens (at most 3 bytes for these) need looking at.
            if t.byte_end - t.byte_start <= 3 {
                at = advance(at, &text[t.byte_start..t.byte_end]);
            }
        }
        let mut hits = Vec::new();
        for m in self.matcher.find_overlapping_iter(text) {
            let (bs, be) = (m.start(), m.end());
            // The tokens holding the match's first and last bytes (tokens cover the text).
            let ta = tokens.partition_point(|t| t.byte_end <= bs);
            let tb = tokens.partition_point(|t| t.byte_end < be);
            let (Some(first), Some(last)) = (tokens.get(ta), tokens.get(tb)) else {
                continue;
            };
            if first.byte_start > bs || last.byte_start >= be {
                continue;
            }
            let a = first.start + text[first.byte_start..bs].chars().count();
            let b = last.start + text[last.byte_start..be].chars().count();
            let (starts_word, ends_word) = (first.byte_start == bs, last.byte_end == be);
            // Two-char and longer terms need one aligned edge (中美 in 中美元首); single
            // characters must be whole words (美 alone, not 拉美).
            let aligned = if b - a >= 2 {
                starts_word || ends_word
            } else {
                starts_word && ends_word
            };
            // A term inside one token that is itself a known term (磋商 inside 经贸磋商).
            let inside_term = ta == tb && self.term_set.contains(seg.word(first));
            if !(aligned || inside_term) {
                continue;
            }
            let (sentence, clause) = advance(place[ta], &text[first.byte_start..bs]);
            hits.push(Hit {
                start: a,
                end: b,
                pattern: m.pattern().as_usize(),
                sentence,
                clause,
            });
        }
        // A match inside a longer match yields to it (加征 inside 停止加征, 美 inside 朝美):
        // the longer term carries every group it belongs to.
        let contained = |h: &Hit| {
            hits.iter().any(|o| {
                o.start <= h.start && o.end >= h.end && (o.end - o.start) > (h.end - h.start)
            })
        };
        let kept: Vec<Hit> = hits.iter().filter(|h| !contained(h)).copied().collect();
        kept
    }

    fn groups_of(&self, h: &Hit) -> GroupSet {
        self.patterns[h.pattern].groups
    }

    fn in_group(&self, h: &Hit, g: usize) -> bool {
        has(self.groups_of(h), g)
    }

    /// Runs every rule and modifier; the raw material of `apply` and of the learned model.
    pub fn outcome(&self, seg: &Segmented) -> RuleOutcome {
        let hits = self.hits(seg);
        let mut out = RuleOutcome {
            any_hits: !hits.is_empty(),
            ..Default::default()
        };
        let in_post = hits
            .iter()
            .fold(0, |set: GroupSet, h| set | self.groups_of(h));
        let post_has_us = self.us_group.is_none_or(|g| has(in_post, g));
        let n_sentences = hits.iter().map(|h| h.sentence + 1).max().unwrap_or(0);

        // The hits of each sentence, in match order; built once for every rule.
        // With the groups each sentence has: a rule whose groups are not all there is skipped.
        let mut by_sentence: Vec<(GroupSet, Vec<&Hit>)> = vec![(0, Vec::new()); n_sentences];
        for h in &hits {
            let s = &mut by_sentence[h.sentence];
            s.0 |= self.groups_of(h);
            s.1.push(h);
        }
        // Best (score, evidence, rule) per label; the explanation is rendered once at the end.
        let mut best: [Option<(f64, Vec<Hit>, usize)>; 4] = Default::default();
        let mut fired_per_label = [0usize; 4];
        for (ri, rule) in self.rules.iter().enumerate() {
            if rule.needs_us && !post_has_us {
                continue;
            }
            if rule.post_needs.is_some_and(|g| !has(in_post, g)) {
                continue;
            }
            let li = rule.label.index();
            let mut fired = false;
            for (_, in_s) in by_sentence
                .iter()
                .filter(|s| s.0 & rule.all_set == rule.all_set)
            {
                if let Some((score, ev)) = self.fire_in_sentence(rule, in_s) {
                    fired = true;
                    if best[li].as_ref().is_none_or(|b| score > b.0) {
                        best[li] = Some((score, ev, ri));
                    }
                }
            }
            if fired {
                out.fired.push(ri);
                fired_per_label[li] += 1;
            }
        }

        let mut hedge = [0.0; 4];
        for m in self
            .modifiers
            .iter()
            .filter(|m| m.kind == ModifierKind::Hedge)
        {
            if has(in_post, m.group) {
                out.hedged = true;
                if out.hedge_explain.is_none() {
                    out.hedge_explain = m.explain.clone();
                }
                for l in Label::ALL {
                    if m.applies(l) {
                        hedge[l.index()] += m.weight;
                    }
                }
            }
        }

        for l in Label::ALL {
            let li = l.index();
            match &best[li] {
                Some((score, ev, ri)) => {
                    let extra =
                        (fired_per_label[li].saturating_sub(1)).min(3) as f64 * self.extra_rule[li];
                    out.logit[li] = self.bias[li] + score + extra + hedge[li];
                    out.evidence[li] = self.evidence(seg, ev);
                    out.explain[li] = Some(self.render(&self.rules[*ri], ev));
                }
                None => out.logit[li] = self.bias[li] - 3.0,
            }
        }
        out
    }

    /// Does `rule` fire within one sentence? Returns the sentence score and evidence hits.
    fn fire_in_sentence(&self, rule: &Rule, in_s: &[&Hit]) -> Option<(f64, Vec<Hit>)> {
        let anchor_group = rule.all[0];
        let anchors: Vec<&Hit> = in_s
            .iter()
            .copied()
            .filter(|h| self.in_group(h, anchor_group))
            .filter(|a| !self.negated(rule.label, a, in_s))
            .collect();
        if anchors.is_empty() {
            return None;
        }
        for anchor in anchors {
            if self.other_counterpart(rule.label, anchor, in_s) {
                continue;
            }
            let mut ev = vec![*anchor];
            let mut ok = true;
            for &g in &rule.all[1..] {
                let found = in_s.iter().find(|h| {
                    self.in_group(h, g)
                        && (rule.scope == Scope::Sentence || h.clause == anchor.clause)
                        && !(h.start == anchor.start && h.end == anchor.end)
                });
                match found {
                    Some(h) => ev.push(**h),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            let mut score = rule.weight;
            for m in self
                .modifiers
                .iter()
                .filter(|m| m.kind == ModifierKind::Penalty && m.applies(rule.label))
            {
                let cancelled = m
                    .unless
                    .is_some_and(|u| in_s.iter().any(|h| self.in_group(h, u)));
                if !cancelled && in_s.iter().any(|h| self.in_group(h, m.group)) {
                    score += m.weight;
                }
            }
            return Some((score, ev));
        }
        None
    }

    /// A third country in the anchor's clause, with no US term there: about someone else.
    fn other_counterpart(&self, label: Label, anchor: &Hit, in_s: &[&Hit]) -> bool {
        self.modifiers
            .iter()
            .filter(|m| m.kind == ModifierKind::ThirdCountry && m.applies(label))
            .any(|m| {
                let in_clause = |g: usize| {
                    in_s.iter()
                        .any(|h| h.clause == anchor.clause && self.in_group(h, g))
                };
                in_clause(m.group) && !self.us_group.is_some_and(in_clause)
            })
    }

    fn negated(&self, label: Label, anchor: &Hit, in_s: &[&Hit]) -> bool {
        self.modifiers.iter().any(|m| match m.kind {
            ModifierKind::Negation if m.applies(label) => in_s.iter().any(|h| {
                self.in_group(h, m.group)
                    && h.clause == anchor.clause
                    && h.end <= anchor.start
                    && anchor.start - h.end <= m.window
            }),
            ModifierKind::DenialAfter if m.applies(label) => in_s
                .iter()
                .any(|h| self.in_group(h, m.group) && h.start >= anchor.end),
            _ => false,
        })
    }

    fn render(&self, rule: &Rule, ev: &[Hit]) -> String {
        let mut out = rule.explain.clone();
        for (gi, h) in rule.all.iter().zip(ev) {
            let key = format!("{{{}}}", self.groups[*gi].name);
            out = out.replace(&key, &self.patterns[h.pattern].gloss);
        }
        out
    }

    fn evidence(&self, seg: &Segmented, hits: &[Hit]) -> Vec<Evidence> {
        // A handful of hits: a linear scan beats hashing.
        let mut seen: Vec<(usize, usize)> = Vec::with_capacity(hits.len());
        hits.iter()
            .filter(|h| {
                let span = (h.start, h.end);
                let new = !seen.contains(&span);
                seen.push(span);
                new
            })
            .map(|h| {
                let (start, end) = seg.norm.original_span(h.start, h.end);
                Evidence {
                    term: self.terms[h.pattern].clone(),
                    start,
                    end,
                    gloss: self.patterns[h.pattern].gloss.clone(),
                }
            })
            .collect()
    }

    /// Rules only: logits through a sigmoid, labels at or above the report threshold.
    pub fn apply(&self, seg: &Segmented) -> Classification {
        let out = self.outcome(seg);
        let probs = out.logit.map(sigmoid);
        finish(&out, probs, &self.version)
    }
}

/// Builds the final classification from per-label probabilities and the rules' evidence.
pub fn finish(out: &RuleOutcome, probs: [f64; 4], version: &str) -> Classification {
    let mut labels: Vec<LabelScore> = Label::ALL
        .into_iter()
        .filter(|l| probs[l.index()] >= REPORT_THRESHOLD)
        .map(|l| LabelScore {
            label: l,
            score: (probs[l.index()] * 1000.0).round() / 1000.0,
            evidence: out.evidence[l.index()].clone(),
        })
        .collect();
    labels.sort_by(|a, b| b.score.total_cmp(&a.score));
    // A label the learned model reports where no rule fired has no rule to explain it; say so
    // rather than "no signal" beside a reported label.
    let mut parts: Vec<String> = labels
        .iter()
        .map(|l| {
            out.explain[l.label.index()].clone().unwrap_or_else(|| {
                format!(
                    "{} suggested by the learned model (no rule matched)",
                    l.label.english()
                )
            })
        })
        .collect();
    parts.dedup();
    let explanation = if parts.is_empty() {
        "No US–China trade signal found.".to_string()
    } else {
        let mut s = parts.join("; ");
        if let Some(h) = out.hedge_explain.as_ref().filter(|_| out.hedged) {
            s.push_str("; ");
            s.push_str(h);
        }
        s
    };
    Classification {
        labels,
        explanation,
        version: version.to_string(),
    }
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn placeholders(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) => {
                out.push(&after[..j]);
                rest = &after[j + 1..];
            }
            None => break,
        }
    }
    out
}
