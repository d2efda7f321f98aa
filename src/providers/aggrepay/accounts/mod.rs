//! The account side of the wallet: registration with its OTP, customer details and status,
//! the customer OTP with forgot/change MPIN, and sub merchants (document sections 1–3 and
//! 14–21; decisions in the spec `aggrepay.md`).
//!
//! Every handler runs the spec's order of checks: `UNAUTHORIZED`, `HASH-MISMATCH`
//! ([`Authenticated::read`]), the fields in the document's order with Laravel's messages
//! (finding the customer by `customer_id` / `mobile_number` is Laravel's `exists` rule, so it
//! is part of this step, at the place the document lists those fields), magic values, then
//! business rules. A request that writes runs in one `BEGIN IMMEDIATE` transaction from the
//! merchant lookup to the commit, so an error changes nothing and concurrent requests queue.
//!
//! Decisions where the document is silent:
//! - Names, addresses, cities, descriptions and sub-merchant texts are at most 255
//!   characters (Laravel's usual `max:255`: `The first name may not be greater than 255
//!   characters.`); they are stored exactly as posted (trimmed), Unicode included.
//! - An OTP is 6 digits (`The otp must be 6 digits.`); an MPIN 4 digits (`The mpin must be 4
//!   digits.`).
//! - MPIN `0000` is the magic never-valid MPIN: as a current MPIN (`changempin`'s
//!   `old_mpin`) it answers `INVALID-MPIN` / `Invalid MPIN`, and it cannot be set either
//!   (`registercustomer`'s `mpin`, `new_mpin` of `forgotmpin` and `changempin` answer the
//!   same error), so no wallet ever holds it. It is checked right after field validation.
//! - Customers that are not active (`customerstatus` `n`) can still be read, updated, sent an
//!   OTP and change their MPIN: only money movements refuse them.

mod details;
mod otp;
mod registration;
mod sub_merchants;

pub use details::{customerstatus, fetchcustomerdetail, updatecustomer};
pub use otp::{changempin, customerotp, forgotmpin};
pub use registration::{checkcustomer, registercustomer, registrationotp};
pub use sub_merchants::{addsubmerchant, getsubmerchants};

use super::request::Fields;
use super::rules;
use super::wire::WalletError;

/// The magic MPIN that is never valid.
pub const NEVER_VALID_MPIN: &str = "0000";

/// The longest text a name, address or description field takes.
const MAX_TEXT: usize = 255;

/// A required 4-digit MPIN field.
fn mpin<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, WalletError> {
    let value = rules::required(fields, name)?;
    rules::digits(name, value, 4)?;
    Ok(value)
}

/// A required 6-digit OTP field.
fn otp(fields: &Fields) -> Result<&str, WalletError> {
    let value = rules::required(fields, "otp")?;
    rules::digits("otp", value, 6)?;
    Ok(value)
}

/// A required text of at most [`MAX_TEXT`] characters.
fn text<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, WalletError> {
    let value = rules::required(fields, name)?;
    rules::max_length(name, value, MAX_TEXT)?;
    Ok(value)
}

/// An optional text of at most [`MAX_TEXT`] characters.
fn optional_text<'a>(fields: &'a Fields, name: &str) -> Result<Option<&'a str>, WalletError> {
    let value = fields.get(name);
    if let Some(value) = value {
        rules::max_length(name, value, MAX_TEXT)?;
    }
    Ok(value)
}

/// The magic value check: `0000` answers `INVALID-MPIN` wherever an MPIN is given.
fn refuse_magic_mpin(mpins: &[&str]) -> Result<(), WalletError> {
    if mpins.contains(&NEVER_VALID_MPIN) {
        Err(WalletError::InvalidMpin)
    } else {
        Ok(())
    }
}
