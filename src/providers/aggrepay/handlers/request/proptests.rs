//! Properties of AggrePay's body reading: garbage never panics, JSON is read to exactly
//! [`depth::MAX_DEPTH`] levels and refused (not read as empty) past it, and form, multipart
//! and JSON fields come back trimmed as they were sent.

use super::*;
use proptest::prelude::*;

/// A JSON object whose member `x` nests the whole body to `levels` (the object is level 1).
fn object_of_depth(levels: usize) -> String {
    let inner = levels.saturating_sub(1);
    format!(
        r#"{{"api_key":"k","x":{}1{}}}"#,
        "[".repeat(inner),
        "]".repeat(inner)
    )
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("application/json".to_string())),
        Just(Some("application/x-www-form-urlencoded".to_string())),
        Just(Some("multipart/form-data; boundary=XyZ".to_string())),
        Just(Some("multipart/form-data".to_string())),
        ".{0,40}".prop_map(Some),
    ]
}

fn tricky() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::string::string_regex(
            r#"([\[\]{}"',:\\=&%+\r\n]|--XyZ|Content-Disposition: form-data; name="a"|1| ){0,200}"#
        )
        .unwrap()
        .prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..300),
    ]
}

/// Field names and values as the three encodings carry them.
fn fields() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map("[a-z_]{1,10}", "[a-zA-Z0-9 .@+/-]{0,20}", 0..6)
        .prop_map(|fields| fields.into_iter().collect())
}

fn multipart(fields: &[(String, String)]) -> Bytes {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str("--XyZ--\r\n");
    Bytes::from(body)
}

/// What every encoding must give back: the trimmed value, or None when it is empty.
fn assert_read(read: &Fields, sent: &[(String, String)]) -> Result<(), TestCaseError> {
    for (name, value) in sent {
        let expected = Some(value.trim()).filter(|v| !v.is_empty());
        prop_assert_eq!(read.get(name), expected, "{}", name);
    }
    prop_assert!(!read.too_deep());
    Ok(())
}

proptest! {
    #[test]
    fn any_body_is_read_without_panic(content_type in content_type(), body in tricky()) {
        let read = Fields::read(content_type.as_deref(), &Bytes::from(body));
        let _ = (read.get("api_key"), read.first_not_text(), read.pairs(), read.too_deep());
    }

    #[test]
    fn a_json_body_is_read_to_the_limit_and_refused_past_it(levels in 2usize..300) {
        let read = Fields::read(Some("application/json"), &Bytes::from(object_of_depth(levels)));
        let within = levels <= depth::MAX_DEPTH;
        prop_assert_eq!(read.too_deep(), !within, "{}", levels);
        prop_assert_eq!(read.get("api_key"), within.then_some("k"), "{}", levels);
        prop_assert_eq!(read.first_not_text(), within.then_some("x"));
    }

    #[test]
    fn form_fields_come_back_trimmed(sent in fields()) {
        let body = serde_urlencoded::to_string(&sent).unwrap();
        assert_read(&Fields::read(None, &Bytes::from(body)), &sent)?;
    }

    #[test]
    fn multipart_fields_come_back_trimmed(sent in fields()) {
        let read = Fields::read(Some("multipart/form-data; boundary=XyZ"), &multipart(&sent));
        assert_read(&read, &sent)?;
    }

    #[test]
    fn json_fields_come_back_trimmed(sent in fields()) {
        let object: serde_json::Map<String, Value> = sent
            .iter()
            .map(|(name, value)| (name.clone(), Value::String(value.clone())))
            .collect();
        let body = Bytes::from(Value::Object(object).to_string());
        assert_read(&Fields::read(Some("application/json"), &body), &sent)?;
    }
}
