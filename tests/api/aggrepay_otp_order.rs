//! AggrePay's SMS outbox follows commit order: an OTP's `created_at` is read inside the write
//! that sends it, so the outbox listed oldest first ends with the one OTP that verifies, even
//! when many are sent for one number at the same time.

use crate::helpers::{TestApp, spawn_app};
use serde_json::Value;
use sha2::{Digest, Sha512};
use std::fmt::Write;

const KEY: &str = "aggrepay-sandbox-api-key";
const SALT: &str = "aggrepay-sandbox-salt";

/// The document's request hash (Appendix 17.1): values sorted by key, trimmed, non-empty,
/// `salt|v1|v2…`, SHA-512 in upper-case hex.
fn signed(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all = vec![("api_key".to_string(), KEY.to_string())];
    all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut data = SALT.to_string();
    for (_, value) in &sorted {
        if !value.trim().is_empty() {
            data.push('|');
            data.push_str(value.trim());
        }
    }
    let hash = Sha512::digest(data.as_bytes())
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02X}");
            out
        });
    all.push(("hash".into(), hash));
    all
}

pub(crate) async fn post(app: &TestApp, endpoint: &str, fields: &[(&str, &str)]) -> Value {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/{endpoint}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(signed(fields)).unwrap())
        .send()
        .await
        .expect("a response");
    response.json().await.expect("a JSON answer")
}

#[tokio::test]
async fn otps_sent_at_once_are_listed_in_the_order_they_superseded_each_other() {
    let app = spawn_app().await;
    let mobile = "9123400077";
    let fields = [("mobile_number", mobile), ("email", "order@example.com")];
    let sends = (0..16).map(|_| post(&app, "registrationotp", &fields));
    for answer in futures_util::future::join_all(sends).await {
        assert_eq!(answer["data"]["otp_sent"], "true", "{answer}");
    }
    let query = serde_urlencoded::to_string([("mobile_number", mobile)]).unwrap();
    let outbox = app
        .get_json(&format!("/__sandbox/aggrepay/otps?{query}"))
        .await;
    let outbox = outbox.as_array().expect("an array");
    assert_eq!(outbox.len(), 16);
    let (last, earlier) = outbox.split_last().unwrap();
    for otp in earlier {
        assert_eq!(otp["superseded"], true, "listed before the last: {otp}");
    }
    assert_eq!(last["superseded"], false, "{last}");
    let otp = last["otp"].as_str().unwrap();
    let registration = [
        ("mobile_number", mobile),
        ("otp", otp),
        ("first_name", "Asha"),
        ("last_name", "Rao"),
        ("mpin", "4321"),
    ];
    let answer = post(&app, "registercustomer", &registration).await;
    assert!(
        answer["error"].is_null(),
        "the last OTP listed verifies: {answer}"
    );
    assert!(answer["data"]["customer_id"].is_string(), "{answer}");
}
