//! Jaze's dashboard pages, mounted at `<dashboard>/jaze`: users, invoices, payments with
//! their receipt links, and the forms that add each. A form's record goes through the
//! `/__sandbox/jaze` control plane, so it is judged exactly as the API call judges it.

mod invoices;
mod pager;
mod payments;
mod record;
mod users;

use crate::app::AppState;
use crate::dashboard::kit::{self, Ui};
use axum::Router;
use axum::extract::Form;
use axum::extract::rejection::FormRejection;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(users::list).post(users::add))
        .route("/invoices", get(invoices::list).post(invoices::add))
        .route("/payments", get(payments::list).post(payments::add))
}

type Fields = Result<Form<HashMap<String, String>>, FormRejection>;

/// A form's fields once its CSRF token is checked.
fn checked(ui: &Ui, fields: Fields) -> Result<HashMap<String, String>, kit::CsrfRefused> {
    let fields = fields.map(|Form(f)| f).unwrap_or_default();
    ui.check_csrf(fields.get("csrf").map(String::as_str))?;
    Ok(fields)
}

/// A field or query parameter, trimmed; None when absent or blank.
fn field<'a>(fields: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    fields.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// What a path segment keeps as it is: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path segment, percent-encoded for a URL.
fn segment(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// What was typed in a field, to show it again beside a refusal.
fn typed<'a>(fields: &'a HashMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map(String::as_str).unwrap_or("")
}

/// The page of a database failure (not the user's fault).
fn failed(ui: &Ui, error: impl std::fmt::Display) -> Response {
    let message = format!("cannot read the state: {error}");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        ui.page("Error", kit::error_box(&message)),
    )
        .into_response()
}

/// A list page, with a refusal (status 400) when there is one.
fn answer(ui: &Ui, title: &str, error: Option<&str>, body: Markup) -> Response {
    let body = html! {
        @if let Some(message) = error { (kit::error_box(message)) }
        (body)
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    (status, ui.page(title, body)).into_response()
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
