//! The signal history: flagged posts and mean scores per period (Beijing day or week) and
//! label, the series behind `windvane history` and the review desk's chart; and the flagged
//! posts of a time range, for `windvane backtest`.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{parse_ts, ts, Doing, Result, Store};
use crate::classify::Label;

/// A period's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    Day,
    /// Weeks start on Monday (Beijing time); the period is named by its Monday.
    Week,
}

/// What a signal history covers: per `period` and label, narrowed to one label and one
/// source when given, of the posts created in `[since, until)` (either end open).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryQuery {
    pub period: Period,
    pub label: Option<String>,
    pub source: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// One period and label.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    /// `YYYY-MM-DD` (the day, or the week's Monday).
    pub period: String,
    pub label: String,
    /// Posts of the period whose latest classification carries the label.
    pub flagged: i64,
    /// Of those, how many the post's latest review confirmed for this label.
    pub confirmed: i64,
    /// Every post of the period (of the chosen source), flagged or not.
    pub posts: i64,
    pub mean_score: f64,
    pub max_score: f64,
}

fn period_sql(p: Period) -> &'static str {
    match p {
        Period::Day => "substr(datetime(p.created_at, '+8 hours'), 1, 10)",
        Period::Week => "date(datetime(p.created_at, '+8 hours'), 'weekday 0', '-6 days')",
    }
}

/// One label of a flagged post (the post's latest classification).
#[derive(Debug, Clone, PartialEq)]
pub struct FlaggedPost {
    pub post_id: i64,
    pub source_id: String,
    pub source_name: String,
    pub created_at: DateTime<Utc>,
    pub label: Label,
    pub score: f64,
}

/// Every label of every flagged post (its latest classification) created in `[from, to)`
/// (placeholders 1 and 2), narrowed to one label (3) unless that is NULL, oldest first: the
/// same SQL on both backends, `mark(n)` writing the n-th placeholder. Labels differ in their
/// first letter, so any collation orders them alike.
pub(super) fn flagged_between_sql(mark: fn(usize) -> String) -> String {
    let (from, to, label) = (mark(1), mark(2), mark(3));
    format!(
        "SELECT p.id, p.source_id, coalesce(s.name, p.source_id), p.created_at, l.label, l.score
         FROM posts p
         LEFT JOIN sources s ON s.id = p.source_id
         JOIN classifications c
           ON c.id = (SELECT max(c2.id) FROM classifications c2 WHERE c2.post_id = p.id)
         JOIN classification_labels l ON l.classification_id = c.id
         WHERE p.created_at >= {from} AND p.created_at < {to}
           AND (CAST({label} AS TEXT) IS NULL OR l.label = {label})
         ORDER BY p.created_at, p.id, l.label"
    )
}

impl Store {
    /// Per period and label, oldest first; `label` and `source` narrow it.
    pub fn history(
        &self,
        period: Period,
        label: Option<&str>,
        source: Option<&str>,
    ) -> Result<Vec<HistoryRow>> {
        self.history_between(&HistoryQuery {
            period,
            label: label.map(str::to_string),
            source: source.map(str::to_string),
            ..HistoryQuery::default()
        })
    }

    /// The history `q` asks for.
    pub fn history_between(&self, q: &HistoryQuery) -> Result<Vec<HistoryRow>> {
        let conn = self.read();
        let per = period_sql(q.period);
        let mut stmt = conn
            .prepare_cached(&format!(
                "WITH totals AS (
                     SELECT {per} AS period, count(*) AS posts FROM posts p
                     WHERE (?2 IS NULL OR p.source_id = ?2) AND (?3 IS NULL OR p.created_at >= ?3)
                       AND (?4 IS NULL OR p.created_at < ?4)
                     GROUP BY 1)
                 SELECT {per} AS period, l.label, count(*), t.posts, avg(l.score), max(l.score),
                        sum(EXISTS (SELECT 1 FROM reviews r
                                     WHERE r.post_id = p.id AND r.label = l.label
                                       AND r.verdict = 'confirmed'
                                       AND r.batch = (SELECT max(r2.batch) FROM reviews r2
                                                       WHERE r2.post_id = p.id)))
                 FROM posts p
                 JOIN classifications c
                   ON c.id = (SELECT max(c2.id) FROM classifications c2 WHERE c2.post_id = p.id)
                 JOIN classification_labels l ON l.classification_id = c.id
                 JOIN totals t ON t.period = {per}
                 WHERE (?1 IS NULL OR l.label = ?1) AND (?2 IS NULL OR p.source_id = ?2)
                   AND (?3 IS NULL OR p.created_at >= ?3) AND (?4 IS NULL OR p.created_at < ?4)
                 GROUP BY 1, 2 ORDER BY 1, 2"
            ))
            .doing("reading the signal history")?;
        let rows = stmt
            .query_map(
                params![q.label, q.source, q.since.map(ts), q.until.map(ts)],
                |r| {
                    Ok(HistoryRow {
                        period: r.get(0)?,
                        label: r.get(1)?,
                        flagged: r.get(2)?,
                        posts: r.get(3)?,
                        mean_score: r.get(4)?,
                        max_score: r.get(5)?,
                        confirmed: r.get(6)?,
                    })
                },
            )
            .doing("reading the signal history")?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.doing("reading the signal history")?);
        }
        Ok(out)
    }

    /// The creation time of the oldest stored post (the start of an "all" chart).
    pub fn oldest_post_time(&self) -> Result<Option<DateTime<Utc>>> {
        let conn = self.read();
        let t: Option<String> = conn
            .query_row("SELECT min(created_at) FROM posts", [], |r| r.get(0))
            .doing("finding the oldest post")?;
        Ok(t.as_deref().and_then(parse_ts))
    }

    /// Every label of every flagged post created in `[from, to)`, oldest first (then by id);
    /// `label` narrows it.
    pub fn flagged_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        label: Option<Label>,
    ) -> Result<Vec<FlaggedPost>> {
        let conn = self.read();
        let mut stmt = conn
            .prepare_cached(&flagged_between_sql(|n| format!("?{n}")))
            .doing("reading flagged posts")?;
        let rows = stmt
            .query_map(params![ts(from), ts(to), label.map(|l| l.as_str())], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, f64>(5)?,
                ))
            })
            .doing("reading flagged posts")?;
        let mut out = Vec::new();
        for row in rows {
            let (post_id, source_id, source_name, created, label, score) =
                row.doing("reading flagged posts")?;
            // Rows written by this program always parse; anything else is skipped, not fatal.
            let (Some(created_at), Ok(label)) = (parse_ts(&created), label.parse()) else {
                continue;
            };
            out.push(FlaggedPost {
                post_id,
                source_id,
                source_name,
                created_at,
                label,
                score,
            });
        }
        Ok(out)
    }
}
