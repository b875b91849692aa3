//! Review: analysts' verdicts, the review queue, full-text search, timelines and exports.
//! The review module (`crate::review`) and the web desk call these; they hold no SQL.

use chrono::{DateTime, Utc};
use rusqlite::{params, params_from_iter, OptionalExtension};

use super::{parse_ts, ts, Doing, Result, Store};
use crate::classify::{Evidence, Label, LabelScore};

/// An analyst's verdict on one label of one post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The classifier's label is right.
    Confirmed,
    /// The classifier's label is wrong (or the post is noise).
    Dismissed,
    /// A label the classifier missed, added by the analyst.
    Relabelled,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Dismissed => "dismissed",
            Verdict::Relabelled => "relabelled",
        }
    }

    pub(super) fn parse(s: &str) -> Verdict {
        match s {
            "confirmed" => Verdict::Confirmed,
            "relabelled" => Verdict::Relabelled,
            _ => Verdict::Dismissed,
        }
    }
}

/// Where a post stands in review, from its latest review action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStatus {
    Unreviewed,
    /// The classifier's labels were confirmed (some may have been dismissed).
    Confirmed,
    /// An analyst gave labels the classifier did not (`review confirm ID --label …` naming a
    /// label it missed): `ReviewPost::analyst_labels` holds them.
    Relabelled,
    /// Every label was dismissed.
    Dismissed,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Unreviewed => "unreviewed",
            ReviewStatus::Confirmed => "confirmed",
            ReviewStatus::Relabelled => "relabelled",
            ReviewStatus::Dismissed => "dismissed",
        }
    }
}

impl std::str::FromStr for ReviewStatus {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim() {
            "unreviewed" => Ok(ReviewStatus::Unreviewed),
            "confirmed" => Ok(ReviewStatus::Confirmed),
            "relabelled" => Ok(ReviewStatus::Relabelled),
            "dismissed" => Ok(ReviewStatus::Dismissed),
            other => Err(format!(
                "unknown status `{other}`; expected unreviewed, confirmed, relabelled or dismissed"
            )),
        }
    }
}

/// A stored post with its latest classification and review status.
#[derive(Debug, Clone)]
pub struct ReviewPost {
    pub id: i64,
    pub source_id: String,
    pub source_name: String,
    pub platform_id: String,
    pub author: String,
    pub text: String,
    pub retweet_author: Option<String>,
    pub retweet_text: Option<String>,
    pub url: String,
    pub created_at: DateTime<Utc>,
    pub fetched_at: DateTime<Utc>,
    pub edit_count: i64,
    pub truncated: bool,
    /// Labels of the latest classification, highest score first.
    pub labels: Vec<LabelScore>,
    pub explanation: Option<String>,
    pub classifier_version: Option<String>,
    pub status: ReviewStatus,
    /// The labels the latest review says the post has (confirmed or added), best first as the
    /// classifier ranked them, added ones after; empty when unreviewed or dismissed.
    pub analyst_labels: Vec<Label>,
    /// How many reviews the post has had: a verdict is recorded only against the version the
    /// analyst saw (`Store::record_review`), so two analysts cannot overwrite each other.
    pub version: i64,
}

impl ReviewPost {
    /// The text the classifier saw and evidence offsets point into; the same as
    /// `post::Post::full_text` (tested).
    pub fn full_text(&self) -> String {
        match self.retweet_text.as_deref() {
            Some(rt) if !rt.is_empty() => format!("{}\n//{}", self.text, rt),
            _ => self.text.clone(),
        }
    }

    /// The analyst's labels when the latest review differs from the classifier (a label added
    /// or one dismissed while others were confirmed); `None` when unreviewed, dismissed, or
    /// confirmed as classified.
    pub fn relabelled(&self) -> Option<&[Label]> {
        let same = self.analyst_labels.len() == self.labels.len()
            && self
                .labels
                .iter()
                .all(|l| self.analyst_labels.contains(&l.label));
        (matches!(
            self.status,
            ReviewStatus::Confirmed | ReviewStatus::Relabelled
        ) && !same)
            .then_some(self.analyst_labels.as_slice())
    }

    pub fn score(&self, label: Label) -> Option<f64> {
        self.labels
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.score)
    }
}

/// Filters for the review queue and exports. `None` means no filter.
#[derive(Debug, Clone, Default)]
pub struct QueueQuery {
    pub label: Option<Label>,
    pub source: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// With `label`: that label's score; without: the post's best score.
    pub min_score: Option<f64>,
    pub status: Option<ReviewStatus>,
    /// Only posts with at least one label.
    pub flagged_only: bool,
    pub limit: Option<usize>,
    pub offset: usize,
}

/// A post's payload and details, for the JSONL export.
#[derive(Debug, Clone, PartialEq)]
pub struct PostExtras {
    pub raw: String,
    pub created_at_raw: String,
    pub pics: Vec<String>,
    pub reposts_count: Option<i64>,
    pub comments_count: Option<i64>,
    pub attitudes_count: Option<i64>,
    pub edit_at: Option<String>,
    pub truncated: bool,
}

/// One verdict as stored.
#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub batch: i64,
    pub post_id: i64,
    pub label: Option<Label>,
    pub verdict: Verdict,
    pub note: String,
    pub reviewer: String,
    pub created_at: DateTime<Utc>,
}

/// A verdict to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewVerdict {
    pub label: Option<Label>,
    pub verdict: Verdict,
}

/// Current verdicts counted per (month of the post, label, verdict).
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictCount {
    /// `YYYY-MM`, Beijing time.
    pub month: String,
    pub label: Label,
    pub verdict: Verdict,
    pub count: i64,
}

/// The latest fetch run of a source.
#[derive(Debug, Clone)]
pub struct LastRun {
    pub source_id: String,
    pub finished_at: String,
    pub outcome: String,
    pub error_kind: Option<String>,
    /// Posts the run read; `None` where runs do not record it (cluster mode counts new
    /// posts only).
    pub fetched: Option<i64>,
    pub new_posts: i64,
}

/// A verdict write the store refused: the post's verdicts changed since the analyst read
/// them (another analyst, another desk, another instance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleVerdict {
    pub post_id: i64,
    /// The version the analyst decided on.
    pub expected: i64,
    /// The version the post has now.
    pub current: i64,
    /// Who recorded the latest review, and when (none if the post has no review row, e.g.
    /// its reviews were not copied).
    pub by: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// One review action to record: the verdicts of one analyst's decision on one post, and the
/// verdict version they decided on (`None`: whatever the version is when it is written).
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictRecord {
    pub post_id: i64,
    pub expected: Option<i64>,
    pub verdicts: Vec<NewVerdict>,
    pub note: String,
    pub reviewer: String,
    pub at: DateTime<Utc>,
}

/// What `record_review` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerdictWrite {
    /// Written as `batch`; the post is now at `version`.
    Recorded { batch: i64, version: i64 },
    /// Nothing written: the post moved on since the analyst read it.
    Stale(StaleVerdict),
    /// Nothing written: no post with that id.
    NoPost,
}

const LATEST_CLASS: &str = "(SELECT max(c.id) FROM classifications c WHERE c.post_id = p.id)";
pub(super) const LATEST_BATCH: &str = "(SELECT max(r.batch) FROM reviews r WHERE r.post_id = p.id)";

/// A post's review status as SQL over `p` (posts), the same text on both backends.
pub(super) fn status_sql() -> String {
    format!(
        "CASE WHEN NOT EXISTS (SELECT 1 FROM reviews r WHERE r.post_id = p.id) THEN 'unreviewed'
              WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.post_id = p.id AND r.batch = {LATEST_BATCH}
                           AND r.verdict = 'relabelled') THEN 'relabelled'
              WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.post_id = p.id AND r.batch = {LATEST_BATCH}
                           AND r.verdict = 'confirmed') THEN 'confirmed'
              ELSE 'dismissed' END"
    )
}

/// A value the review queue's SQL binds, before a backend gives it its own type.
pub(super) enum QueueArg {
    Text(String),
    Time(DateTime<Utc>),
    Real(f64),
    Int(i64),
    /// `None`: every row.
    Limit(Option<i64>),
}

/// The review queue's filters, order and paging, written once for both backends: the SQL
/// after a post select over `p` (posts) and `c` (its latest classification), and its
/// arguments in order; `mark(n)` writes the n-th placeholder (`?n` on SQLite, `$n` on
/// PostgreSQL).
pub(super) fn queue_clauses(q: &QueueQuery, mark: fn(usize) -> String) -> (String, Vec<QueueArg>) {
    let mut wheres: Vec<String> = Vec::new();
    let mut args: Vec<QueueArg> = Vec::new();
    let mut arg = |v: QueueArg| {
        args.push(v);
        mark(args.len())
    };
    if let Some(source) = &q.source {
        wheres.push(format!(
            "p.source_id = {}",
            arg(QueueArg::Text(source.clone()))
        ));
    }
    if let Some(since) = q.since {
        wheres.push(format!("p.created_at >= {}", arg(QueueArg::Time(since))));
    }
    if let Some(until) = q.until {
        wheres.push(format!("p.created_at < {}", arg(QueueArg::Time(until))));
    }
    let min = q.min_score.unwrap_or(f64::NEG_INFINITY);
    match q.label {
        Some(label) => wheres.push(format!(
            "EXISTS (SELECT 1 FROM classification_labels l WHERE l.classification_id = c.id
                     AND l.label = {} AND l.score >= {})",
            arg(QueueArg::Text(label.as_str().to_string())),
            arg(QueueArg::Real(min))
        )),
        None if q.flagged_only || q.min_score.is_some() => wheres.push(format!(
            "EXISTS (SELECT 1 FROM classification_labels l WHERE l.classification_id = c.id
                     AND l.score >= {})",
            arg(QueueArg::Real(min))
        )),
        None => {}
    }
    if let Some(status) = q.status {
        wheres.push(format!(
            "{} = {}",
            status_sql(),
            arg(QueueArg::Text(status.as_str().to_string()))
        ));
    }
    let limit = q.limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX));
    let sql = format!(
        "{} ORDER BY p.created_at DESC, p.id DESC LIMIT {} OFFSET {}",
        if wheres.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", wheres.join(" AND "))
        },
        arg(QueueArg::Limit(limit)),
        arg(QueueArg::Int(i64::try_from(q.offset).unwrap_or(i64::MAX))),
    );
    (sql, args)
}

/// Posts indexed per transaction by `Store::index_missing`.
pub const INDEX_BATCH: usize = 5_000;

/// A post's full text as the classifier and the search index read it (`Post::full_text`).
fn full_text(text: String, retweet_text: Option<String>) -> String {
    match retweet_text.as_deref() {
        Some(rt) if !rt.is_empty() => format!("{text}\n//{rt}"),
        _ => text,
    }
}

fn post_select() -> String {
    format!(
        "SELECT p.id, p.source_id, coalesce(s.name, p.source_id), p.platform_id, p.author, p.text,
                p.retweet_author, p.retweet_text, p.url, p.created_at, p.fetched_at, p.edit_count,
                p.truncated, c.id, c.explanation, c.classifier_version, {status} AS status,
                p.review_version
         FROM posts p
         LEFT JOIN sources s ON s.id = p.source_id
         LEFT JOIN classifications c ON c.id = {LATEST_CLASS}",
        status = status_sql()
    )
}

/// A post row without its labels, and the classification id to read them from.
fn post_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ReviewPost, Option<i64>)> {
    let created: String = r.get(9)?;
    let fetched: String = r.get(10)?;
    let status: String = r.get(16)?;
    Ok((
        ReviewPost {
            id: r.get(0)?,
            source_id: r.get(1)?,
            source_name: r.get(2)?,
            platform_id: r.get(3)?,
            author: r.get(4)?,
            text: r.get(5)?,
            retweet_author: r.get(6)?,
            retweet_text: r.get(7)?,
            url: r.get(8)?,
            created_at: parse_ts(&created).unwrap_or_default(),
            fetched_at: parse_ts(&fetched).unwrap_or_default(),
            edit_count: r.get(11)?,
            truncated: r.get(12)?,
            labels: Vec::new(),
            explanation: r.get(14)?,
            classifier_version: r.get(15)?,
            status: status.parse().unwrap_or(ReviewStatus::Unreviewed),
            analyst_labels: Vec::new(),
            version: r.get(17)?,
        },
        r.get(13)?,
    ))
}

fn labels_of(conn: &rusqlite::Connection, class_id: i64) -> Result<Vec<LabelScore>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT label, score, evidence FROM classification_labels
             WHERE classification_id = ?1 ORDER BY score DESC, label",
        )
        .doing("reading a post's labels")?;
    let rows = stmt
        .query_map([class_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, f64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .doing("reading a post's labels")?;
    let mut out = Vec::new();
    for row in rows {
        let (label, score, evidence) = row.doing("reading a post's labels")?;
        // A label name this build does not know (a newer classifier's) is skipped, not fatal.
        let Ok(label) = label.parse::<Label>() else {
            continue;
        };
        let evidence: Vec<Evidence> = serde_json::from_str(&evidence).unwrap_or_default();
        out.push(LabelScore {
            label,
            score,
            evidence,
        });
    }
    Ok(out)
}

/// The labels a post's latest review batch confirmed or added: the classifier's in its order,
/// then added ones.
fn analyst_labels(
    conn: &rusqlite::Connection,
    post_id: i64,
    predicted: &[LabelScore],
) -> Result<Vec<Label>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT r.label FROM reviews r
             WHERE r.post_id = ?1 AND r.label IS NOT NULL
               AND r.verdict IN ('confirmed', 'relabelled')
               AND r.batch = (SELECT max(r2.batch) FROM reviews r2 WHERE r2.post_id = ?1)
             ORDER BY r.id",
        )
        .doing("reading a post's verdicts")?;
    let rows = stmt
        .query_map([post_id], |r| r.get::<_, String>(0))
        .doing("reading a post's verdicts")?;
    let mut present = Vec::new();
    for row in rows {
        if let Ok(l) = row.doing("reading a post's verdicts")?.parse::<Label>() {
            present.push(l);
        }
    }
    Ok(analyst_order(predicted, present))
}

/// The labels the latest review confirmed or added (`present`, in the order recorded) as a
/// post shows them: the classifier's in its order, then added ones.
pub(super) fn analyst_order(predicted: &[LabelScore], present: Vec<Label>) -> Vec<Label> {
    let mut out: Vec<Label> = predicted
        .iter()
        .map(|l| l.label)
        .filter(|l| present.contains(l))
        .collect();
    for l in present {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

fn with_labels(
    conn: &rusqlite::Connection,
    rows: Vec<(ReviewPost, Option<i64>)>,
) -> Result<Vec<ReviewPost>> {
    rows.into_iter()
        .map(|(mut p, class_id)| {
            if let Some(id) = class_id {
                p.labels = labels_of(conn, id)?;
            }
            if matches!(p.status, ReviewStatus::Confirmed | ReviewStatus::Relabelled) {
                p.analyst_labels = analyst_labels(conn, p.id, &p.labels)?;
            }
            Ok(p)
        })
        .collect()
}

/// Beijing date of a stored UTC timestamp column, as SQL.
fn beijing_day(col: &str) -> String {
    format!("substr(datetime({col}, '+8 hours'), 1, 10)")
}

impl Store {
    /// One post with its latest classification, or `None`.
    pub fn review_post(&self, id: i64) -> Result<Option<ReviewPost>> {
        let conn = self.read();
        let row = conn
            .query_row(
                &format!("{} WHERE p.id = ?1", post_select()),
                [id],
                post_from_row,
            )
            .optional()
            .doing("reading a post")?;
        match row {
            None => Ok(None),
            Some(row) => Ok(with_labels(&conn, vec![row])?.pop()),
        }
    }

    /// Posts matching `q`, newest first.
    pub fn review_queue(&self, q: &QueueQuery) -> Result<Vec<ReviewPost>> {
        let (clauses, queue_args) = queue_clauses(q, |n| format!("?{n}"));
        let args: Vec<rusqlite::types::Value> = queue_args
            .into_iter()
            .map(|a| match a {
                QueueArg::Text(t) => t.into(),
                QueueArg::Time(t) => ts(t).into(),
                QueueArg::Real(x) => x.into(),
                QueueArg::Int(n) => n.into(),
                // SQLite's "no limit".
                QueueArg::Limit(n) => n.unwrap_or(-1).into(),
            })
            .collect();
        let sql = format!("{} {clauses}", post_select());
        let conn = self.read();
        let mut stmt = conn.prepare(&sql).doing("listing the review queue")?;
        let rows = stmt
            .query_map(params_from_iter(args.iter()), post_from_row)
            .doing("listing the review queue")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading the review queue")?;
        with_labels(&conn, rows)
    }

    /// Records one review action: every verdict gets the same new batch, which supersedes the
    /// post's earlier ones, and the post's verdict version goes up by one. With `expected`,
    /// only if the post is still at that version (what the analyst saw): otherwise nothing is
    /// written and the answer names who changed it. `None` records whatever the version is.
    pub fn record_review(&self, r: &VerdictRecord) -> Result<VerdictWrite> {
        let (post_id, expected) = (r.post_id, r.expected);
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting a review")?;
        let version: Option<i64> = tx
            .query_row(
                "UPDATE posts SET review_version = review_version + 1
                 WHERE id = ?1 AND (?2 IS NULL OR review_version = ?2) RETURNING review_version",
                params![post_id, expected],
                |r| r.get(0),
            )
            .optional()
            .doing("versioning a review")?;
        let Some(version) = version else {
            let current: Option<i64> = tx
                .query_row(
                    "SELECT review_version FROM posts WHERE id = ?1",
                    [post_id],
                    |r| r.get(0),
                )
                .optional()
                .doing("reading a post's verdict version")?;
            let Some(current) = current else {
                return Ok(VerdictWrite::NoPost);
            };
            let last: Option<(String, String)> = tx
                .query_row(
                    "SELECT reviewer, created_at FROM reviews WHERE post_id = ?1
                     ORDER BY batch DESC, id DESC LIMIT 1",
                    [post_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .doing("reading a post's latest review")?;
            return Ok(VerdictWrite::Stale(StaleVerdict {
                post_id,
                expected: expected.unwrap_or_default(),
                current,
                at: last.as_ref().and_then(|l| parse_ts(&l.1)),
                by: last.map(|l| l.0),
            }));
        };
        let batch: i64 = tx
            .query_row("SELECT coalesce(max(batch), 0) + 1 FROM reviews", [], |r| {
                r.get(0)
            })
            .doing("numbering a review")?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO reviews (batch, post_id, label, verdict, note, reviewer, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .doing("preparing a review insert")?;
            for v in &r.verdicts {
                insert
                    .execute(params![
                        batch,
                        post_id,
                        v.label.map(Label::as_str),
                        v.verdict.as_str(),
                        r.note,
                        r.reviewer,
                        ts(r.at)
                    ])
                    .doing("recording a verdict")?;
            }
        }
        tx.commit().doing("committing a review")?;
        Ok(VerdictWrite::Recorded { batch, version })
    }

    /// Every reviewed post's full text with the labels analysts judged it to carry (its latest
    /// batch: confirmed and relabelled labels present, dismissed ones absent). For training.
    pub fn reviewed_examples(&self) -> Result<Vec<(String, Vec<Label>)>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare(
                "SELECT r.post_id, p.text, p.retweet_text, r.label, r.verdict
                 FROM reviews r JOIN posts p ON p.id = r.post_id
                 WHERE r.batch = (SELECT max(batch) FROM reviews WHERE post_id = r.post_id)
                 ORDER BY r.post_id, r.id",
            )
            .doing("reading reviewed posts")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .doing("reading reviewed posts")?;
        let rows = rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading reviewed posts")?;
        Ok(reviewed_examples_of(rows))
    }

    /// Every verdict on a post, oldest first.
    /// What a full export adds to a post: the raw payload it was parsed from, and for Weibo
    /// its pictures, counts and edit time.
    pub fn post_extras(&self, post_id: i64) -> Result<Option<PostExtras>> {
        let conn = self.read();
        conn.query_row(
            "SELECT raw, created_at_raw, pics, reposts_count, comments_count, attitudes_count,
                    edit_at, truncated
             FROM posts WHERE id = ?1",
            [post_id],
            |r| {
                let pics: String = r.get(2)?;
                Ok(PostExtras {
                    raw: r.get(0)?,
                    created_at_raw: r.get(1)?,
                    // Written by windvane as a JSON array; an unreadable one exports as none.
                    pics: serde_json::from_str(&pics).unwrap_or_default(),
                    reposts_count: r.get(3)?,
                    comments_count: r.get(4)?,
                    attitudes_count: r.get(5)?,
                    edit_at: r.get(6)?,
                    truncated: r.get(7)?,
                })
            },
        )
        .optional()
        .doing("reading a post's payload")
    }

    pub fn reviews_of(&self, post_id: i64) -> Result<Vec<ReviewRow>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(
                "SELECT batch, post_id, label, verdict, note, reviewer, created_at FROM reviews
                 WHERE post_id = ?1 ORDER BY batch, id",
            )
            .doing("reading a post's reviews")?;
        let rows = stmt
            .query_map([post_id], |r| {
                let label: Option<String> = r.get(2)?;
                let verdict: String = r.get(3)?;
                let created: String = r.get(6)?;
                Ok(ReviewRow {
                    batch: r.get(0)?,
                    post_id: r.get(1)?,
                    label: label.and_then(|l| l.parse().ok()),
                    verdict: Verdict::parse(&verdict),
                    note: r.get(4)?,
                    reviewer: r.get(5)?,
                    created_at: parse_ts(&created).unwrap_or_default(),
                })
            })
            .doing("reading a post's reviews")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading a post's reviews")
    }

    /// Current verdicts (each post's latest batch), per month of the post, label and verdict.
    pub fn verdict_counts(&self) -> Result<Vec<VerdictCount>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT substr({day}, 1, 7) AS month, r.label, r.verdict, count(*)
                 FROM reviews r JOIN posts p ON p.id = r.post_id
                 WHERE r.label IS NOT NULL AND r.batch = {LATEST_BATCH}
                 GROUP BY month, r.label, r.verdict ORDER BY month, r.label, r.verdict",
                day = beijing_day("p.created_at")
            ))
            .doing("counting verdicts")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })
            .doing("counting verdicts")?;
        let mut out = Vec::new();
        for row in rows {
            let (month, label, verdict, count) = row.doing("counting verdicts")?;
            if let Ok(label) = label.parse() {
                out.push(VerdictCount {
                    month,
                    label,
                    verdict: Verdict::parse(&verdict),
                    count,
                });
            }
        }
        Ok(out)
    }

    /// Search over every stored post, indexing any post not yet indexed first: the posts
    /// whose text contains every word typed (words split on spaces and punctuation; 关税 谈判),
    /// as strings, whatever the segmenter made of them (`text::search`). Most recently stored
    /// first, at most `limit`.
    pub fn search(
        &self,
        segmenter: &crate::text::Segmenter,
        query: &str,
        limit: usize,
    ) -> Result<Vec<ReviewPost>> {
        self.index_missing(&|t| segmenter.index_words(t))?;
        let Some(q) = crate::text::SearchQuery::parse(query) else {
            return Ok(Vec::new());
        };
        self.search_posts(&q.match_expr, limit)
    }

    /// Full-text search: `match_expr` is an FTS5 query over the n-gram index
    /// (`text::SearchQuery`), which answers exactly. The most recently stored posts first (a
    /// matching post is one that contains the words, so there is no better or worse match to
    /// rank by); FTS5 walks the matches newest first and stops after `limit`, so a broad query
    /// costs little more than a narrow one.
    pub fn search_posts(&self, match_expr: &str, limit: usize) -> Result<Vec<ReviewPost>> {
        let conn = self.read();
        let ids: Vec<i64> = {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1
                     ORDER BY rowid DESC LIMIT ?2",
                )
                .doing("searching posts")?;
            let rows = stmt
                .query_map(
                    params![match_expr, limit.min(i64::MAX as usize) as i64],
                    |r| r.get(0),
                )
                .doing("searching posts")?;
            rows.collect::<rusqlite::Result<_>>()
                .doing("searching posts")?
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The ids are integers read from the index: safe to inline.
        let list = ids
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let mut stmt = conn
            .prepare(&format!(
                "{} WHERE p.id IN ({list}) ORDER BY p.id DESC",
                post_select()
            ))
            .doing("searching posts")?;
        let rows = stmt
            .query_map([], post_from_row)
            .doing("searching posts")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .doing("searching posts")?;
        with_labels(&conn, rows)
    }

    /// Indexes every post that has no search-index row: the posts `posts_fts_pending` names
    /// (stored before the index existed, or whose text changed since) and any post newer than
    /// the newest index row. Both lookups use an index, so calling this before every search
    /// costs next to nothing. `words` turns a post's full text into its index terms
    /// (`Segmenter::index_words`). Works in batches of [`INDEX_BATCH`] posts, one transaction
    /// each, so re-indexing a million posts (after migration 09) holds one batch in memory.
    /// Returns how many were indexed.
    pub fn index_missing(&self, words: &dyn Fn(&str) -> String) -> Result<usize> {
        let mut total = 0;
        loop {
            let n = self.index_missing_batch(words)?;
            total += n;
            if n < INDEX_BATCH {
                return Ok(total);
            }
        }
    }

    fn index_missing_batch(&self, words: &dyn Fn(&str) -> String) -> Result<usize> {
        // Found on a reader: a search finding nothing to index never takes the writer.
        let todo: Vec<(i64, String, Option<String>)> = {
            let conn = self.read();
            // One snapshot for both statements: an ingest committing between them would
            // otherwise look unindexed.
            let snapshot = conn
                .unchecked_transaction()
                .doing("finding posts to index")?;
            // The newest index row, from FTS5's own per-row table (one b-tree lookup), bound as
            // a parameter so the posts after it are a rowid range.
            let newest: i64 = snapshot
                .query_row(
                    "SELECT coalesce(max(id), 0) FROM posts_fts_docsize",
                    [],
                    |r| r.get(0),
                )
                .doing("finding posts to index")?;
            let mut stmt = snapshot
                .prepare_cached(
                    // CROSS JOIN keeps the (small) pending table outside: with it empty, the
                    // planner would otherwise scan every post.
                    "SELECT * FROM (
                       SELECT p.id, p.text, p.retweet_text
                         FROM posts_fts_pending q CROSS JOIN posts p ON p.id = q.post_id
                       UNION
                       SELECT p.id, p.text, p.retweet_text FROM posts p WHERE p.id > ?1)
                     ORDER BY 1 LIMIT ?2",
                )
                .doing("finding posts to index")?;
            let rows = stmt
                .query_map(params![newest, INDEX_BATCH as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .doing("finding posts to index")?;
            let todo = rows
                .collect::<rusqlite::Result<Vec<_>>>()
                .doing("finding posts to index")?;
            drop(stmt);
            snapshot.finish().doing("finding posts to index")?;
            todo
        };
        if todo.is_empty() {
            return Ok(0);
        }
        // The terms are computed without the lock held; the rows are written in one transaction.
        let indexed: Vec<(i64, String)> = todo
            .into_iter()
            .map(|(id, text, rt)| (id, words(&full_text(text, rt))))
            .collect();
        let mut conn = self.lock();
        let tx = conn.transaction().doing("starting to index posts")?;
        {
            let mut delete = tx
                .prepare_cached("DELETE FROM posts_fts WHERE rowid = ?1")
                .doing("indexing posts")?;
            let mut insert = tx
                .prepare_cached("INSERT INTO posts_fts (rowid, words) VALUES (?1, ?2)")
                .doing("indexing posts")?;
            let mut done = tx
                .prepare_cached("DELETE FROM posts_fts_pending WHERE post_id = ?1")
                .doing("indexing posts")?;
            for (id, w) in &indexed {
                delete.execute([id]).doing("indexing posts")?;
                insert.execute(params![id, w]).doing("indexing posts")?;
                done.execute([id]).doing("indexing posts")?;
            }
        }
        tx.commit().doing("committing the search index")?;
        Ok(indexed.len())
    }

    /// The latest fetch run of every source that has one.
    pub fn last_runs(&self) -> Result<Vec<LastRun>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare(
                "SELECT r.source_id, r.finished_at, r.outcome, r.error_kind, r.fetched, r.new_posts
                 FROM fetch_runs r
                 WHERE r.id = (SELECT max(id) FROM fetch_runs WHERE source_id = r.source_id)
                 ORDER BY r.source_id",
            )
            .doing("reading the last fetch runs")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(LastRun {
                    source_id: r.get(0)?,
                    finished_at: r.get(1)?,
                    outcome: r.get(2)?,
                    error_kind: r.get(3)?,
                    fetched: r.get(4)?,
                    new_posts: r.get(5)?,
                })
            })
            .doing("reading the last fetch runs")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading the last fetch runs")
    }

    /// The alerts raised for one post.
    pub fn alerts_for_post(&self, post_id: i64) -> Result<Vec<super::AlertRow>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {} FROM alerts WHERE post_id = ?1 ORDER BY id",
                super::alerts::ALERT_COLUMNS
            ))
            .doing("reading a post's alerts")?;
        let rows = stmt
            .query_map([post_id], super::alerts::from_row)
            .doing("reading a post's alerts")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .doing("reading a post's alerts")
    }
}

/// Reviewed posts as training examples, from the rows of their latest review batch in post
/// order (`(post id, text, retweet text, label, verdict)`): each post's full text with the
/// labels confirmed or relabelled present (dismissed ones absent), sorted. Both backends read
/// their rows into this.
pub(crate) fn reviewed_examples_of(
    rows: impl IntoIterator<Item = (i64, String, Option<String>, Option<String>, String)>,
) -> Vec<(String, Vec<Label>)> {
    let mut out: Vec<(i64, String, Vec<Label>)> = Vec::new();
    for (id, text, rt, label, verdict) in rows {
        if out.last().is_none_or(|o| o.0 != id) {
            let full = match rt.filter(|t| !t.is_empty()) {
                Some(rt) => format!("{text}\n//{rt}"),
                None => text,
            };
            out.push((id, full, Vec::new()));
        }
        let present = verdict == "confirmed" || verdict == "relabelled";
        if let (Some(l), true, Some(last)) = (
            label.and_then(|l| l.parse::<Label>().ok()),
            present,
            out.last_mut(),
        ) {
            if !last.2.contains(&l) {
                last.2.push(l);
            }
        }
    }
    out.into_iter()
        .map(|(_, t, mut ls)| {
            ls.sort();
            (t, ls)
        })
        .collect()
}
