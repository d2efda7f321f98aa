//! The dashboard's PayPro listings: a page of orders (newest first) filtered by merchant,
//! status and order number, a page of consumers, and the overview's counts. Each filter walks
//! an index in id order (migration 0011), so a page stays fast with 100,000 orders.

use super::consumers::Consumer;
use super::orders::{COLUMNS, Order, order_key, stamp};
use crate::db::DbError;
use crate::providers::paypro::rules::OrderStatus;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

/// Which orders a list shows; `None` for no filter.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub merchant_id: Option<i64>,
    /// The status as of now: an unpaid order past its expiry is blocked.
    pub status: Option<OrderStatus>,
    /// The start of the order number, in any case.
    pub number: Option<String>,
}

/// An unpaid order whose `OrderExpireAfterSeconds` have passed at `:now` (the stored times
/// and `now` are stamps, which order as text). The same rule as `rules::effective`.
const EXPIRED: &str = "(status = 'unpaid' and expire_after_seconds > 0 and \
     strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+' || expire_after_seconds || ' seconds') <= ?)";

/// Up to `limit` orders from `offset`, newest first.
pub fn orders(
    conn: &Connection,
    filter: &OrderFilter,
    now: DateTime<Utc>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Order>, DbError> {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(merchant) = filter.merchant_id {
        conditions.push("merchant_id = ?".into());
        values.push(merchant.into());
    }
    let now = stamp(now);
    match filter.status {
        None => {}
        Some(OrderStatus::Blocked) => {
            conditions.push(format!("(status = 'blocked' or {EXPIRED})"));
            values.push(now.into());
        }
        Some(OrderStatus::Unpaid) => {
            conditions.push(format!("status = 'unpaid' and not {EXPIRED}"));
            values.push(now.into());
        }
        Some(other) => {
            conditions.push("status = ?".into());
            values.push(other.stored().to_string().into());
        }
    }
    if let Some(number) = filter.number.as_deref().filter(|n| !n.is_empty()) {
        // A prefix as a range on the index (a LIKE with a parameter cannot use one).
        let start = order_key(number);
        conditions.push("order_key >= ? and order_key < ?".into());
        let end = format!("{start}\u{10FFFF}");
        values.push(start.into());
        values.push(end.into());
    }
    let condition = if conditions.is_empty() {
        "true".to_string()
    } else {
        conditions.join(" and ")
    };
    values.push(limit.into());
    values.push(offset.into());
    let sql = format!(
        "select {COLUMNS} from paypro_orders where {condition} order by id desc limit ? offset ?"
    );
    conn.prepare_cached(&sql)?
        .query_map(params_from_iter(values), Order::from_row)?
        .collect()
}

/// Up to `limit` consumers from `offset` (of one merchant, or all), oldest first, with their
/// merchant's username.
pub fn consumers(
    conn: &Connection,
    merchant_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<(String, Consumer)>, DbError> {
    conn.prepare_cached(
        "select m.username, c.id, c.consumer_id, c.name, c.mobile, c.email, c.address, \
         c.created_at from paypro_consumers c join paypro_merchants m on m.id = c.merchant_id \
         where ?1 is null or c.merchant_id = ?1 order by c.id limit ?2 offset ?3",
    )?
    .query_map(rusqlite::params![merchant_id, limit, offset], |row| {
        Ok((row.get("username")?, Consumer::from_row(row)?))
    })?
    .collect()
}

/// The overview's counts: merchants, orders, consumers.
pub fn counts(conn: &Connection) -> Result<Vec<(&'static str, i64)>, DbError> {
    let count = |table: &str| -> Result<i64, DbError> {
        conn.prepare_cached(&format!("select count(*) from {table}"))?
            .query_row([], |r| r.get(0))
    };
    Ok(vec![
        ("merchants", count("paypro_merchants")?),
        ("orders", count("paypro_orders")?),
        ("consumers", count("paypro_consumers")?),
    ])
}
