//! The order lifecycle on the sandbox clock: `Unpaid` → `Paid` → `Refunded`, `Unpaid` →
//! `Blocked`. An unpaid order reads as blocked once `OrderExpireAfterSeconds` have passed,
//! with no background job; the amount due switches at the end of the due date.

use crate::providers::paypro::store::Order;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    Unpaid,
    Paid,
    Blocked,
    Refunded,
}

impl OrderStatus {
    pub fn stored(self) -> &'static str {
        match self {
            OrderStatus::Unpaid => "unpaid",
            OrderStatus::Paid => "paid",
            OrderStatus::Blocked => "blocked",
            OrderStatus::Refunded => "refunded",
        }
    }

    pub fn parse_stored(text: &str) -> Option<Self> {
        match text {
            "unpaid" => Some(OrderStatus::Unpaid),
            "paid" => Some(OrderStatus::Paid),
            "blocked" => Some(OrderStatus::Blocked),
            "refunded" => Some(OrderStatus::Refunded),
            _ => None,
        }
    }

    /// As `OrderStatus` shows it: `Paid`, or `PAID` for a merchant with `status_case: upper`.
    pub fn label(self, upper: bool) -> String {
        let title = match self {
            OrderStatus::Unpaid => "Unpaid",
            OrderStatus::Paid => "Paid",
            OrderStatus::Blocked => "Blocked",
            OrderStatus::Refunded => "Refunded",
        };
        if upper {
            title.to_uppercase()
        } else {
            title.to_string()
        }
    }
}

/// The status as of `now`.
pub fn effective(order: &Order, now: DateTime<Utc>) -> OrderStatus {
    if order.status == OrderStatus::Unpaid && expired(order, now) {
        OrderStatus::Blocked
    } else {
        order.status
    }
}

/// When an unpaid order with `OrderExpireAfterSeconds` is blocked.
pub fn expires_at(order: &Order) -> Option<DateTime<Utc>> {
    (order.expire_after_seconds > 0)
        .then(|| order.created_at + Duration::seconds(order.expire_after_seconds))
}

fn expired(order: &Order, now: DateTime<Utc>) -> bool {
    expires_at(order).is_some_and(|at| now >= at)
}

/// What the customer pays now: the amount within the due date until the end of that day in
/// the merchant's time zone, the amount after it from then on.
pub fn amount_due(order: &Order, now: DateTime<Utc>, offset: FixedOffset) -> Decimal {
    if now.with_timezone(&offset).date_naive() <= order.due_date {
        order.amount_within_due
    } else {
        order.amount_after_due
    }
}
