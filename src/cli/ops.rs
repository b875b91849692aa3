//! The operator's commands: `check-config`, `once`, `run`, `status`, `demo`, `history`,
//! `backtest`.

use super::exit::{Exit, EXIT_CONFIG, EXIT_FAILURE, EXIT_OK};
use crate::config::Config;
use crate::pipeline::{self, Context};

pub fn check_config(config: Option<&std::path::Path>) -> Result<i32, Exit> {
    let path = Config::locate(config);
    match Config::load(path.as_deref()) {
        Ok(cfg) => {
            let database = match &cfg.cluster {
                Some(c) => format!(
                    "{} as instance `{}` on egress `{}`",
                    c.url, c.instance_id, c.egress
                ),
                None => cfg.store_path.display().to_string(),
            };
            outln!(
                "{}: ok ({} sources, {} alert channels, database {database})",
                path.map(|p| p.display().to_string())
                    .unwrap_or_else(|| crate::config::DEFAULT_CONFIG_NAME.to_string()),
                cfg.sources.len(),
                cfg.alerts.len(),
            )?;
            out!("{}", crate::config::describe_sources(&cfg))?;
            Ok(EXIT_OK)
        }
        Err(e) => {
            eprint!("{e}");
            Ok(EXIT_CONFIG)
        }
    }
}

pub async fn once(cfg: Config, source: Option<&str>) -> Result<i32, Exit> {
    if let Some(id) = source {
        if !cfg.sources.iter().any(|s| s.id == id) {
            return Err(Exit {
                code: EXIT_CONFIG,
                error: Some(anyhow::anyhow!(
                    "no enabled source with id `{id}` in the configuration"
                )),
            });
        }
    }
    if cfg.cluster.is_some() {
        return once_in_cluster(cfg, source).await;
    }
    let ctx = Context::new(cfg)?;
    let report = pipeline::run_pass(&ctx, source).await;
    for s in &report.sources {
        outln!(
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
        )?;
    }
    let d = report.dispatch;
    outln!(
        "alerts: {} sent, {} to retry, {} failed",
        d.sent,
        d.retrying,
        d.failed
    )?;
    Ok(if report.all_ok() {
        EXIT_OK
    } else {
        EXIT_FAILURE
    })
}

/// `once` with `[store] url`: every due source this configuration knows, claimed and run
/// like the daemon does (a source another instance holds, or not due yet, is left alone).
async fn once_in_cluster(mut cfg: Config, source: Option<&str>) -> Result<i32, Exit> {
    if let Some(id) = source {
        cfg.sources.retain(|s| s.id == id);
    }
    let mut ctx = Context::new(cfg)?;
    crate::daemon::cluster::connect(&mut ctx).await?;
    let (ok, failed) = crate::daemon::cluster::run_once(&ctx).await?;
    outln!("cluster: {ok} runs committed, {failed} failed or refused")?;
    Ok(if failed == 0 { EXIT_OK } else { EXIT_FAILURE })
}

pub async fn run(cfg: Config) -> Result<i32, Exit> {
    let cluster = cfg.cluster.is_some();
    let mut ctx = Context::new(cfg)?;
    let stopped = if cluster {
        crate::daemon::cluster::connect(&mut ctx).await?;
        crate::daemon::cluster::run_with_signals(ctx, crate::daemon::os_signals()).await?
    } else {
        crate::daemon::run_with_signals(ctx, crate::daemon::os_signals()).await?
    };
    Ok(match stopped {
        crate::daemon::Stopped::Forced => EXIT_FAILURE,
        _ => EXIT_OK,
    })
}

pub async fn status(cfg: &Config, json: bool, health: bool) -> Result<i32, Exit> {
    let attention = if cfg.cluster.is_some() {
        crate::ops::status::cluster(cfg, json, health).await?
    } else {
        crate::ops::status::run(cfg, json, health)?
    };
    Ok(if attention { EXIT_FAILURE } else { EXIT_OK })
}

pub async fn history(
    cfg: &Config,
    label: Option<&str>,
    source: Option<&str>,
    by: crate::analysis::history::By,
    format: crate::analysis::history::HistoryFormat,
) -> Result<i32, Exit> {
    let store = super::open_store(cfg).await?;
    let run = crate::analysis::history::run(cfg, &store, label, source, by, format).await;
    run.map_err(|e| Exit {
        code: match e {
            crate::analysis::history::HistoryError::Usage(_) => EXIT_CONFIG,
            crate::analysis::history::HistoryError::Runtime(_) => EXIT_FAILURE,
        },
        error: Some(e.into()),
    })?;
    Ok(EXIT_OK)
}

pub async fn backtest(
    cfg: &Config,
    events: &std::path::Path,
    window_days: u32,
    label: Option<&str>,
    format: crate::analysis::backtest::BacktestFormat,
) -> Result<i32, Exit> {
    let label = match label {
        Some(l) => Some(l.parse::<crate::classify::Label>().map_err(|_| Exit {
            code: EXIT_CONFIG,
            error: Some(anyhow::anyhow!(
                "--label `{l}` is not one of talks, de_escalation, escalation, purchase"
            )),
        })?),
        None => None,
    };
    let args = crate::analysis::backtest::BacktestArgs {
        events: events.to_path_buf(),
        window_days,
        label,
        format,
    };
    let store = super::open_store(cfg).await?;
    crate::analysis::backtest::run(&store, &args).await?;
    Ok(EXIT_OK)
}
