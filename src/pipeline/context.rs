//! Building the `Context` a pass runs with: classifier, store (checked writable, search index
//! caught up, in-flight alerts reconciled), fetcher, breakers, visitor cookies and the parse
//! pool, once per process; and the narrow `Env` a kind's client gets from it.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::classify::Classifier;
use crate::config::{Config, SourceConfig};
use crate::fetch::breaker::Breakers;
use crate::fetch::Fetcher;
use crate::sources::parse_pool::ParsePool;
use crate::sources::run::Env;
use crate::sources::weibo::cookies::VisitorCookies;
use crate::store::Store;

/// Parses running at once on the blocking pool (every source together).
const PARSE_SLOTS: usize = 4;
/// Parses past `PARSE_BUDGET` that may run on without a slot (see `sources::parse_pool`):
/// beyond this, an overrun keeps its slot until it ends.
const MAX_ABANDONED_PARSES: usize = 4;
/// How long one parse may take before its run fails (the page's markup is capped first, see
/// `sources::markup`, so only a new kind of pathological page reaches this).
pub const PARSE_BUDGET: Duration = Duration::from_secs(10);

/// Everything a pass needs, built once per process.
#[derive(Clone)]
pub struct Context {
    pub cfg: Arc<Config>,
    pub store: Store,
    pub fetcher: Fetcher,
    pub classifier: Classifier,
    /// Per-source circuit breakers (in memory: a restart closes them all).
    pub breakers: Arc<Breakers>,
    /// Weibo visitor cookies, shared by every Weibo source without a login cookie.
    pub visitor: Arc<VisitorCookies>,
    /// Bounds the parses on the blocking pool and their time (`sources::parse_pool`).
    pub parse_pool: Arc<ParsePool>,
    /// Cluster mode: the shared PostgreSQL store (posts, leases, outbox). `store` is then a
    /// local in-memory cache (page memory, Weibo accounts).
    pub shared: Option<crate::store::pg::PgStore>,
}

impl Context {
    pub fn new(cfg: Config) -> anyhow::Result<Context> {
        use anyhow::Context as _;
        let classifier = Classifier::load(
            cfg.classifier.signals_dir.as_deref(),
            cfg.classifier.user_dict.as_deref(),
        )
        .context("cannot load the classifier")?;
        // Cluster mode keeps posts in PostgreSQL; the local store only caches page memory and
        // Weibo accounts for this process.
        let store = if cfg.cluster.is_some() {
            Store::open_in_memory()?
        } else {
            Store::open(&cfg.store_path)?
        };
        // Every command that fetches writes: say now, with the path, if the database cannot be.
        store.ensure_writable()?;
        // Posts stored before the search index existed (or whose text changed) get indexed.
        store.index_missing(&|t| classifier.segmenter.index_words(t))?;
        // Alerts in flight when the last process stopped: they may have arrived; they go
        // out again with the same Idempotency-Key, and the count says how many.
        let in_flight = store.reconcile_sending(Utc::now())?;
        if in_flight > 0 {
            tracing::warn!(alerts = in_flight, "Alerts were being sent when the last process stopped; they are sent again with the same Idempotency-Key (a receiver may see them twice).");
        }
        store.set_busy_timeout(cfg.store_busy_timeout)?;
        let fetcher = Fetcher::new(&cfg.fetch).context("cannot build the HTTP client")?;
        for s in &cfg.sources {
            store.ensure_source(&s.id, &s.kind().to_string(), &s.name)?;
        }
        for s in &cfg.sources {
            if let Some(every) = s.schedule.interval() {
                // The whole run (retries included) should end before the next tick.
                let worst = cfg.fetch.timeout * (cfg.fetch.retries + 1);
                if worst >= every {
                    tracing::warn!(source = %s.id, every = ?every, worst = ?worst, "A run with every retry may outlast the schedule; lower fetch.retries or fetch.timeout.");
                }
            }
        }
        Ok(Context {
            breakers: Arc::new(Breakers::new(
                cfg.fetch.breaker_threshold,
                cfg.fetch.breaker_cooldown,
            )),
            visitor: Arc::new(VisitorCookies::new(cfg.fetch.visitor_cooldown)),
            cfg: Arc::new(cfg),
            store,
            fetcher,
            classifier,
            parse_pool: Arc::new(ParsePool::new(
                PARSE_SLOTS,
                MAX_ABANDONED_PARSES,
                PARSE_BUDGET,
            )),
            shared: None,
        })
    }

    /// What a run of `src` may use: its kind's client sees this, not the context.
    pub fn env<'a>(&'a self, src: &'a SourceConfig) -> Env<'a> {
        Env {
            source_id: &src.id,
            source_name: &src.name,
            fetcher: &self.fetcher,
            store: &self.store,
            visitor: &self.visitor,
            parsing: &self.parse_pool,
            shared: self.shared.as_ref(),
        }
    }
}
