//! Reset, fixture loading and state export.

use super::ApiError;
use crate::app::AppState;
use crate::fixtures::{self, FixtureError, LoadError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ResetQuery {
    /// Reset to nothing at all instead of the state right after start.
    #[serde(default)]
    empty: bool,
}

/// Back to the state right after start (`?empty=true`: to nothing); also clears the journal,
/// the clock offset and the fault rules.
#[utoipa::path(post, path = "/__sandbox/reset", params(ResetQuery), responses((status = 200, body = Object)))]
pub async fn reset(
    State(state): State<AppState>,
    Query(query): Query<ResetQuery>,
) -> Result<Json<Value>, ApiError> {
    state.clock.reset_to_real();
    state.faults.clear();
    if query.empty {
        fixtures::replace(&state.db, &state.providers, &[], state.clock.now())
            .await
            .map_err(load_error)?;
    } else {
        state.db.restore(&state.start_state).await?;
    }
    state.journal.clear();
    Ok(Json(json!({"reset": true, "empty": query.empty})))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FixtureQuery {
    /// The name errors report the document under (default `request body`); a name ending
    /// in `.yaml` or `.yml` is read as YAML.
    name: Option<String>,
}

/// Loads one fixture document (JSON or YAML), atomically: all of it or, on any problem,
/// nothing, with an error naming the file, the path inside it and the problem.
#[utoipa::path(
    post,
    path = "/__sandbox/fixtures",
    params(FixtureQuery),
    request_body(content = Object, description = "a fixture document (JSON or YAML)"),
    responses((status = 201, body = Object), (status = 400, body = FixtureError))
)]
pub async fn load_fixtures(
    State(state): State<AppState>,
    Query(query): Query<FixtureQuery>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let is_yaml = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("yaml"));
    let mut name = query.name.unwrap_or_else(|| "request body".into());
    if is_yaml && !(name.ends_with(".yaml") || name.ends_with(".yml")) {
        name.push_str(".yaml");
    }
    // Parsing (up to the size bound) and loading are CPU-bound: they run on a blocking
    // thread, so the async workers keep serving the providers meanwhile.
    let loaded = name.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let text = std::str::from_utf8(&body).map_err(|_| {
            refused(FixtureError {
                file: name.clone(),
                path: String::new(),
                message: "not UTF-8 text".into(),
            })
        })?;
        let document = fixtures::parse(&name, text, &state.providers).map_err(refused)?;
        handle
            .block_on(fixtures::load(
                &state.db,
                &state.providers,
                &[document],
                state.clock.now(),
            ))
            .map_err(load_error)
    })
    .await
    .map_err(ApiError::internal)??;
    let name = loaded;
    Ok((StatusCode::CREATED, Json(json!({"loaded": name}))).into_response())
}

/// The whole state as a fixture document: export, reset, load gives back the same state.
#[utoipa::path(get, path = "/__sandbox/state", responses((status = 200, description = "a fixture document", body = Object)))]
pub async fn export_state(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    Ok(Json(fixtures::export(&state.db, &state.providers).await?))
}

fn refused(error: FixtureError) -> ApiError {
    let mut api_error = ApiError::bad_request("fixture refused");
    api_error.body = json!({
        "error": "fixture refused",
        "file": error.file,
        "path": error.path,
        "message": error.message,
    });
    api_error
}

fn load_error(error: LoadError) -> ApiError {
    match error {
        LoadError::Refused(e) => refused(e),
        LoadError::Database(e) => ApiError::internal(e),
    }
}
