//! Properties of PayPro's input finding and lenient JSON reading: garbage never panics,
//! nesting is read to exactly [`depth::MAX_DEPTH`] levels, and what a client puts in any
//! channel (query, form, multipart field or file, raw body) is what the payload is.

use super::*;
use futures_util::FutureExt;
use proptest::prelude::*;

fn read(query: Option<&str>, content_type: Option<&str>, body: Vec<u8>) -> Inputs {
    // The whole body is in memory: reading it completes on the first poll.
    Inputs::read(query, content_type, &Bytes::from(body))
        .now_or_never()
        .expect("read without waiting")
}

/// `levels` of an opening shape around `1`, closed again when `close` is given.
fn nested(open: &str, close: Option<&str>, levels: usize) -> String {
    let closing = close.map(|c| c.repeat(levels)).unwrap_or_default();
    format!("{}1{}", open.repeat(levels), closing)
}

/// Opening and closing shapes of JSON and JSON5 nesting.
const SHAPES: [(&str, &str); 4] = [("[", "]"), ("{a:", "}"), ("{\"a\":", "}"), ("{'a':", "}")];
/// Pieces of deep garbage: openings, comments and white space.
const GARBAGE: [&str; 7] = ["[", "{a:", "{\"a\":", "[{'a':", "//\n", "/**/", " "];

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("application/json".to_string())),
        Just(Some("text/plain".to_string())),
        Just(Some("application/x-www-form-urlencoded".to_string())),
        Just(Some("multipart/form-data; boundary=Xy".to_string())),
        Just(Some("multipart/form-data".to_string())),
        ".{0,40}".prop_map(Some),
    ]
}

/// Text made mostly of the characters JSON, JSON5, forms and multipart give meaning to.
fn tricky() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r#"([\[\]{}"',:/*\\=&%+\r\n-]|--Xy|a|1| ){0,200}"#).unwrap()
}

/// Text safe as a multipart value or a JSON string: no line breaks, no boundary.
fn plain() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 .,{}\\[\\]:'éü日]{1,30}".prop_map(|s| s.trim().to_string())
}

fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        tricky().prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..300),
    ]
}

fn encoded(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");
const MULTIPART: Option<&str> = Some("multipart/form-data; boundary=Xy");

/// A multipart body of one part: `disposition` (after `form-data; `), then `text`.
fn one_part(disposition: &str, text: &str) -> Vec<u8> {
    format!("--Xy\r\nContent-Disposition: form-data; {disposition}\r\n\r\n{text}\r\n--Xy--\r\n")
        .into_bytes()
}

proptest! {
    #[test]
    fn any_input_is_read_without_panic(
        query in proptest::option::of(tricky()),
        content_type in content_type(),
        body in any_body(),
    ) {
        let inputs = read(query.as_deref(), content_type.as_deref(), body);
        for name in ["oJson", "csvOrders"] {
            if let Some(payload) = inputs.payload(name) {
                let _ = parse_lenient(&payload);
            }
        }
        let _ = inputs.param("userName");
    }

    #[test]
    fn lenient_json_reads_nesting_to_the_limit_and_no_deeper(
        levels in 0usize..400,
        shape in prop::sample::select(SHAPES.to_vec()),
        closed in any::<bool>(),
    ) {
        let text = nested(shape.0, closed.then_some(shape.1), levels);
        let expected = (closed || levels == 0) && levels <= depth::MAX_DEPTH;
        prop_assert_eq!(parse_lenient(&text).is_some(), expected, "{}", levels);
    }

    #[test]
    fn deep_garbage_is_refused_without_overflow(
        units in prop::collection::vec(prop::sample::select(GARBAGE.to_vec()), 0..64),
        repeat in 1usize..4000,
    ) {
        let text = units.concat().repeat(repeat);
        let value = parse_lenient(&text);
        prop_assert!(value.is_none() || depth::depth(&text) <= depth::MAX_DEPTH);
    }

    #[test]
    fn the_payload_is_what_the_client_put_in_any_channel(value in plain(), channel in 0..5) {
        let text = format!("[{{\"v\":{}}}]", serde_json::to_string(&value).unwrap());
        let field = format!("oJson={}", encoded(&text));
        let inputs = match channel {
            0 => read(Some(&field), None, Vec::new()),
            1 => read(None, FORM, field.into_bytes()),
            2 => read(None, MULTIPART, one_part("name=\"oJson\"", &text)),
            3 => read(None, MULTIPART, one_part("name=\"f\"; filename=\"o.json\"", &text)),
            _ => read(None, Some("application/json"), text.clone().into_bytes()),
        };
        let payload = inputs.payload("oJson");
        prop_assert_eq!(payload.as_deref(), Some(text.as_str()));
        let parsed = parse_lenient(&text).expect("valid JSON");
        let v = Props(parsed[0].as_object().unwrap()).text("V");
        prop_assert_eq!(v, Some(value).filter(|v| !v.is_empty()));
    }

    #[test]
    fn parameters_survive_any_encoding(name in "[a-zA-Z]{1,10}", value in plain()) {
        let pair = format!("{name}={}", encoded(&value));
        let from_query = read(Some(&pair), None, Vec::new());
        let from_form = read(None, FORM, pair.into_bytes());
        let expected = Some(value.trim().to_string()).filter(|v| !v.is_empty());
        prop_assert_eq!(from_query.param(&name.to_uppercase()), expected.clone());
        prop_assert_eq!(from_form.param(&name.to_lowercase()), expected);
    }
}
