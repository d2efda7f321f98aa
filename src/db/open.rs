//! Opening the connections: where a `--database` value points, and each connection's settings.

use super::DbError;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// Where a `--database` value points: the process's own memory, or a file.
pub(super) fn location(database: &str) -> Option<String> {
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

/// What a connection is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Writer,
    Reader,
}

/// Opens one connection to the database file at `path`; `in_memory` when the file is the
/// private stand-in of an in-memory database.
pub(super) fn open(path: &Path, in_memory: bool, role: Role) -> Result<Connection, DbError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if in_memory {
        Connection::open_with_flags_and_vfs(path, flags, super::heap_files::vfs())?
    } else {
        Connection::open_with_flags(path, flags)?
    };
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(256);
    // Without the query planner stability guarantee, SQLite (built with STAT4) re-prepares a
    // cached statement whenever a bound value could change its plan: in the profiles that
    // re-parsing was a third of a cheap read. No ANALYZE ever runs here, so no plan is lost.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    // WAL: readers read the last committed state while the writer writes, and never block
    // it. On a file, synchronous=NORMAL loses nothing a client was told about when the
    // process is killed; only a power cut can take the last commits. In memory nothing is
    // kept past the process, so nothing is synced, and the WAL is cut back to 64 MiB after a
    // large write has been checkpointed (it is memory too). Its pages are 1 KiB, not 4: a
    // commit copies and checksums every page it changed into the WAL, and a reader reloads
    // the pages it reads after each commit, so smaller pages cost less for the sandbox's small
    // rows (one core, side by side: `co` −15%, `debitwallet` −20%, `gos` −10%; 512 bytes was
    // slower again). Pages are never memory-mapped: in WAL mode a connection that sees
    // another's commit drops its whole mapping and maps the file again.
    conn.execute_batch(if in_memory {
        "pragma page_size = 1024; pragma journal_mode = wal; pragma synchronous = off; \
         pragma foreign_keys = on; pragma mmap_size = 0; pragma journal_size_limit = 67108864;"
    } else {
        "pragma journal_mode = wal; pragma synchronous = normal; pragma foreign_keys = on;"
    })?;
    if role == Role::Reader {
        conn.pragma_update(None, "query_only", true)?;
    }
    Ok(conn)
}
