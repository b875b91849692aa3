//! Reading configuration files into one TOML value tree before anything is validated:
//! `include`d lists (paths relative to the including file; the shipped lists are compiled in),
//! `[overrides.<id>]` tables that change an included source without copying it, and a lenient
//! deserialization that reports every unknown key and bad value instead of stopping at the
//! first (a bad value is reported, then left out, and the rest is read again).

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

use super::ConfigProblem;

/// The files compiled into the binary, by their path under `config/`: the default
/// configuration and the watch lists it includes, so `windvane run` without a file works
/// anywhere.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("windvane.toml", include_str!("../../config/windvane.toml")),
    (
        "watchlists/state-media.toml",
        include_str!("../../config/watchlists/state-media.toml"),
    ),
];

/// How deep includes may nest (a list including a list …); deeper is reported, which also
/// stops a cycle the identity check could miss (the same file under two names).
pub const MAX_INCLUDE_DEPTH: usize = 8;

/// Rounds of "report the bad value, leave it out, read again" before giving up.
const MAX_LENIENT_PASSES: usize = 200;

/// Where a configuration file's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRef {
    Disk(PathBuf),
    /// A compiled-in file, by its path under `config/`.
    Builtin(String),
}

impl FileRef {
    /// How errors and `check-config` name the file.
    pub fn display(&self) -> String {
        match self {
            FileRef::Disk(p) => p.display().to_string(),
            FileRef::Builtin(name) => format!("<built-in config/{name}>"),
        }
    }

    /// The folder relative paths in this file resolve against (the current folder for
    /// built-in files, as before includes existed).
    pub fn base(&self) -> PathBuf {
        match self {
            FileRef::Disk(p) => p.parent().map(Path::to_path_buf).unwrap_or_default(),
            FileRef::Builtin(_) => PathBuf::new(),
        }
    }

    /// The same file reached twice has the same identity (canonical path on disk).
    fn identity(&self) -> String {
        match self {
            FileRef::Disk(p) => std::fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string(),
            FileRef::Builtin(name) => format!("builtin:{name}"),
        }
    }
}

pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// `a/./b/../c.toml` → `a/c.toml`; `None` when it climbs above its start or is absolute.
fn normalize(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

/// Finds the file an `include` entry names: relative to the including file; for a file on
/// disk whose list is not there, the compiled-in copy of the same path (so a config copied
/// out of the repository still finds `watchlists/state-media.toml`; `check-config` shows which).
fn resolve(spec: &str, from: &FileRef) -> Result<(FileRef, String), String> {
    match from {
        FileRef::Disk(p) => {
            let path = if Path::new(spec).is_absolute() {
                PathBuf::from(spec)
            } else {
                p.parent().unwrap_or(Path::new("")).join(spec)
            };
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok((FileRef::Disk(path), text)),
                Err(e) => {
                    let shipped = (e.kind() == std::io::ErrorKind::NotFound)
                        .then(|| normalize(Path::new(spec)))
                        .flatten()
                        .and_then(|n| builtin(&n).map(|t| (n, t)));
                    match shipped {
                        Some((name, text)) => Ok((FileRef::Builtin(name), text.to_string())),
                        None => Err(format!("cannot read `{}`: {e}", path.display())),
                    }
                }
            }
        }
        FileRef::Builtin(name) => {
            let joined = Path::new(name).parent().unwrap_or(Path::new("")).join(spec);
            normalize(&joined)
                .and_then(|n| builtin(&n).map(|t| (FileRef::Builtin(n), t.to_string())))
                .ok_or_else(|| {
                    let names: Vec<_> = BUILTIN_FILES.iter().map(|(n, _)| *n).collect();
                    format!(
                        "`{spec}` is not a built-in file (the built-in config can include: {})",
                        names.join(", ")
                    )
                })
        }
    }
}

/// Where one source of the merged list was written.
#[derive(Debug, Clone)]
pub struct SourceOrigin {
    /// The file, as errors name it.
    pub file: String,
    /// Its index among that file's `[[sources]]`.
    pub index: usize,
    /// The folder its relative paths (`cookie_file`) resolve against.
    pub base: PathBuf,
    /// The source's id, when it has a string one.
    pub id: Option<String>,
    /// Keys set by `[overrides.<id>]` in the main file: their problems are reported there.
    pub overridden: BTreeSet<String>,
}

/// Every problem of one configuration, each named by the file and key it is about. Keys are
/// given as paths in the merged tree (`sources[7].schedule`) and translated back to the file
/// that wrote them (`watchlists/state-media.toml`: `sources[2].schedule`, or
/// `overrides.<id>.schedule` in the main file).
#[derive(Debug, Default)]
pub struct Problems {
    pub root_file: String,
    pub origins: Vec<SourceOrigin>,
    /// Keys whose value was bad and left out: a later "missing" report for them (or for a key
    /// under them) would only repeat the first.
    dead: Vec<(String, String)>,
    pub list: Vec<ConfigProblem>,
}

impl Problems {
    pub fn new(root_file: String) -> Problems {
        Problems {
            root_file,
            ..Problems::default()
        }
    }

    /// A problem at a key of the merged tree.
    pub fn push(&mut self, key: impl Into<String>, message: impl Into<String>) {
        let (file, key) = self.locate(&key.into());
        let under = |dead: &str| {
            key == dead
                || key
                    .strip_prefix(dead)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        };
        if self.dead.iter().any(|(f, d)| *f == file && under(d)) {
            return;
        }
        self.list.push(ConfigProblem {
            file,
            key,
            message: message.into(),
        });
    }

    /// A problem in a named file (includes and overrides, before the tree is merged).
    pub fn push_in(&mut self, file: &str, key: impl Into<String>, message: impl Into<String>) {
        self.list.push(ConfigProblem {
            file: file.to_string(),
            key: key.into(),
            message: message.into(),
        });
    }

    fn push_dead(&mut self, key: String, message: String) {
        self.push(key.clone(), message);
        self.dead.push(self.locate(&key));
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The file and key a merged-tree key was written as.
    pub fn locate(&self, key: &str) -> (String, String) {
        let parsed = key.strip_prefix("sources[").and_then(|rest| {
            let (n, tail) = rest.split_once(']')?;
            Some((n.parse::<usize>().ok()?, tail))
        });
        if let Some((i, tail)) = parsed {
            if let Some(o) = self.origins.get(i) {
                let field = tail
                    .strip_prefix('.')
                    .and_then(|t| t.split(['.', '[']).next());
                if let (Some(field), Some(id)) = (field, &o.id) {
                    if o.overridden.contains(field) {
                        return (self.root_file.clone(), format!("overrides.{id}{tail}"));
                    }
                }
                return (o.file.clone(), format!("sources[{}]{tail}", o.index));
            }
        }
        (self.root_file.clone(), key.to_string())
    }
}

/// Parses TOML text; a syntax error becomes a problem naming the file, the key near it and
/// its line and column.
pub fn parse_table(text: &str, file: &str, problems: &mut Problems) -> Option<toml::Table> {
    match text.parse::<toml::Table>() {
        Ok(t) => Some(t),
        Err(e) => {
            problems.push_in(
                file,
                toml_error_key(text, &e),
                e.message().to_string() + &toml_error_location(text, &e).unwrap_or_default(),
            );
            None
        }
    }
}

/// The main file with its includes resolved and overrides applied: one tree whose `sources`
/// is the merged list, and where each source came from (`problems.origins`).
pub fn merge(text: &str, root: &FileRef, problems: &mut Problems) -> Option<toml::Table> {
    let root_file = root.display();
    let mut table = parse_table(text, &root_file, problems)?;
    let specs = take_includes(&mut table, &root_file, problems);
    let overrides = match table.remove("overrides") {
        None => toml::Table::new(),
        Some(toml::Value::Table(t)) => t,
        Some(_) => {
            problems.push_in(
                &root_file,
                "overrides",
                "must be tables: `[overrides.<source id>]` with the keys to change",
            );
            toml::Table::new()
        }
    };

    let mut merged: Vec<(toml::Value, SourceOrigin)> = Vec::new();
    let mut stack = vec![(root.identity(), root_file.clone())];
    let mut seen = HashMap::new();
    for (k, spec) in specs {
        include(
            &spec,
            root,
            &format!("include[{k}]"),
            &mut stack,
            &mut seen,
            &mut merged,
            problems,
        );
    }
    let own = take_sources(&mut table, root, problems);
    merged.extend(own);

    // One id, one source, across every file.
    let mut by_id: HashMap<String, (String, usize)> = HashMap::new();
    let mut kept = Vec::with_capacity(merged.len());
    for (value, origin) in merged {
        if let Some(id) = &origin.id {
            if let Some((file, index)) = by_id.get(id) {
                let message = if *file == origin.file {
                    format!("`{id}` is also the id of sources[{index}] in this file; source ids must be unique")
                } else {
                    format!(
                        "`{id}` is also the id of sources[{index}] in `{file}`; source ids must be unique across a config and the files it includes; give one of them another id"
                    )
                };
                problems.push_in(
                    &origin.file,
                    format!("sources[{}].id", origin.index),
                    message,
                );
                continue;
            }
            by_id.insert(id.clone(), (origin.file.clone(), origin.index));
        }
        kept.push((value, origin));
    }

    for (id, changes) in overrides {
        let key = format!("overrides.{id}");
        let toml::Value::Table(changes) = changes else {
            problems.push_in(
                &root_file,
                key,
                "must be a table of the source keys to change",
            );
            continue;
        };
        let Some((value, origin)) = kept
            .iter_mut()
            .find(|(_, o)| o.id.as_deref() == Some(id.as_str()))
        else {
            problems.push_in(
                &root_file,
                key,
                format!("no included source has the id `{id}` (`windvane check-config` lists the sources and their ids)"),
            );
            continue;
        };
        if origin.file == root_file {
            problems.push_in(
                &root_file,
                key,
                format!("`{id}` is defined in this file; change it there"),
            );
            continue;
        }
        let Some(source) = value.as_table_mut() else {
            continue;
        };
        for (k, v) in changes {
            if k == "id" || k == "kind" {
                problems.push_in(
                    &root_file,
                    format!("{key}.{k}"),
                    format!("`{k}` cannot be overridden: it is what the source is; write a source of your own instead"),
                );
                continue;
            }
            // An account is a uid or a screen name: setting one replaces the other.
            let other = match k.as_str() {
                "uid" => Some("screen_name"),
                "screen_name" => Some("uid"),
                _ => None,
            };
            if let Some(other) = other {
                source.remove(other);
            }
            source.insert(k.clone(), v);
            origin.overridden.insert(k);
        }
    }

    let (values, origins): (Vec<_>, Vec<_>) = kept.into_iter().unzip();
    table.insert("sources".into(), toml::Value::Array(values));
    problems.origins = origins;
    Some(table)
}

/// Removes and returns the `include` list of a file's table.
fn take_includes(
    table: &mut toml::Table,
    file: &str,
    problems: &mut Problems,
) -> Vec<(usize, String)> {
    match table.remove("include") {
        None => Vec::new(),
        Some(toml::Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .filter_map(|(k, v)| match v {
                toml::Value::String(s) => Some((k, s)),
                _ => {
                    problems.push_in(
                        file,
                        format!("include[{k}]"),
                        "must be a file path (a string)",
                    );
                    None
                }
            })
            .collect(),
        Some(_) => {
            problems.push_in(
                file,
                "include",
                "must be a list of file paths: include = [\"watchlists/state-media.toml\"]",
            );
            Vec::new()
        }
    }
}

/// Removes a file's `[[sources]]` and tags each with where it was written.
fn take_sources(
    table: &mut toml::Table,
    file: &FileRef,
    problems: &mut Problems,
) -> Vec<(toml::Value, SourceOrigin)> {
    let name = file.display();
    match table.remove("sources") {
        None => Vec::new(),
        Some(toml::Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(index, v)| {
                let id = v.get("id").and_then(|i| i.as_str()).map(str::to_string);
                let origin = SourceOrigin {
                    file: name.clone(),
                    index,
                    base: file.base(),
                    id,
                    overridden: BTreeSet::new(),
                };
                (v, origin)
            })
            .collect(),
        Some(_) => {
            problems.push_in(&name, "sources", "must be `[[sources]]` tables");
            Vec::new()
        }
    }
}

/// Reads one included file (and what it includes) into `out`.
fn include(
    spec: &str,
    from: &FileRef,
    from_key: &str,
    stack: &mut Vec<(String, String)>,
    seen: &mut HashMap<String, String>,
    out: &mut Vec<(toml::Value, SourceOrigin)>,
    problems: &mut Problems,
) {
    let from_file = from.display();
    if stack.len() > MAX_INCLUDE_DEPTH {
        problems.push_in(
            &from_file,
            from_key,
            format!("includes nest deeper than {MAX_INCLUDE_DEPTH} files; `{spec}` is not read"),
        );
        return;
    }
    let (file, text) = match resolve(spec, from) {
        Ok(found) => found,
        Err(message) => {
            problems.push_in(&from_file, from_key, message);
            return;
        }
    };
    let identity = file.identity();
    let name = file.display();
    if let Some(at) = stack.iter().position(|(id, _)| *id == identity) {
        let chain: Vec<_> = stack[at..]
            .iter()
            .map(|(_, n)| n.as_str())
            .chain([name.as_str()])
            .collect();
        problems.push_in(
            &from_file,
            from_key,
            format!(
                "include cycle: {}; remove one of these includes",
                chain.join(" → ")
            ),
        );
        return;
    }
    if let Some(by) = seen.get(&identity) {
        problems.push_in(
            &from_file,
            from_key,
            format!("`{name}` is already included by `{by}`; include a list once"),
        );
        return;
    }
    seen.insert(identity.clone(), from_file);
    let Some(mut table) = parse_table(&text, &name, problems) else {
        return;
    };
    let specs = take_includes(&mut table, &name, problems);
    stack.push((identity, name.clone()));
    for (k, inner) in specs {
        include(
            &inner,
            &file,
            &format!("include[{k}]"),
            stack,
            seen,
            out,
            problems,
        );
    }
    stack.pop();
    let sources = take_sources(&mut table, &file, problems);
    for key in table.keys() {
        problems.push_in(
            &name,
            key.as_str(),
            format!("an included file holds only `[[sources]]` and `include`; move `{key}` to the main config"),
        );
    }
    out.extend(sources);
}

/// Deserializes `T` from a tree, reporting every value serde refuses (unknown keys, wrong
/// types, unreadable durations) rather than only the first: each is reported, left out, and
/// the tree read again. `None` only if a refused value cannot be left out.
pub fn deserialize_lenient<T: DeserializeOwned>(
    mut value: toml::Value,
    problems: &mut Problems,
) -> Option<T> {
    let mut last: Option<String> = None;
    for _ in 0..MAX_LENIENT_PASSES {
        let err = match serde_path_to_error::deserialize::<_, T>(value.clone()) {
            Ok(t) => return Some(t),
            Err(e) => e,
        };
        let segments: Vec<Segment> = err.path().iter().cloned().collect();
        let key = match err.path().to_string() {
            k if k == "." => "(document)".to_string(),
            k => k,
        };
        let mut message = err.into_inner().message().to_string();
        // humantime-serde only says "expected a duration"; humantime says what is wrong.
        if message.ends_with("expected a duration") {
            if let Some(toml::Value::String(text)) = value_at(&value, &segments) {
                if let Err(e) = humantime::parse_duration(text) {
                    message = format!(
                        "`{text}` is not a duration ({e}); write e.g. \"30s\", \"15m\" or \"2h\""
                    );
                }
            }
        }
        if last.as_deref() == Some(key.as_str()) || !remove_at(&mut value, &segments) {
            problems.push(key, message);
            return None;
        }
        problems.push_dead(key.clone(), message);
        last = Some(key);
    }
    None
}

fn value_at<'a>(root: &'a toml::Value, path: &[Segment]) -> Option<&'a toml::Value> {
    path.iter().try_fold(root, |cur, seg| match seg {
        Segment::Map { key } => cur.get(key.as_str()),
        Segment::Seq { index } => cur.get(*index),
        _ => None,
    })
}

/// Leaves out the value at `path`. An element of `sources` or `alerts` becomes an empty table
/// (so later elements keep their index); other array elements are removed.
fn remove_at(root: &mut toml::Value, path: &[Segment]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut cur = root;
    let mut parent_key: Option<&str> = None;
    for seg in parents {
        cur = match (seg, cur) {
            (Segment::Map { key }, toml::Value::Table(t)) => {
                parent_key = Some(key.as_str());
                match t.get_mut(key) {
                    Some(v) => v,
                    None => return false,
                }
            }
            (Segment::Seq { index }, toml::Value::Array(a)) => {
                parent_key = None;
                match a.get_mut(*index) {
                    Some(v) => v,
                    None => return false,
                }
            }
            _ => return false,
        };
    }
    match (last, cur) {
        (Segment::Map { key }, toml::Value::Table(t)) => t.remove(key).is_some(),
        (Segment::Seq { index }, toml::Value::Array(a)) if *index < a.len() => {
            if matches!(parent_key, Some("sources" | "alerts")) {
                if a[*index].as_table().is_some_and(|t| t.is_empty()) {
                    return false;
                }
                a[*index] = toml::Value::Table(toml::Table::new());
            } else {
                a.remove(*index);
            }
            true
        }
        _ => false,
    }
}

/// Best-effort dotted key for a TOML syntax error: the table header above the error plus the
/// key on the error's line (the toml crate reports a span, not a key path).
fn toml_error_key(text: &str, e: &toml::de::Error) -> String {
    let Some(span) = e.span() else {
        return "(document)".into();
    };
    let before = &text[..span.start.min(text.len())];
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[line_start..]
        .find('\n')
        .map(|i| line_start + i)
        .unwrap_or(text.len());
    let line = &text[line_start..line_end];
    let mut header = String::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for l in text[..line_start].lines() {
        let t = l.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
            let n = index.entry(name.to_string()).or_insert(0);
            header = format!("{name}[{n}]");
            *n += 1;
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            header = name.to_string();
        }
    }
    let key = line
        .split('=')
        .next()
        .map(str::trim)
        .filter(|k| !k.is_empty() && !k.starts_with('['))
        .unwrap_or("");
    match (header.is_empty(), key.is_empty()) {
        (true, true) => "(document)".into(),
        (true, false) => key.into(),
        (false, true) => header,
        (false, false) => format!("{header}.{key}"),
    }
}

fn toml_error_location(text: &str, e: &toml::de::Error) -> Option<String> {
    let span = e.span()?;
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map(|i| before.len() - i)
        .unwrap_or(before.len() + 1);
    Some(format!(" (line {line}, column {col})"))
}
