//! PayPro, Chillr and Jaze in the integration report and the rules list: every endpoint lists
//! its documented outcomes (success first), none counted before traffic; after it, the
//! exercised ones are counted with their first request, in JSON, Markdown and JUnit. And no
//! secret sent in a refused request appears in its diagnosis.

use crate::helpers::{TestApp, spawn_app};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Value, json};

const CHILLR_KEY: &str = "5695d71a6368690df2030000";
const CHILLR_SECRET: &str = "f333884a36ccfc54787e6d96eac5e3d3";
const JAZE_AUTH: &str = "Basic amF6ZS1zYW5kYm94LXRva2VuOmphemUtc2FuZGJveC1rZXk=";

/// The provider's part of the JSON report.
async fn report(app: &TestApp, provider: &str) -> Value {
    let report = app
        .get_json(&format!("/__sandbox/report?provider={provider}"))
        .await;
    let providers = report["providers"].as_array().expect("providers");
    assert_eq!(providers.len(), 1, "{report}");
    providers[0].clone()
}

/// One endpoint's outcome `code` in a provider report.
fn outcome<'a>(report: &'a Value, endpoint: &str, code: &str) -> &'a Value {
    let endpoint = report["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["endpoint"] == endpoint)
        .unwrap_or_else(|| panic!("no endpoint {endpoint} in {report}"));
    endpoint["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == code)
        .unwrap_or_else(|| panic!("{endpoint} has no documented outcome {code}"))
}

/// Before any traffic: the endpoints in order, each with its success first, nothing counted.
async fn before_traffic(provider: &str, endpoints: &[&str], success: &str) {
    let app = spawn_app().await;
    let report = report(&app, provider).await;
    let listed: Vec<&str> = report["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["endpoint"].as_str().unwrap())
        .collect();
    assert_eq!(listed, endpoints);
    for endpoint in report["endpoints"].as_array().unwrap() {
        let outcomes = endpoint["outcomes"].as_array().unwrap();
        assert!(outcomes.len() >= 2, "success and errors: {endpoint}");
        assert_eq!(outcomes[0]["code"], success, "{endpoint}");
        for o in outcomes {
            assert_eq!(o["count"], 0, "{endpoint}");
            assert!(o["first_request"].is_null(), "{endpoint}");
            assert!(!o["meaning"].as_str().unwrap().is_empty(), "{endpoint}");
        }
    }
    assert_eq!(report["exercised"], 0);
    let documented: usize = report["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcomes"].as_array().unwrap().len())
        .sum();
    assert_eq!(report["documented"], documented);
}

#[tokio::test]
async fn paypro_report_lists_each_documented_outcome_unexercised_before_traffic() {
    let endpoints = [
        "co", "cmo", "gpojson", "moap", "moab", "mofr", "gos", "cc", "cmc", "uc", "umc", "gcd",
    ];
    before_traffic("paypro", &endpoints, "00").await;
}

#[tokio::test]
async fn chillr_report_lists_each_documented_outcome_unexercised_before_traffic() {
    before_traffic("chillr", &["collect", "check_collect_status"], "0").await;
}

#[tokio::test]
async fn jaze_report_lists_each_documented_outcome_unexercised_before_traffic() {
    let endpoints = [
        "get_all_payment_ids",
        "get_payment_details",
        "get_payment_details_by_date",
        "get_payment_details_by_userid_and_date",
        "get_payment_logs",
        "get_payment_logs_by_date",
        "get_payment_logs_by_userid_and_date",
        "get_payment_receipt",
    ];
    before_traffic("jaze", &endpoints, "200").await;
}

/// Sends a request; answers its request id.
async fn send(request: reqwest::RequestBuilder) -> u64 {
    let response = request.send().await.expect("a response");
    response
        .headers()
        .get("x-sandbox-request-id")
        .expect("a request id")
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// The report in all three formats shows `endpoint`'s `code` counted `count` times, first by
/// `first`, and the JUnit is well-formed XML with one skipped testcase per outcome not exercised.
async fn exercised(
    app: &TestApp,
    provider: &str,
    endpoint: &str,
    code: &str,
    count: u64,
    first: u64,
) {
    let report = report(app, provider).await;
    let seen = outcome(&report, endpoint, code);
    assert_eq!(seen["count"], count, "{report}");
    assert_eq!(seen["first_request"], first, "{report}");

    let markdown = app
        .get(&format!(
            "/__sandbox/report?provider={provider}&format=markdown"
        ))
        .await
        .text()
        .await
        .unwrap();
    let row = format!("| {endpoint} | `{code}` |");
    let line = markdown
        .lines()
        .find(|l| l.starts_with(&row))
        .unwrap_or_else(|| panic!("no row {row} in\n{markdown}"));
    assert!(line.ends_with(&format!("| {count} | {first} |")), "{line}");

    let junit = app
        .get(&format!(
            "/__sandbox/report?provider={provider}&format=junit"
        ))
        .await
        .text()
        .await
        .unwrap();
    let (cases, skipped) = junit_counts(&junit, provider);
    let documented = report["documented"].as_u64().unwrap() as usize;
    let exercised = report["exercised"].as_u64().unwrap() as usize;
    assert_eq!(cases, documented, "{junit}");
    assert_eq!(skipped, documented - exercised, "{junit}");
    let note = format!("exercised {count} time(s), first by request {first}");
    assert!(junit.contains(&note), "{junit}");
}

/// Parses the JUnit XML (panics if it is not well-formed): the testcases and skipped ones of
/// the suite named `provider`.
fn junit_counts(xml: &str, provider: &str) -> (usize, usize) {
    let mut reader = Reader::from_str(xml);
    let (mut in_suite, mut cases, mut skipped) = (false, 0, 0);
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not XML ({e}): {xml}"))
        {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "testsuite" => {
                in_suite = e
                    .try_get_attribute("name")
                    .unwrap()
                    .is_some_and(|a| *a.value == *provider);
            }
            Event::Start(e) | Event::Empty(e) if in_suite && e.name().as_ref() == "testcase" => {
                cases += 1;
            }
            Event::Start(e) | Event::Empty(e) if in_suite && e.name().as_ref() == "skipped" => {
                skipped += 1;
            }
            Event::End(e) if e.name().as_ref() == "testsuite" => in_suite = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (cases, skipped)
}

#[tokio::test]
async fn paypro_report_counts_exercised_outcomes_with_their_first_request() {
    let app = spawn_app().await;
    let wrong = "/cpay/gos?userName=ConnectPay&password=nope&cpayId=00471910900006";
    let first = send(app.client.get(app.url(wrong))).await;
    send(app.client.get(app.url(wrong))).await;
    let ok = "/cpay/gos?userName=ConnectPay&password=p@ssw0rd&cpayId=00471910900006";
    let success = send(app.client.get(app.url(ok))).await;
    exercised(&app, "paypro", "gos", "01", 2, first).await;
    exercised(&app, "paypro", "gos", "00", 1, success).await;
    assert_eq!(report(&app, "paypro").await["exercised"], 2);
}

#[tokio::test]
async fn chillr_report_counts_exercised_outcomes_with_their_first_request() {
    let app = spawn_app().await;
    let path = app.url("/chillr/api/v5/check_collect_status");
    let unknown = json!({"api_key": CHILLR_KEY, "api_secret_key": CHILLR_SECRET, "batch_id": "0"});
    let first = send(app.client.post(&path).json(&unknown)).await;
    let missing = json!({"api_key": CHILLR_KEY, "api_secret_key": CHILLR_SECRET});
    let other = send(app.client.post(&path).json(&missing)).await;
    exercised(&app, "chillr", "check_collect_status", "61", 1, first).await;
    exercised(&app, "chillr", "check_collect_status", "60", 1, other).await;
}

#[tokio::test]
async fn jaze_report_counts_exercised_outcomes_with_their_first_request() {
    let app = spawn_app().await;
    let path = app.url("/api/v1/get_payment_details/2");
    let first = send(app.client.get(&path)).await;
    send(app.client.get(&path).header("authorization", "Bearer x")).await;
    let ok = send(app.client.get(&path).header("authorization", JAZE_AUTH)).await;
    exercised(&app, "jaze", "get_payment_details", "401", 2, first).await;
    exercised(&app, "jaze", "get_payment_details", "200", 1, ok).await;
}

#[tokio::test]
async fn paypro_chillr_and_jaze_rules_are_listed_with_code_doc_and_hint() {
    let app = spawn_app().await;
    let rules = app.get_json("/__sandbox/rules").await;
    for provider in ["paypro", "chillr", "jaze"] {
        let own: Vec<&Value> = rules
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["provider"] == provider)
            .collect();
        assert!(own.len() >= 10, "{provider}: {own:?}");
        for rule in own {
            assert!(
                rule["id"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{provider}."))
            );
            for field in ["code", "doc", "summary", "hint"] {
                assert!(!rule[field].as_str().unwrap().is_empty(), "{rule}");
            }
        }
    }
}

/// The journal entry of request `id`.
async fn entry(app: &TestApp, id: u64) -> Value {
    app.get_json(&format!("/__sandbox/requests/{id}")).await
}

#[tokio::test]
async fn paypro_and_chillr_secrets_never_appear_in_a_diagnosis() {
    let app = spawn_app().await;
    let secret = "Sup3rS3cretPw";
    let path = format!("/cpay/gos?userName=ConnectPay&password={secret}&cpayId=1");
    let id = send(app.client.get(app.url(&path))).await;
    let diagnosis = entry(&app, id).await["diagnosis"].clone();
    assert_eq!(
        diagnosis["rule"], "paypro.auth.wrong_password",
        "{diagnosis}"
    );
    assert!(!diagnosis.to_string().contains(secret), "{diagnosis}");

    let co = json!([{"MerchantId": "PayProUser", "MerchantPassword": secret}, {}]);
    let id = send(app.client.post(app.url("/cpay/co")).json(&co)).await;
    let diagnosis = entry(&app, id).await["diagnosis"].clone();
    assert_eq!(
        diagnosis["rule"], "paypro.auth.wrong_password",
        "{diagnosis}"
    );
    assert_eq!(diagnosis["field"], "MerchantPassword", "{diagnosis}");
    assert!(!diagnosis.to_string().contains(secret), "{diagnosis}");

    let body = json!({"api_key": CHILLR_KEY, "api_secret_key": secret, "batch_id": "1"});
    let path = app.url("/chillr/api/v5/check_collect_status");
    let id = send(app.client.post(&path).json(&body)).await;
    let diagnosis = entry(&app, id).await["diagnosis"].clone();
    assert_eq!(diagnosis["rule"], "chillr.auth.api_secret_key_mismatch");
    assert!(!diagnosis.to_string().contains(secret), "{diagnosis}");
}

#[tokio::test]
async fn chillr_code_58_with_several_reasons_diagnoses_the_first_and_lists_them_all() {
    let app = spawn_app().await;
    let body = json!({
        "api_key": CHILLR_KEY, "api_secret_key": CHILLR_SECRET, "name": "Bills",
        "expiry_date": "27-05-2099",
        "customers": [{"msisdn": "123", "amount": "1"}, {"msisdn": "9447741462", "amount": "x"}]
    });
    let id = send(
        app.client
            .post(app.url("/chillr/api/v5/collect"))
            .json(&body),
    )
    .await;
    let entry = entry(&app, id).await;
    assert_eq!(entry["code"], "58");
    let diagnosis = &entry["diagnosis"];
    assert_eq!(
        diagnosis["rule"], "chillr.customer.mobile_invalid",
        "{diagnosis}"
    );
    assert_eq!(diagnosis["field"], "customers[0].msisdn");
    let hint = diagnosis["hint"].as_str().unwrap();
    assert!(hint.contains("2 problems"), "{hint}");
    assert!(hint.contains("customer 2 : invalid amount"), "{hint}");
}
