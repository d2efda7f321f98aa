//! The integration report: for each provider and endpoint, every outcome its document
//! defines, marked exercised (how often, first request id) or not since the last reset, plus
//! lint findings over the recorded traffic.
//!
//! The counters live here, not in the journal: the journal forgets its oldest requests, the
//! counters do not. They are kept per second of the sandbox clock so `?since=` counts
//! exactly; a key costs one bucket per second in which it was seen.

mod cli;
mod junit;
mod markdown;

pub use cli::{LINT_HEADER, ReportArgs, run as run_cli};

use crate::diagnosis::{DocumentedOutcome, Finding};
use crate::journal::Journal;
use crate::providers::Providers;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many distinct codes one endpoint keeps in one part of the counters, so at most
/// [`SHARDS`] times this in all (a client could make up codes no more than a provider answers,
/// but a fault rule's status is the client's choice).
const UNDOCUMENTED_KEYS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    provider: &'static str,
    endpoint: &'static str,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    count: u64,
    first: u64,
}

/// Seen outcomes of one endpoint: code → second → bucket.
type Seen = HashMap<String, BTreeMap<i64, Bucket>>;

/// How many parts the counters are kept in. Every answer is counted, from every worker
/// thread: one lock for all of them would be a point every request of every core passes in
/// turn. Each thread counts into its own part (threads beyond this share), and the report,
/// which is rare, adds the parts up.
const SHARDS: usize = 16;

/// One part of the counters, on a cache line of its own so that two workers counting into
/// neighbouring parts do not contend for the line.
#[derive(Default)]
#[repr(align(128))]
struct Shard(Mutex<HashMap<Key, Seen>>);

/// The outcome counters, from the last reset.
pub struct Counters {
    shards: [Shard; SHARDS],
}

impl Default for Counters {
    fn default() -> Self {
        Counters {
            shards: std::array::from_fn(|_| Shard::default()),
        }
    }
}

/// This thread's part of the counters (given out in turn as threads first count).
fn this_threads_shard() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SHARD: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS;
    }
    SHARD.with(|shard| *shard)
}

impl Counters {
    /// Counts one answer of `provider`'s `endpoint` with `code`.
    pub fn count(
        &self,
        provider: &'static str,
        endpoint: &'static str,
        code: &str,
        id: u64,
        time: DateTime<FixedOffset>,
    ) {
        let mut inner = lock(&self.shards[this_threads_shard()]);
        let seen = inner.entry(Key { provider, endpoint }).or_default();
        // The code is copied only the first time it is seen: this runs on every request.
        if !seen.contains_key(code) {
            if seen.len() >= UNDOCUMENTED_KEYS {
                return;
            }
            seen.insert(code.to_string(), BTreeMap::new());
        }
        let Some(buckets) = seen.get_mut(code) else {
            return;
        };
        let bucket = buckets.entry(time.timestamp()).or_insert(Bucket {
            count: 0,
            first: id,
        });
        bucket.count += 1;
        bucket.first = bucket.first.min(id);
    }

    pub fn clear(&self) {
        for shard in &self.shards {
            let old = std::mem::take(&mut *lock(shard));
            drop(old);
        }
    }

    /// How often `code` was answered since `since`, and the first request that got it.
    fn tally(&self, key: Key, code: &str, since: Option<i64>) -> Option<(u64, u64)> {
        let mut tally: Option<(u64, u64)> = None;
        for shard in &self.shards {
            let inner = lock(shard);
            let Some(buckets) = inner.get(&key).and_then(|seen| seen.get(code)) else {
                continue;
            };
            for bucket in buckets.range(since.unwrap_or(i64::MIN)..).map(|(_, b)| b) {
                tally = Some(match tally {
                    None => (bucket.count, bucket.first),
                    Some((count, first)) => (count + bucket.count, first.min(bucket.first)),
                });
            }
        }
        tally
    }

    fn codes(&self, key: Key) -> Vec<String> {
        let mut codes: Vec<String> = Vec::new();
        for shard in &self.shards {
            if let Some(seen) = lock(shard).get(&key) {
                codes.extend(seen.keys().cloned());
            }
        }
        codes.sort();
        codes.dedup();
        codes
    }
}

fn lock(shard: &Shard) -> std::sync::MutexGuard<'_, HashMap<Key, Seen>> {
    shard.0.lock().unwrap_or_else(|e| e.into_inner())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_many_threads_add_up_with_the_first_request_of_all() {
        let counters = Counters::default();
        let time = DateTime::parse_from_rfc3339("2026-12-05T10:00:00+05:30").unwrap();
        let key = Key {
            provider: "acme",
            endpoint: "status",
        };
        std::thread::scope(|scope| {
            for thread in 0..24u64 {
                let counters = &counters;
                scope.spawn(move || {
                    for n in 0..500u64 {
                        let id = 1_000 + thread * 500 + n;
                        counters.count("acme", "status", "00", id, time);
                        if n % 2 == 0 {
                            counters.count("acme", "status", "01", id, time);
                        }
                    }
                });
            }
        });
        assert_eq!(counters.tally(key, "00", None), Some((12_000, 1_000)));
        assert_eq!(counters.tally(key, "01", None), Some((6_000, 1_000)));
        assert_eq!(counters.codes(key), ["00", "01"]);
        assert_eq!(counters.tally(key, "00", Some(time.timestamp() + 1)), None);
        counters.clear();
        assert_eq!(counters.tally(key, "00", None), None);
        assert!(counters.codes(key).is_empty());
    }
}
