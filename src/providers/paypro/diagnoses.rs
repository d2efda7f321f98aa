//! Why PayPro refused a request: the catalogue of its rules (`GET /__sandbox/rules`), the
//! diagnosis each refusal carries in the journal (picked from the failure's description when
//! that names the rule), and builders for the detail only a handler knows (where the payload
//! was looked for, which order's state refused a change).

mod details;

pub use details::*;

use crate::diagnosis::{Diagnosis, Rule, rule};

const CODES: &str = "Response codes with description (Ref 1.1)";
const AUTH: &str = "All Possible error description with their codes (Username / Password)";
const ORDER: &str = "1.0 Single Order Creation";
const ORDER_DATES: &str = "yyyy-MM-dd, dd/MM/yyyy, d/M/yyyy or dd-MM-yyyy";
const QUERY_DATES: &str = "yyyy-MM-dd or yyyy/MM/dd";
const AMOUNT: &str = "a positive decimal(18,2) within the merchant's minimum and maximum amount";

rule!(
    PAYLOAD_INVALID_FORMAT,
    "paypro.payload.invalid_format",
    "01",
    CODES,
    "The request's JSON (oJson) or a needed parameter could not be read.",
    "Send oJson as valid JSON in the query, a form field, the body or a multipart part, with the parameters the section names."
);
rule!(
    PAYLOAD_NOT_FOUND,
    "paypro.payload.not_found",
    "01",
    CODES,
    "No JSON payload was found in any place it is looked for (query, form, body, multipart).",
    "Put the JSON in `oJson` (query or form), as the raw body, or as a multipart file part."
);
rule!(
    OBJECT_ERROR,
    "paypro.order.object_error",
    "03",
    ORDER,
    "The order JSON is not the documented array of the main table then the orders.",
    "Send an array: element 0 {MerchantId, MerchantPassword}, then one object per order."
);
rule!(
    MAIN_TABLE_MISSING,
    "paypro.order.main_table_missing",
    "03",
    ORDER,
    "Element 0 (MerchantId and MerchantPassword) is missing.",
    "Start the array with {\"MerchantId\": ..., \"MerchantPassword\": ...}."
);
rule!(
    TOO_MANY_ORDERS,
    "paypro.order.too_many",
    "03",
    "2.0 Multiple Order Creation: Maximum Order Limit",
    "More than 50 orders in one cmo call.",
    "Send at most 50 orders per call."
);
rule!(
    FIELD_MISSING,
    "paypro.field.missing",
    "03",
    ORDER,
    "A mandatory field is absent or empty.",
    "Add the field named in `field` (see the section's Mandatory column)."
);
rule!(
    FIELD_LENGTH,
    "paypro.field.length",
    "03",
    ORDER,
    "A field is longer than the document allows.",
    "Shorten the field named in `field` to its documented length."
);
rule!(
    FIELD_INVALID,
    "paypro.field.invalid",
    "01",
    "8.0 Add Consumer",
    "A consumer field is not in its documented form.",
    "Send the field named in `field` as the section's table describes it."
);
rule!(
    AMOUNT_OUT_OF_LIMITS,
    "paypro.amount.out_of_limits",
    "03",
    ORDER,
    "An order amount is not a positive decimal(18,2) within the merchant's limits.",
    "Send the amount as digits with up to 2 decimals (no thousands separator), within the merchant's limits."
);
rule!(
    DATE_FORMAT,
    "paypro.date.format",
    "03",
    ORDER,
    "A date is not in an accepted format or is no calendar day.",
    "Write order dates as yyyy-MM-dd, dd/MM/yyyy, d/M/yyyy or dd-MM-yyyy; gpojson's as yyyy-MM-dd or yyyy/MM/dd."
);
rule!(
    DATE_RANGE,
    "paypro.date.range",
    "01",
    "3.0 Get Paid Orders (JSON)",
    "startDate is after endDate.",
    "Swap the dates: startDate must not be after endDate."
);
rule!(
    DUE_BEFORE_ISSUE,
    "paypro.date.due_before_issue",
    "03",
    ORDER,
    "OrderDueDate is before IssueDate.",
    "Give a due date on or after the issue date."
);
rule!(
    CONTACT_FORMAT,
    "paypro.order.contact_format",
    "03",
    ORDER,
    "CustomerMobile or CustomerEmail is not valid.",
    "Send a mobile of digits (e.g. 03001234567) and an email like a@b.pk, or leave them empty."
);
rule!(
    EXPIRE_AFTER_INVALID,
    "paypro.order.expire_after_invalid",
    "03",
    ORDER,
    "OrderExpireAfterSeconds is not a whole number of seconds.",
    "Send OrderExpireAfterSeconds as a non-negative integer, or leave it out."
);
rule!(
    ORDER_EXISTS,
    "paypro.order.exists",
    "01",
    CODES,
    "The merchant already has an order with this OrderNumber.",
    "Use a new OrderNumber; query the existing one with gos instead of retrying the create."
);
rule!(
    CONSUMER_EXISTS,
    "paypro.consumer.exists",
    "01",
    "8.0 Add Consumer",
    "The merchant already has a consumer with this ConsumerID.",
    "Use a new ConsumerID, or update the consumer with uc."
);
rule!(
    USERNAME_MISSING,
    "paypro.auth.username_missing",
    "01",
    AUTH,
    "The user name is absent or empty (04 on co/cmo).",
    "Send the merchant's user name (MerchantId on co/cmo/cc/cmc/uc/umc, Username on moap/moab/mofr, userName or username on the GET calls)."
);
rule!(
    USERNAME_LENGTH,
    "paypro.auth.username_length",
    "01",
    AUTH,
    "The user name is over 60 characters (04 on co/cmo).",
    "Send the merchant's user name as configured (at most 60 characters)."
);
rule!(
    PASSWORD_MISSING,
    "paypro.auth.password_missing",
    "01",
    AUTH,
    "The password is absent or empty (04 on co/cmo).",
    "Send the merchant's password (MerchantPassword, Password or password by endpoint)."
);
rule!(
    PASSWORD_LENGTH,
    "paypro.auth.password_length",
    "01",
    AUTH,
    "The password is over 60 characters (04 on co/cmo).",
    "Send the merchant's password as configured (at most 60 characters)."
);
rule!(
    CREDENTIALS_INVALID,
    "paypro.auth.invalid",
    "01",
    AUTH,
    "The user name and password are no merchant's (04 on co/cmo).",
    "Check the user name (exact spelling) and then the password of the merchant."
);
rule!(
    UNKNOWN_USER,
    "paypro.auth.unknown_user",
    "01",
    AUTH,
    "No merchant has this user name (04 on co/cmo).",
    "The user name is unknown: check its spelling against your merchant's (the fixtures' `paypro.merchants`)."
);
rule!(
    MISSPELLED_USER,
    "paypro.auth.misspelled_user",
    "01",
    AUTH,
    "No merchant has this user name, but one has a name within two edits of it (04 on co/cmo).",
    "The user name looks misspelled: `expected` names the merchant's user name it is closest to."
);
rule!(
    WRONG_PASSWORD,
    "paypro.auth.wrong_password",
    "01",
    AUTH,
    "The user name is a merchant's, but the password is not its password (04 on co/cmo).",
    "The user name is right: check the password (case, stray spaces are trimmed)."
);
rule!(
    SERVICE_NOT_ENABLED,
    "paypro.auth.service_not_enabled",
    "02",
    AUTH,
    "The merchant is not enabled for this endpoint (04 on co/cmo).",
    "Enable the service for the merchant (fixtures' `services`) or call one it has."
);
rule!(
    NO_DATA,
    "paypro.data.none",
    "03",
    CODES,
    "Nothing matches: no such order, consumer, or no paid order in the range.",
    "Check the id (cpayId, fullConsumerCode) or widen the date range; the merchant's own records only."
);
rule!(
    SERVICE_FAIL,
    "paypro.service.fail",
    "02",
    CODES,
    "The sandbox could not complete the request (Service Fail).",
    "Retry; if it persists, report it with this request's journal entry."
);
rule!(
    STATE_REFUSED,
    "paypro.order.state_refused",
    "01",
    "4.0 Mark Order as Paid",
    "moap/moab/mofr refused an order in its current state (only unpaid orders change; only paid ones refund).",
    "Query the order with gos first; each refused order's OrderStatus in the answer says its state."
);
rule!(
    REFUND_AMOUNT_INVALID,
    "paypro.order.refund_amount_invalid",
    "01",
    "6.0 Mark Order as Refund",
    "mofr's refund amount is not a positive decimal(18,2).",
    "Send the refund amount as digits with up to 2 decimals, more than 0."
);

/// Every rule of PayPro, for `GET /__sandbox/rules`.
pub static RULES: &[Rule] = &[
    PAYLOAD_INVALID_FORMAT,
    PAYLOAD_NOT_FOUND,
    OBJECT_ERROR,
    MAIN_TABLE_MISSING,
    TOO_MANY_ORDERS,
    FIELD_MISSING,
    FIELD_LENGTH,
    FIELD_INVALID,
    AMOUNT_OUT_OF_LIMITS,
    DATE_FORMAT,
    DATE_RANGE,
    DUE_BEFORE_ISSUE,
    CONTACT_FORMAT,
    EXPIRE_AFTER_INVALID,
    ORDER_EXISTS,
    CONSUMER_EXISTS,
    USERNAME_MISSING,
    USERNAME_LENGTH,
    PASSWORD_MISSING,
    PASSWORD_LENGTH,
    CREDENTIALS_INVALID,
    UNKNOWN_USER,
    MISSPELLED_USER,
    WRONG_PASSWORD,
    SERVICE_NOT_ENABLED,
    NO_DATA,
    SERVICE_FAIL,
    STATE_REFUSED,
    REFUND_AMOUNT_INVALID,
];

/// The diagnosis a failure's description names (the description without `Invalid Data. `).
pub fn of_description(description: &str) -> Diagnosis {
    let what = description
        .strip_prefix("Invalid Data. ")
        .unwrap_or(description);
    match what {
        "Invalid Format" => PAYLOAD_INVALID_FORMAT.diagnose(),
        "Object sent from client has error" => OBJECT_ERROR.diagnose(),
        "Main table details are not provided" => MAIN_TABLE_MISSING.diagnose().field("MerchantId"),
        "Maximum 50 orders are allowed in one request" => {
            TOO_MANY_ORDERS.diagnose().expected("at most 50 orders")
        }
        "Username cannot be empty" => USERNAME_MISSING.diagnose().field("username"),
        "Username length is invalid" => USERNAME_LENGTH
            .diagnose()
            .field("username")
            .expected("at most 60 characters"),
        "Password cannot be empty" => PASSWORD_MISSING.diagnose().field("password"),
        "Password length is invalid" => PASSWORD_LENGTH
            .diagnose()
            .field("password")
            .expected("at most 60 characters"),
        "Username or password is invalid" => CREDENTIALS_INVALID.diagnose(),
        "Service Failed. User is not Authorized for this service" => SERVICE_NOT_ENABLED.diagnose(),
        "Order amount is out of limits" => AMOUNT_OUT_OF_LIMITS.diagnose().expected(AMOUNT),
        "Order due date format is invalid" => order_date("OrderDueDate"),
        "Issue date format is invalid" => order_date("IssueDate"),
        "Date format is invalid" => DATE_FORMAT.diagnose().expected(QUERY_DATES),
        "Start Date should be less then to End Date" => DATE_RANGE.diagnose().field("startDate"),
        "Due date should not be less than issue date" => {
            DUE_BEFORE_ISSUE.diagnose().field("OrderDueDate")
        }
        "Mobile no. and email is not in valid format" => CONTACT_FORMAT.diagnose(),
        "Order expire after seconds is invalid" => EXPIRE_AFTER_INVALID
            .diagnose()
            .field("OrderExpireAfterSeconds")
            .expected("a whole number of seconds"),
        "Consumer Already Exist" => CONSUMER_EXISTS.diagnose().field("ConsumerID"),
        "No data available" => NO_DATA.diagnose(),
        "Service Fail" => SERVICE_FAIL.diagnose(),
        _ => of_field_description(what),
    }
}

/// `<label> is not provided`, `<label> length is invalid`, `<name> is invalid`, `Order number
/// N already exists`.
fn of_field_description(what: &str) -> Diagnosis {
    if what.starts_with("Order number ") && what.ends_with(" already exists") {
        ORDER_EXISTS.diagnose().field("OrderNumber")
    } else if let Some(label) = what.strip_suffix(" is not provided") {
        FIELD_MISSING.diagnose().field(field_of(label))
    } else if let Some(label) = what.strip_suffix(" length is invalid") {
        FIELD_LENGTH.diagnose().field(field_of(label))
    } else if let Some(name) = what.strip_suffix(" is invalid") {
        FIELD_INVALID.diagnose().field(field_of(name))
    } else {
        PAYLOAD_INVALID_FORMAT.diagnose()
    }
}

/// The JSON name of a field the descriptions name in words (`Order due date` → `OrderDueDate`).
fn field_of(label: &str) -> String {
    match label {
        "Order number" => "OrderNumber".into(),
        "Order amount" => "OrderAmount".into(),
        "Order due date" => "OrderDueDate".into(),
        "Issue date" => "IssueDate".into(),
        "Order type" => "OrderType".into(),
        "Customer name" => "CustomerName".into(),
        "Customer address" => "CustomerAddress".into(),
        other => other.split_whitespace().collect(),
    }
}

fn order_date(field: &str) -> Diagnosis {
    DATE_FORMAT.diagnose().field(field).expected(ORDER_DATES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        assert!(ids.iter().all(|id| id.starts_with("paypro.")));
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn descriptions_name_their_rules() {
        let d = of_description("Invalid Data. Order due date format is invalid");
        assert_eq!(
            (d.rule, d.field.as_deref()),
            (DATE_FORMAT.id, Some("OrderDueDate"))
        );
        assert_eq!(d.expected.as_deref(), Some(ORDER_DATES));
        let d = of_description("Invalid Data. Customer name is not provided");
        assert_eq!(
            (d.rule, d.field.as_deref()),
            (FIELD_MISSING.id, Some("CustomerName"))
        );
        assert_eq!(
            of_description("Order number 7 already exists").rule,
            ORDER_EXISTS.id
        );
        assert_eq!(
            of_description("Invalid Data. ConsumerID is invalid").rule,
            FIELD_INVALID.id
        );
    }
}
