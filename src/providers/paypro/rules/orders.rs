//! The order rules of 1.0 and 2.0 (`co`, `cmo`): the request's shape, each order's fields in
//! the spec's order (the first problem is its answer), and what a magic order number does to
//! a new order.

use super::{MAX_ORDERS, OrderStatus, amount_due, parse_decimal_18_2, parse_order_date};
use super::{valid_email, valid_mobile};
use crate::providers::paypro::diagnoses;
use crate::providers::paypro::errors::Failure;
use crate::providers::paypro::magic::{self, Magic};
use crate::providers::paypro::store::Order;
use crate::providers::paypro::store::merchants::Merchant;
use crate::providers::paypro::wire::OrderRequest;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

/// `03` for a payload that is not `[{credentials},{order},...]`.
pub fn object_error() -> Failure {
    Failure::invalid("Invalid Data. Object sent from client has error")
}

/// `03` when element 0 names neither credential.
pub fn no_main_table() -> Failure {
    Failure::invalid("Invalid Data. Main table details are not provided")
}

/// The order elements, when their number and kind fit the service (`co`: `single`) and none
/// asks for an outage.
pub fn order_elements(elements: Vec<Value>, single: bool) -> Result<Vec<OrderRequest>, Failure> {
    if !single && elements.len() > MAX_ORDERS {
        return Err(Failure::invalid(
            "Invalid Data. Maximum 50 orders are allowed in one request",
        ));
    }
    if elements.is_empty() || (single && elements.len() != 1) {
        return Err(object_error());
    }
    let orders: Vec<OrderRequest> = elements
        .into_iter()
        .map(|o| {
            o.is_object()
                .then(|| serde_json::from_value(o).ok())
                .flatten()
        })
        .collect::<Option<_>>()
        .ok_or_else(object_error)?;
    let outage = |o: &OrderRequest| {
        o.order_number
            .as_deref()
            .is_some_and(|n| magic::of(n) == Some(Magic::Outage))
    };
    if orders.iter().any(outage) {
        return Err(Failure::service_fail());
    }
    Ok(orders)
}

fn invalid(what: &str) -> Failure {
    Failure::invalid(format!("Invalid Data. {what}"))
}

fn out_of_limits() -> Failure {
    invalid("Order amount is out of limits")
}

fn required(value: &Option<String>, label: &str) -> Result<String, Failure> {
    value
        .clone()
        .ok_or_else(|| invalid(&format!("{label} is not provided")))
}

fn limited(label: &str, max: usize, value: &Option<String>) -> Result<String, Failure> {
    match value {
        Some(v) if v.chars().count() > max => Err(invalid(&format!("{label} length is invalid"))),
        _ => Ok(value.clone().unwrap_or_default()),
    }
}

/// One order's fields, in the spec's order, as a new order of the merchant (its
/// ConnectPayId and times are given when it is stored).
pub fn check_order(order: &OrderRequest, merchant: &Merchant) -> Result<Order, Failure> {
    let order_number = required(&order.order_number, "Order number")?;
    limited("Order number", 256, &order.order_number)?;
    let min = Decimal::from_str(&merchant.min_amount).unwrap_or(Decimal::ONE);
    let max = Decimal::from_str(&merchant.max_amount).unwrap_or(Decimal::MAX);
    let refused = |field: &str, got: &str| {
        let (min, max) = (merchant.min_amount.as_str(), merchant.max_amount.as_str());
        out_of_limits().with(diagnoses::bad_amount(field, got, min, max))
    };
    let amount_text = required(&order.order_amount, "Order amount")?;
    let amount = parse_decimal_18_2(&amount_text)
        .filter(|a| (min..=max).contains(a))
        .ok_or_else(|| refused("OrderAmount", &amount_text))?;
    let date = |value: &Option<String>, label: &str, field: &str| {
        let text = required(value, label)?;
        parse_order_date(&text).ok_or_else(|| {
            invalid(&format!("{label} format is invalid")).with(diagnoses::bad_date(field, &text))
        })
    };
    let due_date = date(&order.order_due_date, "Order due date", "OrderDueDate")?;
    let issue_date = date(&order.issue_date, "Issue date", "IssueDate")?;
    let order_type = required(&order.order_type, "Order type")?;
    let customer_name = required(&order.customer_name, "Customer name")?;
    limited("Customer name", 32, &order.customer_name)?;
    let customer_address = limited("Customer address", 64, &order.customer_address)?;
    let customer_mobile = order.customer_mobile.clone().unwrap_or_default();
    let customer_email = order.customer_email.clone().unwrap_or_default();
    if (!customer_mobile.is_empty() && !valid_mobile(&customer_mobile))
        || (!customer_email.is_empty() && !valid_email(&customer_email))
    {
        return Err(invalid("Mobile no. and email is not in valid format"));
    }
    let optional_amount = |value: &Option<String>, field: &str| match value {
        None => Ok(amount),
        Some(text) => parse_decimal_18_2(text)
            .filter(|a| (min..=max).contains(a))
            .ok_or_else(|| refused(field, text)),
    };
    let amount_within_due = optional_amount(
        &order.order_amount_within_due_date,
        "OrderAmountWithinDueDate",
    )?;
    let amount_after_due = optional_amount(
        &order.order_amount_after_due_date,
        "OrderAmountAfterDueDate",
    )?;
    let expire_after_seconds = match &order.order_expire_after_seconds {
        None => 0,
        Some(text) => text
            .parse::<u32>()
            .map_err(|_| invalid("Order expire after seconds is invalid"))?
            .into(),
    };
    if due_date < issue_date {
        return Err(invalid("Due date should not be less than issue date"));
    }
    Ok(Order {
        id: 0,
        merchant_id: merchant.id,
        connectpay_id: String::new(),
        order_number,
        order_amount: amount,
        amount_within_due,
        amount_after_due,
        fee: Decimal::from_str(&merchant.fee).unwrap_or_default(),
        due_date,
        issue_date,
        order_type,
        order_type_id: order.order_type_id.clone(),
        transaction_status: order.transaction_status.clone(),
        customer_name,
        customer_mobile,
        customer_email,
        customer_address,
        customer_bank: order.customer_bank.clone().unwrap_or_default(),
        bill_detail: order.bill_detail.clone(),
        expire_after_seconds,
        status: OrderStatus::Unpaid,
        // Stamped when stored, inside the write transaction.
        created_at: DateTime::UNIX_EPOCH,
        paid_at: None,
        amount_paid: None,
        blocked_at: None,
        refunded_at: None,
        refunded_amount: None,
    })
}

/// A new order created at `now`: a magic order number makes it paid or blocked at once.
pub fn created_at(order: &mut Order, merchant: &Merchant, now: DateTime<Utc>) {
    order.created_at = now;
    match magic::of(&order.order_number) {
        Some(Magic::Paid) => {
            order.amount_paid = Some(amount_due(order, now, merchant.offset()));
            order.status = OrderStatus::Paid;
            order.paid_at = Some(now);
        }
        Some(Magic::Blocked) => {
            order.status = OrderStatus::Blocked;
            order.blocked_at = Some(now);
        }
        _ => {}
    }
}
