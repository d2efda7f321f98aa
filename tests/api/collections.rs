//! `GET /__sandbox/collections/<provider>.json`: a Postman collection v2.1 per provider, its
//! variables the default fixtures' credentials, Jaze's Basic auth set, AggrePay's hashes
//! scripted; and its requests, replayed here as Postman would send them (AggrePay's hash
//! computed as its pre-request script does), get the documented success they test for.
//! (CI also runs them with newman: `.ci/collections-check`.)

use crate::helpers::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha512};
use std::collections::HashMap;

const PROVIDERS: [&str; 4] = ["chillr", "paypro", "aggrepay", "jaze"];

async fn collection(app: &TestApp, provider: &str) -> Value {
    let response = app
        .client
        .get(app.url(&format!("/__sandbox/collections/{provider}.json")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{provider}");
    response.json().await.unwrap()
}

fn variables(collection: &Value) -> HashMap<String, String> {
    collection["variable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let value = v["value"].as_str().unwrap().to_string();
            (v["key"].as_str().unwrap().to_string(), value)
        })
        .collect()
}

fn default_fixture(pointer: &str) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/default.json"
    ))
    .unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc.pointer(pointer).unwrap().as_str().unwrap().to_string()
}

/// `{{name}}` as Postman resolves it; `{{$timestamp}}` is the Unix time.
fn resolve(text: &str, variables: &HashMap<String, String>) -> String {
    let mut out = text.to_string();
    for (name, value) in variables {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    out.replace("{{$timestamp}}", &now.to_string())
}

fn pairs(list: &Value, variables: &HashMap<String, String>) -> Vec<(String, String)> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let value = resolve(p["value"].as_str().unwrap(), variables);
            (p["key"].as_str().unwrap().to_string(), value)
        })
        .collect()
}

/// AggrePay 17.1, as the collection's pre-request script computes it.
fn sign(salt: &str, form: &mut Vec<(String, String)>) {
    let mut fields: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.clone(), v.trim().to_string()))
        .filter(|(k, v)| k != "hash" && !v.is_empty())
        .collect();
    fields.sort();
    let data: Vec<String> = std::iter::once(salt.to_string())
        .chain(fields.into_iter().map(|(_, v)| v))
        .collect();
    let digest = Sha512::digest(data.join("|").as_bytes());
    let hash: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    form.push(("hash".into(), hash));
}

/// `/0/Status` as a JSON pointer; Postman's `json["0"]["Status"]`.
fn at<'a>(answer: &'a Value, pointer: &str) -> &'a Value {
    answer.pointer(pointer).unwrap_or(&Value::Null)
}

#[tokio::test]
async fn each_collection_is_postman_v2_1_with_the_default_credentials() {
    let app = spawn_app().await;
    for provider in PROVIDERS {
        let collection = collection(&app, provider).await;
        assert_eq!(
            collection["info"]["schema"],
            "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
        );
        let items = collection["item"].as_array().unwrap();
        assert!(!items.is_empty(), "{provider}: no requests");
        for item in items {
            let test = item["event"][0]["script"]["exec"].to_string();
            assert!(
                test.contains("pm.response.to.have.status(") && test.contains("pm.expect"),
                "{provider}: {} tests no success",
                item["name"]
            );
        }
        assert!(variables(&collection).contains_key("baseUrl"));
    }
    let chillr = variables(&collection(&app, "chillr").await);
    assert_eq!(
        chillr["chillr_api_secret_key"],
        default_fixture("/chillr/merchants/0/api_secret_key")
    );
    let aggrepay = collection(&app, "aggrepay").await;
    assert_eq!(
        variables(&aggrepay)["aggrepay_salt"],
        default_fixture("/aggrepay/merchants/0/salt")
    );
    let scripts = aggrepay["event"].to_string();
    assert!(scripts.contains("SHA512") && scripts.contains("form.upsert({ key: 'hash'"));
    assert!(scripts.contains("the response hash matches"));
    let jaze = collection(&app, "jaze").await;
    assert_eq!(jaze["auth"]["type"], "basic");
    assert_eq!(jaze["auth"]["basic"][0]["value"], "{{jaze_api_token}}");
    assert_eq!(
        variables(&jaze)["jaze_api_key"],
        default_fixture("/jaze/accounts/0/api_key")
    );
}

#[tokio::test]
async fn an_unknown_provider_has_no_collection() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/__sandbox/collections/stripe.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("stripe.json"));
}

/// The `{{name}}` values a step's pre-request script draws anew, as it draws them.
fn draw_fresh(item: &Value, variables: &mut HashMap<String, String>) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    for event in item["event"].as_array().unwrap() {
        if event["listen"] != "prerequest" {
            continue;
        }
        for line in event["script"]["exec"].as_array().unwrap() {
            // `pm.collectionVariables.set("name", '9' + String(Date.now()).slice(-9));`
            let line = line.as_str().unwrap();
            let rest = line.strip_prefix("pm.collectionVariables.set(\"").unwrap();
            let (variable, value) = rest.split_once("\", ").unwrap();
            let value = match value {
                "'9' + String(Date.now()).slice(-9));" => format!("9{}", &now[now.len() - 9..]),
                "String(Date.now()));" => now.clone(),
                other => panic!("an unknown fresh value {other}"),
            };
            variables.insert(variable.to_string(), value);
        }
    }
}

/// The test script of a step (its first event).
fn test_lines(item: &Value) -> Vec<&str> {
    let event = &item["event"][0];
    assert_eq!(event["listen"], "test");
    let lines = event["script"]["exec"].as_array().unwrap();
    lines.iter().map(|l| l.as_str().unwrap()).collect()
}

/// Runs one collection as newman does, in order; answers the number of values checked.
async fn replay(app: &TestApp, provider: &str, collection: &Value) -> usize {
    let mut checked = 0;
    let mut variables = variables(collection);
    variables.insert("baseUrl".into(), app.base.clone());
    let basic = collection["auth"]["basic"].as_array().map(|b| {
        (
            resolve(b[0]["value"].as_str().unwrap(), &variables),
            resolve(b[1]["value"].as_str().unwrap(), &variables),
        )
    });
    for item in collection["item"].as_array().unwrap() {
        let name = item["name"].as_str().unwrap();
        draw_fresh(item, &mut variables);
        let request = &item["request"];
        let url = resolve(request["url"]["raw"].as_str().unwrap(), &variables);
        let url = url.split('?').next().unwrap().to_string();
        let query = pairs(&request["url"]["query"], &variables);
        let method = request["method"].as_str().unwrap().parse().unwrap();
        let mut call = app.client.request(method, &url).query(&query);
        if let Some((user, password)) = &basic {
            call = call.basic_auth(user, Some(password));
        }
        if let Some(form) = request["body"].get("urlencoded") {
            let mut form = pairs(form, &variables);
            if provider == "aggrepay" {
                sign(&variables["aggrepay_salt"], &mut form);
            }
            call = call.form(&form);
        } else if let Some(raw) = request["body"]["raw"].as_str() {
            call = call
                .header("content-type", "application/json")
                .body(resolve(raw, &variables));
        }
        let response = call.send().await.unwrap();
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap();
        for line in test_lines(item) {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("pm.response.to.have.status(") {
                let expected: u16 = rest.trim_end_matches(");").parse().unwrap();
                assert_eq!(status, expected, "{provider}: {name}: {answer}");
            }
            // `pm.expect(json["0"]["Status"], "/0/Status").to.eql("00");`
            let Some(rest) = line.strip_prefix("pm.expect(json") else {
                continue;
            };
            let (_, rest) = rest.split_once(", \"").unwrap();
            let (pointer, rest) = rest.split_once("\").to.eql(").unwrap();
            let expected: Value = serde_json::from_str(rest.strip_suffix(");").unwrap()).unwrap();
            assert_eq!(
                at(&answer, pointer),
                &expected,
                "{provider}: {name}: {pointer} in {answer}"
            );
            checked += 1;
        }
        for keep in test_lines(item) {
            // `pm.collectionVariables.set("name", pm.response.json()["data"]["id"]);`
            let Some(rest) = keep.strip_prefix("pm.collectionVariables.set(\"") else {
                continue;
            };
            let (variable, rest) = rest.split_once("\", pm.response.json()").unwrap();
            let pointer: String = rest
                .trim_end_matches(");")
                .split("][")
                .map(|t| t.trim_matches(['[', ']', '"']))
                .map(|t| format!("/{t}"))
                .collect();
            let value = match at(&answer, &pointer) {
                Value::Null => panic!("{provider}: {name}: nothing at {pointer} in {answer}"),
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            variables.insert(variable.to_string(), value);
        }
    }
    checked
}

#[tokio::test]
async fn every_sample_request_gets_its_documented_success_twice_in_a_row() {
    let app = spawn_app().await;
    for provider in PROVIDERS {
        let collection = collection(&app, provider).await;
        let items = collection["item"].as_array().unwrap().len();
        // A rerun against the same sandbox succeeds too: its ids are drawn anew.
        for run in 0..2 {
            let checked = replay(&app, provider, &collection).await;
            assert!(checked >= items, "{provider} run {run}: {checked} checks");
        }
    }
}

/// `/paypro/cpay/{x}` matches `/paypro/cpay/co`.
fn matches(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}')))
}

#[tokio::test]
async fn each_collection_covers_every_endpoint_of_its_description() {
    let app = spawn_app().await;
    for provider in PROVIDERS {
        let description: Value = app
            .client
            .get(app.url(&format!("/__sandbox/openapi/{provider}.json")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let collection = collection(&app, provider).await;
        let requested: Vec<String> = collection["item"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "/{}",
                    i["request"]["url"]["path"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s.as_str().unwrap())
                        .collect::<Vec<_>>()
                        .join("/")
                )
            })
            .collect();
        // An endpoint (a tag) may be described under several paths: one request to any does.
        let mut endpoints: HashMap<String, bool> = HashMap::new();
        for (path, item) in description["paths"].as_object().unwrap() {
            if !path.starts_with(&format!("/{provider}/")) {
                continue;
            }
            let covered = requested.iter().any(|r| matches(path, r));
            for operation in item.as_object().unwrap().values() {
                let endpoint = operation["tags"][0].as_str().unwrap().to_string();
                *endpoints.entry(endpoint).or_default() |= covered;
            }
        }
        let missing: Vec<&String> = endpoints
            .iter()
            .filter(|(_, c)| !**c)
            .map(|(e, _)| e)
            .collect();
        assert!(missing.is_empty(), "{provider}: no request for {missing:?}");
        assert!(!endpoints.is_empty(), "{provider}: no endpoints described");
    }
}
