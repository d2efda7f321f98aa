//! The integration report: for each provider and endpoint, every outcome its document
//! defines, marked exercised (how often, first request id) or not since the last reset, plus
//! lint findings over the recorded traffic.
//!
//! The counters live here, not in the journal: the journal forgets its oldest requests, the
//! counters do not. They are kept per second of the sandbox clock so `?since=` counts
//! exactly; a key costs one bucket per second in which it was seen.

mod cli;
pub mod counters;
mod junit;
mod markdown;

pub use cli::{LINT_HEADER, ReportArgs, run as run_cli};
use counters::{Counters, Key};

use crate::diagnosis::{DocumentedOutcome, Finding};
use crate::journal::Journal;
use crate::providers::Providers;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Only traffic at or after this instant, when asked.
    #[schema(value_type = Option<String>)]
    pub since: Option<DateTime<FixedOffset>>,
    pub providers: Vec<ProviderReport>,
    /// Every lint finding, all providers.
    pub lint: Vec<Finding>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProviderReport {
    pub provider: &'static str,
    /// Documented outcomes exercised / defined.
    pub exercised: usize,
    pub documented: usize,
    pub endpoints: Vec<EndpointReport>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EndpointReport {
    pub endpoint: &'static str,
    pub outcomes: Vec<OutcomeReport>,
    /// Codes answered that the document does not list for this endpoint (HTTP statuses of
    /// refusals before the endpoint, a fault's outage answer).
    pub undocumented: Vec<OutcomeReport>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutcomeReport {
    pub code: String,
    pub meaning: &'static str,
    /// How many answers had this outcome (0: not exercised).
    pub count: u64,
    /// The first request that had it.
    pub first_request: Option<u64>,
}

/// The report over `providers` (all when `only` is None), since `since`.
pub fn build(
    providers: &Providers,
    counters: &Counters,
    journal: &Journal,
    only: Option<&str>,
    since: Option<DateTime<FixedOffset>>,
) -> Report {
    let from = since.map(|s| s.timestamp());
    let mut reports = Vec::new();
    let mut lint = Vec::new();
    for provider in providers
        .iter()
        .filter(|p| only.is_none_or(|o| o == p.name()))
    {
        let mut endpoints = Vec::new();
        for (endpoint, documented) in provider.outcomes() {
            let key = Key {
                provider: provider.name(),
                endpoint,
            };
            let outcomes: Vec<OutcomeReport> = documented
                .iter()
                .map(|outcome| report_of(counters, key, outcome, from))
                .collect();
            let undocumented = counters
                .codes(key)
                .into_iter()
                .filter(|code| !documented.iter().any(|d| d.code == code))
                .filter_map(|code| {
                    let (count, first) = counters.tally(key, &code, from)?;
                    Some(OutcomeReport {
                        code,
                        meaning: "not in the document for this endpoint",
                        count,
                        first_request: Some(first),
                    })
                })
                .collect();
            endpoints.push(EndpointReport {
                endpoint,
                outcomes,
                undocumented,
            });
        }
        let documented = endpoints.iter().map(|e| e.outcomes.len()).sum();
        let exercised = endpoints
            .iter()
            .flat_map(|e| &e.outcomes)
            .filter(|o| o.count > 0)
            .count();
        lint.extend(provider.lint(&journal.traffic(provider.name(), since)));
        reports.push(ProviderReport {
            provider: provider.name(),
            exercised,
            documented,
            endpoints,
        });
    }
    Report {
        since,
        providers: reports,
        lint,
    }
}

fn report_of(
    counters: &Counters,
    key: Key,
    outcome: &DocumentedOutcome,
    from: Option<i64>,
) -> OutcomeReport {
    let tally = counters.tally(key, outcome.code, from);
    OutcomeReport {
        code: outcome.code.to_string(),
        meaning: outcome.meaning,
        count: tally.map_or(0, |(count, _)| count),
        first_request: tally.map(|(_, first)| first),
    }
}

impl Report {
    pub fn junit(&self) -> String {
        junit::write(self)
    }

    pub fn markdown(&self) -> String {
        markdown::write(self)
    }
}
