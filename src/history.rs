//! `windvane history`: flagged posts and mean scores per day or week and label, as a table or
//! CSV (SQL in `store/history.rs`; the review desk's chart reads the same series).

use std::io::Write;

use clap::ValueEnum;

use crate::classify::Label;
use crate::config::Config;
use crate::store::{HistoryRow, Period, Store};

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

/// `windvane history`. `label` is checked against the four labels before any query.
pub fn run(
    cfg: &Config,
    label: Option<&str>,
    source: Option<&str>,
    by: By,
    format: HistoryFormat,
) -> anyhow::Result<()> {
    if let Some(l) = label {
        if l.parse::<Label>().is_err() {
            let known: Vec<&str> = Label::ALL.iter().map(|l| l.as_str()).collect();
            anyhow::bail!("--label `{l}` is not one of {}", known.join(", "));
        }
    }
    let store = Store::open(&cfg.store_path)?;
    let period = match by {
        By::Day => Period::Day,
        By::Week => Period::Week,
    };
    let rows = store.history(period, label, source)?;
    let stdout = std::io::stdout();
    render(&rows, format, &mut stdout.lock())?;
    Ok(())
}
