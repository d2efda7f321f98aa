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

use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::extract::Authenticated;
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::handlers::{check_credit, check_debit, resolve};
use crate::providers::aggrepay::magic::{PG_PREFIX, refuse_magic_move};
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::store::customers::{Customer, by_customer_id};
use crate::providers::aggrepay::store::ledger::{self, Kind, LedgerError, Movement, Recorded};
use crate::providers::aggrepay::store::merchants::Merchant;
use crate::providers::aggrepay::store::{pg_records, sub_merchants};
use crate::providers::aggrepay::wire::{Answer, success};
use crate::state::AppState;
use axum::extract::State;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};

/// Loads a wallet after a gateway payment: `{"transaction_id": 843033750}`.
pub async fn creditwallet(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let credit = rules::credit_fields(&auth.fields);
    let pg_transaction_id = rules::required_text(&auth.fields, "pg_transaction_id");
    let recorded = moved(&state, &auth, |tx, merchant, fields, now| {
        let customer = resolve(tx, merchant, fields, "to_")?;
        let (amount, description, id) = credit?;
        let id = fresh_merchant_transaction_id(tx, merchant.id, id)?;
        let pg_transaction_id = pg_transaction_id?;
        let record = unused_pg_record(tx, merchant.id, pg_transaction_id)?;
        rules::active(&customer)?;
        use_pg_record(tx, merchant.id, pg_transaction_id, record, amount, now)?;
        check_credit(tx, &customer, amount, now)?;
        let movement = Movement {
            pg_transaction_id: Some(pg_transaction_id),
            ..Movement::new(merchant.id, Kind::M2C, amount, now).named(id, description)
        };
        record_movement(
            tx,
            &movement.paid_into(customer.row),
            AggrePayError::Internal,
        )
    })
    .await?;
    Ok(answered(auth.salt(), recorded))
}

/// A customer pays the merchant (C2M): `{"transaction_id": 654561373}`.
pub async fn debitwallet(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let sub_merchant = auth
        .fields
        .get("to_sub_merchant_id")
        .map(sub_merchant_number);
    let debit = rules::debit_fields(&auth.fields);
    let magic = debit
        .as_ref()
        .map_or(Ok(()), |d| refuse_magic_move(d.2, d.1));
    let recorded = moved(&state, &auth, |tx, merchant, fields, now| {
        let sub_merchant = known_sub_merchant(tx, merchant.id, sub_merchant)?;
        let customer = resolve(tx, merchant, fields, "from_")?;
        let (description, mpin, amount, id) = debit?;
        let id = fresh_merchant_transaction_id(tx, merchant.id, id)?;
        magic?;
        rules::may_pay(&customer, None, mpin, amount, not_enough())?;
        check_debit(tx, &customer, amount, now)?;
        let movement = Movement {
            to_sub_merchant_id: sub_merchant,
            ..Movement::new(merchant.id, Kind::C2M, amount, now).named(id, description)
        };
        record_movement(tx, &movement.paid_by(customer.row), not_enough())
    })
    .await?;
    Ok(answered(auth.salt(), recorded))
}

/// A customer pays another (C2C): one DEBIT and one CREDIT entry, one transaction id.
pub async fn wallettowallet(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let ids = rules::transfer_parties(&auth.fields);
    let (transfer, amount, magic) = rules::transfer_fields(&auth.fields);
    let recorded = moved(&state, &auth, |tx, merchant, _, now| {
        let (from, to) = parties(tx, merchant, ids)?;
        let (description, mpin, id) = transfer?;
        let id = fresh_merchant_transaction_id(tx, merchant.id, id)?;
        let amount = amount?;
        magic?;
        rules::may_pay(
            &from,
            Some(&to),
            mpin,
            amount,
            AggrePayError::InsufficientFund,
        )?;
        check_debit(tx, &from, amount, now)?;
        check_credit(tx, &to, amount, now)?;
        let movement = Movement::new(merchant.id, Kind::C2C, amount, now).named(id, description);
        let movement = movement.paid_by(from.row).paid_into(to.row);
        record_movement(tx, &movement, AggrePayError::InsufficientFund)
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
    let original_id = rules::required(&auth.fields, "merchant_transaction_id");
    let given = auth.fields.get("transaction_id").map(|t| t.parse().ok());
    let description = rules::reversal_description(&auth.fields);
    let reversal_id = original_id.as_ref().ok().map(|id| format!("{id}_REVERSAL"));
    let recorded = moved(&state, &auth, |tx, merchant, _, now| {
        let original = original_debit(tx, merchant.id, original_id, given)?;
        let description = description?;
        if ledger::is_reversed(tx, original.id)? {
            return Err(AggrePayError::AlreadyReversed);
        }
        let movement = Movement {
            merchant_transaction_id: reversal_id.as_deref(),
            description,
            reverses: Some(original.id),
            ..Movement::new(merchant.id, Kind::Reversal, original.amount, now)
        };
        let movement = movement.paid_into(original.customer_row);
        record_movement(tx, &movement, AggrePayError::Internal)
    })
    .await?;
    let data =
        json!({"merchant_transaction_id": reversal_id, "transaction_id": recorded.transaction_id});
    Ok(success(auth.salt(), data, Value::Null))
}

/// Runs a move's checks and its ledger write in one write transaction, with the time read
/// inside it: entries are listed by time, and a time taken before the write lock could be
/// older than a move committed before this one.
async fn moved(
    state: &AppState,
    auth: &Authenticated,
    f: impl FnOnce(&Connection, &Merchant, &Fields, DateTime<Utc>) -> Result<Recorded, AggrePayError>,
) -> Result<Recorded, AggrePayError> {
    auth.write(&state.db, |tx, merchant, fields| {
        f(tx, merchant, fields, state.clock.now())
    })
    .await
}

fn not_enough() -> AggrePayError {
    AggrePayError::InvalidInputData("Not enough balance in the account")
}

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

/// Records a move; a wallet that cannot pay answers `short`.
fn record_movement(
    conn: &Connection,
    movement: &Movement<'_>,
    short: AggrePayError,
) -> Result<Recorded, AggrePayError> {
    ledger::record(conn, movement).map_err(|e| ledger_error(e, short))
}

/// `merchant_transaction_id` (its field rules checked before the transaction) must not be
/// used by this merchant yet.
fn fresh_merchant_transaction_id<'a>(
    conn: &Connection,
    merchant: i64,
    id: &'a str,
) -> Result<&'a str, AggrePayError> {
    if ledger::merchant_transaction_id_used(conn, merchant, id)? {
        Err(taken())
    } else {
        Ok(id)
    }
}

fn answered(salt: &str, recorded: Recorded) -> Answer {
    success(
        salt,
        json!({"transaction_id": recorded.transaction_id}),
        Value::Null,
    )
}

fn pg_taken() -> AggrePayError {
    AggrePayError::invalid("The pg transaction id has already been taken.")
}

/// The gateway record of `pg_transaction_id`, if any; one already used is taken.
fn unused_pg_record(
    conn: &Connection,
    merchant: i64,
    pg_transaction_id: &str,
) -> Result<Option<pg_records::PgRecord>, AggrePayError> {
    let record = pg_records::find(conn, merchant, pg_transaction_id)?;
    if record.as_ref().is_some_and(|r| r.used) {
        return Err(pg_taken());
    }
    Ok(record)
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

fn unknown_sub_merchant() -> AggrePayError {
    AggrePayError::invalid("The selected to sub merchant id is invalid.")
}

/// `to_sub_merchant_id`: a whole number...
fn sub_merchant_number(text: &str) -> Result<i64, AggrePayError> {
    text.parse().map_err(|_| unknown_sub_merchant())
}

/// ... of one of this merchant's sub merchants (when given).
fn known_sub_merchant(
    conn: &Connection,
    merchant: i64,
    number: Option<Result<i64, AggrePayError>>,
) -> Result<Option<i64>, AggrePayError> {
    let Some(number) = number.transpose()? else {
        return Ok(None);
    };
    if sub_merchants::exists(conn, merchant, number)? {
        Ok(Some(number))
    } else {
        Err(unknown_sub_merchant())
    }
}

/// The two wallets of a transfer: `from_customer_id`, then `to_customer_id`, which must
/// differ.
fn parties(
    conn: &Connection,
    merchant: &Merchant,
    ids: (Result<&str, AggrePayError>, Result<&str, AggrePayError>),
) -> Result<(Customer, Customer), AggrePayError> {
    let from_id = ids.0?;
    let from = by_customer_id(conn, merchant, from_id)?
        .ok_or_else(|| AggrePayError::invalid("The selected from customer id is invalid."))?;
    let to_id = ids.1?;
    if to_id == from_id {
        return Err(AggrePayError::invalid(
            "The to customer id and from customer id must be different.",
        ));
    }
    let to = by_customer_id(conn, merchant, to_id)?
        .ok_or_else(|| AggrePayError::invalid("The selected to customer id is invalid."))?;
    Ok((from, to))
}

/// The `debitwallet` a reversal names by `merchant_transaction_id`; a `transaction_id`, when
/// given, must be its.
fn original_debit(
    conn: &Connection,
    merchant: i64,
    original_id: Result<&str, AggrePayError>,
    given: Option<Option<i64>>,
) -> Result<ledger::Original, AggrePayError> {
    let original = ledger::debit_of(conn, merchant, original_id?)?.ok_or_else(|| {
        AggrePayError::invalid("The selected merchant transaction id is invalid.")
    })?;
    if let Some(given) = given
        && given != Some(original.transaction_id)
    {
        return Err(AggrePayError::invalid(
            "The selected transaction id is invalid.",
        ));
    }
    Ok(original)
}
