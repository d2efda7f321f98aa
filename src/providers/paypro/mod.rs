//! PayPro ConnectPay (Pakistan): orders and consumers, twelve endpoints under `/cpay/`.
//!
//! Source: `paypro-connectpay.txt`; decisions in the project spec `paypro.md`. Served
//! under `/paypro` and at the root (`/cpay/...`).

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

pub struct PayPro;

pub(crate) const ENDPOINTS: &[&str] = &[
    "co", "cmo", "gpojson", "moap", "moab", "mofr", "gos", "cc", "cmc", "uc", "umc", "gcd",
];

impl Provider for PayPro {
    fn name(&self) -> &'static str {
        "paypro"
    }

    fn endpoints(&self) -> &'static [&'static str] {
        ENDPOINTS
    }

    fn owns_root_path(&self, path: &str) -> bool {
        path.starts_with("/cpay/")
    }

    fn router(&self) -> Router<AppState> {
        Router::new()
    }

    fn outage_body(&self) -> Value {
        json!([{"Status": "02"}, {"Description": "Service Fail"}])
    }

    /// PayPro's failure array; `03` ("Invalid Data") since the request itself is at fault.
    fn http_error_body(&self, _status: StatusCode, message: &str) -> Value {
        json!([{"Status": "03"}, {"Description": message}])
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
