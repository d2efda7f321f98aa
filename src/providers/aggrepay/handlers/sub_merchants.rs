//! Sub merchants: `addsubmerchant`, `getsubmerchants` (sections 20–21).
//!
//! Decisions where the document is silent:
//! - Every field of `addsubmerchant` is required, validated in the document's order:
//!   `mobile_number` (a valid Indian number, stored as `+91XXXXXXXXXX`), `email`, `name`,
//!   `account_number` (9 to 18 digits: `The account number must be between 9 and 18
//!   digits.`), `account_name`, `ifsc_code` (`^[A-Z]{4}0[A-Z0-9]{6}$`, upper case as banks
//!   print it: `The ifsc code format is invalid.`), `bank_name`, `bank_branch`; texts at most
//!   255 characters. Names need not be unique.
//! - Ids are 1, 2, 3… per merchant, the next after the highest.
//! - `getsubmerchants` answers an array of `{"id","name"}` in id order (the document's
//!   sample shows one such object); with none, `NO-SUB-MERCHANT-RECORD`.

use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::extract::Authenticated;
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::store::sub_merchants::{self, NewSubMerchant};
use crate::providers::aggrepay::wire::{Answer, success};
use crate::state::AppState;
use axum::extract::State;
use regex::Regex;
use serde_json::{Value, json};
use std::sync::LazyLock;

static IFSC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z]{4}0[A-Z0-9]{6}$").expect("a valid pattern"));

/// Section 20: `{"sub_merchant_id":1}`.
pub async fn addsubmerchant(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let new = sub_merchant(&auth.fields)?;
    let id = auth
        .write(&state.db, |tx, merchant, _| {
            Ok(sub_merchants::add(
                tx,
                merchant.id,
                &new,
                state.clock.now(),
            )?)
        })
        .await?;
    Ok(success(
        auth.salt(),
        json!({"sub_merchant_id": id}),
        Value::Null,
    ))
}

/// The fields of `addsubmerchant`, in the document's order.
fn sub_merchant(fields: &Fields) -> Result<NewSubMerchant<'_>, AggrePayError> {
    let mobile_number = rules::mobile("mobile_number", rules::required(fields, "mobile_number")?)?;
    let email = rules::required(fields, "email")?;
    rules::email("email", email)?;
    rules::max_length("email", email, rules::MAX_TEXT)?;
    let name = rules::required_text(fields, "name")?;
    let account_number = rules::required(fields, "account_number")?;
    if !(9..=18).contains(&account_number.len())
        || !account_number.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(AggrePayError::invalid(
            "The account number must be between 9 and 18 digits.",
        ));
    }
    let account_name = rules::required_text(fields, "account_name")?;
    let ifsc_code = rules::required(fields, "ifsc_code")?;
    if !IFSC.is_match(ifsc_code) {
        return Err(AggrePayError::invalid("The ifsc code format is invalid."));
    }
    Ok(NewSubMerchant {
        mobile_number,
        email,
        name,
        account_number,
        account_name,
        ifsc_code,
        bank_name: rules::required_text(fields, "bank_name")?,
        bank_branch: rules::required_text(fields, "bank_branch")?,
    })
}

/// Section 21: `[{"id":1,"name":"XYZ"}, ...]`.
pub async fn getsubmerchants(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let list = auth
        .read(&state.db, |conn, merchant, _| {
            Ok(sub_merchants::list(conn, merchant.id)?)
        })
        .await?;
    if list.is_empty() {
        return Err(AggrePayError::NoSubMerchantRecord);
    }
    let list = list
        .into_iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    Ok(success(auth.salt(), Value::Array(list), Value::Null))
}
