//! Chillr's control-plane actions under `/__sandbox/chillr`: act as the customer on a
//! collect request (pay or decline), and register Chillr users.

use super::lifecycle::PaymentStatus;
use super::rules::{normalize_msisdn, status_view, timeline};
use super::store::{self, StoredBatch};
use super::wire::BatchStatus;
use crate::control::{ApiError, parse_json};
use crate::db::DbError;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Pay,
    Decline,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActBody {
    action: Action,
}

/// The customer pays or declines a pending collect request. 409 with the current status when
/// it is not pending (paid, declined, expired), 404 for an unknown batch or customer.
#[utoipa::path(
    post,
    path = "/__sandbox/chillr/batches/{batch_id}/customers/{msisdn}",
    operation_id = "chillr_act",
    tag = "chillr",
    params(("batch_id" = String, Path), ("msisdn" = String, Path)),
    request_body = ActBody,
    responses((status = 200, description = "the batch's status after the act", body = BatchStatus), (status = 400, body = crate::control::ErrorBody), (status = 404, body = crate::control::ErrorBody), (status = 409, body = crate::control::ErrorBody))
)]
pub async fn act(
    State(state): State<AppState>,
    Path((batch_id, msisdn)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<BatchStatus>, ApiError> {
    let ActBody { action } = parse_json(&body)?;
    let unknown = || ApiError::not_found(format!("batch {batch_id} has no customer {msisdn}"));
    let msisdn = normalize_msisdn(&msisdn).ok_or_else(unknown)?;
    let no_batch = || ApiError::not_found(format!("no batch {batch_id}"));
    let batch = state
        .db
        .read(|conn| store::find_batch(conn, &batch_id, None))
        .await?
        .ok_or_else(no_batch)?;
    // Answered without a write when the request is not pending already.
    still_pending(&batch, &msisdn, state.clock.now()).map_err(|e| e.unwrap_or_else(unknown))?;
    let status = match action {
        Action::Pay => PaymentStatus::Paid,
        Action::Decline => PaymentStatus::Declined,
    };
    // The time is read inside the write, so stored times follow commit order; expiry and the
    // automatic decline follow from it, so they are judged at that time too. The update only
    // takes a request still pending when it runs: one that another action took meanwhile is
    // answered as already taken.
    let (now, changed, batch) = state
        .db
        .write(|tx| {
            let now = state.clock.now();
            let changed = pending_at(&batch, &msisdn, now)
                && store::set_status(tx, batch.id, &msisdn, status, now)?;
            Ok::<_, DbError>((now, changed, store::find_batch(tx, &batch_id, None)?))
        })
        .await?;
    let batch = batch.ok_or_else(no_batch)?;
    if !changed {
        still_pending(&batch, &msisdn, now).map_err(|e| e.unwrap_or_else(unknown))?;
    }
    Ok(Json(status_view(&batch, now)))
}

/// Whether the customer's collect request is pending as of `now`.
fn pending_at(batch: &StoredBatch, msisdn: &str, now: DateTime<Utc>) -> bool {
    let customer = batch.customers.iter().find(|c| c.msisdn == msisdn);
    customer.and_then(|c| c.request.as_ref()).is_some_and(|r| {
        timeline(batch, now)
            .effective(msisdn, r.status, r.acted_at)
            .status
            == PaymentStatus::Pending
    })
}

/// Ok when the customer's collect request is pending as of `now`; else the conflict to
/// answer, or None when the batch has no such customer.
fn still_pending(
    batch: &StoredBatch,
    msisdn: &str,
    now: DateTime<Utc>,
) -> Result<(), Option<ApiError>> {
    let customer = batch
        .customers
        .iter()
        .find(|c| c.msisdn == msisdn)
        .ok_or(None)?;
    let Some(request) = &customer.request else {
        return Err(Some(ApiError::conflict(
            format!("{msisdn} is not a Chillr user: no collect request was generated"),
            json!({"payment_status": null}),
        )));
    };
    let current = timeline(batch, now).effective(msisdn, request.status, request.acted_at);
    if current.status != PaymentStatus::Pending {
        return Err(Some(ApiError::conflict(
            format!("the collect request is already {}", current.status.as_str()),
            json!({"payment_status": current.status.as_str()}),
        )));
    }
    Ok(())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Users {
    /// Mobile numbers; `+91`, `91` and `0` prefixes are accepted.
    msisdns: Vec<String>,
}

/// Registers Chillr users (shared by all merchants); ones already registered stay.
/// The answer of `POST /__sandbox/chillr/users`: the numbers, normalized to 10 digits.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Registered {
    registered: Vec<String>,
}

#[utoipa::path(
    post,
    path = "/__sandbox/chillr/users",
    operation_id = "chillr_register_users",
    tag = "chillr",
    request_body = Users,
    responses((status = 201, description = "the numbers registered", body = Registered), (status = 400, body = crate::control::ErrorBody))
)]
pub async fn register_users(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let Users { msisdns } = parse_json(&body)?;
    if msisdns.is_empty() {
        return Err(ApiError::bad_request(
            "msisdns: give at least one mobile number",
        ));
    }
    let normalized = msisdns
        .iter()
        .enumerate()
        .map(|(i, m)| {
            normalize_msisdn(m).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "msisdns[{i}]: `{m}` is not a 10-digit mobile number starting 6-9"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    state
        .db
        .write(|tx| store::register_users(tx, &normalized))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            registered: normalized,
        }),
    ))
}
