//! `windvane import`: archives collected by other tools → classified, stored posts.
//!
//! Formats, detected from the content (not the file name):
//! - dataabc/weibo-crawler JSON (`{"user":{…},"weibo":[…]}`) and CSV (Chinese headers
//!   `id,bid,正文,…,日期,…`);
//! - raw `getIndex` responses from m.weibo.cn (read with the live parser);
//! - saved Weibo search results (`{"query":…,"result":[{id, created_at, text, user}…]}`, as
//!   EnrigleZ/Weibo_TradeWar keeps them): each post goes under its author's account;
//! - any CSV with `text` and `created_at` columns (optional `id`, `author`, `url`);
//! - windvane's own `export --format jsonl` (each line keeps its source id: a round trip).
//!
//! Every format is read a chunk of posts at a time, whatever the file's size: CSV rows and
//! JSONL lines as they come, JSON documents one array element at a time (`stream`); only a
//! saved getIndex page (one API answer) is read whole.
//!
//! Posts keep their platform ids (the Weibo mid), so a later live fetch of the same account,
//! or a second import, stores nothing twice. A bad row is reported with its file and line (or
//! JSON item) and skipped. Alerts are planned only when asked (`--alert`).
//!
//! What a Weibo archive's element or row means (its post, account, time, URL) is
//! `sources::weibo::archive`; this module finds the format, reads the files and writes.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::Writer;
use crate::classify::Classifier;
use crate::config::{AlertConfig, Config, SourceSpec};
use crate::sources::time::parse_time;
use crate::sources::weibo::archive::{
    self, crawler_json_post, csv_post, json_id, json_str, Columns,
};
use crate::sources::{Post, Retweet};
use crate::store::pg::RunItem;
use crate::store::{AnyStore, IngestReport, NewPost, Store};

/// Rows read, classified and stored per transaction. Large: FTS5 writes one index segment per
/// commit, and fewer segments mean less merging; but up to three chunks are in memory at once
/// (read, queued, being written), and 10,000 rows took the peak to 205 MB on a 1M-row CSV,
/// 5,000 keep it under the 200 MB of issue 16.
const BATCH: usize = 5_000;

/// What to do with the files.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Store every post under this source id instead of the one the file names.
    pub source: Option<String>,
    /// Queue alerts for flagged posts (off by default: history is not news).
    pub alert: bool,
    /// Draw a progress bar on stderr (the CLI sets it when stderr is a terminal).
    pub progress: bool,
}

/// One row or item that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub file: PathBuf,
    /// `line 12` for CSV, `weibo[3]` / `cards[2]` for JSON.
    pub place: String,
    pub problem: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.place,
            self.problem
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub files: usize,
    /// Posts read from the files (bad rows not counted).
    pub read: usize,
    pub stored: usize,
    /// Posts already stored (by an earlier import, a live fetch, or twice in the input).
    pub duplicates: usize,
    pub flagged: usize,
    pub alerts_queued: usize,
    pub bad: Vec<BadRow>,
    /// Source ids written to, with the posts read for each.
    pub sources: Vec<(String, usize)>,
}

/// The file formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    CrawlerJson,
    CrawlerCsv,
    GetIndex,
    SearchJson,
    GenericCsv,
    WindvaneJsonl,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CrawlerJson => "weibo-crawler JSON",
            Format::CrawlerCsv => "weibo-crawler CSV",
            Format::GetIndex => "getIndex JSON",
            Format::SearchJson => "Weibo search JSON",
            Format::GenericCsv => "CSV",
            Format::WindvaneJsonl => "windvane JSONL",
        }
    }
}

/// Posts read from one file, with the account it names (if any).
#[derive(Debug, Default)]
pub struct Parsed {
    pub uid: Option<String>,
    pub screen_name: Option<String>,
    pub posts: Vec<Post>,
    pub bad: Vec<(String, String)>,
    /// Files that mix accounts (windvane JSONL, search results): each post's owner, parallel
    /// to `posts`.
    pub owners: Vec<Owner>,
}

/// Whose post it is, in a file that mixes accounts.
#[derive(Debug, Clone, PartialEq)]
pub enum Owner {
    /// windvane JSONL: the source id and name the post was exported from.
    Source { id: String, name: String },
    /// A Weibo search result: the author's uid and screen name.
    WeiboUser { uid: String, name: String },
}

/// Why a whole file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a format `import` knows: {0}")]
    Unknown(String),
    #[error("{0}")]
    Invalid(String),
}

/// Reads one file's bytes into posts. Pure: no clock (`now` resolves relative times), no IO.
pub fn parse_file(
    name: &Path,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<(Format, Parsed), FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if matches!(first, Some(b'{' | b'[')) {
        let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or(bytes);
        if is_jsonl_line(first_line) {
            // One object per line: windvane's own export.
            return Ok((Format::WindvaneJsonl, jsonl(bytes, now)));
        }
        // Checked by the streaming reader's first pass, so both paths word errors alike.
        stream::shape(bytes).map_err(json_error)?;
        let v: Value = serde_json::from_slice(bytes).map_err(json_error)?;
        return json_document(&v, bytes, now);
    }
    let rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    csv_file(name, rdr, now).map(|(format, mut reader)| {
        let parsed = reader.next_chunk(usize::MAX, now);
        (format, parsed)
    })
}

/// A JSON syntax or structure error as the user needs it: what is wrong, at which line and
/// column (serde_json's own message carries both).
fn json_error(e: serde_json::Error) -> FileError {
    FileError::Invalid(format!(
        "not valid JSON: {e} (import reads weibo-crawler JSON, saved search results, getIndex \
         pages and windvane's JSONL export)"
    ))
}

/// Whether a line is one post of windvane's JSONL export.
fn is_jsonl_line(line: &[u8]) -> bool {
    stream::is_export_line(line)
}

/// A whole JSON document: weibo-crawler JSON, saved search results or a getIndex page.
fn json_document(
    v: &Value,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<(Format, Parsed), FileError> {
    if v.get("weibo").is_some_and(Value::is_array) {
        return Ok((Format::CrawlerJson, crawler_json(v, now)));
    }
    if v.get("result").is_some_and(Value::is_array) {
        return Ok((Format::SearchJson, search_json(v, now)));
    }
    if v.get("ok").is_some() && v.get("data").is_some() {
        return getindex(bytes, now).map(|p| (Format::GetIndex, p));
    }
    Err(FileError::Unknown(
        "JSON without `weibo` (weibo-crawler), `result` (search results) or `ok`+`data` (getIndex)"
            .into(),
    ))
}

/// A CSV file's reader, once its header said which format it is.
fn csv_file<R: std::io::Read>(
    name: &Path,
    mut rdr: csv::Reader<R>,
    now: DateTime<Utc>,
) -> Result<(Format, Chunks<R>), FileError> {
    let _ = now;
    let headers = rdr
        .headers()
        .map_err(|e| FileError::Invalid(format!("cannot read the CSV header: {e}")))?
        .clone();
    let col: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_lowercase(), i))
        .collect();
    let uid_from_name = name
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.rsplit('_').next())
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string);
    if col.contains_key("正文") && col.contains_key("id") {
        // weibo-crawler names its files `<screen name>_<uid>.csv`.
        let screen_name = uid_from_name.as_ref().and_then(|_| {
            name.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.rsplit_once('_'))
                .map(|(n, _)| n.to_string())
                .filter(|n| !n.is_empty())
        });
        return Ok((
            Format::CrawlerCsv,
            Chunks::Csv {
                rdr,
                col,
                cols: &Columns::CRAWLER,
                uid: uid_from_name,
                screen_name,
                done: false,
            },
        ));
    }
    if col.contains_key("text") && col.contains_key("created_at") {
        return Ok((
            Format::GenericCsv,
            Chunks::Csv {
                rdr,
                col,
                cols: &Columns::GENERIC,
                uid: None,
                screen_name: None,
                done: false,
            },
        ));
    }
    Err(FileError::Unknown(format!(
        "a CSV needs `text` and `created_at` columns (or weibo-crawler's `id`,`正文`); found {}",
        headers.iter().collect::<Vec<_>>().join(",")
    )))
}

/// A file's posts, a chunk at a time: CSV rows and JSONL lines are read as they are needed,
/// so memory stays flat whatever the file's size; a getIndex page is one chunk.
enum Chunks<R> {
    Csv {
        rdr: csv::Reader<R>,
        col: HashMap<String, usize>,
        cols: &'static Columns,
        uid: Option<String>,
        screen_name: Option<String>,
        done: bool,
    },
    Jsonl {
        lines: R,
        /// Lines read so far (for `line N` in reports).
        line: usize,
        done: bool,
    },
    Whole(Option<Parsed>),
}

impl<R: std::io::BufRead> Chunks<R> {
    /// The next up to `max` posts (bad rows beside them); an empty chunk at the end.
    fn next_chunk(&mut self, max: usize, now: DateTime<Utc>) -> Parsed {
        match self {
            Chunks::Csv {
                rdr,
                col,
                cols,
                uid,
                screen_name,
                done,
            } => {
                let mut out = Parsed {
                    uid: uid.clone(),
                    screen_name: screen_name.clone(),
                    ..Default::default()
                };
                if !*done {
                    *done = csv_rows(rdr, col, cols, &mut out, max, now);
                }
                out
            }
            Chunks::Jsonl { lines, line, done } => {
                let mut out = Parsed::default();
                let mut buf = Vec::new();
                while !*done && out.posts.len() + out.bad.len() < max {
                    buf.clear();
                    match lines.read_until(b'\n', &mut buf) {
                        Ok(0) => *done = true,
                        Ok(_) => {
                            *line += 1;
                            jsonl_line(&buf, *line, &mut out, now);
                        }
                        Err(e) => {
                            out.bad
                                .push((format!("line {}", *line + 1), format!("cannot read: {e}")));
                            *done = true;
                        }
                    }
                }
                out
            }
            Chunks::Whole(p) => p.take().unwrap_or_default(),
        }
    }
}

/// Opens a file for reading in chunks: the format from its first bytes (a UTF-8 BOM skipped).
fn open_file(file: &Path, now: DateTime<Utc>) -> Result<(Format, Opened), FileError> {
    use std::io::BufRead;
    let mut r = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(file)?);
    if r.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        r.consume(3);
    }
    // The first byte that is not white space says JSON or CSV.
    let first = loop {
        let buf = r.fill_buf()?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break Some(buf[i]),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                r.consume(n);
            }
        }
    };
    if !matches!(first, Some(b'{' | b'[')) {
        let rdr = csv::ReaderBuilder::new().flexible(true).from_reader(r);
        return csv_file(file, rdr, now).map(|(f, c)| (f, Opened::Chunks(c)));
    }
    // JSONL when the first line is one export object: checked as it streams by, since a
    // weibo-crawler document is often one line of the whole file.
    let mut first_line = stream::FirstLine {
        inner: &mut r,
        done: false,
    };
    if stream::is_export_line(&mut first_line) {
        // Read again from the start, so line numbers are the file's.
        return Ok((
            Format::WindvaneJsonl,
            Opened::Chunks(Chunks::Jsonl {
                lines: stream::reader(file)?,
                line: 0,
                done: false,
            }),
        ));
    }
    // A JSON document: a first pass checks it and finds its posts' array, the second (in
    // `Opened::for_each_chunk`) reads that array one post at a time.
    let shape = stream::shape(stream::reader(file)?).map_err(json_error)?;
    match shape {
        stream::Shape::Posts {
            key,
            nth,
            len,
            user,
        } => {
            let (format, uid, screen_name) = match key {
                stream::PostsKey::Weibo => (
                    Format::CrawlerJson,
                    json_id(user.as_ref().and_then(|u| u.get("id"))),
                    user.as_ref()
                        .and_then(|u| u.get("screen_name"))
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                ),
                stream::PostsKey::Result => (Format::SearchJson, None, None),
            };
            Ok((
                format,
                Opened::Array(JsonArray {
                    path: file.to_path_buf(),
                    key,
                    nth,
                    len,
                    uid,
                    screen_name,
                }),
            ))
        }
        stream::Shape::GetIndex => {
            // One API answer (a page of cards): small, and parsed by the live parser whole.
            let bytes = std::fs::read(file)?;
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let parsed = getindex(bytes, now)?;
            Ok((
                Format::GetIndex,
                Opened::Chunks(Chunks::Whole(Some(parsed))),
            ))
        }
        stream::Shape::Other => Err(FileError::Unknown(
            "JSON without `weibo` (weibo-crawler), `result` (search results) or `ok`+`data` (getIndex)"
                .into(),
        )),
    }
}

/// A file opened for import.
enum Opened {
    /// Read by pulling chunks (CSV, JSONL, a getIndex page).
    Chunks(Chunks<std::io::BufReader<std::fs::File>>),
    /// A JSON document whose posts are one array, read element by element.
    Array(JsonArray),
}

/// A JSON document's posts array, as the first pass found it.
struct JsonArray {
    path: PathBuf,
    key: stream::PostsKey,
    nth: usize,
    /// Elements in the array (for the progress bar).
    len: usize,
    /// The crawler's account (`user`), when the document has one.
    uid: Option<String>,
    screen_name: Option<String>,
}

impl Opened {
    /// Hands the file's posts to `f` in chunks of at most `max` (bad rows beside them), the
    /// first chunk even when empty (so an empty file still names its source); `f` stops the
    /// reading by returning `Break`. An error after some chunks (the file changed between
    /// passes, or cannot be read) comes back after them.
    fn for_each_chunk(
        self,
        max: usize,
        now: DateTime<Utc>,
        mut f: impl FnMut(Parsed) -> ControlFlow<()>,
    ) -> Result<(), FileError> {
        match self {
            Opened::Chunks(mut chunks) => {
                for n in 0.. {
                    let parsed = chunks.next_chunk(max, now);
                    let last = parsed.posts.is_empty() && parsed.bad.is_empty();
                    // An empty first chunk still goes to `f` (it names the source).
                    if last && n > 0 {
                        break;
                    }
                    if f(parsed).is_break() || last {
                        break;
                    }
                }
                Ok(())
            }
            Opened::Array(a) => a.for_each_chunk(max, now, f),
        }
    }
}

impl JsonArray {
    fn for_each_chunk(
        self,
        max: usize,
        now: DateTime<Utc>,
        mut f: impl FnMut(Parsed) -> ControlFlow<()>,
    ) -> Result<(), FileError> {
        // `uid` and `screen_name` as the whole-document reader saw them: the account's, and for
        // the source only, the first post's `user_id` when there is no account.
        let file = Parsed {
            uid: self.uid.clone(),
            screen_name: self.screen_name.clone(),
            ..Default::default()
        };
        let mut chunk = Parsed {
            uid: self.uid.clone(),
            screen_name: self.screen_name.clone(),
            ..Default::default()
        };
        let mut stopped = false;
        let key = self.key;
        let r = stream::each_post(stream::reader(&self.path)?, key, self.nth, |i, w| {
            match key {
                stream::PostsKey::Weibo => {
                    if i == 0 && chunk.uid.is_none() {
                        chunk.uid = json_id(w.get("user_id"));
                    }
                    match crawler_json_post(
                        &w,
                        file.uid.as_deref(),
                        file.screen_name.as_deref(),
                        now,
                    ) {
                        Ok(p) => chunk.posts.push(p),
                        Err(problem) => chunk.bad.push((format!("weibo[{i}]"), problem)),
                    }
                }
                stream::PostsKey::Result => match search_post(&w, now) {
                    Ok((post, owner)) => {
                        chunk.posts.push(post);
                        chunk.owners.push(owner);
                    }
                    Err(problem) => chunk.bad.push((format!("result[{i}]"), problem)),
                },
            }
            if chunk.posts.len() + chunk.bad.len() >= max {
                let next = Parsed {
                    uid: chunk.uid.clone(),
                    screen_name: chunk.screen_name.clone(),
                    ..Default::default()
                };
                if f(std::mem::replace(&mut chunk, next)).is_break() {
                    stopped = true;
                    return Err(STOPPED.into());
                }
            }
            Ok(())
        });
        match r {
            Ok(()) => {
                // The rest, or the one empty chunk of an empty array.
                if !chunk.posts.is_empty() || !chunk.bad.is_empty() || self.len == 0 {
                    let _ = f(chunk);
                }
                Ok(())
            }
            Err(_) if stopped => Ok(()),
            Err(e) => Err(json_error(e)),
        }
    }
}

/// The message that stops the second pass when the caller needs no more posts.
const STOPPED: &str = "import stopped";

fn getindex(bytes: &[u8], now: DateTime<Utc>) -> Result<Parsed, FileError> {
    let page = archive::saved_page(bytes, now).map_err(FileError::Invalid)?;
    Ok(Parsed {
        uid: page.uid,
        screen_name: page.screen_name,
        posts: page.posts,
        bad: page.bad,
        owners: Vec::new(),
    })
}

/// `windvane export --format jsonl` lines back to posts (and their sources).
fn jsonl(bytes: &[u8], now: DateTime<Utc>) -> Parsed {
    let mut out = Parsed::default();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        jsonl_line(line, i + 1, &mut out, now);
    }
    out
}

/// One line of windvane's JSONL export (line number `n`) into `out`.
fn jsonl_line(line: &[u8], n: usize, out: &mut Parsed, now: DateTime<Utc>) {
    if line.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let place = format!("line {n}");
    let v: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => {
            out.bad.push((place, format!("not JSON: {e}")));
            return;
        }
    };
    match jsonl_post(&v, now) {
        Ok(p) => {
            out.owners.push(Owner::Source {
                id: json_str(&v, "source_id").to_string(),
                name: json_str(&v, "source_name").to_string(),
            });
            out.posts.push(p);
        }
        Err(problem) => out.bad.push((place, problem)),
    }
}

fn jsonl_post(v: &Value, now: DateTime<Utc>) -> Result<Post, String> {
    let id = json_id(v.get("platform_id")).ok_or("no `platform_id`")?;
    if json_str(v, "source_id").is_empty() {
        return Err("no `source_id`".into());
    }
    let text = json_str(v, "text").to_string();
    if text.trim().is_empty() {
        return Err("empty `text`".into());
    }
    let raw_time = json_str(v, "created_at").to_string();
    let created_at =
        parse_time(&raw_time, now).ok_or_else(|| format!("cannot read the time `{raw_time}`"))?;
    let rt_text = json_str(v, "retweet_text");
    let retweet = (!rt_text.is_empty()).then(|| Retweet {
        platform_id: String::new(),
        author: v
            .get("retweet_author")
            .and_then(Value::as_str)
            .map(str::to_string),
        text: rt_text.to_string(),
    });
    Ok(Post {
        platform_id: id,
        author: json_str(v, "author").to_string(),
        text,
        created_at,
        created_at_raw: raw_time,
        url: json_str(v, "url").to_string(),
        pinned: false,
        truncated: false,
        edit_count: v
            .get("edit_count")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
        retweet,
        // The original payload when the export carries it (a round trip), else the line.
        raw: match v.get("raw") {
            Some(Value::String(raw)) => raw.clone(),
            Some(raw) if !raw.is_null() => raw.to_string(),
            _ => v.to_string(),
        },
    })
}

fn crawler_json(v: &Value, now: DateTime<Utc>) -> Parsed {
    let user = v.get("user");
    let mut out = Parsed {
        uid: json_id(user.and_then(|u| u.get("id"))),
        screen_name: user
            .and_then(|u| u.get("screen_name"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        ..Default::default()
    };
    let items = v.get("weibo").and_then(Value::as_array);
    for (i, w) in items.into_iter().flatten().enumerate() {
        match crawler_json_post(w, out.uid.as_deref(), out.screen_name.as_deref(), now) {
            Ok(p) => out.posts.push(p),
            Err(problem) => out.bad.push((format!("weibo[{i}]"), problem)),
        }
    }
    if out.uid.is_none() {
        out.uid = items
            .and_then(|a| a.first())
            .and_then(|w| json_id(w.get("user_id")));
    }
    out
}

/// Saved Weibo search results: `{"query": …, "result": [{id, created_at, text (Weibo HTML),
/// user {id, screen_name, …}, comments}]}`. Each post belongs to its author's account.
fn search_json(v: &Value, now: DateTime<Utc>) -> Parsed {
    let mut out = Parsed::default();
    let items = v.get("result").and_then(Value::as_array);
    for (i, w) in items.into_iter().flatten().enumerate() {
        match search_post(w, now) {
            Ok((post, owner)) => {
                out.posts.push(post);
                out.owners.push(owner);
            }
            Err(problem) => out.bad.push((format!("result[{i}]"), problem)),
        }
    }
    out
}

/// A search result with its author as the owner its posts go under.
fn search_post(w: &Value, now: DateTime<Utc>) -> Result<(Post, Owner), String> {
    archive::search_post(w, now).map(|(post, a)| {
        (
            post,
            Owner::WeiboUser {
                uid: a.uid,
                name: a.name,
            },
        )
    })
}

/// Reads up to `max` rows into `out`; returns whether the file is done.
fn csv_rows<R: std::io::Read>(
    rdr: &mut csv::Reader<R>,
    col: &HashMap<String, usize>,
    cols: &Columns,
    out: &mut Parsed,
    max: usize,
    now: DateTime<Utc>,
) -> bool {
    let mut record = csv::StringRecord::new();
    while out.posts.len() + out.bad.len() < max {
        let line = rdr.position().line();
        match rdr.read_record(&mut record) {
            Ok(false) => return true,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                match csv_post(&record, col, cols, out.uid.as_deref(), now) {
                    Ok(p) => out.posts.push(p),
                    Err(problem) => out.bad.push((format!("line {line}"), problem)),
                }
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                out.bad.push((format!("line {line}"), e.to_string()));
                // An I/O-level error cannot be resumed; a malformed record can.
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    return true;
                }
            }
        }
    }
    false
}

/// The source id and display name posts of this file go under: `--source`, else the
/// configured Weibo source of the same uid (so a live fetch does not duplicate them), else
/// `weibo-<uid>`, else `import-<file stem>`.
fn source_for(
    cfg: &Config,
    opts: &ImportOptions,
    file: &Path,
    parsed: &Parsed,
) -> (String, String, String) {
    if let Some(id) = &opts.source {
        if let Some(s) = cfg.sources.iter().find(|s| &s.id == id) {
            return (s.id.clone(), s.kind().to_string(), s.name.clone());
        }
        let name = parsed.screen_name.clone().unwrap_or_else(|| id.clone());
        let kind = if parsed.uid.is_some() {
            "weibo"
        } else {
            "import"
        };
        return (id.clone(), kind.to_string(), name);
    }
    if let Some(uid) = &parsed.uid {
        return weibo_source(cfg, uid, parsed.screen_name.clone());
    }
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("file")
        .to_string();
    (format!("import-{stem}"), "import".into(), stem)
}

/// A file's posts split by the source they go under: `(id, kind, name, posts)`.
fn groups(
    cfg: &Config,
    opts: &ImportOptions,
    file: &Path,
    mut parsed: Parsed,
) -> Vec<(String, String, String, Vec<Post>)> {
    if opts.source.is_some() || parsed.owners.len() != parsed.posts.len() || parsed.posts.is_empty()
    {
        let (sid, kind, sname) = source_for(cfg, opts, file, &parsed);
        return vec![(sid, kind, sname, parsed.posts)];
    }
    let mut out: Vec<(String, String, String, Vec<Post>)> = Vec::new();
    let owners = std::mem::take(&mut parsed.owners);
    for (owner, post) in owners.into_iter().zip(parsed.posts) {
        let (sid, kind, name) = match owner {
            Owner::Source { id, name } => match cfg.sources.iter().find(|s| s.id == id) {
                Some(s) => (id, s.kind().to_string(), s.name.clone()),
                None if post.url.contains("weibo.c") => (id, "weibo".to_string(), name),
                None => (id, "import".to_string(), name),
            },
            Owner::WeiboUser { uid, name } => weibo_source(cfg, &uid, Some(name)),
        };
        match out.iter_mut().find(|g| g.0 == sid) {
            Some(g) => g.3.push(post),
            None => out.push((sid, kind, name, vec![post])),
        }
    }
    out
}

/// The configured Weibo source of this uid (so a live fetch does not duplicate its posts),
/// else `weibo-<uid>`.
fn weibo_source(cfg: &Config, uid: &str, name: Option<String>) -> (String, String, String) {
    if let Some(s) = cfg
        .sources
        .iter()
        .find(|s| matches!(&s.spec, SourceSpec::Weibo(w) if w.uid == uid))
        .or_else(|| {
            // An account configured by screen name has no uid in the config: match the name.
            let name = name.as_deref().filter(|n| !n.is_empty())?;
            cfg.sources.iter().find(|s| {
                matches!(&s.spec, SourceSpec::Weibo(w)
                    if w.uid.is_empty() && w.screen_name.as_deref() == Some(name))
            })
        })
    {
        return (s.id.clone(), s.kind().to_string(), s.name.clone());
    }
    let name = name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| uid.to_string());
    (format!("weibo-{uid}"), "weibo".into(), name)
}

/// Classifies and segments posts on every core (the store then writes from one thread).
fn classify_all(
    classifier: &Classifier,
    posts: &[Post],
) -> Vec<(crate::classify::Classification, String)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    crate::classify::map_parallel(posts, threads, |p| {
        crate::pipeline::classify_capped(classifier, &p.full_text())
    })
}

/// A classified group of posts on its way to the writer thread.
struct Classified {
    sid: String,
    kind: String,
    sname: String,
    posts: Vec<Post>,
    classified: Vec<(crate::classify::Classification, String)>,
}

/// The writer thread: stores each classified chunk as it arrives (one transaction each) and
/// sums what it stored, while the caller reads and classifies the next chunk (with two cores
/// the classifier and SQLite's write path overlap instead of taking turns).
fn write_all(
    store: &Writer,
    alerts: &[AlertConfig],
    bar: &indicatif::ProgressBar,
    now: DateTime<Utc>,
    batches: std::sync::mpsc::Receiver<Classified>,
) -> crate::store::Result<IngestReport> {
    let mut totals = IngestReport::default();
    for b in batches {
        let planned = |p: &Post, c| crate::alert::plan(&b.sid, &b.sname, p, c, alerts);
        let r = match store {
            Writer::Local(store) => {
                store.ensure_source(&b.sid, &b.kind, &b.sname)?;
                let items: Vec<NewPost<'_>> = b
                    .posts
                    .iter()
                    .zip(&b.classified)
                    .map(|(p, (c, words))| NewPost {
                        post: p,
                        classification: c,
                        alerts: planned(p, c),
                        index_words: words,
                    })
                    .collect();
                store.ingest(&b.sid, &items, now)?
            }
            Writer::Shared(pg, runtime) => {
                let items: Vec<RunItem> = b
                    .posts
                    .iter()
                    .zip(&b.classified)
                    .map(|(p, (c, _))| RunItem::new(p, c.clone(), planned(p, c)))
                    .collect();
                // This is the import's own writer thread, outside the runtime: it may wait.
                let r = runtime.block_on(pg.ingest(&b.sid, &b.kind, &b.sname, &items))?;
                let n = |x: u64| usize::try_from(x).unwrap_or(usize::MAX);
                IngestReport {
                    new_posts: n(r.new_posts),
                    flagged: n(r.flagged),
                    alerts_queued: n(r.alerts_queued),
                }
            }
        };
        totals.new_posts += r.new_posts;
        totals.flagged += r.flagged;
        totals.alerts_queued += r.alerts_queued;
        bar.inc(b.posts.len() as u64);
    }
    Ok(totals)
}

/// Imports every file; a file that cannot be read is reported as one bad row and the rest go on.
pub fn import_files(
    cfg: &Config,
    store: &Store,
    classifier: &Classifier,
    files: &[PathBuf],
    opts: &ImportOptions,
    now: DateTime<Utc>,
) -> crate::store::Result<ImportReport> {
    let target = AnyStore::Local(store.clone());
    import_into(cfg, &target, classifier, files, opts, now)
}

/// `import_files` into either backend. With PostgreSQL it must run on a thread of a tokio
/// runtime that may block (`spawn_blocking`): its writer thread waits on that runtime.
pub fn import_into(
    cfg: &Config,
    store: &AnyStore,
    classifier: &Classifier,
    files: &[PathBuf],
    opts: &ImportOptions,
    now: DateTime<Utc>,
) -> crate::store::Result<ImportReport> {
    let store = Writer::of(store, "starting an import into PostgreSQL")?;
    let store = &store;
    let mut report = ImportReport::default();
    let bar = if opts.progress {
        indicatif::ProgressBar::new(0).with_style(
            indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {human_pos}/{human_len} posts, {eta} left",
            )
            .expect("a valid progress template")
            .progress_chars("=> "),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let alerts: &[AlertConfig] = if opts.alert { &cfg.alerts } else { &[] };
    let mut grouped = 0;
    let bar = &bar;
    let write = |batches| write_all(store, alerts, bar, now, batches);
    let totals = super::classify_while_writing(write, |to_writer| {
        for file in files {
            report.files += 1;
            let (format, opened) = match open_file(file, now) {
                Ok(p) => p,
                Err(e) => {
                    report.bad.push(BadRow {
                        file: file.clone(),
                        place: "file".into(),
                        problem: e.to_string(),
                    });
                    continue;
                }
            };
            tracing::info!(file = %file.display(), format = format.as_str(), "Importing.");
            bar.set_message(
                file.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            );
            // One chunk at a time: read, classify, hand to the writer, then the next.
            let mut writer_gone = false;
            let read = opened.for_each_chunk(BATCH, now, |parsed| {
                bar.inc_length(parsed.posts.len() as u64);
                report
                    .bad
                    .extend(parsed.bad.iter().cloned().map(|(place, problem)| BadRow {
                        file: file.clone(),
                        place,
                        problem,
                    }));
                report.read += parsed.posts.len();
                for (sid, kind, sname, posts) in groups(cfg, opts, file, parsed) {
                    match report.sources.iter_mut().find(|(s, _)| s == &sid) {
                        Some(entry) => entry.1 += posts.len(),
                        None => report.sources.push((sid.clone(), posts.len())),
                    }
                    grouped += posts.len();
                    let classified = classify_all(classifier, &posts);
                    let batch = Classified {
                        sid,
                        kind,
                        sname,
                        posts,
                        classified,
                    };
                    if to_writer.send(batch).is_err() {
                        // The writer stopped on an error, returned below.
                        writer_gone = true;
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            });
            if writer_gone {
                break;
            }
            if let Err(e) = read {
                report.bad.push(BadRow {
                    file: file.clone(),
                    place: "file".into(),
                    problem: e.to_string(),
                });
            }
        }
        Ok(())
    })?;
    report.stored = totals.new_posts;
    report.duplicates = grouped - totals.new_posts;
    report.flagged = totals.flagged;
    report.alerts_queued = totals.alerts_queued;
    bar.finish_and_clear();
    Ok(report)
}

/// `windvane import`: prints the bad rows on stderr and the counts on stdout.
/// `store` is the database the CLI opened (the SQLite file, or PostgreSQL in cluster mode);
/// call this on a thread that may block (`spawn_blocking`).
pub fn run(
    cfg: &Config,
    store: &AnyStore,
    files: &[PathBuf],
    opts: &ImportOptions,
) -> anyhow::Result<ImportReport> {
    use anyhow::Context as _;
    let classifier = Classifier::load(
        cfg.classifier.signals_dir.as_deref(),
        cfg.classifier.user_dict.as_deref(),
    )
    .context("cannot load the classifier")?;
    if let AnyStore::Local(store) = store {
        store.set_busy_timeout(cfg.store_busy_timeout)?;
        store.tune_for_bulk_writes()?;
    }
    let opts = ImportOptions {
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        ..opts.clone()
    };
    let report = import_into(cfg, store, &classifier, files, &opts, Utc::now())?;
    for b in &report.bad {
        eprintln!("skipped {b}");
    }
    for (sid, n) in &report.sources {
        outln!("{sid}: {n} posts read")?;
    }
    outln!(
        "{} files: {} posts read, {} stored, {} duplicates, {} bad rows, {} flagged, {} alerts queued",
        report.files,
        report.read,
        report.stored,
        report.duplicates,
        report.bad.len(),
        report.flagged,
        report.alerts_queued
    )?;
    Ok(report)
}

mod stream;

#[cfg(test)]
mod tests;
