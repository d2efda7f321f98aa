//! `GET/DELETE /__sandbox/requests`: the request journal.

use super::{ApiError, ErrorBody};
use crate::journal::{Entry, Filter};
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;

/// Journal entries, newest first, filtered by provider, path, since and limit; secrets are
/// masked here, when listed, not when recorded.
#[utoipa::path(
    get,
    path = "/__sandbox/requests",
    operation_id = "requests_list",
    tag = "requests",
    params(
        ("provider" = Option<String>, Query, description = "Only this provider's requests."),
        ("path" = Option<String>, Query, description = "Only requests whose path contains this text."),
        ("since" = Option<String>, Query, description = "Only requests at or after this instant (RFC 3339)."),
        ("limit" = Option<u32>, Query, description = "At most this many entries (default 100)."),
        ("code" = Option<String>, Query, description = "Only requests answered with this provider result code or HTTP status.")
    ),
    responses((status = 200, body = Vec<Entry>), (status = 400, body = ErrorBody))
)]
pub async fn list(
    State(state): State<AppState>,
    filter: Result<Query<Filter>, QueryRejection>,
) -> Result<Json<Vec<Entry>>, ApiError> {
    let Query(filter) = filter.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if let Some(provider) = &filter.provider {
        // As the fault rules do: a misspelt provider would otherwise read as "no requests".
        state
            .providers
            .named(provider)
            .map_err(ApiError::bad_request)?;
    }
    Ok(Json(state.journal.list(&filter)))
}

/// Clears the journal.
#[utoipa::path(delete, path = "/__sandbox/requests", operation_id = "requests_clear", tag = "requests", responses((status = 204, description = "the journal cleared")))]
pub async fn clear(State(state): State<AppState>) -> StatusCode {
    state.journal.clear();
    StatusCode::NO_CONTENT
}
