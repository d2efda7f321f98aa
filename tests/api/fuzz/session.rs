//! One sandbox under fuzzing: puts it in a seed's starting state, sends a case, judges the
//! answer, compares the state after a refused request, and keeps the failures.

use super::mutate::{self, Profile};
use super::request::{Rendered, Seed};
use super::transport;
use super::verdict::{Verdict, judge};
use crate::helpers::{TestApp, spawn_app_with};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use reqwest::header::{HeaderName, HeaderValue};
use std::time::{Duration, Instant};

/// After this many failures a run stops: the list is long enough to start fixing.
const ENOUGH_FAILURES: usize = 40;

pub struct Session {
    provider: &'static str,
    app: TestApp,
    client: reqwest::Client,
    /// The first seed with the starting state (clock, fixtures) the sandbox is in, when it is
    /// known to be in it.
    state_of: Option<usize>,
    /// The text of `/__sandbox/state` in that starting state.
    baseline: String,
    pub cases: usize,
    pub refused: usize,
    pub accepted: usize,
    pub failures: Vec<String>,
    /// Where the time went (printed, never asserted): the cases, the state comparisons,
    /// the resets to a seed's state.
    spent: [Duration; 3],
}

pub struct Outcome {
    pub cases: usize,
    pub refused: usize,
    pub accepted: usize,
    pub failures: Vec<String>,
    pub spent: [Duration; 3],
}

impl Session {
    pub async fn start(provider: &'static str, max_body: usize) -> Session {
        let app = spawn_app_with(|config| config.max_body = max_body).await;
        let client = reqwest::Client::builder()
            // An upper bound against a hang, not a timing assertion.
            .timeout(Duration::from_secs(120))
            .redirect(reqwest::redirect::Policy::none())
            // A connection per request: a connection the server drops cannot go unnoticed
            // in a pool that retries on a fresh one.
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        Session {
            provider,
            app,
            client,
            state_of: None,
            baseline: String::new(),
            cases: 0,
            refused: 0,
            accepted: 0,
            failures: Vec::new(),
            spent: [Duration::ZERO; 3],
        }
    }

    /// Case `n`: generated from the seed, the provider and `n` only.
    pub async fn case(&mut self, seeds: &[Seed], profile: &Profile, seed: u64, tag: u64, n: u64) {
        let (mut rng, index) = case_start(seeds, seed, tag, n);
        let mut request = seeds[index].request.clone();
        mutate::mutate(&mut rng, &mut request, profile);
        self.send_and_judge(seeds, index, &request.render(), &format!("case {n}"))
            .await;
    }

    /// The first seed's request padded to exactly the limit, and one byte over.
    pub async fn at_limit(&mut self, seeds: &[Seed]) {
        let limit = self.max_body().await;
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        for size in [limit, limit + 1] {
            let mut request = seeds[0].request.clone();
            transport::pad_to(&mut rng, &mut request, size);
            let rendered = request.render();
            assert_eq!(
                rendered.body.len(),
                size,
                "the padded body has the size asked for"
            );
            self.send_and_judge(seeds, 0, &rendered, &format!("a body of {size} bytes"))
                .await;
        }
    }

    async fn max_body(&self) -> usize {
        paysandbox::ServeArgs::ephemeral().max_body
    }

    async fn send_and_judge(
        &mut self,
        seeds: &[Seed],
        index: usize,
        rendered: &Rendered,
        label: &str,
    ) {
        self.cases += 1;
        let same_start = same_start(seeds, index);
        if self.state_of != Some(same_start) {
            let started = Instant::now();
            self.enter_state_of(&seeds[index]).await;
            self.state_of = Some(same_start);
            self.spent[2] += started.elapsed();
        }
        let describe = |problem: &str, answer: &str| {
            format!(
                "  {label} ({} from {}): {problem}\n    request: {}\n    answer: {}",
                self.provider,
                seeds[index].file,
                show_request(rendered),
                clip(answer.as_bytes(), 300),
            )
        };
        let started = Instant::now();
        let sent = self.send(rendered).await;
        self.spent[0] += started.elapsed();
        let (status, body) = match sent {
            Ok(answer) => answer,
            Err(error) => {
                self.failures.push(describe(
                    &format!("no complete answer: {}", clip(error.as_bytes(), 300)),
                    "",
                ));
                self.state_of = None;
                return;
            }
        };
        if std::env::var_os("FUZZ_TRACE").is_some() {
            eprintln!(
                "TRACE {} {} {status} {} <<< {}",
                self.provider,
                seeds[index].file,
                clip(&body, 160),
                show_request(rendered).chars().take(400).collect::<String>()
            );
        }
        let mut seen = rendered.path_and_query.clone().into_bytes();
        seen.extend_from_slice(&rendered.body);
        match judge(self.provider, &rendered.method, status, &body, &seen) {
            Err(problem) => {
                let answer = format!("{status} {}", String::from_utf8_lossy(&body));
                self.failures.push(describe(&problem, &answer));
                self.state_of = None;
            }
            Ok(Verdict::Accepted) => {
                self.accepted += 1;
                // Most accepted requests only read: a comparison is cheaper than a reset.
                let started = Instant::now();
                if self.state_text().await != self.baseline {
                    self.state_of = None;
                }
                self.spent[1] += started.elapsed();
            }
            Ok(Verdict::Refused) => {
                self.refused += 1;
                let started = Instant::now();
                let after = self.state_text().await;
                self.spent[1] += started.elapsed();
                if after != self.baseline {
                    let answer = format!("{status} {}", String::from_utf8_lossy(&body));
                    let problem = format!(
                        "a refused request changed the state: {}",
                        first_difference(&self.baseline, &after)
                    );
                    self.failures.push(describe(&problem, &answer));
                    self.state_of = None;
                }
            }
        }
    }

    async fn send(&self, rendered: &Rendered) -> Result<(u16, Vec<u8>), String> {
        if rendered.path_and_query.len() > u16::MAX as usize - 64 {
            return Err("the fuzzer built a URL the http crate cannot hold (a fuzzer bug)".into());
        }
        let method = reqwest::Method::from_bytes(rendered.method.as_bytes()).unwrap();
        let mut builder = self
            .client
            .request(method, self.app.url(&rendered.path_and_query))
            .body(rendered.body.clone());
        if let Some(content_type) = &rendered.content_type {
            builder = builder.header(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_bytes(content_type).unwrap(),
            );
        }
        for (name, value) in &rendered.headers {
            builder = builder.header(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_bytes(value).unwrap(),
            );
        }
        let response = builder
            .send()
            .await
            .map_err(|e| format!("{:?}", e.without_url()))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| format!("{:?}", e.without_url()))?;
        Ok((status, body.to_vec()))
    }

    /// Reset, then the seed's clock and fixtures, as the golden test sets them.
    async fn enter_state_of(&mut self, seed: &Seed) {
        let reset = self
            .app
            .post_json("/__sandbox/reset", &serde_json::json!({}))
            .await;
        assert!(reset.status().is_success(), "reset: {}", reset.status());
        if let Some(at) = &seed.clock {
            let set = self
                .app
                .post_json("/__sandbox/clock", &serde_json::json!({ "set": at }))
                .await;
            assert!(set.status().is_success(), "clock: {}", set.status());
        }
        if let Some(fixtures) = &seed.fixtures {
            let loaded = self.app.post_json("/__sandbox/fixtures", fixtures).await;
            assert!(loaded.status().is_success(), "fixtures of {}", seed.file);
        }
        self.baseline = self.state_text().await;
    }

    async fn state_text(&self) -> String {
        let response = self.app.get("/__sandbox/state").await;
        assert!(
            response.status().is_success(),
            "state: {}",
            response.status()
        );
        response.text().await.expect("the state")
    }

    pub async fn assert_healthy(&self) {
        let health = self
            .client
            .get(self.app.url("/__sandbox/health"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("the sandbox no longer answers health: {e}"));
        assert!(health.status().is_success(), "health: {}", health.status());
    }

    pub fn stop_when_too_many_failures(&self) {
        assert!(
            self.failures.len() < ENOUGH_FAILURES,
            "{} failures after {} cases:\n{}",
            self.failures.len(),
            self.cases,
            self.failures.join("\n")
        );
    }

    pub fn finish(self) -> Outcome {
        Outcome {
            cases: self.cases,
            refused: self.refused,
            accepted: self.accepted,
            failures: self.failures,
            spent: self.spent,
        }
    }
}

/// Case `n`'s random numbers, and the seed it mutates.
fn case_start(seeds: &[Seed], seed: u64, tag: u64, n: u64) -> (ChaCha8Rng, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (tag << 56) ^ n);
    let index = rand::Rng::random_range(&mut rng, 0..seeds.len());
    (rng, index)
}

/// Seeds that start from the same clock and fixtures share a starting state: the first of
/// them stands for it.
fn same_start(seeds: &[Seed], index: usize) -> usize {
    seeds
        .iter()
        .position(|s| s.clock == seeds[index].clock && s.fixtures == seeds[index].fixtures)
        .unwrap_or(index)
}

/// Cases run grouped by starting state, so the sandbox is put into each state less often;
/// a case depends on `n` only, so the order changes nothing else.
pub fn in_state_order(
    seeds: &[Seed],
    seed: u64,
    tag: u64,
    cases: impl Iterator<Item = u64>,
) -> Vec<u64> {
    let mut order: Vec<u64> = cases.collect();
    order.sort_by_key(|n| same_start(seeds, case_start(seeds, seed, tag, *n).1));
    order
}

fn show_request(rendered: &Rendered) -> String {
    format!(
        "{} {} content-type {} headers {:?} body ({} bytes) {}",
        rendered.method,
        clip(rendered.path_and_query.as_bytes(), 300),
        rendered
            .content_type
            .as_deref()
            .map_or("-".into(), |c| clip(c, 80)),
        rendered
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {}", clip(v, 60)))
            .collect::<Vec<_>>(),
        rendered.body.len(),
        clip(&rendered.body, 400),
    )
}

/// The bytes as an escaped string, cut to `max` characters.
fn clip(bytes: &[u8], max: usize) -> String {
    let text: String = bytes.escape_ascii().to_string();
    if text.len() > max {
        format!("{}…", &text[..max])
    } else {
        text
    }
}

fn first_difference(before: &str, after: &str) -> String {
    let at = before
        .bytes()
        .zip(after.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(before.len().min(after.len()));
    let from = at.saturating_sub(80);
    let window = |s: &str| {
        clip(
            &s.as_bytes()[from.min(s.len())..(at + 160).min(s.len())],
            300,
        )
    };
    format!("before …{}… after …{}…", window(before), window(after))
}
