//! Sub merchants (`aggrepay_sub_merchants`): ids 1, 2, 3… per merchant.

use crate::db::DbError;
use crate::providers::aggrepay::store::ledger::stamp;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

/// A sub merchant as `addsubmerchant` validated it (mobile number normalised).
pub struct NewSubMerchant<'a> {
    pub mobile_number: String,
    pub email: &'a str,
    pub name: &'a str,
    pub account_number: &'a str,
    pub account_name: &'a str,
    pub ifsc_code: &'a str,
    pub bank_name: &'a str,
    pub bank_branch: &'a str,
}

/// Adds a sub merchant under the next id after the merchant's highest; answers the id.
pub fn add(
    conn: &Connection,
    merchant: i64,
    new: &NewSubMerchant<'_>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let next: i64 = conn
        .prepare_cached(
            "select coalesce(max(sub_merchant_id), 0) + 1 from aggrepay_sub_merchants \
             where merchant_id = ?",
        )?
        .query_row([merchant], |r| r.get(0))?;
    conn.prepare_cached(
        "insert into aggrepay_sub_merchants (merchant_id, sub_merchant_id, name, \
         mobile_number, email, account_number, account_name, ifsc_code, bank_name, \
         bank_branch, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        merchant,
        next,
        new.name,
        new.mobile_number,
        new.email,
        new.account_number,
        new.account_name,
        new.ifsc_code,
        new.bank_name,
        new.bank_branch,
        stamp(now),
    ])?;
    Ok(next)
}

/// The merchant's sub merchants as (id, name), in id order.
pub fn list(conn: &Connection, merchant: i64) -> Result<Vec<(i64, String)>, DbError> {
    conn.prepare_cached(
        "select sub_merchant_id, name from aggrepay_sub_merchants \
         where merchant_id = ? order by sub_merchant_id",
    )?
    .query_map([merchant], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

/// Whether the merchant has a sub merchant of this id.
pub fn exists(conn: &Connection, merchant: i64, id: i64) -> Result<bool, DbError> {
    conn.prepare_cached(
        "select exists(select 1 from aggrepay_sub_merchants \
         where merchant_id = ? and sub_merchant_id = ?)",
    )?
    .query_row(params![merchant, id], |r| r.get(0))
}
