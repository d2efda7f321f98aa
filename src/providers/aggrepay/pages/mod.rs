//! AggrePay's dashboard pages, mounted at `<dashboard>/aggrepay`: the merchants, the
//! customers with their balances, limits and usage, a customer's ledger, the payment-gateway
//! records, the OTP outbox; and AggrePay's section of the phone page.

mod customers;
mod merchants;
mod otps;
mod pg;
mod phone;

pub use phone::section as phone_section;

use crate::app::AppState;
use crate::dashboard::kit::Ui;
use crate::db::DbError;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use std::collections::HashMap;

/// Rows on a page of a list.
pub const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(merchants::list))
        .route("/customers", get(customers::list))
        .route("/customers/{customer_id}", get(customers::one))
        .route("/pg", get(pg::list))
        .route("/otps", get(otps::list))
}

/// A query parameter, trimmed; `None` when absent or blank.
pub fn param<'a>(query: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// `?page=N` (from 1; 1 when absent) and its offset, or why it is not a page number.
pub fn offset(query: &HashMap<String, String>) -> Result<(i64, i64), String> {
    let page = match param(query, "page") {
        None => 1,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=10_000_000).contains(p))
            .ok_or_else(|| format!("page: `{text}` is not a page number (1, 2, 3...)"))?,
    };
    Ok((page, (page - 1) * PAGE_SIZE))
}

/// Links to the previous and next pages, keeping the filters in `kept`.
pub fn pager(ui: &Ui, path: &str, kept: &[(&str, &str)], page: i64, has_next: bool) -> Markup {
    let link = |page: i64| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in kept.iter().filter(|(_, v)| !v.is_empty()) {
            query.append_pair(name, value);
        }
        query.append_pair("page", &page.to_string());
        format!("{}?{}", ui.href(path), query.finish())
    };
    html! {
        p.pager {
            @if page > 1 { a rel="prev" href=(link(page - 1)) { "← Previous" } " " }
            "Page " (page)
            @if has_next { " " a rel="next" href=(link(page + 1)) { "Next →" } }
        }
    }
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

/// A database failure: logged, and a page saying so.
pub fn internal(ui: &Ui, error: DbError) -> Response {
    tracing::error!(%error, "aggrepay dashboard: database error");
    let body = crate::dashboard::kit::error_box("the database failed; see the sandbox's log");
    (StatusCode::INTERNAL_SERVER_ERROR, ui.page("Error", body)).into_response()
}
