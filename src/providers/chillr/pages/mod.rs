//! Chillr's dashboard pages, mounted at `<dashboard>/chillr`: merchants and batches (filters
//! `merchant`, `status`), a batch with its customers and the customer's Pay / Decline, the
//! user registry with its register form, and the phone page's section. Actions go through
//! the `/__sandbox/chillr` control plane, so a form does exactly what the API call does.

mod batches;
mod pager;
mod phone;
mod users;

pub use phone::section as phone;

use crate::app::AppState;
use crate::dashboard::kit::{self, Ui};
use axum::Router;
use axum::extract::Form;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(batches::list))
        .route("/batches/{batch_id}", get(batches::one))
        .route("/batches/{batch_id}/customers/{msisdn}", post(batches::act))
        .route("/users", get(users::list).post(users::register))
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

/// The page of a database failure (not the user's fault).
fn failed(ui: &Ui, error: impl std::fmt::Display) -> Response {
    let message = format!("cannot read the state: {error}");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        ui.page("Error", kit::error_box(&message)),
    )
        .into_response()
}
