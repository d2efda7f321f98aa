//! Jaze's OpenAPI description: the eight endpoints S1–S8, each bare and with each leading run
//! of its path parameters (the rest may come from the query), GET and POST alike, behind HTTP
//! Basic (API token : API key). Failures are `{"status":"failure","errorCode","message"}`
//! with HTTP 200, but for a 401 which is sent with HTTP 401.

use super::endpoints::Endpoint;
use super::wire;
use crate::providers::endpoint::Endpoint as _;
use crate::providers::openapi::{
    self, Description, Operation, json_response, query, reference, typed,
};
use serde_json::{Map, Value, json};

pub fn description() -> Value {
    let mut schemas = Map::new();
    schemas.insert("Failure".into(), failure_schema());
    schemas.insert(
        "PaymentIds".into(),
        json!({
            "type": "object",
            "description": "S1: each payment id as key and value, `{\"300\":300}`",
            "additionalProperties": {"type": "integer"},
        }),
    );
    let customer = typed::<wire::Customer>(&mut schemas, "Customer");
    let payment = typed::<wire::PaymentEntry>(&mut schemas, "PaymentEntry");
    let invoice = typed::<wire::PaymentInvoiceEntry>(&mut schemas, "PaymentInvoiceEntry");
    let cheque = typed::<wire::ChequeEntry>(&mut schemas, "ChequeEntry");
    schemas.insert(
        "UserDetails".into(),
        json!({
            "type": "array",
            "description": "S2, S4: `[{customerNumber}, [Payment...], [[PaymentInvoice...]...], \
                            [[[PaymentInfoCheque...]]...]]`",
            "prefixItems": [
                customer,
                {"type": "array", "items": payment},
                {"type": "array", "items": {"type": "array", "items": invoice}},
                {"type": "array", "items": {"type": "array", "prefixItems": [
                    {"type": "array", "items": cheque},
                ]}},
            ],
            "minItems": 4,
            "maxItems": 4,
        }),
    );
    let user_payment = typed::<wire::UserPayment>(&mut schemas, "UserPayment");
    let by_date = json!({"type": "array", "items": {"type": "array", "items": user_payment}});
    let log = typed::<wire::ExternalPaymentEntry>(&mut schemas, "ExternalPaymentEntry");
    let logs = json!({"type": "array", "items": log});
    let receipt = typed::<wire::ReceiptUrl>(&mut schemas, "ReceiptUrl");

    let mut operations = Vec::new();
    for endpoint in Endpoint::ALL.iter().copied() {
        let (summary, success, sample) = match endpoint {
            Endpoint::PaymentIds => (
                "S1 Get all payment ids",
                reference("PaymentIds"),
                json!({"300": 300, "301": 301, "302": 302}),
            ),
            Endpoint::Details => (
                "S2 Get payment details",
                reference("UserDetails"),
                s2_sample(),
            ),
            Endpoint::DetailsByDate => (
                "S3 Get payment details by date",
                by_date.clone(),
                json!([[{"customer_number": "1", "user_id": "1", "payment_id": 200, "amount": "115.0000000000", "payment_date": "2016-09-08 19:23:04.693+05:30", "invoices": [{"invoice_id": 100}], "payment_type": "Payment gateway"}]]),
            ),
            Endpoint::DetailsByUserAndDate => (
                "S4 Get payment details by userId and date",
                reference("UserDetails"),
                s2_sample(),
            ),
            Endpoint::Logs => ("S5 Get payment logs", logs.clone(), logs_sample()),
            Endpoint::LogsByDate => ("S6 Get payment logs by date", logs.clone(), logs_sample()),
            Endpoint::LogsByUserAndDate => (
                "S7 Get payment logs by userId and date",
                logs.clone(),
                logs_sample(),
            ),
            Endpoint::Receipt => (
                "S8 Get payment receipt",
                receipt.clone(),
                json!({"status": "success", "errorCode": 200, "message": "http://localhost:8080/jaze/receipts/token.pdf"}),
            ),
        };
        for path in endpoint.paths() {
            // The parameters the path does not carry may come from the query.
            let parameters = endpoint
                .parameters()
                .filter(|p| !path.contains(&format!("{{{p}}}")))
                .map(|p| query(p, false, "When not in the path"))
                .collect();
            operations.push(Operation {
                endpoint: endpoint.name(),
                summary,
                paths: vec![path],
                methods: &["get", "post"],
                outcomes: endpoint.outcomes(),
                parameters,
                request_body: None,
                responses: json!({
                    "200": json_response(
                        "The answer, or the failure envelope with its errorCode (400, 404, 500)",
                        json!({"anyOf": [success, reference("Failure")]}),
                        &[("sample", sample.clone()), ("failure", json!({"status": "failure", "errorCode": 404, "message": "User not found"}))],
                    ),
                    "401": json_response(
                        "API token or key missing or wrong",
                        reference("Failure"),
                        &[("unauthorized", json!({"status": "failure", "errorCode": 401, "message": "Unauthorized"}))],
                    ),
                    "default": json_response(
                        "A request that reached no endpoint",
                        reference("Failure"),
                        &[],
                    ),
                }),
            });
        }
    }
    openapi::document(
        "jaze",
        Description {
            title: "Jaze payment details (paysandbox)",
            description: "Jaze's payment details API as the sandbox serves it: HTTP Basic with \
                          the API token as user name and the API key as password.",
            operations,
            schemas,
            security: Some((
                json!({"basic": {"type": "http", "scheme": "basic",
                                 "description": "API token : API key"}}),
                json!([{"basic": []}]),
            )),
        },
    )
}

fn failure_schema() -> Value {
    json!({
        "type": "object",
        "required": ["status", "errorCode", "message"],
        "properties": {
            "status": {"const": "failure"},
            "errorCode": {"type": "integer"},
            "message": {"type": "string"},
        },
    })
}

fn s2_sample() -> Value {
    json!([
        {"customerNumber": "2"},
        [{"Payment": {"id": 7400, "amount": "50.0000000000", "create_datetime": "2016-03-23 12:06:03.156+05:30"}}],
        [[{"PaymentInvoice": {"payment_id": 7400, "invoice_id": 14700}}]],
        [[[{"PaymentInfoCheque": {"payment_id": 7400, "bank": "HDFC"}}]]],
    ])
}

fn logs_sample() -> Value {
    json!([{"ExternalPayment": {
        "merchantTxnId": "56eddfdf3355d71458219261",
        "gateway_txn_id": "2534341604",
        "details": "{\"txn_status\":\"0300\",\"txn_msg\":\"success\"}",
        "number": "INR",
        "operator": "techprocess",
    }}])
}
