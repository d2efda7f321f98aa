//! The outcome counters: how often each endpoint answered each code, per second of the
//! sandbox clock, since the last reset (the report adds them up).

use chrono::{DateTime, FixedOffset};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many distinct codes one endpoint keeps in one part of the counters, so at most
/// [`SHARDS`] times this in all (a client could make up codes no more than a provider answers,
/// but a fault rule's status is the client's choice).
const UNDOCUMENTED_KEYS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Key {
    pub(super) provider: &'static str,
    pub(super) endpoint: &'static str,
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
    pub(super) fn tally(&self, key: Key, code: &str, since: Option<i64>) -> Option<(u64, u64)> {
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

    pub(super) fn codes(&self, key: Key) -> Vec<String> {
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
