//! PayPro ConnectPay's OpenAPI description: its twelve endpoints under `/cpay/`, each on GET
//! and POST, their inputs where the document puts them (`oJson`/`csvOrders` or the
//! credentials and query fields, in the query, a form, a multipart file or the raw body) and
//! the answer array `[{"Status"}, items...]` with the items of [`wire`], HTTP 200 always.

use super::endpoints::Endpoint;
use super::openapi_samples;
use super::wire;
use crate::providers::endpoint::Endpoint as _;
use crate::providers::openapi::{
    self, Description, Operation, json_response, query, reference, typed,
};
use serde_json::{Map, Value, json};

pub fn description() -> Value {
    let mut schemas = Map::new();
    schemas.insert(
        "StatusHead".into(),
        json!({
            "type": "object", "required": ["Status"],
            "description": "Element 0: `Status` 00 success, 01-04 per the endpoint's table",
            "properties": {"Status": {"type": "string"}, "Description": {"type": "string"}},
        }),
    );
    schemas.insert(
        "DescriptionItem".into(),
        json!({"type": "object", "required": ["Description"],
               "properties": {"Description": {"type": "string"}}}),
    );
    schemas.insert(
        "CreatedConsumer".into(),
        json!({
            "type": "object",
            "required": ["FullConsumerCode", "Description", "ConsumerNumber"],
            "properties": {
                "FullConsumerCode": {"type": "string"},
                "Description": {"type": "string"},
                "ConsumerNumber": {
                    "type": ["integer", "string"],
                    "description": "A JSON number from cc, text from cmc",
                },
            },
        }),
    );
    let created = typed::<wire::CreatedOrder>(&mut schemas, "CreatedOrder");
    let order_failure = typed::<wire::OrderFailure>(&mut schemas, "OrderFailure");
    let refused = typed::<wire::RefusedOrder>(&mut schemas, "RefusedOrder");
    let paid = typed::<wire::PaidOrder>(&mut schemas, "PaidOrder");
    let status = typed::<wire::StatusItem>(&mut schemas, "StatusItem");
    let consumer_failure = typed::<wire::ConsumerFailure>(&mut schemas, "ConsumerFailure");
    let updated = typed::<wire::UpdatedConsumer>(&mut schemas, "UpdatedConsumer");
    typed::<wire::FetchedStatus>(&mut schemas, "FetchedStatus");
    let data = typed::<wire::ConsumerData>(&mut schemas, "ConsumerData");
    let consumer_created = reference("CreatedConsumer");

    let operations = Endpoint::ALL
        .iter()
        .map(|endpoint| {
            let (summary, inputs, items, sample): (_, Inputs, Vec<Value>, Value) = match endpoint {
                Endpoint::Co => (
                    "1.0 Single Order Creation",
                    Inputs::Payload("oJson"),
                    vec![created.clone()],
                    json!([{"Status": "00"}, {"Description": "Order number OpenCart115319 created successfully", "OrderAmount": "4400", "ConnectPayFee": "0", "ConnectPayId": "00332007400001", "OrderNumber": "OpenCart115319", "IsFeeApplied": "False", "Click2Pay": "http://localhost:8080/paypro/click2pay?cpayId=00332007400001"}]),
                ),
                Endpoint::Cmo => (
                    "2.0 Multiple Order Creation",
                    Inputs::Payload("oJson"),
                    vec![created.clone(), order_failure.clone()],
                    json!([{"Status": "01"}, {"OrderNumber": "PayPro1022", "Description": "Order Already Exist"}]),
                ),
                Endpoint::Gpojson => (
                    "3.0 Get Paid Orders",
                    Inputs::Query(&["userName", "password", "startDate", "endDate"]),
                    vec![paid.clone()],
                    json!([{"Status": "00"}, {"Order Number": "HR-100013", "Customer Email": "abcd@paypro.com.pk", "Issue Date": "2018-12-30T00:00:00", "Customer Mobile": "03123456789", "Order Amount": 45050, "Date Created": "2018-12-27T15:04:25.923", "Order Due Date": "2018-12-20T00:00:00", "Customer Address": "ABCD Street", "Date Paid": "2019-01-01T00:00:00", "ConnectPay Id": "00391836100002", "Amount Paid": 45050}]),
                ),
                Endpoint::Moap | Endpoint::Moab | Endpoint::Mofr => (
                    match endpoint {
                        Endpoint::Moap => "4.0 Mark Order As Paid",
                        Endpoint::Moab => "5.0 Mark Order As Blocked",
                        _ => "6.0 Mark Order For Refund",
                    },
                    Inputs::Payload("csvOrders"),
                    vec![refused.clone()],
                    json!([{"Status": "00"}]),
                ),
                Endpoint::Gos => (
                    "7.0 Get Order Status",
                    Inputs::Query(&["userName", "password", "cpayId"]),
                    vec![status.clone()],
                    json!([{"Status": "00"}, {"OrderStatus": "Blocked", "OrderAmountPaid": 0.0, "DatePaid": null, "OrderNumber": "OpenCart115322"}]),
                ),
                Endpoint::Cc | Endpoint::Cmc => (
                    if *endpoint == Endpoint::Cc { "8.0 Add Consumer" } else { "9.0 Add Multiple Consumer" },
                    Inputs::Payload("oJson"),
                    vec![consumer_created.clone(), consumer_failure.clone()],
                    json!([{"Status": "00"}, {"FullConsumerCode": "0040123456780", "Description": "Consumer number created successfully", "ConsumerNumber": 123456780}]),
                ),
                Endpoint::Uc | Endpoint::Umc => (
                    if *endpoint == Endpoint::Uc { "10.0 Update Consumer" } else { "11.0 Update Multiple Consumers" },
                    Inputs::Payload("oJson"),
                    vec![updated.clone(), consumer_failure.clone()],
                    json!([{"Status": "00"}, {"Description": "ConsumerID 0040123456780 updated successfully", "ConsumerID": "0040123456780"}]),
                ),
                Endpoint::Gcd => (
                    "12.0 Get Consumer Data",
                    Inputs::Query(&["userName", "password", "fullConsumerCode"]),
                    vec![data.clone()],
                    json!([{"Description": "Record fetched successfully", "Status": "00"}, {"FullConsumerCode": "00441234567", "CreatedOn": "2020-06-10T10:17:45.247", "Email": "abcd@paypro.com.pk", "ConsumerCode": "1234567", "Address": "ABCD", "Mobile": "03123456789", "CompanyCode": "0044", "Name": "User"}]),
                ),
            };
            let answer = json_response(
                "`[{\"Status\"}, items...]`: the items on success, `{\"Description\"}` on a \
                 failure (HTTP 200 either way)",
                answer_array(items),
                &[("sample", sample), ("failure", failure_sample())],
            );
            let path = match endpoint.routes().first() {
                Some((path, _)) => *path,
                None => "/cpay",
            };
            Operation {
                endpoint: endpoint.name(),
                summary,
                paths: vec![path],
                methods: &["get", "post"],
                outcomes: endpoint.outcomes(),
                parameters: inputs.parameters(),
                request_body: Some(inputs.body()),
                responses: json!({
                    "200": answer,
                    "default": json_response(
                        "A request that reached no endpoint: PayPro's failure array",
                        answer_array(vec![]),
                        &[],
                    ),
                }),
            }
        })
        .collect();
    openapi::document(
        "paypro",
        Description {
            title: "PayPro ConnectPay (paysandbox)",
            description: "PayPro's ConnectPay API as the sandbox serves it. The merchant's \
                          credentials travel inside `oJson` (element 0: MerchantId, \
                          MerchantPassword), inside `csvOrders` (Username, Password) or as \
                          `userName`/`password` fields; every answer is HTTP 200.",
            operations,
            schemas,
            security: None,
            samples: openapi_samples::samples(),
            collection: openapi_samples::collection(),
        },
    )
}

/// Where an endpoint's inputs are: one JSON payload field, or plain fields.
enum Inputs {
    Payload(&'static str),
    Query(&'static [&'static str]),
}

impl Inputs {
    fn names(&self) -> Vec<&'static str> {
        match self {
            Inputs::Payload(name) => vec![name],
            Inputs::Query(names) => names.to_vec(),
        }
    }

    /// The document passes them in the query string (optional: a body may carry them).
    fn parameters(&self) -> Vec<Value> {
        self.names()
            .into_iter()
            .map(|name| match self {
                Inputs::Payload(_) => query(name, false, "The JSON payload as text"),
                Inputs::Query(_) => query(name, false, ""),
            })
            .collect()
    }

    /// The same fields as a form or a multipart upload; a payload also as the raw JSON body.
    fn body(&self) -> Value {
        let fields: Map<String, Value> = self
            .names()
            .into_iter()
            .map(|name| (name.to_string(), json!({"type": "string"})))
            .collect();
        let form = json!({"type": "object", "properties": fields});
        let mut content = json!({
            "application/x-www-form-urlencoded": {"schema": form},
            "multipart/form-data": {"schema": form},
        });
        if let Inputs::Payload(name) = self {
            content["application/json"] = json!({
                "schema": {"description": format!("The `{name}` payload itself")},
            });
        }
        json!({"required": false, "content": content})
    }
}

/// `[{"Status"}, items...]`. (Element 0 is told apart by description only: schemathesis reads
/// no `prefixItems`.)
fn answer_array(mut items: Vec<Value>) -> Value {
    items.insert(0, reference("StatusHead"));
    items.push(reference("DescriptionItem"));
    json!({
        "type": "array",
        "minItems": 1,
        "items": {"anyOf": items},
    })
}

fn failure_sample() -> Value {
    json!([{"Status": "01"}, {"Description": "Invalid Data. Username or password is invalid"}])
}
