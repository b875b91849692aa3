//! The command line (clap derive). Each command is a thin call into the library.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};

use crate::classify::{eval, Classifier};
use crate::config::Config;
use crate::pipeline::{self, Context};

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
    /// Run the daemon: every source on its schedule until SIGTERM/SIGINT.
    Run,
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
    },
}

/// Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILURE: i32 = 1;
pub const EXIT_CONFIG: i32 = 2;

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub struct Exit {
    pub code: i32,
    pub error: Option<anyhow::Error>,
}

impl From<anyhow::Error> for Exit {
    fn from(error: anyhow::Error) -> Self {
        Exit {
            code: EXIT_FAILURE,
            error: Some(error),
        }
    }
}

fn load_config(cli: &Cli) -> Result<Config, Exit> {
    let path = Config::locate(cli.config.as_deref());
    Config::load(path.as_deref()).map_err(|e| Exit {
        code: EXIT_CONFIG,
        error: Some(anyhow::anyhow!("{e}")),
    })
}

pub async fn dispatch(cli: Cli) -> Result<i32, Exit> {
    match &cli.command {
        Command::CheckConfig => {
            let path = Config::locate(cli.config.as_deref());
            match Config::load(path.as_deref()) {
                Ok(cfg) => {
                    println!(
                        "{}: ok ({} sources, {} alert channels, database {})",
                        path.map(|p| p.display().to_string())
                            .unwrap_or_else(|| crate::config::DEFAULT_CONFIG_NAME.to_string()),
                        cfg.sources.len(),
                        cfg.alerts.len(),
                        cfg.store_path.display()
                    );
                    Ok(EXIT_OK)
                }
                Err(e) => {
                    eprint!("{e}");
                    Ok(EXIT_CONFIG)
                }
            }
        }
        Command::Classify { json, texts } => {
            let cfg = load_config(&cli)?;
            let classifier = Classifier::load(
                cfg.classifier.signals_dir.as_deref(),
                cfg.classifier.user_dict.as_deref(),
            )?;
            classify_command(&classifier, *json, texts)?;
            Ok(EXIT_OK)
        }
        Command::Eval { files, errors } => {
            let cfg = load_config(&cli)?;
            let classifier = Classifier::load(
                cfg.classifier.signals_dir.as_deref(),
                cfg.classifier.user_dict.as_deref(),
            )?;
            let mut examples = Vec::new();
            for f in files {
                examples.extend(eval::read_labelled(f).map_err(|e| Exit {
                    code: EXIT_CONFIG,
                    error: Some(e),
                })?);
            }
            let preds: Vec<_> = examples.iter().map(|e| classifier.classify(&e.text)).collect();
            let base: Vec<_> = examples.iter().map(|e| eval::baseline(&e.text)).collect();
            let report = eval::score(&examples, &preds);
            let base = eval::score(&examples, &base);
            println!("{} examples, classifier {}\n", examples.len(), classifier.version());
            println!("{}", eval::render(&report, Some(&base), *errors));
            Ok(EXIT_OK)
        }
        Command::Demo => {
            crate::demo::run().await?;
            Ok(EXIT_OK)
        }
        Command::Once { source } => {
            let cfg = load_config(&cli)?;
            if let Some(id) = source {
                if !cfg.sources.iter().any(|s| &s.id == id) {
                    return Err(Exit {
                        code: EXIT_CONFIG,
                        error: Some(anyhow::anyhow!(
                            "no enabled source with id `{id}` in the configuration"
                        )),
                    });
                }
            }
            let ctx = Context::new(cfg)?;
            let report = pipeline::run_pass(&ctx, source.as_deref()).await;
            for s in &report.sources {
                println!(
                    "{}: fetched {}, new {}, flagged {}, alerts queued {}{}",
                    s.source_id,
                    s.fetched,
                    s.new_posts,
                    s.flagged,
                    s.alerts_queued,
                    s.error
                        .as_ref()
                        .map(|e| format!(" — FAILED: {e}"))
                        .unwrap_or_default()
                );
            }
            let d = report.dispatch;
            println!(
                "alerts: {} sent, {} to retry, {} failed",
                d.sent, d.retrying, d.failed
            );
            Ok(if report.all_ok() {
                EXIT_OK
            } else {
                EXIT_FAILURE
            })
        }
        Command::Run => {
            let cfg = load_config(&cli)?;
            let ctx = Context::new(cfg)?;
            crate::daemon::run(ctx, crate::daemon::shutdown_signal()).await?;
            Ok(EXIT_OK)
        }
    }
}

fn classify_command(classifier: &Classifier, json: bool, texts: &[String]) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut one = |text: &str| -> anyhow::Result<()> {
        let c = classifier.classify(text);
        if json {
            let v = serde_json::json!({
                "text": text,
                "labels": c.labels,
                "explanation": c.explanation,
                "version": c.version,
            });
            writeln!(out, "{v}")?;
        } else {
            let labels = if c.labels.is_empty() {
                "none".to_string()
            } else {
                c.labels
                    .iter()
                    .map(|l| format!("{} {:.2}", l.label, l.score))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(out, "{labels}\t{}\t{}", c.explanation, text)?;
        }
        Ok(())
    };
    if texts.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("cannot read stdin")?;
            if !line.trim().is_empty() {
                one(&line)?;
            }
        }
    } else {
        for t in texts {
            one(t)?;
        }
    }
    Ok(())
}
