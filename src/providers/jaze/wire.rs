//! Jaze's answers as the document shows them (serde; fields in the document's key order).
//! Failures are in `errors.rs`.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

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

#[derive(Debug, Serialize)]
pub struct Customer {
    #[serde(rename = "customerNumber")]
    pub customer_number: String,
}

#[derive(Debug, Serialize)]
pub struct PaymentEntry {
    #[serde(rename = "Payment")]
    pub payment: Payment,
}

#[derive(Debug, Serialize)]
pub struct Payment {
    pub id: i64,
    pub amount: String,
    pub create_datetime: String,
}

#[derive(Debug, Serialize)]
pub struct PaymentInvoiceEntry {
    #[serde(rename = "PaymentInvoice")]
    pub payment_invoice: PaymentInvoice,
}

#[derive(Debug, Serialize)]
pub struct PaymentInvoice {
    pub payment_id: i64,
    pub invoice_id: i64,
}

/// A payment without a bank (a gateway payment, unless one was given) has none.
#[derive(Debug, Serialize)]
pub struct ChequeEntry {
    #[serde(rename = "PaymentInfoCheque")]
    pub payment_info_cheque: PaymentInfoCheque,
}

#[derive(Debug, Serialize)]
pub struct PaymentInfoCheque {
    pub payment_id: i64,
    pub bank: String,
}

/// S3: one array per user with a payment in the range, ascending user id.
pub type DetailsByDate = Vec<Vec<UserPayment>>;

#[derive(Debug, Serialize)]
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

#[derive(Debug, Serialize)]
pub struct InvoiceId {
    pub invoice_id: i64,
}

/// S5–S7: `[{"ExternalPayment":{…}}]`.
pub type Logs = Vec<ExternalPaymentEntry>;

#[derive(Debug, Serialize)]
pub struct ExternalPaymentEntry {
    #[serde(rename = "ExternalPayment")]
    pub external_payment: ExternalPayment,
}

#[derive(Debug, Serialize)]
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
#[derive(Debug, Serialize)]
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
