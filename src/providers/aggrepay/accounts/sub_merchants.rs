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

use super::super::customers::Authenticated;
use super::super::ledger::stamp;
use super::super::rules;
use super::super::wire::{WalletError, respond, success};
use super::text;
use crate::app::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use regex::Regex;
use rusqlite::params;
use serde_json::{Value, json};
use std::sync::LazyLock;

static IFSC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z]{4}0[A-Z0-9]{6}$").expect("a valid pattern"));

/// Section 20: `{"sub_merchant_id":1}`.
pub async fn addsubmerchant(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let added = Authenticated::write_with(&state.db, &headers, &body, |tx, merchant, fields| {
        let mobile = rules::mobile("mobile_number", rules::required(fields, "mobile_number")?)?;
        let email = rules::required(fields, "email")?;
        rules::email("email", email)?;
        rules::max_length("email", email, super::MAX_TEXT)?;
        let name = text(fields, "name")?;
        let account_number = rules::required(fields, "account_number")?;
        if !(9..=18).contains(&account_number.len())
            || !account_number.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(WalletError::invalid(
                "The account number must be between 9 and 18 digits.",
            ));
        }
        let account_name = text(fields, "account_name")?;
        let ifsc_code = rules::required(fields, "ifsc_code")?;
        if !IFSC.is_match(ifsc_code) {
            return Err(WalletError::invalid("The ifsc code format is invalid."));
        }
        let bank_name = text(fields, "bank_name")?;
        let bank_branch = text(fields, "bank_branch")?;
        let next: i64 = tx
            .prepare_cached(
                "select coalesce(max(sub_merchant_id), 0) + 1 from aggrepay_sub_merchants \
                     where merchant_id = ?",
            )?
            .query_row([merchant.id], |r| r.get(0))?;
        tx.prepare_cached(
            "insert into aggrepay_sub_merchants (merchant_id, sub_merchant_id, name, \
                 mobile_number, email, account_number, account_name, ifsc_code, bank_name, \
                 bank_branch, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![
            merchant.id,
            next,
            name,
            mobile,
            email,
            account_number,
            account_name,
            ifsc_code,
            bank_name,
            bank_branch,
            stamp(state.clock.now()),
        ])?;
        Ok(next)
    })
    .await;
    respond(added.map(|(salt, next)| success(&salt, json!({"sub_merchant_id": next}), Value::Null)))
}

/// Section 21: `[{"id":1,"name":"XYZ"}, ...]`.
pub async fn getsubmerchants(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let listed = Authenticated::read_with(&state.db, &headers, &body, |conn, merchant, _| {
        let list = conn
            .prepare_cached(
                "select sub_merchant_id, name from aggrepay_sub_merchants \
                     where merchant_id = ? order by sub_merchant_id",
            )?
            .query_map([merchant.id], |r| {
                let id: i64 = r.get("sub_merchant_id")?;
                let name: String = r.get("name")?;
                Ok(json!({"id": id, "name": name}))
            })?
            .collect::<Result<Vec<Value>, _>>()?;
        if list.is_empty() {
            return Err(WalletError::NoSubMerchantRecord);
        }
        Ok(list)
    })
    .await;
    respond(listed.map(|(salt, list)| success(&salt, Value::Array(list), Value::Null)))
}
