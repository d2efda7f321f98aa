//! AggrePay's code table: one variant per documented error code, and its envelope
//! `{"data":null,"error":{"code","message"},"page":null,"hash":null}`.

use crate::db::DbError;
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
}

impl AggrePayError {
    pub fn invalid(message: impl Into<String>) -> Self {
        AggrePayError::InvalidParams(message.into())
    }

    pub fn code_and_message(&self) -> (&'static str, String) {
        let (code, message) = match self {
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
        php_response(&self.body())
    }
}
