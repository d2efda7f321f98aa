//! Fault rules over real HTTP: latency, outage errors, dropped connections, timeouts, counts,
//! seeded probabilities, validation, removal, and where rules never apply.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const ECHO: &str = "/chillr/api/v5/echo";

fn chillr_outage() -> Value {
    json!({"status":"failure","status_code":59,"message":"Internal server error"})
}

fn paypro_outage() -> Value {
    json!([{"Status":"02"},{"Description":"Service Fail"}])
}

fn aggrepay_outage() -> Value {
    json!({"data":null,"error":{"code":"INTERNAL-ERROR","message":"Internal Server Error"},"page":null,"hash":null})
}

fn jaze_outage() -> Value {
    json!({"status":"failure","errorCode":500,"message":"Internal Server Error"})
}

/// Posts a rule that must be accepted, and answers it as stored.
async fn add_rule(app: &TestApp, rule: Value) -> Value {
    let (status, body) = status_and_json(app.post_json("/__sandbox/faults", &rule).await).await;
    assert_eq!(status, StatusCode::CREATED, "rule {rule} refused: {body}");
    body
}

/// Posts a rule that must be refused with 400, and answers the error message.
async fn refused_rule(app: &TestApp, rule: Value) -> String {
    let (status, body) = status_and_json(app.post_json("/__sandbox/faults", &rule).await).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "rule {rule} accepted: {body}"
    );
    body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error message: {body}"))
        .to_string()
}

async fn rules(app: &TestApp) -> Vec<Value> {
    app.get_json("/__sandbox/faults")
        .await
        .as_array()
        .expect("a list of rules")
        .clone()
}

async fn journal(app: &TestApp) -> Vec<Value> {
    app.get_json("/__sandbox/requests")
        .await
        .as_array()
        .expect("a list of entries")
        .clone()
}

/// Sends `body` to the echo route and answers the status and raw body.
async fn echo(app: &TestApp, body: &str) -> (StatusCode, String) {
    let response = app.post_text(ECHO, body).await;
    let status = response.status();
    (status, response.text().await.expect("a body"))
}

async fn send(app: &TestApp, method: reqwest::Method, path: &str) -> (StatusCode, Value) {
    let response = app
        .client
        .request(method, app.url(path))
        .send()
        .await
        .expect("a response");
    status_and_json(response).await
}

#[tokio::test]
async fn a_latency_rule_delays_the_answer_by_at_least_its_latency() {
    let app = spawn_app().await;
    let rule = add_rule(
        &app,
        json!({"provider":"chillr","kind":"latency","latency_ms":400}),
    )
    .await;
    assert_eq!(rule["kind"], "latency");
    assert_eq!(rule["latency_ms"], 400);
    assert!(rule["id"].as_u64().is_some(), "{rule}");
    assert!(rule["seed"].as_u64().is_some(), "a seed is chosen: {rule}");

    let started = Instant::now();
    let (status, body) = echo(&app, "slow but fine").await;
    let elapsed = started.elapsed();

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "slow but fine", "the handler still answers");
    assert!(elapsed >= Duration::from_millis(400), "took {elapsed:?}");
    let entry = &journal(&app).await[0];
    assert_eq!(entry["fault"], "latency");
    assert!(entry["duration_ms"].as_f64().unwrap() >= 400.0, "{entry}");
}

#[tokio::test]
async fn a_latency_range_is_accepted_and_delays_by_at_least_its_minimum() {
    let app = spawn_app().await;
    let rule = add_rule(
        &app,
        json!({"provider":"chillr","kind":"latency","latency_ms":[250, 350]}),
    )
    .await;
    assert_eq!(rule["latency_ms"], json!([250, 350]));

    let started = Instant::now();
    let (status, body) = echo(&app, "ranged").await;
    let elapsed = started.elapsed();

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "ranged");
    assert!(elapsed >= Duration::from_millis(250), "took {elapsed:?}");
}

#[tokio::test]
async fn a_latency_range_whose_minimum_is_above_its_maximum_is_refused() {
    let app = spawn_app().await;
    let message = refused_rule(
        &app,
        json!({"provider":"chillr","kind":"latency","latency_ms":[500, 100]}),
    )
    .await;
    assert!(message.contains("min is above max"), "{message}");
    assert!(rules(&app).await.is_empty());
}

#[tokio::test]
async fn a_rule_naming_an_unknown_endpoint_is_refused_with_the_endpoint_names() {
    let app = spawn_app().await;
    let message = refused_rule(
        &app,
        json!({"provider":"chillr","endpoint":"echo","kind":"error"}),
    )
    .await;
    assert!(message.contains("echo"), "{message}");
    assert!(message.contains("collect"), "{message}");
    assert!(message.contains("check_collect_status"), "{message}");
    assert!(rules(&app).await.is_empty());
}

#[tokio::test]
async fn an_endpoint_rule_applies_to_that_endpoint_only() {
    let app = spawn_app().await;
    add_rule(
        &app,
        json!({"provider":"chillr","endpoint":"collect","kind":"error"}),
    )
    .await;

    let (status, body) = send(&app, reqwest::Method::POST, "/chillr/api/v5/collect").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, chillr_outage());

    let (status, body) = send(&app, reqwest::Method::POST, "/api/v5/collect").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the root alias is the same endpoint"
    );
    assert_eq!(body, chillr_outage());

    let (status, body) = send(
        &app,
        reqwest::Method::POST,
        "/chillr/api/v5/check_collect_status",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "another endpoint: {body}");
    assert_eq!(body["status"], "failure");
    assert_eq!(
        body["status_code"], 50,
        "the endpoint itself answered: {body}"
    );

    let (status, body) = echo(&app, "untouched").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "untouched"));

    let listed = rules(&app).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["endpoint"], "collect");
    assert_eq!(listed[0]["fired"], 2);
}

#[tokio::test]
async fn an_error_rule_answers_each_providers_outage_envelope_with_http_200() {
    let app = spawn_app().await;
    for provider in ["chillr", "paypro", "aggrepay", "jaze"] {
        add_rule(&app, json!({"provider":provider,"kind":"error"})).await;
    }
    let cases = [
        (
            reqwest::Method::POST,
            "/chillr/api/v5/echo",
            chillr_outage(),
        ),
        (reqwest::Method::POST, "/api/v5/echo", chillr_outage()),
        (reqwest::Method::POST, "/paypro/cpay/co", paypro_outage()),
        (reqwest::Method::POST, "/cpay/co", paypro_outage()),
        (
            reqwest::Method::POST,
            "/aggrepay/api/v1/debitwallet",
            aggrepay_outage(),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/debitwallet",
            aggrepay_outage(),
        ),
        (
            reqwest::Method::GET,
            "/jaze/api/v1/get_payment_details/2",
            jaze_outage(),
        ),
        (
            reqwest::Method::GET,
            "/api/v1/get_payment_details/2",
            jaze_outage(),
        ),
    ];
    for (method, path, expected) in cases {
        let (status, body) = send(&app, method.clone(), path).await;
        assert_eq!(status, StatusCode::OK, "{method} {path}: {body}");
        assert_eq!(body, expected, "{method} {path}");
    }

    let entries = journal(&app).await;
    assert_eq!(entries.len(), 8);
    assert!(
        entries.iter().all(|e| e["fault"] == "error"),
        "{entries:#?}"
    );
    let fired: Vec<_> = rules(&app)
        .await
        .iter()
        .map(|r| r["fired"].clone())
        .collect();
    assert_eq!(fired, [json!(2), json!(2), json!(2), json!(2)]);
}

#[tokio::test]
async fn an_error_rule_with_a_status_answers_that_status_without_running_the_handler() {
    let app = spawn_app().await;
    let rule = add_rule(
        &app,
        json!({"provider":"chillr","kind":"error","status":503}),
    )
    .await;
    assert_eq!(rule["status"], 503);

    let response = app.post_text(ECHO, "handler-marker-1234").await;
    let status = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(!text.contains("handler-marker-1234"), "{text}");
    let body: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(body, chillr_outage());

    let entry = &journal(&app).await[0];
    assert_eq!(entry["response"]["status"], 503);
    assert_eq!(entry["body"], "handler-marker-1234", "the request is kept");
    assert!(
        !entry["response"]["body"]
            .as_str()
            .unwrap()
            .contains("handler-marker-1234"),
        "{entry}"
    );
}

#[tokio::test]
async fn a_drop_rule_closes_the_connection_without_an_answer() {
    let app = spawn_app().await;
    add_rule(&app, json!({"provider":"chillr","kind":"drop"})).await;

    let client = reqwest::Client::new();
    let error = client
        .post(app.url(ECHO))
        .body("dropped body")
        .send()
        .await
        .expect_err("no answer");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(error.is_request() || error.is_connect(), "{error:?}");
    assert!(error.status().is_none(), "{error:?}");

    let entries = journal(&app).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    let entry = &entries[0];
    assert_eq!(entry["fault"], "drop");
    assert_eq!(entry["path"], ECHO);
    assert_eq!(entry["body"], "dropped body");
    assert_eq!(entry["response"]["status"], Value::Null);
    assert_eq!(entry["response"]["body"], "");
}

#[tokio::test]
async fn a_timeout_rule_holds_the_request_until_the_client_gives_up() {
    let app = spawn_app().await;
    add_rule(
        &app,
        json!({"provider":"chillr","kind":"timeout","hold_ms":3000}),
    )
    .await;

    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .post(app.url(ECHO))
        .body("held")
        .send()
        .await
        .expect_err("no answer in time");
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

/// Waits (bounded) until the journal has an entry, and answers the entries.
async fn journal_once_written(app: &TestApp) -> Vec<Value> {
    for _ in 0..100 {
        let entries = journal(app).await;
        if !entries.is_empty() {
            return entries;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Vec::new()
}

#[tokio::test]
async fn a_timeout_rule_closes_the_connection_once_its_hold_ends_and_is_journaled() {
    let app = spawn_app().await;
    add_rule(
        &app,
        json!({"provider":"chillr","kind":"timeout","hold_ms":300}),
    )
    .await;

    // A patient client: the sandbox gives up first, closing without an answer.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .post(app.url(ECHO))
        .body("held")
        .send()
        .await
        .expect_err("no answer");
    assert!(!error.is_timeout(), "the client did not give up: {error:?}");
    assert!(error.is_request(), "{error:?}");
    assert!(started.elapsed() >= Duration::from_millis(300));

    let entries = journal_once_written(&app).await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    let entry = &entries[0];
    assert_eq!(entry["fault"], "timeout");
    assert_eq!(entry["body"], "held");
    assert_eq!(entry["response"]["status"], Value::Null);
    assert!(entry["duration_ms"].as_f64().unwrap() >= 300.0, "{entry}");
}

/// hyper drops the request's future when the client disconnects; the entry must survive that.
#[tokio::test]
async fn a_request_whose_client_gave_up_during_a_hold_is_still_journaled() {
    let app = spawn_app().await;
    add_rule(
        &app,
        json!({"provider":"chillr","kind":"timeout","hold_ms":500}),
    )
    .await;

    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = client
        .post(app.url(ECHO))
        .body("held")
        .send()
        .await
        .expect_err("no answer in time");
    assert!(error.is_timeout(), "{error:?}");

    let entries = journal_once_written(&app).await;
    assert_eq!(entries.len(), 1, "the held request was never journaled");
    let entry = &entries[0];
    assert_eq!(entry["fault"], "timeout");
    assert_eq!(entry["response"]["status"], Value::Null);
}

#[tokio::test]
async fn a_count_rule_fires_on_exactly_the_next_matching_requests() {
    let app = spawn_app().await;
    let rule = add_rule(&app, json!({"provider":"chillr","kind":"error","count":2})).await;
    assert_eq!(rule["count"], 2);
    assert_eq!(rule["remaining"], 2);
    assert_eq!(rule["fired"], 0);

    // Another provider's request does not use up the count.
    let (status, body) = send(&app, reqwest::Method::POST, "/paypro/cpay/co").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body[0]["Status"], "03",
        "PayPro's own answer, not an outage: {body}"
    );

    let mut outcomes = Vec::new();
    for i in 0..3 {
        let (_, body) = echo(&app, &format!("request {i}")).await;
        outcomes.push(body);
    }
    let outage = chillr_outage().to_string();
    assert_eq!(outcomes, [outage.clone(), outage, "request 2".to_string()]);

    let listed = rules(&app).await;
    assert_eq!(listed.len(), 1, "a spent rule stays listed");
    assert_eq!(listed[0]["fired"], 2);
    assert_eq!(listed[0]["remaining"], 0);
}

/// Sends 30 echo requests and answers which ones got the outage.
async fn failure_pattern(app: &TestApp) -> Vec<bool> {
    let mut pattern = Vec::new();
    for i in 0..30 {
        let marker = format!("probe {i}");
        let (status, body) = echo(app, &marker).await;
        assert_eq!(status, StatusCode::OK);
        if body == marker {
            pattern.push(false);
        } else {
            let parsed: Value = serde_json::from_str(&body).expect("the outage envelope");
            assert_eq!(parsed, chillr_outage());
            pattern.push(true);
        }
    }
    pattern
}

#[tokio::test]
async fn a_seeded_probability_rule_gives_the_same_pattern_when_posted_again() {
    let app = spawn_app().await;
    let rule = json!({"provider":"chillr","kind":"error","probability":0.5,"seed":7});

    let first_rule = add_rule(&app, rule.clone()).await;
    assert_eq!(first_rule["seed"], 7);
    assert_eq!(first_rule["probability"], 0.5);
    let first = failure_pattern(&app).await;
    let fired = first.iter().filter(|f| **f).count();
    assert_eq!(rules(&app).await[0]["fired"], fired);

    assert_eq!(
        app.delete("/__sandbox/faults").await.status(),
        StatusCode::NO_CONTENT
    );
    let second_rule = add_rule(&app, rule).await;
    assert_ne!(second_rule["id"], first_rule["id"], "a new rule");
    let second = failure_pattern(&app).await;

    assert_eq!(first, second);
    assert!(
        first.contains(&true) && first.contains(&false),
        "both outcomes: {first:?}"
    );
}

#[tokio::test]
async fn malformed_rules_are_refused() {
    let app = spawn_app().await;
    let message = refused_rule(&app, json!({"provider":"stripe","kind":"error"})).await;
    for name in ["stripe", "chillr", "paypro", "aggrepay", "jaze"] {
        assert!(message.contains(name), "{message}");
    }
    refused_rule(&app, json!({"provider":"chillr","kind":"explode"})).await;
    refused_rule(&app, json!({"provider":"chillr"})).await;
    let message = refused_rule(
        &app,
        json!({"provider":"chillr","kind":"error","probability":1.5}),
    )
    .await;
    assert!(message.contains("1.5"), "{message}");
    let message = refused_rule(&app, json!({"provider":"chillr","kind":"error","count":0})).await;
    assert!(message.contains("count"), "{message}");
    let message = refused_rule(
        &app,
        json!({"provider":"chillr","kind":"error","bogus":true}),
    )
    .await;
    assert!(message.contains("bogus"), "{message}");
    refused_rule(&app, json!({"provider":"chillr","kind":"latency"})).await;
    refused_rule(
        &app,
        json!({"provider":"chillr","kind":"error","latency_ms":10}),
    )
    .await;
    refused_rule(
        &app,
        json!({"provider":"chillr","kind":"latency","latency_ms":10,"status":503}),
    )
    .await;
    refused_rule(
        &app,
        json!({"provider":"chillr","kind":"drop","hold_ms":10}),
    )
    .await;
    refused_rule(
        &app,
        json!({"provider":"chillr","kind":"error","status":42}),
    )
    .await;

    let response = app
        .client
        .post(app.url("/__sandbox/faults"))
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    assert!(rules(&app).await.is_empty(), "nothing refused was kept");
    let (status, body) = echo(&app, "still normal").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "still normal"));
}

#[tokio::test]
async fn deleting_a_rule_by_id_removes_only_that_rule() {
    let app = spawn_app().await;
    let slow = add_rule(
        &app,
        json!({"provider":"paypro","kind":"latency","latency_ms":1}),
    )
    .await;
    let error = add_rule(&app, json!({"provider":"chillr","kind":"error"})).await;
    let error_id = error["id"].as_u64().unwrap();

    let (_, body) = echo(&app, "before").await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).ok(),
        Some(chillr_outage())
    );

    let response = app.delete(&format!("/__sandbox/faults/{error_id}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let listed = rules(&app).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], slow["id"]);
    let (status, body) = echo(&app, "after").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "after"));

    let (status, body) =
        status_and_json(app.delete(&format!("/__sandbox/faults/{error_id}")).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body["error"].as_str().is_some(), "{body}");
    let (status, _) = status_and_json(app.delete("/__sandbox/faults/999").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = status_and_json(app.delete("/__sandbox/faults/abc").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(rules(&app).await.len(), 1);
}

#[tokio::test]
async fn deleting_all_rules_brings_requests_back_to_normal() {
    let app = spawn_app().await;
    add_rule(&app, json!({"provider":"chillr","kind":"error"})).await;
    add_rule(
        &app,
        json!({"provider":"paypro","kind":"error","status":503}),
    )
    .await;
    let (status, _) = send(&app, reqwest::Method::POST, "/paypro/cpay/co").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    let response = app.delete("/__sandbox/faults").await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    assert!(rules(&app).await.is_empty());
    let (status, body) = echo(&app, "normal again").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "normal again"));
    let (status, body) = send(&app, reqwest::Method::POST, "/paypro/cpay/co").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body[0]["Status"], "03",
        "PayPro's own answer, not an outage: {body}"
    );
}

#[tokio::test]
async fn a_reset_clears_the_fault_rules() {
    let app = spawn_app().await;
    add_rule(&app, json!({"provider":"chillr","kind":"error"})).await;
    add_rule(&app, json!({"provider":"jaze","kind":"drop"})).await;
    assert_eq!(rules(&app).await.len(), 2);

    let (status, body) = status_and_json(app.post_json("/__sandbox/reset", &json!({})).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    assert!(rules(&app).await.is_empty());
    let (status, body) = echo(&app, "after reset").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "after reset"));
}

#[tokio::test]
async fn faults_never_apply_to_the_control_plane() {
    let app = spawn_app().await;
    for provider in ["chillr", "paypro", "aggrepay", "jaze"] {
        add_rule(
            &app,
            json!({"provider":provider,"kind":"error","status":503}),
        )
        .await;
    }
    add_rule(&app, json!({"provider":"chillr","kind":"drop"})).await;

    let (status, health) = status_and_json(app.get("/__sandbox/health").await).await;
    assert_eq!(status, StatusCode::OK, "{health}");
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(rules(&app).await.len(), 5);
    let (status, _) = status_and_json(app.get("/__sandbox/clock").await).await;
    assert_eq!(status, StatusCode::OK);

    assert!(
        rules(&app).await.iter().all(|r| r["fired"] == 0),
        "no rule fired on a control call"
    );
    // The rules are live: a provider request does get the fault.
    let (status, _) = echo(&app, "x").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}
