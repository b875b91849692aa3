//! Storage in SQLite. The only module with SQL, behind methods whose signatures name no SQLite
//! type (the seam a second backend would take). Migrations in migrations/ are embedded and
//! applied at open; every connection gets WAL, foreign keys and a busy timeout.
//!
//! Connections: one writer, which every write and the ingest's bookkeeping reads use, and a
//! small pool of read-only connections for the desk's, the CLI's and health's reads. WAL lets
//! them read a committed snapshot while the writer writes, so a long search never waits on
//! ingest, nor ingest on it. An in-memory database (tests) has only the writer.
//!
//! `pg` is the PostgreSQL side of cluster mode (issue 15): leases, fenced runs, the roster,
//! and the analyst's reads and verdicts; `AnyStore` puts those and this file's behind one
//! interface for the CLI and the desk.

mod alerts;
mod any;
pub mod copy;
mod delivery;
mod fault;
mod history;
pub mod pg;
mod posts;
mod review;
pub mod sources;
mod text;
mod versions;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use include_dir::{include_dir, Dir};
use rusqlite::Connection;
use rusqlite_migration::Migrations;

pub use crate::states::AlertStatus;
pub use alerts::{AlertRow, OutboxCounts};
pub use any::{AnyStore, Book};
pub use delivery::{LabelHit, NewAlert, SourceRunState};
pub use fault::{FaultCleared, Unrecorded};
pub use history::{FlaggedPost, HistoryQuery, HistoryRow, Period};
pub use posts::{
    FetchRun, IngestReport, NewPost, PlannedAlert, PostSummary, Reclassified, SourceStatus,
    StoredPost,
};
pub use review::{
    LastRun, NewVerdict, PostExtras, QueueQuery, ReviewPost, ReviewRow, ReviewStatus, StaleVerdict,
    Verdict, VerdictCount, VerdictRecord, VerdictWrite,
};
pub use sources::WeiboAccount;
pub use versions::{ChangeAlert, Edit, FlaggedAlert, Gone, PostVersion, TrackedPost};

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
    /// The backend's own message: the error type names no SQLite type, so a second backend
    /// reports through the same variant.
    #[error("database error while {doing}: {error}")]
    Sql { doing: &'static str, error: String },
    /// Cluster mode's PostgreSQL (`AnyStore::Shared`); its message names the statement.
    #[error(transparent)]
    Shared(#[from] pg::PgError),
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
        self.map_err(|error| StoreError::Sql {
            doing: what,
            error: error.to_string(),
        })
    }
}

/// The SQLite migrations: the numbered folders of migrations/ (`NN-name/up.sql`) in order;
/// migrations/postgres/ holds the PostgreSQL ones (see `pg`).
pub(crate) fn migrations() -> Migrations<'static> {
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

/// Read-only connections a store opens beside its writer.
pub const DEFAULT_READERS: usize = 3;

/// A handle to the database; cheap to clone. Calls block: async code goes through `call`.
#[derive(Clone)]
pub struct Store {
    /// The writer.
    conn: Arc<Mutex<Connection>>,
    readers: Arc<Readers>,
    path: PathBuf,
    /// Outcomes the database refused, kept until it takes writes (see `fault.rs`).
    fault: Arc<Mutex<fault::WriteFault>>,
}

/// The read-only connections, and how often a caller found the connection it needed busy.
#[derive(Default)]
struct Readers {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
    waits: AtomicU64,
    writer_waits: AtomicU64,
}

/// How often a store call had to wait for a connection another call held: on the writer, and
/// on a reader (every reader busy). For tests and diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LockWaits {
    pub writer: u64,
    pub reader: u64,
}

/// A poisoned lock is still safe to use: a panic while holding it cannot leave a transaction
/// open (rusqlite rolls back on drop). Counts a wait when the lock is held elsewhere.
fn acquire<'a>(m: &'a Mutex<Connection>, waits: &AtomicU64) -> MutexGuard<'a, Connection> {
    match m.try_lock() {
        Ok(g) => g,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        Err(TryLockError::WouldBlock) => {
            waits.fetch_add(1, Ordering::Relaxed);
            m.lock().unwrap_or_else(|p| p.into_inner())
        }
    }
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
    /// Opens (creating if needed) and migrates the database at `path`, with
    /// `DEFAULT_READERS` read-only connections.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with_readers(path, DEFAULT_READERS)
    }

    /// As `open`, with `readers` read-only connections; 0 sends every read to the writer.
    pub fn open_with_readers(path: &Path, readers: usize) -> Result<Store> {
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
        let conns = (0..readers)
            .map(|_| Self::open_reader(path).map(Mutex::new))
            .collect::<Result<Vec<_>>>()?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            readers: Arc::new(Readers {
                conns,
                ..Default::default()
            }),
            path: path.to_path_buf(),
            fault: Arc::default(),
        })
    }

    /// A connection that never writes (`query_only`), opened after the writer migrated.
    fn open_reader(path: &Path) -> Result<Connection> {
        let open_err = |e: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            error: e.to_string(),
        };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        conn.pragma_update(None, "query_only", true)
            .map_err(open_err)?;
        Ok(conn)
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
            readers: Arc::default(),
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

    /// The writer.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        acquire(&self.conn, &self.readers.writer_waits)
    }

    /// A read-only connection: the first free one, else the next in turn (counted as a wait);
    /// the writer when the store has none.
    pub(crate) fn read(&self) -> MutexGuard<'_, Connection> {
        let r = &self.readers;
        if r.conns.is_empty() {
            return self.lock();
        }
        let start = r.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..r.conns.len() {
            match r.conns[(start + i) % r.conns.len()].try_lock() {
                Ok(g) => return g,
                Err(TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        acquire(&r.conns[start % r.conns.len()], &r.waits)
    }

    /// How often calls have waited for a connection so far.
    pub fn lock_waits(&self) -> LockWaits {
        LockWaits {
            writer: self.readers.writer_waits.load(Ordering::Relaxed),
            reader: self.readers.waits.load(Ordering::Relaxed),
        }
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
