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
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use sqlx::{Row, SqliteConnection};
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

macro_rules! bind_filter {
    ($query:expr, $account:expr, $user_row:expr, $range:expr) => {{
        let from = $range.from.map(stamp);
        let until = $range.until.map(stamp);
        $query
            .bind($account)
            .bind($user_row)
            .bind($user_row)
            .bind(from.clone())
            .bind(from)
            .bind(until.clone())
            .bind(until)
    }};
}

pub struct User {
    pub row: i64,
    pub customer_number: String,
}

/// The account's user with that id; `None` for an id no user can have.
pub async fn user(
    conn: &mut SqliteConnection,
    account: i64,
    user_id: Option<i64>,
) -> Result<Option<User>, JazeError> {
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let row = sqlx::query(
        "select id, customer_number from jaze_users where account_id = ? and user_id = ?",
    )
    .bind(account)
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| User {
        row: r.get("id"),
        customer_number: r.get("customer_number"),
    }))
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

async fn payments(
    conn: &mut SqliteConnection,
    account: i64,
    user_row: Option<i64>,
    range: &Range,
) -> Result<Vec<Payment>, JazeError> {
    let rows = bind_filter!(
        sqlx::query(concat!(
            "select p.id, p.payment_id, u.user_id, u.customer_number, p.amount, p.method, p.bank, p.created_at \
             from jaze_payments p join jaze_users u on u.id = p.user_row where",
            payment_filter!(),
            "order by p.created_at, p.payment_id"
        )),
        account,
        user_row,
        range
    )
    .fetch_all(&mut *conn)
    .await?;
    let links = bind_filter!(
        sqlx::query(concat!(
            "select pi.payment_row, i.invoice_id from jaze_payment_invoices pi \
             join jaze_invoices i on i.id = pi.invoice_row join jaze_payments p on p.id = pi.payment_row where",
            payment_filter!(),
            "order by pi.payment_row, pi.position"
        )),
        account,
        user_row,
        range
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut invoices: HashMap<i64, Vec<i64>> = HashMap::new();
    for link in links {
        invoices
            .entry(link.get("payment_row"))
            .or_default()
            .push(link.get("invoice_id"));
    }
    rows.into_iter()
        .map(|r| {
            let row: i64 = r.get("id");
            Ok(Payment {
                payment_id: r.get("payment_id"),
                user_id: r.get("user_id"),
                customer_number: r.get("customer_number"),
                amount: ten_decimals(r.get("amount"))?,
                created: india_time(r.get("created_at"))?,
                method: Method::parse(r.get("method"))
                    .ok_or_else(|| corrupt("method", r.get("method")))?,
                bank: r.get("bank"),
                invoice_ids: invoices.remove(&row).unwrap_or_default(),
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
pub async fn payment_ids(
    conn: &mut SqliteConnection,
    account: i64,
    range: &Range,
) -> Result<Value, JazeError> {
    let ids: Vec<i64> = bind_filter!(
        sqlx::query_scalar(concat!(
            "select p.payment_id from jaze_payments p where",
            payment_filter!(),
            "order by p.payment_id"
        )),
        account,
        None::<i64>,
        range
    )
    .fetch_all(conn)
    .await?;
    let object: Map<String, Value> = ids
        .into_iter()
        .map(|id| (id.to_string(), json!(id)))
        .collect();
    Ok(Value::Object(object))
}

/// S2 and S4: `[{"customerNumber"}, [Payment…], [[PaymentInvoice…]…], [[[PaymentInfoCheque…]]…]]`.
pub async fn user_details(
    conn: &mut SqliteConnection,
    account: i64,
    user: &User,
    range: &Range,
) -> Result<Value, JazeError> {
    let payments = payments(conn, account, Some(user.row), range).await?;
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
pub async fn details_by_user(
    conn: &mut SqliteConnection,
    account: i64,
    range: &Range,
) -> Result<Value, JazeError> {
    let mut users: BTreeMap<i64, Vec<Value>> = BTreeMap::new();
    for p in payments(conn, account, None, range).await? {
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
pub async fn logs(
    conn: &mut SqliteConnection,
    account: i64,
    user_row: Option<i64>,
    range: &Range,
) -> Result<Value, JazeError> {
    let rows = bind_filter!(
        sqlx::query(concat!(
            "select g.merchant_txn_id, g.gateway_txn_id, g.details, g.currency, g.operator \
             from jaze_gateway_logs g join jaze_payments p on p.id = g.payment_row where",
            payment_filter!(),
            "order by p.created_at, p.payment_id"
        )),
        account,
        user_row,
        range
    )
    .fetch_all(conn)
    .await?;
    let logs = rows
        .iter()
        .map(|r| {
            json!({"ExternalPayment": {
                "merchantTxnId": r.get::<String, _>("merchant_txn_id"),
                "gateway_txn_id": r.get::<String, _>("gateway_txn_id"),
                "details": r.get::<String, _>("details"),
                "number": r.get::<String, _>("currency"),
                "operator": r.get::<String, _>("operator"),
            }})
        })
        .collect();
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
