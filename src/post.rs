//! What every source kind produces and the store keeps: `Post` (with its `Retweet`), the
//! `PostDetail` stored beside a Weibo post, and `ParseIssue`, one bad item of a page. A leaf,
//! below both `sources` and `store`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One post as a source reports it, before classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// The platform's own id (Weibo mid), unique per source.
    pub platform_id: String,
    pub author: String,
    /// Plain text (HTML removed).
    pub text: String,
    pub created_at: DateTime<Utc>,
    /// The time exactly as the source wrote it.
    pub created_at_raw: String,
    pub url: String,
    /// Pinned posts are kept out of "newest already seen" decisions.
    pub pinned: bool,
    /// The text is a truncated preview (全文) whose full form could not be fetched yet.
    pub truncated: bool,
    pub edit_count: u32,
    pub retweet: Option<Retweet>,
    /// The raw JSON (or HTML fragment) the post was parsed from.
    pub raw: String,
}

/// What a Weibo post carries beyond its text, stored beside it (see `weibo::post_detail`).
/// Other kinds leave it empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PostDetail {
    /// When the author last edited the post (`edit_at`), in UTC, and as Weibo wrote it.
    pub edit_at: Option<DateTime<Utc>>,
    pub edit_at_raw: Option<String>,
    /// Picture URLs, large versions preferred (`pics` as an array or an object).
    pub pics: Vec<String>,
    /// Counts as numbers ("100万+" → 1000000); `None` when absent or unreadable.
    pub reposts: Option<u64>,
    pub comments: Option<u64>,
    pub attitudes: Option<u64>,
}

/// The original of a repost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Retweet {
    pub platform_id: String,
    /// `None` when the original was deleted (`user: null`).
    pub author: Option<String>,
    pub text: String,
}

impl Post {
    /// The text the classifier reads: the post and, for a repost, the original.
    pub fn full_text(&self) -> String {
        match &self.retweet {
            Some(rt) if !rt.text.is_empty() => format!("{}\n//{}", self.text, rt.text),
            _ => self.text.clone(),
        }
    }
}

/// Something wrong with one item of a page; the rest of the page is still used.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseIssue {
    pub item: String,
    pub problem: String,
}
