//! The SQL of Chillr's dashboard pages: the overview's counts, merchants, batch summaries
//! (one aggregate query, whatever the number of customers), the user registry, and the
//! collect requests sent to one number.

use super::{bad_value, parse_stamp};
use crate::dashboard::kit::count;
use crate::db::DbError;
use crate::providers::chillr::lifecycle::PaymentStatus;
use crate::providers::chillr::magic::DECLINES_AFTER_A_MINUTE_SUFFIX;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Row};

/// A batch as the list shows it: its customers counted, its pending requests split by
/// whether they decline on their own (the batch's status follows from the clock).
pub struct BatchSummary {
    pub batch_id: String,
    pub api_key: String,
    pub name: String,
    pub expiry_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub customers: i64,
    pub requests: i64,
    pub pending: i64,
    pub pending_self_declining: i64,
}

/// A collect request sent to a number, with its batch's dates (its status follows from them).
pub struct Collect {
    pub batch_id: String,
    pub api_key: String,
    pub name: String,
    pub expiry_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub amount: String,
    pub status: PaymentStatus,
    pub acted_at: Option<DateTime<Utc>>,
}

/// The overview's counts.
pub fn counts(conn: &Connection) -> Result<Vec<(&'static str, i64)>, DbError> {
    Ok(vec![
        (
            "merchants",
            count(conn, "select count(*) from chillr_merchants")?,
        ),
        (
            "batches",
            count(conn, "select count(*) from chillr_batches")?,
        ),
        (
            "customers",
            count(conn, "select count(*) from chillr_customers")?,
        ),
        (
            "collect requests",
            count(
                conn,
                "select count(*) from chillr_customers where transaction_id is not null",
            )?,
        ),
        ("users", count(conn, "select count(*) from chillr_users")?),
    ])
}

/// Every merchant's api_key with its number of batches, in creation order.
pub fn merchants(conn: &Connection) -> Result<Vec<(String, i64)>, DbError> {
    conn.prepare_cached(
        "select m.api_key, count(b.id) from chillr_merchants m \
         left join chillr_batches b on b.merchant_id = m.id group by m.id order by m.id",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

fn dates(row: &Row) -> Result<(NaiveDate, DateTime<Utc>), DbError> {
    let expiry: String = row.get("expiry_date")?;
    let created: String = row.get("created_at")?;
    let expiry_date = expiry.parse().map_err(|e| {
        bad_value(
            row,
            "expiry_date",
            format!("bad stored date `{expiry}`: {e}"),
        )
    })?;
    let created_at = parse_stamp(&created).map_err(|m| bad_value(row, "created_at", m))?;
    Ok((expiry_date, created_at))
}

/// Every batch (of one merchant, when given), newest first.
pub fn batch_summaries(
    conn: &Connection,
    merchant: Option<&str>,
) -> Result<Vec<BatchSummary>, DbError> {
    conn.prepare_cached(
        "select b.batch_id, m.api_key, b.name, b.expiry_date, b.created_at, \
         count(c.id) as customers, count(c.transaction_id) as requests, \
         coalesce(sum(c.payment_status = 'pending' and c.msisdn not like '%' || ?1), 0) as pending, \
         coalesce(sum(c.payment_status = 'pending' and c.msisdn like '%' || ?1), 0) as self_declining \
         from chillr_batches b join chillr_merchants m on m.id = b.merchant_id \
         left join chillr_customers c on c.batch_id = b.id \
         where ?2 is null or m.api_key = ?2 group by b.id order by b.id desc",
    )?
    .query_map(
        rusqlite::params![DECLINES_AFTER_A_MINUTE_SUFFIX, merchant],
        |row| {
            let (expiry_date, created_at) = dates(row)?;
            Ok(BatchSummary {
                batch_id: row.get("batch_id")?,
                api_key: row.get("api_key")?,
                name: row.get("name")?,
                expiry_date,
                created_at,
                customers: row.get("customers")?,
                requests: row.get("requests")?,
                pending: row.get("pending")?,
                pending_self_declining: row.get("self_declining")?,
            })
        },
    )?
    .collect()
}

/// The number of registered users, and one page of them (newest first).
pub fn users_page(
    conn: &Connection,
    offset: i64,
    limit: i64,
) -> Result<(i64, Vec<String>), DbError> {
    let total = count(conn, "select count(*) from chillr_users")?;
    let users = conn
        .prepare_cached("select msisdn from chillr_users order by id desc limit ? offset ?")?
        .query_map([limit, offset], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok((total, users))
}

/// The collect requests sent to this number, newest batch first.
pub fn collects_to(conn: &Connection, msisdn: &str) -> Result<Vec<Collect>, DbError> {
    conn.prepare_cached(
        "select b.batch_id, m.api_key, b.name, b.expiry_date, b.created_at, c.amount, \
         c.payment_status, c.acted_at from chillr_customers c \
         join chillr_batches b on b.id = c.batch_id join chillr_merchants m on m.id = b.merchant_id \
         where c.msisdn = ? and c.transaction_id is not null order by b.id desc",
    )?
    .query_map([msisdn], |row| {
        let (expiry_date, created_at) = dates(row)?;
        let status: String = row.get("payment_status")?;
        let acted_at: Option<String> = row.get("acted_at")?;
        Ok(Collect {
            batch_id: row.get("batch_id")?,
            api_key: row.get("api_key")?,
            name: row.get("name")?,
            expiry_date,
            created_at,
            amount: row.get("amount")?,
            status: PaymentStatus::parse_stored(&status).ok_or_else(|| {
                bad_value(row, "payment_status", format!("bad stored status `{status}`"))
            })?,
            acted_at: acted_at
                .as_deref()
                .map(|t| parse_stamp(t).map_err(|m| bad_value(row, "acted_at", m)))
                .transpose()?,
        })
    })?
    .collect()
}
