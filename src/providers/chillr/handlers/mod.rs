//! The two endpoints of the Chillr mass collect document, checks in the spec's order.

use super::errors::ChillrError;
use super::ids;
use super::lifecycle::{PaymentStatus, Timeline, batch_status, expires_at};
use super::magic;
use super::rules::{format_expiry_date, normalize_msisdn, parse_amount, parse_expiry_date};
use super::store::{self, CustomerRecord, NewBatch, Request, StoredBatch};
use super::wire::{Field, Params};
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::timezone::india;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};
use std::collections::HashSet;

/// The most customers one batch may hold.
const MAX_CUSTOMERS: usize = 10_000;

/// "Create batch": `POST /api/v5/collect`.
pub async fn collect(State(state): State<AppState>, body: Bytes) -> Response {
    respond(create_batch(&state, &Params::read(&body)).await)
}

/// "Status check API": `POST /api/v5/check_collect_status`.
pub async fn check_collect_status(State(state): State<AppState>, body: Bytes) -> Response {
    respond(batch_status_of(&state, &Params::read(&body)).await)
}

fn respond(result: Result<Value, ChillrError>) -> Response {
    match result {
        Ok(body) => Json(body).into_response(),
        Err(error) => error.into_response(),
    }
}

fn required(params: &Params, name: &str, missing: ChillrError) -> Result<Field, ChillrError> {
    match params.field(name) {
        Field::Missing => Err(missing),
        field => Ok(field),
    }
}

/// 57 for an unknown api_key, then 56 for a wrong secret.
fn authenticate(
    conn: &Connection,
    api_key: &Field,
    secret: &Field,
) -> Result<store::Merchant, ChillrError> {
    let merchant = match api_key.text() {
        Some(key) => store::merchant_by_api_key(conn, key)?,
        None => None,
    };
    let merchant = merchant.ok_or(ChillrError::MerchantNotFound)?;
    if secret.text() != Some(merchant.api_secret_key.as_str()) {
        return Err(ChillrError::SecretMismatch);
    }
    Ok(merchant)
}

async fn create_batch(state: &AppState, params: &Params) -> Result<Value, ChillrError> {
    let api_key = required(params, "api_key", ChillrError::ApiKeyMissing)?;
    let secret = required(params, "api_secret_key", ChillrError::ApiSecretKeyMissing)?;
    let name = required(params, "name", ChillrError::NameMissing)?;
    let expiry = required(params, "expiry_date", ChillrError::ExpiryDateMissing)?;
    let customers = params.customers().ok_or(ChillrError::CustomersMissing)?;
    let expiry_date = expiry
        .text()
        .and_then(parse_expiry_date)
        .ok_or(ChillrError::ExpiryDateFormat)?;

    // The checks that need no database run first; their verdict is given after
    // authentication (57 and 56 come before 58 and 59), in the transaction that writes.
    let now = state.clock.now();
    let mut reasons = Vec::new();
    if expiry_date < now.with_timezone(&india()).date_naive() {
        reasons.push("expiry_date should not be a past date".to_string());
    }
    let name = match name {
        Field::Text(name) if name.chars().count() > 100 => {
            reasons.push("name is too long".into());
            name
        }
        Field::Text(name) => name,
        _ => {
            reasons.push("name is not text".into());
            String::new()
        }
    };
    let mut valid = Vec::new();
    if customers.len() > MAX_CUSTOMERS {
        reasons.push("too many customers".into());
    } else {
        let mut seen = HashSet::new();
        for (i, customer) in customers.iter().enumerate() {
            let n = i + 1;
            let msisdn = match customer.field("msisdn") {
                Field::Missing => {
                    reasons.push(format!("customer {n} : mobile number is not present"));
                    None
                }
                field => match field.text().and_then(normalize_msisdn) {
                    Some(msisdn) if !seen.insert(msisdn.clone()) => {
                        reasons.push(format!("customer {n} : duplicate mobile number"));
                        None
                    }
                    Some(msisdn) => Some(msisdn),
                    None => {
                        reasons.push(format!("customer {n} : invalid mobile number"));
                        None
                    }
                },
            };
            let amount = match customer.field("amount") {
                Field::Missing => {
                    reasons.push(format!("customer {n} : amount is not present"));
                    None
                }
                field => match field.text().filter(|t| parse_amount(t).is_some()) {
                    Some(amount) => Some(amount.to_string()),
                    None => {
                        reasons.push(format!("customer {n} : invalid amount"));
                        None
                    }
                },
            };
            if let (Some(msisdn), Some(amount)) = (msisdn, amount) {
                valid.push((msisdn, amount));
            }
        }
    }
    let refusal = if !reasons.is_empty() {
        Some(ChillrError::InvalidParameters(reasons))
    } else if valid
        .iter()
        .any(|(msisdn, _)| msisdn == magic::OUTAGE_MSISDN)
    {
        Some(ChillrError::Internal)
    } else {
        None
    };
    let msisdns: Vec<String> = valid.iter().map(|(m, _)| m.clone()).collect();
    let new = Submitted {
        api_key: &api_key,
        secret: &secret,
        refusal,
        name: &name,
        expiry_date,
        now,
        customers: &valid,
        msisdns: &msisdns,
    };
    let (batch, users) = insert_with_fresh_ids(state, &new).await?;
    let non_chillr: Vec<&String> = msisdns.iter().filter(|m| !users.contains(*m)).collect();
    Ok(json!({
        "status": "success",
        "status_code": 0,
        "message": "Collect batch creation accepted",
        "data": {"batch_id": batch, "non_chillr_customers": non_chillr},
    }))
}

/// A collect request as checked without the database.
struct Submitted<'a> {
    api_key: &'a Field,
    secret: &'a Field,
    /// The answer owed once the merchant is authenticated (58 or 59), if any.
    refusal: Option<ChillrError>,
    name: &'a str,
    expiry_date: NaiveDate,
    now: DateTime<Utc>,
    customers: &'a [(String, String)],
    msisdns: &'a [String],
}

/// Why one attempt at writing a batch failed.
enum Failed {
    Refused(ChillrError),
    Database(DbError),
}

impl From<DbError> for Failed {
    fn from(error: DbError) -> Self {
        Failed::Database(error)
    }
}

impl From<ChillrError> for Failed {
    fn from(error: ChillrError) -> Self {
        Failed::Refused(error)
    }
}

/// Authenticates, finds the Chillr users and writes the batch in one transaction, answering
/// the batch id and the users; on the (astronomically rare) clash of a random id with an
/// existing one, draws new ids and tries again.
async fn insert_with_fresh_ids(
    state: &AppState,
    new: &Submitted<'_>,
) -> Result<(String, HashSet<String>), ChillrError> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let written = state
            .db
            .write(|tx| -> Result<_, Failed> {
                let merchant = authenticate(tx, new.api_key, new.secret)?;
                if let Some(refusal) = &new.refusal {
                    return Err(refusal.clone().into());
                }
                let users = store::chillr_users_among(tx, new.msisdns)?;
                if users.is_empty() {
                    return Err(ChillrError::InvalidParameters(vec![
                        "None of the customers are Chillr users.".into(),
                    ])
                    .into());
                }
                let batch = NewBatch {
                    batch_id: ids::batch_id(new.now),
                    merchant_id: merchant.id,
                    name: new.name.to_string(),
                    expiry_date: new.expiry_date,
                    created_at: new.now,
                    customers: new
                        .customers
                        .iter()
                        .map(|(msisdn, amount)| CustomerRecord {
                            msisdn: msisdn.clone(),
                            amount: amount.clone(),
                            request: users.contains(msisdn).then(|| new_request(msisdn, new.now)),
                        })
                        .collect(),
                };
                store::insert_batch(tx, &batch)?;
                Ok((batch.batch_id, users))
            })
            .await;
        match written {
            Ok(written) => return Ok(written),
            Err(Failed::Database(e)) if db::is_unique_violation(&e) && attempts < 5 => continue,
            Err(Failed::Database(e)) => return Err(e.into()),
            Err(Failed::Refused(e)) => return Err(e),
        }
    }
}

/// A new collect request; the magic msisdns ending `0001` pay at once.
pub fn new_request(msisdn: &str, now: DateTime<Utc>) -> Request {
    let paid_at_once = magic::pays_at_once(msisdn);
    Request {
        transaction_id: ids::transaction_id(),
        status: if paid_at_once {
            PaymentStatus::Paid
        } else {
            PaymentStatus::Pending
        },
        acted_at: paid_at_once.then_some(now),
    }
}

async fn batch_status_of(state: &AppState, params: &Params) -> Result<Value, ChillrError> {
    let api_key = required(params, "api_key", ChillrError::ApiKeyMissing)?;
    let secret = required(params, "api_secret_key", ChillrError::ApiSecretKeyMissing)?;
    let batch_id = required(params, "batch_id", ChillrError::BatchIdMissing)?;
    let batch = state
        .db
        .read(|conn| -> Result<_, ChillrError> {
            let merchant = authenticate(conn, &api_key, &secret)?;
            match batch_id.text() {
                Some(batch_id) => Ok(store::find_batch(conn, batch_id, Some(merchant.id))?),
                None => Ok(None),
            }
        })
        .await?;
    let batch = batch.ok_or(ChillrError::BatchNotFound)?;
    Ok(json!({
        "status": "success",
        "status_code": 0,
        "data": status_view(&batch, state.clock.now()),
    }))
}

/// The status response's `data`: customers in the order submitted, statuses as of `now`.
pub fn status_view(batch: &StoredBatch, now: DateTime<Utc>) -> Value {
    let timeline = timeline(batch, now);
    let mut statuses = Vec::new();
    let customers: Vec<Value> = batch
        .customers
        .iter()
        .map(|customer| match &customer.request {
            Some(request) => {
                let effective =
                    timeline.effective(&customer.msisdn, request.status, request.acted_at);
                statuses.push(effective.status);
                let mut entry = json!({
                    "msisdn": customer.msisdn,
                    "amount": customer.amount,
                    "payment_status": effective.status.as_str(),
                    "transaction_id": request.transaction_id,
                });
                if effective.status == PaymentStatus::Paid
                    && let Some(paid_at) = effective.acted_at
                {
                    entry["paid_at"] = json!(india_time(paid_at));
                }
                entry
            }
            None => json!({"msisdn": customer.msisdn, "message": "Transaction not generated"}),
        })
        .collect();
    let non_chillr: Vec<&str> = batch
        .customers
        .iter()
        .filter(|c| c.request.is_none())
        .map(|c| c.msisdn.as_str())
        .collect();
    json!({
        "batch_id": batch.batch_id,
        "batch_status": batch_status(statuses),
        "name": batch.name,
        "expiry_date": format_expiry_date(batch.expiry_date),
        "customers": customers,
        "non_chillr_customers": non_chillr,
    })
}

pub fn timeline(batch: &StoredBatch, now: DateTime<Utc>) -> Timeline {
    Timeline {
        created_at: batch.created_at,
        expires_at: expires_at(batch.expiry_date),
        now,
    }
}

/// `2016-05-24T12:33:14+05:30`.
pub fn india_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&india())
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}
