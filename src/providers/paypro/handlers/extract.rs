//! The extractors of PayPro's requests: [`Payload`] gathers everything PayPro reads from a
//! request (query, form, uploaded file, raw body; see [`crate::providers::paypro::payload`])
//! before the handler runs, and [`Click2PayBase`] is the hosted payment page's address as the
//! client reached the sandbox.

use crate::app::AppState;
use crate::providers::paypro::payload::Inputs;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use std::convert::Infallible;

/// Everything PayPro reads from the request; the body is read whole first (a body the
/// server front refuses is refused as before).
pub struct Payload(pub Inputs);

impl FromRequest<AppState> for Payload {
    type Rejection = BytesRejection;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let query = request.uri().query().map(str::to_string);
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = Bytes::from_request(request, state).await?;
        let inputs = Inputs::read(query.as_deref(), content_type.as_deref(), &body).await;
        Ok(Payload(inputs))
    }
}

/// `http://<host>/paypro/click2pay?cpayId=`, the `Host` the client sent (else
/// `localhost:<port>`), to which `co`/`cmo` append the ConnectPayId.
pub struct Click2PayBase(pub String);

impl FromRequestParts<AppState> for Click2PayBase {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .unwrap_or_else(|| format!("localhost:{}", state.port));
        Ok(Click2PayBase(format!(
            "http://{host}/paypro/click2pay?cpayId="
        )))
    }
}
