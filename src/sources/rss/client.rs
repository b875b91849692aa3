//! Fetching a feed: a conditional GET (ETag / Last-Modified remembered per source), the parse
//! on the blocking pool, the new entries to the sink.

use chrono::Utc;
use url::Url;

use super::parse_feed;
use crate::fetch::Validators;
use crate::sources::run::{Env, PageCommit, RunError, Sink};

/// Reads the feed with a conditional GET (nothing when it is not modified) and hands its new
/// entries to `sink`.
pub async fn read(
    env: &Env<'_>,
    url: &Url,
    sink: &mut impl Sink,
) -> Result<Option<PageCommit>, RunError> {
    let (sid, u) = (env.source_id.to_string(), url.to_string());
    let memory = env.store.call(move |s| s.page_memory(&sid, &u)).await?;
    let headers = memory.validators.request_headers();
    let f = env.fetcher.get(url, &headers).await?;
    if f.not_modified() {
        tracing::debug!(url = %url, "Feed not modified.");
        return Ok(None);
    }
    let (body, name) = (f.body.clone(), env.source_name.to_string());
    let (posts, issues) = env
        .parse("feed parse", move || parse_feed(&body, &name, Utc::now()))
        .await?
        .map_err(|e| RunError::Parse(format!("{e} (from {url})")))?;
    for issue in &issues {
        tracing::warn!(item = %issue.item, problem = %issue.problem, "Skipped a malformed feed entry.");
    }
    sink.tally().parse_issues += issues.len();
    let commit = PageCommit {
        url: url.to_string(),
        validators: Validators::from_headers(&f.headers),
        matched: posts.len(),
    };
    sink.tally().fetched = posts.len();
    let fresh = env.only_new(posts).await?;
    sink.store(fresh).await?;
    Ok(Some(commit))
}
