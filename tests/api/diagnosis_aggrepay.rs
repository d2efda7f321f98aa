//! AggrePay's diagnoses over HTTP: a hash mismatch shows the string the sandbox hashed (salt
//! and secrets masked) and names the client's mistake; the answer itself stays the
//! document's `HASH-MISMATCH`; the report counts it.
//!
//! The wrong hashes are made here the way a buggy client makes them, from the document's
//! algorithm (Appendix 17.1), independently of the sandbox's code.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha512};
use std::fmt::Write;

const KEY: &str = "aggrepay-sandbox-api-key";
const SALT: &str = "aggrepay-sandbox-salt";
const MOBILE: &str = "9845012345";

fn hex(digest: &[u8]) -> String {
    digest.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02X}");
        out
    })
}

fn sha512(text: &str) -> String {
    hex(&Sha512::digest(text.as_bytes()))
}

fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// ksort in byte order.
fn sorted(fields: &[(String, String)]) -> Vec<(String, String)> {
    let mut fields = fields.to_vec();
    fields.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    fields
}

/// `salt|v1|v2…` over the values the filter keeps, in the order given.
fn joined(salt: &str, fields: &[(String, String)], keep: impl Fn(&str) -> bool) -> String {
    fields
        .iter()
        .filter(|(_, v)| keep(v))
        .fold(salt.to_string(), |data, (_, v)| format!("{data}|{v}"))
}

/// The right string: sorted, trimmed, non-empty values, salt first.
fn right_data(salt: &str, fields: &[(String, String)]) -> String {
    let trimmed: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.clone(), v.trim().to_string()))
        .collect();
    joined(salt, &sorted(&trimmed), |v| !v.is_empty())
}

/// Posts `fields` and `hash` as a form; checks the answer is the document's hash mismatch
/// and answers the journal entry.
async fn refused(
    app: &TestApp,
    endpoint: &str,
    fields: &[(String, String)],
    hash: Option<&str>,
) -> Value {
    let mut all = fields.to_vec();
    if let Some(hash) = hash {
        all.push(("hash".into(), hash.into()));
    }
    let response = app
        .client
        .post(app.url(&format!("/api/v1/{endpoint}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&all).unwrap())
        .send()
        .await
        .expect("a response");
    let id = response.headers()["x-sandbox-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"data": null, "error": {"code": "HASH-MISMATCH", "message": "Hash Mismatch"},
               "page": null, "hash": null})
    );
    let entry = app.get_json(&format!("/__sandbox/requests/{id}")).await;
    assert_eq!(entry["code"], "HASH-MISMATCH", "{entry}");
    assert_eq!(entry["diagnosis"]["code"], "HASH-MISMATCH", "{entry}");
    assert_eq!(entry["diagnosis"]["field"], "hash", "{entry}");
    assert_eq!(entry["diagnosis"]["doc"], "Appendix 17.1", "{entry}");
    entry
}

fn checkcustomer(mobile: &str) -> Vec<(String, String)> {
    owned(&[("mobile_number", mobile), ("api_key", KEY)])
}

const SHOWN: &str = "<salt>|***|9845012345 (fields: salt|api_key|mobile_number)";

#[tokio::test]
async fn each_common_hash_mistake_is_named_with_what_to_change() {
    let app = spawn_app().await;
    // Another merchant, whose salt a client may take by mistake.
    let (status, answer) = status_and_json(
        app.post_json(
            "/__sandbox/fixtures",
            &json!({"aggrepay": {"merchants": [{"api_key": "second-key", "salt": "second-salt"}]}}),
        )
        .await,
    )
    .await;
    assert!(status.is_success(), "{answer}");

    let posted = checkcustomer(MOBILE);
    let right = right_data(SALT, &posted);
    let values: Vec<String> = sorted(&posted).into_iter().map(|(_, v)| v).collect();

    // Signed twice: the first hash is in the map under the document's `Hash` when it is
    // signed again.
    let mut twice = posted.clone();
    twice.push(("Hash".into(), sha512(&right)));
    let twice = sha512(&joined(SALT, &sorted(&twice), |v| !v.is_empty()));

    let cases: Vec<(&str, String, &str)> = vec![
        (
            "aggrepay.hash.posted_order",
            sha512(&joined(SALT, &posted, |v| !v.is_empty())),
            "Sort the fields by name",
        ),
        ("aggrepay.hash.hash_included", twice, "without `hash`"),
        (
            "aggrepay.hash.salt_last",
            sha512(&format!("{}|{SALT}", values.join("|"))),
            "Put the salt first",
        ),
        (
            "aggrepay.hash.sha256",
            hex(&Sha256::digest(right.as_bytes())),
            "SHA-512",
        ),
        (
            "aggrepay.hash.other_merchant",
            sha512(&right_data("second-salt", &posted)),
            "another merchant's",
        ),
    ];
    for (rule, hash, hint) in cases {
        let entry = refused(&app, "checkcustomer", &posted, Some(&hash)).await;
        let diagnosis = &entry["diagnosis"];
        assert_eq!(diagnosis["rule"], rule, "{entry}");
        assert_eq!(diagnosis["expected"], SHOWN, "{rule}");
        assert_eq!(diagnosis["got"], hash.as_str(), "{rule}");
        let said = diagnosis["hint"].as_str().unwrap();
        assert!(said.contains(hint), "{rule}: {said}");
        assert!(!diagnosis.to_string().contains("second-salt"), "{rule}");
    }

    // Values hashed with their spaces (the form carries them; the sandbox trims).
    let spaced = checkcustomer(" 9845012345 ");
    let untrimmed = sha512(&joined(SALT, &sorted(&spaced), |v| !v.is_empty()));
    let entry = refused(&app, "checkcustomer", &spaced, Some(&untrimmed)).await;
    assert_eq!(
        entry["diagnosis"]["rule"], "aggrepay.hash.untrimmed",
        "{entry}"
    );
    assert_eq!(entry["diagnosis"]["expected"], SHOWN);
    let hint = entry["diagnosis"]["hint"].as_str().unwrap();
    assert!(
        hint.contains("Trim") && hint.contains("`mobile_number`"),
        "{hint}"
    );

    // An empty field joined in as `||`.
    let mut with_empty = checkcustomer(MOBILE);
    with_empty.push(("email".into(), String::new()));
    let empty = sha512(&joined(SALT, &sorted(&with_empty), |_| true));
    let entry = refused(&app, "checkcustomer", &with_empty, Some(&empty)).await;
    assert_eq!(
        entry["diagnosis"]["rule"], "aggrepay.hash.empty_included",
        "{entry}"
    );
    let hint = entry["diagnosis"]["hint"].as_str().unwrap();
    assert!(hint.contains("`email`"), "{hint}");
}

#[tokio::test]
async fn a_hash_that_is_no_known_mistake_is_a_plain_mismatch() {
    let app = spawn_app().await;
    let posted = checkcustomer(MOBILE);
    let wrong = sha512(&right_data("not-the-salt", &posted));
    let entry = refused(&app, "checkcustomer", &posted, Some(&wrong)).await;
    let diagnosis = &entry["diagnosis"];
    assert_eq!(diagnosis["rule"], "aggrepay.hash.mismatch", "{entry}");
    assert_eq!(diagnosis["expected"], SHOWN);
    assert_eq!(diagnosis["got"], wrong.as_str());
    assert!(diagnosis["hint"].as_str().unwrap().contains("SHA-512"));

    // A hash of the wrong length says so.
    let entry = refused(&app, "checkcustomer", &posted, Some("ABC123")).await;
    assert_eq!(entry["diagnosis"]["rule"], "aggrepay.hash.mismatch");
    let hint = entry["diagnosis"]["hint"].as_str().unwrap();
    assert!(hint.contains("128") && hint.contains("has 6"), "{hint}");
}

#[tokio::test]
async fn a_request_without_a_hash_is_its_own_rule() {
    let app = spawn_app().await;
    let entry = refused(&app, "checkcustomer", &checkcustomer(MOBILE), None).await;
    let diagnosis = &entry["diagnosis"];
    assert_eq!(diagnosis["rule"], "aggrepay.hash.missing", "{entry}");
    assert_eq!(diagnosis["expected"], SHOWN);
    assert!(diagnosis.get("got").is_none(), "{entry}");
}

#[tokio::test]
async fn no_salt_key_or_mpin_appears_in_the_diagnosis() {
    let app = spawn_app().await;
    let (key, salt, mpin) = ("diag-key-7715", "pepper-salt-3191", "8642");
    let (status, answer) = status_and_json(
        app.post_json(
            "/__sandbox/fixtures",
            &json!({"aggrepay": {"merchants": [{"api_key": key, "salt": salt}]}}),
        )
        .await,
    )
    .await;
    assert!(status.is_success(), "{answer}");
    // A debit with its MPIN and the salt posted by mistake, signed in posted order (a named
    // mistake, found after the others were tried).
    let posted = owned(&[
        ("api_key", key),
        ("customer_id", "546693304"),
        ("amount", "1.00"),
        ("mpin", mpin),
        ("salt", salt),
        ("merchant_transaction_id", "DIAG-1"),
    ]);
    let hash = sha512(&joined(salt, &posted, |v| !v.is_empty()));
    let entry = refused(&app, "debitwallet", &posted, Some(&hash)).await;
    let diagnosis = &entry["diagnosis"];
    assert_eq!(diagnosis["rule"], "aggrepay.hash.posted_order", "{entry}");
    assert_eq!(
        diagnosis["expected"],
        "<salt>|1.00|***|546693304|DIAG-1|***|*** \
         (fields: salt|amount|api_key|customer_id|merchant_transaction_id|mpin|salt)"
    );
    let text = diagnosis.to_string();
    for secret in [key, salt, mpin] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // Nowhere in the entry either (the api_key, not a secret of AggrePay's, is journaled
    // in the request body as sent). The id, time, duration and headers (the port) are no
    // part of what was posted and could hold the MPIN's digits by chance.
    let mut entry = entry.clone();
    let fields = entry.as_object_mut().unwrap();
    for name in ["id", "time", "duration_ms", "headers"] {
        fields.remove(name);
    }
    let text = entry.to_string();
    for secret in [salt, mpin] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    // The same with no hash at all.
    let entry = refused(&app, "debitwallet", &posted, None).await;
    assert_eq!(entry["diagnosis"]["rule"], "aggrepay.hash.missing");
    let text = entry["diagnosis"].to_string();
    for secret in [key, salt, mpin] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[tokio::test]
async fn the_report_counts_hash_mismatches_and_successes_per_endpoint() {
    let app = spawn_app().await;
    let count = |report: &Value, endpoint: &str, code: &str| -> Option<u64> {
        let provider = report["providers"]
            .as_array()?
            .iter()
            .find(|p| p["provider"] == "aggrepay")?;
        let endpoint = provider["endpoints"]
            .as_array()?
            .iter()
            .find(|e| e["endpoint"] == endpoint)?;
        let outcome = endpoint["outcomes"]
            .as_array()?
            .iter()
            .find(|o| o["code"] == code)?;
        outcome["count"].as_u64()
    };
    let before = app.get_json("/__sandbox/report?provider=aggrepay").await;
    assert_eq!(
        count(&before, "fetchbalance", "HASH-MISMATCH"),
        Some(0),
        "{before}"
    );
    assert_eq!(
        count(&before, "fetchbalance", "SUCCESS"),
        Some(0),
        "{before}"
    );

    let posted = owned(&[("api_key", KEY), ("customer_id", "546693304")]);
    refused(&app, "fetchbalance", &posted, Some("ABC")).await;
    refused(&app, "fetchbalance", &posted, None).await;
    let mut signed = posted.clone();
    signed.push(("hash".into(), sha512(&right_data(SALT, &posted))));
    let (status, body) = status_and_json(
        app.client
            .post(app.url("/api/v1/fetchbalance"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(&signed).unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body["error"].is_null(), "{body}");

    let after = app.get_json("/__sandbox/report?provider=aggrepay").await;
    assert_eq!(
        count(&after, "fetchbalance", "HASH-MISMATCH"),
        Some(2),
        "{after}"
    );
    assert_eq!(count(&after, "fetchbalance", "SUCCESS"), Some(1), "{after}");
    assert_eq!(count(&after, "checkcustomer", "HASH-MISMATCH"), Some(0));
}

#[tokio::test]
async fn every_aggrepay_rule_is_listed_with_its_code_and_section() {
    let app = spawn_app().await;
    let rules = app.get_json("/__sandbox/rules").await;
    let rules = rules.as_array().expect("a list of rules");
    for id in [
        "aggrepay.hash.mismatch",
        "aggrepay.hash.missing",
        "aggrepay.hash.untrimmed",
        "aggrepay.hash.empty_included",
        "aggrepay.hash.posted_order",
        "aggrepay.hash.hash_included",
        "aggrepay.hash.salt_last",
        "aggrepay.hash.sha256",
        "aggrepay.hash.other_merchant",
        "aggrepay.auth.api_key_unknown",
        "aggrepay.params.invalid",
    ] {
        let rule = rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not listed"));
        assert!(
            rule["code"].is_string() && rule["doc"].is_string(),
            "{rule}"
        );
    }
    let readme = include_str!("../../README.md");
    for rule in rules.iter().filter(|r| {
        r["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("aggrepay."))
    }) {
        let id = rule["id"].as_str().unwrap();
        assert!(
            readme.contains(&format!("`{id}`")),
            "{id} is not in README.md"
        );
    }
}
