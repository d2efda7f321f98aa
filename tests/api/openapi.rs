//! `GET /__sandbox/openapi.json` is a valid document of this configuration: unique operation
//! ids, parameters where they are sent, plain tags, and the admin token's scheme and 401
//! answers exactly when a token is configured. (CI also runs openapi-spec-validator and
//! schemathesis over it: `.ci/control-plane-check`.)

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::HashSet;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation: (path, method, operation).
fn operations(doc: &Value) -> Vec<(String, &'static str, &Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                all.push((path.clone(), method, operation));
            }
        }
    }
    all
}

async fn document(app: &TestApp, token: Option<&str>) -> Value {
    let mut request = app.client.get(app.url("/__sandbox/openapi.json"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn assert_well_formed(doc: &Value) {
    let operations = operations(doc);
    assert!(operations.len() >= 20, "{} operations", operations.len());
    let mut ids = HashSet::new();
    for (path, method, operation) in &operations {
        let id = operation["operationId"].as_str().expect("an operationId");
        assert!(
            ids.insert(id.to_string()),
            "operationId `{id}` is not unique"
        );
        for tag in operation["tags"].as_array().into_iter().flatten() {
            let tag = tag.as_str().unwrap();
            assert!(
                !tag.contains("::"),
                "{method} {path}: tag `{tag}` is a Rust path"
            );
        }
        let templated: HashSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        let mut in_path = HashSet::new();
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap();
            if parameter["in"] == "path" {
                assert!(
                    templated.contains(name),
                    "{method} {path}: `{name}` is not in the path"
                );
                assert_eq!(parameter["required"], true, "{method} {path}: {name}");
                in_path.insert(name);
            }
        }
        assert_eq!(in_path, templated, "{method} {path}: path parameters");
        for (status, response) in operation["responses"].as_object().expect("responses") {
            if status != "200" && status != "201" && status != "204" {
                let schema = &response["content"]["application/json"]["schema"];
                assert!(
                    schema["$ref"].is_string(),
                    "{method} {path} {status}: {schema}"
                );
            }
        }
    }
}

#[tokio::test]
async fn without_a_token_the_document_declares_no_security() {
    let app = spawn_app().await;
    let doc = document(&app, None).await;
    assert_well_formed(&doc);
    assert!(doc.get("security").is_none(), "{}", doc["security"]);
    assert!(doc["components"].get("securitySchemes").is_none());
    for (path, method, operation) in operations(&doc) {
        assert!(
            operation["responses"].get("401").is_none(),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn with_a_token_every_call_but_health_requires_it_and_answers_401() {
    let app = spawn_app_with(|c| c.admin_token = Some("doc-token".into())).await;
    let doc = document(&app, Some("doc-token")).await;
    assert_well_formed(&doc);
    assert_eq!(
        doc["components"]["securitySchemes"]["admin_token"]["scheme"],
        "bearer"
    );
    assert_eq!(doc["security"], serde_json::json!([{"admin_token": []}]));
    for (path, method, operation) in operations(&doc) {
        if path == "/__sandbox/health" {
            assert_eq!(operation["security"], serde_json::json!([]));
            assert!(operation["responses"].get("401").is_none());
        } else {
            let unauthorized = &operation["responses"]["401"];
            assert!(unauthorized.is_object(), "{method} {path} lacks 401");
        }
    }
}

#[tokio::test]
async fn query_parameters_are_declared_in_the_query() {
    let app = spawn_app().await;
    let doc = document(&app, None).await;
    let parameters = |path: &str, method: &str| -> Vec<(String, String)> {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().into(),
                    p["in"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let query = |names: &[&str]| -> Vec<(String, String)> {
        names
            .iter()
            .map(|n| (n.to_string(), "query".to_string()))
            .collect()
    };
    assert_eq!(
        parameters("/__sandbox/aggrepay/otps", "get"),
        query(&["mobile_number", "api_key"])
    );
    assert_eq!(
        parameters("/__sandbox/requests", "get"),
        query(&["provider", "path", "since", "limit", "code"])
    );
    assert_eq!(parameters("/__sandbox/reset", "post"), query(&["empty"]));
    assert_eq!(parameters("/__sandbox/fixtures", "post"), query(&["name"]));
}
