//! 4.0 Mark Order as Paid (`moap`), 5.0 Mark Order as Blocked (`moab`), 6.0 Mark Order as
//! Refund (`mofr`): the merchant changes its orders, all or nothing.

use crate::app::AppState;
use crate::providers::paypro::auth::{Merchant, authenticate};
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::handlers::extract::Payload;
use crate::providers::paypro::payload::{Inputs, Props, parse_lenient};
use crate::providers::paypro::rules::MAX_CSV_ORDERS;
use crate::providers::paypro::rules::{OrderStatus, amount_due, effective};
use crate::providers::paypro::store::{self, Order};
use crate::providers::paypro::wire::answer;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::str::FromStr;

#[derive(Clone, Copy, PartialEq)]
enum Change {
    Pay,
    Block,
    Refund,
}

pub async fn moap(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    change(&state, &inputs, Change::Pay).await
}

pub async fn moab(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    change(&state, &inputs, Change::Block).await
}

pub async fn mofr(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    change(&state, &inputs, Change::Refund).await
}

/// One requested change: an order number, and for a refund the amount.
struct Wanted {
    number: String,
    amount: Option<Decimal>,
}

async fn change(state: &AppState, inputs: &Inputs, change: Change) -> Result<Response, Failure> {
    let service = match change {
        Change::Pay => "moap",
        Change::Block => "moab",
        Change::Refund => "mofr",
    };
    let text = inputs
        .payload("csvOrders")
        .ok_or_else(Failure::invalid_format)?;
    if text.chars().count() > MAX_CSV_ORDERS {
        return Err(Failure::invalid_format());
    }
    let Some(Value::Object(object)) = parse_lenient(&text) else {
        return Err(Failure::invalid_format());
    };
    let props = Props(&object);
    let username = props.text("Username");
    let password = props.text("Password");
    // Checked after the credentials: their failures answer first.
    let wanted = props
        .text("CsvOrderNumbers")
        .and_then(|csv| {
            if change == Change::Refund {
                parse_refunds(&csv)
            } else {
                Some(parse_numbers(&csv))
            }
        })
        .filter(|w| !w.is_empty())
        .ok_or_else(Failure::invalid_format);
    let merchant = state
        .db
        .read(|conn| authenticate(conn, username.as_deref(), password.as_deref(), service))
        .await?;
    let wanted = wanted?;
    let now = state.clock.now();
    let refused = state
        .db
        .write(|conn| apply(conn, &merchant, &wanted, change, now))
        .await?;
    if refused.is_empty() {
        return Ok(answer(Code::Success, []));
    }
    let items = refused.into_iter().map(|refused| match refused {
        Refused::NotFound(number) => json!({"OrderNumber": number, "OrderStatus": "Not Found"}),
        Refused::Order(order, reason) => json!({
            "OrderNumber": order.order_number,
            "OrderStatus": reason.label(&merchant),
            "ConnectPayId": order.connectpay_id,
        }),
    });
    Ok(answer(Code::Rejected, items))
}

/// An order the change was refused for.
enum Refused {
    /// No order of the merchant has this number.
    NotFound(String),
    Order(Box<Order>, Refusal),
}

/// The wanted changes: all made, or none and the refusals, in one transaction.
fn apply(
    conn: &Connection,
    merchant: &Merchant,
    wanted: &[Wanted],
    change: Change,
    now: DateTime<Utc>,
) -> Result<Vec<Refused>, Failure> {
    let mut found = Vec::new();
    let mut refused = Vec::new();
    for item in wanted {
        match store::by_number(conn, merchant.id, &item.number)? {
            None => refused.push(Refused::NotFound(item.number.clone())),
            Some(order) => match why_not(&order, item, change, now) {
                None => found.push((order, item.amount)),
                Some(reason) => refused.push(Refused::Order(Box::new(order), reason)),
            },
        }
    }
    let any_exists = !found.is_empty() || refused.iter().any(|r| matches!(r, Refused::Order(..)));
    if !any_exists {
        return Err(Failure::no_data());
    }
    if !refused.is_empty() {
        return Ok(refused);
    }
    for (order, amount) in found {
        match change {
            Change::Pay => {
                let due = amount_due(&order, now, merchant.offset());
                store::mark_paid(conn, order.id, due, now)?;
            }
            Change::Block => store::mark_blocked(conn, order.id, now)?,
            Change::Refund => {
                store::mark_refunded(conn, order.id, amount.unwrap_or_default(), now)?
            }
        }
    }
    Ok(Vec::new())
}

/// Why an order cannot take the change.
enum Refusal {
    Status(OrderStatus),
    Text(&'static str),
}

impl Refusal {
    fn label(&self, merchant: &Merchant) -> String {
        match self {
            Refusal::Status(status) => status.label(merchant.upper_case_status),
            Refusal::Text(text) => text.to_string(),
        }
    }
}

fn why_not(order: &Order, item: &Wanted, change: Change, now: DateTime<Utc>) -> Option<Refusal> {
    let status = effective(order, now);
    match change {
        Change::Pay | Change::Block => {
            (status != OrderStatus::Unpaid).then_some(Refusal::Status(status))
        }
        Change::Refund => match status {
            OrderStatus::Refunded => Some(Refusal::Text("Already Refunded")),
            OrderStatus::Paid => {
                let paid = order.amount_paid.unwrap_or_default();
                let ok = item.amount.is_some_and(|a| a > Decimal::ZERO && a <= paid);
                (!ok).then_some(Refusal::Text("Invalid Amount"))
            }
            other => Some(Refusal::Status(other)),
        },
    }
}

/// `A-1, A-2` → each order number once (in any case), blanks dropped.
fn parse_numbers(csv: &str) -> Vec<Wanted> {
    let mut seen = HashSet::new();
    csv.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty() && seen.insert(crate::providers::paypro::store::order_key(n)))
        .map(|n| Wanted {
            number: n.to_string(),
            amount: None,
        })
        .collect()
}

/// `A-1,450|A-2,100|` → (number, amount) pairs; None when a pair is malformed.
fn parse_refunds(csv: &str) -> Option<Vec<Wanted>> {
    let mut seen = HashSet::new();
    let mut wanted = Vec::new();
    for pair in csv.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let (number, amount) = pair.split_once(',')?;
        let number = number.trim();
        let amount = amount.trim();
        Decimal::from_str(amount).ok()?;
        if number.is_empty() || !seen.insert(crate::providers::paypro::store::order_key(number)) {
            return None;
        }
        // A number that is not a positive decimal(18,2) is that order's "Invalid Amount".
        wanted.push(Wanted {
            number: number.to_string(),
            amount: crate::providers::paypro::rules::parse_decimal_18_2(amount),
        });
    }
    Some(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_lists_are_trimmed_and_deduplicated() {
        let numbers: Vec<String> = parse_numbers(" Cpay-10942,CPay-1011,,cpay-10942")
            .into_iter()
            .map(|w| w.number)
            .collect();
        assert_eq!(numbers, ["Cpay-10942", "CPay-1011"]);
    }

    #[test]
    fn refund_pairs_take_a_trailing_pipe_and_refuse_malformed_pairs() {
        let pairs = parse_refunds("89063-3,450|").unwrap();
        assert_eq!(
            (pairs[0].number.as_str(), pairs[0].amount),
            ("89063-3", Decimal::from_str("450").ok())
        );
        assert_eq!(parse_refunds("HR-1,450|KV-1,45.5").unwrap().len(), 2);
        assert!(parse_refunds("HR-1").is_none());
        assert!(parse_refunds("HR-1,abc").is_none());
    }
}
