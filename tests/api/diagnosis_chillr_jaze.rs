//! Chillr and Jaze diagnoses and lint rules over real HTTP: a batch of over 10,000 customers,
//! the lint findings in `GET /__sandbox/report` (with their request ids, and none on clean
//! traffic), `paysandbox report --fail-on lint`, and no secret in any diagnosis or finding.
//! The other rules' diagnoses are golden cases (`tests/golden/chillr`, `tests/golden/jaze`).

use crate::chillr_lifecycle::{API_KEY, API_SECRET, CHECK, COLLECT, USER, collect_body, freeze};
use crate::helpers::{TestApp, binary, spawn_app, status_and_json};
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};

const JAZE_AUTH: (&str, &str) = ("jaze-sandbox-token", "jaze-sandbox-key");

/// Sends a request and answers its id (from `X-Sandbox-Request-Id`) and its JSON body.
async fn send(request: reqwest::RequestBuilder) -> (u64, Value) {
    let response = request.send().await.unwrap();
    let id = response.headers()["x-sandbox-request-id"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    (id, response.json().await.unwrap())
}

async fn post(app: &TestApp, path: &str, body: &Value) -> (u64, Value) {
    send(app.client.post(app.url(path)).json(body)).await
}

async fn jaze_get(app: &TestApp, path: &str) -> (u64, Value) {
    let request = app
        .client
        .get(app.url(path))
        .basic_auth(JAZE_AUTH.0, Some(JAZE_AUTH.1));
    send(request).await
}

async fn diagnosis(app: &TestApp, id: u64) -> Value {
    app.get_json(&format!("/__sandbox/requests/{id}"))
        .await
        .get("diagnosis")
        .cloned()
        .unwrap()
}

/// The report's findings of one rule.
async fn findings(app: &TestApp, provider: &str, rule: &str) -> Vec<Value> {
    let report = app
        .get_json(&format!("/__sandbox/report?provider={provider}"))
        .await;
    report["lint"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .cloned()
        .collect()
}

fn requests(finding: &Value) -> Vec<u64> {
    finding["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_u64().unwrap())
        .collect()
}

fn one_customer() -> Value {
    collect_body(json!([{"msisdn": USER, "amount": "200"}]))
}

#[tokio::test]
async fn a_batch_of_over_ten_thousand_customers_is_diagnosed_too_many_customers() {
    let app = spawn_app().await;
    freeze(&app).await;
    let customers: Vec<Value> = (0..10_001)
        .map(|i| json!({"msisdn": format!("9{:09}", 100_000_000 + i), "amount": "1"}))
        .collect();
    let (id, answer) = post(&app, COLLECT, &collect_body(Value::Array(customers))).await;
    assert_eq!(answer["status_code"], 58, "{answer}");
    assert_eq!(answer["data"]["reason"], json!(["too many customers"]));
    let diagnosis = diagnosis(&app, id).await;
    assert_eq!(diagnosis["rule"], "chillr.batch.too_many_customers");
    assert_eq!(diagnosis["field"], "customers");
    assert_eq!(diagnosis["expected"], "at most 10000");
    assert_eq!(
        diagnosis["hint"],
        "Split the customers into batches of at most 10,000."
    );
}

#[tokio::test]
async fn a_batch_never_checked_is_a_finding_until_its_status_is_asked() {
    let app = spawn_app().await;
    freeze(&app).await;
    let (created, answer) = post(&app, COLLECT, &one_customer()).await;
    let batch = answer["data"]["batch_id"].as_str().unwrap().to_string();
    let found = findings(&app, "chillr", "chillr.lint.batch_never_checked").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(requests(&found[0]), [created]);
    assert!(found[0]["hint"].as_str().unwrap().contains(&batch));

    // Another merchant's credentials or a failed check do not count as a check.
    let check = json!({"api_key": API_KEY, "api_secret_key": API_SECRET, "batch_id": batch});
    let (_, status) = post(&app, CHECK, &check).await;
    assert_eq!(status["status_code"], 0, "{status}");
    assert!(
        findings(&app, "chillr", "chillr.lint.batch_never_checked")
            .await
            .is_empty()
    );
    let report = app.get_json("/__sandbox/report?provider=chillr").await;
    assert_eq!(report["lint"], json!([]), "clean traffic has no finding");
}

async fn add_fault(app: &TestApp, rule: Value) {
    let (status, body) = status_and_json(app.post_json("/__sandbox/faults", &rule).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// Sends a collect that a fault leaves without an answer.
async fn lost_collect(app: &TestApp, body: &Value) {
    let sent = app.client.post(app.url(COLLECT)).json(body).send().await;
    assert!(sent.is_err(), "the fault should have closed the connection");
}

/// The id of the newest journal entry of a provider.
async fn newest(app: &TestApp, provider: &str) -> u64 {
    let entries = app
        .get_json(&format!("/__sandbox/requests?provider={provider}&limit=1"))
        .await;
    let list = entries
        .as_array()
        .or_else(|| entries["requests"].as_array());
    list.and_then(|l| l.first()).unwrap()["id"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn a_collect_retried_after_no_answer_without_a_status_check_is_a_finding() {
    for kind in [
        json!({"kind": "drop"}),
        json!({"kind": "timeout", "hold_ms": 50}),
    ] {
        let app = spawn_app().await;
        freeze(&app).await;
        let mut rule = json!({"provider": "chillr", "endpoint": "collect", "count": 1});
        rule.as_object_mut()
            .unwrap()
            .extend(kind.as_object().unwrap().clone());
        add_fault(&app, rule).await;
        lost_collect(&app, &one_customer()).await;
        let lost = newest(&app, "chillr").await;
        let (retry, answer) = post(&app, COLLECT, &one_customer()).await;
        assert_eq!(answer["status_code"], 0, "{answer}");
        let found = findings(&app, "chillr", "chillr.lint.collect_retried_after_timeout").await;
        assert_eq!(found.len(), 1, "{kind}: {found:?}");
        assert_eq!(requests(&found[0]), [lost, retry], "{kind}");
        assert!(!found[0]["hint"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_collect_retried_after_a_status_check_or_a_different_batch_is_no_finding() {
    let app = spawn_app().await;
    freeze(&app).await;
    let drop_next =
        json!({"provider": "chillr", "endpoint": "collect", "kind": "drop", "count": 1});
    add_fault(&app, drop_next.clone()).await;
    lost_collect(&app, &one_customer()).await;
    let check = json!({"api_key": API_KEY, "api_secret_key": API_SECRET,
        "batch_id": "5743fcb263686923fc0d0000"});
    post(&app, CHECK, &check).await;
    post(&app, COLLECT, &one_customer()).await;

    let mut other = one_customer();
    add_fault(&app, drop_next).await;
    lost_collect(&app, &other).await;
    other["name"] = json!("Water bill");
    post(&app, COLLECT, &other).await;
    assert!(
        findings(&app, "chillr", "chillr.lint.collect_retried_after_timeout")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn report_fail_on_lint_exits_1_on_a_chillr_finding_and_0_without() {
    let app = spawn_app().await;
    freeze(&app).await;
    let url = format!("http://127.0.0.1:{}", app.port);
    let run = || {
        tokio::process::Command::new(binary())
            .args(["report", "--url", &url, "--format", "json"])
            .args(["--fail-on", "lint", "--provider", "chillr"])
            .output()
    };
    let clean = run().await.unwrap();
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    post(&app, COLLECT, &one_customer()).await;
    let dirty = run().await.unwrap();
    assert_eq!(dirty.status.code(), Some(1), "{dirty:?}");
    let text = String::from_utf8(dirty.stdout).unwrap();
    assert!(text.contains("chillr.lint.batch_never_checked"), "{text}");
}

#[tokio::test]
async fn jaze_details_polled_within_a_second_are_a_finding_and_once_a_second_are_not() {
    let app = spawn_app().await;
    freeze(&app).await;
    let (first, _) = jaze_get(&app, "/jaze/api/v1/get_payment_details/2").await;
    let (second, _) = jaze_get(&app, "/jaze/api/v1/get_payment_details/2").await;
    // Another user, and the same user a second later, are not polling too often.
    jaze_get(&app, "/jaze/api/v1/get_payment_details/1").await;
    crate::chillr_lifecycle::clock(&app, json!({"advance_seconds": 1})).await;
    jaze_get(&app, "/jaze/api/v1/get_payment_details/1").await;
    let found = findings(&app, "jaze", "jaze.lint.polled_too_often").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(requests(&found[0]), [first, second]);
    let hint = found[0]["hint"].as_str().unwrap();
    assert!(hint.contains("userId 2"), "{hint}");
}

#[tokio::test]
async fn jaze_dates_in_the_query_are_a_finding_and_in_the_path_are_not() {
    let app = spawn_app().await;
    jaze_get(
        &app,
        "/jaze/api/v1/get_payment_details_by_date/2016-06-01/2016-06-07",
    )
    .await;
    jaze_get(&app, "/jaze/api/v1/get_all_payment_ids/2016-06-01").await;
    assert!(app.get_json("/__sandbox/report?provider=jaze").await["lint"] == json!([]));
    let (query, _) = jaze_get(
        &app,
        "/jaze/api/v1/get_payment_details_by_date?fromDate=2016-06-01&toDate=2016-06-07",
    )
    .await;
    let found = findings(&app, "jaze", "jaze.lint.dates_in_query").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(requests(&found[0]), [query]);
}

#[tokio::test]
async fn no_secret_key_or_basic_credential_appears_in_a_diagnosis_or_finding() {
    let app = spawn_app().await;
    freeze(&app).await;
    let secret = "wrong-chillr-secret-8812";
    // Chillr: an unknown api_key, another merchant's batch, a wrong secret.
    for (key, batch) in [
        ("000000000000000000000000", "5743fcb263686923fc0d0000"),
        (API_KEY, "ffffffffffffffffffffffff"),
    ] {
        post(
            &app,
            CHECK,
            &json!({"api_key": key, "api_secret_key": secret, "batch_id": batch}),
        )
        .await;
        post(
            &app,
            CHECK,
            &json!({"api_key": key, "api_secret_key": API_SECRET, "batch_id": batch}),
        )
        .await;
    }
    post(&app, COLLECT, &one_customer()).await;
    // Jaze: a wrong key, the key and token swapped, the credentials as a Bearer token.
    let basic = |user: &str, key: &str| {
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{key}"))
    };
    let wrong = "wrong-jaze-key-7734";
    for header in [
        format!("Basic {}", basic(JAZE_AUTH.0, wrong)),
        format!("Basic {}", basic(JAZE_AUTH.1, JAZE_AUTH.0)),
        format!("Bearer {}", basic(JAZE_AUTH.0, JAZE_AUTH.1)),
        format!("Basic {}", basic(JAZE_AUTH.1, "")),
    ] {
        let request = app
            .client
            .get(app.url("/jaze/api/v1/get_payment_details/2"))
            .header("authorization", &header);
        let (id, answer) = send(request).await;
        assert_eq!(answer["errorCode"], 401, "{answer}");
        let text = diagnosis(&app, id).await.to_string();
        let encoded = header.split_once(' ').unwrap().1;
        for shown in [JAZE_AUTH.0, JAZE_AUTH.1, wrong, encoded] {
            assert!(!text.contains(shown), "{shown} in {text}");
        }
    }
    let journal = app.get_json("/__sandbox/requests?limit=100").await;
    let entries = journal
        .as_array()
        .or_else(|| journal["requests"].as_array())
        .unwrap()
        .clone();
    assert!(entries.len() >= 9, "{journal}");
    let report = app.get_json("/__sandbox/report").await;
    for text in entries
        .iter()
        .map(|e| e["diagnosis"].to_string())
        .chain([report["lint"].to_string()])
    {
        for shown in [secret, API_SECRET, JAZE_AUTH.1, wrong] {
            assert!(!text.contains(shown), "{shown} in {text}");
        }
    }
}
