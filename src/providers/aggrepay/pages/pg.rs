//! `<dashboard>/aggrepay/pg`: the payment-gateway records `creditwallet` uses, newest first.

use super::{PAGE_SIZE, india, internal, nav, offset, pager};
use crate::app::AppState;
use crate::dashboard::kit::{self, Ui};
use crate::providers::aggrepay::amount::shown;
use crate::providers::aggrepay::store::pages;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use std::collections::HashMap;

pub async fn list(
    State(state): State<AppState>,
    ui: Ui,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (page, offset) = match offset(&query) {
        Ok(wanted) => wanted,
        Err(message) => return kit::bad_request(&message),
    };
    let found = state
        .db
        .read(|conn| pages::pg_records(conn, PAGE_SIZE + 1, offset))
        .await;
    let mut records = match found {
        Ok(records) => records,
        Err(e) => return internal(&ui, e),
    };
    let has_next = records.len() as i64 > PAGE_SIZE;
    records.truncate(PAGE_SIZE as usize);
    let body = html! {
        (nav(&ui))
        @if records.is_empty() { p #no-pg-records { "No payment-gateway records." } } @else {
            table #pg-records {
                tr { th { "pg_transaction_id" } th { "Merchant" } th { "Amount" } th { "Used" } th { "Created (India time)" } }
                @for record in &records {
                    tr {
                        td.pg-id { (record.pg_transaction_id) }
                        td { (record.api_key) }
                        td { (shown(record.amount)) }
                        td.used { @if record.used { "yes" } @else { "no" } }
                        td { (india(&record.created_at)) }
                    }
                }
            }
        }
        (pager(&ui, "/aggrepay/pg", &[], page, has_next))
    };
    ui.page("AggrePay payment-gateway records", body)
        .into_response()
}
