//! Jaze ISP Manager, Section S payment details: eight `GET /api/v1/...` endpoints.
//!
//! Source: `payment-details.txt`; decisions in the project spec `jaze.md`. Served under
//! `/jaze` and at the root (`/api/v1/get_...`, beside AggrePay's `/api/v1/<name>`).

mod actions;
mod diagnoses;
mod endpoints;
mod errors;
mod fixtures;
mod handlers;
mod lint;
mod magic;
mod openapi;
mod pages;
mod receipt;
mod rules;
mod store;
mod wire;

use crate::db::Migration;
use crate::diagnosis::{DocumentedOutcome, Finding, Rule, Traffic};
use crate::fixtures::SectionError;
use crate::providers::{MagicValue, Provider, endpoint};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::Value;
use std::sync::LazyLock;

pub struct Jaze;

#[derive(utoipa::OpenApi)]
#[openapi(paths(actions::users, actions::invoices, actions::payments))]
struct ActionsDoc;

static NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(endpoint::names::<endpoints::Endpoint>);

static OUTCOMES: LazyLock<Vec<(&'static str, &'static [DocumentedOutcome])>> =
    LazyLock::new(endpoint::outcomes::<endpoints::Endpoint>);

impl Provider for Jaze {
    fn name(&self) -> &'static str {
        "jaze"
    }

    fn endpoints(&self) -> &'static [&'static str] {
        &NAMES
    }

    fn migrations(&self) -> &'static [Migration] {
        &[
            Migration {
                version: 4,
                name: "0004_jaze",
                sql: include_str!("migrations/0004_jaze.sql"),
            },
            Migration {
                version: 8,
                name: "0008_jaze_records",
                sql: include_str!("migrations/0008_jaze_records.sql"),
            },
        ]
    }

    /// None in a query or body: Jaze reads its credentials (API Token and API Key) only from
    /// HTTP Basic authentication, and `Authorization` keeps only its scheme for every provider.
    fn secret_fields(&self) -> &'static [&'static str] {
        &[]
    }

    fn owns_root_path(&self, path: &str) -> bool {
        path.starts_with("/api/v1/") && self.endpoint_of(path).is_some()
    }

    fn router(&self) -> Router<AppState> {
        endpoint::router::<endpoints::Endpoint>().merge(receipt::routes())
    }

    fn actions(&self) -> Router<AppState> {
        Router::new()
            .route("/users", post(actions::users))
            .route("/invoices", post(actions::invoices))
            .route("/payments", post(actions::payments))
    }

    fn openapi(&self) -> Option<utoipa::openapi::OpenApi> {
        use utoipa::OpenApi;
        Some(ActionsDoc::openapi())
    }

    fn rules(&self) -> &'static [Rule] {
        diagnoses::RULES
    }

    fn outcomes(&self) -> &'static [(&'static str, &'static [DocumentedOutcome])] {
        &OUTCOMES
    }

    fn lint(&self, traffic: &[Traffic]) -> Vec<Finding> {
        lint::lint(traffic)
    }

    fn api_description(&self) -> Option<Value> {
        Some(openapi::description())
    }

    fn fixture_schema(&self) -> Option<Value> {
        Some(crate::providers::openapi::section_schema::<fixtures::Section>(self.name()))
    }

    fn magic_values(&self) -> Vec<MagicValue> {
        magic::magic_values()
    }

    fn outage_body(&self) -> Value {
        errors::JazeError::Internal.body()
    }

    fn http_error_body(&self, status: StatusCode, message: &str) -> Value {
        errors::envelope(status.as_u16(), message)
    }

    fn load_fixtures(
        &self,
        conn: &Connection,
        section: &Value,
        now: DateTime<Utc>,
    ) -> Result<(), SectionError> {
        fixtures::load(conn, section, now)
    }

    fn export_fixtures(&self, conn: &Connection) -> Result<Value, crate::db::DbError> {
        fixtures::export(conn)
    }

    fn pages(&self) -> Router<AppState> {
        pages::router()
    }

    fn counts(&self, conn: &Connection) -> Result<Vec<(&'static str, i64)>, crate::db::DbError> {
        store::pages::counts(conn)
    }
}
