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

use crate::db::DbError;
use crate::diagnosis::Diagnosis;
use crate::providers::aggrepay::actions::india_time;
use crate::providers::aggrepay::diagnoses::{
    OTP_EXPIRED, OTP_NOT_SENT, OTP_SUPERSEDED, OTP_USED, OTP_WRONG,
};
use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::extract::Authenticated;
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::handlers::resolve;
use crate::providers::aggrepay::magic::refuse_magic_mpin;
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::store::customers;
use crate::providers::aggrepay::store::ledger::stamp;
use crate::providers::aggrepay::store::merchants::Merchant;
use crate::providers::aggrepay::store::otp_outbox;
pub use crate::providers::aggrepay::store::otp_outbox::Purpose;
use crate::providers::aggrepay::why;
use crate::providers::aggrepay::wire::{Answer, success};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rusqlite::Connection;
use serde_json::{Value, json};

/// How long an OTP verifies.
pub const VALID_FOR: Duration = Duration::minutes(10);

/// A new OTP: the merchant's `fixed_otp` when it has one, else 6 random digits.
pub fn draw(merchant: &Merchant) -> String {
    merchant
        .fixed_otp
        .clone()
        .unwrap_or_else(|| rand::rng().random_range(100_000..=999_999).to_string())
}

/// An OTP to send: `code` to `mobile` (normalised), with the email given with it.
pub struct Outgoing<'a> {
    pub mobile: &'a str,
    pub email: Option<&'a str>,
    pub purpose: Purpose,
    pub code: &'a str,
}

/// Sends an OTP: supersedes the earlier OTPs of that number and purpose and writes the new
/// one to the outbox. Runs inside the caller's write transaction, with `now` read inside it
/// so the outbox's times follow commit order.
pub fn send(
    conn: &Connection,
    merchant: &Merchant,
    otp: &Outgoing<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    otp_outbox::supersede(conn, merchant.id, otp.mobile, otp.purpose)?;
    otp_outbox::insert(
        conn,
        merchant.id,
        otp.mobile,
        otp.email,
        otp.code,
        otp.purpose,
        now,
        now + VALID_FOR,
    )
}

/// Spends `given` if it is the last OTP of that number and purpose, unused and unexpired;
/// else `INVALID-OTP`, saying which of those it was not. Answers the email given with the
/// OTP. Runs inside the caller's write transaction, which makes the OTP used only if it
/// commits.
pub fn spend(
    conn: &Connection,
    merchant: &Merchant,
    mobile: &str,
    purpose: Purpose,
    given: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, AggrePayError> {
    let refused = |diagnosis: Diagnosis| AggrePayError::InvalidOtp.with(diagnosis.field("otp"));
    let Some(last) = otp_outbox::last(conn, merchant.id, mobile, purpose)? else {
        return Err(refused(not_sent(mobile, purpose)));
    };
    let expires_at = DateTime::parse_from_rfc3339(&last.expires_at)
        .map_err(|e| {
            tracing::error!(%e, "aggrepay: an OTP with a bad expiry time");
            AggrePayError::Internal
        })?
        .with_timezone(&Utc);
    // Times as the outbox (GET /__sandbox/aggrepay/otps) and the clock show them.
    let (sent_at, until) = (
        india_time(last.created_at.clone()),
        india_time(last.expires_at.clone()),
    );
    let sent = format!("the OTP sent at {sent_at}");
    if last.otp != given {
        let earlier = otp_outbox::sent_before(conn, merchant.id, mobile, purpose, given, last.id)?;
        let diagnosis = if earlier {
            OTP_SUPERSEDED
                .diagnose()
                .got("*** (an earlier OTP to this number)")
                .hint(format!(
                    "A newer OTP was sent to this number at {} and only the last one \
                     verifies: send that one (GET /__sandbox/aggrepay/otps lists them).",
                    sent_at
                ))
        } else {
            OTP_WRONG.diagnose().got("*** (no OTP sent to this number)")
        };
        return Err(refused(diagnosis.expected(format!("*** ({sent})"))));
    }
    if last.used {
        return Err(refused(
            OTP_USED
                .diagnose()
                .expected(format!("*** ({sent}, unused)")),
        ));
    }
    if now >= expires_at {
        let diagnosis = OTP_EXPIRED
            .diagnose()
            .expected(format!("*** ({sent}), before {until}"))
            .got(format!(
                "*** at {} on the sandbox clock",
                india_time(stamp(now))
            ))
            .hint(format!(
                "The OTP expired at {} on the sandbox clock (valid 10 minutes): ask for a new \
                 one, or move the clock back with POST /__sandbox/clock.",
                until
            ));
        return Err(refused(diagnosis));
    }
    if !otp_outbox::mark_used(conn, last.id)? {
        return Err(refused(OTP_USED.diagnose()));
    }
    Ok(last.email)
}

/// No OTP of `purpose` was sent to `mobile`.
fn not_sent(mobile: &str, purpose: Purpose) -> Diagnosis {
    let (endpoint, other) = match purpose {
        Purpose::Registration => ("registrationotp", "customerotp"),
        Purpose::Customer => ("customerotp", "registrationotp"),
    };
    OTP_NOT_SENT
        .diagnose()
        .expected(format!("an OTP sent to {mobile} by {endpoint}"))
        .got("*** (no such OTP was sent)")
        .hint(format!(
            "No {endpoint} OTP was ever sent to {mobile}: call {endpoint} first (an OTP from \
             {other} does not count)."
        ))
}

/// Section 17, Generate Customer OTP: an OTP for an existing customer (by `customer_id` or
/// `mobile_number`), sent to the customer's number, for `forgotmpin`.
pub async fn customerotp(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let code = draw(&auth.merchant);
    auth.write(&state.db, |tx, merchant, fields| {
        let customer = resolve(tx, merchant, fields, "")?;
        let otp = Outgoing {
            mobile: &customer.mobile_number,
            email: None,
            purpose: Purpose::Customer,
            code: &code,
        };
        Ok(send(tx, merchant, &otp, state.clock.now())?)
    })
    .await?;
    let data = json!({"customer_exists": "true", "otp_sent": "true"});
    Ok(success(auth.salt(), data, Value::Null))
}

/// Section 18, Forgot MPIN: `otp` (the customer's last `customerotp` OTP) and `new_mpin`
/// (the document misprints the name) set a new MPIN: `{"mpin_updated":"true"}`.
pub async fn forgotmpin(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    // Field rules run before the transaction, answered after the customer lookup.
    let code = rules::required_otp(&auth.fields);
    let new_mpin = rules::required_mpin(&auth.fields, "new_mpin");
    let magic = new_mpin
        .as_ref()
        .map_or(Ok(()), |m| refuse_magic_mpin(&[("new_mpin", m)]));
    auth.write(&state.db, |tx, merchant, fields| {
        let now = state.clock.now();
        let customer = resolve(tx, merchant, fields, "")?;
        let code = code?;
        let new_mpin = new_mpin?;
        magic?;
        let mobile = &customer.mobile_number;
        spend(tx, merchant, mobile, Purpose::Customer, code, now)?;
        Ok(customers::set_mpin(tx, customer.row, new_mpin)?)
    })
    .await?;
    Ok(mpin_updated(auth.salt()))
}

/// Section 19, Change MPIN: `old_mpin` must be the current one (else `INVALID-MPIN`),
/// `new_mpin` replaces it: `{"mpin_updated":"true"}`, the shape of the document's sample.
/// The two must differ (Laravel's `different` rule: `The new mpin and old mpin must be
/// different.`).
pub async fn changempin(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let mpins = mpin_change(&auth.fields);
    auth.write(&state.db, |tx, merchant, fields| {
        let customer = resolve(tx, merchant, fields, "")?;
        let (old_mpin, new_mpin) = mpins?;
        if customer.mpin != old_mpin {
            return Err(AggrePayError::InvalidMpin.with(why::wrong_mpin("old_mpin")));
        }
        Ok(customers::set_mpin(tx, customer.row, new_mpin)?)
    })
    .await?;
    Ok(mpin_updated(auth.salt()))
}

/// `old_mpin` and `new_mpin`: 4 digits each, different, neither the magic MPIN.
fn mpin_change(fields: &Fields) -> Result<(&str, &str), AggrePayError> {
    let old_mpin = rules::required_mpin(fields, "old_mpin")?;
    let new_mpin = rules::required_mpin(fields, "new_mpin")?;
    if old_mpin == new_mpin {
        return Err(AggrePayError::invalid(
            "The new mpin and old mpin must be different.",
        ));
    }
    refuse_magic_mpin(&[("old_mpin", old_mpin), ("new_mpin", new_mpin)])?;
    Ok((old_mpin, new_mpin))
}

fn mpin_updated(salt: &str) -> Answer {
    success(salt, json!({"mpin_updated": "true"}), Value::Null)
}
