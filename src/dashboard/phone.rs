//! `/__sandbox/ui/phone/{mobile}`: what every provider "sent" to one Indian mobile number
//! (collect requests, OTPs) and the wallets on it, each provider's section from
//! [`crate::providers::Provider::phone`] in the providers' order. `/phone?mobile=` (the
//! overview's form) redirects to the number's page.

use super::kit::{Ui, not_found};
use super::layout::error_page;
use crate::phone::indian_mobile;
use crate::state::AppState;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct OpenQuery {
    mobile: Option<String>,
}

/// The overview's "Open a phone" form.
pub async fn open(ui: Ui, query: Result<Query<OpenQuery>, QueryRejection>) -> Response {
    let given = query.ok().and_then(|Query(q)| q.mobile).unwrap_or_default();
    to_canonical(&ui, given.trim())
}

pub async fn page(
    State(state): State<AppState>,
    ui: Ui,
    mobile: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(given)) = mobile else {
        return refused("");
    };
    let Some(digits) = indian_mobile(&given) else {
        return refused(&given);
    };
    if digits != given {
        return to_canonical(&ui, digits);
    }
    let digits = digits.to_string();
    let reader = state.clone();
    let viewer = ui.clone();
    let sections = state
        .db
        .read(move |conn| {
            let mut sections = Vec::new();
            for provider in reader.providers.iter() {
                if let Some(section) = provider.phone(conn, &viewer, &digits)? {
                    sections.push((provider.name(), section));
                }
            }
            Ok::<_, crate::db::DbError>(sections)
        })
        .await;
    match sections {
        Ok(sections) => ui
            .page(&format!("Phone {given}"), render(&given, &sections))
            .into_response(),
        Err(e) => error_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Not available",
            &format!("the phone's records cannot be read: {e}"),
        ),
    }
}

/// The number's own page, or the 404 page naming what is wrong with it.
fn to_canonical(ui: &Ui, given: &str) -> Response {
    match indian_mobile(given) {
        Some(digits) => Redirect::to(&ui.href(&format!("/phone/{digits}"))).into_response(),
        None => refused(given),
    }
}

fn refused(given: &str) -> Response {
    let shown: String = given.chars().take(40).collect();
    not_found(&format!(
        "no such phone: `{shown}` is not an Indian mobile number \
         (10 digits starting with 6–9, optionally after +91, 91 or 0)"
    ))
}

fn render(mobile: &str, sections: &[(&'static str, Markup)]) -> Markup {
    html! {
        div #phone-sections data-live data-mobile=(mobile) {
            @if sections.is_empty() {
                p #phone-nothing {
                    "No provider has sent anything to " (mobile) " and it holds no wallet."
                }
            }
            @for (name, section) in sections {
                // Each provider's section carries its own headings.
                section.phone #{ "phone-" (name) } { (section) }
            }
        }
    }
}
