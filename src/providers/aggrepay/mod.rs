//! AggrePay semi-closed wallet (India): 21 endpoints, `POST /api/v1/<name>`, signed both ways.
//!
//! Source: `aggrepay-wallet.txt`; decisions in the project spec `aggrepay.md`. Served
//! under `/aggrepay` and at the root (`/api/v1/<name>`, which Jaze shares: a root path
//! belongs to AggrePay only when its last segment is one of AggrePay's endpoint names).

mod fixtures;

use crate::app::AppState;
use crate::fixtures::SectionError;
use crate::providers::Provider;
use axum::Router;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use serde_json::{Value, json};
use sqlx::SqliteConnection;

pub struct AggrePay;

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

    fn owns_root_path(&self, path: &str) -> bool {
        path.starts_with("/api/v1/") && self.endpoint_of(path).is_some()
    }

    fn router(&self) -> Router<AppState> {
        Router::new()
    }

    fn outage_body(&self) -> Value {
        envelope_error("INTERNAL-ERROR", "Internal Server Error")
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

    fn load_fixtures<'a>(
        &'a self,
        conn: &'a mut SqliteConnection,
        section: &'a Value,
        _now: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<(), SectionError>> {
        Box::pin(fixtures::load(conn, section))
    }

    fn export_fixtures<'a>(
        &'a self,
        conn: &'a mut SqliteConnection,
    ) -> BoxFuture<'a, Result<Value, sqlx::Error>> {
        Box::pin(fixtures::export(conn))
    }
}

/// AggrePay's error envelope: keys in the documented order, no hash on errors.
fn envelope_error(code: &str, message: &str) -> Value {
    json!({"data": null, "error": {"code": code, "message": message}, "page": null, "hash": null})
}
