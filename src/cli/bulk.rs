//! The bulk commands: `import` archives, `reclassify` what is stored, `store copy` a SQLite
//! database into PostgreSQL.

use std::path::PathBuf;

use super::classifier::configured_classifier;
use super::exit::{Exit, EXIT_CONFIG, EXIT_FAILURE, EXIT_OK};
use crate::config::Config;

pub async fn import(
    cfg: &Config,
    files: &[PathBuf],
    source: Option<&str>,
    alert: bool,
) -> Result<i32, Exit> {
    let opts = crate::bulk::import::ImportOptions {
        source: source.map(str::to_string),
        alert,
        ..Default::default()
    };
    let store = super::open_store(cfg).await?;
    // Reading, classifying and writing block; the PostgreSQL writer waits on this runtime.
    let (cfg, files) = (cfg.clone(), files.to_vec());
    let report =
        tokio::task::spawn_blocking(move || crate::bulk::import::run(&cfg, &store, &files, &opts))
            .await
            .map_err(|e| anyhow::anyhow!("the import stopped: {e}"))??;
    let unreadable = report.bad.iter().any(|b| b.place == "file");
    Ok(if unreadable { EXIT_FAILURE } else { EXIT_OK })
}

pub async fn reclassify(cfg: &Config, since: Option<&str>) -> Result<i32, Exit> {
    let since = match since {
        Some(s) => Some(
            crate::sources::time::parse_time(s, chrono::Utc::now()).ok_or_else(|| Exit {
                code: EXIT_CONFIG,
                error: Some(anyhow::anyhow!("--since `{s}` is not a date (YYYY-MM-DD)")),
            })?,
        ),
        None => None,
    };
    let classifier = configured_classifier(cfg)?;
    let store = super::open_store(cfg).await?;
    if let crate::store::AnyStore::Local(s) = &store {
        s.tune_for_bulk_writes().map_err(anyhow::Error::from)?;
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    // Classifying and writing block; the PostgreSQL side waits on this runtime.
    let (alerts, version) = (cfg.alerts.clone(), classifier.version().to_string());
    let r = tokio::task::spawn_blocking(move || {
        crate::bulk::reclassify::reclassify_in(&store, &classifier, &alerts, since, threads)
    })
    .await
    .map_err(|e| anyhow::anyhow!("the reclassify stopped: {e}"))?
    .map_err(anyhow::Error::from)?;
    outln!(
        "{} posts read, {} reclassified with {}, {} flagged, {} new alerts queued",
        r.read,
        r.reclassified,
        version,
        r.flagged,
        r.alerts_queued
    )?;
    Ok(EXIT_OK)
}

#[derive(Debug, clap::Subcommand)]
pub enum StoreCommand {
    /// Copy a SQLite database into PostgreSQL (resumable: run it again to finish an
    /// interrupted copy), then verify by keys and counts. The password comes from PGPASSWORD.
    Copy {
        /// The SQLite database file.
        #[arg(long)]
        from: PathBuf,
        /// postgres://user@host:port/db
        #[arg(long)]
        to: String,
        /// Rows per transaction.
        #[arg(long, default_value_t = crate::bulk::copy::DEFAULT_BATCH)]
        batch: usize,
    },
}

pub async fn store(command: &StoreCommand) -> Result<i32, Exit> {
    let StoreCommand::Copy { from, to, batch } = command;
    let mut pg: tokio_postgres::Config = to.parse().map_err(|e| Exit {
        code: EXIT_CONFIG,
        error: Some(anyhow::anyhow!(
            "--to `{to}` is not a PostgreSQL connection string: {e}"
        )),
    })?;
    if let Some(p) = std::env::var(crate::config::PGPASSWORD)
        .ok()
        .filter(|p| !p.is_empty())
    {
        pg.password(p);
    }
    let tables = crate::bulk::copy::copy(from, pg, *batch, &|line| {
        // (Progress to a closed pipe is dropped, not a panic.)
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    })
    .await?;
    let missing: i64 = tables.iter().map(|t| t.missing).sum();
    if missing > 0 {
        eprintln!(
            "store copy: {missing} rows of `{}` are not in PostgreSQL; run the copy again",
            from.display()
        );
        return Ok(EXIT_FAILURE);
    }
    outln!("store copy: verified")?;
    Ok(EXIT_OK)
}
