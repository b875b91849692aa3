//! Bulk work over many posts at once, outside the daemon: `import` (archives other tools
//! collected) and `reclassify` (what is stored, with the current classifier). Both classify a
//! batch on every core while one thread writes.

pub mod copy;
pub mod import;
pub mod reclassify;

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use crate::store::pg::PgStore;
use crate::store::{AnyStore, Store, StoreError};

/// Where a bulk command's threads read and write: the SQLite file, or cluster mode's
/// PostgreSQL through the runtime the command was started from (its threads are outside that
/// runtime and may wait on it).
pub(crate) enum Writer {
    Local(Store),
    Shared(PgStore, tokio::runtime::Handle),
}

impl Writer {
    /// With PostgreSQL, must be called on a thread of a tokio runtime (`spawn_blocking`).
    pub(crate) fn of(store: &AnyStore, doing: &'static str) -> crate::store::Result<Writer> {
        Ok(match store {
            AnyStore::Local(s) => Writer::Local(s.clone()),
            AnyStore::Shared(pg) => {
                let runtime =
                    tokio::runtime::Handle::try_current().map_err(|e| StoreError::Sql {
                        doing,
                        error: e.to_string(),
                    })?;
                Writer::Shared(pg.clone(), runtime)
            }
        })
    }
}

/// The bulk pipeline both commands share: `read_and_classify` runs on the calling thread and
/// sends classified batches to `write`, which stores them on a second thread, so the
/// classifier and SQLite's write path overlap instead of taking turns. At most one batch
/// waits for the writer: memory holds the batch being classified, that one, and the one being
/// written. A send that fails means the writer stopped on an error: the reader should stop;
/// the writer's error, if any, is returned before the reader's.
pub(crate) fn classify_while_writing<B: Send, R: Send>(
    write: impl FnOnce(Receiver<B>) -> crate::store::Result<R> + Send,
    read_and_classify: impl FnOnce(&SyncSender<B>) -> crate::store::Result<()>,
) -> crate::store::Result<R> {
    let (to_writer, batches) = sync_channel::<B>(1);
    std::thread::scope(|s| {
        let writer = s.spawn(move || write(batches));
        let read = read_and_classify(&to_writer);
        drop(to_writer);
        let written = join(writer)?;
        read?;
        Ok(written)
    })
}

/// A scoped thread's result; its panic, if it panicked, goes on in the caller.
fn join<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match h.join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
