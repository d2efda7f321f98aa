//! The providers' `/__sandbox` actions given 1 MiB of nesting answer the control plane's 400
//! (or, where no body or query is read, the call's own answer), the sandbox alive and its
//! state unchanged.

use crate::nesting::{MIB, Probe, closed, mib_of, query_deep};
use reqwest::StatusCode;

#[tokio::test]
async fn provider_actions_refuse_deep_bodies_with_400() {
    let probe = Probe::start().await;
    let bodies = [
        ("[", mib_of("[")),
        ("{\"action\":[", format!("{{\"action\":{}", mib_of("["))),
        ("closed member", format!("{{\"x\":{}}}", closed(MIB / 2))),
    ];
    let paths = [
        "/__sandbox/chillr/batches/000000000000000000000000/customers/9447741462",
        "/__sandbox/chillr/users",
        "/__sandbox/jaze/users",
        "/__sandbox/jaze/invoices",
        "/__sandbox/jaze/payments",
        "/__sandbox/aggrepay/pg-transactions",
    ];
    for path in paths {
        for (shape, body) in &bodies {
            let what = format!("{path}, {shape}");
            let request = probe.post(path, "application/json", body.clone());
            let (status, answer) = probe.send(&what, request).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {answer}");
        }
    }
    let otps = format!("/__sandbox/aggrepay/otps?mobile_number={}", query_deep());
    let (status, answer) = probe.send("otps", probe.get(&otps)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "otps: {answer}");
    // Paying an order reads neither body nor query: the order is unknown.
    let pay = format!("/__sandbox/paypro/orders/x/pay?x={}", query_deep());
    let request = probe.post(&pay, "application/json", mib_of("["));
    let (status, answer) = probe.send("pay", request).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "pay: {answer}");
}
