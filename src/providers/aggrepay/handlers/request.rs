//! What an AggrePay client posts, read as Laravel reads it: a form body (as the document
//! says), multipart, or a JSON object; every value trimmed, an empty value as if absent.

use crate::depth;
use bytes::Bytes;
use futures_util::FutureExt;
use serde_json::Value;

/// The posted fields, in the order they came, names as sent (`Hash` is `hash`).
pub struct Fields {
    pairs: Vec<(String, String)>,
    /// The value as posted of each field that had spaces around it (for the hash diagnosis).
    spaced: Vec<(String, String)>,
    /// Names whose JSON value was an array or an object: no rule takes those as text.
    not_text: Vec<String>,
    /// A JSON body nested more than [`depth::MAX_DEPTH`] levels: not read at all.
    too_deep: bool,
}

impl Fields {
    pub fn read(content_type: Option<&str>, body: &Bytes) -> Fields {
        let content_type = content_type.unwrap_or_default();
        let media_type = content_type.to_ascii_lowercase();
        let starts_json = body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{');
        let mut not_text = Vec::new();
        let mut too_deep = false;
        let raw: Vec<(String, String)> = if media_type.starts_with("multipart/form-data") {
            read_multipart(content_type, body.clone())
        } else if starts_json {
            too_deep = depth::too_deep(body);
            match depth::json::<serde_json::Map<String, Value>>(body) {
                Some(object) => object
                    .into_iter()
                    .filter_map(|(name, value)| {
                        if value.is_array() || value.is_object() {
                            not_text.push(name.clone());
                        }
                        scalar(value).map(|v| (name, v))
                    })
                    .collect(),
                None => Vec::new(),
            }
        } else {
            serde_urlencoded::from_bytes(body).unwrap_or_default()
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut spaced: Vec<(String, String)> = Vec::new();
        for (name, value) in raw {
            let name = if name.eq_ignore_ascii_case("hash") {
                "hash".to_string()
            } else {
                name
            };
            let trimmed = value.trim().to_string();
            // A repeated name keeps its last value, as PHP's $_POST does.
            pairs.retain(|(n, _)| *n != name);
            spaced.retain(|(n, _)| *n != name);
            if trimmed.len() != value.len() {
                spaced.push((name.clone(), value));
            }
            pairs.push((name, trimmed));
        }
        Fields {
            pairs,
            spaced,
            not_text,
            too_deep,
        }
    }

    /// Whether the body was JSON nested too deeply to be read.
    pub fn too_deep(&self) -> bool {
        self.too_deep
    }

    /// The first field posted as a JSON array or object, if any.
    pub fn first_not_text(&self) -> Option<&str> {
        self.not_text.first().map(String::as_str)
    }

    /// A field's trimmed value; None when absent or empty (Laravel's empty string is null).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The names of the fields posted with spaces around their values.
    pub fn untrimmed(&self) -> impl Iterator<Item = &str> {
        self.spaced.iter().map(|(name, _)| name.as_str())
    }

    /// The fields with their values exactly as posted, spaces kept.
    pub fn as_posted(&self) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .map(|(name, value)| {
                let posted = self.spaced.iter().find(|(n, _)| n == name);
                (name.clone(), posted.map_or(value, |(_, v)| v).clone())
            })
            .collect()
    }
}

/// A JSON value as a form would carry it: strings and numbers as text, booleans as PHP
/// writes them; null is absent; arrays and objects as their JSON text (they fail every rule).
fn scalar(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if b { "1" } else { "" }.to_string()),
        other => Some(other.to_string()),
    }
}

/// The fields of a multipart body. The whole body is in memory, so the parser never waits:
/// its future completes on the first poll.
fn read_multipart(content_type: &str, body: Bytes) -> Vec<(String, String)> {
    multipart_fields(content_type, body)
        .now_or_never()
        .unwrap_or_default()
}

async fn multipart_fields(content_type: &str, body: Bytes) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return pairs;
    };
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        match field.text().await {
            Ok(text) => pairs.push((name, text)),
            Err(_) => break,
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_json_objects_are_read_trimmed_with_empty_values_absent() {
        let form = Fields::read(None, &Bytes::from_static(b"api_key=+k+&email=&Hash=ABC"));
        assert_eq!(form.get("api_key"), Some("k"));
        assert_eq!(form.get("email"), None);
        assert_eq!(form.get("hash"), Some("ABC"));
        let json = Fields::read(
            Some("application/json"),
            &Bytes::from_static(br#"{"amount": 10.5, "mpin": "1234", "x": null}"#),
        );
        assert_eq!(json.get("amount"), Some("10.5"));
        assert_eq!(json.get("x"), None);
    }

    #[test]
    fn multipart_bodies_are_read_without_waiting() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n k \r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"Hash\"\r\n\r\nABC\r\n--XyZ--\r\n";
        let fields = Fields::read(
            Some("multipart/form-data; boundary=XyZ"),
            &Bytes::from_static(body.as_bytes()),
        );
        assert_eq!(fields.get("api_key"), Some("k"));
        assert_eq!(fields.get("hash"), Some("ABC"));
    }
}

#[cfg(test)]
mod proptests;
