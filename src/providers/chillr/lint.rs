//! Chillr's lint rules over the recorded traffic: habits the sandbox lets pass that cost
//! money or trust against the real Chillr.
//!
//! - `chillr.lint.batch_never_checked`: a batch created (a successful `collect`, which notes
//!   its `batch`) that no later successful `check_collect_status` asked for: the merchant
//!   never learns who paid, declined or let the request expire.
//! - `chillr.lint.collect_retried_after_timeout`: a `collect` that got no answer (a `timeout`
//!   or `dropped` fault) sent again with the same batch (same api_key, name, expiry date and
//!   customers) with no `check_collect_status` of that merchant between: the first may have
//!   created the batch, and Chillr has no idempotency key, so the customers would be asked to
//!   pay twice.
//!
//! Expiry dates in a format the document does not name need no rule: the sandbox refuses
//! every format but `dd-mm-yyyy` (55), as the document says.

use super::wire::{Field, Params};
use crate::diagnosis::{Finding, Traffic};

pub const BATCH_NEVER_CHECKED: &str = "chillr.lint.batch_never_checked";
pub const RETRIED_AFTER_TIMEOUT: &str = "chillr.lint.collect_retried_after_timeout";

const COLLECT: &str = "collect";
const STATUS: &str = "check_collect_status";
/// The codes the front records for a request a fault rule left without an answer.
const NO_ANSWER: &[&str] = &["timeout", "dropped"];

pub fn lint(traffic: &[Traffic]) -> Vec<Finding> {
    let mut ordered: Vec<&Traffic> = traffic.iter().collect();
    // A request held by a `timeout` fault is journaled when it ends: order by arrival (id).
    ordered.sort_by_key(|t| t.id);
    let mut findings = never_checked(&ordered);
    findings.extend(retried_after_timeout(&ordered));
    findings
}

fn is_success(t: &Traffic) -> bool {
    t.code() == Some("0")
}

fn never_checked(traffic: &[&Traffic]) -> Vec<Finding> {
    traffic
        .iter()
        .enumerate()
        .filter(|(_, t)| t.endpoint() == Some(COLLECT) && is_success(t))
        .filter_map(|(i, created)| {
            let batch = created.fact("batch")?;
            let checked = traffic[i + 1..].iter().any(|later| {
                later.endpoint() == Some(STATUS) && later.fact("batch") == Some(batch)
            });
            (!checked).then(|| Finding {
                rule: BATCH_NEVER_CHECKED,
                provider: "chillr",
                requests: vec![created.id],
                hint: format!(
                    "Batch {batch} was created (request {}) but never checked: call \
                     check_collect_status with its batch_id to learn who paid, declined or \
                     let the request expire.",
                    created.id
                ),
            })
        })
        .collect()
}

/// What makes two `collect` requests the same batch: the merchant, name, expiry date and
/// every customer's msisdn and amount, as sent.
#[derive(PartialEq)]
struct Batch {
    api_key: Field,
    name: Field,
    expiry_date: Field,
    customers: Vec<(Field, Field)>,
}

fn batch_of(t: &Traffic) -> Batch {
    let params = Params::read(t.body().as_bytes());
    Batch {
        api_key: params.field("api_key"),
        name: params.field("name"),
        expiry_date: params.field("expiry_date"),
        customers: params
            .customers()
            .unwrap_or_default()
            .iter()
            .map(|c| (c.field("msisdn"), c.field("amount")))
            .collect(),
    }
}

fn retried_after_timeout(traffic: &[&Traffic]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, lost) in traffic.iter().enumerate() {
        if lost.endpoint() != Some(COLLECT) || !lost.code().is_some_and(|c| NO_ANSWER.contains(&c))
        {
            continue;
        }
        let batch = batch_of(lost);
        for later in &traffic[i + 1..] {
            let merchant = || Params::read(later.body().as_bytes()).field("api_key");
            if later.endpoint() == Some(STATUS) && merchant() == batch.api_key {
                break;
            }
            if later.endpoint() == Some(COLLECT) && batch_of(later) == batch {
                findings.push(Finding {
                    rule: RETRIED_AFTER_TIMEOUT,
                    provider: "chillr",
                    requests: vec![lost.id, later.id],
                    hint: format!(
                        "collect request {} got no answer ({}) and the same batch was sent \
                         again (request {}) without a check_collect_status first: the first \
                         may have created the batch, and Chillr has no idempotency key, so \
                         customers may be asked to pay twice. Check the merchant's batches \
                         before sending it again.",
                        lost.id,
                        lost.code().unwrap_or_default(),
                        later.id
                    ),
                });
                break;
            }
        }
    }
    findings
}
