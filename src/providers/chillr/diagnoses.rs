//! Why Chillr refused a request: the catalogue of its rules (`GET /__sandbox/rules`), one per
//! failure code and one per code-58 reason, and the diagnosis each refusal carries in the
//! journal, with builders for the detail only a handler knows.

use crate::diagnosis::{Diagnosis, Rule, rule};

const CODES: &str = "Failure codes";
const CREATE: &str = "Create batch: Parameters";
const STATUS: &str = "Status check API: Parameters";
const REASONS: &str = "Sample failure response (58, data.reason); chillr.md: Code 58 reasons";
const MSISDN: &str = "10 digits starting 6-9 (a +91, 91 or 0 prefix is stripped)";
const AMOUNT: &str = "digits with up to 2 decimals, > 0 and at most 100000.00";

rule!(
    API_KEY_MISSING,
    "chillr.auth.api_key_missing",
    "50",
    CODES,
    "api_key is absent, empty or null.",
    "Send your merchant's api_key (a JSON string) in the body."
);
rule!(
    SECRET_MISSING,
    "chillr.auth.api_secret_key_missing",
    "51",
    CODES,
    "api_secret_key is absent, empty or null.",
    "Send your merchant's api_secret_key beside api_key."
);
rule!(
    NAME_MISSING,
    "chillr.batch.name_missing",
    "52",
    CREATE,
    "The batch has no name.",
    "Add a non-empty `name` (at most 100 characters)."
);
rule!(
    EXPIRY_MISSING,
    "chillr.batch.expiry_date_missing",
    "53",
    CREATE,
    "The batch has no expiry_date.",
    "Add `expiry_date` as dd-mm-yyyy."
);
rule!(
    CUSTOMERS_MISSING,
    "chillr.batch.customers_missing",
    "54",
    CREATE,
    "customers is absent, not an array, or empty.",
    "Send `customers` as a non-empty array of {\"msisdn\", \"amount\"}."
);
rule!(
    EXPIRY_FORMAT,
    "chillr.batch.expiry_date_format",
    "55",
    CREATE,
    "expiry_date is not a real date written dd-mm-yyyy.",
    "Write expiry_date as dd-mm-yyyy, e.g. 27-05-2030 (day first, dashes)."
);
rule!(
    SECRET_MISMATCH,
    "chillr.auth.api_secret_key_mismatch",
    "56",
    CODES,
    "api_key names a merchant, but api_secret_key is not its secret.",
    "Send the api_secret_key issued with this api_key (check for a stray space or another merchant's key)."
);
rule!(
    MERCHANT_NOT_FOUND,
    "chillr.auth.merchant_not_found",
    "57",
    CODES,
    "No merchant has this api_key.",
    "Use an api_key of a configured merchant (see the fixtures' `chillr.merchants`)."
);
rule!(
    MOBILE_MISSING,
    "chillr.customer.mobile_missing",
    "58",
    REASONS,
    "A customer has no msisdn.",
    "Give every customer an `msisdn`: 10 digits starting 6-9."
);
rule!(
    MOBILE_INVALID,
    "chillr.customer.mobile_invalid",
    "58",
    REASONS,
    "A customer's msisdn is not an Indian mobile number.",
    "Send 10 digits starting 6-9 (a +91, 91 or 0 prefix is accepted)."
);
rule!(
    MOBILE_DUPLICATE,
    "chillr.customer.mobile_duplicate",
    "58",
    REASONS,
    "Two customers of the batch have the same msisdn.",
    "Send each msisdn once per batch (prefixes are stripped before comparing)."
);
rule!(
    AMOUNT_MISSING,
    "chillr.customer.amount_missing",
    "58",
    REASONS,
    "A customer has no amount.",
    "Give every customer an `amount`, e.g. \"200\" or 200.50."
);
rule!(
    AMOUNT_INVALID,
    "chillr.customer.amount_invalid",
    "58",
    REASONS,
    "A customer's amount is not a positive number with up to 2 decimals within the limit.",
    "Send digits with up to 2 decimals, more than 0 and at most 100000.00 (no sign, exponent or spaces)."
);
rule!(
    EXPIRY_PAST,
    "chillr.batch.expiry_date_past",
    "58",
    REASONS,
    "expiry_date is before today (India time, sandbox clock).",
    "Use today or a later date; the document's sample date (2016) is in the past."
);
rule!(
    NAME_TOO_LONG,
    "chillr.batch.name_too_long",
    "58",
    REASONS,
    "The batch name is over 100 characters.",
    "Shorten `name` to at most 100 characters."
);
rule!(
    NAME_NOT_TEXT,
    "chillr.batch.name_not_text",
    "58",
    REASONS,
    "The batch name is not a JSON string.",
    "Send `name` as a string."
);
rule!(
    TOO_MANY_CUSTOMERS,
    "chillr.batch.too_many_customers",
    "58",
    REASONS,
    "The batch has over 10,000 customers.",
    "Split the customers into batches of at most 10,000."
);
rule!(
    NO_CHILLR_USERS,
    "chillr.customer.none_chillr_users",
    "58",
    REASONS,
    "Every customer is valid, but none is a registered Chillr user.",
    "Register a customer as a Chillr user (POST /__sandbox/chillr/users) or include one who is."
);
rule!(
    INVALID_PARAMETERS,
    "chillr.batch.invalid_parameters",
    "58",
    CODES,
    "The batch was refused for a reason in data.reason.",
    "Read data.reason: it lists every problem found."
);
rule!(
    INTERNAL,
    "chillr.internal",
    "59",
    CODES,
    "An internal error: the magic msisdn 9000000059, or the sandbox failed.",
    "msisdn 9000000059 always answers 59 (to test your error path); remove it otherwise."
);
rule!(
    BATCH_ID_MISSING,
    "chillr.status.batch_id_missing",
    "60",
    STATUS,
    "batch_id is absent, empty or null.",
    "Send the batch_id the create call answered."
);
rule!(
    BATCH_NOT_FOUND,
    "chillr.status.batch_not_found",
    "61",
    CODES,
    "No batch of this merchant has this batch_id (the general rule: a diagnosis names batch_unknown or batch_other_merchant).",
    "Send a batch_id your merchant created (a batch of another merchant is not found either)."
);
rule!(
    BATCH_UNKNOWN,
    "chillr.status.batch_unknown",
    "61",
    CODES,
    "No batch at all has this batch_id.",
    "Send the batch_id exactly as the create call answered it (24 lower-case hex characters)."
);
rule!(
    BATCH_OTHER_MERCHANT,
    "chillr.status.batch_other_merchant",
    "61",
    CODES,
    "The batch exists but another merchant created it.",
    "Ask with the api_key and api_secret_key of the merchant that created the batch."
);

/// Every rule of Chillr, for `GET /__sandbox/rules`.
pub static RULES: &[Rule] = &[
    API_KEY_MISSING,
    SECRET_MISSING,
    NAME_MISSING,
    EXPIRY_MISSING,
    CUSTOMERS_MISSING,
    EXPIRY_FORMAT,
    SECRET_MISMATCH,
    MERCHANT_NOT_FOUND,
    MOBILE_MISSING,
    MOBILE_INVALID,
    MOBILE_DUPLICATE,
    AMOUNT_MISSING,
    AMOUNT_INVALID,
    EXPIRY_PAST,
    NAME_TOO_LONG,
    NAME_NOT_TEXT,
    TOO_MANY_CUSTOMERS,
    NO_CHILLR_USERS,
    INVALID_PARAMETERS,
    INTERNAL,
    BATCH_ID_MISSING,
    BATCH_NOT_FOUND,
    BATCH_UNKNOWN,
    BATCH_OTHER_MERCHANT,
];

/// The diagnosis of a code-58 answer: the rule of its first reason (with the customer's
/// field), and every reason in the hint when there are several.
pub fn of_reasons(reasons: &[String]) -> Diagnosis {
    let Some(first) = reasons.first() else {
        return INVALID_PARAMETERS.diagnose();
    };
    let diagnosis = of_reason(first);
    if reasons.len() == 1 {
        return diagnosis;
    }
    let hint = format!(
        "{} ({} problems: {})",
        diagnosis.hint,
        reasons.len(),
        reasons.join("; ")
    );
    diagnosis.hint(hint)
}

/// One reason's rule: `customer N : ...` names customer N (numbered from 1).
pub fn of_reason(reason: &str) -> Diagnosis {
    if let Some((customer, what)) = reason
        .strip_prefix("customer ")
        .and_then(|r| r.split_once(" : "))
        && let Ok(n) = customer.parse::<usize>()
    {
        let at = |name: &str| format!("customers[{}].{name}", n.saturating_sub(1));
        return match what {
            "mobile number is not present" => MOBILE_MISSING.diagnose().field(at("msisdn")),
            "invalid mobile number" => MOBILE_INVALID
                .diagnose()
                .field(at("msisdn"))
                .expected(MSISDN),
            "duplicate mobile number" => MOBILE_DUPLICATE.diagnose().field(at("msisdn")),
            "amount is not present" => AMOUNT_MISSING.diagnose().field(at("amount")),
            "invalid amount" => AMOUNT_INVALID
                .diagnose()
                .field(at("amount"))
                .expected(AMOUNT),
            _ => INVALID_PARAMETERS
                .diagnose()
                .field(format!("customers[{}]", n.saturating_sub(1))),
        };
    }
    match reason {
        "expiry_date should not be a past date" => EXPIRY_PAST.diagnose().field("expiry_date"),
        "name is too long" => NAME_TOO_LONG
            .diagnose()
            .field("name")
            .expected("at most 100 characters"),
        "name is not text" => NAME_NOT_TEXT.diagnose().field("name"),
        "too many customers" => TOO_MANY_CUSTOMERS
            .diagnose()
            .field("customers")
            .expected("at most 10000"),
        "None of the customers are Chillr users." => NO_CHILLR_USERS.diagnose().field("customers"),
        _ => INVALID_PARAMETERS.diagnose(),
    }
}

/// 61 for a batch id no batch has (for the status handler, which knows).
pub fn batch_unknown(batch_id: &str) -> Diagnosis {
    BATCH_UNKNOWN
        .diagnose()
        .field("batch_id")
        .got(batch_id.to_string())
}

/// 61 for a batch_id that is not text (a number or an object): no batch has such an id.
pub fn batch_unknown_not_text() -> Diagnosis {
    BATCH_UNKNOWN
        .diagnose()
        .field("batch_id")
        .expected("a JSON string of 24 lower-case hex characters")
}

/// 61 for another merchant's batch; the owner is not named (it is not the caller's).
pub fn batch_other_merchant(batch_id: &str) -> Diagnosis {
    BATCH_OTHER_MERCHANT
        .diagnose()
        .field("batch_id")
        .got(format!("{batch_id} (belongs to another merchant)"))
}

/// 55 with the date that was sent.
pub fn expiry_format(got: &str) -> Diagnosis {
    EXPIRY_FORMAT
        .diagnose()
        .field("expiry_date")
        .expected("dd-mm-yyyy")
        .got(got.to_string())
}

/// 57 with the api_key that named nobody (an api_key only names the merchant).
pub fn merchant_not_found(api_key: &str) -> Diagnosis {
    MERCHANT_NOT_FOUND
        .diagnose()
        .field("api_key")
        .got(api_key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        assert!(ids.iter().all(|id| id.starts_with("chillr.")));
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn a_customer_reason_names_the_customer_field() {
        let d = of_reason("customer 2 : mobile number is not present");
        assert_eq!(
            (d.rule, d.field.as_deref()),
            (MOBILE_MISSING.id, Some("customers[1].msisdn"))
        );
        let d = of_reasons(&[
            "customer 1 : invalid amount".into(),
            "too many customers".into(),
        ]);
        assert_eq!(d.rule, AMOUNT_INVALID.id);
        assert!(d.hint.contains("2 problems"), "{}", d.hint);
    }
}
