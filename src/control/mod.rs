//! The control plane, `/__sandbox`: health, reset, fixtures, state, clock, request journal,
//! faults, magic values, the OpenAPI document, and each provider's own actions under
//! `/__sandbox/<provider>/...`, and on the default tenant the tenants. JSON in, JSON out (errors included, whoever raised them);
//! optionally behind a bearer token.

mod clock;
mod collections;
mod descriptions;
mod diagnostics;
mod faults;
mod info;
mod requests;
mod secured;
mod state;
mod tenants;

use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub use info::ApiDoc;

pub fn router(state: &AppState) -> Router<AppState> {
    let mut protected = Router::new()
        .route("/reset", post(state::reset))
        .route("/fixtures", post(state::load_fixtures))
        .route("/fixtures/schema.json", get(descriptions::fixture_schema))
        .route("/state", get(state::export_state))
        .route("/clock", get(clock::read).post(clock::change))
        .route("/requests", get(requests::list).delete(requests::clear))
        .route("/requests/{id}", get(diagnostics::request))
        .route("/rules", get(diagnostics::rules))
        .route("/report", get(diagnostics::integration_report))
        .route(
            "/faults",
            get(faults::list).post(faults::add).delete(faults::clear),
        )
        .route("/faults/{id}", delete(faults::remove))
        .route("/magic", get(info::magic))
        .route("/openapi.json", get(info::openapi))
        .route("/openapi/{file}", get(descriptions::provider_openapi))
        .route("/collections/{file}", get(collections::provider_collection));
    if state.tenants.is_some() {
        protected = protected
            .route("/tenants", get(tenants::list).post(tenants::create))
            .route("/tenants/{name}", delete(tenants::delete));
    }
    for provider in state.providers.iter() {
        protected = protected.nest(&format!("/{}", provider.name()), provider.actions());
    }
    Router::new()
        .route("/health", get(info::health))
        .merge(protected.route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_admin_token,
        )))
        .fallback(|| async { ApiError::not_found("no such control call") })
        .layer(middleware::from_fn(json_errors))
}

/// Turns an error that is not JSON (axum's extractor rejections, a 405) into the control
/// plane's `{"error": ...}`, keeping its status and headers (axum adds `Allow` afterwards).
async fn json_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    // Nesting strips `/__sandbox` from the URI; the original keeps it.
    let path = match request.extensions().get::<axum::extract::OriginalUri>() {
        Some(original) => original.path().to_string(),
        None => request.uri().path().to_string(),
    };
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = match status {
        _ if !text.is_empty() => text,
        StatusCode::METHOD_NOT_ALLOWED => format!("{method} is not a method of {path}"),
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_TYPE);
    let mut response = ApiError::new(status, message).into_response();
    response.headers_mut().extend(parts.headers);
    response
}

/// With `--admin-token`, every call but health needs `Authorization: Bearer <token>`.
async fn require_admin_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(expected) = state
        .config
        .admin_token
        .as_deref()
        .filter(|t| !t.is_empty())
    else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if given == Some(expected) {
        next.run(request).await
    } else {
        let mut response = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this call needs Authorization: Bearer <admin token>",
        )
        .into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            "Bearer".parse().expect("a valid header"),
        );
        response
    }
}

/// The body of every control-plane error: `{"error": "..."}`, and details for some (a 409
/// names the current status).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in words.
    error: String,
}

/// A control-plane error: `{"error": "...", ...details}` with an HTTP status.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: json!(ErrorBody {
                error: message.into()
            }),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn conflict(message: impl Into<String>, details: Value) -> Self {
        let mut error = Self::new(StatusCode::CONFLICT, message);
        if let (Value::Object(body), Value::Object(details)) = (&mut error.body, details) {
            body.extend(details);
        }
        error
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "control plane failure");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

/// Parses a JSON body into `T`, answering 400 with serde's explanation.
pub fn parse_json<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "the body is empty; send a JSON object",
        ));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not what this call takes: {e}")))
}
