//! PayPro's answers: a JSON array whose element 0 holds only `{"Status":"NN"}` (clients
//! read the last value of element 0), then the details.

use super::errors::Code;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::value::RawValue;
use serde_json::{Value, json};

/// `[{"Status":status}, items...]`.
pub fn answer(status: Code, items: impl IntoIterator<Item = Value>) -> Response {
    let mut array = vec![json!({ "Status": status.as_str() })];
    array.extend(items);
    Json(Value::Array(array)).into_response()
}

/// `[{"Status":status}, items...]` from items that hold raw numbers (`0.0000`).
pub fn answer_raw<T: serde::Serialize>(
    status: Code,
    items: impl IntoIterator<Item = T>,
) -> Response {
    let status = status.as_str();
    let mut text = format!(r#"[{{"Status":"{status}"}}"#).into_bytes();
    for item in items {
        text.push(b',');
        serde_json::to_writer(&mut text, &item).expect("an answer serializes");
    }
    text.push(b']');
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        axum::body::Body::from(text),
    )
        .into_response()
}

/// A JSON number written exactly as given (`0.0000`, `45050`), which `serde_json::Value`
/// cannot hold.
pub fn number(text: String) -> Box<RawValue> {
    RawValue::from_string(text).expect("a decimal's text is a JSON number")
}
