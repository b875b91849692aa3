//! A circuit breaker per source: after `threshold` consecutive failed runs the source is skipped
//! until `cooldown` has passed; then one trial run is allowed ("half-open"). A success closes
//! the breaker, a failure opens it for another cooldown. Kept in memory by the pipeline's
//! `Context`; a restart starts every breaker closed, which is the polite-enough default.
//!
//! Pure: the caller passes the time, so tests need no clock.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::states::SourceState;

#[derive(Debug, Clone, Default)]
struct BreakerState {
    consecutive_failures: u32,
    open_until: Option<Instant>,
    /// The source's state after its last real run, kept while the breaker skips runs.
    last_state: SourceState,
}

#[derive(Debug)]
pub struct Breakers {
    threshold: u32,
    cooldown: Duration,
    states: Mutex<HashMap<String, BreakerState>>,
}

/// Why a run may not happen now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    pub failures: u32,
    /// Time left until the next trial run.
    pub retry_in: Duration,
    /// The state the last real run left the source in.
    pub last_state: SourceState,
}

impl Breakers {
    /// `threshold == 0` disables the breaker.
    pub fn new(threshold: u32, cooldown: Duration) -> Breakers {
        Breakers {
            threshold,
            cooldown,
            states: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, BreakerState>> {
        // The map holds plain counters; a panic elsewhere cannot leave it inconsistent.
        self.states.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// May `source` run at `now`? After the cooldown this lets one trial run through.
    pub fn check(&self, source: &str, now: Instant) -> Result<(), Open> {
        let states = self.lock();
        match states.get(source) {
            Some(BreakerState {
                consecutive_failures,
                open_until: Some(until),
                last_state,
            }) if *until > now => Err(Open {
                failures: *consecutive_failures,
                retry_in: *until - now,
                last_state: *last_state,
            }),
            _ => Ok(()),
        }
    }

    pub fn record_success(&self, source: &str) {
        self.lock().remove(source);
    }

    /// Records a failed run; returns true when this failure opened (or re-opened) the breaker.
    pub fn record_failure(&self, source: &str, now: Instant, state: SourceState) -> bool {
        if self.threshold == 0 {
            return false;
        }
        let mut states = self.lock();
        let st = states.entry(source.to_string()).or_default();
        st.consecutive_failures += 1;
        st.last_state = state;
        if st.consecutive_failures >= self.threshold {
            st.open_until = Some(now + self.cooldown);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_and_half_opens_after_cooldown() {
        let b = Breakers::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(!b.record_failure("a", t0, SourceState::Failing));
        assert!(!b.record_failure("a", t0, SourceState::Failing));
        assert!(b.check("a", t0).is_ok(), "two failures: still closed");
        assert!(
            b.record_failure("a", t0, SourceState::Failing),
            "third failure opens"
        );
        let open = b.check("a", t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(open.failures, 3);
        assert_eq!(open.retry_in, Duration::from_secs(50));
        assert_eq!(open.last_state, "failing");
        assert!(b.check("b", t0).is_ok(), "other sources unaffected");
        // Cooldown over: one trial; it fails → open again for a full cooldown.
        let t1 = t0 + Duration::from_secs(61);
        assert!(b.check("a", t1).is_ok());
        assert!(b.record_failure("a", t1, SourceState::Failing));
        assert!(b.check("a", t1 + Duration::from_secs(59)).is_err());
        // Next trial succeeds → closed, counter reset.
        let t2 = t1 + Duration::from_secs(61);
        assert!(b.check("a", t2).is_ok());
        b.record_success("a");
        assert!(!b.record_failure("a", t2, SourceState::Failing));
        assert!(b.check("a", t2).is_ok());
    }

    #[test]
    fn zero_threshold_never_opens() {
        let b = Breakers::new(0, Duration::from_secs(60));
        let t = Instant::now();
        for _ in 0..10 {
            assert!(!b.record_failure("a", t, SourceState::Failing));
        }
        assert!(b.check("a", t).is_ok());
    }
}
