//! Weibo (m.weibo.cn's mobile JSON API): `parse` reads its bodies (pure), `client` makes its
//! requests (refusals, cookies, account, timeline pages, long texts), `cookies` keeps the
//! visitor passport, `presence` reads whether a post still exists, `archive` reads archives
//! other tools saved (for `bulk::import`). `WeiboSpec` is a Weibo source as the configuration validated it.

pub mod archive;
pub mod client;
pub mod cookies;
mod parse;
pub mod presence;

pub use parse::*;

use url::Url;

use crate::secret::Secret;

#[derive(Debug, Clone)]
pub struct WeiboSpec {
    /// The configured numeric uid; empty when the account is configured by `screen_name`
    /// (then resolved at run time and cached in the database: `client::account`).
    pub uid: String,
    /// The configured screen name (`screen_name`), when the uid is not given.
    pub screen_name: Option<String>,
    pub api_base: Url,
    /// Weibo's visitor passport (genvisitor2); tests point it at 127.0.0.1.
    pub passport_base: Url,
    pub backfill_pages: u32,
    /// A user's login cookie. When set, it is never replaced by a visitor cookie: if it stops
    /// working the source goes to `needs-cookie`.
    pub cookie: Option<Secret>,
}
