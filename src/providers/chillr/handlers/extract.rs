//! Extractors: read a Chillr request body, check its parameters in the document's order
//! (50–55 or 60 first, then 57 and 56, then 58 and 59) and authenticate the merchant, all
//! outside any hold of the database (one read fetches the merchant).

use crate::providers::chillr::diagnoses;
use crate::providers::chillr::errors::ChillrError;
use crate::providers::chillr::rules::{judge_batch, names_outage_customer, parse_expiry_date};
use crate::providers::chillr::store;
use crate::providers::chillr::wire::{Customer, Field, Params};
use crate::state::AppState;
use crate::timezone::india;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};

/// A "Create batch" request that passed every check that needs no Chillr user registry.
pub struct CollectInput {
    pub merchant_id: i64,
    pub name: String,
    pub expiry_date: NaiveDate,
    /// Valid customers, in the order sent: (msisdn normalised, amount as sent).
    pub customers: Vec<(String, String)>,
    /// When the request arrived, on the sandbox clock.
    pub now: DateTime<Utc>,
}

/// A "Status check API" request from an authenticated merchant; `batch_id` is None when
/// it was not text (no batch has such an id).
pub struct StatusInput {
    pub merchant_id: i64,
    pub batch_id: Option<String>,
}

impl FromRequest<AppState> for CollectInput {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let params = read(req, state).await?;
        collect_input(state, &params)
            .await
            .map_err(IntoResponse::into_response)
    }
}

impl FromRequest<AppState> for StatusInput {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let params = read(req, state).await?;
        status_input(state, &params)
            .await
            .map_err(IntoResponse::into_response)
    }
}

async fn read(req: Request, state: &AppState) -> Result<Params, Response> {
    let body = Bytes::from_request(req, state)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(Params::read(&body))
}

async fn collect_input(state: &AppState, params: &Params) -> Result<CollectInput, ChillrError> {
    let (api_key, secret, name, expiry, customers) = collect_params(params)?;
    let expiry_date = expiry.text().and_then(parse_expiry_date).ok_or_else(|| {
        let got = expiry.text().unwrap_or("(not a string)");
        ChillrError::ExpiryDateFormat.with(diagnoses::expiry_format(got))
    })?;
    // Judged before authentication, answered after it (57 and 56 come before 58 and 59).
    let now = state.clock.now();
    let today = now.with_timezone(&india()).date_naive();
    let judged = judge_batch(name, expiry_date, today, &customers);
    let merchant_id = authenticate(state, &api_key, &secret).await?;
    if !judged.reasons.is_empty() {
        return Err(ChillrError::InvalidParameters(judged.reasons));
    }
    if names_outage_customer(&judged.customers) {
        return Err(ChillrError::Internal);
    }
    Ok(CollectInput {
        merchant_id,
        name: judged.name,
        expiry_date,
        customers: judged.customers,
        now,
    })
}

/// The parameters of "Create batch" (50–55 when one is missing): `api_key`,
/// `api_secret_key`, `name`, `expiry_date` and `customers`.
fn collect_params(
    params: &Params,
) -> Result<(Field, Field, Field, Field, Vec<Customer>), ChillrError> {
    Ok((
        required(params, "api_key", ChillrError::ApiKeyMissing)?,
        required(params, "api_secret_key", ChillrError::ApiSecretKeyMissing)?,
        required(params, "name", ChillrError::NameMissing)?,
        required(params, "expiry_date", ChillrError::ExpiryDateMissing)?,
        params.customers().ok_or(ChillrError::CustomersMissing)?,
    ))
}

async fn status_input(state: &AppState, params: &Params) -> Result<StatusInput, ChillrError> {
    let api_key = required(params, "api_key", ChillrError::ApiKeyMissing)?;
    let secret = required(params, "api_secret_key", ChillrError::ApiSecretKeyMissing)?;
    let batch_id = required(params, "batch_id", ChillrError::BatchIdMissing)?;
    let merchant_id = authenticate(state, &api_key, &secret).await?;
    Ok(StatusInput {
        merchant_id,
        batch_id: batch_id.text().map(str::to_string),
    })
}

fn required(params: &Params, name: &str, missing: ChillrError) -> Result<Field, ChillrError> {
    match params.field(name) {
        Field::Missing => Err(missing),
        field => Ok(field),
    }
}

/// The merchant's id: 57 for an unknown api_key, then 56 for a wrong secret.
async fn authenticate(
    state: &AppState,
    api_key: &Field,
    secret: &Field,
) -> Result<i64, ChillrError> {
    let merchant = match api_key.text() {
        Some(key) => {
            state
                .db
                .read_memo(store::MERCHANTS, key, |conn| {
                    store::merchant_by_api_key(conn, key)
                })
                .await?
        }
        None => None,
    };
    let merchant = merchant.ok_or_else(|| match api_key.text() {
        Some(key) => ChillrError::MerchantNotFound.with(diagnoses::merchant_not_found(key)),
        None => ChillrError::MerchantNotFound,
    })?;
    if secret.text() != Some(merchant.api_secret_key.as_str()) {
        return Err(ChillrError::SecretMismatch);
    }
    Ok(merchant.id)
}
