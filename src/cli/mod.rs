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
        command: crate::alert::cli::AlertsCommand,
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
    },
    /// Review flagged posts: list, show, confirm, dismiss, stats.
    Review {
        #[command(subcommand)]
        command: crate::review::cli::ReviewCommand,
    },
    /// Full-text search over every stored post (all words must appear: 关税 谈判).
    Search(crate::review::cli::SearchArgs),
    /// Export posts as CSV (UTF-8 with BOM, for spreadsheets) or JSONL (everything).
    Export(crate::review::cli::ExportArgs),
    /// Serve the review desk (web page) until SIGTERM/SIGINT.
    Serve(crate::review::cli::ServeArgs),
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
    /// Flagged posts and mean scores per day or week and label.
    History {
        /// Only this label (talks, de_escalation, escalation, purchase).
        #[arg(long)]
        label: Option<String>,
        /// Only this source id.
        #[arg(long)]
        source: Option<String>,
        #[arg(long, value_enum, default_value_t = crate::history::By::Day)]
        by: crate::history::By,
        #[arg(long, value_enum, default_value_t = crate::history::HistoryFormat::Table)]
        format: crate::history::HistoryFormat,
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
        #[arg(long, value_enum, default_value_t = crate::backtest::BacktestFormat::Table)]
        format: crate::backtest::BacktestFormat,
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
                    print!("{}", crate::config::describe_sources(&cfg));
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
            let classifier = configured_classifier(&cfg)?;
            classify_command(&classifier, *json, texts)?;
            Ok(EXIT_OK)
        }
        Command::Eval {
            files,
            errors,
            events_only,
        } => {
            let cfg = load_config(&cli)?;
            let mut classifier = configured_classifier(&cfg)?;
            if *events_only {
                classifier = classifier.with_model(None);
            }
            let examples = read_all(files)?;
            let preds: Vec<_> = examples
                .iter()
                .map(|e| classifier.classify(&e.text))
                .collect();
            let base: Vec<_> = examples.iter().map(|e| eval::baseline(&e.text)).collect();
            let report = eval::score(&examples, &preds);
            let base = eval::score(&examples, &base);
            println!(
                "{} examples, classifier {}\n",
                examples.len(),
                classifier.version()
            );
            println!("{}", eval::render(&report, Some(&base), *errors));
            print!("{}", eval::render_groups(&examples, &preds));
            Ok(EXIT_OK)
        }
        Command::EvalStream {
            files,
            min_score,
            labels,
        } => {
            let cfg = load_config(&cli)?;
            let classifier = configured_classifier(&cfg)?;
            let usage = |e: anyhow::Error| Exit {
                code: EXIT_CONFIG,
                error: Some(e),
            };
            let mut posts = Vec::new();
            for f in files {
                let bytes = std::fs::read(f)
                    .with_context(|| format!("cannot read `{}`", f.display()))
                    .map_err(usage)?;
                let (_, parsed) = crate::import::parse_file(f, &bytes, chrono::Utc::now())
                    .map_err(|e| usage(anyhow::anyhow!("`{}`: {e}", f.display())))?;
                let name = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                posts.extend(
                    parsed
                        .posts
                        .iter()
                        .map(|p| crate::classify::stream::StreamPost {
                            file: name.clone(),
                            id: p.platform_id.clone(),
                            text: p.full_text(),
                        }),
                );
            }
            let gold = labels
                .as_deref()
                .map(crate::classify::stream::read_stream_labels)
                .transpose()
                .map_err(usage)?;
            let report =
                crate::classify::stream::evaluate(&classifier, &posts, gold.as_ref(), *min_score);
            println!("classifier {}", classifier.version());
            print!("{}", crate::classify::stream::render(&report, *min_score));
            Ok(EXIT_OK)
        }
        Command::Reclassify { since } => {
            let cfg = load_config(&cli)?;
            let since = match since {
                Some(s) => Some(
                    crate::sources::time::parse_time(s, chrono::Utc::now()).ok_or_else(|| {
                        Exit {
                            code: EXIT_CONFIG,
                            error: Some(anyhow::anyhow!(
                                "--since `{s}` is not a date (YYYY-MM-DD)"
                            )),
                        }
                    })?,
                ),
                None => None,
            };
            let classifier = configured_classifier(&cfg)?;
            let store = crate::store::Store::open(&cfg.store_path).map_err(anyhow::Error::from)?;
            store.tune_for_bulk_writes().map_err(anyhow::Error::from)?;
            let threads = std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1);
            let r = crate::reclassify::reclassify(&store, &classifier, &cfg.alerts, since, threads)
                .map_err(anyhow::Error::from)?;
            println!(
                "{} posts read, {} reclassified with {}, {} flagged, {} new alerts queued",
                r.read,
                r.reclassified,
                classifier.version(),
                r.flagged,
                r.alerts_queued
            );
            Ok(EXIT_OK)
        }
        Command::Train {
            files,
            out,
            l2,
            eval: eval_files,
            cv_errors,
            from_reviews,
        } => {
            let cfg = load_config(&cli)?;
            let classifier = configured_classifier(&cfg)?;
            let usage = |msg: &str| Exit {
                code: EXIT_CONFIG,
                error: Some(anyhow::anyhow!("{msg}")),
            };
            let mut examples = read_all(files)?;
            if *from_reviews {
                if eval_files.is_empty() {
                    return Err(usage("--from-reviews needs --eval FILE: the new model replaces the old only if it scores at least as well there"));
                }
                let store =
                    crate::store::Store::open(&cfg.store_path).map_err(anyhow::Error::from)?;
                let reviewed = store.reviewed_examples().map_err(anyhow::Error::from)?;
                println!("{} reviewed posts become labelled examples", reviewed.len());
                let first_line = examples.len();
                examples.extend(reviewed.into_iter().enumerate().map(|(i, (text, labels))| {
                    eval::Example {
                        text,
                        labels,
                        line: first_line + i + 1,
                        source: Some("reviews".into()),
                        ..Default::default()
                    }
                }));
            }
            if examples.is_empty() {
                return Err(usage(
                    "no labelled examples: give TSV files and/or --from-reviews",
                ));
            }
            train_command(
                &classifier,
                &examples,
                *l2,
                out.clone().or_else(|| {
                    cfg.classifier
                        .signals_dir
                        .as_ref()
                        .map(|d| d.join(crate::classify::MODEL_FILE))
                }),
                eval_files,
                *cv_errors,
                *from_reviews,
            )?;
            Ok(EXIT_OK)
        }
        Command::Alerts { command } => {
            use crate::alert::cli::AlertsCliError;
            let cfg = load_config(&cli)?;
            match crate::alert::cli::run(&cfg, command).await {
                Ok(()) => Ok(EXIT_OK),
                Err(AlertsCliError::Usage(e)) => Err(Exit {
                    code: EXIT_CONFIG,
                    error: Some(e),
                }),
                Err(AlertsCliError::Runtime(e)) => Err(e.into()),
            }
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
        Command::Review { .. } | Command::Search(_) | Command::Export(_) | Command::Serve(_) => {
            let cfg = load_config(&cli)?;
            crate::review::cli::run(cfg, &cli.command).await
        }
        Command::Import {
            files,
            source,
            alert,
        } => {
            let cfg = load_config(&cli)?;
            let opts = crate::import::ImportOptions {
                source: source.clone(),
                alert: *alert,
                ..Default::default()
            };
            let report = crate::import::run(&cfg, files, &opts)?;
            let unreadable = report.bad.iter().any(|b| b.place == "file");
            Ok(if unreadable { EXIT_FAILURE } else { EXIT_OK })
        }
        Command::History {
            label,
            source,
            by,
            format,
        } => {
            let cfg = load_config(&cli)?;
            crate::history::run(&cfg, label.as_deref(), source.as_deref(), *by, *format).map_err(
                |e| Exit {
                    code: match e {
                        crate::history::HistoryError::Usage(_) => EXIT_CONFIG,
                        crate::history::HistoryError::Runtime(_) => EXIT_FAILURE,
                    },
                    error: Some(e.into()),
                },
            )?;
            Ok(EXIT_OK)
        }
        Command::Backtest {
            events,
            window_days,
            label,
            format,
        } => {
            let cfg = load_config(&cli)?;
            let label = match label {
                Some(l) => Some(l.parse::<crate::classify::Label>().map_err(|_| Exit {
                    code: EXIT_CONFIG,
                    error: Some(anyhow::anyhow!(
                        "--label `{l}` is not one of talks, de_escalation, escalation, purchase"
                    )),
                })?),
                None => None,
            };
            let args = crate::backtest::BacktestArgs {
                events: events.clone(),
                window_days: *window_days,
                label,
                format: *format,
            };
            crate::backtest::run(&cfg, &args)?;
            Ok(EXIT_OK)
        }
        Command::Run => {
            let cfg = load_config(&cli)?;
            let ctx = Context::new(cfg)?;
            let stopped = crate::daemon::run_with_signals(ctx, crate::daemon::os_signals()).await?;
            Ok(match stopped {
                crate::daemon::Stopped::Forced => EXIT_FAILURE,
                _ => EXIT_OK,
            })
        }
        Command::Status { json, health } => {
            let cfg = load_config(&cli)?;
            let attention = crate::status::run(&cfg, *json, *health)?;
            Ok(if attention { EXIT_FAILURE } else { EXIT_OK })
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
                "events": c.events,
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

/// The classifier the config names (its signals folder and user dictionary, else built-in).
fn configured_classifier(cfg: &Config) -> anyhow::Result<Classifier> {
    Classifier::load(
        cfg.classifier.signals_dir.as_deref(),
        cfg.classifier.user_dict.as_deref(),
    )
}

fn read_all(files: &[PathBuf]) -> Result<Vec<eval::Example>, Exit> {
    let mut examples = Vec::new();
    for f in files {
        examples.extend(eval::read_labelled(f).map_err(|e| Exit {
            code: EXIT_CONFIG,
            error: Some(e),
        })?);
    }
    Ok(examples)
}

/// Training epochs: enough for the full-batch descent to settle on a few thousand examples.
const EPOCHS: usize = 400;

fn train_command(
    classifier: &Classifier,
    examples: &[eval::Example],
    l2: Option<f64>,
    out: Option<PathBuf>,
    eval_files: &[PathBuf],
    cv_errors: bool,
    only_if_better: bool,
) -> Result<(), Exit> {
    use crate::classify::model;
    let l2 = match l2 {
        Some(x) => x,
        None => {
            let results = model::choose_l2(
                examples,
                &classifier.segmenter,
                &classifier.codebook,
                &[0.001, 0.003, 0.01, 0.03, 0.1],
                EPOCHS,
            );
            for (l, f1) in &results {
                println!("5-fold CV on training data: l2 {l:<6} micro-F1 {f1:.3}");
            }
            // The strongest regularisation within 0.002 of the best CV score: among equals,
            // the simpler model (a 5-fold score on a few hundred texts is that noisy).
            let best = results.iter().map(|r| r.1).fold(0.0, f64::max);
            results
                .iter()
                .filter(|r| r.1 >= best - 0.002)
                .map(|r| r.0)
                .fold(0.001, f64::max)
        }
    };
    if cv_errors {
        let preds = model::cross_validate(
            examples,
            &classifier.segmenter,
            &classifier.codebook,
            l2,
            EPOCHS,
        );
        println!(
            "{}",
            eval::render(&eval::score(examples, &preds), None, true)
        );
    }
    let m = model::train(
        examples,
        &classifier.segmenter,
        &classifier.codebook,
        l2,
        EPOCHS,
    );
    let out =
        out.unwrap_or_else(|| PathBuf::from("config/signals").join(crate::classify::MODEL_FILE));
    println!(
        "trained {} on {} examples (l2 {l2}, {} features)",
        m.version,
        m.trained_on,
        m.weights.len()
    );
    // Evaluate before writing: with --from-reviews the new model must not be worse.
    let mut write = true;
    if !eval_files.is_empty() {
        let test = read_all(eval_files)?;
        let trained = classifier.with_model(Some(m.clone()));
        let score_with = |c: &Classifier| {
            let preds: Vec<_> = test.iter().map(|e| c.classify(&e.text)).collect();
            eval::score(&test, &preds)
        };
        let (old, new) = (score_with(classifier), score_with(&trained));
        println!(
            "on {} held-out examples: before {} micro-F1 {:.3}; after {} micro-F1 {:.3}",
            test.len(),
            classifier.version(),
            old.micro().f1(),
            trained.version(),
            new.micro().f1()
        );
        println!("{}", eval::render(&new, None, false));
        if only_if_better && new.micro().f1() < old.micro().f1() {
            println!(
                "the new model scores lower; keeping {}",
                classifier.version()
            );
            write = false;
        }
    }
    if write {
        let json = serde_json::to_string_pretty(&m).map_err(anyhow::Error::from)?;
        std::fs::write(&out, json + "\n")
            .with_context(|| format!("cannot write `{}`", out.display()))?;
        println!("wrote {} → {}", m.version, out.display());
    }
    Ok(())
}
