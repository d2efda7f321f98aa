//! The order page's forms: pay (the control plane's own pay action), block and refund (the
//! change `moab` and `mofr` make: the same rule, the same store writes, one transaction).
//! Each answers 303 to the order's page, or shows the refusal there with status 400.

use super::order::refused;
use super::order_href;
use crate::dashboard::kit::{self, CheckedForm, Ui, database_failed};
use crate::db::DbError;
use crate::providers::paypro::rules::{Change, Wanted, parse_decimal_18_2, why_not};
use crate::providers::paypro::store::{self, merchants, shown};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

fn back(ui: &Ui, cpay_id: &str) -> Response {
    Redirect::to(&order_href(ui, cpay_id)).into_response()
}

pub async fn pay(
    State(state): State<AppState>,
    ui: Ui,
    Path(cpay_id): Path<String>,
    _csrf_checked: CheckedForm,
) -> Response {
    let path = format!(
        "/paypro/orders/{}/pay",
        utf8_percent_encode(&cpay_id, NON_ALPHANUMERIC)
    );
    match kit::call(
        &state,
        Method::POST,
        &path,
        "application/json",
        Body::empty(),
    )
    .await
    {
        Ok(_) => back(&ui, &cpay_id),
        Err(message) => refused(&state, &ui, &cpay_id, &message).await,
    }
}

pub async fn block(
    State(state): State<AppState>,
    ui: Ui,
    Path(cpay_id): Path<String>,
    _csrf_checked: CheckedForm,
) -> Response {
    change(&state, &ui, &cpay_id, Change::Block, None).await
}

pub async fn refund(
    State(state): State<AppState>,
    ui: Ui,
    Path(cpay_id): Path<String>,
    CheckedForm(fields): CheckedForm,
) -> Response {
    let amount = fields.get("amount").map(|a| a.trim().to_string());
    change(&state, &ui, &cpay_id, Change::Refund, amount).await
}

/// Blocks or refunds the order in one transaction, if `why_not` allows it now.
async fn change(
    state: &AppState,
    ui: &Ui,
    cpay_id: &str,
    change: Change,
    amount: Option<String>,
) -> Response {
    let verb = if change == Change::Block {
        "blocked"
    } else {
        "refunded"
    };
    let outcome = state
        .db
        .write(|conn| {
            let now = state.clock.now();
            let Some(order) = store::by_connectpay_id(conn, None, cpay_id.trim())? else {
                return Ok(Err(format!("no PayPro order with ConnectPay Id {cpay_id}")));
            };
            let wanted = Wanted {
                number: order.order_number.clone(),
                amount: amount.as_deref().and_then(parse_decimal_18_2),
            };
            if let Some(refusal) = why_not(&order, &wanted, change, now) {
                let merchant = merchants::by_id(conn, order.merchant_id)?;
                let label = refusal.label(&merchant);
                let paid = order.amount_paid.map(shown).unwrap_or_default();
                return Ok(Err(match label.as_str() {
                    "Invalid Amount" => format!(
                        "Invalid Amount: `{}` is not an amount above 0 and at most the {paid} paid",
                        amount.unwrap_or_default()
                    ),
                    "Already Refunded" => "the order is Already Refunded".to_string(),
                    status => format!("the order is {status} and cannot be {verb}"),
                }));
            }
            match change {
                Change::Block => store::mark_blocked(conn, order.id, now)?,
                _ => store::mark_refunded(conn, order.id, wanted.amount.unwrap_or_default(), now)?,
            }
            Ok::<_, DbError>(Ok(()))
        })
        .await;
    match outcome {
        Ok(Ok(())) => back(ui, cpay_id),
        Ok(Err(message)) => refused(state, ui, cpay_id, &message).await,
        Err(e) => database_failed(ui, e),
    }
}
