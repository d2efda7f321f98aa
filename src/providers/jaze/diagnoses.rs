//! Why Jaze refused a request: the catalogue of its rules (`GET /__sandbox/rules`), the
//! diagnosis each refusal carries in the journal, and builders that add the detail a
//! handler knows (which header, which date).
//!
//! The document lists no error codes; the codes (`401`, `400`, `404`, `500`) and messages are
//! the project spec's (`jaze.md`, "Requests").

use crate::diagnosis::{Diagnosis, Rule};

const AUTH_DOC: &str = "jaze.md: Requests (HTTP Basic: API Token / API Key)";
const DATE_DOC: &str = "Section S: Input (Date Format yyyy-mm-dd)";
const DATE_FORMAT: &str = "yyyy-mm-dd";

pub const AUTH_UNAUTHORIZED: Rule = Rule {
    id: "jaze.auth.unauthorized",
    code: "401",
    doc: AUTH_DOC,
    summary: "The HTTP Basic credentials are missing or wrong (the general rule: a diagnosis names one of the four below).",
    hint: "Send `Authorization: Basic base64(<API Token>:<API Key>)` with the account's token and key.",
};

pub const AUTH_NO_HEADER: Rule = Rule {
    id: "jaze.auth.no_header",
    code: "401",
    doc: AUTH_DOC,
    summary: "The request has no `Authorization` header.",
    hint: "Add `Authorization: Basic base64(<API Token>:<API Key>)`; Jaze reads credentials only from it.",
};

pub const AUTH_NOT_BASIC: Rule = Rule {
    id: "jaze.auth.not_basic",
    code: "401",
    doc: AUTH_DOC,
    summary: "`Authorization` is not HTTP Basic with base64 of `token:key`.",
    hint: "Use the Basic scheme: `Basic ` then base64 of `<API Token>:<API Key>` (a colon between).",
};

pub const AUTH_UNKNOWN_TOKEN: Rule = Rule {
    id: "jaze.auth.unknown_token",
    code: "401",
    doc: AUTH_DOC,
    summary: "The Basic user name is no account's API Token.",
    hint: "Put the account's API Token (not its key) as the Basic user name; see the fixtures' `jaze` accounts.",
};

pub const AUTH_WRONG_KEY: Rule = Rule {
    id: "jaze.auth.wrong_key",
    code: "401",
    doc: AUTH_DOC,
    summary: "The API Token names an account, but the Basic password is not its API Key.",
    hint: "Put that account's API Key as the Basic password.",
};

pub const DATE_FORMAT_INVALID: Rule = Rule {
    id: "jaze.date.format",
    code: "400",
    doc: DATE_DOC,
    summary: "A date is not a calendar day written yyyy-mm-dd.",
    hint: "Write dates as yyyy-mm-dd (e.g. 2016-03-23), in the path or as ?fromDate=&toDate=.",
};

pub const DATE_MISSING: Rule = Rule {
    id: "jaze.date.missing",
    code: "400",
    doc: DATE_DOC,
    summary: "The endpoint needs fromDate and toDate, and one is absent.",
    hint: "Send both dates, as path segments `/{fromDate}/{toDate}` or ?fromDate=&toDate=.",
};

pub const DATE_RANGE: Rule = Rule {
    id: "jaze.date.range",
    code: "400",
    doc: DATE_DOC,
    summary: "fromDate is after toDate.",
    hint: "Swap the dates: fromDate must be on or before toDate (both inclusive).",
};

pub const USER_ID_MISSING: Rule = Rule {
    id: "jaze.user_id.missing",
    code: "400",
    doc: "Section S: Input (userId, Mandatory)",
    summary: "The endpoint needs a userId and none was sent.",
    hint: "Add the numeric userId as the first path segment after the endpoint (or ?userId=).",
};

pub const ID_NOT_NUMERIC: Rule = Rule {
    id: "jaze.id.not_numeric",
    code: "400",
    doc: "Section S: Input (Numeric < Id of the user>)",
    summary: "A userId or paymentId is not a decimal number.",
    hint: "Send ids as digits only (no sign, point or spaces).",
};

pub const RECEIPT_IDS_MISSING: Rule = Rule {
    id: "jaze.receipt.ids_missing",
    code: "400",
    doc: "S8 - Get payment receipt",
    summary: "S8 needs both userId and paymentId in its path.",
    hint: "Call /api/v1/get_payment_receipt/{userId}/{paymentId}.",
};

pub const USER_NOT_FOUND: Rule = Rule {
    id: "jaze.user.not_found",
    code: "404",
    doc: "jaze.md: Records (Users)",
    summary: "No user of this account has that userId.",
    hint: "Use a userId of the account's users (fixtures or POST /__sandbox/jaze/users).",
};

pub const PAYMENT_NOT_FOUND: Rule = Rule {
    id: "jaze.payment.not_found",
    code: "404",
    doc: "S8 - Get payment receipt",
    summary: "The user has no payment with that paymentId (another user's payment counts as none).",
    hint: "Use a paymentId of that same user (S2 lists them).",
};

pub const INTERNAL: Rule = Rule {
    id: "jaze.internal",
    code: "500",
    doc: "jaze.md: Magic values (userId 500)",
    summary: "An internal error: the magic userId 500, or the sandbox failed.",
    hint: "userId 500 always answers 500 (to test your error path); use another id otherwise.",
};

/// Every rule of Jaze, for `GET /__sandbox/rules`.
pub static RULES: &[Rule] = &[
    AUTH_UNAUTHORIZED,
    AUTH_NO_HEADER,
    AUTH_NOT_BASIC,
    AUTH_UNKNOWN_TOKEN,
    AUTH_WRONG_KEY,
    DATE_FORMAT_INVALID,
    DATE_MISSING,
    DATE_RANGE,
    USER_ID_MISSING,
    ID_NOT_NUMERIC,
    RECEIPT_IDS_MISSING,
    USER_NOT_FOUND,
    PAYMENT_NOT_FOUND,
    INTERNAL,
];

// The builders below attach the detail only a handler knows (the authentication extractor,
// the date parser); an error without one has its own rule's diagnosis.

/// No `Authorization` header at all.
pub fn no_header() -> Diagnosis {
    AUTH_NO_HEADER
        .diagnose()
        .field("Authorization")
        .expected("Basic base64(<API Token>:<API Key>)")
}

/// An `Authorization` header that is not Basic `token:key`; `scheme` is what it started with.
pub fn not_basic(scheme: &str) -> Diagnosis {
    AUTH_NOT_BASIC
        .diagnose()
        .field("Authorization")
        .expected("Basic base64(<API Token>:<API Key>)")
        .got(scheme.to_string())
}

/// A token no account has. The token is not shown (it is half of the Basic credentials,
/// which the journal masks whole), only its length, to tell a stray space or a cut one.
pub fn unknown_token(token: &str) -> Diagnosis {
    AUTH_UNKNOWN_TOKEN
        .diagnose()
        .field("Authorization")
        .got(format!("*** ({} characters)", token.chars().count()))
}

/// A user name that is no account's token but an account's API Key: shown masked, never.
pub fn token_is_a_key() -> Diagnosis {
    AUTH_UNKNOWN_TOKEN
        .diagnose()
        .field("Authorization")
        .got("***")
        .hint(
            "The Basic user name is an API Key: put the API Token first and the API Key \
             second (`<API Token>:<API Key>`).",
        )
}

/// The right token with a wrong key; the key is never shown.
pub fn wrong_key() -> Diagnosis {
    AUTH_WRONG_KEY
        .diagnose()
        .field("Authorization")
        .expected("***")
        .got("***")
}

/// A date that is not yyyy-mm-dd; `field` is fromDate or toDate; a long value is cut.
pub fn bad_date(field: &str, got: &str) -> Diagnosis {
    const SHOWN: usize = 40;
    let shown = match got.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &got[..cut]),
        None => got.to_string(),
    };
    DATE_FORMAT_INVALID
        .diagnose()
        .field(field)
        .expected(DATE_FORMAT)
        .got(shown)
}

/// The diagnosis a Jaze 400 message implies, when the message names the rule.
pub fn of_bad_request(message: &str) -> Diagnosis {
    match message {
        "userId is required" => USER_ID_MISSING.diagnose().field("userId"),
        "Invalid date format, expected yyyy-mm-dd" => {
            DATE_FORMAT_INVALID.diagnose().expected(DATE_FORMAT)
        }
        "fromDate must not be after toDate" => DATE_RANGE.diagnose().field("fromDate"),
        "Missing userId and paymentId" => RECEIPT_IDS_MISSING.diagnose().field("userId"),
        "Missing paymentId" => RECEIPT_IDS_MISSING.diagnose().field("paymentId"),
        _ => {
            if let Some(field) = message.strip_suffix(" is required, expected yyyy-mm-dd") {
                DATE_MISSING.diagnose().field(field).expected(DATE_FORMAT)
            } else if let Some(field) = message
                .strip_prefix("Invalid ")
                .and_then(|m| m.strip_suffix(", expected a number"))
            {
                ID_NOT_NUMERIC.diagnose().field(field).expected("digits")
            } else {
                ID_NOT_NUMERIC.diagnose().expected("digits")
            }
        }
    }
}

/// The diagnosis of a 404 message.
pub fn of_not_found(message: &str) -> Diagnosis {
    if message == "Payment not found" {
        PAYMENT_NOT_FOUND.diagnose().field("paymentId")
    } else {
        USER_NOT_FOUND.diagnose().field("userId")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        assert!(ids.iter().all(|id| id.starts_with("jaze.")));
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn each_message_names_its_rule() {
        assert_eq!(
            of_bad_request("fromDate is required, expected yyyy-mm-dd")
                .field
                .as_deref(),
            Some("fromDate")
        );
        assert_eq!(
            of_bad_request("Invalid paymentId, expected a number")
                .field
                .as_deref(),
            Some("paymentId")
        );
        assert_eq!(
            of_bad_request("Invalid userId or paymentId, expected numbers").rule,
            ID_NOT_NUMERIC.id
        );
        assert_eq!(of_not_found("Payment not found").rule, PAYMENT_NOT_FOUND.id);
    }
}
