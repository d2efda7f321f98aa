//! `GET /__sandbox/aggrepay/otps`: the SMS outbox, every OTP the sandbox has "sent"
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

use super::rules::normalize_mobile;
use crate::app::AppState;
use crate::control::ApiError;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

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
        .read(|conn| -> Result<Vec<SentOtp>, ApiError> {
            let merchant: Option<i64> = match api_key {
                None => None,
                Some(key) => Some(
                    conn.prepare_cached("select id from aggrepay_merchants where api_key = ?")?
                        .query_row([key], |r| r.get(0))
                        .optional()?
                        .ok_or_else(|| {
                            ApiError::not_found(format!("no AggrePay merchant has api_key `{key}`"))
                        })?,
                ),
            };
            let list = conn
                .prepare_cached(
                    "select o.mobile_number, o.otp, o.purpose, o.created_at, o.expires_at, \
                     o.used, o.superseded, m.api_key from aggrepay_otps o \
                     join aggrepay_merchants m on m.id = o.merchant_id \
                     where (?1 is null or o.mobile_number = ?1) \
                     and (?2 is null or o.merchant_id = ?2) \
                     order by o.created_at, o.id",
                )?
                .query_map(rusqlite::params![mobile, merchant], |r| {
                    Ok(SentOtp {
                        mobile_number: r.get("mobile_number")?,
                        otp: r.get("otp")?,
                        purpose: r.get("purpose")?,
                        created_at: india_time(r.get("created_at")?),
                        expires_at: india_time(r.get("expires_at")?),
                        used: r.get::<_, i64>("used")? != 0,
                        superseded: r.get::<_, i64>("superseded")? != 0,
                        api_key: r.get("api_key")?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(list)
        })
        .await?;
    Ok(Json(list))
}

/// A stored RFC 3339 UTC time shown in India time (as the clock shows times: fractions
/// only when there are some).
fn india_time(stored: String) -> String {
    match DateTime::parse_from_rfc3339(&stored) {
        Ok(at) => at
            .with_timezone(&Utc)
            .with_timezone(&crate::timezone::india())
            .to_rfc3339_opts(SecondsFormat::AutoSi, false),
        Err(_) => stored,
    }
}
