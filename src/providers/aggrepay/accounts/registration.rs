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

use super::super::customers::{Authenticated, Merchant, by_mobile};
use super::super::ledger::stamp;
use super::super::rules;
use super::super::wire::{WalletError, respond, success};
use super::otp::{self, Purpose};
use super::{mpin, refuse_magic_mpin, text};
use crate::app::AppState;
use crate::db::{self, DbError};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use rand::Rng;
use rusqlite::{Connection, params};
use serde_json::{Value, json};

/// Section 1: `{"customer_exists":"true"|"false"}`.
pub async fn checkcustomer(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let checked = Authenticated::read_with(&state.db, &headers, &body, |conn, merchant, fields| {
        let mobile = fields
            .get("mobile_number")
            .map(|m| rules::mobile("mobile_number", m))
            .transpose()?;
        let email = fields.get("email");
        if mobile.is_none() && email.is_none() {
            return Err(WalletError::invalid(
                "The mobile number field is required when email is not present.",
            ));
        }
        if let Some(email) = email {
            rules::email("email", email)?;
        }
        let exists = match (mobile, email) {
            (Some(mobile), _) => by_mobile(conn, merchant, &mobile)?.is_some(),
            (None, Some(email)) => email_registered(conn, merchant, email)?,
            (None, None) => false,
        };
        Ok(exists)
    })
    .await;
    respond(checked.map(|(salt, exists)| {
        success(&salt, json!({"customer_exists": flag(exists)}), Value::Null)
    }))
}

/// Section 2: an OTP to a number that is not registered yet.
pub async fn registrationotp(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let sent = Authenticated::write_with(&state.db, &headers, &body, |tx, merchant, fields| {
        let mobile = rules::mobile("mobile_number", rules::required(fields, "mobile_number")?)?;
        let email = rules::required(fields, "email")?;
        rules::email("email", email)?;
        super::text(fields, "email")?;
        if by_mobile(tx, merchant, &mobile)?.is_some() {
            return Ok(false);
        }
        let now = state.clock.now();
        otp::send(
            tx,
            merchant,
            &mobile,
            Some(email),
            Purpose::Registration,
            now,
        )?;
        Ok(true)
    })
    .await;
    respond(sent.map(|(salt, sent)| {
        let data = if sent {
            json!({"customer_exists": "false", "otp_sent": "true"})
        } else {
            json!({"customer_exists": "true", "otp_sent": "false"})
        };
        success(&salt, data, Value::Null)
    }))
}

/// Section 3: a new customer, active, balance 0: `{"customer_id":"784334610"}`.
pub async fn registercustomer(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let registered =
        Authenticated::write_with(&state.db, &headers, &body, |tx, merchant, fields| {
            let mobile = rules::mobile("mobile_number", rules::required(fields, "mobile_number")?)?;
            let code = super::otp(fields)?;
            let first_name = text(fields, "first_name")?;
            let last_name = text(fields, "last_name")?;
            let date_of_birth = fields
                .get("date_of_birth")
                .map(|d| rules::date("date_of_birth", d))
                .transpose()?;
            let mpin = mpin(fields, "mpin")?;
            let posted_email = fields.get("email");
            if let Some(email) = posted_email {
                rules::email("email", email)?;
                text(fields, "email")?;
            }
            refuse_magic_mpin(&[mpin])?;
            if by_mobile(tx, merchant, &mobile)?.is_some() {
                return Err(WalletError::InvalidInputData("Invalid input Data"));
            }
            let now = state.clock.now();
            let otp_email = otp::spend(tx, merchant, &mobile, Purpose::Registration, code, now)?;
            let new = NewCustomer {
                mobile: &mobile,
                email: posted_email.or(otp_email.as_deref()),
                first_name,
                last_name,
                date_of_birth: date_of_birth.map(|d| d.format("%Y-%m-%d").to_string()),
                mpin,
            };
            let customer_id = insert(tx, merchant, &new, now)?;
            Ok(customer_id)
        })
        .await;
    respond(registered.map(|(salt, customer_id)| {
        success(&salt, json!({"customer_id": customer_id}), Value::Null)
    }))
}

fn flag(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

fn email_registered(conn: &Connection, merchant: &Merchant, email: &str) -> Result<bool, DbError> {
    conn.prepare_cached(
        "select exists(select 1 from aggrepay_customers \
         where merchant_id = ? and lower(email) = lower(?))",
    )?
    .query_row(params![merchant.id, email], |r| r.get(0))
}

struct NewCustomer<'a> {
    mobile: &'a str,
    email: Option<&'a str>,
    first_name: &'a str,
    last_name: &'a str,
    date_of_birth: Option<String>,
    mpin: &'a str,
}

/// Inserts the customer under a fresh random 9-digit customer id (unique across merchants);
/// answers the id.
fn insert(
    conn: &Connection,
    merchant: &Merchant,
    new: &NewCustomer<'_>,
    now: DateTime<Utc>,
) -> Result<String, WalletError> {
    let mut insert = conn.prepare_cached(
        "insert into aggrepay_customers (merchant_id, customer_id, mobile_number, email, \
         first_name, last_name, date_of_birth, mpin, active, balance, created_at) \
         values (?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?)",
    )?;
    for _ in 0..20 {
        let customer_id = rand::rng()
            .random_range(100_000_000..=999_999_999u32)
            .to_string();
        let inserted = insert.execute(params![
            merchant.id,
            customer_id,
            new.mobile,
            new.email,
            new.first_name,
            new.last_name,
            new.date_of_birth,
            new.mpin,
            stamp(now),
        ]);
        match inserted {
            Ok(_) => return Ok(customer_id),
            Err(e) if db::is_unique_violation(&e) && names_customer_id(&e) => continue,
            Err(e) if db::is_unique_violation(&e) => {
                return Err(WalletError::InvalidInputData("Invalid input Data"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    tracing::error!("aggrepay: no free customer id after 20 draws");
    Err(WalletError::Internal)
}

/// True when the failed constraint is the one on `customer_id`.
fn names_customer_id(error: &DbError) -> bool {
    matches!(error, DbError::SqliteFailure(_, Some(message)) if message.contains("customer_id"))
}
