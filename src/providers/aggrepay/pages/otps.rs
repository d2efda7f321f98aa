//! `<dashboard>/aggrepay/otps`: the SMS outbox, newest first, each OTP with its state now;
//! `?mobile=` for one number (any form the API accepts).

use super::{india, nav};
use crate::dashboard::kit::{
    self, Extent, PEEK_LIMIT, Pager, Ui, database_failed, field, past_page,
};
use crate::providers::aggrepay::rules::normalize_mobile;
use crate::providers::aggrepay::store::otp_outbox::OutboxEntry;
use crate::providers::aggrepay::store::pages;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use std::collections::HashMap;

/// What an OTP is worth now, in the order `handlers::otp::spend` checks it: only the last
/// one sent to a number for a purpose verifies (the earlier ones are superseded), once
/// (then used), while now is before its expiry (else expired).
pub fn otp_state(entry: &OutboxEntry, now: DateTime<Utc>) -> &'static str {
    let expired = DateTime::parse_from_rfc3339(&entry.expires_at).map_or(true, |at| now >= at);
    if entry.superseded {
        "superseded"
    } else if entry.used {
        "used"
    } else if expired {
        "expired"
    } else {
        "valid"
    }
}

/// The OTPs as a `table#otps`, each code in a `td.otp-code` and its state in a `td.otp-state`.
pub fn otp_table(entries: &[OutboxEntry], now: DateTime<Utc>) -> Markup {
    html! {
        table #otps {
            tr {
                th { "Sent (India time)" } th { "To" } th { "OTP" } th { "State" } th { "Purpose" }
                th { "Expires (India time)" } th { "Merchant" }
            }
            @for entry in entries {
                @let state = otp_state(entry, now);
                tr class=(state) {
                    td { (india(&entry.created_at)) }
                    td.mobile { (entry.mobile_number) }
                    td.otp-code { (entry.otp) }
                    td.otp-state { (state) }
                    td { (entry.purpose) }
                    td { (india(&entry.expires_at)) }
                    td { (entry.api_key) }
                }
            }
        }
    }
}

pub async fn list(
    State(state): State<AppState>,
    ui: Ui,
    pager: Pager,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let given = field(&query, "mobile").unwrap_or_default().to_string();
    let mobile = match given.as_str() {
        "" => None,
        text => match normalize_mobile(text) {
            Some(mobile) => Some(mobile),
            None => {
                return kit::bad_request(&format!(
                    "mobile: `{text}` is not an Indian mobile number (10 digits starting 6-9)"
                ));
            }
        },
    };
    let found = state
        .db
        .read(|conn| pages::otps(conn, mobile.as_deref(), PEEK_LIMIT, pager.sql_offset()))
        .await;
    let mut entries = match found {
        Ok(entries) => entries,
        Err(e) => return database_failed(&ui, e),
    };
    let has_next = past_page(&mut entries);
    let now = state.clock.now();
    let body = html! {
        (nav(&ui))
        form method="get" action=(ui.href("/aggrepay/otps")) {
            label { "Sent to " input name="mobile" value=(given) placeholder="9900261104"; }
            " " button { "Filter" }
        }
        @if entries.is_empty() { p #no-otps { "No OTPs sent." } } @else { (otp_table(&entries, now)) }
        (pager.nav(&ui, "/aggrepay/otps", &[("mobile", Some(given.as_str()))], Extent::HasNext(has_next)))
    };
    ui.page("AggrePay OTP outbox", body).into_response()
}
