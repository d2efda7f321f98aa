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

use crate::app::AppState;
use crate::providers::aggrepay::amount::{number, shown};
use crate::providers::aggrepay::customers::{Authenticated, resolve};
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::wire::{WalletError, respond, success};
use crate::timezone::india;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::DateTime;
use rusqlite::{OptionalExtension, params};
use serde_json::{Value, json};

struct EntryRow {
    amount: i64,
    balance_after: i64,
    transaction_type: String,
    payment_type: String,
    created_at: String,
    transaction_id: i64,
    merchant_transaction_id: Option<String>,
}

impl EntryRow {
    fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(EntryRow {
            amount: row.get("amount")?,
            balance_after: row.get("balance_after")?,
            transaction_type: row.get("transaction_type")?,
            payment_type: row.get("payment_type")?,
            created_at: row.get("created_at")?,
            transaction_id: row.get("transaction_id")?,
            merchant_transaction_id: row.get("merchant_transaction_id")?,
        })
    }
}

const ENTRY: &str = "select e.amount, e.balance_after, t.transaction_type, e.payment_type, e.created_at, \
     t.transaction_id, t.merchant_transaction_id \
     from aggrepay_entries e join aggrepay_transactions t on t.id = e.transaction_row";

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
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(list(&state, &headers, &body).await)
}

async fn list(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, WalletError> {
    let (salt, (page, rows)) = Authenticated::read_with(&state.db, headers, body, |conn, merchant, fields| {
            let customer = resolve(conn, merchant, fields, "")?;
            let page_number = rules::integer(
                "page_number",
                rules::required(fields, "page_number")?,
                0,
                i64::MAX,
            )?;
            let page_size =
                rules::integer("page_size", rules::required(fields, "page_size")?, 1, 100)?;
            let total: i64 = conn
                .prepare_cached("select count(*) from aggrepay_entries where customer_row = ?")?
                .query_row(params![customer.row], |r| r.get(0))?;
            let total_pages = (total + page_size - 1) / page_size;
            let page = json!({
                "page_size": page_size,
                "page_number": page_number,
                "total_pages": total_pages,
                "total_elements": total,
            });
            if page_number >= total_pages {
                return Ok((page, None));
            }
            let sql = format!(
                "{ENTRY} where e.customer_row = ? order by e.created_at desc, e.id desc limit ? offset ?"
            );
            let rows = conn
                .prepare_cached(&sql)?
                .query_map(
                    params![customer.row, page_size, page_number * page_size],
                    EntryRow::from_row,
                )?
                .collect::<Result<Vec<EntryRow>, _>>()?;
            Ok((page, Some(rows)))
        })
        .await?;
    let data = match rows {
        None => Value::Null,
        Some(rows) => Value::Array(rows.iter().map(view).collect()),
    };
    Ok(success(&salt, data, page))
}

/// One transaction by the merchant's own id.
pub async fn fetchbymerchantransactionid(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(by_id(&state, &headers, &body, Lookup::MerchantTransactionId).await)
}

/// One transaction by the wallet's transaction id.
pub async fn fetchbytransactionid(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(by_id(&state, &headers, &body, Lookup::TransactionId).await)
}

#[derive(Clone, Copy)]
enum Lookup {
    MerchantTransactionId,
    TransactionId,
}

impl Lookup {
    fn field(self) -> &'static str {
        match self {
            Lookup::MerchantTransactionId => "merchant_transaction_id",
            Lookup::TransactionId => "transaction_id",
        }
    }
}

async fn by_id(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
    lookup: Lookup,
) -> Result<Response, WalletError> {
    let (salt, row) =
        Authenticated::read_with(&state.db, headers, body, |conn, merchant, fields| {
            let field = lookup.field();
            let given = rules::required(fields, field)?;
            let unknown = || {
                WalletError::invalid(format!("The selected {} is invalid.", rules::label(field)))
            };
            let sql = format!(
                "{ENTRY} where t.merchant_id = ? and t.{field} = ? \
                 order by case e.payment_type when 'DEBIT' then 0 else 1 end, e.id limit 1"
            );
            let given: rusqlite::types::Value = match lookup {
                Lookup::MerchantTransactionId => given.to_string().into(),
                Lookup::TransactionId => given.parse::<i64>().map_err(|_| unknown())?.into(),
            };
            let row = conn
                .prepare_cached(&sql)?
                .query_row(params![merchant.id, given], EntryRow::from_row)
                .optional()?
                .ok_or_else(unknown)?;
            Ok(row)
        })
        .await?;
    Ok(success(&salt, view(&row), Value::Null))
}
