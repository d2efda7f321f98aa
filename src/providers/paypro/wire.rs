//! PayPro's answers: a JSON array whose element 0 holds only `{"Status":"NN"}` (clients
//! read the last value of element 0), then the details.

use crate::db::DbError;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::value::RawValue;
use serde_json::{Value, json};

/// A failure that is not a per-item list: `[{"Status":"NN"},{"Description":"..."}]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub status: &'static str,
    pub description: String,
}

impl Failure {
    pub fn new(status: &'static str, description: impl Into<String>) -> Self {
        Failure {
            status,
            description: description.into(),
        }
    }

    /// `01` / `04` depending on the endpoint, for invalid data.
    pub fn invalid(description: impl Into<String>) -> Self {
        Failure::new("03", description)
    }

    pub fn no_data() -> Self {
        Failure::new("03", "No data available")
    }

    pub fn service_fail() -> Self {
        Failure::new("02", "Service Fail")
    }

    pub fn body(&self) -> Value {
        json!([{"Status": self.status}, {"Description": self.description}])
    }
}

impl From<DbError> for Failure {
    fn from(error: DbError) -> Self {
        tracing::error!(%error, "paypro: database error");
        Failure::service_fail()
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        Json(self.body()).into_response()
    }
}

/// `[{"Status":status}, items...]`.
pub fn answer(status: &str, items: impl IntoIterator<Item = Value>) -> Response {
    let mut array = vec![json!({ "Status": status })];
    array.extend(items);
    Json(Value::Array(array)).into_response()
}

/// `[{"Status":status}, items...]` from items that hold raw numbers (`0.0000`).
pub fn answer_raw<T: serde::Serialize>(
    status: &str,
    items: impl IntoIterator<Item = T>,
) -> Response {
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

pub fn respond(result: Result<Response, Failure>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// A JSON number written exactly as given (`0.0000`, `45050`), which `serde_json::Value`
/// cannot hold.
pub fn number(text: String) -> Box<RawValue> {
    RawValue::from_string(text).expect("a decimal's text is a JSON number")
}
