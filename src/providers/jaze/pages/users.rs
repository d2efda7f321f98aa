//! `/jaze`: the users of every ISP account, and the form that adds one.

use super::record::Record;
use super::{account_select, create, typed};
use crate::dashboard::kit::{
    self, CheckedForm, Extent, PAGE_SIZE, Pager, Ui, database_failed, page_with_refusal,
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

/// The page; with `error`, the refused form and what was typed in it.
async fn render(
    state: &AppState,
    ui: &Ui,
    query: &HashMap<String, String>,
    error: Option<&str>,
    form: &HashMap<String, String>,
) -> Response {
    let pager = match Pager::from_query(query) {
        Ok(pager) => pager,
        Err(message) => return kit::bad_request(&message),
    };
    let offset = pager.sql_offset();
    let read = state
        .db
        .read(|conn| {
            Ok::<_, DbError>((
                pages::accounts(conn)?,
                pages::users_page(conn, offset, PAGE_SIZE)?,
            ))
        })
        .await;
    let (accounts, (total, users)) = match read {
        Ok(read) => read,
        Err(e) => return database_failed(ui, e),
    };
    let body = html! {
        p { a href=(ui.href("/jaze/invoices")) { "Invoices" } " · " a href=(ui.href("/jaze/payments")) { "Payments" } }
        h2 { "Add a user" }
        form method="post" action=(ui.href("/jaze")) {
            (ui.csrf_field())
            (account_select(&accounts, form)) " "
            label { "user_id " input name="user_id" size="6" value=(typed(form, "user_id")); } " "
            label { "customer number " input name="customer_number" size="8" value=(typed(form, "customer_number")); } " "
            label { "name " input name="name" value=(typed(form, "name")); } " "
            button { "Add" }
        }
        h2 { "Users" }
        (pager.nav(ui, "/jaze", &[], Extent::Total { rows: total as usize, noun: "users" }))
        table #users {
            tr { th { "account" } th { "user_id" } th { "customer number" } th { "name" } th { "invoices" } th { "payments" } }
            @for user in &users {
                tr {
                    td { (user.api_token) }
                    td { (user.user_id) }
                    td { (user.customer_number) }
                    td { (user.name.as_deref().unwrap_or("")) }
                    td { a href={ (ui.href("/jaze/invoices")) "?user=" (user.user_id) } { (user.invoices) } }
                    td { a href={ (ui.href("/jaze/payments")) "?user=" (user.user_id) } { (user.payments) } }
                }
            }
        }
    };
    page_with_refusal(ui, "Jaze users", error, body)
}

pub async fn add(
    State(state): State<AppState>,
    ui: Ui,
    CheckedForm(fields): CheckedForm,
) -> Response {
    let record = Record::new(&fields)
        .whole("user_id", true)
        .and_then(|r| r.text("customer_number", true))
        .and_then(|r| r.text("name", false))
        .map(Record::done);
    match create(&state, "users", record).await {
        Ok(()) => Redirect::to(&ui.href("/jaze")).into_response(),
        Err(message) => render(&state, &ui, &HashMap::new(), Some(&message), &fields).await,
    }
}
