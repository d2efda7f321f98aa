//! Fault rules: latency, outage errors, dropped connections and timeouts, for any request
//! under a provider prefix or its root aliases (404s included).
//!
//! A rule matches a provider and optionally an endpoint, and fires on the next `count`
//! matching requests, or with a `probability` drawn from its own generator seeded with `seed`,
//! so the same rule posted again gives the same pattern over the same requests.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long a `timeout` rule holds a request when it gives no `hold_ms`: longer than any
/// client waits, short enough that a forgotten rule frees its connections.
pub const DEFAULT_HOLD_MS: u64 = 300_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// Answer after a delay.
    Latency,
    /// Answer with the provider's outage error (or the given HTTP status), state untouched.
    Error,
    /// Close the connection without an answer, after reading the request.
    Drop,
    /// Hold the request without an answer until the client gives up.
    Timeout,
}

/// A delay in milliseconds: fixed, or uniform between two bounds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum LatencyMs {
    Fixed(u64),
    Between([u64; 2]),
}

/// A rule as posted.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    pub provider: String,
    /// An endpoint name (a provider's [`crate::providers::Provider::endpoints`]); all when absent.
    pub endpoint: Option<String>,
    pub kind: FaultKind,
    /// For `latency`: a number or a `[min, max]` pair.
    pub latency_ms: Option<LatencyMs>,
    /// For `error`: answer with this HTTP status instead of the provider's 200.
    pub status: Option<u16>,
    /// Fire on the next N matching requests only.
    pub count: Option<u32>,
    /// Fire on each matching request with this probability (0 to 1).
    pub probability: Option<f64>,
    /// Seed of the rule's generator (random when absent; the rule shows the one it got).
    pub seed: Option<u64>,
    /// For `timeout`: how long to hold before closing the connection (default 300000).
    pub hold_ms: Option<u64>,
}

/// A rule as stored and listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FaultRule {
    pub id: u64,
    pub provider: String,
    pub endpoint: Option<String>,
    pub kind: FaultKind,
    pub latency_ms: Option<LatencyMs>,
    pub status: Option<u16>,
    pub count: Option<u32>,
    pub probability: Option<f64>,
    pub seed: u64,
    pub hold_ms: Option<u64>,
    /// How many more times a `count` rule fires.
    pub remaining: Option<u32>,
    /// How often the rule fired.
    pub fired: u64,
}

/// What the matching rules decided for one request.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Decision {
    pub delay: Duration,
    pub action: Option<Action>,
    /// The kinds that fired, for the journal (`latency+error`).
    pub fired: Vec<FaultKind>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    Error { status: Option<u16> },
    Drop,
    Timeout { hold: Duration },
}

struct Stored {
    rule: FaultRule,
    rng: ChaCha8Rng,
}

#[derive(Default)]
pub struct Faults {
    inner: Mutex<Inner>,
    /// How many rules are stored, kept beside them under the lock: every request asks
    /// [`Faults::decide`], almost always with no rule set, and then must not touch the lock
    /// all the workers would otherwise take in turn.
    stored: AtomicUsize,
}

#[derive(Default)]
struct Inner {
    rules: Vec<Stored>,
    next_id: u64,
}

impl FaultSpec {
    /// Checks the rule's own fields (which provider and endpoint it names is checked by the
    /// control plane, which knows the providers).
    pub fn validate(&self) -> Result<(), String> {
        match (self.kind, self.latency_ms) {
            (FaultKind::Latency, None) => {
                return Err("a latency rule needs latency_ms (a number or [min, max])".into());
            }
            (FaultKind::Latency, Some(LatencyMs::Between([min, max]))) if min > max => {
                return Err(format!("latency_ms [{min}, {max}]: min is above max"));
            }
            (FaultKind::Latency, _) => {}
            (_, Some(_)) => return Err("latency_ms applies to latency rules only".into()),
            _ => {}
        }
        match (self.kind, self.status) {
            (FaultKind::Error, Some(status)) if !(100..=599).contains(&status) => {
                return Err(format!("status {status} is not an HTTP status"));
            }
            (FaultKind::Error, _) | (_, None) => {}
            (_, Some(_)) => return Err("status applies to error rules only".into()),
        }
        if self.hold_ms.is_some() && self.kind != FaultKind::Timeout {
            return Err("hold_ms applies to timeout rules only".into());
        }
        if self.count == Some(0) {
            return Err("count must be at least 1".into());
        }
        if let Some(p) = self.probability
            && !(0.0..=1.0).contains(&p)
        {
            return Err(format!("probability {p} is not between 0 and 1"));
        }
        Ok(())
    }
}

impl Faults {
    /// Adds a validated rule and answers it as stored.
    pub fn add(&self, spec: FaultSpec) -> FaultRule {
        // A generated seed stays small enough for JavaScript clients to echo back exactly.
        let seed = spec
            .seed
            .unwrap_or_else(|| u64::from(rand::rng().next_u32()));
        let mut inner = self.lock();
        inner.next_id += 1;
        let rule = FaultRule {
            id: inner.next_id,
            provider: spec.provider,
            endpoint: spec.endpoint,
            kind: spec.kind,
            latency_ms: spec.latency_ms,
            status: spec.status,
            count: spec.count,
            probability: spec.probability,
            seed,
            hold_ms: spec.hold_ms,
            remaining: spec.count,
            fired: 0,
        };
        inner.rules.push(Stored {
            rule: rule.clone(),
            rng: ChaCha8Rng::seed_from_u64(seed),
        });
        self.stored.store(inner.rules.len(), Ordering::Release);
        rule
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.lock().rules.iter().map(|s| s.rule.clone()).collect()
    }

    /// Removes one rule; false when there is none with that id.
    pub fn remove(&self, id: u64) -> bool {
        let mut inner = self.lock();
        let before = inner.rules.len();
        inner.rules.retain(|s| s.rule.id != id);
        self.stored.store(inner.rules.len(), Ordering::Release);
        inner.rules.len() != before
    }

    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.rules.clear();
        self.stored.store(0, Ordering::Release);
    }

    /// Applies the rules, in the order they were added, to one request. Latencies add up;
    /// the first error, drop or timeout that fires decides the answer, and later ones are
    /// not consulted (they neither draw nor count).
    pub fn decide(&self, provider: &str, endpoint: Option<&str>) -> Decision {
        // A rule added before this request arrived was counted before its control call was
        // answered, so it is seen here.
        if self.stored.load(Ordering::Acquire) == 0 {
            return Decision::default();
        }
        let mut inner = self.lock();
        let mut decision = Decision::default();
        for stored in inner.rules.iter_mut() {
            let rule = &mut stored.rule;
            let terminal = rule.kind != FaultKind::Latency;
            if rule.provider != provider
                || rule
                    .endpoint
                    .as_deref()
                    .is_some_and(|e| Some(e) != endpoint)
                || rule.remaining == Some(0)
                || (terminal && decision.action.is_some())
            {
                continue;
            }
            if let Some(p) = rule.probability
                && stored.rng.random::<f64>() >= p
            {
                continue;
            }
            rule.fired += 1;
            if let Some(remaining) = rule.remaining.as_mut() {
                *remaining -= 1;
            }
            decision.fired.push(rule.kind);
            match rule.kind {
                FaultKind::Latency => {
                    let ms = match rule.latency_ms {
                        Some(LatencyMs::Fixed(ms)) => ms,
                        Some(LatencyMs::Between([min, max])) => stored.rng.random_range(min..=max),
                        None => 0,
                    };
                    decision.delay += Duration::from_millis(ms);
                }
                FaultKind::Error => {
                    decision.action = Some(Action::Error {
                        status: rule.status,
                    })
                }
                FaultKind::Drop => decision.action = Some(Action::Drop),
                FaultKind::Timeout => {
                    decision.action = Some(Action::Timeout {
                        hold: Duration::from_millis(rule.hold_ms.unwrap_or(DEFAULT_HOLD_MS)),
                    })
                }
            }
        }
        decision
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: serde_json::Value) -> FaultSpec {
        serde_json::from_value(json).unwrap()
    }

    fn pattern(faults: &Faults, n: usize) -> Vec<bool> {
        (0..n)
            .map(|_| faults.decide("acme", Some("debit")).action.is_some())
            .collect()
    }

    #[test]
    fn a_seeded_probability_rule_repeats_its_pattern() {
        let rule = serde_json::json!({"provider":"acme","kind":"error","probability":0.5,"seed":7});
        let first = Faults::default();
        first.add(spec(rule.clone()));
        let second = Faults::default();
        second.add(spec(rule));
        let a = pattern(&first, 40);
        assert_eq!(a, pattern(&second, 40));
        assert!(a.iter().any(|f| *f) && a.iter().any(|f| !*f), "{a:?}");
    }

    #[test]
    fn a_count_rule_fires_that_many_times_on_its_endpoint_only() {
        let faults = Faults::default();
        faults.add(spec(
            serde_json::json!({"provider":"acme","endpoint":"debit","kind":"drop","count":2}),
        ));
        assert_eq!(faults.decide("acme", Some("credit")).action, None);
        assert_eq!(pattern(&faults, 3), [true, true, false]);
        assert_eq!(faults.list()[0].fired, 2);
        assert_eq!(faults.list()[0].remaining, Some(0));
    }

    #[test]
    fn latencies_add_up_and_the_first_terminal_rule_wins() {
        let faults = Faults::default();
        faults.add(spec(
            serde_json::json!({"provider":"other","kind":"latency","latency_ms":100}),
        ));
        faults.add(spec(
            serde_json::json!({"provider":"other","kind":"error","status":503,"count":1}),
        ));
        faults.add(spec(
            serde_json::json!({"provider":"other","kind":"drop","count":1}),
        ));
        let first = faults.decide("other", None);
        assert_eq!(first.delay, Duration::from_millis(100));
        assert_eq!(first.action, Some(Action::Error { status: Some(503) }));
        assert_eq!(faults.decide("other", None).action, Some(Action::Drop));
    }

    #[test]
    fn rules_left_after_a_removal_or_added_after_a_clear_still_fire() {
        let faults = Faults::default();
        let first = faults.add(spec(serde_json::json!({"provider":"acme","kind":"drop"})));
        faults.add(spec(serde_json::json!({"provider":"acme","kind":"error"})));
        assert!(faults.remove(first.id));
        assert_eq!(
            faults.decide("acme", None).action,
            Some(Action::Error { status: None })
        );
        faults.clear();
        assert_eq!(faults.decide("acme", None).action, None);
        faults.add(spec(serde_json::json!({"provider":"acme","kind":"drop"})));
        assert_eq!(faults.decide("acme", None).action, Some(Action::Drop));
    }
}
