//! AggrePay's business diagnoses over HTTP that take more than one request (the golden
//! cases in `tests/golden/aggrepay/diagnosis-*.json` cover the single-request ones): why an
//! OTP did not verify, the lint rules over recorded traffic, and that no MPIN, OTP or salt
//! appears in any diagnosis or finding.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};
use sha2::{Digest, Sha512};
use std::fmt::Write;

const KEY: &str = "aggrepay-sandbox-api-key";
const SALT: &str = "aggrepay-sandbox-salt";
/// A fixture customer of the default merchant (balance 41.0, MPIN 1234).
const CUSTOMER: &str = "546693304";

/// Appendix 17.1: values sorted by name, trimmed, non-empty, `salt|v1|v2…`, SHA-512
/// upper-case hex; the values are posted as given (spaces kept).
fn signed(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all = vec![("api_key".to_string(), KEY.to_string())];
    all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut sorted = all.clone();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let data = sorted
        .iter()
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .fold(SALT.to_string(), |data, v| format!("{data}|{v}"));
    let hash = Sha512::digest(data.as_bytes())
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02X}");
            out
        });
    all.push(("hash".into(), hash));
    all
}

/// Posts a signed form; answers the body and the journal id (None when no answer came).
async fn post(app: &TestApp, endpoint: &str, fields: &[(&str, &str)]) -> (Value, Option<u64>) {
    let sent = app
        .client
        .post(app.url(&format!("/api/v1/{endpoint}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(signed(fields)).unwrap())
        .send()
        .await;
    let Ok(response) = sent else {
        return (Value::Null, None);
    };
    let id = response
        .headers()
        .get("x-sandbox-request-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (response.json().await.expect("a JSON answer"), id)
}

async fn diagnosis(app: &TestApp, id: Option<u64>) -> Value {
    let id = id.expect("a request id");
    app.get_json(&format!("/__sandbox/requests/{id}")).await["diagnosis"].clone()
}

/// The OTPs sent to `mobile`, oldest first.
async fn outbox(app: &TestApp, mobile: &str) -> Vec<Value> {
    let query = serde_urlencoded::to_string([("mobile_number", mobile)]).unwrap();
    app.get_json(&format!("/__sandbox/aggrepay/otps?{query}"))
        .await
        .as_array()
        .expect("an array")
        .clone()
}

fn registration<'a>(mobile: &'a str, otp: &'a str) -> [(&'a str, &'a str); 5] {
    [
        ("mobile_number", mobile),
        ("otp", otp),
        ("first_name", "Asha"),
        ("last_name", "Rao"),
        ("mpin", "4321"),
    ]
}

/// A 6-digit OTP that is none of `sent`.
fn other_otp(sent: &[&str]) -> String {
    (100_000..)
        .map(|n: u32| n.to_string())
        .find(|n| !sent.contains(&n.as_str()))
        .unwrap()
}

async fn set_clock(app: &TestApp, at: &str) {
    let response = app.post_json("/__sandbox/clock", &json!({"set": at})).await;
    assert!(response.status().is_success());
}

fn assert_refused_otp(answer: &Value, diagnosis: &Value, rule: &str) {
    assert_eq!(answer["error"]["code"], "INVALID-OTP", "{answer}");
    assert_eq!(answer["error"]["message"], "Invalid OTP", "{answer}");
    assert_eq!(diagnosis["rule"], rule, "{diagnosis}");
    assert_eq!(diagnosis["code"], "INVALID-OTP", "{diagnosis}");
    assert_eq!(diagnosis["field"], "otp", "{diagnosis}");
    assert!(diagnosis["hint"].as_str().is_some_and(|h| !h.is_empty()));
}

#[tokio::test]
async fn an_otp_refusal_says_whether_it_was_superseded_wrong_or_used() {
    let app = spawn_app().await;
    let mobile = "9123400011";
    let send = [("mobile_number", mobile), ("email", "a@example.com")];
    set_clock(&app, "2026-03-02T10:00:00+05:30").await;
    post(&app, "registrationotp", &send).await;
    post(&app, "registrationotp", &send).await;
    let sent = outbox(&app, mobile).await;
    let (first, last) = (
        sent[0]["otp"].as_str().unwrap(),
        sent[1]["otp"].as_str().unwrap(),
    );
    let last_sent_at = sent[1]["created_at"].as_str().unwrap().to_string();

    // Two random 6-digit OTPs (the default merchant has no fixed OTP).
    assert_ne!(first, last, "two OTPs drawn alike");
    {
        let (answer, id) = post(&app, "registercustomer", &registration(mobile, first)).await;
        let diagnosis = diagnosis(&app, id).await;
        assert_refused_otp(&answer, &diagnosis, "aggrepay.otp.superseded");
        let hint = diagnosis["hint"].as_str().unwrap();
        assert!(hint.contains("newer OTP"), "{hint}");
        assert!(
            hint.contains(&last_sent_at[..16]),
            "the hint says when the newer OTP was sent ({last_sent_at}): {hint}"
        );
    }

    let wrong = other_otp(&[first, last]);
    let (answer, id) = post(&app, "registercustomer", &registration(mobile, &wrong)).await;
    assert_refused_otp(&answer, &diagnosis(&app, id).await, "aggrepay.otp.wrong");

    let (answer, _) = post(&app, "registercustomer", &registration(mobile, last)).await;
    assert!(answer["error"].is_null(), "the last OTP verifies: {answer}");
    // The customer now exists; a customer OTP spent twice is `used`.
    post(&app, "customerotp", &[("mobile_number", mobile)]).await;
    let otp = outbox(&app, mobile).await.last().unwrap()["otp"]
        .as_str()
        .unwrap()
        .to_string();
    let reset = [
        ("mobile_number", mobile),
        ("otp", &otp),
        ("new_mpin", "5678"),
    ];
    let (answer, _) = post(&app, "forgotmpin", &reset).await;
    assert!(answer["error"].is_null(), "{answer}");
    let again = [
        ("mobile_number", mobile),
        ("otp", &otp),
        ("new_mpin", "6789"),
    ];
    let (answer, id) = post(&app, "forgotmpin", &again).await;
    assert_refused_otp(&answer, &diagnosis(&app, id).await, "aggrepay.otp.used");
}

#[tokio::test]
async fn an_expired_otp_says_when_it_expired_on_the_sandbox_clock() {
    let app = spawn_app().await;
    let mobile = "9123400012";
    set_clock(&app, "2026-03-02T10:00:00+05:30").await;
    post(
        &app,
        "registrationotp",
        &[("mobile_number", mobile), ("email", "b@example.com")],
    )
    .await;
    let sent = outbox(&app, mobile).await;
    let otp = sent[0]["otp"].as_str().unwrap().to_string();
    let expires_at = sent[0]["expires_at"].as_str().unwrap().to_string();
    set_clock(&app, "2026-03-02T10:11:00+05:30").await;
    let (answer, id) = post(&app, "registercustomer", &registration(mobile, &otp)).await;
    let diagnosis = diagnosis(&app, id).await;
    assert_refused_otp(&answer, &diagnosis, "aggrepay.otp.expired");
    let hint = diagnosis["hint"].as_str().unwrap();
    assert!(hint.contains("expired at"), "{hint}");
    assert!(hint.contains(&expires_at[..16]), "{expires_at} in {hint}");
    assert!(
        diagnosis["got"]
            .as_str()
            .unwrap()
            .contains("2026-03-02T10:11"),
        "got says when it was tried: {diagnosis}"
    );
}

#[tokio::test]
async fn a_wrong_mpin_is_named_without_its_value_or_an_attempt_count() {
    let app = spawn_app().await;
    let debit = [
        ("from_customer_id", CUSTOMER),
        ("mpin", "9876"),
        ("amount", "1.00"),
        ("merchant_transaction_id", "MPIN-1"),
    ];
    let (answer, id) = post(&app, "debitwallet", &debit).await;
    assert_eq!(answer["error"]["code"], "INVALID-MPIN", "{answer}");
    let diagnosis = diagnosis(&app, id).await;
    assert_eq!(diagnosis["rule"], "aggrepay.mpin.invalid");
    assert_eq!(diagnosis["field"], "mpin");
    assert!(
        diagnosis["hint"]
            .as_str()
            .unwrap()
            .contains("counts no attempts")
    );
    assert!(!diagnosis.to_string().contains("9876"));
    assert!(!diagnosis.to_string().contains("1234"));
}

#[tokio::test]
async fn no_mpin_otp_or_salt_appears_in_a_diagnosis() {
    let app = spawn_app().await;
    let mobile = "9123400013";
    post(
        &app,
        "registrationotp",
        &[("mobile_number", mobile), ("email", "c@example.com")],
    )
    .await;
    let otp = outbox(&app, mobile).await[0]["otp"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = other_otp(&[&otp]);
    let requests: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("registercustomer", registration(mobile, &wrong).to_vec()),
        ("registercustomer", {
            let mut fields = registration(mobile, &otp).to_vec();
            fields[4] = ("mpin", "98765");
            fields
        }),
        (
            "changempin",
            vec![
                ("customer_id", CUSTOMER),
                ("old_mpin", "9753"),
                ("new_mpin", "8642"),
            ],
        ),
        (
            "changempin",
            vec![
                ("customer_id", CUSTOMER),
                ("old_mpin", "1234"),
                ("new_mpin", "0000"),
            ],
        ),
        (
            "forgotmpin",
            vec![
                ("customer_id", CUSTOMER),
                ("otp", "97531"),
                ("new_mpin", "8642"),
            ],
        ),
    ];
    let secrets = [
        wrong.as_str(),
        otp.as_str(),
        "98765",
        "9753",
        "8642",
        "97531",
        "1234",
        SALT,
    ];
    for (endpoint, fields) in &requests {
        let (answer, id) = post(&app, endpoint, fields).await;
        assert!(!answer["error"].is_null(), "{endpoint}: {answer}");
        let diagnosis = diagnosis(&app, id).await.to_string();
        for secret in secrets {
            assert!(!diagnosis.contains(secret), "{secret} in {diagnosis}");
        }
    }
}

async fn lint(app: &TestApp) -> Vec<Value> {
    app.get_json("/__sandbox/report?provider=aggrepay").await["lint"]
        .as_array()
        .expect("a lint array")
        .clone()
}

fn findings<'a>(lint: &'a [Value], rule: &str) -> Vec<&'a Value> {
    lint.iter().filter(|f| f["rule"] == rule).collect()
}

#[tokio::test]
async fn requests_signed_over_untrimmed_values_are_linted_with_their_ids() {
    let app = spawn_app().await;
    let (answer, clean) = post(&app, "checkcustomer", &[("mobile_number", "9845012345")]).await;
    assert!(answer["error"].is_null(), "{answer}");
    assert!(lint(&app).await.is_empty(), "clean traffic has no finding");
    let (answer, spaced) = post(&app, "checkcustomer", &[("mobile_number", " 9845012345 ")]).await;
    assert!(
        answer["error"].is_null(),
        "the sandbox trims, as AggrePay does: {answer}"
    );
    let lint = lint(&app).await;
    let found = findings(&lint, "aggrepay.lint.untrimmed_values");
    assert_eq!(found.len(), 1, "{lint:?}");
    assert_eq!(found[0]["requests"], json!([spaced.unwrap()]));
    assert_ne!(Some(spaced.unwrap()), clean);
    let hint = found[0]["hint"].as_str().unwrap();
    assert!(
        hint.contains("mobile_number") && hint.contains("Trim"),
        "{hint}"
    );
}

async fn drop_next(app: &TestApp, endpoint: &str) {
    let rule = json!({"provider": "aggrepay", "endpoint": endpoint, "kind": "drop", "count": 1});
    assert!(
        app.post_json("/__sandbox/faults", &rule)
            .await
            .status()
            .is_success()
    );
}

/// The journal id of the request a fault dropped.
async fn dropped_id(app: &TestApp) -> u64 {
    let journal = app.get_json("/__sandbox/requests?provider=aggrepay").await;
    journal
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "dropped")
        .and_then(|e| e["id"].as_u64())
        .expect("a dropped request in the journal")
}

const DEBIT: [(&str, &str); 4] = [
    ("from_customer_id", CUSTOMER),
    ("mpin", "1234"),
    ("amount", "1.00"),
    ("merchant_transaction_id", "RETRY-1"),
];

#[tokio::test]
async fn a_money_move_retried_after_a_drop_without_a_status_query_is_linted() {
    let app = spawn_app().await;
    drop_next(&app, "debitwallet").await;
    let (_, answered) = post(&app, "debitwallet", &DEBIT).await;
    assert!(answered.is_none(), "the connection was dropped");
    let lost = dropped_id(&app).await;
    let (answer, retry) = post(&app, "debitwallet", &DEBIT).await;
    assert!(answer["error"].is_null(), "{answer}");
    let lint = lint(&app).await;
    let found = findings(&lint, "aggrepay.lint.retry_without_status");
    assert_eq!(found.len(), 1, "{lint:?}");
    assert_eq!(found[0]["requests"], json!([lost, retry.unwrap()]));
    let hint = found[0]["hint"].as_str().unwrap();
    assert!(
        hint.contains("RETRY-1") && hint.contains("fetchbymerchantransactionid"),
        "{hint}"
    );
    assert!(
        !serde_json::to_string(&lint).unwrap().contains("1234"),
        "no MPIN in a finding"
    );
}

#[tokio::test]
async fn a_retry_after_a_status_query_is_not_linted() {
    let app = spawn_app().await;
    drop_next(&app, "debitwallet").await;
    post(&app, "debitwallet", &DEBIT).await;
    let (answer, _) = post(&app, "fetchbalance", &[("customer_id", CUSTOMER)]).await;
    assert!(answer["error"].is_null(), "{answer}");
    let (answer, _) = post(&app, "debitwallet", &DEBIT).await;
    assert!(answer["error"].is_null(), "{answer}");
    let lint = lint(&app).await;
    assert!(
        findings(&lint, "aggrepay.lint.retry_without_status").is_empty(),
        "{lint:?}"
    );
}
