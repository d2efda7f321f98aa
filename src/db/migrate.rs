//! The schema: the migrations in order, applied on the writer connection at start.

use super::DbError;
use rusqlite::{Connection, TransactionBehavior};

/// The migrations, in order; `pragma user_version` records how many have been applied.
/// A test checks that every file of `migrations/` is listed here.
pub(super) const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_chillr",
        include_str!("../../migrations/0001_chillr.sql"),
    ),
    (
        "0002_paypro",
        include_str!("../../migrations/0002_paypro.sql"),
    ),
    (
        "0003_aggrepay",
        include_str!("../../migrations/0003_aggrepay.sql"),
    ),
    ("0004_jaze", include_str!("../../migrations/0004_jaze.sql")),
    (
        "0005_chillr_batches",
        include_str!("../../migrations/0005_chillr_batches.sql"),
    ),
    (
        "0006_paypro_orders_consumers",
        include_str!("../../migrations/0006_paypro_orders_consumers.sql"),
    ),
    (
        "0007_aggrepay_wallets",
        include_str!("../../migrations/0007_aggrepay_wallets.sql"),
    ),
    (
        "0008_jaze_records",
        include_str!("../../migrations/0008_jaze_records.sql"),
    ),
    (
        "0009_paypro_paid_orders_index",
        include_str!("../../migrations/0009_paypro_paid_orders_index.sql"),
    ),
    (
        "0010_aggrepay_usage",
        include_str!("../../migrations/0010_aggrepay_usage.sql"),
    ),
];

/// Applies the migrations not yet applied, each in its own transaction.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), DbError> {
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
