//! AggrePay's control-plane actions under `/__sandbox/aggrepay`.
//!
//! `GET /otps`: the SMS outbox, every OTP the sandbox has "sent"
//! (`registrationotp`, `customerotp`), for tests and QA that act as the customer's phone.
//!
//! - `mobile_number` (optional): any form the API accepts (`9900261104`, `09900261104`,
//!   `919900261104`, `+919900261104`; a `+` left unencoded in the query reads as a space and
//!   is forgiven), normalised before matching; a malformed one answers 400. Without it, all.
//! - `api_key` (optional): only that merchant's OTPs; an unknown key answers 404. The outbox
//!   is the sandbox's, not a merchant's (the control plane has no merchant credentials), so
//!   without `api_key` every merchant's OTPs are listed, each naming its merchant's
//!   `api_key`.
//! - Oldest first (ties in time by the order sent). A replaced OTP stays listed with
//!   `"superseded": true`; a spent one has `"used": true`. Times are RFC 3339 in India time.
//!
//! Each entry: `{"mobile_number","otp","purpose","created_at","expires_at","used",
//! "superseded","api_key"}` with `purpose` `registration` or `customer`.

//!
//! `POST /pg-transactions` `{"api_key","amount":"100.00","pg_transaction_id":"PG123"}`
//! records a successful gateway payment of a merchant (the id is optional: `PG` and 12 digits
//! are drawn when it is absent) and answers 201 with the record. An unknown api_key answers
//! 404, an id the merchant already has 409, a bad body 400. A `creditwallet` then uses it once.

use crate::control::{ApiError, parse_json};
use crate::money::Amount;
use crate::providers::aggrepay::amount::to_paise;
use crate::providers::aggrepay::rules::normalize_mobile;
use crate::providers::aggrepay::store::ledger::stamp;
use crate::providers::aggrepay::store::otp_outbox::{self, OutboxEntry};
use crate::providers::aggrepay::store::{merchants, pg_records};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The longest gateway id accepted (the API answers Laravel's `max:255`).
pub const MAX_ID_LENGTH: usize = 255;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// Only OTPs sent to this number (any accepted form).
    mobile_number: Option<String>,
    /// Only this merchant's OTPs.
    api_key: Option<String>,
}

/// One OTP the sandbox has sent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SentOtp {
    mobile_number: String,
    otp: String,
    /// `registration` or `customer`.
    purpose: String,
    created_at: String,
    expires_at: String,
    used: bool,
    superseded: bool,
    api_key: String,
}

/// The SMS outbox, oldest first.
#[utoipa::path(
    get,
    path = "/__sandbox/aggrepay/otps",
    operation_id = "aggrepay_otps",
    tag = "aggrepay",
    params(OutboxQuery),
    responses(
        (status = 200, description = "the OTPs sent, oldest first", body = Vec<SentOtp>),
        (status = 400, description = "a malformed mobile number or query", body = crate::control::ErrorBody),
        (status = 404, description = "no merchant has that api_key", body = crate::control::ErrorBody)
    )
)]
pub async fn otps(
    State(state): State<AppState>,
    query: Result<Query<OutboxQuery>, QueryRejection>,
) -> Result<Json<Vec<SentOtp>>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let mobile = match query.mobile_number.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(given) => Some(normalize_mobile(given).ok_or_else(|| {
            ApiError::bad_request(format!(
                "mobile_number: `{given}` is not an Indian mobile number (10 digits starting \
                 6-9, with +91, 91 or 0 in front accepted)"
            ))
        })?),
    };
    let api_key = query
        .api_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let list = state
        .db
        .read(|conn| -> Result<_, ApiError> {
            let merchant = match api_key {
                None => None,
                Some(key) => Some(merchants::id_by_api_key(conn, key)?.ok_or_else(|| {
                    ApiError::not_found(format!("no AggrePay merchant has api_key `{key}`"))
                })?),
            };
            Ok(otp_outbox::list(conn, mobile.as_deref(), merchant)?)
        })
        .await?;
    Ok(Json(list.into_iter().map(shown).collect()))
}

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

/// A payment-gateway record as the action answers it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PgRecord {
    api_key: String,
    pg_transaction_id: String,
    /// Rupees with two decimals, e.g. `"250.00"`.
    amount: String,
    used: bool,
    created_at: String,
}

/// Records a payment-gateway transaction that `creditwallet` may then use once.
#[utoipa::path(
    post,
    path = "/__sandbox/aggrepay/pg-transactions",
    operation_id = "aggrepay_create_pg_transaction",
    tag = "aggrepay",
    request_body = NewRecord,
    responses(
        (status = 201, description = "the record", body = PgRecord),
        (status = 400, body = crate::control::ErrorBody),
        (status = 404, body = crate::control::ErrorBody),
        (status = 409, body = crate::control::ErrorBody)
    )
)]
pub async fn create_pg_transaction(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<PgRecord>), ApiError> {
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
    // The time is read inside the write, so stored times follow commit order.
    let (id, now) = state
        .db
        .write(|tx| -> Result<_, ApiError> {
            let now = state.clock.now();
            let merchant = merchants::id_by_api_key(tx, &api_key)?.ok_or_else(|| {
                ApiError::not_found(format!("no AggrePay merchant with api_key `{api_key}`"))
            })?;
            let inserted = pg_records::insert_new(tx, merchant, given.as_deref(), paise, now)?;
            let id = inserted.map_err(|id| {
                ApiError::conflict(
                    format!("this merchant already has pg_transaction_id `{id}`"),
                    json!({"pg_transaction_id": id}),
                )
            })?;
            Ok((id, now))
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PgRecord {
            api_key,
            pg_transaction_id: id,
            amount: amount.to_fixed2(),
            used: false,
            created_at: stamp(now),
        }),
    ))
}

/// An outbox entry as the action shows it.
fn shown(entry: OutboxEntry) -> SentOtp {
    SentOtp {
        mobile_number: entry.mobile_number,
        otp: entry.otp,
        purpose: entry.purpose,
        created_at: india_time(entry.created_at),
        expires_at: india_time(entry.expires_at),
        used: entry.used,
        superseded: entry.superseded,
        api_key: entry.api_key,
    }
}

/// A stored RFC 3339 UTC time shown in India time (as the clock shows times: fractions
/// only when there are some).
pub fn india_time(stored: String) -> String {
    match DateTime::parse_from_rfc3339(&stored) {
        Ok(at) => at
            .with_timezone(&Utc)
            .with_timezone(&crate::timezone::india())
            .to_rfc3339_opts(SecondsFormat::AutoSi, false),
        Err(_) => stored,
    }
}
