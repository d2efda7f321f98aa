//! AggrePay wallet over HTTP: balances, credits, debits, transfers, reversals, limits (across
//! midnight and a month end in India time), listings, magic values, merchant isolation, bad
//! input, and money that stays consistent under 200 concurrent debits and transfers.
//!
//! The client here is written from the document alone: it posts forms signed as Appendix
//! 17.1 says (PHP `ksort`, trimmed non-empty values, salt first, SHA-512, upper case), and
//! checks every answer's hash as the document's PHP `responseHashCheck` does.

use crate::helpers::{TestApp, spawn_app, spawn_app_with, status_and_json};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};
use sha2::{Digest, Sha512};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

const KEY: &str = "aggrepay-sandbox-api-key";
const SALT: &str = "aggrepay-sandbox-salt";
const OTHER_KEY: &str = "other-wallet-key";
const OTHER_SALT: &str = "other-wallet-salt";

/// The documents' sample customers in the default fixtures.
const SAMPLE: &str = "546693304"; // balance 41.0, +919845012345
const KARMENDRA: &str = "575290695"; // balance 0
const INACTIVE: &str = "123123123";
const PAYER: &str = "734203900"; // C2M ABC122361 (734203905) of 4.0 leaves 83

fn sha512_upper(data: &str) -> String {
    Sha512::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Appendix 17.1, `generateHashKey`: ksort (byte order), every value with `strlen > 0`
/// (after Laravel's trim), `salt|v1|v2...`, SHA-512, upper case.
fn request_hash(salt: &str, fields: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = fields
        .iter()
        .filter(|(name, value)| !name.eq_ignore_ascii_case("hash") && !value.trim().is_empty())
        .collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut data = salt.to_string();
    for (_, value) in sorted {
        data.push('|');
        data.push_str(value.trim());
    }
    sha512_upper(&data)
}

/// Appendix 17.2, `responseHashCheck`, on the raw text: drop `,"hash":"…"`, hash salt + the
/// rest, compare.
fn response_hash_ok(salt: &str, text: &str, hash: &str) -> bool {
    let without = text.replacen(&format!(r#","hash":"{hash}""#), "", 1);
    without != text && sha512_upper(&format!("{salt}{without}")) == hash
}

/// A signed client of one merchant (cheap to clone into tasks).
#[derive(Clone)]
struct Wallet {
    http: reqwest::Client,
    base: String,
    api_key: String,
    salt: String,
}

/// One answer: the JSON and its raw text.
#[derive(Debug)]
struct Answer {
    json: Value,
    text: String,
}

impl Answer {
    /// The data of a success (the hash was already checked).
    fn data(&self) -> &Value {
        assert!(
            self.json["error"].is_null(),
            "expected a success: {}",
            self.text
        );
        assert!(
            self.json["hash"].is_string(),
            "a success has a hash: {}",
            self.text
        );
        &self.json["data"]
    }

    /// The code and message of an error (`null` data, page and hash).
    fn error(&self) -> (&str, &str) {
        let error = &self.json["error"];
        assert!(error.is_object(), "expected an error: {}", self.text);
        assert!(
            self.json["data"].is_null()
                && self.json["page"].is_null()
                && self.json["hash"].is_null(),
            "{}",
            self.text
        );
        (
            error["code"].as_str().unwrap(),
            error["message"].as_str().unwrap(),
        )
    }

    fn invalid(&self) -> &str {
        let (code, message) = self.error();
        assert_eq!(code, "INVALID-PARAMS", "{}", self.text);
        message
    }

    fn transaction_id(&self) -> i64 {
        let id = self.data()["transaction_id"]
            .as_i64()
            .unwrap_or_else(|| panic!("a numeric transaction_id: {}", self.text));
        assert!((100_000_000..=999_999_999).contains(&id), "9 digits: {id}");
        id
    }
}

impl Wallet {
    fn new(app: &TestApp) -> Wallet {
        Wallet::of(app, KEY, SALT)
    }

    fn of(app: &TestApp, api_key: &str, salt: &str) -> Wallet {
        Wallet {
            http: app.client.clone(),
            base: app.base.clone(),
            api_key: api_key.into(),
            salt: salt.into(),
        }
    }

    /// Posts the fields with this merchant's api_key and a valid hash.
    async fn call(&self, endpoint: &str, fields: &[(&str, &str)]) -> Answer {
        let mut all: Vec<(&str, &str)> = vec![("api_key", &self.api_key)];
        all.extend_from_slice(fields);
        let hash = request_hash(&self.salt, &all);
        all.push(("hash", &hash));
        self.post_form(endpoint, &all).await
    }

    /// Posts exactly these fields as a form.
    async fn post_form(&self, endpoint: &str, fields: &[(&str, &str)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.post_raw(endpoint, "application/x-www-form-urlencoded", body)
            .await
    }

    async fn post_raw(&self, endpoint: &str, content_type: &str, body: String) -> Answer {
        let response = self
            .http
            .post(format!("{}/aggrepay/api/v1/{endpoint}", self.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("a response");
        self.read(response).await
    }

    /// Checks the envelope and, on a success, the hash as PHP's `responseHashCheck` does.
    async fn read(&self, response: reqwest::Response) -> Answer {
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        let json: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        let keys: Vec<&String> = json.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["data", "error", "page", "hash"], "{text}");
        match json["hash"].as_str() {
            Some(hash) => {
                assert!(json["error"].is_null(), "{text}");
                assert!(
                    hash.len() == 128
                        && hash
                            .bytes()
                            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
                    "{text}"
                );
                assert!(
                    response_hash_ok(&self.salt, &text, hash),
                    "the response hash does not verify: {text}"
                );
            }
            None => assert!(json["hash"].is_null(), "{text}"),
        }
        Answer { json, text }
    }

    async fn balance(&self, customer_id: &str) -> String {
        let answer = self
            .call("fetchbalance", &[("customer_id", customer_id)])
            .await;
        answer.data()["balance"].as_str().unwrap().to_string()
    }

    async fn credit(&self, to: &str, amount: &str, mtid: &str, pg: &str) -> Answer {
        self.call(
            "creditwallet",
            &[
                ("to_customer_id", to),
                ("amount", amount),
                ("merchant_transaction_id", mtid),
                ("pg_transaction_id", pg),
            ],
        )
        .await
    }

    async fn debit(&self, from: &str, amount: &str, mtid: &str) -> Answer {
        self.debit_with(from, amount, mtid, "1234").await
    }

    async fn debit_with(&self, from: &str, amount: &str, mtid: &str, mpin: &str) -> Answer {
        self.call(
            "debitwallet",
            &[
                ("from_customer_id", from),
                ("mpin", mpin),
                ("amount", amount),
                ("merchant_transaction_id", mtid),
            ],
        )
        .await
    }

    async fn transfer(&self, from: &str, to: &str, amount: &str, mtid: &str) -> Answer {
        self.transfer_with(from, to, amount, mtid, "1234").await
    }

    async fn transfer_with(
        &self,
        from: &str,
        to: &str,
        amount: &str,
        mtid: &str,
        mpin: &str,
    ) -> Answer {
        self.call(
            "wallettowallet",
            &[
                ("from_customer_id", from),
                ("to_customer_id", to),
                ("mpin", mpin),
                ("merchant_transaction_id", mtid),
                ("amount", amount),
            ],
        )
        .await
    }

    async fn reverse(&self, mtid: &str) -> Answer {
        self.call("debitreversal", &[("merchant_transaction_id", mtid)])
            .await
    }

    /// Every entry of a customer, newest first, page by page.
    async fn entries(&self, customer_id: &str) -> Vec<Value> {
        let mut all = Vec::new();
        for page in 0.. {
            let page = page.to_string();
            let answer = self
                .call(
                    "fetchtransactions",
                    &[
                        ("customer_id", customer_id),
                        ("page_number", &page),
                        ("page_size", "100"),
                    ],
                )
                .await;
            match answer.data() {
                Value::Null => break,
                Value::Array(items) => all.extend(items.iter().cloned()),
                other => panic!("a list or null: {other}"),
            }
        }
        all
    }
}

/// Paise of a decimal string or JSON number.
fn paise(value: &Value) -> i64 {
    let text = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string);
    (Decimal::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}")) * Decimal::from(100))
        .to_i64()
        .unwrap()
}

async fn load(app: &TestApp, document: Value) {
    let (status, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", &document).await).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

async fn clock(app: &TestApp, change: Value) {
    let (status, answer) = status_and_json(app.post_json("/__sandbox/clock", &change).await).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

/// A payment-gateway record through the control plane.
async fn pg_record(app: &TestApp, body: Value) -> (StatusCode, Value) {
    status_and_json(
        app.post_json("/__sandbox/aggrepay/pg-transactions", &body)
            .await,
    )
    .await
}

async fn aggrepay_state(app: &TestApp) -> Value {
    app.get_json("/__sandbox/state").await["aggrepay"].clone()
}

/// A fixture customer of the default merchant.
fn customer(id: &str, mobile: &str, balance: &str, limits: Value) -> Value {
    json!({
        "api_key": KEY,
        "customer_id": id,
        "mobile_number": mobile,
        "mpin": "1234",
        "balance": balance,
        "limits": limits,
    })
}

async fn customers(app: &TestApp, list: Vec<Value>) {
    load(app, json!({"aggrepay": {"customers": list}})).await;
}

/// A second merchant with one customer, a gateway record and a sub merchant.
async fn other_merchant(app: &TestApp) {
    load(
        app,
        json!({"aggrepay": {
            "merchants": [{"api_key": OTHER_KEY, "salt": OTHER_SALT}],
            "customers": [{"api_key": OTHER_KEY, "customer_id": "900000001", "mobile_number": "9845012345", "balance": "500.00"}],
            "pg_transactions": [{"api_key": OTHER_KEY, "pg_transaction_id": "PG-OTHER", "amount": "10.00"}],
            "sub_merchants": [{"api_key": OTHER_KEY, "sub_merchant_id": 2, "name": "Other"}]
        }}),
    )
    .await;
}

// ---------------------------------------------------------------------------------------
// Signing and the order of checks
// ---------------------------------------------------------------------------------------

const ENDPOINTS: &[&str] = &[
    "fetchbalance",
    "creditwallet",
    "debitwallet",
    "wallettowallet",
    "debitreversal",
    "checkcustomercreditlimit",
    "checkcustomerdebitlimit",
    "fetchtransactions",
    "fetchbymerchantransactionid",
    "fetchbymerchanttransactionid",
    "fetchbytransactionid",
];

#[tokio::test]
async fn every_wallet_endpoint_checks_the_api_key_then_the_hash_before_any_field() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    for endpoint in ENDPOINTS {
        let none = w.post_form(endpoint, &[]).await;
        assert_eq!(none.error(), ("UNAUTHORIZED", "Unauthorized"), "{endpoint}");
        let unknown = w
            .post_form(endpoint, &[("api_key", "nobody"), ("customer_id", SAMPLE)])
            .await;
        assert_eq!(
            unknown.error(),
            ("UNAUTHORIZED", "Unauthorized"),
            "{endpoint}"
        );
        let unsigned = w.post_form(endpoint, &[("api_key", KEY)]).await;
        assert_eq!(
            unsigned.error(),
            ("HASH-MISMATCH", "Hash Mismatch"),
            "{endpoint}"
        );
        let wrong = w
            .post_form(endpoint, &[("api_key", KEY), ("hash", &"A".repeat(128))])
            .await;
        assert_eq!(
            wrong.error(),
            ("HASH-MISMATCH", "Hash Mismatch"),
            "{endpoint}"
        );
        let other_salt = request_hash(OTHER_SALT, &[("api_key", KEY)]);
        let foreign = w
            .post_form(endpoint, &[("api_key", KEY), ("hash", &other_salt)])
            .await;
        assert_eq!(
            foreign.error(),
            ("HASH-MISMATCH", "Hash Mismatch"),
            "{endpoint}"
        );
        // Signed but empty: the first field rule answers.
        let signed = w.call(endpoint, &[]).await;
        assert_eq!(signed.error().0, "INVALID-PARAMS", "{endpoint}");
    }
}

#[tokio::test]
async fn the_hash_covers_trimmed_values_in_byte_order_and_may_be_sent_as_hash_or_hash_upper() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    // Values are trimmed and empty ones skipped on both sides; `Hash` is the same field.
    let fields = [
        ("api_key", KEY),
        ("customer_id", " 546693304 "),
        ("mobile_number", ""),
    ];
    let hash = request_hash(SALT, &fields);
    assert_eq!(hash, sha512_upper(&format!("{SALT}|{KEY}|546693304")));
    let mut signed = fields.to_vec();
    signed.push(("Hash", &hash));
    let answer = w.post_form("fetchbalance", &signed).await;
    assert_eq!(
        answer.data(),
        &json!({"balance": "41.0", "customer_id": SAMPLE})
    );
    // Byte order: `Z` before `a`; an extra field takes part in the hash.
    let extra = [("api_key", KEY), ("customer_id", SAMPLE), ("Zeta", "1")];
    let hash = request_hash(SALT, &extra);
    assert_eq!(hash, sha512_upper(&format!("{SALT}|1|{KEY}|546693304")));
    let mut signed = extra.to_vec();
    signed.push(("hash", &hash));
    w.post_form("fetchbalance", &signed).await.data();
    // A JSON object body is read the same way.
    let hash = request_hash(SALT, &[("api_key", KEY), ("customer_id", SAMPLE)]);
    let body = json!({"api_key": KEY, "customer_id": 546693304, "hash": hash}).to_string();
    let answer = w.post_raw("fetchbalance", "application/json", body).await;
    assert_eq!(answer.data()["balance"], "41.0");
}

// ---------------------------------------------------------------------------------------
// fetchbalance
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn fetchbalance_answers_the_documents_sample_by_customer_id_or_mobile_number() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    let answer = w.call("fetchbalance", &[("customer_id", SAMPLE)]).await;
    assert_eq!(
        answer.data(),
        &json!({"balance": "41.0", "customer_id": "546693304"})
    );
    assert!(answer.text.starts_with(r#"{"data":{"balance":"41.0","customer_id":"546693304"},"error":null,"page":null,"hash":""#), "{}", answer.text);
    for mobile in ["9845012345", "+919845012345", "919845012345", "09845012345"] {
        let answer = w.call("fetchbalance", &[("mobile_number", mobile)]).await;
        assert_eq!(
            answer.data(),
            &json!({"balance": "41.0", "customer_id": "546693304"}),
            "{mobile}"
        );
    }
    assert_eq!(
        w.call("fetchbalance", &[("customer_id", PAYER)])
            .await
            .data()["balance"],
        "83.0"
    );
    assert_eq!(
        w.call("fetchbalance", &[("customer_id", KARMENDRA)])
            .await
            .data()["balance"],
        "0.0"
    );
    // The document's errors.
    assert_eq!(
        w.call("fetchbalance", &[]).await.invalid(),
        "The mobile number field is required when customer id is not present."
    );
    assert_eq!(
        w.call("fetchbalance", &[("mobile_number", "9000000000")])
            .await
            .invalid(),
        "The selected mobile number is invalid."
    );
    assert_eq!(
        w.call("fetchbalance", &[("customer_id", "999999999")])
            .await
            .invalid(),
        "The selected customer id is invalid."
    );
    assert_eq!(
        w.call("fetchbalance", &[("mobile_number", "12345")])
            .await
            .invalid(),
        "The mobile number field contains an invalid number."
    );
}

// ---------------------------------------------------------------------------------------
// creditwallet and payment-gateway records
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn creditwallet_uses_a_gateway_record_of_this_merchant_once_and_of_the_same_amount() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    let (status, record) = pg_record(
        &app,
        json!({"api_key": KEY, "amount": "100.00", "pg_transaction_id": "PG123"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    assert_eq!(record["pg_transaction_id"], "PG123");
    assert_eq!(record["amount"], "100.00");
    assert_eq!(record["used"], false);

    let answer = w.credit(KARMENDRA, "100.00", "LOAD-1", "PG123").await;
    let transaction_id = answer.transaction_id();
    assert_eq!(answer.data(), &json!({"transaction_id": transaction_id}));
    assert_eq!(w.balance(KARMENDRA).await, "100.0");
    let entries = w.entries(KARMENDRA).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["transaction_type"], "M2C");
    assert_eq!(entries[0]["payment_type"], "CREDIT");
    assert_eq!(entries[0]["amount"], "100.0");
    assert_eq!(entries[0]["balance"], 100);
    assert_eq!(entries[0]["transaction_id"], transaction_id);
    assert_eq!(entries[0]["merchant_transaction_id"], "LOAD-1");

    // Used: a validation error; an unknown id or another amount: no record.
    assert_eq!(
        w.credit(KARMENDRA, "100.00", "LOAD-2", "PG123")
            .await
            .invalid(),
        "The pg transaction id has already been taken."
    );
    let (_, record) = pg_record(
        &app,
        json!({"api_key": KEY, "amount": "50.00", "pg_transaction_id": "PG50"}),
    )
    .await;
    assert_eq!(record["used"], false);
    let no_record = (
        "NO-PG-TRANSACTION-RECORD-FOUND",
        "Pg transaction record not found.",
    );
    assert_eq!(
        w.credit(KARMENDRA, "50.01", "LOAD-3", "PG50").await.error(),
        no_record
    );
    assert_eq!(
        w.credit(KARMENDRA, "50", "LOAD-3", "PG-NONE").await.error(),
        no_record
    );
    // The failures used nothing: the record still loads once.
    w.credit(KARMENDRA, "50", "LOAD-3", "PG50")
        .await
        .transaction_id();
    assert_eq!(w.balance(KARMENDRA).await, "150.0");
    // A used merchant_transaction_id comes before the gateway record in the field order.
    assert_eq!(
        w.credit(KARMENDRA, "1", "LOAD-1", "PG-NONE")
            .await
            .invalid(),
        "The merchant transaction id has already been taken."
    );
    // The fixture's C2M id is taken too.
    assert_eq!(
        w.credit(KARMENDRA, "1", "ABC122361", "PG-NONE")
            .await
            .invalid(),
        "The merchant transaction id has already been taken."
    );
    // By mobile number.
    let (_, generated) = pg_record(&app, json!({"api_key": KEY, "amount": "1.50"})).await;
    let generated_id = generated["pg_transaction_id"].as_str().unwrap().to_string();
    assert!(
        generated_id.starts_with("PG") && generated_id.len() == 14,
        "{generated_id}"
    );
    let by_mobile = w
        .call(
            "creditwallet",
            &[
                ("to_mobile_number", "+919900261104"),
                ("amount", "1.50"),
                ("description", "Top-up"),
                ("merchant_transaction_id", "LOAD-4"),
                ("pg_transaction_id", &generated_id),
            ],
        )
        .await;
    by_mobile.transaction_id();
    assert_eq!(w.balance(KARMENDRA).await, "151.5");
    let state = aggrepay_state(&app).await;
    let used: Vec<(&str, bool)> = state["pg_transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["pg_transaction_id"].as_str().unwrap(),
                r["used"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        used,
        [
            ("PG123", true),
            ("PG50", true),
            (generated_id.as_str(), true)
        ]
    );
}

#[tokio::test]
async fn creditwallet_validates_its_fields_in_the_documents_order() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    let c = async |fields: &[(&str, &str)]| w.call("creditwallet", fields).await;
    assert_eq!(
        c(&[]).await.invalid(),
        "The to mobile number field is required when to customer id is not present."
    );
    assert_eq!(
        c(&[("to_customer_id", "111111111")]).await.invalid(),
        "The selected to customer id is invalid."
    );
    assert_eq!(
        c(&[("to_mobile_number", "12")]).await.invalid(),
        "The to mobile number field contains an invalid number."
    );
    assert_eq!(
        c(&[("to_customer_id", SAMPLE)]).await.invalid(),
        "The amount field is required."
    );
    assert_eq!(
        c(&[("to_customer_id", SAMPLE), ("amount", "ten")])
            .await
            .invalid(),
        "The amount must be a number."
    );
    assert_eq!(
        c(&[("to_customer_id", SAMPLE), ("amount", "10")])
            .await
            .invalid(),
        "The merchant transaction id field is required."
    );
    assert_eq!(
        c(&[
            ("to_customer_id", SAMPLE),
            ("amount", "10"),
            ("merchant_transaction_id", "M1")
        ])
        .await
        .invalid(),
        "The pg transaction id field is required."
    );
}

#[tokio::test]
async fn the_control_plane_refuses_bad_gateway_records() {
    let app = spawn_app().await;
    let (status, _) = pg_record(&app, json!({"api_key": "nobody", "amount": "1.00"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = pg_record(&app, json!({"api_key": KEY, "amount": 1.5})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = pg_record(&app, json!({"api_key": KEY, "amount": "0"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = pg_record(&app, json!({"api_key": KEY, "amount": "1.001"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = pg_record(
        &app,
        json!({"api_key": KEY, "amount": "1", "surprise": true}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = pg_record(
        &app,
        json!({"api_key": KEY, "amount": "1", "pg_transaction_id": "PG-DUP"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, answer) = pg_record(
        &app,
        json!({"api_key": KEY, "amount": "2", "pg_transaction_id": "PG-DUP"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let response = app
        .post_text("/__sandbox/aggrepay/pg-transactions", "not json")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // Another merchant may use the same id.
    other_merchant(&app).await;
    let (status, _) = pg_record(
        &app,
        json!({"api_key": OTHER_KEY, "amount": "1", "pg_transaction_id": "PG-DUP"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_pgtest_id_is_a_gateway_record_of_the_credits_amount_once() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    w.credit(KARMENDRA, "75.25", "MAGIC-1", "PGTEST-1")
        .await
        .transaction_id();
    assert_eq!(w.balance(KARMENDRA).await, "75.25");
    assert_eq!(
        w.credit(KARMENDRA, "75.25", "MAGIC-2", "PGTEST-1")
            .await
            .invalid(),
        "The pg transaction id has already been taken."
    );
    w.credit(KARMENDRA, "1", "MAGIC-3", "PGTEST-2")
        .await
        .transaction_id();
    assert_eq!(w.balance(KARMENDRA).await, "76.25");
    // A PGTEST- id with a record is that record.
    pg_record(
        &app,
        json!({"api_key": KEY, "amount": "5.00", "pg_transaction_id": "PGTEST-REAL"}),
    )
    .await;
    assert_eq!(
        w.credit(KARMENDRA, "6", "MAGIC-4", "PGTEST-REAL")
            .await
            .error()
            .0,
        "NO-PG-TRANSACTION-RECORD-FOUND"
    );
    w.credit(KARMENDRA, "5", "MAGIC-4", "PGTEST-REAL")
        .await
        .transaction_id();
    // Without the prefix there is no magic.
    assert_eq!(
        w.credit(KARMENDRA, "1", "MAGIC-5", "pgtest-3")
            .await
            .error()
            .0,
        "NO-PG-TRANSACTION-RECORD-FOUND"
    );
}

#[tokio::test]
async fn an_inactive_customer_can_neither_receive_nor_pay() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    let not_active = ("INVALID-INPUT-DATA", "Customer is not active");
    assert_eq!(
        w.credit(INACTIVE, "10", "I-1", "PGTEST-I1").await.error(),
        not_active
    );
    assert_eq!(w.debit(INACTIVE, "10", "I-2").await.error(), not_active);
    assert_eq!(
        w.transfer(INACTIVE, SAMPLE, "1", "I-3").await.error(),
        not_active
    );
    assert_eq!(
        w.transfer(SAMPLE, INACTIVE, "1", "I-4").await.error(),
        not_active
    );
    // It still has a balance and a (empty) history.
    assert_eq!(w.balance(INACTIVE).await, "0.0");
    // PGTEST-I1 was not used by the refused credit.
    w.credit(KARMENDRA, "10", "I-5", "PGTEST-I1")
        .await
        .transaction_id();
}

// ---------------------------------------------------------------------------------------
// debitwallet
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn debitwallet_pays_the_merchant_from_a_wallet_that_holds_the_amount() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    let answer = w
        .call(
            "debitwallet",
            &[
                ("to_sub_merchant_id", "1"),
                ("from_mobile_number", "9845012345"),
                ("description", "Coffee"),
                ("mpin", "1234"),
                ("amount", "1.00"),
                ("merchant_transaction_id", "C2M-1"),
            ],
        )
        .await;
    let transaction_id = answer.transaction_id();
    assert_eq!(answer.data(), &json!({"transaction_id": transaction_id}));
    assert_eq!(w.balance(SAMPLE).await, "40.0");
    let entry = w
        .call(
            "fetchbytransactionid",
            &[("transaction_id", &transaction_id.to_string())],
        )
        .await;
    let entry = entry.data();
    assert_eq!(
        (
            &entry["amount"],
            &entry["balance"],
            &entry["transaction_type"],
            &entry["payment_type"],
            &entry["merchant_transaction_id"]
        ),
        (
            &json!("1.0"),
            &json!(40),
            &json!("C2M"),
            &json!("DEBIT"),
            &json!("C2M-1")
        )
    );

    assert_eq!(
        w.debit_with(SAMPLE, "1", "C2M-2", "4321").await.error(),
        ("INVALID-MPIN", "Invalid MPIN")
    );
    assert_eq!(
        w.debit(SAMPLE, "40.01", "C2M-2").await.error(),
        ("INVALID-INPUT-DATA", "Not enough balance in the account")
    );
    // Exactly the balance passes.
    w.debit(SAMPLE, "40", "C2M-2").await.transaction_id();
    assert_eq!(w.balance(SAMPLE).await, "0.0");
    assert_eq!(
        w.debit(SAMPLE, "0.01", "C2M-3").await.error(),
        ("INVALID-INPUT-DATA", "Not enough balance in the account")
    );
    assert_eq!(
        w.debit(SAMPLE, "0.01", "C2M-1").await.invalid(),
        "The merchant transaction id has already been taken."
    );
    assert_eq!(
        w.debit(PAYER, "1", "ABC122361").await.invalid(),
        "The merchant transaction id has already been taken."
    );
}

#[tokio::test]
async fn debitwallet_validates_its_fields_in_the_documents_order() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    let d = async |fields: &[(&str, &str)]| w.call("debitwallet", fields).await;
    let sub_invalid = "The selected to sub merchant id is invalid.";
    assert_eq!(
        d(&[("to_sub_merchant_id", "2")]).await.invalid(),
        sub_invalid
    );
    assert_eq!(
        d(&[("to_sub_merchant_id", "one")]).await.invalid(),
        sub_invalid
    );
    assert_eq!(
        d(&[("to_sub_merchant_id", "1")]).await.invalid(),
        "The from mobile number field is required when from customer id is not present."
    );
    assert_eq!(
        d(&[("from_customer_id", "111111111")]).await.invalid(),
        "The selected from customer id is invalid."
    );
    assert_eq!(
        d(&[("from_mobile_number", "9000000001")]).await.invalid(),
        "The selected from mobile number is invalid."
    );
    assert_eq!(
        d(&[("from_customer_id", PAYER)]).await.invalid(),
        "The mpin field is required."
    );
    assert_eq!(
        d(&[("from_customer_id", PAYER), ("mpin", "123")])
            .await
            .invalid(),
        "The mpin must be 4 digits."
    );
    assert_eq!(
        d(&[("from_customer_id", PAYER), ("mpin", "12a4")])
            .await
            .invalid(),
        "The mpin must be 4 digits."
    );
    assert_eq!(
        d(&[("from_customer_id", PAYER), ("mpin", "1234")])
            .await
            .invalid(),
        "The amount field is required."
    );
    assert_eq!(
        d(&[
            ("from_customer_id", PAYER),
            ("mpin", "1234"),
            ("amount", "1")
        ])
        .await
        .invalid(),
        "The merchant transaction id field is required."
    );
    // Validation comes before the MPIN and the balance.
    assert_eq!(
        d(&[
            ("from_customer_id", PAYER),
            ("mpin", "9999"),
            ("amount", "1000000")
        ])
        .await
        .invalid(),
        "The merchant transaction id field is required."
    );
}

#[tokio::test]
async fn mpin_0000_is_never_valid_even_for_a_customer_whose_mpin_it_is() {
    let app = spawn_app().await;
    load(
        &app,
        json!({"aggrepay": {"customers": [
            {"api_key": KEY, "customer_id": "700000000", "mobile_number": "9700000000", "mpin": "0000", "balance": "100.00"}
        ]}}),
    )
    .await;
    let w = Wallet::new(&app);
    assert_eq!(
        w.debit_with("700000000", "1", "Z-1", "0000").await.error(),
        ("INVALID-MPIN", "Invalid MPIN")
    );
    assert_eq!(
        w.transfer_with("700000000", SAMPLE, "1", "Z-2", "0000")
            .await
            .error(),
        ("INVALID-MPIN", "Invalid MPIN")
    );
    // Before the balance and the active flag: it is a magic value.
    assert_eq!(
        w.debit_with(SAMPLE, "100000", "Z-3", "0000").await.error(),
        ("INVALID-MPIN", "Invalid MPIN")
    );
    assert_eq!(
        w.debit_with(INACTIVE, "1", "Z-4", "0000").await.error(),
        ("INVALID-MPIN", "Invalid MPIN")
    );
    assert_eq!(w.balance("700000000").await, "100.0");
}

#[tokio::test]
async fn amount_999_99_answers_the_outage_and_changes_nothing() {
    let app = spawn_app().await;
    customers(
        &app,
        vec![customer("700000002", "9700000002", "5000.00", json!({}))],
    )
    .await;
    let w = Wallet::new(&app);
    let before = aggrepay_state(&app).await;
    let outage = ("INTERNAL-ERROR", "Internal Server Error");
    assert_eq!(
        w.debit("700000002", "999.99", "OUT-1").await.error(),
        outage
    );
    assert_eq!(
        w.transfer("700000002", SAMPLE, "999.99", "OUT-2")
            .await
            .error(),
        outage
    );
    // Before the MPIN, the balance and the active flag, after validation.
    assert_eq!(
        w.debit_with(SAMPLE, "999.99", "OUT-3", "9999")
            .await
            .error(),
        outage
    );
    assert_eq!(w.debit(INACTIVE, "999.990", "OUT-4").await.error(), outage);
    assert_eq!(
        w.debit_with(SAMPLE, "999.99", "OUT-5", "0000")
            .await
            .error(),
        outage
    );
    assert_eq!(
        w.debit(SAMPLE, "999.99", "ABC122361").await.invalid(),
        "The merchant transaction id has already been taken."
    );
    assert_eq!(aggrepay_state(&app).await, before);
    // The ids are still free; other amounts go through.
    w.debit("700000002", "999.98", "OUT-1")
        .await
        .transaction_id();
    w.transfer("700000002", SAMPLE, "999.00", "OUT-2")
        .await
        .transaction_id();
    assert_eq!(w.balance("700000002").await, "3001.02");
    // Credits have no outage amount.
    w.credit(KARMENDRA, "999.99", "OUT-6", "PGTEST-OUT")
        .await
        .transaction_id();
}

// ---------------------------------------------------------------------------------------
// wallettowallet
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn wallettowallet_writes_a_debit_and_a_credit_under_one_transaction_id() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    let answer = w
        .call(
            "wallettowallet",
            &[
                ("from_customer_id", SAMPLE),
                ("to_customer_id", KARMENDRA),
                ("description", "Lunch"),
                ("mpin", "1234"),
                ("merchant_transaction_id", "C2C-1"),
                ("amount", "1.0"),
            ],
        )
        .await;
    let transaction_id = answer.transaction_id();
    assert_eq!(w.balance(SAMPLE).await, "40.0");
    assert_eq!(w.balance(KARMENDRA).await, "1.0");
    let sender = w.entries(SAMPLE).await;
    let receiver = w.entries(KARMENDRA).await;
    assert_eq!(sender[0]["transaction_id"], transaction_id);
    assert_eq!(receiver[0]["transaction_id"], transaction_id);
    assert_eq!(
        (
            &sender[0]["transaction_type"],
            &sender[0]["payment_type"],
            &sender[0]["balance"]
        ),
        (&json!("C2C"), &json!("DEBIT"), &json!(40))
    );
    assert_eq!(
        (
            &receiver[0]["transaction_type"],
            &receiver[0]["payment_type"],
            &receiver[0]["balance"]
        ),
        (&json!("C2C"), &json!("CREDIT"), &json!(1))
    );
    // By id: the sender's entry.
    let by_mtid = w
        .call(
            "fetchbymerchantransactionid",
            &[("merchant_transaction_id", "C2C-1")],
        )
        .await;
    assert_eq!(by_mtid.data(), &sender[0]);
    let by_id = w
        .call(
            "fetchbytransactionid",
            &[("transaction_id", &transaction_id.to_string())],
        )
        .await;
    assert_eq!(by_id.data(), &sender[0]);

    assert_eq!(
        w.transfer(SAMPLE, SAMPLE, "1", "C2C-2").await.invalid(),
        "The to customer id and from customer id must be different."
    );
    assert_eq!(
        w.transfer(SAMPLE, "111111111", "1", "C2C-2")
            .await
            .invalid(),
        "The selected to customer id is invalid."
    );
    assert_eq!(
        w.transfer("111111111", SAMPLE, "1", "C2C-2")
            .await
            .invalid(),
        "The selected from customer id is invalid."
    );
    assert_eq!(
        w.call("wallettowallet", &[("to_customer_id", SAMPLE)])
            .await
            .invalid(),
        "The from customer id field is required."
    );
    assert_eq!(
        w.call("wallettowallet", &[("from_customer_id", SAMPLE)])
            .await
            .invalid(),
        "The to customer id field is required."
    );
    assert_eq!(
        w.transfer_with(SAMPLE, KARMENDRA, "1", "C2C-2", "1111")
            .await
            .error(),
        ("INVALID-MPIN", "Invalid MPIN")
    );
    assert_eq!(
        w.transfer(SAMPLE, KARMENDRA, "40.01", "C2C-2")
            .await
            .error(),
        ("INSUFFICIENT-FUND", "Insufficient Fund")
    );
    assert_eq!(
        w.transfer(SAMPLE, KARMENDRA, "1", "C2C-1").await.invalid(),
        "The merchant transaction id has already been taken."
    );
    // Here merchant_transaction_id comes before amount, as the document lists them.
    assert_eq!(
        w.call(
            "wallettowallet",
            &[
                ("from_customer_id", SAMPLE),
                ("to_customer_id", KARMENDRA),
                ("mpin", "1234"),
                ("amount", "x")
            ]
        )
        .await
        .invalid(),
        "The merchant transaction id field is required."
    );
    assert_eq!(w.balance(SAMPLE).await, "40.0");
    assert_eq!(w.balance(KARMENDRA).await, "1.0");
}

#[tokio::test]
async fn a_transfer_respects_the_receivers_credit_limits_and_balance_cap() {
    let app = spawn_app().await;
    customers(
        &app,
        vec![
            customer("700000010", "9700000010", "1000.00", json!({})),
            customer(
                "700000011",
                "9700000011",
                "60.00",
                json!({"max_balance": "100.00"}),
            ),
            customer(
                "700000012",
                "9700000012",
                "0",
                json!({"monthly_credit": "50.00"}),
            ),
        ],
    )
    .await;
    let w = Wallet::new(&app);
    w.transfer("700000010", "700000011", "40", "CAP-1")
        .await
        .transaction_id();
    assert_eq!(
        w.transfer("700000010", "700000011", "0.01", "CAP-2")
            .await
            .error(),
        ("INVALID-INPUT-DATA", "Wallet balance limit exceeded")
    );
    w.transfer("700000010", "700000012", "50", "CAP-3")
        .await
        .transaction_id();
    assert_eq!(
        w.transfer("700000010", "700000012", "0.01", "CAP-4")
            .await
            .error(),
        (
            "MONTHLY-TRANSACTION-LIMIT-EXCEEDED",
            "Monthly Transaction Limit exceeded"
        )
    );
    // The receiver may still send: its debits are not its credits.
    w.transfer("700000012", "700000010", "50", "CAP-5")
        .await
        .transaction_id();
    assert_eq!(w.balance("700000010").await, "960.0");
}

// ---------------------------------------------------------------------------------------
// debitreversal
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn credit_debit_reverse_and_list() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    clock(&app, json!({"set": "2026-03-10T10:00:00+05:30"})).await;
    let credit = w
        .credit(KARMENDRA, "100", "FLOW-CREDIT", "PGTEST-FLOW")
        .await
        .transaction_id();
    clock(&app, json!({"advance_seconds": 60})).await;
    let debit = w
        .debit(KARMENDRA, "30.50", "FLOW-DEBIT")
        .await
        .transaction_id();
    assert_eq!(w.balance(KARMENDRA).await, "69.5");
    clock(&app, json!({"advance_seconds": 60})).await;
    // A transaction_id that does not match is refused; the matching one works.
    let wrong = w
        .call(
            "debitreversal",
            &[
                ("merchant_transaction_id", "FLOW-DEBIT"),
                ("transaction_id", "100000000"),
            ],
        )
        .await;
    assert_eq!(wrong.invalid(), "The selected transaction id is invalid.");
    let answer = w
        .call(
            "debitreversal",
            &[
                ("merchant_transaction_id", "FLOW-DEBIT"),
                ("transaction_id", &debit.to_string()),
                ("Description", "Refund"),
            ],
        )
        .await;
    let reversal = answer.transaction_id();
    assert_eq!(
        answer.data(),
        &json!({"merchant_transaction_id": "FLOW-DEBIT_REVERSAL", "transaction_id": reversal})
    );
    assert!(
        answer.text.starts_with(
            r#"{"data":{"merchant_transaction_id":"FLOW-DEBIT_REVERSAL","transaction_id":"#
        ),
        "{}",
        answer.text
    );
    assert_eq!(w.balance(KARMENDRA).await, "100.0");
    assert_eq!(
        w.reverse("FLOW-DEBIT").await.error(),
        (
            "TRANSACTION-ALREADY-REVERSED",
            "This Transaction is already reversed"
        )
    );
    assert_eq!(w.balance(KARMENDRA).await, "100.0");

    let entries = w.entries(KARMENDRA).await;
    assert_eq!(
        entries,
        [
            json!({"amount": "30.5", "balance": 100, "transaction_type": "REVERSAL", "payment_type": "CREDIT", "time": "2026-03-10 10:02:00",
                   "transaction_id": reversal, "merchant_transaction_id": "FLOW-DEBIT_REVERSAL", "transaction_status": "PAYMENT_SUCCESS"}),
            json!({"amount": "30.5", "balance": 69.5, "transaction_type": "C2M", "payment_type": "DEBIT", "time": "2026-03-10 10:01:00",
                   "transaction_id": debit, "merchant_transaction_id": "FLOW-DEBIT", "transaction_status": "PAYMENT_SUCCESS"}),
            json!({"amount": "100.0", "balance": 100, "transaction_type": "M2C", "payment_type": "CREDIT", "time": "2026-03-10 10:00:00",
                   "transaction_id": credit, "merchant_transaction_id": "FLOW-CREDIT", "transaction_status": "PAYMENT_SUCCESS"}),
        ]
    );
    let by_mtid = w
        .call(
            "fetchbymerchantransactionid",
            &[("merchant_transaction_id", "FLOW-DEBIT_REVERSAL")],
        )
        .await;
    assert_eq!(by_mtid.data(), &entries[0]);
    // The raw listing writes 69.5 as PHP does.
    let raw = w
        .call(
            "fetchtransactions",
            &[
                ("customer_id", KARMENDRA),
                ("page_number", "0"),
                ("page_size", "3"),
            ],
        )
        .await;
    assert!(raw.text.contains(r#""balance":69.5,"#), "{}", raw.text);
    assert_eq!(
        raw.json["page"],
        json!({"page_size": 3, "page_number": 0, "total_pages": 1, "total_elements": 3})
    );

    // Only a debitwallet can be reversed.
    assert_eq!(
        w.reverse("FLOW-CREDIT").await.invalid(),
        "The selected merchant transaction id is invalid."
    );
    assert_eq!(
        w.reverse("FLOW-DEBIT_REVERSAL").await.invalid(),
        "The selected merchant transaction id is invalid."
    );
    assert_eq!(
        w.reverse("NOPE").await.invalid(),
        "The selected merchant transaction id is invalid."
    );
    assert_eq!(
        w.call("debitreversal", &[]).await.invalid(),
        "The merchant transaction id field is required."
    );
    w.transfer(KARMENDRA, SAMPLE, "1", "FLOW-C2C")
        .await
        .transaction_id();
    assert_eq!(
        w.reverse("FLOW-C2C").await.invalid(),
        "The selected merchant transaction id is invalid."
    );
    // The fixture's sample C2M: 83 + 4.
    let sample = w.reverse("ABC122361").await;
    assert_eq!(
        sample.data()["merchant_transaction_id"],
        "ABC122361_REVERSAL"
    );
    assert_eq!(w.balance(PAYER).await, "87.0");
}

#[tokio::test]
async fn a_reversed_debit_no_longer_counts_against_the_debit_limits() {
    let app = spawn_app().await;
    customers(
        &app,
        vec![customer(
            "700000020",
            "9700000020",
            "1000.00",
            json!({"monthly_debit": "100.00", "daily_debit_count": 2}),
        )],
    )
    .await;
    let w = Wallet::new(&app);
    w.debit("700000020", "80", "REV-1").await.transaction_id();
    assert_eq!(
        w.debit("700000020", "30", "REV-2").await.error().0,
        "MONTHLY-TRANSACTION-LIMIT-EXCEEDED"
    );
    w.reverse("REV-1").await.transaction_id();
    w.debit("700000020", "30", "REV-2").await.transaction_id();
    w.debit("700000020", "70", "REV-3").await.transaction_id();
    // Two debits today that stand (REV-2, REV-3): the count is reached.
    assert_eq!(
        w.debit("700000020", "0.01", "REV-4").await.error(),
        ("TRANSACTION-LIMIT", "Daily Transaction Limit Reached")
    );
    // A reversal is no credit: it passes the balance cap and the monthly credit limit.
    customers(
        &app,
        vec![customer(
            "700000021",
            "9700000021",
            "100.00",
            json!({"max_balance": "100.00", "monthly_credit": "0"}),
        )],
    )
    .await;
    w.debit("700000021", "50", "REV-5").await.transaction_id();
    w.credit("700000021", "0.01", "REV-6", "PGTEST-REV")
        .await
        .error();
    w.reverse("REV-5").await.transaction_id();
    assert_eq!(w.balance("700000021").await, "100.0");
}

// ---------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn limit_checks_answer_true_or_the_limit_error_and_change_nothing() {
    let app = spawn_app().await;
    customers(
        &app,
        vec![
            customer(
                "700000030",
                "9700000030",
                "0",
                json!({"monthly_credit": "100.00"}),
            ),
            customer(
                "700000031",
                "9700000031",
                "1000.00",
                json!({"monthly_debit": "100.00"}),
            ),
        ],
    )
    .await;
    let w = Wallet::new(&app);
    let before = aggrepay_state(&app).await;
    let credit = async |customer: &str, amount: &str| {
        w.call(
            "checkcustomercreditlimit",
            &[("customer_id", customer), ("amount", amount)],
        )
        .await
    };
    let debit = async |customer: &str, amount: &str| {
        w.call(
            "checkcustomerdebitlimit",
            &[("customer_id", customer), ("amount", amount)],
        )
        .await
    };
    let yes = credit(SAMPLE, "100").await;
    assert_eq!(yes.data(), &json!(true));
    assert!(
        yes.text
            .starts_with(r#"{"data":true,"error":null,"page":null,"hash":""#),
        "{}",
        yes.text
    );
    // The balance cap: 41 + 9959 = 10,000 passes, a paisa more does not.
    credit(SAMPLE, "9959").await.data();
    assert_eq!(
        credit(SAMPLE, "9959.01").await.error(),
        ("INVALID-INPUT-DATA", "Wallet balance limit exceeded")
    );
    credit("700000030", "100").await.data();
    assert_eq!(
        credit("700000030", "100.01").await.error(),
        (
            "MONTHLY-TRANSACTION-LIMIT-EXCEEDED",
            "Monthly Transaction Limit exceeded"
        )
    );
    // Debits: limits only, not the balance (41.0 here, 5,000 a day by default).
    assert_eq!(debit(SAMPLE, "5000").await.data(), &json!(true));
    assert_eq!(
        debit(SAMPLE, "5000.01").await.error(),
        ("TRANSACTION-LIMIT", "Daily Transaction Limit Reached")
    );
    debit("700000031", "100").await.data();
    assert_eq!(
        debit("700000031", "100.01").await.error(),
        (
            "MONTHLY-TRANSACTION-LIMIT-EXCEEDED",
            "Monthly Transaction Limit exceeded"
        )
    );
    // By mobile number; validation as everywhere.
    let by_mobile = w
        .call(
            "checkcustomerdebitlimit",
            &[("mobile_number", "9845012345"), ("amount", "1")],
        )
        .await;
    assert_eq!(by_mobile.data(), &json!(true));
    assert_eq!(
        credit("999999999", "1").await.invalid(),
        "The selected customer id is invalid."
    );
    assert_eq!(
        credit(SAMPLE, "-1").await.invalid(),
        "The amount must be greater than 0."
    );
    assert_eq!(
        w.call("checkcustomerdebitlimit", &[("customer_id", SAMPLE)])
            .await
            .invalid(),
        "The amount field is required."
    );
    assert_eq!(aggrepay_state(&app).await, before);
}

#[tokio::test]
async fn merchant_defaults_apply_with_per_customer_overrides_inclusively() {
    let app = spawn_app().await;
    load(
        &app,
        json!({"aggrepay": {
            "merchants": [{"api_key": OTHER_KEY, "salt": OTHER_SALT, "limits": {
                "max_balance": "500.00", "monthly_credit": "1000.00", "monthly_debit": "300.00",
                "daily_debit_count": 3, "daily_debit_amount": "200.00"}}],
            "customers": [
                {"api_key": OTHER_KEY, "customer_id": "800000001", "mobile_number": "9800000001", "balance": "400.00"},
                {"api_key": OTHER_KEY, "customer_id": "800000002", "mobile_number": "9800000002", "balance": "400.00",
                 "limits": {"daily_debit_count": 1, "max_balance": "450.00"}}
            ]
        }}),
    )
    .await;
    let w = Wallet::of(&app, OTHER_KEY, OTHER_SALT);
    // The merchant's defaults: 3 debits, 200.00 a day.
    w.debit("800000001", "100", "D-1").await.transaction_id();
    w.debit("800000001", "50", "D-2").await.transaction_id();
    assert_eq!(
        w.debit("800000001", "50.01", "D-3").await.error().0,
        "TRANSACTION-LIMIT"
    );
    w.debit("800000001", "50", "D-3").await.transaction_id();
    assert_eq!(
        w.debit("800000001", "0.01", "D-4").await.error().0,
        "TRANSACTION-LIMIT"
    );
    // Balance cap 500: 200 + 300 passes, then nothing more.
    w.credit("800000001", "300", "D-5", "PGTEST-D5")
        .await
        .transaction_id();
    assert_eq!(
        w.credit("800000001", "0.01", "D-6", "PGTEST-D6")
            .await
            .error(),
        ("INVALID-INPUT-DATA", "Wallet balance limit exceeded")
    );
    // The overrides: one debit a day, a cap of 450.
    w.debit("800000002", "1", "E-1").await.transaction_id();
    assert_eq!(
        w.debit("800000002", "1", "E-2").await.error().0,
        "TRANSACTION-LIMIT"
    );
    w.credit("800000002", "51", "E-3", "PGTEST-E3")
        .await
        .transaction_id();
    assert_eq!(
        w.credit("800000002", "0.01", "E-4", "PGTEST-E4")
            .await
            .error()
            .0,
        "INVALID-INPUT-DATA"
    );
    assert_eq!(w.balance("800000002").await, "450.0");
    // The default merchant keeps its own defaults.
    let d = Wallet::new(&app);
    assert_eq!(
        d.call(
            "checkcustomerdebitlimit",
            &[("customer_id", SAMPLE), ("amount", "5000")]
        )
        .await
        .data(),
        &json!(true)
    );
}

#[tokio::test]
async fn a_day_ends_at_midnight_india_time_not_utc() {
    let app = spawn_app().await;
    // 23:58 IST on 31 January is 18:28 UTC; three minutes later it is 1 February in India
    // and still 31 January in UTC.
    clock(&app, json!({"set": "2026-01-31T23:58:00+05:30"})).await;
    customers(
        &app,
        vec![
            customer(
                "700000040",
                "9700000040",
                "1000.00",
                json!({"daily_debit_count": 2}),
            ),
            customer(
                "700000041",
                "9700000041",
                "1000.00",
                json!({"daily_debit_amount": "100.00"}),
            ),
        ],
    )
    .await;
    let w = Wallet::new(&app);
    w.debit("700000040", "1", "DAY-1").await.transaction_id();
    w.transfer("700000040", "700000041", "1", "DAY-2")
        .await
        .transaction_id();
    assert_eq!(
        w.debit("700000040", "1", "DAY-3").await.error(),
        ("TRANSACTION-LIMIT", "Daily Transaction Limit Reached")
    );
    assert_eq!(
        w.transfer("700000040", "700000041", "1", "DAY-3")
            .await
            .error()
            .0,
        "TRANSACTION-LIMIT"
    );
    w.debit("700000041", "60", "DAY-4").await.transaction_id();
    w.debit("700000041", "40", "DAY-5").await.transaction_id();
    assert_eq!(
        w.debit("700000041", "0.01", "DAY-6").await.error().0,
        "TRANSACTION-LIMIT"
    );
    let limit = w
        .call(
            "checkcustomerdebitlimit",
            &[("customer_id", "700000041"), ("amount", "0.01")],
        )
        .await;
    assert_eq!(limit.error().0, "TRANSACTION-LIMIT");

    clock(&app, json!({"advance": "PT3M"})).await;
    w.debit("700000040", "1", "DAY-3").await.transaction_id();
    w.debit("700000041", "100", "DAY-6").await.transaction_id();
    assert_eq!(
        w.debit("700000041", "0.01", "DAY-7").await.error().0,
        "TRANSACTION-LIMIT"
    );
    let entries = w.entries("700000040").await;
    let times: Vec<&str> = entries
        .iter()
        .map(|e| e["time"].as_str().unwrap())
        .collect();
    assert_eq!(
        times,
        [
            "2026-02-01 00:01:00",
            "2026-01-31 23:58:00",
            "2026-01-31 23:58:00",
            "2026-01-31 23:58:00"
        ]
    );
    // Ties in time: newest inserted first (DAY-2 after DAY-1, both after the opening balance).
    let ids: Vec<&Value> = entries
        .iter()
        .map(|e| &e["merchant_transaction_id"])
        .collect();
    assert_eq!(
        ids,
        [
            &json!("DAY-3"),
            &json!("DAY-2"),
            &json!("DAY-1"),
            &Value::Null
        ]
    );

    // UTC midnight (05:30 IST) is no boundary: the count goes on.
    clock(&app, json!({"set": "2026-02-01T05:00:00+05:30"})).await;
    w.debit("700000040", "1", "DAY-8").await.transaction_id();
    assert_eq!(
        w.debit("700000040", "1", "DAY-9").await.error().0,
        "TRANSACTION-LIMIT"
    );
    clock(&app, json!({"advance": "PT1H"})).await;
    assert_eq!(
        w.debit("700000040", "1", "DAY-9").await.error().0,
        "TRANSACTION-LIMIT"
    );
    clock(&app, json!({"advance": "P1D"})).await;
    w.debit("700000040", "1", "DAY-9").await.transaction_id();
}

#[tokio::test]
async fn a_month_ends_at_midnight_india_time_on_its_last_day() {
    let app = spawn_app().await;
    clock(&app, json!({"set": "2026-01-31T23:59:00+05:30"})).await;
    customers(
        &app,
        vec![
            customer(
                "700000050",
                "9700000050",
                "1000.00",
                json!({"monthly_debit": "100.00"}),
            ),
            customer(
                "700000051",
                "9700000051",
                "0",
                json!({"monthly_credit": "100.00"}),
            ),
        ],
    )
    .await;
    let w = Wallet::new(&app);
    w.debit("700000050", "60", "MON-1").await.transaction_id();
    w.transfer("700000050", "700000051", "40", "MON-2")
        .await
        .transaction_id();
    let monthly = (
        "MONTHLY-TRANSACTION-LIMIT-EXCEEDED",
        "Monthly Transaction Limit exceeded",
    );
    assert_eq!(w.debit("700000050", "0.01", "MON-3").await.error(), monthly);
    // The transfer counted as the receiver's credit.
    w.credit("700000051", "60", "MON-4", "PGTEST-MON4")
        .await
        .transaction_id();
    assert_eq!(
        w.credit("700000051", "0.01", "MON-5", "PGTEST-MON5")
            .await
            .error(),
        monthly
    );
    let check = w
        .call(
            "checkcustomercreditlimit",
            &[("customer_id", "700000051"), ("amount", "0.01")],
        )
        .await;
    assert_eq!(check.error(), monthly);

    clock(&app, json!({"advance": "PT2M"})).await; // 1 February 00:01 IST (18:31 UTC on the 31st)
    w.debit("700000050", "100", "MON-3").await.transaction_id();
    assert_eq!(w.debit("700000050", "0.01", "MON-6").await.error(), monthly);
    w.credit("700000051", "100", "MON-5", "PGTEST-MON5")
        .await
        .transaction_id();
    assert_eq!(
        w.credit("700000051", "0.01", "MON-7", "PGTEST-MON7")
            .await
            .error(),
        monthly
    );
    // A month later, a fresh allowance again (28 February ends at 24:00 IST).
    clock(&app, json!({"set": "2026-02-28T23:59:59+05:30"})).await;
    assert_eq!(w.debit("700000050", "0.01", "MON-6").await.error(), monthly);
    clock(&app, json!({"advance_seconds": 1})).await;
    w.debit("700000050", "0.01", "MON-6").await.transaction_id();
}

// ---------------------------------------------------------------------------------------
// Listings
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn fetchtransactions_pages_newest_first_and_answers_null_past_the_end() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    // The document's "no transactions" sample, with its hash.
    let none = w
        .call(
            "fetchtransactions",
            &[
                ("customer_id", KARMENDRA),
                ("page_number", "1"),
                ("page_size", "3"),
            ],
        )
        .await;
    assert!(
        none.text.starts_with(r#"{"data":null,"error":null,"page":{"page_size":3,"page_number":1,"total_pages":0,"total_elements":0},"hash":""#),
        "{}",
        none.text
    );
    clock(&app, json!({"set": "2026-05-05T09:00:00+05:30"})).await;
    for i in 1..=5 {
        w.credit(
            KARMENDRA,
            &format!("{i}.25"),
            &format!("L-{i}"),
            &format!("PGTEST-L{i}"),
        )
        .await
        .transaction_id();
    }
    let page = async |number: &str, size: &str| {
        w.call(
            "fetchtransactions",
            &[
                ("mobile_number", "9900261104"),
                ("page_number", number),
                ("page_size", size),
            ],
        )
        .await
    };
    let first = page("0", "2").await;
    let ids: Vec<&str> = first
        .data()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["merchant_transaction_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["L-5", "L-4"]);
    assert_eq!(
        first.json["page"],
        json!({"page_size": 2, "page_number": 0, "total_pages": 3, "total_elements": 5})
    );
    assert_eq!(first.data()[0]["balance"], json!(16.25));
    assert_eq!(first.data()[0]["amount"], "5.25");
    let last = page("2", "2").await;
    assert_eq!(last.data().as_array().unwrap().len(), 1);
    assert_eq!(last.data()[0]["merchant_transaction_id"], "L-1");
    assert_eq!(last.data()[0]["balance"], json!(1.25));
    let past = page("3", "2").await;
    assert_eq!(past.data(), &Value::Null);
    assert_eq!(
        past.json["page"],
        json!({"page_size": 2, "page_number": 3, "total_pages": 3, "total_elements": 5})
    );
    let all = page("0", "100").await;
    assert_eq!(all.data().as_array().unwrap().len(), 5);
    // Bad pages.
    assert_eq!(
        page("0", "0").await.invalid(),
        "The page size must be at least 1."
    );
    assert_eq!(
        page("0", "1000000000").await.invalid(),
        "The page size may not be greater than 100."
    );
    assert_eq!(
        page("0", "101").await.invalid(),
        "The page size may not be greater than 100."
    );
    assert_eq!(
        page("-1", "2").await.invalid(),
        "The page number must be at least 0."
    );
    assert_eq!(
        page("one", "2").await.invalid(),
        "The page number must be an integer."
    );
    assert_eq!(
        page("0", "2.5").await.invalid(),
        "The page size must be an integer."
    );
    assert_eq!(
        page("99999999999999999999", "2").await.invalid(),
        "The page number must be an integer."
    );
    assert_eq!(
        page("9223372036854775807", "100").await.data(),
        &Value::Null
    );
    assert_eq!(
        w.call(
            "fetchtransactions",
            &[("customer_id", KARMENDRA), ("page_size", "2")]
        )
        .await
        .invalid(),
        "The page number field is required."
    );
    assert_eq!(
        w.call(
            "fetchtransactions",
            &[("customer_id", KARMENDRA), ("page_number", "0")]
        )
        .await
        .invalid(),
        "The page size field is required."
    );
    assert_eq!(
        w.call(
            "fetchtransactions",
            &[
                ("mobile_number", "9000000000"),
                ("page_number", "0"),
                ("page_size", "1")
            ]
        )
        .await
        .invalid(),
        "The selected mobile number is invalid."
    );
}

#[tokio::test]
async fn the_fetch_by_id_endpoints_answer_the_documents_sample() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    let sample = json!({
        "amount": "4.0",
        "balance": 83,
        "transaction_type": "C2M",
        "payment_type": "DEBIT",
        "time": "2017-03-04 13:50:29",
        "transaction_id": 734203905,
        "merchant_transaction_id": "ABC122361",
        "transaction_status": "PAYMENT_SUCCESS"
    });
    let text = format!(r#"{{"data":{},"error":null,"page":null,"hash":""#, sample);
    for endpoint in [
        "fetchbymerchantransactionid",
        "fetchbymerchanttransactionid",
    ] {
        let answer = w
            .call(endpoint, &[("merchant_transaction_id", "ABC122361")])
            .await;
        assert_eq!(answer.data(), &sample);
        assert!(answer.text.starts_with(&text), "{}", answer.text);
        assert_eq!(
            w.call(endpoint, &[("merchant_transaction_id", "ABC122362")])
                .await
                .invalid(),
            "The selected merchant transaction id is invalid."
        );
        assert_eq!(
            w.call(endpoint, &[]).await.invalid(),
            "The merchant transaction id field is required."
        );
    }
    let answer = w
        .call("fetchbytransactionid", &[("transaction_id", "734203905")])
        .await;
    assert_eq!(answer.data(), &sample);
    assert!(answer.text.starts_with(&text), "{}", answer.text);
    for unknown in ["734203906", "abc", "-1", "99999999999999999999999"] {
        assert_eq!(
            w.call("fetchbytransactionid", &[("transaction_id", unknown)])
                .await
                .invalid(),
            "The selected transaction id is invalid.",
            "{unknown}"
        );
    }
    assert_eq!(
        w.call("fetchbytransactionid", &[]).await.invalid(),
        "The transaction id field is required."
    );
    // The root alias answers the same.
    let fields = [("api_key", KEY), ("transaction_id", "734203905")];
    let hash = request_hash(SALT, &fields);
    let response = app
        .client
        .post(app.url("/api/v1/fetchbytransactionid"))
        .form(&[
            ("api_key", KEY),
            ("transaction_id", "734203905"),
            ("hash", &hash),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(w.read(response).await.data(), &sample);
}

// ---------------------------------------------------------------------------------------
// Merchant isolation
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn another_merchants_records_answer_as_unknown_ones() {
    let app = spawn_app().await;
    other_merchant(&app).await;
    let other = Wallet::of(&app, OTHER_KEY, OTHER_SALT);
    let mine = Wallet::new(&app);
    // Its customer 900000001 has the same mobile number as the sample customer.
    assert_eq!(
        other
            .call("fetchbalance", &[("mobile_number", "9845012345")])
            .await
            .data()["customer_id"],
        "900000001"
    );
    assert_eq!(
        mine.call("fetchbalance", &[("mobile_number", "9845012345")])
            .await
            .data()["customer_id"],
        SAMPLE
    );
    assert_eq!(
        other
            .call("fetchbalance", &[("customer_id", SAMPLE)])
            .await
            .invalid(),
        "The selected customer id is invalid."
    );
    assert_eq!(
        mine.call("fetchbalance", &[("customer_id", "900000001")])
            .await
            .invalid(),
        "The selected customer id is invalid."
    );
    assert_eq!(
        other.credit(SAMPLE, "1", "X-1", "PGTEST-X").await.invalid(),
        "The selected to customer id is invalid."
    );
    assert_eq!(
        other.debit(SAMPLE, "1", "X-1").await.invalid(),
        "The selected from customer id is invalid."
    );
    assert_eq!(
        other
            .transfer("900000001", SAMPLE, "1", "X-1")
            .await
            .invalid(),
        "The selected to customer id is invalid."
    );
    assert_eq!(
        other.reverse("ABC122361").await.invalid(),
        "The selected merchant transaction id is invalid."
    );
    assert_eq!(
        other
            .call(
                "fetchbymerchantransactionid",
                &[("merchant_transaction_id", "ABC122361")]
            )
            .await
            .invalid(),
        "The selected merchant transaction id is invalid."
    );
    assert_eq!(
        other
            .call("fetchbytransactionid", &[("transaction_id", "734203905")])
            .await
            .invalid(),
        "The selected transaction id is invalid."
    );
    assert_eq!(
        other
            .call(
                "checkcustomerdebitlimit",
                &[("customer_id", PAYER), ("amount", "1")]
            )
            .await
            .invalid(),
        "The selected customer id is invalid."
    );
    assert_eq!(
        other
            .call(
                "fetchtransactions",
                &[
                    ("customer_id", PAYER),
                    ("page_number", "0"),
                    ("page_size", "1")
                ]
            )
            .await
            .invalid(),
        "The selected customer id is invalid."
    );
    // Gateway records and sub merchants belong to their merchant.
    assert_eq!(
        mine.credit(SAMPLE, "10", "X-2", "PG-OTHER").await.error().0,
        "NO-PG-TRANSACTION-RECORD-FOUND"
    );
    other
        .credit("900000001", "10", "X-2", "PG-OTHER")
        .await
        .transaction_id();
    let sub = async |wallet: &Wallet, number: &str, from: &str| {
        let fields = [
            ("to_sub_merchant_id", number),
            ("from_customer_id", from),
            ("mpin", "1234"),
            ("amount", "1"),
            ("merchant_transaction_id", "X-3"),
        ];
        wallet.call("debitwallet", &fields).await
    };
    let invalid_sub = "The selected to sub merchant id is invalid.";
    assert_eq!(sub(&mine, "2", SAMPLE).await.invalid(), invalid_sub);
    assert_eq!(sub(&other, "1", "900000001").await.invalid(), invalid_sub);
    sub(&other, "2", "900000001").await.transaction_id();
    sub(&mine, "1", SAMPLE).await.transaction_id();
    // merchant_transaction_id is unique per merchant: the other may use the sample's id.
    let answer = other.debit("900000001", "4", "ABC122361").await;
    answer.transaction_id();
    assert_eq!(
        other
            .call(
                "fetchbymerchantransactionid",
                &[("merchant_transaction_id", "ABC122361")]
            )
            .await
            .data()["balance"],
        505
    );
    assert_eq!(
        mine.call(
            "fetchbymerchantransactionid",
            &[("merchant_transaction_id", "ABC122361")]
        )
        .await
        .data()["balance"],
        83
    );
    // A valid hash of one merchant's salt does not open the other.
    let forged = request_hash(
        SALT,
        &[("api_key", OTHER_KEY), ("customer_id", "900000001")],
    );
    let answer = other
        .post_form(
            "fetchbalance",
            &[
                ("api_key", OTHER_KEY),
                ("customer_id", "900000001"),
                ("hash", &forged),
            ],
        )
        .await;
    assert_eq!(answer.error(), ("HASH-MISMATCH", "Hash Mismatch"));
}

// ---------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn bad_input_gets_laravels_message_and_changes_nothing() {
    let app = spawn_app().await;
    let w = Wallet::new(&app);
    let before = aggrepay_state(&app).await;
    let cases: &[(&str, &str)] = &[
        ("-5", "The amount must be greater than 0."),
        ("0", "The amount must be greater than 0."),
        ("0.00", "The amount must be greater than 0."),
        ("1.005", "The amount must have 0-2 decimal places."),
        ("abc", "The amount must be a number."),
        ("1e3", "The amount must be a number."),
        ("1,000", "The amount must be a number."),
        (
            "1234567890123456789012345678901234567890",
            "The amount must be a number.",
        ),
        ("NaN", "The amount must be a number."),
        ("١٠", "The amount must be a number."),
    ];
    for (amount, message) in cases {
        assert_eq!(
            w.debit(SAMPLE, amount, "BAD-1").await.invalid(),
            *message,
            "debit {amount}"
        );
        assert_eq!(
            w.transfer(SAMPLE, KARMENDRA, amount, "BAD-1")
                .await
                .invalid(),
            *message,
            "transfer {amount}"
        );
        assert_eq!(
            w.credit(SAMPLE, amount, "BAD-1", "PGTEST-BAD")
                .await
                .invalid(),
            *message,
            "credit {amount}"
        );
    }
    // Huge but well-formed amounts pass validation and fail on money.
    assert_eq!(
        w.debit(SAMPLE, "99999999999.99", "BAD-1").await.error().1,
        "Not enough balance in the account"
    );
    assert_eq!(
        w.transfer(SAMPLE, KARMENDRA, "99999999999", "BAD-1")
            .await
            .error()
            .0,
        "INSUFFICIENT-FUND"
    );
    assert_eq!(
        w.credit(SAMPLE, "99999999999", "BAD-1", "PGTEST-BAD")
            .await
            .error()
            .0,
        "MONTHLY-TRANSACTION-LIMIT-EXCEEDED"
    );
    // Wrong types in a JSON body.
    let hash = request_hash(
        SALT,
        &[
            ("api_key", KEY),
            ("from_customer_id", SAMPLE),
            ("mpin", "1234"),
            ("merchant_transaction_id", "BAD-1"),
        ],
    );
    let body = json!({"api_key": KEY, "from_customer_id": SAMPLE, "mpin": "1234", "merchant_transaction_id": "BAD-1", "amount": null, "hash": hash});
    assert_eq!(
        w.post_raw("debitwallet", "application/json", body.to_string())
            .await
            .invalid(),
        "The amount field is required."
    );
    let array_amount = json!({"api_key": KEY, "from_customer_id": SAMPLE, "mpin": "1234", "merchant_transaction_id": "BAD-1", "amount": [1]});
    let hash = request_hash(
        SALT,
        &[
            ("api_key", KEY),
            ("from_customer_id", SAMPLE),
            ("mpin", "1234"),
            ("merchant_transaction_id", "BAD-1"),
            ("amount", "[1]"),
        ],
    );
    let mut signed = array_amount.clone();
    signed["hash"] = json!(hash);
    assert_eq!(
        w.post_raw("debitwallet", "application/json", signed.to_string())
            .await
            .invalid(),
        "The amount must be a number."
    );
    // Not a form at all: no api_key.
    assert_eq!(
        w.post_raw("debitwallet", "application/json", "[1,2".into())
            .await
            .error()
            .0,
        "UNAUTHORIZED"
    );
    assert_eq!(
        w.post_raw(
            "debitwallet",
            "application/octet-stream",
            "\u{0}\u{1}".into()
        )
        .await
        .error()
        .0,
        "UNAUTHORIZED"
    );
    // Too long.
    let long = "x".repeat(256);
    let answer = w
        .call(
            "debitwallet",
            &[
                ("from_customer_id", SAMPLE),
                ("description", &long),
                ("mpin", "1234"),
                ("amount", "1"),
                ("merchant_transaction_id", "BAD-1"),
            ],
        )
        .await;
    assert_eq!(
        answer.invalid(),
        "The description may not be greater than 255 characters."
    );
    assert_eq!(
        w.debit(SAMPLE, "1", &long).await.invalid(),
        "The merchant transaction id may not be greater than 255 characters."
    );
    assert_eq!(
        w.credit(SAMPLE, "1", "BAD-1", &format!("PGTEST-{long}"))
            .await
            .invalid(),
        "The pg transaction id may not be greater than 255 characters."
    );
    // SQL in ids.
    assert_eq!(
        w.call("fetchbalance", &[("customer_id", "1 OR 1=1")])
            .await
            .invalid(),
        "The selected customer id is invalid."
    );
    assert_eq!(
        w.call(
            "fetchbymerchantransactionid",
            &[("merchant_transaction_id", "' OR '1'='1")]
        )
        .await
        .invalid(),
        "The selected merchant transaction id is invalid."
    );
    assert_eq!(aggrepay_state(&app).await, before);

    // Unicode and SQL are data: stored as given, nothing else touched.
    let description = "Robert'); DROP TABLE aggrepay_customers;-- ₹ café 😀 \"quoted\" \\ /";
    let mtid = "ÜNI-'--😀";
    w.call(
        "debitwallet",
        &[
            ("from_customer_id", SAMPLE),
            ("description", description),
            ("mpin", "1234"),
            ("amount", "1"),
            ("merchant_transaction_id", mtid),
        ],
    )
    .await
    .transaction_id();
    let state = aggrepay_state(&app).await;
    let stored = state["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["merchant_transaction_id"] == mtid)
        .unwrap();
    assert_eq!(stored["description"], description);
    let answer = w
        .call(
            "fetchbymerchantransactionid",
            &[("merchant_transaction_id", mtid)],
        )
        .await;
    assert_eq!(answer.data()["merchant_transaction_id"], mtid);
    assert!(
        answer
            .text
            .contains(r#""merchant_transaction_id":"\u00dcNI-'--\ud83d\ude00""#),
        "{}",
        answer.text
    );
    assert_eq!(w.balance(SAMPLE).await, "40.0");
    assert_eq!(w.balance(PAYER).await, "83.0");
}

// ---------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Op {
    from: usize,
    /// None: a debit to the merchant.
    to: Option<usize>,
    paise: i64,
    mtid: String,
}

const RACERS: [&str; 5] = [
    "810000001",
    "810000002",
    "810000003",
    "810000004",
    "810000005",
];
const OPENING: [i64; 5] = [30_000, 30_000, 30_000, 30_000, 100_000];

fn amount_text(paise: i64) -> String {
    format!("{}.{:02}", paise / 100, paise % 100)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_debits_and_transfers_keep_every_wallet_equal_to_its_ledger() {
    concurrent_moves(&spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_debits_and_transfers_on_a_database_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("wallet.sqlite").display().to_string();
    let app = spawn_app_with(|c| c.database = path).await;
    concurrent_moves(&app).await;
}

async fn concurrent_moves(app: &TestApp) {
    let generous = json!({"max_balance": "1000000.00", "monthly_credit": "1000000.00", "monthly_debit": "1000000.00",
                          "daily_debit_count": 100000, "daily_debit_amount": "1000000.00"});
    let list = RACERS
        .iter()
        .zip(OPENING)
        .enumerate()
        .map(|(i, (id, opening))| {
            customer(
                id,
                &format!("98100000{i:02}"),
                &amount_text(opening),
                generous.clone(),
            )
        })
        .collect();
    customers(app, list).await;
    // 160 debits and transfers among four wallets of 300.00 (more than they hold, so some
    // fail), every tenth reusing the previous id; then 20 pairs of identical debits from a
    // fifth wallet that holds enough for all: exactly one of each pair may succeed.
    let mut ops = Vec::new();
    for i in 0..160usize {
        let from = i % 4;
        let to = (i % 3 != 0).then(|| (from + 1 + (i / 3) % 3) % 4);
        let mtid = if i % 10 == 9 {
            format!("RACE-{}", i - 1)
        } else {
            format!("RACE-{i}")
        };
        ops.push(Op {
            from,
            to,
            paise: 500 + (i as i64 * 1733) % 4500,
            mtid,
        });
    }
    for p in 0..20 {
        for _ in 0..2 {
            ops.push(Op {
                from: 4,
                to: None,
                paise: 100,
                mtid: format!("PAIR-{p}"),
            });
        }
    }
    assert_eq!(ops.len(), 200);
    let wallet = Wallet::new(app);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(ops.len()));
    let tasks: Vec<_> = ops
        .iter()
        .cloned()
        .map(|op| {
            let wallet = wallet.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let amount = amount_text(op.paise);
                let answer = match op.to {
                    None => wallet.debit(RACERS[op.from], &amount, &op.mtid).await,
                    Some(to) => {
                        wallet
                            .transfer(RACERS[op.from], RACERS[to], &amount, &op.mtid)
                            .await
                    }
                };
                let outcome = if answer.json["error"].is_null() {
                    Ok(answer.transaction_id())
                } else {
                    let (code, message) = answer.error();
                    Err(format!("{code}: {message}"))
                };
                (op, outcome)
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.expect("a task"));
    }

    // Every answer is a success or an expected refusal.
    let allowed = [
        "INVALID-INPUT-DATA: Not enough balance in the account",
        "INSUFFICIENT-FUND: Insufficient Fund",
        "INVALID-PARAMS: The merchant transaction id has already been taken.",
    ];
    let mut successes: HashMap<&str, usize> = HashMap::new();
    let mut expected = OPENING;
    let mut paid_to_merchant = 0;
    let mut transaction_ids = HashSet::new();
    for (op, outcome) in &outcomes {
        match outcome {
            Ok(transaction_id) => {
                assert!(
                    transaction_ids.insert(*transaction_id),
                    "transaction id {transaction_id} twice"
                );
                *successes.entry(op.mtid.as_str()).or_default() += 1;
                expected[op.from] -= op.paise;
                match op.to {
                    Some(to) => expected[to] += op.paise,
                    None => paid_to_merchant += op.paise,
                }
            }
            Err(error) => assert!(allowed.contains(&error.as_str()), "{op:?}: {error}"),
        }
    }
    assert!(
        successes.values().all(|n| *n == 1),
        "an id succeeded twice: {successes:?}"
    );
    for p in 0..20 {
        assert_eq!(
            successes.get(format!("PAIR-{p}").as_str()),
            Some(&1),
            "PAIR-{p}: exactly one of two"
        );
    }
    let failures = outcomes.iter().filter(|(_, o)| o.is_err()).count();
    assert!(
        failures >= 20,
        "the races and the shortfalls refused some: {failures}"
    );
    assert!(
        successes.len() >= 60,
        "most went through: {}",
        successes.len()
    );

    // Balances: what the successes say, never negative, and the ledger's sum.
    let mut total = 0;
    for (i, id) in RACERS.iter().enumerate() {
        let balance = paise(&json!(wallet.balance(id).await));
        assert!(balance >= 0);
        assert_eq!(balance, expected[i], "{id}");
        total += balance;
        // The listing, oldest first, replays to the balance, entry by entry.
        let entries = wallet.entries(id).await;
        let mut running = 0;
        for entry in entries.iter().rev() {
            let amount = paise(&entry["amount"]);
            running += if entry["payment_type"] == "CREDIT" {
                amount
            } else {
                -amount
            };
            assert!(running >= 0, "{id}: {entry}");
            assert_eq!(paise(&entry["balance"]), running, "{id}: {entry}");
        }
        assert_eq!(running, balance, "{id}");
    }
    assert_eq!(total, OPENING.iter().sum::<i64>() - paid_to_merchant);

    // The exported ledger: each id once, one transaction per success, sums per wallet.
    let state = aggrepay_state(app).await;
    let transactions = state["transactions"].as_array().unwrap();
    let mut seen = HashSet::new();
    let mut ledger: HashMap<&str, i64> = HashMap::new();
    let mut moved = 0;
    let mut count = 0;
    for t in transactions.iter().filter(|t| t["api_key"] == KEY) {
        if let Some(mtid) = t["merchant_transaction_id"].as_str() {
            assert!(seen.insert(mtid), "{mtid} twice in the ledger");
        }
        let amount = paise(&t["amount"]);
        if let Some(from) = t["from_customer_id"].as_str() {
            *ledger.entry(from).or_default() -= amount;
        }
        if let Some(to) = t["to_customer_id"].as_str() {
            *ledger.entry(to).or_default() += amount;
        }
        let mtid = t["merchant_transaction_id"].as_str().unwrap_or_default();
        if mtid.starts_with("RACE-") || mtid.starts_with("PAIR-") {
            count += 1;
            if t["type"] == "C2M" {
                moved += amount;
            }
        }
    }
    assert_eq!(count, successes.len());
    assert_eq!(moved, paid_to_merchant);
    for (i, id) in RACERS.iter().enumerate() {
        assert_eq!(ledger.get(id), Some(&expected[i]), "{id}");
    }
}
