//! Jaze ISP Manager, Section S payment details: eight `GET /api/v1/...` endpoints.
//!
//! Source: `payment-details.txt`; decisions in the project spec `jaze.md`. Served under
//! `/jaze` and at the root (`/api/v1/get_...`, beside AggrePay's `/api/v1/<name>`).

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

pub struct Jaze;

const ENDPOINTS: &[&str] = &[
    "get_all_payment_ids",
    "get_payment_details",
    "get_payment_details_by_date",
    "get_payment_details_by_userid_and_date",
    "get_payment_logs",
    "get_payment_logs_by_date",
    "get_payment_logs_by_userid_and_date",
    "get_payment_receipt",
];

impl Provider for Jaze {
    fn name(&self) -> &'static str {
        "jaze"
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
        json!({"status": "failure", "errorCode": 500, "message": "Internal Server Error"})
    }

    fn http_error_body(&self, status: StatusCode, message: &str) -> Value {
        json!({"status": "failure", "errorCode": status.as_u16(), "message": message})
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
