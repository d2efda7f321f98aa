//! Merchants are kept in memory between requests (`src/db/memo.rs`): a merchant added by a
//! fixture load is known to the next request, and one taken away by a reset is unknown to it,
//! even when the same credentials were just refused or accepted.

use crate::chillr_lifecycle::CHECK;
use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn load(app: &TestApp, document: Value) {
    let (status, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", &document).await).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

async fn reset(app: &TestApp) {
    let response = app
        .client
        .post(app.url("/__sandbox/reset"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

/// PayPro `gos` as `memo-user`: whether its credentials were refused.
async fn paypro_refused(app: &TestApp) -> bool {
    let path = "/cpay/gos?userName=memo-user&password=memo-pass&cpayId=00000000000000";
    let text = app.get(path).await.text().await.unwrap();
    text.contains("Username or password is invalid")
}

/// Chillr `check_collect_status` as `memo-key`: whether the merchant was unknown (57).
async fn chillr_refused(app: &TestApp) -> bool {
    let body = json!({"api_key": "memo-key", "api_secret_key": "memo-secret",
                      "batch_id": "ffffffffffffffffffffffff"});
    let (_, answer) = status_and_json(app.post_json(CHECK, &body).await).await;
    answer["status_code"] == 57
}

/// Jaze `get_payment_details` as `memo-token`: whether it answered 401.
async fn jaze_refused(app: &TestApp) -> bool {
    let response = app
        .client
        .get(app.url("/api/v1/get_payment_details/1"))
        .basic_auth("memo-token", Some("memo-api-key"))
        .send()
        .await
        .unwrap();
    response.status() == StatusCode::UNAUTHORIZED
}

#[tokio::test]
async fn a_merchant_loaded_or_reset_away_is_seen_by_the_very_next_request() {
    let app = spawn_app().await;
    for _ in 0..2 {
        assert!(paypro_refused(&app).await);
        assert!(chillr_refused(&app).await);
        assert!(jaze_refused(&app).await);
    }
    load(
        &app,
        json!({
            "paypro": {"merchants": [{"username": "memo-user", "password": "memo-pass",
                                      "company_code": "1234"}]},
            "chillr": {"merchants": [{"api_key": "memo-key", "api_secret_key": "memo-secret"}]},
            "jaze": {"accounts": [{"api_token": "memo-token", "api_key": "memo-api-key"}]},
        }),
    )
    .await;
    for _ in 0..2 {
        assert!(
            !paypro_refused(&app).await,
            "PayPro knows the loaded merchant"
        );
        assert!(
            !chillr_refused(&app).await,
            "Chillr knows the loaded merchant"
        );
        assert!(!jaze_refused(&app).await, "Jaze knows the loaded account");
    }
    reset(&app).await;
    assert!(
        paypro_refused(&app).await,
        "PayPro forgot the merchant on reset"
    );
    assert!(
        chillr_refused(&app).await,
        "Chillr forgot the merchant on reset"
    );
    assert!(jaze_refused(&app).await, "Jaze forgot the account on reset");
}
