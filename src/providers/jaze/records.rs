//! Jaze records as fixtures and the control plane give them: users, invoices, payments (with
//! the invoices they pay and, for gateway payments, the external payment log). One shape
//! serves both: `api_token` names the ISP account (`account` in control-plane bodies), and may
//! be left out when there is only one account. Their SQL is in `store`.

use crate::db::DbError;
use crate::money::Amount;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserRecord {
    #[serde(default, alias = "account", skip_serializing_if = "Option::is_none")]
    pub api_token: Option<String>,
    pub user_id: i64,
    pub customer_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceRecord {
    #[serde(default, alias = "account", skip_serializing_if = "Option::is_none")]
    pub api_token: Option<String>,
    /// The next number of the account when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<i64>,
    pub user_id: i64,
    #[schema(value_type = String)]
    pub amount: Amount,
    /// `yyyy-mm-dd`; default: the sandbox clock's day in India.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Cash,
    Cheque,
    Gateway,
}

impl Method {
    pub fn stored(self) -> &'static str {
        match self {
            Method::Cash => "cash",
            Method::Cheque => "cheque",
            Method::Gateway => "gateway",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        match text {
            "cash" => Some(Method::Cash),
            "cheque" => Some(Method::Cheque),
            "gateway" => Some(Method::Gateway),
            _ => None,
        }
    }

    /// As the API names it: `Cash`, `Cheque`, `Payment gateway`.
    pub fn label(self) -> &'static str {
        match self {
            Method::Cash => "Cash",
            Method::Cheque => "Cheque",
            Method::Gateway => "Payment gateway",
        }
    }
}

/// The external payment log of a gateway payment.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayRecord {
    /// Default `techprocess-pay`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    #[serde(
        default,
        rename = "merchantTxnId",
        skip_serializing_if = "Option::is_none"
    )]
    pub merchant_txn_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_txn_id: Option<String>,
    /// A JSON document (object, or already a string), kept as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    /// The currency, `INR` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRecord {
    #[serde(default, alias = "account", skip_serializing_if = "Option::is_none")]
    pub api_token: Option<String>,
    /// The next number of the account when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<i64>,
    pub user_id: i64,
    #[schema(value_type = String)]
    pub amount: Amount,
    pub method: Method,
    /// The bank of the cheque record; `Cash` for cash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
    /// Default: now on the sandbox clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub invoice_ids: Vec<i64>,
    /// For gateway payments; ids and details are generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<GatewayRecord>,
    /// The receipt URL's secret; generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_token: Option<String>,
}

/// Why a record was refused: the field at fault and the problem.
#[derive(Debug)]
pub enum RecordError {
    Invalid(&'static str, String),
    Database(DbError),
}

impl From<DbError> for RecordError {
    fn from(error: DbError) -> Self {
        RecordError::Database(error)
    }
}

pub fn invalid(field: &'static str, message: impl Into<String>) -> RecordError {
    RecordError::Invalid(field, message.into())
}

/// 32 URL-safe characters from 24 random bytes.
pub fn new_receipt_token() -> String {
    let bytes: [u8; 24] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Every user, invoice and payment record, in that order.
pub type Records = (Vec<UserRecord>, Vec<InvoiceRecord>, Vec<PaymentRecord>);

/// A user as it is stored, judged outside the database.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub user_id: i64,
    pub customer_number: String,
    pub name: Option<String>,
}

/// An invoice as it is stored, judged outside the database; the next id when `None`.
#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub invoice_id: Option<i64>,
    /// Two decimals.
    pub amount: String,
    /// `yyyy-mm-dd`.
    pub date: String,
}

/// A payment as it is stored, judged and generated outside the database; the next id when
/// `payment_id` is `None`.
#[derive(Debug, Clone)]
pub struct NewPayment {
    pub payment_id: Option<i64>,
    /// Two decimals.
    pub amount: String,
    pub method: Method,
    pub bank: Option<String>,
    /// RFC 3339 UTC with milliseconds.
    pub created_at: String,
    pub receipt_token: String,
    pub invoice_ids: Vec<i64>,
    pub gateway: Option<NewGatewayLog>,
}

/// The external payment log of a gateway payment, as stored.
#[derive(Debug, Clone)]
pub struct NewGatewayLog {
    pub merchant_txn_id: String,
    pub gateway_txn_id: String,
    pub details: String,
    pub currency: String,
    pub operator: String,
}
