//! Jaze's OpenAPI description: the eight endpoints S1–S8, each bare and with each leading run
//! of its path parameters (the rest may come from the query), GET and POST alike, behind HTTP
//! Basic (API token : API key). Failures are `{"status":"failure","errorCode","message"}`
//! with HTTP 200, but for a 401 which is sent with HTTP 401.

use super::endpoints::Endpoint;
use super::wire;
use crate::providers::endpoint::Endpoint as _;
use crate::providers::openapi::{
    self, Collection, Description, Operation, Sample, SampleBody, default_fixture, json_response,
    query, reference, typed,
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
            // Element by element as `prefixItems` would, but schemathesis reads none.
            "items": {"anyOf": [
                customer,
                {"type": "array", "items": payment},
                {"type": "array", "items": {"type": "array", "items": invoice}},
                {"type": "array", "items": {"type": "array", "items":
                    {"type": "array", "items": cheque},
                }},
            ]},
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
            samples: samples(),
            collection: collection(),
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

/// The document's samples S1–S8 on the default fixtures' users 1 and 2.
fn samples() -> Vec<Sample> {
    let get = |name, path, success: Vec<(&'static str, Value)>| Sample {
        name,
        method: "get",
        path,
        query: vec![],
        body: SampleBody::None,
        success,
        keep: vec![],
        status: 200,
        fresh: vec![],
    };
    let log = (
        "/0/ExternalPayment/merchantTxnId",
        json!("56eddfdf3355d71458219261"),
    );
    vec![
        get(
            "S1 Get all payment ids",
            "/api/v1/get_all_payment_ids/2016-06-01/2016-06-07",
            vec![("/300", json!(300))],
        ),
        get(
            "S2 Get payment details",
            "/api/v1/get_payment_details/2",
            vec![("/0/customerNumber", json!("2"))],
        ),
        get(
            "S3 Get payment details by date",
            "/api/v1/get_payment_details_by_date/2016-09-01/2016-09-30",
            vec![("/0/0/user_id", json!("1"))],
        ),
        get(
            "S4 Get payment details by userId and date",
            "/api/v1/get_payment_details_by_userid_and_date/2/2016-03-01/2016-03-31",
            vec![("/0/customerNumber", json!("2"))],
        ),
        get(
            "S5 Get payment logs",
            "/api/v1/get_payment_logs/1",
            vec![log.clone()],
        ),
        Sample {
            query: vec![
                ("fromDate", "2016-09-08".to_string()),
                ("toDate", "2016-09-08".to_string()),
            ],
            ..get(
                "S6 Get payment logs by date",
                "/api/v1/get_payment_logs_by_date",
                vec![log.clone()],
            )
        },
        get(
            "S7 Get payment logs by userId and date",
            "/api/v1/get_payment_logs_by_userid_and_date/1/2016-09-01/2016-09-30",
            vec![log],
        ),
        get(
            "S8 Get payment receipt",
            "/api/v1/get_payment_receipt/2/7400",
            vec![("/status", json!("success")), ("/errorCode", json!(200))],
        ),
    ]
}

fn collection() -> Collection {
    Collection {
        variables: vec![
            (
                "jaze_api_token",
                default_fixture("/jaze/accounts/0/api_token"),
            ),
            ("jaze_api_key", default_fixture("/jaze/accounts/0/api_key")),
        ],
        basic_auth: Some(("{{jaze_api_token}}", "{{jaze_api_key}}")),
        ..Collection::default()
    }
}
