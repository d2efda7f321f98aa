//! S8 `get_payment_receipt/{userId}/{paymentId}`: the absolute URL of a payment's receipt
//! (served by `receipt/`).

use super::super::errors::JazeError;
use super::super::store::{self, TokenLookup};
use super::super::wire::ReceiptUrl;
use super::extract::{Account, ReceiptIds};
use super::{Answer, Noted, noting_user};
use crate::state::AppState;
use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::uri::Authority;
use axum::http::{HeaderMap, header};

/// Without both ids, once authenticated.
pub async fn missing_both(_: Account) -> Result<Answer<ReceiptUrl>, JazeError> {
    Err(JazeError::BadRequest("Missing userId and paymentId".into()))
}

/// Without the payment id, once authenticated.
pub async fn missing_payment(_: Account) -> Result<Answer<ReceiptUrl>, JazeError> {
    Err(JazeError::BadRequest("Missing paymentId".into()))
}

/// `{"status":"success","errorCode":200,"message":"http://<host>/jaze/receipts/<token>.pdf"}`.
pub async fn receipt_url(
    State(state): State<AppState>,
    account: Account,
    ids: ReceiptIds,
    headers: HeaderMap,
) -> Result<Noted<ReceiptUrl>, JazeError> {
    let found = state
        .db
        .read(move |conn| store::receipt_token(conn, account.id, ids.user_id, ids.payment_id))
        .await?;
    let token = match found {
        TokenLookup::NoUser => return Err(JazeError::NotFound("User not found")),
        TokenLookup::NoPayment => return Err(JazeError::NotFound("Payment not found")),
        TokenLookup::Token(token) => token,
    };
    let host = host(&headers, state.port);
    let url = Json(ReceiptUrl::new(format!(
        "http://{host}{}/jaze/receipts/{token}.pdf",
        state.prefix
    )));
    let (Extension(noted), url) = noting_user(Some(ids.user_id), url);
    Ok((
        Extension(noted.fact("payment", ids.payment_id.to_string())),
        url,
    ))
}

/// The sandbox as the client reached it: the `Host` header when it is a plain host[:port],
/// else `localhost:<port>`.
fn host(headers: &HeaderMap, port: u16) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.contains('@'))
        .and_then(|h| h.parse::<Authority>().ok())
        .map(|a| a.as_str().to_string())
        .unwrap_or_else(|| format!("localhost:{port}"))
}
