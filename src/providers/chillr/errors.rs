//! Chillr's failure codes: one variant per documented code, answered as Chillr answers
//! them (HTTP 200, `"status":"failure"`, the code as a JSON number, the documented message).
//! Each answer carries its diagnosis (the code as the outcome's code) beside it, never in it.

use super::diagnoses;
use crate::db::DbError;
use crate::diagnosis::{Diagnosis, Outcome};
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
    /// One of the above with a diagnosis more precise than its code tells (why a batch is not
    /// found, which date was sent); the answer is the inner error's.
    Diagnosed(Box<ChillrError>, Box<Diagnosis>),
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
            ChillrError::Diagnosed(inner, _) => inner.code(),
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
            ChillrError::Diagnosed(inner, _) => inner.message(),
        }
    }

    /// The same answer, diagnosed as `diagnosis` says.
    pub fn with(self, diagnosis: Diagnosis) -> ChillrError {
        match self {
            ChillrError::Diagnosed(inner, _) => inner.with(diagnosis),
            plain => ChillrError::Diagnosed(Box::new(plain), Box::new(diagnosis)),
        }
    }

    /// Its diagnosis: the attached one, else the rule its code (and reasons) name.
    pub fn diagnosis(&self) -> Diagnosis {
        let diagnosis = match self {
            ChillrError::ApiKeyMissing => diagnoses::API_KEY_MISSING.diagnose().field("api_key"),
            ChillrError::ApiSecretKeyMissing => {
                diagnoses::SECRET_MISSING.diagnose().field("api_secret_key")
            }
            ChillrError::NameMissing => diagnoses::NAME_MISSING.diagnose().field("name"),
            ChillrError::ExpiryDateMissing => {
                diagnoses::EXPIRY_MISSING.diagnose().field("expiry_date")
            }
            ChillrError::CustomersMissing => {
                diagnoses::CUSTOMERS_MISSING.diagnose().field("customers")
            }
            ChillrError::ExpiryDateFormat => diagnoses::EXPIRY_FORMAT
                .diagnose()
                .field("expiry_date")
                .expected("dd-mm-yyyy"),
            ChillrError::SecretMismatch => diagnoses::SECRET_MISMATCH
                .diagnose()
                .field("api_secret_key"),
            ChillrError::MerchantNotFound => {
                diagnoses::MERCHANT_NOT_FOUND.diagnose().field("api_key")
            }
            ChillrError::InvalidParameters(reasons) => diagnoses::of_reasons(reasons),
            ChillrError::Internal => diagnoses::INTERNAL.diagnose(),
            ChillrError::BatchIdMissing => diagnoses::BATCH_ID_MISSING.diagnose().field("batch_id"),
            ChillrError::BatchNotFound => diagnoses::BATCH_NOT_FOUND.diagnose().field("batch_id"),
            ChillrError::Diagnosed(_, diagnosis) => (**diagnosis).clone(),
        };
        diagnosis.code(self.code().to_string())
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
        if let ChillrError::Diagnosed(inner, _) = self {
            return inner.body();
        }
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
        Outcome::refused(self.diagnosis()).on(Json(self.body()).into_response())
    }
}
