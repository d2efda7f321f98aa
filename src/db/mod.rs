//! The SQLite database: one writer connection and a small pool of read connections (WAL).
//!
//! A request runs all its statements synchronously in one closure on one connection
//! ([`Db::read`], [`Db::write`]): a handful of microsecond statements, which handing to
//! another thread one by one (as sqlx does) cost more than the SQL itself (bench/ANALYSIS.md).
//! A closure that runs long runs off the async worker ([`blocking`]), so it does not stall
//! the requests that worker holds.
//!
//! A write is one `BEGIN IMMEDIATE` transaction on the writer, committed when the closure
//! returns `Ok`; writers queue for it in arrival order behind an async lock instead of
//! sleeping in SQLite's busy handler. A read is one read transaction on a pooled read
//! connection, so it sees one committed state throughout, never waits for a write (WAL) and
//! sees every write acknowledged before it began. Nothing awaits while a connection is held,
//! so a client that goes away can never leave a transaction half done.

mod blocking;
mod heap_files;
mod memo;
mod memory;
mod migrate;
mod open;
mod pool;
#[cfg(test)]
mod tests;

pub use migrate::Migration;

use anyhow::Context;
use blocking::Place;
use memory::MemoryDir;
use open::Role;
use rusqlite::Connection;
use std::panic::Location;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

pub use rusqlite::Error as DbError;

/// The sandbox database (cheap to clone: all clones share the same connections).
#[derive(Clone)]
pub struct Db(Arc<Inner>);

struct Inner {
    writer: Mutex<Connection>,
    readers: pool::Readers,
    memos: Arc<memo::Memos>,
    /// Last, so it is removed after every connection to the files in it has closed.
    _memory: Option<MemoryDir>,
}

/// The file a `--database` value names; `None` when it is in memory.
pub fn file_path(database: &str) -> Option<PathBuf> {
    open::location(database).map(PathBuf::from)
}

/// How many read connections when not configured: one per core, and at least
/// [`MIN_READERS`].
pub fn default_read_connections() -> usize {
    std::thread::available_parallelism()
        .map_or(MIN_READERS, |n| n.get())
        .max(MIN_READERS)
}

/// Read connections beside the writer on a machine with fewer cores: with one reader per core
/// on one core, a long read (a `gpojson` over 100,000 orders) held the only one and every
/// other read queued behind it for its whole length (p99 of `gos` beside it 164 ms, against
/// 2.5 ms on two cores with two readers). An idle reader costs a connection and its cache.
const MIN_READERS: usize = 4;

impl Db {
    /// Opens and applies `migrations` (versions exactly `1..=N`), with `readers` read
    /// connections (at least one).
    pub fn connect_with(
        database: &str,
        migrations: &[Migration],
        readers: usize,
    ) -> anyhow::Result<Db> {
        let (path, memory): (PathBuf, _) = match open::location(database) {
            Some(path) => (path.into(), None),
            None => {
                let dir = MemoryDir::create()
                    .context("cannot create the in-memory database's private folder")?;
                (dir.database(), Some(dir))
            }
        };
        let in_memory = memory.is_some();
        let mut writer = open::open(&path, in_memory, Role::Writer)
            .with_context(|| format!("cannot open the database `{database}`"))?;
        migrate::migrate(&mut writer, migrations)
            .context("cannot apply the database migrations")?;
        let memos = Arc::new(memo::Memos::default());
        let hooked = memos.clone();
        writer
            .update_hook(Some(move |_, _: &str, table: &str, _| {
                hooked.row_changed(table)
            }))
            .context("cannot watch the database's writes")?;
        let readers = (0..readers.max(1))
            .map(|_| open::open(&path, in_memory, Role::Reader))
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("cannot open a read connection to `{database}`"))?;
        Ok(Db(Arc::new(Inner {
            writer: Mutex::new(writer),
            readers: pool::Readers::new(readers),
            memos,
            _memory: memory,
        })))
    }

    /// Runs `f` on a read connection, in one read transaction: it sees the state of the last
    /// write committed before it began, whatever commits meanwhile. It cannot write.
    #[track_caller]
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> T) -> impl Future<Output = T> {
        let place = Place::ByHistory(Location::caller());
        async move {
            let mut lent = self.0.readers.lend().await;
            blocking::run(place, || {
                let conn = lent.conn();
                // `begin` takes no snapshot yet; the closure's first statement does. Should it
                // fail, each statement still sees a committed state of its own.
                let began = conn.prepare_cached("begin").and_then(|mut s| s.execute([]));
                let out = f(conn);
                if began.is_ok() {
                    let _ = conn
                        .prepare_cached("commit")
                        .and_then(|mut s| s.execute([]));
                }
                out
            })
        }
    }

    /// [`Db::read`] of a value read from `table` by `key` (a merchant by its name), kept in
    /// memory until a write changes `table` ([`memo`]). `f` reads only from `table`.
    #[track_caller]
    pub fn read_memo<V, E>(
        &self,
        table: &'static str,
        key: &str,
        f: impl FnOnce(&Connection) -> Result<V, E>,
    ) -> impl Future<Output = Result<V, E>>
    where
        V: Clone + Send + Sync + 'static,
    {
        let memos = &self.0.memos;
        let kept = memos.get::<V>(table, key);
        // The epoch is taken before the read's snapshot begins: a write committed after it
        // makes the value stale, one committed before it is in the snapshot.
        let miss = kept
            .is_none()
            .then(|| (key.to_string(), memos.epoch_for(table), self.read(f)));
        async move {
            let Some((key, epoch, read)) = miss else {
                return Ok(kept.expect("a value when there is no read"));
            };
            let value = read.await?;
            memos.put(table, &key, epoch, value.clone());
            Ok(value)
        }
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed when it returns `Ok`, rolled
    /// back (nothing changed) when it returns `Err`.
    #[track_caller]
    pub fn write<T, E>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> impl Future<Output = Result<T, E>>
    where
        E: From<DbError>,
    {
        let place = Place::ByHistory(Location::caller());
        async move {
            let conn = self.0.writer.lock().await;
            blocking::run(place, || {
                let tx = WriteTransaction::begin(&conn)?;
                self.0.memos.write_began();
                let out = f(&conn)?;
                tx.commit()?;
                self.0.memos.write_committed();
                Ok(out)
            })
        }
    }

    /// The whole database copied into memory (the start state `reset` goes back to), read
    /// in one snapshot on a read connection.
    pub async fn snapshot(&self) -> Result<Snapshot, DbError> {
        let mut lent = self.0.readers.lend().await;
        blocking::run(Place::OffWorker, || {
            let mut copy = Connection::open_in_memory()?;
            rusqlite::backup::Backup::new(lent.conn(), &mut copy)?.run_to_completion(
                i32::MAX,
                Duration::ZERO,
                None,
            )?;
            Ok(Snapshot(std::sync::Mutex::new(copy)))
        })
    }

    /// Replaces every page of the database with the snapshot's, as one write: readers go on
    /// reading the state before it until it commits.
    pub async fn restore(&self, snapshot: &Snapshot) -> Result<(), DbError> {
        let mut conn = self.0.writer.lock().await;
        blocking::run(Place::OffWorker, || {
            let copy = snapshot.0.lock().unwrap_or_else(|e| e.into_inner());
            rusqlite::backup::Backup::new(&copy, &mut conn)?.run_to_completion(
                i32::MAX,
                Duration::ZERO,
                None,
            )?;
            // The backup bypasses the statement caches' view of the schema; start them afresh.
            conn.flush_prepared_statement_cache();
            self.0.readers.schema_replaced();
            self.0.memos.all_changed();
            Ok(())
        })
    }
}

/// The writer's `BEGIN IMMEDIATE` transaction, rolled back on drop unless committed. Its three
/// statements stay prepared (rusqlite's `Transaction` parses them again on every write).
struct WriteTransaction<'c> {
    conn: &'c Connection,
    committed: bool,
}

impl<'c> WriteTransaction<'c> {
    fn begin(conn: &'c Connection) -> Result<Self, DbError> {
        conn.prepare_cached("begin immediate")?.execute([])?;
        Ok(WriteTransaction {
            conn,
            committed: false,
        })
    }

    fn commit(mut self) -> Result<(), DbError> {
        self.conn.prepare_cached("commit")?.execute([])?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for WriteTransaction<'_> {
    fn drop(&mut self) {
        // An `Err` from the closure, a failed commit (a deferred foreign key) or a panic.
        if !self.committed && !self.conn.is_autocommit() {
            let _ = self
                .conn
                .prepare_cached("rollback")
                .and_then(|mut s| s.execute([]));
        }
    }
}

/// A copy of the database held in memory (see [`Db::snapshot`]).
pub struct Snapshot(std::sync::Mutex<Connection>);

/// True when the error is a UNIQUE or PRIMARY KEY constraint failing.
pub fn is_unique_violation(error: &DbError) -> bool {
    use rusqlite::ffi;
    matches!(
        error,
        DbError::SqliteFailure(e, _)
            if e.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE
                || e.extended_code == ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

/// The names of all tables that hold sandbox state.
pub fn state_tables(conn: &Connection) -> Result<Vec<String>, DbError> {
    let mut statement = conn.prepare_cached(
        "select name from sqlite_master where type = 'table' \
         and name not like 'sqlite_%' and name not like '_sqlx_%' order by name",
    )?;
    statement
        .query_map([], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()
}

/// True when no table holds a row.
pub fn is_empty(conn: &Connection) -> Result<bool, DbError> {
    for table in state_tables(conn)? {
        let sql = format!("select exists(select 1 from \"{table}\")");
        let any: bool = conn.query_row(&sql, [], |r| r.get(0))?;
        if any {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Deletes every row of every state table, inside the caller's transaction.
pub fn wipe(conn: &Connection) -> Result<(), DbError> {
    // Foreign keys are checked at commit, so the tables can be emptied in any order. The
    // `where` keeps SQLite from truncating the table whole, which would bypass the update
    // hook that tells the memos ([`memo`]) their table changed.
    conn.execute_batch("pragma defer_foreign_keys = on")?;
    for table in state_tables(conn)? {
        conn.execute(&format!("delete from \"{table}\" where true"), [])?;
    }
    Ok(())
}
