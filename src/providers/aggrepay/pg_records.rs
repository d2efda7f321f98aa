//! `POST /__sandbox/aggrepay/pg-transactions`: payment-gateway records (being written).

use crate::app::AppState;
use crate::control::ApiError;
use axum::Json;
use axum::extract::State;
use serde_json::Value;

pub async fn create(State(_state): State<AppState>) -> Result<Json<Value>, ApiError> {
    Err(ApiError::internal("not written yet"))
}
