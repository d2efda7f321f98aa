//! `GET/POST /__sandbox/clock`: read, set (frozen), advance, or back to wall time.

use super::{ApiError, ErrorBody, parse_json};
use crate::clock::Advance;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use chrono::DateTime;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct ClockView {
    /// RFC 3339, in the offset of the last `set` (UTC before any).
    now: String,
    frozen: bool,
    offset_seconds: i64,
}

/// Exactly one of the fields.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockChange {
    /// Freeze the clock at this RFC 3339 instant, e.g. `2026-01-31T23:59:00+05:30`.
    set: Option<String>,
    /// Move by an ISO-8601 duration, e.g. `P1DT2H` (a frozen clock stays frozen).
    advance: Option<String>,
    /// Move by this many seconds (negative goes back).
    advance_seconds: Option<i64>,
    /// `true`: back to wall time with no offset.
    real: Option<bool>,
}

/// The sandbox clock.
#[utoipa::path(get, path = "/__sandbox/clock", operation_id = "clock_read", tag = "clock", responses((status = 200, body = ClockView)))]
pub async fn read(State(state): State<AppState>) -> Json<ClockView> {
    view(&state)
}

/// Sets, advances or releases the clock; answers like GET.
#[utoipa::path(
    post,
    path = "/__sandbox/clock",
    operation_id = "clock_change",
    tag = "clock",
    request_body = ClockChange,
    responses((status = 200, body = ClockView), (status = 400, body = ErrorBody))
)]
pub async fn change(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<ClockView>, ApiError> {
    let change: ClockChange = parse_json(&body)?;
    let given = [
        change.set.is_some(),
        change.advance.is_some(),
        change.advance_seconds.is_some(),
        change.real.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(ApiError::bad_request(
            "give exactly one of set, advance, advance_seconds, real",
        ));
    }
    if let Some(set) = change.set {
        let at = DateTime::parse_from_rfc3339(set.trim()).map_err(|e| {
            ApiError::bad_request(format!(
                "set: `{set}` is not an RFC 3339 instant such as 2026-01-31T23:59:00+05:30 ({e})"
            ))
        })?;
        state.clock.set(at);
    } else if let Some(advance) = change.advance {
        let by = Advance::parse_iso8601(&advance).map_err(ApiError::bad_request)?;
        state.clock.advance(by).map_err(ApiError::bad_request)?;
    } else if let Some(seconds) = change.advance_seconds {
        if chrono::TimeDelta::try_seconds(seconds).is_none() {
            return Err(ApiError::bad_request(format!(
                "advance_seconds: {seconds} is more than the clock can be moved"
            )));
        }
        state
            .clock
            .advance(Advance::seconds(seconds))
            .map_err(ApiError::bad_request)?;
    } else if change.real == Some(true) {
        state.clock.reset_to_real();
    } else {
        return Err(ApiError::bad_request("real takes only true"));
    }
    Ok(view(&state))
}

fn view(state: &AppState) -> Json<ClockView> {
    let reading = state.clock.reading();
    Json(ClockView {
        now: reading
            .now
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
        frozen: reading.frozen,
        offset_seconds: reading.offset_seconds,
    })
}
