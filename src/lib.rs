//! windvane (风向标) watches Chinese state-affiliated media accounts and alerts analysts when
//! the wind shifts on US–China trade.
//!
//! # Layout, in pipeline order
//! - [`config`]: TOML → validated [`config::Config`]; every problem reported at once.
//! - [`schedule`], [`daemon`]: ticks per source, the supervisor, rechecks, graceful shutdown;
//!   cluster mode's claim loop and shared outbox (`daemon::cluster`).
//! - [`pipeline`]: the generic loop of one source run: read, only new, classify, store.
//! - [`sources`]: each kind's client and parser (`weibo/`, `rss/`, `html/`), behind
//!   [`sources::SourceSpec`]; [`post`]: what they produce.
//! - [`fetch`]: one HTTP client, per-host rate limits, retries, body caps.
//! - [`text`]: normalisation with an offset map, jieba segmentation (pure).
//! - [`classify`]: rules → labels, scores, glossed evidence, English explanation (pure).
//! - [`store`]: SQLite; the only module with SQL; one writer, a pool of readers;
//!   `store::pg`: PostgreSQL for cluster mode (leases with a fence, fenced runs, outbox).
//! - [`alert`]: which channels want a post, the message, the outbox dispatcher.
//! - [`review`]: the analyst's desk (queue, verdicts, search, export) for the CLI and the web.
//! - [`bulk`], [`analysis`], [`ops`]: import/reclassify/store copy; history/backtest; health, metrics,
//!   status.
//! - [`cli`]: every command; [`demo`]. Leaves: [`states`], [`secret`], [`duration`].
//!
//! ARCHITECTURE.md has the layer rule: a module imports only from the layers below it.

/// `println!` that hands back the write error instead of panicking, so that a reader closing
/// the pipe early (`windvane eval … | head`) ends a command quietly (see `main`), not with a
/// panic. Evaluates to `anyhow::Result<()>`.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err($crate::cli::stdout_error)
    }};
}

/// `print!` with the same contract as [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*).map_err($crate::cli::stdout_error)
    }};
}

pub mod alert;
pub(crate) mod analysis;
pub mod bulk;
pub mod classify;
pub mod cli;
pub mod config;
pub mod daemon;
pub(crate) mod demo;
pub(crate) mod duration;
pub(crate) mod errors;
pub mod fetch;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod keys;
pub mod ops;
pub mod pipeline;
pub(crate) mod post;
pub mod review;
pub(crate) mod samples;
pub(crate) mod schedule;
pub(crate) mod secret;
pub mod sources;
pub mod states;
pub mod store;
pub mod text;

// The paths the modules had before they were grouped, for scripts and tests that name them.
pub use bulk::{import, reclassify};
pub use daemon::recheck;
pub use ops::{health, status};
