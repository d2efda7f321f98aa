//! Balances, credits, debits, transfers, reversals, limit checks and listings (being written).

use super::wire::WalletError;
use crate::app::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

pub async fn fetchbalance(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn creditwallet(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn debitwallet(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn wallettowallet(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn debitreversal(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn checkcustomercreditlimit(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn checkcustomerdebitlimit(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn fetchtransactions(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn fetchbymerchantransactionid(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn fetchbytransactionid(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}
