//! `/__sandbox/tenants`: create, list and delete named tenants. Only on the default tenant's
//! control plane, behind the admin token like every control call.

use super::{ApiError, ErrorBody, parse_json, state::refused};
use crate::state::AppState;
use crate::tenants::listing::{Listed, listed};
use crate::tenants::{CreateError, Registry, name};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;

/// A tenant to create.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    /// 1-63 characters of a-z, 0-9 and -.
    #[schema(pattern = "^[a-z0-9-]{1,63}$")]
    name: String,
    /// A fixture document (as `POST /__sandbox/fixtures` takes) to start from instead of the
    /// start fixtures.
    #[schema(value_type = Option<Object>)]
    fixtures: Option<Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TenantList {
    tenants: Vec<Listed>,
    /// The most named tenants at once (`--max-tenants`).
    limit: usize,
    /// Seconds after its last request that an in-memory tenant is dropped; 0: never.
    idle_seconds: u64,
}

fn registry(state: &AppState) -> Result<&Arc<Registry>, ApiError> {
    state
        .tenants
        .as_ref()
        .ok_or_else(|| ApiError::not_found("tenants are managed on the default tenant"))
}

/// Creates a tenant from the start fixtures, or from the fixture document given.
#[utoipa::path(
    post,
    path = "/__sandbox/tenants",
    operation_id = "tenants_create",
    tag = "tenants",
    request_body = NewTenant,
    responses(
        (status = 201, body = Listed),
        (status = 400, description = "a bad name, body or fixture document", body = ErrorBody),
        (status = 409, description = "the tenant exists", body = ErrorBody),
        (status = 503, description = "the tenant limit is reached", body = ErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Listed>), ApiError> {
    let registry = registry(&state)?;
    let new: NewTenant = parse_json(&body)?;
    if let Some(problem) = name::problem(&new.name) {
        return Err(ApiError::bad_request(format!("name: {problem}")));
    }
    let document = match new.fixtures {
        None => None,
        Some(value) => {
            let providers = state.providers.clone();
            let parsed = tokio::task::spawn_blocking(move || {
                crate::fixtures::parse("fixtures", &value.to_string(), &providers)
            })
            .await
            .map_err(ApiError::internal)?;
            Some(parsed.map_err(refused)?)
        }
    };
    let tenant = registry
        .create(&new.name, document)
        .await
        .map_err(|e| match e {
            CreateError::Exists(_) => ApiError::new(StatusCode::CONFLICT, e.to_string()),
            CreateError::Limit(_) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
            CreateError::Refused(e) => refused(e),
            CreateError::Failed(_) => ApiError::internal(e),
        })?;
    Ok((
        StatusCode::CREATED,
        Json(listed(&tenant, registry.idle()).await),
    ))
}

/// Every named tenant: name, storage, created, last used, size, idle expiry.
#[utoipa::path(get, path = "/__sandbox/tenants", operation_id = "tenants_list", tag = "tenants", responses((status = 200, body = TenantList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<TenantList>, ApiError> {
    let registry = registry(&state)?;
    let mut tenants = Vec::new();
    for tenant in registry.all() {
        tenants.push(listed(&tenant, registry.idle()).await);
    }
    Ok(Json(TenantList {
        tenants,
        limit: registry.limit(),
        idle_seconds: registry.idle().map_or(0, |idle| idle.as_secs()),
    }))
}

/// Drops a tenant: its state (and its file) are gone; its next request creates it afresh.
#[utoipa::path(
    delete,
    path = "/__sandbox/tenants/{name}",
    operation_id = "tenants_delete",
    tag = "tenants",
    params(("name" = String, Path, description = "the tenant's name")),
    responses(
        (status = 204, description = "the tenant dropped"),
        (status = 404, description = "no such tenant", body = ErrorBody)
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    if registry(&state)?.remove(&name) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("no tenant `{name}`")))
    }
}
