//! RSS and Atom feeds: `parse` reads a feed (feed-rs, pure), `client` fetches it with a
//! conditional GET.

pub mod client;
mod parse;

pub use parse::*;
