//! The merchants and batches list (filters `merchant`, `status`), a batch with its customers
//! and their states, and the customer's Pay / Decline on a pending collect request.

use crate::dashboard::kit::{
    self, CheckedForm, Extent, PER_PAGE, Pager, Ui, database_failed, field, page_with_refusal,
    segment,
};
use crate::db::DbError;
use crate::providers::chillr::lifecycle::{PaymentStatus, Timeline, batch_status, expires_at};
use crate::providers::chillr::magic::DECLINES_AFTER_A_MINUTE_SUFFIX;
use crate::providers::chillr::rules::{format_expiry_date, status_view};
use crate::providers::chillr::store::{self, pages::BatchSummary};
use crate::providers::chillr::wire::CustomerStatus;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use std::collections::HashMap;

const STATUSES: [&str; 3] = ["active", "completed", "expired"];

/// The batch's status as of `now`, as the status check answers it.
fn status_of(batch: &BatchSummary, now: DateTime<Utc>) -> &'static str {
    let timeline = Timeline {
        created_at: batch.created_at,
        expires_at: expires_at(batch.expiry_date),
        now,
    };
    // A pending request's effective status depends only on whether its number declines on
    // its own, so one representative number of each kind stands for all of them.
    let mut statuses = Vec::new();
    if batch.pending > 0 {
        statuses.push(timeline.effective("", PaymentStatus::Pending, None).status);
    }
    if batch.pending_self_declining > 0 {
        let number = DECLINES_AFTER_A_MINUTE_SUFFIX;
        statuses.push(
            timeline
                .effective(number, PaymentStatus::Pending, None)
                .status,
        );
    }
    batch_status(statuses)
}

pub async fn list(
    State(state): State<AppState>,
    ui: Ui,
    pager: Pager,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let merchant = field(&query, "merchant");
    let status = field(&query, "status");
    if let Some(status) = status.filter(|s| !STATUSES.contains(s)) {
        let message = format!("status: `{status}` is not one of active, completed, expired");
        return kit::bad_request(&message);
    }
    let read = state
        .db
        .read(|conn| {
            Ok::<_, DbError>((
                store::pages::merchants(conn)?,
                store::pages::batch_summaries(conn, merchant)?,
            ))
        })
        .await;
    let (merchants, summaries) = match read {
        Ok(read) => read,
        Err(e) => return database_failed(&ui, e),
    };
    let batches: Vec<(&'static str, BatchSummary)> = summaries
        .into_iter()
        .map(|b| (status_of(&b, ui.now), b))
        .filter(|(s, _)| status.is_none_or(|wanted| wanted == *s))
        .collect();
    let total = batches.len();
    let filters = [("merchant", merchant), ("status", status)];
    let body = html! {
        h2 { "Merchants" }
        table #merchants {
            tr { th { "api_key" } th { "batches" } }
            @for (api_key, count) in &merchants {
                tr {
                    td { a href={ (ui.href("/chillr")) "?merchant=" (segment(api_key)) } { (api_key) } }
                    td { (count) }
                }
            }
        }
        p { a href=(ui.href("/chillr/users")) { "Chillr users" } }
        h2 { "Batches" }
        form method="get" action=(ui.href("/chillr")) {
            label { "Merchant " select name="merchant" {
                option value="" { "all" }
                @for (api_key, _) in &merchants {
                    option value=(api_key) selected[merchant == Some(api_key.as_str())] { (api_key) }
                }
            } }
            " "
            label { "Status " select name="status" {
                option value="" { "all" }
                @for s in STATUSES { option value=(s) selected[status == Some(s)] { (s) } }
            } }
            " " button { "Filter" }
        }
        (pager.nav(&ui, "/chillr", &filters, Extent::Total { rows: total, noun: "batches" }))
        table #batches {
            tr { th { "batch_id" } th { "merchant" } th { "name" } th { "expiry date" } th { "created" } th { "customers" } th { "collect requests" } th { "status" } }
            @for (status, batch) in batches.iter().skip(pager.offset()).take(PER_PAGE) {
                tr id={ "batch-" (batch.batch_id) } {
                    td { a href=(ui.href(&format!("/chillr/batches/{}", segment(&batch.batch_id)))) { (batch.batch_id) } }
                    td { (batch.api_key) }
                    td { (batch.name) }
                    td { (format_expiry_date(batch.expiry_date)) }
                    td { (store::stamp(batch.created_at)) }
                    td { (batch.customers) }
                    td { (batch.requests) }
                    td.status { (status) }
                }
            }
        }
    };
    ui.page("Chillr", body).into_response()
}

pub async fn one(
    State(state): State<AppState>,
    ui: Ui,
    Path(batch_id): Path<String>,
    pager: Pager,
) -> Response {
    render(&state, &ui, &batch_id, &pager, None).await
}

/// The batch page; with `error`, the refusal of an action on it (status 400).
async fn render(
    state: &AppState,
    ui: &Ui,
    batch_id: &str,
    pager: &Pager,
    error: Option<&str>,
) -> Response {
    let batch = match state
        .db
        .read(|conn| store::find_batch(conn, batch_id, None))
        .await
    {
        Ok(Some(batch)) => batch,
        Ok(None) => return kit::not_found(&format!("no batch {batch_id}")),
        Err(e) => return database_failed(ui, e),
    };
    let view = status_view(&batch, ui.now);
    let here = format!("/chillr/batches/{}", segment(&batch.batch_id));
    let body = html! {
        table #batch {
            tr { th { "merchant" } td { a href={ (ui.href("/chillr")) "?merchant=" (segment(&batch.api_key)) } { (batch.api_key) } } }
            tr { th { "name" } td { (view.name) } }
            tr { th { "expiry date" } td { (view.expiry_date) } }
            tr { th { "created" } td { (store::stamp(batch.created_at)) } }
            tr { th { "status" } td { span #batch-status { (view.batch_status) } } }
        }
        h2 { "Customers" }
        (pager.nav(ui, &here, &[], Extent::Total { rows: view.customers.len(), noun: "customers" }))
        table #customers {
            tr { th { "msisdn" } th { "amount" } th { "state" } th { "transaction id" } th { "paid at" } th {} }
            @for customer in view.customers.iter().skip(pager.offset()).take(PER_PAGE) {
                (customer_row(ui, &here, customer))
            }
        }
    };
    page_with_refusal(ui, &format!("Batch {}", batch.batch_id), error, body)
}

fn customer_row(ui: &Ui, batch_path: &str, customer: &CustomerStatus) -> Markup {
    match customer {
        CustomerStatus::NotGenerated { msisdn, .. } => html! {
            tr id={ "customer-" (msisdn) } {
                td { (msisdn) } td {} td.state { "not a Chillr user" } td {} td {} td {}
            }
        },
        CustomerStatus::Request {
            msisdn,
            amount,
            payment_status,
            transaction_id,
            paid_at,
        } => html! {
            tr id={ "customer-" (msisdn) } {
                td { a href=(ui.href(&format!("/phone/{}", segment(msisdn)))) { (msisdn) } }
                td { (amount) }
                td.state { (payment_status) }
                td { (transaction_id) }
                td { (paid_at.as_deref().unwrap_or("")) }
                td {
                    @if *payment_status == "pending" {
                        (act_form(ui, batch_path, msisdn, None))
                    }
                }
            }
        },
    }
}

/// The Pay / Decline form of a pending collect request; `back` is where to go once done.
pub fn act_form(ui: &Ui, batch_path: &str, msisdn: &str, back: Option<&str>) -> Markup {
    let action = ui.href(&format!("{batch_path}/customers/{}", segment(msisdn)));
    html! {
        form.inline method="post" action=(action) {
            (ui.csrf_field())
            @if let Some(back) = back { input type="hidden" name="back" value=(back); }
            button name="do" value="pay" { "Pay" }
            " "
            button name="do" value="decline" { "Decline" }
        }
    }
}

/// Where an action goes once done: `back` when it is a dashboard page, else the batch.
fn done_at(ui: &Ui, back: Option<&str>, batch_id: &str) -> String {
    let inside = |b: &&str| {
        (*b == ui.base || b.starts_with(&format!("{}/", ui.base)))
            && b.bytes().all(|c| c.is_ascii_graphic())
    };
    back.filter(inside)
        .map(str::to_string)
        .unwrap_or_else(|| ui.href(&format!("/chillr/batches/{}", segment(batch_id))))
}

pub async fn act(
    State(state): State<AppState>,
    ui: Ui,
    Path((batch_id, msisdn)): Path<(String, String)>,
    CheckedForm(fields): CheckedForm,
) -> Response {
    let first = Pager { page: 1 };
    let action = match field(&fields, "do") {
        Some(action @ ("pay" | "decline")) => action,
        _ => {
            return render(
                &state,
                &ui,
                &batch_id,
                &first,
                Some("do: choose pay or decline"),
            )
            .await;
        }
    };
    let path = format!(
        "/chillr/batches/{}/customers/{}",
        segment(&batch_id),
        segment(&msisdn)
    );
    let body = serde_json::json!({ "action": action }).to_string();
    match kit::call(&state, Method::POST, &path, "application/json", body).await {
        Ok(_) => Redirect::to(&done_at(&ui, field(&fields, "back"), &batch_id)).into_response(),
        Err(message) => render(&state, &ui, &batch_id, &first, Some(&message)).await,
    }
}
