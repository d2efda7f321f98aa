//! `/__sandbox/ui`: each provider's record counts, the clock, the fault rules, the last
//! requests, and the forms that steer them (clock, faults, reset, fixtures, open a phone).

use super::kit::Ui;
use super::layout::base;
use super::layout::{self, csrf_field};
use super::requests::entry_rows;
use super::session::Session;
use crate::journal::Filter;
use crate::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

/// How many requests the overview lists.
const LAST: usize = 20;

/// Each provider's counts, in the order of [`crate::providers::Providers`].
type Counts = Vec<(&'static str, Vec<(&'static str, i64)>)>;

pub async fn page(
    State(state): State<AppState>,
    Extension(session): Extension<Session>,
    ui: Ui,
) -> Markup {
    let counts = read_counts(&state).await;
    render(&state, &session, &ui.base, Some(counts), None)
}

/// All providers' counts in one read, so they describe one moment.
async fn read_counts(state: &AppState) -> Result<Counts, String> {
    let reader = state.clone();
    state
        .db
        .read(move |conn| {
            reader
                .providers
                .iter()
                .map(|p| p.counts(conn).map(|counts| (p.name(), counts)))
                .collect::<Result<Counts, _>>()
        })
        .await
        .map_err(|e| format!("the counts cannot be read: {e}"))
}

/// The overview with an action's refusal shown on it (without the counts: an action's
/// handler re-renders it synchronously, and the counts need a database read).
pub fn refused(state: &AppState, session: &Session, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        render(state, session, &base(), None, Some(message)),
    )
        .into_response()
}

fn counts_section(base: &str, counts: Option<Result<Counts, String>>) -> Markup {
    html! {
        div #counts data-live {
            @match counts {
                None => p { "Reload the page to see the counts." },
                Some(Err(message)) => (layout::error_box(&message)),
                Some(Ok(counts)) => {
                    @for (name, rows) in &counts {
                        table.counts #{ "counts-" (name) } {
                            tr { th colspan="2" { a href={ (base) "/" (name) } { (name) } } }
                            @if rows.is_empty() { tr { td colspan="2" { "No records kept." } } }
                            @for (label, count) in rows {
                                tr { td { (label) } td.count { (count) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn phone_form(base: &str) -> Markup {
    html! {
        form #open-phone method="get" action={ (base) "/phone" } {
            label { "Open a phone " input name="mobile" placeholder="9447741462" inputmode="tel"; }
            " " button { "Open" }
        }
    }
}

fn render(
    state: &AppState,
    session: &Session,
    base: &str,
    counts: Option<Result<Counts, String>>,
    error: Option<&str>,
) -> Markup {
    let clock = state.clock.reading();
    let faults = state.faults.list();
    let last = state.journal.list(&Filter {
        limit: Some(LAST),
        ..Filter::default()
    });
    let csrf = &session.csrf;
    let body = html! {
        @if let Some(message) = error { (layout::error_box(message)) }
        h2 { "Records" }
        (counts_section(base, counts))
        (phone_form(base))
        h2 { "Clock" }
        p {
            "Now: " strong #clock-now { (clock.now.to_rfc3339()) }
            @if clock.frozen { " (frozen)" } @else { " (running, offset " (clock.offset_seconds) " s)" }
        }
        form method="post" action={ (base) "/clock" } {
            (csrf_field(csrf))
            label { "Set (RFC 3339) " input name="set" placeholder="2026-01-31T23:59:00+05:30"; }
            " " button name="do" value="set" { "Set and freeze" }
        }
        form method="post" action={ (base) "/clock" } {
            (csrf_field(csrf))
            label { "Advance (ISO 8601) " input name="advance" placeholder="P1DT2H"; }
            " " button name="do" value="advance" { "Advance" }
        }
        form method="post" action={ (base) "/clock" } {
            (csrf_field(csrf))
            button name="do" value="real" { "Back to real time" }
        }
        h2 { "Fault rules" }
        @if faults.is_empty() { p { "No fault rules." } } @else {
            table #faults {
                tr { th { "id" } th { "provider" } th { "endpoint" } th { "kind" } th { "fired" } th {} }
                @for rule in &faults {
                    tr {
                        td { (rule.id) }
                        td { (rule.provider) }
                        td { (rule.endpoint.as_deref().unwrap_or("all")) }
                        td { (serde_json::to_string(&rule.kind).unwrap_or_default().trim_matches('"')) }
                        td { (rule.fired) }
                        td {
                            form.inline method="post" action={ (base) "/faults/" (rule.id) "/remove" } {
                                (csrf_field(csrf)) button { "Remove" }
                            }
                        }
                    }
                }
            }
            form method="post" action={ (base) "/faults/clear" } {
                (csrf_field(csrf)) button { "Remove every rule" }
            }
        }
        form method="post" action={ (base) "/faults" } {
            (csrf_field(csrf))
            fieldset {
                legend { "Add a fault rule" }
                label { "Provider " select name="provider" {
                    @for name in state.providers.names() { option { (name) } }
                } }
                " " label { "Endpoint " input name="endpoint" placeholder="all"; }
                " " label { "Kind " select name="kind" {
                    @for kind in ["error", "latency", "drop", "timeout"] { option { (kind) } }
                } }
                br;
                label { "More fields (JSON object) " input name="fields" size="50" placeholder=r#"{"status": 503, "count": 2}"#; }
                " " button { "Add" }
            }
        }
        h2 { "Last requests" }
        div #last-requests data-live { (entry_rows(&last)) }
        p { a href={ (base) "/requests" } { "The whole journal" } }
        h2 { "Integration report" }
        ul {
            @for name in state.providers.names() {
                li { a href={ (base) "/report?provider=" (name) } { (name) } }
            }
        }
        h2 { "State" }
        form method="post" action={ (base) "/reset" } {
            (csrf_field(csrf))
            button { "Reset to the start state" }
            " " label { input type="checkbox" name="empty" value="true"; " to nothing at all" }
        }
        form method="post" action={ (base) "/fixtures" } enctype="multipart/form-data" {
            (csrf_field(csrf))
            label { "Load fixtures (JSON or YAML) " input type="file" name="file" accept=".json,.yaml,.yml"; }
            " " button { "Upload" }
        }
        p { a href={ (base) "/state" } download="sandbox-state.json" { "Download the state as JSON" } }
    };
    layout::page("Sandbox overview", body)
}
