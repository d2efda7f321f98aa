//! PayPro's answers: a JSON array whose element 0 holds only `{"Status":"NN"}` (clients
//! read the last value of element 0), then the details; the typed details of the queries.

use super::errors::Code;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

/// `[{"Status":status}, items...]`.
pub fn answer(status: Code, items: impl IntoIterator<Item = Value>) -> Response {
    let mut array = vec![json!({ "Status": status.as_str() })];
    array.extend(items);
    Json(Value::Array(array)).into_response()
}

/// `[{"Status":status}, items...]` from items that hold raw numbers (`0.0000`).
pub fn answer_raw<T: serde::Serialize>(
    status: Code,
    items: impl IntoIterator<Item = T>,
) -> Response {
    let status = status.as_str();
    let mut text = format!(r#"[{{"Status":"{status}"}}"#).into_bytes();
    for item in items {
        text.push(b',');
        serde_json::to_writer(&mut text, &item).expect("an answer serializes");
    }
    text.push(b']');
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        axum::body::Body::from(text),
    )
        .into_response()
}

/// A JSON number written exactly as given (`0.0000`, `45050`), which `serde_json::Value`
/// cannot hold.
pub fn number(text: String) -> Box<RawValue> {
    RawValue::from_string(text).expect("a decimal's text is a JSON number")
}

/// One element of `gos`'s answer.
#[derive(Serialize)]
pub struct StatusItem {
    #[serde(rename = "OrderStatus")]
    pub order_status: String,
    #[serde(rename = "OrderAmountPaid")]
    pub amount_paid: Box<RawValue>,
    #[serde(rename = "DatePaid")]
    pub date_paid: Option<String>,
    #[serde(rename = "OrderNumber")]
    pub order_number: String,
    /// The order's line items as sent (the sandbox keeps them), when there were any.
    #[serde(rename = "BillDetail01", skip_serializing_if = "Option::is_none")]
    pub bill_detail: Option<Box<RawValue>>,
}

/// One paid order of `gpojson`'s answer.
#[derive(Serialize)]
pub struct PaidOrder<'a> {
    #[serde(rename = "Order Number")]
    pub order_number: &'a str,
    #[serde(rename = "Customer Email")]
    pub customer_email: &'a str,
    #[serde(rename = "Issue Date")]
    pub issue_date: String,
    #[serde(rename = "Customer Mobile")]
    pub customer_mobile: &'a str,
    #[serde(rename = "Order Amount")]
    pub order_amount: Box<RawValue>,
    #[serde(rename = "Date Created")]
    pub date_created: String,
    #[serde(rename = "Order Due Date")]
    pub order_due_date: String,
    #[serde(rename = "Customer Address")]
    pub customer_address: &'a str,
    #[serde(rename = "Date Paid")]
    pub date_paid: String,
    #[serde(rename = "ConnectPay Id")]
    pub connectpay_id: &'a str,
    #[serde(rename = "Amount Paid")]
    pub amount_paid: Box<RawValue>,
}
