//! The account's payments, invoices and gateway logs as S1–S7 show them.
//!
//! Payments come oldest first (by `create_datetime`, then payment id); amounts with ten
//! decimals (`"50.0000000000"`), times in India time (`2016-03-23 12:06:03.156+05:30`).
//! A payment without a bank (a gateway payment, unless one was given) has an empty list of
//! `PaymentInfoCheque` records: `[[]]` in S2's fourth array, so each payment keeps its index.

use super::super::errors::JazeError;
use super::super::records::{Method, stamp};
use crate::timezone::india;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

/// Creation times within, both ends included; an absent end is open.
#[derive(Debug, Default)]
pub struct Range {
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

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
) -> Result<Option<User>, JazeError> {
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let user = conn
        .prepare_cached(
            "select id, customer_number from jaze_users where account_id = ? and user_id = ?",
        )?
        .query_row(params![account, user_id], |r| {
            Ok(User {
                row: r.get("id")?,
                customer_number: r.get("customer_number")?,
            })
        })
        .optional()?;
    Ok(user)
}

struct Payment {
    payment_id: i64,
    user_id: i64,
    customer_number: String,
    amount: String,
    created: String,
    method: Method,
    bank: Option<String>,
    invoice_ids: Vec<i64>,
}

/// A payment row as stored, before its amount, time and method are judged.
struct Stored {
    row: i64,
    payment_id: i64,
    user_id: i64,
    customer_number: String,
    amount: String,
    created_at: String,
    method: String,
    bank: Option<String>,
}

fn payments(
    conn: &Connection,
    account: i64,
    user_row: Option<i64>,
    range: &Range,
) -> Result<Vec<Payment>, JazeError> {
    let rows = conn
        .prepare_cached(concat!(
            "select p.id, p.payment_id, u.user_id, u.customer_number, p.amount, p.method, p.bank, p.created_at \
             from jaze_payments p join jaze_users u on u.id = p.user_row where",
            payment_filter!(),
            "order by p.created_at, p.payment_id"
        ))?
        .query_map(filter_params(account, user_row, range), |r| {
            Ok(Stored {
                row: r.get("id")?,
                payment_id: r.get("payment_id")?,
                user_id: r.get("user_id")?,
                customer_number: r.get("customer_number")?,
                amount: r.get("amount")?,
                created_at: r.get("created_at")?,
                method: r.get("method")?,
                bank: r.get("bank")?,
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
    rows.into_iter()
        .map(|r| {
            Ok(Payment {
                payment_id: r.payment_id,
                user_id: r.user_id,
                customer_number: r.customer_number,
                amount: ten_decimals(r.amount)?,
                created: india_time(r.created_at)?,
                method: Method::parse(&r.method).ok_or_else(|| corrupt("method", r.method))?,
                bank: r.bank,
                invoice_ids: invoices.remove(&r.row).unwrap_or_default(),
            })
        })
        .collect()
}

fn corrupt(what: &str, value: String) -> JazeError {
    tracing::error!(what, value, "jaze: a stored payment cannot be shown");
    JazeError::Internal
}

/// `"50.00"` → `"50.0000000000"`.
fn ten_decimals(stored: String) -> Result<String, JazeError> {
    match Decimal::from_str(&stored) {
        Ok(amount) => Ok(format!("{amount:.10}")),
        Err(_) => Err(corrupt("amount", stored)),
    }
}

/// `2016-03-23T06:36:03.156Z` → `2016-03-23 12:06:03.156+05:30`.
fn india_time(stored: String) -> Result<String, JazeError> {
    match DateTime::parse_from_rfc3339(&stored) {
        Ok(at) => Ok(at
            .with_timezone(&india())
            .format("%Y-%m-%d %H:%M:%S%.3f%:z")
            .to_string()),
        Err(_) => Err(corrupt("created_at", stored)),
    }
}

/// S1: `{"300":300,"301":301}`, ascending by id.
pub fn payment_ids(conn: &Connection, account: i64, range: &Range) -> Result<Value, JazeError> {
    let ids: Vec<i64> = conn
        .prepare_cached(concat!(
            "select p.payment_id from jaze_payments p where",
            payment_filter!(),
            "order by p.payment_id"
        ))?
        .query_map(filter_params(account, None, range), |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let object: Map<String, Value> = ids
        .into_iter()
        .map(|id| (id.to_string(), json!(id)))
        .collect();
    Ok(Value::Object(object))
}

/// S2 and S4: `[{"customerNumber"}, [Payment…], [[PaymentInvoice…]…], [[[PaymentInfoCheque…]]…]]`.
pub fn user_details(
    conn: &Connection,
    account: i64,
    user: &User,
    range: &Range,
) -> Result<Value, JazeError> {
    let payments = payments(conn, account, Some(user.row), range)?;
    let records: Vec<Value> = payments
        .iter()
        .map(|p| json!({"Payment": {"id": p.payment_id, "amount": p.amount, "create_datetime": p.created}}))
        .collect();
    let invoices: Vec<Value> = payments
        .iter()
        .map(|p| {
            let links: Vec<Value> = p
                .invoice_ids
                .iter()
                .map(|invoice| json!({"PaymentInvoice": {"payment_id": p.payment_id, "invoice_id": invoice}}))
                .collect();
            Value::Array(links)
        })
        .collect();
    let cheques: Vec<Value> = payments
        .iter()
        .map(|p| {
            let cheque: Vec<Value> = p
                .bank
                .iter()
                .map(
                    |bank| json!({"PaymentInfoCheque": {"payment_id": p.payment_id, "bank": bank}}),
                )
                .collect();
            json!([cheque])
        })
        .collect();
    Ok(json!([{"customerNumber": user.customer_number}, records, invoices, cheques]))
}

/// S3: one array per user with a payment in the range, ascending user id.
pub fn details_by_user(conn: &Connection, account: i64, range: &Range) -> Result<Value, JazeError> {
    let mut users: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    for p in payments(conn, account, None, range)? {
        let invoices: Vec<Value> = p
            .invoice_ids
            .iter()
            .map(|id| json!({"invoice_id": id}))
            .collect();
        users.entry(p.user_id).or_default().push(json!({
            "customer_number": p.customer_number,
            "user_id": p.user_id.to_string(),
            "payment_id": p.payment_id,
            "amount": p.amount,
            "payment_date": p.created,
            "invoices": invoices,
            "payment_type": p.method.label(),
        }));
    }
    Ok(Value::Array(
        users.into_values().map(Value::Array).collect(),
    ))
}

/// S5–S7: `[{"ExternalPayment":{…}}]`, dated by their payments.
pub fn logs(
    conn: &Connection,
    account: i64,
    user_row: Option<i64>,
    range: &Range,
) -> Result<Value, JazeError> {
    let logs = conn
        .prepare_cached(concat!(
            "select g.merchant_txn_id, g.gateway_txn_id, g.details, g.currency, g.operator \
             from jaze_gateway_logs g join jaze_payments p on p.id = g.payment_row where",
            payment_filter!(),
            "order by p.created_at, p.payment_id"
        ))?
        .query_map(filter_params(account, user_row, range), |r| {
            Ok(json!({"ExternalPayment": {
                "merchantTxnId": r.get::<_, String>("merchant_txn_id")?,
                "gateway_txn_id": r.get::<_, String>("gateway_txn_id")?,
                "details": r.get::<_, String>("details")?,
                "number": r.get::<_, String>("currency")?,
                "operator": r.get::<_, String>("operator")?,
            }}))
        })?
        .collect::<Result<_, _>>()?;
    Ok(Value::Array(logs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_show_ten_decimals() {
        assert_eq!(ten_decimals("50.00".into()), Ok("50.0000000000".into()));
        assert_eq!(ten_decimals("115".into()), Ok("115.0000000000".into()));
        assert_eq!(ten_decimals("0.5".into()), Ok("0.5000000000".into()));
    }

    #[test]
    fn times_show_in_india() {
        assert_eq!(
            india_time("2016-03-23T06:36:03.156Z".into()),
            Ok("2016-03-23 12:06:03.156+05:30".into())
        );
        assert_eq!(
            india_time("2016-06-01T18:30:00.000Z".into()),
            Ok("2016-06-02 00:00:00.000+05:30".into())
        );
    }
}
