//! `/__sandbox/ui/requests`: the journal, filtered and paginated, and one entry with its
//! request, answer and diagnosis (masked as the journal gives them).

use super::layout;
use super::layout::base;
use crate::journal::{Entry, Filter};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::DateTime;
use maud::{Markup, html};
use serde::Deserialize;

const PER_PAGE: usize = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    provider: Option<String>,
    path: Option<String>,
    /// The provider's result code, or the HTTP status.
    code: Option<String>,
    since: Option<String>,
    page: Option<usize>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The table of entries the overview and the journal share.
pub fn entry_rows(entries: &[Entry]) -> Markup {
    html! {
        @if entries.is_empty() { p { "No requests." } } @else {
            table.requests {
                tr { th { "id" } th { "time" } th { "provider" } th { "method" } th { "path" } th { "status" } th { "code" } th { "diagnosis" } }
                @for e in entries {
                    tr {
                        td { a href={ (base()) "/requests/" (e.id) } { (e.id) } }
                        td { (e.time.to_rfc3339()) }
                        td { (e.provider) }
                        td { (e.method) }
                        td { (e.path) }
                        td { @if let Some(s) = e.response.status { (s) } @else { "—" } }
                        td { (e.code.as_deref().unwrap_or("")) }
                        td { @if let Some(d) = &e.diagnosis { (d.rule) } }
                    }
                }
            }
        }
    }
}

pub async fn list(
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(query)) = query else {
        return layout::bad_request("the filters are not understood; page is a number");
    };
    let since = match given(&query.since) {
        Some(text) => match DateTime::parse_from_rfc3339(text) {
            Ok(at) => Some(at),
            Err(e) => {
                return layout::bad_request(&format!(
                    "since: `{text}` is not an RFC 3339 instant such as 2026-01-31T23:59:00+05:30 ({e})"
                ));
            }
        },
        None => None,
    };
    let code = given(&query.code);
    let matching: Vec<Entry> = state
        .journal
        .list(&Filter {
            provider: given(&query.provider).map(String::from),
            path: given(&query.path).map(String::from),
            since,
            limit: Some(usize::MAX),
            code: None,
        })
        .into_iter()
        .filter(|e| {
            code.is_none_or(|c| {
                e.code.as_deref() == Some(c)
                    || e.response.status.map(|s| s.to_string()) == Some(c.to_string())
            })
        })
        .collect();
    let pages = matching.len().div_ceil(PER_PAGE).max(1);
    let page = query.page.unwrap_or(1).clamp(1, pages);
    let shown = &matching[(page - 1) * PER_PAGE..(page * PER_PAGE).min(matching.len())];
    let link = |to: usize| {
        let mut pairs = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("provider", &query.provider),
            ("path", &query.path),
            ("code", &query.code),
            ("since", &query.since),
        ] {
            if let Some(v) = given(value) {
                pairs.append_pair(name, v);
            }
        }
        pairs.append_pair("page", &to.to_string());
        format!("{}/requests?{}", base(), pairs.finish())
    };
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let body = html! {
        form method="get" action={ (base()) "/requests" } {
            label { "Provider " select name="provider" {
                option value="" { "any" }
                @for name in state.providers.names() {
                    option selected[given(&query.provider) == Some(name)] { (name) }
                }
            } }
            " " label { "Path contains " input name="path" value=(value(&query.path)); }
            " " label { "Result code " input name="code" size="8" value=(value(&query.code)); }
            " " label { "Since " input name="since" placeholder="2026-01-31T00:00:00Z" value=(value(&query.since)); }
            " " button { "Filter" }
        }
        p { (matching.len()) " requests; page " (page) " of " (pages) }
        (entry_rows(shown))
        p {
            @if page > 1 { a rel="prev" href=(link(page - 1)) { "← newer" } " " }
            @if page < pages { a rel="next" href=(link(page + 1)) { "older →" } }
        }
    };
    layout::page("Request journal", body).into_response()
}

pub async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(entry) = id.parse().ok().and_then(|id| state.journal.get(id)) else {
        return layout::not_found(&format!(
            "no request {id} in the journal (never made, cleared, or evicted)"
        ));
    };
    let body = html! {
        @if let Some(d) = &entry.diagnosis {
            section.diagnosis #diagnosis {
                h2 { "Why: " (d.rule) }
                table {
                    tr { th { "rule" } td { (d.rule) } }
                    tr { th { "code" } td { (d.code) } }
                    @if let Some(f) = &d.field { tr { th { "field" } td { (f) } } }
                    @if let Some(x) = &d.expected { tr { th { "expected" } td { (x) } } }
                    @if let Some(g) = &d.got { tr { th { "got" } td { (g) } } }
                    tr { th { "hint" } td { (d.hint) } }
                    tr { th { "doc" } td { (d.doc) } }
                }
            }
        }
        h2 { "Request" }
        table {
            tr { th { "time" } td { (entry.time.to_rfc3339()) } }
            tr { th { "provider" } td { (entry.provider) } }
            tr { th { "endpoint" } td { (entry.endpoint.as_deref().unwrap_or("—")) } }
            tr { th { "method" } td { (entry.method) } }
            tr { th { "path" } td { (entry.path) } }
            tr { th { "query" } td { (entry.query.as_deref().unwrap_or("")) } }
            @if let Some(f) = &entry.fault { tr { th { "fault" } td { (f) } } }
        }
        h3 { "Headers" }
        table { @for (name, value) in &entry.headers { tr { th { (name) } td { (value) } } } }
        h3 { "Body" @if entry.body_truncated { " (truncated)" } }
        pre #request-body { (entry.body) }
        h2 { "Answer" }
        p { "Status " strong { @if let Some(s) = entry.response.status { (s) } @else { "none (connection closed)" } }
            @if let Some(c) = &entry.code { ", code " strong { (c) } } }
        pre #response-body { (entry.response.body) }
        p { a href={ (base()) "/report?provider=" (entry.provider) } { "The " (entry.provider) " report" } }
    };
    layout::page(&format!("Request {}", entry.id), body).into_response()
}
