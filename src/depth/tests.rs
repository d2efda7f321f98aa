use super::*;
use proptest::prelude::*;
use serde_json::Value;

/// `levels` of `open` closed again by as many `close`.
fn nested(open: &str, close: &str, levels: usize) -> String {
    format!("{}{}", open.repeat(levels), close.repeat(levels))
}

/// The nesting of a value as the module counts it.
fn levels(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(levels).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(levels).max().unwrap_or(0),
        _ => 0,
    }
}

/// Strings full of the characters the scan must not take for structure.
fn tricky_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r#"[\[\]{}"'\\/*a\n\u{2028} ]{0,8}"#).unwrap()
}

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        tricky_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(12, 64, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z]{1,3}", inner), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// `value` as a JSON5 writer might put it: unquoted names, single-quoted strings, and a
/// comment full of brackets after every value.
fn json5_text(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for item in items {
                json5_text(item, out);
                out.push_str(", ");
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (name, item) in map {
                out.push_str(name);
                out.push(':');
                json5_text(item, out);
                out.push_str(",\n");
            }
            out.push('}');
        }
        Value::String(text) => {
            out.push('\'');
            for c in text.chars() {
                match c {
                    '\'' | '\\' => out.extend(['\\', c]),
                    '\n' => out.push_str("\\n"),
                    '\u{2028}' => out.push_str("\\u2028"),
                    c => out.push(c),
                }
            }
            out.push('\'');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
    out.push_str(" /* [{ */ // ]]}}\u{2028}");
}

#[test]
fn the_limit_is_read_and_one_more_is_refused() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}"), ("{a:", "}"), ("[{'a':", "}]")] {
        let at_limit = nested(open, close, MAX_DEPTH / open.matches(['[', '{']).count());
        assert!(!too_deep(&at_limit), "{open}");
        assert_eq!(depth(&at_limit), MAX_DEPTH);
    }
    assert!(too_deep(nested("[", "]", MAX_DEPTH + 1)));
    assert!(too_deep("[".repeat(MAX_DEPTH + 1)));
    assert_eq!(depth("[".repeat(1 << 20)), 1 << 20);
}

#[test]
fn json_reads_up_to_the_limit_where_serde_json_alone_stops_one_short() {
    let deepest = nested("[", "]", MAX_DEPTH);
    assert!(serde_json::from_str::<Value>(&deepest).is_err());
    assert_eq!(levels(&json::<Value>(&deepest).unwrap()), MAX_DEPTH);
    assert!(json::<Value>(nested("[", "]", MAX_DEPTH + 1)).is_none());
    assert!(json::<Value>("[1] x").is_none(), "trailing characters");
    assert!(json::<Value>("[1] \n").is_some());
}

#[test]
fn strings_and_comments_hide_brackets() {
    assert_eq!(depth(r#"["[[[", '{{', "\"[", '\'{']"#), 1);
    assert_eq!(depth("[// [[[\n1, /* {{{ */ 2]"), 1);
    assert_eq!(depth("[// [[[\r[]]"), 2);
    assert_eq!(depth("[// [[[\u{2028}[]]"), 2);
    assert_eq!(depth("]]]]["), 1, "closing never goes below zero");
    assert_eq!(depth("\"[[[[ unterminated"), 0);
    assert_eq!(depth("12"), 0);
}

proptest! {
    #[test]
    fn any_bytes_are_scanned_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        prop_assert_eq!(too_deep(&bytes), depth(&bytes) > MAX_DEPTH);
        prop_assert!(depth(&bytes) <= bytes.len());
        let _ = json::<Value>(&bytes);
    }

    #[test]
    fn the_count_is_the_nesting_of_the_json_written(value in any_value()) {
        let compact = value.to_string();
        prop_assert_eq!(depth(&compact), levels(&value));
        prop_assert_eq!(depth(serde_json::to_string_pretty(&value).unwrap()), levels(&value));
        prop_assert_eq!(json::<Value>(&compact), Some(value));
    }

    #[test]
    fn the_count_is_the_nesting_json5_reads(value in any_value()) {
        let mut text = String::new();
        json5_text(&value, &mut text);
        prop_assert_eq!(depth(&text), levels(&value));
        prop_assert_eq!(json5::from_str::<Value>(&text).ok(), Some(value));
    }

    #[test]
    fn json_refuses_exactly_past_the_limit(levels in 0usize..400, object in any::<bool>()) {
        let open = if object { "{\"a\":" } else { "[" };
        let close = if object { "}" } else { "]" };
        let text = format!("{}1{}", open.repeat(levels), close.repeat(levels));
        prop_assert_eq!(json::<Value>(&text).is_some(), levels <= MAX_DEPTH);
    }
}
