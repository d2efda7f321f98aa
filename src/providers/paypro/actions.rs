//! PayPro's control-plane actions under `/__sandbox/paypro`: pay an order as the customer.

use super::handlers::queries::local;
use super::payment::{self, Outcome};
use super::store::merchants::Merchant;
use super::store::{Order, shown};
use crate::control::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use serde_json::json;

/// The customer pays the amount due now. 409 with the current status when the order is not
/// unpaid (paid, blocked, refunded, expired), 404 for an unknown ConnectPayId.
#[utoipa::path(
    post,
    path = "/__sandbox/paypro/orders/{cpay_id}/pay",
    operation_id = "paypro_pay",
    tag = "paypro",
    params(("cpay_id" = String, Path, description = "the order's ConnectPayId")),
    responses((status = 200, body = PaidOrder), (status = 400, body = crate::control::ErrorBody), (status = 404, body = crate::control::ErrorBody), (status = 409, body = crate::control::ErrorBody))
)]
pub async fn pay(
    State(state): State<AppState>,
    Path(cpay_id): Path<String>,
) -> Result<Json<PaidOrder>, ApiError> {
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

/// A paid order as the pay action answers it (PayPro's own field names).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaidOrder {
    #[serde(rename = "ConnectPayId")]
    connect_pay_id: String,
    #[serde(rename = "OrderNumber")]
    order_number: String,
    #[serde(rename = "OrderStatus")]
    order_status: String,
    /// The amount paid, as PayPro writes amounts (`4400`, `4400.50`).
    #[serde(rename = "AmountPaid")]
    amount_paid: Option<String>,
    /// When, in the merchant's time, as PayPro writes dates.
    #[serde(rename = "DatePaid")]
    date_paid: Option<String>,
}

fn view(order: &Order, merchant: &Merchant, status: &str) -> PaidOrder {
    PaidOrder {
        connect_pay_id: order.connectpay_id.clone(),
        order_number: order.order_number.clone(),
        order_status: status.to_string(),
        amount_paid: order.amount_paid.map(shown),
        date_paid: order.paid_at.map(|at| local(at, merchant.offset())),
    }
}
