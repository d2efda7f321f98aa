//! `/jaze/payments` (filters `user`, `method`): the payments of every account with their
//! receipt links, and the form that adds one.

use super::invoices::user_filter;
use super::record::Record;
use super::{account_select, create, typed};
use crate::dashboard::kit::{
    self, CheckedForm, Extent, PAGE_SIZE, Pager, Ui, database_failed, field, page_with_refusal,
    segment,
};
use crate::db::DbError;
use crate::providers::jaze::store::pages;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use std::collections::HashMap;

const METHODS: [&str; 3] = ["cash", "cheque", "gateway"];

pub async fn list(
    State(state): State<AppState>,
    ui: Ui,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    render(&state, &ui, &query, None, &HashMap::new()).await
}

fn method_filter(query: &HashMap<String, String>) -> Result<Option<&str>, String> {
    match field(query, "method") {
        Some(method) if !METHODS.contains(&method) => Err(format!(
            "method: `{method}` is not one of cash, cheque, gateway"
        )),
        method => Ok(method),
    }
}

async fn render(
    state: &AppState,
    ui: &Ui,
    query: &HashMap<String, String>,
    error: Option<&str>,
    form: &HashMap<String, String>,
) -> Response {
    let filters =
        Pager::from_query(query).and_then(|p| Ok((p, user_filter(query)?, method_filter(query)?)));
    let (pager, user, method) = match filters {
        Ok(read) => read,
        Err(message) => return kit::bad_request(&message),
    };
    let offset = pager.sql_offset();
    let read = state
        .db
        .read(|conn| {
            Ok::<_, DbError>((
                pages::accounts(conn)?,
                pages::payments_page(conn, user, method, offset, PAGE_SIZE)?,
            ))
        })
        .await;
    let (accounts, (total, payments)) = match read {
        Ok(read) => read,
        Err(e) => return database_failed(ui, e),
    };
    let user_text = user.map(|u| u.to_string());
    let chosen = field(form, "method");
    let filters = [("user", user_text.as_deref()), ("method", method)];
    let body = html! {
        p { a href=(ui.href("/jaze")) { "Users" } " · " a href=(ui.href("/jaze/invoices")) { "Invoices" } }
        h2 { "Add a payment" }
        form method="post" action=(ui.href("/jaze/payments")) {
            (ui.csrf_field())
            (account_select(&accounts, form)) " "
            label { "user_id " input name="user_id" size="6" value=(typed(form, "user_id")); } " "
            label { "amount " input name="amount" size="8" placeholder="75.50" value=(typed(form, "amount")); } " "
            label { "method " select name="method" {
                @for m in METHODS { option value=(m) selected[chosen == Some(m)] { (m) } }
            } } " "
            label { "bank " input name="bank" size="10" value=(typed(form, "bank")); } " "
            label { "invoice_ids " input name="invoice_ids" size="12" placeholder="14701, 14702" value=(typed(form, "invoice_ids")); } " "
            label { "payment_id " input name="payment_id" size="6" placeholder="next" value=(typed(form, "payment_id")); } " "
            button { "Add" }
        }
        h2 { "Payments" }
        form method="get" action=(ui.href("/jaze/payments")) {
            label { "user_id " input name="user" size="6" value=(user_text.as_deref().unwrap_or("")); } " "
            label { "method " select name="method" {
                option value="" { "all" }
                @for m in METHODS { option value=(m) selected[method == Some(m)] { (m) } }
            } } " "
            button { "Filter" }
        }
        (pager.nav(ui, "/jaze/payments", &filters, Extent::Total { rows: total as usize, noun: "payments" }))
        table #payments {
            tr { th { "account" } th { "payment_id" } th { "user_id" } th { "amount" } th { "method" } th { "bank" } th { "created" } th { "invoices" } th { "receipt" } }
            @for payment in &payments {
                tr id={ "payment-" (payment.payment_id) } {
                    td { (payment.api_token) }
                    td { (payment.payment_id) }
                    td { (payment.user_id) }
                    td { (payment.amount) }
                    td { (payment.method) }
                    td { (payment.bank.as_deref().unwrap_or("")) }
                    td { (payment.created_at) }
                    td { (payment.invoice_ids.as_deref().unwrap_or("")) }
                    // Served by the API itself (no dashboard session), as S8's answer links it.
                    td { a.receipt href={ "/jaze/receipts/" (segment(&payment.receipt_token)) ".pdf" } { "PDF" } }
                }
            }
        }
    };
    page_with_refusal(ui, "Jaze payments", error, body)
}

pub async fn add(
    State(state): State<AppState>,
    ui: Ui,
    CheckedForm(fields): CheckedForm,
) -> Response {
    let record = Record::new(&fields)
        .whole("user_id", true)
        .and_then(|r| r.amount("amount"))
        .and_then(|r| r.text("method", true))
        .and_then(|r| r.text("bank", false))
        .and_then(|r| r.wholes("invoice_ids"))
        .and_then(|r| r.whole("payment_id", false))
        .map(Record::done);
    match create(&state, "payments", record).await {
        Ok(()) => Redirect::to(&ui.href("/jaze/payments")).into_response(),
        Err(message) => render(&state, &ui, &HashMap::new(), Some(&message), &fields).await,
    }
}
