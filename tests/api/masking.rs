//! Masking in the request journal over real HTTP: every provider × every secret field it
//! declares × every channel a secret can arrive by. The secret must appear nowhere in
//! `GET /__sandbox/requests` (nor percent-decoded), and the masked body must still be valid in
//! its format with the field's value `***`.

use crate::helpers::{TestApp, spawn_app};
use futures_util::FutureExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A secret with characters that end a form value or a query parameter when not encoded.
pub const SECRET: &str = "Tq7&Zx 9=Wv";
/// Pieces of [`SECRET`] that must not survive anywhere, even a mask cut short.
const SECRET_PIECES: [&str; 3] = ["Tq7", "Zx", "Wv"];
/// A secret sent as a JSON number.
pub const NUMBER: &str = "7391846205";
const BOUNDARY: &str = "mAsK9b0uNdArY";

/// Where a test request for each provider goes (its journal entry is what is looked at).
pub fn endpoint(provider: &str) -> &'static str {
    match provider {
        "chillr" => "/chillr/api/v5/collect",
        "paypro" => "/paypro/cpay/co",
        "aggrepay" => "/aggrepay/api/v1/debitwallet",
        "jaze" => "/jaze/api/v1/get_payment_details/2",
        other => panic!("no endpoint for {other}"),
    }
}

#[derive(Debug, Clone, Copy)]
enum Channel {
    Query,
    QueryEncodedName,
    QueryJsonParameter,
    Json,
    JsonNumber,
    JsonArray,
    JsonEscapedName,
    LenientJson,
    CommentBeforeColon,
    Form,
    FormEncodedName,
    FormPhpBrackets,
    FormJsonField,
    NamelessEncodedJson,
    Multipart,
    MultipartUnquotedName,
    MultipartJsonFile,
}

const CHANNELS: [Channel; 17] = [
    Channel::Query,
    Channel::QueryEncodedName,
    Channel::QueryJsonParameter,
    Channel::Json,
    Channel::JsonNumber,
    Channel::JsonArray,
    Channel::JsonEscapedName,
    Channel::LenientJson,
    Channel::CommentBeforeColon,
    Channel::Form,
    Channel::FormEncodedName,
    Channel::FormPhpBrackets,
    Channel::FormJsonField,
    Channel::NamelessEncodedJson,
    Channel::Multipart,
    Channel::MultipartUnquotedName,
    Channel::MultipartJsonFile,
];

/// A request: query string, content type and body.
pub struct Sent {
    pub query: Option<String>,
    pub content_type: &'static str,
    pub body: String,
}

const FORM: &str = "application/x-www-form-urlencoded";
pub const JSON: &str = "application/json";
pub const MULTIPART: &str = "multipart/form-data; boundary=mAsK9b0uNdArY";

pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Every byte as `%XX`, letters included.
fn encode_all(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// A JSON string literal with its last character written as a `\uXXXX` escape.
fn escaped_name(name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let last = chars.pop().expect("a name");
    let head: String = chars.into_iter().collect();
    let head = Value::String(head).to_string();
    format!("{}\\u{:04x}\"", &head[..head.len() - 1], last as u32)
}

pub fn part(disposition: &str, content: &str) -> String {
    format!("--{BOUNDARY}\r\nContent-Disposition: form-data; {disposition}\r\n\r\n{content}\r\n")
}

fn payload(field: &str) -> String {
    json!([{"MerchantId": "PayPro", field: SECRET}]).to_string()
}

fn request(channel: Channel, field: &str) -> Sent {
    let name = Value::String(field.to_string()).to_string();
    let sent = |query: Option<String>, content_type, body: String| Sent {
        query,
        content_type,
        body,
    };
    match channel {
        Channel::Query => sent(
            Some(format!("api_key=k&{}={}", encode(field), encode(SECRET))),
            JSON,
            String::new(),
        ),
        Channel::QueryEncodedName => sent(
            Some(format!("{}={}", encode_all(field), encode(SECRET))),
            JSON,
            String::new(),
        ),
        Channel::QueryJsonParameter => sent(
            Some(format!("oJson={}", encode(&payload(field)))),
            JSON,
            String::new(),
        ),
        Channel::Json => sent(
            None,
            JSON,
            json!({"api_key": "k", field: SECRET}).to_string(),
        ),
        Channel::JsonNumber => sent(None, JSON, format!(r#"{{"api_key":"k",{name}:{NUMBER}}}"#)),
        Channel::JsonArray => sent(
            None,
            JSON,
            json!({"api_key": "k", field: [SECRET]}).to_string(),
        ),
        Channel::JsonEscapedName => sent(
            None,
            JSON,
            format!(r#"{{"api_key":"k",{}:"{SECRET}"}}"#, escaped_name(field)),
        ),
        Channel::LenientJson => sent(
            None,
            JSON,
            format!("{{api_key:'k', '{field}': '{SECRET}', // the secret\n}}"),
        ),
        Channel::CommentBeforeColon => sent(
            None,
            JSON,
            format!(r#"{{"api_key":"k",{name} /* why */ : "{SECRET}"}}"#),
        ),
        Channel::Form => sent(
            None,
            FORM,
            format!("api_key=k&{}={}", encode(field), encode(SECRET)),
        ),
        Channel::FormEncodedName => sent(
            None,
            FORM,
            format!("api_key=k&{}={}", encode_all(field), encode(SECRET)),
        ),
        Channel::FormPhpBrackets => sent(
            None,
            FORM,
            format!(
                "api_key=k&{0}%5B%5D={1}&data%5B{0}%5D={1}",
                encode(field),
                encode(SECRET)
            ),
        ),
        Channel::FormJsonField => sent(
            None,
            FORM,
            format!("userName=u&oJson={}", encode(&payload(field))),
        ),
        Channel::NamelessEncodedJson => sent(None, FORM, encode_all(&payload(field))),
        Channel::Multipart => sent(
            None,
            MULTIPART,
            format!(
                "{}{}--{BOUNDARY}--\r\n",
                part("name=\"api_key\"", "k"),
                part(&format!("name=\"{field}\""), SECRET)
            ),
        ),
        Channel::MultipartUnquotedName => sent(
            None,
            MULTIPART,
            format!(
                "{}{}--{BOUNDARY}--\r\n",
                part("name=api_key", "k"),
                part(&format!("name={field}"), SECRET)
            ),
        ),
        Channel::MultipartJsonFile => sent(
            None,
            MULTIPART,
            format!(
                "{}--{BOUNDARY}--\r\n",
                part("name=\"file\"; filename=\"orders.json\"", &payload(field))
            ),
        ),
    }
}

/// Sends the request, then gives back the journal's only entry and empties the journal.
pub async fn journaled(app: &TestApp, path: &str, sent: &Sent) -> Value {
    let url = match &sent.query {
        Some(query) => app.url(&format!("{path}?{query}")),
        None => app.url(path),
    };
    let response = app
        .client
        .post(url)
        .header("content-type", sent.content_type)
        .body(sent.body.clone())
        .send()
        .await
        .expect("a response");
    assert_ne!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let entries = app.get_json("/__sandbox/requests").await;
    assert_eq!(
        app.delete("/__sandbox/requests").await.status(),
        StatusCode::NO_CONTENT
    );
    let mut entries = entries.as_array().expect("entries").clone();
    assert_eq!(entries.len(), 1, "{entries:#?}");
    entries.remove(0)
}

/// The entry as served and every decoded form of its texts hold no piece of a secret.
pub fn assert_nothing_leaks(entry: &Value, context: &str) {
    let mut texts = vec![entry.to_string()];
    for text in [&entry["body"], &entry["query"], &entry["response"]["body"]] {
        if let Some(text) = text.as_str() {
            texts.push(text.to_string());
            let spaced = text.replace('+', " ");
            let decoded = percent_encoding::percent_decode_str(&spaced);
            texts.push(decoded.decode_utf8_lossy().into_owned());
        }
    }
    // JSON text with its escapes resolved: every string and name in it.
    if let Ok(body) = serde_json::from_str::<Value>(entry["body"].as_str().unwrap_or_default()) {
        strings(&body, &mut texts);
    }
    for text in &texts {
        for piece in SECRET_PIECES.iter().chain([&NUMBER]) {
            assert!(
                !text.contains(piece),
                "{context}: `{piece}` leaked in {text}"
            );
        }
    }
}

fn strings(value: &Value, texts: &mut Vec<String>) {
    match value {
        Value::String(text) => texts.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| strings(item, texts)),
        Value::Object(map) => {
            for (name, member) in map {
                texts.push(name.clone());
                strings(member, texts);
            }
        }
        _ => texts.push(value.to_string()),
    }
}

/// The value of every member named `field` (any case) anywhere in the JSON.
fn members<'a>(value: &'a Value, field: &str, found: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            for (name, member) in map {
                if name.eq_ignore_ascii_case(field) {
                    found.push(member);
                } else {
                    members(member, field, found);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| members(item, field, found)),
        _ => {}
    }
}

fn assert_json_masked(text: &str, field: &str, context: &str) {
    let value: Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{context}: not JSON ({e}): {text}"));
    let mut found = Vec::new();
    members(&value, field, &mut found);
    assert!(
        !found.is_empty(),
        "{context}: `{field}` is gone from {text}"
    );
    assert!(found.iter().all(|v| *v == "***"), "{context}: {text}");
}

fn form_pairs(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

fn multipart_fields(body: &str) -> Vec<(Option<String>, String)> {
    let body = bytes::Bytes::from(body.to_string());
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, BOUNDARY);
    async move {
        let mut fields = Vec::new();
        while let Some(field) = multipart.next_field().await.expect("valid multipart") {
            let name = field.name().map(str::to_string);
            fields.push((name, field.text().await.expect("a text part")));
        }
        fields
    }
    .now_or_never()
    .expect("the body is whole")
}

/// The masked body or query is still valid in its format, with the field's value `***`.
fn assert_valid_and_masked(channel: Channel, field: &str, entry: &Value, context: &str) {
    let body = entry["body"].as_str().expect("a body");
    let query = entry["query"].as_str();
    match channel {
        Channel::Query | Channel::QueryEncodedName => {
            let query = query.expect("a query");
            assert!(
                query.contains(&format!("{field}=***")),
                "{context}: {query}"
            );
        }
        Channel::QueryJsonParameter => {
            let query = query.expect("a query");
            let json = query.strip_prefix("oJson=").expect("oJson first");
            assert_json_masked(json, field, context);
        }
        Channel::Json
        | Channel::JsonNumber
        | Channel::JsonArray
        | Channel::JsonEscapedName
        | Channel::LenientJson
        | Channel::CommentBeforeColon => {
            assert_json_masked(body, field, context);
            assert!(body.contains(r#""api_key":"k""#), "{context}: {body}");
        }
        Channel::Form | Channel::FormEncodedName | Channel::FormPhpBrackets => {
            let pairs = form_pairs(body);
            assert!(
                pairs.contains(&("api_key".into(), "k".into())),
                "{context}: {body}"
            );
            let secret: Vec<_> = pairs
                .iter()
                .filter(|(name, _)| name.contains(field))
                .collect();
            assert!(!secret.is_empty(), "{context}: {body}");
            assert!(secret.iter().all(|(_, v)| v == "***"), "{context}: {body}");
        }
        Channel::FormJsonField => {
            let pairs = form_pairs(body);
            let (_, json) = pairs.iter().find(|(n, _)| n == "oJson").expect("oJson");
            assert_json_masked(json, field, context);
        }
        Channel::NamelessEncodedJson => {
            let pairs = form_pairs(body);
            assert_eq!(pairs.len(), 1, "{context}: {body}");
            assert_json_masked(&pairs[0].0, field, context);
        }
        Channel::Multipart | Channel::MultipartUnquotedName => {
            let fields = multipart_fields(body);
            assert_eq!(fields.len(), 2, "{context}: {body}");
            assert_eq!(fields[0], (Some("api_key".into()), "k".into()), "{context}");
            assert_eq!(
                fields[1],
                (Some(field.to_string()), "***".into()),
                "{context}"
            );
        }
        Channel::MultipartJsonFile => {
            let fields = multipart_fields(body);
            assert_eq!(fields.len(), 1, "{context}: {body}");
            assert_json_masked(&fields[0].1, field, context);
        }
    }
}

#[tokio::test]
async fn every_secret_field_of_every_provider_is_masked_in_every_channel() {
    let app = spawn_app().await;
    let providers = paysandbox::catalogue::providers();
    let mut checked = 0;
    for provider in providers.iter() {
        for field in provider.secret_fields() {
            for channel in CHANNELS {
                let context = format!("{} / {field} / {channel:?}", provider.name());
                let sent = request(channel, field);
                let entry = journaled(&app, endpoint(provider.name()), &sent).await;
                assert_eq!(entry["provider"], provider.name(), "{context}");
                assert_nothing_leaks(&entry, &context);
                assert_valid_and_masked(channel, field, &entry, &context);
                checked += 1;
            }
        }
    }
    // Chillr 1, PayPro 2, AggrePay 6 fields (Jaze's credentials are a header: below).
    assert_eq!(checked, 9 * CHANNELS.len());
}
