//! Chillr mass collect's OpenAPI description: its two `POST` endpoints, their JSON or form
//! bodies, the success envelope of [`wire`] and the failure envelope (HTTP 200 either way),
//! with the document's samples as examples.

use super::endpoints::Endpoint;
use super::wire::{self, Accepted, BatchStatus};
use crate::providers::endpoint::Endpoint as _;
use crate::providers::openapi::{
    self, Collection, Description, Operation, Sample, SampleBody, default_fixture, json_response,
    reference, typed,
};
use serde_json::{Map, Value, json};

pub fn description() -> Value {
    let mut schemas = Map::new();
    // A generic's `schemas()` leaves out its parameter's: named here.
    typed::<Accepted>(&mut schemas, "Accepted");
    typed::<BatchStatus>(&mut schemas, "BatchStatus");
    let accepted = typed::<wire::Success<Accepted>>(&mut schemas, "CollectAccepted");
    let status = typed::<wire::Success<BatchStatus>>(&mut schemas, "BatchStatusAnswer");
    schemas.insert("Failure".into(), failure_schema());
    schemas.insert("CollectRequest".into(), collect_request());
    schemas.insert("StatusRequest".into(), status_request());
    let operations = Endpoint::ALL
        .iter()
        .map(|endpoint| {
            let (summary, path, request, success) = match endpoint {
                Endpoint::Collect => (
                    "Create batch",
                    "/api/v5/collect",
                    ("CollectRequest", collect_sample()),
                    json_response(
                        "Accepted, or the failure envelope (always HTTP 200)",
                        json!({"anyOf": [accepted.clone(), reference("Failure")]}),
                        &[("sample", collect_answer()), ("failure", failure_sample())],
                    ),
                ),
                Endpoint::CheckCollectStatus => (
                    "Status check API",
                    "/api/v5/check_collect_status",
                    ("StatusRequest", status_sample()),
                    json_response(
                        "The batch's status, or the failure envelope (always HTTP 200)",
                        json!({"anyOf": [status.clone(), reference("Failure")]}),
                        &[("failure", failure_sample())],
                    ),
                ),
            };
            Operation {
                endpoint: endpoint.name(),
                summary,
                paths: vec![path],
                methods: &["post"],
                outcomes: endpoint.outcomes(),
                parameters: vec![],
                request_body: Some(request_body(request.0, request.1)),
                responses: json!({ "200": success, "default": http_error() }),
            }
        })
        .collect();
    openapi::document(
        "chillr",
        Description {
            title: "Chillr mass collect (paysandbox)",
            description: "Chillr's mass collect API as the sandbox serves it: every answer is \
                          HTTP 200 with `status` and `status_code`; requests that reach no \
                          endpoint get the failure envelope with their HTTP status.",
            operations,
            schemas,
            security: None,
            samples: samples(),
            collection: collection(),
        },
    )
}

/// A JSON body (the document's), or the same fields as a form with `customers` as JSON text.
fn request_body(schema: &str, sample: Value) -> Value {
    json!({
        "required": true,
        "content": {
            "application/json": {
                "schema": reference(schema),
                "examples": {"sample": {"value": sample}},
            },
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    })
}

fn collect_request() -> Value {
    json!({
        "type": "object",
        "required": ["api_key", "api_secret_key", "name", "expiry_date", "customers"],
        "properties": {
            "api_key": {"type": "string"},
            "api_secret_key": {"type": "string"},
            "name": {"type": "string", "description": "The batch's name"},
            "expiry_date": {"type": "string", "description": "dd-mm-yyyy"},
            "customers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["msisdn", "amount"],
                    "properties": {
                        "msisdn": {"type": "string", "description": "10-digit mobile number"},
                        "amount": {"type": "string", "description": "Rupees, e.g. \"200\""},
                    },
                },
            },
        },
    })
}

fn status_request() -> Value {
    json!({
        "type": "object",
        "required": ["api_key", "api_secret_key", "batch_id"],
        "properties": {
            "api_key": {"type": "string"},
            "api_secret_key": {"type": "string"},
            "batch_id": {"type": "string"},
        },
    })
}

fn failure_schema() -> Value {
    json!({
        "type": "object",
        "description": "Chillr's failure envelope; `data.reason` lists the invalid \
                        parameters of a status_code 58",
        "required": ["status", "status_code", "message"],
        "properties": {
            "status": {"const": "failure"},
            "status_code": {"type": "integer"},
            "message": {"type": "string"},
            "data": {
                "type": "object",
                "properties": {"reason": {"type": "array", "items": {"type": "string"}}},
            },
        },
    })
}

/// A request that reaches no endpoint (404, 405, 413): the failure envelope.
fn http_error() -> Value {
    json_response(
        "A request that reached no endpoint",
        reference("Failure"),
        &[],
    )
}

fn collect_sample() -> Value {
    json!({
        "api_key": "5695d71a6368690df2030000",
        "api_secret_key": "f333884a36ccfc54787e6d96eac5e3d3",
        "name": "Electricity bill",
        "expiry_date": "27-05-2016",
        "customers": [
            {"msisdn": "9447741462", "amount": "200"},
            {"msisdn": "9633789451", "amount": "600"},
        ],
    })
}

fn collect_answer() -> Value {
    json!({
        "status": "success",
        "status_code": 0,
        "message": "Collect batch creation accepted",
        "data": {"batch_id": "5743fcb263686923fc0d0000", "non_chillr_customers": ["9633789451"]},
    })
}

fn status_sample() -> Value {
    json!({
        "api_key": "5695d71a6368690df2030000",
        "api_secret_key": "f333884a36ccfc54787e6d96eac5e3d3",
        "batch_id": "5743fcb263686923fc0d0000",
    })
}

fn failure_sample() -> Value {
    json!({
        "status": "failure",
        "status_code": 58,
        "message": "Failed to create batch",
        "data": {"reason": ["customer 1 : invalid amount"]},
    })
}

/// The document's samples, with the default merchant's credentials; the batch expires in
/// 2099 (the sample's date is long past) and the status asked is the default fixtures'.
fn samples() -> Vec<Sample> {
    let mut collect = collect_sample();
    collect["api_key"] = json!("{{chillr_api_key}}");
    collect["api_secret_key"] = json!("{{chillr_api_secret_key}}");
    collect["expiry_date"] = json!("27-05-2099");
    let mut status = status_sample();
    status["api_key"] = json!("{{chillr_api_key}}");
    status["api_secret_key"] = json!("{{chillr_api_secret_key}}");
    let success = || vec![("/status", json!("success")), ("/status_code", json!(0))];
    vec![
        Sample {
            name: "Create batch",
            method: "post",
            path: "/api/v5/collect",
            query: vec![],
            body: SampleBody::Json(collect),
            success: success(),
            keep: vec![("chillr_batch_id", "/data/batch_id")],
            status: 200,
            fresh: vec![],
        },
        Sample {
            name: "Status check API",
            method: "post",
            path: "/api/v5/check_collect_status",
            query: vec![],
            body: SampleBody::Json(status),
            success: success(),
            keep: vec![],
            status: 200,
            fresh: vec![],
        },
    ]
}

fn collection() -> Collection {
    Collection {
        variables: vec![
            (
                "chillr_api_key",
                default_fixture("/chillr/merchants/0/api_key"),
            ),
            (
                "chillr_api_secret_key",
                default_fixture("/chillr/merchants/0/api_secret_key"),
            ),
        ],
        ..Collection::default()
    }
}
