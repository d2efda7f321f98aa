//! Payment-gateway records: what `creditwallet` needs before it loads a wallet.
//!
//! `POST /__sandbox/aggrepay/pg-transactions` `{"api_key","amount":"100.00","pg_transaction_id":"PG123"}`
//! records a successful gateway payment of a merchant (the id is optional: `PG` and 12 digits
//! are drawn when it is absent) and answers 201 with the record. An unknown api_key answers
//! 404, an id the merchant already has 409, a bad body 400.
//!
//! A `creditwallet` uses a record once: of this merchant, unused, of the credit's amount.
//! A `pg_transaction_id` starting `PGTEST-` with no record is accepted as a record of the
//! credit's amount (magic value); the credit then writes it as a used record, so a second
//! use is "already taken". A `PGTEST-` id that has a record (fixture or this call) is that
//! record.

use super::amount::to_paise;
use super::ledger::stamp;
use crate::app::AppState;
use crate::control::{ApiError, parse_json};
use crate::db::{self, DbError};
use crate::money::Amount;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use rand::Rng;
use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::{Value, json};

/// The magic prefix of a gateway id that needs no record.
pub const MAGIC_PREFIX: &str = "PGTEST-";

/// The longest gateway id accepted (the API answers Laravel's `max:255`).
pub const MAX_ID_LENGTH: usize = 255;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRecord {
    /// The merchant.
    api_key: String,
    /// A decimal string above zero, at most two decimals: `"100.00"`.
    #[schema(value_type = String)]
    amount: Amount,
    /// Generated (`PG` and 12 digits) when absent.
    #[serde(default)]
    pg_transaction_id: Option<String>,
}

/// Records a payment-gateway transaction that `creditwallet` may then use once.
#[utoipa::path(
    post,
    path = "/__sandbox/aggrepay/pg-transactions",
    operation_id = "aggrepay_create_pg_transaction",
    tag = "aggrepay",
    request_body = NewRecord,
    responses(
        (status = 201, description = "the record", body = Object),
        (status = 400, body = crate::control::ErrorBody),
        (status = 404, body = crate::control::ErrorBody),
        (status = 409, body = crate::control::ErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let NewRecord {
        api_key,
        amount,
        pg_transaction_id,
    } = parse_json(&body)?;
    let paise = to_paise(amount);
    if paise <= 0 {
        return Err(ApiError::bad_request("amount: must be above zero"));
    }
    let given = pg_transaction_id
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty());
    if let Some(id) = &given
        && id.chars().count() > MAX_ID_LENGTH
    {
        return Err(ApiError::bad_request(format!(
            "pg_transaction_id: at most {MAX_ID_LENGTH} characters"
        )));
    }
    let (id, now) = state
        .db
        .write(|tx| -> Result<_, ApiError> {
            let merchant: i64 = tx
                .prepare_cached("select id from aggrepay_merchants where api_key = ?")?
                .query_row([&api_key], |r| r.get(0))
                .optional()?
                .ok_or_else(|| {
                    ApiError::not_found(format!("no AggrePay merchant with api_key `{api_key}`"))
                })?;
            let now = state.clock.now();
            let mut insert = tx.prepare_cached(
                "insert into aggrepay_pg_transactions \
                 (merchant_id, pg_transaction_id, amount, used, created_at) \
                 values (?, ?, ?, 0, ?)",
            )?;
            let mut attempts = 0;
            loop {
                attempts += 1;
                let id = given.clone().unwrap_or_else(|| {
                    format!(
                        "PG{}",
                        rand::rng().random_range(100_000_000_000u64..=999_999_999_999)
                    )
                });
                match insert.execute(rusqlite::params![merchant, id, paise, stamp(now)]) {
                    Ok(_) => return Ok((id, now)),
                    Err(e) if db::is_unique_violation(&e) => {
                        if given.is_some() || attempts >= 10 {
                            return Err(ApiError::conflict(
                                format!("this merchant already has pg_transaction_id `{id}`"),
                                json!({"pg_transaction_id": id}),
                            ));
                        }
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "api_key": api_key,
            "pg_transaction_id": id,
            "amount": amount.to_fixed2(),
            "used": false,
            "created_at": stamp(now),
        })),
    ))
}

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
    now: chrono::DateTime<chrono::Utc>,
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
