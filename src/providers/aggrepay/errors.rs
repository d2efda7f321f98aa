//! AggrePay's code table: one variant per documented error code, and its envelope
//! `{"data":null,"error":{"code","message"},"page":null,"hash":null}`. Every refusal puts
//! its [`Outcome`] on the answer: the code, and a diagnosis (a specific one given with
//! [`AggrePayError::with`], else its rule's default from [`diagnoses`]).

use crate::db::DbError;
use crate::diagnosis::{Diagnosis, Outcome};
use crate::providers::aggrepay::diagnoses;
use crate::providers::aggrepay::wire::php_response;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Every documented error code.
#[derive(Debug, Clone, PartialEq)]
pub enum AggrePayError {
    Unauthorized,
    HashMismatch,
    /// A Laravel validation message.
    InvalidParams(String),
    InvalidOtp,
    /// `INVALID-INPUT-DATA` with its message (`Invalid input Data`, `Not enough balance in
    /// the account`, `Customer is not active`, `Wallet balance limit exceeded`).
    InvalidInputData(&'static str),
    InvalidMpin,
    InsufficientFund,
    TransactionLimit,
    AlreadyReversed,
    MonthlyLimitExceeded,
    NoPgTransactionRecord,
    NoSubMerchantRecord,
    Internal,
    /// An error with a specific diagnosis (made by [`AggrePayError::with`]); answers as the
    /// error it wraps.
    Diagnosed(Box<AggrePayError>, Box<Diagnosis>),
}

impl AggrePayError {
    pub fn invalid(message: impl Into<String>) -> Self {
        AggrePayError::InvalidParams(message.into())
    }

    /// The same error, explained by `diagnosis` (its code is set to the error's own).
    pub fn with(self, diagnosis: Diagnosis) -> Self {
        let error = match self {
            AggrePayError::Diagnosed(error, _) => error,
            error => Box::new(error),
        };
        AggrePayError::Diagnosed(error, Box::new(diagnosis))
    }

    /// Why the request was refused: the specific diagnosis given, else the rule's default.
    pub fn diagnosis(&self) -> Diagnosis {
        match self {
            AggrePayError::Diagnosed(_, diagnosis) => (**diagnosis).clone(),
            AggrePayError::Unauthorized => diagnoses::API_KEY_UNKNOWN.diagnose().field("api_key"),
            AggrePayError::HashMismatch => diagnoses::HASH_MISMATCH.diagnose().field("hash"),
            AggrePayError::InvalidParams(m) => diagnoses::invalid_params(m),
            AggrePayError::InvalidOtp => diagnoses::OTP_WRONG.diagnose().field("otp"),
            AggrePayError::InvalidInputData(m) => diagnoses::invalid_input_data(m),
            AggrePayError::InvalidMpin => diagnoses::MPIN_INVALID.diagnose(),
            AggrePayError::InsufficientFund => diagnoses::INSUFFICIENT_FUND.diagnose(),
            AggrePayError::TransactionLimit => diagnoses::LIMIT_DAILY.diagnose(),
            AggrePayError::AlreadyReversed => diagnoses::ALREADY_REVERSED.diagnose(),
            AggrePayError::MonthlyLimitExceeded => diagnoses::LIMIT_MONTHLY.diagnose(),
            AggrePayError::NoPgTransactionRecord => diagnoses::NO_PG_RECORD
                .diagnose()
                .field("pg_transaction_id"),
            AggrePayError::NoSubMerchantRecord => diagnoses::NO_SUB_MERCHANT.diagnose(),
            AggrePayError::Internal => diagnoses::INTERNAL.diagnose(),
        }
    }

    pub fn code_and_message(&self) -> (&'static str, String) {
        let (code, message) = match self {
            AggrePayError::Diagnosed(error, _) => return error.code_and_message(),
            AggrePayError::Unauthorized => ("UNAUTHORIZED", "Unauthorized"),
            AggrePayError::HashMismatch => ("HASH-MISMATCH", "Hash Mismatch"),
            AggrePayError::InvalidParams(m) => return ("INVALID-PARAMS", m.clone()),
            AggrePayError::InvalidOtp => ("INVALID-OTP", "Invalid OTP"),
            AggrePayError::InvalidInputData(m) => ("INVALID-INPUT-DATA", *m),
            AggrePayError::InvalidMpin => ("INVALID-MPIN", "Invalid MPIN"),
            AggrePayError::InsufficientFund => ("INSUFFICIENT-FUND", "Insufficient Fund"),
            AggrePayError::TransactionLimit => {
                ("TRANSACTION-LIMIT", "Daily Transaction Limit Reached")
            }
            AggrePayError::AlreadyReversed => (
                "TRANSACTION-ALREADY-REVERSED",
                "This Transaction is already reversed",
            ),
            AggrePayError::MonthlyLimitExceeded => (
                "MONTHLY-TRANSACTION-LIMIT-EXCEEDED",
                "Monthly Transaction Limit exceeded",
            ),
            AggrePayError::NoPgTransactionRecord => (
                "NO-PG-TRANSACTION-RECORD-FOUND",
                "Pg transaction record not found.",
            ),
            AggrePayError::NoSubMerchantRecord => {
                ("NO-SUB-MERCHANT-RECORD", "Sub merchant details not found.")
            }
            AggrePayError::Internal => ("INTERNAL-ERROR", "Internal Server Error"),
        };
        (code, message.to_string())
    }

    pub fn body(&self) -> Value {
        let (code, message) = self.code_and_message();
        envelope(code, &message)
    }
}

/// AggrePay's error envelope: keys in the documented order, no hash on errors.
pub fn envelope(code: &str, message: &str) -> Value {
    json!({"data": null, "error": {"code": code, "message": message}, "page": null, "hash": null})
}

impl From<DbError> for AggrePayError {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "aggrepay: database error");
        AggrePayError::Internal
    }
}

impl IntoResponse for AggrePayError {
    fn into_response(self) -> Response {
        let (code, message) = self.code_and_message();
        let diagnosis = self.diagnosis().code(code);
        Outcome::refused(diagnosis).on(php_response(&envelope(code, &message)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_specific_diagnosis_keeps_the_answer_and_takes_the_errors_code() {
        let plain = AggrePayError::InvalidMpin;
        let diagnosed = plain
            .clone()
            .with(diagnoses::HASH_SHA256.diagnose().field("mpin"));
        assert_eq!(diagnosed.body(), plain.body());
        let response = diagnosed.into_response();
        let outcome = response.extensions().get::<Outcome>().unwrap();
        assert_eq!(outcome.code, "INVALID-MPIN");
        assert_eq!(outcome.diagnosis.as_ref().unwrap().code, "INVALID-MPIN");
        assert_eq!(
            outcome.diagnosis.as_ref().unwrap().field.as_deref(),
            Some("mpin")
        );
    }

    #[test]
    fn every_error_has_a_default_diagnosis_with_its_code() {
        for error in [
            AggrePayError::Unauthorized,
            AggrePayError::HashMismatch,
            AggrePayError::invalid("The mpin field is required."),
            AggrePayError::InvalidInputData("Customer is not active"),
            AggrePayError::Internal,
        ] {
            let (code, _) = error.code_and_message();
            let response = error.into_response();
            let outcome = response.extensions().get::<Outcome>().unwrap();
            assert_eq!(outcome.code, code);
            assert!(
                outcome
                    .diagnosis
                    .as_ref()
                    .unwrap()
                    .rule
                    .starts_with("aggrepay.")
            );
        }
    }
}
