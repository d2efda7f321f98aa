//! Finding PayPro's JSON wherever real clients put it, and reading it as leniently as the
//! real ASP.NET service (Json.NET) does.
//!
//! The payload (`oJson`, `csvOrders`) may be a query parameter (raw or percent-encoded, name
//! in any case), a form field, the first file of a multipart body, or the raw body under any
//! content type. A non-empty query value wins: clients often send `?oJson=` empty with the
//! JSON in the body, and the document's own C# sends the JSON in both.

use crate::depth;
use bytes::Bytes;
use serde_json::{Map, Value};

/// Everything a request carries that PayPro reads: query and form parameters (decoded as
/// ASP.NET decodes them), the first uploaded file, and the raw body.
pub struct Inputs {
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
    file: Option<String>,
    raw_body: String,
    multipart: bool,
}

impl Inputs {
    pub async fn read(query: Option<&str>, content_type: Option<&str>, body: &Bytes) -> Inputs {
        let query = query.map(parse_pairs).unwrap_or_default();
        let content_type = content_type.unwrap_or_default();
        // The boundary is case-sensitive: only the media type is compared without case.
        let media_type = content_type.to_ascii_lowercase();
        let mut form = Vec::new();
        let mut file = None;
        let mut raw_body = String::from_utf8_lossy(body).into_owned();
        if media_type.starts_with("multipart/form-data") {
            (form, file) = read_multipart(content_type, body.clone()).await;
            raw_body.clear();
        } else if media_type.starts_with("application/x-www-form-urlencoded")
            && !looks_like_json(&raw_body)
        {
            form = parse_pairs(&raw_body);
        }
        Inputs {
            query,
            form,
            file,
            raw_body,
            multipart: media_type.starts_with("multipart/form-data"),
        }
    }

    /// A kept request's inputs, read without awaiting (for the lint rules): as [`Inputs::read`]
    /// does, except that a multipart body's file is taken to be its JSON array, whatever
    /// surrounds it.
    pub fn read_kept(query: Option<&str>, content_type: Option<&str>, body: &str) -> Inputs {
        let media_type = content_type.unwrap_or_default().to_ascii_lowercase();
        let multipart = media_type.starts_with("multipart/form-data");
        let file = multipart
            .then(|| Some(&body[body.find('[')?..=body.rfind(']')?]))
            .flatten()
            .map(str::to_string);
        let form = if media_type.starts_with("application/x-www-form-urlencoded")
            && !looks_like_json(body)
        {
            parse_pairs(body)
        } else {
            Vec::new()
        };
        Inputs {
            query: query.map(parse_pairs).unwrap_or_default(),
            form,
            file,
            raw_body: if multipart {
                String::new()
            } else {
                body.to_string()
            },
            multipart,
        }
    }

    /// A plain parameter (`userName`, `cpayId`, ...): query first, then form; name in any
    /// case; value trimmed. None when absent or empty.
    pub fn param(&self, name: &str) -> Option<String> {
        [&self.query, &self.form]
            .into_iter()
            .find_map(|pairs| find(pairs, name))
    }

    /// The JSON payload named `name`, from the first place that has it.
    #[cfg(test)]
    pub fn payload(&self, name: &str) -> Option<String> {
        self.payload_at(name).map(|(value, _)| value)
    }

    /// The payload named `name` and where it was found (`the query parameter oJson`, ...).
    pub fn payload_at(&self, name: &str) -> Option<(String, String)> {
        if let Some(value) = find(&self.query, name) {
            return Some((value, format!("the query parameter {name}")));
        }
        if let Some(value) = find(&self.form, name) {
            let place = if self.multipart {
                "multipart field"
            } else {
                "form field"
            };
            return Some((value, format!("the {place} {name}")));
        }
        if let Some(file) = self.file.as_deref().filter(|f| !f.trim().is_empty()) {
            return Some((file.to_string(), "the multipart file part".to_string()));
        }
        self.body_payload()
            .map(|body| (body, "the raw body".to_string()))
    }

    /// What each place held when no payload named `name` was found, values left out (they
    /// may hold a password): `no query; a form without oJson (fields: a, b); ...`.
    pub fn searched(&self, name: &str) -> String {
        let names = |pairs: &[(String, String)]| {
            let names: Vec<String> = pairs
                .iter()
                .map(|(n, v)| match v.trim().is_empty() {
                    true => format!("{} (empty)", n.trim()),
                    false => n.trim().to_string(),
                })
                .collect();
            names.join(", ")
        };
        let query = if self.query.is_empty() {
            "no query".to_string()
        } else {
            format!(
                "a query without {name} (parameters: {})",
                names(&self.query)
            )
        };
        let body = if self.multipart {
            format!(
                "a multipart body without a file part or a field {name} (fields: {})",
                names(&self.form)
            )
        } else if !self.form.is_empty() {
            format!("a form without {name} (fields: {})", names(&self.form))
        } else {
            let body = self.raw_body.trim_start_matches('\u{feff}').trim();
            if body.is_empty() {
                "an empty body".to_string()
            } else if body.to_ascii_lowercase().contains("password") || !is_prose_or_markup(body) {
                format!(
                    "a body that is not JSON ({} characters)",
                    body.chars().count()
                )
            } else {
                let start: String = body.chars().take(20).collect();
                format!("a body that is not JSON: {start:?}")
            }
        };
        format!("{query}; {body}")
    }

    /// The raw body as the payload, when it is (or decodes to) JSON.
    fn body_payload(&self) -> Option<String> {
        // Windows tools often save the JSON with a byte-order mark in front.
        let body = self.raw_body.trim_start_matches('\u{feff}').trim();
        if body.is_empty() {
            return None;
        }
        if looks_like_json(body) {
            return Some(body.to_string());
        }
        // A form body with no name (`=[{...}]`) or the JSON percent-encoded on its own.
        let decoded = match body.strip_prefix('=') {
            Some(rest) => decode(rest),
            None => decode(body),
        };
        looks_like_json(&decoded).then_some(decoded)
    }
}

/// Whether a body that is not JSON reads as words or markup, and so can be quoted in part: a
/// single token (no space, not markup) could be the password itself, sent as the whole body.
fn is_prose_or_markup(body: &str) -> bool {
    body.starts_with('<') || body.contains(char::is_whitespace)
}

fn find(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        // Names are trimmed too: the document's own gcd sample sends `& fullConsumerCode =`.
        .filter(|(key, _)| key.trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
        .find(|value| !value.is_empty())
        .map(str::to_string)
}

fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().as_bytes().first(), Some(b'[' | b'{'))
}

/// `a=1&b=2` as ASP.NET reads it: split on `&`, then `+` is a space and `%XX` a byte (an
/// invalid escape stays as written).
fn parse_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// Text fields and the first file of a multipart body.
async fn read_multipart(
    content_type: &str,
    body: Bytes,
) -> (Vec<(String, String)>, Option<String>) {
    let mut form = Vec::new();
    let mut file = None;
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return (form, file);
    };
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        let is_file = field.file_name().is_some();
        let name = field.name().unwrap_or_default().to_string();
        let Ok(bytes) = field.bytes().await else {
            break;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if is_file {
            file.get_or_insert(text);
        } else {
            form.push((name, text));
        }
    }
    (form, file)
}

/// Parses JSON as Json.NET would: strict JSON first, then JSON5 (single quotes, unquoted
/// names, trailing commas, comments). A leading byte-order mark is skipped. Text nested more
/// than [`depth::MAX_DEPTH`] levels is not read at all: json5 recurses without a limit, and a
/// few kilobytes of `[` would overflow the stack and abort the whole server.
pub fn parse_lenient(text: &str) -> Option<Value> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if depth::too_deep(text) {
        return None;
    }
    depth::json(text).or_else(|| json5::from_str(text).ok())
}

/// A JSON object whose property names match in any case, as Json.NET binds them.
pub struct Props<'a>(pub &'a Map<String, Value>);

impl<'a> Props<'a> {
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.0
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A string or number value as trimmed text; None when absent, null or empty.
    pub fn text(&self, name: &str) -> Option<String> {
        match self.get(name)? {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn inputs(query: Option<&str>, content_type: Option<&str>, body: &str) -> Inputs {
        Inputs::read(query, content_type, &Bytes::from(body.to_string())).await
    }

    #[tokio::test]
    async fn a_non_empty_query_value_wins_and_an_empty_one_falls_back_to_the_body() {
        let both = inputs(Some("oJson=%5B1%5D"), Some("text/plain"), "[2]").await;
        assert_eq!(both.payload("ojson").as_deref(), Some("[1]"));
        let empty = inputs(Some("OJSON="), Some("application/json"), "[2]").await;
        assert_eq!(empty.payload("oJson").as_deref(), Some("[2]"));
    }

    #[tokio::test]
    async fn form_fields_nameless_forms_and_files_are_found() {
        let field = inputs(
            None,
            Some("application/x-www-form-urlencoded"),
            "oJson=%5B%7B%7D%5D",
        )
        .await;
        assert_eq!(field.payload("oJson").as_deref(), Some("[{}]"));
        let nameless = inputs(None, Some("application/x-www-form-urlencoded"), "=%5B3%5D").await;
        assert_eq!(nameless.payload("oJson").as_deref(), Some("[3]"));
        let raw_json_as_form = inputs(
            None,
            Some("application/x-www-form-urlencoded"),
            "[{\"a\":\"b&c\"}]",
        )
        .await;
        assert_eq!(
            raw_json_as_form.payload("oJson").as_deref(),
            Some("[{\"a\":\"b&c\"}]")
        );
        let body = "--Xy\r\nContent-Disposition: form-data; name=\"file\"; filename=\"orders.txt\"\r\nContent-Type: text/plain\r\n\r\n[4]\r\n--Xy--\r\n";
        let file = inputs(None, Some("multipart/form-data; boundary=Xy"), body).await;
        assert_eq!(file.payload("oJson").as_deref(), Some("[4]"));
    }

    #[tokio::test]
    async fn parameters_match_in_any_case_and_are_trimmed() {
        let get = inputs(Some("userName=+PayPro+&PASSWORD=PayProi517"), None, "").await;
        assert_eq!(get.param("username").as_deref(), Some("PayPro"));
        assert_eq!(get.param("password").as_deref(), Some("PayProi517"));
        assert_eq!(get.param("cpayId"), None);
    }

    #[test]
    fn json_is_read_as_leniently_as_json_net_reads_it() {
        let value =
            parse_lenient("[{MerchantId:'PayPro', // the user\n \"Date\":\"21\\/03\\/2020\",},]")
                .unwrap();
        let props = Props(value[0].as_object().unwrap());
        assert_eq!(props.text("merchantid").as_deref(), Some("PayPro"));
        assert_eq!(props.text("DATE").as_deref(), Some("21/03/2020"));
        let numbers = parse_lenient(r#"{"OrderAmount": 4400, "Name": "  Saim  "}"#).unwrap();
        let props = Props(numbers.as_object().unwrap());
        assert_eq!(props.text("orderamount").as_deref(), Some("4400"));
        assert_eq!(props.text("name").as_deref(), Some("Saim"));
        assert!(parse_lenient("[{\"a\": }]").is_none());
    }
}

#[cfg(test)]
mod proptests;
