//! The SQLite database: one connection, owned by the process, used inline by the handlers.
//!
//! Why not a pool on worker threads: a request is a handful of microsecond statements, and
//! handing each to another thread (as sqlx does) cost more than the SQL itself (bench/ANALYSIS.md).
//! So the connection sits behind an async FIFO lock; a request takes it once and runs all its
//! statements synchronously in one closure ([`Db::read`], [`Db::write`]). A write is one
//! `BEGIN IMMEDIATE` transaction, committed when the closure returns `Ok`. Nothing awaits while
//! the lock is held, so a client that goes away can never leave a transaction half done, and
//! writers queue in arrival order instead of sleeping in SQLite's busy handler.

use anyhow::Context;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

pub use rusqlite::Error as DbError;

/// The sandbox database (cheap to clone: all clones share the one connection).
#[derive(Clone)]
pub struct Db(Arc<Mutex<Connection>>);

/// The migrations, in order; `pragma user_version` records how many have been applied.
/// A test checks that every file of `migrations/` is listed here.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_chillr", include_str!("../migrations/0001_chillr.sql")),
    ("0002_paypro", include_str!("../migrations/0002_paypro.sql")),
    (
        "0003_aggrepay",
        include_str!("../migrations/0003_aggrepay.sql"),
    ),
    ("0004_jaze", include_str!("../migrations/0004_jaze.sql")),
    (
        "0005_chillr_batches",
        include_str!("../migrations/0005_chillr_batches.sql"),
    ),
    (
        "0006_paypro_orders_consumers",
        include_str!("../migrations/0006_paypro_orders_consumers.sql"),
    ),
    (
        "0007_aggrepay_wallets",
        include_str!("../migrations/0007_aggrepay_wallets.sql"),
    ),
    (
        "0008_jaze_records",
        include_str!("../migrations/0008_jaze_records.sql"),
    ),
    (
        "0009_paypro_paid_orders_index",
        include_str!("../migrations/0009_paypro_paid_orders_index.sql"),
    ),
    (
        "0010_aggrepay_usage",
        include_str!("../migrations/0010_aggrepay_usage.sql"),
    ),
];

/// Where a `--database` value points: the process's own memory, or a file.
fn location(database: &str) -> Option<String> {
    if database.contains(":memory:") || database.contains("mode=memory") {
        return None;
    }
    // Accepts the sqlx-style URLs earlier versions documented (`sqlite:///abs.db?mode=rwc`,
    // `sqlite://rel.db`, `sqlite:rel.db`) as well as a plain path.
    let path = database
        .strip_prefix("sqlite://")
        .or_else(|| database.strip_prefix("sqlite:"))
        .unwrap_or(database);
    let path = path.split('?').next().unwrap_or(path);
    Some(path.to_string())
}

impl Db {
    /// Opens (creating if missing) and migrates the database named by a URL or a file path.
    pub fn connect(database: &str) -> anyhow::Result<Db> {
        let in_memory = location(database).is_none();
        let conn = match location(database) {
            // SQLite's memdb VFS rather than `:memory:`: the same private in-memory database,
            // but behind a bounded page cache; with `:memory:` the page cache is the database,
            // and every commit walked all of it (a sixth of a Chillr collect once it held a
            // few hundred thousand rows).
            None => Connection::open_with_flags(
                "file:paysandbox?vfs=memdb",
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            ),
            Some(path) => Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            ),
        }
        .with_context(|| format!("cannot open the database `{database}`"))?;
        configure(&conn, in_memory)
            .with_context(|| format!("cannot configure the database `{database}`"))?;
        if in_memory {
            // memdb caps a database at 1 GiB by default; here memory is the only limit.
            let mut limit: i64 = 1 << 40;
            conn.file_control(
                Some(rusqlite::MAIN_DB),
                rusqlite::FileControl::SizeLimit(&mut limit),
            )
            .context("cannot lift the in-memory database's size limit")?;
        }
        let mut conn = conn;
        migrate(&mut conn).context("cannot apply the database migrations")?;
        Ok(Db(Arc::new(Mutex::new(conn))))
    }

    /// Runs `f` with the connection: reads, or writes that need no transaction.
    pub async fn read<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        let conn = self.0.lock().await;
        f(&conn)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed when it returns `Ok`, rolled
    /// back (nothing changed) when it returns `Err`.
    pub async fn write<T, E>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let mut conn = self.0.lock().await;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The whole database copied into memory (the start state `reset` goes back to).
    pub async fn snapshot(&self) -> Result<Snapshot, DbError> {
        let conn = self.0.lock().await;
        let mut copy = Connection::open_in_memory()?;
        rusqlite::backup::Backup::new(&conn, &mut copy)?.run_to_completion(
            i32::MAX,
            Duration::ZERO,
            None,
        )?;
        Ok(Snapshot(std::sync::Mutex::new(copy)))
    }

    /// Replaces every page of the database with the snapshot's.
    pub async fn restore(&self, snapshot: &Snapshot) -> Result<(), DbError> {
        let mut conn = self.0.lock().await;
        let copy = snapshot.0.lock().unwrap_or_else(|e| e.into_inner());
        rusqlite::backup::Backup::new(&copy, &mut conn)?.run_to_completion(
            i32::MAX,
            Duration::ZERO,
            None,
        )?;
        // The backup bypasses the statement cache's view of the schema; start it afresh.
        conn.flush_prepared_statement_cache();
        Ok(())
    }
}

/// A copy of the database held in memory (see [`Db::snapshot`]).
pub struct Snapshot(std::sync::Mutex<Connection>);

fn configure(conn: &Connection, in_memory: bool) -> Result<(), DbError> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(256);
    // Without the query planner stability guarantee, SQLite (built with STAT4) re-prepares a
    // cached statement whenever a bound value could change its plan: in the profiles that
    // re-parsing was a third of a Jaze read. No ANALYZE ever runs here, so no plan is lost.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    // WAL with synchronous=NORMAL loses nothing a client was told about when the process is
    // killed; only a power cut can take the last commits. In memory the rollback journal is
    // kept in memory too, and pages are read in place from memdb's buffer (mmap_size) instead
    // of being copied into the page cache (+6% on reads and writes in an A/B here).
    conn.execute_batch(if in_memory {
        "pragma journal_mode = memory; pragma foreign_keys = on; pragma mmap_size = 1099511627776;"
    } else {
        "pragma journal_mode = wal; pragma synchronous = normal; pragma foreign_keys = on;"
    })
}

/// Applies the migrations not yet applied, each in its own transaction.
fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let mut applied: i64 = conn.query_row("pragma user_version", [], |r| r.get(0))?;
    if applied == 0 {
        // A database written by a version that used sqlx's migrator records them there.
        let sqlx_table: bool = conn.query_row(
            "select exists(select 1 from sqlite_master where name = '_sqlx_migrations')",
            [],
            |r| r.get(0),
        )?;
        if sqlx_table {
            applied = conn.query_row(
                "select coalesce(max(version), 0) from _sqlx_migrations where success",
                [],
                |r| r.get(0),
            )?;
        }
    }
    for (index, (_, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= applied {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

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
    // Foreign keys are checked at commit, so the tables can be emptied in any order.
    conn.execute_batch("pragma defer_foreign_keys = on")?;
    for table in state_tables(conn)? {
        conn.execute(&format!("delete from \"{table}\""), [])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_listed_in_order() {
        let mut files: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".sql"))
                .map(|name| name.trim_end_matches(".sql").to_string())
                .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(files, listed);
    }

    #[test]
    fn urls_and_paths_name_the_same_places() {
        assert_eq!(location("sqlite::memory:"), None);
        assert_eq!(
            location("sqlite:///data/p.db?mode=rwc").as_deref(),
            Some("/data/p.db")
        );
        assert_eq!(location("sqlite://p.db").as_deref(), Some("p.db"));
        assert_eq!(location("sqlite:p.db").as_deref(), Some("p.db"));
        assert_eq!(location("./p.db").as_deref(), Some("./p.db"));
    }

    #[tokio::test]
    async fn a_file_database_is_migrated_once_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let path = path.to_str().unwrap();
        let db = Db::connect(path).unwrap();
        db.read(|c| {
            c.execute(
                "insert into chillr_users (msisdn) values ('9447741462')",
                [],
            )
        })
        .await
        .unwrap();
        drop(db);
        let db = Db::connect(path).unwrap();
        let count: i64 = db
            .read(|c| c.query_row("select count(*) from chillr_users", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(count, 1);
        let version: i64 = db
            .read(|c| c.query_row("pragma user_version", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[tokio::test]
    async fn an_in_memory_database_may_grow_past_memdbs_default_gigabyte() {
        let db = Db::connect("sqlite::memory:").unwrap();
        let limit: i64 = db
            .read(|c| {
                let mut limit: i64 = -1;
                c.file_control(
                    Some(rusqlite::MAIN_DB),
                    rusqlite::FileControl::SizeLimit(&mut limit),
                )
                .map(|()| limit)
            })
            .await
            .unwrap();
        assert_eq!(limit, 1 << 40);
    }

    #[tokio::test]
    async fn an_in_memory_database_grows_while_it_is_read_in_place() {
        let db = Db::connect("sqlite::memory:").unwrap();
        db.read(|c| c.execute_batch("create table t (x blob)"))
            .await
            .unwrap();
        let blob = vec![7u8; 4096];
        for round in 0..10i64 {
            db.write(|c| -> Result<(), DbError> {
                // Reads the pages written so far (mapped), then grows the database by ~2 MB.
                let before: i64 =
                    c.query_row("select count(*) from t where length(x) = 4096", [], |r| {
                        r.get(0)
                    })?;
                assert_eq!(before, round * 500);
                let mut insert = c.prepare_cached("insert into t (x) values (?)")?;
                for _ in 0..500 {
                    insert.execute([&blob])?;
                }
                Ok(())
            })
            .await
            .unwrap();
        }
        let total: i64 = db
            .read(|c| c.query_row("select sum(length(x)) from t", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(total, 5000 * 4096);
    }

    #[tokio::test]
    async fn two_in_memory_databases_are_separate() {
        let one = Db::connect("sqlite::memory:").unwrap();
        let two = Db::connect("sqlite::memory:").unwrap();
        one.read(|c| {
            c.execute(
                "insert into chillr_users (msisdn) values ('9447741462')",
                [],
            )
        })
        .await
        .unwrap();
        let count: i64 = two
            .read(|c| c.query_row("select count(*) from chillr_users", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(count, 0);
    }

    #[tokio::test]
    async fn a_database_migrated_by_the_sqlx_version_gets_only_the_newer_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            // What the sqlx migrator left: the first eight applied and recorded in its table.
            let old = Connection::open(&path).unwrap();
            for (_, sql) in &MIGRATIONS[..8] {
                old.execute_batch(sql).unwrap();
            }
            old.execute_batch(
                "create table _sqlx_migrations (version bigint primary key, description text, \
                 installed_on text, success boolean, checksum blob, execution_time bigint);",
            )
            .unwrap();
            for version in 1..=8 {
                old.execute(
                    "insert into _sqlx_migrations (version, success) values (?, true)",
                    [version],
                )
                .unwrap();
            }
            old.execute(
                "insert into chillr_users (msisdn) values ('9447741462')",
                [],
            )
            .unwrap();
        }
        let db = Db::connect(path.to_str().unwrap()).unwrap();
        let (version, users, has_usage): (i64, i64, bool) = db
            .read(|c| {
                Ok::<_, DbError>((
                    c.query_row("pragma user_version", [], |r| r.get(0))?,
                    c.query_row("select count(*) from chillr_users", [], |r| r.get(0))?,
                    c.query_row(
                        "select exists(select 1 from sqlite_master where name = 'aggrepay_usage')",
                        [],
                        |r| r.get(0),
                    )?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        assert_eq!(users, 1);
        assert!(has_usage);
    }

    #[tokio::test]
    async fn a_failed_write_changes_nothing() {
        let db = Db::connect("sqlite::memory:").unwrap();
        let result: Result<(), DbError> = db
            .write(|c| {
                c.execute(
                    "insert into chillr_users (msisdn) values ('9447741462')",
                    [],
                )?;
                c.execute(
                    "insert into chillr_users (msisdn) values ('9447741462')",
                    [],
                )?;
                Ok(())
            })
            .await;
        assert!(is_unique_violation(&result.unwrap_err()));
        let count: i64 = db
            .read(|c| c.query_row("select count(*) from chillr_users", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(count, 0);
    }

    #[tokio::test]
    async fn restore_brings_back_the_snapshot() {
        let db = Db::connect("sqlite::memory:").unwrap();
        db.read(|c| {
            c.execute(
                "insert into chillr_users (msisdn) values ('9447741462')",
                [],
            )
        })
        .await
        .unwrap();
        let snapshot = db.snapshot().await.unwrap();
        db.read(|c| {
            c.execute(
                "insert into chillr_users (msisdn) values ('9447741463')",
                [],
            )
        })
        .await
        .unwrap();
        db.restore(&snapshot).await.unwrap();
        let count: i64 = db
            .read(|c| c.query_row("select count(*) from chillr_users", [], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(count, 1);
    }
}
