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

use crate::app::AppState;
use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::extract::Authenticated;
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::handlers::{check_credit, check_debit, resolve};
use crate::providers::aggrepay::magic::{PG_PREFIX, refuse_magic_move};
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::store::customers::{Customer, by_customer_id};
use crate::providers::aggrepay::store::ledger::{self, Kind, LedgerError, Movement, Recorded};
use crate::providers::aggrepay::store::{pg_records, sub_merchants};
use crate::providers::aggrepay::wire::{Answer, success};
use axum::extract::State;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};

const NOT_ACTIVE: &str = "Customer is not active";
const NOT_ENOUGH: &str = "Not enough balance in the account";

fn taken() -> AggrePayError {
    AggrePayError::invalid("The merchant transaction id has already been taken.")
}

fn ledger_error(error: LedgerError, short: AggrePayError) -> AggrePayError {
    match error {
        LedgerError::Insufficient => short,
        LedgerError::DuplicateMerchantTransactionId => taken(),
        LedgerError::AlreadyReversed => AggrePayError::AlreadyReversed,
        LedgerError::Database(e) => e.into(),
    }
}

/// `merchant_transaction_id` (required, at most 255 characters, checked before the
/// transaction) must not be used by this merchant yet.
fn fresh_merchant_transaction_id<'a>(
    conn: &Connection,
    merchant: i64,
    id: Result<&'a str, AggrePayError>,
) -> Result<&'a str, AggrePayError> {
    let id = id?;
    if ledger::merchant_transaction_id_used(conn, merchant, id)? {
        Err(taken())
    } else {
        Ok(id)
    }
}

fn merchant_transaction_id(fields: &Fields) -> Result<&str, AggrePayError> {
    rules::required_text(fields, "merchant_transaction_id")
}

fn active(customer: &Customer) -> Result<(), AggrePayError> {
    if customer.active {
        Ok(())
    } else {
        Err(AggrePayError::InvalidInputData(NOT_ACTIVE))
    }
}

fn right_mpin(customer: &Customer, mpin: &str) -> Result<(), AggrePayError> {
    if customer.mpin == mpin {
        Ok(())
    } else {
        Err(AggrePayError::InvalidMpin)
    }
}

fn answered(salt: &str, recorded: Recorded) -> Answer {
    success(
        salt,
        json!({"transaction_id": recorded.transaction_id}),
        Value::Null,
    )
}

/// Loads a wallet after a gateway payment: `{"transaction_id": 843033750}`.
pub async fn creditwallet(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    // Field rules run here, outside the transaction; their results are answered inside it
    // in the document's order, after the lookups that come before them.
    let fields = &auth.fields;
    let amount = rules::required_amount(fields);
    let description = rules::optional_text(fields, "description");
    let merchant_transaction_id = merchant_transaction_id(fields);
    let pg_transaction_id = rules::required_text(fields, "pg_transaction_id");
    let recorded = auth
        .write(&state.db, |tx, merchant, fields| {
            // Read inside the transaction: entries are listed by time, and a time taken
            // before the write lock could be older than a move committed before this one.
            let now = state.clock.now();
            let customer = resolve(tx, merchant, fields, "to_")?;
            let amount = amount?;
            let description = description?;
            let merchant_transaction_id =
                fresh_merchant_transaction_id(tx, merchant.id, merchant_transaction_id)?;
            let pg_transaction_id = pg_transaction_id?;
            let record = pg_records::find(tx, merchant.id, pg_transaction_id)?;
            if record.is_some_and(|r| r.used) {
                return Err(pg_taken());
            }
            active(&customer)?;
            use_pg_record(tx, merchant.id, pg_transaction_id, record, amount, now)?;
            check_credit(tx, &customer, amount, now)?;
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
            .map_err(|e| ledger_error(e, AggrePayError::Internal))?;
            Ok(recorded)
        })
        .await?;
    Ok(answered(auth.salt(), recorded))
}

fn pg_taken() -> AggrePayError {
    AggrePayError::invalid("The pg transaction id has already been taken.")
}

/// Uses the gateway record of a credit (one of this amount), or a magic `PGTEST-` id
/// without one; only when the credit commits.
fn use_pg_record(
    conn: &Connection,
    merchant: i64,
    pg_transaction_id: &str,
    record: Option<pg_records::PgRecord>,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<(), AggrePayError> {
    let used = match record {
        Some(record) if record.amount == amount => pg_records::use_record(conn, record)?,
        None if pg_transaction_id.starts_with(PG_PREFIX) => {
            pg_records::use_magic(conn, merchant, pg_transaction_id, amount, now)?
        }
        _ => return Err(AggrePayError::NoPgTransactionRecord),
    };
    if used { Ok(()) } else { Err(pg_taken()) }
}

/// A customer pays the merchant (C2M): `{"transaction_id": 654561373}`.
pub async fn debitwallet(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let fields = &auth.fields;
    let sub_merchant = fields.get("to_sub_merchant_id").map(sub_merchant_number);
    let description = rules::optional_text(fields, "description");
    let mpin = rules::required_mpin(fields, "mpin");
    let amount = rules::required_amount(fields);
    let merchant_transaction_id = merchant_transaction_id(fields);
    let recorded = auth
        .write(&state.db, |tx, merchant, fields| {
            // Read inside the transaction: entries are listed by time, and a time taken
            // before the write lock could be older than a move committed before this one.
            let now = state.clock.now();
            let sub_merchant = match sub_merchant {
                None => None,
                Some(number) => Some(known_sub_merchant(tx, merchant.id, number?)?),
            };
            let customer = resolve(tx, merchant, fields, "from_")?;
            let description = description?;
            let mpin = mpin?;
            let amount = amount?;
            let merchant_transaction_id =
                fresh_merchant_transaction_id(tx, merchant.id, merchant_transaction_id)?;
            refuse_magic_move(amount, mpin)?;
            active(&customer)?;
            right_mpin(&customer, mpin)?;
            if customer.balance < amount {
                return Err(AggrePayError::InvalidInputData(NOT_ENOUGH));
            }
            check_debit(tx, &customer, amount, now)?;
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
            .map_err(|e| ledger_error(e, AggrePayError::InvalidInputData(NOT_ENOUGH)))?;
            Ok(recorded)
        })
        .await?;
    Ok(answered(auth.salt(), recorded))
}

fn unknown_sub_merchant() -> AggrePayError {
    AggrePayError::invalid("The selected to sub merchant id is invalid.")
}

/// `to_sub_merchant_id`: a whole number...
fn sub_merchant_number(text: &str) -> Result<i64, AggrePayError> {
    text.parse().map_err(|_| unknown_sub_merchant())
}

/// ... of one of this merchant's sub merchants.
fn known_sub_merchant(conn: &Connection, merchant: i64, number: i64) -> Result<i64, AggrePayError> {
    if sub_merchants::exists(conn, merchant, number)? {
        Ok(number)
    } else {
        Err(unknown_sub_merchant())
    }
}

/// A customer pays another (C2C): one DEBIT and one CREDIT entry, one transaction id.
pub async fn wallettowallet(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let fields = &auth.fields;
    let from_id = rules::required(fields, "from_customer_id");
    let to_id = rules::required(fields, "to_customer_id");
    let description = rules::optional_text(fields, "description");
    let mpin = rules::required_mpin(fields, "mpin");
    let merchant_transaction_id = merchant_transaction_id(fields);
    let amount = rules::required_amount(fields);
    let recorded = auth
        .write(&state.db, |tx, merchant, _| {
            // Read inside the transaction: entries are listed by time, and a time taken
            // before the write lock could be older than a move committed before this one.
            let now = state.clock.now();
            let from_id = from_id?;
            let from = by_customer_id(tx, merchant, from_id)?.ok_or_else(|| {
                AggrePayError::invalid("The selected from customer id is invalid.")
            })?;
            let to_id = to_id?;
            if to_id == from_id {
                return Err(AggrePayError::invalid(
                    "The to customer id and from customer id must be different.",
                ));
            }
            let to = by_customer_id(tx, merchant, to_id)?
                .ok_or_else(|| AggrePayError::invalid("The selected to customer id is invalid."))?;
            let description = description?;
            let mpin = mpin?;
            let merchant_transaction_id =
                fresh_merchant_transaction_id(tx, merchant.id, merchant_transaction_id)?;
            let amount = amount?;
            refuse_magic_move(amount, mpin)?;
            active(&from)?;
            active(&to)?;
            right_mpin(&from, mpin)?;
            if from.balance < amount {
                return Err(AggrePayError::InsufficientFund);
            }
            check_debit(tx, &from, amount, now)?;
            check_credit(tx, &to, amount, now)?;
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
            .map_err(|e| ledger_error(e, AggrePayError::InsufficientFund))?;
            Ok(recorded)
        })
        .await?;
    Ok(answered(auth.salt(), recorded))
}

/// Gives a `debitwallet` back:
/// `{"merchant_transaction_id":"<original>_REVERSAL","transaction_id":537601231}`.
pub async fn debitreversal(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let fields = &auth.fields;
    let original_id = rules::required(fields, "merchant_transaction_id");
    let given_transaction_id = fields.get("transaction_id").map(|t| t.parse::<i64>().ok());
    let description_field = if fields.get("description").is_some() {
        "description"
    } else {
        "Description"
    };
    let description = rules::optional_text(fields, description_field);
    let (reversal_id, recorded) = auth
        .write(&state.db, |tx, merchant, _| {
            // Read inside the transaction: entries are listed by time, and a time taken
            // before the write lock could be older than a move committed before this one.
            let now = state.clock.now();
            let original_id = original_id?;
            let original = ledger::debit_of(tx, merchant.id, original_id)?.ok_or_else(|| {
                AggrePayError::invalid("The selected merchant transaction id is invalid.")
            })?;
            if let Some(given) = given_transaction_id
                && given != Some(original.transaction_id)
            {
                return Err(AggrePayError::invalid(
                    "The selected transaction id is invalid.",
                ));
            }
            let description = description?;
            if ledger::is_reversed(tx, original.id)? {
                return Err(AggrePayError::AlreadyReversed);
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
            .map_err(|e| ledger_error(e, AggrePayError::Internal))?;
            Ok((reversal_id, recorded))
        })
        .await?;
    let data =
        json!({"merchant_transaction_id": reversal_id, "transaction_id": recorded.transaction_id});
    Ok(success(auth.salt(), data, Value::Null))
}
