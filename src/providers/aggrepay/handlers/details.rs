//! A customer's details and status: `fetchcustomerdetail`, `updatecustomer`,
//! `customerstatus` (sections 14–16).
//!
//! Decisions where the document is silent:
//! - `updatecustomer` changes the fields given, in the document's order of validation
//!   (`first_name`, `last_name`, `email_address`, `date_of_birth`, `address_line_1`,
//!   `address_line_2`, `city`, `pincode` (6 digits: `The pincode must be 6 digits.`),
//!   `description`). An empty value is absent (Laravel), so a field cannot be cleared. With
//!   no field to change it answers the document's "failed to update", all null and no hash.
//!   A value equal to the stored one still counts as an update (`{"updated":"true"}`).
//! - `customerstatus` without `customer_active` reads; with `y` / `n` (lower case, Laravel's
//!   `in:y,n`, else `The selected customer active is invalid.`) it sets, and answers the
//!   status after the change.

use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::extract::Authenticated;
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::handlers::resolve;
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::store::customers::{self, Customer};
use crate::providers::aggrepay::wire::{Answer, nothing_updated, success};
use crate::state::AppState;
use axum::extract::State;
use serde_json::{Value, json};

/// Section 14: every detail, null when unset, in the sample's order.
pub async fn fetchcustomerdetail(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let customer = auth
        .read(&state.db, |conn, merchant, fields| {
            resolve(conn, merchant, fields, "")
        })
        .await?;
    Ok(success(auth.salt(), details(&customer), Value::Null))
}

fn details(c: &Customer) -> Value {
    json!({
        "customer_id": c.customer_id,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "mobile_number": c.mobile_number,
        "email_address": c.email,
        "date_of_birth": c.date_of_birth,
        "address_line_1": c.address_line_1,
        "address_line_2": c.address_line_2,
        "city": c.city,
        "pincode": c.pincode,
        "description": c.description,
    })
}

/// Section 15: `{"updated":"true"}`, or the all-null "failed to update".
pub async fn updatecustomer(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    // Validated before the transaction, answered in the document's order: the customer first.
    let changes = changes(&auth.fields);
    let updated = auth
        .write(&state.db, |tx, merchant, fields| {
            let customer = resolve(tx, merchant, fields, "")?;
            let changes = changes?;
            if changes.is_empty() {
                return Ok(false);
            }
            customers::update(tx, customer.row, &changes)?;
            Ok(true)
        })
        .await?;
    Ok(match updated {
        false => nothing_updated(),
        true => success(auth.salt(), json!({"updated": "true"}), Value::Null),
    })
}

/// The (column, value) changes `updatecustomer` asks for, in the document's order.
fn changes(fields: &Fields) -> Result<Vec<(&'static str, String)>, AggrePayError> {
    let mut changes: Vec<(&'static str, String)> = Vec::new();
    for (field, column) in [("first_name", "first_name"), ("last_name", "last_name")] {
        if let Some(value) = rules::optional_text(fields, field)? {
            changes.push((column, value.to_string()));
        }
    }
    if let Some(email) = fields.get("email_address") {
        rules::email("email_address", email)?;
        rules::max_length("email_address", email, rules::MAX_TEXT)?;
        changes.push(("email", email.to_string()));
    }
    if let Some(date) = fields.get("date_of_birth") {
        let date = rules::date("date_of_birth", date)?;
        changes.push(("date_of_birth", date.format("%Y-%m-%d").to_string()));
    }
    for name in ["address_line_1", "address_line_2", "city"] {
        if let Some(value) = rules::optional_text(fields, name)? {
            changes.push((name, value.to_string()));
        }
    }
    if let Some(pincode) = fields.get("pincode") {
        rules::digits("pincode", pincode, 6)?;
        changes.push(("pincode", pincode.to_string()));
    }
    if let Some(value) = rules::optional_text(fields, "description")? {
        changes.push(("description", value.to_string()));
    }
    Ok(changes)
}

/// Section 16: `{"customer_id":123123123,"customer_active":"n"}`, the id a JSON number as
/// the sample shows.
pub async fn customerstatus(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let wanted = rules::customer_active(&auth.fields);
    let (customer, active) = auth
        .write(&state.db, |tx, merchant, fields| {
            let customer = resolve(tx, merchant, fields, "")?;
            let active = wanted?.unwrap_or(customer.active);
            if active != customer.active {
                customers::set_active(tx, customer.row, active)?;
            }
            Ok((customer, active))
        })
        .await?;
    let status = if active { "y" } else { "n" };
    let data = json!({"customer_id": numeric_id(&customer)?, "customer_active": status});
    Ok(success(auth.salt(), data, Value::Null))
}

/// The customer's id as a JSON number. Customer ids are 9 digits (fixtures check them), so
/// this never fails.
fn numeric_id(customer: &Customer) -> Result<i64, AggrePayError> {
    customer.customer_id.parse().map_err(|_| {
        tracing::error!(id = %customer.customer_id, "aggrepay: non-numeric customer id");
        AggrePayError::Internal
    })
}
