//! Chillr's failure codes: one variant per documented code, answered as Chillr answers
//! them (HTTP 200, `"status":"failure"`, the code as a JSON number, the documented message).

use crate::db::DbError;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq)]
pub enum ChillrError {
    /// 50
    ApiKeyMissing,
    /// 51
    ApiSecretKeyMissing,
    /// 52
    NameMissing,
    /// 53
    ExpiryDateMissing,
    /// 54
    CustomersMissing,
    /// 55
    ExpiryDateFormat,
    /// 56
    SecretMismatch,
    /// 57
    MerchantNotFound,
    /// 58, with every reason found.
    InvalidParameters(Vec<String>),
    /// 59
    Internal,
    /// 60
    BatchIdMissing,
    /// 61 (the document's sample once says 62; its code list says 61).
    BatchNotFound,
}

impl ChillrError {
    pub fn code(&self) -> u16 {
        match self {
            ChillrError::ApiKeyMissing => 50,
            ChillrError::ApiSecretKeyMissing => 51,
            ChillrError::NameMissing => 52,
            ChillrError::ExpiryDateMissing => 53,
            ChillrError::CustomersMissing => 54,
            ChillrError::ExpiryDateFormat => 55,
            ChillrError::SecretMismatch => 56,
            ChillrError::MerchantNotFound => 57,
            ChillrError::InvalidParameters(_) => 58,
            ChillrError::Internal => 59,
            ChillrError::BatchIdMissing => 60,
            ChillrError::BatchNotFound => 61,
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            ChillrError::ApiKeyMissing => "api_key param is missing",
            ChillrError::ApiSecretKeyMissing => "api_secret_key param is missing",
            ChillrError::NameMissing => "name param is missing",
            ChillrError::ExpiryDateMissing => "expiry_date param is missing",
            ChillrError::CustomersMissing => "customer param is missing",
            ChillrError::ExpiryDateFormat => "expiry_date format error (dd-mm-yyyy)",
            ChillrError::SecretMismatch => "api_secret_key mismatch error",
            ChillrError::MerchantNotFound => "Merchant not found error",
            ChillrError::InvalidParameters(_) => "Failed to create batch",
            ChillrError::Internal => "Internal server error",
            ChillrError::BatchIdMissing => "batch_id param is missing",
            ChillrError::BatchNotFound => "Batch not found error",
        }
    }
}

impl From<DbError> for ChillrError {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "chillr: database error");
        ChillrError::Internal
    }
}

impl ChillrError {
    pub fn body(&self) -> Value {
        let mut body = json!({
            "status": "failure",
            "status_code": self.code(),
            "message": self.message(),
        });
        if let ChillrError::InvalidParameters(reasons) = self {
            body["data"] = json!({ "reason": reasons });
        }
        body
    }
}

/// Chillr's failure envelope for a request that never reached an endpoint, with the HTTP
/// status as the code (the document has no code for it).
pub fn http_error_body(status: u16, message: &str) -> Value {
    json!({"status": "failure", "status_code": status, "message": message})
}

impl IntoResponse for ChillrError {
    fn into_response(self) -> Response {
        Json(self.body()).into_response()
    }
}
