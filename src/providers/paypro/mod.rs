//! PayPro ConnectPay (Pakistan): orders and consumers, twelve endpoints under `/cpay/`.
//!
//! Source: `paypro-connectpay.txt`; decisions in the project spec `paypro.md`. Served
//! under `/paypro` and at the root (`/cpay/...`). Every endpoint answers GET and POST.

mod actions;
mod click2pay;
mod diagnoses;
mod endpoints;
mod errors;
mod fixtures;
mod handlers;
mod lint;
mod magic;
mod openapi;
mod openapi_samples;
mod pages;
mod payload;
mod payment;
mod rules;
mod store;
mod wire;

use crate::db::DbError;
use crate::db::Migration;
use crate::diagnosis::{DocumentedOutcome, Rule};
use crate::fixtures::SectionError;
use crate::providers::{MagicValue, Provider, endpoint};
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};
use std::sync::LazyLock;
use utoipa::OpenApi;

pub struct PayPro;

static OUTCOMES: LazyLock<Vec<(&'static str, &'static [DocumentedOutcome])>> =
    LazyLock::new(endpoint::outcomes::<endpoints::Endpoint>);

#[derive(OpenApi)]
#[openapi(paths(actions::pay))]
struct ActionsDoc;

impl Provider for PayPro {
    fn name(&self) -> &'static str {
        "paypro"
    }

    fn endpoints(&self) -> &'static [&'static str] {
        &endpoints::NAMES
    }

    fn migrations(&self) -> &'static [Migration] {
        &[
            Migration {
                version: 2,
                name: "0002_paypro",
                sql: include_str!("migrations/0002_paypro.sql"),
            },
            Migration {
                version: 6,
                name: "0006_paypro_orders_consumers",
                sql: include_str!("migrations/0006_paypro_orders_consumers.sql"),
            },
            Migration {
                version: 9,
                name: "0009_paypro_paid_orders_index",
                sql: include_str!("migrations/0009_paypro_paid_orders_index.sql"),
            },
            Migration {
                version: 11,
                name: "0011_paypro_dashboard_indexes",
                sql: include_str!("migrations/0011_paypro_dashboard_indexes.sql"),
            },
            Migration {
                version: 12,
                name: "0012_paypro_dashboard_indexes_dropped",
                sql: include_str!("migrations/0012_paypro_dashboard_indexes_dropped.sql"),
            },
        ]
    }

    /// `MerchantPassword` in element 0 of `oJson` (and of the consumer calls), `password` in
    /// the query or form of the GET calls and `Password` in `csvOrders`; names in any case.
    fn secret_fields(&self) -> &'static [&'static str] {
        &["MerchantPassword", "password"]
    }

    fn owns_root_path(&self, path: &str) -> bool {
        path.starts_with("/cpay/")
    }

    fn router(&self) -> Router<AppState> {
        endpoint::router::<endpoints::Endpoint>()
            .route("/click2pay", get(click2pay::page))
            .route("/click2pay/pay", post(click2pay::pay))
            .route("/click2pay/fail", post(click2pay::fail))
    }

    fn actions(&self) -> Router<AppState> {
        Router::new().route("/orders/{cpay_id}/pay", post(actions::pay))
    }

    fn pay_command(&self) -> Option<crate::cli::pay_command::PayCommand> {
        Some(crate::cli::pay_command::PayCommand {
            about: "Pay an unpaid order as the customer, by its ConnectPayId",
            args: &[("ORDER", "the order's ConnectPayId")],
            call: |v| {
                (
                    format!(
                        "/orders/{}/pay",
                        crate::cli::pay_command::path_segment(&v[0])
                    ),
                    None,
                )
            },
        })
    }

    fn openapi(&self) -> Option<utoipa::openapi::OpenApi> {
        Some(ActionsDoc::openapi())
    }

    fn pages(&self) -> Router<AppState> {
        pages::router()
    }

    fn counts(&self, conn: &Connection) -> Result<Vec<(&'static str, i64)>, DbError> {
        store::pages::counts(conn)
    }

    fn outage_body(&self) -> Value {
        errors::Failure::service_fail().body()
    }

    /// PayPro's failure array; `03` ("Invalid Data") since the request itself is at fault.
    fn http_error_body(&self, _status: StatusCode, message: &str) -> Value {
        json!([{"Status": "03"}, {"Description": message}])
    }

    fn rules(&self) -> &'static [Rule] {
        diagnoses::RULES
    }

    fn lint(&self, traffic: &[crate::diagnosis::Traffic]) -> Vec<crate::diagnosis::Finding> {
        lint::lint(traffic)
    }

    fn outcomes(&self) -> &'static [(&'static str, &'static [DocumentedOutcome])] {
        &OUTCOMES
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
}
