//! Jaze's failures: `{"status":"failure","errorCode":N,"message":"..."}`, HTTP 200 but for
//! the 401 of a missing or wrong API Token / API Key.

use crate::db::DbError;
use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq)]
pub enum JazeError {
    Unauthorized,
    /// errorCode 400: a bad date, a non-numeric id, a from date after the to date.
    BadRequest(String),
    /// errorCode 404: `User not found`, `Payment not found`.
    NotFound(&'static str),
    /// errorCode 500.
    Internal,
}

impl JazeError {
    pub fn body(&self) -> Value {
        let (code, message) = match self {
            JazeError::Unauthorized => (401, "Unauthorized".to_string()),
            JazeError::BadRequest(m) => (400, m.clone()),
            JazeError::NotFound(m) => (404, m.to_string()),
            JazeError::Internal => (500, "Internal Server Error".to_string()),
        };
        envelope(code, &message)
    }
}

/// The failure envelope, also for the sandbox's own refusals (HTTP errors, a missing receipt).
pub fn envelope(code: u16, message: &str) -> Value {
    json!({"status": "failure", "errorCode": code, "message": message})
}

impl From<DbError> for JazeError {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "jaze: database error");
        JazeError::Internal
    }
}

impl IntoResponse for JazeError {
    fn into_response(self) -> Response {
        if self == JazeError::Unauthorized {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Basic realm=\"Jaze\"")],
                Json(self.body()),
            )
                .into_response();
        }
        Json(self.body()).into_response()
    }
}
