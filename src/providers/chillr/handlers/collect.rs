//! "Create batch": `POST /api/v5/collect`.

use super::extract::CollectInput;
use crate::db::{self, DbError};
use crate::diagnosis::Outcome;
use crate::providers::chillr::errors::ChillrError;
use crate::providers::chillr::ids;
use crate::providers::chillr::lifecycle::new_request;
use crate::providers::chillr::store::{self, CustomerRecord, NewBatch};
use crate::providers::chillr::wire::{Accepted, Success};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use std::collections::HashSet;

/// Writes the batch: a collect request for each customer who is a Chillr user, none for
/// the others (listed as `non_chillr_customers`); 58 when no customer is a Chillr user.
/// The answer notes the batch id, for the lint `chillr.lint.batch_never_checked`.
pub async fn collect(
    State(state): State<AppState>,
    input: CollectInput,
) -> Result<Response, ChillrError> {
    let (batch_id, users) = insert_with_fresh_ids(&state, &input)
        .await?
        .ok_or_else(|| {
            ChillrError::InvalidParameters(vec!["None of the customers are Chillr users.".into()])
        })?;
    let non_chillr_customers = input
        .customers
        .into_iter()
        .map(|(msisdn, _)| msisdn)
        .filter(|msisdn| !users.contains(msisdn))
        .collect();
    let noted = Outcome::noting("batch", batch_id.clone());
    let answer = Json(Success::new(
        Some("Collect batch creation accepted"),
        Accepted {
            batch_id,
            non_chillr_customers,
        },
    ));
    Ok(noted.on(answer.into_response()))
}

/// Finds the Chillr users and writes the batch in one transaction, answering the batch id
/// and the users (None when there are none: nothing is written); on the (astronomically
/// rare) clash of a random id with an existing one, draws new ids and tries again.
async fn insert_with_fresh_ids(
    state: &AppState,
    input: &CollectInput,
) -> Result<Option<(String, HashSet<String>)>, ChillrError> {
    let msisdns: Vec<String> = input.customers.iter().map(|(m, _)| m.clone()).collect();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut batch = new_batch(input);
        let written = state
            .db
            .write(|tx| -> Result<_, DbError> {
                let users = store::chillr_users_among(tx, &msisdns)?;
                if users.is_empty() {
                    return Ok(None);
                }
                batch.keep_requests_of(&users);
                store::insert_batch(tx, &batch)?;
                Ok(Some((batch.batch_id, users)))
            })
            .await;
        match written {
            Err(e) if db::is_unique_violation(&e) && attempts < 5 => continue,
            written => return Ok(written?),
        }
    }
}

/// The batch with fresh ids and a collect request for every customer (those who are not
/// Chillr users lose theirs once the registry has been read).
fn new_batch(input: &CollectInput) -> NewBatch {
    NewBatch {
        batch_id: ids::batch_id(input.now),
        merchant_id: input.merchant_id,
        name: input.name.clone(),
        expiry_date: input.expiry_date,
        created_at: input.now,
        customers: input
            .customers
            .iter()
            .map(|(msisdn, amount)| CustomerRecord {
                msisdn: msisdn.clone(),
                amount: amount.clone(),
                request: Some(new_request(msisdn, input.now)),
            })
            .collect(),
    }
}
