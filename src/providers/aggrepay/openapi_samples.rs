//! The AggrePay collection's requests: the document's samples on the default fixtures, and
//! the scripts that sign them (Appendix 17.1) and check the answers' signatures (17.2).

use crate::providers::openapi::{Collection, Sample, SampleBody, default_fixture};
use serde_json::{Value, json};

/// The document's samples on the default fixtures' merchant and customer; the collection's
/// pre-request script adds each `hash`.
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
    };
    let customer = ("customer_id", "{{aggrepay_customer_id}}");
    let amount = ("amount", "1.00");
    vec![
        post(
            "1. Check customer exists",
            "/api/v1/checkcustomer",
            &[("mobile_number", "{{aggrepay_mobile_number}}")],
            vec![("/data/customer_exists", json!("true"))],
        ),
        post(
            "4. Fetch Balance",
            "/api/v1/fetchbalance",
            &[customer],
            vec![(
                "/data/customer_id",
                json!(default_fixture("/aggrepay/customers/0/customer_id")),
            )],
        ),
        post(
            "9. Check Customer Credit Limit",
            "/api/v1/checkcustomercreditlimit",
            &[customer, amount],
            vec![("/data", json!(true))],
        ),
        Sample {
            keep: vec![("aggrepay_transaction_id", "/data/transaction_id")],
            ..post(
                "6. Debit Customer Wallet",
                "/api/v1/debitwallet",
                &[
                    ("from_customer_id", "{{aggrepay_customer_id}}"),
                    ("mpin", "{{aggrepay_mpin}}"),
                    amount,
                    ("merchant_transaction_id", "Postman-{{$timestamp}}"),
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
