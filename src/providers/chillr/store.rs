//! Chillr's SQL: merchants, the Chillr user registry, batches and their collect requests.
//!
//! A batch's customers are written with one cached insert statement, row by row inside the
//! caller's transaction (10,000 customers take a few milliseconds).

pub mod pages;

use super::lifecycle::PaymentStatus;
use crate::db::DbError;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Clone)]
pub struct Merchant {
    pub id: i64,
    pub api_secret_key: String,
}

pub struct NewBatch {
    pub batch_id: String,
    pub merchant_id: i64,
    pub name: String,
    pub expiry_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub customers: Vec<CustomerRecord>,
}

impl NewBatch {
    /// Drops the collect requests of the customers who are not Chillr users.
    pub fn keep_requests_of(&mut self, users: &HashSet<String>) {
        for customer in &mut self.customers {
            if !users.contains(&customer.msisdn) {
                customer.request = None;
            }
        }
    }
}

/// A customer as stored: a collect request when it has a transaction id, else a
/// non-Chillr customer.
#[derive(Debug, Clone)]
pub struct CustomerRecord {
    pub msisdn: String,
    pub amount: String,
    pub request: Option<Request>,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub transaction_id: String,
    pub status: PaymentStatus,
    pub acted_at: Option<DateTime<Utc>>,
}

pub struct StoredBatch {
    pub id: i64,
    pub batch_id: String,
    pub api_key: String,
    pub name: String,
    pub expiry_date: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub customers: Vec<CustomerRecord>,
}

pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_stamp(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("bad stored time `{text}`: {e}"))
}

/// A stored value of `column` the code cannot read back.
fn bad_value(row: &Row, column: &str, message: String) -> DbError {
    let index = row.as_ref().column_index(column).unwrap_or(usize::MAX);
    bad_stored_text(index, message)
}

/// A stored text (in column `index` of its query) the code cannot read back.
pub fn bad_stored_text(index: usize, message: String) -> DbError {
    DbError::FromSqlConversionFailure(index, Type::Text, message.into())
}

pub fn insert_merchant(
    conn: &Connection,
    api_key: &str,
    api_secret_key: &str,
) -> Result<(), DbError> {
    conn.prepare_cached("insert into chillr_merchants (api_key, api_secret_key) values (?, ?)")?
        .execute([api_key, api_secret_key])?;
    Ok(())
}

/// Every merchant's (api_key, api_secret_key), in creation order.
pub fn all_merchants(conn: &Connection) -> Result<Vec<(String, String)>, DbError> {
    conn.prepare_cached("select api_key, api_secret_key from chillr_merchants order by id")?
        .query_map([], |r| Ok((r.get("api_key")?, r.get("api_secret_key")?)))?
        .collect()
}

/// The table merchants are read from (the key of their memo, [`crate::db::Db::read_memo`]).
pub const MERCHANTS: &str = "chillr_merchants";

/// The merchant of `api_key`, shared: every request reads it (kept in the merchants' memo),
/// and a clone is one reference count rather than a copy.
pub fn merchant_by_api_key(
    conn: &Connection,
    api_key: &str,
) -> Result<Option<Arc<Merchant>>, DbError> {
    conn.prepare_cached("select id, api_secret_key from chillr_merchants where api_key = ?")?
        .query_row([api_key], |r| {
            Ok(Arc::new(Merchant {
                id: r.get("id")?,
                api_secret_key: r.get("api_secret_key")?,
            }))
        })
        .optional()
}

/// Which of these msisdns are registered Chillr users.
pub fn chillr_users_among(
    conn: &Connection,
    msisdns: &[String],
) -> Result<HashSet<String>, DbError> {
    let list = serde_json::to_string(msisdns).expect("strings serialize");
    conn.prepare_cached(
        "select msisdn from chillr_users where msisdn in (select value from json_each(?))",
    )?
    .query_map([list], |r| r.get(0))?
    .collect()
}

/// Registers users; ones already registered are left as they are.
pub fn register_users(conn: &Connection, msisdns: &[String]) -> Result<(), DbError> {
    let list = serde_json::to_string(msisdns).expect("strings serialize");
    conn.prepare_cached(
        "insert into chillr_users (msisdn) select value from json_each(?) where true \
         on conflict (msisdn) do nothing",
    )?
    .execute([list])?;
    Ok(())
}

pub fn insert_batch(conn: &Connection, batch: &NewBatch) -> Result<(), DbError> {
    let id: i64 = conn
        .prepare_cached(
            "insert into chillr_batches (batch_id, merchant_id, name, expiry_date, created_at) \
             values (?, ?, ?, ?, ?)",
        )?
        .execute(rusqlite::params![
            batch.batch_id,
            batch.merchant_id,
            batch.name,
            batch.expiry_date.to_string(),
            stamp(batch.created_at),
        ])
        .map(|_| conn.last_insert_rowid())?;
    let mut insert = conn.prepare_cached(
        "insert into chillr_customers \
         (batch_id, position, msisdn, amount, transaction_id, payment_status, acted_at) \
         values (?, ?, ?, ?, ?, ?, ?)",
    )?;
    for (position, c) in batch.customers.iter().enumerate() {
        let request = c.request.as_ref();
        insert.execute(rusqlite::params![
            id,
            position as i64,
            c.msisdn,
            c.amount,
            request.map(|r| r.transaction_id.as_str()),
            request.map(|r| r.status.as_str()),
            request.and_then(|r| r.acted_at).map(stamp),
        ])?;
    }
    Ok(())
}

/// Whether any merchant has a batch with this id (to tell an unknown id from another
/// merchant's batch, once the caller's own lookup found nothing).
pub fn batch_exists(conn: &Connection, batch_id: &str) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("select 1 from chillr_batches where batch_id = ?")?
        .query_row([batch_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// `select <the columns batch_from reads, then the merchant id> from the batches <rest>`, a
/// constant.
macro_rules! batch_select {
    ($rest:literal) => {
        concat!(
            "select b.id, b.batch_id, m.api_key, b.name, b.expiry_date, b.created_at, \
             b.merchant_id from chillr_batches b join chillr_merchants m on m.id = b.merchant_id ",
            $rest
        )
    };
}

/// A batch by its id; with `merchant_id`, only when it is that merchant's.
pub fn find_batch(
    conn: &Connection,
    batch_id: &str,
    merchant_id: Option<i64>,
) -> Result<Option<StoredBatch>, DbError> {
    let found = conn
        .prepare_cached(batch_select!("where b.batch_id = ?"))?
        .query_row([batch_id], |row| {
            let owner: i64 = row.get(6)?;
            if merchant_id.is_some_and(|m| m != owner) {
                return Ok(None);
            }
            batch_from(row, Vec::new()).map(Some)
        })
        .optional()?
        .flatten();
    let Some(mut batch) = found else {
        return Ok(None);
    };
    batch.customers = customers_of(conn, batch.id)?;
    Ok(Some(batch))
}

/// `select <the columns customer_from reads> from chillr_customers <rest>`, a constant.
macro_rules! customer_select {
    ($rest:literal) => {
        concat!(
            "select batch_id, msisdn, amount, transaction_id, payment_status, acted_at \
             from chillr_customers ",
            $rest
        )
    };
}

fn customers_of(conn: &Connection, batch_row_id: i64) -> Result<Vec<CustomerRecord>, DbError> {
    conn.prepare_cached(customer_select!("where batch_id = ? order by position"))?
        .query_map([batch_row_id], customer_from)?
        .collect()
}

/// A row of `customer_select!`, read by position (by name, rusqlite searches the columns for
/// each; a batch's status reads every customer).
fn customer_from(r: &Row) -> Result<CustomerRecord, DbError> {
    let transaction_id: Option<String> = r.get(3)?;
    let request = match transaction_id {
        Some(transaction_id) => {
            let status: String = r.get(4)?;
            let acted_at: Option<String> = r.get(5)?;
            Some(Request {
                transaction_id,
                status: PaymentStatus::parse_stored(&status).ok_or_else(|| {
                    bad_value(r, "payment_status", format!("bad stored status `{status}`"))
                })?,
                acted_at: acted_at
                    .as_deref()
                    .map(|t| parse_stamp(t).map_err(|m| bad_value(r, "acted_at", m)))
                    .transpose()?,
            })
        }
        None => None,
    };
    Ok(CustomerRecord {
        msisdn: r.get(1)?,
        amount: r.get(2)?,
        request,
    })
}

/// A row of `batch_select!`, read by position.
fn batch_from(row: &Row, customers: Vec<CustomerRecord>) -> Result<StoredBatch, DbError> {
    let expiry_date: String = row.get(4)?;
    let created_at: String = row.get(5)?;
    Ok(StoredBatch {
        id: row.get(0)?,
        batch_id: row.get(1)?,
        api_key: row.get(2)?,
        name: row.get(3)?,
        expiry_date: expiry_date.parse().map_err(|e| {
            bad_value(
                row,
                "expiry_date",
                format!("bad stored date `{expiry_date}`: {e}"),
            )
        })?,
        created_at: parse_stamp(&created_at).map_err(|m| bad_value(row, "created_at", m))?,
        customers,
    })
}

/// Every batch with its customers, in creation order (the state export): two queries,
/// whatever the number of batches.
pub fn all_batches(conn: &Connection) -> Result<Vec<StoredBatch>, DbError> {
    let mut by_batch: HashMap<i64, Vec<CustomerRecord>> = HashMap::new();
    let mut customers = conn.prepare_cached(customer_select!("order by batch_id, position"))?;
    let mut rows = customers.query([])?;
    while let Some(row) = rows.next()? {
        by_batch
            .entry(row.get(0)?)
            .or_default()
            .push(customer_from(row)?);
    }
    conn.prepare_cached(batch_select!("order by b.id"))?
        .query_map([], |row| {
            let id: i64 = row.get(0)?;
            batch_from(row, by_batch.remove(&id).unwrap_or_default())
        })?
        .collect()
}

pub fn all_users(conn: &Connection) -> Result<Vec<String>, DbError> {
    conn.prepare_cached("select msisdn from chillr_users order by id")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// Records the customer's action on a request still pending; false when it was not.
pub fn set_status(
    conn: &Connection,
    batch_row_id: i64,
    msisdn: &str,
    status: PaymentStatus,
    acted_at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "update chillr_customers set payment_status = ?, acted_at = ? \
         where batch_id = ? and msisdn = ? and payment_status = 'pending'",
        )?
        .execute(rusqlite::params![
            status.as_str(),
            stamp(acted_at),
            batch_row_id,
            msisdn
        ])?;
    Ok(changed == 1)
}
