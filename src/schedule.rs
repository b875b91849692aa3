//! Source schedules: "every 5m" or a cron line (with a seconds field), and the
//! tokio-cron-scheduler jobs that only send a `Tick` into a source's channel.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio_cron_scheduler::{Job, JobScheduler};

/// When a source runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// `every 5m`: a fixed interval.
    Every(Duration),
    /// A cron line with a seconds field, e.g. `0 */10 * * * *`, read in the daemon's time zone.
    Cron(String),
}

/// A request to run a source now. Jobs `try_send` it, so a tick that finds one already queued
/// is dropped: a slow source never piles up work.
#[derive(Debug, Clone, Copy)]
pub struct Tick;

impl Schedule {
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let t = text.trim();
        if let Some(rest) = t.strip_prefix("every ") {
            let d = humantime::parse_duration(rest.trim()).map_err(|e| {
                format!(
                    "`{t}`: cannot read `{}` as a duration ({e}); write e.g. \"every 5m\"",
                    rest.trim()
                )
            })?;
            if d < Duration::from_secs(1) {
                return Err(format!("`{t}`: the interval must be at least 1s"));
            }
            return Ok(Schedule::Every(d));
        }
        // Validate with the same parser the scheduler uses.
        let fields = t.split_whitespace().count();
        if !(6..=7).contains(&fields) {
            return Err(format!(
                "`{t}` is neither \"every <duration>\" nor a cron line with seconds (6 or 7 fields, e.g. \"0 */5 * * * *\")"
            ));
        }
        Job::new_async(t, |_, _| Box::pin(async {}))
            .map_err(|e| format!("`{t}` is not a valid cron line: {e}"))?;
        Ok(Schedule::Cron(t.to_string()))
    }

    /// The interval for `every` schedules.
    pub fn interval(&self) -> Option<Duration> {
        match self {
            Schedule::Every(d) => Some(*d),
            Schedule::Cron(_) => None,
        }
    }

    /// A job that sends a `Tick` on each trigger.
    pub fn job(&self, tz: chrono_tz::Tz, ticks: mpsc::Sender<Tick>) -> anyhow::Result<Job> {
        let run = move |_, _| {
            let ticks = ticks.clone();
            Box::pin(async move {
                // Full channel = a run is already queued: skip this tick.
                let _ = ticks.try_send(Tick);
            }) as std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
        };
        let job = match self {
            Schedule::Every(d) => Job::new_repeated_async(*d, run)?,
            Schedule::Cron(line) => Job::new_async_tz(line.as_str(), tz, run)?,
        };
        Ok(job)
    }
}

/// Starts a scheduler with one job per (schedule, channel).
pub async fn start(
    jobs: Vec<(Schedule, mpsc::Sender<Tick>)>,
    tz: chrono_tz::Tz,
) -> anyhow::Result<JobScheduler> {
    let sched = JobScheduler::new().await?;
    for (schedule, tx) in jobs {
        sched.add(schedule.job(tz, tx)?).await?;
    }
    sched.start().await?;
    Ok(sched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_and_cron() {
        assert_eq!(
            Schedule::parse("every 5m").unwrap(),
            Schedule::Every(Duration::from_secs(300))
        );
        assert_eq!(
            Schedule::parse(" every 90s ").unwrap(),
            Schedule::Every(Duration::from_secs(90))
        );
        assert!(matches!(
            Schedule::parse("0 */10 * * * *").unwrap(),
            Schedule::Cron(_)
        ));
        assert!(Schedule::parse("every banana").is_err());
        assert!(
            Schedule::parse("*/5 * * * *").is_err(),
            "5-field cron lacks seconds"
        );
        assert!(Schedule::parse("0 99 * * * *").is_err());
    }
}
