//! The analyst's desk: queries and actions shared by the CLI (`cli.rs`) and the web page
//! (`web.rs`). No SQL here (that is `store`), no HTML here (that is `web.rs`).

pub mod web;

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

use crate::classify::{Label, LabelScore};
use crate::store::{
    AnyStore, HistoryQuery, NewVerdict, Period, ReviewPost, ReviewRow, ReviewStatus, StaleVerdict,
    StoreError, Verdict, VerdictRecord, VerdictWrite,
};
use crate::text::Segmenter;

pub use crate::store::QueueQuery;

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("no post with id {0}; `windvane review list` shows the ids")]
    NotFound(i64),
    #[error("post {0} has no labels to confirm; name the right one with --label")]
    NoLabels(i64),
    /// Another analyst recorded a verdict on the post after this one read it: nothing was
    /// written.
    #[error("{}", stale_message(.0))]
    Stale(StaleVerdict),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an analyst decides about a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// With no labels: the classifier's labels are right. With labels: these are the right
    /// labels; the classifier's others are dismissed and missing ones added (`relabelled`).
    Confirm { labels: Vec<Label> },
    /// Every label of the post is wrong.
    Dismiss,
}

/// The verdicts an action writes, given the labels the classifier reported.
pub fn verdicts(post: &ReviewPost, action: &Action) -> Result<Vec<NewVerdict>, ReviewError> {
    let predicted: Vec<Label> = post.labels.iter().map(|l| l.label).collect();
    let v = |label, verdict| NewVerdict {
        label: Some(label),
        verdict,
    };
    Ok(match action {
        Action::Dismiss if predicted.is_empty() => vec![NewVerdict {
            label: None,
            verdict: Verdict::Dismissed,
        }],
        Action::Dismiss => predicted
            .iter()
            .map(|&l| v(l, Verdict::Dismissed))
            .collect(),
        Action::Confirm { labels } if labels.is_empty() => {
            if predicted.is_empty() {
                return Err(ReviewError::NoLabels(post.id));
            }
            predicted
                .iter()
                .map(|&l| v(l, Verdict::Confirmed))
                .collect()
        }
        Action::Confirm { labels } => {
            let mut out: Vec<NewVerdict> = predicted
                .iter()
                .map(|&l| {
                    if labels.contains(&l) {
                        v(l, Verdict::Confirmed)
                    } else {
                        v(l, Verdict::Dismissed)
                    }
                })
                .collect();
            let mut added: Vec<Label> = labels
                .iter()
                .copied()
                .filter(|l| !predicted.contains(l))
                .collect();
            added.sort();
            added.dedup();
            out.extend(added.into_iter().map(|l| v(l, Verdict::Relabelled)));
            out
        }
    })
}

/// The refusal of a stale verdict, naming the post, who changed it and when, and what to do.
fn stale_message(s: &StaleVerdict) -> String {
    let who = match (&s.by, s.at) {
        (Some(by), Some(at)) => format!(
            "{} recorded a verdict at {} Beijing",
            shown(by),
            beijing_minute(at)
        ),
        (Some(by), None) => format!("{} recorded a verdict", shown(by)),
        _ => "another review was recorded".to_string(),
    };
    format!(
        "post {} changed since you read it: {who} (you decided on version {}, it is now at {}); \
         nothing was saved. Reload the post to see their verdict, then decide again",
        s.post_id, s.expected, s.current
    )
}

/// Records an analyst's decision; returns the verdicts written. With `expected`, only while
/// the post is at that verdict version (what the analyst saw): a post reviewed meanwhile
/// gives `ReviewError::Stale` and nothing is written. Without, the version just read.
pub async fn review(
    store: &AnyStore,
    post_id: i64,
    expected: Option<i64>,
    action: &Action,
    note: &str,
    reviewer: &str,
    now: DateTime<Utc>,
) -> Result<Vec<NewVerdict>, ReviewError> {
    let post = store
        .review_post(post_id)
        .await?
        .ok_or(ReviewError::NotFound(post_id))?;
    let record = VerdictRecord {
        post_id,
        expected: Some(expected.unwrap_or(post.version)),
        verdicts: verdicts(&post, action)?,
        note: note.trim().to_string(),
        reviewer: reviewer.trim().to_string(),
        at: now,
    };
    match store.record_review(&record).await? {
        VerdictWrite::Recorded { .. } => Ok(record.verdicts),
        VerdictWrite::Stale(s) => Err(ReviewError::Stale(s)),
        VerdictWrite::NoPost => Err(ReviewError::NotFound(post_id)),
    }
}

/// Everything the post page and `review show` display.
#[derive(Debug, Clone)]
pub struct PostView {
    pub post: ReviewPost,
    pub reviews: Vec<ReviewRow>,
    pub alerts: Vec<crate::store::AlertRow>,
    /// Earlier texts of an edited post, oldest first (empty when it never changed).
    pub versions: Vec<crate::store::PostVersion>,
    /// `(visibility, confirmed at, marker)` when the post was deleted or made invisible.
    pub gone: Option<(String, String, String)>,
}

pub async fn post_view(store: &AnyStore, id: i64) -> Result<PostView, ReviewError> {
    let post = store
        .review_post(id)
        .await?
        .ok_or(ReviewError::NotFound(id))?;
    Ok(PostView {
        reviews: store.reviews_of(id).await?,
        alerts: store.alerts_for_post(id).await?,
        versions: store.post_versions(id).await?,
        gone: store.post_gone(id).await?,
        post,
    })
}

/// A piece of a post's text: plain, or matched evidence with its label and gloss.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub text: String,
    pub mark: Option<Mark>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub label: Label,
    pub gloss: String,
}

/// Cuts `text` at the evidence spans (char offsets into `text`). Overlapping spans keep the
/// earliest (then longest); spans outside the text are dropped.
pub fn highlight(text: &str, labels: &[LabelScore]) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize, Mark)> = labels
        .iter()
        .flat_map(|l| {
            l.evidence.iter().map(move |e| {
                (
                    e.start,
                    e.end,
                    Mark {
                        label: l.label,
                        gloss: e.gloss.clone(),
                    },
                )
            })
        })
        .filter(|(s, e, _)| s < e && *e <= chars.len())
        .collect();
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e, mark) in spans {
        if s < at {
            continue;
        }
        if s > at {
            out.push(Piece {
                text: chars[at..s].iter().collect(),
                mark: None,
            });
        }
        out.push(Piece {
            text: chars[s..e].iter().collect(),
            mark: Some(mark),
        });
        at = e;
    }
    if at < chars.len() {
        out.push(Piece {
            text: chars[at..].iter().collect(),
            mark: None,
        });
    }
    out
}

/// `YYYY-MM-DD HH:MM` in Beijing time.
pub fn beijing_minute(t: DateTime<Utc>) -> String {
    t.with_timezone(&Shanghai)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The start of a Beijing calendar day given as `YYYY-MM-DD` (other time formats the sources
/// understand are accepted too).
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        return Shanghai
            .from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
            .single()
            .map(|t| t.with_timezone(&Utc));
    }
    crate::sources::time::parse_time(s, Utc::now())
}

/// The first line of a post, cut to `max` chars.
/// Scraped text made safe for a terminal or a spreadsheet: control characters (ESC, which
/// starts terminal sequences that retitle windows, clear screens or write the clipboard; BEL;
/// C1 controls) and bidirectional overrides become visible `\u{..}` text. Newlines and tabs
/// stay. The stored text keeps them; only what is shown changes.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

pub fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut out: String = line.trim().chars().take(max).collect();
    if line.trim().chars().count() > max {
        out.push('…');
    }
    out
}

/// Search over every stored post: the posts whose text contains every word typed (words
/// split on spaces and punctuation; 关税 谈判), as strings, whatever the segmenter made of them
/// (`text::search`). Most recently stored first, at most `limit`.
pub async fn search(
    store: &AnyStore,
    segmenter: &Segmenter,
    query: &str,
    limit: usize,
) -> Result<Vec<ReviewPost>, ReviewError> {
    Ok(store.search(segmenter, query, limit).await?)
}

/// Review counts for one label over some period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelStats {
    /// Posts whose label was judged (confirmed or dismissed).
    pub reviewed: i64,
    pub confirmed: i64,
    pub dismissed: i64,
    /// Labels the classifier missed and an analyst added.
    pub added: i64,
}

impl LabelStats {
    /// Confirmed share of the reviewed labels: the classifier's precision as analysts see it.
    pub fn precision(&self) -> Option<f64> {
        (self.reviewed > 0).then(|| self.confirmed as f64 / self.reviewed as f64)
    }

    fn add(&mut self, verdict: Verdict, n: i64) {
        match verdict {
            Verdict::Confirmed => {
                self.confirmed += n;
                self.reviewed += n;
            }
            Verdict::Dismissed => {
                self.dismissed += n;
                self.reviewed += n;
            }
            Verdict::Relabelled => self.added += n,
        }
    }
}

/// Totals per label, and per month (Beijing, of the post) per label.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub total: BTreeMap<Label, LabelStats>,
    pub by_month: BTreeMap<String, BTreeMap<Label, LabelStats>>,
}

pub async fn stats(store: &AnyStore) -> Result<Stats, ReviewError> {
    let mut s = Stats::default();
    for c in store.verdict_counts().await? {
        s.total.entry(c.label).or_default().add(c.verdict, c.count);
        s.by_month
            .entry(c.month)
            .or_default()
            .entry(c.label)
            .or_default()
            .add(c.verdict, c.count);
    }
    Ok(s)
}

/// Signals per period (Beijing day or week) per label, oldest first.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// `YYYY-MM-DD`: each day, or each week's Monday.
    pub days: Vec<String>,
    pub period: Period,
    /// Per label, per period: (flagged, confirmed).
    pub counts: BTreeMap<Label, Vec<(i64, i64)>>,
}

/// The last `days` days up to `now`, per day.
pub async fn timeline(
    store: &AnyStore,
    now: DateTime<Utc>,
    days: usize,
) -> Result<Timeline, ReviewError> {
    let today = now.with_timezone(&Shanghai).date_naive();
    let first = today - Duration::days(days.saturating_sub(1) as i64);
    timeline_between(store, first, today, Period::Day).await
}

/// Beijing midnight starting `day`, in UTC.
fn beijing_midnight(day: NaiveDate) -> DateTime<Utc> {
    Shanghai
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| day.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// The Monday of `day`'s week.
fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The first day of an "all history" chart: the oldest post's Beijing day (today when empty).
pub async fn oldest_day(store: &AnyStore, now: DateTime<Utc>) -> Result<NaiveDate, ReviewError> {
    Ok(store
        .oldest_post_time()
        .await?
        .unwrap_or(now)
        .with_timezone(&Shanghai)
        .date_naive())
}

/// The signals of the Beijing days `first..=last`, per day or per week (weeks named by their
/// Monday, the whole weeks holding `first` and `last`): the same series as `windvane history`.
pub async fn timeline_between(
    store: &AnyStore,
    first: NaiveDate,
    last: NaiveDate,
    period: Period,
) -> Result<Timeline, ReviewError> {
    let (first, last) = (first.min(last), first.max(last));
    let (first, step) = match period {
        Period::Day => (first, 1),
        Period::Week => (monday(first), 7),
    };
    let mut names = Vec::new();
    let mut d = first;
    while d <= last {
        names.push(d.format("%Y-%m-%d").to_string());
        d += Duration::days(step);
    }
    let end = d;
    let mut counts: BTreeMap<Label, Vec<(i64, i64)>> = Label::ALL
        .into_iter()
        .map(|l| (l, vec![(0, 0); names.len()]))
        .collect();
    let rows = store
        .history_between(&HistoryQuery {
            period,
            since: Some(beijing_midnight(first)),
            until: Some(beijing_midnight(end)),
            ..HistoryQuery::default()
        })
        .await?;
    for row in rows {
        let label = row.label.parse::<Label>().ok();
        if let (Ok(i), Some(counts)) = (
            names.binary_search(&row.period),
            label.and_then(|l| counts.get_mut(&l)),
        ) {
            counts[i] = (row.flagged, row.confirmed);
        }
    }
    Ok(Timeline {
        days: names,
        period,
        counts,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

/// A post's labels for a table: the classifier's with scores, or, when an analyst relabelled
/// it, the analyst's first (`purchase (analyst; classifier: talks 0.91)`).
pub fn labels_summary(p: &ReviewPost) -> String {
    let classifier = p
        .labels
        .iter()
        .map(|l| format!("{} {:.2}", l.label, l.score))
        .collect::<Vec<_>>()
        .join(", ");
    match p.relabelled() {
        Some(analyst) => format!(
            "{} (analyst; classifier: {})",
            analyst_text(analyst),
            if classifier.is_empty() {
                "none"
            } else {
                &classifier
            }
        ),
        None if classifier.is_empty() => "-".into(),
        None => classifier,
    }
}

fn analyst_text(labels: &[Label]) -> String {
    labels
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The CSV header; one row per post. `labels` are the classifier's; `analyst_labels` the
/// labels the latest review confirmed or added (empty when unreviewed or dismissed).
pub const CSV_HEADER: [&str; 12] = [
    "id",
    "source",
    "author",
    "created_at_beijing",
    "url",
    "labels",
    "top_score",
    "status",
    "explanation",
    "classifier_version",
    "text",
    "analyst_labels",
];

/// Writes posts as CSV (UTF-8 with a BOM, so spreadsheets read the Chinese right) or JSONL
/// (everything, evidence and verdicts included). Returns the number of posts written.
pub async fn export(
    store: &AnyStore,
    format: ExportFormat,
    query: &QueueQuery,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    let posts = store.review_queue(query).await?;
    match format {
        ExportFormat::Csv => {
            out.write_all("\u{FEFF}".as_bytes())?;
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(CSV_HEADER)?;
            for p in &posts {
                let labels = p
                    .labels
                    .iter()
                    .map(|l| format!("{} {:.2}", l.label, l.score))
                    .collect::<Vec<_>>()
                    .join("; ");
                let top = p
                    .labels
                    .iter()
                    .map(|l| l.score)
                    .fold(None, |a: Option<f64>, s| Some(a.map_or(s, |a| a.max(s))));
                w.write_record([
                    p.id.to_string(),
                    shown(&p.source_id).into_owned(),
                    shown(&p.author).into_owned(),
                    beijing_minute(p.created_at),
                    shown(&p.url).into_owned(),
                    labels,
                    top.map(|s| format!("{s:.3}")).unwrap_or_default(),
                    p.status.as_str().to_string(),
                    shown(p.explanation.as_deref().unwrap_or_default()).into_owned(),
                    p.classifier_version.clone().unwrap_or_default(),
                    shown(&p.full_text()).into_owned(),
                    p.analyst_labels
                        .iter()
                        .map(|l| l.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ])?;
            }
            w.flush()?;
        }
        ExportFormat::Jsonl => {
            for p in &posts {
                let reviews: Vec<serde_json::Value> = store
                    .reviews_of(p.id)
                    .await?
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "batch": r.batch,
                            "label": r.label,
                            "verdict": r.verdict.as_str(),
                            "note": r.note,
                            "reviewer": r.reviewer,
                            "at": r.created_at,
                        })
                    })
                    .collect();
                let extras = store.post_extras(p.id).await?;
                // The payload is JSON for Weibo (kept as JSON), HTML or XML for the others.
                let raw = extras.as_ref().map(|e| {
                    serde_json::from_str::<serde_json::Value>(&e.raw)
                        .unwrap_or_else(|_| serde_json::Value::String(e.raw.clone()))
                });
                let v = serde_json::json!({
                    "id": p.id,
                    "source_id": p.source_id,
                    "source_name": p.source_name,
                    "platform_id": p.platform_id,
                    "author": p.author,
                    "created_at": p.created_at,
                    "fetched_at": p.fetched_at,
                    "url": p.url,
                    "text": p.text,
                    "retweet_author": p.retweet_author,
                    "retweet_text": p.retweet_text,
                    "full_text": p.full_text(),
                    "edit_count": p.edit_count,
                    "labels": p.labels,
                    "explanation": p.explanation,
                    "classifier_version": p.classifier_version,
                    "status": p.status.as_str(),
                    "analyst_labels": p.analyst_labels,
                    "reviews": reviews,
                    "truncated": p.truncated,
                    "created_at_raw": extras.as_ref().map(|e| &e.created_at_raw),
                    "edit_at": extras.as_ref().and_then(|e| e.edit_at.as_ref()),
                    "pics": extras.as_ref().map(|e| &e.pics),
                    "reposts_count": extras.as_ref().and_then(|e| e.reposts_count),
                    "comments_count": extras.as_ref().and_then(|e| e.comments_count),
                    "attitudes_count": extras.as_ref().and_then(|e| e.attitudes_count),
                    "raw": raw,
                });
                writeln!(out, "{v}")?;
            }
        }
    }
    out.flush()?;
    Ok(posts.len())
}

/// The current status a post is in after `verdicts` (for messages).
/// What a decision recorded, as the CLI prints it and the desk shows it: `talks confirmed,
/// escalation dismissed` (`post` for a verdict on the whole post).
pub fn verdicts_summary(verdicts: &[NewVerdict]) -> String {
    verdicts
        .iter()
        .map(|v| {
            format!(
                "{} {}",
                v.label.map(Label::as_str).unwrap_or("post"),
                v.verdict.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn status_after(verdicts: &[NewVerdict]) -> ReviewStatus {
    if verdicts.iter().any(|v| v.verdict == Verdict::Relabelled) {
        ReviewStatus::Relabelled
    } else if verdicts
        .iter()
        .any(|v| matches!(v.verdict, Verdict::Confirmed | Verdict::Relabelled))
    {
        ReviewStatus::Confirmed
    } else {
        ReviewStatus::Dismissed
    }
}

#[cfg(test)]
mod tests;
