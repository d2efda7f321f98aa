//! The read connections: a fixed set, handed out one request at a time through a fair
//! (FIFO) semaphore. Each is `query_only`, so a write can never slip through [`super::Db::read`].

use rusqlite::Connection;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Semaphore, SemaphorePermit};

pub(super) struct Readers {
    idle: Mutex<Vec<Reader>>,
    permits: Semaphore,
    /// Bumped by a restore: a reader prepared its cached statements against an older schema.
    generation: AtomicU64,
}

struct Reader {
    conn: Connection,
    generation: u64,
}

/// A read connection lent to one caller; back in the pool on drop.
pub(super) struct Lent<'a> {
    readers: &'a Readers,
    reader: Option<Reader>,
    _permit: SemaphorePermit<'a>,
}

impl Readers {
    pub(super) fn new(conns: Vec<Connection>) -> Readers {
        Readers {
            permits: Semaphore::new(conns.len()),
            idle: Mutex::new(
                conns
                    .into_iter()
                    .map(|conn| Reader {
                        conn,
                        generation: 0,
                    })
                    .collect(),
            ),
            generation: AtomicU64::new(0),
        }
    }

    /// Waits (in arrival order) for a free read connection.
    pub(super) async fn lend(&self) -> Lent<'_> {
        let permit = self
            .permits
            .acquire()
            .await
            .expect("the readers' semaphore is never closed");
        let mut reader = self
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .expect("a permit stands for an idle reader");
        let generation = self.generation.load(Ordering::Acquire);
        if reader.generation != generation {
            reader.conn.flush_prepared_statement_cache();
            reader.generation = generation;
        }
        Lent {
            readers: self,
            reader: Some(reader),
            _permit: permit,
        }
    }

    /// Makes every reader drop its cached statements before its next use.
    pub(super) fn schema_replaced(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

impl Lent<'_> {
    pub(super) fn conn(&mut self) -> &mut Connection {
        &mut self.reader.as_mut().expect("lent until dropped").conn
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            // A closure that panicked left its read transaction open: end it, or the
            // connection would pin its snapshot (and the WAL) for good.
            if !reader.conn.is_autocommit() {
                let _ = reader.conn.execute_batch("rollback");
            }
            self.readers
                .idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(reader);
        }
    }
}
