//! Money moves: `creditwallet` (M2C), `debitwallet` (C2M), `wallettowallet` (C2C) and
//! `debitreversal` (REVERSAL), each one ledger write in one write transaction.
//!
//! - A used `merchant_transaction_id` is a validation error (`The merchant transaction id has
//!   already been taken.`), checked at its place in the field order; two simultaneous
//!   requests with one id both pass that read only in turn (the write lock is taken first),
//!   and the ledger's UNIQUE index answers the same message should one ever slip through.
//! - Magic values, right after validation: `amount` 999.99 on a debit or transfer answers
//!   `INTERNAL-ERROR` and writes nothing (it is checked before the `mpin` `0000`, which is
//!   never a valid MPIN).
//! - Business rules in the spec's order: customer active (sender, then receiver), MPIN,
//!   balance, limits (sender's debit limits, then the receiver's credit limits).
//! - `creditwallet`: the customer's activity is checked before the gateway record, which is
//!   checked before the limits; the record is used (marked) only when the credit commits.
//! - `debitreversal` needs no active customer, counts as no credit and ignores the balance
//!   cap: it gives back what the wallet held. Its transaction's `merchant_transaction_id` is
//!   `<original>_REVERSAL`; should the merchant already have used that id for something
//!   else, the reversal answers `The merchant transaction id has already been taken.`
//! - `wallettowallet` names both wallets by customer id only, as the document lists its
//!   fields (`The from customer id field is required.`); the other endpoints also take the
//!   documented `*_mobile_number` alternative.
//! - `to_sub_merchant_id`, when given, must be one of this merchant's sub merchants (a
//!   whole number); anything else is `The selected to sub merchant id is invalid.`

use super::{amount, optional_text, required_text};
use crate::app::AppState;
use crate::providers::aggrepay::customers::{Authenticated, Customer, by_customer_id, resolve};
use crate::providers::aggrepay::ledger::{self, Kind, LedgerError, Movement, Recorded};
use crate::providers::aggrepay::limits;
use crate::providers::aggrepay::pg_records::{self, MAGIC_PREFIX};
use crate::providers::aggrepay::request::Fields;
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::wire::{WalletError, respond, success};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

/// `amount` 999.99 on a debit or a transfer: the outage answer.
const OUTAGE_PAISE: i64 = 99_999;
/// Never a valid MPIN.
const NEVER_MPIN: &str = "0000";

const NOT_ACTIVE: &str = "Customer is not active";
const NOT_ENOUGH: &str = "Not enough balance in the account";

fn taken() -> WalletError {
    WalletError::invalid("The merchant transaction id has already been taken.")
}

fn ledger_error(error: LedgerError, short: WalletError) -> WalletError {
    match error {
        LedgerError::Insufficient => short,
        LedgerError::DuplicateMerchantTransactionId => taken(),
        LedgerError::AlreadyReversed => WalletError::AlreadyReversed,
        LedgerError::Database(e) => e.into(),
    }
}

/// `merchant_transaction_id`: required, at most 255 characters, not used by this merchant.
fn fresh_merchant_transaction_id<'a>(
    conn: &Connection,
    merchant: i64,
    fields: &'a Fields,
) -> Result<&'a str, WalletError> {
    let id = required_text(fields, "merchant_transaction_id")?;
    let used: bool = conn
        .prepare_cached(
            "select exists(select 1 from aggrepay_transactions where merchant_id = ? and merchant_transaction_id = ?)",
        )?
        .query_row(params![merchant, id], |r| r.get(0))?;
    if used { Err(taken()) } else { Ok(id) }
}

/// `mpin`: required, 4 digits.
fn mpin(fields: &Fields) -> Result<&str, WalletError> {
    let mpin = rules::required(fields, "mpin")?;
    rules::digits("mpin", mpin, 4)?;
    Ok(mpin)
}

/// The magic values of a debit or transfer.
fn magic(amount: i64, mpin: &str) -> Result<(), WalletError> {
    if amount == OUTAGE_PAISE {
        return Err(WalletError::Internal);
    }
    if mpin == NEVER_MPIN {
        return Err(WalletError::InvalidMpin);
    }
    Ok(())
}

fn active(customer: &Customer) -> Result<(), WalletError> {
    if customer.active {
        Ok(())
    } else {
        Err(WalletError::InvalidInputData(NOT_ACTIVE))
    }
}

fn right_mpin(customer: &Customer, mpin: &str) -> Result<(), WalletError> {
    if customer.mpin == mpin {
        Ok(())
    } else {
        Err(WalletError::InvalidMpin)
    }
}

fn answered((salt, recorded): (String, Recorded)) -> Response {
    success(
        &salt,
        json!({"transaction_id": recorded.transaction_id}),
        Value::Null,
    )
}

/// Loads a wallet after a gateway payment: `{"transaction_id": 843033750}`.
pub async fn creditwallet(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(credit(&state, &headers, &body).await)
}

async fn credit(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, WalletError> {
    let answer = Authenticated::write_with(&state.db, headers, body, |tx, merchant, fields| {
        let now = state.clock.now();
        let customer = resolve(tx, merchant, fields, "to_")?;
        let amount = amount(fields)?;
        let description = optional_text(fields, "description")?;
        let merchant_transaction_id = fresh_merchant_transaction_id(tx, merchant.id, fields)?;
        let pg_transaction_id = required_text(fields, "pg_transaction_id")?;
        let record = pg_records::find(tx, merchant.id, pg_transaction_id)?;
        let already_taken =
            || WalletError::invalid("The pg transaction id has already been taken.");
        if record.is_some_and(|r| r.used) {
            return Err(already_taken());
        }
        active(&customer)?;
        match record {
            Some(record) if record.amount == amount => {
                if !pg_records::use_record(tx, record)? {
                    return Err(already_taken());
                }
            }
            None if pg_transaction_id.starts_with(MAGIC_PREFIX) => {
                if !pg_records::use_magic(tx, merchant.id, pg_transaction_id, amount, now)? {
                    return Err(already_taken());
                }
            }
            _ => return Err(WalletError::NoPgTransactionRecord),
        }
        limits::check_credit(tx, &customer, amount, now)?;
        let recorded = ledger::record(
            tx,
            &Movement {
                merchant_transaction_id: Some(merchant_transaction_id),
                description,
                pg_transaction_id: Some(pg_transaction_id),
                credit: Some(customer.row),
                ..Movement::new(merchant.id, Kind::M2C, amount, now)
            },
        )
        .map_err(|e| ledger_error(e, WalletError::Internal))?;
        Ok(recorded)
    })
    .await?;
    Ok(answered(answer))
}

/// A customer pays the merchant (C2M): `{"transaction_id": 654561373}`.
pub async fn debitwallet(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(debit(&state, &headers, &body).await)
}

async fn debit(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, WalletError> {
    let answer = Authenticated::write_with(&state.db, headers, body, |tx, merchant, fields| {
        let now = state.clock.now();
        let sub_merchant = match fields.get("to_sub_merchant_id") {
            None => None,
            Some(text) => Some(sub_merchant(tx, merchant.id, text)?),
        };
        let customer = resolve(tx, merchant, fields, "from_")?;
        let description = optional_text(fields, "description")?;
        let mpin = mpin(fields)?;
        let amount = amount(fields)?;
        let merchant_transaction_id = fresh_merchant_transaction_id(tx, merchant.id, fields)?;
        magic(amount, mpin)?;
        active(&customer)?;
        right_mpin(&customer, mpin)?;
        if customer.balance < amount {
            return Err(WalletError::InvalidInputData(NOT_ENOUGH));
        }
        limits::check_debit(tx, &customer, amount, now)?;
        let recorded = ledger::record(
            tx,
            &Movement {
                merchant_transaction_id: Some(merchant_transaction_id),
                description,
                to_sub_merchant_id: sub_merchant,
                debit: Some(customer.row),
                ..Movement::new(merchant.id, Kind::C2M, amount, now)
            },
        )
        .map_err(|e| ledger_error(e, WalletError::InvalidInputData(NOT_ENOUGH)))?;
        Ok(recorded)
    })
    .await?;
    Ok(answered(answer))
}

/// One of this merchant's sub merchant numbers.
fn sub_merchant(conn: &Connection, merchant: i64, text: &str) -> Result<i64, WalletError> {
    let invalid = || WalletError::invalid("The selected to sub merchant id is invalid.");
    let number: i64 = text.parse().map_err(|_| invalid())?;
    let known: bool = conn
        .prepare_cached(
            "select exists(select 1 from aggrepay_sub_merchants where merchant_id = ? and sub_merchant_id = ?)",
        )?
        .query_row(params![merchant, number], |r| r.get(0))?;
    if known { Ok(number) } else { Err(invalid()) }
}

/// A customer pays another (C2C): one DEBIT and one CREDIT entry, one transaction id.
pub async fn wallettowallet(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(transfer(&state, &headers, &body).await)
}

async fn transfer(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, WalletError> {
    let answer = Authenticated::write_with(&state.db, headers, body, |tx, merchant, fields| {
        let now = state.clock.now();
        let from_id = rules::required(fields, "from_customer_id")?;
        let from = by_customer_id(tx, merchant, from_id)?
            .ok_or_else(|| WalletError::invalid("The selected from customer id is invalid."))?;
        let to_id = rules::required(fields, "to_customer_id")?;
        if to_id == from_id {
            return Err(WalletError::invalid(
                "The to customer id and from customer id must be different.",
            ));
        }
        let to = by_customer_id(tx, merchant, to_id)?
            .ok_or_else(|| WalletError::invalid("The selected to customer id is invalid."))?;
        let description = optional_text(fields, "description")?;
        let mpin = mpin(fields)?;
        let merchant_transaction_id = fresh_merchant_transaction_id(tx, merchant.id, fields)?;
        let amount = amount(fields)?;
        magic(amount, mpin)?;
        active(&from)?;
        active(&to)?;
        right_mpin(&from, mpin)?;
        if from.balance < amount {
            return Err(WalletError::InsufficientFund);
        }
        limits::check_debit(tx, &from, amount, now)?;
        limits::check_credit(tx, &to, amount, now)?;
        let recorded = ledger::record(
            tx,
            &Movement {
                merchant_transaction_id: Some(merchant_transaction_id),
                description,
                debit: Some(from.row),
                credit: Some(to.row),
                ..Movement::new(merchant.id, Kind::C2C, amount, now)
            },
        )
        .map_err(|e| ledger_error(e, WalletError::InsufficientFund))?;
        Ok(recorded)
    })
    .await?;
    Ok(answered(answer))
}

/// Gives a `debitwallet` back:
/// `{"merchant_transaction_id":"<original>_REVERSAL","transaction_id":537601231}`.
pub async fn debitreversal(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(reversal(&state, &headers, &body).await)
}

struct Original {
    id: i64,
    transaction_id: i64,
    amount: i64,
    customer_row: i64,
}

impl Original {
    fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Original {
            id: row.get("id")?,
            transaction_id: row.get("transaction_id")?,
            amount: row.get("amount")?,
            customer_row: row.get("customer_row")?,
        })
    }
}

async fn reversal(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, WalletError> {
    let (salt, (reversal_id, recorded)) = Authenticated::write_with(&state.db, headers, body, |tx, merchant, fields| {
            let now = state.clock.now();
            let original_id = rules::required(fields, "merchant_transaction_id")?;
            let original = tx
                .prepare_cached(
                    "select t.id, t.transaction_id, t.amount, e.customer_row from aggrepay_transactions t \
                     join aggrepay_entries e on e.transaction_row = t.id and e.payment_type = 'DEBIT' \
                     where t.merchant_id = ? and t.merchant_transaction_id = ? and t.transaction_type = 'C2M'",
                )?
                .query_row(params![merchant.id, original_id], Original::from_row)
                .optional()?
                .ok_or_else(|| {
                    WalletError::invalid("The selected merchant transaction id is invalid.")
                })?;
            if let Some(given) = fields.get("transaction_id")
                && given.parse::<i64>().ok() != Some(original.transaction_id)
            {
                return Err(WalletError::invalid(
                    "The selected transaction id is invalid.",
                ));
            }
            let description_field = if fields.get("description").is_some() {
                "description"
            } else {
                "Description"
            };
            let description = optional_text(fields, description_field)?;
            let reversed: bool = tx
                .prepare_cached(
                    "select exists(select 1 from aggrepay_transactions where reverses = ?)",
                )?
                .query_row(params![original.id], |r| r.get(0))?;
            if reversed {
                return Err(WalletError::AlreadyReversed);
            }
            let reversal_id = format!("{original_id}_REVERSAL");
            let recorded = ledger::record(
                tx,
                &Movement {
                    merchant_transaction_id: Some(&reversal_id),
                    description,
                    reverses: Some(original.id),
                    credit: Some(original.customer_row),
                    ..Movement::new(merchant.id, Kind::Reversal, original.amount, now)
                },
            )
            .map_err(|e| ledger_error(e, WalletError::Internal))?;
            Ok((reversal_id, recorded))
        })
        .await?;
    let data =
        json!({"merchant_transaction_id": reversal_id, "transaction_id": recorded.transaction_id});
    Ok(success(&salt, data, Value::Null))
}
