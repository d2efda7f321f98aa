//! Actions go through the control plane's own router, so a form does exactly what the
//! matching `/__sandbox` call does (same validation, same messages).

use crate::control;
use crate::state::AppState;
use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::Value;
use tower::ServiceExt;

/// Calls `/__sandbox<path>`; the answer's JSON on success, its `error` text otherwise.
pub async fn call(
    state: &AppState,
    method: Method,
    path: &str,
    content_type: &str,
    body: impl Into<Body>,
) -> Result<Value, String> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(token) = state.config.admin_token.as_deref() {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = request
        .body(body.into())
        .map_err(|e| format!("cannot build the call: {e}"))?;
    let router = control::router(state).with_state(state.clone());
    let response = router
        .oneshot(request)
        .await
        .map_err(|e| format!("the call failed: {e}"))?;
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if status.is_success() {
        Ok(value)
    } else {
        // A fixture refusal adds the file, the path in it and the problem to `error`.
        let text = |name: &str| {
            value
                .get(name)
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
        };
        Err(match text("error") {
            Some(error) => {
                let mut message = error.to_string();
                if let Some(detail) = text("message") {
                    message = format!("{message}: {detail}");
                }
                if let Some(at) = text("path") {
                    message = format!("{message} (at {at})");
                }
                message
            }
            None => format!("refused with status {status}: {value}"),
        })
    }
}
