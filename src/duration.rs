//! Durations as configuration keys: human strings ("30s", "15m"), bounded. A leaf: every
//! component's spec reads its durations through it.

use std::time::Duration;

/// The longest duration any key (and any `every` schedule) may hold. Longer ones are mistakes,
/// and arithmetic on them (three intervals of staleness, timeouts times attempts, timers)
/// would overflow.
pub const MAX_DURATION: Duration = Duration::from_secs(366 * 24 * 3600);

/// Reads a duration key as a human string ("30s", "15m") and refuses one beyond
/// `MAX_DURATION`.
pub(crate) fn bounded_duration<'de, D>(d: D) -> Result<Option<Duration>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value: Option<Duration> = humantime_serde::deserialize(d)?;
    match value {
        Some(v) if v > MAX_DURATION => Err(serde::de::Error::custom(format!(
            "{} is longer than 366 days, the longest duration windvane accepts",
            humantime::format_duration(v)
        ))),
        other => Ok(other),
    }
}
