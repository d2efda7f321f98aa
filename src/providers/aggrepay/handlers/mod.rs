//! The documented endpoints, one file per group of the document: registration with its OTP
//! ([`registration`]), customer details and status ([`details`]), the customer OTP with
//! forgot/change MPIN ([`otp`]), sub merchants ([`sub_merchants`]), balances and limit checks
//! ([`balances`]), credits, debits, transfers and reversals ([`moves`]), and the transaction
//! listings ([`listings`]). Decisions in the spec `aggrepay.md`.
//!
//! Every handler runs the spec's order of checks: `UNAUTHORIZED`, `HASH-MISMATCH` (the
//! extractor in [`extract`], before any transaction), the fields in the document's order with
//! Laravel's messages (finding the customer by `customer_id` / `mobile_number` is Laravel's
//! `exists` rule, so it is part of this step, at the place the document lists those fields),
//! magic values, then business rules (active customer, MPIN, balance, limits). The first
//! failure answers. A request that writes runs its checks and its write in one `BEGIN
//! IMMEDIATE` transaction, so every check sees the state the write changes, an error changes
//! nothing, and concurrent requests queue.
//!
//! Decisions where the document is silent:
//! - Names, addresses, cities, descriptions, sub-merchant texts, `description` (also
//!   `Description` on `debitreversal`), `merchant_transaction_id` and `pg_transaction_id` are
//!   at most 255 characters (Laravel's usual `max:255`: `The first name may not be greater
//!   than 255 characters.`); they are stored exactly as posted (trimmed), Unicode included.
//! - An OTP is 6 digits (`The otp must be 6 digits.`); an MPIN 4 digits (`The mpin must be 4
//!   digits.`).
//! - MPIN `0000` is the magic never-valid MPIN: as a current MPIN (`changempin`'s
//!   `old_mpin`) it answers `INVALID-MPIN` / `Invalid MPIN`, and it cannot be set either
//!   (`registercustomer`'s `mpin`, `new_mpin` of `forgotmpin` and `changempin` answer the
//!   same error), so no wallet ever holds it. It is checked right after field validation.
//! - Customers that are not active (`customerstatus` `n`) can still be read, updated, sent an
//!   OTP and change their MPIN: only money movements refuse them.
//! - `checkcustomercreditlimit` and `checkcustomerdebitlimit` check the limits only: not
//!   whether the customer is active, and (for debits) not the balance, which is no limit.

mod balances;
mod details;
pub mod extract;
mod listings;
mod moves;
mod otp;
mod registration;
pub mod request;
mod sub_merchants;

pub use balances::{checkcustomercreditlimit, checkcustomerdebitlimit, fetchbalance};
pub use details::{customerstatus, fetchcustomerdetail, updatecustomer};
pub use listings::{fetchbymerchantransactionid, fetchbytransactionid, fetchtransactions};
pub use moves::{creditwallet, debitreversal, debitwallet, wallettowallet};
pub use otp::{changempin, customerotp, forgotmpin};
pub use registration::{checkcustomer, registercustomer, registrationotp};
pub use sub_merchants::{addsubmerchant, getsubmerchants};

use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::rules::{self, label, normalize_mobile};
use crate::providers::aggrepay::store::customers::{Customer, by_customer_id, by_mobile};
use crate::providers::aggrepay::store::limits;
use crate::providers::aggrepay::store::merchants::Merchant;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// Whether `amount` paise may be credited to the customer's wallet now (limits read in the
/// caller's transaction).
fn check_credit(
    conn: &Connection,
    customer: &Customer,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<(), AggrePayError> {
    let current = limits::current(conn, customer.row, now)?;
    rules::credit_allowed(&customer.limits, customer.balance, current, amount)
}

/// Whether `amount` paise may be debited from the customer's wallet now.
fn check_debit(
    conn: &Connection,
    customer: &Customer,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<(), AggrePayError> {
    let current = limits::current(conn, customer.row, now)?;
    rules::debit_allowed(&customer.limits, current, amount)
}

/// The customer a request names by `<prefix>customer_id` or, when that is absent,
/// `<prefix>mobile_number` (prefix `""`, `"from_"`, `"to_"`), with Laravel's messages:
/// `The selected customer id is invalid.`, `The mobile number field contains an invalid
/// number.`, `The selected mobile number is invalid.`, `The mobile number field is required
/// when customer id is not present.`
pub fn resolve(
    conn: &Connection,
    merchant: &Merchant,
    fields: &Fields,
    prefix: &str,
) -> Result<Customer, AggrePayError> {
    let id_field = format!("{prefix}customer_id");
    let mobile_field = format!("{prefix}mobile_number");
    if let Some(id) = fields.get(&id_field) {
        return by_customer_id(conn, merchant, id)?.ok_or_else(|| {
            let message = format!("The selected {} is invalid.", label(&id_field));
            rules::refused(&id_field, Some(id), message)
        });
    }
    let Some(posted) = fields.get(&mobile_field) else {
        let message = format!(
            "The {} field is required when {} is not present.",
            label(&mobile_field),
            label(&id_field)
        );
        return Err(rules::refused(&mobile_field, None, message));
    };
    let mobile = normalize_mobile(posted).ok_or_else(|| {
        let message = format!(
            "The {} field contains an invalid number.",
            label(&mobile_field)
        );
        rules::refused(&mobile_field, Some(posted), message)
    })?;
    by_mobile(conn, merchant, &mobile)?.ok_or_else(|| {
        let message = format!("The selected {} is invalid.", label(&mobile_field));
        rules::refused(&mobile_field, Some(posted), message)
    })
}
