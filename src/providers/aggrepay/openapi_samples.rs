//! The AggrePay collection's requests: the document's samples on the default fixtures, and
//! the scripts that sign them (Appendix 17.1) and check the answers' signatures (17.2).

use crate::providers::openapi::{Collection, Fresh, Sample, SampleBody, default_fixture};
use serde_json::{Value, json};

/// The document's flow as an integrator runs it, on the default merchant: a new customer
/// (a fresh mobile number per run) gets an OTP, read from the sandbox's SMS outbox, and
/// registers; the gateway's payment is recorded through the control plane and credited; the
/// customer pays, is looked up, reversed, transfers to the default customer, resets and changes
/// the MPIN, is deactivated; a sub merchant is added. The pre-request script adds each `hash`.
pub fn samples() -> Vec<Sample> {
    let post = |name, endpoint, fields: &[(&'static str, &str)], success: Vec<_>| Sample {
        name,
        method: "post",
        path: endpoint,
        query: vec![],
        body: SampleBody::Form(
            [("api_key", "{{aggrepay_api_key}}")]
                .iter()
                .chain(fields)
                .map(|(k, v)| (*k, v.to_string()))
                .collect(),
        ),
        success: [("/error", Value::Null)]
            .into_iter()
            .chain(success)
            .collect(),
        keep: vec![],
        status: 200,
        fresh: vec![],
    };
    // The customer's phone: the OTPs the sandbox sent to the new number, oldest first.
    let outbox = |name, index: &'static str, purpose: &str| Sample {
        name,
        method: "get",
        path: "/__sandbox/aggrepay/otps",
        query: vec![("mobile_number", "{{aggrepay_new_mobile}}".to_string())],
        body: SampleBody::None,
        success: vec![(index, json!(purpose))],
        keep: vec![(
            "aggrepay_otp",
            if index.starts_with("/0") {
                "/0/otp"
            } else {
                "/1/otp"
            },
        )],
        status: 200,
        fresh: vec![],
    };
    let mobile = ("mobile_number", "{{aggrepay_new_mobile}}");
    let customer = ("customer_id", "{{aggrepay_new_customer_id}}");
    let debit_id = ("merchant_transaction_id", "Postman-debit-{{aggrepay_run}}");
    vec![
        Sample {
            fresh: vec![
                ("aggrepay_run", Fresh::Stamp),
                ("aggrepay_new_mobile", Fresh::Mobile),
            ],
            ..post(
                "1. Check customer exists",
                "/api/v1/checkcustomer",
                &[("mobile_number", "{{aggrepay_mobile_number}}")],
                vec![("/data/customer_exists", json!("true"))],
            )
        },
        post(
            "2. Register customer OTP",
            "/api/v1/registrationotp",
            &[mobile, ("email", "postman-{{aggrepay_run}}@example.com")],
            vec![],
        ),
        outbox(
            "The customer's phone: the registration OTP",
            "/0/purpose",
            "registration",
        ),
        Sample {
            keep: vec![("aggrepay_new_customer_id", "/data/customer_id")],
            ..post(
                "3. Register customer",
                "/api/v1/registercustomer",
                &[
                    mobile,
                    ("otp", "{{aggrepay_otp}}"),
                    ("first_name", "Postman"),
                    ("last_name", "Customer"),
                    ("date_of_birth", "1990-01-01"),
                    ("mpin", "{{aggrepay_mpin}}"),
                ],
                vec![],
            )
        },
        post(
            "9. Check Customer Credit Limit",
            "/api/v1/checkcustomercreditlimit",
            &[customer, ("amount", "100.00")],
            vec![("/data", json!(true))],
        ),
        Sample {
            method: "post",
            path: "/__sandbox/aggrepay/pg-transactions",
            body: SampleBody::Json(json!({
                "api_key": "{{aggrepay_api_key}}",
                "amount": "100.00",
                "pg_transaction_id": "PG-Postman-{{aggrepay_run}}",
            })),
            success: vec![("/used", json!(false))],
            status: 201,
            ..post("The bank: the gateway's payment", "", &[], vec![])
        },
        post(
            "5. Credit Customer Wallet",
            "/api/v1/creditwallet",
            &[
                ("to_customer_id", "{{aggrepay_new_customer_id}}"),
                ("amount", "100.00"),
                ("description", "Wallet top-up"),
                ("merchant_transaction_id", "Postman-credit-{{aggrepay_run}}"),
                ("pg_transaction_id", "PG-Postman-{{aggrepay_run}}"),
            ],
            vec![],
        ),
        post(
            "4. Fetch Balance",
            "/api/v1/fetchbalance",
            &[customer],
            vec![],
        ),
        post(
            "10. Check Customer Debit Limit",
            "/api/v1/checkcustomerdebitlimit",
            &[customer, ("amount", "10.00")],
            vec![("/data", json!(true))],
        ),
        Sample {
            keep: vec![("aggrepay_transaction_id", "/data/transaction_id")],
            ..post(
                "6. Debit Customer Wallet",
                "/api/v1/debitwallet",
                &[
                    ("from_customer_id", "{{aggrepay_new_customer_id}}"),
                    ("mpin", "{{aggrepay_mpin}}"),
                    ("amount", "10.00"),
                    debit_id,
                    ("description", "Order 42"),
                ],
                vec![],
            )
        },
        post(
            "13. Fetch Success Transaction by Transaction ID",
            "/api/v1/fetchbytransactionid",
            &[("transaction_id", "{{aggrepay_transaction_id}}")],
            vec![("/data/transaction_status", json!("PAYMENT_SUCCESS"))],
        ),
        post(
            "12. Fetch Success Transaction by Merchant transaction ID",
            "/api/v1/fetchbymerchantransactionid",
            &[debit_id],
            vec![],
        ),
        post(
            "12. Fetch Success Transaction by Merchant transaction ID (correct spelling)",
            "/api/v1/fetchbymerchanttransactionid",
            &[debit_id],
            vec![],
        ),
        post(
            "8. Debit Reversal",
            "/api/v1/debitreversal",
            &[
                debit_id,
                ("transaction_id", "{{aggrepay_transaction_id}}"),
                ("description", "Order 42 cancelled"),
            ],
            vec![],
        ),
        // The section's documented error: the same debit reversed again.
        Sample {
            success: vec![("/error/code", json!("TRANSACTION-ALREADY-REVERSED"))],
            ..post(
                "8. Debit Reversal: already reversed (the documented error)",
                "/api/v1/debitreversal",
                &[
                    debit_id,
                    ("transaction_id", "{{aggrepay_transaction_id}}"),
                    ("description", "Order 42 cancelled"),
                ],
                vec![],
            )
        },
        post(
            "7. Wallet to Wallet Transfer",
            "/api/v1/wallettowallet",
            &[
                ("from_customer_id", "{{aggrepay_new_customer_id}}"),
                ("to_customer_id", "{{aggrepay_customer_id}}"),
                ("description", "Split the bill"),
                ("mpin", "{{aggrepay_mpin}}"),
                ("merchant_transaction_id", "Postman-w2w-{{aggrepay_run}}"),
                ("amount", "5.00"),
            ],
            vec![],
        ),
        post(
            "11. Fetch Success Transactions with Pagination",
            "/api/v1/fetchtransactions",
            &[customer, ("page_number", "1"), ("page_size", "10")],
            vec![("/page/page_number", json!(1))],
        ),
        post(
            "14. Fetch Customer Details",
            "/api/v1/fetchcustomerdetail",
            &[customer],
            vec![],
        ),
        post(
            "15. Update Customer Details",
            "/api/v1/updatecustomer",
            &[
                customer,
                ("first_name", "Postman"),
                ("last_name", "Updated"),
                ("city", "Mumbai"),
                ("pincode", "400001"),
            ],
            vec![],
        ),
        post(
            "17. Generate Customer OTP",
            "/api/v1/customerotp",
            &[customer],
            vec![("/data/otp_sent", json!("true"))],
        ),
        outbox(
            "The customer's phone: the customer OTP",
            "/1/purpose",
            "customer",
        ),
        post(
            "18. Forgot MPIN",
            "/api/v1/forgotmpin",
            &[customer, ("otp", "{{aggrepay_otp}}"), ("new_mpin", "4321")],
            vec![("/data/mpin_updated", json!("true"))],
        ),
        post(
            "19. Change MPIN",
            "/api/v1/changempin",
            &[
                customer,
                ("old_mpin", "4321"),
                ("new_mpin", "{{aggrepay_mpin}}"),
            ],
            vec![],
        ),
        post(
            "16. Customer Status",
            "/api/v1/customerstatus",
            &[customer, ("customer_active", "n")],
            vec![("/data/customer_active", json!("n"))],
        ),
        post(
            "20. Add Sub Merchant",
            "/api/v1/addsubmerchant",
            &[
                mobile,
                ("email", "shop-{{aggrepay_run}}@example.com"),
                ("name", "Postman Shop"),
                ("account_number", "123456789012"),
                ("account_name", "Postman Shop"),
                ("ifsc_code", "HDFC0001234"),
                ("bank_name", "HDFC Bank"),
                ("bank_branch", "Mumbai"),
            ],
            vec![],
        ),
        post(
            "21. Get Sub Merchants",
            "/api/v1/getsubmerchants",
            &[],
            vec![],
        ),
    ]
}

/// Appendix 17.1 before each request (every value resolved first, so that the hash covers
/// what is sent), 17.2 checked on each signed answer.
const PREREQUEST: &[&str] = &[
    "// AggrePay 17.1: strtoupper(sha512(salt|v1|v2...)), the form's non-empty values by name.",
    "const cryptoJs = require('crypto-js');",
    "const form = pm.request.body && pm.request.body.urlencoded;",
    "if (form) {",
    "    form.each(function (p) { p.value = pm.variables.replaceIn(p.value); });",
    "    const fields = form.all()",
    "        .filter(function (p) { return p.key.toLowerCase() !== 'hash' && !p.disabled; })",
    "        .map(function (p) { return [p.key, String(p.value).trim()]; })",
    "        .filter(function (p) { return p[1] !== ''; });",
    "    fields.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });",
    "    const data = [pm.variables.get('aggrepay_salt')].concat(fields.map(function (p) { return p[1]; })).join('|');",
    "    form.upsert({ key: 'hash', value: cryptoJs.SHA512(data).toString().toUpperCase() });",
    "}",
];

const TEST: &[&str] = &[
    "// AggrePay 17.2: strtoupper(sha512(salt . the answer's JSON without its hash)).",
    "const cryptoJs = require('crypto-js');",
    "const signed = pm.response.text().match(/^([\\s\\S]*),\"hash\":\"([0-9A-F]+)\"}$/);",
    "const answer = pm.response.json();",
    "if (answer.error === null && answer.hash !== null) {",
    "    pm.test('the response hash matches', function () {",
    "        pm.expect(signed, 'a hash').to.not.equal(null);",
    "        const expected = cryptoJs.SHA512(pm.variables.get('aggrepay_salt') + signed[1] + '}');",
    "        pm.expect(expected.toString().toUpperCase()).to.eql(signed[2]);",
    "    });",
    "}",
];

pub fn collection() -> Collection {
    let mobile = default_fixture("/aggrepay/customers/0/mobile_number");
    Collection {
        variables: vec![
            (
                "aggrepay_api_key",
                default_fixture("/aggrepay/merchants/0/api_key"),
            ),
            (
                "aggrepay_salt",
                default_fixture("/aggrepay/merchants/0/salt"),
            ),
            (
                "aggrepay_customer_id",
                default_fixture("/aggrepay/customers/0/customer_id"),
            ),
            (
                "aggrepay_mobile_number",
                mobile.trim_start_matches("+91").to_string(),
            ),
            (
                "aggrepay_mpin",
                default_fixture("/aggrepay/customers/0/mpin"),
            ),
        ],
        prerequest: PREREQUEST,
        test: TEST,
        ..Collection::default()
    }
}
