//! PayPro's SQL for orders.

use super::lifecycle::OrderStatus;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
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

fn decode<T>(
    text: &str,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    parse(text).ok_or_else(|| sqlx::Error::Decode(format!("bad stored {what} `{text}`").into()))
}

fn time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn optional<T>(
    row: &SqliteRow,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, sqlx::Error> {
    row.get::<Option<String>, _>(column)
        .map(|text| decode(&text, column, &parse))
        .transpose()
}

fn order_from(row: &SqliteRow) -> Result<Order, sqlx::Error> {
    let decimal = |column: &str| {
        decode(&row.get::<String, _>(column), column, |t| {
            Decimal::from_str(t).ok()
        })
    };
    let date = |column: &str| decode(&row.get::<String, _>(column), column, |t| t.parse().ok());
    Ok(Order {
        id: row.get("id"),
        merchant_id: row.get("merchant_id"),
        connectpay_id: row.get("connectpay_id"),
        order_number: row.get("order_number"),
        order_amount: decimal("order_amount")?,
        amount_within_due: decimal("amount_within_due")?,
        amount_after_due: decimal("amount_after_due")?,
        fee: decimal("fee")?,
        due_date: date("order_due_date")?,
        issue_date: date("issue_date")?,
        order_type: row.get("order_type"),
        order_type_id: row.get("order_type_id"),
        transaction_status: row.get("transaction_status"),
        customer_name: row.get("customer_name"),
        customer_mobile: row.get("customer_mobile"),
        customer_email: row.get("customer_email"),
        customer_address: row.get("customer_address"),
        customer_bank: row.get("customer_bank"),
        bill_detail: row.get("bill_detail"),
        expire_after_seconds: row.get("expire_after_seconds"),
        status: decode(
            &row.get::<String, _>("status"),
            "status",
            OrderStatus::parse_stored,
        )?,
        created_at: decode(&row.get::<String, _>("created_at"), "created_at", time)?,
        paid_at: optional(row, "paid_at", time)?,
        amount_paid: optional(row, "amount_paid", |t| Decimal::from_str(t).ok())?,
        blocked_at: optional(row, "blocked_at", time)?,
        refunded_at: optional(row, "refunded_at", time)?,
        refunded_amount: optional(row, "refunded_amount", |t| Decimal::from_str(t).ok())?,
    })
}

const COLUMNS: &str = "id, merchant_id, connectpay_id, order_number, order_amount, \
    amount_within_due, amount_after_due, fee, order_due_date, issue_date, order_type, \
    order_type_id, transaction_status, customer_name, customer_mobile, customer_email, \
    customer_address, customer_bank, bill_detail, expire_after_seconds, status, created_at, \
    paid_at, amount_paid, blocked_at, refunded_at, refunded_amount";

fn select(condition: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from paypro_orders where {condition}"
    ))
}

fn orders(rows: Vec<SqliteRow>) -> Result<Vec<Order>, sqlx::Error> {
    rows.iter().map(order_from).collect()
}

/// The next ConnectPayId of a company on a day: the code, `YY`, `DDD`, a 5-digit sequence.
pub async fn next_connectpay_id(
    conn: &mut SqliteConnection,
    company_code: &str,
    day: NaiveDate,
) -> Result<String, sqlx::Error> {
    let prefix = format!("{company_code}{}", day.format("%y%j"));
    // A range on the unique index (`:` sorts right after `9`), not LIKE: SQLite cannot use an
    // index for a LIKE whose pattern is a parameter, and would scan every order.
    let last: Option<String> = sqlx::query_scalar(
        "select max(connectpay_id) from paypro_orders \
         where connectpay_id >= ?1 and connectpay_id < ?1 || ':' and length(connectpay_id) = 14",
    )
    .bind(&prefix)
    .fetch_one(conn)
    .await?;
    let next = last
        .and_then(|id| id.get(9..).and_then(|seq| seq.parse::<u32>().ok()))
        .unwrap_or(0)
        + 1;
    Ok(format!("{prefix}{next:05}"))
}

pub async fn insert(conn: &mut SqliteConnection, order: &Order) -> Result<i64, sqlx::Error> {
    let opt_time = |t: Option<DateTime<Utc>>| t.map(stamp);
    sqlx::query_scalar(
        "insert into paypro_orders (merchant_id, connectpay_id, order_number, order_key, order_amount, \
         amount_within_due, amount_after_due, fee, order_due_date, issue_date, order_type, \
         order_type_id, transaction_status, customer_name, customer_mobile, customer_email, \
         customer_address, customer_bank, bill_detail, expire_after_seconds, status, created_at, \
         paid_at, amount_paid, blocked_at, refunded_at, refunded_amount) \
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         returning id",
    )
    .bind(order.merchant_id)
    .bind(&order.connectpay_id)
    .bind(&order.order_number)
    .bind(order_key(&order.order_number))
    .bind(money(order.order_amount))
    .bind(money(order.amount_within_due))
    .bind(money(order.amount_after_due))
    .bind(money(order.fee))
    .bind(order.due_date.to_string())
    .bind(order.issue_date.to_string())
    .bind(&order.order_type)
    .bind(&order.order_type_id)
    .bind(&order.transaction_status)
    .bind(&order.customer_name)
    .bind(&order.customer_mobile)
    .bind(&order.customer_email)
    .bind(&order.customer_address)
    .bind(&order.customer_bank)
    .bind(&order.bill_detail)
    .bind(order.expire_after_seconds)
    .bind(order.status.stored())
    .bind(stamp(order.created_at))
    .bind(opt_time(order.paid_at))
    .bind(order.amount_paid.map(money))
    .bind(opt_time(order.blocked_at))
    .bind(opt_time(order.refunded_at))
    .bind(order.refunded_amount.map(money))
    .fetch_one(conn)
    .await
}

pub async fn by_number(
    conn: &mut SqliteConnection,
    merchant_id: i64,
    order_number: &str,
) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query(select("merchant_id = ? and order_key = ?"))
        .bind(merchant_id)
        .bind(order_key(order_number))
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(order_from).transpose()
}

/// An order by ConnectPayId; with `merchant_id`, only when it is that merchant's.
pub async fn by_connectpay_id(
    conn: &mut SqliteConnection,
    merchant_id: Option<i64>,
    connectpay_id: &str,
) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query(select("connectpay_id = ?"))
        .bind(connectpay_id)
        .fetch_optional(conn)
        .await?;
    Ok(row
        .as_ref()
        .map(order_from)
        .transpose()?
        .filter(|o| merchant_id.is_none_or(|m| m == o.merchant_id)))
}

/// The merchant's orders paid (or paid and later refunded) in `[from, to)`, in order of
/// payment.
pub async fn paid_between(
    conn: &mut SqliteConnection,
    merchant_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Order>, sqlx::Error> {
    let rows = sqlx::query(select(
        "merchant_id = ? and paid_at is not null and paid_at >= ? and paid_at < ? \
         order by paid_at, id",
    ))
    .bind(merchant_id)
    .bind(stamp(from))
    .bind(stamp(to))
    .fetch_all(conn)
    .await?;
    orders(rows)
}

pub async fn all(conn: &mut SqliteConnection) -> Result<Vec<Order>, sqlx::Error> {
    orders(
        sqlx::query(select("true order by id"))
            .fetch_all(conn)
            .await?,
    )
}

pub async fn mark_paid(
    conn: &mut SqliteConnection,
    id: i64,
    amount: Decimal,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update paypro_orders set status = 'paid', paid_at = ?, amount_paid = ? where id = ?",
    )
    .bind(stamp(at))
    .bind(money(amount))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn mark_blocked(
    conn: &mut SqliteConnection,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update paypro_orders set status = 'blocked', blocked_at = ? where id = ?")
        .bind(stamp(at))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_refunded(
    conn: &mut SqliteConnection,
    id: i64,
    amount: Decimal,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update paypro_orders set status = 'refunded', refunded_at = ?, refunded_amount = ? where id = ?",
    )
    .bind(stamp(at))
    .bind(money(amount))
    .bind(id)
    .execute(conn)
    .await?;
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
