//! Jaze's answers as the document shows them (serde; fields in the document's key order).
//! Failures are in `errors.rs`. Also the records fixtures and the control plane give
//! (users, invoices, payments with the invoices they pay and, for gateway payments, the
//! external payment log): one shape serves both; `api_token` names the ISP account
//! (`account` in control-plane bodies), and may be left out when there is only one account.

use crate::money::Amount;
use chrono::{DateTime, NaiveDate, Utc};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// S1: `{"300":300,"301":301}`, ascending by id.
#[derive(Debug)]
pub struct PaymentIds(pub Vec<i64>);

impl Serialize for PaymentIds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for id in &self.0 {
            map.serialize_entry(&id.to_string(), id)?;
        }
        map.end()
    }
}

/// S2 and S4: `[{"customerNumber"}, [Payment…], [[PaymentInvoice…]…], [[[PaymentInfoCheque…]]…]]`;
/// the last two hold one entry per payment, so each payment keeps its index.
#[derive(Debug, Serialize)]
pub struct UserDetails(
    pub Customer,
    pub Vec<PaymentEntry>,
    pub Vec<Vec<PaymentInvoiceEntry>>,
    pub Vec<(Vec<ChequeEntry>,)>,
);

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Customer {
    #[serde(rename = "customerNumber")]
    pub customer_number: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentEntry {
    #[serde(rename = "Payment")]
    pub payment: Payment,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Payment {
    pub id: i64,
    pub amount: String,
    pub create_datetime: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentInvoiceEntry {
    #[serde(rename = "PaymentInvoice")]
    pub payment_invoice: PaymentInvoice,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentInvoice {
    pub payment_id: i64,
    pub invoice_id: i64,
}

/// A payment without a bank (a gateway payment, unless one was given) has none.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChequeEntry {
    #[serde(rename = "PaymentInfoCheque")]
    pub payment_info_cheque: PaymentInfoCheque,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentInfoCheque {
    pub payment_id: i64,
    pub bank: String,
}

/// S3: one array per user with a payment in the range, ascending user id.
pub type DetailsByDate = Vec<Vec<UserPayment>>;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserPayment {
    pub customer_number: String,
    /// A string here, unlike everywhere else.
    pub user_id: String,
    pub payment_id: i64,
    pub amount: String,
    pub payment_date: String,
    pub invoices: Vec<InvoiceId>,
    pub payment_type: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvoiceId {
    pub invoice_id: i64,
}

/// S5–S7: `[{"ExternalPayment":{…}}]`.
pub type Logs = Vec<ExternalPaymentEntry>;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExternalPaymentEntry {
    #[serde(rename = "ExternalPayment")]
    pub external_payment: ExternalPayment,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExternalPayment {
    #[serde(rename = "merchantTxnId")]
    pub merchant_txn_id: String,
    pub gateway_txn_id: String,
    pub details: String,
    /// The currency, under the document's name.
    pub number: String,
    pub operator: String,
}

/// S8: `{"status":"success","errorCode":200,"message":"http://<host>/jaze/receipts/<token>.pdf"}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReceiptUrl {
    pub status: &'static str,
    #[serde(rename = "errorCode")]
    pub error_code: u16,
    pub message: String,
}

impl ReceiptUrl {
    pub fn new(url: String) -> Self {
        ReceiptUrl {
            status: "success",
            error_code: 200,
            message: url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_keep_the_documents_key_order() {
        let ids = serde_json::to_string(&PaymentIds(vec![300, 301])).unwrap();
        assert_eq!(ids, r#"{"300":300,"301":301}"#);
        let details = UserDetails(
            Customer {
                customer_number: "2".into(),
            },
            vec![],
            vec![vec![]],
            vec![(vec![],)],
        );
        assert_eq!(
            serde_json::to_string(&details).unwrap(),
            r#"[{"customerNumber":"2"},[],[[]],[[[]]]]"#
        );
    }
}

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

/// Every user, invoice and payment record, in that order.
pub type Records = (Vec<UserRecord>, Vec<InvoiceRecord>, Vec<PaymentRecord>);
