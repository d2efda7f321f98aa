//! "Status check API": `POST /api/v5/check_collect_status`: the merchant's batch as the
//! rules see it now ([`status_view`]).

use super::extract::StatusInput;
use crate::diagnosis::Outcome;
use crate::providers::chillr::diagnoses;
use crate::providers::chillr::errors::ChillrError;
use crate::providers::chillr::rules::status_view;
use crate::providers::chillr::store::{self, StoredBatch};
use crate::providers::chillr::wire::Success;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

/// The merchant's batch as of now on the sandbox clock; 61 for another merchant's batch.
/// The answer notes the batch id (the lint `chillr.lint.batch_never_checked` looks for it).
pub async fn check_collect_status(
    State(state): State<AppState>,
    input: StatusInput,
) -> Result<Response, ChillrError> {
    let Some(batch_id) = input.batch_id else {
        return Err(ChillrError::BatchNotFound.with(diagnoses::batch_unknown_not_text()));
    };
    let merchant_id = input.merchant_id;
    let found = state
        .db
        .read(
            |conn| match store::find_batch(conn, &batch_id, Some(merchant_id))? {
                Some(batch) => Ok(Found::Batch(Box::new(batch))),
                // The second lookup only tells the diagnosis why; the answer is 61 either way.
                None if store::batch_exists(conn, &batch_id)? => Ok(Found::OtherMerchant),
                None => Ok::<_, crate::db::DbError>(Found::Unknown),
            },
        )
        .await?;
    let batch = match found {
        Found::Batch(batch) => batch,
        Found::OtherMerchant => {
            return Err(ChillrError::BatchNotFound.with(diagnoses::batch_other_merchant(&batch_id)));
        }
        Found::Unknown => {
            return Err(ChillrError::BatchNotFound.with(diagnoses::batch_unknown(&batch_id)));
        }
    };
    let answer = Json(Success::new(None, status_view(&batch, state.clock.now())));
    Ok(Outcome::noting("batch", batch_id).on(answer.into_response()))
}

/// What the merchant's lookup of a batch id found.
enum Found {
    Batch(Box<StoredBatch>),
    OtherMerchant,
    Unknown,
}
