//! The Chillr user registry (shared by all merchants) and the form that registers users.

use crate::dashboard::kit::{
    self, CheckedForm, Extent, PAGE_SIZE, Pager, Ui, database_failed, page_with_refusal, segment,
};
use crate::providers::chillr::store;
use crate::state::AppState;
use axum::extract::State;
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

pub async fn list(State(state): State<AppState>, ui: Ui, pager: Pager) -> Response {
    render(&state, &ui, &pager, None, "").await
}

/// The users page; with `error`, the refused registration and what was typed (status 400).
async fn render(
    state: &AppState,
    ui: &Ui,
    pager: &Pager,
    error: Option<&str>,
    typed: &str,
) -> Response {
    let offset = pager.sql_offset();
    let (total, users) = match state
        .db
        .read(|conn| store::pages::users_page(conn, offset, PAGE_SIZE))
        .await
    {
        Ok(read) => read,
        Err(e) => return database_failed(ui, e),
    };
    let body = html! {
        h2 { "Register users" }
        form method="post" action=(ui.href("/chillr/users")) {
            (ui.csrf_field())
            label { "Mobile numbers (one a line or comma-separated; +91, 91 and 0 prefixes accepted)" br;
                textarea name="msisdns" rows="3" cols="40" { (typed) } }
            br; button { "Register" }
        }
        h2 { "Users" }
        (pager.nav(ui, "/chillr/users", &[], Extent::Total { rows: total as usize, noun: "users" }))
        table #users {
            tr { th { "msisdn" } th { "phone" } }
            @for msisdn in &users {
                tr id={ "user-" (msisdn) } {
                    td { (msisdn) }
                    td { a href=(ui.href(&format!("/phone/{}", segment(msisdn)))) { "open the phone" } }
                }
            }
        }
    };
    page_with_refusal(ui, "Chillr users", error, body)
}

pub async fn register(
    State(state): State<AppState>,
    ui: Ui,
    CheckedForm(fields): CheckedForm,
) -> Response {
    let typed = fields.get("msisdns").map(String::as_str).unwrap_or("");
    let msisdns: Vec<&str> = typed
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|m| !m.is_empty())
        .collect();
    let body = serde_json::json!({ "msisdns": msisdns }).to_string();
    let first = Pager { page: 1 };
    match kit::call(
        &state,
        Method::POST,
        "/chillr/users",
        "application/json",
        body,
    )
    .await
    {
        Ok(_) => Redirect::to(&ui.href("/chillr/users")).into_response(),
        Err(message) => render(&state, &ui, &first, Some(&message), typed).await,
    }
}
