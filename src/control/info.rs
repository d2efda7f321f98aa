//! Health, magic values and the OpenAPI document of the control plane.

use crate::providers::MagicValue;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "paysandbox control plane",
        description = "Drive the sandbox: reset, fixtures, state, clock, request journal, faults, magic values, tenants."
    ),
    paths(
        health,
        magic,
        openapi,
        super::descriptions::provider_openapi,
        super::collections::provider_collection,
        super::descriptions::fixture_schema,
        super::state::reset,
        super::state::load_fixtures,
        super::state::export_state,
        super::clock::read,
        super::clock::change,
        super::requests::list,
        super::requests::clear,
        super::diagnostics::request,
        super::diagnostics::rules,
        super::diagnostics::integration_report,
        super::faults::list,
        super::faults::add,
        super::faults::clear,
        super::faults::remove,
        super::tenants::create,
        super::tenants::list,
        super::tenants::delete,
    ),
    components(schemas(super::ErrorBody))
)]
pub struct ApiDoc;

/// The document for this configuration: with an admin token, the bearer scheme and a 401
/// answer on every call but health; without one, neither.
pub fn document(state: &AppState) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for provider_doc in state.providers.iter().filter_map(|p| p.openapi()) {
        doc.merge(provider_doc);
    }
    if state
        .config
        .admin_token
        .as_deref()
        .is_some_and(|t| !t.is_empty())
    {
        super::secured::require_token(&mut doc);
    }
    if state.tenants.is_none() {
        // A named tenant's control plane does not manage tenants.
        doc.paths
            .paths
            .retain(|path, _| !path.starts_with("/__sandbox/tenants"));
    }
    doc
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    version: &'static str,
    providers: Vec<&'static str>,
}

/// Answers 200 once migrations and fixtures are in (the container health check).
#[utoipa::path(get, path = "/__sandbox/health", operation_id = "health", tag = "control", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        providers: state.providers.names(),
    })
}

/// Every provider's magic values: documented inputs that trigger a behaviour without set-up.
#[utoipa::path(get, path = "/__sandbox/magic", operation_id = "magic", tag = "control", responses((status = 200, description = "provider name to its magic values", body = std::collections::HashMap<String, Vec<MagicValue>>)))]
pub async fn magic(State(state): State<AppState>) -> Json<Value> {
    let all: Map<String, Value> = state
        .providers
        .iter()
        .map(|p| {
            let values: Vec<MagicValue> = p.magic_values();
            (
                p.name().to_string(),
                serde_json::to_value(values).unwrap_or_default(),
            )
        })
        .collect();
    Json(Value::Object(all))
}

/// This document.
#[utoipa::path(get, path = "/__sandbox/openapi.json", operation_id = "openapi", tag = "control", responses((status = 200, description = "OpenAPI 3.1", body = Object)))]
pub async fn openapi(State(state): State<AppState>) -> Json<utoipa::openapi::OpenApi> {
    Json(document(&state))
}
