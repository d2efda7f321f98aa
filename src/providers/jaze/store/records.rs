//! The SQL of the records fixtures and the control plane write and export: users, invoices,
//! payments (with the invoices they pay and, for gateway payments, the external payment log).
//! `api_token` names the ISP account, and may be left out when there is only one account.

use super::super::rules::{RecordError, invalid};
use super::super::wire::{
    GatewayRecord, InvoiceRecord, Method, PaymentRecord, Records, UserRecord,
};
use crate::db::{self, DbError};
use crate::money::Amount;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

/// The account a record names, or the only one.
pub fn account_id(conn: &Connection, api_token: Option<&str>) -> Result<i64, RecordError> {
    match api_token {
        Some(token) => conn
            .prepare_cached("select id from jaze_accounts where api_token = ?")?
            .query_row([token], |r| r.get(0))
            .optional()?
            .ok_or_else(|| {
                invalid(
                    "api_token",
                    format!("no account with api_token `{token}` is loaded"),
                )
            }),
        None => {
            let ids: Vec<i64> = conn
                .prepare_cached("select id from jaze_accounts order by id limit 2")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            match ids.as_slice() {
                [only] => Ok(*only),
                [] => Err(invalid("api_token", "no account is loaded")),
                _ => Err(invalid("api_token", "there are several accounts: name one")),
            }
        }
    }
}

fn user_row(conn: &Connection, account: i64, user_id: i64) -> Result<i64, RecordError> {
    conn.prepare_cached("select id from jaze_users where account_id = ? and user_id = ?")?
        .query_row(params![account, user_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| invalid("user_id", format!("no user {user_id} in this account")))
}

fn duplicate(field: &'static str, what: String) -> impl FnOnce(DbError) -> RecordError {
    move |e| {
        if db::is_unique_violation(&e) {
            invalid(field, format!("duplicate {what}: it is already loaded"))
        } else {
            RecordError::Database(e)
        }
    }
}

/// Inserts the user into the account `api_token` names; `user`'s fault, if any, answers once
/// the account is found.
pub fn insert_user(
    conn: &Connection,
    api_token: Option<&str>,
    user: Result<NewUser, RecordError>,
) -> Result<(), RecordError> {
    let account = account_id(conn, api_token)?;
    let user = user?;
    conn.prepare_cached(
        "insert into jaze_users (account_id, user_id, customer_number, name) values (?, ?, ?, ?)",
    )?
    .execute(params![
        account,
        user.user_id,
        user.customer_number,
        user.name
    ])
    .map_err(duplicate("user_id", format!("user_id {}", user.user_id)))?;
    Ok(())
}

fn next_id(conn: &Connection, table: &str, column: &str, account: i64) -> Result<i64, DbError> {
    let sql = format!("select coalesce(max({column}), 0) + 1 from {table} where account_id = ?");
    conn.prepare_cached(&sql)?
        .query_row([account], |r| r.get(0))
}

/// Inserts the invoice of the account's user; answers its id. `invoice`'s fault, if any,
/// answers once the account and user are found.
pub fn insert_invoice(
    conn: &Connection,
    api_token: Option<&str>,
    user_id: i64,
    invoice: Result<NewInvoice, RecordError>,
) -> Result<i64, RecordError> {
    let account = account_id(conn, api_token)?;
    let user = user_row(conn, account, user_id)?;
    let invoice = invoice?;
    let invoice_id = match invoice.invoice_id {
        Some(id) => id,
        None => next_id(conn, "jaze_invoices", "invoice_id", account)?,
    };
    conn.prepare_cached(
        "insert into jaze_invoices (account_id, invoice_id, user_row, amount, invoice_date) \
         values (?, ?, ?, ?, ?)",
    )?
    .execute(params![
        account,
        invoice_id,
        user,
        invoice.amount,
        invoice.date
    ])
    .map_err(duplicate("invoice_id", format!("invoice_id {invoice_id}")))?;
    Ok(invoice_id)
}

/// Inserts the payment of the account's user, with its invoices and gateway log; answers its
/// row (for [`payment`]). `payment`'s fault, if any, answers once the account and user are found.
pub fn insert_payment(
    conn: &Connection,
    api_token: Option<&str>,
    user_id: i64,
    payment: Result<NewPayment, RecordError>,
) -> Result<i64, RecordError> {
    let account = account_id(conn, api_token)?;
    let user = user_row(conn, account, user_id)?;
    let payment = payment?;
    let payment_id = match payment.payment_id {
        Some(id) => id,
        None => next_id(conn, "jaze_payments", "payment_id", account)?,
    };
    let row: i64 = conn
        .prepare_cached(
            "insert into jaze_payments (account_id, payment_id, user_row, amount, method, bank, created_at, receipt_token) \
             values (?, ?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(
            params![
                account,
                payment_id,
                user,
                payment.amount,
                payment.method.stored(),
                payment.bank,
                payment.created_at,
                payment.receipt_token,
            ],
)
.map(|_| conn.last_insert_rowid())
        .map_err(duplicate(
            "payment_id",
            format!("payment_id {payment_id} or receipt_token"),
        ))?;
    for (position, invoice_id) in payment.invoice_ids.iter().enumerate() {
        let invoice: i64 = conn
            .prepare_cached("select id from jaze_invoices where account_id = ? and invoice_id = ?")?
            .query_row(params![account, invoice_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| {
                invalid(
                    "invoice_ids",
                    format!("no invoice {invoice_id} in this account"),
                )
            })?;
        conn.prepare_cached(
            "insert into jaze_payment_invoices (payment_row, invoice_row, position) values (?, ?, ?)",
        )?
        .execute(params![
            row,
            invoice,
            i64::try_from(position).unwrap_or(i64::MAX)
        ])
        .map_err(duplicate(
            "invoice_ids",
            format!("invoice {invoice_id} in one payment"),
        ))?;
    }
    if let Some(log) = &payment.gateway {
        conn.prepare_cached(
            "insert into jaze_gateway_logs (payment_row, merchant_txn_id, gateway_txn_id, details, currency, operator) \
             values (?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![
            row,
            log.merchant_txn_id,
            log.gateway_txn_id,
            log.details,
            log.currency,
            log.operator,
        ])?;
    }
    Ok(row)
}

/// Every record of every account, in id order, with what was generated written out.
pub fn export(conn: &Connection) -> Result<Records, DbError> {
    let users = conn
        .prepare_cached(
            "select a.api_token, u.user_id, u.customer_number, u.name from jaze_users u \
             join jaze_accounts a on a.id = u.account_id order by u.id",
        )?
        .query_map([], |r| {
            Ok(UserRecord {
                api_token: Some(r.get("api_token")?),
                user_id: r.get("user_id")?,
                customer_number: r.get("customer_number")?,
                name: r.get("name")?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let invoices = conn
        .prepare_cached(
            "select a.api_token, i.invoice_id, u.user_id, i.amount, i.invoice_date from jaze_invoices i \
             join jaze_accounts a on a.id = i.account_id join jaze_users u on u.id = i.user_row order by i.id",
        )?
        .query_map([], |r| {
            Ok(InvoiceRecord {
                api_token: Some(r.get("api_token")?),
                invoice_id: Some(r.get("invoice_id")?),
                user_id: r.get("user_id")?,
                amount: stored_amount(r.get("amount")?),
                date: r.get::<_, String>("invoice_date")?.parse().ok(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let payments = payment_records(conn, None)?;
    Ok((users, invoices, payments))
}

/// The payment in this row, as [`export`] writes it.
pub fn payment(conn: &Connection, row: i64) -> Result<Option<PaymentRecord>, DbError> {
    Ok(payment_records(conn, Some(row))?.pop())
}

fn stored_amount(text: String) -> Amount {
    Amount::parse(&text).unwrap_or_else(|_| Amount::parse("0").expect("zero"))
}

/// Every payment, or the one in row `only`, in id order.
fn payment_records(conn: &Connection, only: Option<i64>) -> Result<Vec<PaymentRecord>, DbError> {
    // Every payment's invoices in one query, not one query per payment.
    let mut invoices_of: std::collections::HashMap<i64, Vec<i64>> =
        std::collections::HashMap::new();
    let mut links = conn.prepare_cached(
        "select pi.payment_row, i.invoice_id from jaze_payment_invoices pi \
         join jaze_invoices i on i.id = pi.invoice_row where ?1 is null or pi.payment_row = ?1 \
         order by pi.payment_row, pi.position",
    )?;
    for link in links.query_map([only], |r| {
        Ok((
            r.get::<_, i64>("payment_row")?,
            r.get::<_, i64>("invoice_id")?,
        ))
    })? {
        let (payment_row, invoice_id) = link?;
        invoices_of.entry(payment_row).or_default().push(invoice_id);
    }
    let mut statement = conn.prepare_cached(
        "select p.id, a.api_token, p.payment_id, u.user_id, p.amount, p.method, p.bank, p.created_at, p.receipt_token, \
         g.operator, g.merchant_txn_id, g.gateway_txn_id, g.details, g.currency from jaze_payments p \
         join jaze_accounts a on a.id = p.account_id join jaze_users u on u.id = p.user_row \
         left join jaze_gateway_logs g on g.payment_row = p.id where ?1 is null or p.id = ?1 order by p.id",
    )?;
    statement
        .query_map([only], |r| {
            let invoice_ids = invoices_of
                .remove(&r.get::<_, i64>("id")?)
                .unwrap_or_default();
            let method = Method::parse(&r.get::<_, String>("method")?).unwrap_or(Method::Cash);
            let gateway = match r.get::<_, Option<String>>("operator")? {
                Some(operator) => Some(GatewayRecord {
                    operator: Some(operator),
                    merchant_txn_id: r.get("merchant_txn_id")?,
                    gateway_txn_id: r.get("gateway_txn_id")?,
                    details: r.get::<_, Option<String>>("details")?.map(Value::String),
                    number: r.get("currency")?,
                }),
                None => None,
            };
            Ok(PaymentRecord {
                api_token: Some(r.get("api_token")?),
                payment_id: Some(r.get("payment_id")?),
                user_id: r.get("user_id")?,
                amount: stored_amount(r.get("amount")?),
                method,
                bank: r.get("bank")?,
                created_at: DateTime::parse_from_rfc3339(&r.get::<_, String>("created_at")?)
                    .ok()
                    .map(|t| t.with_timezone(&Utc)),
                invoice_ids,
                gateway,
                receipt_token: Some(r.get("receipt_token")?),
            })
        })?
        .collect()
}

/// A user as it is stored, judged outside the database.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub user_id: i64,
    pub customer_number: String,
    pub name: Option<String>,
}

/// An invoice as it is stored, judged outside the database; the next id when `None`.
#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub invoice_id: Option<i64>,
    /// Two decimals.
    pub amount: String,
    /// `yyyy-mm-dd`.
    pub date: String,
}

/// A payment as it is stored, judged and generated outside the database; the next id when
/// `payment_id` is `None`.
#[derive(Debug, Clone)]
pub struct NewPayment {
    pub payment_id: Option<i64>,
    /// Two decimals.
    pub amount: String,
    pub method: Method,
    pub bank: Option<String>,
    /// RFC 3339 UTC with milliseconds.
    pub created_at: String,
    pub receipt_token: String,
    pub invoice_ids: Vec<i64>,
    pub gateway: Option<NewGatewayLog>,
}

/// The external payment log of a gateway payment, as stored.
#[derive(Debug, Clone)]
pub struct NewGatewayLog {
    pub merchant_txn_id: String,
    pub gateway_txn_id: String,
    pub details: String,
    pub currency: String,
    pub operator: String,
}
