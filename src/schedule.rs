//! Source schedules: "every 5m" or a cron line (with a seconds field) read in the configured
//! time zone, optional active hours, and the per-source timer task that only *triggers*: it
//! sends a `Tick` into the source's channel, or skips (and counts) the tick when the last run
//! is still going or the source is outside its active hours.
//!
//! The timer is our own rather than tokio-cron-scheduler's: that crate freezes a zone's UTC
//! offset when a job is created (a cron line in a DST zone runs an hour off after the change),
//! repeats only in whole seconds and polls every 500 ms. Here the next cron occurrence is
//! computed with croner in the zone itself at every tick, and the waits are tokio timers.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, Timelike, Utc};
use croner::parser::{CronParser, Seconds};
use croner::Cron;
use rand::Rng;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// When a source runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// `every 5m`: a fixed interval.
    Every(Duration),
    /// A cron line with a seconds field, e.g. `0 */10 * * * *`, read in the daemon's time zone.
    Cron(String),
}

/// A request to run a source now.
#[derive(Debug, Clone, Copy)]
pub struct Tick;

fn cron_parser() -> CronParser {
    CronParser::builder()
        .seconds(Seconds::Required)
        .dom_and_dow(true)
        .build()
}

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
            if d > crate::duration::MAX_DURATION {
                return Err(format!("`{t}`: the interval must be at most 366 days"));
            }
            return Ok(Schedule::Every(d));
        }
        let fields = t.split_whitespace().count();
        if !(6..=7).contains(&fields) {
            return Err(format!(
                "`{t}` is neither \"every <duration>\" nor a cron line with seconds (6 or 7 fields, e.g. \"0 */5 * * * *\")"
            ));
        }
        cron_parser()
            .parse(t)
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

    /// The next cron occurrence strictly after `now`, computed in `tz` (so DST changes are
    /// followed). `None` for `every` schedules and for cron lines that never fire again.
    pub fn next_cron_after(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
        let Schedule::Cron(line) = self else {
            return None;
        };
        let cron: Cron = cron_parser().parse(line).ok()?;
        cron.find_next_occurrence(&now.with_timezone(&tz), false)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// A daily window (`"07:00-23:30"`, in the daemon's zone) outside which a source is not run.
/// A window whose end is before its start spans midnight (`"22:00-06:00"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl ActiveHours {
    pub fn parse(text: &str) -> Result<ActiveHours, String> {
        let (a, b) = text
            .split_once('-')
            .ok_or_else(|| format!("`{text}` is not a window like \"07:00-23:30\""))?;
        let time = |s: &str| {
            NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .map_err(|_| format!("`{}` in `{text}` is not a time like \"07:00\"", s.trim()))
        };
        let (start, end) = (time(a)?, time(b)?);
        if start == end {
            return Err(format!("`{text}` is an empty window"));
        }
        Ok(ActiveHours { start, end })
    }

    /// Whether `now`, read in `tz`, falls inside the window (start inclusive, end exclusive).
    pub fn contains(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> bool {
        let local = now.with_timezone(&tz).time();
        let t =
            NaiveTime::from_hms_opt(local.hour(), local.minute(), local.second()).unwrap_or(local);
        if self.start < self.end {
            self.start <= t && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }
}

impl ActiveHours {
    /// The first moment at or after `t` inside the window: `t` itself when it is inside, else
    /// the window's next start (read in `tz`, so a DST change moves it with the clock).
    pub fn next_open(&self, t: DateTime<Utc>, tz: chrono_tz::Tz) -> DateTime<Utc> {
        if self.contains(t, tz) {
            return t;
        }
        let local = t.with_timezone(&tz);
        // Today's start, else tomorrow's (a start skipped by a DST gap: the day after).
        (0..3)
            .filter_map(|d| {
                let day = local.date_naive() + chrono::Days::new(d);
                day.and_time(self.start)
                    .and_local_timezone(tz)
                    .earliest()
                    .map(|s| s.with_timezone(&Utc))
            })
            .find(|s| *s > t)
            .unwrap_or(t)
    }
}

impl Timing {
    /// When a source that last ran at `now` falls due next, for a scheduler that keeps due
    /// times rather than timers (cluster mode keeps them in the database): the next interval
    /// or cron occurrence, plus `jitter` (drawn by the caller, 0..=`self.jitter`), moved to the
    /// next opening of the active hours when it falls outside them. `None` when a cron line
    /// never fires again.
    pub fn next_due(&self, now: DateTime<Utc>, jitter: Duration) -> Option<DateTime<Utc>> {
        let next = match &self.schedule {
            Schedule::Every(d) => now + chrono::Duration::from_std(*d).ok()?,
            Schedule::Cron(_) => self.schedule.next_cron_after(now, self.tz)?,
        } + chrono::Duration::from_std(jitter.min(self.jitter)).ok()?;
        Some(match self.active {
            Some(a) => a.next_open(next, self.tz),
            None => next,
        })
    }

    /// A jitter drawn for one scheduled run (0..=`self.jitter`).
    pub fn draw_jitter(&self) -> Duration {
        if self.jitter.is_zero() {
            Duration::ZERO
        } else {
            rand::rng().random_range(Duration::ZERO..=self.jitter)
        }
    }
}

/// What the timer of one source shares with its loop and the daemon: whether a run is going
/// and how many ticks were skipped, by reason.
#[derive(Debug, Default)]
pub struct SourceState {
    pub running: AtomicBool,
    pub skipped_overlap: AtomicU64,
    pub skipped_inactive: AtomicU64,
    pub ticks: AtomicU64,
}

/// Why a tick did not start a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// The last run is still going (no overlap).
    Overlap,
    /// Outside the source's active hours.
    Inactive,
}

impl Skip {
    pub fn as_str(self) -> &'static str {
        match self {
            Skip::Overlap => "overlap",
            Skip::Inactive => "inactive",
        }
    }
}

/// One source's timing: its schedule, zone, jitter and active hours.
#[derive(Debug, Clone)]
pub struct Timing {
    pub schedule: Schedule,
    pub tz: chrono_tz::Tz,
    /// Each scheduled tick waits a random 0..jitter more (the first run at start does not).
    pub jitter: Duration,
    pub active: Option<ActiveHours>,
}

/// Offers one tick: sent unless the source is running (or one is queued) or inactive.
pub fn offer(
    timing: &Timing,
    state: &SourceState,
    ticks: &mpsc::Sender<Tick>,
    now: DateTime<Utc>,
) -> Result<(), Skip> {
    state.ticks.fetch_add(1, Ordering::Relaxed);
    if timing.active.is_some_and(|a| !a.contains(now, timing.tz)) {
        state.skipped_inactive.fetch_add(1, Ordering::Relaxed);
        return Err(Skip::Inactive);
    }
    if state.running.load(Ordering::Acquire) || ticks.try_send(Tick).is_err() {
        state.skipped_overlap.fetch_add(1, Ordering::Relaxed);
        return Err(Skip::Overlap);
    }
    Ok(())
}

/// The timer task of one source: a tick at start, then one per schedule occurrence (plus
/// jitter), until cancelled. `on_skip` is told about every skipped tick (metrics, logs).
pub async fn run_timer(
    source_id: String,
    timing: Timing,
    state: Arc<SourceState>,
    ticks: mpsc::Sender<Tick>,
    cancel: CancellationToken,
    on_skip: impl Fn(&str, Skip),
) {
    let fire = |state: &SourceState| {
        if let Err(skip) = offer(&timing, state, &ticks, Utc::now()) {
            tracing::debug!(source = %source_id, reason = skip.as_str(), "Tick skipped.");
            on_skip(&source_id, skip);
        }
    };
    fire(&state);
    let mut next_every = tokio::time::Instant::now();
    loop {
        let wait = match &timing.schedule {
            Schedule::Every(d) => {
                next_every += *d;
                let now = tokio::time::Instant::now();
                // After a long stall (suspend, overload) skip the missed occurrences.
                while next_every + *d < now {
                    next_every += *d;
                }
                next_every.saturating_duration_since(now)
            }
            Schedule::Cron(_) => {
                let now = Utc::now();
                match timing.schedule.next_cron_after(now, timing.tz) {
                    Some(t) => (t - now).to_std().unwrap_or_default(),
                    None => {
                        tracing::warn!(source = %source_id, "The cron line has no future occurrence; the source will not run again.");
                        cancel.cancelled().await;
                        return;
                    }
                }
            }
        };
        let jitter = timing.draw_jitter();
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(wait + jitter) => fire(&state),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

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

    #[test]
    fn cron_is_read_in_the_configured_zone() {
        let nine = Schedule::parse("0 0 9 * * *").unwrap();
        let now = Utc.with_ymd_and_hms(2025, 1, 10, 12, 0, 0).unwrap();
        // 09:00 in Beijing is 01:00 UTC; the next one after 12:00 UTC is tomorrow's.
        assert_eq!(
            nine.next_cron_after(now, chrono_tz::Asia::Shanghai),
            Some(Utc.with_ymd_and_hms(2025, 1, 11, 1, 0, 0).unwrap())
        );
        assert_eq!(
            nine.next_cron_after(now, chrono_tz::UTC),
            Some(Utc.with_ymd_and_hms(2025, 1, 11, 9, 0, 0).unwrap())
        );
        // New York's offset changes on 2025-03-09: 09:00 local is 14:00 UTC before, 13:00 after.
        // (tokio-cron-scheduler kept the offset of the day the job was made.)
        let ny = chrono_tz::America::New_York;
        let before = Utc.with_ymd_and_hms(2025, 3, 7, 15, 0, 0).unwrap();
        assert_eq!(
            nine.next_cron_after(before, ny),
            Some(Utc.with_ymd_and_hms(2025, 3, 8, 14, 0, 0).unwrap())
        );
        let after = Utc.with_ymd_and_hms(2025, 3, 9, 15, 0, 0).unwrap();
        assert_eq!(
            nine.next_cron_after(after, ny),
            Some(Utc.with_ymd_and_hms(2025, 3, 10, 13, 0, 0).unwrap())
        );
        assert_eq!(
            Schedule::Every(Duration::from_secs(1)).next_cron_after(now, ny),
            None
        );
    }

    #[test]
    fn active_hours_in_zone_and_over_midnight() {
        let tz = chrono_tz::Asia::Shanghai;
        let day = ActiveHours::parse("07:00-23:30").unwrap();
        // 23:00 UTC = 07:00 Beijing next day.
        assert!(day.contains(Utc.with_ymd_and_hms(2025, 1, 1, 23, 0, 0).unwrap(), tz));
        assert!(!day.contains(Utc.with_ymd_and_hms(2025, 1, 1, 22, 59, 0).unwrap(), tz));
        assert!(!day.contains(Utc.with_ymd_and_hms(2025, 1, 1, 15, 30, 0).unwrap(), tz));
        let night = ActiveHours::parse("22:00-06:00").unwrap();
        assert!(night.contains(Utc.with_ymd_and_hms(2025, 1, 1, 15, 0, 0).unwrap(), tz));
        assert!(!night.contains(Utc.with_ymd_and_hms(2025, 1, 1, 4, 0, 0).unwrap(), tz));
        assert!(ActiveHours::parse("7-23").is_err());
        assert!(ActiveHours::parse("07:00-07:00").is_err());
    }

    #[test]
    fn next_due_follows_interval_cron_jitter_and_active_hours() {
        let tz = chrono_tz::Asia::Shanghai;
        // 2025-01-01 12:00 UTC = 20:00 Beijing.
        let now = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
        let every = Timing {
            schedule: Schedule::Every(Duration::from_secs(300)),
            tz,
            jitter: Duration::from_secs(60),
            active: None,
        };
        assert_eq!(
            every.next_due(now, Duration::from_secs(30)),
            Some(now + chrono::Duration::seconds(330))
        );
        // A jitter beyond the configured one is capped.
        assert_eq!(
            every.next_due(now, Duration::from_secs(600)),
            Some(now + chrono::Duration::seconds(360))
        );
        for _ in 0..50 {
            assert!(every.draw_jitter() <= Duration::from_secs(60));
        }
        // Cron at 09:00 Beijing: the next is tomorrow 01:00 UTC.
        let cron = Timing {
            schedule: Schedule::parse("0 0 9 * * *").unwrap(),
            tz,
            jitter: Duration::ZERO,
            active: None,
        };
        assert_eq!(
            cron.next_due(now, Duration::ZERO),
            Some(Utc.with_ymd_and_hms(2025, 1, 2, 1, 0, 0).unwrap())
        );
        // Every 5 minutes but only 07:00-19:00 Beijing: at 20:00 the next run waits for
        // 07:00 tomorrow (23:00 UTC today); inside the window it is the interval.
        let daytime = Timing {
            active: Some(ActiveHours::parse("07:00-19:00").unwrap()),
            jitter: Duration::ZERO,
            ..every.clone()
        };
        assert_eq!(
            daytime.next_due(now, Duration::ZERO),
            Some(Utc.with_ymd_and_hms(2025, 1, 1, 23, 0, 0).unwrap())
        );
        let morning = Utc.with_ymd_and_hms(2025, 1, 1, 2, 0, 0).unwrap(); // 10:00 Beijing
        assert_eq!(
            daytime.next_due(morning, Duration::ZERO),
            Some(morning + chrono::Duration::seconds(300))
        );
        // A window over midnight opens the same evening.
        let night = ActiveHours::parse("22:00-06:00").unwrap();
        assert_eq!(
            night.next_open(now, tz),
            Utc.with_ymd_and_hms(2025, 1, 1, 14, 0, 0).unwrap()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn timer_skips_and_counts_ticks_while_a_run_is_going() {
        let (tx, mut rx) = mpsc::channel(1);
        let state = Arc::new(SourceState::default());
        let cancel = CancellationToken::new();
        let skips = Arc::new(std::sync::Mutex::new(Vec::new()));
        let timing = Timing {
            schedule: Schedule::Every(Duration::from_secs(60)),
            tz: chrono_tz::UTC,
            jitter: Duration::ZERO,
            active: None,
        };
        let s2 = skips.clone();
        let timer = tokio::spawn(run_timer(
            "s".into(),
            timing,
            state.clone(),
            tx,
            cancel.clone(),
            move |_, k| s2.lock().unwrap().push(k),
        ));
        // The first run at start.
        assert!(rx.recv().await.is_some());
        state.running.store(true, Ordering::Release);
        // Three occurrences pass while the run is going: all skipped, none queued.
        tokio::time::sleep(Duration::from_secs(185)).await;
        assert!(
            rx.try_recv().is_err(),
            "no tick queued behind a running source"
        );
        assert_eq!(state.skipped_overlap.load(Ordering::Relaxed), 3);
        state.running.store(false, Ordering::Release);
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!(rx.try_recv().is_ok(), "the next occurrence runs again");
        assert_eq!(skips.lock().unwrap().as_slice(), &[Skip::Overlap; 3]);
        cancel.cancel();
        timer.await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn jitter_delays_within_bounds() {
        let (tx, mut rx) = mpsc::channel(1);
        let state = Arc::new(SourceState::default());
        let cancel = CancellationToken::new();
        let timing = Timing {
            schedule: Schedule::Every(Duration::from_secs(100)),
            tz: chrono_tz::UTC,
            jitter: Duration::from_secs(30),
            active: None,
        };
        let start = tokio::time::Instant::now();
        tokio::spawn(run_timer(
            "s".into(),
            timing,
            state,
            tx,
            cancel.clone(),
            |_, _| {},
        ));
        rx.recv().await.unwrap();
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "first run at start, no jitter"
        );
        for k in 1..=5u64 {
            rx.recv().await.unwrap();
            let at = start.elapsed();
            assert!(
                at >= Duration::from_secs(100 * k) && at <= Duration::from_secs(100 * k + 30),
                "tick {k} at {at:?}"
            );
        }
        cancel.cancel();
    }
}
