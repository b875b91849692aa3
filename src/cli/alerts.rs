//! `windvane alerts …`: send a sample alert through one channel, list the outbox, requeue
//! failed alerts. The arguments are parsed by `cli/mod.rs`.

use chrono::Utc;
use clap::{Subcommand, ValueEnum};

use super::exit::{usage, Exit, EXIT_OK};
use crate::alert;
use crate::config::Config;
use crate::store::{AlertStatus, QueueQuery, ReviewPost};

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Send a sample alert through one channel and print the service's answer.
    Test {
        /// The channel's `id` in `[[alerts]]`.
        channel: String,
    },
    /// List alerts in the outbox, oldest first.
    List {
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
    },
    /// Put failed alerts back in the queue (one by id, or every failed one).
    Retry {
        /// The alert's id (from `alerts list`).
        #[arg(required_unless_present = "failed", conflicts_with = "failed")]
        id: Option<i64>,
        /// Every failed alert.
        #[arg(long)]
        failed: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Pending,
    Sent,
    Failed,
}

impl From<StatusArg> for AlertStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Pending => AlertStatus::Pending,
            StatusArg::Sent => AlertStatus::Sent,
            StatusArg::Failed => AlertStatus::Failed,
        }
    }
}

/// Runs one `alerts` command.
pub async fn run(cfg: &Config, cmd: &AlertsCommand) -> Result<i32, Exit> {
    match run_command(cfg, cmd).await {
        Ok(()) => Ok(EXIT_OK),
        Err(AlertsCliError::Usage(e)) => Err(usage(e)),
        Err(AlertsCliError::Runtime(e)) => Err(e.into()),
    }
}

/// What went wrong, for the CLI's exit code: the configuration (2) or the run (1).
#[derive(Debug)]
pub enum AlertsCliError {
    Usage(anyhow::Error),
    Runtime(anyhow::Error),
}

/// Writing the command's output failed (a closed pipe, a full disk): a runtime failure.
impl From<anyhow::Error> for AlertsCliError {
    fn from(e: anyhow::Error) -> Self {
        AlertsCliError::Runtime(e)
    }
}

/// The newest flagged post of the database: cluster mode's PostgreSQL, else the SQLite file
/// when it exists (never creating it). A database that answers no queue gives none.
async fn sample_post(cfg: &Config) -> Result<Option<ReviewPost>, AlertsCliError> {
    if cfg.cluster.is_none() && !cfg.store_path.exists() {
        return Ok(None);
    }
    let store = super::open_store(cfg)
        .await
        .map_err(AlertsCliError::Runtime)?;
    let q = QueueQuery {
        flagged_only: true,
        limit: Some(1),
        ..Default::default()
    };
    match store.review_queue(&q).await {
        Ok(posts) => Ok(posts.into_iter().next()),
        Err(e) => {
            tracing::warn!(error = %e, "Cannot read a flagged post from the database; using a bundled one.");
            Ok(None)
        }
    }
}

async fn run_command(cfg: &Config, cmd: &AlertsCommand) -> Result<(), AlertsCliError> {
    use AlertsCliError::*;
    match cmd {
        AlertsCommand::Test { channel } => {
            let Some(ch) = cfg.alerts.iter().find(|c| &c.id == channel) else {
                let known: Vec<&str> = cfg.alerts.iter().map(|c| c.id.as_str()).collect();
                return Err(Usage(anyhow::anyhow!(
                    "no enabled alert channel `{channel}`; configured: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            let fetcher = crate::fetch::Fetcher::new(&cfg.fetch).map_err(Runtime)?;
            let now = Utc::now();
            // The newest flagged post of the database when there is one, else a bundled real
            // post through the configured classifier.
            let stored = sample_post(cfg).await?;
            let classifier = std::sync::OnceLock::new();
            let classify = |text: &str| match classifier.get_or_init(|| {
                crate::classify::Classifier::load(
                    cfg.classifier.signals_dir.as_deref(),
                    cfg.classifier.user_dict.as_deref(),
                )
            }) {
                Ok(c) => c.classify(text),
                Err(_) => crate::classify::Classification {
                    labels: Vec::new(),
                    explanation: String::new(),
                    events: Vec::new(),
                    version: String::new(),
                },
            };
            let msg = alert::test_message(stored, &classify, &ch.id, now).ok_or_else(|| {
                Runtime(anyhow::anyhow!(
                    "no flagged post to send: neither the database nor the bundled posts gave one"
                ))
            })?;
            match alert::send(fetcher.alert_client(), ch, &msg, now).await {
                Ok(answer) => {
                    outln!(
                        "{} ({}): sent; the service answered {}: {}",
                        ch.id,
                        ch.channel.kind(),
                        answer.status,
                        cfg.redact(&answer.body.chars().take(500).collect::<String>())
                    )?;
                    Ok(())
                }
                Err(e) => Err(Runtime(anyhow::anyhow!(cfg.redact(&e.to_string())))),
            }
        }
        AlertsCommand::List { status } => {
            let store = super::open_store(cfg).await.map_err(Runtime)?;
            let rows = store
                .alerts(status.map(AlertStatus::from))
                .await
                .map_err(|e| Runtime(e.into()))?;
            outln!(
                "{:>6}  {:<8} {:<13} {:<14} {:<14} {:>5} {:>3}  title / last error",
                "id",
                "status",
                "kind",
                "channel",
                "label",
                "score",
                "try"
            )?;
            for a in &rows {
                let title = serde_json::from_str::<alert::AlertMessage>(&a.payload)
                    .map(|m| m.title)
                    .unwrap_or_default();
                outln!(
                    "{:>6}  {:<8} {:<13} {:<14} {:<14} {:>5.2} {:>3}  {}{}",
                    a.id,
                    a.status,
                    a.kind,
                    a.channel_id,
                    a.label,
                    a.score,
                    a.attempts,
                    title,
                    a.last_error
                        .as_ref()
                        .map(|e| format!(" — {e}"))
                        .unwrap_or_default()
                )?;
            }
            outln!("{} alerts", rows.len())?;
            Ok(())
        }
        AlertsCommand::Retry { id, failed } => {
            let store = super::open_store(cfg).await.map_err(Runtime)?;
            let which = if *failed { None } else { *id };
            let n = store
                .retry_alerts(which, Utc::now())
                .await
                .map_err(|e| Runtime(e.into()))?;
            if n == 0 && which.is_some() {
                return Err(Usage(anyhow::anyhow!(
                    "alert {} is not failed (or does not exist); see `windvane alerts list --status failed`",
                    which.unwrap_or_default()
                )));
            }
            outln!("{n} alerts requeued; the next pass or the daemon sends them")?;
            Ok(())
        }
    }
}
