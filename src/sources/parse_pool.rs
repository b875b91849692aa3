//! The parses of fetched pages, run on the blocking pool with a bound and a time budget.
//!
//! A parse cannot be stopped once started (it is plain CPU work on a thread), so a page that
//! makes one run long is handled by accounting:
//! - at most `slots` parses within their budget run at once (a live slot each);
//! - a parse past its budget fails its run at once and, when one of `max_abandoned` places is
//!   free, gives its live slot back: the thread runs on, *abandoned*, and other sources keep
//!   every live slot. Only when that many abandoned parses are still running does a new
//!   overrun keep its live slot until it ends (a hard cap on threads a page can occupy);
//! - a source whose previous parse is still running past its budget is refused without
//!   starting another, so one hostile source holds at most one thread;
//! - while every abandoned place is taken, a source whose last parse overran is refused too,
//!   so known hostile pages cannot fill the live slots (a parse within budget clears it).
//!
//! Hence `max_abandoned + slots` sources must overrun for the first time at once to take every
//! slot, and one never blinds the daemon. Counted in `/metrics`:
//! `windvane_parse_overruns_total{outcome}`, `windvane_parses_refused_total{reason}`,
//! `windvane_parses_abandoned`, `windvane_parse_slots_busy`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why a parse gave no result.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseRefused {
    #[error("the previous {what} of this source overran {}s and still runs; skipped", budget.as_secs())]
    StillRunning {
        what: &'static str,
        budget: Duration,
    },
    #[error("the last {what} of this source overran {}s and {abandoned} parses past their budget still run; skipped until one ends", budget.as_secs())]
    CapReached {
        what: &'static str,
        budget: Duration,
        abandoned: usize,
    },
    #[error("the {what} took longer than {}s; the page is skipped", budget.as_secs())]
    Overran {
        what: &'static str,
        budget: Duration,
    },
    #[error("the {what} failed: {message}")]
    Panicked { what: &'static str, message: String },
}

/// What a running parse's thread holds; the thread drops it when it ends.
enum Hold {
    /// Within its budget, on one of the live slots.
    Live { _slot: OwnedSemaphorePermit },
    /// Past its budget: its live slot went back, it occupies one of the abandoned places.
    Abandoned { _place: OwnedSemaphorePermit },
    /// The thread ended.
    Done,
}

/// Counters and gauges, shared with `Metrics` (prometheus-client values are shared handles).
#[derive(Clone, Default)]
pub struct ParseMetrics {
    /// Overruns by `outcome`: `abandoned` (slot given back) or `held-slot` (cap reached).
    pub overruns: Family<Vec<(&'static str, String)>, Counter>,
    /// Parses not started, by `reason`: `still-running` or `cap-reached`.
    pub refused: Family<Vec<(&'static str, String)>, Counter>,
    /// Parses past their budget that still run and hold no live slot.
    pub abandoned: Gauge,
    /// Live slots in use.
    pub busy: Gauge,
}

/// Bounds the parses on the blocking pool; one per process, kept across reloads.
pub struct ParsePool {
    live: Arc<Semaphore>,
    abandoned: Arc<Semaphore>,
    budget: Duration,
    overran: Arc<Mutex<Overran>>,
    max_abandoned: usize,
    metrics: ParseMetrics,
}

/// Sources by what their parses did.
#[derive(Default)]
struct Overran {
    /// A parse past its budget still runs.
    running: HashSet<String>,
    /// The last parse that ended or was given up on overran (cleared by one within budget).
    last: HashSet<String>,
}

impl ParsePool {
    pub fn new(slots: usize, max_abandoned: usize, budget: Duration) -> ParsePool {
        ParsePool {
            live: Arc::new(Semaphore::new(slots)),
            abandoned: Arc::new(Semaphore::new(max_abandoned)),
            budget,
            overran: Arc::default(),
            max_abandoned,
            metrics: ParseMetrics::default(),
        }
    }

    pub fn metrics(&self) -> &ParseMetrics {
        &self.metrics
    }

    /// Runs `f` (a parse for `source_id`) on the blocking pool within the budget.
    pub async fn run<T: Send + 'static>(
        &self,
        source_id: &str,
        what: &'static str,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ParseRefused> {
        let budget = self.budget;
        {
            let o = lock(&self.overran);
            let refused = if o.running.contains(source_id) {
                Some(ParseRefused::StillRunning { what, budget })
            } else if o.last.contains(source_id) && self.abandoned.available_permits() == 0 {
                Some(ParseRefused::CapReached {
                    what,
                    budget,
                    abandoned: self.max_abandoned,
                })
            } else {
                None
            };
            if let Some(r) = refused {
                let reason = match r {
                    ParseRefused::StillRunning { .. } => "still-running",
                    _ => "cap-reached",
                };
                self.metrics
                    .refused
                    .get_or_create(&vec![("reason", reason.to_string())])
                    .inc();
                return Err(r);
            }
        }
        let permit = self
            .live
            .clone()
            .acquire_owned()
            .await
            .expect("the parse semaphore is never closed");
        self.metrics.busy.inc();
        let hold = Arc::new(Mutex::new(Hold::Live { _slot: permit }));
        let finish = Finish {
            hold: hold.clone(),
            overran: self.overran.clone(),
            source_id: source_id.to_string(),
            metrics: self.metrics.clone(),
        };
        let task = tokio::task::spawn_blocking(move || {
            let _finish = finish;
            f()
        });
        match tokio::time::timeout(budget, task).await {
            Ok(Ok(r)) => Ok(r),
            // A panic in a parser is a bug; `Finish` released the slot while unwinding.
            Ok(Err(e)) => Err(ParseRefused::Panicked {
                what,
                message: e.to_string(),
            }),
            Err(_) => {
                let mut h = lock(&hold);
                if let Hold::Live { .. } = &*h {
                    let mut o = lock(&self.overran);
                    o.running.insert(source_id.to_string());
                    o.last.insert(source_id.to_string());
                    drop(o);
                    let outcome = match self.abandoned.clone().try_acquire_owned() {
                        Ok(place) => {
                            // Dropping the live permit gives the slot back to other sources.
                            *h = Hold::Abandoned { _place: place };
                            self.metrics.busy.dec();
                            self.metrics.abandoned.inc();
                            "abandoned"
                        }
                        Err(_) => "held-slot",
                    };
                    self.metrics
                        .overruns
                        .get_or_create(&vec![("outcome", outcome.to_string())])
                        .inc();
                    tracing::warn!(source = %source_id, what, budget_s = budget.as_secs(), outcome, "A parse overran its budget; the run fails and the source parses nothing more until it ends.");
                }
                Err(ParseRefused::Overran { what, budget })
            }
        }
    }
}

/// Moved into the parse's thread: when the parse ends (or panics), releases whatever the
/// thread holds and clears its source, under the hold's lock, so the budget's side sees either
/// a running parse or `Done`, never half of it.
struct Finish {
    hold: Arc<Mutex<Hold>>,
    overran: Arc<Mutex<Overran>>,
    source_id: String,
    metrics: ParseMetrics,
}

impl Drop for Finish {
    fn drop(&mut self) {
        let mut h = lock(&self.hold);
        let mut o = lock(&self.overran);
        match std::mem::replace(&mut *h, Hold::Done) {
            Hold::Live { .. } => {
                self.metrics.busy.dec();
                // Within its budget, or past it while holding its slot (cap reached): only the
                // former clears the source.
                if !o.running.contains(&self.source_id) {
                    o.last.remove(&self.source_id);
                }
            }
            Hold::Abandoned { .. } => {
                self.metrics.abandoned.dec();
            }
            Hold::Done => {}
        }
        o.running.remove(&self.source_id);
    }
}

/// A poisoned lock only means a parser panicked while another thread held it; the set and the
/// hold stay meaningful.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parse that runs until the test lets it end.
    fn stuck() -> (
        std::sync::mpsc::Sender<()>,
        impl FnOnce() -> u32 + Send + 'static,
    ) {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        (tx, move || {
            let _ = rx.recv();
            0
        })
    }

    async fn eventually(mut cond: impl FnMut() -> bool) -> bool {
        for _ in 0..1200 {
            if cond() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        cond()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn overrun_parses_give_their_slots_back_up_to_the_cap() {
        // Two live slots, two abandoned places, a short budget (the parses below never end
        // by themselves, so every one of them overruns whatever the machine's speed).
        let pool = ParsePool::new(2, 2, Duration::from_millis(100));
        let mut release = Vec::new();
        for id in ["hostile-1", "hostile-2"] {
            let (tx, f) = stuck();
            release.push(tx);
            let r = pool.run(id, "list page parse", f).await;
            assert!(matches!(r, Err(ParseRefused::Overran { .. })), "{r:?}");
        }
        // Both overran; both slots are free again: a healthy source parses, twice at once.
        let healthy = tokio::time::timeout(Duration::from_secs(30), async {
            tokio::join!(
                pool.run("healthy", "timeline parse", || 7),
                pool.run("healthy-2", "timeline parse", || 8)
            )
        })
        .await
        .expect("a healthy parse waited for a slot two overruns still held");
        assert_eq!(healthy, (Ok(7), Ok(8)));
        assert_eq!(pool.metrics.abandoned.get(), 2);
        assert_eq!(pool.metrics.busy.get(), 0);

        // A source whose parse still runs is refused without taking a slot.
        let r = pool.run("hostile-1", "list page parse", || 1).await;
        assert!(matches!(r, Err(ParseRefused::StillRunning { .. })), "{r:?}");

        // The cap is reached: a third overrun keeps its slot (one live slot left).
        let (tx, f) = stuck();
        release.push(tx);
        let r = pool.run("hostile-3", "article parse", f).await;
        assert!(matches!(r, Err(ParseRefused::Overran { .. })), "{r:?}");
        assert_eq!(pool.metrics.abandoned.get(), 2);
        assert_eq!(pool.metrics.busy.get(), 1);
        assert_eq!(pool.run("healthy", "timeline parse", || 9).await, Ok(9));
        let overruns = |outcome: &str| {
            pool.metrics
                .overruns
                .get_or_create(&vec![("outcome", outcome.to_string())])
                .get()
        };
        let refused = |reason: &str| {
            pool.metrics
                .refused
                .get_or_create(&vec![("reason", reason.to_string())])
                .get()
        };
        assert_eq!((overruns("abandoned"), overruns("held-slot")), (2, 1));

        // hostile-3's parse ends; while the cap is still full, its next parse is refused
        // (its last one overran) instead of taking a live slot again.
        let third = release.pop().expect("three stuck parses");
        drop(third);
        assert!(
            eventually(|| pool.metrics.busy.get() == 0).await,
            "busy {}",
            pool.metrics.busy.get()
        );
        let (_tx, f) = stuck();
        let r = pool.run("hostile-3", "article parse", f).await;
        assert!(matches!(r, Err(ParseRefused::CapReached { .. })), "{r:?}");
        assert_eq!(pool.run("healthy", "timeline parse", || 10).await, Ok(10));
        assert_eq!((refused("still-running"), refused("cap-reached")), (1, 1));

        // When the stuck parses end, everything is given back and the sources parse again;
        // a parse within budget clears a source's overrun.
        drop(release);
        assert!(
            eventually(|| pool.metrics.abandoned.get() == 0 && pool.metrics.busy.get() == 0).await,
            "abandoned {} busy {}",
            pool.metrics.abandoned.get(),
            pool.metrics.busy.get()
        );
        assert_eq!(pool.run("hostile-1", "list page parse", || 3).await, Ok(3));
        assert_eq!(pool.run("hostile-3", "article parse", || 4).await, Ok(4));
        let last: Vec<String> = lock(&pool.overran).last.iter().cloned().collect();
        assert_eq!(last, ["hostile-2"], "cleared by a parse within budget");
        assert_eq!(pool.live.available_permits(), 2);
        assert_eq!(pool.abandoned.available_permits(), 2);
    }

    #[tokio::test]
    async fn a_panicking_parser_fails_its_run_and_frees_its_slot() {
        let pool = ParsePool::new(1, 1, Duration::from_secs(30));
        let r: Result<u32, _> = pool.run("s", "feed parse", || panic!("a parser bug")).await;
        assert!(matches!(r, Err(ParseRefused::Panicked { .. })), "{r:?}");
        assert_eq!(pool.run("s", "feed parse", || 2).await, Ok(2));
        assert_eq!(pool.metrics.busy.get(), 0);
    }
}
