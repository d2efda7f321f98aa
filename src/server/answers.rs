//! Reading a request's body under the limit, and the answers the front gives itself: too large,
//! refused as malformed, JSON.

use crate::lenient::Refusal;
use crate::providers::Provider;
use axum::body::Body;
use axum::http::{Response, StatusCode, header};
use axum::response::IntoResponse;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use serde_json::Value;

/// The request body, or how many bytes it had when it was over the limit.
pub(super) enum ReadBody {
    Within(Bytes),
    TooLarge(usize),
}

/// Reads the whole body; past `max` it keeps reading (so the connection is not reset) but
/// keeps nothing.
pub(super) async fn read_body(mut body: Incoming, max: usize) -> Result<ReadBody, hyper::Error> {
    let mut kept = BytesMut::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            total = total.saturating_add(data.len());
            if total <= max {
                kept.extend_from_slice(&data);
            } else if !kept.is_empty() {
                kept = BytesMut::new();
            }
        }
    }
    Ok(if total > max {
        ReadBody::TooLarge(total)
    } else {
        ReadBody::Within(kept.freeze())
    })
}

pub(super) fn too_large(provider: Option<&dyn Provider>, size: usize) -> Response<Body> {
    let message = format!("The request body ({size} bytes) is over the sandbox's limit");
    let body = match provider {
        Some(provider) => provider.http_error_body(StatusCode::PAYLOAD_TOO_LARGE, &message),
        None => serde_json::json!({"error": message}),
    };
    json(StatusCode::PAYLOAD_TOO_LARGE, body)
}

/// The answer to a request the lenient front refused (malformed HTTP): the connection closes.
pub(super) fn refused_answer(provider: Option<&dyn Provider>, refusal: &Refusal) -> Response<Body> {
    let body = match provider {
        Some(provider) => provider.http_error_body(refusal.status, &refusal.message),
        None => serde_json::json!({"error": refusal.message}),
    };
    let mut response = json(refusal.status, body);
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}

pub(super) fn json(status: StatusCode, body: Value) -> Response<Body> {
    (status, axum::Json(body)).into_response()
}
