//! PayPro's typed request and answer bodies. Answers are a JSON array whose element 0 holds
//! only `{"Status":"NN"}` (clients read the last value of element 0), then the details.
//! Requests are read as leniently as Json.NET binds them (see [`Props`]).

use super::errors::Code;
use super::payload::Props;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// `[{"Status":status}, items...]`; items may hold raw numbers (`0.0000`).
pub fn answer<T: Serialize>(status: Code, items: impl IntoIterator<Item = T>) -> Response {
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
#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusItem {
    #[serde(rename = "OrderStatus")]
    pub order_status: String,
    #[serde(rename = "OrderAmountPaid")]
    #[schema(value_type = f64)]
    pub amount_paid: Box<RawValue>,
    #[serde(rename = "DatePaid")]
    pub date_paid: Option<String>,
    #[serde(rename = "OrderNumber")]
    pub order_number: String,
    /// The order's line items as sent (the sandbox keeps them), when there were any.
    #[serde(rename = "BillDetail01", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub bill_detail: Option<Box<RawValue>>,
}

/// One paid order of `gpojson`'s answer.
#[derive(Serialize, utoipa::ToSchema)]
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
    #[schema(value_type = f64)]
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
    #[schema(value_type = f64)]
    pub amount_paid: Box<RawValue>,
}

// ---- Request bodies, read as Json.NET binds them: names in any case, a string (trimmed),
// number or boolean as its text, absent, null or empty as nothing. ----

/// One property of a request element.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field {
    #[default]
    Absent,
    Text(String),
    /// An array or object where text belongs.
    Structured,
}

impl Field {
    fn of(props: &Props, name: &str) -> Field {
        match props.get(name) {
            Some(Value::Array(_) | Value::Object(_)) => Field::Structured,
            _ => props.text(name).map_or(Field::Absent, Field::Text),
        }
    }

    /// The text, if the property holds text.
    pub fn text(&self) -> Option<String> {
        match self {
            Field::Text(text) => Some(text.clone()),
            _ => None,
        }
    }
}

/// Element 0 of `oJson`: `{"MerchantId": ..., "MerchantPassword": ...}`.
#[derive(Debug, Deserialize)]
#[serde(from = "Map<String, Value>")]
pub struct MerchantHead {
    /// Whether either property is there at all (empty included).
    pub given: bool,
    pub merchant_id: Option<String>,
    pub merchant_password: Option<String>,
}

impl From<Map<String, Value>> for MerchantHead {
    fn from(map: Map<String, Value>) -> Self {
        let props = Props(&map);
        MerchantHead {
            given: props.has("MerchantId") || props.has("MerchantPassword"),
            merchant_id: props.text("MerchantId"),
            merchant_password: props.text("MerchantPassword"),
        }
    }
}

/// One order of `co`/`cmo` (1.0, 2.0), every field as sent.
#[derive(Debug, Deserialize)]
#[serde(from = "Map<String, Value>")]
pub struct OrderRequest {
    pub order_number: Option<String>,
    pub order_amount: Option<String>,
    pub order_due_date: Option<String>,
    pub order_type: Option<String>,
    pub issue_date: Option<String>,
    pub order_expire_after_seconds: Option<String>,
    pub customer_name: Option<String>,
    pub customer_mobile: Option<String>,
    pub customer_email: Option<String>,
    pub customer_address: Option<String>,
    pub customer_bank: Option<String>,
    pub order_amount_within_due_date: Option<String>,
    pub order_amount_after_due_date: Option<String>,
    pub order_type_id: Option<String>,
    pub transaction_status: Option<String>,
    /// `BillDetail01` as JSON text, whatever its shape (null: none).
    pub bill_detail: Option<String>,
}

impl From<Map<String, Value>> for OrderRequest {
    fn from(map: Map<String, Value>) -> Self {
        let props = Props(&map);
        let text = |name: &str| props.text(name);
        OrderRequest {
            order_number: text("OrderNumber"),
            order_amount: text("OrderAmount"),
            order_due_date: text("OrderDueDate"),
            order_type: text("OrderType"),
            issue_date: text("IssueDate"),
            order_expire_after_seconds: text("OrderExpireAfterSeconds"),
            customer_name: text("CustomerName"),
            customer_mobile: text("CustomerMobile"),
            customer_email: text("CustomerEmail"),
            customer_address: text("CustomerAddress"),
            customer_bank: text("CustomerBank"),
            order_amount_within_due_date: text("OrderAmountWithinDueDate"),
            order_amount_after_due_date: text("OrderAmountAfterDueDate"),
            order_type_id: text("OrderTypeId"),
            transaction_status: text("TransactionStatus"),
            bill_detail: props
                .get("BillDetail01")
                .filter(|v| !v.is_null())
                .map(Value::to_string),
        }
    }
}

/// One consumer of `cc`/`cmc`/`uc`/`umc` (8.0 to 11.0).
#[derive(Debug, Deserialize)]
#[serde(from = "Map<String, Value>")]
pub struct ConsumerRequest {
    pub consumer_id: Field,
    pub name: Field,
    pub mobile: Field,
    pub email: Field,
    pub address: Field,
}

impl From<Map<String, Value>> for ConsumerRequest {
    fn from(map: Map<String, Value>) -> Self {
        let props = Props(&map);
        ConsumerRequest {
            consumer_id: Field::of(&props, "ConsumerID"),
            name: Field::of(&props, "Name"),
            mobile: Field::of(&props, "Mobile"),
            email: Field::of(&props, "Email"),
            address: Field::of(&props, "Address"),
        }
    }
}

/// `csvOrders` of `moap`/`moab`/`mofr` (4.0 to 6.0).
#[derive(Debug, Deserialize)]
#[serde(from = "Map<String, Value>")]
pub struct CsvOrders {
    pub username: Option<String>,
    pub password: Option<String>,
    pub csv_order_numbers: Option<String>,
}

impl From<Map<String, Value>> for CsvOrders {
    fn from(map: Map<String, Value>) -> Self {
        let props = Props(&map);
        CsvOrders {
            username: props.text("Username"),
            password: props.text("Password"),
            csv_order_numbers: props.text("CsvOrderNumbers"),
        }
    }
}

// ---- Answer bodies. ----

/// One created order of `co`/`cmo`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedOrder {
    #[serde(rename = "Description")]
    pub description: String,
    #[serde(rename = "OrderAmount")]
    pub order_amount: String,
    #[serde(rename = "ConnectPayFee")]
    pub connectpay_fee: String,
    #[serde(rename = "ConnectPayId")]
    pub connectpay_id: String,
    #[serde(rename = "OrderNumber")]
    pub order_number: String,
    /// `True` or `False`.
    #[serde(rename = "IsFeeApplied")]
    pub is_fee_applied: &'static str,
    #[serde(rename = "Click2Pay")]
    pub click2pay: String,
}

/// One failing order of `cmo`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrderFailure {
    #[serde(rename = "OrderNumber")]
    pub order_number: String,
    #[serde(rename = "Description")]
    pub description: String,
}

/// One failing consumer of `cmc`/`umc`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ConsumerFailure {
    #[serde(rename = "ConsumerID")]
    pub consumer_id: String,
    #[serde(rename = "Description")]
    pub description: String,
}

/// One created consumer of `cc` (a JSON number) or `cmc` (text).
#[derive(Serialize)]
pub struct CreatedConsumer<N> {
    #[serde(rename = "FullConsumerCode")]
    pub full_consumer_code: String,
    #[serde(rename = "Description")]
    pub description: String,
    #[serde(rename = "ConsumerNumber")]
    pub consumer_number: N,
}

/// One updated consumer of `uc`/`umc`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UpdatedConsumer {
    #[serde(rename = "Description")]
    pub description: String,
    #[serde(rename = "ConsumerID")]
    pub consumer_id: String,
}

/// Element 0 of `gcd`'s answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FetchedStatus {
    #[serde(rename = "Description")]
    pub description: &'static str,
    #[serde(rename = "Status")]
    pub status: &'static str,
}

/// The consumer of `gcd`'s answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ConsumerData {
    #[serde(rename = "FullConsumerCode")]
    pub full_consumer_code: String,
    #[serde(rename = "CreatedOn")]
    pub created_on: String,
    #[serde(rename = "Email")]
    pub email: String,
    #[serde(rename = "ConsumerCode")]
    pub consumer_code: String,
    #[serde(rename = "Address")]
    pub address: String,
    #[serde(rename = "Mobile")]
    pub mobile: String,
    #[serde(rename = "CompanyCode")]
    pub company_code: String,
    #[serde(rename = "Name")]
    pub name: String,
}

/// An order a change was refused for: `Not Found` (no ConnectPayId) or its status.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RefusedOrder {
    #[serde(rename = "OrderNumber")]
    pub order_number: String,
    #[serde(rename = "OrderStatus")]
    pub order_status: String,
    #[serde(rename = "ConnectPayId", skip_serializing_if = "Option::is_none")]
    pub connectpay_id: Option<String>,
}

/// `gos`'s query (7.0), besides the credentials.
pub struct StatusQuery {
    pub cpay_id: Option<String>,
}

/// `gpojson`'s query (3.0), besides the credentials.
pub struct PaidOrdersQuery {
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// `gcd`'s query (12.0), besides the credentials.
pub struct ConsumerQuery {
    pub full_consumer_code: Option<String>,
}
