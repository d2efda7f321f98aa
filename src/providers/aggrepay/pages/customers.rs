//! `<dashboard>/aggrepay/customers` (balances, limits, today's and this month's usage, 50 a
//! page) and `<dashboard>/aggrepay/customers/{customer_id}` (one customer and its ledger).
//! The usage is the running totals the limit checks read (`store::limits::current`), for
//! the India-time day and month of the sandbox clock.

use super::{india, nav};
use crate::dashboard::kit::{
    self, Extent, PAGE_SIZE, PEEK_LIMIT, Pager, Ui, database_failed, field, past_page,
};
use crate::db::DbError;
use crate::providers::aggrepay::amount::shown;
use crate::providers::aggrepay::store::customers::Customer;
use crate::providers::aggrepay::store::entries;
use crate::providers::aggrepay::store::limits::{self, Current};
use crate::providers::aggrepay::store::pages::{self, CustomerRow};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::HashMap;

fn customer_href(ui: &Ui, customer_id: &str) -> String {
    ui.href(&format!(
        "/aggrepay/customers/{}",
        utf8_percent_encode(customer_id, NON_ALPHANUMERIC)
    ))
}

fn name(customer: &Customer) -> String {
    [&customer.first_name, &customer.last_name]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The header cells of [`usage_cells`].
fn usage_headers() -> Markup {
    html! {
        th { "Balance" } th { "Max balance" }
        th { "Today: debits" } th { "Today: debited" } th { "Month: debited" } th { "Month: credited" }
    }
}

/// Balance, cap, and each usage against its limit (`used / limit`).
fn usage_cells(customer: &Customer, now: &Current) -> Markup {
    let l = customer.limits;
    html! {
        td.balance { (shown(customer.balance)) }
        td { (shown(l.max_balance)) }
        td.day-count { (now.day.debit_count) " / " (l.daily_debit_count) }
        td.day-debit { (shown(now.day.debit_paise)) " / " (shown(l.daily_debit_amount)) }
        td.month-debit { (shown(now.month.debit_paise)) " / " (shown(l.monthly_debit)) }
        td.month-credit { (shown(now.month.credit_paise)) " / " (shown(l.monthly_credit)) }
    }
}

pub async fn list(
    State(state): State<AppState>,
    ui: Ui,
    pager: Pager,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let api_key = field(&query, "merchant").unwrap_or_default().to_string();
    let now = state.clock.now();
    let found = state
        .db
        .read(|conn| {
            let merchants = pages::merchants(conn)?;
            let merchant = match api_key.as_str() {
                "" => None,
                key => match merchants.iter().find(|m| m.api_key == key) {
                    Some(m) => Some(m.merchant.id),
                    None => return Ok(Err(format!("merchant: no AggrePay merchant `{key}`"))),
                },
            };
            let rows =
                pages::customers(conn, &merchants, merchant, PEEK_LIMIT, pager.sql_offset())?;
            let mut listed = Vec::with_capacity(rows.len());
            for row in rows {
                let usage = limits::current(conn, row.customer.row, now)?;
                listed.push((row, usage));
            }
            Ok::<_, DbError>(Ok(listed))
        })
        .await;
    let mut customers = match found {
        Ok(Ok(found)) => found,
        Ok(Err(message)) => return kit::bad_request(&message),
        Err(e) => return database_failed(&ui, e),
    };
    let has_next = past_page(&mut customers);
    let body = html! {
        (nav(&ui))
        p { "Usage is of the India-time day and month on the sandbox clock, against each limit." }
        @if customers.is_empty() { p #no-customers { "No customers." } } @else {
            table #customers {
                tr {
                    th { "customer_id" } th { "Merchant" } th { "Mobile" } th { "Name" } th { "Active" }
                    (usage_headers())
                }
                @for (row, usage) in &customers {
                    @let c = &row.customer;
                    tr id={ "customer-" (c.customer_id) } {
                        td { a href=(customer_href(&ui, &c.customer_id)) { (c.customer_id) } }
                        td { (row.api_key) }
                        td { (c.mobile_number) }
                        td { (name(c)) }
                        td { @if c.active { "yes" } @else { "no" } }
                        (usage_cells(c, usage))
                    }
                }
            }
        }
        (pager.nav(&ui, "/aggrepay/customers", &[("merchant", Some(api_key.as_str()))], Extent::HasNext(has_next)))
    };
    ui.page("AggrePay customers", body).into_response()
}

pub async fn one(
    State(state): State<AppState>,
    ui: Ui,
    Path(customer_id): Path<String>,
    pager: Pager,
) -> Response {
    let now = state.clock.now();
    let found = state
        .db
        .read(|conn| {
            let merchants = pages::merchants(conn)?;
            let Some(row) = pages::customer(conn, &merchants, customer_id.trim())? else {
                return Ok(None);
            };
            let usage = limits::current(conn, row.customer.row, now)?;
            let total = entries::count(conn, row.customer.row)?;
            // `entries::page` counts pages from 0; a dashboard page is 50 entries.
            let ledger = entries::page(
                conn,
                row.customer.row,
                PAGE_SIZE,
                pager.sql_offset() / PAGE_SIZE,
            )?;
            Ok::<_, DbError>(Some((row, usage, total, ledger)))
        })
        .await;
    let (row, usage, total, ledger) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return kit::not_found(&format!("no AggrePay customer {customer_id}")),
        Err(e) => return database_failed(&ui, e),
    };
    let CustomerRow { api_key, customer } = row;
    let body = html! {
        (nav(&ui))
        table #customer {
            tr { th { "customer_id" } td { (customer.customer_id) } }
            tr { th { "Merchant" } td { (api_key) } }
            tr { th { "Mobile" } td { (customer.mobile_number) } }
            tr { th { "Name" } td { (name(&customer)) } }
            tr { th { "Email" } td { (customer.email.as_deref().unwrap_or("")) } }
            tr { th { "City" } td { (customer.city.as_deref().unwrap_or("")) } }
            tr { th { "Active" } td { @if customer.active { "yes" } @else { "no" } } }
        }
        h2 { "Balance, limits and usage" }
        table #usage {
            tr { (usage_headers()) }
            tr { (usage_cells(&customer, &usage)) }
        }
        h2 { "Ledger (" (total) " entries, newest first)" }
        @if ledger.is_empty() { p #no-entries { "No entries." } } @else {
            table #ledger {
                tr {
                    th { "When (India time)" } th { "transaction_id" } th { "merchant_transaction_id" }
                    th { "Type" } th { "Side" } th { "Amount" } th { "Balance after" }
                }
                @for entry in &ledger {
                    tr {
                        td { (india(&entry.created_at)) }
                        td.transaction-id { (entry.transaction_id) }
                        td { (entry.merchant_transaction_id.as_deref().unwrap_or("")) }
                        td { (entry.transaction_type) }
                        td { (entry.payment_type) }
                        td.amount { (shown(entry.amount)) }
                        td { (shown(entry.balance_after)) }
                    }
                }
            }
        }
        (pager.nav(&ui, &format!("/aggrepay/customers/{}", utf8_percent_encode(&customer.customer_id, NON_ALPHANUMERIC)), &[], Extent::HasNext(pager.sql_offset() + PAGE_SIZE < total)))
    };
    let title = format!("AggrePay customer {}", customer.customer_id);
    ui.page(&title, body).into_response()
}
