//! The schema: the providers' migrations, checked and applied in version order on the writer
//! connection at start.

use anyhow::bail;
use rusqlite::{Connection, TransactionBehavior};

/// One migration of a provider. Versions are global across providers (1, 2, ... in the order
/// they landed) and `pragma user_version` records the highest applied, so a database written
/// before the migrations moved into the providers keeps working.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The migrations sorted by version, or an error unless the versions are exactly `1..=N`.
pub(super) fn ordered(migrations: &[Migration]) -> anyhow::Result<Vec<Migration>> {
    let mut sorted = migrations.to_vec();
    sorted.sort_by_key(|m| m.version);
    for (index, migration) in sorted.iter().enumerate() {
        let expected = index as u32 + 1;
        if migration.version != expected {
            bail!(
                "migration versions must be 1..={} without gaps or duplicates: \
                 found {} (`{}`) where {expected} was expected",
                sorted.len(),
                migration.version,
                migration.name
            );
        }
    }
    Ok(sorted)
}

/// Applies the migrations not yet applied, each in its own transaction.
pub(super) fn migrate(conn: &mut Connection, migrations: &[Migration]) -> anyhow::Result<()> {
    let migrations = ordered(migrations)?;
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
    for migration in migrations {
        let version = i64::from(migration.version);
        if version <= applied {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(migration.sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
