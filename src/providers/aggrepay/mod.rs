//! AggrePay semi-closed wallet (India): 21 endpoints, `POST /api/v1/<name>`, signed both ways.
//!
//! Source: `aggrepay-wallet.txt`; decisions in the project spec `aggrepay.md`. Served
//! under `/aggrepay` and at the root (`/api/v1/<name>`, which Jaze shares: a root path
//! belongs to AggrePay only when its last segment is one of AggrePay's endpoint names).

mod actions;
mod amount;
mod diagnoses;
mod endpoints;
mod errors;
mod fixtures;
mod handlers;
mod hash;
mod laravel;
mod limit_checks;
mod lint;
mod magic;
mod openapi;
mod openapi_samples;
mod pages;
mod php_json;
mod rules;
mod store;
mod why;
mod wire;

use crate::db::DbError;
use crate::db::Migration;
use crate::diagnosis::{DocumentedOutcome, Finding, Rule, Traffic};
use crate::fixtures::SectionError;
use crate::providers::endpoint;
use crate::providers::{MagicValue, Provider};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::Value;
use std::sync::LazyLock;

pub struct AggrePay;

#[derive(utoipa::OpenApi)]
#[openapi(paths(actions::otps, actions::create_pg_transaction))]
struct ActionsDoc;

static NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(endpoint::names::<endpoints::Endpoint>);

type Outcomes = Vec<(&'static str, &'static [DocumentedOutcome])>;

static OUTCOMES: LazyLock<Outcomes> = LazyLock::new(endpoint::outcomes::<endpoints::Endpoint>);

impl Provider for AggrePay {
    fn name(&self) -> &'static str {
        "aggrepay"
    }

    fn endpoints(&self) -> &'static [&'static str] {
        &NAMES
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

    fn migrations(&self) -> &'static [Migration] {
        &[
            Migration {
                version: 3,
                name: "0003_aggrepay",
                sql: include_str!("migrations/0003_aggrepay.sql"),
            },
            Migration {
                version: 7,
                name: "0007_aggrepay_wallets",
                sql: include_str!("migrations/0007_aggrepay_wallets.sql"),
            },
            Migration {
                version: 10,
                name: "0010_aggrepay_usage",
                sql: include_str!("migrations/0010_aggrepay_usage.sql"),
            },
        ]
    }

    /// The MPINs and OTPs a customer call carries, and the merchant's hashing `salt` (never
    /// sent, but a client that sends it by mistake must not find it journaled). The document's
    /// "Forgot MPIN" misprints `new_mpin` with a Devanagari letter; clients copying it send that
    /// name with a real MPIN. `hash` is not secret: it is a digest made to travel, and a client
    /// debugging `HASH-MISMATCH` needs to see it.
    fn secret_fields(&self) -> &'static [&'static str] {
        laravel::SECRET_FIELDS
    }

    fn owns_root_path(&self, path: &str) -> bool {
        path.starts_with("/api/v1/") && self.endpoint_of(path).is_some()
    }

    fn router(&self) -> Router<AppState> {
        endpoint::router::<endpoints::Endpoint>()
    }

    fn actions(&self) -> Router<AppState> {
        Router::new()
            .route("/otps", get(actions::otps))
            .route("/pg-transactions", post(actions::create_pg_transaction))
    }

    fn openapi(&self) -> Option<utoipa::openapi::OpenApi> {
        use utoipa::OpenApi;
        Some(ActionsDoc::openapi())
    }

    fn pages(&self) -> Router<AppState> {
        pages::router()
    }

    fn counts(&self, conn: &Connection) -> Result<Vec<(&'static str, i64)>, DbError> {
        store::pages::counts(conn)
    }

    /// The OTPs sent to the number with their state on the sandbox clock, and its wallets.
    fn phone(
        &self,
        conn: &Connection,
        ui: &crate::dashboard::kit::Ui,
        mobile: &str,
    ) -> Result<Option<maud::Markup>, DbError> {
        pages::phone_section(conn, ui, mobile, ui.now)
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
        errors::AggrePayError::Internal.body()
    }

    fn http_error_body(&self, status: StatusCode, message: &str) -> Value {
        let code = match status {
            StatusCode::NOT_FOUND => "NOT-FOUND",
            StatusCode::METHOD_NOT_ALLOWED => "METHOD-NOT-ALLOWED",
            StatusCode::PAYLOAD_TOO_LARGE => "INVALID-PARAMS",
            _ => "INTERNAL-ERROR",
        };
        errors::envelope(code, message)
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
