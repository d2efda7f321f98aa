//! `<dashboard>/paypro/consumers`: every merchant's consumers (or one merchant's), 50 a page.

use super::{PAGE_SIZE, internal, offset, pager, param};
use crate::app::AppState;
use crate::dashboard::kit::{self, Ui};
use crate::db::DbError;
use crate::providers::paypro::store::merchants;
use crate::providers::paypro::store::pages;
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
    let merchant_name = param(&query, "merchant").unwrap_or_default().to_string();
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
            Ok::<_, DbError>(Ok(pages::consumers(conn, merchant, PAGE_SIZE + 1, offset)?))
        })
        .await;
    let mut consumers = match found {
        Ok(Ok(found)) => found,
        Ok(Err(message)) => return kit::bad_request(&message),
        Err(e) => return internal(&ui, e),
    };
    let has_next = consumers.len() as i64 > PAGE_SIZE;
    consumers.truncate(PAGE_SIZE as usize);
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
        (pager(&ui, "/paypro/consumers", &[("merchant", merchant_name.as_str())], page, has_next))
    };
    ui.page("PayPro consumers", body).into_response()
}
