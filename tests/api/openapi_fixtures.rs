//! `GET /__sandbox/fixtures/schema.json`: the JSON Schema of a fixture document, one section
//! per provider from its fixture types. The shipped fixtures are valid against it; what the
//! loader refuses (an unknown section or field, a status it does not know) is not.

use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::PathBuf;

async fn validator() -> jsonschema::Validator {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/__sandbox/fixtures/schema.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let schema: Value = response.json().await.unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("not a schema: {e}"))
}

fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[tokio::test]
async fn the_default_fixtures_and_every_example_are_valid() {
    let validator = validator().await;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = vec![root.join("default.json")];
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: Value = match file.extension().and_then(|e| e.to_str()) {
            Some("json") => serde_json::from_str(&text).unwrap(),
            Some("yaml" | "yml") => serde_yaml_ng::from_str(&text).unwrap(),
            _ => continue,
        };
        let errors = errors(&validator, &doc);
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        checked += 1;
    }
    assert!(checked >= 2, "{checked} fixture files");
}

#[tokio::test]
async fn what_the_loader_refuses_is_invalid() {
    let validator = validator().await;
    for doc in [
        json!({"stripe": {}}),
        json!({"chillr": {"merchants": [{"api_key": "k", "api_secret_key": "s", "extra": 1}]}}),
        json!({"chillr": {"batches": [{"api_key": "k", "name": "n", "expiry_date": "27-05-2099",
            "customers": [{"msisdn": "9447741462", "amount": "1", "payment_status": "lost"}]}]}}),
        json!({"paypro": {"merchants": [{"username": "u", "password": "p"}]}}),
        json!({"jaze": {"accounts": "none"}}),
    ] {
        assert!(!errors(&validator, &doc).is_empty(), "{doc} passed");
    }
}
