//! PHP's `json_encode` with default flags, so that a response survives the document's own
//! `responseHashCheck`: decode, unset `hash`, encode again, hash, compare. That works only if
//! the body is already in the form PHP writes: no white space, `/` as `\/`, every non-ASCII
//! character as a lower-case `\uXXXX` escape (surrogate pairs above U+FFFF), whole numbers
//! without a fraction, and never an empty object (PHP re-encodes `{}` as `[]`).

use serde_json::Value;
use std::fmt::Write;

pub fn encode(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("[]"),
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn write_number(out: &mut String, n: &serde_json::Number) {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => {
            let _ = write!(out, "{}", f as i64);
        }
        _ => {
            let _ = write!(out, "{n}");
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slashes_and_non_ascii_are_escaped_as_php_does() {
        assert_eq!(
            encode(&json!({"description": "a/b é 日 😀"})),
            r#"{"description":"a\/b \u00e9 \u65e5 \ud83d\ude00"}"#
        );
    }

    #[test]
    fn whole_floats_lose_their_fraction_and_empty_objects_become_arrays() {
        assert_eq!(
            encode(&json!({"balance": 80.0, "b": 40.5, "n": 7})),
            r#"{"balance":80,"b":40.5,"n":7}"#
        );
        assert_eq!(
            encode(&json!({"data": {}, "list": []})),
            r#"{"data":[],"list":[]}"#
        );
    }

    #[test]
    fn control_characters_use_short_escapes_or_unicode() {
        assert_eq!(encode(&json!("a\nb\t\u{1}\"\\")), r#""a\nb\t\u0001\"\\""#);
    }
}
