//! `GET /__sandbox/openapi/<provider>.json` describes each emulated API: every endpoint of
//! `Provider::endpoints()` under the provider's prefix and at its root alias, and every golden
//! case's answer is valid against the schema its path, method and status are described with.
//! (CI also runs openapi-spec-validator and schemathesis over them: `.ci/provider-api-check`.)

use crate::helpers::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::PathBuf;

async fn description(app: &TestApp, provider: &str) -> Value {
    let response = app
        .client
        .get(app.url(&format!("/__sandbox/openapi/{provider}.json")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{provider}");
    response.json().await.unwrap()
}

/// The described path a concrete path falls under: segment by segment, `{x}` takes any
/// non-empty segment.
fn template<'a>(doc: &'a Value, path: &str) -> Option<&'a str> {
    let concrete: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    doc["paths"]
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|t| {
            let parts: Vec<&str> = t.split('/').collect();
            parts.len() == concrete.len()
                && parts.iter().zip(&concrete).all(|(t, c)| {
                    *t == *c || (t.starts_with('{') && t.ends_with('}') && !c.is_empty())
                })
        })
}

/// The JSON Schema an answer is described with, its `$ref`s resolvable in the document.
fn answer_schema(doc: &Value, path: &str, method: &str, status: u16) -> Value {
    let responses = &doc["paths"][path][method]["responses"];
    let response = match responses.get(status.to_string()) {
        Some(response) => response,
        None => &responses["default"],
    };
    let mut schema = response["content"]["application/json"]["schema"].clone();
    assert!(
        schema.is_object(),
        "{method} {path} {status}: no JSON schema"
    );
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["components"] = doc["components"].clone();
    schema
}

#[tokio::test]
async fn every_endpoint_is_described_under_the_prefix_and_at_the_root() {
    let app = spawn_app().await;
    for provider in paysandbox::catalogue::providers().iter() {
        let name = provider.name();
        let doc = description(&app, name).await;
        assert_eq!(doc["openapi"], "3.1.0", "{name}");
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        for endpoint in provider.endpoints() {
            let names_it = |p: &&&String| p.split('/').any(|segment| segment == *endpoint);
            let prefixed = paths
                .iter()
                .filter(names_it)
                .filter(|p| p.starts_with(&format!("/{name}/")))
                .count();
            let root = paths
                .iter()
                .filter(names_it)
                .filter(|p| provider.owns_root_path(p))
                .count();
            assert!(
                prefixed > 0,
                "{name}: {endpoint} is not described under /{name}"
            );
            assert_eq!(prefixed, root, "{name}: {endpoint} at the root");
        }
        for path in &paths {
            for (method, operation) in doc["paths"][path.as_str()].as_object().unwrap() {
                assert!(
                    operation["responses"]["200"]["content"]["application/json"]["schema"]
                        .is_object(),
                    "{name}: {method} {path} has no described answer"
                );
            }
        }
    }
}

#[tokio::test]
async fn an_unknown_provider_is_a_json_404() {
    let app = spawn_app().await;
    for file in ["stripe.json", "chillr", "chillr.yaml"] {
        let response = app
            .client
            .get(app.url(&format!("/__sandbox/openapi/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{file}");
        let body: Value = response.json().await.unwrap();
        let error = body["error"].as_str().unwrap();
        assert!(
            error.contains(file) && error.contains("jaze.json"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn every_golden_answer_is_valid_against_its_described_schema() {
    let app = spawn_app().await;
    let mut checked = 0;
    for provider in paysandbox::catalogue::providers().iter() {
        let name = provider.name();
        let doc = description(&app, name).await;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(name);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let file = entry.unwrap().path();
            let case: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            let method = case["request"]["method"].as_str().unwrap().to_lowercase();
            let full = case["request"]["path"].as_str().unwrap();
            let path = full.split('?').next().unwrap();
            let described = template(&doc, path)
                .unwrap_or_else(|| panic!("{}: {path} is not described", file.display()));
            let status = case["expected"]["status"].as_u64().unwrap() as u16;
            let schema = answer_schema(&doc, described, &method, status);
            let validator = jsonschema::validator_for(&schema)
                .unwrap_or_else(|e| panic!("{described}: not a schema: {e}"));
            let body = &case["expected"]["body"];
            let errors: Vec<String> = validator
                .iter_errors(body)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{}: {method} {described} {status}: {errors:?}",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked} golden cases");
}

#[tokio::test]
async fn the_control_plane_document_lists_the_provider_descriptions() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(app.url("/__sandbox/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let operation = &doc["paths"]["/__sandbox/openapi/{file}"]["get"];
    assert_eq!(operation["operationId"], "provider_openapi");
}

#[tokio::test]
async fn the_chillr_actions_answer_typed_bodies() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(app.url("/__sandbox/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let schema = |path: &str, status: &str| {
        doc["paths"][path]["post"]["responses"][status]["content"]["application/json"]["schema"]
            ["$ref"]
            .clone()
    };
    assert_eq!(
        schema(
            "/__sandbox/chillr/batches/{batch_id}/customers/{msisdn}",
            "200"
        ),
        "#/components/schemas/BatchStatus"
    );
    assert_eq!(
        schema("/__sandbox/chillr/users", "201"),
        "#/components/schemas/Registered"
    );
    assert!(doc["components"]["schemas"]["BatchStatus"]["properties"]["customers"].is_object());
}

/// Every control-plane answer is described by its shape, except the documents that are
/// themselves free-form (descriptions, collections, schemas, the state as a fixture document).
#[tokio::test]
async fn every_control_plane_answer_has_a_typed_schema() {
    let app = spawn_app().await;
    let doc = app.get_json("/__sandbox/openapi.json").await;
    let free_form = [
        "/__sandbox/openapi.json",
        "/__sandbox/openapi/{file}",
        "/__sandbox/collections/{file}",
        "/__sandbox/fixtures/schema.json",
        "/__sandbox/state",
    ];
    let mut bare = Vec::new();
    let mut typed = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        if free_form.contains(&path.as_str()) {
            continue;
        }
        for (method, operation) in operations.as_object().unwrap() {
            let Some(responses) = operation["responses"].as_object() else {
                continue;
            };
            for (status, response) in responses {
                let schema = &response["content"]["application/json"]["schema"];
                if schema.is_null() {
                    continue;
                }
                let described = schema.get("$ref").is_some()
                    || schema.get("properties").is_some()
                    || schema.get("items").is_some()
                    || schema.get("oneOf").is_some()
                    || schema.get("allOf").is_some()
                    || schema["additionalProperties"].is_object()
                    || schema["type"] != "object";
                if described {
                    typed += 1;
                } else {
                    bare.push(format!("{method} {path} {status}"));
                }
            }
        }
    }
    assert!(
        bare.is_empty(),
        "answers described as a bare object: {bare:?}"
    );
    assert!(typed > 40, "only {typed} typed answers");
}
