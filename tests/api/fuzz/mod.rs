//! A mutation fuzzer over every provider endpoint, seeded from the golden cases in
//! `tests/golden/<provider>/`: each case takes one golden request, applies one to three
//! hostile mutations (see `mutate`) and sends it over HTTP to a sandbox whose body limit is
//! small, so that bodies at the limit are cheap. Every answer must be complete, not a 5xx,
//! JSON in the provider's own envelope and not its internal error; a refused request must
//! leave `/__sandbox/state` as it was. The health endpoint must answer throughout. Each
//! provider's test also sends a body of exactly the default limit, and one byte over.
//!
//! `FUZZ_CASES` (default 2000) cases per provider from `FUZZ_SEED` (default below); case `n`
//! is generated from the seed and `n` alone, so `FUZZ_CASE=n` replays one case.
//! `FUZZ_TRACE=1` prints every answer with its request.

mod aggrepay_sign;
mod mutate;
mod node;
mod regressions;
mod request;
mod session;
mod transport;
mod values;
mod verdict;
mod vocabulary;

use mutate::Profile;
use session::Session;

const DEFAULT_CASES: usize = 2_000;
const DEFAULT_SEED: u64 = 0x5eed_0011;
/// The body limit of the fuzzed sandbox: near-limit bodies of this size cost little.
const FUZZ_MAX_BODY: usize = 64 * 1024;
/// Nesting the mutators build. Deeper documents are the parsers' own tests.
const MAX_DEPTH: usize = 200;

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={value} is not a number")))
}

fn profile(name: &'static str, seeds: &[request::Seed]) -> Profile {
    Profile {
        vocabulary: vocabulary::Vocabulary::of(seeds),
        name,
        params_from: (name == "jaze").then_some(4),
        salt: (name == "aggrepay").then_some("aggrepay-sandbox-salt"),
        max_depth: MAX_DEPTH,
        max_body: FUZZ_MAX_BODY,
    }
}

async fn fuzz(name: &'static str, tag: u64) {
    let seed = env_number("FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let only = env_number("FUZZ_CASE");
    let cases = env_number("FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as usize);
    let seeds = request::load_seeds(name);
    let profile = profile(name, &seeds);
    assert!(!seeds.is_empty(), "no golden cases for {name}");

    let started = std::time::Instant::now();
    let mut session = Session::start(name, FUZZ_MAX_BODY).await;
    let range = match only {
        Some(n) => n..n + 1,
        None => 0..cases as u64,
    };
    let order = session::in_state_order(&seeds, seed, tag, range);
    for (i, n) in order.into_iter().enumerate() {
        session.case(&seeds, &profile, seed, tag, n).await;
        if i % 100 == 99 {
            session.assert_healthy().await;
        }
        session.stop_when_too_many_failures();
    }
    session.assert_healthy().await;
    let fuzzed = session.finish();

    // The default limit: a body of exactly that size is judged, one byte more is refused.
    let mut at_default = Session::start(name, paysandbox::ServeArgs::ephemeral().max_body).await;
    at_default.at_limit(&seeds).await;
    at_default.assert_healthy().await;
    let at_limit = at_default.finish();

    let [sending, comparing, resetting] = fuzzed.spent;
    eprintln!(
        "fuzz {name}: {} cases (seed {seed:#x}): {} refused, {} accepted; at the default \
         limit: {} refused, {} accepted; {:.1?} ({sending:.1?} sending, {comparing:.1?} \
         comparing states, {resetting:.1?} resetting)",
        fuzzed.cases,
        fuzzed.refused,
        fuzzed.accepted,
        at_limit.refused,
        at_limit.accepted,
        started.elapsed()
    );
    let failures: Vec<String> = fuzzed
        .failures
        .into_iter()
        .chain(at_limit.failures)
        .collect();
    assert!(
        failures.is_empty(),
        "{} failing case(s) for {name} (seed {seed:#x}):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_chillr() {
    fuzz("chillr", 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_paypro() {
    fuzz("paypro", 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_aggrepay() {
    fuzz("aggrepay", 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzz_jaze() {
    fuzz("jaze", 4).await;
}
