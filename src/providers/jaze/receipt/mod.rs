//! The receipt S8 links to: a real PDF served at `/jaze/receipts/<token>.pdf` without
//! authentication (the payment's random `receipt_token` is the secret, stable across calls and
//! resets). Not a documented endpoint: the provider's router merges it beside them.

mod fonts;
pub mod pdf;

use super::errors::{self, JazeError};
use super::store::{self, StoredReceipt};
use super::wire::Method;
use crate::db::DbError;
use crate::state::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::DateTime;
use rusqlite::types::Type;

pub fn routes() -> Router<AppState> {
    Router::new().route("/receipts/{file}", get(download))
}

/// `GET /jaze/receipts/<token>.pdf`: the receipt, no authentication.
async fn download(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let token = path
        .ok()
        .and_then(|Path(file)| file.strip_suffix(".pdf").map(str::to_string))
        .filter(|t| plausible_token(t));
    let Some(token) = token else {
        return not_found();
    };
    match load(&state, &token).await {
        Ok(Some(receipt)) => {
            let bytes = pdf::render(&receipt);
            let disposition = format!("inline; filename=\"receipt-{}.pdf\"", receipt.payment_id);
            let mut response = (StatusCode::OK, bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            response
        }
        Ok(None) => not_found(),
        Err(error) => {
            tracing::error!(%error, "jaze: cannot read a receipt");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(JazeError::Internal.body()),
            )
                .into_response()
        }
    }
}

/// Tokens are generated as 32 URL-safe characters; fixtures may set any of 20 or more.
fn plausible_token(token: &str) -> bool {
    (20..=256).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn not_found() -> Response {
    let body = errors::envelope(404, "Receipt not found");
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// The receipt of the payment holding this token, read in one snapshot.
async fn load(state: &AppState, token: &str) -> Result<Option<pdf::Receipt>, DbError> {
    let token = token.to_owned();
    let found = state
        .db
        .read(move |conn| store::receipt(conn, &token))
        .await?;
    let Some(row) = found else {
        return Ok(None);
    };
    Ok(Some(shown(row)?))
}

/// The receipt as the PDF shows it.
fn shown(row: StoredReceipt) -> Result<pdf::Receipt, DbError> {
    let paid_at = DateTime::parse_from_rfc3339(&row.created_at)
        .map_err(|e| {
            DbError::FromSqlConversionFailure(
                5,
                Type::Text,
                format!("jaze_payments.created_at `{}`: {e}", row.created_at).into(),
            )
        })?
        .with_timezone(&crate::timezone::india());
    let account = row
        .account_name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(row.api_token);
    let currency = row
        .currency
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| "INR".into());
    Ok(pdf::Receipt {
        account,
        user_id: row.user_id,
        customer_number: row.customer_number,
        customer_name: row.customer_name,
        payment_id: row.payment_id,
        paid_at,
        amount: row.amount,
        currency,
        method: Method::parse(&row.method).unwrap_or(Method::Cash).label(),
        bank: row.bank,
        gateway: row.gateway,
        invoices: row.invoices,
    })
}
