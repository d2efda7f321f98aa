//! Jaze's failures: `{"status":"failure","errorCode":N,"message":"..."}`, HTTP 200 but for
//! the 401 of a missing or wrong API Token / API Key. Each answer carries its diagnosis (the
//! error code as the outcome's code) beside it, never in it.

use super::diagnoses;
use crate::db::DbError;
use crate::diagnosis::{Diagnosis, Outcome};
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
    /// One of the above, with a diagnosis more precise than its message tells (which header
    /// was wrong, which date was bad); the answer is the inner error's.
    Diagnosed(Box<JazeError>, Box<Diagnosis>),
}

impl JazeError {
    /// The same answer, diagnosed as `diagnosis` says.
    pub fn with(self, diagnosis: Diagnosis) -> JazeError {
        JazeError::Diagnosed(Box::new(self.plain()), Box::new(diagnosis))
    }

    /// The error without any diagnosis attached.
    fn plain(self) -> JazeError {
        match self {
            JazeError::Diagnosed(inner, _) => inner.plain(),
            other => other,
        }
    }

    fn code(&self) -> u16 {
        match self {
            JazeError::Unauthorized => 401,
            JazeError::BadRequest(_) => 400,
            JazeError::NotFound(_) => 404,
            JazeError::Internal => 500,
            JazeError::Diagnosed(inner, _) => inner.code(),
        }
    }

    pub fn body(&self) -> Value {
        let message = match self {
            JazeError::Unauthorized => "Unauthorized".to_string(),
            JazeError::BadRequest(m) => m.clone(),
            JazeError::NotFound(m) => m.to_string(),
            JazeError::Internal => "Internal Server Error".to_string(),
            JazeError::Diagnosed(inner, _) => return inner.body(),
        };
        envelope(self.code(), &message)
    }

    /// Its diagnosis: the attached one, else the rule its variant and message name.
    pub fn diagnosis(&self) -> Diagnosis {
        match self {
            JazeError::Unauthorized => diagnoses::AUTH_UNAUTHORIZED.diagnose(),
            JazeError::BadRequest(m) => diagnoses::of_bad_request(m),
            JazeError::NotFound(m) => diagnoses::of_not_found(m),
            JazeError::Internal => diagnoses::INTERNAL.diagnose(),
            JazeError::Diagnosed(_, diagnosis) => (**diagnosis).clone(),
        }
        .code(self.code().to_string())
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
        let outcome = Outcome::refused(self.diagnosis());
        let response = if self.code() == 401 {
            (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Basic realm=\"Jaze\"")],
                Json(self.body()),
            )
                .into_response()
        } else {
            Json(self.body()).into_response()
        };
        outcome.on(response)
    }
}
