//! How a page that hosts a form answers: as it is (200), or, when what its form asked was
//! refused, with the refusal on top and status 400 — the page re-rendered, so nothing typed
//! or shown is lost.

use super::kit::{Ui, error_box};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

/// The page `title` with `body`, and `refusal` (if any) in an error box above it.
pub fn page_with_refusal(
    ui: &Ui,
    title: &str,
    refusal: Option<&str>,
    body: maud::Markup,
) -> Response {
    let body = html! {
        @if let Some(message) = refusal { (error_box(message)) }
        (body)
    };
    let status = match refusal {
        Some(_) => StatusCode::BAD_REQUEST,
        None => StatusCode::OK,
    };
    (status, ui.page(title, body)).into_response()
}
