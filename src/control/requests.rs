//! `GET/DELETE /__sandbox/requests`: the request journal.

use super::ApiError;
use crate::app::AppState;
use crate::journal::{Entry, Filter};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;

/// Journal entries, newest first, filtered by provider, path, since and limit; secrets are
/// masked here, when listed, not when recorded.
#[utoipa::path(get, path = "/__sandbox/requests", params(Filter), responses((status = 200, body = Vec<Entry>)))]
pub async fn list(
    State(state): State<AppState>,
    filter: Result<Query<Filter>, QueryRejection>,
) -> Result<Json<Vec<Entry>>, ApiError> {
    let Query(filter) = filter.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok(Json(state.journal.list(&filter)))
}

/// Clears the journal.
#[utoipa::path(delete, path = "/__sandbox/requests", responses((status = 204)))]
pub async fn clear(State(state): State<AppState>) -> StatusCode {
    state.journal.clear();
    StatusCode::NO_CONTENT
}
