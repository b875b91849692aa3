//! Sources: each kind owns its IO and its parsing, in a folder of its own (`weibo/`, `rss/`,
//! `html/`: `parse.rs` pure, `client.rs` the requests). `SourceSpec` is the closed set of
//! kinds; the pipeline's generic loop reaches every kind through it, with a narrow `Env`
//! (`run.rs`), and never the other way round.

pub mod html;
pub mod markup;
pub mod rss;
pub mod run;
pub mod time;
pub mod weibo;

use std::collections::HashSet;

use url::Url;

use html::HtmlSpec;
use run::{Env, PageCommit, RunError, Sink, Tally};
use weibo::WeiboSpec;

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

/// What a source reads, per kind: the closed set the generic loop dispatches on.
#[derive(Debug, Clone)]
pub enum SourceSpec {
    Weibo(WeiboSpec),
    Rss { url: Url },
    Html(HtmlSpec),
}

impl SourceSpec {
    /// Reads the source and hands its new posts to `sink` (Weibo page by page, the others at
    /// once). Returns the list or feed page to remember once they are stored. `tried`
    /// collects the previews this run already tried to complete.
    pub async fn read(
        &self,
        env: &Env<'_>,
        tried: &mut HashSet<String>,
        tally: &mut Tally,
        sink: &mut impl Sink,
    ) -> Result<Option<PageCommit>, RunError> {
        match self {
            SourceSpec::Weibo(w) => {
                weibo::client::timeline(env, w, tried, tally, sink).await?;
                Ok(None)
            }
            SourceSpec::Rss { url } => rss::client::read(env, url, tally, sink).await,
            SourceSpec::Html(spec) => html::client::read(env, spec, tried, tally, sink).await,
        }
    }

    /// Whether stored previews of this source (`truncated`) can be completed later.
    pub fn completes(&self) -> bool {
        match self {
            SourceSpec::Weibo(_) => true,
            SourceSpec::Html(spec) => spec.body.is_some(),
            SourceSpec::Rss { .. } => false,
        }
    }

    /// The full text of a stored preview, when it can be had now.
    pub async fn complete(&self, env: &Env<'_>, post: &Post) -> Option<String> {
        match self {
            SourceSpec::Weibo(w) => weibo::client::full_text(env, w, &post.platform_id).await,
            SourceSpec::Html(spec) => {
                html::client::complete(env, spec.body.as_deref()?, post).await
            }
            SourceSpec::Rss { .. } => None,
        }
    }

    /// How the details stored beside a post are read from it (Weibo's raw JSON; the other
    /// kinds have none).
    pub fn detail_reader(&self) -> fn(&Post, chrono::DateTime<chrono::Utc>) -> PostDetail {
        match self {
            SourceSpec::Weibo(_) => |p, now| weibo::post_detail_from_raw(&p.raw, now),
            SourceSpec::Rss { .. } | SourceSpec::Html(_) => |_, _| PostDetail::default(),
        }
    }
}
