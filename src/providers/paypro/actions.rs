//! PayPro's control-plane actions under `/__sandbox/paypro`: pay an order as the customer.

use super::handlers::queries::local;
use super::payment::{self, Outcome};
use super::store::merchants::Merchant;
use super::store::{Order, shown};
use crate::app::AppState;
use crate::control::ApiError;
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

/// The customer pays the amount due now. 409 with the current status when the order is not
/// unpaid (paid, blocked, refunded, expired), 404 for an unknown ConnectPayId.
#[utoipa::path(
    post,
    path = "/__sandbox/paypro/orders/{cpay_id}/pay",
    operation_id = "paypro_pay",
    tag = "paypro",
    params(("cpay_id" = String, Path, description = "the order's ConnectPayId")),
    responses((status = 200, body = Object), (status = 400, body = crate::control::ErrorBody), (status = 404, body = crate::control::ErrorBody), (status = 409, body = crate::control::ErrorBody))
)]
pub async fn pay(
    State(state): State<AppState>,
    Path(cpay_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    match payment::pay(&state, cpay_id.trim()).await? {
        Outcome::Paid(order, merchant) => Ok(Json(view(&order, &merchant, "Paid"))),
        Outcome::NotPayable(_, status) => Err(ApiError::conflict(
            format!("the order is {} and cannot be paid", status.label(false)),
            json!({"OrderStatus": status.label(false)}),
        )),
        Outcome::NotFound => Err(ApiError::not_found(format!(
            "no order with ConnectPayId {cpay_id}"
        ))),
    }
}

fn view(order: &Order, merchant: &Merchant, status: &str) -> Value {
    json!({
        "ConnectPayId": order.connectpay_id,
        "OrderNumber": order.order_number,
        "OrderStatus": status,
        "AmountPaid": order.amount_paid.map(shown),
        "DatePaid": order.paid_at.map(|at| local(at, merchant.offset())),
    })
}
