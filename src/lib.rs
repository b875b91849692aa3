//! windvane (风向标) watches Chinese state-affiliated media accounts and alerts analysts when
//! the wind shifts on US–China trade.
//!
//! # Layout, in pipeline order
//! - [`config`]: TOML → validated [`config::Config`]; every problem reported at once.
//! - [`schedule`], [`daemon`]: ticks per source, the supervisor, graceful shutdown.
//! - [`fetch`]: one HTTP client, per-host rate limits, retries, body caps.
//! - [`sources`]: what to request and how to parse a body into [`sources::Post`]s (pure).
//! - [`text`]: normalisation with an offset map, jieba segmentation (pure).
//! - [`classify`]: rules → labels, scores, glossed evidence, English explanation (pure).
//! - [`store`]: SQLite; the only module with SQL; posts, classifications, outbox, runs.
//! - [`alert`]: which channels want a post, the message, the outbox dispatcher.
//! - [`pipeline`]: one pass of one source through all of the above.
//! - [`review`]: the analyst's desk (queue, verdicts, search, export) for the CLI and the web.
//! - [`recheck`]: edits and deletions of recent posts, at a slower pace.
//! - [`health`], [`metrics`], [`status`]: `/healthz`, `/metrics`, `windvane status`.
//! - [`cli`], [`demo`]: the commands.

pub mod alert;
pub mod analysis;
pub mod bulk;
pub mod classify;
pub mod cli;
pub mod config;
pub mod daemon;
pub mod demo;
pub mod duration;
pub mod fetch;
#[doc(hidden)]
pub mod fuzzing;
pub mod ops;
pub mod pipeline;
pub mod post;
pub mod review;
pub(crate) mod samples;
pub mod schedule;
pub mod secret;
pub mod sources;
pub mod states;
pub mod store;
pub mod text;

// The paths the modules had before they were grouped, for scripts and tests that name them.
pub use analysis::{backtest, history};
pub use bulk::{import, reclassify};
pub use daemon::recheck;
pub use ops::{health, metrics, status};
