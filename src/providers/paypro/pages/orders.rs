//! `<dashboard>/paypro`: the orders, newest first, 50 a page, filtered by merchant (username),
//! status (as of now on the sandbox clock) and the start of the order number.

use super::order_href;
use crate::dashboard::kit::{
    self, Extent, PEEK_LIMIT, Pager, Ui, database_failed, field, past_page,
};
use crate::db::DbError;
use crate::providers::paypro::rules::{OrderStatus, effective};
use crate::providers::paypro::store::merchants::{self, Merchant};
use crate::providers::paypro::store::pages::{self, OrderFilter};
use crate::providers::paypro::store::{Order, shown};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::html;
use std::collections::HashMap;

const STATUSES: [OrderStatus; 4] = [
    OrderStatus::Unpaid,
    OrderStatus::Paid,
    OrderStatus::Blocked,
    OrderStatus::Refunded,
];

/// A `status` filter: the stored name or the label, in any case.
fn status(text: &str) -> Result<OrderStatus, String> {
    OrderStatus::parse_stored(&text.to_lowercase())
        .ok_or_else(|| format!("status: `{text}` is none of unpaid, paid, blocked, refunded"))
}

pub async fn list(
    State(state): State<AppState>,
    ui: Ui,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let merchant_name = field(&query, "merchant").unwrap_or_default().to_string();
    let number = field(&query, "number").unwrap_or_default().to_string();
    let status_text = field(&query, "status").unwrap_or_default().to_lowercase();
    let wanted = Pager::from_query(&query).and_then(|pager| {
        let status = (!status_text.is_empty())
            .then(|| status(&status_text))
            .transpose()?;
        Ok((pager, status))
    });
    let (pager, status) = match wanted {
        Ok(wanted) => wanted,
        Err(message) => return kit::bad_request(&message),
    };
    let now = state.clock.now();
    let found = state
        .db
        .read(|conn| {
            let merchants = merchants::all(conn)?;
            let merchant_id = match merchant_name.as_str() {
                "" => None,
                name => match merchants.iter().find(|m| m.username == name) {
                    Some(m) => Some(m.id),
                    None => return Ok(Err(format!("merchant: no PayPro merchant `{name}`"))),
                },
            };
            let filter = OrderFilter {
                merchant_id,
                status,
                number: Some(number.clone()),
            };
            let orders = pages::orders(conn, &filter, now, PEEK_LIMIT, pager.sql_offset())?;
            Ok::<_, DbError>(Ok((merchants, orders)))
        })
        .await;
    let (merchants, mut orders) = match found {
        Ok(Ok(found)) => found,
        Ok(Err(message)) => return kit::bad_request(&message),
        Err(e) => return database_failed(&ui, e),
    };
    let has_next = past_page(&mut orders);
    let username = |order: &Order| {
        merchants
            .iter()
            .find(|m| m.id == order.merchant_id)
            .map(|m: &Merchant| m.username.clone())
            .unwrap_or_default()
    };
    let kept = [
        ("merchant", Some(merchant_name.as_str())),
        ("status", Some(status_text.as_str())),
        ("number", Some(number.as_str())),
    ];
    let body = html! {
        p { a href=(ui.href("/paypro/consumers")) { "Consumers" } }
        form #filters method="get" action=(ui.href("/paypro")) {
            label { "Merchant " select name="merchant" {
                option value="" { "any" }
                @for m in &merchants {
                    option selected[m.username == merchant_name] { (m.username) }
                }
            } }
            " " label { "Status " select name="status" {
                option value="" { "any" }
                @for s in STATUSES {
                    option value=(s.stored()) selected[Some(s) == status] { (s.label(false)) }
                }
            } }
            " " label { "Order number starts with " input name="number" value=(number); }
            " " button { "Filter" }
        }
        @if orders.is_empty() { p #no-orders { "No orders." } } @else {
            table #orders {
                tr {
                    th { "ConnectPay Id" } th { "Order number" } th { "Merchant" } th { "Customer" }
                    th { "Amount" } th { "Due date" } th { "Status" } th { "Created (UTC)" }
                }
                @for order in &orders {
                    tr id={ "order-" (order.connectpay_id) } {
                        td { a href=(order_href(&ui, &order.connectpay_id)) { (order.connectpay_id) } }
                        td.number { (order.order_number) }
                        td { (username(order)) }
                        td { (order.customer_name) }
                        td { (shown(order.order_amount)) }
                        td { (order.due_date) }
                        td.status { (effective(order, now).label(false)) }
                        td { (order.created_at.format("%Y-%m-%d %H:%M:%S")) }
                    }
                }
            }
        }
        (pager.nav(&ui, "/paypro", &kept, Extent::HasNext(has_next)))
    };
    ui.page("PayPro orders", body).into_response()
}
