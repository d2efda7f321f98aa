//! `/__sandbox/ui/login`: asks for the admin token once and keeps the proof in a cookie.

use super::layout;
use super::layout::base;
use super::session::{Session, check_csrf, cookie_value, new_nonce, set_cookie};
use crate::state::AppState;
use axum::Extension;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use std::collections::HashMap;

fn render(session: &Session, error: Option<&str>) -> Markup {
    layout::page(
        "Log in",
        html! {
            @if let Some(message) = error { (layout::error_box(message)) }
            form method="post" action={ (base()) "/login" } {
                (layout::csrf_field(&session.csrf))
                label { "Admin token " input type="password" name="token" autocomplete="current-password"; }
                " " button { "Log in" }
            }
        },
    )
}

pub async fn form(Extension(session): Extension<Session>) -> Markup {
    render(&session, None)
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    fields: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let fields = fields.map(|Form(f)| f).unwrap_or_default();
    if let Err(refused) = check_csrf(&session, fields.get("csrf").map(String::as_str)) {
        return refused.into_response();
    }
    let expected = state.config.admin_token.as_deref().unwrap_or("");
    let given = fields.get("token").map(|t| t.trim()).unwrap_or("");
    if given != expected {
        return (
            StatusCode::FORBIDDEN,
            render(&session, Some("that is not the admin token")),
        )
            .into_response();
    }
    // A new session on login, so a nonce known before it proves nothing after.
    let value = cookie_value(&new_nonce(), expected);
    let mut response = Redirect::to(&base()).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, set_cookie(&value));
    response
}
