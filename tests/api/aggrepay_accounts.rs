//! AggrePay accounts over HTTP: registration with its OTP, customer details and status, the
//! customer OTP with forgot/change MPIN, sub merchants, and the SMS outbox.
//!
//! The client side is written here from the document alone, independently of the sandbox's
//! code: the request hash of Appendix 17.1 (ksort in byte order, trimmed non-empty values,
//! salt first, SHA-512 upper case) and the response check of Appendix 17.2, done on the raw
//! text (the `,"hash":"…"` suffix removed, salt prepended, hashed), plus a check that the raw
//! text is exactly what PHP's `json_encode` writes for its own parsed value — which is what
//! lets the document's `responseHashCheck` (decode, unset, encode, hash) succeed.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha512};
use std::fmt::Write;

const KEY: &str = "aggrepay-sandbox-api-key";
const SALT: &str = "aggrepay-sandbox-salt";

// ---------------------------------------------------------------------------------------
// The client: Appendix 17 written from the document.

fn sha512_upper(text: &str) -> String {
    Sha512::digest(text.as_bytes())
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02X}");
            out
        })
}

/// Appendix 17.1, `generateHashKey`: ksort (byte order), `salt|v1|v2…` over the values with
/// a length (after the trimming Laravel does), SHA-512, upper case.
fn request_hash(salt: &str, fields: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = fields.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut data = salt.to_string();
    for (_, value) in sorted {
        if !value.trim().is_empty() {
            data.push('|');
            data.push_str(value.trim());
        }
    }
    sha512_upper(&data)
}

/// PHP's `json_encode` with default flags.
fn php_encode(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::String(s) => {
            let mut out = String::from("\"");
            for unit in s.encode_utf16() {
                match unit {
                    0x22 => out.push_str("\\\""),
                    0x5c => out.push_str("\\\\"),
                    0x2f => out.push_str("\\/"),
                    0x08 => out.push_str("\\b"),
                    0x0c => out.push_str("\\f"),
                    0x0a => out.push_str("\\n"),
                    0x0d => out.push_str("\\r"),
                    0x09 => out.push_str("\\t"),
                    0x20..=0x7e => out.push(char::from(unit as u8)),
                    _ => {
                        let _ = write!(out, "\\u{unit:04x}");
                    }
                }
            }
            out.push('"');
            out
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(php_encode).collect::<Vec<_>>().join(",")
        ),
        Value::Object(map) if map.is_empty() => "[]".into(),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!(
                    "{}:{}",
                    php_encode(&Value::String(k.clone())),
                    php_encode(v)
                ))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// Appendix 17.2, `responseHashCheck`, on the raw text; and the text must be PHP's own
/// encoding of itself, or PHP's decode/unset/encode would hash something else.
fn assert_response_hash(salt: &str, raw: &str) {
    let parsed: Value =
        serde_json::from_str(raw).unwrap_or_else(|e| panic!("not JSON ({e}): {raw}"));
    assert_eq!(
        php_encode(&parsed),
        raw,
        "the body is not in PHP's json_encode form"
    );
    let keys: Vec<&String> = parsed.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["data", "error", "page", "hash"], "{raw}");
    let Some(hash) = parsed["hash"].as_str() else {
        assert!(parsed["hash"].is_null(), "{raw}");
        return;
    };
    let suffix = format!(",\"hash\":\"{hash}\"}}");
    let without = raw
        .strip_suffix(&suffix)
        .unwrap_or_else(|| panic!("the hash is not the last member: {raw}"));
    assert_eq!(
        sha512_upper(&format!("{salt}{without}}}")),
        hash,
        "response hash of {raw}"
    );
}

/// Posted fields, by name.
type Form<'a> = Vec<(&'a str, &'a str)>;

/// An error's code and message.
type Outcome = (String, String);

struct Answer {
    status: StatusCode,
    raw: String,
    body: Value,
}

/// A merchant's client: posts signed forms (or JSON, or multipart) to `/api/v1/<endpoint>`.
#[derive(Clone)]
struct Wallet {
    key: String,
    salt: String,
}

fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

impl Wallet {
    fn sandbox() -> Self {
        Wallet::new(KEY, SALT)
    }

    fn new(key: &str, salt: &str) -> Self {
        Wallet {
            key: key.into(),
            salt: salt.into(),
        }
    }

    /// The fields with `api_key` first and the hash last.
    fn signed(&self, fields: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut all = vec![("api_key".to_string(), self.key.clone())];
        all.extend(owned(fields));
        let hash = request_hash(&self.salt, &all);
        all.push(("hash".into(), hash));
        all
    }

    async fn post(&self, app: &TestApp, endpoint: &str, fields: &[(&str, &str)]) -> Answer {
        post_form(app, endpoint, &self.signed(fields)).await
    }

    /// A success: no error, a good response hash; answers `data`.
    async fn ok(&self, app: &TestApp, endpoint: &str, fields: &[(&str, &str)]) -> Value {
        let answer = self.post(app, endpoint, fields).await;
        self.data_of(endpoint, &answer)
    }

    fn data_of(&self, endpoint: &str, answer: &Answer) -> Value {
        assert_eq!(answer.status, StatusCode::OK, "{endpoint}: {}", answer.raw);
        assert!(answer.body["error"].is_null(), "{endpoint}: {}", answer.raw);
        assert!(
            answer.body["hash"].is_string(),
            "{endpoint}: {}",
            answer.raw
        );
        assert_response_hash(&self.salt, &answer.raw);
        answer.body["data"].clone()
    }

    /// An error: answers `(code, message)`; data, page and hash null.
    async fn err(
        &self,
        app: &TestApp,
        endpoint: &str,
        fields: &[(&str, &str)],
    ) -> (String, String) {
        error_of(&self.post(app, endpoint, fields).await)
    }
}

async fn post_form(app: &TestApp, endpoint: &str, fields: &[(String, String)]) -> Answer {
    let body = serde_urlencoded::to_string(fields).unwrap();
    let response = app
        .client
        .post(app.url(&format!("/api/v1/{endpoint}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("a response");
    answer_of(response).await
}

async fn answer_of(response: reqwest::Response) -> Answer {
    let status = response.status();
    let raw = response.text().await.expect("a body");
    let body = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("not JSON ({e}): {raw}"));
    Answer { status, raw, body }
}

fn error_of(answer: &Answer) -> (String, String) {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.raw);
    assert!(answer.body["data"].is_null(), "{}", answer.raw);
    assert!(answer.body["page"].is_null(), "{}", answer.raw);
    assert!(answer.body["hash"].is_null(), "{}", answer.raw);
    assert_response_hash("", &answer.raw);
    (
        answer.body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        answer.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

fn invalid(message: &str) -> (String, String) {
    ("INVALID-PARAMS".into(), message.into())
}

fn code(code: &str, message: &str) -> (String, String) {
    (code.into(), message.into())
}

/// Loads a fixture document (201).
async fn load(app: &TestApp, fixture: Value) {
    let (status, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", &fixture).await).await;
    assert!(status.is_success(), "{status} {answer}");
}

/// A second merchant with its own key and salt (and, if given, a fixed OTP).
async fn merchant(app: &TestApp, key: &str, salt: &str, fixed_otp: Option<&str>) -> Wallet {
    let mut merchant = json!({"api_key": key, "salt": salt});
    if let Some(otp) = fixed_otp {
        merchant["fixed_otp"] = json!(otp);
    }
    load(app, json!({"aggrepay": {"merchants": [merchant]}})).await;
    Wallet::new(key, salt)
}

async fn set_clock(app: &TestApp, at: &str) {
    let response = app.post_json("/__sandbox/clock", &json!({"set": at})).await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn advance(app: &TestApp, by: &str) {
    let response = app
        .post_json("/__sandbox/clock", &json!({"advance": by}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// The outbox for a number (any form), oldest first.
async fn outbox(app: &TestApp, mobile: &str) -> Vec<Value> {
    let query = serde_urlencoded::to_string([("mobile_number", mobile)]).unwrap();
    let list = app
        .get_json(&format!("/__sandbox/aggrepay/otps?{query}"))
        .await;
    list.as_array().expect("an array").clone()
}

/// The last OTP sent to a number.
async fn last_otp(app: &TestApp, mobile: &str) -> String {
    let list = outbox(app, mobile).await;
    list.last().expect("an OTP was sent")["otp"]
        .as_str()
        .unwrap()
        .to_string()
}

fn registration<'a>(mobile: &'a str, otp: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("mobile_number", mobile),
        ("otp", otp),
        ("first_name", "Asha"),
        ("last_name", "Rao"),
        ("date_of_birth", "1990-04-01"),
        ("mpin", "2468"),
    ]
}

fn with<'a>(
    mut fields: Vec<(&'a str, &'a str)>,
    name: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    fields.retain(|(n, _)| *n != name);
    fields.push((name, value));
    fields
}

fn without<'a>(mut fields: Vec<(&'a str, &'a str)>, name: &str) -> Vec<(&'a str, &'a str)> {
    fields.retain(|(n, _)| *n != name);
    fields
}

// ---------------------------------------------------------------------------------------
// The client itself.

#[test]
fn the_client_hash_and_encoder_follow_the_document() {
    // sha512("salt|k|9447741462"): ksort puts api_key before mobile_number; the empty email
    // is skipped; values are trimmed.
    let fields = owned(&[
        ("mobile_number", " 9447741462 "),
        ("email", ""),
        ("api_key", "k"),
    ]);
    assert_eq!(
        request_hash("salt", &fields),
        sha512_upper("salt|k|9447741462")
    );
    // Byte order: upper case and `_` sort by their bytes, "0" is not empty.
    let fields = owned(&[("b", "2"), ("a", "1"), ("B", "3"), ("_x", "0")]);
    assert_eq!(request_hash("s", &fields), sha512_upper("s|3|0|1|2"));
    assert_eq!(
        sha512_upper("abc"),
        "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F"
    );
    assert_eq!(
        php_encode(&json!({"d": "a/b é 😀", "n": 40.0, "e": {}, "x": null})),
        r#"{"d":"a\/b \u00e9 \ud83d\ude00","n":40,"e":[],"x":null}"#
    );
}

// ---------------------------------------------------------------------------------------
// Order of checks and the body forms.

#[tokio::test]
async fn checks_run_in_order_unauthorized_then_hash_then_fields() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let unauthorized = code("UNAUTHORIZED", "Unauthorized");
    let mismatch = code("HASH-MISMATCH", "Hash Mismatch");
    for endpoint in [
        "checkcustomer",
        "registrationotp",
        "registercustomer",
        "fetchcustomerdetail",
        "updatecustomer",
        "customerstatus",
        "customerotp",
        "forgotmpin",
        "changempin",
        "addsubmerchant",
        "getsubmerchants",
    ] {
        // A bad key with a bad hash: the key is checked first.
        let bad = vec![
            ("api_key".to_string(), "nope".to_string()),
            ("mobile_number".into(), "12".into()),
            ("hash".into(), "ABC".into()),
        ];
        assert_eq!(
            error_of(&post_form(&app, endpoint, &bad).await),
            unauthorized,
            "{endpoint}"
        );
        // No key at all.
        let none = vec![("mobile_number".to_string(), "9845012345".to_string())];
        assert_eq!(
            error_of(&post_form(&app, endpoint, &none).await),
            unauthorized,
            "{endpoint}"
        );
        // A good key with a wrong, then a missing, hash.
        let mut wrong = sandbox.signed(&[("mobile_number", "12")]);
        wrong.last_mut().unwrap().1 = request_hash("another salt", &wrong[..wrong.len() - 1]);
        assert_eq!(
            error_of(&post_form(&app, endpoint, &wrong).await),
            mismatch,
            "{endpoint}"
        );
        let mut missing = sandbox.signed(&[("mobile_number", "12")]);
        missing.pop();
        assert_eq!(
            error_of(&post_form(&app, endpoint, &missing).await),
            mismatch,
            "{endpoint}"
        );
        // A hash over other values.
        let mut tampered = sandbox.signed(&[("mobile_number", "9845012345")]);
        tampered[1].1 = "9900261104".into();
        assert_eq!(
            error_of(&post_form(&app, endpoint, &tampered).await),
            mismatch,
            "{endpoint}"
        );
    }
    // A good hash over a bad field: the field's message.
    for endpoint in [
        "checkcustomer",
        "registrationotp",
        "registercustomer",
        "addsubmerchant",
    ] {
        assert_eq!(
            sandbox
                .err(&app, endpoint, &[("mobile_number", "12345")])
                .await,
            invalid("The mobile number field contains an invalid number."),
            "{endpoint}"
        );
    }
    for endpoint in [
        "fetchcustomerdetail",
        "updatecustomer",
        "customerstatus",
        "customerotp",
        "forgotmpin",
        "changempin",
    ] {
        assert_eq!(
            sandbox
                .err(&app, endpoint, &[("mobile_number", "12345")])
                .await,
            invalid("The mobile number field contains an invalid number."),
            "{endpoint}"
        );
    }
}

#[tokio::test]
async fn the_hash_field_may_be_spelt_hash_or_hash_in_capitals_and_in_lower_case_hex() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let mut fields = sandbox.signed(&[("mobile_number", "9845012345")]);
    let hash = fields.pop().unwrap().1;
    fields.push(("Hash".into(), hash.to_lowercase()));
    let answer = post_form(&app, "checkcustomer", &fields).await;
    assert_eq!(
        sandbox.data_of("checkcustomer", &answer),
        json!({"customer_exists": "true"})
    );
    // Values are trimmed before hashing, as Laravel trims them.
    let mut padded = sandbox.signed(&[("mobile_number", "9845012345")]);
    padded[1].1 = "  9845012345 ".into();
    let answer = post_form(&app, "checkcustomer", &padded).await;
    assert_eq!(
        sandbox.data_of("checkcustomer", &answer),
        json!({"customer_exists": "true"})
    );
}

#[tokio::test]
async fn json_and_multipart_bodies_are_hashed_over_the_same_values() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    // JSON with a number where the form has text: hashed over its text.
    let mut body = json!({"api_key": KEY, "customer_id": 575290695});
    let hash = request_hash(
        SALT,
        &owned(&[("api_key", KEY), ("customer_id", "575290695")]),
    );
    body["hash"] = json!(hash);
    let answer = answer_of(app.post_json("/api/v1/fetchcustomerdetail", &body).await).await;
    assert_eq!(
        sandbox.data_of("fetchcustomerdetail", &answer)["first_name"],
        "Karmendra"
    );
    // The same JSON with a wrong hash.
    body["hash"] = json!(request_hash("x", &[]));
    let answer = answer_of(app.post_json("/api/v1/fetchcustomerdetail", &body).await).await;
    assert_eq!(error_of(&answer), code("HASH-MISMATCH", "Hash Mismatch"));

    // multipart/form-data.
    let fields = sandbox.signed(&[("mobile_number", "+919900261104"), ("customer_active", "")]);
    let boundary = "----sandbox-boundary-7MA4YWxkTrZu0gW";
    let mut multipart = String::new();
    for (name, value) in &fields {
        let _ = write!(
            multipart,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        );
    }
    let _ = write!(multipart, "--{boundary}--\r\n");
    let response = app
        .client
        .post(app.url("/aggrepay/api/v1/customerstatus"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(multipart.clone())
        .send()
        .await
        .unwrap();
    let answer = answer_of(response).await;
    assert_eq!(
        sandbox.data_of("customerstatus", &answer),
        json!({"customer_id": 575290695, "customer_active": "y"})
    );
    // And a multipart body whose hash is wrong.
    let tampered = multipart.replace(&fields.last().unwrap().1, &"0".repeat(128));
    let response = app
        .client
        .post(app.url("/api/v1/customerstatus"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(&answer_of(response).await),
        code("HASH-MISMATCH", "Hash Mismatch")
    );
}

// ---------------------------------------------------------------------------------------
// Section 1: checkcustomer.

#[tokio::test]
async fn checkcustomer_finds_customers_by_mobile_in_any_form_or_by_email() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    for mobile in ["9845012345", "09845012345", "919845012345", "+919845012345"] {
        let data = sandbox
            .ok(&app, "checkcustomer", &[("mobile_number", mobile)])
            .await;
        assert_eq!(data, json!({"customer_exists": "true"}), "{mobile}");
    }
    let data = sandbox
        .ok(
            &app,
            "checkcustomer",
            &[
                ("mobile_number", "9123456789"),
                ("email", "sriram@piggy.in"),
            ],
        )
        .await;
    assert_eq!(
        data,
        json!({"customer_exists": "false"}),
        "the mobile number decides when given"
    );
    for (email, exists) in [
        ("sriram@piggy.in", "true"),
        ("SRIRAM@Piggy.IN", "true"),
        ("nobody@piggy.in", "false"),
    ] {
        let data = sandbox.ok(&app, "checkcustomer", &[("email", email)]).await;
        assert_eq!(data, json!({"customer_exists": exists}), "{email}");
    }
    let raw = sandbox
        .post(&app, "checkcustomer", &[("mobile_number", "9900261104")])
        .await
        .raw;
    assert!(
        raw.starts_with(r#"{"data":{"customer_exists":"true"},"error":null,"page":null,"hash":""#),
        "{raw}"
    );
}

#[tokio::test]
async fn checkcustomer_answers_laravel_messages() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![],
            "The mobile number field is required when email is not present.",
        ),
        (
            vec![("mobile_number", "  "), ("email", "")],
            "The mobile number field is required when email is not present.",
        ),
        (
            vec![("mobile_number", "12345")],
            "The mobile number field contains an invalid number.",
        ),
        (
            vec![("mobile_number", "5845012345")],
            "The mobile number field contains an invalid number.",
        ),
        (
            vec![("mobile_number", "98450123456")],
            "The mobile number field contains an invalid number.",
        ),
        (
            vec![("mobile_number", "abc"), ("email", "x@y.in")],
            "The mobile number field contains an invalid number.",
        ),
        (
            vec![("email", "not-an-email")],
            "The email must be a valid email address.",
        ),
        (
            vec![("mobile_number", "9845012345"), ("email", "a@b")],
            "The email must be a valid email address.",
        ),
    ];
    for (fields, message) in cases {
        assert_eq!(
            sandbox.err(&app, "checkcustomer", &fields).await,
            invalid(message),
            "{fields:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Sections 2 and 3: registration.

#[tokio::test]
async fn the_full_registration_flow_creates_an_active_empty_wallet() {
    let app = spawn_app().await;
    set_clock(&app, "2026-03-03T17:55:37+05:30").await;
    let sandbox = Wallet::sandbox();
    let mobile = "9123456780";
    let data = sandbox
        .ok(&app, "checkcustomer", &[("mobile_number", mobile)])
        .await;
    assert_eq!(data, json!({"customer_exists": "false"}));
    let data = sandbox
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", mobile), ("email", "asha@example.com")],
        )
        .await;
    assert_eq!(
        data,
        json!({"customer_exists": "false", "otp_sent": "true"})
    );

    let sent = outbox(&app, "+919123456780").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    let otp = sent[0]["otp"].as_str().unwrap().to_string();
    assert!(
        otp.len() == 6 && otp.bytes().all(|b| b.is_ascii_digit()),
        "{otp}"
    );
    assert_eq!(
        sent[0],
        json!({
            "mobile_number": "+919123456780", "otp": otp, "purpose": "registration",
            "created_at": "2026-03-03T17:55:37+05:30", "expires_at": "2026-03-03T18:05:37+05:30",
            "used": false, "superseded": false, "api_key": KEY
        })
    );

    let data = sandbox
        .ok(&app, "registercustomer", &registration(mobile, &otp))
        .await;
    let customer_id = data["customer_id"]
        .as_str()
        .expect("the id is a string")
        .to_string();
    assert!(
        customer_id.len() == 9
            && customer_id.bytes().all(|b| b.is_ascii_digit())
            && !customer_id.starts_with('0')
    );
    assert_eq!(data, json!({"customer_id": customer_id}));

    let data = sandbox
        .ok(&app, "checkcustomer", &[("mobile_number", mobile)])
        .await;
    assert_eq!(data, json!({"customer_exists": "true"}));
    let data = sandbox
        .ok(&app, "checkcustomer", &[("email", "asha@example.com")])
        .await;
    assert_eq!(data, json!({"customer_exists": "true"}));
    let data = sandbox
        .ok(
            &app,
            "fetchcustomerdetail",
            &[("customer_id", &customer_id)],
        )
        .await;
    assert_eq!(
        data,
        json!({
            "customer_id": customer_id, "first_name": "Asha", "last_name": "Rao",
            "mobile_number": "+919123456780", "email_address": "asha@example.com",
            "date_of_birth": "1990-04-01", "address_line_1": null, "address_line_2": null,
            "city": null, "pincode": null, "description": null
        })
    );
    let data = sandbox
        .ok(&app, "customerstatus", &[("mobile_number", mobile)])
        .await;
    assert_eq!(
        data,
        json!({"customer_id": customer_id.parse::<i64>().unwrap(), "customer_active": "y"})
    );

    // The OTP is spent; the number is registered now.
    assert_eq!(outbox(&app, mobile).await[0]["used"], true);
    let data = sandbox
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", mobile), ("email", "asha@example.com")],
        )
        .await;
    assert_eq!(
        data,
        json!({"customer_exists": "true", "otp_sent": "false"})
    );
    assert_eq!(
        outbox(&app, mobile).await.len(),
        1,
        "no OTP goes to a registered number"
    );
    assert_eq!(
        sandbox
            .err(&app, "registercustomer", &registration(mobile, &otp))
            .await,
        code("INVALID-INPUT-DATA", "Invalid input Data")
    );

    // The new wallet is in the exported state, active, with no balance.
    let state = app.get_json("/__sandbox/state").await;
    let customers = state["aggrepay"]["customers"].as_array().unwrap();
    let mine: Vec<&Value> = customers
        .iter()
        .filter(|c| c["customer_id"] == customer_id.as_str())
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["mpin"], "2468");
    assert_eq!(mine[0]["active"], true);
    let credits = state["aggrepay"]["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            t["to_customer_id"] == customer_id.as_str()
                || t["from_customer_id"] == customer_id.as_str()
        })
        .count();
    assert_eq!(credits, 0, "a new wallet is empty");
}

#[tokio::test]
async fn a_registration_otp_is_valid_for_ten_minutes_on_the_sandbox_clock() {
    let app = spawn_app().await;
    set_clock(&app, "2026-01-31T23:55:00+05:30").await;
    let sandbox = Wallet::sandbox();
    let mobile = "9123400001";
    sandbox
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", mobile), ("email", "a@example.com")],
        )
        .await;
    let first = last_otp(&app, mobile).await;
    advance(&app, "PT10M").await;
    assert_eq!(
        sandbox
            .err(&app, "registercustomer", &registration(mobile, &first))
            .await,
        code("INVALID-OTP", "Invalid OTP"),
        "expired at ten minutes"
    );
    sandbox
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", mobile), ("email", "a@example.com")],
        )
        .await;
    let second = last_otp(&app, mobile).await;
    advance(&app, "PT9M59S").await;
    let data = sandbox
        .ok(&app, "registercustomer", &registration(mobile, &second))
        .await;
    assert!(data["customer_id"].is_string(), "still valid at 9m59s");
}

#[tokio::test]
async fn only_the_last_registration_otp_verifies_and_a_wrong_one_does_not_spend_it() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let mobile = "9123400002";
    let mut codes = Vec::new();
    // Send until two differ (a random repeat is one in 900,000).
    while codes.len() < 2 || codes[codes.len() - 1] == codes[codes.len() - 2] {
        sandbox
            .ok(
                &app,
                "registrationotp",
                &[("mobile_number", mobile), ("email", "a@example.com")],
            )
            .await;
        codes.push(last_otp(&app, mobile).await);
    }
    let (earlier, last) = (&codes[codes.len() - 2], &codes[codes.len() - 1]);
    let sent = outbox(&app, mobile).await;
    assert_eq!(sent.len(), codes.len(), "a replaced OTP stays listed");
    assert!(
        sent[..sent.len() - 1]
            .iter()
            .all(|o| o["superseded"] == true),
        "{sent:?}"
    );
    assert_eq!(sent[sent.len() - 1]["superseded"], false);
    assert_eq!(
        sandbox
            .err(&app, "registercustomer", &registration(mobile, earlier))
            .await,
        code("INVALID-OTP", "Invalid OTP")
    );
    let wrong = if last == "111111" { "222222" } else { "111111" };
    assert_eq!(
        sandbox
            .err(&app, "registercustomer", &registration(mobile, wrong))
            .await,
        code("INVALID-OTP", "Invalid OTP")
    );
    // Another number's OTP does not register this one.
    sandbox
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", "9123400003"), ("email", "b@example.com")],
        )
        .await;
    let other = last_otp(&app, "9123400003").await;
    if other != *last {
        assert_eq!(
            sandbox
                .err(&app, "registercustomer", &registration(mobile, &other))
                .await,
            code("INVALID-OTP", "Invalid OTP")
        );
    }
    let data = sandbox
        .ok(&app, "registercustomer", &registration(mobile, last))
        .await;
    assert!(data["customer_id"].is_string());
    // No OTP ever sent to a number: INVALID-OTP.
    assert_eq!(
        sandbox
            .err(
                &app,
                "registercustomer",
                &registration("9123400009", "123456")
            )
            .await,
        code("INVALID-OTP", "Invalid OTP")
    );
}

#[tokio::test]
async fn a_merchant_with_a_fixed_otp_sends_that_value_every_time() {
    let app = spawn_app().await;
    let fixed = merchant(&app, "fixed-otp-key", "fixed-otp-salt", Some("123456")).await;
    let mobile = "9123400004";
    for _ in 0..2 {
        fixed
            .ok(
                &app,
                "registrationotp",
                &[("mobile_number", mobile), ("email", "f@example.com")],
            )
            .await;
    }
    let sent = outbox(&app, mobile).await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .all(|o| o["otp"] == "123456" && o["api_key"] == "fixed-otp-key"),
        "{sent:?}"
    );
    let customer_id = fixed
        .ok(&app, "registercustomer", &registration(mobile, "123456"))
        .await["customer_id"]
        .as_str()
        .unwrap()
        .to_string();
    fixed
        .ok(&app, "customerotp", &[("customer_id", &customer_id)])
        .await;
    let data = fixed
        .ok(
            &app,
            "forgotmpin",
            &[
                ("customer_id", &customer_id),
                ("otp", "123456"),
                ("new_mpin", "9753"),
            ],
        )
        .await;
    assert_eq!(data, json!({"mpin_updated": "true"}));
    // Spent: the same value again is refused until another OTP is sent.
    assert_eq!(
        fixed
            .err(
                &app,
                "forgotmpin",
                &[
                    ("customer_id", &customer_id),
                    ("otp", "123456"),
                    ("new_mpin", "9754")
                ]
            )
            .await,
        code("INVALID-OTP", "Invalid OTP")
    );
}

#[tokio::test]
async fn registration_answers_laravel_messages_in_the_documented_order() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let long_email = format!("{}@example.com", "a".repeat(250));
    let otp_cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![
                ("mobile_number", "9123400005"),
                ("email", long_email.as_str()),
            ],
            "The email may not be greater than 255 characters.",
        ),
        (
            vec![("email", "a@example.com")],
            "The mobile number field is required.",
        ),
        (
            vec![("mobile_number", "123"), ("email", "a@example.com")],
            "The mobile number field contains an invalid number.",
        ),
        (
            vec![("mobile_number", "9123400005")],
            "The email field is required.",
        ),
        (
            vec![("mobile_number", "9123400005"), ("email", "a@")],
            "The email must be a valid email address.",
        ),
    ];
    for (fields, message) in otp_cases {
        assert_eq!(
            sandbox.err(&app, "registrationotp", &fields).await,
            invalid(message),
            "{fields:?}"
        );
    }
    let long = "x".repeat(256);
    let good = registration("9123400005", "123456");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![], "The mobile number field is required."),
        (
            without(good.clone(), "mobile_number"),
            "The mobile number field is required.",
        ),
        (
            with(good.clone(), "mobile_number", "0000000000"),
            "The mobile number field contains an invalid number.",
        ),
        (without(good.clone(), "otp"), "The otp field is required."),
        (
            with(good.clone(), "otp", "12ab56"),
            "The otp must be 6 digits.",
        ),
        (
            with(good.clone(), "otp", "12345"),
            "The otp must be 6 digits.",
        ),
        (
            without(good.clone(), "first_name"),
            "The first name field is required.",
        ),
        (
            with(good.clone(), "first_name", &long),
            "The first name may not be greater than 255 characters.",
        ),
        (
            without(good.clone(), "last_name"),
            "The last name field is required.",
        ),
        (
            with(good.clone(), "date_of_birth", "1990/04/01"),
            "The date of birth does not match the format Y-m-d.",
        ),
        (
            with(good.clone(), "date_of_birth", "1990-02-30"),
            "The date of birth does not match the format Y-m-d.",
        ),
        (
            with(good.clone(), "date_of_birth", "01-04-1990"),
            "The date of birth does not match the format Y-m-d.",
        ),
        (without(good.clone(), "mpin"), "The mpin field is required."),
        (
            with(good.clone(), "mpin", "12345"),
            "The mpin must be 4 digits.",
        ),
        (
            with(good.clone(), "mpin", "12a4"),
            "The mpin must be 4 digits.",
        ),
        (
            with(good.clone(), "email", "nope"),
            "The email must be a valid email address.",
        ),
        // The first failing field is reported.
        (
            vec![("mobile_number", "9123400005"), ("mpin", "1")],
            "The otp field is required.",
        ),
    ];
    for (fields, message) in cases {
        assert_eq!(
            sandbox.err(&app, "registercustomer", &fields).await,
            invalid(message),
            "{fields:?}"
        );
    }
    // Magic MPIN, then business rules.
    assert_eq!(
        sandbox
            .err(
                &app,
                "registercustomer",
                &with(good.clone(), "mpin", "0000")
            )
            .await,
        code("INVALID-MPIN", "Invalid MPIN")
    );
    assert_eq!(
        sandbox
            .err(
                &app,
                "registercustomer",
                &registration("9845012345", "123456")
            )
            .await,
        code("INVALID-INPUT-DATA", "Invalid input Data")
    );
    assert_eq!(
        sandbox.err(&app, "registercustomer", &good).await,
        code("INVALID-OTP", "Invalid OTP")
    );
    // date_of_birth is optional; an email posted here wins over the OTP's.
    sandbox
        .ok(
            &app,
            "registrationotp",
            &[
                ("mobile_number", "9123400005"),
                ("email", "otp@example.com"),
            ],
        )
        .await;
    let otp = last_otp(&app, "9123400005").await;
    let fields = with(
        without(registration("9123400005", &otp), "date_of_birth"),
        "email",
        "mine@example.com",
    );
    let id = sandbox.ok(&app, "registercustomer", &fields).await["customer_id"]
        .as_str()
        .unwrap()
        .to_string();
    let data = sandbox
        .ok(&app, "fetchcustomerdetail", &[("customer_id", &id)])
        .await;
    assert_eq!(data["email_address"], "mine@example.com");
    assert_eq!(data["date_of_birth"], Value::Null);
}

#[tokio::test]
async fn three_registrations_racing_with_one_otp_make_exactly_one_customer() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let mobile = "9123400006";
    sandbox
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", mobile), ("email", "race@example.com")],
        )
        .await;
    let otp = last_otp(&app, mobile).await;
    let fields = sandbox.signed(&registration(mobile, &otp));
    let (a, b, c) = tokio::join!(
        post_form(&app, "registercustomer", &fields),
        post_form(&app, "registercustomer", &fields),
        post_form(&app, "registercustomer", &fields),
    );
    let mut successes = 0;
    for answer in [a, b, c] {
        if answer.body["error"].is_null() {
            successes += 1;
            sandbox.data_of("registercustomer", &answer);
        } else {
            let (code, _) = error_of(&answer);
            assert!(
                code == "INVALID-INPUT-DATA" || code == "INVALID-OTP",
                "{}",
                answer.raw
            );
        }
    }
    assert_eq!(successes, 1);
    let state = app.get_json("/__sandbox/state").await;
    let count = state["aggrepay"]["customers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["mobile_number"] == "+919123400006")
        .count();
    assert_eq!(count, 1);
}

// ---------------------------------------------------------------------------------------
// Sections 14–16: details, update, status.

#[tokio::test]
async fn fetchcustomerdetail_answers_the_documents_sample_exactly() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let expected = json!({
        "customer_id": "575290695", "first_name": "Karmendra", "last_name": "S",
        "mobile_number": "+919900261104", "email_address": "sriram@piggy.in",
        "date_of_birth": null, "address_line_1": null, "address_line_2": null,
        "city": "chennai", "pincode": "123456", "description": null
    });
    for fields in [
        [("customer_id", "575290695")],
        [("mobile_number", "9900261104")],
    ] {
        let answer = sandbox.post(&app, "fetchcustomerdetail", &fields).await;
        assert_eq!(sandbox.data_of("fetchcustomerdetail", &answer), expected);
        let prefix = format!(
            "{{\"data\":{},\"error\":null,\"page\":null,\"hash\":\"",
            php_encode(&expected)
        );
        assert!(answer.raw.starts_with(&prefix), "{}", answer.raw);
    }
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![],
            "The mobile number field is required when customer id is not present.",
        ),
        (
            vec![("customer_id", "999999999")],
            "The selected customer id is invalid.",
        ),
        (
            vec![("customer_id", "abc")],
            "The selected customer id is invalid.",
        ),
        (
            vec![("mobile_number", "9000000001")],
            "The selected mobile number is invalid.",
        ),
        (
            vec![("mobile_number", "900000")],
            "The mobile number field contains an invalid number.",
        ),
    ];
    for (fields, message) in cases {
        assert_eq!(
            sandbox.err(&app, "fetchcustomerdetail", &fields).await,
            invalid(message),
            "{fields:?}"
        );
    }
}

#[tokio::test]
async fn updatecustomer_changes_the_given_fields_and_answers_failed_to_update_without_any() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let description = "Flat 4/B, Café \"Ōm\" – 日本 😀 \\ done";
    let data = sandbox
        .ok(
            &app,
            "updatecustomer",
            &[
                ("customer_id", "546693304"),
                ("first_name", "Meera"),
                ("email_address", "meera@example.com"),
                ("date_of_birth", "1988-12-31"),
                ("address_line_1", "12 MG Road"),
                ("address_line_2", "Indiranagar"),
                ("city", "Bengaluru"),
                ("pincode", "560038"),
                ("description", description),
            ],
        )
        .await;
    assert_eq!(data, json!({"updated": "true"}));
    let answer = sandbox
        .post(&app, "fetchcustomerdetail", &[("customer_id", "546693304")])
        .await;
    assert_eq!(
        sandbox.data_of("fetchcustomerdetail", &answer),
        json!({
            "customer_id": "546693304", "first_name": "Meera", "last_name": "Wallet",
            "mobile_number": "+919845012345", "email_address": "meera@example.com",
            "date_of_birth": "1988-12-31", "address_line_1": "12 MG Road",
            "address_line_2": "Indiranagar", "city": "Bengaluru", "pincode": "560038",
            "description": description
        })
    );
    assert!(
        answer.raw.contains(r#""description":"Flat 4\/B, Caf\u00e9 \"\u014cm\" \u2013 \u65e5\u672c \ud83d\ude00 \\ done""#),
        "PHP's escapes: {}",
        answer.raw
    );

    // By mobile number; one field is enough.
    let data = sandbox
        .ok(
            &app,
            "updatecustomer",
            &[("mobile_number", "+919845012345"), ("last_name", "K")],
        )
        .await;
    assert_eq!(data, json!({"updated": "true"}));
    let data = sandbox
        .ok(&app, "fetchcustomerdetail", &[("customer_id", "546693304")])
        .await;
    assert_eq!(
        (data["first_name"].clone(), data["last_name"].clone()),
        (json!("Meera"), json!("K"))
    );

    // Nothing to change: the document's "failed to update", exactly.
    for fields in [
        vec![("customer_id", "546693304")],
        vec![("customer_id", "546693304"), ("city", "  ")],
    ] {
        let answer = sandbox.post(&app, "updatecustomer", &fields).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(
            answer.raw,
            r#"{"data":null,"error":null,"page":null,"hash":null}"#
        );
    }

    let long = "d".repeat(256);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("city", "Pune")],
            "The mobile number field is required when customer id is not present.",
        ),
        (
            vec![("customer_id", "111111111"), ("city", "Pune")],
            "The selected customer id is invalid.",
        ),
        (
            vec![("mobile_number", "9000000002"), ("city", "Pune")],
            "The selected mobile number is invalid.",
        ),
        (
            vec![
                ("customer_id", "546693304"),
                ("date_of_birth", "31-12-1988"),
            ],
            "The date of birth does not match the format Y-m-d.",
        ),
        (
            vec![
                ("customer_id", "546693304"),
                ("date_of_birth", "1988-13-01"),
            ],
            "The date of birth does not match the format Y-m-d.",
        ),
        (
            vec![("customer_id", "546693304"), ("email_address", "meera@")],
            "The email address must be a valid email address.",
        ),
        (
            vec![("customer_id", "546693304"), ("pincode", "56003")],
            "The pincode must be 6 digits.",
        ),
        (
            vec![("customer_id", "546693304"), ("pincode", "56003a")],
            "The pincode must be 6 digits.",
        ),
        (
            vec![("customer_id", "546693304"), ("description", long.as_str())],
            "The description may not be greater than 255 characters.",
        ),
        (
            vec![("customer_id", "546693304"), ("first_name", long.as_str())],
            "The first name may not be greater than 255 characters.",
        ),
        // Validation before any change: the good city is not written.
        (
            vec![
                ("customer_id", "546693304"),
                ("city", "Pune"),
                ("pincode", "1"),
            ],
            "The pincode must be 6 digits.",
        ),
    ];
    for (fields, message) in cases {
        assert_eq!(
            sandbox.err(&app, "updatecustomer", &fields).await,
            invalid(message),
            "{fields:?}"
        );
    }
    let data = sandbox
        .ok(&app, "fetchcustomerdetail", &[("customer_id", "546693304")])
        .await;
    assert_eq!(data["city"], "Bengaluru");
}

#[tokio::test]
async fn customerstatus_reads_and_sets_the_active_flag() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let answer = sandbox
        .post(&app, "customerstatus", &[("customer_id", "123123123")])
        .await;
    assert_eq!(
        sandbox.data_of("customerstatus", &answer),
        json!({"customer_id": 123123123, "customer_active": "n"})
    );
    assert!(
        answer
            .raw
            .starts_with(r#"{"data":{"customer_id":123123123,"customer_active":"n"},"#),
        "{}",
        answer.raw
    );
    let data = sandbox
        .ok(
            &app,
            "customerstatus",
            &[("customer_id", "123123123"), ("customer_active", "y")],
        )
        .await;
    assert_eq!(
        data,
        json!({"customer_id": 123123123, "customer_active": "y"})
    );
    let data = sandbox
        .ok(&app, "customerstatus", &[("mobile_number", "9812312312")])
        .await;
    assert_eq!(
        data,
        json!({"customer_id": 123123123, "customer_active": "y"})
    );
    let data = sandbox
        .ok(
            &app,
            "customerstatus",
            &[("customer_id", "575290695"), ("customer_active", "n")],
        )
        .await;
    assert_eq!(
        data,
        json!({"customer_id": 575290695, "customer_active": "n"})
    );
    let data = sandbox
        .ok(&app, "customerstatus", &[("customer_id", "575290695")])
        .await;
    assert_eq!(
        data,
        json!({"customer_id": 575290695, "customer_active": "n"})
    );
    let state = app.get_json("/__sandbox/state").await;
    let active: Vec<(String, bool)> = state["aggrepay"]["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["customer_id"].as_str().unwrap().to_string(),
                c["active"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        active.contains(&("123123123".into(), true))
            && active.contains(&("575290695".into(), false))
    );
    for bad in ["yes", "Y", "1", "true"] {
        assert_eq!(
            sandbox
                .err(
                    &app,
                    "customerstatus",
                    &[("customer_id", "575290695"), ("customer_active", bad)]
                )
                .await,
            invalid("The selected customer active is invalid."),
            "{bad}"
        );
    }
    assert_eq!(
        sandbox
            .err(&app, "customerstatus", &[("customer_id", "123")])
            .await,
        invalid("The selected customer id is invalid.")
    );
}

// ---------------------------------------------------------------------------------------
// Sections 17–19: customer OTP, forgot MPIN, change MPIN.

#[tokio::test]
async fn customerotp_then_forgotmpin_sets_an_mpin_that_changempin_accepts() {
    let app = spawn_app().await;
    set_clock(&app, "2026-05-01T10:00:00+05:30").await;
    let sandbox = Wallet::sandbox();
    let data = sandbox
        .ok(&app, "customerotp", &[("customer_id", "575290695")])
        .await;
    assert_eq!(data, json!({"customer_exists": "true", "otp_sent": "true"}));
    let sent = outbox(&app, "09900261104").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["purpose"], "customer");
    assert_eq!(sent[0]["mobile_number"], "+919900261104");
    assert_eq!(sent[0]["expires_at"], "2026-05-01T10:10:00+05:30");
    let otp = sent[0]["otp"].as_str().unwrap().to_string();
    let wrong = if otp == "111111" { "222222" } else { "111111" };

    fn reset(otp: &str) -> [(&str, &str); 3] {
        [
            ("customer_id", "575290695"),
            ("otp", otp),
            ("new_mpin", "4321"),
        ]
    }
    fn change<'a>(old: &'a str, new: &'a str) -> [(&'a str, &'a str); 3] {
        [
            ("customer_id", "575290695"),
            ("old_mpin", old),
            ("new_mpin", new),
        ]
    }
    assert_eq!(
        sandbox.err(&app, "forgotmpin", &reset(wrong)).await,
        code("INVALID-OTP", "Invalid OTP")
    );
    let data = sandbox.ok(&app, "forgotmpin", &reset(&otp)).await;
    assert_eq!(data, json!({"mpin_updated": "true"}));
    assert_eq!(outbox(&app, "9900261104").await[0]["used"], true);
    // Single use.
    assert_eq!(
        sandbox.err(&app, "forgotmpin", &reset(&otp)).await,
        code("INVALID-OTP", "Invalid OTP")
    );

    // The old MPIN no longer changes anything; the new one does.
    assert_eq!(
        sandbox
            .err(&app, "changempin", &change("1234", "5678"))
            .await,
        code("INVALID-MPIN", "Invalid MPIN")
    );
    let data = sandbox
        .ok(&app, "changempin", &change("4321", "5678"))
        .await;
    assert_eq!(data, json!({"mpin_updated": "true"}));
    assert_eq!(
        sandbox
            .err(&app, "changempin", &change("4321", "1111"))
            .await,
        code("INVALID-MPIN", "Invalid MPIN")
    );
    let data = sandbox
        .ok(
            &app,
            "changempin",
            &[
                ("mobile_number", "+919900261104"),
                ("old_mpin", "5678"),
                ("new_mpin", "1357"),
            ],
        )
        .await;
    assert_eq!(data, json!({"mpin_updated": "true"}));

    // By mobile number, and expiry at ten minutes.
    sandbox
        .ok(&app, "customerotp", &[("mobile_number", "9900261104")])
        .await;
    let otp = last_otp(&app, "9900261104").await;
    advance(&app, "PT10M").await;
    let fields = [
        ("mobile_number", "9900261104"),
        ("otp", otp.as_str()),
        ("new_mpin", "2222"),
    ];
    assert_eq!(
        sandbox.err(&app, "forgotmpin", &fields).await,
        code("INVALID-OTP", "Invalid OTP")
    );
    // A later OTP replaces the earlier one.
    sandbox
        .ok(&app, "customerotp", &[("customer_id", "575290695")])
        .await;
    let first = last_otp(&app, "9900261104").await;
    let mut second = first.clone();
    while second == first {
        sandbox
            .ok(&app, "customerotp", &[("customer_id", "575290695")])
            .await;
        second = last_otp(&app, "9900261104").await;
    }
    advance(&app, "PT9M59S").await;
    let fields = [
        ("customer_id", "575290695"),
        ("otp", first.as_str()),
        ("new_mpin", "2222"),
    ];
    assert_eq!(
        sandbox.err(&app, "forgotmpin", &fields).await,
        code("INVALID-OTP", "Invalid OTP")
    );
    let fields = [
        ("customer_id", "575290695"),
        ("otp", second.as_str()),
        ("new_mpin", "2222"),
    ];
    assert_eq!(
        sandbox.ok(&app, "forgotmpin", &fields).await,
        json!({"mpin_updated": "true"})
    );
    let state = app.get_json("/__sandbox/state").await;
    let mpin = state["aggrepay"]["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["customer_id"] == "575290695")
        .unwrap()["mpin"]
        .clone();
    assert_eq!(mpin, "2222");
}

#[tokio::test]
async fn a_registration_otp_does_not_reset_an_mpin() {
    let app = spawn_app().await;
    let fixed = merchant(&app, "fixed-otp-key", "fixed-otp-salt", Some("654321")).await;
    // A live registration OTP for a number that then becomes a customer (loaded by fixtures,
    // the only way a customer's number can hold one).
    fixed
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", "9123400010"), ("email", "x@example.com")],
        )
        .await;
    load(
        &app,
        json!({"aggrepay": {"customers": [
            {"api_key": "fixed-otp-key", "customer_id": "912340001", "mobile_number": "9123400010"}
        ]}}),
    )
    .await;
    let fields = [
        ("customer_id", "912340001"),
        ("otp", "654321"),
        ("new_mpin", "1111"),
    ];
    assert_eq!(
        fixed.err(&app, "forgotmpin", &fields).await,
        code("INVALID-OTP", "Invalid OTP")
    );
    fixed
        .ok(&app, "customerotp", &[("customer_id", "912340001")])
        .await;
    assert_eq!(
        fixed.ok(&app, "forgotmpin", &fields).await,
        json!({"mpin_updated": "true"})
    );
    let purposes: Vec<Value> = outbox(&app, "9123400010")
        .await
        .iter()
        .map(|o| o["purpose"].clone())
        .collect();
    assert_eq!(purposes, [json!("registration"), json!("customer")]);
}

#[tokio::test]
async fn mpin_endpoints_answer_laravel_messages_and_the_magic_mpin() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let cases: Vec<(&str, Form, Outcome)> = vec![
        (
            "customerotp",
            vec![],
            invalid("The mobile number field is required when customer id is not present."),
        ),
        (
            "customerotp",
            vec![("customer_id", "100000000")],
            invalid("The selected customer id is invalid."),
        ),
        (
            "customerotp",
            vec![("mobile_number", "9000000003")],
            invalid("The selected mobile number is invalid."),
        ),
        (
            "forgotmpin",
            vec![
                ("customer_id", "100000000"),
                ("otp", "123456"),
                ("new_mpin", "1111"),
            ],
            invalid("The selected customer id is invalid."),
        ),
        (
            "forgotmpin",
            vec![("customer_id", "575290695"), ("new_mpin", "1111")],
            invalid("The otp field is required."),
        ),
        (
            "forgotmpin",
            vec![
                ("customer_id", "575290695"),
                ("otp", "12345"),
                ("new_mpin", "1111"),
            ],
            invalid("The otp must be 6 digits."),
        ),
        (
            "forgotmpin",
            vec![("customer_id", "575290695"), ("otp", "123456")],
            invalid("The new mpin field is required."),
        ),
        (
            "forgotmpin",
            vec![
                ("customer_id", "575290695"),
                ("otp", "123456"),
                ("new_mpin", "11111"),
            ],
            invalid("The new mpin must be 4 digits."),
        ),
        (
            "forgotmpin",
            vec![
                ("customer_id", "575290695"),
                ("otp", "123456"),
                ("new_mpin", "0000"),
            ],
            code("INVALID-MPIN", "Invalid MPIN"),
        ),
        (
            "forgotmpin",
            vec![
                ("customer_id", "575290695"),
                ("otp", "123456"),
                ("new_mpin", "1111"),
            ],
            code("INVALID-OTP", "Invalid OTP"),
        ),
        (
            "changempin",
            vec![("old_mpin", "1234"), ("new_mpin", "1111")],
            invalid("The mobile number field is required when customer id is not present."),
        ),
        (
            "changempin",
            vec![("customer_id", "575290695"), ("new_mpin", "1111")],
            invalid("The old mpin field is required."),
        ),
        (
            "changempin",
            vec![
                ("customer_id", "575290695"),
                ("old_mpin", "123"),
                ("new_mpin", "1111"),
            ],
            invalid("The old mpin must be 4 digits."),
        ),
        (
            "changempin",
            vec![("customer_id", "575290695"), ("old_mpin", "1234")],
            invalid("The new mpin field is required."),
        ),
        (
            "changempin",
            vec![
                ("customer_id", "575290695"),
                ("old_mpin", "1234"),
                ("new_mpin", "abcd"),
            ],
            invalid("The new mpin must be 4 digits."),
        ),
        (
            "changempin",
            vec![
                ("customer_id", "575290695"),
                ("old_mpin", "1234"),
                ("new_mpin", "1234"),
            ],
            invalid("The new mpin and old mpin must be different."),
        ),
        (
            "changempin",
            vec![
                ("customer_id", "575290695"),
                ("old_mpin", "0000"),
                ("new_mpin", "1111"),
            ],
            code("INVALID-MPIN", "Invalid MPIN"),
        ),
        (
            "changempin",
            vec![
                ("customer_id", "575290695"),
                ("old_mpin", "1234"),
                ("new_mpin", "0000"),
            ],
            code("INVALID-MPIN", "Invalid MPIN"),
        ),
        (
            "changempin",
            vec![
                ("customer_id", "575290695"),
                ("old_mpin", "9999"),
                ("new_mpin", "1111"),
            ],
            code("INVALID-MPIN", "Invalid MPIN"),
        ),
    ];
    for (endpoint, fields, expected) in cases {
        assert_eq!(
            sandbox.err(&app, endpoint, &fields).await,
            expected,
            "{endpoint} {fields:?}"
        );
    }
    // None of that changed the MPIN: 1234 still is the current one.
    let data = sandbox
        .ok(
            &app,
            "changempin",
            &[
                ("customer_id", "575290695"),
                ("old_mpin", "1234"),
                ("new_mpin", "8642"),
            ],
        )
        .await;
    assert_eq!(data, json!({"mpin_updated": "true"}));
    // An inactive customer may still change the MPIN and get an OTP.
    let data = sandbox
        .ok(
            &app,
            "changempin",
            &[
                ("customer_id", "123123123"),
                ("old_mpin", "1234"),
                ("new_mpin", "8642"),
            ],
        )
        .await;
    assert_eq!(data, json!({"mpin_updated": "true"}));
    sandbox
        .ok(&app, "customerotp", &[("customer_id", "123123123")])
        .await;
}

// ---------------------------------------------------------------------------------------
// Sections 20–21: sub merchants.

fn sub_merchant(name: &str) -> Form<'_> {
    vec![
        ("mobile_number", "9876500002"),
        ("email", "shop@example.com"),
        ("name", name),
        ("account_number", "001234567890"),
        ("account_name", "Shop Traders"),
        ("ifsc_code", "ICIC0001234"),
        ("bank_name", "ICICI Bank"),
        ("bank_branch", "Mumbai Fort"),
    ]
}

#[tokio::test]
async fn sub_merchants_are_numbered_per_merchant_and_listed() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let data = sandbox.ok(&app, "getsubmerchants", &[]).await;
    assert_eq!(data, json!([{"id": 1, "name": "XYZ"}]));
    let answer = sandbox
        .post(&app, "addsubmerchant", &sub_merchant("Shop"))
        .await;
    assert_eq!(
        sandbox.data_of("addsubmerchant", &answer),
        json!({"sub_merchant_id": 2})
    );
    assert!(
        answer.raw.starts_with(r#"{"data":{"sub_merchant_id":2},"#),
        "{}",
        answer.raw
    );
    let data = sandbox
        .ok(&app, "addsubmerchant", &sub_merchant("Café/Ōm"))
        .await;
    assert_eq!(data, json!({"sub_merchant_id": 3}));
    let answer = sandbox.post(&app, "getsubmerchants", &[]).await;
    assert_eq!(
        sandbox.data_of("getsubmerchants", &answer),
        json!([{"id": 1, "name": "XYZ"}, {"id": 2, "name": "Shop"}, {"id": 3, "name": "Café/Ōm"}])
    );
    assert!(
        answer
            .raw
            .contains(r#"{"id":3,"name":"Caf\u00e9\/\u014cm"}"#),
        "{}",
        answer.raw
    );

    // A fresh merchant has none, then its own 1.
    let fresh = merchant(&app, "fresh-key", "fresh-salt", None).await;
    assert_eq!(
        fresh.err(&app, "getsubmerchants", &[]).await,
        code("NO-SUB-MERCHANT-RECORD", "Sub merchant details not found.")
    );
    assert_eq!(
        fresh
            .ok(&app, "addsubmerchant", &sub_merchant("Mine"))
            .await,
        json!({"sub_merchant_id": 1})
    );
    assert_eq!(
        fresh.ok(&app, "getsubmerchants", &[]).await,
        json!([{"id": 1, "name": "Mine"}])
    );
    assert_eq!(
        sandbox
            .ok(&app, "getsubmerchants", &[])
            .await
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // The state keeps every field, the mobile number normalised.
    let state = app.get_json("/__sandbox/state").await;
    let shop = state["aggrepay"]["sub_merchants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Shop")
        .unwrap()
        .clone();
    assert_eq!(shop["mobile_number"], "+919876500002");
    assert_eq!(shop["ifsc_code"], "ICIC0001234");
    assert_eq!(shop["bank_branch"], "Mumbai Fort");
}

#[tokio::test]
async fn addsubmerchant_requires_every_field_in_the_documented_order() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let good = sub_merchant("Shop");
    let long = "n".repeat(256);
    let mut cases: Vec<(Vec<(&str, &str)>, String)> = vec![
        (vec![], "The mobile number field is required.".into()),
        (
            with(good.clone(), "mobile_number", "12"),
            "The mobile number field contains an invalid number.".into(),
        ),
        (
            with(good.clone(), "email", "shop"),
            "The email must be a valid email address.".into(),
        ),
        (
            with(good.clone(), "name", &long),
            "The name may not be greater than 255 characters.".into(),
        ),
        (
            with(good.clone(), "account_number", "12345678"),
            "The account number must be between 9 and 18 digits.".into(),
        ),
        (
            with(good.clone(), "account_number", "1234567890123456789"),
            "The account number must be between 9 and 18 digits.".into(),
        ),
        (
            with(good.clone(), "account_number", "12345678x"),
            "The account number must be between 9 and 18 digits.".into(),
        ),
        (
            with(good.clone(), "ifsc_code", "icic0001234"),
            "The ifsc code format is invalid.".into(),
        ),
        (
            with(good.clone(), "ifsc_code", "ICIC1001234"),
            "The ifsc code format is invalid.".into(),
        ),
        (
            with(good.clone(), "ifsc_code", "ICIC00012345"),
            "The ifsc code format is invalid.".into(),
        ),
    ];
    for (field, label) in [
        ("mobile_number", "mobile number"),
        ("email", "email"),
        ("name", "name"),
        ("account_number", "account number"),
        ("account_name", "account name"),
        ("ifsc_code", "ifsc code"),
        ("bank_name", "bank name"),
        ("bank_branch", "bank branch"),
    ] {
        cases.push((
            without(good.clone(), field),
            format!("The {label} field is required."),
        ));
    }
    for (fields, message) in cases {
        assert_eq!(
            sandbox.err(&app, "addsubmerchant", &fields).await,
            invalid(&message),
            "{fields:?}"
        );
    }
    assert_eq!(
        sandbox.ok(&app, "getsubmerchants", &[]).await,
        json!([{"id": 1, "name": "XYZ"}]),
        "nothing added"
    );
}

// ---------------------------------------------------------------------------------------
// Merchant isolation.

#[tokio::test]
async fn another_merchants_customers_answer_as_unknown_ones() {
    let app = spawn_app().await;
    let other = merchant(&app, "other-merchant-key", "other-merchant-salt", None).await;
    let sandbox = Wallet::sandbox();
    assert_eq!(
        other
            .ok(&app, "checkcustomer", &[("mobile_number", "9845012345")])
            .await,
        json!({"customer_exists": "false"})
    );
    assert_eq!(
        other
            .ok(&app, "checkcustomer", &[("email", "sriram@piggy.in")])
            .await,
        json!({"customer_exists": "false"})
    );
    let unknown_id = invalid("The selected customer id is invalid.");
    let unknown_mobile = invalid("The selected mobile number is invalid.");
    for endpoint in ["fetchcustomerdetail", "customerstatus", "customerotp"] {
        assert_eq!(
            other
                .err(&app, endpoint, &[("customer_id", "575290695")])
                .await,
            unknown_id,
            "{endpoint}"
        );
        assert_eq!(
            other
                .err(&app, endpoint, &[("mobile_number", "9900261104")])
                .await,
            unknown_mobile,
            "{endpoint}"
        );
    }
    assert_eq!(
        other
            .err(
                &app,
                "updatecustomer",
                &[("customer_id", "575290695"), ("city", "Delhi")]
            )
            .await,
        unknown_id
    );
    assert_eq!(
        other
            .err(
                &app,
                "changempin",
                &[
                    ("customer_id", "575290695"),
                    ("old_mpin", "1234"),
                    ("new_mpin", "1111")
                ]
            )
            .await,
        unknown_id
    );
    assert_eq!(
        other
            .err(
                &app,
                "forgotmpin",
                &[
                    ("customer_id", "575290695"),
                    ("otp", "123456"),
                    ("new_mpin", "1111")
                ]
            )
            .await,
        unknown_id
    );
    assert_eq!(
        other.err(&app, "getsubmerchants", &[]).await,
        code("NO-SUB-MERCHANT-RECORD", "Sub merchant details not found.")
    );
    // The default merchant's signature does not work with the other key.
    let mut forged = other.signed(&[("customer_id", "575290695")]);
    forged.last_mut().unwrap().1 = request_hash(SALT, &forged[..forged.len() - 1]);
    assert_eq!(
        error_of(&post_form(&app, "fetchcustomerdetail", &forged).await),
        code("HASH-MISMATCH", "Hash Mismatch")
    );

    // The other merchant may register the default merchant's number as its own customer,
    // and an OTP sent for one merchant does not register with the other.
    sandbox
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", "9123400020"), ("email", "a@example.com")],
        )
        .await;
    let otp = last_otp(&app, "9123400020").await;
    assert_eq!(
        other
            .err(&app, "registercustomer", &registration("9123400020", &otp))
            .await,
        code("INVALID-OTP", "Invalid OTP")
    );
    let sent = other
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", "9900261104"), ("email", "k@example.com")],
        )
        .await;
    assert_eq!(
        sent,
        json!({"customer_exists": "false", "otp_sent": "true"})
    );
    let otp = last_otp(&app, "9900261104").await;
    let id = other
        .ok(&app, "registercustomer", &registration("9900261104", &otp))
        .await["customer_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(id, "575290695");
    assert_eq!(
        other
            .ok(
                &app,
                "fetchcustomerdetail",
                &[("mobile_number", "9900261104")]
            )
            .await["first_name"],
        "Asha"
    );
    assert_eq!(
        sandbox
            .ok(
                &app,
                "fetchcustomerdetail",
                &[("mobile_number", "9900261104")]
            )
            .await["first_name"],
        "Karmendra"
    );
    assert_eq!(
        sandbox
            .err(&app, "fetchcustomerdetail", &[("customer_id", &id)])
            .await,
        unknown_id
    );
}

// ---------------------------------------------------------------------------------------
// The outbox.

#[tokio::test]
async fn the_outbox_lists_every_otp_oldest_first_filtered_by_number_and_merchant() {
    let app = spawn_app().await;
    set_clock(&app, "2026-02-01T09:00:00+05:30").await;
    let sandbox = Wallet::sandbox();
    let other = merchant(&app, "outbox-key", "outbox-salt", Some("111222")).await;
    sandbox
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", "9123400030"), ("email", "a@example.com")],
        )
        .await;
    advance(&app, "PT1M").await;
    other
        .ok(
            &app,
            "registrationotp",
            &[("mobile_number", "9123400030"), ("email", "a@example.com")],
        )
        .await;
    sandbox
        .ok(&app, "customerotp", &[("customer_id", "546693304")])
        .await;

    let all = app.get_json("/__sandbox/aggrepay/otps").await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 3);
    let summary: Vec<(String, String, String)> = all
        .iter()
        .map(|o| {
            (
                o["mobile_number"].as_str().unwrap().into(),
                o["purpose"].as_str().unwrap().into(),
                o["api_key"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "+919123400030".to_string(),
                "registration".to_string(),
                KEY.to_string()
            ),
            (
                "+919123400030".into(),
                "registration".into(),
                "outbox-key".into()
            ),
            ("+919845012345".into(), "customer".into(), KEY.into()),
        ]
    );
    assert_eq!(all[1]["otp"], "111222");
    assert_eq!(all[1]["created_at"], "2026-02-01T09:01:00+05:30");
    assert_eq!(
        all[0]["superseded"], false,
        "each merchant's OTPs are their own"
    );

    for form in ["9123400030", "09123400030", "919123400030", "+919123400030"] {
        assert_eq!(outbox(&app, form).await.len(), 2, "{form}");
    }
    // An unencoded `+` reads as a space and is forgiven.
    let list = app
        .get_json("/__sandbox/aggrepay/otps?mobile_number=+919123400030")
        .await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let list = app
        .get_json("/__sandbox/aggrepay/otps?mobile_number=9123400030&api_key=outbox-key")
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let list = app
        .get_json("/__sandbox/aggrepay/otps?api_key=aggrepay-sandbox-api-key")
        .await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let list = app
        .get_json("/__sandbox/aggrepay/otps?mobile_number=9000000000")
        .await;
    assert_eq!(list, json!([]));

    let (status, body) = status_and_json(
        app.get("/__sandbox/aggrepay/otps?mobile_number=12345")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].as_str().unwrap().contains("12345"), "{body}");
    let (status, body) =
        status_and_json(app.get("/__sandbox/aggrepay/otps?api_key=nope").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) =
        status_and_json(app.get("/__sandbox/aggrepay/otps?mobile=9123400030").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // Reset empties it.
    let reset = app
        .client
        .post(app.url("/__sandbox/reset"))
        .send()
        .await
        .unwrap();
    assert!(reset.status().is_success());
    assert_eq!(app.get_json("/__sandbox/aggrepay/otps").await, json!([]));
}

// ---------------------------------------------------------------------------------------
// Bad input.

#[tokio::test]
async fn json_bodies_with_wrong_types_get_validation_messages() {
    let app = spawn_app().await;
    // Each value is hashed in the form the sandbox reads it: arrays and objects as their
    // JSON text, booleans as PHP prints them.
    let cases: Vec<(&str, Value, &str)> = vec![
        ("mpin", json!([1, 2, 3, 4]), "The mpin must be 4 digits."),
        ("mpin", json!({"pin": "1234"}), "The mpin must be 4 digits."),
        ("mpin", json!(true), "The mpin must be 4 digits."),
        ("mpin", json!(12.34), "The mpin must be 4 digits."),
        (
            "mobile_number",
            json!({"n": 9123400040_u64}),
            "The mobile number field contains an invalid number.",
        ),
    ];
    for (field, value, message) in cases {
        let mut body = serde_json::Map::new();
        body.insert("api_key".into(), json!(KEY));
        body.insert("mobile_number".into(), json!(9123400040_u64));
        body.insert("otp".into(), json!(123456));
        body.insert("first_name".into(), json!("Asha"));
        body.insert("last_name".into(), json!("Rao"));
        body.insert(field.into(), value);
        let text_of = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Bool(true) => "1".into(),
            Value::Bool(false) | Value::Null => String::new(),
            other => other.to_string(),
        };
        let pairs: Vec<(String, String)> =
            body.iter().map(|(k, v)| (k.clone(), text_of(v))).collect();
        body.insert("hash".into(), json!(request_hash(SALT, &pairs)));
        let answer = answer_of(
            app.post_json("/api/v1/registercustomer", &Value::Object(body))
                .await,
        )
        .await;
        assert_eq!(error_of(&answer), invalid(message), "{field}");
    }
    // Not JSON at all, JSON that is not an object, and an empty body: no api_key.
    for raw in ["{not json", "[1,2,3]", "", "\u{0}\u{1}"] {
        let response = app
            .client
            .post(app.url("/api/v1/checkcustomer"))
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        assert_eq!(
            error_of(&answer_of(response).await),
            code("UNAUTHORIZED", "Unauthorized"),
            "{raw:?}"
        );
    }
    // Invalid UTF-8 in a form value.
    let mut body = b"api_key=aggrepay-sandbox-api-key&mobile_number=".to_vec();
    body.extend_from_slice(&[0xff, 0xfe]);
    let response = app
        .client
        .post(app.url("/api/v1/checkcustomer"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let answer = answer_of(response).await;
    let (code_, _) = error_of(&answer);
    assert!(
        code_ == "UNAUTHORIZED" || code_ == "HASH-MISMATCH",
        "{}",
        answer.raw
    );
}

#[tokio::test]
async fn a_ten_megabyte_body_is_judged_not_crashed_on() {
    let app = spawn_app().await;
    let sandbox = Wallet::sandbox();
    let huge = "a".repeat(10 * 1024 * 1024);
    let answer = sandbox
        .post(
            &app,
            "updatecustomer",
            &[("customer_id", "546693304"), ("description", &huge)],
        )
        .await;
    assert_eq!(
        error_of(&answer),
        invalid("The description may not be greater than 255 characters.")
    );
    let answer = sandbox
        .post(
            &app,
            "registercustomer",
            &[
                ("mobile_number", "9123400050"),
                ("otp", "123456"),
                ("first_name", &huge),
            ],
        )
        .await;
    assert_eq!(
        error_of(&answer),
        invalid("The first name may not be greater than 255 characters.")
    );
    // Over the body limit: 413, still AggrePay's envelope.
    let over = format!("api_key={KEY}&description={}", "a".repeat(17 * 1024 * 1024));
    let response = app
        .client
        .post(app.url("/aggrepay/api/v1/updatecustomer"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(over)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (_, body) = status_and_json(response).await;
    assert!(
        body["data"].is_null() && body["error"]["code"].is_string(),
        "{body}"
    );
    // Nothing changed.
    let data = sandbox
        .ok(&app, "fetchcustomerdetail", &[("customer_id", "546693304")])
        .await;
    assert_eq!(data["description"], Value::Null);
}

#[tokio::test]
async fn unicode_and_sql_in_names_are_stored_exactly() {
    let app = spawn_app().await;
    let fixed = merchant(&app, "names-key", "names-salt", Some("424242")).await;
    let first = "Robert'); DROP TABLE aggrepay_customers;--";
    let last = "Ñoño \"日本\" 😀 O'Brien \\ %_";
    fixed
        .ok(
            &app,
            "registrationotp",
            &[
                ("mobile_number", "9123400060"),
                ("email", "bobby@example.com"),
            ],
        )
        .await;
    let fields = [
        ("mobile_number", "9123400060"),
        ("otp", "424242"),
        ("first_name", first),
        ("last_name", last),
        ("mpin", "1357"),
    ];
    let id = fixed.ok(&app, "registercustomer", &fields).await["customer_id"]
        .as_str()
        .unwrap()
        .to_string();
    let answer = fixed
        .post(&app, "fetchcustomerdetail", &[("customer_id", &id)])
        .await;
    let data = fixed.data_of("fetchcustomerdetail", &answer);
    assert_eq!(
        (
            data["first_name"].as_str().unwrap(),
            data["last_name"].as_str().unwrap()
        ),
        (first, last)
    );
    assert!(
        answer.raw.contains(
            r#""last_name":"\u00d1o\u00f1o \"\u65e5\u672c\" \ud83d\ude00 O'Brien \\ %_""#
        ),
        "{}",
        answer.raw
    );
    let description = "'; update aggrepay_customers set balance = 999999; --";
    fixed
        .ok(
            &app,
            "updatecustomer",
            &[("customer_id", &id), ("description", description)],
        )
        .await;
    let data = fixed
        .ok(&app, "fetchcustomerdetail", &[("customer_id", &id)])
        .await;
    assert_eq!(data["description"], description);
    // The default merchant's customers are all still there.
    let sandbox = Wallet::sandbox();
    assert_eq!(
        sandbox
            .ok(&app, "checkcustomer", &[("mobile_number", "9845012345")])
            .await,
        json!({"customer_exists": "true"})
    );
}

#[tokio::test]
async fn an_array_or_object_for_a_text_field_must_be_a_string_and_changes_nothing() {
    let app = spawn_app().await;
    let before = app.get_json("/__sandbox/state").await;
    for value in [json!(["Asha"]), json!({"first": "Asha"})] {
        let mut body = serde_json::Map::new();
        body.insert("api_key".into(), json!(KEY));
        body.insert("customer_id".into(), json!("575290695"));
        body.insert("first_name".into(), value.clone());
        let pairs = vec![
            ("api_key".to_string(), KEY.to_string()),
            ("customer_id".to_string(), "575290695".to_string()),
            ("first_name".to_string(), value.to_string()),
        ];
        body.insert("hash".into(), json!(request_hash(SALT, &pairs)));
        let answer = answer_of(
            app.post_json("/api/v1/updatecustomer", &Value::Object(body))
                .await,
        )
        .await;
        assert_eq!(
            error_of(&answer),
            invalid("The first name must be a string."),
            "{value}"
        );
    }
    assert_eq!(app.get_json("/__sandbox/state").await, before);
}
