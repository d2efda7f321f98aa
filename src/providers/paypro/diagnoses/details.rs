//! The detail of a diagnosis only a handler knows: which user name a misspelled one is close
//! to, where the payload was looked for and what each place held, the value and accepted
//! forms of a refused date or amount, which order's state refused a change.

use super::*;

/// The names an endpoint reads the credentials by.
pub fn credential_fields(service: &str) -> (&'static str, &'static str) {
    match service {
        "co" | "cmo" | "cc" | "cmc" | "uc" | "umc" => ("MerchantId", "MerchantPassword"),
        "moap" | "moab" | "mofr" => ("Username", "Password"),
        "gpojson" => ("username", "password"),
        _ => ("userName", "password"),
    }
}

/// No merchant has `username` (shown: a user name is no secret).
pub fn unknown_user(service: &str, username: &str) -> Diagnosis {
    UNKNOWN_USER
        .diagnose()
        .field(credential_fields(service).0)
        .got(username.to_string())
}

/// The merchant exists; its password is not the one sent (neither is shown).
pub fn wrong_password(service: &str) -> Diagnosis {
    WRONG_PASSWORD
        .diagnose()
        .field(credential_fields(service).1)
        .expected("***")
        .got("***")
}

/// No payload named `field` in any place looked; `found` says what each place held.
pub fn payload_not_found(field: &str, found: &str) -> Diagnosis {
    PAYLOAD_NOT_FOUND
        .diagnose()
        .field(field.to_string())
        .expected(format!(
            "JSON in the query parameter {field}, a form field {field}, the raw body or a multipart file part"
        ))
        .got(found.to_string())
        .hint(format!(
            "Put the JSON in `{field}` (query or form), as the raw body, or as a multipart file part."
        ))
}

/// The payload named `field` was found (`place`) but is not the JSON the endpoint reads.
pub fn payload_unreadable(field: &str, place: &str, wanted: &str) -> Diagnosis {
    PAYLOAD_INVALID_FORMAT
        .diagnose()
        .field(field.to_string())
        .expected(wanted.to_string())
        .got(format!("found in {place}, but it is not {wanted}"))
}

/// A date refused: the field, its accepted formats, what was sent.
pub fn bad_date(field: &str, got: &str) -> Diagnosis {
    let accepted = if matches!(field, "startDate" | "endDate") {
        QUERY_DATES
    } else {
        ORDER_DATES
    };
    let got = if got.trim().is_empty() {
        "nothing".to_string()
    } else {
        got.to_string()
    };
    DATE_FORMAT
        .diagnose()
        .field(field.to_string())
        .expected(accepted)
        .got(got.clone())
        .hint(format!(
            "{field} is {got:?}: write it as {accepted} (a real calendar day)."
        ))
}

/// An amount refused: the field, its accepted form and the merchant's limits.
pub fn bad_amount(field: &str, got: &str, min: &str, max: &str) -> Diagnosis {
    AMOUNT_OUT_OF_LIMITS
        .diagnose()
        .field(field.to_string())
        .expected(format!(
            "a positive decimal(18,2) (digits, up to 2 decimals, no thousands separator) from {min} to {max}"
        ))
        .got(got.to_string())
        .hint(format!(
            "{field} is {got:?}: send digits with up to 2 decimals, between the merchant's minimum {min} and maximum {max}."
        ))
}

/// A user name no merchant has, close to `known` (a user name is no secret).
pub fn misspelled_user(service: &str, username: &str, known: &str) -> Diagnosis {
    MISSPELLED_USER
        .diagnose()
        .field(credential_fields(service).0)
        .expected(known.to_string())
        .got(username.to_string())
        .hint(format!(
            "No merchant is called {username:?}: did you mean {known:?}?"
        ))
}

/// The state an order needs for the change an endpoint makes.
fn needed(endpoint: &str) -> &'static str {
    if endpoint == "mofr" { "Paid" } else { "Unpaid" }
}

/// moap/moab/mofr refused order `number` in `state` (`Paid`, `Blocked`, `Already Refunded`,
/// `Not Found`).
pub fn state_refused(endpoint: &str, number: &str, state: &str) -> Diagnosis {
    let allowed = needed(endpoint);
    STATE_REFUSED
        .diagnose()
        .field("CsvOrderNumbers")
        .expected(format!("order {number} in state {allowed}"))
        .got(format!("order {number} is {state}"))
        .hint(format!(
            "Order {number} is {state}; {endpoint} needs an {allowed} order. Nothing was changed: query it with gos, then send only {allowed} orders."
        ))
}

/// mofr's refund amount for `number` is not a positive decimal(18,2) up to the amount paid.
pub fn refund_amount_invalid(number: &str, got: &str) -> Diagnosis {
    REFUND_AMOUNT_INVALID
        .diagnose()
        .field("CsvOrderNumbers")
        .expected(format!(
            "a refund for order {number} as a positive decimal(18,2), at most the amount paid"
        ))
        .got(got.to_string())
        .hint(format!(
            "The refund amount of order {number} is {got:?}: send digits with up to 2 decimals, more than 0 and at most the amount paid."
        ))
}
