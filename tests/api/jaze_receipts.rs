//! Jaze S8 `get_payment_receipt/{userId}/{paymentId}`: the receipt URL, and the PDF served
//! there without credentials, read back with a PDF text extractor.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use regex::Regex;
use reqwest::StatusCode;
use serde_json::{Value, json};

const TOKEN: &str = "jaze-sandbox-token";
const KEY: &str = "jaze-sandbox-key";

async fn s8_with(app: &TestApp, path: &str, token: &str, key: &str) -> Value {
    let response = app
        .client
        .get(app.url(path))
        .basic_auth(token, Some(key))
        .send()
        .await
        .expect("a response");
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

async fn s8(app: &TestApp, path: &str) -> Value {
    s8_with(app, path, TOKEN, KEY).await
}

/// The receipt URL S8 answers for a payment, checked for shape; answers it and its token.
async fn receipt_url(app: &TestApp, user_id: i64, payment_id: i64) -> (String, String) {
    let body = s8(
        app,
        &format!("/api/v1/get_payment_receipt/{user_id}/{payment_id}"),
    )
    .await;
    assert_eq!(body["status"], "success", "{body}");
    assert_eq!(body["errorCode"], 200, "{body}");
    let url = body["message"].as_str().expect("a URL").to_string();
    let pattern = format!(
        r"^http://127\.0\.0\.1:{}/jaze/receipts/([A-Za-z0-9_-]{{20,}})\.pdf$",
        app.port
    );
    let token = Regex::new(&pattern)
        .unwrap()
        .captures(&url)
        .unwrap_or_else(|| panic!("{url} is not a receipt URL of this sandbox"))[1]
        .to_string();
    (url, token)
}

/// Fetches a receipt without credentials: its bytes, checked to be a PDF.
async fn fetch_pdf(app: &TestApp, url: &str) -> Vec<u8> {
    let response = app.client.get(url).send().await.expect("a response");
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    assert_eq!(
        response.headers()["content-type"],
        "application/pdf",
        "GET {url}"
    );
    let bytes = response.bytes().await.expect("a body").to_vec();
    assert!(
        bytes.starts_with(b"%PDF-"),
        "not a PDF: {:?}",
        &bytes[..20.min(bytes.len())]
    );
    assert!(
        bytes.trim_ascii_end().ends_with(b"%%EOF"),
        "a PDF ends with %%EOF"
    );
    bytes
}

/// The PDF's text, as a PDF reader extracts it, with runs of white space made one space.
fn text_of(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("the PDF's text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_count(pdf: &[u8]) -> usize {
    pdf_extract::Document::load_mem(pdf)
        .expect("the PDF parses")
        .get_pages()
        .len()
}

async fn receipt_text(app: &TestApp, user_id: i64, payment_id: i64) -> String {
    let (url, _) = receipt_url(app, user_id, payment_id).await;
    text_of(&fetch_pdf(app, &url).await)
}

fn assert_shows(text: &str, expected: &[&str]) {
    for needle in expected {
        assert!(
            text.contains(needle),
            "`{needle}` is missing from the receipt: {text}"
        );
    }
}

async fn failure(app: &TestApp, path: &str) -> (i64, String) {
    let body = s8(app, path).await;
    assert_eq!(body["status"], "failure", "{path}: {body}");
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["status", "errorCode", "message"], "{body}");
    (
        body["errorCode"].as_i64().expect("a numeric errorCode"),
        body["message"].as_str().expect("a message").to_string(),
    )
}

#[tokio::test]
async fn the_sample_payment_has_a_stable_unguessable_receipt_url() {
    let app = spawn_app().await;
    let (url, token) = receipt_url(&app, 2, 7400).await;
    assert!(token.len() >= 20, "{token}");

    // The same URL on every call, through every route to S8 and with POST too.
    assert_eq!(receipt_url(&app, 2, 7400).await.0, url);
    for path in [
        "/jaze/api/v1/get_payment_receipt/2/7400",
        "/api/v1/get_payment_receipt/2/7400/",
        "//api/v1/get_payment_receipt/2/7400",
        "/api/v1/get_payment_receipt/02/7400",
    ] {
        assert_eq!(s8(&app, path).await["message"], url.as_str(), "{path}");
    }
    let posted = app
        .client
        .post(app.url("/api/v1/get_payment_receipt/2/7400"))
        .basic_auth(TOKEN, Some(KEY))
        .send()
        .await
        .unwrap();
    let (status, body) = status_and_json(posted).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"status": "success", "errorCode": 200, "message": url})
    );

    // Another payment has another token.
    let (other_url, other_token) = receipt_url(&app, 1, 200).await;
    assert_ne!(other_token, token);
    assert_ne!(other_url, url);
}

#[tokio::test]
async fn the_url_names_the_host_the_client_used() {
    let app = spawn_app().await;
    let body = app
        .client
        .get(app.url("/api/v1/get_payment_receipt/2/7400"))
        .header("host", "isp.example.test:8095")
        .basic_auth(TOKEN, Some(KEY))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let url = body["message"].as_str().unwrap();
    let (_, token) = receipt_url(&app, 2, 7400).await;
    assert_eq!(
        url,
        format!("http://isp.example.test:8095/jaze/receipts/{token}.pdf")
    );
}

#[tokio::test]
async fn the_receipt_is_a_pdf_showing_the_payment() {
    let app = spawn_app().await;
    let (url, _) = receipt_url(&app, 2, 7400).await;
    let pdf = fetch_pdf(&app, &url).await;
    assert_eq!(page_count(&pdf), 1);
    let text = text_of(&pdf);
    assert_shows(
        &text,
        &[
            "Jaze Sandbox ISP",
            "Payment receipt",
            "User ID 2",
            "Customer number 2",
            "Payment ID 7400",
            "2016-03-23 12:06:03",
            "INR 50.00",
            "Method Cash",
            "14700",
            "2016-03-23",
        ],
    );
    // The same payment gives the same document.
    assert_eq!(fetch_pdf(&app, &url).await, pdf);

    // HEAD answers the headers alone.
    let head = app.client.head(&url).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["content-type"], "application/pdf");
}

#[tokio::test]
async fn a_gateway_receipt_shows_payment_gateway() {
    let app = spawn_app().await;
    let text = receipt_text(&app, 1, 200).await;
    assert_shows(
        &text,
        &[
            "User ID 1",
            "Customer number 1",
            "Payment ID 200",
            "2016-09-08 19:23:04",
            "INR 115.00",
            "Method Payment gateway",
            "techprocess-pay",
            "2534341604",
            "100",
        ],
    );
    assert!(!text.contains("Method Cash"), "{text}");
}

async fn create(app: &TestApp, path: &str, body: Value) -> Value {
    let (status, created) = status_and_json(app.post_json(path, &body).await).await;
    assert_eq!(status, StatusCode::CREATED, "POST {path} {body}: {created}");
    created
}

#[tokio::test]
async fn a_payment_of_several_invoices_lists_them_all() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for (id, amount) in [(14701, "25.50"), (14702, "30.00"), (14703, "20.00")] {
        let body = json!({"user_id": 2, "amount": amount, "invoice_id": id, "date": "2016-04-01"});
        create(&app, "/__sandbox/jaze/invoices", body).await;
        ids.push(id);
    }
    let payment = create(
        &app,
        "/__sandbox/jaze/payments",
        json!({"user_id": 2, "amount": "75.50", "method": "cheque", "bank": "HDFC", "invoice_ids": ids}),
    )
    .await;
    let payment_id = payment["payment_id"].as_i64().expect("a payment id");
    let text = receipt_text(&app, 2, payment_id).await;
    assert_shows(
        &text,
        &[
            &format!("Payment ID {payment_id}"),
            "INR 75.50",
            "Method Cheque",
            "Bank HDFC",
            "14701 2016-04-01 25.50",
            "14702 2016-04-01 30.00",
            "14703 2016-04-01 20.00",
        ],
    );
    // In the order the payment lists them.
    let at = |needle: &str| text.find(needle).unwrap();
    assert!(
        at("14701") < at("14702") && at("14702") < at("14703"),
        "{text}"
    );
}

#[tokio::test]
async fn a_long_invoice_list_goes_on_to_further_pages() {
    let app = spawn_app().await;
    let ids: Vec<i64> = (20_001..=20_070).collect();
    for id in &ids {
        let body = json!({"user_id": 2, "amount": "1.00", "invoice_id": id});
        create(&app, "/__sandbox/jaze/invoices", body).await;
    }
    let payment = create(
        &app,
        "/__sandbox/jaze/payments",
        json!({"user_id": 2, "amount": "70.00", "method": "cash", "invoice_ids": ids}),
    )
    .await;
    let payment_id = payment["payment_id"].as_i64().unwrap();
    let (url, _) = receipt_url(&app, 2, payment_id).await;
    let pdf = fetch_pdf(&app, &url).await;
    let pages = page_count(&pdf);
    assert!(pages >= 2, "70 invoices on {pages} page(s)");
    let text = text_of(&pdf);
    for id in &ids {
        assert!(
            text.contains(&id.to_string()),
            "invoice {id} is missing: {text}"
        );
    }
    assert_shows(
        &text,
        &[
            &format!("Page {pages} of {pages}"),
            &format!("Payment {payment_id} (continued)"),
        ],
    );
}

#[tokio::test]
async fn a_payment_without_invoices_says_so() {
    let app = spawn_app().await;
    let text = receipt_text(&app, 1, 300).await;
    assert_shows(
        &text,
        &[
            "Payment ID 300",
            "INR 100.00",
            "No invoice is linked to this payment.",
        ],
    );
}

#[tokio::test]
async fn s8_needs_credentials_before_anything_else() {
    let app = spawn_app().await;
    for (credentials, path) in [
        (None, "/api/v1/get_payment_receipt/2/7400"),
        (None, "/api/v1/get_payment_receipt/abc/7400"),
        (
            Some((TOKEN, "wrong-key")),
            "/api/v1/get_payment_receipt/2/7400",
        ),
        (
            Some(("unknown-token", KEY)),
            "/api/v1/get_payment_receipt/500/7400",
        ),
        (None, "/jaze/api/v1/get_payment_receipt/2"),
    ] {
        let mut request = app.client.get(app.url(path));
        if let Some((user, password)) = credentials {
            request = request.basic_auth(user, Some(password));
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert!(
            response.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Basic"),
            "{path}"
        );
        let (_, body) = status_and_json(response).await;
        assert_eq!(
            body,
            json!({"status": "failure", "errorCode": 401, "message": "Unauthorized"}),
            "{path}"
        );
    }
}

#[tokio::test]
async fn s8_refuses_ids_that_are_not_numbers() {
    let app = spawn_app().await;
    let huge = "9".repeat(40);
    for (path, message) in [
        ("abc/7400", "Invalid userId, expected a number"),
        ("-2/7400", "Invalid userId, expected a number"),
        ("2.0/7400", "Invalid userId, expected a number"),
        (&format!("{huge}/7400"), "Invalid userId, expected a number"),
        ("2/abc", "Invalid paymentId, expected a number"),
        ("2/7400.0", "Invalid paymentId, expected a number"),
        ("2/%20", "Invalid paymentId, expected a number"),
        ("500/x", "Invalid paymentId, expected a number"),
    ] {
        let got = failure(&app, &format!("/api/v1/get_payment_receipt/{path}")).await;
        assert_eq!(got, (400, message.to_string()), "{path}");
    }
    let got = failure(&app, "/api/v1/get_payment_receipt/2").await;
    assert_eq!(got, (400, "Missing paymentId".to_string()));
    let got = failure(&app, "/jaze/api/v1/get_payment_receipt/").await;
    assert_eq!(got, (400, "Missing userId and paymentId".to_string()));
}

#[tokio::test]
async fn s8_answers_not_found_for_unknown_or_foreign_records() {
    let app = spawn_app().await;
    let cases = [
        ("99/7400", "User not found"),
        ("0/7400", "User not found"),
        ("1/7400", "Payment not found"),
        ("2/200", "Payment not found"),
        ("2/999999", "Payment not found"),
    ];
    for (path, message) in cases {
        let got = failure(&app, &format!("/api/v1/get_payment_receipt/{path}")).await;
        assert_eq!(got, (404, message.to_string()), "{path}");
    }
}

#[tokio::test]
async fn another_accounts_records_are_invisible() {
    let app = spawn_app().await;
    let fixture = json!({"jaze": {
        "accounts": [{"api_token": "other-isp-token", "api_key": "other-isp-key"}],
        "users": [
            {"api_token": "other-isp-token", "user_id": 2, "customer_number": "C-2"},
            {"api_token": "other-isp-token", "user_id": 77, "customer_number": "C-77"}
        ],
        "payments": [
            {"api_token": "other-isp-token", "payment_id": 9000, "user_id": 2, "amount": "12.00",
             "method": "cash", "created_at": "2016-05-01T04:30:00Z"}
        ]
    }});
    let loaded = app.post_json("/__sandbox/fixtures", &fixture).await;
    assert!(
        loaded.status().is_success(),
        "{}",
        loaded.text().await.unwrap()
    );

    // The sample account sees neither the other account's payment nor its user...
    let got = failure(&app, "/api/v1/get_payment_receipt/2/9000").await;
    assert_eq!(got, (404, "Payment not found".to_string()));
    let got = failure(&app, "/api/v1/get_payment_receipt/77/9000").await;
    assert_eq!(got, (404, "User not found".to_string()));
    // ...nor the other account the sample's payment of its own user 2.
    let other = |path: &'static str| {
        let app = &app;
        async move { s8_with(app, path, "other-isp-token", "other-isp-key").await }
    };
    let body = other("/api/v1/get_payment_receipt/2/7400").await;
    assert_eq!(
        body,
        json!({"status": "failure", "errorCode": 404, "message": "Payment not found"})
    );

    // Its own payment has a receipt, headed by its API Token as it has no name.
    let body = other("/api/v1/get_payment_receipt/2/9000").await;
    let url = body["message"].as_str().expect("a URL");
    let text = text_of(&fetch_pdf(&app, url).await);
    assert_shows(
        &text,
        &[
            "other-isp-token",
            "Customer number C-2",
            "Payment ID 9000",
            "INR 12.00",
            "2016-05-01 10:00:00",
        ],
    );
    assert!(!text.contains("Jaze Sandbox ISP"), "{text}");
}

#[tokio::test]
async fn user_500_is_the_magic_internal_error() {
    let app = spawn_app().await;
    for path in ["500/7400", "500/1", "0500/7400"] {
        let got = failure(&app, &format!("/api/v1/get_payment_receipt/{path}")).await;
        assert_eq!(got, (500, "Internal Server Error".to_string()), "{path}");
    }
}

#[tokio::test]
async fn an_unknown_or_malformed_receipt_token_is_not_found() {
    let app = spawn_app().await;
    let (_, token) = receipt_url(&app, 2, 7400).await;
    let mut guessed = token.clone().into_bytes();
    guessed[0] = if guessed[0] == b'A' { b'B' } else { b'A' };
    let guessed = String::from_utf8(guessed).unwrap();
    for file in [
        format!("{guessed}.pdf"),
        "abc.pdf".to_string(),
        format!("{}.pdf", &token[..token.len() - 1]),
        format!("{token}x.pdf"),
        format!("{}.pdf", "A".repeat(32)),
        token.clone(),
        format!("{token}.txt"),
        format!("{token}.pdf.pdf"),
        ".pdf".to_string(),
        format!("{}.pdf", "'; drop table jaze_payments; --"),
    ] {
        let response = app.get(&format!("/jaze/receipts/{file}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{file}");
        let (_, body) = status_and_json(response).await;
        assert_eq!(
            body,
            json!({"status": "failure", "errorCode": 404, "message": "Receipt not found"}),
            "{file}"
        );
    }
    // The real one still works: nothing above changed anything.
    let (url, _) = receipt_url(&app, 2, 7400).await;
    fetch_pdf(&app, &url).await;
}

#[tokio::test]
async fn reset_keeps_the_start_states_receipt_tokens() {
    let app = spawn_app().await;
    let (before, _) = receipt_url(&app, 2, 7400).await;
    let gateway_before = receipt_url(&app, 1, 200).await.0;
    let created = create(
        &app,
        "/__sandbox/jaze/payments",
        json!({"user_id": 2, "amount": "5.00", "method": "cash"}),
    )
    .await;
    let created_id = created["payment_id"].as_i64().unwrap();
    let (created_url, _) = receipt_url(&app, 2, created_id).await;

    let reset = app.post_json("/__sandbox/reset", &json!({})).await;
    assert!(reset.status().is_success(), "reset: {}", reset.status());

    assert_eq!(receipt_url(&app, 2, 7400).await.0, before);
    assert_eq!(receipt_url(&app, 1, 200).await.0, gateway_before);
    assert_shows(
        &text_of(&fetch_pdf(&app, &before).await),
        &["Payment ID 7400"],
    );
    // A payment made after start is gone, and so is its receipt.
    let got = failure(&app, &format!("/api/v1/get_payment_receipt/2/{created_id}")).await;
    assert_eq!(got, (404, "Payment not found".to_string()));
    let response = app.client.get(&created_url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
