//! `/__sandbox/ui/report`: the integration report — per provider and endpoint each documented
//! outcome, exercised or not, with a link to its first request — and the lint findings.

use super::layout;
use super::layout::base;
use crate::report::{self, OutcomeReport};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ReportQuery {
    provider: Option<String>,
}

fn request_link(id: u64) -> Markup {
    html! { a href={ (base()) "/requests/" (id) } { "#" (id) } }
}

fn outcome_row(outcome: &OutcomeReport) -> Markup {
    let exercised = outcome.count > 0;
    html! {
        tr {
            td { (outcome.code) }
            td { (outcome.meaning) }
            td class=(if exercised { "yes" } else { "no" }) { @if exercised { "exercised" } @else { "not exercised" } }
            td { (outcome.count) }
            td { @if let Some(id) = outcome.first_request { (request_link(id)) } }
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Response {
    let provider = query
        .ok()
        .and_then(|Query(q)| q.provider)
        .filter(|p| !p.trim().is_empty());
    if let Some(name) = provider.as_deref()
        && state.providers.by_name(name).is_none()
    {
        return layout::bad_request(&format!(
            "no provider {name:?}; the providers are {}",
            state.providers.names().join(", ")
        ));
    }
    let report = report::build(
        &state.providers,
        &state.outcomes,
        &state.journal,
        provider.as_deref(),
        None,
    );
    let body = html! {
        p {
            "Show: " a href={ (base()) "/report" } { "all" }
            @for name in state.providers.names() { " · " a href={ (base()) "/report?provider=" (name) } { (name) } }
        }
        @for p in &report.providers {
            section id={ "provider-" (p.provider) } {
                h2 { (p.provider) " — " (p.exercised) " of " (p.documented) " documented outcomes exercised" }
                @for endpoint in &p.endpoints {
                    h3 { (endpoint.endpoint) }
                    table {
                        tr { th { "code" } th { "meaning" } th { "" } th { "count" } th { "first request" } }
                        @for outcome in &endpoint.outcomes { (outcome_row(outcome)) }
                        @for outcome in &endpoint.undocumented { (outcome_row(outcome)) }
                    }
                }
            }
        }
        h2 { "Lint findings (" (report.lint.len()) ")" }
        @if report.lint.is_empty() { p { "None." } } @else {
            table #lint {
                tr { th { "provider" } th { "rule" } th { "hint" } th { "requests" } }
                @for finding in &report.lint {
                    tr {
                        td { (finding.provider) }
                        td { (finding.rule) }
                        td { (finding.hint) }
                        td { @for id in &finding.requests { (request_link(*id)) " " } }
                    }
                }
            }
        }
    };
    layout::page("Integration report", body).into_response()
}
