//! Why an `INVALID-PARAMS` refusal: the Laravel message read back into the field it names
//! and the validation rule that failed (`required`, `digits:4`, `numeric`, `max:255`, ...),
//! with what was sent (a secret field shown as `***`).
//!
//! The message is the one the answer carries, so reading it back keeps the diagnosis and the
//! answer from ever disagreeing; a message this table does not know keeps the rule's default
//! explanation with the message as the hint.

use crate::diagnosis::Diagnosis;

/// The fields whose values never appear in a diagnosis.
pub const SECRET_FIELDS: &[&str] = &[
    "mpin",
    "old_mpin",
    "new_mpin",
    "new_mp\u{93f}\u{928}",
    "otp",
    "salt",
];

/// A value as a diagnosis may show it: a secret as `***` (with its length, which says
/// whether the digits rule could hold without saying what they were).
pub fn shown_value(name: &str, value: &str) -> String {
    if SECRET_FIELDS.contains(&name) {
        format!("*** ({} characters)", value.chars().count())
    } else {
        format!("`{value}`")
    }
}

/// What `got` says of a field that was absent (or empty, which Laravel reads as absent).
pub const ABSENT: &str = "nothing (the field was absent or empty)";

/// The message's field (as posted: `to_customer_id`), the rule that failed, and what to do.
struct Reading {
    field: Option<String>,
    rule: String,
    todo: String,
}

/// `to customer id` → `to_customer_id`: Laravel's label back to the posted name.
fn field_name(label: &str) -> String {
    label.replace(' ', "_")
}

fn read(message: &str) -> Option<Reading> {
    let body = message.strip_prefix("The ")?.strip_suffix('.')?;
    let reading = |label: &str, rule: String, todo: String| Reading {
        field: Some(field_name(label)),
        rule,
        todo,
    };
    if let Some(label) = body.strip_suffix(" field is required") {
        let todo = format!("send `{}` with a value", field_name(label));
        return Some(reading(label, "required".into(), todo));
    }
    if let Some((label, other)) = body.split_once(" field is required when ") {
        let other = field_name(other.strip_suffix(" is not present")?);
        let rule = format!("required_without:{other}");
        let todo = format!("send `{}` or `{other}`", field_name(label));
        return Some(reading(label, rule, todo));
    }
    if let Some(label) = body.strip_suffix(" field contains an invalid number") {
        let todo = "send a 10-digit Indian mobile number starting 6-9".into();
        return Some(reading(label, "phone:IN".into(), todo));
    }
    if let Some(label) = body.strip_prefix("selected ") {
        let label = label.strip_suffix(" is invalid")?;
        let todo = "send one of the values that exist for this merchant".into();
        return Some(reading(label, "exists (in)".into(), todo));
    }
    if let Some(label) = body.strip_suffix(" has already been taken") {
        let todo = "send a value this merchant has not used yet".into();
        return Some(reading(label, "unique".into(), todo));
    }
    if let Some(rest) = body.strip_suffix(" must be different")
        && let Some((label, other)) = rest.split_once(" and ")
    {
        let rule = format!("different:{}", field_name(other));
        return Some(reading(label, rule, "send two different values".into()));
    }
    if let Some(label) = body.strip_suffix(" format is invalid") {
        let todo =
            "send the format the document gives (an IFSC: 4 letters, 0, 6 letters or digits)";
        return Some(reading(label, "regex".into(), todo.into()));
    }
    if let Some(label) = body.strip_suffix(" does not match the format Y-m-d") {
        let todo = "send the date as YYYY-MM-DD".into();
        return Some(reading(label, "date_format:Y-m-d".into(), todo));
    }
    if let Some((label, limit)) = body.split_once(" may not be greater than ") {
        return Some(match limit.strip_suffix(" characters") {
            Some(max) => reading(
                label,
                format!("max:{max}"),
                format!("send at most {max} characters"),
            ),
            None => reading(
                label,
                format!("max:{limit}"),
                format!("send at most {limit}"),
            ),
        });
    }
    if let Some((label, what)) = body.split_once(" must ") {
        let (rule, todo) = must(what)?;
        return Some(reading(label, rule, todo));
    }
    None
}

/// The rule of a `The <field> must …` message.
fn must(what: &str) -> Option<(String, String)> {
    let fixed = |rule: &str, todo: &str| Some((rule.to_string(), todo.to_string()));
    match what {
        "be a number" => fixed("numeric", "send a number such as 10.50"),
        "be greater than 0" => fixed("gt:0", "send an amount above zero"),
        "have 0-2 decimal places" => fixed("decimal:0,2", "send at most two decimals"),
        "be a valid email address" => fixed("email", "send an address such as a@b.in"),
        "be an integer" => fixed("integer", "send a whole number"),
        "be a string" => fixed("string", "send text, not a JSON array or object"),
        _ => {
            if let Some((low, high)) = what
                .strip_prefix("be between ")
                .and_then(|w| w.strip_suffix(" digits"))
                .and_then(|w| w.split_once(" and "))
            {
                let todo = format!("send {low} to {high} digits");
                return Some((format!("digits_between:{low},{high}"), todo));
            }
            if let Some(count) = what
                .strip_prefix("be ")
                .and_then(|w| w.strip_suffix(" digits"))
            {
                return Some((
                    format!("digits:{count}"),
                    format!("send exactly {count} digits"),
                ));
            }
            let min = what.strip_prefix("be at least ")?;
            Some((format!("min:{min}"), format!("send at least {min}")))
        }
    }
}

/// `diagnosis` (the INVALID-PARAMS rule's) with what a Laravel message says: field, rule
/// (`expected`) and the message in the hint.
pub fn explain(diagnosis: Diagnosis, message: &str) -> Diagnosis {
    match read(message) {
        Some(reading) => {
            let diagnosis = diagnosis
                .expected(reading.rule)
                .hint(format!("Laravel says `{message}`: {}.", reading.todo));
            match reading.field {
                Some(field) => diagnosis.field(field),
                None => diagnosis,
            }
        }
        None => diagnosis.hint(format!("Laravel says `{message}`: fix what it names.")),
    }
}

/// [`explain`] for a message about the value `value` posted as `name`.
pub fn explain_value(
    diagnosis: Diagnosis,
    message: &str,
    name: &str,
    value: Option<&str>,
) -> Diagnosis {
    let got = value.map_or_else(|| ABSENT.to_string(), |v| shown_value(name, v));
    explain(diagnosis, message).field(name).got(got)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::Rule;

    const RULE: Rule = Rule {
        id: "test.params.invalid",
        code: "INVALID-PARAMS",
        doc: "",
        summary: "",
        hint: "",
    };

    #[test]
    fn messages_are_read_back_into_field_and_rule() {
        let cases = [
            ("The mpin field is required.", "mpin", "required"),
            ("The new mpin must be 4 digits.", "new_mpin", "digits:4"),
            ("The amount must be a number.", "amount", "numeric"),
            (
                "The amount must have 0-2 decimal places.",
                "amount",
                "decimal:0,2",
            ),
            (
                "The first name may not be greater than 255 characters.",
                "first_name",
                "max:255",
            ),
            (
                "The page size may not be greater than 100.",
                "page_size",
                "max:100",
            ),
            ("The page size must be at least 1.", "page_size", "min:1"),
            (
                "The selected to customer id is invalid.",
                "to_customer_id",
                "exists (in)",
            ),
            (
                "The merchant transaction id has already been taken.",
                "merchant_transaction_id",
                "unique",
            ),
            (
                "The new mpin and old mpin must be different.",
                "new_mpin",
                "different:old_mpin",
            ),
            (
                "The mobile number field is required when customer id is not present.",
                "mobile_number",
                "required_without:customer_id",
            ),
            (
                "The date of birth does not match the format Y-m-d.",
                "date_of_birth",
                "date_format:Y-m-d",
            ),
        ];
        for (message, field, rule) in cases {
            let diagnosis = explain(RULE.diagnose(), message);
            assert_eq!(diagnosis.field.as_deref(), Some(field), "{message}");
            assert_eq!(diagnosis.expected.as_deref(), Some(rule), "{message}");
            assert!(diagnosis.hint.contains(message), "{message}");
        }
    }

    #[test]
    fn secret_values_are_masked() {
        let diagnosis = explain_value(
            RULE.diagnose(),
            "The mpin must be 4 digits.",
            "mpin",
            Some("123"),
        );
        assert_eq!(diagnosis.got.as_deref(), Some("*** (3 characters)"));
        let diagnosis = explain_value(
            RULE.diagnose(),
            "The amount must be a number.",
            "amount",
            Some("ten"),
        );
        assert_eq!(diagnosis.got.as_deref(), Some("`ten`"));
    }
}
