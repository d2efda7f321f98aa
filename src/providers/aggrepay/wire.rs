//! AggrePay's answers: `{"data","error","page","hash"}` in that order, written as PHP's
//! `json_encode` writes them; successes carry the response hash, errors `"hash": null`.

use super::hash::response_hash;
use super::php_json;
use crate::db::DbError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// Every documented error code.
#[derive(Debug, Clone, PartialEq)]
pub enum WalletError {
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

impl WalletError {
    pub fn invalid(message: impl Into<String>) -> Self {
        WalletError::InvalidParams(message.into())
    }

    pub fn code_and_message(&self) -> (&'static str, String) {
        let (code, message) = match self {
            WalletError::Unauthorized => ("UNAUTHORIZED", "Unauthorized"),
            WalletError::HashMismatch => ("HASH-MISMATCH", "Hash Mismatch"),
            WalletError::InvalidParams(m) => return ("INVALID-PARAMS", m.clone()),
            WalletError::InvalidOtp => ("INVALID-OTP", "Invalid OTP"),
            WalletError::InvalidInputData(m) => ("INVALID-INPUT-DATA", *m),
            WalletError::InvalidMpin => ("INVALID-MPIN", "Invalid MPIN"),
            WalletError::InsufficientFund => ("INSUFFICIENT-FUND", "Insufficient Fund"),
            WalletError::TransactionLimit => {
                ("TRANSACTION-LIMIT", "Daily Transaction Limit Reached")
            }
            WalletError::AlreadyReversed => (
                "TRANSACTION-ALREADY-REVERSED",
                "This Transaction is already reversed",
            ),
            WalletError::MonthlyLimitExceeded => (
                "MONTHLY-TRANSACTION-LIMIT-EXCEEDED",
                "Monthly Transaction Limit exceeded",
            ),
            WalletError::NoPgTransactionRecord => (
                "NO-PG-TRANSACTION-RECORD-FOUND",
                "Pg transaction record not found.",
            ),
            WalletError::NoSubMerchantRecord => {
                ("NO-SUB-MERCHANT-RECORD", "Sub merchant details not found.")
            }
            WalletError::Internal => ("INTERNAL-ERROR", "Internal Server Error"),
        };
        (code, message.to_string())
    }

    pub fn body(&self) -> Value {
        let (code, message) = self.code_and_message();
        json!({"data": null, "error": {"code": code, "message": message}, "page": null, "hash": null})
    }
}

impl From<DbError> for WalletError {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "aggrepay: database error");
        WalletError::Internal
    }
}

impl IntoResponse for WalletError {
    fn into_response(self) -> Response {
        php_response(&self.body())
    }
}

/// A success: `data` (and `page` for listings) with the response hash over the rest.
pub fn success(salt: &str, data: Value, page: Value) -> Response {
    let mut body = Map::new();
    body.insert("data".into(), data);
    body.insert("error".into(), Value::Null);
    body.insert("page".into(), page);
    let without_hash = Value::Object(body.clone());
    let hash = response_hash(salt, &php_json::encode(&without_hash));
    body.insert("hash".into(), Value::String(hash));
    php_response(&Value::Object(body))
}

/// The document's "failed to update" answer: everything null, no hash.
pub fn nothing_updated() -> Response {
    php_response(&json!({"data": null, "error": null, "page": null, "hash": null}))
}

fn php_response(body: &Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        php_json::encode(body),
    )
        .into_response()
}

pub fn respond(result: Result<Response, WalletError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha512};

    async fn text(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// What the document's PHP `responseHashCheck` does with the text: drop the hash, hash
    /// salt + the rest.
    fn php_check(salt: &str, body: &str) -> bool {
        let Some((without, hash)) = body.rsplit_once(r#","hash":""#) else {
            return false;
        };
        let hash = hash.trim_end_matches("\"}");
        let digest = Sha512::digest(format!("{salt}{without}}}").as_bytes());
        let expected: String = digest.iter().map(|b| format!("{b:02X}")).collect();
        hash == expected
    }

    #[tokio::test]
    async fn a_success_carries_the_hash_php_computes_over_its_own_encoding() {
        let data = json!({"description": "Rent/March – café", "balance": 40.0, "amount": "41.5"});
        let body = text(success("salt-1", data, Value::Null)).await;
        assert_eq!(
            body.split(r#","hash""#).next().unwrap(),
            r#"{"data":{"description":"Rent\/March \u2013 caf\u00e9","balance":40,"amount":"41.5"},"error":null,"page":null"#
        );
        assert!(php_check("salt-1", &body), "{body}");
        assert!(!php_check("other-salt", &body));
    }

    #[tokio::test]
    async fn errors_and_the_failed_update_answer_have_a_null_hash() {
        let body = text(WalletError::HashMismatch.into_response()).await;
        assert_eq!(
            body,
            r#"{"data":null,"error":{"code":"HASH-MISMATCH","message":"Hash Mismatch"},"page":null,"hash":null}"#
        );
        assert_eq!(
            text(nothing_updated()).await,
            r#"{"data":null,"error":null,"page":null,"hash":null}"#
        );
    }
}
