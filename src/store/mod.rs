//! Storage in SQLite. The only module with SQL. Migrations in migrations/ are embedded and
//! applied at open; every connection gets WAL, foreign keys and a busy timeout.

mod alerts;
mod daemon;
mod delivery;
mod fault;
mod history;
pub mod pg;
mod posts;
mod review;
pub mod sources;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use include_dir::{include_dir, Dir};
use rusqlite::Connection;
use rusqlite_migration::Migrations;

pub use alerts::{AlertRow, AlertStatus, OutboxCounts};
pub use daemon::{ChangeAlert, FlaggedAlert, Gone, PostVersion, TrackedPost};
pub use delivery::{LabelHit, NewAlert, SourceHealth};
pub use fault::{FaultCleared, Unrecorded};
pub use history::{FlaggedPost, HistoryRow, Period};
pub use posts::{
    FetchRun, IngestReport, NewPost, PlannedAlert, PostSummary, Reclassified, SourceStatus,
    StoredPost,
};
pub use review::{
    LastRun, NewVerdict, PostExtras, QueueQuery, ReviewPost, ReviewRow, ReviewStatus, Verdict,
    VerdictCount,
};
pub use sources::WeiboAccount;

static MIGRATIONS_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/migrations");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database `{}`: {error}; check `[store] path` and that the folder is writable", path.display())]
    Open { path: PathBuf, error: String },
    #[error("the database `{}` cannot be written ({error}); check that this user may write the file and its folder (`ls -l`; SQLite also writes `-wal` and `-shm` files beside it), that the volume is not mounted read-only, and that the disk is not full", path.display())]
    NotWritable { path: PathBuf, error: String },
    #[error("cannot migrate the database `{}`: {error}", path.display())]
    Migrate { path: PathBuf, error: String },
    #[error("the database `{}` has refused writes since {since} ({unrecorded} alert outcomes wait in memory): {error}; free disk space or fix the file's permissions", path.display())]
    Unwritable {
        path: PathBuf,
        since: String,
        error: String,
        unrecorded: usize,
    },
    #[error("database error while {doing}: {error}")]
    Sql {
        doing: &'static str,
        error: rusqlite::Error,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Page cache of a bulk writer, in KiB.
const BULK_CACHE_KIB: i64 = 64 * 1024;
/// WAL size (pages) at which a bulk writer checkpoints (the default is 1000).
const BULK_CHECKPOINT_PAGES: i64 = 16_384;

pub(crate) trait Doing<T> {
    fn doing(self, what: &'static str) -> Result<T>;
}

impl<T> Doing<T> for rusqlite::Result<T> {
    fn doing(self, what: &'static str) -> Result<T> {
        self.map_err(|error| StoreError::Sql { doing: what, error })
    }
}

/// The SQLite migrations: the numbered folders of migrations/ (`NN-name/up.sql`) in order;
/// migrations/postgres/ holds the PostgreSQL ones (see `pg`).
pub fn migrations() -> Migrations<'static> {
    let mut dirs: Vec<&Dir<'static>> = MIGRATIONS_DIR
        .dirs()
        .filter(|d| {
            d.path()
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect();
    dirs.sort_by_key(|d| d.path());
    Migrations::new(
        dirs.into_iter()
            .map(|d| {
                let up = d
                    .get_file(d.path().join("up.sql"))
                    .and_then(|f| f.contents_utf8())
                    .expect("every embedded migration has a UTF-8 up.sql (tested)");
                rusqlite_migration::M::up(up)
            })
            .collect(),
    )
}

/// A handle to the database; cheap to clone. Calls block: async code goes through `call`.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
    /// Outcomes the database refused, kept until it takes writes (see `fault.rs`).
    fault: Arc<Mutex<fault::WriteFault>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.path.display())
    }
}

/// Timestamps are stored as RFC 3339 UTC with a `Z`, so text order is time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                error: e.to_string(),
            })?;
        }
        let mut conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            error: e.to_string(),
        })?;
        Self::prepare(&mut conn, path)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            path: path.to_path_buf(),
            fault: Arc::default(),
        })
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let path = PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|e| StoreError::Open {
            path: path.clone(),
            error: e.to_string(),
        })?;
        Self::prepare(&mut conn, &path)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            path,
            fault: Arc::default(),
        })
    }

    fn prepare(conn: &mut Connection, path: &Path) -> Result<()> {
        let open_err = |e: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            error: e.to_string(),
        };
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        migrations()
            .to_latest(conn)
            .map_err(|e| StoreError::Migrate {
                path: path.to_path_buf(),
                error: e.to_string(),
            })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction open (rusqlite rolls back
        // on drop), so a poisoned lock is still safe to use.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs blocking store work off the async runtime.
    pub async fn call<F, R>(&self, f: F) -> R
    where
        F: FnOnce(&Store) -> R + Send + 'static,
        R: Send + 'static,
    {
        let store = self.clone();
        match tokio::task::spawn_blocking(move || f(&store)).await {
            Ok(r) => r,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }

    /// For a bulk writer (import, reclassify): a page cache that holds the indexes being
    /// written (the default 2 MB re-reads them every batch; the memory is only taken as pages
    /// are touched), and fewer, larger WAL checkpoints (a page changed by many batches is
    /// copied back once). Per connection.
    pub fn tune_for_bulk_writes(&self) -> Result<()> {
        let conn = self.lock();
        conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB)
            .doing("sizing the page cache")?;
        conn.pragma_update(None, "wal_autocheckpoint", BULK_CHECKPOINT_PAGES)
            .doing("spacing WAL checkpoints")?;
        conn.pragma_update(None, "temp_store", "MEMORY")
            .doing("keeping temporary data in memory")
    }

    /// `PRAGMA integrity_check`, for operators and crash tests.
    pub fn integrity_check(&self) -> Result<String> {
        self.lock()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .doing("checking integrity")
    }
}

#[cfg(test)]
mod tests;
