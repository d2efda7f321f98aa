//! "Status check API": `POST /api/v5/check_collect_status`, and the status view it answers
//! (also the answer of the pay/decline action).

use super::extract::StatusInput;
use crate::app::AppState;
use crate::providers::chillr::errors::ChillrError;
use crate::providers::chillr::lifecycle::{PaymentStatus, Timeline, batch_status, expires_at};
use crate::providers::chillr::rules::format_expiry_date;
use crate::providers::chillr::store::{self, StoredBatch};
use crate::providers::chillr::wire::{BatchStatus, CustomerStatus, Success};
use crate::timezone::india;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, SecondsFormat, Utc};

/// The merchant's batch as of now on the sandbox clock; 61 for another merchant's batch.
pub async fn check_collect_status(
    State(state): State<AppState>,
    input: StatusInput,
) -> Result<Json<Success<BatchStatus>>, ChillrError> {
    let batch = match &input.batch_id {
        Some(batch_id) => {
            state
                .db
                .read(|conn| store::find_batch(conn, batch_id, Some(input.merchant_id)))
                .await?
        }
        None => None,
    };
    let batch = batch.ok_or(ChillrError::BatchNotFound)?;
    Ok(Json(Success::new(
        None,
        status_view(&batch, state.clock.now()),
    )))
}

/// The status response's `data`: customers in the order submitted, statuses as of `now`.
pub fn status_view(batch: &StoredBatch, now: DateTime<Utc>) -> BatchStatus {
    let timeline = timeline(batch, now);
    let mut statuses = Vec::new();
    let customers = batch
        .customers
        .iter()
        .map(|customer| match &customer.request {
            Some(request) => {
                let effective =
                    timeline.effective(&customer.msisdn, request.status, request.acted_at);
                statuses.push(effective.status);
                let paid_at = effective
                    .acted_at
                    .filter(|_| effective.status == PaymentStatus::Paid)
                    .map(india_time);
                CustomerStatus::Request {
                    msisdn: customer.msisdn.clone(),
                    amount: customer.amount.clone(),
                    payment_status: effective.status.as_str(),
                    transaction_id: request.transaction_id.clone(),
                    paid_at,
                }
            }
            None => CustomerStatus::NotGenerated {
                msisdn: customer.msisdn.clone(),
                message: "Transaction not generated",
            },
        })
        .collect();
    let non_chillr_customers = batch
        .customers
        .iter()
        .filter(|c| c.request.is_none())
        .map(|c| c.msisdn.clone())
        .collect();
    BatchStatus {
        batch_id: batch.batch_id.clone(),
        batch_status: batch_status(statuses),
        name: batch.name.clone(),
        expiry_date: format_expiry_date(batch.expiry_date),
        customers,
        non_chillr_customers,
    }
}

pub fn timeline(batch: &StoredBatch, now: DateTime<Utc>) -> Timeline {
    Timeline {
        created_at: batch.created_at,
        expires_at: expires_at(batch.expiry_date),
        now,
    }
}

/// `2016-05-24T12:33:14+05:30`.
fn india_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&india())
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}
