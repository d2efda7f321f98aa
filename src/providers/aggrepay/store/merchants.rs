//! Merchants (`aggrepay_merchants`): found by api_key, with their salt, fixed OTP and
//! default limits.

use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, Row};
use std::sync::Arc;

/// A merchant, with its default limits (paise; the count as is).
#[derive(Debug, Clone)]
pub struct Merchant {
    pub id: i64,
    pub salt: String,
    pub fixed_otp: Option<String>,
    pub limits: Limits,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limits {
    pub max_balance: i64,
    pub monthly_credit: i64,
    pub monthly_debit: i64,
    pub daily_debit_count: i64,
    pub daily_debit_amount: i64,
}

/// The table merchants are read from (the key of their memo, [`crate::db::Db::read_memo`]).
pub const TABLE: &str = "aggrepay_merchants";

/// The merchant of an api_key.
/// The merchant of `api_key`, shared: every request reads it (kept in the merchants' memo),
/// and a clone is one reference count rather than a copy.
pub fn by_api_key(conn: &Connection, api_key: &str) -> Result<Option<Arc<Merchant>>, DbError> {
    conn.prepare_cached(
        "select id, salt, fixed_otp, max_balance, monthly_credit, monthly_debit, \
         daily_debit_count, daily_debit_amount from aggrepay_merchants where api_key = ?",
    )?
    .query_row([api_key], merchant_from)
    .optional()
    .map(|found| found.map(Arc::new))
}

/// The row id of an api_key's merchant.
pub fn id_by_api_key(conn: &Connection, api_key: &str) -> Result<Option<i64>, DbError> {
    conn.prepare_cached("select id from aggrepay_merchants where api_key = ?")?
        .query_row([api_key], |r| r.get(0))
        .optional()
}

pub(super) fn merchant_from(row: &Row) -> rusqlite::Result<Merchant> {
    let paise = |column: &str| -> rusqlite::Result<i64> {
        let text: String = row.get(column)?;
        Ok(crate::providers::aggrepay::amount::parse_paise(&text).unwrap_or(0))
    };
    Ok(Merchant {
        id: row.get("id")?,
        salt: row.get("salt")?,
        fixed_otp: row.get("fixed_otp")?,
        limits: Limits {
            max_balance: paise("max_balance")?,
            monthly_credit: paise("monthly_credit")?,
            monthly_debit: paise("monthly_debit")?,
            daily_debit_count: row.get("daily_debit_count")?,
            daily_debit_amount: paise("daily_debit_amount")?,
        },
    })
}
