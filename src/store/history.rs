//! The signal history: flagged posts and mean scores per period (Beijing day or week) and
//! label, the series behind `windvane history`.

use rusqlite::params;

use super::{Doing, Result, Store};

/// A period's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    /// Weeks start on Monday (Beijing time); the period is named by its Monday.
    Week,
}

/// One period and label.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    /// `YYYY-MM-DD` (the day, or the week's Monday).
    pub period: String,
    pub label: String,
    /// Posts of the period whose latest classification carries the label.
    pub flagged: i64,
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

impl Store {
    /// Per period and label, oldest first; `label` and `source` narrow it.
    pub fn history(
        &self,
        period: Period,
        label: Option<&str>,
        source: Option<&str>,
    ) -> Result<Vec<HistoryRow>> {
        let conn = self.lock();
        let per = period_sql(period);
        let mut stmt = conn
            .prepare(&format!(
                "WITH totals AS (
                     SELECT {per} AS period, count(*) AS posts FROM posts p
                     WHERE (?2 IS NULL OR p.source_id = ?2) GROUP BY 1)
                 SELECT {per} AS period, l.label, count(*), t.posts, avg(l.score), max(l.score)
                 FROM posts p
                 JOIN classifications c
                   ON c.id = (SELECT max(c2.id) FROM classifications c2 WHERE c2.post_id = p.id)
                 JOIN classification_labels l ON l.classification_id = c.id
                 JOIN totals t ON t.period = {per}
                 WHERE (?1 IS NULL OR l.label = ?1) AND (?2 IS NULL OR p.source_id = ?2)
                 GROUP BY 1, 2 ORDER BY 1, 2"
            ))
            .doing("reading the signal history")?;
        let rows = stmt
            .query_map(params![label, source], |r| {
                Ok(HistoryRow {
                    period: r.get(0)?,
                    label: r.get(1)?,
                    flagged: r.get(2)?,
                    posts: r.get(3)?,
                    mean_score: r.get(4)?,
                    max_score: r.get(5)?,
                })
            })
            .doing("reading the signal history")?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.doing("reading the signal history")?);
        }
        Ok(out)
    }
}
