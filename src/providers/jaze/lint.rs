//! Jaze's lint rules over the recorded traffic: habits the sandbox lets pass that would hurt
//! against the real Jaze API.
//!
//! - `jaze.lint.polled_too_often`: the same user's payment details (S2, S4, the logs S5 and
//!   S7, or one receipt, S8) asked for again less than a second after the last time (sandbox
//!   clock); the successful answers note the `user` (and `payment`) they were about.
//! - `jaze.lint.dates_in_query`: a request the sandbox answered that sent `fromDate` or
//!   `toDate` as a query parameter. The document names only `yyyy-mm-dd` path segments
//!   (`/<fromDate>/<toDate>`); the sandbox reads the query too (jaze.md), the real API may
//!   not. The sandbox accepts no date format but `yyyy-mm-dd`, so no rule is needed for that.

use crate::diagnosis::{Finding, Traffic};
use chrono::Duration;
use std::collections::BTreeMap;

pub const POLLED_TOO_OFTEN: &str = "jaze.lint.polled_too_often";
pub const DATES_IN_QUERY: &str = "jaze.lint.dates_in_query";

pub fn lint(traffic: &[Traffic]) -> Vec<Finding> {
    let mut ordered: Vec<&Traffic> = traffic.iter().collect();
    ordered.sort_by_key(|t| t.id);
    let mut findings = polled_too_often(&ordered);
    findings.extend(dates_in_query(&ordered));
    findings
}

/// An answer of the endpoint itself, not a refusal or a fault.
fn answered(t: &Traffic) -> bool {
    t.status().is_some() && t.rule().is_none()
}

fn polled_too_often(traffic: &[&Traffic]) -> Vec<Finding> {
    // (endpoint, user, payment) → the requests less than a second after the one before.
    let mut bursts: BTreeMap<(&str, &str, &str), Vec<u64>> = BTreeMap::new();
    let mut last: BTreeMap<(&str, &str, &str), &Traffic> = BTreeMap::new();
    for t in traffic.iter().filter(|t| answered(t)) {
        let (Some(endpoint), Some(user)) = (t.endpoint(), t.fact("user")) else {
            continue;
        };
        let key = (endpoint, user, t.fact("payment").unwrap_or(""));
        if let Some(before) = last.insert(key, t)
            && t.time() - before.time() < Duration::seconds(1)
        {
            let ids = bursts.entry(key).or_default();
            if ids.last() != Some(&before.id) {
                ids.push(before.id);
            }
            ids.push(t.id);
        }
    }
    bursts
        .into_iter()
        .map(|((endpoint, user, payment), requests)| {
            let what = if payment.is_empty() {
                format!("{endpoint} for userId {user}")
            } else {
                format!("{endpoint} for userId {user}, paymentId {payment}")
            };
            Finding {
                rule: POLLED_TOO_OFTEN,
                provider: "jaze",
                hint: format!(
                    "{what} was asked {} times less than a second apart: a payment's details \
                     change only when a payment is made, so poll at most once a second (or \
                     keep the last answer).",
                    requests.len()
                ),
                requests,
            }
        })
        .collect()
}

fn dates_in_query(traffic: &[&Traffic]) -> Vec<Finding> {
    let requests: Vec<u64> = traffic
        .iter()
        .filter(|t| answered(t) && sends_dates_in_query(t))
        .map(|t| t.id)
        .collect();
    if requests.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        rule: DATES_IN_QUERY,
        provider: "jaze",
        hint: format!(
            "{} request(s) sent fromDate/toDate as query parameters: the document names only \
             path segments (/<fromDate>/<toDate>, yyyy-mm-dd); put the dates in the path, as \
             the real Jaze API may ignore the query.",
            requests.len()
        ),
        requests,
    }]
}

fn sends_dates_in_query(t: &Traffic) -> bool {
    let Some(query) = t.query() else {
        return false;
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap_or_default();
    pairs
        .iter()
        .any(|(name, value)| (name == "fromDate" || name == "toDate") && !value.is_empty())
}
