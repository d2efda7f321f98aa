//! Every rule an AggrePay refusal comes from, with the code it answers and the section of
//! the document that states it, and the default diagnosis of each error code.
//!
//! AggrePay's success carries no code (`"error": null`); the sandbox names it [`SUCCESS`],
//! as the document's sample titles do, and lists it first among each endpoint's outcomes.
//! The request hash is compared without regard to case (lower-case hex is accepted), so
//! lower-case hex is no mistake the hash diagnosis looks for.

use crate::diagnosis::{Diagnosis, Rule};
use crate::providers::aggrepay::laravel;

/// The code the report counts an AggrePay success under.
pub const SUCCESS: &str = "SUCCESS";

const HASH_DOC: &str = "Appendix 17.1";

pub const API_KEY_MISSING: Rule = Rule {
    id: "aggrepay.auth.api_key_missing",
    code: "UNAUTHORIZED",
    doc: HASH_DOC,
    summary: "The request carries no `api_key`.",
    hint: "Send the `api_key` issued to your merchant account in every request.",
};

pub const API_KEY_UNKNOWN: Rule = Rule {
    id: "aggrepay.auth.api_key_unknown",
    code: "UNAUTHORIZED",
    doc: HASH_DOC,
    summary: "No merchant has this `api_key`.",
    hint: "Check the `api_key` against the one your merchant fixture (or AggrePay) issued.",
};

pub const HASH_MISSING: Rule = Rule {
    id: "aggrepay.hash.missing",
    code: "HASH-MISMATCH",
    doc: HASH_DOC,
    summary: "The request carries no `hash` (or `Hash`).",
    hint: "Add `hash`: upper-case SHA-512 of the string in `expected`, your salt for <salt>.",
};

pub const HASH_MISMATCH: Rule = Rule {
    id: "aggrepay.hash.mismatch",
    code: "HASH-MISMATCH",
    doc: HASH_DOC,
    summary: "The request hash is not SHA-512 of `salt|v1|v2…` over the sorted non-empty \
              trimmed values, and matches none of the common mistakes.",
    hint: "Hash the string in `expected` with SHA-512 (your salt for <salt>, the masked \
           values as you send them) and send it upper-case in `hash`.",
};

pub const HASH_UNTRIMMED: Rule = Rule {
    id: "aggrepay.hash.untrimmed",
    code: "HASH-MISMATCH",
    doc: HASH_DOC,
    summary: "The hash was made over values with their surrounding spaces.",
    hint: "Trim each value before hashing: AggrePay (Laravel) hashes the trimmed values.",
};

pub const HASH_EMPTY_INCLUDED: Rule = Rule {
    id: "aggrepay.hash.empty_included",
    code: "HASH-MISMATCH",
    doc: HASH_DOC,
    summary: "The hash was made with empty values joined in (`…||…`).",
    hint: "Skip fields with empty values when joining: only fields with values are hashed.",
};

pub const HASH_POSTED_ORDER: Rule = Rule {
    id: "aggrepay.hash.posted_order",
    code: "HASH-MISMATCH",
    doc: HASH_DOC,
    summary: "The hash was made over the values in the order posted, not sorted by name.",
    hint: "Sort the fields by name (PHP ksort, byte order) before joining their values.",
};

pub const HASH_INCLUDED: Rule = Rule {
    id: "aggrepay.hash.hash_included",
    code: "HASH-MISMATCH",
    doc: HASH_DOC,
    summary: "The hash was made over the fields with a `hash` already among them (signed \
              twice).",
    hint: "Compute the hash over the fields without `hash`, then add it.",
};

pub const HASH_SALT_LAST: Rule = Rule {
    id: "aggrepay.hash.salt_last",
    code: "HASH-MISMATCH",
    doc: HASH_DOC,
    summary: "The hash was made with the salt at the end (`v1|v2…|salt`).",
    hint: "Put the salt first: `salt|v1|v2…`.",
};

pub const HASH_SHA256: Rule = Rule {
    id: "aggrepay.hash.sha256",
    code: "HASH-MISMATCH",
    doc: HASH_DOC,
    summary: "The hash is SHA-256 of the right string, not SHA-512.",
    hint: "Hash with SHA-512 (128 hex characters), not SHA-256.",
};

pub const HASH_OTHER_MERCHANT: Rule = Rule {
    id: "aggrepay.hash.other_merchant",
    code: "HASH-MISMATCH",
    doc: HASH_DOC,
    summary: "The hash was made with another merchant's salt.",
    hint: "Hash with the salt issued with this `api_key`, not another merchant's.",
};

pub const PARAMS_INVALID: Rule = Rule {
    id: "aggrepay.params.invalid",
    code: "INVALID-PARAMS",
    doc: "Sections 1-21: ERROR samples (Laravel validation)",
    summary: "A field is missing or fails its format (the message is Laravel's).",
    hint: "Fix the field the error message names.",
};

const OTP_DOC: &str = "3. Register customer; 17. Generate Customer OTP; 18. Forgot MPIN";

pub const OTP_NOT_SENT: Rule = Rule {
    id: "aggrepay.otp.not_sent",
    code: "INVALID-OTP",
    doc: OTP_DOC,
    summary: "No OTP of this kind was ever sent to this mobile number.",
    hint: "Send one first: registrationotp before registercustomer, customerotp before \
           forgotmpin.",
};

pub const OTP_WRONG: Rule = Rule {
    id: "aggrepay.otp.wrong",
    code: "INVALID-OTP",
    doc: OTP_DOC,
    summary: "The OTP is not the one last sent to this mobile number (nor an earlier one).",
    hint: "Send the OTP of the latest SMS (GET /__sandbox/aggrepay/otps lists them).",
};

pub const OTP_SUPERSEDED: Rule = Rule {
    id: "aggrepay.otp.superseded",
    code: "INVALID-OTP",
    doc: OTP_DOC,
    summary: "The OTP was sent to this number, but a newer one was sent after it.",
    hint: "Only the last OTP sent verifies: send the newest (GET /__sandbox/aggrepay/otps).",
};

pub const OTP_EXPIRED: Rule = Rule {
    id: "aggrepay.otp.expired",
    code: "INVALID-OTP",
    doc: OTP_DOC,
    summary: "The OTP is the last one sent, but its 10 minutes on the sandbox clock are over.",
    hint: "Ask for a new OTP (or move the sandbox clock back with POST /__sandbox/clock).",
};

pub const OTP_USED: Rule = Rule {
    id: "aggrepay.otp.used",
    code: "INVALID-OTP",
    doc: OTP_DOC,
    summary: "The OTP is the last one sent, but it verified a request already.",
    hint: "An OTP verifies once: ask for a new one.",
};

pub const INPUT_INVALID: Rule = Rule {
    id: "aggrepay.input.invalid",
    code: "INVALID-INPUT-DATA",
    doc: "3. Register customer: already registered",
    summary: "The mobile number is registered already.",
    hint: "Check with checkcustomer first; register only a customer that does not exist.",
};

pub const BALANCE_NOT_ENOUGH: Rule = Rule {
    id: "aggrepay.balance.not_enough",
    code: "INVALID-INPUT-DATA",
    doc: "6. Debit Customer Wallet: Not enough balance",
    summary: "The wallet holds less than the amount to debit.",
    hint: "Debit at most the balance fetchbalance reports.",
};

pub const CUSTOMER_INACTIVE: Rule = Rule {
    id: "aggrepay.customer.inactive",
    code: "INVALID-INPUT-DATA",
    doc: "16. Customer Status",
    summary: "The customer is not active, so no money moves in or out of the wallet.",
    hint: "Activate the customer with customerstatus before moving money.",
};

pub const LIMIT_WALLET_BALANCE: Rule = Rule {
    id: "aggrepay.limit.wallet_balance",
    code: "INVALID-INPUT-DATA",
    doc: "5. Credit Customer Wallet",
    summary: "The credit would take the wallet over its balance limit.",
    hint: "Credit at most the room checkcustomercreditlimit reports.",
};

pub const MPIN_INVALID: Rule = Rule {
    id: "aggrepay.mpin.invalid",
    code: "INVALID-MPIN",
    doc: "6. Debit Customer Wallet; 7. Wallet to Wallet Transfer; 19. Change MPIN",
    summary: "The MPIN is not the customer's.",
    hint: "Send the customer's current 4-digit MPIN.",
};

pub const MPIN_NEVER_VALID: Rule = Rule {
    id: "aggrepay.mpin.never_valid",
    code: "INVALID-MPIN",
    doc: "aggrepay.md: Magic values",
    summary: "The MPIN is `0000`, the sandbox's never-valid MPIN.",
    hint: "`0000` is the sandbox's magic never-valid MPIN (to test INVALID-MPIN): send any \
           other 4 digits.",
};

pub const INSUFFICIENT_FUND: Rule = Rule {
    id: "aggrepay.balance.insufficient_fund",
    code: "INSUFFICIENT-FUND",
    doc: "7. Wallet to Wallet Transfer",
    summary: "The sending wallet holds less than the amount to transfer.",
    hint: "Transfer at most the sender's balance.",
};

pub const LIMIT_DAILY: Rule = Rule {
    id: "aggrepay.limit.daily",
    code: "TRANSACTION-LIMIT",
    doc: "7. Wallet to Wallet Transfer: Transaction Limit Exhausted",
    summary: "The debit would pass the customer's daily debit count or amount.",
    hint: "Wait for the next day (sandbox clock) or raise the customer's daily limits.",
};

pub const LIMIT_MONTHLY: Rule = Rule {
    id: "aggrepay.limit.monthly",
    code: "MONTHLY-TRANSACTION-LIMIT-EXCEEDED",
    doc: "9. Check Customer Credit Limit; 10. Check Customer Debit Limit",
    summary: "The amount would pass the customer's monthly credit or debit limit.",
    hint: "Wait for the next month (sandbox clock) or raise the customer's monthly limit.",
};

pub const ALREADY_REVERSED: Rule = Rule {
    id: "aggrepay.reversal.already_reversed",
    code: "TRANSACTION-ALREADY-REVERSED",
    doc: "8. Debit Reversal",
    summary: "The debit was reversed already.",
    hint: "Reverse a debit once; fetch it by transaction id to see its state.",
};

pub const NO_PG_RECORD: Rule = Rule {
    id: "aggrepay.credit.no_pg_record",
    code: "NO-PG-TRANSACTION-RECORD-FOUND",
    doc: "5. Credit Customer Wallet",
    summary: "No payment-gateway transaction has this `pg_transaction_id`.",
    hint: "Create the PG transaction first (POST /__sandbox/aggrepay/pg-transactions).",
};

pub const NO_SUB_MERCHANT: Rule = Rule {
    id: "aggrepay.sub_merchant.none",
    code: "NO-SUB-MERCHANT-RECORD",
    doc: "21. Get Sub Merchants",
    summary: "The merchant has no sub merchant yet.",
    hint: "Add one with addsubmerchant first.",
};

pub const INTERNAL: Rule = Rule {
    id: "aggrepay.internal",
    code: "INTERNAL-ERROR",
    doc: "sandbox.md: Responses",
    summary: "The sandbox failed (its database); not the request's fault.",
    hint: "Retry; the sandbox's log line of this request id says what failed.",
};

/// Every AggrePay rule, for `GET /__sandbox/rules` and the README.
pub static RULES: &[Rule] = &[
    API_KEY_MISSING,
    API_KEY_UNKNOWN,
    HASH_MISSING,
    HASH_MISMATCH,
    HASH_UNTRIMMED,
    HASH_EMPTY_INCLUDED,
    HASH_POSTED_ORDER,
    HASH_INCLUDED,
    HASH_SALT_LAST,
    HASH_SHA256,
    HASH_OTHER_MERCHANT,
    PARAMS_INVALID,
    OTP_NOT_SENT,
    OTP_WRONG,
    OTP_SUPERSEDED,
    OTP_EXPIRED,
    OTP_USED,
    INPUT_INVALID,
    BALANCE_NOT_ENOUGH,
    CUSTOMER_INACTIVE,
    LIMIT_WALLET_BALANCE,
    MPIN_INVALID,
    MPIN_NEVER_VALID,
    INSUFFICIENT_FUND,
    LIMIT_DAILY,
    LIMIT_MONTHLY,
    ALREADY_REVERSED,
    NO_PG_RECORD,
    NO_SUB_MERCHANT,
    INTERNAL,
];

/// A Laravel validation refusal: the field and rule read from its message, which is the
/// hint ([`laravel::explain`]).
pub fn invalid_params(message: &str) -> Diagnosis {
    laravel::explain(PARAMS_INVALID.diagnose(), message)
}

/// `INVALID-INPUT-DATA` carries several messages, one rule each.
pub fn invalid_input_data(message: &str) -> Diagnosis {
    let rule = match message {
        "Not enough balance in the account" => &BALANCE_NOT_ENOUGH,
        "Customer is not active" => &CUSTOMER_INACTIVE,
        "Wallet balance limit exceeded" => &LIMIT_WALLET_BALANCE,
        _ => &INPUT_INVALID,
    };
    rule.diagnose()
}

/// The request has no `api_key` at all.
pub fn api_key_missing() -> Diagnosis {
    API_KEY_MISSING.diagnose().field("api_key")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn rule_ids_are_unique_and_name_aggrepay() {
        let ids: HashSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len());
        assert!(RULES.iter().all(|r| r.id.starts_with("aggrepay.")));
    }

    #[test]
    fn each_invalid_input_data_message_has_its_rule() {
        assert_eq!(
            invalid_input_data("Customer is not active").rule,
            "aggrepay.customer.inactive"
        );
        assert_eq!(
            invalid_input_data("Invalid input Data").rule,
            "aggrepay.input.invalid"
        );
    }
}
