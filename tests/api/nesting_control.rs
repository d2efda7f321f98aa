//! The kernel's own control calls given 1 MiB of nesting (JSON bodies, YAML fixtures, queries)
//! answer a JSON 400, the sandbox alive and its state unchanged.

use crate::nesting::{MIB, Probe, closed, mib_of, query_deep};
use reqwest::StatusCode;

#[tokio::test]
async fn control_calls_refuse_deep_bodies_and_queries_with_a_json_400() {
    let probe = Probe::start().await;
    let json_bodies = [
        ("[", mib_of("[")),
        ("{\"a\":", mib_of("{\"a\":")),
        ("closed member", format!("{{\"x\":{}}}", closed(MIB / 2))),
    ];
    for path in [
        "/__sandbox/faults",
        "/__sandbox/clock",
        "/__sandbox/fixtures",
    ] {
        for (shape, body) in &json_bodies {
            let what = format!("{path}, {shape}");
            let request = probe.post(path, "application/json", body.clone());
            let (status, answer) = probe.send(&what, request).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
            let error: serde_json::Value = serde_json::from_str(&answer)
                .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {answer}"));
            assert!(error["error"].is_string(), "{what}: {answer}");
        }
    }
    let yaml_bodies = [
        ("flow [", mib_of("[")),
        ("flow {a: ", mib_of("{a: ")),
        ("block - ", mib_of("- ")),
    ];
    for (shape, body) in yaml_bodies {
        let what = format!("YAML fixture, {shape}");
        let request = probe.post("/__sandbox/fixtures", "application/yaml", body);
        let (status, answer) = probe.send(&what, request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
        assert!(answer.starts_with('{'), "{what}: {answer}");
    }
    // Queries are flat: a deep value is just text, read as a filter that matches nothing.
    let requests = format!("/__sandbox/requests?path={}", query_deep());
    let (status, answer) = probe.send("requests", probe.get(&requests)).await;
    assert_eq!(status, StatusCode::OK, "requests: {answer}");
    let reset = format!("/__sandbox/reset?empty={}", query_deep());
    let request = probe.post(&reset, "application/json", String::new());
    let (status, answer) = probe.send("reset", request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "reset: {answer}");
    assert!(answer.starts_with('{'), "reset: {answer}");
}
