//! The account's users, payments, invoices and gateway logs as S1–S7 read them.
//!
//! Payments come oldest first (by `create_datetime`, then payment id).

use super::super::rules::{Range, stamp};
use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// The payments of an account (of one user when `user_row` is given) created within a range.
/// Stored times are RFC 3339 UTC with milliseconds, so they compare as text.
macro_rules! payment_filter {
    () => {
        " p.account_id = ? and (? is null or p.user_row = ?) \
          and (? is null or p.created_at >= ?) and (? is null or p.created_at <= ?) "
    };
}

/// The parameters of `payment_filter!`, in order.
type FilterParams = (
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn filter_params(account: i64, user_row: Option<i64>, range: &Range) -> FilterParams {
    let from = range.from.map(stamp);
    let until = range.until.map(stamp);
    (
        account,
        user_row,
        user_row,
        from.clone(),
        from,
        until.clone(),
        until,
    )
}

pub struct User {
    pub row: i64,
    pub customer_number: String,
}

/// The account's user with that id; `None` for an id no user can have.
pub fn user(
    conn: &Connection,
    account: i64,
    user_id: Option<i64>,
) -> Result<Option<User>, DbError> {
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    conn.prepare_cached(
        "select id, customer_number from jaze_users where account_id = ? and user_id = ?",
    )?
    .query_row(params![account, user_id], |r| {
        Ok(User {
            row: r.get("id")?,
            customer_number: r.get("customer_number")?,
        })
    })
    .optional()
}

/// A payment as stored, with the ids of the invoices it pays, in their order.
pub struct StoredPayment {
    pub payment_id: i64,
    pub user_id: i64,
    pub customer_number: String,
    /// Two decimals, as stored.
    pub amount: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub method: String,
    pub bank: Option<String>,
    pub invoice_ids: Vec<i64>,
}

/// A payment row as stored.
struct Row {
    row: i64,
    payment: StoredPayment,
}

/// The account's payments (of one user when `user_row` is given) created within the range.
pub fn payments(
    conn: &Connection,
    account: i64,
    user_row: Option<i64>,
    range: &Range,
) -> Result<Vec<StoredPayment>, DbError> {
    let rows = conn
        .prepare_cached(concat!(
            "select p.id, p.payment_id, u.user_id, u.customer_number, p.amount, p.method, p.bank, p.created_at \
             from jaze_payments p join jaze_users u on u.id = p.user_row where",
            payment_filter!(),
            "order by p.created_at, p.payment_id"
        ))?
        .query_map(filter_params(account, user_row, range), |r| {
            Ok(Row {
                row: r.get("id")?,
                payment: StoredPayment {
                    payment_id: r.get("payment_id")?,
                    user_id: r.get("user_id")?,
                    customer_number: r.get("customer_number")?,
                    amount: r.get("amount")?,
                    created_at: r.get("created_at")?,
                    method: r.get("method")?,
                    bank: r.get("bank")?,
                    invoice_ids: Vec::new(),
                },
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut invoices: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut links = conn.prepare_cached(concat!(
        "select pi.payment_row, i.invoice_id from jaze_payment_invoices pi \
         join jaze_invoices i on i.id = pi.invoice_row join jaze_payments p on p.id = pi.payment_row where",
        payment_filter!(),
        "order by pi.payment_row, pi.position"
    ))?;
    for link in links.query_map(filter_params(account, user_row, range), |r| {
        Ok((
            r.get::<_, i64>("payment_row")?,
            r.get::<_, i64>("invoice_id")?,
        ))
    })? {
        let (payment_row, invoice_id) = link?;
        invoices.entry(payment_row).or_default().push(invoice_id);
    }
    Ok(rows
        .into_iter()
        .map(|Row { row, mut payment }| {
            payment.invoice_ids = invoices.remove(&row).unwrap_or_default();
            payment
        })
        .collect())
}

/// S1: the ids of the account's payments created within the range, ascending.
pub fn payment_ids(conn: &Connection, account: i64, range: &Range) -> Result<Vec<i64>, DbError> {
    conn.prepare_cached(concat!(
        "select p.payment_id from jaze_payments p where",
        payment_filter!(),
        "order by p.payment_id"
    ))?
    .query_map(filter_params(account, None, range), |r| r.get(0))?
    .collect()
}

/// The external payment log of a gateway payment, as stored.
pub struct GatewayLog {
    pub merchant_txn_id: String,
    pub gateway_txn_id: String,
    pub details: String,
    pub currency: String,
    pub operator: String,
}

/// S5–S7: the gateway logs, dated by their payments.
pub fn logs(
    conn: &Connection,
    account: i64,
    user_row: Option<i64>,
    range: &Range,
) -> Result<Vec<GatewayLog>, DbError> {
    conn.prepare_cached(concat!(
        "select g.merchant_txn_id, g.gateway_txn_id, g.details, g.currency, g.operator \
             from jaze_gateway_logs g join jaze_payments p on p.id = g.payment_row where",
        payment_filter!(),
        "order by p.created_at, p.payment_id"
    ))?
    .query_map(filter_params(account, user_row, range), |r| {
        Ok(GatewayLog {
            merchant_txn_id: r.get("merchant_txn_id")?,
            gateway_txn_id: r.get("gateway_txn_id")?,
            details: r.get("details")?,
            currency: r.get("currency")?,
            operator: r.get("operator")?,
        })
    })?
    .collect()
}
