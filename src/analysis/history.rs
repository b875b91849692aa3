//! `windvane history`: flagged posts and mean scores per day or week and label, as a table or
//! CSV (SQL in `store/history.rs`; the review desk's chart reads the same series).

use std::io::Write;

use clap::ValueEnum;

use crate::classify::Label;
use crate::config::Config;
use crate::store::{AnyStore, HistoryQuery, HistoryRow, Period};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Day,
    Week,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    Table,
    Csv,
}

/// Writes the history of the store to `out`.
pub fn render(
    rows: &[HistoryRow],
    format: HistoryFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        HistoryFormat::Csv => {
            writeln!(
                out,
                "period,label,flagged,posts,mean_score,max_score,confirmed"
            )?;
            for r in rows {
                writeln!(
                    out,
                    "{},{},{},{},{:.4},{:.4},{}",
                    r.period, r.label, r.flagged, r.posts, r.mean_score, r.max_score, r.confirmed
                )?;
            }
        }
        HistoryFormat::Table => {
            writeln!(
                out,
                "{:<10}  {:<13}  {:>7}  {:>6}  {:>5}  {:>5}  {:>9}",
                "period", "label", "flagged", "posts", "mean", "max", "confirmed"
            )?;
            for r in rows {
                writeln!(
                    out,
                    "{:<10}  {:<13}  {:>7}  {:>6}  {:>5.2}  {:>5.2}  {:>9}",
                    r.period, r.label, r.flagged, r.posts, r.mean_score, r.max_score, r.confirmed
                )?;
            }
            if rows.is_empty() {
                writeln!(out, "(no flagged posts)")?;
            }
        }
    }
    Ok(())
}

/// Why `windvane history` stopped: what was asked (exit 2) or the run (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Runtime(#[from] anyhow::Error),
}

impl From<crate::store::StoreError> for HistoryError {
    fn from(e: crate::store::StoreError) -> Self {
        HistoryError::Runtime(e.into())
    }
}

/// `windvane history`. `label` must be one of the four labels and `source` a source the
/// database holds or the config names; either mistake is a usage error, reported before the
/// query (an unknown name would otherwise print an empty history, as if nothing was flagged).
pub async fn run(
    cfg: &Config,
    store: &AnyStore,
    label: Option<&str>,
    source: Option<&str>,
    by: By,
    format: HistoryFormat,
) -> Result<(), HistoryError> {
    if let Some(l) = label {
        if l.parse::<Label>().is_err() {
            let known: Vec<&str> = Label::ALL.iter().map(|l| l.as_str()).collect();
            return Err(HistoryError::Usage(format!(
                "--label `{l}` is not one of {}",
                known.join(", ")
            )));
        }
    }
    if let Some(src) = source {
        let mut known: Vec<String> = store
            .source_statuses()
            .await?
            .into_iter()
            .map(|s| s.id)
            .chain(cfg.sources.iter().map(|s| s.id.clone()))
            .collect();
        known.sort();
        known.dedup();
        if !known.iter().any(|k| k == src) {
            return Err(HistoryError::Usage(format!(
                "--source `{src}` is not a source of this database or config; known: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    let period = match by {
        By::Day => Period::Day,
        By::Week => Period::Week,
    };
    let rows = store
        .history_between(&HistoryQuery {
            period,
            label: label.map(str::to_string),
            source: source.map(str::to_string),
            ..HistoryQuery::default()
        })
        .await?;
    let stdout = std::io::stdout();
    render(&rows, format, &mut stdout.lock()).map_err(anyhow::Error::from)?;
    Ok(())
}
