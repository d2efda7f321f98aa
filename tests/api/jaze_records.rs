//! Jaze's control-plane records refused: each fault is named, the account and user a record
//! names are judged before its values, and a refused record changes nothing.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

const TOKEN: &str = "jaze-sandbox-token";
const KEY: &str = "jaze-sandbox-key";

/// POSTs a record; it must be refused with 400 naming `expected`.
async fn refused(app: &TestApp, what: &str, body: Value, expected: &str) {
    let (status, answer) = status_and_json(
        app.post_json(&format!("/__sandbox/jaze/{what}"), &body)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what} {body}: {answer}");
    assert!(
        answer.to_string().contains(expected),
        "{what} {body}: {answer} should name `{expected}`"
    );
}

async fn ids(app: &TestApp) -> Value {
    let response = app
        .client
        .get(app.url("/api/v1/get_all_payment_ids"))
        .basic_auth(TOKEN, Some(KEY))
        .send()
        .await
        .expect("a response");
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn a_payments_faults_are_named_and_change_nothing() {
    let app = spawn_app().await;
    let before = ids(&app).await;
    let payment = |extra: Value| {
        let mut body = json!({"user_id": 2, "amount": "10.00", "method": "cash"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    refused(
        &app,
        "payments",
        payment(json!({"amount": "0"})),
        "amount: must be above zero",
    )
    .await;
    refused(
        &app,
        "payments",
        payment(json!({"gateway": {"operator": "x"}})),
        "gateway: only a gateway payment",
    )
    .await;
    refused(
        &app,
        "payments",
        payment(json!({"payment_id": 0})),
        "payment_id: must be a positive number",
    )
    .await;
    refused(
        &app,
        "payments",
        payment(json!({"receipt_token": "short"})),
        "receipt_token: needs at least 20 URL-safe characters",
    )
    .await;
    refused(
        &app,
        "payments",
        payment(json!({"invoice_ids": [987654]})),
        "no invoice 987654",
    )
    .await;
    assert_eq!(ids(&app).await, before);
}

#[tokio::test]
async fn the_account_and_user_are_judged_before_the_values() {
    let app = spawn_app().await;
    let before = ids(&app).await;
    refused(
        &app,
        "payments",
        json!({"user_id": 987654, "amount": "0", "method": "cash", "payment_id": 0}),
        "user_id: no user 987654",
    )
    .await;
    refused(
        &app,
        "payments",
        json!({"account": "nobody", "user_id": 2, "amount": "0", "method": "cash"}),
        "api_token: no account with api_token `nobody`",
    )
    .await;
    refused(
        &app,
        "invoices",
        json!({"user_id": 987654, "amount": "5.00", "invoice_id": 0}),
        "user_id: no user 987654",
    )
    .await;
    refused(
        &app,
        "invoices",
        json!({"user_id": 2, "amount": "5.00", "invoice_id": 0}),
        "invoice_id: must be a positive number",
    )
    .await;
    refused(
        &app,
        "users",
        json!({"account": "nobody", "user_id": 0, "customer_number": ""}),
        "api_token: no account",
    )
    .await;
    refused(
        &app,
        "users",
        json!({"user_id": 0, "customer_number": "7"}),
        "user_id: must be a positive number",
    )
    .await;
    refused(
        &app,
        "users",
        json!({"user_id": 7, "customer_number": "  "}),
        "customer_number: must not be empty",
    )
    .await;
    assert_eq!(ids(&app).await, before);
}
