//! Chillr mass collect (India): `POST /api/v5/collect`, `POST /api/v5/check_collect_status`.
//!
//! Source: `chillr-mass-collect.txt`; decisions in the project spec `chillr.md`. Served
//! under `/chillr` and at the root (`/api/v5/...`).

mod actions;
mod diagnoses;
mod endpoints;
mod errors;
mod fixtures;
mod handlers;
mod ids;
mod lifecycle;
mod lint;
mod magic;
mod openapi;
mod pages;
mod rules;
mod store;
mod wire;

use crate::db::DbError;
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
use utoipa::OpenApi;

pub struct Chillr;

static NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(endpoint::names::<endpoints::Endpoint>);

static OUTCOMES: LazyLock<Vec<(&'static str, &'static [DocumentedOutcome])>> =
    LazyLock::new(endpoint::outcomes::<endpoints::Endpoint>);

#[derive(OpenApi)]
#[openapi(paths(actions::act, actions::register_users))]
struct ActionsDoc;

impl Provider for Chillr {
    fn name(&self) -> &'static str {
        "chillr"
    }

    fn endpoints(&self) -> &'static [&'static str] {
        &NAMES
    }

    fn migrations(&self) -> &'static [Migration] {
        &[
            Migration {
                version: 1,
                name: "0001_chillr",
                sql: include_str!("migrations/0001_chillr.sql"),
            },
            Migration {
                version: 5,
                name: "0005_chillr_batches",
                sql: include_str!("migrations/0005_chillr_batches.sql"),
            },
        ]
    }

    /// `api_secret_key`, checked against the merchant's (`api_key` only names the merchant).
    fn secret_fields(&self) -> &'static [&'static str] {
        &["api_secret_key"]
    }

    fn owns_root_path(&self, path: &str) -> bool {
        path.starts_with("/api/v5/")
    }

    fn router(&self) -> Router<AppState> {
        endpoint::router::<endpoints::Endpoint>()
    }

    fn actions(&self) -> Router<AppState> {
        Router::new()
            .route("/batches/{batch_id}/customers/{msisdn}", post(actions::act))
            .route("/users", post(actions::register_users))
    }

    fn pay_command(&self) -> Option<crate::cli::pay_command::PayCommand> {
        Some(crate::cli::pay_command::PayCommand {
            about: "Pay a customer's pending collect request as that customer",
            args: &[
                ("BATCH", "the batch id"),
                ("MSISDN", "the customer's mobile number"),
            ],
            call: |v| {
                let (batch, msisdn) = (&v[0], &v[1]);
                let path = format!(
                    "/batches/{}/customers/{}",
                    crate::cli::pay_command::path_segment(batch),
                    crate::cli::pay_command::path_segment(msisdn)
                );
                (path, Some(serde_json::json!({"action": "pay"})))
            },
        })
    }

    fn openapi(&self) -> Option<utoipa::openapi::OpenApi> {
        Some(ActionsDoc::openapi())
    }

    fn outage_body(&self) -> Value {
        errors::ChillrError::Internal.body()
    }

    fn http_error_body(&self, status: StatusCode, message: &str) -> Value {
        errors::http_error_body(status.as_u16(), message)
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

    fn pages(&self) -> Router<AppState> {
        pages::router()
    }

    fn counts(&self, conn: &Connection) -> Result<Vec<(&'static str, i64)>, DbError> {
        store::pages::counts(conn)
    }

    fn phone(
        &self,
        conn: &Connection,
        ui: &crate::dashboard::kit::Ui,
        mobile: &str,
    ) -> Result<Option<maud::Markup>, DbError> {
        pages::phone(conn, ui, mobile)
    }
}
