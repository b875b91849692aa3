//! `windvane backtest EVENTS.csv`: for each dated event, the first flagged post in the window
//! before it and the first after it, the lead (or lag) time, and the sources that carried the
//! signal. Reading the events and matching them to posts is pure (tested with plain data); the
//! flagged posts come from `AnyStore::flagged_between` (the SQLite file, or cluster mode's
//! PostgreSQL).
//!
//! The events file is a CSV with a date column (`date`, `time`, `day`, `日期`, `时间`), an
//! optional label column (`label`, `labels`, `标签`) and an optional description (`description`,
//! `event`, `desc`, `事件`, `描述`), with or without a UTF-8 BOM. Dates are `20190508`,
//! `2019-05-08`, `2019/05/08`, `2019年5月8日`, optionally with a time; a date alone is taken at
//! 00:00 Beijing time, so a post on the event's day counts as after it. An event without a
//! label matches any label (nothing is inferred from its description).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use clap::ValueEnum;

use crate::bulk::import::BadRow;
use crate::classify::Label;
use crate::sources::time::{beijing_offset, parse_time};
use crate::store::{AnyStore, FlaggedPost};

/// One dated event of the events file.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The 1-based line of the file (for messages).
    pub line: u64,
    pub at: DateTime<Utc>,
    /// The date as the file wrote it.
    pub date: String,
    pub label: Option<Label>,
    pub description: String,
}

/// A flagged post with every label its latest classification reported.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalPost {
    pub post_id: i64,
    pub source_id: String,
    pub source_name: String,
    pub created_at: DateTime<Utc>,
    /// Highest score first.
    pub labels: Vec<(Label, f64)>,
}

/// One event matched against the flagged posts of its window.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub event: Event,
    /// The label posts had to carry (`None`: any).
    pub label: Option<Label>,
    /// The earliest flagged post in `[event - window, event)`: how early the signal showed.
    pub first_before: Option<SignalPost>,
    pub posts_before: usize,
    /// The earliest flagged post in `[event, event + window)`: how fast it was reported.
    pub first_after: Option<SignalPost>,
    pub posts_after: usize,
    /// Sources of the flagged posts before and after, with their post counts, in order of
    /// their first post.
    pub sources_before: Vec<(String, usize)>,
    pub sources_after: Vec<(String, usize)>,
}

impl Outcome {
    /// Event time minus the first post before it.
    pub fn lead(&self) -> Option<Duration> {
        self.first_before
            .as_ref()
            .map(|s| self.event.at - s.created_at)
    }

    /// The first post after minus the event time.
    pub fn lag(&self) -> Option<Duration> {
        self.first_after
            .as_ref()
            .map(|s| s.created_at - self.event.at)
    }
}

/// Why the events file could not be used at all.
#[derive(Debug, thiserror::Error)]
pub enum EventsError {
    #[error("cannot read the CSV header of `{}`: {error}", file.display())]
    Header { file: PathBuf, error: String },
    #[error("`{}` has no date column (`date`, `time`, `day`, `日期` or `时间`); its columns are: {columns}", file.display())]
    NoDate { file: PathBuf, columns: String },
}

const DATE_COLUMNS: &[&str] = &["date", "time", "day", "datetime", "日期", "时间"];
const LABEL_COLUMNS: &[&str] = &["label", "labels", "标签"];
const DESCRIPTION_COLUMNS: &[&str] = &["description", "event", "desc", "title", "事件", "描述"];

/// Reads the events file; bad rows are returned with their line, the rest is kept. `now`
/// resolves year-less dates (as for posts).
pub fn parse_events(
    file: &Path,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<(Vec<Event>, Vec<BadRow>), EventsError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| EventsError::Header {
            file: file.to_path_buf(),
            error: e.to_string(),
        })?
        .clone();
    let mut col: HashMap<String, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        // The first of two equal names wins.
        col.entry(h.trim().to_lowercase()).or_insert(i);
    }
    let find = |names: &[&str]| names.iter().find_map(|n| col.get(*n).copied());
    let Some(date_col) = find(DATE_COLUMNS) else {
        return Err(EventsError::NoDate {
            file: file.to_path_buf(),
            columns: headers.iter().collect::<Vec<_>>().join(","),
        });
    };
    let label_col = find(LABEL_COLUMNS);
    let desc_col = find(DESCRIPTION_COLUMNS);
    let bad = |line: u64, problem: String| BadRow {
        file: file.to_path_buf(),
        place: format!("line {line}"),
        problem,
    };
    let (mut events, mut bad_rows) = (Vec::new(), Vec::new());
    let mut record = csv::StringRecord::new();
    loop {
        let line = rdr.position().line();
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                if record.iter().all(str::is_empty) {
                    continue;
                }
                let get = |c: Option<usize>| c.and_then(|i| record.get(i)).unwrap_or("");
                let date = get(Some(date_col));
                let Some(at) = event_time(date, now) else {
                    bad_rows.push(bad(line, format!("cannot read the date `{date}`")));
                    continue;
                };
                let label = match get(label_col) {
                    "" => None,
                    l => match l.parse::<Label>() {
                        Ok(l) => Some(l),
                        Err(_) => {
                            bad_rows.push(bad(
                                line,
                                format!("label `{l}` is not one of {}", label_names()),
                            ));
                            continue;
                        }
                    },
                };
                events.push(Event {
                    line,
                    at,
                    date: date.to_string(),
                    label,
                    description: get(desc_col).to_string(),
                });
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                bad_rows.push(bad(line, e.to_string()));
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    break;
                }
            }
        }
    }
    Ok((events, bad_rows))
}

fn label_names() -> String {
    Label::ALL
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `20190508` (the compact form timelines use) or any date `parse_time` reads; a date without
/// a time is 00:00 Beijing.
fn event_time(s: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let d = NaiveDate::parse_from_str(s, "%Y%m%d").ok()?;
        return beijing_offset()
            .from_local_datetime(&d.and_time(NaiveTime::MIN))
            .single()
            .map(|t| t.with_timezone(&Utc));
    }
    parse_time(s, now)
}

/// Groups `Store::flagged_between` rows (one per label, ordered by time then post) into
/// posts.
pub fn signals(rows: Vec<FlaggedPost>) -> Vec<SignalPost> {
    let mut out: Vec<SignalPost> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(s) if s.post_id == r.post_id => s.labels.push((r.label, r.score)),
            _ => out.push(SignalPost {
                post_id: r.post_id,
                source_id: r.source_id,
                source_name: r.source_name,
                created_at: r.created_at,
                labels: vec![(r.label, r.score)],
            }),
        }
    }
    for s in &mut out {
        s.labels.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    out
}

/// Matches each event against `signals` (ordered by time). `only` (from `--label`) keeps
/// the events labelled with it or unlabelled, and counts only posts flagged with it.
pub fn backtest(
    events: &[Event],
    signals: &[SignalPost],
    window: Duration,
    only: Option<Label>,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for e in events {
        let label = match (e.label, only) {
            (Some(l), Some(o)) if l != o => continue,
            (l, o) => l.or(o),
        };
        let matches = |s: &&SignalPost| label.is_none_or(|l| s.labels.iter().any(|x| x.0 == l));
        let start = signals.partition_point(|s| s.created_at < e.at - window);
        let at = signals.partition_point(|s| s.created_at < e.at);
        let end = signals.partition_point(|s| s.created_at < e.at + window);
        let before: Vec<&SignalPost> = signals[start..at].iter().filter(matches).collect();
        let after: Vec<&SignalPost> = signals[at..end].iter().filter(matches).collect();
        out.push(Outcome {
            event: e.clone(),
            label,
            first_before: before.first().map(|s| (*s).clone()),
            posts_before: before.len(),
            first_after: after.first().map(|s| (*s).clone()),
            posts_after: after.len(),
            sources_before: source_counts(&before),
            sources_after: source_counts(&after),
        });
    }
    out
}

fn source_counts(posts: &[&SignalPost]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for p in posts {
        match out.iter_mut().find(|(n, _)| n == &p.source_name) {
            Some(e) => e.1 += 1,
            None => out.push((p.source_name.clone(), 1)),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BacktestFormat {
    Table,
    Csv,
}

fn hours(d: Duration) -> f64 {
    d.num_seconds() as f64 / 3600.0
}

/// `41.5 h` below three days, `4.2 d` above.
fn human(d: Duration) -> String {
    let h = hours(d);
    if h < 72.0 {
        format!("{h:.1} h")
    } else {
        format!("{:.1} d", h / 24.0)
    }
}

/// `name count; …`, the busiest first (then by first post); past `max` names, `+N more`.
fn sources_list(s: &[(String, usize)], max: usize) -> String {
    let mut sorted: Vec<&(String, usize)> = s.iter().collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.1)); // stable: equal counts keep their order
    let mut out = sorted
        .iter()
        .take(max)
        .map(|(n, c)| format!("{n} {c}"))
        .collect::<Vec<_>>()
        .join("; ");
    if sorted.len() > max {
        out.push_str(&format!("; +{} more", sorted.len() - max));
    }
    out
}

/// Source names shown per side in the table.
const TABLE_SOURCES: usize = 5;

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

pub const CSV_HEADER: &str = "date,label,description,first_before_post,first_before_at,first_before_source,lead_hours,posts_before,first_after_post,first_after_at,first_after_source,lag_hours,posts_after,sources_before,sources_after";

/// Writes the outcomes as a table (with a summary line) or CSV (Beijing times).
pub fn render(
    outcomes: &[Outcome],
    format: BacktestFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let label_str = |o: &Outcome| o.label.map_or("any", |l| l.as_str());
    match format {
        BacktestFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(CSV_HEADER.split(','))?;
            for o in outcomes {
                let side = |s: &Option<SignalPost>| match s {
                    Some(s) => [
                        s.post_id.to_string(),
                        crate::review::beijing_minute(s.created_at),
                        s.source_name.clone(),
                    ],
                    None => Default::default(),
                };
                let [bid, bat, bsrc] = side(&o.first_before);
                let [aid, aat, asrc] = side(&o.first_after);
                w.write_record([
                    o.event.date.as_str(),
                    label_str(o),
                    &o.event.description,
                    &bid,
                    &bat,
                    &bsrc,
                    &o.lead()
                        .map(|d| format!("{:.1}", hours(d)))
                        .unwrap_or_default(),
                    &o.posts_before.to_string(),
                    &aid,
                    &aat,
                    &asrc,
                    &o.lag()
                        .map(|d| format!("{:.1}", hours(d)))
                        .unwrap_or_default(),
                    &o.posts_after.to_string(),
                    &sources_list(&o.sources_before, usize::MAX),
                    &sources_list(&o.sources_after, usize::MAX),
                ])?;
            }
            w.flush()?;
        }
        BacktestFormat::Table => {
            writeln!(
                out,
                "{:<10}  {:<13}  {:<34}  {:<34}  event",
                "date", "label", "first before (lead, posts)", "first after (lag, posts)"
            )?;
            let side = |s: &Option<SignalPost>, d: Option<Duration>, n: usize| match (s, d) {
                (Some(s), Some(d)) => format!(
                    "{} #{} ({}, {n})",
                    crate::review::beijing_minute(s.created_at),
                    s.post_id,
                    human(d)
                ),
                _ => "-".to_string(),
            };
            for o in outcomes {
                let date = o
                    .event
                    .at
                    .with_timezone(&beijing_offset())
                    .format("%Y-%m-%d");
                let desc: String = o.event.description.chars().take(40).collect();
                writeln!(
                    out,
                    "{date:<10}  {:<13}  {:<34}  {:<34}  {desc}",
                    label_str(o),
                    side(&o.first_before, o.lead(), o.posts_before),
                    side(&o.first_after, o.lag(), o.posts_after),
                )?;
                let (b, a) = (
                    sources_list(&o.sources_before, TABLE_SOURCES),
                    sources_list(&o.sources_after, TABLE_SOURCES),
                );
                if !b.is_empty() || !a.is_empty() {
                    writeln!(
                        out,
                        "{:<10}  sources before: {}  after: {}",
                        "",
                        if b.is_empty() { "-" } else { &b },
                        if a.is_empty() { "-" } else { &a }
                    )?;
                }
            }
            let leads = median(
                outcomes
                    .iter()
                    .filter_map(Outcome::lead)
                    .map(hours)
                    .collect(),
            );
            let lags = median(
                outcomes
                    .iter()
                    .filter_map(Outcome::lag)
                    .map(hours)
                    .collect(),
            );
            let fmt = |m: Option<f64>| m.map_or("-".to_string(), |h| format!("{h:.1} h"));
            writeln!(
                out,
                "{} events: {} with a flagged post before (median lead {}), {} with one after (median lag {})",
                outcomes.len(),
                outcomes.iter().filter(|o| o.first_before.is_some()).count(),
                fmt(leads),
                outcomes.iter().filter(|o| o.first_after.is_some()).count(),
                fmt(lags),
            )?;
        }
    }
    Ok(())
}

/// What `run` was asked.
#[derive(Debug, Clone)]
pub struct BacktestArgs {
    pub events: PathBuf,
    pub window_days: u32,
    pub label: Option<Label>,
    pub format: BacktestFormat,
}

/// `windvane backtest`: bad rows go to stderr, the outcomes to stdout.
pub async fn run(store: &AnyStore, args: &BacktestArgs) -> anyhow::Result<Vec<Outcome>> {
    use anyhow::Context as _;
    let bytes = std::fs::read(&args.events)
        .with_context(|| format!("cannot read the events file `{}`", args.events.display()))?;
    let now = Utc::now();
    let (events, bad) = parse_events(&args.events, &bytes, now)?;
    for b in &bad {
        eprintln!("skipped {b}");
    }
    let window = Duration::days(i64::from(args.window_days));
    let outcomes = match (
        events.iter().map(|e| e.at).min(),
        events.iter().map(|e| e.at).max(),
    ) {
        (Some(first), Some(last)) => {
            let rows = store
                .flagged_between(first - window, last + window, args.label)
                .await?;
            backtest(&events, &signals(rows), window, args.label)
        }
        _ => Vec::new(),
    };
    let stdout = std::io::stdout();
    render(&outcomes, args.format, &mut stdout.lock())?;
    Ok(outcomes)
}

#[cfg(test)]
mod tests;
