//! The answer to a request whose tenant cannot be had (a bad name, the tenant limit): in the
//! envelope of the provider the rest of the path names, so a client's error handling reads it.

use crate::providers::Providers;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// The provider's error body for `rest` (the path after `/t/<tenant>`), else `{"error": ...}`.
pub fn error_body(providers: &Providers, rest: &str, status: StatusCode, message: &str) -> Value {
    match providers.route(rest) {
        Some(routed) => routed.provider.http_error_body(status, message),
        None => json!({ "error": message }),
    }
}
