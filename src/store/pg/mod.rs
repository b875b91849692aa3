//! PostgreSQL as the shared store and the coordinator of cluster mode (issue 15): sources
//! leased to one instance at a time with a fence, runs committed in one transaction guarded
//! by that fence, egress cool-downs shared by every instance, and the instance roster.
//!
//! Every time is the database's `now()`: instances' clocks never decide who owns a source.
//! Migrations in migrations/postgres/ are embedded and applied under a transaction-scoped
//! advisory lock, so instances starting together apply each one once.

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use include_dir::{include_dir, Dir};
use tokio_postgres::NoTls;

mod bulk;
mod config;
mod cookies;
mod copy;
mod derived;
mod outbox;
mod previews;
mod reads;
mod review;
mod versions;
pub use config::{
    ClusterConfig, DEFAULT_EGRESS, DEFAULT_EGRESS_COOLDOWN, DEFAULT_LEASE_TTL, MAX_COOLDOWN_FACTOR,
};
pub use cookies::Renewal;
pub use copy::COPIED_RUNS;
pub use outbox::{ChannelLease, OutboxRow, SendOutcome};
pub use reads::{RosterRow, SourceRow};

static MIGRATIONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/migrations/postgres");

/// How long a new connection (or the check of a pooled one) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a call waits for a free pooled connection.
const POOL_WAIT: Duration = Duration::from_secs(30);

/// The advisory-lock key migrations take (any constant shared by every windvane instance).
const MIGRATION_LOCK: i64 = 0x7769_6e64_7661_6e65; // "windvane"

#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("PostgreSQL: {context}: {source}")]
    Db {
        context: &'static str,
        #[source]
        source: tokio_postgres::Error,
    },
    /// The run's lease was taken over (its fence is no longer the source's): nothing of the
    /// run was written.
    #[error("the lease on source `{source_id}` (fence {fence}) was lost; the run was rolled back")]
    LeaseLost { source_id: String, fence: i64 },
    #[error("migration `{0}` is not valid UTF-8")]
    Migration(String),
    #[error("PostgreSQL: `{url}` is not a connection string: {source}")]
    Url {
        url: String,
        #[source]
        source: tokio_postgres::Error,
    },
    /// No connection could be had (the database is down or restarting): the call did
    /// nothing and can be retried.
    #[error("PostgreSQL is unreachable: {0}")]
    Unreachable(String),
}

impl PgError {
    /// The database could not be reached or went away (down, restarting, the connection
    /// cut): retrying later helps. A statement the server refused is not this.
    pub fn is_unreachable(&self) -> bool {
        match self {
            PgError::Unreachable(_) => true,
            PgError::Db { source, .. } => match source.as_db_error() {
                None => true,
                // 08: connection exception; 57: operator intervention (admin shutdown,
                // cannot connect now); 53300: too many connections.
                Some(db) => {
                    let code = db.code().code();
                    code.starts_with("08") || code.starts_with("57") || code == "53300"
                }
            },
            PgError::LeaseLost { .. } | PgError::Migration(_) | PgError::Url { .. } => false,
        }
    }
}

trait Context<T> {
    fn context(self, what: &'static str) -> Result<T, PgError>;
}

impl<T> Context<T> for Result<T, tokio_postgres::Error> {
    fn context(self, what: &'static str) -> Result<T, PgError> {
        self.map_err(|source| PgError::Db {
            context: what,
            source,
        })
    }
}

/// A source as cluster mode schedules it.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    pub id: String,
    pub kind: String,
    pub name: String,
    /// Pinned to one egress (a login bound to an IP), or fetched through any.
    pub egress: Option<String>,
    pub every: Duration,
}

/// A claim on one source: valid while `fence` is still the source's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub source_id: String,
    pub fence: i64,
    pub owner: String,
    pub claimed_at: chrono::DateTime<chrono::Utc>,
    /// When the source fell due: `claimed_at - due_at` is the scheduling delay.
    pub due_at: chrono::DateTime<chrono::Utc>,
}

/// A post a run stores.
#[derive(Debug, Clone, Default)]
pub struct RunPost {
    pub platform_id: String,
    pub author: String,
    pub text: String,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_at_raw: String,
}

/// How a run ended, as the source's state records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    Ok,
    /// Failed, leaving the source in this state (`needs-cookie` and `layout-changed` wait
    /// for an operator and raise operator alerts; see `alert::derive`).
    Failed(crate::states::SourceState),
}

impl RunOutcome {
    /// The run's outcome as `fetch_runs.outcome` keeps it.
    fn as_str(self) -> &'static str {
        match self {
            RunOutcome::Ok => "ok",
            RunOutcome::Failed(_) => "failed",
        }
    }

    /// The source's state after the run (`sources.state`).
    fn state(self) -> &'static str {
        match self {
            RunOutcome::Ok => crate::states::SourceState::Ok.as_str(),
            RunOutcome::Failed(s) => s.as_str(),
        }
    }
}

/// A post a run stores with what the daemon made of it.
#[derive(Debug, Clone, Default)]
pub struct RunItem {
    pub post: RunPost,
    /// The payload the post was parsed from.
    pub raw: String,
    /// A preview whose full text is still to fetch.
    pub truncated: bool,
    /// Pinned to the top of its timeline (kept out of "newest" decisions).
    pub pinned: bool,
    /// How often the author edited it, as the source said when it was read.
    pub edit_count: u32,
    /// The edit time, pictures and counts read from its payload (as SQLite stores them).
    pub detail: crate::post::PostDetail,
    pub classification: Option<crate::classify::Classification>,
    /// The alerts the post raises if it is new (see `alert::plan`).
    pub alerts: Vec<crate::store::PlannedAlert>,
}

impl RunItem {
    /// A post as cluster mode stores it (its full text, a repost's after `//`, as search
    /// reads it), with what the classifier made of it and the alerts it raises if new.
    pub fn new(
        p: &crate::post::Post,
        classification: crate::classify::Classification,
        alerts: Vec<crate::store::PlannedAlert>,
    ) -> RunItem {
        RunItem {
            post: RunPost {
                platform_id: p.platform_id.clone(),
                author: p.author.clone(),
                text: p.full_text(),
                url: p.url.clone(),
                created_at: p.created_at,
                created_at_raw: p.created_at_raw.clone(),
            },
            raw: p.raw.clone(),
            truncated: p.truncated,
            pinned: p.pinned,
            edit_count: p.edit_count,
            detail: crate::post::PostDetail::default(),
            classification: Some(classification),
            alerts,
        }
    }

    /// The item with the details its source's kind reads from the post's payload.
    pub fn with_detail(mut self, detail: crate::post::PostDetail) -> RunItem {
        self.detail = detail;
        self
    }
}

/// Everything a leased run commits: its new posts (with what the daemon made of them), how
/// it ended, how many posts it read, and when its source falls due again.
#[derive(Debug, Clone, Copy)]
pub struct RunRecord<'a> {
    pub items: &'a [RunItem],
    pub outcome: RunOutcome,
    pub error: Option<&'a str>,
    /// Posts the run read, new or not (SQLite's `fetch_runs.fetched`).
    pub fetched: usize,
    /// When the source falls due again, counted from the commit; `None` is its interval.
    pub next_in: Option<Duration>,
}

/// What a committed run stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunCommitted {
    pub new_posts: u64,
    /// New posts with at least one label.
    pub flagged: u64,
    pub alerts_queued: u64,
}

/// A source's lease: who holds it (if anyone), its fence, and whether it is still live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLease {
    pub source_id: String,
    pub owner: Option<String>,
    pub fence: i64,
    pub live: bool,
    /// How long the lease has left (zero when expired or free).
    pub left: Duration,
}

/// An instance as `status` and the desk list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRow {
    pub id: String,
    pub egress: String,
    pub version: String,
    pub last_seen: chrono::DateTime<chrono::Utc>,
}

/// A handle to the shared database; cheap to clone. Calls take a connection from a small
/// pool: a connection broken by a database restart is replaced on the next call.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
}

impl PgStore {
    /// Connects (`postgres://user@host:port/db`, or `host=/socket/dir user=… dbname=…`) and
    /// checks the database answers. Connections run on the current tokio runtime.
    pub async fn connect(url: &str) -> Result<PgStore, PgError> {
        let config: tokio_postgres::Config = url.parse().map_err(|source| PgError::Url {
            url: url.to_string(),
            source,
        })?;
        PgStore::connect_with(config).await
    }

    /// `connect` with a driver configuration (e.g. `ClusterConfig::pg_config`, password set).
    pub async fn connect_with(mut config: tokio_postgres::Config) -> Result<PgStore, PgError> {
        // A server that accepts but never answers (half started, a dead host) costs a call,
        // not the instance: every connect, recycle and wait for a connection is bounded.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Verified,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(4)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .wait_timeout(Some(POOL_WAIT))
            .build()
            .map_err(|e| PgError::Unreachable(crate::errors::error_chain(&e)))?;
        let store = PgStore { pool };
        // The database answers now, or the caller hears why not.
        drop(store.client().await?);
        Ok(store)
    }

    async fn client(&self) -> Result<Object, PgError> {
        self.pool
            .get()
            .await
            .map_err(|e| PgError::Unreachable(crate::errors::error_chain(&e)))
    }

    /// `migrate` only when an embedded migration is not applied yet: a database already up
    /// to date is only read (a role without DDL rights, e.g. an analyst's, can then use it).
    pub async fn migrate_if_behind(&self) -> Result<usize, PgError> {
        let applied = self
            .client()
            .await?
            .query("SELECT name FROM schema_migrations", &[])
            .await;
        let applied: std::collections::HashSet<String> = match applied {
            Ok(rows) => rows.iter().map(|r| r.get(0)).collect(),
            // No table yet (or unreadable): `migrate` creates it, or says why it cannot.
            Err(_) => return self.migrate().await,
        };
        let behind = MIGRATIONS
            .files()
            .any(|f| !applied.contains(&f.path().display().to_string()));
        if behind {
            self.migrate().await
        } else {
            Ok(0)
        }
    }

    /// Applies the embedded migrations not yet applied; returns how many it applied. Two
    /// instances migrating at once serialise on an advisory lock held for the transaction.
    pub async fn migrate(&self) -> Result<usize, PgError> {
        let mut files: Vec<_> = MIGRATIONS.files().collect();
        files.sort_by_key(|f| f.path().to_path_buf());
        let mut client = self.client().await?;
        let tx = client.transaction().await.context("begin migrations")?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .context("take the migration lock")?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )
        .await
        .context("create schema_migrations")?;
        let mut applied = 0;
        for f in files {
            let name = f.path().display().to_string();
            let done = tx
                .query_opt("SELECT 1 FROM schema_migrations WHERE name = $1", &[&name])
                .await
                .context("read schema_migrations")?
                .is_some();
            if done {
                continue;
            }
            let sql = f
                .contents_utf8()
                .ok_or_else(|| PgError::Migration(name.clone()))?;
            tx.batch_execute(sql).await.context("apply a migration")?;
            tx.execute("INSERT INTO schema_migrations (name) VALUES ($1)", &[&name])
                .await
                .context("record a migration")?;
            applied += 1;
        }
        tx.commit().await.context("commit migrations")?;
        Ok(applied)
    }

    /// Adds or updates a source's schedule; its lease and fence are kept.
    pub async fn upsert_source(&self, s: &SourceSpec) -> Result<(), PgError> {
        let every = i32::try_from(s.every.as_secs().max(1)).unwrap_or(i32::MAX);
        self.client().await?
            .execute(
                "INSERT INTO sources (id, kind, name, egress, every_secs) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (id) DO UPDATE SET kind = $2, name = $3, egress = $4, every_secs = $5",
                &[&s.id, &s.kind, &s.name, &s.egress, &every],
            )
            .await
            .context("upsert a source")?;
        Ok(())
    }

    /// Records that `instance` runs (and is alive) with this egress and version.
    pub async fn announce(
        &self,
        instance: &str,
        egress: &str,
        version: &str,
    ) -> Result<(), PgError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO instances (id, egress, version) VALUES ($1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET egress = $2, version = $3, last_seen = now()",
                &[&instance, &egress, &version],
            )
            .await
            .context("announce an instance")?;
        Ok(())
    }

    pub async fn instances(&self) -> Result<Vec<InstanceRow>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, egress, version, last_seen FROM instances ORDER BY id",
                &[],
            )
            .await
            .context("list instances")?;
        Ok(rows
            .iter()
            .map(|r| InstanceRow {
                id: r.get(0),
                egress: r.get(1),
                version: r.get(2),
                last_seen: r.get(3),
            })
            .collect())
    }

    /// Claims up to `limit` due sources for `instance` fetching through `egress`: sources
    /// pinned to another egress are left alone, and none while this egress cools down. Rows
    /// another instance is claiming are skipped, not waited for (`SKIP LOCKED`); an expired
    /// lease is claimable, and every claim raises the fence.
    pub async fn claim_due(
        &self,
        instance: &str,
        egress: &str,
        limit: i64,
        ttl: Duration,
    ) -> Result<Vec<Lease>, PgError> {
        self.claim_due_among(instance, egress, limit, ttl, None)
            .await
    }

    /// `claim_due`, only among `ids` when given (the sources this instance's configuration
    /// knows how to read).
    pub async fn claim_due_among(
        &self,
        instance: &str,
        egress: &str,
        limit: i64,
        ttl: Duration,
        ids: Option<&[String]>,
    ) -> Result<Vec<Lease>, PgError> {
        let ttl_secs = ttl.as_secs_f64();
        let ids: Option<Vec<String>> = ids.map(<[String]>::to_vec);
        let rows = self
            .client()
            .await?
            .query(
                "WITH due AS (
                     SELECT id FROM sources
                     WHERE next_due <= now()
                       AND (lease_until IS NULL OR lease_until < now())
                       AND (egress IS NULL OR egress = $2)
                       AND ($5::text[] IS NULL OR id = ANY($5))
                       AND NOT EXISTS (SELECT 1 FROM egress_cooldowns c
                                       WHERE c.egress = $2 AND c.until > now())
                     ORDER BY next_due
                     LIMIT $3
                     FOR UPDATE SKIP LOCKED)
                 UPDATE sources s
                 SET lease_owner = $1,
                     lease_until = now() + make_interval(secs => $4),
                     fence = s.fence + 1
                 FROM due WHERE s.id = due.id
                 RETURNING s.id, s.fence, now(), s.next_due",
                &[&instance, &egress, &limit, &ttl_secs, &ids],
            )
            .await
            .context("claim due sources")?;
        Ok(rows
            .iter()
            .map(|r| Lease {
                source_id: r.get(0),
                fence: r.get(1),
                owner: instance.to_string(),
                claimed_at: r.get(2),
                due_at: r.get(3),
            })
            .collect())
    }

    /// Extends a lease a long fetch still needs; false when it was already lost.
    pub async fn renew(&self, lease: &Lease, ttl: Duration) -> Result<bool, PgError> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE sources SET lease_until = now() + make_interval(secs => $4)
                 WHERE id = $1 AND fence = $2 AND lease_owner = $3",
                &[
                    &lease.source_id,
                    &lease.fence,
                    &lease.owner,
                    &ttl.as_secs_f64(),
                ],
            )
            .await
            .context("renew a lease")?;
        Ok(n == 1)
    }

    /// Commits a run in one transaction: the posts (each stored once), the run record, the
    /// next due time and the lease's release, all or nothing, and only while the lease's
    /// fence is still the source's. A lost lease rolls everything back.
    pub async fn commit_run(
        &self,
        lease: &Lease,
        posts: &[RunPost],
        outcome: RunOutcome,
        error: Option<&str>,
    ) -> Result<RunCommitted, PgError> {
        let items: Vec<RunItem> = posts
            .iter()
            .map(|p| RunItem {
                post: p.clone(),
                ..RunItem::default()
            })
            .collect();
        self.commit_run_items(lease, &items, outcome, error, None)
            .await
    }

    /// `commit_run` with each new post's classification and the alerts it raises: a post
    /// already stored (by any instance) is skipped with everything attached to it, so a
    /// re-fetch never re-alerts; an alert's idempotency key is unique in the schema.
    /// `next_in` is when the source falls due again, counted from the commit (the source's
    /// schedule with its jitter and active hours); `None` is its interval (`every_secs`).
    /// Every item counts as read.
    pub async fn commit_run_items(
        &self,
        lease: &Lease,
        items: &[RunItem],
        outcome: RunOutcome,
        error: Option<&str>,
        next_in: Option<Duration>,
    ) -> Result<RunCommitted, PgError> {
        let run = RunRecord {
            items,
            outcome,
            error,
            fetched: items.len(),
            next_in,
        };
        self.commit_run_record(lease, &run).await
    }

    /// `commit_run_items` with the run's own count of posts read.
    pub async fn commit_run_record(
        &self,
        lease: &Lease,
        run: &RunRecord<'_>,
    ) -> Result<RunCommitted, PgError> {
        let RunRecord {
            items,
            outcome,
            error,
            fetched,
            next_in,
        } = *run;
        let next_in_secs: Option<f64> = next_in.map(|d| d.as_secs_f64());
        let mut client = self.client().await?;
        let tx = client.transaction().await.context("begin a run")?;
        // The fence check first: it also locks the row until commit.
        let ok = outcome == RunOutcome::Ok;
        let held = tx
            .execute(
                "UPDATE sources SET
                     lease_owner = NULL, lease_until = NULL,
                     next_due = now() + make_interval(secs => COALESCE($7, every_secs::float8)),
                     last_run_at = now(),
                     last_success_at = CASE WHEN $4 THEN now() ELSE last_success_at END,
                     last_error = $5,
                     state = $6,
                     consecutive_failures = CASE WHEN $4 THEN 0 ELSE consecutive_failures + 1 END
                 WHERE id = $1 AND fence = $2 AND lease_owner = $3",
                &[
                    &lease.source_id,
                    &lease.fence,
                    &lease.owner,
                    &ok,
                    &error,
                    &outcome.state(),
                    &next_in_secs,
                ],
            )
            .await
            .context("release a lease")?;
        if held == 0 {
            tx.rollback().await.context("roll back a lost run")?;
            return Err(PgError::LeaseLost {
                source_id: lease.source_id.clone(),
                fence: lease.fence,
            });
        }
        let committed = store_items(&tx, &lease.source_id, items).await?;
        let new_posts_i32 = i32::try_from(committed.new_posts).unwrap_or(i32::MAX);
        let fetched_i32 = i32::try_from(fetched).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO fetch_runs (source_id, instance_id, fence, started_at, outcome, new_posts, due_at, fetched)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &lease.source_id,
                &lease.owner,
                &lease.fence,
                &lease.claimed_at,
                &outcome.as_str(),
                &new_posts_i32,
                &lease.due_at,
                &fetched_i32,
            ],
        )
        .await
        .context("record a run")?;
        tx.commit().await.context("commit a run")?;
        Ok(committed)
    }

    /// Gives a claimed source back unread, due again `next_in` from now (a source claimed
    /// outside its active hours waits for their opening). No run is recorded: a tick skipped
    /// is not a run. Returns whether the lease was still held.
    pub async fn defer(&self, lease: &Lease, next_in: Duration) -> Result<bool, PgError> {
        let client = self.client().await?;
        let n = client
            .execute(
                "UPDATE sources SET lease_owner = NULL, lease_until = NULL,
                     next_due = now() + make_interval(secs => $4)
                 WHERE id = $1 AND fence = $2 AND lease_owner = $3",
                &[
                    &lease.source_id,
                    &lease.fence,
                    &lease.owner,
                    &next_in.as_secs_f64(),
                ],
            )
            .await
            .context("defer a source")?;
        Ok(n == 1)
    }

    /// Stores posts outside any run (`import`): the source is registered if new (with
    /// `COPIED_EVERY_SECS`, as `store copy` does; its schedule, lease and fence are left
    /// alone if it exists), and the posts, their classifications and alerts are written in
    /// one transaction, a post already stored skipped with everything attached, as a run's.
    pub async fn ingest(
        &self,
        source_id: &str,
        kind: &str,
        name: &str,
        items: &[RunItem],
    ) -> Result<RunCommitted, PgError> {
        let mut client = self.client().await?;
        let tx = client
            .transaction()
            .await
            .context("begin an import batch")?;
        tx.execute(
            "INSERT INTO sources (id, kind, name, every_secs) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO NOTHING",
            &[&source_id, &kind, &name, &copy::COPIED_EVERY_SECS],
        )
        .await
        .context("register an imported source")?;
        let committed = store_items(&tx, source_id, items).await?;
        tx.commit().await.context("commit an import batch")?;
        Ok(committed)
    }

    /// Which of `ids` are stored for `source_id` (by any instance).
    pub async fn known_ids(
        &self,
        source_id: &str,
        ids: &[String],
    ) -> Result<std::collections::HashSet<String>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT platform_id FROM posts WHERE source_id = $1 AND platform_id = ANY($2)",
                &[&source_id, &ids],
            )
            .await
            .context("look up stored posts")?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// A 418 on `egress`: every instance on it backs off, `base` doubled per strike in a row
    /// (capped at `max`). Returns the cool-down set.
    pub async fn cool_down(
        &self,
        egress: &str,
        base: Duration,
        max: Duration,
    ) -> Result<Duration, PgError> {
        let row = self
            .client()
            .await?
            .query_one(
                "INSERT INTO egress_cooldowns (egress, strikes, until)
                 VALUES ($1, 1, now() + make_interval(secs => $2))
                 ON CONFLICT (egress) DO UPDATE SET
                     strikes = egress_cooldowns.strikes + 1,
                     until = now() + make_interval(secs => least($3,
                         $2 * power(2, egress_cooldowns.strikes)))
                 RETURNING extract(epoch FROM until - now())::float8",
                &[&egress, &base.as_secs_f64(), &max.as_secs_f64()],
            )
            .await
            .context("cool an egress down")?;
        let secs: f64 = row.get(0);
        Ok(Duration::from_secs_f64(secs.max(0.0)))
    }

    /// A successful fetch through `egress` ends its strikes.
    pub async fn egress_healthy(&self, egress: &str) -> Result<(), PgError> {
        self.client()
            .await?
            .execute(
                "DELETE FROM egress_cooldowns WHERE egress = $1 AND until <= now()",
                &[&egress],
            )
            .await
            .context("clear an egress cool-down")?;
        Ok(())
    }

    /// Every source's lease as the database has it (for `status` and tests).
    pub async fn source_leases(&self) -> Result<Vec<SourceLease>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, lease_owner, fence, lease_until > now(),
                        greatest(extract(epoch FROM lease_until - now()), 0)::float8
                 FROM sources ORDER BY id",
                &[],
            )
            .await
            .context("list leases")?;
        Ok(rows
            .iter()
            .map(|r| SourceLease {
                source_id: r.get(0),
                owner: r.get(1),
                fence: r.get(2),
                live: r.get::<_, Option<bool>>(3).unwrap_or(false),
                left: Duration::from_secs_f64(r.get::<_, Option<f64>>(4).unwrap_or(0.0)),
            })
            .collect())
    }

    /// Runs recorded per instance.
    pub async fn runs_by_instance(&self) -> Result<Vec<(String, i64)>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT instance_id, count(*) FROM fetch_runs GROUP BY instance_id ORDER BY instance_id",
                &[],
            )
            .await
            .context("count runs per instance")?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Runs of instances whose id starts with `prefix` that fell due at or after `since`
    /// (database time): how many, and the p50, p99 and max delay from due to claim.
    pub async fn run_delays(
        &self,
        prefix: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<(i64, Duration, Duration, Duration), PgError> {
        let r = self
            .client()
            .await?
            .query_one(
                "SELECT count(*),
                        coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY d), 0)::float8,
                        coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY d), 0)::float8,
                        coalesce(max(d), 0)::float8
                 FROM (SELECT greatest(extract(epoch FROM started_at - due_at), 0) AS d
                       FROM fetch_runs
                       WHERE starts_with(instance_id, $1) AND due_at >= $2) runs",
                &[&prefix, &since],
            )
            .await
            .context("measure scheduling delays")?;
        let secs = |i: usize| Duration::from_secs_f64(r.get::<_, f64>(i).max(0.0));
        Ok((r.get(0), secs(1), secs(2), secs(3)))
    }

    /// The database's clock.
    pub async fn now(&self) -> Result<chrono::DateTime<chrono::Utc>, PgError> {
        let r = self
            .client()
            .await?
            .query_one("SELECT now()", &[])
            .await
            .context("read the clock")?;
        Ok(r.get(0))
    }

    /// Egresses cooling down now, with the time left.
    pub async fn cooling_egresses(&self) -> Result<Vec<(String, Duration)>, PgError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT egress, extract(epoch FROM until - now())::float8 FROM egress_cooldowns
                 WHERE until > now() ORDER BY egress",
                &[],
            )
            .await
            .context("list egress cool-downs")?;
        Ok(rows
            .iter()
            .map(|r| {
                let secs: f64 = r.get(1);
                (r.get(0), Duration::from_secs_f64(secs.max(0.0)))
            })
            .collect())
    }

    /// How many posts are stored, and how many runs recorded (for tests and `status`).
    pub async fn counts(&self) -> Result<(i64, i64), PgError> {
        let r = self
            .client()
            .await?
            .query_one(
                "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM fetch_runs)",
                &[],
            )
            .await
            .context("count posts and runs")?;
        Ok((r.get(0), r.get(1)))
    }
}

/// The statements that attach a classification, its labels and the alerts it raises to a
/// stored post, prepared once per transaction.
struct Attach {
    classify: tokio_postgres::Statement,
    label: tokio_postgres::Statement,
    alert: tokio_postgres::Statement,
}

impl Attach {
    async fn prepare(tx: &tokio_postgres::Transaction<'_>) -> Result<Attach, PgError> {
        Ok(Attach {
            // A post keeps one classification per classifier version: a repeat (reclassify
            // run twice) is skipped with its labels and alerts.
            classify: tx
                .prepare(
                    "INSERT INTO classifications (post_id, classifier_version, explanation)
                     VALUES ($1, $2, $3)
                     ON CONFLICT (post_id, classifier_version) DO NOTHING RETURNING id",
                )
                .await
                .context("prepare the classification insert")?,
            label: tx
                .prepare(
                    "INSERT INTO classification_labels (classification_id, label, score, evidence)
                     VALUES ($1, $2, $3, $4)",
                )
                .await
                .context("prepare the label insert")?,
            alert: tx
                .prepare(
                    "INSERT INTO alerts (post_id, label, channel_id, score, idempotency_key, payload)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (idempotency_key) DO NOTHING",
                )
                .await
                .context("prepare the alert insert")?,
        })
    }

    /// Writes `c` with its labels, and the alerts; counts what it wrote into `out`. A
    /// classification of a version the post already has is skipped with its alerts (false).
    async fn write(
        &self,
        tx: &tokio_postgres::Transaction<'_>,
        post_id: i64,
        c: Option<&crate::classify::Classification>,
        alerts: &[crate::store::PlannedAlert],
        out: &mut RunCommitted,
    ) -> Result<bool, PgError> {
        if let Some(c) = c {
            let Some(row) = tx
                .query_opt(&self.classify, &[&post_id, &c.version, &c.explanation])
                .await
                .context("store a classification")?
            else {
                return Ok(false);
            };
            let class_id: i64 = row.get(0);
            for l in &c.labels {
                let evidence = serde_json::to_string(&l.evidence).unwrap_or_else(|_| "[]".into());
                tx.execute(
                    &self.label,
                    &[&class_id, &l.label.as_str(), &l.score, &evidence],
                )
                .await
                .context("store a label")?;
            }
            if !c.labels.is_empty() {
                out.flagged += 1;
            }
        }
        for a in alerts {
            out.alerts_queued += tx
                .execute(
                    &self.alert,
                    &[
                        &post_id,
                        &a.label.as_str(),
                        &a.channel_id,
                        &a.score,
                        &a.idempotency_key,
                        &a.payload,
                    ],
                )
                .await
                .context("queue an alert")?;
        }
        Ok(true)
    }
}

/// Stores a run's posts, their classifications and alerts inside the run's transaction.
async fn store_items(
    tx: &tokio_postgres::Transaction<'_>,
    source_id: &str,
    items: &[RunItem],
) -> Result<RunCommitted, PgError> {
    let insert = tx
        .prepare(
            "INSERT INTO posts (source_id, platform_id, author, text, url, created_at, created_at_raw, search, raw, truncated,
                                pinned, edit_count, edit_at, edit_at_raw, pics, reposts_count, comments_count, attitudes_count)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::tsvector, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
             ON CONFLICT (source_id, platform_id) DO NOTHING
             RETURNING id",
        )
        .await
        .context("prepare the post insert")?;
    let attach = Attach::prepare(tx).await?;
    let mut out = RunCommitted::default();
    for item in items {
        let p = &item.post;
        let search = tsvector_literal(&crate::text::normalize(&p.text).text);
        let d = &item.detail;
        let pics = pics_json(&d.pics);
        let edit_count = i32::try_from(item.edit_count).unwrap_or(i32::MAX);
        let row = tx
            .query_opt(
                &insert,
                &[
                    &source_id,
                    &p.platform_id,
                    &p.author,
                    &p.text,
                    &p.url,
                    &p.created_at,
                    &p.created_at_raw,
                    &search,
                    &item.raw,
                    &item.truncated,
                    &item.pinned,
                    &edit_count,
                    &d.edit_at,
                    &d.edit_at_raw,
                    &pics,
                    &count(d.reposts),
                    &count(d.comments),
                    &count(d.attitudes),
                ],
            )
            .await
            .context("store a post")?;
        // Stored before (by this or another instance): nothing attached is written again.
        let Some(row) = row else { continue };
        let post_id: i64 = row.get(0);
        out.new_posts += 1;
        let c = item.classification.as_ref();
        attach.write(tx, post_id, c, &item.alerts, &mut out).await?;
    }
    Ok(out)
}

/// Pictures as SQLite stores them: a JSON array of URLs.
fn pics_json(pics: &[String]) -> String {
    serde_json::to_string(pics).unwrap_or_else(|_| "[]".into())
}

/// A count as stored (a count past `i64` is kept at its maximum).
fn count(n: Option<u64>) -> Option<i64> {
    n.map(|n| i64::try_from(n).unwrap_or(i64::MAX))
}

/// A tsvector literal of a normalised text's index terms with their positions: the terms
/// are runs of letters and digits (see `text::search`), so they need no escaping beyond the
/// quotes, which cannot occur in them.
fn tsvector_literal(norm: &str) -> String {
    crate::text::search::index_terms(norm)
        .split(' ')
        .filter(|t| !t.is_empty())
        .enumerate()
        // tsvector positions stop at 16,383; later terms keep the last position (a phrase
        // reaching that far into a post is then matched as terms, not as a phrase).
        .map(|(i, t)| format!("'{t}':{}", (i + 1).min(16_383)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The tsquery of a search: every word; a word of one character is a prefix, a longer one
/// the phrase of its bigrams.
fn tsquery_literal(q: &crate::text::SearchQuery) -> String {
    q.words
        .iter()
        .map(|w| {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() == 1 {
                format!("'{}':*", chars[0])
            } else {
                let grams: Vec<String> = chars
                    .windows(2)
                    .map(|g| format!("'{}'", g.iter().collect::<String>()))
                    .collect();
                format!("({})", grams.join(" <-> "))
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(
            tsvector_literal("中美经贸, wto"),
            "'中美':1 '美经':2 '经贸':3 '贸':4 'wt':5 'to':6 'o':7"
        );
        let q = crate::text::SearchQuery::parse("经贸磋商 税").unwrap();
        assert_eq!(
            tsquery_literal(&q),
            "'税':* & ('经贸' <-> '贸磋' <-> '磋商')"
        );
    }
}
