//! PayPro's lint rules over the recorded traffic (the integration report's `lint`): habits
//! the sandbox tolerates but the real service punishes. Requests are read again from their
//! kept query and body (a request a fault cut off never reached a handler to note facts).

use super::payload::{Inputs, Props, parse_lenient};
use super::rules::parse_order_date;
use super::store::order_key;
use crate::diagnosis::{Finding, Traffic};
use chrono::TimeDelta;
use serde_json::Value;
use std::collections::BTreeMap;

/// The same OrderNumber sent to co/cmo again after an `01` ("already exists") for it.
pub const ORDER_NUMBER_REUSED: &str = "paypro.lint.order_number_reused";
/// `gos` asked about one order more than once a second.
pub const GOS_POLLED_FAST: &str = "paypro.lint.gos_polled_fast";
/// A write retried after a timeout or a dropped connection without a status query first.
pub const WRITE_RETRIED_BLIND: &str = "paypro.lint.write_retried_without_status";
/// An order date in a format the sandbox accepts but the document does not show.
pub const DATE_FORMAT_UNDOCUMENTED: &str = "paypro.lint.date_format_undocumented";

/// The writes a timeout leaves in doubt, and the query that tells whether one took effect.
const WRITES: &[&str] = &["co", "cmo", "moap", "moab", "mofr", "cc"];

pub fn lint(traffic: &[Traffic]) -> Vec<Finding> {
    let mut findings = order_numbers_reused(traffic);
    findings.extend(gos_polled_fast(traffic));
    findings.extend(writes_retried_blind(traffic));
    findings.extend(undocumented_dates(traffic));
    findings
}

fn finding(rule: &'static str, requests: Vec<u64>, hint: String) -> Finding {
    Finding {
        rule,
        provider: "paypro",
        requests,
        hint,
    }
}

fn inputs(t: &Traffic) -> Inputs {
    let body = t.body();
    Inputs::read_kept(t.query().as_deref(), t.content_type().as_deref(), &body)
}

/// The elements after element 0 of a co/cmo request's `oJson`.
fn orders(t: &Traffic) -> Vec<serde_json::Map<String, Value>> {
    let Some((text, _)) = inputs(t).payload_at("oJson") else {
        return Vec::new();
    };
    let Some(Value::Array(items)) = parse_lenient(&text) else {
        return Vec::new();
    };
    items
        .into_iter()
        .skip(1)
        .filter_map(|item| match item {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .collect()
}

fn order_numbers(t: &Traffic) -> Vec<String> {
    orders(t)
        .iter()
        .filter_map(|o| Props(o).text("OrderNumber"))
        .collect()
}

fn is(t: &Traffic, endpoints: &[&str]) -> bool {
    t.endpoint().is_some_and(|e| endpoints.contains(&e))
}

fn order_numbers_reused(traffic: &[Traffic]) -> Vec<Finding> {
    // Per refused order number (by key): its number as sent, then the requests.
    let mut refused: BTreeMap<String, (String, Vec<u64>)> = BTreeMap::new();
    let mut reused = Vec::new();
    for t in traffic.iter().filter(|t| is(t, &["co", "cmo"])) {
        for number in order_numbers(t) {
            if let Some((_, ids)) = refused.get_mut(&order_key(&number)) {
                if ids.len() == 1 {
                    reused.push(order_key(&number));
                }
                ids.push(t.id);
            }
        }
        // co answers its one order's `01`; cmo notes each order refused as existing.
        let now_refused: Vec<String> = if is(t, &["co"]) && t.rule() == Some("paypro.order.exists")
        {
            order_numbers(t)
        } else {
            let facts = t.facts().iter().filter(|(name, _)| *name == "refused");
            facts.map(|(_, number)| number.clone()).collect()
        };
        for number in now_refused {
            refused
                .entry(order_key(&number))
                .or_insert_with(|| (number, vec![t.id]));
        }
    }
    reused
        .into_iter()
        .filter_map(|key| refused.remove(&key))
        .map(|(number, ids)| {
            let hint = format!(
                "OrderNumber {number} was answered 01 (already exists) in request {} and sent again: a retry with the same number can never succeed; query the order with gos, or create a new one with a new OrderNumber.",
                ids[0]
            );
            finding(ORDER_NUMBER_REUSED, ids, hint)
        })
        .collect()
}

fn gos_polled_fast(traffic: &[Traffic]) -> Vec<Finding> {
    let mut last: BTreeMap<String, &Traffic> = BTreeMap::new();
    let mut fast: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for t in traffic.iter().filter(|t| is(t, &["gos"])) {
        let Some(cpay_id) = inputs(t).param("cpayId") else {
            continue;
        };
        if let Some(before) = last.get(&cpay_id)
            && t.time() - before.time() < TimeDelta::seconds(1)
        {
            let ids = fast.entry(cpay_id.clone()).or_default();
            if ids.last() != Some(&before.id) {
                ids.push(before.id);
            }
            ids.push(t.id);
        }
        last.insert(cpay_id, t);
    }
    fast.into_iter()
        .map(|(cpay_id, ids)| {
            let hint = format!(
                "gos was asked about cpayId {cpay_id} {} times less than a second apart: poll an order at most once a second (back off while it stays Unpaid).",
                ids.len()
            );
            finding(GOS_POLLED_FAST, ids, hint)
        })
        .collect()
}

/// What makes two writes the same: the endpoint and the order numbers (or ConsumerIDs, or
/// csvOrders' CsvOrderNumbers), else the raw request.
fn write_key(t: &Traffic) -> (String, String) {
    let endpoint = t.endpoint().unwrap_or_default().to_string();
    let inputs = inputs(t);
    let what = match endpoint.as_str() {
        "co" | "cmo" => {
            let mut numbers: Vec<String> = order_numbers(t).iter().map(|n| order_key(n)).collect();
            numbers.sort();
            numbers.join(",")
        }
        "cc" => orders(t)
            .iter()
            .filter_map(|c| Props(c).text("ConsumerID"))
            .collect::<Vec<_>>()
            .join(","),
        _ => inputs
            .payload_at("csvOrders")
            .and_then(|(text, _)| parse_lenient(&text))
            .and_then(|v| Props(v.as_object()?).text("CsvOrderNumbers"))
            .unwrap_or_default(),
    };
    let what = if what.is_empty() {
        format!("{}?{}", t.query().unwrap_or_default(), t.body())
    } else {
        what
    };
    (endpoint, what)
}

fn cut_off(t: &Traffic) -> bool {
    matches!(t.code(), Some("timeout" | "dropped"))
}

fn writes_retried_blind(traffic: &[Traffic]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (at, t) in traffic.iter().enumerate() {
        if !(is(t, WRITES) && cut_off(t)) {
            continue;
        }
        let key = write_key(t);
        let status = if key.0 == "cc" { "gcd" } else { "gos" };
        for later in &traffic[at + 1..] {
            if is(later, &[status]) {
                break;
            }
            if is(later, WRITES) && write_key(later) == key {
                let hint = format!(
                    "{} request {} got no answer ({}) and was sent again in request {} without a {status} first: the first may have taken effect; ask {status} before retrying a write.",
                    key.0,
                    t.id,
                    t.code().unwrap_or_default(),
                    later.id
                );
                findings.push(finding(WRITE_RETRIED_BLIND, vec![t.id, later.id], hint));
                break;
            }
        }
    }
    findings
}

/// The accepted order-date format a date is in when the document does not show it: the
/// document's tables name `yyyy-MM-dd` and its samples send `dd/MM/yyyy`.
fn undocumented_format(text: &str) -> Option<&'static str> {
    let text = text.trim();
    parse_order_date(text)?;
    let shape: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { 'd' } else { c })
        .collect();
    match shape.as_str() {
        "dddd-dd-dd" | "dd/dd/dddd" => None,
        _ if text.contains('/') => Some("d/M/yyyy"),
        _ => Some("dd-MM-yyyy"),
    }
}

fn undocumented_dates(traffic: &[Traffic]) -> Vec<Finding> {
    let mut found: BTreeMap<&'static str, (String, Vec<u64>)> = BTreeMap::new();
    for t in traffic.iter().filter(|t| is(t, &["co", "cmo"])) {
        for order in orders(t) {
            for field in ["OrderDueDate", "IssueDate"] {
                let Some(text) = Props(&order).text(field) else {
                    continue;
                };
                if let Some(format) = undocumented_format(&text) {
                    let (_, ids) = found
                        .entry(format)
                        .or_insert_with(|| (format!("{field} {text:?}"), Vec::new()));
                    if ids.last() != Some(&t.id) {
                        ids.push(t.id);
                    }
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(format, (example, ids))| {
            let hint = format!(
                "Dates sent as {format} (e.g. {example}): the sandbox reads them, but the document shows only yyyy-MM-dd and dd/MM/yyyy; send one of those."
            );
            finding(DATE_FORMAT_UNDOCUMENTED, ids, hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::undocumented_format;

    #[test]
    fn only_the_documents_date_formats_pass() {
        assert_eq!(undocumented_format("2020-03-21"), None);
        assert_eq!(undocumented_format("21/03/2020"), None);
        assert_eq!(undocumented_format("1/3/2020"), Some("d/M/yyyy"));
        assert_eq!(undocumented_format("21-03-2020"), Some("dd-MM-yyyy"));
        // Refused dates are the diagnosis' business, not a lint's.
        assert_eq!(undocumented_format("21.03.2020"), None);
    }
}
