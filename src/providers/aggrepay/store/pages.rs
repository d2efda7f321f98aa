//! The dashboard's AggrePay listings: merchants, a page of customers (with their limits),
//! one customer, payment-gateway records, a page of the OTP outbox, and the overview's counts.

use super::customers::{COLUMNS, Customer, customer_from};
use super::merchants::{Merchant, merchant_from};
use super::otp_outbox::OutboxEntry;
use crate::dashboard::kit::count;
use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, params};

/// A merchant with its api_key and how many customers it has.
pub struct MerchantRow {
    pub api_key: String,
    pub merchant: Merchant,
    pub customers: i64,
}

/// Every merchant, in the order they were added.
pub fn merchants(conn: &Connection) -> Result<Vec<MerchantRow>, DbError> {
    conn.prepare_cached(
        "select m.id, m.api_key, m.salt, m.fixed_otp, m.max_balance, m.monthly_credit, \
         m.monthly_debit, m.daily_debit_count, m.daily_debit_amount, \
         (select count(*) from aggrepay_customers c where c.merchant_id = m.id) as customers \
         from aggrepay_merchants m order by m.id",
    )?
    .query_map([], |r| {
        Ok(MerchantRow {
            api_key: r.get("api_key")?,
            merchant: merchant_from(r)?,
            customers: r.get("customers")?,
        })
    })?
    .collect()
}

/// A customer with its merchant's api_key.
pub struct CustomerRow {
    pub api_key: String,
    pub customer: Customer,
}

/// Reads a customer row of `select <COLUMNS>, merchant_id ...`, its limits over its
/// merchant's defaults.
fn customer_row(merchants: &[MerchantRow], row: &rusqlite::Row) -> rusqlite::Result<CustomerRow> {
    let merchant_id: i64 = row.get("merchant_id")?;
    let merchant = merchants.iter().find(|m| m.merchant.id == merchant_id);
    let defaults = merchant.map(|m| m.merchant.limits).unwrap_or_default();
    Ok(CustomerRow {
        api_key: merchant.map(|m| m.api_key.clone()).unwrap_or_default(),
        customer: customer_from(row, defaults)?,
    })
}

/// Up to `limit` customers from `offset` (of one merchant, or all), in the order added.
pub fn customers(
    conn: &Connection,
    merchants: &[MerchantRow],
    merchant_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<CustomerRow>, DbError> {
    let sql = format!(
        "select {COLUMNS}, merchant_id from aggrepay_customers \
         where ?1 is null or merchant_id = ?1 order by id limit ?2 offset ?3"
    );
    conn.prepare_cached(&sql)?
        .query_map(params![merchant_id, limit, offset], |r| {
            customer_row(merchants, r)
        })?
        .collect()
}

/// The customer with this customer_id (unique across merchants).
pub fn customer(
    conn: &Connection,
    merchants: &[MerchantRow],
    customer_id: &str,
) -> Result<Option<CustomerRow>, DbError> {
    let sql =
        format!("select {COLUMNS}, merchant_id from aggrepay_customers where customer_id = ?");
    conn.prepare_cached(&sql)?
        .query_row([customer_id], |r| customer_row(merchants, r))
        .optional()
}

/// The wallets on a mobile number (normalised, `+91...`), of every merchant.
pub fn wallets(
    conn: &Connection,
    merchants: &[MerchantRow],
    mobile: &str,
) -> Result<Vec<CustomerRow>, DbError> {
    let sql = format!(
        "select {COLUMNS}, merchant_id from aggrepay_customers where mobile_number = ? order by id"
    );
    conn.prepare_cached(&sql)?
        .query_map([mobile], |r| customer_row(merchants, r))?
        .collect()
}

/// A payment-gateway record as the dashboard lists it.
pub struct PgRow {
    pub api_key: String,
    pub pg_transaction_id: String,
    pub amount: i64,
    pub used: bool,
    pub created_at: String,
}

/// Up to `limit` gateway records from `offset`, newest first.
pub fn pg_records(conn: &Connection, limit: i64, offset: i64) -> Result<Vec<PgRow>, DbError> {
    conn.prepare_cached(
        "select m.api_key, p.pg_transaction_id, p.amount, p.used, p.created_at \
         from aggrepay_pg_transactions p join aggrepay_merchants m on m.id = p.merchant_id \
         order by p.id desc limit ? offset ?",
    )?
    .query_map(params![limit, offset], |r| {
        Ok(PgRow {
            api_key: r.get("api_key")?,
            pg_transaction_id: r.get("pg_transaction_id")?,
            amount: r.get("amount")?,
            used: r.get::<_, i64>("used")? != 0,
            created_at: r.get("created_at")?,
        })
    })?
    .collect()
}

/// Up to `limit` OTPs from `offset`, newest first (to one number, or all).
pub fn otps(
    conn: &Connection,
    mobile: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<OutboxEntry>, DbError> {
    conn.prepare_cached(
        "select o.mobile_number, o.otp, o.purpose, o.created_at, o.expires_at, \
         o.used, o.superseded, m.api_key from aggrepay_otps o \
         join aggrepay_merchants m on m.id = o.merchant_id \
         where ?1 is null or o.mobile_number = ?1 \
         order by o.id desc limit ?2 offset ?3",
    )?
    .query_map(params![mobile, limit, offset], |r| {
        Ok(OutboxEntry {
            mobile_number: r.get("mobile_number")?,
            otp: r.get("otp")?,
            purpose: r.get("purpose")?,
            created_at: r.get("created_at")?,
            expires_at: r.get("expires_at")?,
            used: r.get::<_, i64>("used")? != 0,
            superseded: r.get::<_, i64>("superseded")? != 0,
            api_key: r.get("api_key")?,
        })
    })?
    .collect()
}

/// The overview's counts.
pub fn counts(conn: &Connection) -> Result<Vec<(&'static str, i64)>, DbError> {
    Ok(vec![
        (
            "merchants",
            count(conn, "select count(*) from aggrepay_merchants")?,
        ),
        (
            "customers",
            count(conn, "select count(*) from aggrepay_customers")?,
        ),
        (
            "transactions",
            count(conn, "select count(*) from aggrepay_transactions")?,
        ),
        (
            "OTPs sent",
            count(conn, "select count(*) from aggrepay_otps")?,
        ),
    ])
}
