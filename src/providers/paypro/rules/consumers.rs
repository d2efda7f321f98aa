//! The consumer fields' rules (sections 8.0 to 11.0): a `ConsumerID` of digits, the text
//! fields' String(1000), each failure `01` `Invalid Data. ...`.

use super::MAX_FIELD;
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::payload::Props;
use crate::providers::paypro::store::consumers::Fields;
use serde_json::Value;

/// `01` `Invalid Data. <what>`.
pub fn invalid_consumer(what: &str) -> Failure {
    Failure::new(Code::Rejected, format!("Invalid Data. {what}"))
}

use invalid_consumer as invalid;

/// A text field: None when absent, null or empty; an array or object is invalid; at most
/// `max` characters.
fn text_field(props: &Props, name: &str, max: usize) -> Result<Option<String>, Failure> {
    if matches!(props.get(name), Some(Value::Array(_) | Value::Object(_))) {
        return Err(invalid(&format!("{name} is invalid")));
    }
    match props.text(name) {
        Some(text) if text.chars().count() > max => {
            Err(invalid(&format!("{name} length is invalid")))
        }
        other => Ok(other),
    }
}

/// `ConsumerID` as text: present, and at most `max_digits` ASCII digits.
fn consumer_id_field(props: &Props, max_digits: usize) -> Result<String, Failure> {
    let id = text_field(props, "ConsumerID", usize::MAX)?
        .ok_or_else(|| invalid("ConsumerID is not provided"))?;
    if id.len() > max_digits || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("ConsumerID is invalid"));
    }
    Ok(id)
}

/// One element's ConsumerID and fields, checked in the documented order.
pub fn read_consumer(props: &Props, creating: bool) -> Result<(String, Fields), Failure> {
    let consumer_id = consumer_id_field(props, if creating { 16 } else { 20 })?;
    let name = text_field(props, "Name", MAX_FIELD)?;
    if creating && name.is_none() {
        return Err(invalid("Name is not provided"));
    }
    let fields = Fields {
        name,
        mobile: text_field(props, "Mobile", MAX_FIELD)?,
        email: text_field(props, "Email", MAX_FIELD)?,
        address: text_field(props, "Address", MAX_FIELD)?,
    };
    Ok((consumer_id, fields))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, json};

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn consumer_ids_are_digits_and_numbers_are_read_as_text() {
        let map = object(json!({"consumerid": 123456780, "name": " Usman "}));
        let (id, fields) = read_consumer(&Props(&map), true).unwrap();
        assert_eq!(id, "123456780");
        assert_eq!(fields.name.as_deref(), Some("Usman"));
        for bad in [
            json!("12345678901234567"),
            json!(-5),
            json!("12a"),
            json!(1.5),
            json!("١٢٣"),
        ] {
            let map = object(json!({"ConsumerID": bad, "Name": "x"}));
            let failure = read_consumer(&Props(&map), true).unwrap_err();
            assert_eq!(failure, invalid("ConsumerID is invalid"), "{bad}");
        }
        let full = object(json!({"ConsumerID": "00441234567890123456"}));
        assert!(read_consumer(&Props(&full), false).is_ok());
    }

    #[test]
    fn fields_are_checked_in_order() {
        let check = |value: Value, creating: bool| {
            read_consumer(&Props(&object(value)), creating)
                .unwrap_err()
                .description
        };
        assert_eq!(
            check(json!({"Name": "x"}), true),
            "Invalid Data. ConsumerID is not provided"
        );
        assert_eq!(
            check(json!({"ConsumerID": "1"}), true),
            "Invalid Data. Name is not provided"
        );
        let long = "x".repeat(1001);
        assert_eq!(
            check(json!({"ConsumerID": "1", "Name": "x", "Email": long}), true),
            "Invalid Data. Email length is invalid"
        );
        assert_eq!(
            check(json!({"ConsumerID": "1", "Address": ["x"]}), false),
            "Invalid Data. Address is invalid"
        );
        let fine = object(json!({"ConsumerID": "1", "Name": "", "Mobile": null}));
        assert_eq!(
            read_consumer(&Props(&fine), false).unwrap().1,
            Fields::default()
        );
    }
}
