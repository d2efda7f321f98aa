//! Jaze's control-plane actions under `/__sandbox/jaze`: create users, invoices and payments
//! (a gateway payment writes its external payment log too). Each answers 201 with the record
//! as stored, generated ids and receipt token included.

use super::rules::RecordError;
use super::wire::{InvoiceRecord, PaymentRecord, UserRecord};
use super::{rules, store};
use crate::control::{ApiError, parse_json};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

type Created = Result<(StatusCode, Json<Value>), ApiError>;

fn refused(error: RecordError) -> ApiError {
    match error {
        RecordError::Invalid(field, message) => {
            ApiError::bad_request(format!("{field}: {message}"))
        }
        RecordError::Database(e) => ApiError::internal(e),
    }
}

/// Creates a user: `{"user_id":3,"customer_number":"3"}` (`account` names the ISP account when
/// there are several).
#[utoipa::path(
    post,
    path = "/__sandbox/jaze/users",
    operation_id = "jaze_create_user",
    tag = "jaze",
    request_body = UserRecord,
    responses((status = 201, description = "the record as stored", body = UserRecord), (status = 400, body = crate::control::ErrorBody))
)]
pub async fn users(State(state): State<AppState>, body: Bytes) -> Created {
    let user: UserRecord = parse_json(&body)?;
    let new = rules::new_user(&user);
    state
        .db
        .write(|tx| store::insert_user(tx, user.api_token.as_deref(), new))
        .await
        .map_err(refused)?;
    Ok((StatusCode::CREATED, Json(json!(user))))
}

/// Creates an invoice: `{"user_id":2,"amount":"50.00","invoice_id":14701}` (id optional).
#[utoipa::path(
    post,
    path = "/__sandbox/jaze/invoices",
    operation_id = "jaze_create_invoice",
    tag = "jaze",
    request_body = InvoiceRecord,
    responses((status = 201, description = "the record as stored", body = InvoiceRecord), (status = 400, body = crate::control::ErrorBody))
)]
pub async fn invoices(State(state): State<AppState>, body: Bytes) -> Created {
    let mut invoice: InvoiceRecord = parse_json(&body)?;
    let today = state
        .clock
        .now()
        .with_timezone(&crate::timezone::india())
        .date_naive();
    let new = rules::new_invoice(&invoice, today);
    invoice.invoice_id = Some(
        state
            .db
            .write(|tx| {
                store::insert_invoice(tx, invoice.api_token.as_deref(), invoice.user_id, new)
            })
            .await
            .map_err(refused)?,
    );
    invoice.date.get_or_insert(today);
    Ok((StatusCode::CREATED, Json(json!(invoice))))
}

/// Creates a payment: `{"user_id":2,"amount":"75.50","method":"cash"|"cheque"|"gateway",
/// "bank":"HDFC","invoice_ids":[14701],"created_at":"...","gateway":{...}}`; only `user_id`,
/// `amount` and `method` are required.
#[utoipa::path(
    post,
    path = "/__sandbox/jaze/payments",
    operation_id = "jaze_create_payment",
    tag = "jaze",
    request_body = PaymentRecord,
    responses((status = 201, description = "the record as stored", body = PaymentRecord), (status = 400, body = crate::control::ErrorBody))
)]
pub async fn payments(State(state): State<AppState>, body: Bytes) -> Created {
    let payment: PaymentRecord = parse_json(&body)?;
    let new = rules::new_payment(&payment, state.clock.now());
    let created = state
        .db
        .write(|tx| {
            let row =
                store::insert_payment(tx, payment.api_token.as_deref(), payment.user_id, new)?;
            Ok(store::payment(tx, row)?)
        })
        .await
        .map_err(refused)?
        .ok_or_else(|| ApiError::internal("the payment vanished inside its transaction"))?;
    Ok((StatusCode::CREATED, Json(json!(created))))
}
