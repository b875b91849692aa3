//! `windvane store copy --from PATH.db --to postgres://…`: moves a SQLite database into
//! PostgreSQL (sources, posts with their search terms, post versions, classifications, alerts
//! with their states, reviews, runs), a batch at a time, each batch committed with the
//! table's progress, so an interrupted copy resumes after its last batch. Verified at the
//! end: every post, classification, alert and source of the file is present by key; versions,
//! reviews and runs by the number of rows read and written.

use std::path::Path;

use anyhow::Context as _;

use crate::store::copy::CopyTable;
use crate::store::pg::PgStore;
use crate::store::Store;

/// Rows per batch (one PostgreSQL transaction each).
pub const DEFAULT_BATCH: usize = 500;

/// One table's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: CopyTable,
    /// Rows in the SQLite file.
    pub sqlite: i64,
    /// Rows inserted by this invocation (a resumed copy counts only the rest).
    pub inserted: u64,
    /// Rows of the table in PostgreSQL now (runs: those copied from SQLite).
    pub postgres: i64,
    /// Rows of the file not found in PostgreSQL (by key, or by count where rows have none).
    pub missing: i64,
}

/// Copies `from` into the database `to` reaches; `say` hears one line per table.
pub async fn copy(
    from: &Path,
    to: tokio_postgres::Config,
    batch: usize,
    say: &(dyn Fn(String) + Sync),
) -> anyhow::Result<Vec<TableCopy>> {
    if !from.is_file() {
        anyhow::bail!(
            "`{}` is not a windvane SQLite database file",
            from.display()
        );
    }
    let store = Store::open(from).with_context(|| format!("cannot open `{}`", from.display()))?;
    // The file names its copy: the same file copied again resumes.
    let db = std::fs::canonicalize(from)
        .with_context(|| format!("cannot resolve `{}`", from.display()))?
        .display()
        .to_string();
    let pg = PgStore::connect_with(to).await?;
    pg.migrate()
        .await
        .context("cannot apply the PostgreSQL migrations")?;
    let mut out = Vec::new();
    for table in CopyTable::ALL {
        let mut after = pg.copy_progress(&db, table).await?;
        if after > 0 {
            say(format!("{}: resuming after row {after}", table.as_str()));
        }
        let mut inserted = 0;
        loop {
            let rows = store
                .call(move |s| s.copy_batch(table, after, batch.max(1)))
                .await?;
            let Some(last) = rows.last_key() else { break };
            inserted += pg
                .copy_write(&db, &rows)
                .await
                .with_context(|| format!("cannot copy {} after row {after}", table.as_str()))?;
            after = last;
        }
        let sqlite = store.call(move |s| s.copy_count(table)).await?;
        let postgres = pg.copy_count(table).await?;
        let missing = match table {
            CopyTable::Versions | CopyTable::Reviews | CopyTable::Runs => {
                let read = pg.copy_rows_read(&db, table).await?;
                (sqlite - read).max(0) + (sqlite - postgres).max(0)
            }
            _ => {
                let theirs = pg.copy_keys(table).await?;
                let ours = store.call(move |s| s.copy_keys(table)).await?;
                i64::try_from(ours.iter().filter(|k| !theirs.contains(*k)).count())
                    .unwrap_or(i64::MAX)
            }
        };
        say(format!(
            "{}: {sqlite} in SQLite, {inserted} copied now, {postgres} in PostgreSQL{}",
            table.as_str(),
            if missing == 0 {
                ", verified".to_string()
            } else {
                format!(", {missing} MISSING")
            }
        ));
        out.push(TableCopy {
            table,
            sqlite,
            inserted,
            postgres,
            missing,
        });
    }
    Ok(out)
}
