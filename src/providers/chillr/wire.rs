//! Chillr's bodies. What a client sends, read into one shape: a JSON object, or a form body
//! with `customers` as a JSON string or as `customers[0][msisdn]=...` pairs. What Chillr
//! answers on success: [`Success`] around [`Accepted`] or [`BatchStatus`].
//!
//! Values are kept as raw JSON so that an amount is judged as it was written (`1e3` is a
//! JSON number, but not an amount Chillr accepts).

use crate::depth;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// One request parameter, as the checks see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// Absent, null or an empty string.
    Missing,
    /// A string, or a number's text as written.
    Text(String),
    /// A boolean, an array or an object.
    Other,
}

impl Field {
    pub fn text(&self) -> Option<&str> {
        match self {
            Field::Text(text) => Some(text),
            _ => None,
        }
    }
}

pub struct Params {
    fields: HashMap<String, Box<RawValue>>,
}

impl Params {
    /// Reads a JSON object, or a form body. A body that starts like a JSON object is read
    /// as JSON whatever its content type (curl's `-d` labels JSON as a form); anything
    /// unreadable, JSON nested more than [`depth::MAX_DEPTH`] levels included, is an empty
    /// request, so every parameter is missing.
    pub fn read(body: &[u8]) -> Params {
        // Windows clients often send a UTF-8 byte-order mark before the JSON.
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let looks_like_json = body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{');
        let fields = if looks_like_json {
            depth::json(body).unwrap_or_else(|| read_form(body))
        } else {
            read_form(body)
        };
        Params { fields }
    }

    pub fn field(&self, name: &str) -> Field {
        self.fields
            .get(name)
            .map_or(Field::Missing, |raw| field(raw))
    }

    /// The customer list: None when absent, null, not an array or empty.
    pub fn customers(&self) -> Option<Vec<Customer>> {
        let raw = self.fields.get("customers")?;
        let items: Vec<Box<RawValue>> = serde_json::from_str(raw.get()).ok()?;
        if items.is_empty() {
            return None;
        }
        Some(
            items
                .iter()
                .map(|item| Customer {
                    fields: serde_json::from_str(item.get()).ok(),
                })
                .collect(),
        )
    }
}

/// One element of `customers`; `fields` is None when it is not an object.
pub struct Customer {
    fields: Option<HashMap<String, Box<RawValue>>>,
}

impl Customer {
    pub fn field(&self, name: &str) -> Field {
        self.fields
            .as_ref()
            .and_then(|f| f.get(name))
            .map_or(Field::Missing, |raw| field(raw))
    }
}

fn field(raw: &RawValue) -> Field {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        Some(b'"') => match serde_json::from_str::<String>(text) {
            Ok(s) if s.is_empty() => Field::Missing,
            Ok(s) => Field::Text(s),
            Err(_) => Field::Other,
        },
        Some(b'-' | b'0'..=b'9') => Field::Text(text.to_string()),
        _ if text == "null" => Field::Missing,
        _ => Field::Other,
    }
}

/// A form body as raw JSON fields. `customers` is a JSON string, or bracket pairs
/// (`customers[0][msisdn]`, `customers[0][amount]`) gathered by index.
fn read_form(body: &[u8]) -> HashMap<String, Box<RawValue>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut fields = HashMap::new();
    let mut bracketed: BTreeMap<usize, Map<String, Value>> = BTreeMap::new();
    for (name, value) in pairs {
        if let Some((index, key)) = bracket_customer(&name) {
            bracketed
                .entry(index)
                .or_default()
                .insert(key.to_string(), Value::String(value));
        } else if name == "customers" {
            // JSON too deep to read is only a string, as any text that is not JSON.
            let raw = if depth::too_deep(&value) {
                serde_json::value::to_raw_value(&value)
            } else {
                RawValue::from_string(value.clone())
                    .or_else(|_| serde_json::value::to_raw_value(&value))
            };
            if let Ok(raw) = raw {
                fields.insert(name, raw);
            }
        } else if let Ok(raw) = serde_json::value::to_raw_value(&value) {
            fields.insert(name, raw);
        }
    }
    if !bracketed.is_empty() && !fields.contains_key("customers") {
        let list: Vec<Value> = bracketed.into_values().map(Value::Object).collect();
        if let Ok(raw) = serde_json::value::to_raw_value(&list) {
            fields.insert("customers".into(), raw);
        }
    }
    fields
}

/// `customers[3][msisdn]` → (3, "msisdn").
fn bracket_customer(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("customers[")?;
    let (index, rest) = rest.split_once("][")?;
    let key = rest.strip_suffix(']')?;
    Some((index.parse().ok()?, key))
}

/// Chillr's success envelope: `{"status":"success","status_code":0,["message",]"data"}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Success<D> {
    status: &'static str,
    status_code: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    data: D,
}

impl<D> Success<D> {
    pub fn new(message: Option<&'static str>, data: D) -> Self {
        Success {
            status: "success",
            status_code: 0,
            message,
            data,
        }
    }
}

/// The `data` of "Create batch".
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Accepted {
    pub batch_id: String,
    pub non_chillr_customers: Vec<String>,
}

/// The `data` of "Status check API" (and of the pay/decline action).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchStatus {
    pub batch_id: String,
    pub batch_status: &'static str,
    pub name: String,
    pub expiry_date: String,
    pub customers: Vec<CustomerStatus>,
    pub non_chillr_customers: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum CustomerStatus {
    Request {
        msisdn: String,
        amount: String,
        payment_status: &'static str,
        transaction_id: String,
        /// Only when paid: `2016-05-24T12:33:14+05:30`.
        #[serde(skip_serializing_if = "Option::is_none")]
        paid_at: Option<String>,
    },
    /// A customer who is not a Chillr user.
    NotGenerated {
        msisdn: String,
        /// `Transaction not generated`.
        message: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_the_text_they_were_written_in() {
        let params = Params::read(br#"{"amount": 1e3, "n": 200, "s": "", "b": true}"#);
        assert_eq!(params.field("amount"), Field::Text("1e3".into()));
        assert_eq!(params.field("n"), Field::Text("200".into()));
        assert_eq!(params.field("s"), Field::Missing);
        assert_eq!(params.field("b"), Field::Other);
        assert_eq!(params.field("absent"), Field::Missing);
    }

    #[test]
    fn a_form_body_takes_customers_as_json_or_as_brackets() {
        let json = Params::read(
            b"api_key=k&customers=%5B%7B%22msisdn%22%3A%229447741462%22%2C%22amount%22%3A200%7D%5D",
        );
        let customers = json.customers().unwrap();
        assert_eq!(customers[0].field("amount"), Field::Text("200".into()));

        let brackets = Params::read(
            b"customers[1][msisdn]=9633789451&customers[0][msisdn]=9447741462&customers[0][amount]=5",
        );
        let customers = brackets.customers().unwrap();
        assert_eq!(customers.len(), 2);
        assert_eq!(
            customers[0].field("msisdn"),
            Field::Text("9447741462".into())
        );
        assert_eq!(customers[1].field("amount"), Field::Missing);
    }

    #[test]
    fn a_byte_order_mark_before_the_json_is_skipped() {
        let params = Params::read(b"\xEF\xBB\xBF{\"api_key\": \"k\"}");
        assert_eq!(params.field("api_key"), Field::Text("k".into()));
    }

    #[test]
    fn customers_that_are_not_a_list_or_empty_are_missing() {
        for body in [
            r#"{"customers": {}}"#,
            r#"{"customers": []}"#,
            r#"{"customers": "x"}"#,
            "{}",
        ] {
            assert!(
                Params::read(body.as_bytes()).customers().is_none(),
                "{body}"
            );
        }
    }
}

#[cfg(test)]
mod proptests;
