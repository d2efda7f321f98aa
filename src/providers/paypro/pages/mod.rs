//! PayPro's dashboard pages, mounted at `<dashboard>/paypro`: the orders (filtered, 50 a
//! page), an order with its history and its actions (pay, block, refund), the consumers.

mod actions;
mod consumers;
mod order;
mod orders;

use crate::dashboard::kit::Ui;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(orders::list))
        .route("/orders/{cpay_id}", get(order::page))
        .route("/orders/{cpay_id}/pay", post(actions::pay))
        .route("/orders/{cpay_id}/block", post(actions::block))
        .route("/orders/{cpay_id}/refund", post(actions::refund))
        .route("/consumers", get(consumers::list))
}

/// An order's page: `<dashboard>/paypro/orders/{ConnectPayId}`.
pub fn order_href(ui: &Ui, connectpay_id: &str) -> String {
    ui.href(&format!(
        "/paypro/orders/{}",
        utf8_percent_encode(connectpay_id, NON_ALPHANUMERIC)
    ))
}
