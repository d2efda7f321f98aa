//! OTPs (the SMS outbox, `aggrepay_otps`) and MPINs: `customerotp`, `forgotmpin`,
//! `changempin` (sections 17–19).
//!
//! An OTP is 6 digits (the merchant's `fixed_otp` when it has one), valid 10 minutes on the
//! sandbox clock: valid while now < `expires_at`, so 9m59s after it was sent it verifies and
//! at 10m it does not. Sending one marks every earlier one of the same merchant, number and
//! purpose `superseded` (it stays in the outbox); only the last one sent verifies, once. A
//! wrong attempt does not spend the OTP. Registration OTPs and customer OTPs are separate: a
//! registration OTP does not reset an MPIN. OTPs are not part of fixtures or the exported
//! state, so a reset empties the outbox.

use super::super::customers::{Authenticated, Merchant, resolve};
use super::super::ledger::stamp;
use super::super::wire::{WalletError, respond, success};
use super::{mpin, otp, refuse_magic_mpin};
use crate::app::AppState;
use crate::db::DbError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

/// How long an OTP verifies.
pub const VALID_FOR: Duration = Duration::minutes(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `registrationotp`, spent by `registercustomer`.
    Registration,
    /// `customerotp`, spent by `forgotmpin`.
    Customer,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Registration => "registration",
            Purpose::Customer => "customer",
        }
    }
}

/// Sends an OTP to `mobile` (normalised): supersedes the earlier ones of that number and
/// purpose and writes the new one to the outbox. Runs inside the caller's write transaction.
pub fn send(
    conn: &Connection,
    merchant: &Merchant,
    mobile: &str,
    email: Option<&str>,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "update aggrepay_otps set superseded = 1 \
         where merchant_id = ? and mobile_number = ? and purpose = ? and superseded = 0",
    )?
    .execute(params![merchant.id, mobile, purpose.as_str()])?;
    let code = merchant
        .fixed_otp
        .clone()
        .unwrap_or_else(|| rand::rng().random_range(100_000..=999_999).to_string());
    conn.prepare_cached(
        "insert into aggrepay_otps (merchant_id, mobile_number, email, otp, purpose, created_at, \
         expires_at) values (?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        merchant.id,
        mobile,
        email,
        code,
        purpose.as_str(),
        stamp(now),
        stamp(now + VALID_FOR),
    ])?;
    Ok(())
}

/// The last OTP of a number and purpose.
struct LastOtp {
    id: i64,
    otp: String,
    email: Option<String>,
    used: i64,
    expires_at: String,
}

/// Spends `given` if it is the last OTP of that number and purpose, unused and unexpired;
/// else `INVALID-OTP`. Answers the email given with the OTP. Runs inside the caller's write
/// transaction, which makes the OTP used only if it commits.
pub fn spend(
    conn: &Connection,
    merchant: &Merchant,
    mobile: &str,
    purpose: Purpose,
    given: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, WalletError> {
    let last = conn
        .prepare_cached(
            "select id, otp, email, used, expires_at from aggrepay_otps \
             where merchant_id = ? and mobile_number = ? and purpose = ? \
             order by id desc limit 1",
        )?
        .query_row(params![merchant.id, mobile, purpose.as_str()], |r| {
            Ok(LastOtp {
                id: r.get("id")?,
                otp: r.get("otp")?,
                email: r.get("email")?,
                used: r.get("used")?,
                expires_at: r.get("expires_at")?,
            })
        })
        .optional()?
        .ok_or(WalletError::InvalidOtp)?;
    let expires_at = DateTime::parse_from_rfc3339(&last.expires_at)
        .map_err(|e| {
            tracing::error!(%e, "aggrepay: an OTP with a bad expiry time");
            WalletError::Internal
        })?
        .with_timezone(&Utc);
    let usable = last.otp == given && last.used == 0 && now < expires_at;
    if !usable {
        return Err(WalletError::InvalidOtp);
    }
    let spent = conn
        .prepare_cached("update aggrepay_otps set used = 1 where id = ? and used = 0")?
        .execute([last.id])?;
    if spent != 1 {
        return Err(WalletError::InvalidOtp);
    }
    Ok(last.email)
}

/// Section 17, Generate Customer OTP: an OTP for an existing customer (by `customer_id` or
/// `mobile_number`), sent to the customer's number, for `forgotmpin`.
pub async fn customerotp(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let sent = Authenticated::write_with(&state.db, &headers, &body, |tx, merchant, fields| {
        let customer = resolve(tx, merchant, fields, "")?;
        let now = state.clock.now();
        send(
            tx,
            merchant,
            &customer.mobile_number,
            None,
            Purpose::Customer,
            now,
        )?;
        Ok(())
    })
    .await;
    respond(sent.map(|(salt, ())| {
        success(
            &salt,
            json!({"customer_exists": "true", "otp_sent": "true"}),
            Value::Null,
        )
    }))
}

/// Section 18, Forgot MPIN: `otp` (the customer's last `customerotp` OTP) and `new_mpin`
/// (the document misprints the name) set a new MPIN: `{"mpin_updated":"true"}`.
pub async fn forgotmpin(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let updated = Authenticated::write_with(&state.db, &headers, &body, |tx, merchant, fields| {
        let customer = resolve(tx, merchant, fields, "")?;
        let code = otp(fields)?;
        let new_mpin = mpin(fields, "new_mpin")?;
        refuse_magic_mpin(&[new_mpin])?;
        let now = state.clock.now();
        spend(
            tx,
            merchant,
            &customer.mobile_number,
            Purpose::Customer,
            code,
            now,
        )?;
        set_mpin(tx, customer.row, new_mpin)?;
        Ok(())
    })
    .await;
    respond(updated.map(|(salt, ())| mpin_updated(&salt)))
}

/// Section 19, Change MPIN: `old_mpin` must be the current one (else `INVALID-MPIN`),
/// `new_mpin` replaces it: `{"mpin_updated":"true"}`, the shape of the document's sample.
/// The two must differ (Laravel's `different` rule: `The new mpin and old mpin must be
/// different.`).
pub async fn changempin(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let updated = Authenticated::write_with(&state.db, &headers, &body, |tx, merchant, fields| {
        let customer = resolve(tx, merchant, fields, "")?;
        let old_mpin = mpin(fields, "old_mpin")?;
        let new_mpin = mpin(fields, "new_mpin")?;
        if old_mpin == new_mpin {
            return Err(WalletError::invalid(
                "The new mpin and old mpin must be different.",
            ));
        }
        refuse_magic_mpin(&[old_mpin, new_mpin])?;
        if customer.mpin != old_mpin {
            return Err(WalletError::InvalidMpin);
        }
        set_mpin(tx, customer.row, new_mpin)?;
        Ok(())
    })
    .await;
    respond(updated.map(|(salt, ())| mpin_updated(&salt)))
}

fn set_mpin(conn: &Connection, row: i64, mpin: &str) -> Result<(), DbError> {
    conn.prepare_cached("update aggrepay_customers set mpin = ? where id = ?")?
        .execute(params![mpin, row])?;
    Ok(())
}

fn mpin_updated(salt: &str) -> Response {
    success(salt, json!({"mpin_updated": "true"}), Value::Null)
}
