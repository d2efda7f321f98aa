//! The consumer fields' rules (sections 8.0 to 11.0): a `ConsumerID` of digits, the text
//! fields' String(1000), each failure `01` `Invalid Data. ...`.

use super::{MAX_CONSUMERS, MAX_FIELD};
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::store::consumers::Fields;
use crate::providers::paypro::wire::{ConsumerRequest, Field};
use serde_json::Value;

/// `01` `Invalid Data. <what>`.
pub fn invalid_consumer(what: &str) -> Failure {
    Failure::new(Code::Rejected, format!("Invalid Data. {what}"))
}

use invalid_consumer as invalid;

/// A text field: None when absent, null or empty; an array or object is invalid; at most
/// `max` characters.
fn text_field(field: &Field, name: &str, max: usize) -> Result<Option<String>, Failure> {
    match field {
        Field::Structured => Err(invalid(&format!("{name} is invalid"))),
        Field::Text(text) if text.chars().count() > max => {
            Err(invalid(&format!("{name} length is invalid")))
        }
        other => Ok(other.text()),
    }
}

/// `ConsumerID` as text: present, and at most `max_digits` ASCII digits.
fn consumer_id_field(field: &Field, max_digits: usize) -> Result<String, Failure> {
    let id = text_field(field, "ConsumerID", usize::MAX)?
        .ok_or_else(|| invalid("ConsumerID is not provided"))?;
    if id.len() > max_digits || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("ConsumerID is invalid"));
    }
    Ok(id)
}

/// One element's ConsumerID and fields, checked in the documented order.
pub fn read_consumer(
    consumer: &ConsumerRequest,
    creating: bool,
) -> Result<(String, Fields), Failure> {
    let max_digits = if creating { 16 } else { 20 };
    let consumer_id = consumer_id_field(&consumer.consumer_id, max_digits)?;
    let name = text_field(&consumer.name, "Name", MAX_FIELD)?;
    if creating && name.is_none() {
        return Err(invalid("Name is not provided"));
    }
    let fields = Fields {
        name,
        mobile: text_field(&consumer.mobile, "Mobile", MAX_FIELD)?,
        email: text_field(&consumer.email, "Email", MAX_FIELD)?,
        address: text_field(&consumer.address, "Address", MAX_FIELD)?,
    };
    Ok((consumer_id, fields))
}

/// The ConsumerID in `gcd`'s full consumer code: the company code, then 1 to 16 digits.
pub fn consumer_code<'a>(full: &'a str, company_code: &str) -> Option<&'a str> {
    full.strip_prefix(company_code)
        .filter(|rest| (1..=16).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// One consumer element: its ConsumerID as sent, and its ConsumerID and fields as read.
pub type ConsumerElement = (String, Result<(String, Fields), Failure>);

/// The consumer elements, when their number and kind fit the service (`cc`/`uc`: `single`),
/// each read with [`read_consumer`].
pub fn consumer_elements(
    elements: Vec<Value>,
    single: bool,
    creating: bool,
) -> Result<Vec<ConsumerElement>, Failure> {
    if !single && elements.len() > MAX_CONSUMERS {
        return Err(invalid(&format!(
            "Maximum {MAX_CONSUMERS} consumers are allowed in one request"
        )));
    }
    if elements.is_empty()
        || (single && elements.len() != 1)
        || !elements.iter().all(Value::is_object)
    {
        return Err(Failure::invalid_format());
    }
    let read = |element: Value| {
        let consumer: ConsumerRequest =
            serde_json::from_value(element).map_err(|_| Failure::invalid_format())?;
        let sent = consumer.consumer_id.text().unwrap_or_default();
        Ok((sent, read_consumer(&consumer, creating)))
    };
    elements.into_iter().map(read).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> ConsumerRequest {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn consumer_ids_are_digits_and_numbers_are_read_as_text() {
        let map = object(json!({"consumerid": 123456780, "name": " Usman "}));
        let (id, fields) = read_consumer(&map, true).unwrap();
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
            let failure = read_consumer(&map, true).unwrap_err();
            assert_eq!(failure, invalid("ConsumerID is invalid"), "{bad}");
        }
        let full = object(json!({"ConsumerID": "00441234567890123456"}));
        assert!(read_consumer(&full, false).is_ok());
    }

    #[test]
    fn fields_are_checked_in_order() {
        let check = |value: Value, creating: bool| {
            read_consumer(&object(value), creating)
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
        assert_eq!(read_consumer(&fine, false).unwrap().1, Fields::default());
    }
}
