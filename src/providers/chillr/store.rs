//! Chillr's SQL: merchants, the Chillr user registry, batches and their collect requests.
//!
//! A batch's customers are written with one set-based statement over `json_each`, so a
//! batch of 10,000 customers is one insert inside the caller's transaction.

use super::lifecycle::PaymentStatus;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::json;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Row, SqliteConnection};
use std::collections::{HashMap, HashSet};

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

fn parse_stamp(text: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| sqlx::Error::Decode(format!("bad stored time `{text}`: {e}").into()))
}

pub async fn merchant_by_api_key(
    conn: &mut SqliteConnection,
    api_key: &str,
) -> Result<Option<Merchant>, sqlx::Error> {
    let row = sqlx::query("select id, api_secret_key from chillr_merchants where api_key = ?")
        .bind(api_key)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| Merchant {
        id: r.get("id"),
        api_secret_key: r.get("api_secret_key"),
    }))
}

/// Which of these msisdns are registered Chillr users.
pub async fn chillr_users_among(
    conn: &mut SqliteConnection,
    msisdns: &[String],
) -> Result<HashSet<String>, sqlx::Error> {
    let list = serde_json::to_string(msisdns).expect("strings serialize");
    let found: Vec<String> = sqlx::query_scalar(
        "select msisdn from chillr_users where msisdn in (select value from json_each(?))",
    )
    .bind(list)
    .fetch_all(conn)
    .await?;
    Ok(found.into_iter().collect())
}

/// Registers users; ones already registered are left as they are.
pub async fn register_users(
    conn: &mut SqliteConnection,
    msisdns: &[String],
) -> Result<(), sqlx::Error> {
    let list = serde_json::to_string(msisdns).expect("strings serialize");
    sqlx::query(
        "insert into chillr_users (msisdn) select value from json_each(?) where true \
         on conflict (msisdn) do nothing",
    )
    .bind(list)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_batch(
    conn: &mut SqliteConnection,
    batch: &NewBatch,
) -> Result<(), sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "insert into chillr_batches (batch_id, merchant_id, name, expiry_date, created_at) \
         values (?, ?, ?, ?, ?) returning id",
    )
    .bind(&batch.batch_id)
    .bind(batch.merchant_id)
    .bind(&batch.name)
    .bind(batch.expiry_date.to_string())
    .bind(stamp(batch.created_at))
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<_> = batch
        .customers
        .iter()
        .enumerate()
        .map(|(position, c)| {
            let request = c.request.as_ref();
            json!({
                "p": position,
                "m": c.msisdn,
                "a": c.amount,
                "t": request.map(|r| r.transaction_id.as_str()),
                "s": request.map(|r| r.status.as_str()),
                "at": request.and_then(|r| r.acted_at).map(stamp),
            })
        })
        .collect();
    sqlx::query(
        "insert into chillr_customers \
         (batch_id, position, msisdn, amount, transaction_id, payment_status, acted_at) \
         select ?, value ->> '$.p', value ->> '$.m', value ->> '$.a', value ->> '$.t', \
                value ->> '$.s', value ->> '$.at' \
         from json_each(?)",
    )
    .bind(id)
    .bind(serde_json::to_string(&rows).expect("rows serialize"))
    .execute(conn)
    .await?;
    Ok(())
}

/// A batch by its id; with `merchant_id`, only when it is that merchant's.
pub async fn find_batch(
    conn: &mut SqliteConnection,
    batch_id: &str,
    merchant_id: Option<i64>,
) -> Result<Option<StoredBatch>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "{BATCH_SELECT} where b.batch_id = ?"
    )))
    .bind(batch_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if merchant_id.is_some_and(|m| m != row.get::<i64, _>("merchant_id")) {
        return Ok(None);
    }
    let customers = customers_of(conn, row.get("id")).await?;
    let batch = batch_from(&row, customers)?;
    Ok(Some(batch))
}

const CUSTOMER_COLUMNS: &str = "batch_id, msisdn, amount, transaction_id, payment_status, acted_at";

async fn customers_of(
    conn: &mut SqliteConnection,
    batch_row_id: i64,
) -> Result<Vec<CustomerRecord>, sqlx::Error> {
    let sql = AssertSqlSafe(format!(
        "select {CUSTOMER_COLUMNS} from chillr_customers where batch_id = ? order by position"
    ));
    let rows = sqlx::query(sql).bind(batch_row_id).fetch_all(conn).await?;
    rows.iter().map(customer_from).collect()
}

fn customer_from(r: &SqliteRow) -> Result<CustomerRecord, sqlx::Error> {
    let transaction_id: Option<String> = r.get("transaction_id");
    let request = match transaction_id {
        Some(transaction_id) => {
            let status: String = r.get("payment_status");
            let acted_at: Option<String> = r.get("acted_at");
            Some(Request {
                transaction_id,
                status: PaymentStatus::parse_stored(&status).ok_or_else(|| {
                    sqlx::Error::Decode(format!("bad stored status `{status}`").into())
                })?,
                acted_at: acted_at.as_deref().map(parse_stamp).transpose()?,
            })
        }
        None => None,
    };
    Ok(CustomerRecord {
        msisdn: r.get("msisdn"),
        amount: r.get("amount"),
        request,
    })
}

fn batch_from(row: &SqliteRow, customers: Vec<CustomerRecord>) -> Result<StoredBatch, sqlx::Error> {
    Ok(StoredBatch {
        id: row.get("id"),
        batch_id: row.get("batch_id"),
        api_key: row.get("api_key"),
        name: row.get("name"),
        expiry_date: row
            .get::<String, _>("expiry_date")
            .parse()
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        created_at: parse_stamp(row.get("created_at"))?,
        customers,
    })
}

const BATCH_SELECT: &str = "select b.id, b.batch_id, m.api_key, b.name, b.expiry_date, b.created_at, \
     b.merchant_id from chillr_batches b join chillr_merchants m on m.id = b.merchant_id";

/// Every batch with its customers, in creation order (the state export): two queries,
/// whatever the number of batches.
pub async fn all_batches(conn: &mut SqliteConnection) -> Result<Vec<StoredBatch>, sqlx::Error> {
    let batches = sqlx::query(AssertSqlSafe(format!("{BATCH_SELECT} order by b.id")))
        .fetch_all(&mut *conn)
        .await?;
    let customers = sqlx::query(AssertSqlSafe(format!(
        "select {CUSTOMER_COLUMNS} from chillr_customers order by batch_id, position"
    )))
    .fetch_all(conn)
    .await?;
    let mut by_batch: HashMap<i64, Vec<CustomerRecord>> = HashMap::new();
    for row in &customers {
        by_batch
            .entry(row.get("batch_id"))
            .or_default()
            .push(customer_from(row)?);
    }
    batches
        .iter()
        .map(|row| {
            batch_from(
                row,
                by_batch
                    .remove(&row.get::<i64, _>("id"))
                    .unwrap_or_default(),
            )
        })
        .collect()
}

pub async fn all_users(conn: &mut SqliteConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("select msisdn from chillr_users order by id")
        .fetch_all(conn)
        .await
}

/// Records the customer's action on a pending request.
pub async fn set_status(
    conn: &mut SqliteConnection,
    batch_row_id: i64,
    msisdn: &str,
    status: PaymentStatus,
    acted_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update chillr_customers set payment_status = ?, acted_at = ? \
         where batch_id = ? and msisdn = ? and payment_status = 'pending'",
    )
    .bind(status.as_str())
    .bind(stamp(acted_at))
    .bind(batch_row_id)
    .bind(msisdn)
    .execute(conn)
    .await?;
    Ok(())
}
