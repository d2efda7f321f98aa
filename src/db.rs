//! The SQLite pool: WAL, busy timeout, foreign keys on, migrations applied at start.
//!
//! An in-memory database lives as long as its connections, so it gets one connection that is
//! never closed; a file database gets several (readers run in parallel under WAL, writers
//! queue on the busy timeout and take the write lock up front with [`begin_write`]).

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub type Db = SqlitePool;

/// Holds an in-memory database open. sqlx names `sqlite::memory:` as a shared-cache database
/// that lives while any connection to it is open; when a client gives up mid-query, sqlx may
/// close the pool's only connection, and without this one the next connection would open a
/// new, empty database.
pub struct KeepAlive(#[allow(dead_code)] tokio::sync::Mutex<Option<sqlx::SqliteConnection>>);

/// Opens (creating if missing) and migrates the database named by a sqlx URL or a file path.
pub async fn connect(database: &str) -> anyhow::Result<(Db, KeepAlive)> {
    let in_memory = database.contains(":memory:") || database.contains("mode=memory");
    let options = if database.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(database)
            .with_context(|| format!("`{database}` is not a SQLite URL"))?
    } else {
        SqliteConnectOptions::new().filename(database)
    }
    .create_if_missing(true)
    .foreign_keys(true)
    .busy_timeout(Duration::from_secs(10))
    // WAL with synchronous=NORMAL loses nothing a client was told about when the process is
    // killed; only a power cut can take the last commits.
    .journal_mode(if in_memory {
        SqliteJournalMode::Memory
    } else {
        SqliteJournalMode::Wal
    })
    .synchronous(SqliteSynchronous::Normal);

    let keeper = if in_memory {
        Some(
            sqlx::ConnectOptions::connect(&options)
                .await
                .with_context(|| format!("cannot open the database `{database}`"))?,
        )
    } else {
        None
    };
    let pool = if in_memory {
        SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
    } else {
        SqlitePoolOptions::new().max_connections(8)
    }
    .connect_with(options)
    .await
    .with_context(|| format!("cannot open the database `{database}`"))?;

    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .context("cannot apply the database migrations")?;
    Ok((pool, KeepAlive(tokio::sync::Mutex::new(keeper))))
}

/// A write transaction that holds SQLite's write lock from its first statement, so a
/// read-then-write sequence never fails with a busy snapshot under concurrency.
pub async fn begin_write(db: &Db) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
    db.begin_with("BEGIN IMMEDIATE").await
}

/// The names of all tables that hold sandbox state (every table but sqlx's own).
pub async fn state_tables(conn: &mut SqliteConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select name from sqlite_master where type = 'table' \
         and name not like 'sqlite_%' and name not like '_sqlx_%' order by name",
    )
    .fetch_all(conn)
    .await
}

/// True when no table holds a row.
pub async fn is_empty(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    for table in state_tables(conn).await? {
        let sql = format!("select exists(select 1 from \"{table}\")");
        let any: bool = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?;
        if any {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Deletes every row of every state table, inside the caller's transaction.
pub async fn wipe(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    // Foreign keys are checked at commit, so the tables can be emptied in any order.
    sqlx::query("pragma defer_foreign_keys = on")
        .execute(&mut *conn)
        .await?;
    for table in state_tables(conn).await? {
        let sql = format!("delete from \"{table}\"");
        sqlx::query(AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    #[tokio::test]
    async fn an_in_memory_database_survives_its_pool_connection_being_closed() {
        let (db, _keep_alive) = connect("sqlite::memory:").await.unwrap();
        sqlx::query("insert into chillr_users (msisdn) values ('9447741462')")
            .execute(&db)
            .await
            .unwrap();
        // What sqlx does when a request is dropped mid-query: the connection is closed.
        db.acquire().await.unwrap().detach().close().await.unwrap();
        let count: i64 = sqlx::query_scalar("select count(*) from chillr_users")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(count, 1);
    }
}
