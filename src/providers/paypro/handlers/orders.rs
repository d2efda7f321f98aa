//! 1.0 Single Order Creation (`co`) and 2.0 Multiple Order Creation (`cmo`): all or
//! nothing, each order checked in the spec's order, ConnectPayIds from the sandbox clock.

use crate::diagnosis::Outcome;
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::handlers::extract::{Authenticated, Click2PayBase, Orders};
use crate::providers::paypro::rules::{check_order, created_at};
use crate::providers::paypro::store::merchants::Merchant;
use crate::providers::paypro::store::{self, Order, shown};
use crate::providers::paypro::wire::{CreatedOrder, OrderFailure, OrderRequest, answer};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use std::collections::HashSet;

/// `POST|GET /cpay/co?oJson=[{credentials},{order}]`: the one failure, or the order.
pub async fn co(
    State(state): State<AppState>,
    Click2PayBase(base): Click2PayBase,
    request: Authenticated<Orders>,
) -> Result<Response, Failure> {
    let Orders(orders) = request.input;
    match create(&state, &request.merchant, orders?).await? {
        Ok(created) => Ok(created_answer(&created, &base)),
        Err(failures) => Err(failures.into_iter().next().expect("one failure").1),
    }
}

/// `POST /cpay/cmo` with a JSON file of `[{credentials},{order},...]`: every order, or
/// every failure.
pub async fn cmo(
    State(state): State<AppState>,
    Click2PayBase(base): Click2PayBase,
    request: Authenticated<Orders>,
) -> Result<Response, Failure> {
    let Orders(orders) = request.input;
    match create(&state, &request.merchant, orders?).await? {
        Ok(created) => Ok(created_answer(&created, &base)),
        Err(failures) => {
            let status = failures[0].1.code;
            // Diagnosed as the first failure; each order refused as existing is noted for
            // the lint that finds it sent again.
            let mut outcome = Outcome::refused(failures[0].1.diagnosis());
            for (number, failure) in &failures {
                if failure.code == Code::Rejected {
                    outcome = outcome.fact("refused", number.clone());
                }
            }
            let items = failures.into_iter().map(|(number, f)| OrderFailure {
                order_number: number,
                description: f.description,
            });
            Ok(outcome.on(answer(status, items)))
        }
    }
}

/// Every failing order's number as sent and its failure, in the request's order.
type Failures = Vec<(String, Failure)>;

/// Each order checked outside any database hold, then all created or none in one write.
async fn create(
    state: &AppState,
    merchant: &Merchant,
    orders: Vec<OrderRequest>,
) -> Result<Result<Vec<Order>, Failures>, Failure> {
    let checked: Vec<(String, Result<Order, Failure>)> = orders
        .iter()
        .map(|o| {
            (
                o.order_number.clone().unwrap_or_default(),
                check_order(o, merchant),
            )
        })
        .collect();
    state
        .db
        .write(|conn| {
            // Read inside the transaction: ConnectPayIds follow commit order, and so must
            // the times stored with them.
            let now = state.clock.now();
            create_in(conn, merchant, checked, now)
        })
        .await
}

/// The checked orders, created all (with their ConnectPayIds and magic applied) unless one
/// failed its checks or exists already: then every failure, and nothing is created.
fn create_in(
    conn: &Connection,
    merchant: &Merchant,
    checked: Vec<(String, Result<Order, Failure>)>,
    now: DateTime<Utc>,
) -> Result<Result<Vec<Order>, Failures>, Failure> {
    let mut seen = HashSet::new();
    let (mut orders, mut failures) = (Vec::new(), Failures::new());
    for (number, checked) in checked {
        match checked {
            Ok(order) if exists(conn, merchant, &mut seen, &order)? => {
                let exists = format!("Order number {number} already exists");
                failures.push((number, Failure::new(Code::Rejected, exists)));
            }
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
        created_at(order, merchant, now);
        store::insert(conn, order)?;
    }
    Ok(Ok(orders))
}

/// Whether the order number came earlier in the request or is the merchant's already.
fn exists(
    conn: &Connection,
    merchant: &Merchant,
    seen: &mut HashSet<String>,
    order: &Order,
) -> Result<bool, Failure> {
    Ok(!seen.insert(store::order_key(&order.order_number))
        || store::by_number(conn, merchant.id, &order.order_number)?.is_some())
}

/// `00` and the created orders, each with its hosted payment page.
fn created_answer(created: &[Order], click2pay: &str) -> Response {
    let item = |order: &Order| CreatedOrder {
        description: format!("Order number {} created successfully", order.order_number),
        order_amount: shown(order.order_amount),
        connectpay_fee: shown(order.fee),
        connectpay_id: order.connectpay_id.clone(),
        order_number: order.order_number.clone(),
        is_fee_applied: if order.fee > Decimal::ZERO {
            "True"
        } else {
            "False"
        },
        click2pay: format!("{click2pay}{}", order.connectpay_id),
    };
    answer(Code::Success, created.iter().map(item))
}
