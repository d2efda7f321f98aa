//! AggrePay's dashboard pages, mounted at `<dashboard>/aggrepay`: the merchants, the
//! customers with their balances, limits and usage, a customer's ledger, the payment-gateway
//! records, the OTP outbox; and AggrePay's section of the phone page.

mod customers;
mod merchants;
mod otps;
mod pg;
mod phone;

pub use phone::section as phone_section;

use crate::dashboard::kit::Ui;
use crate::state::AppState;
use axum::Router;
use axum::routing::get;
use maud::{Markup, html};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(merchants::list))
        .route("/customers", get(customers::list))
        .route("/customers/{customer_id}", get(customers::one))
        .route("/pg", get(pg::list))
        .route("/otps", get(otps::list))
}

/// The links between AggrePay's pages.
pub fn nav(ui: &Ui) -> Markup {
    html! {
        p.subnav {
            a href=(ui.href("/aggrepay")) { "Merchants" } " · "
            a href=(ui.href("/aggrepay/customers")) { "Customers" } " · "
            a href=(ui.href("/aggrepay/pg")) { "PG records" } " · "
            a href=(ui.href("/aggrepay/otps")) { "OTP outbox" }
        }
    }
}

/// A stored RFC 3339 UTC time in India time, as the outbox action shows it.
pub fn india(stored: &str) -> String {
    super::actions::india_time(stored.to_string())
}
