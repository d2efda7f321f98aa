//! `<dashboard>/paypro/consumers`: every merchant's consumers (or one merchant's), 50 a page.

use crate::dashboard::kit::{
    self, Extent, PEEK_LIMIT, Pager, Ui, database_failed, field, past_page,
};
use crate::db::DbError;
use crate::providers::paypro::store::merchants;
use crate::providers::paypro::store::pages;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use std::collections::HashMap;

pub async fn list(
    State(state): State<AppState>,
    ui: Ui,
    pager: Pager,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let merchant_name = field(&query, "merchant").unwrap_or_default().to_string();
    let found = state
        .db
        .read(|conn| {
            let merchant = match merchant_name.as_str() {
                "" => None,
                name => match merchants::by_username(conn, name)? {
                    Some(m) => Some(m.id),
                    None => return Ok(Err(format!("merchant: no PayPro merchant `{name}`"))),
                },
            };
            Ok::<_, DbError>(Ok(pages::consumers(
                conn,
                merchant,
                PEEK_LIMIT,
                pager.sql_offset(),
            )?))
        })
        .await;
    let mut consumers = match found {
        Ok(Ok(found)) => found,
        Ok(Err(message)) => return kit::bad_request(&message),
        Err(e) => return database_failed(&ui, e),
    };
    let has_next = past_page(&mut consumers);
    let body = html! {
        p { a href=(ui.href("/paypro")) { "Orders" } }
        @if consumers.is_empty() { p #no-consumers { "No consumers." } } @else {
            table #consumers {
                tr {
                    th { "Merchant" } th { "ConsumerID" } th { "Name" } th { "Mobile" }
                    th { "Email" } th { "Address" } th { "Created (UTC)" }
                }
                @for (merchant, consumer) in &consumers {
                    tr {
                        td { (merchant) }
                        td.consumer-id { (consumer.consumer_id) }
                        td { (consumer.name) }
                        td { (consumer.mobile) }
                        td { (consumer.email) }
                        td { (consumer.address) }
                        td { (consumer.created_at) }
                    }
                }
            }
        }
        (pager.nav(&ui, "/paypro/consumers", &[("merchant", Some(merchant_name.as_str()))], Extent::HasNext(has_next)))
    };
    ui.page("PayPro consumers", body).into_response()
}
