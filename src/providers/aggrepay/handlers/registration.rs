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

use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::extract::Authenticated;
use crate::providers::aggrepay::handlers::otp::{self, Outgoing, Purpose};
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::store::customers::{self, Inserted, by_mobile};
use crate::providers::aggrepay::wire::{Answer, success};
use crate::state::AppState;
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
    let (mobile, email) = rules::registration_otp_fields(&auth.fields)?;
    let code = otp::draw(&auth.merchant);
    let sent = auth
        .write(&state.db, |tx, merchant, _| {
            if by_mobile(tx, merchant, &mobile)?.is_some() {
                return Ok(false);
            }
            let otp = Outgoing {
                mobile: &mobile,
                email: Some(email),
                purpose: Purpose::Registration,
                code: &code,
            };
            Ok(otp::send(tx, merchant, &otp, state.clock.now()).map(|()| true)?)
        })
        .await?;
    let data = json!({"customer_exists": flag(!sent), "otp_sent": flag(sent)});
    Ok(success(auth.salt(), data, Value::Null))
}

/// Section 3: a new customer, active, balance 0: `{"customer_id":"784334610"}`.
pub async fn registercustomer(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let new = rules::registration(&auth.fields)?;
    let customer_id = auth
        .write(&state.db, |tx, merchant, _| {
            // Read inside the transaction, so stored times follow commit order.
            let now = state.clock.now();
            if by_mobile(tx, merchant, &new.mobile)?.is_some() {
                return Err(AggrePayError::InvalidInputData("Invalid input Data"));
            }
            let code = new.otp;
            let otp_email =
                otp::spend(tx, merchant, &new.mobile, Purpose::Registration, code, now)?;
            let customer = new.customer(otp_email.as_deref());
            inserted(customers::insert(tx, merchant.id, &customer, now)?)
        })
        .await?;
    let data = json!({"customer_id": customer_id});
    Ok(success(auth.salt(), data, Value::Null))
}

/// The new customer's id, or why there is none.
fn inserted(inserted: Inserted) -> Result<String, AggrePayError> {
    match inserted {
        Inserted::Id(id) => Ok(id),
        Inserted::MobileTaken => Err(AggrePayError::InvalidInputData("Invalid input Data")),
        Inserted::NoFreeId => {
            tracing::error!("aggrepay: no free customer id after 20 draws");
            Err(AggrePayError::Internal)
        }
    }
}

fn flag(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}
