//! 4.0 Mark Order as Paid (`moap`), 5.0 Mark Order as Blocked (`moab`), 6.0 Mark Order as
//! Refund (`mofr`): the merchant changes its orders, all or nothing.

use crate::diagnosis::{Diagnosis, Outcome};
use crate::providers::paypro::diagnoses;
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::handlers::extract::{Authenticated, Changes};
use crate::providers::paypro::rules::{Change, Refusal, Wanted, amount_due, why_not};
use crate::providers::paypro::store::merchants::Merchant;
use crate::providers::paypro::store::{self, Order, order_key};
use crate::providers::paypro::wire::{RefusedOrder, answer};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;

pub async fn moap(
    State(state): State<AppState>,
    request: Authenticated<Changes>,
) -> Result<Response, Failure> {
    change(&state, request, Change::Pay).await
}

pub async fn moab(
    State(state): State<AppState>,
    request: Authenticated<Changes>,
) -> Result<Response, Failure> {
    change(&state, request, Change::Block).await
}

pub async fn mofr(
    State(state): State<AppState>,
    request: Authenticated<Changes>,
) -> Result<Response, Failure> {
    change(&state, request, Change::Refund).await
}

/// `00` when every wanted change is made; else `01` and every refusal, nothing changed.
async fn change(
    state: &AppState,
    request: Authenticated<Changes>,
    change: Change,
) -> Result<Response, Failure> {
    let (merchant, Changes(wanted)) = (request.merchant, request.input);
    let wanted = wanted?;
    let refused = state
        .db
        .write(|conn| {
            // Read inside the transaction, so that stored times follow commit order.
            let now = state.clock.now();
            apply(conn, &merchant, &wanted, change, now)
        })
        .await?;
    let Some(first) = refused.first() else {
        return Ok(answer(Code::Success, Vec::<RefusedOrder>::new()));
    };
    // The answer lists every refused order; the diagnosis names the first one's state.
    let diagnosis = first.diagnosis(&merchant, change, &wanted);
    let items = refused.into_iter().map(|refused| refused.item(&merchant));
    Ok(Outcome::refused(diagnosis.code(Code::Rejected.as_str())).on(answer(Code::Rejected, items)))
}

/// The endpoint that makes a change.
fn endpoint(change: Change) -> &'static str {
    match change {
        Change::Pay => "moap",
        Change::Block => "moab",
        Change::Refund => "mofr",
    }
}

/// An order the change was refused for.
enum Refused {
    /// No order of the merchant has this number.
    NotFound(String),
    Order(Box<Order>, Refusal),
}

impl Refused {
    /// Why this order was refused: its state, or for a refund its amount.
    fn diagnosis(&self, merchant: &Merchant, change: Change, wanted: &[Wanted]) -> Diagnosis {
        let endpoint = endpoint(change);
        match self {
            Refused::NotFound(number) => diagnoses::state_refused(endpoint, number, "Not Found"),
            Refused::Order(order, Refusal::Text("Invalid Amount")) => {
                let number = &order.order_number;
                let amount = wanted
                    .iter()
                    .find(|w| order_key(&w.number) == order_key(number))
                    .and_then(|w| w.amount);
                let got = amount.map_or_else(
                    || "not a positive decimal(18,2)".to_string(),
                    |a| {
                        format!(
                            "{a} (the order's amount paid is {})",
                            order.amount_paid.unwrap_or_default()
                        )
                    },
                );
                diagnoses::refund_amount_invalid(number, &got)
            }
            Refused::Order(order, reason) => {
                diagnoses::state_refused(endpoint, &order.order_number, &reason.label(merchant))
            }
        }
    }

    /// The refusal as the answer lists it.
    fn item(self, merchant: &Merchant) -> RefusedOrder {
        match self {
            Refused::NotFound(number) => RefusedOrder {
                order_number: number,
                order_status: "Not Found".to_string(),
                connectpay_id: None,
            },
            Refused::Order(order, reason) => RefusedOrder {
                order_status: reason.label(merchant),
                order_number: order.order_number,
                connectpay_id: Some(order.connectpay_id),
            },
        }
    }
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
    if found.is_empty() && refused.iter().all(|r| matches!(r, Refused::NotFound(_))) {
        return Err(Failure::no_data());
    }
    if refused.is_empty() {
        make(conn, merchant, found, change, now)?;
    }
    Ok(refused)
}

/// Makes the change to every order found.
fn make(
    conn: &Connection,
    merchant: &Merchant,
    found: Vec<(Order, Option<Decimal>)>,
    change: Change,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    for (order, amount) in found {
        match change {
            Change::Pay => {
                let due = amount_due(&order, now, merchant.offset());
                store::mark_paid(conn, order.id, due, now)?
            }
            Change::Block => store::mark_blocked(conn, order.id, now)?,
            Change::Refund => {
                store::mark_refunded(conn, order.id, amount.unwrap_or_default(), now)?
            }
        }
    }
    Ok(())
}
