//! Payment-gateway records (`aggrepay_pg_transactions`): what `creditwallet` needs before it
//! loads a wallet.
//!
//! A `creditwallet` uses a record once: of this merchant, unused, of the credit's amount.
//! A `pg_transaction_id` starting `PGTEST-` with no record is accepted as a record of the
//! credit's amount (magic value); the credit then writes it as a used record, so a second
//! use is "already taken". A `PGTEST-` id that has a record (fixture or the control-plane
//! action) is that record.

use crate::db::{self, DbError};
use crate::providers::aggrepay::store::ledger::stamp;
use chrono::{DateTime, Utc};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension};

/// A merchant's gateway record.
#[derive(Debug, Clone, Copy)]
pub struct PgRecord {
    pub id: i64,
    /// Paise.
    pub amount: i64,
    pub used: bool,
}

impl PgRecord {
    fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(PgRecord {
            id: row.get("id")?,
            amount: row.get("amount")?,
            used: row.get("used")?,
        })
    }
}

pub fn find(
    conn: &Connection,
    merchant: i64,
    pg_transaction_id: &str,
) -> Result<Option<PgRecord>, DbError> {
    conn.prepare_cached(
        "select id, amount, used from aggrepay_pg_transactions \
         where merchant_id = ? and pg_transaction_id = ?",
    )?
    .query_row(
        rusqlite::params![merchant, pg_transaction_id],
        PgRecord::from_row,
    )
    .optional()
}

/// Marks a record used; false when it already was (inside the caller's write transaction).
pub fn use_record(conn: &Connection, record: PgRecord) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached("update aggrepay_pg_transactions set used = 1 where id = ? and used = 0")?
        .execute([record.id])?;
    Ok(changed == 1)
}

/// Writes a `PGTEST-` id as a used record of this amount; false when the merchant already has
/// that id.
pub fn use_magic(
    conn: &Connection,
    merchant: i64,
    pg_transaction_id: &str,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let inserted = conn
        .prepare_cached(
            "insert into aggrepay_pg_transactions \
             (merchant_id, pg_transaction_id, amount, used, created_at) \
             values (?, ?, ?, 1, ?)",
        )?
        .execute(rusqlite::params![
            merchant,
            pg_transaction_id,
            amount,
            stamp(now)
        ]);
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Writes a new unused record of `amount` paise under `given` or, when absent, a drawn id
/// (`PG` and 12 digits); `Err(id)` when the merchant already has the id (given, or ten
/// draws in a row).
pub fn insert_new(
    conn: &Connection,
    merchant: i64,
    given: Option<&str>,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<Result<String, String>, DbError> {
    let mut insert = conn.prepare_cached(
        "insert into aggrepay_pg_transactions \
         (merchant_id, pg_transaction_id, amount, used, created_at) \
         values (?, ?, ?, 0, ?)",
    )?;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let id = given.map(str::to_string).unwrap_or_else(|| {
            format!(
                "PG{}",
                rand::rng().random_range(100_000_000_000u64..=999_999_999_999)
            )
        });
        match insert.execute(rusqlite::params![merchant, id, amount, stamp(now)]) {
            Ok(_) => return Ok(Ok(id)),
            Err(e) if db::is_unique_violation(&e) => {
                if given.is_some() || attempts >= 10 {
                    return Ok(Err(id));
                }
            }
            Err(e) => return Err(e),
        }
    }
}
