//! Listings of successful transactions: a customer's, a page at a time, newest first
//! (`fetchtransactions`), and one by `merchant_transaction_id` or `transaction_id`.
//!
//! An entry is one ledger entry: `{"amount","balance","transaction_type","payment_type",
//! "time","transaction_id","merchant_transaction_id","transaction_status"}`, where `balance`
//! is the wallet's balance right after it (a JSON number), `time` India time. A C2C
//! transaction has two entries; looked up by id it shows the sender's (the DEBIT). Ties in
//! time are broken by insertion order, newest first.
//!
//! `page_number` is a whole number from 0, `page_size` from 1 to 100 (Laravel's `integer`,
//! `min`, `max` messages). A page past the end, or no transactions at all, answers
//! `"data": null` with the `page` block and a hash, as the document's sample does.

use crate::providers::aggrepay::amount::{number, shown};
use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::extract::Authenticated;
use crate::providers::aggrepay::handlers::resolve;
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::store::entries::{self, EntryRow, Key};
use crate::providers::aggrepay::wire::{Answer, Page, success};
use crate::state::AppState;
use crate::timezone::india;
use axum::extract::State;
use chrono::DateTime;
use serde_json::{Value, json};

/// `2017-03-04 13:50:29`, India time.
fn shown_time(stamp: &str) -> String {
    DateTime::parse_from_rfc3339(stamp)
        .map(|t| {
            t.with_timezone(&india())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| stamp.to_string())
}

fn view(row: &EntryRow) -> Value {
    json!({
        "amount": shown(row.amount),
        "balance": number(row.balance_after),
        "transaction_type": row.transaction_type,
        "payment_type": row.payment_type,
        "time": shown_time(&row.created_at),
        "transaction_id": row.transaction_id,
        "merchant_transaction_id": row.merchant_transaction_id,
        "transaction_status": "PAYMENT_SUCCESS",
    })
}

/// A customer's entries, newest first, a page at a time.
pub async fn fetchtransactions(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    // Validated before the read, answered in the document's order: the customer first.
    let paging = rules::paging(&auth.fields);
    let (page, rows) = auth
        .read(&state.db, |conn, merchant, fields| {
            let customer = resolve(conn, merchant, fields, "")?;
            let (page_number, page_size) = paging?;
            let page = Page::of(entries::count(conn, customer.row)?, page_number, page_size);
            if page.past_the_end() {
                return Ok((page, None));
            }
            let rows = entries::page(conn, customer.row, page_size, page_number)?;
            Ok((page, Some(rows)))
        })
        .await?;
    let data = match rows {
        None => Value::Null,
        Some(rows) => Value::Array(rows.iter().map(view).collect()),
    };
    Ok(success(auth.salt(), data, page.view()))
}

/// One transaction by the merchant's own id.
pub async fn fetchbymerchantransactionid(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let field = "merchant_transaction_id";
    let key = Key::MerchantTransactionId(rules::required(&auth.fields, field)?);
    by_key(&state, &auth, field, key).await
}

/// One transaction by the wallet's transaction id.
pub async fn fetchbytransactionid(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let field = "transaction_id";
    let given = rules::required(&auth.fields, field)?;
    let id = given.parse::<i64>().map_err(|_| unknown(field))?;
    by_key(&state, &auth, field, Key::TransactionId(id)).await
}

fn unknown(field: &str) -> AggrePayError {
    AggrePayError::invalid(format!("The selected {} is invalid.", rules::label(field)))
}

async fn by_key(
    state: &AppState,
    auth: &Authenticated,
    field: &str,
    key: Key<'_>,
) -> Result<Answer, AggrePayError> {
    let row = auth
        .read(&state.db, |conn, merchant, _| {
            Ok(entries::by_key(conn, merchant.id, key)?)
        })
        .await?
        .ok_or_else(|| unknown(field))?;
    Ok(success(auth.salt(), view(&row), Value::Null))
}
