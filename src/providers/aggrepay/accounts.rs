//! Registration, OTPs, MPINs, customer details and status, sub merchants (being written).

use super::wire::WalletError;
use crate::app::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

pub async fn checkcustomer(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn registrationotp(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn registercustomer(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn fetchcustomerdetail(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn updatecustomer(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn customerstatus(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn customerotp(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn forgotmpin(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn changempin(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn addsubmerchant(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}

pub async fn getsubmerchants(State(_state): State<AppState>, _headers: HeaderMap, _body: Bytes) -> Response {
    WalletError::Internal.into_response()
}
