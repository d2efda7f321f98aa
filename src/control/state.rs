//! Reset, fixture loading and state export.

use super::{ApiError, ErrorBody};
use crate::fixtures::{self, FixtureError, LoadError};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Serialize, utoipa::ToSchema)]
pub struct ResetDone {
    reset: bool,
    /// Whether it reset to nothing at all.
    empty: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Loaded {
    /// The name the document was loaded under.
    loaded: String,
    /// How many records of each entity each provider section loaded:
    /// `{"<provider>": {"<entity>": 3}}`.
    #[schema(value_type = Object)]
    counts: fixtures::Counts,
}

/// A refused fixture document (`"error": "fixture refused"`, and where and why), or a bad
/// query (`error` only).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Refusal {
    error: String,
    file: Option<String>,
    /// Where in the document: `<provider>.merchants[1].code`, or empty for the whole file.
    path: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResetQuery {
    /// Reset to nothing at all instead of the state right after start.
    #[serde(default)]
    empty: bool,
}

/// Back to the state right after start (`?empty=true`: to nothing); also clears the journal,
/// the clock offset and the fault rules.
#[utoipa::path(
    post,
    path = "/__sandbox/reset",
    operation_id = "reset",
    tag = "state",
    params(ResetQuery),
    responses((status = 200, body = ResetDone), (status = 400, body = ErrorBody))
)]
pub async fn reset(
    State(state): State<AppState>,
    Query(query): Query<ResetQuery>,
) -> Result<Json<ResetDone>, ApiError> {
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
    state.outcomes.clear();
    Ok(Json(ResetDone {
        reset: true,
        empty: query.empty,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
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
    operation_id = "load_fixtures",
    tag = "state",
    params(FixtureQuery),
    request_body(content = Object, description = "a fixture document (JSON or YAML)"),
    responses(
        (status = 201, body = Loaded),
        (status = 400, description = "the document refused, or a bad query", body = Refusal)
    )
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
    let counts = tokio::task::spawn_blocking(move || {
        let text = std::str::from_utf8(&body).map_err(|_| {
            refused(FixtureError {
                file: name.clone(),
                path: String::new(),
                message: "not UTF-8 text".into(),
            })
        })?;
        let document = fixtures::parse(&name, text, &state.providers).map_err(refused)?;
        let counts = fixtures::counts(std::slice::from_ref(&document));
        handle
            .block_on(fixtures::load(
                &state.db,
                &state.providers,
                &[document],
                state.clock.now(),
            ))
            .map_err(load_error)?;
        tracing::info!(
            file = %name,
            "fixtures loaded: {}",
            fixtures::counts_line(&counts)
        );
        Ok::<_, ApiError>(counts)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok((StatusCode::CREATED, Json(Loaded { loaded, counts })).into_response())
}

/// The whole state as a fixture document: export, reset, load gives back the same state.
#[utoipa::path(get, path = "/__sandbox/state", operation_id = "export_state", tag = "state", responses((status = 200, description = "a fixture document (its JSON Schema: `/__sandbox/fixtures/schema.json`)", body = Object)))]
pub async fn export_state(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    Ok(Json(fixtures::export(&state.db, &state.providers).await?))
}

pub(super) fn refused(error: FixtureError) -> ApiError {
    let mut api_error = ApiError::bad_request("fixture refused");
    api_error.body = json!(Refusal {
        error: "fixture refused".into(),
        file: Some(error.file),
        path: Some(error.path),
        message: Some(error.message),
    });
    api_error
}

fn load_error(error: LoadError) -> ApiError {
    match error {
        LoadError::Refused(e) => refused(e),
        LoadError::Database(e) => ApiError::internal(e),
    }
}
