//! The command line (clap derive), the top layer: `dispatch` loads the configuration and
//! hands each command to its module (`ops`, `classifier`, `bulk`, `alerts`, `review`), which
//! owns the command's body. Nothing below `cli/` imports it.

mod alerts;
mod bulk;
mod classifier;
mod exit;
mod ops;
pub mod review;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
pub use exit::{is_broken_pipe, stdout_error, Exit, EXIT_CONFIG, EXIT_FAILURE, EXIT_OK};

#[derive(Debug, Parser)]
#[command(
    name = "windvane",
    version,
    about = "Watches Chinese state-media accounts for shifts in US–China trade signals."
)]
pub struct Cli {
    /// Configuration file (default: ./windvane.toml if present, else the built-in config).
    #[arg(long, global = true, env = "WINDVANE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log format.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon: every source on its schedule until SIGTERM/SIGINT (SIGHUP reloads).
    Run,
    /// Each source's state, last run, last success and error, and the outbox; exit 1 when
    /// something needs an operator.
    Status {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
        /// Exit 1 only when `/healthz` would answer 503 (for container health checks).
        #[arg(long)]
        health: bool,
    },
    /// One pass: fetch every (or one) source, classify, store, deliver due alerts, exit.
    Once {
        /// Only this source id.
        #[arg(long)]
        source: Option<String>,
    },
    /// The whole pipeline offline against a local server with bundled real posts.
    Demo,
    /// Validate the configuration and print every problem.
    CheckConfig,
    /// Classify texts given as arguments, or one per line on stdin.
    Classify {
        /// One JSON object per input line.
        #[arg(long)]
        json: bool,
        texts: Vec<String>,
    },
    /// Evaluate the classifier on labelled TSV files (`text<TAB>labels`).
    Eval {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// List the misclassified lines.
        #[arg(long)]
        errors: bool,
        /// The event coder alone, without the learned model (`--rules-only` still works).
        #[arg(long, alias = "rules-only")]
        events_only: bool,
    },
    /// Classify whole timelines (weibo-crawler JSON/CSV or the import formats) as the daemon
    /// would, and print every alert that would go out, with its explanation; with
    /// `--labels`, count false alerts and missed signals.
    EvalStream {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The channel's `min_score`: labels scoring below it send no alert.
        #[arg(long, default_value_t = 0.6)]
        min_score: f64,
        /// TSV `file<TAB>id<TAB>labels`: the gold labels of the timelines' posts.
        #[arg(long)]
        labels: Option<PathBuf>,
    },
    /// Re-run the classifier over stored posts; alert only on newly reported labels.
    Reclassify {
        /// Only posts created on or after this date (YYYY-MM-DD, Beijing time).
        #[arg(long)]
        since: Option<String>,
    },
    /// The alert outbox: send a test alert, list alerts, retry failed ones.
    Alerts {
        #[command(subcommand)]
        command: alerts::AlertsCommand,
    },
    /// Train the learned model on labelled TSV files and write it next to the rules.
    Train {
        /// Labelled TSV files (`text<TAB>labels`).
        files: Vec<PathBuf>,
        /// Add every reviewed post of the database as a labelled example (confirmed and
        /// relabelled labels present, dismissed ones absent). The new model replaces the old
        /// only if it scores at least as well on the `--eval` files, which are then required.
        #[arg(long)]
        from_reviews: bool,
        /// Where to write the model (default: config/signals/model.json, or the configured
        /// classifier.signals_dir).
        #[arg(long)]
        out: Option<PathBuf>,
        /// L2 strength; chosen by 5-fold cross-validation on the training files when absent.
        #[arg(long)]
        l2: Option<f64>,
        /// Labelled files to evaluate the new model on after training (never used to fit).
        #[arg(long)]
        eval: Vec<PathBuf>,
        /// Print the cross-validation report with its misclassified training lines.
        #[arg(long)]
        cv_errors: bool,
        /// Cross-validate with whole outlets per fold (the `source` column), as the test
        /// split is cut, instead of every fifth row: figures for outlets the model never saw,
        /// and a calibration fitted on them.
        #[arg(long)]
        cv_by_source: bool,
    },
    /// Review flagged posts: list, show, confirm, dismiss, stats.
    Review {
        #[command(subcommand)]
        command: review::ReviewCommand,
    },
    /// Full-text search over every stored post (all words must appear: 关税 谈判).
    Search(review::SearchArgs),
    /// Export posts as CSV (UTF-8 with BOM, for spreadsheets) or JSONL (everything).
    Export(review::ExportArgs),
    /// Serve the review desk (web page) until SIGTERM/SIGINT.
    Serve(review::ServeArgs),
    /// Import archives (weibo-crawler JSON/CSV, saved getIndex JSON, windvane JSONL, CSV with
    /// `text` and `created_at`): classified and stored, never alerting unless --alert.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Store the posts under this source id (default: the configured source of the
        /// file's Weibo uid, else `weibo-<uid>`, else `import-<file name>`).
        #[arg(long)]
        source: Option<String>,
        /// Queue alerts for flagged posts as a live fetch would.
        #[arg(long)]
        alert: bool,
    },
    /// The database itself: `store copy` moves a SQLite database into PostgreSQL.
    Store {
        #[command(subcommand)]
        command: bulk::StoreCommand,
    },
    /// Flagged posts and mean scores per day or week and label.
    History {
        /// Only this label (talks, de_escalation, escalation, purchase).
        #[arg(long)]
        label: Option<String>,
        /// Only this source id.
        #[arg(long)]
        source: Option<String>,
        #[arg(long, value_enum, default_value_t = crate::analysis::history::By::Day)]
        by: crate::analysis::history::By,
        #[arg(long, value_enum, default_value_t = crate::analysis::history::HistoryFormat::Table)]
        format: crate::analysis::history::HistoryFormat,
    },
    /// For each dated event (CSV: date[, label][, description]), the first flagged post in the
    /// window before and after it, the lead time, and the sources that carried it.
    Backtest {
        /// The events file (e.g. `time,event` or `date,label,description`).
        events: PathBuf,
        /// Days before and after each event to look at.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=3650))]
        window_days: u32,
        /// Only this label (talks, de_escalation, escalation, purchase); events labelled
        /// otherwise are skipped.
        #[arg(long)]
        label: Option<String>,
        #[arg(long, value_enum, default_value_t = crate::analysis::backtest::BacktestFormat::Table)]
        format: crate::analysis::backtest::BacktestFormat,
    },
}

fn load_config(config: Option<&std::path::Path>) -> Result<Config, Exit> {
    let path = Config::locate(config);
    Config::load(path.as_deref()).map_err(|e| Exit {
        code: EXIT_CONFIG,
        error: Some(anyhow::anyhow!("{e}")),
    })
}

/// The configured database for the analyst's commands (`search`, `history`, `review`,
/// `alerts`, `export`, `serve`): the cluster's PostgreSQL with `[store] url`, else the SQLite
/// file. The one place they choose a backend; they then hold an `AnyStore`.
async fn open_store(cfg: &Config) -> anyhow::Result<crate::store::AnyStore> {
    use anyhow::Context as _;
    crate::store::AnyStore::open(&cfg.store_path, cfg.cluster.as_ref())
        .await
        .context("cannot open the database")
}

pub async fn dispatch(cli: Cli) -> Result<i32, Exit> {
    let Cli {
        config, command, ..
    } = cli;
    match command {
        // The commands that load no configuration of their own.
        Command::CheckConfig => ops::check_config(config.as_deref()),
        Command::Demo => {
            crate::demo::run().await?;
            Ok(EXIT_OK)
        }
        // Names both databases itself.
        Command::Store { command } => bulk::store(&command).await,
        command => with_config(load_config(config.as_deref())?, command).await,
    }
}

async fn with_config(cfg: Config, command: Command) -> Result<i32, Exit> {
    match command {
        // `dispatch` runs these before loading; were they sent here, this is what they mean.
        Command::CheckConfig => ops::check_config(cfg.origin.as_deref()),
        Command::Demo => {
            crate::demo::run().await?;
            Ok(EXIT_OK)
        }
        Command::Store { command } => bulk::store(&command).await,
        Command::Run => ops::run(cfg).await,
        Command::Status { json, health } => ops::status(&cfg, json, health).await,
        Command::Once { source } => ops::once(cfg, source.as_deref()).await,
        Command::Classify { json, texts } => classifier::classify(&cfg, json, &texts),
        Command::Eval {
            files,
            errors,
            events_only,
        } => classifier::evaluate(&cfg, &files, errors, events_only),
        Command::EvalStream {
            files,
            min_score,
            labels,
        } => classifier::eval_stream(&cfg, &files, min_score, labels.as_deref()),
        Command::Train {
            files,
            out,
            l2,
            eval,
            cv_errors,
            cv_by_source,
            from_reviews,
        } => {
            classifier::train(
                &cfg,
                classifier::TrainArgs {
                    files: &files,
                    out,
                    l2,
                    eval_files: &eval,
                    cv_errors,
                    folds: if cv_by_source {
                        crate::classify::model::Folds::BySource
                    } else {
                        crate::classify::model::Folds::Interleaved
                    },
                    from_reviews,
                },
            )
            .await
        }
        Command::Reclassify { since } => bulk::reclassify(&cfg, since.as_deref()).await,
        Command::Import {
            files,
            source,
            alert,
        } => bulk::import(&cfg, &files, source.as_deref(), alert).await,
        Command::Alerts { command } => alerts::run(&cfg, &command).await,
        Command::Review { command } => review::review(&cfg, &command).await,
        Command::Search(a) => review::search(&cfg, &a).await,
        Command::Export(a) => review::export(&cfg, &a).await,
        Command::Serve(a) => review::serve(&cfg, &a).await,
        Command::History {
            label,
            source,
            by,
            format,
        } => ops::history(&cfg, label.as_deref(), source.as_deref(), by, format).await,
        Command::Backtest {
            events,
            window_days,
            label,
            format,
        } => ops::backtest(&cfg, &events, window_days, label.as_deref(), format).await,
    }
}
