//! Chillr: golden cases from the document samples, and every failure code in the spec's
//! order of checks.

use crate::golden;
use crate::helpers::{TestApp, spawn_app, status_and_json};
use serde_json::{Value, json};

const KEY: &str = "5695d71a6368690df2030000";
const SECRET: &str = "f333884a36ccfc54787e6d96eac5e3d3";

#[tokio::test]
async fn every_sample_of_the_chillr_document_answers_as_its_golden_case() {
    let ran = golden::run_all("chillr").await;
    assert!(ran >= 6, "one case per sample of the document, found {ran}");
}

async fn code_of(app: &TestApp, path: &str, body: Value) -> (u64, String, Value) {
    let (status, answer) = status_and_json(app.post_json(path, &body).await).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    assert_eq!(answer["status"], "failure", "{body}: {answer}");
    (
        answer["status_code"].as_u64().unwrap(),
        answer["message"].as_str().unwrap().to_string(),
        answer,
    )
}

fn valid_collect() -> Value {
    json!({
        "api_key": KEY, "api_secret_key": SECRET, "name": "Electricity bill",
        "expiry_date": "31-12-2099",
        "customers": [{"msisdn": "9447741462", "amount": "200"}]
    })
}

fn without(mut body: Value, field: &str) -> Value {
    body.as_object_mut().unwrap().remove(field);
    body
}

fn with(mut body: Value, field: &str, value: Value) -> Value {
    body[field] = value;
    body
}

#[tokio::test]
async fn collect_answers_each_failure_code_first_failure_first() {
    let app = spawn_app().await;
    let cases: Vec<(Value, u64, &str)> = vec![
        (json!({}), 50, "api_key param is missing"),
        (
            with(valid_collect(), "api_key", json!("")),
            50,
            "api_key param is missing",
        ),
        (
            with(valid_collect(), "api_key", Value::Null),
            50,
            "api_key param is missing",
        ),
        (
            without(valid_collect(), "api_secret_key"),
            51,
            "api_secret_key param is missing",
        ),
        (
            without(valid_collect(), "name"),
            52,
            "name param is missing",
        ),
        (
            without(valid_collect(), "expiry_date"),
            53,
            "expiry_date param is missing",
        ),
        (
            without(valid_collect(), "customers"),
            54,
            "customer param is missing",
        ),
        (
            with(valid_collect(), "customers", json!([])),
            54,
            "customer param is missing",
        ),
        (
            with(valid_collect(), "expiry_date", json!("2099-12-31")),
            55,
            "expiry_date format error (dd-mm-yyyy)",
        ),
        (
            with(valid_collect(), "expiry_date", json!("31-02-2099")),
            55,
            "expiry_date format error (dd-mm-yyyy)",
        ),
        (
            with(valid_collect(), "api_key", json!("unknown")),
            57,
            "Merchant not found error",
        ),
        (
            with(valid_collect(), "api_secret_key", json!("wrong")),
            56,
            "api_secret_key mismatch error",
        ),
        (
            with(
                valid_collect(),
                "customers",
                json!([{"msisdn": "9447741462"}]),
            ),
            58,
            "Failed to create batch",
        ),
        (
            with(
                valid_collect(),
                "customers",
                json!([{"msisdn": "9000000059", "amount": "1"}]),
            ),
            59,
            "Internal server error",
        ),
    ];
    for (body, code, message) in cases {
        let (got, got_message, answer) =
            code_of(&app, "/chillr/api/v5/collect", body.clone()).await;
        assert_eq!(
            (got, got_message.as_str()),
            (code, message),
            "{body}: {answer}"
        );
    }
}

#[tokio::test]
async fn earlier_checks_win_over_later_ones() {
    let app = spawn_app().await;
    // A missing name is reported before a malformed date and an unknown merchant.
    let body = json!({"api_key": "unknown", "api_secret_key": "x", "expiry_date": "bad", "customers": [1]});
    assert_eq!(code_of(&app, "/api/v5/collect", body).await.0, 52);
    // The date's format is checked before the merchant.
    let body = with(
        with(valid_collect(), "api_key", json!("unknown")),
        "expiry_date",
        json!("bad"),
    );
    assert_eq!(code_of(&app, "/api/v5/collect", body).await.0, 55);
    // An unknown merchant (57) comes before a secret mismatch (56).
    let body = with(
        with(valid_collect(), "api_key", json!("unknown")),
        "api_secret_key",
        json!("wrong"),
    );
    assert_eq!(code_of(&app, "/api/v5/collect", body).await.0, 57);
    // Credentials come before the customers' problems.
    let body = with(
        with(valid_collect(), "api_secret_key", json!("wrong")),
        "customers",
        json!([{}]),
    );
    assert_eq!(code_of(&app, "/api/v5/collect", body).await.0, 56);
}

#[tokio::test]
async fn code_58_collects_every_reason_in_order() {
    let app = spawn_app().await;
    let body = json!({
        "api_key": KEY, "api_secret_key": SECRET, "name": "x".repeat(101),
        "expiry_date": "01-01-2001",
        "customers": [
            {"msisdn": "9447741462", "amount": "200"},
            {"amount": "200"},
            {"msisdn": "9633789451"},
            {"msisdn": "12345", "amount": "1"},
            {"msisdn": "9633789452", "amount": "-1"},
            {"msisdn": "+919447741462", "amount": "5"}
        ]
    });
    let (code, _, answer) = code_of(&app, "/chillr/api/v5/collect", body).await;
    assert_eq!(code, 58);
    assert_eq!(
        answer["data"]["reason"],
        json!([
            "expiry_date should not be a past date",
            "name is too long",
            "customer 2 : mobile number is not present",
            "customer 3 : amount is not present",
            "customer 4 : invalid mobile number",
            "customer 5 : invalid amount",
            "customer 6 : duplicate mobile number"
        ])
    );
}

#[tokio::test]
async fn check_collect_status_answers_each_failure_code_first_failure_first() {
    let app = spawn_app().await;
    let valid =
        json!({"api_key": KEY, "api_secret_key": SECRET, "batch_id": "5743fcb263686923fc0d0000"});
    let cases: Vec<(Value, u64, &str)> = vec![
        (json!({}), 50, "api_key param is missing"),
        (
            without(valid.clone(), "api_secret_key"),
            51,
            "api_secret_key param is missing",
        ),
        (
            without(valid.clone(), "batch_id"),
            60,
            "batch_id param is missing",
        ),
        (
            with(valid.clone(), "batch_id", json!("")),
            60,
            "batch_id param is missing",
        ),
        (
            with(valid.clone(), "api_key", json!("unknown")),
            57,
            "Merchant not found error",
        ),
        (
            with(valid.clone(), "api_secret_key", json!("wrong")),
            56,
            "api_secret_key mismatch error",
        ),
        (
            with(valid.clone(), "batch_id", json!("5743fcb263686923fc0d0001")),
            61,
            "Batch not found error",
        ),
        (
            with(valid.clone(), "batch_id", json!(["not", "an", "id"])),
            61,
            "Batch not found error",
        ),
    ];
    for (body, code, message) in cases {
        let (got, got_message, answer) =
            code_of(&app, "/chillr/api/v5/check_collect_status", body.clone()).await;
        assert_eq!(
            (got, got_message.as_str()),
            (code, message),
            "{body}: {answer}"
        );
    }
}

#[tokio::test]
async fn the_outage_msisdn_creates_nothing() {
    let app = spawn_app().await;
    let before = app.get_json("/__sandbox/state").await["chillr"]["batches"].clone();
    let body = with(
        valid_collect(),
        "customers",
        json!([{"msisdn": "9447741462", "amount": "1"}, {"msisdn": "9000000059", "amount": "1"}]),
    );
    assert_eq!(code_of(&app, "/chillr/api/v5/collect", body).await.0, 59);
    assert_eq!(
        app.get_json("/__sandbox/state").await["chillr"]["batches"],
        before
    );
}
