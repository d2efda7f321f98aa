//! "Status check API": `POST /api/v5/check_collect_status`: the merchant's batch as the
//! rules see it now ([`status_view`]).

use super::extract::StatusInput;
use crate::app::AppState;
use crate::providers::chillr::errors::ChillrError;
use crate::providers::chillr::rules::status_view;
use crate::providers::chillr::store;
use crate::providers::chillr::wire::{BatchStatus, Success};
use axum::Json;
use axum::extract::State;

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
