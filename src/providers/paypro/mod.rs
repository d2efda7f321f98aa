//! PayPro ConnectPay (Pakistan): orders and consumers, twelve endpoints under `/cpay/`.
//!
//! Source: `paypro-connectpay.txt`; decisions in the project spec `paypro.md`. Served
//! under `/paypro` and at the root (`/cpay/...`). Every endpoint answers GET and POST.

mod actions;
mod auth;
mod changes;
mod click2pay;
mod consumers;
mod dates;
mod fixtures;
mod lifecycle;
mod order_fixtures;
mod orders;
mod payload;
mod payment;
mod queries;
mod store;
mod wire;

use crate::app::AppState;
use crate::db::DbError;
use crate::fixtures::SectionError;
use crate::providers::{MagicValue, Provider};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{Value, json};
use utoipa::OpenApi;

pub struct PayPro;

#[derive(OpenApi)]
#[openapi(paths(actions::pay))]
struct ActionsDoc;

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

    /// `MerchantPassword` in element 0 of `oJson` (and of the consumer calls), `password` in
    /// the query or form of the GET calls and `Password` in `csvOrders`; names in any case.
    fn secret_fields(&self) -> &'static [&'static str] {
        &["MerchantPassword", "password"]
    }

    fn owns_root_path(&self, path: &str) -> bool {
        path.starts_with("/cpay/")
    }

    fn router(&self) -> Router<AppState> {
        Router::new()
            .route("/cpay/co", get(orders::co).post(orders::co))
            .route("/cpay/cmo", get(orders::cmo).post(orders::cmo))
            .route(
                "/cpay/gpojson",
                get(queries::gpojson).post(queries::gpojson),
            )
            .route("/cpay/gos", get(queries::gos).post(queries::gos))
            .route("/cpay/moap", get(changes::moap).post(changes::moap))
            .route("/cpay/moab", get(changes::moab).post(changes::moab))
            .route("/cpay/mofr", get(changes::mofr).post(changes::mofr))
            .route("/cpay/cc", get(consumers::cc).post(consumers::cc))
            .route("/cpay/cmc", get(consumers::cmc).post(consumers::cmc))
            .route("/cpay/uc", get(consumers::uc).post(consumers::uc))
            .route("/cpay/umc", get(consumers::umc).post(consumers::umc))
            .route("/cpay/gcd", get(consumers::gcd).post(consumers::gcd))
            .route("/click2pay", get(click2pay::page))
            .route("/click2pay/pay", post(click2pay::pay))
            .route("/click2pay/fail", post(click2pay::fail))
    }

    fn actions(&self) -> Router<AppState> {
        Router::new().route("/orders/{cpay_id}/pay", post(actions::pay))
    }

    fn openapi(&self) -> Option<utoipa::openapi::OpenApi> {
        Some(ActionsDoc::openapi())
    }

    fn outage_body(&self) -> Value {
        wire::Failure::service_fail().body()
    }

    /// PayPro's failure array; `03` ("Invalid Data") since the request itself is at fault.
    fn http_error_body(&self, _status: StatusCode, message: &str) -> Value {
        json!([{"Status": "03"}, {"Description": message}])
    }

    fn magic_values(&self) -> Vec<MagicValue> {
        vec![
            MagicValue {
                field: "OrderNumber",
                value: "MAGIC-02…",
                effect: "co/cmo answer 02 Service Fail and create nothing",
            },
            MagicValue {
                field: "OrderNumber",
                value: "MAGIC-PAID…",
                effect: "the order is created, then paid at once",
            },
            MagicValue {
                field: "OrderNumber",
                value: "MAGIC-BLOCKED…",
                effect: "the order is created, then blocked at once",
            },
        ]
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
