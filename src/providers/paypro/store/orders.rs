//! PayPro's SQL for orders.

use crate::db::DbError;
use crate::providers::paypro::rules::OrderStatus;
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct Order {
    pub id: i64,
    pub merchant_id: i64,
    pub connectpay_id: String,
    pub order_number: String,
    pub order_amount: Decimal,
    pub amount_within_due: Decimal,
    pub amount_after_due: Decimal,
    pub fee: Decimal,
    pub due_date: NaiveDate,
    pub issue_date: NaiveDate,
    pub order_type: String,
    pub order_type_id: Option<String>,
    pub transaction_status: Option<String>,
    pub customer_name: String,
    pub customer_mobile: String,
    pub customer_email: String,
    pub customer_address: String,
    pub customer_bank: String,
    pub bill_detail: Option<String>,
    pub expire_after_seconds: i64,
    pub status: OrderStatus,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub amount_paid: Option<Decimal>,
    pub blocked_at: Option<DateTime<Utc>>,
    pub refunded_at: Option<DateTime<Utc>>,
    pub refunded_amount: Option<Decimal>,
}

pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn money(value: Decimal) -> String {
    format!("{:.2}", value)
}

/// A stored text that does not parse as what its column holds.
#[derive(Debug, thiserror::Error)]
#[error("bad stored {what} `{text}`")]
struct BadStored {
    what: &'static str,
    text: String,
}

fn time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn decimal(text: &str) -> Option<Decimal> {
    Decimal::from_str(text).ok()
}

fn date(text: &str) -> Option<NaiveDate> {
    text.parse().ok()
}

/// Every column [`Order::from_row`] reads, in its order (for queries built at run time).
pub(super) const COLUMNS: &str = "id, merchant_id, connectpay_id, order_number, order_amount, \
     amount_within_due, amount_after_due, fee, order_due_date, issue_date, order_type, \
     order_type_id, transaction_status, customer_name, customer_mobile, customer_email, \
     customer_address, customer_bank, bill_detail, expire_after_seconds, status, \
     created_at, paid_at, amount_paid, blocked_at, refunded_at, refunded_amount";

/// `select <every column> from paypro_orders where <condition>`.
macro_rules! select {
    ($condition:literal) => {
        concat!(
            "select id, merchant_id, connectpay_id, order_number, order_amount, \
             amount_within_due, amount_after_due, fee, order_due_date, issue_date, order_type, \
             order_type_id, transaction_status, customer_name, customer_mobile, customer_email, \
             customer_address, customer_bank, bill_detail, expire_after_seconds, status, \
             created_at, paid_at, amount_paid, blocked_at, refunded_at, refunded_amount \
             from paypro_orders where ",
            $condition
        )
    };
}

/// A text column parsed by `parse`; `what` names it in the error.
fn parsed<T>(
    row: &Row,
    index: usize,
    what: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text = row.get_ref(index)?.as_str()?;
    parse(text).ok_or_else(|| bad_stored(index, what, text))
}

/// A nullable text column parsed by `parse`.
fn parsed_optional<T>(
    row: &Row,
    index: usize,
    what: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    row.get_ref(index)?
        .as_str_or_null()?
        .map(|text| parse(text).ok_or_else(|| bad_stored(index, what, text)))
        .transpose()
}

#[cold]
fn bad_stored(index: usize, what: &'static str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        Type::Text,
        Box::new(BadStored {
            what,
            text: text.to_string(),
        }),
    )
}

impl Order {
    /// An order from a row of `select!`, read by position (`gpojson` decodes up to 100,000
    /// rows, and each column name would cost a search of the columns).
    pub(super) fn from_row(row: &Row) -> rusqlite::Result<Order> {
        Ok(Order {
            id: row.get(0)?,
            merchant_id: row.get(1)?,
            connectpay_id: row.get(2)?,
            order_number: row.get(3)?,
            order_amount: parsed(row, 4, "order_amount", decimal)?,
            amount_within_due: parsed(row, 5, "amount_within_due", decimal)?,
            amount_after_due: parsed(row, 6, "amount_after_due", decimal)?,
            fee: parsed(row, 7, "fee", decimal)?,
            due_date: parsed(row, 8, "order_due_date", date)?,
            issue_date: parsed(row, 9, "issue_date", date)?,
            order_type: row.get(10)?,
            order_type_id: row.get(11)?,
            transaction_status: row.get(12)?,
            customer_name: row.get(13)?,
            customer_mobile: row.get(14)?,
            customer_email: row.get(15)?,
            customer_address: row.get(16)?,
            customer_bank: row.get(17)?,
            bill_detail: row.get(18)?,
            expire_after_seconds: row.get(19)?,
            status: parsed(row, 20, "status", OrderStatus::parse_stored)?,
            created_at: parsed(row, 21, "created_at", time)?,
            paid_at: parsed_optional(row, 22, "paid_at", time)?,
            amount_paid: parsed_optional(row, 23, "amount_paid", decimal)?,
            blocked_at: parsed_optional(row, 24, "blocked_at", time)?,
            refunded_at: parsed_optional(row, 25, "refunded_at", time)?,
            refunded_amount: parsed_optional(row, 26, "refunded_amount", decimal)?,
        })
    }
}

/// The next ConnectPayId of a company on a day: the code, `YY`, `DDD`, a 5-digit sequence.
pub fn next_connectpay_id(
    conn: &Connection,
    company_code: &str,
    day: NaiveDate,
) -> Result<String, DbError> {
    // `%y%j` written out: chrono's `format` parses its pattern on every call (1% of a `co`).
    let prefix = format!(
        "{company_code}{:02}{:03}",
        day.year().rem_euclid(100),
        day.ordinal()
    );
    // A range on the unique index (`:` sorts right after `9`), not LIKE: SQLite cannot use an
    // index for a LIKE whose pattern is a parameter, and would scan every order.
    let last: Option<String> = conn
        .prepare_cached(
            "select max(connectpay_id) from paypro_orders \
             where connectpay_id >= ?1 and connectpay_id < ?1 || ':' and length(connectpay_id) = 14",
        )?
        .query_row([&prefix], |r| r.get(0))?;
    let next = last
        .and_then(|id| id.get(9..).and_then(|seq| seq.parse::<u32>().ok()))
        .unwrap_or(0)
        + 1;
    Ok(format!("{prefix}{next:05}"))
}

/// Inserts the order; its row id. (The id is the connection's last inserted row, not a
/// `returning` clause: SQLite buffers returned rows in a temporary table it opens for each
/// execution, a tenth of the statement's cost here.)
pub fn insert(conn: &Connection, order: &Order) -> Result<i64, DbError> {
    let opt_time = |t: Option<DateTime<Utc>>| t.map(stamp);
    conn.prepare_cached(
        "insert into paypro_orders (merchant_id, connectpay_id, order_number, order_key, order_amount, \
         amount_within_due, amount_after_due, fee, order_due_date, issue_date, order_type, \
         order_type_id, transaction_status, customer_name, customer_mobile, customer_email, \
         customer_address, customer_bank, bill_detail, expire_after_seconds, status, created_at, \
         paid_at, amount_paid, blocked_at, refunded_at, refunded_amount) \
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
            order.merchant_id,
            order.connectpay_id,
            order.order_number,
            order_key(&order.order_number),
            money(order.order_amount),
            money(order.amount_within_due),
            money(order.amount_after_due),
            money(order.fee),
            order.due_date.to_string(),
            order.issue_date.to_string(),
            order.order_type,
            order.order_type_id,
            order.transaction_status,
            order.customer_name,
            order.customer_mobile,
            order.customer_email,
            order.customer_address,
            order.customer_bank,
            order.bill_detail,
            order.expire_after_seconds,
            order.status.stored(),
            stamp(order.created_at),
            opt_time(order.paid_at),
            order.amount_paid.map(money),
            opt_time(order.blocked_at),
            opt_time(order.refunded_at),
            order.refunded_amount.map(money),
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn by_number(
    conn: &Connection,
    merchant_id: i64,
    order_number: &str,
) -> Result<Option<Order>, DbError> {
    conn.prepare_cached(select!("merchant_id = ? and order_key = ?"))?
        .query_row(
            params![merchant_id, order_key(order_number)],
            Order::from_row,
        )
        .optional()
}

/// An order by ConnectPayId; with `merchant_id`, only when it is that merchant's.
pub fn by_connectpay_id(
    conn: &Connection,
    merchant_id: Option<i64>,
    connectpay_id: &str,
) -> Result<Option<Order>, DbError> {
    Ok(conn
        .prepare_cached(select!("connectpay_id = ?"))?
        .query_row([connectpay_id], Order::from_row)
        .optional()?
        .filter(|o| merchant_id.is_none_or(|m| m == o.merchant_id)))
}

/// The merchant's orders paid (or paid and later refunded) in `[from, to)`, in order of
/// payment.
pub fn paid_between(
    conn: &Connection,
    merchant_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Order>, DbError> {
    conn.prepare_cached(select!(
        "merchant_id = ? and paid_at is not null and paid_at >= ? and paid_at < ? \
         order by paid_at, id"
    ))?
    .query_map(
        params![merchant_id, stamp(from), stamp(to)],
        Order::from_row,
    )?
    .collect()
}

pub fn all(conn: &Connection) -> Result<Vec<Order>, DbError> {
    conn.prepare_cached(select!("true order by id"))?
        .query_map([], Order::from_row)?
        .collect()
}

pub fn mark_paid(
    conn: &Connection,
    id: i64,
    amount: Decimal,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "update paypro_orders set status = 'paid', paid_at = ?, amount_paid = ? where id = ?",
    )?
    .execute(params![stamp(at), money(amount), id])?;
    Ok(())
}

pub fn mark_blocked(conn: &Connection, id: i64, at: DateTime<Utc>) -> Result<(), DbError> {
    conn.prepare_cached(
        "update paypro_orders set status = 'blocked', blocked_at = ? where id = ?",
    )?
    .execute(params![stamp(at), id])?;
    Ok(())
}

pub fn mark_refunded(
    conn: &Connection,
    id: i64,
    amount: Decimal,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "update paypro_orders set status = 'refunded', refunded_at = ?, refunded_amount = ? where id = ?",
    )?
    .execute(params![stamp(at), money(amount), id])?;
    Ok(())
}

/// Order numbers are one number whatever their case, in every script (SQL Server's
/// case-insensitive collation).
pub fn order_key(order_number: &str) -> String {
    order_number.to_lowercase()
}

/// An amount as PayPro echoes it: a whole amount without decimals (`"4400"`), else two.
pub fn shown(value: Decimal) -> String {
    if value.fract().is_zero() {
        value.trunc().to_string()
    } else {
        format!("{:.2}", value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        time(text).unwrap()
    }

    #[test]
    fn a_connectpay_id_is_the_company_the_year_the_day_of_the_year_and_a_sequence() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("create table paypro_orders (connectpay_id text)")
            .unwrap();
        for (day, prefix) in [
            ((2019, 7, 9), "0047"),
            ((2026, 1, 1), "0110"),
            ((2000, 12, 31), "0039"),
            ((2024, 12, 31), "0040"),
        ] {
            let day = NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap();
            let id = next_connectpay_id(&conn, prefix, day).unwrap();
            // As the document's `%y%j` (chrono's own formatting) would write it.
            assert_eq!(id, format!("{prefix}{}00001", day.format("%y%j")));
        }
    }

    #[tokio::test]
    async fn every_column_reads_back_as_written() {
        let db = crate::catalogue::database("sqlite::memory:").unwrap();
        let order = Order {
            id: 0,
            merchant_id: 7,
            connectpay_id: "10002512300001".into(),
            order_number: "Ord-1".into(),
            order_amount: Decimal::new(440000, 2),
            amount_within_due: Decimal::new(450000, 2),
            amount_after_due: Decimal::new(460050, 2),
            fee: Decimal::new(1000, 2),
            due_date: "2025-05-04".parse().unwrap(),
            issue_date: "2025-05-01".parse().unwrap(),
            order_type: "Service".into(),
            order_type_id: Some("type-id".into()),
            transaction_status: Some("transaction".into()),
            customer_name: "name".into(),
            customer_mobile: "03123456789".into(),
            customer_email: "a@b.pk".into(),
            customer_address: "address".into(),
            customer_bank: "bank".into(),
            bill_detail: Some(r#"[{"x":1}]"#.into()),
            expire_after_seconds: 90,
            status: OrderStatus::Refunded,
            created_at: at("2025-05-01T10:00:00.125Z"),
            paid_at: Some(at("2025-05-02T10:00:00Z")),
            amount_paid: Some(Decimal::new(450000, 2)),
            blocked_at: Some(at("2025-05-03T10:00:00Z")),
            refunded_at: Some(at("2025-05-04T10:00:00Z")),
            refunded_amount: Some(Decimal::new(12345, 2)),
        };
        let (id, back) = db
            .write(|conn| {
                conn.execute(
                    "insert into paypro_merchants (id, username, password, company_code, \
                     min_amount, max_amount, fee, services, utc_offset, status_case) \
                     values (7, 'u', 'p', '1000', '1.00', '9.00', '0.00', '[]', '+05:00', 'title')",
                    [],
                )?;
                let id = insert(conn, &order)?;
                Ok::<_, DbError>((id, by_number(conn, 7, "ORD-1")?))
            })
            .await
            .unwrap();
        let expected = Order { id, ..order };
        assert_eq!(format!("{:?}", back.unwrap()), format!("{expected:?}"));
    }
}
