//! The dashboard's PayPro listings: a page of orders (newest first) filtered by merchant,
//! status and order number, a page of consumers, and the overview's counts. Every order list
//! walks the orders by id, newest first, and filters as it goes: no index of its own, so that
//! writing an order pays for none (migration 0012).

use super::consumers::Consumer;
use super::orders::{COLUMNS, Order, order_key, stamp};
use crate::dashboard::kit::count;
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
        // `+` keeps the planner off the merchant's indexes: through one it would have to sort
        // all of the merchant's orders by id, where the walk by id stops after a page.
        conditions.push("+merchant_id = ?".into());
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
        // A prefix as a range of the lower-case key (a LIKE would also match `_` and `%`).
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
    Ok(vec![
        (
            "merchants",
            count(conn, "select count(*) from paypro_merchants")?,
        ),
        ("orders", count(conn, "select count(*) from paypro_orders")?),
        (
            "consumers",
            count(conn, "select count(*) from paypro_consumers")?,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::paypro::rules::effective;
    use crate::providers::paypro::store::orders::insert;
    use chrono::Duration;
    use rust_decimal::Decimal;

    fn order(number: &str, expire_after_seconds: i64, created_at: DateTime<Utc>) -> Order {
        let amount = Decimal::new(100, 0);
        Order {
            id: 0,
            merchant_id: 1,
            connectpay_id: format!("0001{number}"),
            order_number: number.into(),
            order_amount: amount,
            amount_within_due: amount,
            amount_after_due: amount,
            fee: Decimal::ZERO,
            due_date: "2099-01-01".parse().unwrap(),
            issue_date: "2026-01-01".parse().unwrap(),
            order_type: "Service".into(),
            order_type_id: None,
            transaction_status: None,
            customer_name: "c".into(),
            customer_mobile: String::new(),
            customer_email: String::new(),
            customer_address: String::new(),
            customer_bank: String::new(),
            bill_detail: None,
            expire_after_seconds,
            status: OrderStatus::Unpaid,
            created_at,
            paid_at: None,
            amount_paid: None,
            blocked_at: None,
            refunded_at: None,
            refunded_amount: None,
        }
    }

    /// The SQL filter reads an unpaid order as blocked from the very instant `effective` does.
    #[tokio::test]
    async fn the_status_filter_agrees_with_the_lifecycle_at_the_expiry_instant() {
        let db = crate::catalogue::database("sqlite::memory:").unwrap();
        let created: DateTime<Utc> = "2026-03-10T10:00:00.250Z".parse().unwrap();
        let (before, at, counted) = db
            .write(|conn| {
                conn.execute(
                    "insert into paypro_merchants (id, username, password, company_code, \
                     min_amount, max_amount, fee, services, utc_offset, status_case) \
                     values (1, 'u', 'p', '0001', '1.00', '9.00', '0.00', '[]', '+05:00', 'title')",
                    [],
                )?;
                for (number, expiry) in [("A", 60), ("B", 0)] {
                    insert(conn, &order(number, expiry, created))?;
                }
                let blocked = |now| {
                    let filter = OrderFilter {
                        status: Some(OrderStatus::Blocked),
                        ..OrderFilter::default()
                    };
                    orders(conn, &filter, now, 50, 0)
                };
                let expiry = created + Duration::seconds(60);
                let before = blocked(expiry - Duration::milliseconds(1))?;
                let at = blocked(expiry)?;
                Ok::<_, DbError>((before, at, counts(conn)?))
            })
            .await
            .unwrap();
        assert!(before.is_empty());
        assert_eq!(at.len(), 1);
        let expiry = created + Duration::seconds(60);
        assert_eq!(effective(&at[0], expiry), OrderStatus::Blocked);
        assert_eq!(
            effective(&at[0], expiry - Duration::milliseconds(1)),
            OrderStatus::Unpaid
        );
        assert_eq!(counted, [("merchants", 1), ("orders", 2), ("consumers", 0)]);
    }
}
