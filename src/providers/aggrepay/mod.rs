//! AggrePay semi-closed wallet (India): 21 endpoints, `POST /api/v1/<name>`, signed both ways.
//!
//! Source: `aggrepay-wallet.txt`; decisions in the project spec `aggrepay.md`. Served
//! under `/aggrepay` and at the root (`/api/v1/<name>`, which Jaze shares: a root path
//! belongs to AggrePay only when its last segment is one of AggrePay's endpoint names).

mod accounts;
mod amount;
mod customers;
mod fixtures;
mod hash;
mod ledger;
mod limits;
mod outbox;
mod pg_records;
mod php_json;
mod request;
mod rules;
mod wallet;
mod wallet_fixtures;
mod wire;

use crate::app::AppState;
use crate::db::DbError;
use crate::fixtures::SectionError;
use crate::providers::{MagicValue, Provider};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};

pub struct AggrePay;

#[derive(utoipa::OpenApi)]
#[openapi(paths(outbox::otps, pg_records::create))]
struct ActionsDoc;

const ENDPOINTS: &[&str] = &[
    "checkcustomer",
    "registrationotp",
    "registercustomer",
    "fetchbalance",
    "creditwallet",
    "debitwallet",
    "wallettowallet",
    "debitreversal",
    "checkcustomercreditlimit",
    "checkcustomerdebitlimit",
    "fetchtransactions",
    "fetchbymerchantransactionid",
    // The correct spelling of the document's misspelt endpoint, accepted too.
    "fetchbymerchanttransactionid",
    "fetchbytransactionid",
    "fetchcustomerdetail",
    "updatecustomer",
    "customerstatus",
    "customerotp",
    "forgotmpin",
    "changempin",
    "addsubmerchant",
    "getsubmerchants",
];

impl Provider for AggrePay {
    fn name(&self) -> &'static str {
        "aggrepay"
    }

    fn endpoints(&self) -> &'static [&'static str] {
        ENDPOINTS
    }

    /// The MPINs and OTPs a customer call carries, and the merchant's hashing `salt` (never
    /// sent, but a client that sends it by mistake must not find it journaled). The document's
    /// "Forgot MPIN" misprints `new_mpin` with a Devanagari letter; clients copying it send that
    /// name with a real MPIN. `hash` is not secret: it is a digest made to travel, and a client
    /// debugging `HASH-MISMATCH` needs to see it.
    fn secret_fields(&self) -> &'static [&'static str] {
        &[
            "mpin",
            "old_mpin",
            "new_mpin",
            "new_mp\u{93f}\u{928}",
            "otp",
            "salt",
        ]
    }

    fn owns_root_path(&self, path: &str) -> bool {
        path.starts_with("/api/v1/") && self.endpoint_of(path).is_some()
    }

    fn router(&self) -> Router<AppState> {
        Router::new()
            .route("/api/v1/checkcustomer", post(accounts::checkcustomer))
            .route("/api/v1/registrationotp", post(accounts::registrationotp))
            .route("/api/v1/registercustomer", post(accounts::registercustomer))
            .route(
                "/api/v1/fetchcustomerdetail",
                post(accounts::fetchcustomerdetail),
            )
            .route("/api/v1/updatecustomer", post(accounts::updatecustomer))
            .route("/api/v1/customerstatus", post(accounts::customerstatus))
            .route("/api/v1/customerotp", post(accounts::customerotp))
            .route("/api/v1/forgotmpin", post(accounts::forgotmpin))
            .route("/api/v1/changempin", post(accounts::changempin))
            .route("/api/v1/addsubmerchant", post(accounts::addsubmerchant))
            .route("/api/v1/getsubmerchants", post(accounts::getsubmerchants))
            .route("/api/v1/fetchbalance", post(wallet::fetchbalance))
            .route("/api/v1/creditwallet", post(wallet::creditwallet))
            .route("/api/v1/debitwallet", post(wallet::debitwallet))
            .route("/api/v1/wallettowallet", post(wallet::wallettowallet))
            .route("/api/v1/debitreversal", post(wallet::debitreversal))
            .route(
                "/api/v1/checkcustomercreditlimit",
                post(wallet::checkcustomercreditlimit),
            )
            .route(
                "/api/v1/checkcustomerdebitlimit",
                post(wallet::checkcustomerdebitlimit),
            )
            .route("/api/v1/fetchtransactions", post(wallet::fetchtransactions))
            .route(
                "/api/v1/fetchbymerchantransactionid",
                post(wallet::fetchbymerchantransactionid),
            )
            .route(
                "/api/v1/fetchbytransactionid",
                post(wallet::fetchbytransactionid),
            )
            .route(
                "/api/v1/fetchbymerchanttransactionid",
                post(wallet::fetchbymerchantransactionid),
            )
    }

    fn actions(&self) -> Router<AppState> {
        Router::new()
            .route("/otps", axum::routing::get(outbox::otps))
            .route("/pg-transactions", post(pg_records::create))
    }

    fn openapi(&self) -> Option<utoipa::openapi::OpenApi> {
        use utoipa::OpenApi;
        Some(ActionsDoc::openapi())
    }

    fn magic_values(&self) -> Vec<MagicValue> {
        vec![
            MagicValue {
                field: "pg_transaction_id",
                value: "PGTEST-…",
                effect: "creditwallet accepts it as a PG record of the credit's amount, once, without set-up",
            },
            MagicValue {
                field: "mpin / old_mpin / new_mpin",
                value: "0000",
                effect: "never a valid MPIN: always INVALID-MPIN",
            },
            MagicValue {
                field: "amount (debitwallet, wallettowallet)",
                value: "999.99",
                effect: "answers INTERNAL-ERROR without touching state",
            },
        ]
    }

    fn outage_body(&self) -> Value {
        wire::WalletError::Internal.body()
    }

    fn http_error_body(&self, status: StatusCode, message: &str) -> Value {
        let code = match status {
            StatusCode::NOT_FOUND => "NOT-FOUND",
            StatusCode::METHOD_NOT_ALLOWED => "METHOD-NOT-ALLOWED",
            StatusCode::PAYLOAD_TOO_LARGE => "INVALID-PARAMS",
            _ => "INTERNAL-ERROR",
        };
        envelope_error(code, message)
    }

    fn load_fixtures(
        &self,
        conn: &Connection,
        section: &Value,
        now: DateTime<Utc>,
    ) -> Result<(), SectionError> {
        fixtures::load(conn, section, now)
    }

    fn export_fixtures(&self, conn: &Connection) -> Result<Value, DbError> {
        fixtures::export(conn)
    }
}

/// AggrePay's error envelope: keys in the documented order, no hash on errors.
fn envelope_error(code: &str, message: &str) -> Value {
    json!({"data": null, "error": {"code": code, "message": message}, "page": null, "hash": null})
}
