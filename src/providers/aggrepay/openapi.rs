//! The AggrePay wallet's OpenAPI description: every endpoint `POST /api/v1/<name>` with the
//! parameters of its document table (a form, or JSON), signed with the request hash of
//! Appendix 17.1; every answer the envelope `{"data","error","page","hash"}` with HTTP 200,
//! a success signed with the response hash of 17.2.

use super::endpoints::Endpoint;
use super::openapi_samples;
use super::wire::Page;
use crate::providers::endpoint::Endpoint as _;
use crate::providers::openapi::{
    self, Description, Operation, json_response, reference, string_fields, typed,
};
use serde_json::{Map, Value, json};

/// Each endpoint's section title and parameters (mandatory ones marked `*`), as the
/// document's tables give them; `hash` is always mandatory.
fn table(endpoint: Endpoint) -> (&'static str, &'static [&'static str]) {
    match endpoint {
        Endpoint::CheckCustomer => (
            "1. Check customer exists",
            &["api_key*", "mobile_number", "email*"],
        ),
        Endpoint::RegistrationOtp => (
            "2. Register customer OTP",
            &["api_key*", "mobile_number", "email*"],
        ),
        Endpoint::RegisterCustomer => (
            "3. Register customer",
            &[
                "api_key*",
                "mobile_number",
                "otp*",
                "first_name*",
                "last_name*",
                "date_of_birth",
                "mpin*",
            ],
        ),
        Endpoint::FetchBalance => (
            "4. Fetch Balance",
            &["api_key*", "mobile_number", "customer_id"],
        ),
        Endpoint::CreditWallet => (
            "5. Credit Customer Wallet",
            &[
                "api_key*",
                "to_mobile_number",
                "to_customer_id",
                "amount*",
                "description",
                "merchant_transaction_id*",
                "pg_transaction_id*",
            ],
        ),
        Endpoint::DebitWallet => (
            "6. Debit Customer Wallet",
            &[
                "api_key*",
                "to_sub_merchant_id",
                "from_mobile_number",
                "from_customer_id",
                "description",
                "mpin*",
                "amount*",
                "merchant_transaction_id*",
            ],
        ),
        Endpoint::WalletToWallet => (
            "7. Wallet to Wallet Transfer",
            &[
                "api_key*",
                "from_customer_id*",
                "to_customer_id*",
                "description",
                "mpin*",
                "merchant_transaction_id*",
                "amount*",
            ],
        ),
        Endpoint::DebitReversal => (
            "8. Debit Reversal",
            &[
                "api_key*",
                "merchant_transaction_id*",
                "transaction_id",
                "description",
            ],
        ),
        Endpoint::CheckCustomerCreditLimit => (
            "9. Check Customer Credit Limit",
            &["api_key*", "mobile_number", "customer_id", "amount*"],
        ),
        Endpoint::CheckCustomerDebitLimit => (
            "10. Check Customer Debit Limit",
            &["api_key*", "mobile_number", "customer_id", "amount*"],
        ),
        Endpoint::FetchTransactions => (
            "11. Fetch Success Transactions with Pagination",
            &[
                "api_key*",
                "mobile_number",
                "customer_id",
                "page_number*",
                "page_size*",
            ],
        ),
        Endpoint::FetchByMerchanTransactionId => (
            "12. Fetch Success Transaction by Merchant transaction ID",
            &["api_key*", "merchant_transaction_id*"],
        ),
        Endpoint::FetchByMerchantTransactionId => (
            "12. Fetch Success Transaction by Merchant transaction ID (correct spelling)",
            &["api_key*", "merchant_transaction_id*"],
        ),
        Endpoint::FetchByTransactionId => (
            "13. Fetch Success Transaction by Transaction ID",
            &["api_key*", "transaction_id*"],
        ),
        Endpoint::FetchCustomerDetail => (
            "14. Fetch Customer Details",
            &["api_key*", "mobile_number", "customer_id"],
        ),
        Endpoint::UpdateCustomer => (
            "15. Update Customer Details",
            &[
                "api_key*",
                "mobile_number",
                "customer_id",
                "first_name",
                "last_name",
                "email_address",
                "date_of_birth",
                "address_line_1",
                "address_line_2",
                "city",
                "pincode",
                "description",
            ],
        ),
        Endpoint::CustomerStatus => (
            "16. Customer Status",
            &[
                "api_key*",
                "mobile_number",
                "customer_id",
                "customer_active",
            ],
        ),
        Endpoint::CustomerOtp => (
            "17. Generate Customer OTP",
            &["api_key*", "mobile_number", "customer_id"],
        ),
        Endpoint::ForgotMpin => (
            "18. Forgot MPIN",
            &[
                "api_key*",
                "mobile_number",
                "customer_id",
                "otp*",
                "new_mpin*",
            ],
        ),
        Endpoint::ChangeMpin => (
            "19. Change MPIN",
            &[
                "api_key*",
                "mobile_number",
                "customer_id",
                "old_mpin*",
                "new_mpin*",
            ],
        ),
        Endpoint::AddSubMerchant => (
            "20. Add Sub Merchant",
            &[
                "api_key*",
                "mobile_number*",
                "email*",
                "name*",
                "account_number*",
                "account_name*",
                "ifsc_code*",
                "bank_name*",
                "bank_branch*",
            ],
        ),
        Endpoint::GetSubMerchants => ("21. Get Sub Merchants", &["api_key*"]),
    }
}

pub fn description() -> Value {
    let mut schemas = Map::new();
    let page = typed::<Page>(&mut schemas, "Page");
    schemas.insert(
        "Answer".into(),
        json!({
            "type": "object",
            "description": "Every answer: `data` (and `page` for a listing) with `hash` on a \
                            success, `error` on a failure; all four null when nothing was \
                            updated",
            "required": ["data", "error", "page", "hash"],
            "properties": {
                "data": {"description": "The endpoint's data: an object, a list or a boolean"},
                "error": {"anyOf": [{"type": "null"}, {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                }]},
                "page": {"anyOf": [{"type": "null"}, page]},
                "hash": {
                    "type": ["string", "null"],
                    "description": "17.2: strtoupper(sha512(salt . the answer's JSON without hash))",
                },
            },
        }),
    );
    let operations = Endpoint::ALL
        .iter()
        .map(|endpoint| {
            let (summary, fields) = table(*endpoint);
            let mut named: Vec<(&str, &str)> = fields
                .iter()
                .map(|f| (f.trim_end_matches('*'), ""))
                .collect();
            named.push(("hash", "17.1: strtoupper(sha512(salt|v1|v2...)), values by name"));
            let mut required: Vec<&str> = fields
                .iter()
                .filter_map(|f| f.strip_suffix('*'))
                .collect();
            required.push("hash");
            let form = string_fields(&named, &required);
            Operation {
                endpoint: endpoint.name(),
                summary,
                paths: vec![match endpoint.routes().first() {
                    Some((path, _)) => path,
                    None => "/api/v1",
                }],
                methods: &["post"],
                outcomes: endpoint.outcomes(),
                parameters: vec![],
                request_body: Some(json!({
                    "required": true,
                    "content": {
                        "application/x-www-form-urlencoded": {"schema": form},
                        "application/json": {"schema": form},
                    },
                })),
                responses: json!({
                    "200": json_response(
                        "The envelope: a success or the error with its code",
                        reference("Answer"),
                        &[("failure", json!({"data": null, "error": {"code": "HASH-MISMATCH", "message": "Hash Mismatch"}, "page": null, "hash": null}))],
                    ),
                    "default": json_response(
                        "A request that reached no endpoint",
                        reference("Answer"),
                        &[],
                    ),
                }),
            }
        })
        .collect();
    openapi::document(
        "aggrepay",
        Description {
            title: "AggrePay wallet (paysandbox)",
            description: "The AggrePay wallet API as the sandbox serves it. Each request \
                          carries the merchant's `api_key` and the request hash `hash` \
                          (Appendix 17.1: SHA-512 of the salt and the non-empty values sorted \
                          by name, joined with `|`, upper case); each success carries the \
                          response hash (17.2). Every answer is HTTP 200.",
            operations,
            schemas,
            security: None,
            samples: openapi_samples::samples(),
            collection: openapi_samples::collection(),
        },
    )
}
