//! Chillr mass collect (India): `POST /api/v5/collect`, `POST /api/v5/check_collect_status`.
//!
//! Source: `chillr-mass-collect.txt`; decisions in the project spec `chillr.md`. Served
//! under `/chillr` and at the root (`/api/v5/...`).

mod fixtures;

use crate::app::AppState;
use crate::fixtures::SectionError;
use crate::providers::Provider;
use axum::Router;
use axum::http::StatusCode;
use futures_util::future::BoxFuture;
use serde_json::{Value, json};
use sqlx::SqliteConnection;

pub struct Chillr;

const ENDPOINTS: &[&str] = &["collect", "check_collect_status"];

impl Provider for Chillr {
    fn name(&self) -> &'static str {
        "chillr"
    }

    fn endpoints(&self) -> &'static [&'static str] {
        ENDPOINTS
    }

    fn owns_root_path(&self, path: &str) -> bool {
        path.starts_with("/api/v5/")
    }

    fn router(&self) -> Router<AppState> {
        Router::new()
    }

    fn outage_body(&self) -> Value {
        json!({"status": "failure", "status_code": 59, "message": "Internal server error"})
    }

    /// Chillr's failure envelope, with the HTTP status as the code (the document has no
    /// code for a request that never reached an endpoint).
    fn http_error_body(&self, status: StatusCode, message: &str) -> Value {
        json!({"status": "failure", "status_code": status.as_u16(), "message": message})
    }

    fn load_fixtures<'a>(
        &'a self,
        conn: &'a mut SqliteConnection,
        section: &'a Value,
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
