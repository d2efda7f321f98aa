//! `/jaze/invoices` (filter `user`): the invoices of every account, and the form that adds one.

use super::record::Record;
use super::{account_select, create, typed};
use crate::dashboard::kit::{
    self, CheckedForm, Extent, PAGE_SIZE, Pager, Ui, database_failed, field, page_with_refusal,
};
use crate::db::DbError;
use crate::providers::jaze::store::pages;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use std::collections::HashMap;

pub async fn list(
    State(state): State<AppState>,
    ui: Ui,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    render(&state, &ui, &query, None, &HashMap::new()).await
}

/// The `user` filter: a user_id.
pub fn user_filter(query: &HashMap<String, String>) -> Result<Option<i64>, String> {
    field(query, "user")
        .map(|text| {
            text.parse()
                .map_err(|_| format!("user: `{text}` is not a user_id (a whole number)"))
        })
        .transpose()
}

async fn render(
    state: &AppState,
    ui: &Ui,
    query: &HashMap<String, String>,
    error: Option<&str>,
    form: &HashMap<String, String>,
) -> Response {
    let (pager, user) = match Pager::from_query(query).and_then(|p| Ok((p, user_filter(query)?))) {
        Ok(read) => read,
        Err(message) => return kit::bad_request(&message),
    };
    let offset = pager.sql_offset();
    let read = state
        .db
        .read(|conn| {
            Ok::<_, DbError>((
                pages::accounts(conn)?,
                pages::invoices_page(conn, user, offset, PAGE_SIZE)?,
            ))
        })
        .await;
    let (accounts, (total, invoices)) = match read {
        Ok(read) => read,
        Err(e) => return database_failed(ui, e),
    };
    let user_text = user.map(|u| u.to_string());
    let body = html! {
        p { a href=(ui.href("/jaze")) { "Users" } " · " a href=(ui.href("/jaze/payments")) { "Payments" } }
        h2 { "Add an invoice" }
        form method="post" action=(ui.href("/jaze/invoices")) {
            (ui.csrf_field())
            (account_select(&accounts, form)) " "
            label { "user_id " input name="user_id" size="6" value=(typed(form, "user_id")); } " "
            label { "amount " input name="amount" size="8" placeholder="50.00" value=(typed(form, "amount")); } " "
            label { "date " input name="date" size="10" placeholder="today" value=(typed(form, "date")); } " "
            label { "invoice_id " input name="invoice_id" size="6" placeholder="next" value=(typed(form, "invoice_id")); } " "
            button { "Add" }
        }
        h2 { "Invoices" }
        form method="get" action=(ui.href("/jaze/invoices")) {
            label { "user_id " input name="user" size="6" value=(user_text.as_deref().unwrap_or("")); } " "
            button { "Filter" }
        }
        (pager.nav(ui, "/jaze/invoices", &[("user", user_text.as_deref())], Extent::Total { rows: total as usize, noun: "invoices" }))
        table #invoices {
            tr { th { "account" } th { "invoice_id" } th { "user_id" } th { "amount" } th { "date" } }
            @for invoice in &invoices {
                tr {
                    td { (invoice.api_token) }
                    td { (invoice.invoice_id) }
                    td { (invoice.user_id) }
                    td { (invoice.amount) }
                    td { (invoice.date) }
                }
            }
        }
    };
    page_with_refusal(ui, "Jaze invoices", error, body)
}

pub async fn add(
    State(state): State<AppState>,
    ui: Ui,
    CheckedForm(fields): CheckedForm,
) -> Response {
    let record = Record::new(&fields)
        .whole("user_id", true)
        .and_then(|r| r.amount("amount"))
        .and_then(|r| r.date("date"))
        .and_then(|r| r.whole("invoice_id", false))
        .map(Record::done);
    match create(&state, "invoices", record).await {
        Ok(()) => Redirect::to(&ui.href("/jaze/invoices")).into_response(),
        Err(message) => render(&state, &ui, &HashMap::new(), Some(&message), &fields).await,
    }
}
