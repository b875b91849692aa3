//! The event codebook (config/codebook/*.toml): actors resolved to sides, actions with a
//! direction and English sentence forms, instruments, trade topics and the cues that set an
//! event's mode. In the manner of the PETRARCH/PLOVER dictionaries (actors, agents, verbs),
//! written for Chinese trade news. Loading validates every file and names file, entry and
//! reason; the compiled codebook is shared by every classification.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};
use include_dir::{include_dir, Dir};
use serde::Deserialize;

use super::Label;

static BUILTIN_CODEBOOK: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/config/codebook");

#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    #[error("codebook file `{file}`: {reason}")]
    File { file: String, reason: String },
    #[error("codebook file `{file}`, `{item}`: {reason}")]
    Item {
        file: String,
        item: String,
        reason: String,
    },
    #[error("cannot read codebook folder `{}`: {reason}", path.display())]
    Folder { path: PathBuf, reason: String },
}

// ----- raw form ------------------------------------------------------------------------------

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Option<String>,
    /// Characters between a negation cue and the action it negates.
    window: Option<usize>,
    #[serde(default)]
    sides: BTreeMap<String, RawSide>,
    pairs: Option<RawTerms>,
    places: Option<RawTerms>,
    ignore: Option<RawList>,
    #[serde(default)]
    actions: BTreeMap<String, RawAction>,
    #[serde(default)]
    instruments: BTreeMap<String, RawInstrument>,
    topics: Option<RawTerms>,
    goods: Option<RawTerms>,
    #[serde(default)]
    cues: BTreeMap<String, RawTerms>,
}

// No `deny_unknown_fields` here: serde cannot combine it with `flatten`; an unknown key
// fails as an officials table without `terms`.
#[derive(Debug, Deserialize)]
struct RawSide {
    name: String,
    adjective: String,
    #[serde(default)]
    terms: BTreeMap<String, String>,
    /// Named groups of officials: `[sides.CHN.officials] trade = true, terms = {…}`.
    #[serde(flatten)]
    groups: BTreeMap<String, RawOfficials>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOfficials {
    #[serde(default)]
    trade: bool,
    terms: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerms {
    terms: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    terms: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    class: String,
    base: String,
    past: String,
    #[serde(default)]
    noun: Option<String>,
    #[serde(default)]
    instrument: Option<String>,
    #[serde(default)]
    needs_object: bool,
    /// The verb counts only with an instrument named in its clause; a topic is not enough.
    #[serde(default)]
    needs_instrument: bool,
    #[serde(default)]
    ease_too: bool,
    /// The verb alone is trade context (加征, 停止加征): it needs no trade word beside it.
    #[serde(default)]
    trade: bool,
    terms: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    en: String,
    #[serde(default)]
    list: bool,
    #[serde(default)]
    firms: bool,
    terms: BTreeMap<String, String>,
}

// ----- compiled form -------------------------------------------------------------------------

/// Index of a side in `Codebook::sides`; 0 is China and 1 the US.
pub type SideId = u8;
pub const CHN: SideId = 0;
pub const USA: SideId = 1;

#[derive(Debug, Clone)]
pub struct Side {
    pub code: String,
    pub name: String,
    pub adjective: String,
}

/// What an action stands for: the label its events carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionClass {
    Talks,
    Ease,
    Escalate,
    Purchase,
}

impl ActionClass {
    pub fn label(self) -> Label {
        match self {
            ActionClass::Talks => Label::Talks,
            ActionClass::Ease => Label::DeEscalation,
            ActionClass::Escalate => Label::Escalation,
            ActionClass::Purchase => Label::Purchase,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Action {
    pub id: String,
    pub class: ActionClass,
    pub base: String,
    pub past: String,
    pub noun: Option<String>,
    pub instrument: Option<u8>,
    pub needs_object: bool,
    pub needs_instrument: bool,
    pub ease_too: bool,
    pub trade: bool,
}

#[derive(Debug, Clone)]
pub struct Instrument {
    pub id: String,
    pub en: String,
    pub list: bool,
    /// The terms name firms (华为): the object of a restriction or its lifting, but no trade
    /// context by themselves (a firm's name is news, not trade).
    pub firms: bool,
}

/// The cues of config/codebook/40-cues.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    Negation,
    Denial,
    DenialAfter,
    Conditional,
    Planned,
    Threat,
    Principle,
    Concrete,
    Recap,
    Hedge,
    Demand,
    OffTopic,
    /// Marks what follows in its clause as the subject spoken about (关于…，至于…).
    Topic,
    /// Whether an act happens is in question (是否应对华加征关税存在争议): no event.
    Whether,
    /// Marks the talks or agreement after it in its clause as what was breached (违背…共识).
    Breach,
    /// A measure kept as it is (保留10%对等关税) beside an easing: the status quo, not a new
    /// imposition.
    Retain,
    /// A plan that was overtaken (原计划对…加征关税，…推迟): the act after it in its clause
    /// is mentioned, not done.
    Superseded,
}

impl Cue {
    fn parse(s: &str) -> Option<Cue> {
        Some(match s {
            "negation" => Cue::Negation,
            "denial" => Cue::Denial,
            "denial_after" => Cue::DenialAfter,
            "conditional" => Cue::Conditional,
            "planned" => Cue::Planned,
            "threat" => Cue::Threat,
            "principle" => Cue::Principle,
            "concrete" => Cue::Concrete,
            "recap" => Cue::Recap,
            "hedge" => Cue::Hedge,
            "demand" => Cue::Demand,
            "off_topic" => Cue::OffTopic,
            "topic" => Cue::Topic,
            "breach" => Cue::Breach,
            "whether" => Cue::Whether,
            "retain" => Cue::Retain,
            "superseded" => Cue::Superseded,
            _ => return None,
        })
    }
}

/// Who a pair word names: two sides, or "the pair the post is about" (双方, 两国).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pair {
    Sides(SideId, SideId),
    Both,
}

/// One meaning of a term; a term can have several (加征关税: impose + tariff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Side(SideId),
    Pair(Pair),
    Place,
    Action(u8),
    Instrument(u8),
    Topic,
    Goods,
    Cue(Cue),
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub term: String,
    pub gloss: String,
    pub kinds: Vec<Kind>,
    /// A negotiator's name or a named trade process: the mention alone is trade context.
    pub trade: bool,
}

impl Pattern {
    pub fn has(&self, f: impl Fn(&Kind) -> bool) -> bool {
        self.kinds.iter().any(f)
    }
}

/// The compiled codebook, built once per process.
#[derive(Debug)]
pub struct Codebook {
    pub version: String,
    pub window: usize,
    pub sides: Vec<Side>,
    pub actions: Vec<Action>,
    pub instruments: Vec<Instrument>,
    pub patterns: Vec<Pattern>,
    pub(crate) matcher: AhoCorasick,
}

/// Terms of a named-process kind ("经贸磋商", "关税谈判") carry their own trade context.
const TRADE_MARKS: [&str; 5] = ["经贸", "贸易", "关税", "牵头人", "经济对话"];

impl Codebook {
    /// The codebook files compiled into the binary.
    pub fn builtin() -> Result<Codebook, CodebookError> {
        let mut files: Vec<(String, String)> = BUILTIN_CODEBOOK
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
            .map(|f| {
                (
                    format!("config/codebook/{}", f.path().display()),
                    f.contents_utf8().unwrap_or_default().to_string(),
                )
            })
            .collect();
        files.sort();
        Codebook::from_files(&files)
    }

    /// Every `*.toml` of a folder, in name order.
    pub fn load_dir(dir: &Path) -> Result<Codebook, CodebookError> {
        let folder_err = |e: std::io::Error| CodebookError::Folder {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(folder_err)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        let mut files = Vec::with_capacity(paths.len());
        for p in paths {
            let text = std::fs::read_to_string(&p).map_err(|e| CodebookError::File {
                file: p.display().to_string(),
                reason: e.to_string(),
            })?;
            files.push((p.display().to_string(), text));
        }
        if files.is_empty() {
            return Err(CodebookError::Folder {
                path: dir.to_path_buf(),
                reason: "no .toml codebook files in it".into(),
            });
        }
        Codebook::from_files(&files)
    }

    /// Compiles (file name, text) pairs. Entries of later files add to earlier ones.
    pub fn from_files(files: &[(String, String)]) -> Result<Codebook, CodebookError> {
        let mut b = Builder::default();
        b.sides.push(side("CHN", "China", "Chinese"));
        b.sides.push(side("USA", "the US", "US"));
        let mut parsed = Vec::with_capacity(files.len());
        for (file, text) in files {
            let raw: RawFile = toml::from_str(text).map_err(|e| CodebookError::File {
                file: file.clone(),
                reason: e.to_string(),
            })?;
            parsed.push((file.clone(), raw));
        }
        // Sides, actions and instruments first: pairs and terms refer to them by name.
        for (file, raw) in &parsed {
            b.declare_sides_and_instruments(file, raw)?;
        }
        for (file, raw) in &parsed {
            b.declare_actions(file, raw)?;
        }
        if b.actions.len() > 255 || b.instruments.len() > 255 {
            return Err(CodebookError::File {
                file: "config/codebook".into(),
                reason: "more than 255 actions or instruments".into(),
            });
        }
        let mut version = Vec::new();
        let mut window = None;
        for (file, raw) in &parsed {
            if let Some(v) = &raw.version {
                version.push(v.clone());
            }
            if raw.window.is_some() {
                window = raw.window;
            }
            b.add_terms(file, raw)?;
        }
        if b.actions.is_empty() {
            return Err(CodebookError::File {
                file: files
                    .first()
                    .map(|f| f.0.clone())
                    .unwrap_or_else(|| "(none)".into()),
                reason: "no actions defined".into(),
            });
        }
        let version = if version.is_empty() {
            "codebook".into()
        } else {
            version.join("+")
        };
        b.finish(version, window.unwrap_or(6))
    }

    /// Every term that means something, for the segmenter's dictionary.
    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.patterns
            .iter()
            .filter(|p| !p.kinds.is_empty() && p.term.chars().count() >= 2)
            .map(|p| p.term.as_str())
    }

    /// Every (term, gloss) pair with a meaning.
    pub fn glossary(&self) -> impl Iterator<Item = (&str, &str)> {
        self.patterns
            .iter()
            .filter(|p| !p.kinds.is_empty())
            .map(|p| (p.term.as_str(), p.gloss.as_str()))
    }

    pub fn side(&self, id: SideId) -> &Side {
        &self.sides[id as usize]
    }
}

fn side(code: &str, name: &str, adjective: &str) -> Side {
    Side {
        code: code.into(),
        name: name.into(),
        adjective: adjective.into(),
    }
}

fn item(file: &str, item: &str, reason: &str) -> CodebookError {
    CodebookError::Item {
        file: file.into(),
        item: item.into(),
        reason: reason.into(),
    }
}

#[derive(Default)]
struct Builder {
    sides: Vec<Side>,
    actions: Vec<Action>,
    instruments: Vec<Instrument>,
    patterns: Vec<Pattern>,
    index: std::collections::HashMap<String, usize>,
    ignore: Vec<String>,
}

impl Builder {
    fn declare_sides_and_instruments(
        &mut self,
        file: &str,
        raw: &RawFile,
    ) -> Result<(), CodebookError> {
        for (code, s) in &raw.sides {
            let id = self.side_id(code).unwrap_or_else(|| {
                self.sides.push(side(code, "", ""));
                (self.sides.len() - 1) as SideId
            });
            self.sides[id as usize].name = s.name.clone();
            self.sides[id as usize].adjective = s.adjective.clone();
            if self.sides.len() > 64 {
                return Err(item(file, &format!("sides.{code}"), "more than 64 sides"));
            }
        }
        for (id, i) in &raw.instruments {
            self.instruments.push(Instrument {
                id: id.clone(),
                en: i.en.clone(),
                list: i.list,
                firms: i.firms,
            });
        }
        Ok(())
    }

    fn declare_actions(&mut self, file: &str, raw: &RawFile) -> Result<(), CodebookError> {
        for (id, a) in &raw.actions {
            let name = format!("actions.{id}");
            let class = match a.class.as_str() {
                "talks" => ActionClass::Talks,
                "ease" => ActionClass::Ease,
                "escalate" => ActionClass::Escalate,
                "purchase" => ActionClass::Purchase,
                other => {
                    return Err(item(
                        file,
                        &name,
                        &format!("class `{other}` is not one of talks, ease, escalate, purchase"),
                    ))
                }
            };
            let instrument = match &a.instrument {
                Some(i) => Some(
                    self.instrument_id(i)
                        .ok_or_else(|| item(file, &name, &format!("unknown instrument `{i}`")))?,
                ),
                None => None,
            };
            self.actions.push(Action {
                id: id.clone(),
                class,
                base: a.base.clone(),
                past: a.past.clone(),
                noun: a.noun.clone(),
                instrument,
                needs_object: a.needs_object,
                needs_instrument: a.needs_instrument,
                ease_too: a.ease_too,
                trade: a.trade,
            });
        }
        Ok(())
    }

    /// Every term of one file, under the sides, actions and instruments declared before.
    fn add_terms(&mut self, file: &str, raw: &RawFile) -> Result<(), CodebookError> {
        for (code, s) in &raw.sides {
            let id = self.side_id(code).unwrap_or(CHN);
            for (t, g) in &s.terms {
                self.term(file, t, g, Kind::Side(id), false)?;
            }
            for o in s.groups.values() {
                for (t, g) in &o.terms {
                    self.term(file, t, g, Kind::Side(id), o.trade)?;
                }
            }
        }
        if let Some(p) = &raw.pairs {
            for (t, spec) in &p.terms {
                let pair = if spec == "BOTH" {
                    Pair::Both
                } else {
                    let parts: Vec<&str> = spec.split(',').map(str::trim).collect();
                    match parts[..] {
                        [x, y] => match (self.side_id(x), self.side_id(y)) {
                            (Some(x), Some(y)) => Pair::Sides(x, y),
                            _ => {
                                return Err(item(
                                    file,
                                    &format!("pairs.{t}"),
                                    &format!("`{spec}` names a side with no [sides.…] entry"),
                                ))
                            }
                        },
                        _ => {
                            return Err(item(
                                file,
                                &format!("pairs.{t}"),
                                "expected `BOTH` or two side codes such as `CHN,USA`",
                            ))
                        }
                    }
                };
                let gloss = match pair {
                    Pair::Both => "both sides".to_string(),
                    Pair::Sides(x, y) => {
                        format!(
                            "{} and {}",
                            self.sides[x as usize].name, self.sides[y as usize].name
                        )
                    }
                };
                let trade = TRADE_MARKS.iter().any(|m| t.contains(m));
                self.term(file, t, &gloss, Kind::Pair(pair), trade)?;
            }
        }
        if let Some(p) = &raw.places {
            for (t, g) in &p.terms {
                self.term(file, t, g, Kind::Place, false)?;
            }
        }
        if let Some(ig) = &raw.ignore {
            for t in &ig.terms {
                self.ignore.push(t.to_lowercase());
            }
        }
        for (id, a) in &raw.actions {
            let ai = self.actions.iter().position(|x| &x.id == id).unwrap_or(0) as u8;
            for (t, g) in &a.terms {
                let trade = TRADE_MARKS.iter().any(|m| t.contains(m));
                self.term(file, t, g, Kind::Action(ai), trade)?;
            }
        }
        for (id, i) in &raw.instruments {
            let ii = self.instrument_id(id).unwrap_or(0);
            for (t, g) in &i.terms {
                self.term(file, t, g, Kind::Instrument(ii), false)?;
            }
        }
        if let Some(p) = &raw.topics {
            for (t, g) in &p.terms {
                self.term(file, t, g, Kind::Topic, false)?;
            }
        }
        if let Some(p) = &raw.goods {
            for (t, g) in &p.terms {
                self.term(file, t, g, Kind::Goods, false)?;
            }
        }
        for (name, c) in &raw.cues {
            let cue = Cue::parse(name).ok_or_else(|| {
                item(
                    file,
                    &format!("cues.{name}"),
                    "unknown cue; expected negation, denial, denial_after, conditional, \
                     planned, threat, principle, concrete, recap, hedge, demand, off_topic, topic or breach",
                )
            })?;
            for (t, g) in &c.terms {
                self.term(file, t, g, Kind::Cue(cue), false)?;
            }
        }
        Ok(())
    }

    /// The patterns with the ignored words, and the matcher over them.
    fn finish(mut self, version: String, window: usize) -> Result<Codebook, CodebookError> {
        // Ignored words are patterns with no meaning: as the longer match they hide the
        // one-character cue or side inside them (如期 hides 如, 美元 hides 美).
        for t in std::mem::take(&mut self.ignore) {
            if !self.index.contains_key(&t) {
                self.index.insert(t.clone(), self.patterns.len());
                self.patterns.push(Pattern {
                    term: t,
                    gloss: String::new(),
                    kinds: Vec::new(),
                    trade: false,
                });
            }
        }
        let terms: Vec<&str> = self.patterns.iter().map(|p| p.term.as_str()).collect();
        // Leftmost-longest: the longest term at a place wins, so 停止加征 is one easing
        // rather than a stop and an imposition, and 美元 is not the US.
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&terms)
            .map_err(|e| CodebookError::File {
                file: "config/codebook".into(),
                reason: format!("cannot build the term matcher: {e}"),
            })?;
        Ok(Codebook {
            version,
            window,
            sides: std::mem::take(&mut self.sides),
            actions: std::mem::take(&mut self.actions),
            instruments: std::mem::take(&mut self.instruments),
            patterns: std::mem::take(&mut self.patterns),
            matcher,
        })
    }
    fn side_id(&self, code: &str) -> Option<SideId> {
        self.sides
            .iter()
            .position(|s| s.code == code)
            .map(|i| i as SideId)
    }

    fn instrument_id(&self, id: &str) -> Option<u8> {
        self.instruments
            .iter()
            .position(|s| s.id == id)
            .map(|i| i as u8)
    }

    /// Adds one meaning of a term; a term seen before keeps its first gloss and gains the
    /// meaning.
    fn term(
        &mut self,
        file: &str,
        term: &str,
        gloss: &str,
        kind: Kind,
        trade: bool,
    ) -> Result<(), CodebookError> {
        let t = term.trim().to_lowercase();
        if t.is_empty() {
            return Err(item(file, term, "empty term"));
        }
        match self.index.get(&t) {
            Some(&i) => {
                let p = &mut self.patterns[i];
                if !p.kinds.contains(&kind) {
                    p.kinds.push(kind);
                }
                p.trade |= trade;
            }
            None => {
                self.index.insert(t.clone(), self.patterns.len());
                self.patterns.push(Pattern {
                    term: t,
                    gloss: gloss.to_string(),
                    kinds: vec![kind],
                    trade,
                });
            }
        }
        Ok(())
    }
}
