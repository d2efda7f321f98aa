//! What every dashboard handler does with its input: a query parameter or form field read
//! trimmed, a POSTed form taken once its CSRF token is checked, an id put into a URL path,
//! and the page for a database failure.

use super::kit::{CsrfRefused, Ui, error_box};
use axum::extract::Form;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::HashMap;

/// A POSTed form as a handler receives it; a malformed body reads as no fields (and so fails
/// the CSRF check).
pub type Fields = Result<Form<HashMap<String, String>>, FormRejection>;

/// A form's fields once its CSRF token is checked.
pub fn checked(ui: &Ui, fields: Fields) -> Result<HashMap<String, String>, CsrfRefused> {
    let fields = fields.map(|Form(f)| f).unwrap_or_default();
    ui.check_csrf(fields.get("csrf").map(String::as_str))?;
    Ok(fields)
}

/// A field or query parameter, trimmed; `None` when absent or blank.
pub fn field<'a>(fields: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    fields.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// What a path segment keeps as it is: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path segment, percent-encoded for a URL.
pub fn segment(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// A database failure (not the user's fault): logged, and a 500 page saying so.
pub fn database_failed(ui: &Ui, error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "dashboard: database error");
    let body = error_box("the database failed; see the sandbox's log");
    (StatusCode::INTERNAL_SERVER_ERROR, ui.page("Error", body)).into_response()
}
