//! S8 `get_payment_receipt/{userId}/{paymentId}`: the absolute URL of a payment's receipt, a
//! real PDF served at `/jaze/receipts/<token>.pdf` without authentication (the payment's
//! random `receipt_token` is the secret, stable across calls and resets).

mod pdf;

use super::auth::{self, Account};
use super::errors::JazeError;
use super::records::Method;
use crate::app::AppState;
use crate::db::DbError;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::DateTime;
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

/// `userId` 500 answers errorCode 500 (Internal Server Error).
const MAGIC_INTERNAL_ERROR: i64 = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/get_payment_receipt",
            get(missing_both).post(missing_both),
        )
        .route(
            "/api/v1/get_payment_receipt/{user_id}",
            get(missing_payment).post(missing_payment),
        )
        .route(
            "/api/v1/get_payment_receipt/{user_id}/{payment_id}",
            get(receipt_url).post(receipt_url),
        )
        .route("/receipts/{file}", get(download))
}

async fn missing_both(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, JazeError> {
    state
        .db
        .read(|conn| auth::authenticate(conn, &headers))
        .await?;
    Err(JazeError::BadRequest("Missing userId and paymentId".into()))
}

async fn missing_payment(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, JazeError> {
    state
        .db
        .read(|conn| auth::authenticate(conn, &headers))
        .await?;
    Err(JazeError::BadRequest("Missing paymentId".into()))
}

/// S8: `{"status":"success","errorCode":200,"message":"http://<host>/jaze/receipts/<token>.pdf"}`.
async fn receipt_url(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Json<Value>, JazeError> {
    // The ids are judged before the lock is taken; their failures answer only once the
    // credentials have passed.
    let ids = match path {
        Ok(Path((user, payment))) => numeric("userId", &user).and_then(|user_id| {
            let payment_id = numeric("paymentId", &payment)?;
            if user_id == MAGIC_INTERNAL_ERROR {
                return Err(JazeError::Internal);
            }
            Ok((user_id, payment_id))
        }),
        Err(_) => Err(JazeError::BadRequest(
            "Invalid userId or paymentId, expected numbers".into(),
        )),
    };
    let token = state
        .db
        .read(|conn| {
            let account = auth::authenticate(conn, &headers)?;
            let (user_id, payment_id) = ids?;
            receipt_token(conn, &account, user_id, payment_id)
        })
        .await?;
    let url = format!(
        "http://{}/jaze/receipts/{token}.pdf",
        host(&headers, state.port)
    );
    Ok(Json(
        json!({"status": "success", "errorCode": 200, "message": url}),
    ))
}

/// A path id: decimal digits only (no sign, no point), within a 64-bit integer.
fn numeric(name: &str, text: &str) -> Result<i64, JazeError> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| JazeError::BadRequest(format!("Invalid {name}, expected a number")))
}

fn receipt_token(
    conn: &Connection,
    account: &Account,
    user_id: i64,
    payment_id: i64,
) -> Result<String, JazeError> {
    let user_row: i64 = conn
        .prepare_cached("select id from jaze_users where account_id = ? and user_id = ?")?
        .query_row(params![account.id, user_id], |r| r.get(0))
        .optional()?
        .ok_or(JazeError::NotFound("User not found"))?;
    conn.prepare_cached(
        "select receipt_token from jaze_payments \
         where account_id = ? and user_row = ? and payment_id = ?",
    )?
    .query_row(params![account.id, user_row, payment_id], |r| r.get(0))
    .optional()?
    .ok_or(JazeError::NotFound("Payment not found"))
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
    let body = json!({"status": "failure", "errorCode": 404, "message": "Receipt not found"});
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// The payment holding a receipt token, as stored.
struct Stored {
    row: i64,
    payment_id: i64,
    amount: String,
    method: String,
    bank: Option<String>,
    created_at: String,
    user_id: i64,
    customer_number: String,
    customer_name: Option<String>,
    account_name: Option<String>,
    api_token: String,
    gateway: Option<pdf::Gateway>,
    currency: Option<String>,
}

/// The receipt of the payment holding this token, read in one snapshot.
async fn load(state: &AppState, token: &str) -> Result<Option<pdf::Receipt>, DbError> {
    let found = state.db.read(|conn| read_receipt(conn, token)).await?;
    let Some((row, invoices)) = found else {
        return Ok(None);
    };
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
    Ok(Some(pdf::Receipt {
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
        invoices,
    }))
}

fn read_receipt(
    conn: &Connection,
    token: &str,
) -> Result<Option<(Stored, Vec<pdf::Invoice>)>, DbError> {
    let row = conn
        .prepare_cached(
            "select p.id, p.payment_id, p.amount, p.method, p.bank, p.created_at, \
             u.user_id, u.customer_number, u.name as customer_name, a.name as account_name, a.api_token, \
             g.operator, g.gateway_txn_id, g.merchant_txn_id, g.currency \
             from jaze_payments p join jaze_users u on u.id = p.user_row \
             join jaze_accounts a on a.id = p.account_id \
             left join jaze_gateway_logs g on g.payment_row = p.id \
             where p.receipt_token = ?",
        )?
        .query_row([token], |r| {
            Ok(Stored {
                row: r.get("id")?,
                payment_id: r.get("payment_id")?,
                amount: r.get("amount")?,
                method: r.get("method")?,
                bank: r.get("bank")?,
                created_at: r.get("created_at")?,
                user_id: r.get("user_id")?,
                customer_number: r.get("customer_number")?,
                customer_name: r.get("customer_name")?,
                account_name: r.get("account_name")?,
                api_token: r.get("api_token")?,
                gateway: match r.get::<_, Option<String>>("operator")? {
                    Some(operator) => Some(pdf::Gateway {
                        operator,
                        gateway_txn_id: r.get("gateway_txn_id")?,
                        merchant_txn_id: r.get("merchant_txn_id")?,
                    }),
                    None => None,
                },
                currency: r.get("currency")?,
            })
        })
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let invoices = conn
        .prepare_cached(
            "select i.invoice_id, i.amount, i.invoice_date from jaze_payment_invoices pi \
             join jaze_invoices i on i.id = pi.invoice_row where pi.payment_row = ? order by pi.position",
        )?
        .query_map([row.row], |r| {
            Ok(pdf::Invoice {
                invoice_id: r.get("invoice_id")?,
                date: r.get("invoice_date")?,
                amount: r.get("amount")?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some((row, invoices)))
}
