//! The emulated APIs described for tools: `GET /__sandbox/openapi/<provider>.json`, each
//! provider's OpenAPI 3.1 description (built by its slice); [`super::collections`] turns it into
//! a Postman collection.

use super::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

/// One provider's OpenAPI 3.1 description: its endpoints under its prefix and at the root.
#[utoipa::path(
    get,
    path = "/__sandbox/openapi/{file}",
    operation_id = "provider_openapi",
    tag = "control",
    params(("file" = String, Path, description = "`<provider>.json`: a provider name, then `.json`")),
    responses(
        (status = 200, description = "The provider's OpenAPI 3.1 description", body = Object),
        (status = 404, description = "No such provider", body = super::ErrorBody),
    )
)]
pub async fn provider_openapi(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Json<Value>, ApiError> {
    of(&state, &file).map(Json)
}

/// The description `<provider>.json` names, or the 404 naming those there are.
pub fn of(state: &AppState, file: &str) -> Result<Value, ApiError> {
    file.strip_suffix(".json")
        .and_then(|name| state.providers.by_name(name))
        .and_then(|provider| provider.api_description())
        .ok_or_else(|| unknown(state, file))
}

fn unknown(state: &AppState, file: &str) -> ApiError {
    let known: Vec<String> = state
        .providers
        .names()
        .iter()
        .map(|name| format!("{name}.json"))
        .collect();
    ApiError::not_found(format!(
        "no provider description `{file}`; one of: {}",
        known.join(", ")
    ))
}

/// The JSON Schema of a fixture document (what `POST /__sandbox/fixtures` and the start
/// folder load): one optional section per provider, each from the provider's fixture types.
/// Point an editor at it (`"$schema"` in JSON, a `yaml-language-server` comment in YAML).
#[utoipa::path(
    get,
    path = "/__sandbox/fixtures/schema.json",
    operation_id = "fixture_schema",
    tag = "state",
    responses((status = 200, description = "JSON Schema (2020-12) of a fixture document", body = Object))
)]
pub async fn fixture_schema(State(state): State<AppState>) -> Json<Value> {
    let mut properties = serde_json::Map::new();
    let mut defs = serde_json::Map::new();
    for provider in state.providers.iter() {
        let Some(mut section) = provider.fixture_schema() else {
            continue;
        };
        if let Some(Value::Object(own)) = section.get_mut("$defs").map(Value::take) {
            defs.extend(own);
        }
        properties.insert(
            provider.name().to_string(),
            json!({"$ref": section["$ref"]}),
        );
    }
    Json(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "paysandbox fixture document",
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
        "$defs": defs,
    }))
}
