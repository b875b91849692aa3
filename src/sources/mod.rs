//! Sources: each kind owns its IO and its parsing, in a folder of its own (`weibo/`, `rss/`,
//! `html/`: `parse.rs` pure, `client.rs` the requests). `SourceSpec` is the closed set of
//! kinds; the pipeline's generic loop reaches every kind through it, with a narrow `Env`
//! (`run.rs`), and never the other way round.

pub mod html;
pub mod markup;
pub mod parse_pool;
pub mod rss;
pub mod run;
pub mod time;
pub mod weibo;

use url::Url;

use html::HtmlSpec;
use run::{Env, PageCommit, RunError, Sink};
use weibo::WeiboSpec;

pub use crate::post::{ParseIssue, Post, PostDetail, Retweet};

/// What a source reads, per kind: the closed set the generic loop dispatches on.
#[derive(Debug, Clone)]
pub enum SourceSpec {
    Weibo(WeiboSpec),
    Rss { url: Url },
    Html(HtmlSpec),
}

impl SourceSpec {
    /// Reads the source and hands its new posts to `sink` (Weibo page by page, the others at
    /// once). Returns the list or feed page to remember once they are stored. `sink.tally().tried`
    /// collects the previews this run already tried to complete.
    pub async fn read(
        &self,
        env: &Env<'_>,
        sink: &mut impl Sink,
    ) -> Result<Option<PageCommit>, RunError> {
        match self {
            SourceSpec::Weibo(w) => {
                weibo::client::timeline(env, w, sink).await?;
                Ok(None)
            }
            SourceSpec::Rss { url } => rss::client::read(env, url, sink).await,
            SourceSpec::Html(spec) => html::client::read(env, spec, sink).await,
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
