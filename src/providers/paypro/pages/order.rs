//! `<dashboard>/paypro/orders/{ConnectPayId}`: an order, its history, its Click2Pay link and
//! the forms that pay, block or refund it.

use super::order_href;
use crate::dashboard::kit::{self, Ui, database_failed, page_with_refusal};
use crate::db::DbError;
use crate::providers::paypro::rules::{OrderStatus, amount_due, effective, expires_at};
use crate::providers::paypro::store::merchants::{self, Merchant};
use crate::providers::paypro::store::{self, Order, shown};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use maud::{Markup, html};

pub async fn page(State(state): State<AppState>, ui: Ui, Path(cpay_id): Path<String>) -> Response {
    render(&state, &ui, &cpay_id, None).await
}

/// The order's page with an action's refusal on it, answered 400 (404 for no such order).
pub async fn refused(state: &AppState, ui: &Ui, cpay_id: &str, message: &str) -> Response {
    render(state, ui, cpay_id, Some(message)).await
}

async fn render(state: &AppState, ui: &Ui, cpay_id: &str, error: Option<&str>) -> Response {
    let found = state
        .db
        .read(|conn| {
            let Some(order) = store::by_connectpay_id(conn, None, cpay_id.trim())? else {
                return Ok(None);
            };
            let merchant = merchants::by_id(conn, order.merchant_id)?;
            Ok::<_, DbError>(Some((order, merchant)))
        })
        .await;
    let (order, merchant) = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            return kit::not_found(&format!("no PayPro order with ConnectPay Id {cpay_id}"));
        }
        Err(e) => return database_failed(ui, e),
    };
    let now = state.clock.now();
    let title = format!("PayPro order {}", order.order_number);
    let body = html! {
        p { a href=(ui.href("/paypro")) { "All orders" } }
        (details(&order, &merchant, now))
        (actions(ui, &order, now))
        h2 { "History" }
        (history(&order, now))
    };
    page_with_refusal(ui, &title, error, body)
}

fn details(order: &Order, merchant: &Merchant, now: DateTime<Utc>) -> Markup {
    let status = effective(order, now);
    let click2pay = format!(
        "/paypro/click2pay?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("cpayId", &order.connectpay_id)
            .finish()
    );
    html! {
        table #order {
            tr { th { "Status" } td { span #order-status { (status.label(false)) } } }
            tr { th { "ConnectPay Id" } td #connectpay-id { (order.connectpay_id) } }
            tr { th { "Order number" } td #order-number { (order.order_number) } }
            tr { th { "Merchant" } td { (merchant.username) " (company code " (merchant.company_code) ")" } }
            tr { th { "Amount" } td { (shown(order.order_amount)) } }
            tr { th { "Within due date" } td { (shown(order.amount_within_due)) " until " (order.due_date) } }
            tr { th { "After due date" } td { (shown(order.amount_after_due)) } }
            tr { th { "Due now" } td #amount-due { (shown(amount_due(order, now, merchant.offset()))) } }
            tr { th { "Fee" } td { (shown(order.fee)) } }
            tr { th { "Issue date" } td { (order.issue_date) } }
            tr { th { "Type" } td { (order.order_type) } }
            tr { th { "Customer" } td #customer {
                (order.customer_name) br; (order.customer_mobile) br; (order.customer_email) br;
                (order.customer_address) br; (order.customer_bank)
            } }
            @if let Some(bill) = &order.bill_detail {
                tr { th { "Bill detail" } td { pre { (bill) } } }
            }
            tr { th { "Click2Pay" } td { a #click2pay href=(click2pay) { "the hosted payment page" } } }
        }
    }
}

/// The forms that apply to the order's status now.
fn actions(ui: &Ui, order: &Order, now: DateTime<Utc>) -> Markup {
    let base = order_href(ui, &order.connectpay_id);
    let status = effective(order, now);
    let paid = order.amount_paid.map(shown).unwrap_or_default();
    html! {
        @if status == OrderStatus::Unpaid {
            form.inline method="post" action={ (base) "/pay" } {
                (ui.csrf_field()) button #pay { "Pay (as the customer)" }
            }
            " "
            form.inline method="post" action={ (base) "/block" } {
                (ui.csrf_field()) button #block { "Block (as the merchant)" }
            }
        }
        @if status == OrderStatus::Paid {
            form.inline method="post" action={ (base) "/refund" } {
                (ui.csrf_field())
                label { "Amount " input name="amount" value=(paid) size="12"; }
                " " button #refund { "Refund (as the merchant)" }
            }
        }
    }
}

/// What happened to the order, in time order (UTC).
fn history(order: &Order, now: DateTime<Utc>) -> Markup {
    let mut events: Vec<(DateTime<Utc>, String)> = vec![(
        order.created_at,
        format!("created, {} due", shown(order.amount_within_due)),
    )];
    if let Some(at) = order.paid_at {
        let amount = order.amount_paid.map(shown).unwrap_or_default();
        events.push((at, format!("paid {amount}")));
    }
    if let Some(at) = order.blocked_at {
        events.push((at, "blocked by the merchant".to_string()));
    }
    if let Some(at) = order.refunded_at {
        let amount = order.refunded_amount.map(shown).unwrap_or_default();
        events.push((at, format!("refunded {amount}")));
    }
    if let Some(at) = expires_at(order) {
        if order.status == OrderStatus::Unpaid && at <= now {
            events.push((at, "expired: reads as blocked".to_string()));
        } else if order.status == OrderStatus::Unpaid {
            events.push((at, "expires unless paid (reads as blocked)".to_string()));
        }
    }
    events.sort_by_key(|(at, _)| *at);
    html! {
        table #history {
            tr { th { "When (UTC)" } th { "What" } }
            @for (at, what) in &events {
                tr { td { (store::stamp(*at)) } td { (what) } }
            }
        }
    }
}
