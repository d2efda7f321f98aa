//! `GET/POST/DELETE /__sandbox/faults`: fault rules.

use super::{ApiError, ErrorBody, parse_json};
use crate::faults::{FaultRule, FaultSpec};
use crate::providers::Providers;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;

/// The rules, with how often each fired.
#[utoipa::path(get, path = "/__sandbox/faults", operation_id = "faults_list", tag = "faults", responses((status = 200, body = Vec<FaultRule>)))]
pub async fn list(State(state): State<AppState>) -> Json<Vec<FaultRule>> {
    Json(state.faults.list())
}

/// Adds a rule; one naming an endpoint the provider lacks is refused with the list of names.
#[utoipa::path(
    post,
    path = "/__sandbox/faults",
    operation_id = "faults_add",
    tag = "faults",
    request_body = FaultSpec,
    responses((status = 201, body = FaultRule), (status = 400, body = ErrorBody))
)]
pub async fn add(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<FaultRule>), ApiError> {
    let spec: FaultSpec = parse_json(&body)?;
    names_known(&spec, &state.providers)
        .and_then(|()| spec.validate())
        .map_err(ApiError::bad_request)?;
    Ok((StatusCode::CREATED, Json(state.faults.add(spec))))
}

/// Removes every rule.
#[utoipa::path(delete, path = "/__sandbox/faults", operation_id = "faults_clear", tag = "faults", responses((status = 204, description = "every rule removed")))]
pub async fn clear(State(state): State<AppState>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

/// Removes one rule.
#[utoipa::path(
    delete,
    path = "/__sandbox/faults/{id}",
    operation_id = "faults_remove",
    tag = "faults",
    params(("id" = u64, Path, description = "the rule's id")),
    responses(
        (status = 204, description = "the rule removed"),
        (status = 400, description = "not a rule id", body = ErrorBody),
        (status = 404, description = "no such rule", body = ErrorBody)
    )
)]
pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: u64 = id
        .parse()
        .map_err(|_| ApiError::bad_request(format!("`{id}` is not a rule id")))?;
    if state.faults.remove(id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("no fault rule {id}")))
    }
}

/// Checks that the provider and endpoint the rule names exist.
fn names_known(spec: &FaultSpec, providers: &Providers) -> Result<(), String> {
    let provider = providers.named(&spec.provider)?;
    if let Some(endpoint) = &spec.endpoint
        && !provider.endpoints().contains(&endpoint.as_str())
    {
        return Err(format!(
            "{} has no endpoint `{endpoint}`; its endpoints are {}",
            spec.provider,
            provider.endpoints().join(", ")
        ));
    }
    Ok(())
}
