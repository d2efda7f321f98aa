//! AggrePay's lint rules over the recorded traffic: habits that the sandbox lets pass but
//! that would hurt against the real service. Each reads the posted values from the kept
//! body (form, multipart or JSON, as the endpoints read it) and never puts a value that the
//! provider treats as secret into a finding.
//!
//! - `aggrepay.lint.untrimmed_values`: a request whose hash matched but some posted value
//!   had spaces around it; the sandbox trims before hashing, as Laravel does, but a stricter
//!   gateway or proxy in between may not.
//! - `aggrepay.lint.retry_without_status`: a money move retried (same endpoint, merchant
//!   and `merchant_transaction_id`) after a timeout or a dropped connection, with no status
//!   query in between; the first may have gone through.
//!
//! AggrePay's only date field (`date_of_birth`) is accepted as `Y-m-d` alone, as the
//! document names it, so no date lint applies.

use crate::diagnosis::{Finding, Traffic};
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::rules::normalize_mobile;
use bytes::Bytes;
use std::collections::BTreeSet;

pub const UNTRIMMED: &str = "aggrepay.lint.untrimmed_values";
pub const RETRY: &str = "aggrepay.lint.retry_without_status";

/// The endpoints that move money.
const MOVES: &[&str] = &[
    "creditwallet",
    "debitwallet",
    "wallettowallet",
    "debitreversal",
];

/// The endpoints that tell whether a move went through.
const STATUS_QUERIES: &[&str] = &[
    "fetchbytransactionid",
    "fetchbymerchantransactionid",
    "fetchbymerchanttransactionid",
    "fetchtransactions",
    "fetchbalance",
];

/// The fields that name a customer wallet.
const PARTIES: &[&str] = &[
    "customer_id",
    "mobile_number",
    "from_customer_id",
    "from_mobile_number",
    "to_customer_id",
    "to_mobile_number",
];

/// The codes of a request that got no answer.
const UNANSWERED: &[&str] = &["timeout", "dropped"];

pub fn lint(traffic: &[Traffic]) -> Vec<Finding> {
    let read: Vec<Fields> = traffic.iter().map(fields).collect();
    let mut findings = Vec::new();
    findings.extend(untrimmed(traffic, &read));
    findings.extend(retries(traffic, &read));
    findings
}

fn fields(request: &Traffic) -> Fields {
    let body = Bytes::copy_from_slice(request.body().as_bytes());
    Fields::read(request.content_type().as_deref(), &body)
}

/// Whether the request's hash was checked and matched: it has a provider code that is
/// neither an authentication refusal nor a fault's.
fn signed(request: &Traffic) -> bool {
    request.endpoint().is_some()
        && request.code().is_some_and(|code| {
            !matches!(
                code,
                "UNAUTHORIZED" | "HASH-MISMATCH" | "fault" | "dropped" | "timeout"
            )
        })
        && !request
            .rule()
            .is_some_and(|rule| rule.starts_with("sandbox."))
}

fn untrimmed(traffic: &[Traffic], read: &[Fields]) -> Option<Finding> {
    let mut requests = Vec::new();
    let mut names = BTreeSet::new();
    for (request, fields) in traffic.iter().zip(read) {
        let spaced: Vec<&str> = fields.untrimmed().filter(|n| *n != "hash").collect();
        if spaced.is_empty() || !signed(request) {
            continue;
        }
        requests.push(request.id);
        names.extend(spaced.into_iter().map(str::to_string));
    }
    if requests.is_empty() {
        return None;
    }
    let names: Vec<String> = names.into_iter().collect();
    Some(Finding {
        rule: UNTRIMMED,
        provider: "aggrepay",
        requests,
        hint: format!(
            "These requests were signed over trimmed values but posted values with spaces \
             around them ({}): the sandbox trims before checking the hash, as AggrePay does, \
             but a stricter gateway may not. Trim each value before posting and hashing.",
            names.join(", ")
        ),
    })
}

/// The wallets a request names (mobile numbers normalised).
fn parties(fields: &Fields) -> BTreeSet<String> {
    PARTIES
        .iter()
        .filter_map(|name| fields.get(name))
        .map(|value| normalize_mobile(value).unwrap_or_else(|| value.to_string()))
        .collect()
}

/// Whether `query` tells the state of the move `fields` (same merchant; the same id, the
/// same wallet, or a transaction id).
fn answers(query: &Traffic, query_fields: &Fields, fields: &Fields) -> bool {
    let Some(endpoint) = query.endpoint() else {
        return false;
    };
    if !STATUS_QUERIES.contains(&endpoint) || query_fields.get("api_key") != fields.get("api_key") {
        return false;
    }
    match endpoint {
        "fetchbytransactionid" => true,
        "fetchbymerchantransactionid" | "fetchbymerchanttransactionid" => {
            query_fields.get("merchant_transaction_id") == fields.get("merchant_transaction_id")
        }
        _ => {
            let wanted = parties(fields);
            wanted.is_empty() || !parties(query_fields).is_disjoint(&wanted)
        }
    }
}

fn retries(traffic: &[Traffic], read: &[Fields]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (first, lost) in traffic.iter().enumerate() {
        let Some(endpoint) = lost.endpoint().filter(|e| MOVES.contains(e)) else {
            continue;
        };
        if !lost.code().is_some_and(|c| UNANSWERED.contains(&c)) {
            continue;
        }
        let fields = &read[first];
        let Some(id) = fields.get("merchant_transaction_id") else {
            continue;
        };
        let same = |i: usize| {
            traffic[i].endpoint() == Some(endpoint)
                && read[i].get("merchant_transaction_id") == Some(id)
                && read[i].get("api_key") == fields.get("api_key")
        };
        let Some(retry) = (first + 1..traffic.len()).find(|&i| same(i)) else {
            continue;
        };
        let checked = (first + 1..retry).any(|i| answers(&traffic[i], &read[i], fields));
        if checked {
            continue;
        }
        let (lost_id, retry_id) = (lost.id, traffic[retry].id);
        let code = lost.code().unwrap_or_default();
        findings.push(Finding {
            rule: RETRY,
            provider: "aggrepay",
            requests: vec![lost_id, traffic[retry].id],
            hint: format!(
                "{endpoint} `{id}` was sent again (request {retry_id}) after request {lost_id} \
                 got no answer ({code}), with no status query in between: the first may have \
                 gone through. Ask fetchbymerchantransactionid (or fetchtransactions / \
                 fetchbalance for the wallet) before retrying a money move."
            ),
        });
    }
    findings
}
