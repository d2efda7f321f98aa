//! What every dashboard handler does with its input: a query parameter or form field read
//! trimmed, a POSTed form taken only once its CSRF token is checked, an id put into a URL path,
//! and the page for a database failure.

use super::kit::{Ui, error_box};
use axum::extract::{Form, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::HashMap;

/// A POSTed form's fields once its CSRF token is checked: a handler takes this (as its last
/// argument) instead of checking by hand; a missing or wrong token is answered 403 before the
/// handler runs. A malformed body reads as no fields, and so fails the check.
pub struct CheckedForm(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequest<S> for CheckedForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let ui = request.extensions().get::<Ui>().cloned();
        let fields = Form::<HashMap<String, String>>::from_request(request, state)
            .await
            .map(|Form(fields)| fields)
            .unwrap_or_default();
        let Some(ui) = ui else {
            return Err(not_guarded().into_response());
        };
        ui.check_csrf(fields.get("csrf").map(String::as_str))
            .map_err(IntoResponse::into_response)?;
        Ok(CheckedForm(fields))
    }
}

/// A page handler reached without the session guard: a wiring mistake, not the user's.
fn not_guarded() -> (StatusCode, &'static str) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "the dashboard's session guard did not run",
    )
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
