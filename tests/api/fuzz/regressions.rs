//! The failures the fuzzer found, one test each, so they stay fixed without a fuzz run.

use super::aggrepay_sign::hash;
use crate::helpers::{spawn_app, status_and_json};
use serde_json::json;

/// An AggrePay form body signed with the default merchant's salt.
fn signed_form(fields: &[(&str, &str)]) -> String {
    let owned: Vec<(String, String)> = fields
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let hash = hash("aggrepay-sandbox-salt", &owned);
    let mut form = serde_urlencoded::to_string(fields).unwrap();
    form.push_str("&hash=");
    form.push_str(&hash);
    form
}

/// An amount near `Decimal::MAX` overflowed when turned into paise: the handler panicked and
/// the client got INTERNAL-ERROR instead of the validation error.
#[tokio::test]
async fn an_aggrepay_amount_near_the_decimal_limit_is_not_a_number() {
    let app = spawn_app().await;
    let before = app.get_json("/__sandbox/state").await;
    for amount in [
        "7922816251426433759354395033.5",
        "79228162514264337593543950335",
    ] {
        let body = signed_form(&[
            ("api_key", "aggrepay-sandbox-api-key"),
            ("to_customer_id", "546693304"),
            ("amount", amount),
            ("description", "Wallet load"),
            ("merchant_transaction_id", "ABC131300"),
            ("pg_transaction_id", "PG123"),
        ]);
        let response = app
            .client
            .post(app.url("/api/v1/creditwallet"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, answer) = status_and_json(response).await;
        assert_eq!(status, 200);
        assert_eq!(
            answer["error"],
            json!({"code": "INVALID-PARAMS", "message": "The amount must be a number."}),
            "amount {amount}"
        );
    }
    assert_eq!(app.get_json("/__sandbox/state").await, before);
}
