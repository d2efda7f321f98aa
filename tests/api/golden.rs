//! Golden cases: one JSON file per sample of a provider document, in
//! `tests/golden/<provider>/`, each naming the section it comes from. A case may set the
//! sandbox clock or load fixtures first; `redact` maps JSON pointers of generated values to
//! the pattern they must match before they are compared as `"[redacted]"`. A case may also
//! state the diagnosis its journal entry must carry (`expected.diagnosis`: `null` for a
//! success, else the fields that must match, e.g. rule, field and hint) and the provider
//! code the entry records (`expected.code`).

use crate::helpers::spawn_app;
use regex::Regex;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    source: String,
    clock: Option<String>,
    fixtures: Option<Value>,
    request: Request,
    #[serde(default)]
    redact: BTreeMap<String, String>,
    expected: Expected,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    method: String,
    path: String,
    /// A JSON body.
    json: Option<Value>,
    /// A body sent exactly as written.
    body: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    status: u16,
    body: Value,
    /// The journal entry's diagnosis: `null`, or an object whose fields must all match.
    #[serde(default, deserialize_with = "present")]
    diagnosis: Option<Value>,
    /// The journal entry's provider code.
    code: Option<String>,
}

/// Tells a `"diagnosis": null` (stated: there must be none) from a missing one (not checked).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Runs every case of a provider, each on a fresh sandbox; answers how many ran.
pub async fn run_all(provider: &str) -> usize {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(provider);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let case: Case = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not a golden case: {e}", file.display()));
        run(&case)
            .await
            .unwrap_or_else(|e| panic!("{}\n  source: {}\n  {e}", file.display(), case.source));
    }
    files.len()
}

async fn run(case: &Case) -> Result<(), String> {
    let app = spawn_app().await;
    if let Some(at) = &case.clock {
        let set = app
            .post_json("/__sandbox/clock", &serde_json::json!({ "set": at }))
            .await;
        if !set.status().is_success() {
            return Err(format!("setting the clock failed: {}", set.status()));
        }
    }
    if let Some(fixtures) = &case.fixtures {
        let loaded = app.post_json("/__sandbox/fixtures", fixtures).await;
        if !loaded.status().is_success() {
            return Err(format!(
                "fixtures refused: {}",
                loaded.text().await.unwrap()
            ));
        }
    }
    let request = &case.request;
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
    let mut builder = app.client.request(method, app.url(&request.path));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if let Some(json) = &request.json {
        builder = builder.json(json);
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let response = builder.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get("x-sandbox-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .ok_or("the answer has no X-Sandbox-Request-Id")?;
    let text = response.text().await.unwrap();
    let mut body: Value =
        serde_json::from_str(&text).map_err(|e| format!("answer is not JSON ({e}): {text}"))?;
    for (pointer, pattern) in &case.redact {
        let value = body
            .pointer_mut(pointer)
            .ok_or_else(|| format!("{pointer} is missing from {text}"))?;
        let shown = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        if !Regex::new(pattern).unwrap().is_match(&shown) {
            return Err(format!("{pointer} = {shown} does not match {pattern}"));
        }
        *value = Value::String("[redacted]".into());
    }
    if status != case.expected.status || body != case.expected.body {
        return Err(format!(
            "expected {} {}\n  got      {} {}",
            case.expected.status, case.expected.body, status, body
        ));
    }
    if case.expected.diagnosis.is_some() || case.expected.code.is_some() {
        let entry: Value = app
            .get(&format!("/__sandbox/requests/{request_id}"))
            .await
            .json()
            .await
            .map_err(|e| e.to_string())?;
        check_diagnosis(&case.expected, &entry)?;
    }
    Ok(())
}

fn check_diagnosis(expected: &Expected, entry: &Value) -> Result<(), String> {
    if let Some(code) = &expected.code
        && entry["code"].as_str() != Some(code.as_str())
    {
        return Err(format!(
            "expected code {code}, the journal says {}",
            entry["code"]
        ));
    }
    let got = &entry["diagnosis"];
    match &expected.diagnosis {
        None => Ok(()),
        Some(Value::Null) if got.is_null() => Ok(()),
        Some(Value::Null) => Err(format!("expected no diagnosis, got {got}")),
        Some(Value::Object(fields)) => {
            for (name, value) in fields {
                if &got[name] != value {
                    return Err(format!(
                        "diagnosis.{name}: expected {value}\n  got diagnosis {got}"
                    ));
                }
            }
            Ok(())
        }
        Some(other) => Err(format!(
            "expected.diagnosis must be null or an object, not {other}"
        )),
    }
}
