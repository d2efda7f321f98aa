//! The merchant's changes (4.0 to 6.0, `moap`/`moab`/`mofr`): reading `CsvOrderNumbers`, and
//! whether an order can take the change now.

use super::{OrderStatus, effective, parse_decimal_18_2};
use crate::providers::paypro::store::merchants::Merchant;
use crate::providers::paypro::store::{Order, order_key};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::str::FromStr;

/// What the merchant does to its orders.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    Pay,
    Block,
    Refund,
}

/// One requested change: an order number, and for a refund the amount.
pub struct Wanted {
    pub number: String,
    pub amount: Option<Decimal>,
}

/// `CsvOrderNumbers` as refunds (`mofr`) or order numbers; None when malformed.
pub fn wanted(csv: &str, refunds: bool) -> Option<Vec<Wanted>> {
    if refunds {
        parse_refunds(csv)
    } else {
        Some(parse_numbers(csv))
    }
}

/// `A-1, A-2` → each order number once (in any case), blanks dropped.
fn parse_numbers(csv: &str) -> Vec<Wanted> {
    let mut seen = HashSet::new();
    csv.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty() && seen.insert(order_key(n)))
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
        if number.is_empty() || !seen.insert(order_key(number)) {
            return None;
        }
        // A number that is not a positive decimal(18,2) is that order's "Invalid Amount".
        wanted.push(Wanted {
            number: number.to_string(),
            amount: parse_decimal_18_2(amount),
        });
    }
    Some(wanted)
}

/// Why an order cannot take the change.
pub enum Refusal {
    Status(OrderStatus),
    Text(&'static str),
}

impl Refusal {
    pub fn label(&self, merchant: &Merchant) -> String {
        match self {
            Refusal::Status(status) => status.label(merchant.upper_case_status),
            Refusal::Text(text) => text.to_string(),
        }
    }
}

/// Why the order cannot take the change now, if it cannot.
pub fn why_not(
    order: &Order,
    item: &Wanted,
    change: Change,
    now: DateTime<Utc>,
) -> Option<Refusal> {
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
