//! S5–S7: the external payment logs of gateway payments, dated by their payments.

use super::super::errors::JazeError;
use super::super::rules::{Dates, Range};
use super::super::store::{self, GatewayLog};
use super::super::wire::{self, ExternalPayment, ExternalPaymentEntry};
use super::extract::{Account, Inputs};
use super::{Answer, Noted, noting_user};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

/// S5 `get_payment_logs/{userId}`.
pub async fn logs(
    State(state): State<AppState>,
    account: Account,
    inputs: Inputs,
) -> Result<Noted<wire::Logs>, JazeError> {
    let user_id = inputs.user_id()?;
    let logs = answer(&state, account, Some(user_id), Range::default()).await?;
    Ok(noting_user(user_id, logs))
}

/// S6 `get_payment_logs_by_date/{fromDate}/{toDate}`.
pub async fn logs_by_date(
    State(state): State<AppState>,
    account: Account,
    inputs: Inputs,
) -> Result<Answer<wire::Logs>, JazeError> {
    let range = inputs.range(Dates::Required, state.clock.now())?;
    answer(&state, account, None, range).await
}

/// S7 `get_payment_logs_by_userid_and_date/{userId}/{fromDate}/{toDate}`.
pub async fn logs_by_user_and_date(
    State(state): State<AppState>,
    account: Account,
    inputs: Inputs,
) -> Result<Noted<wire::Logs>, JazeError> {
    let user_id = inputs.user_id()?;
    let range = inputs.range(Dates::Required, state.clock.now())?;
    let logs = answer(&state, account, Some(user_id), range).await?;
    Ok(noting_user(user_id, logs))
}

/// The logs within the range, of one user when `user_id` is given (404 `User not found` for
/// another account's user too).
async fn answer(
    state: &AppState,
    account: Account,
    user_id: Option<Option<i64>>,
    range: Range,
) -> Result<Answer<wire::Logs>, JazeError> {
    let logs = state
        .db
        .read(move |conn| {
            let user_row = match user_id {
                Some(id) => match store::user(conn, account.id, id)? {
                    Some(user) => Some(user.row),
                    None => return Ok(None),
                },
                None => None,
            };
            Ok::<_, crate::db::DbError>(Some(store::logs(conn, account.id, user_row, &range)?))
        })
        .await?
        .ok_or(JazeError::NotFound("User not found"))?;
    Ok(Json(logs.into_iter().map(entry).collect()))
}

fn entry(log: GatewayLog) -> ExternalPaymentEntry {
    ExternalPaymentEntry {
        external_payment: ExternalPayment {
            merchant_txn_id: log.merchant_txn_id,
            gateway_txn_id: log.gateway_txn_id,
            details: log.details,
            number: log.currency,
            operator: log.operator,
        },
    }
}
