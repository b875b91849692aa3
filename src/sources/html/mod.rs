//! HTML list pages read through CSS selectors: `parse` reads a list page and an article
//! (pure), `client` fetches them (conditional GET, JavaScript redirects, articles, completing
//! the ones that were missing). `HtmlSpec` is an HTML source as the configuration validated it.

pub mod client;
mod parse;

pub use parse::*;

use url::Url;

/// A list page read through CSS selectors.
#[derive(Debug, Clone)]
pub struct HtmlSpec {
    pub url: Url,
    /// One element per item (`ul.list li`).
    pub item: String,
    /// Inside an item: the title's element (its text).
    pub title: String,
    /// Inside an item: the link's element (`a` of `a@href`); `None` is the item itself (`@href`).
    pub link: Option<String>,
    /// The attribute holding the URL (`href` of `a@href`).
    pub link_attr: String,
    /// Inside an item: the date's element (its text), optional.
    pub date: Option<String>,
    /// A chrono format for `date` (`%Y-%m-%d`); without it every known format is tried.
    pub date_format: Option<String>,
    /// On the article page: the body's element. When set, each new link is fetched.
    pub body: Option<String>,
}
