//! Registration: `checkcustomer`, `registrationotp`, `registercustomer` (sections 1–3).
//!
//! Decisions where the document is silent or contradicts itself:
//! - `checkcustomer` looks a customer up by `mobile_number`, or by `email` (case-insensitive)
//!   when no mobile number is given; with neither: `The mobile number field is required when
//!   email is not present.` (Laravel's `required_without`). A given email must be valid.
//! - `registrationotp` needs `mobile_number` (`The mobile number field is required.`: the
//!   OTP goes to it) and, as the document's table says, `email` (`The email field is
//!   required.`), which is remembered with the OTP and becomes the new customer's email.
//! - `registercustomer` needs `mobile_number`, `otp`, `first_name`, `last_name`, `mpin`;
//!   `date_of_birth` (`Y-m-d`) is optional; an `email` posted here (optional, valid) wins
//!   over the one given with the OTP. An already registered number answers
//!   `INVALID-INPUT-DATA` before the OTP is looked at (and the OTP stays unspent).
//! - Two registrations of one number at the same time: both run in `BEGIN IMMEDIATE`
//!   transactions and `(merchant_id, mobile_number)` is unique, so exactly one succeeds; the
//!   other answers `INVALID-INPUT-DATA` (or `INVALID-OTP`).

use crate::app::AppState;
use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::extract::Authenticated;
use crate::providers::aggrepay::handlers::otp::{self, Purpose};
use crate::providers::aggrepay::magic::refuse_magic_mpin;
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::store::customers::{self, Inserted, NewCustomer, by_mobile};
use crate::providers::aggrepay::wire::{Answer, success};
use axum::extract::State;
use serde_json::{Value, json};

/// Section 1: `{"customer_exists":"true"|"false"}`.
pub async fn checkcustomer(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let fields = &auth.fields;
    let mobile = fields
        .get("mobile_number")
        .map(|m| rules::mobile("mobile_number", m))
        .transpose()?;
    let email = fields.get("email");
    if let Some(email) = email {
        rules::email("email", email)?;
    }
    let exists = auth
        .read(&state.db, |conn, merchant, _| match (&mobile, email) {
            (Some(mobile), _) => Ok(by_mobile(conn, merchant, mobile)?.is_some()),
            (None, Some(email)) => Ok(customers::email_registered(conn, merchant.id, email)?),
            (None, None) => Err(AggrePayError::invalid(
                "The mobile number field is required when email is not present.",
            )),
        })
        .await?;
    let data = json!({"customer_exists": flag(exists)});
    Ok(success(auth.salt(), data, Value::Null))
}

/// Section 2: an OTP to a number that is not registered yet.
pub async fn registrationotp(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let fields = &auth.fields;
    let mobile = rules::mobile("mobile_number", rules::required(fields, "mobile_number")?)?;
    let email = rules::required(fields, "email")?;
    rules::email("email", email)?;
    rules::required_text(fields, "email")?;
    let now = state.clock.now();
    let code = otp::draw(&auth.merchant);
    let sent = auth
        .write(&state.db, |tx, merchant, _| {
            if by_mobile(tx, merchant, &mobile)?.is_some() {
                return Ok(false);
            }
            otp::send(
                tx,
                merchant,
                &mobile,
                Some(email),
                Purpose::Registration,
                &code,
                now,
            )?;
            Ok(true)
        })
        .await?;
    let data = if sent {
        json!({"customer_exists": "false", "otp_sent": "true"})
    } else {
        json!({"customer_exists": "true", "otp_sent": "false"})
    };
    Ok(success(auth.salt(), data, Value::Null))
}

/// Section 3: a new customer, active, balance 0: `{"customer_id":"784334610"}`.
pub async fn registercustomer(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let fields = &auth.fields;
    let mobile = rules::mobile("mobile_number", rules::required(fields, "mobile_number")?)?;
    let code = rules::required_otp(fields)?;
    let first_name = rules::required_text(fields, "first_name")?;
    let last_name = rules::required_text(fields, "last_name")?;
    let date_of_birth = fields
        .get("date_of_birth")
        .map(|d| rules::date("date_of_birth", d))
        .transpose()?;
    let mpin = rules::required_mpin(fields, "mpin")?;
    let posted_email = fields.get("email");
    if let Some(email) = posted_email {
        rules::email("email", email)?;
        rules::required_text(fields, "email")?;
    }
    refuse_magic_mpin(&[mpin])?;
    let now = state.clock.now();
    let customer_id = auth
        .write(&state.db, |tx, merchant, _| {
            if by_mobile(tx, merchant, &mobile)?.is_some() {
                return Err(AggrePayError::InvalidInputData("Invalid input Data"));
            }
            let otp_email = otp::spend(tx, merchant, &mobile, Purpose::Registration, code, now)?;
            let new = NewCustomer {
                mobile: &mobile,
                email: posted_email.or(otp_email.as_deref()),
                first_name,
                last_name,
                date_of_birth: date_of_birth.map(|d| d.format("%Y-%m-%d").to_string()),
                mpin,
            };
            match customers::insert(tx, merchant.id, &new, now)? {
                Inserted::Id(id) => Ok(id),
                Inserted::MobileTaken => Err(AggrePayError::InvalidInputData("Invalid input Data")),
                Inserted::NoFreeId => {
                    tracing::error!("aggrepay: no free customer id after 20 draws");
                    Err(AggrePayError::Internal)
                }
            }
        })
        .await?;
    Ok(success(
        auth.salt(),
        json!({"customer_id": customer_id}),
        Value::Null,
    ))
}

fn flag(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}
