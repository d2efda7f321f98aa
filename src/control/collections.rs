//! `GET /__sandbox/collections/<provider>.json`: a Postman collection (v2.1) per provider,
//! generated from its OpenAPI description: its samples (`x-samples`) as requests, each with a
//! test asserting the documented success, and what its client needs (`x-collection`):
//! variables, HTTP Basic, the scripts of its signatures. `{{baseUrl}}` is the sandbox.

use super::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// One provider's Postman collection, ready to import or to run with newman.
#[utoipa::path(
    get,
    path = "/__sandbox/collections/{file}",
    operation_id = "provider_collection",
    tag = "control",
    params(("file" = String, Path, description = "`<provider>.json`: a provider name, then `.json`")),
    responses(
        (status = 200, description = "A Postman collection v2.1", body = Object),
        (status = 404, description = "No such provider", body = super::ErrorBody),
    )
)]
pub async fn provider_collection(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let description = super::descriptions::of(&state, &file)?;
    Ok(Json(collection(&description)))
}

pub fn collection(doc: &Value) -> Value {
    let client = &doc["x-collection"];
    let mut variables = vec![json!({"key": "baseUrl", "value": "http://localhost:8080"})];
    for (key, value) in client["variables"].as_object().into_iter().flatten() {
        variables.push(json!({"key": key, "value": value}));
    }
    let mut collection = json!({
        "info": {
            "name": doc["info"]["title"],
            "description": doc["info"]["description"],
            "schema": SCHEMA,
        },
        "variable": variables,
        "event": [
            script("prerequest", &lines(&client["prerequest"])),
            script("test", &lines(&client["test"])),
        ],
        "item": doc["x-samples"].as_array().into_iter().flatten().map(item).collect::<Vec<_>>(),
    });
    if let Some(basic) = client["basicAuth"].as_object() {
        collection["auth"] = json!({
            "type": "basic",
            "basic": [
                {"key": "username", "value": basic["username"], "type": "string"},
                {"key": "password", "value": basic["password"], "type": "string"},
            ],
        });
    }
    collection
}

fn lines(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_string))
        .collect()
}

fn script(listen: &str, exec: &[String]) -> Value {
    json!({"listen": listen, "script": {"type": "text/javascript", "exec": exec}})
}

/// `/0/Status` → `["0"]["Status"]`, read on the parsed answer.
fn accessor(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|token| {
            let token = token.replace("~1", "/").replace("~0", "~");
            format!("[{}]", Value::String(token))
        })
        .collect()
}

fn item(sample: &Value) -> Value {
    let path = sample["path"].as_str().unwrap_or_default();
    let query = sample["query"].as_array().cloned().unwrap_or_default();
    let mut raw = format!("{{{{baseUrl}}}}{path}");
    let pairs: Vec<String> = query
        .iter()
        .map(|q| {
            format!(
                "{}={}",
                q["key"].as_str().unwrap_or_default(),
                q["value"].as_str().unwrap_or_default()
            )
        })
        .collect();
    if !pairs.is_empty() {
        raw = format!("{raw}?{}", pairs.join("&"));
    }
    let mut request = json!({
        "method": sample["method"],
        "header": [],
        "url": {
            "raw": raw,
            "host": ["{{baseUrl}}"],
            "path": path.split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
            "query": query,
        },
    });
    if let Some(form) = sample["body"].get("form") {
        request["body"] = json!({"mode": "urlencoded", "urlencoded": form});
    } else if let Some(body) = sample["body"].get("json") {
        request["body"] = json!({
            "mode": "raw",
            "raw": serde_json::to_string_pretty(body).unwrap_or_default(),
            "options": {"raw": {"language": "json"}},
        });
        request["header"] = json!([{"key": "Content-Type", "value": "application/json"}]);
    }
    let status = sample["status"].as_u64().unwrap_or(200);
    let mut test = vec![
        "pm.test(\"the documented success\", function () {".to_string(),
        format!("    pm.response.to.have.status({status});"),
        "    const json = pm.response.json();".to_string(),
    ];
    for check in sample["success"].as_array().into_iter().flatten() {
        let pointer = check["pointer"].as_str().unwrap_or_default();
        test.push(format!(
            "    pm.expect(json{}, {}).to.eql({});",
            accessor(pointer),
            Value::String(pointer.to_string()),
            check["equals"]
        ));
    }
    test.push("});".to_string());
    for keep in sample["keep"].as_array().into_iter().flatten() {
        test.push(format!(
            "pm.collectionVariables.set({}, pm.response.json(){});",
            keep["variable"],
            accessor(keep["pointer"].as_str().unwrap_or_default())
        ));
    }
    let mut events = vec![script("test", &test)];
    let fresh: Vec<String> = sample["fresh"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let value = match f["kind"].as_str() {
                Some("mobile") => "'9' + String(Date.now()).slice(-9)",
                _ => "String(Date.now())",
            };
            format!("pm.collectionVariables.set({}, {value});", f["variable"])
        })
        .collect();
    if !fresh.is_empty() {
        events.push(script("prerequest", &fresh));
    }
    json!({
        "name": sample["name"],
        "request": request,
        "event": events,
    })
}
