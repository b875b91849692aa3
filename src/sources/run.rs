//! What a source kind gets from the generic loop and gives back to it: `Env` (the source, the
//! fetcher, the store, the Weibo visitor cookies, the parse pool: nothing of the pipeline's
//! `Context`), `Sink` (where new posts go to be classified and stored), `Tally` (what the run
//! counts), and `RunError`, why a run failed, with the kind and the state it leaves.

use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

use super::parse_pool::ParsePool;
use super::weibo::cookies::VisitorCookies;
use crate::fetch::{FetchError, Fetcher, Validators};
use crate::post::Post;
use crate::states::{ErrorKind, SourceState};
use crate::store::Store;

/// What one run of one source may use.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub source_id: &'a str,
    pub source_name: &'a str,
    pub fetcher: &'a Fetcher,
    pub store: &'a Store,
    /// Weibo visitor cookies, shared by every Weibo source without a login cookie.
    pub visitor: &'a VisitorCookies,
    pub parsing: &'a ParsePool,
    /// Cluster mode: the shared database, where every instance's posts are (the local
    /// `store` then only caches this instance's page memory and Weibo accounts).
    pub shared: Option<&'a crate::store::pg::PgStore>,
}

impl Env<'_> {
    /// The posts not stored yet for this source (each once).
    pub async fn only_new(&self, posts: Vec<Post>) -> Result<Vec<Post>, RunError> {
        let ids: Vec<String> = posts.iter().map(|p| p.platform_id.clone()).collect();
        let known = self.known_ids(ids).await?;
        let mut seen = HashSet::new();
        Ok(posts
            .into_iter()
            .filter(|p| !known.contains(&p.platform_id) && seen.insert(p.platform_id.clone()))
            .collect())
    }

    /// Which of `ids` are stored for this source (in cluster mode: by any instance).
    pub async fn known_ids(&self, ids: Vec<String>) -> Result<HashSet<String>, RunError> {
        if let Some(pg) = self.shared {
            return pg
                .known_ids(self.source_id, &ids)
                .await
                .map_err(RunError::from);
        }
        let sid = self.source_id.to_string();
        Ok(self
            .store
            .call(move |s| s.known_ids(&sid, &ids.iter().map(String::as_str).collect::<Vec<_>>()))
            .await?)
    }

    /// Runs a parse on the blocking pool, within its slots and time budget (see
    /// `ParsePool::run`); a refused or overrun parse fails the run as a parse failure.
    pub async fn parse<T: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, RunError> {
        self.parsing
            .run(self.source_id, what, f)
            .await
            .map_err(|e| RunError::Parse(e.to_string()))
    }
}

/// Where a kind hands the new posts it read, and what it counted: the generic loop
/// classifies the posts and stores them with their alerts in one transaction. Weibo hands a
/// timeline page at a time.
pub trait Sink: Send {
    fn store(&mut self, posts: Vec<Post>) -> impl Future<Output = Result<(), RunError>> + Send;
    /// The run's counts, which the kind adds to as it reads.
    fn tally(&mut self) -> &mut Tally;
}

/// What a kind counts and remembers during a run; the run's report adds it up.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub fetched: usize,
    pub parse_issues: usize,
    /// Previews whose full text this run fetched.
    pub long_texts_completed: usize,
    /// Previews whose full text this run already tried (not retried again in the same run).
    pub tried: HashSet<String>,
}

/// A list or feed page to remember once its posts are safely stored.
#[derive(Debug, Clone)]
pub struct PageCommit {
    pub url: String,
    pub validators: Validators,
    pub matched: usize,
}

/// Why a source run failed, with the state the source is left in.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("Weibo refused the request ({0}); a visitor or login cookie is needed")]
    Blocked(String),
    #[error("Weibo refused the configured login cookie ({0}); put a fresh cookie in `cookie_file` or `cookie_env`")]
    CookieRejected(String),
    #[error("cannot resolve the Weibo screen name `{name}`: {reason}; check `screen_name` or give `uid`")]
    Unresolved { name: String, reason: String },
    #[error("the response could not be read: {0}")]
    Parse(String),
    #[error("the item selector `{selector}` matched nothing on {url}, which it used to match; the page layout changed: update the source's selectors")]
    LayoutChanged { selector: String, url: String },
    #[error("the item selector `{selector}` matched nothing on {url}; check the source's `item` selector and `url`")]
    NoItems { selector: String, url: String },
    #[error("the timeline of container {container} answered `ok: 1` with an empty `cards` list; the account may have no posts, or the API changed")]
    EmptyTimeline { container: String },
    #[error("circuit open after {failures} failed runs; next try in {retry_in:?}")]
    CircuitOpen {
        failures: u32,
        retry_in: Duration,
        last_state: SourceState,
    },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Cluster mode: the shared database did not answer (it is retried next run).
    #[error("the shared database: {0}")]
    Shared(String),
}

/// The shared database refused or did not answer (cluster mode): the run fails and is
/// redone by whoever claims the source next.
impl From<crate::store::pg::PgError> for RunError {
    fn from(e: crate::store::pg::PgError) -> RunError {
        RunError::Shared(e.to_string())
    }
}

impl RunError {
    /// The failure's kind (for the run record and metrics) and the state it leaves the source in.
    pub fn kind_and_state(&self) -> (ErrorKind, SourceState) {
        use SourceState as S;
        match self {
            RunError::Fetch(e) if e.kind() == ErrorKind::Http432 => (e.kind(), S::NeedsCookie),
            RunError::Fetch(e) => (e.kind(), S::Failing),
            RunError::Blocked(_) => (ErrorKind::Blocked, S::NeedsCookie),
            RunError::CookieRejected(_) => (ErrorKind::CookieRejected, S::NeedsCookie),
            RunError::Unresolved { .. } => (ErrorKind::AccountUnresolved, S::Failing),
            RunError::Parse(_) => (ErrorKind::Parse, S::Failing),
            RunError::LayoutChanged { .. } => (ErrorKind::LayoutChanged, S::LayoutChanged),
            // README's documented state: the selector never matched (unlike layout-changed).
            RunError::NoItems { .. } => (ErrorKind::NoItems, S::NoItems),
            RunError::EmptyTimeline { .. } => (ErrorKind::NoItems, S::NoItems),
            RunError::CircuitOpen { last_state, .. } => (ErrorKind::CircuitOpen, *last_state),
            RunError::Store(_) | RunError::Shared(_) => (ErrorKind::Store, S::Failing),
        }
    }
}
