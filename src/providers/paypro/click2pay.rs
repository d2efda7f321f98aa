//! The sandbox's hosted payment page, `GET /paypro/click2pay?cpayId=...[&callback_url=...]`:
//! plain HTML with two forms (Pay, Fail) that works without JavaScript, and the two form
//! targets, which answer 303 to the callback with the result appended
//! (`cpayId`, `ordId`, `OrderNumber`, `status`).

use super::payment::{self, Outcome};
use super::rules::{OrderStatus, amount_due, effective};
use super::store::merchants;
use super::store::{self, Order, shown};
use crate::db::DbError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(rename = "cpayId", alias = "cpayid", alias = "CpayId")]
    cpay_id: Option<String>,
    callback_url: Option<String>,
}

/// The page showing the order and its Pay and Fail buttons.
pub async fn page(State(state): State<AppState>, Query(query): Query<PageQuery>) -> Response {
    let cpay_id = query.cpay_id.unwrap_or_default();
    let callback = query.callback_url.unwrap_or_default();
    let found = state
        .db
        .read(|conn| {
            let Some(order) = store::by_connectpay_id(conn, None, cpay_id.trim())? else {
                return Ok(None);
            };
            let merchant = merchants::by_id(conn, order.merchant_id)?;
            Ok::<_, DbError>(Some((order, merchant)))
        })
        .await;
    let (order, merchant) = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            return message(
                StatusCode::NOT_FOUND,
                "Order not found",
                &format!("There is no order with ConnectPay Id {cpay_id}."),
            );
        }
        Err(e) => return internal(e),
    };
    let now = state.clock.now();
    let (status, due) = (
        effective(&order, now),
        amount_due(&order, now, merchant.offset()),
    );
    let actions = if status == OrderStatus::Unpaid {
        format!(
            r#"<form method="post" action="{prefix}/paypro/click2pay/pay">{hidden}<button type="submit">Pay</button></form>
<form method="post" action="{prefix}/paypro/click2pay/fail">{hidden}<button type="submit">Fail</button></form>"#,
            prefix = attr(&state.prefix),
            hidden = hidden(&order.connectpay_id, &callback)
        )
    } else {
        format!(
            "<p class=\"not-payable\">This order is {} and cannot be paid.</p>",
            text(&status.label(false))
        )
    };
    Html(format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PayPro sandbox payment</title></head>
<body>
<h1>PayPro sandbox payment</h1>
<dl>
<dt>Order number</dt><dd class="order-number">{number}</dd>
<dt>ConnectPay Id</dt><dd class="connectpay-id">{cpay}</dd>
<dt>Customer</dt><dd class="customer">{customer}</dd>
<dt>Amount due</dt><dd class="amount-due">{due}</dd>
<dt>Status</dt><dd class="status">{status}</dd>
</dl>
{actions}
</body></html>"#,
        number = text(&order.order_number),
        cpay = text(&order.connectpay_id),
        customer = text(&order.customer_name),
        due = shown(due),
        status = text(&status.label(false)),
    ))
    .into_response()
}

fn hidden(cpay_id: &str, callback: &str) -> String {
    format!(
        r#"<input type="hidden" name="cpayId" value="{}"><input type="hidden" name="callback_url" value="{}">"#,
        attr(cpay_id),
        attr(callback)
    )
}

#[derive(Deserialize, Default)]
pub struct Submitted {
    #[serde(rename = "cpayId", default)]
    cpay_id: String,
    #[serde(default)]
    callback_url: String,
}

/// The Pay button: pays the amount due, then 303 to the callback with `status=PAID`.
pub async fn pay(State(state): State<AppState>, body: Bytes) -> Response {
    let form: Submitted = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    match payment::pay(&state, form.cpay_id.trim()).await {
        Ok(Outcome::Paid(order, _)) => {
            finish(&form.callback_url, &order, "PAID", "Payment received")
        }
        Ok(Outcome::NotPayable(order, status)) => {
            let why = format!("This order is {} and cannot be paid.", status.label(false));
            if form.callback_url.is_empty() {
                message(StatusCode::CONFLICT, "Not paid", &why)
            } else {
                finish(&form.callback_url, &order, "FAILED", &why)
            }
        }
        Ok(Outcome::NotFound) => message(
            StatusCode::NOT_FOUND,
            "Order not found",
            "There is no such order.",
        ),
        Err(e) => internal(e),
    }
}

/// The Fail button: the order stays unpaid; 303 to the callback with `status=FAILED`.
pub async fn fail(State(state): State<AppState>, body: Bytes) -> Response {
    let form: Submitted = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let order = state
        .db
        .read(|conn| store::by_connectpay_id(conn, None, form.cpay_id.trim()))
        .await;
    match order {
        Ok(Some(order)) => finish(
            &form.callback_url,
            &order,
            "FAILED",
            "Payment failed; the order is still unpaid",
        ),
        Ok(None) => message(
            StatusCode::NOT_FOUND,
            "Order not found",
            "There is no such order.",
        ),
        Err(e) => internal(e),
    }
}

/// 303 to the callback with the result appended (`?` or `&` as the URL needs), or the
/// result page when there is no callback.
fn finish(callback: &str, order: &Order, status: &str, title: &str) -> Response {
    if callback.trim().is_empty() {
        return message(
            StatusCode::OK,
            title,
            &format!(
                "Order {} ({}): {status}",
                order.order_number, order.connectpay_id
            ),
        );
    }
    // Real merchant code reads the ConnectPayId of a completed payment from `ordId`
    // (`$_REQUEST['ordId']`), so the callback carries it beside `cpayId`.
    let query = serde_urlencoded::to_string([
        ("cpayId", order.connectpay_id.as_str()),
        ("ordId", order.connectpay_id.as_str()),
        ("OrderNumber", order.order_number.as_str()),
        ("status", status),
    ])
    .unwrap_or_default();
    let separator = if callback.contains('?') { '&' } else { '?' };
    match HeaderValue::from_str(&format!("{}{separator}{query}", callback.trim())) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        Err(_) => message(
            StatusCode::BAD_REQUEST,
            "Bad callback",
            "The callback_url cannot be used as a redirect.",
        ),
    }
}

fn message(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\n<body><h1>{t}</h1><p class=\"message\">{b}</p></body></html>",
        t = text(title),
        b = text(body)
    );
    (status, Html(page)).into_response()
}

fn internal(error: DbError) -> Response {
    tracing::error!(%error, "paypro click2pay: database error");
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Service Fail",
        "Please try again.",
    )
}
