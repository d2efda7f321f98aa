//! Jaze's dashboard pages, mounted at `<dashboard>/jaze`: users, invoices, payments with
//! their receipt links, and the forms that add each. A form's record goes through the
//! `/__sandbox/jaze` control plane, so it is judged exactly as the API call judges it.

mod invoices;
mod payments;
mod record;
mod users;

use crate::dashboard::kit::{self, field};
use crate::state::AppState;
use axum::Router;
use axum::http::Method;
use axum::routing::get;
use maud::{Markup, html};
use serde_json::{Map, Value};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(users::list).post(users::add))
        .route("/invoices", get(invoices::list).post(invoices::add))
        .route("/payments", get(payments::list).post(payments::add))
}

/// What was typed in a field, to show it again beside a refusal.
fn typed<'a>(fields: &'a HashMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map(String::as_str).unwrap_or("")
}

/// The account a new record goes to; left out ("the only one") by default.
fn account_select(
    accounts: &[(String, Option<String>)],
    fields: &HashMap<String, String>,
) -> Markup {
    let chosen = field(fields, "account");
    html! {
        label { "Account " select name="account" {
            option value="" { "the only one" }
            @for (token, name) in accounts {
                option value=(token) selected[chosen == Some(token.as_str())] {
                    (token) @if let Some(name) = name { " (" (name) ")" }
                }
            }
        } }
    }
}

/// Posts a record to `/__sandbox/jaze/<what>`; the refusal's message otherwise.
async fn create(
    state: &AppState,
    what: &str,
    record: Result<Map<String, Value>, String>,
) -> Result<(), String> {
    let body = Value::Object(record?).to_string();
    let path = format!("/jaze/{what}");
    kit::call(state, Method::POST, &path, "application/json", body)
        .await
        .map(|_| ())
}
