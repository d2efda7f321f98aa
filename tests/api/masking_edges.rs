//! Masking in the request journal over real HTTP, beyond the table in `masking`: credentials
//! in headers, bodies that cannot be decoded, and strict JSON kept byte for byte.

use crate::helpers::{TestApp, spawn_app};
use crate::masking::{
    JSON, MULTIPART, NUMBER, SECRET, Sent, assert_nothing_leaks, encode, endpoint, journaled, part,
};
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn the_providers_declare_the_fields_they_read_as_secrets() {
    let providers = paysandbox::catalogue::providers();
    let fields = |name: &str| providers.by_name(name).expect("a provider").secret_fields();
    assert!(fields("chillr").contains(&"api_secret_key"));
    for field in ["MerchantPassword", "password"] {
        assert!(fields("paypro").contains(&field), "{field}");
    }
    for field in ["mpin", "old_mpin", "new_mpin", "otp"] {
        assert!(fields("aggrepay").contains(&field), "{field}");
    }
}

#[tokio::test]
async fn jaze_credentials_in_basic_authentication_keep_only_the_scheme() {
    let app = spawn_app().await;
    let credentials = format!("token-{NUMBER}:{SECRET}");
    let encoded = base64::engine::general_purpose::STANDARD.encode(&credentials);
    for header in ["Authorization", "Proxy-Authorization"] {
        let response = app
            .client
            .get(app.url(endpoint("jaze")))
            .header(header, format!("Basic {encoded}"))
            .send()
            .await
            .expect("a response");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let entry = journaled_last(&app).await;
        let pairs = entry["headers"].as_array().expect("headers");
        let value = pairs
            .iter()
            .find(|pair| pair[0].as_str() == Some(&header.to_ascii_lowercase()))
            .expect("the header is listed");
        assert_eq!(value[1], "Basic ***");
        assert!(!entry.to_string().contains(&encoded), "{entry}");
        assert_nothing_leaks(&entry, header);
    }
}

async fn journaled_last(app: &TestApp) -> Value {
    let entries = app.get_json("/__sandbox/requests?limit=1").await;
    assert_eq!(
        app.delete("/__sandbox/requests").await.status(),
        StatusCode::NO_CONTENT
    );
    entries[0].clone()
}

#[tokio::test]
async fn a_body_that_cannot_be_decoded_is_not_shown_when_it_names_a_secret() {
    let app = spawn_app().await;
    let broken = format!(r#"[{{"MerchantId":"PayPro","MerchantPass\u0077ord":"{SECRET}""#);
    let deep = format!(
        "{}{{mpin:'{SECRET}'}}{}",
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    let broken_multipart = part("name=mpin", SECRET);
    // Lenient JSON with nothing secret in it, but not strict JSON: Chillr reads it as a form,
    // and there `api_secret_key` is a field.
    let read_as_a_form = format!("{{a:'x&api_secret_key={}'}}", encode(SECRET));
    for (path, content_type, body) in [
        ("/paypro/cpay/co", JSON, broken.as_str()),
        ("/chillr/api/v5/collect", JSON, read_as_a_form.as_str()),
        ("/aggrepay/api/v1/debitwallet", JSON, deep.as_str()),
        (
            "/aggrepay/api/v1/debitwallet",
            MULTIPART,
            broken_multipart.as_str(),
        ),
    ] {
        let sent = Sent {
            query: None,
            content_type,
            body: body.to_string(),
        };
        let entry = journaled(&app, path, &sent).await;
        assert_nothing_leaks(&entry, body);
        assert_eq!(
            entry["body"],
            format!(
                "<not shown: {} bytes that could not be decoded to mask their secrets>",
                body.len()
            )
        );
    }

    // Text that names no secret is shown as it came, decodable or not.
    let plain = r#"{"amount": 10.50, "note": "unfinished"#;
    let sent = Sent {
        query: None,
        content_type: JSON,
        body: plain.to_string(),
    };
    assert_eq!(
        journaled(&app, "/paypro/cpay/co", &sent).await["body"],
        plain
    );
}

#[tokio::test]
async fn strict_json_is_masked_in_place_and_keeps_every_other_byte() {
    let app = spawn_app().await;
    let body =
        r#"{ "api_key" : "k", "amount": 10.00, "note": "a\/b \u00e9", "api_secret_key" : 12 }"#;
    let sent = Sent {
        query: None,
        content_type: JSON,
        body: body.to_string(),
    };
    let entry = journaled(&app, endpoint("chillr"), &sent).await;
    assert_eq!(
        entry["body"],
        r#"{ "api_key" : "k", "amount": 10.00, "note": "a\/b \u00e9", "api_secret_key" : "***" }"#
    );
}

#[tokio::test]
async fn headers_named_like_a_secret_or_naming_one_are_masked() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url(endpoint("chillr")))
        .header("Api-Secret-Key", SECRET.replace(' ', "-"))
        .header("Referer", format!("http://shop.test/pay?mpin={NUMBER}"))
        .header("X-Trace", "trace-1")
        .body("{}")
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::OK);
    let entry = journaled_last(&app).await;
    assert_nothing_leaks(&entry, "headers");
    let header = |name: &str| {
        entry["headers"]
            .as_array()
            .expect("headers")
            .iter()
            .find(|pair| pair[0] == name)
            .map(|pair| pair[1].clone())
    };
    assert_eq!(header("api-secret-key"), Some(json!("***")));
    assert_eq!(header("referer"), Some(json!("***")));
    assert_eq!(header("x-trace"), Some(json!("trace-1")));
}
