//! The front's part of issue 13: a request id on every provider answer and its journal entry
//! by id, the front's own diagnoses (unknown path with near-misses, another provider's path,
//! 405 with the allowed methods, 413, faults, a handler panic), the rule catalogue, and the
//! log line's endpoint, code and fault.

use crate::helpers::{TestApp, spawn_app, spawn_app_with, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn send(app: &TestApp, method: reqwest::Method, path: &str, body: &str) -> (u64, StatusCode) {
    let response = app
        .client
        .request(method, app.url(path))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let id = response
        .headers()
        .get("x-sandbox-request-id")
        .unwrap_or_else(|| panic!("{path}: no X-Sandbox-Request-Id"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    (id, response.status())
}

async fn entry(app: &TestApp, id: u64) -> Value {
    let (status, entry) =
        status_and_json(app.get(&format!("/__sandbox/requests/{id}")).await).await;
    assert_eq!(status, StatusCode::OK, "{entry}");
    entry
}

#[tokio::test]
async fn every_provider_answer_carries_its_request_id_and_the_journal_finds_it_by_id() {
    let app = spawn_app().await;
    let (first, status) = send(&app, reqwest::Method::GET, "/paypro/cpay/gos", "").await;
    assert_eq!(status, StatusCode::OK);
    let (second, _) = send(
        &app,
        reqwest::Method::POST,
        "/aggrepay/api/v1/fetchbalance",
        "x",
    )
    .await;
    let (third, _) = send(&app, reqwest::Method::POST, "/aggrepay/api/v1/nowhere", "").await;
    assert!(second > first && third > second, "{first} {second} {third}");

    let one = entry(&app, first).await;
    assert_eq!(one["id"], first);
    assert_eq!(one["path"], "/paypro/cpay/gos");
    let two = entry(&app, second).await;
    assert_eq!(two["provider"], "aggrepay");
    assert_eq!(two["endpoint"], "fetchbalance");

    // Ids go on after the journal is cleared, so an old id never names a new request.
    assert_eq!(
        app.delete("/__sandbox/requests").await.status(),
        StatusCode::NO_CONTENT
    );
    let (gone, body) =
        status_and_json(app.get(&format!("/__sandbox/requests/{first}")).await).await;
    assert_eq!(gone, StatusCode::NOT_FOUND);
    assert!(
        body["error"].as_str().unwrap().contains(&first.to_string()),
        "{body}"
    );
    let (after, _) = send(&app, reqwest::Method::GET, "/paypro/cpay/gos", "").await;
    assert!(after > third);

    let (bad, body) = status_and_json(app.get("/__sandbox/requests/abc").await).await;
    assert_eq!(bad, StatusCode::NOT_FOUND);
    assert!(body["error"].is_string());
}

#[tokio::test]
async fn an_evicted_request_is_a_404_but_keeps_its_place_in_the_id_sequence() {
    let app = spawn_app_with(|c| c.journal_limit = 2).await;
    let (first, _) = send(&app, reqwest::Method::GET, "/paypro/cpay/gos", "").await;
    send(&app, reqwest::Method::GET, "/paypro/cpay/gos", "").await;
    let (last, _) = send(&app, reqwest::Method::GET, "/paypro/cpay/gos", "").await;
    assert_eq!(
        app.get(&format!("/__sandbox/requests/{first}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(entry(&app, last).await["id"], last);
}

#[tokio::test]
async fn a_misspelt_endpoint_is_diagnosed_with_the_closest_documented_path() {
    let app = spawn_app().await;
    let (id, status) = send(&app, reqwest::Method::POST, "/api/v1/fetchbalanc", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let journaled = entry(&app, id).await;
    assert_eq!(
        journaled["provider"], "aggrepay",
        "journaled as the provider it was meant for"
    );
    let diagnosis = &journaled["diagnosis"];
    assert_eq!(diagnosis["rule"], "sandbox.path.unknown");
    assert_eq!(diagnosis["field"], "path");
    assert_eq!(diagnosis["got"], "/api/v1/fetchbalanc");
    assert_eq!(diagnosis["hint"], "Did you mean /api/v1/fetchbalance?");

    // Under a prefix too.
    let (id, _) = send(&app, reqwest::Method::GET, "/paypro/cpay/gso", "").await;
    let diagnosis = entry(&app, id).await["diagnosis"].clone();
    assert_eq!(diagnosis["rule"], "sandbox.path.unknown");
    assert_eq!(diagnosis["hint"], "Did you mean /cpay/gos?");
}

#[tokio::test]
async fn a_path_far_from_every_endpoint_lists_the_providers_endpoints() {
    let app = spawn_app().await;
    let (id, status) = send(&app, reqwest::Method::POST, "/aggrepay/api/v1/zzz", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let diagnosis = entry(&app, id).await["diagnosis"].clone();
    assert_eq!(diagnosis["rule"], "sandbox.path.unknown");
    assert!(
        diagnosis["expected"]
            .as_str()
            .unwrap()
            .contains("fetchbalance"),
        "{diagnosis}"
    );
}

#[tokio::test]
async fn an_endpoint_sent_under_another_providers_prefix_names_its_owner() {
    let app = spawn_app().await;
    let (id, status) = send(
        &app,
        reqwest::Method::POST,
        "/paypro/api/v1/fetchbalance",
        "",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let diagnosis = entry(&app, id).await["diagnosis"].clone();
    assert_eq!(diagnosis["rule"], "sandbox.path.other_provider");
    assert_eq!(diagnosis["expected"], "/aggrepay/api/v1/fetchbalance");
    assert!(
        diagnosis["hint"].as_str().unwrap().contains("/aggrepay"),
        "{diagnosis}"
    );
}

#[tokio::test]
async fn a_wrong_method_is_diagnosed_with_the_allowed_ones() {
    let app = spawn_app().await;
    let (id, status) = send(
        &app,
        reqwest::Method::DELETE,
        "/aggrepay/api/v1/fetchbalance",
        "",
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let journaled = entry(&app, id).await;
    assert_eq!(journaled["code"], "405");
    assert_eq!(journaled["diagnosis"]["rule"], "sandbox.method.not_allowed");
    assert_eq!(journaled["diagnosis"]["expected"], "POST");
    assert_eq!(journaled["diagnosis"]["got"], "DELETE");
}

#[tokio::test]
async fn a_body_over_the_limit_is_diagnosed_with_both_sizes() {
    let app = spawn_app_with(|c| c.max_body = 100).await;
    let (id, status) = send(
        &app,
        reqwest::Method::POST,
        "/aggrepay/api/v1/fetchbalance",
        &"a".repeat(300),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let diagnosis = entry(&app, id).await["diagnosis"].clone();
    assert_eq!(diagnosis["rule"], "sandbox.body.too_large");
    assert_eq!(diagnosis["got"], "300 bytes");
    assert_eq!(diagnosis["expected"], "at most 100 bytes");
}

#[tokio::test]
async fn fault_rules_and_panics_are_diagnosed_as_such() {
    let app = spawn_app().await;
    let added = app
        .post_json(
            "/__sandbox/faults",
            &json!({"provider": "paypro", "endpoint": "gos", "kind": "error"}),
        )
        .await;
    assert!(added.status().is_success());
    let (id, _) = send(&app, reqwest::Method::GET, "/paypro/cpay/gos", "").await;
    let entry_json = entry(&app, id).await;
    assert_eq!(entry_json["diagnosis"]["rule"], "sandbox.fault.error");
    assert_eq!(entry_json["fault"], "error");

    let (id, _) = send(&app, reqwest::Method::POST, "/chillr/api/v5/panic", "").await;
    assert_eq!(
        entry(&app, id).await["diagnosis"]["rule"],
        "sandbox.internal.panic"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_journaled_with_the_drop_rule() {
    let app = spawn_app().await;
    app.post_json(
        "/__sandbox/faults",
        &json!({"provider": "jaze", "kind": "drop"}),
    )
    .await;
    let sent = app
        .client
        .get(app.url("/jaze/api/v1/get_payment_details"))
        .send()
        .await;
    assert!(sent.is_err(), "the connection is closed without an answer");
    let journal: Vec<Value> = app
        .get_json("/__sandbox/requests?provider=jaze")
        .await
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(journal[0]["diagnosis"]["rule"], "sandbox.fault.drop");
    assert_eq!(journal[0]["code"], "dropped");
}

#[tokio::test]
async fn the_rule_catalogue_lists_every_rule_once_and_the_readme_documents_each() {
    let app = spawn_app().await;
    let rules = app.get_json("/__sandbox/rules").await;
    let rules = rules.as_array().unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut ids = std::collections::HashSet::new();
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "{id} twice");
        for field in ["provider", "code", "doc", "summary", "hint"] {
            assert!(
                rule[field].as_str().is_some_and(|v| !v.is_empty()),
                "{id}: no {field}"
            );
        }
        assert!(
            readme.contains(&format!("`{id}`")),
            "README.md does not list `{id}`"
        );
    }
    assert!(ids.contains("sandbox.path.unknown"));
}

#[test]
fn the_log_line_names_the_endpoint_the_providers_code_and_the_fault() {
    let (mut child, mut lines, address) = crate::helpers::spawn_binary_with_json_logs();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = reqwest::Client::new();
    runtime.block_on(async {
        client
            .delete(format!("http://{address}/aggrepay/api/v1/fetchbalance"))
            .send()
            .await
            .unwrap();
        client
            .post(format!("http://{address}/__sandbox/faults"))
            .json(&json!({"provider": "paypro", "kind": "error"}))
            .send()
            .await
            .unwrap();
        client
            .get(format!("http://{address}/paypro/cpay/gos"))
            .send()
            .await
            .unwrap();
    });
    let mut provider_lines = Vec::new();
    while provider_lines.len() < 2 {
        let line: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
        if line["provider"].is_string() {
            provider_lines.push(line);
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let refused = &provider_lines[0];
    assert_eq!(refused["provider"], "aggrepay");
    assert_eq!(refused["endpoint"], "fetchbalance");
    assert_eq!(refused["code"], "405");
    assert!(refused.get("fault").is_none(), "{refused}");
    let faulted = &provider_lines[1];
    assert_eq!(faulted["endpoint"], "gos");
    assert_eq!(faulted["fault"], "error");
    assert_eq!(faulted["code"], "fault");
}
