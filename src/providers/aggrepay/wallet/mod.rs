//! The wallet endpoints: balances and limit checks (here), credits, debits, transfers and
//! reversals ([`moves`]), and the transaction listings ([`listings`]).
//!
//! Every endpoint checks, in this order (spec `aggrepay.md`, Order of checks): the api_key
//! (`UNAUTHORIZED`), the hash (`HASH-MISMATCH`), the fields in the document's order with
//! Laravel's messages (`INVALID-PARAMS`), the magic values, then the business rules (active
//! customer, MPIN, balance, limits). The first failure answers.
//!
//! Writes run in one `BEGIN IMMEDIATE` transaction from the api_key lookup to the ledger
//! write, so every check sees the state the write changes (and a failure writes nothing);
//! reads take the connection once for all their statements.
//!
//! Decisions where the document is silent:
//! - `description` (also `Description` on `debitreversal`), `merchant_transaction_id` and
//!   `pg_transaction_id` are at most 255 characters (Laravel's `max:255`).
//! - `checkcustomercreditlimit` and `checkcustomerdebitlimit` check the limits only: not
//!   whether the customer is active, and (for debits) not the balance, which is no limit.

mod listings;
mod moves;

pub use listings::{fetchbymerchantransactionid, fetchbytransactionid, fetchtransactions};
pub use moves::{creditwallet, debitreversal, debitwallet, wallettowallet};

use super::amount::shown;
use super::customers::{Authenticated, resolve};
use super::limits;
use super::request::Fields;
use super::rules;
use super::wire::{WalletError, respond, success};
use crate::app::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

/// The longest free text accepted in a wallet field.
const MAX_TEXT: usize = 255;

/// `{"balance":"41.0","customer_id":"546693304"}` by `customer_id` or `mobile_number`.
pub async fn fetchbalance(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(balance(&state, &headers, &body).await)
}

async fn balance(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, WalletError> {
    let (salt, customer) =
        Authenticated::read_with(&state.db, headers, body, |conn, merchant, fields| {
            resolve(conn, merchant, fields, "")
        })
        .await?;
    let data = json!({"balance": shown(customer.balance), "customer_id": customer.customer_id});
    Ok(success(&salt, data, Value::Null))
}

/// `"data": true` when `amount` could be credited now (monthly credit limit, balance cap).
pub async fn checkcustomercreditlimit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(check_limit(&state, &headers, &body, Direction::Credit).await)
}

/// `"data": true` when `amount` could be debited now (daily count and amount, month).
pub async fn checkcustomerdebitlimit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(check_limit(&state, &headers, &body, Direction::Debit).await)
}

#[derive(Clone, Copy)]
enum Direction {
    Credit,
    Debit,
}

async fn check_limit(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
    direction: Direction,
) -> Result<Response, WalletError> {
    let (salt, ()) =
        Authenticated::read_with(&state.db, headers, body, |conn, merchant, fields| {
            let customer = resolve(conn, merchant, fields, "")?;
            let amount = amount(fields)?;
            let now = state.clock.now();
            match direction {
                Direction::Credit => limits::check_credit(conn, &customer, amount, now)?,
                Direction::Debit => limits::check_debit(conn, &customer, amount, now)?,
            }
            Ok(())
        })
        .await?;
    Ok(success(&salt, Value::Bool(true), Value::Null))
}

/// `amount`: required, a number above zero with at most two decimals; paise.
fn amount(fields: &Fields) -> Result<i64, WalletError> {
    rules::amount("amount", rules::required(fields, "amount")?)
}

/// An optional free-text field, at most [`MAX_TEXT`] characters.
fn optional_text<'a>(fields: &'a Fields, name: &str) -> Result<Option<&'a str>, WalletError> {
    let value = fields.get(name);
    if let Some(text) = value {
        rules::max_length(name, text, MAX_TEXT)?;
    }
    Ok(value)
}

/// A required free-text field, at most [`MAX_TEXT`] characters.
fn required_text<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, WalletError> {
    let text = rules::required(fields, name)?;
    rules::max_length(name, text, MAX_TEXT)?;
    Ok(text)
}
