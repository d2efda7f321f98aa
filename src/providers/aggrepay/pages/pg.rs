//! `<dashboard>/aggrepay/pg`: the payment-gateway records `creditwallet` uses, newest first.

use super::{india, nav};
use crate::dashboard::kit::{Extent, PEEK_LIMIT, Pager, Ui, database_failed, past_page};
use crate::providers::aggrepay::amount::shown;
use crate::providers::aggrepay::store::pages;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

pub async fn list(State(state): State<AppState>, ui: Ui, pager: Pager) -> Response {
    let found = state
        .db
        .read(|conn| pages::pg_records(conn, PEEK_LIMIT, pager.sql_offset()))
        .await;
    let mut records = match found {
        Ok(records) => records,
        Err(e) => return database_failed(&ui, e),
    };
    let has_next = past_page(&mut records);
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
        (pager.nav(&ui, "/aggrepay/pg", &[], Extent::HasNext(has_next)))
    };
    ui.page("AggrePay payment-gateway records", body)
        .into_response()
}
