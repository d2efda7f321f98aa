//! 1.0 Single Order Creation (`co`) and 2.0 Multiple Order Creation (`cmo`): all or
//! nothing, each order checked in the spec's order, ConnectPayIds from the sandbox clock.

use crate::app::AppState;
use crate::providers::paypro::auth::{Merchant, authenticate};
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::handlers::extract::{Click2PayBase, Payload};
use crate::providers::paypro::magic::{self, Magic};
use crate::providers::paypro::payload::{Inputs, Props, parse_lenient};
use crate::providers::paypro::rules::parse_order_date;
use crate::providers::paypro::rules::{MAX_ORDERS, parse_decimal_18_2, valid_email, valid_mobile};
use crate::providers::paypro::rules::{OrderStatus, amount_due};
use crate::providers::paypro::store::{self, Order, shown};
use crate::providers::paypro::wire::answer;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::str::FromStr;

/// `POST|GET /cpay/co?oJson=[{credentials},{order}]`.
pub async fn co(
    State(state): State<AppState>,
    Click2PayBase(base): Click2PayBase,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    create(&state, &inputs, "co", &base).await
}

/// `POST /cpay/cmo` with a JSON file of `[{credentials},{order},...]`.
pub async fn cmo(
    State(state): State<AppState>,
    Click2PayBase(base): Click2PayBase,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    create(&state, &inputs, "cmo", &base).await
}

fn object_error() -> Failure {
    Failure::invalid("Invalid Data. Object sent from client has error")
}

async fn create(
    state: &AppState,
    inputs: &Inputs,
    service: &str,
    click2pay: &str,
) -> Result<Response, Failure> {
    let text = inputs.payload("oJson").ok_or_else(object_error)?;
    let Some(Value::Array(items)) = parse_lenient(&text) else {
        return Err(object_error());
    };
    let head = items
        .first()
        .and_then(Value::as_object)
        .ok_or_else(object_error)?;
    let head = Props(head);
    if !head.has("MerchantId") && !head.has("MerchantPassword") {
        return Err(Failure::invalid(
            "Invalid Data. Main table details are not provided",
        ));
    }
    let username = head.text("MerchantId");
    let password = head.text("MerchantPassword");
    // Checked after the credentials: their failures answer first.
    let orders = shape(&items[1..], service);
    let merchant = state
        .db
        .read(|conn| authenticate(conn, username.as_deref(), password.as_deref(), service))
        .await?;
    let now = state.clock.now();
    let checked: Vec<(String, Result<Order, Failure>)> = orders?
        .iter()
        .map(|props| {
            let number = props.text("OrderNumber").unwrap_or_default();
            (number, check_order(props, &merchant, now))
        })
        .collect();
    let created = state
        .db
        .write(|conn| create_in(conn, &merchant, checked, now))
        .await?;
    match created {
        Ok(created) => Ok(answer(
            Code::Success,
            created.iter().map(|order| created_item(order, click2pay)),
        )),
        Err(failures) if service == "co" => Err(failures.into_iter().next().expect("one").1),
        Err(failures) => {
            let status = failures[0].1.code;
            let items = failures
                .into_iter()
                .map(|(number, f)| json!({"OrderNumber": number, "Description": f.description}));
            Ok(answer(status, items))
        }
    }
}

/// The order elements, when their number and kind fit the service and none asks for an
/// outage.
fn shape<'a>(orders: &'a [Value], service: &str) -> Result<Vec<Props<'a>>, Failure> {
    if service == "cmo" && orders.len() > MAX_ORDERS {
        return Err(Failure::invalid(
            "Invalid Data. Maximum 50 orders are allowed in one request",
        ));
    }
    if orders.is_empty() || (service == "co" && orders.len() != 1) {
        return Err(object_error());
    }
    let orders: Vec<Props> = orders
        .iter()
        .map(|o| o.as_object().map(Props))
        .collect::<Option<_>>()
        .ok_or_else(object_error)?;
    let outage = |o: &Props| {
        o.text("OrderNumber")
            .is_some_and(|n| magic::of(&n) == Some(Magic::Outage))
    };
    if orders.iter().any(outage) {
        return Err(Failure::service_fail());
    }
    Ok(orders)
}

/// Every failing order's number as sent and its failure, in the request's order.
type Failures = Vec<(String, Failure)>;

/// The checked orders, created all (with their ConnectPayIds and magic applied) unless one
/// failed its checks or exists already: then every failure, and nothing is created.
fn create_in(
    conn: &Connection,
    merchant: &Merchant,
    checked: Vec<(String, Result<Order, Failure>)>,
    now: DateTime<Utc>,
) -> Result<Result<Vec<Order>, Failures>, Failure> {
    let mut seen = HashSet::new();
    let mut orders = Vec::new();
    let mut failures: Failures = Vec::new();
    for (number, result) in checked {
        let result = match result {
            Ok(order) => {
                let repeated = !seen.insert(store::order_key(&order.order_number))
                    || store::by_number(conn, merchant.id, &order.order_number)?.is_some();
                if repeated {
                    Err(Failure::new(
                        Code::Rejected,
                        format!("Order number {number} already exists"),
                    ))
                } else {
                    Ok(order)
                }
            }
            Err(failure) => Err(failure),
        };
        match result {
            Ok(order) => orders.push(order),
            Err(failure) => failures.push((number, failure)),
        }
    }
    if !failures.is_empty() {
        return Ok(Err(failures));
    }
    let day = now.with_timezone(&merchant.offset()).date_naive();
    for order in &mut orders {
        order.connectpay_id = store::next_connectpay_id(conn, &merchant.company_code, day)?;
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
        store::insert(conn, order)?;
    }
    Ok(Ok(orders))
}

/// One created order as the answer lists it.
fn created_item(order: &Order, click2pay: &str) -> Value {
    json!({
        "Description": format!("Order number {} created successfully", order.order_number),
        "OrderAmount": shown(order.order_amount),
        "ConnectPayFee": shown(order.fee),
        "ConnectPayId": order.connectpay_id,
        "OrderNumber": order.order_number,
        "IsFeeApplied": if order.fee > Decimal::ZERO { "True" } else { "False" },
        "Click2Pay": format!("{click2pay}{}", order.connectpay_id),
    })
}

/// One order's fields, in the spec's order; the first problem is its answer.
fn check_order(props: &Props, merchant: &Merchant, now: DateTime<Utc>) -> Result<Order, Failure> {
    let invalid = |what: &str| Failure::invalid(format!("Invalid Data. {what}"));
    let required = |field: &str, label: &str| {
        props
            .text(field)
            .ok_or_else(|| invalid(&format!("{label} is not provided")))
    };
    let limited = |label: &str, max: usize, value: Option<String>| match value {
        Some(v) if v.chars().count() > max => Err(invalid(&format!("{label} length is invalid"))),
        _ => Ok(value.unwrap_or_default()),
    };
    let out_of_limits = || invalid("Order amount is out of limits");

    let order_number = required("OrderNumber", "Order number")?;
    limited("Order number", 256, Some(order_number.clone()))?;
    let amount_text = required("OrderAmount", "Order amount")?;
    let amount = parse_decimal_18_2(&amount_text).ok_or_else(out_of_limits)?;
    let min = Decimal::from_str(&merchant.min_amount).unwrap_or(Decimal::ONE);
    let max = Decimal::from_str(&merchant.max_amount).unwrap_or(Decimal::MAX);
    if amount < min || amount > max {
        return Err(out_of_limits());
    }
    let due_date = parse_order_date(&required("OrderDueDate", "Order due date")?)
        .ok_or_else(|| invalid("Order due date format is invalid"))?;
    let issue_date = parse_order_date(&required("IssueDate", "Issue date")?)
        .ok_or_else(|| invalid("Issue date format is invalid"))?;
    let order_type = required("OrderType", "Order type")?;
    let customer_name = required("CustomerName", "Customer name")?;
    limited("Customer name", 32, Some(customer_name.clone()))?;
    let customer_address = limited("Customer address", 64, props.text("CustomerAddress"))?;
    let customer_mobile = props.text("CustomerMobile").unwrap_or_default();
    let customer_email = props.text("CustomerEmail").unwrap_or_default();
    if (!customer_mobile.is_empty() && !valid_mobile(&customer_mobile))
        || (!customer_email.is_empty() && !valid_email(&customer_email))
    {
        return Err(invalid("Mobile no. and email is not in valid format"));
    }
    let optional_amount = |field: &str| match props.text(field) {
        None => Ok(amount),
        Some(text) => parse_decimal_18_2(&text)
            .filter(|a| (min..=max).contains(a))
            .ok_or_else(out_of_limits),
    };
    let amount_within_due = optional_amount("OrderAmountWithinDueDate")?;
    let amount_after_due = optional_amount("OrderAmountAfterDueDate")?;
    let expire_after_seconds = match props.text("OrderExpireAfterSeconds") {
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
        order_type_id: props.text("OrderTypeId"),
        transaction_status: props.text("TransactionStatus"),
        customer_name,
        customer_mobile,
        customer_email,
        customer_address,
        customer_bank: props.text("CustomerBank").unwrap_or_default(),
        bill_detail: props
            .get("BillDetail01")
            .filter(|v| !v.is_null())
            .map(Value::to_string),
        expire_after_seconds,
        status: OrderStatus::Unpaid,
        created_at: now,
        paid_at: None,
        amount_paid: None,
        blocked_at: None,
        refunded_at: None,
        refunded_amount: None,
    })
}
