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

use super::super::customers::{Authenticated, Customer, resolve};
use super::super::rules;
use super::super::wire::{WalletError, nothing_updated, respond, success};
use super::{MAX_TEXT, optional_text};
use crate::app::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rusqlite::ToSql;
use serde_json::{Value, json};

/// Section 14: every detail, null when unset, in the sample's order.
pub async fn fetchcustomerdetail(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let found = Authenticated::read_with(&state.db, &headers, &body, |conn, merchant, fields| {
        let customer = resolve(conn, merchant, fields, "")?;
        Ok(customer)
    })
    .await;
    respond(found.map(|(salt, customer)| success(&salt, details(&customer), Value::Null)))
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
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let updated = Authenticated::write_with(&state.db, &headers, &body, |tx, merchant, fields| {
        let customer = resolve(tx, merchant, fields, "")?;
        // (field, column) in the document's order.
        let mut changes: Vec<(&'static str, String)> = Vec::new();
        for (field, column) in [("first_name", "first_name"), ("last_name", "last_name")] {
            if let Some(value) = optional_text(fields, field)? {
                changes.push((column, value.to_string()));
            }
        }
        if let Some(email) = fields.get("email_address") {
            rules::email("email_address", email)?;
            rules::max_length("email_address", email, MAX_TEXT)?;
            changes.push(("email", email.to_string()));
        }
        if let Some(date) = fields.get("date_of_birth") {
            let date = rules::date("date_of_birth", date)?;
            changes.push(("date_of_birth", date.format("%Y-%m-%d").to_string()));
        }
        for name in ["address_line_1", "address_line_2", "city"] {
            if let Some(value) = optional_text(fields, name)? {
                changes.push((name, value.to_string()));
            }
        }
        if let Some(pincode) = fields.get("pincode") {
            rules::digits("pincode", pincode, 6)?;
            changes.push(("pincode", pincode.to_string()));
        }
        if let Some(value) = optional_text(fields, "description")? {
            changes.push(("description", value.to_string()));
        }
        if changes.is_empty() {
            return Ok(None);
        }
        // The column names come from the fixed list above, never from the request.
        let assignments: Vec<String> = changes.iter().map(|(c, _)| format!("{c} = ?")).collect();
        let sql = format!(
            "update aggrepay_customers set {} where id = ?",
            assignments.join(", ")
        );
        let mut params: Vec<&dyn ToSql> = changes.iter().map(|(_, v)| v as &dyn ToSql).collect();
        params.push(&customer.row);
        tx.prepare_cached(&sql)?.execute(params.as_slice())?;
        Ok(Some(()))
    })
    .await;
    respond(updated.map(|(salt, updated)| match updated {
        None => nothing_updated(),
        Some(()) => success(&salt, json!({"updated": "true"}), Value::Null),
    }))
}

/// Section 16: `{"customer_id":123123123,"customer_active":"n"}`, the id a JSON number as
/// the sample shows.
pub async fn customerstatus(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let status = Authenticated::write_with(&state.db, &headers, &body, |tx, merchant, fields| {
        let customer = resolve(tx, merchant, fields, "")?;
        let active = match fields.get("customer_active") {
            None => customer.active,
            Some("y") => true,
            Some("n") => false,
            Some(_) => {
                return Err(WalletError::invalid(
                    "The selected customer active is invalid.",
                ));
            }
        };
        // Customer ids are 9 digits (fixtures check them), so this never fails.
        let id: i64 = customer.customer_id.parse().map_err(|_| {
            tracing::error!(id = %customer.customer_id, "aggrepay: non-numeric customer id");
            WalletError::Internal
        })?;
        if active != customer.active {
            tx.prepare_cached("update aggrepay_customers set active = ? where id = ?")?
                .execute(rusqlite::params![active, customer.row])?;
        }
        Ok((id, active))
    })
    .await;
    respond(status.map(|(salt, (id, active))| {
        success(
            &salt,
            json!({"customer_id": id, "customer_active": if active { "y" } else { "n" }}),
            Value::Null,
        )
    }))
}
