//! PayPro stamps a write with the clock as it is when the write runs, not as it was when
//! the request arrived: times (and the days in ConnectPayIds) follow commit order. Each test
//! holds the writer with a long fixture load, sends a request that waits behind it, moves
//! the frozen clock a day on, and reads the time the request stored.

use crate::helpers::{TestApp, spawn_app_with};
use crate::paypro_orders::{CPAY, PASSWORD, USER, USER_TODAY, clock, create_id, creds, freeze};
use crate::paypro_orders::{ok_json, order};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

/// How long the writer is held: long enough that a request sent after the hold began is
/// still waiting for it when the clock moves on, however slow the machine.
const HOLD_MS: u64 = 5_000;

/// The frozen day's successor at the frozen hour, as PayPro shows it (Pakistan time).
const NEXT_DAY: &str = "2026-03-11T10:00:00";

async fn app() -> TestApp {
    let app = spawn_app_with(|c| c.read_connections = Some(4)).await;
    freeze(&app).await;
    app
}

/// Holds the writer (a test-only route), sends `request(0)`, which has to wait for it, moves
/// the clock a day on while it waits, and returns the attempt and the answer.
async fn held_across_a_day(
    app: &TestApp,
    request: impl Fn(usize) -> RequestBuilder,
) -> (usize, Value) {
    let held = app
        .post_text("/chillr/api/v5/hold-writer", HOLD_MS.to_string())
        .await;
    assert_eq!(held.status(), StatusCode::OK);
    let sent = request(0);
    let sent = tokio::spawn(async move { sent.send().await.unwrap() });
    // Time for the request to reach the writer's queue (a request still on its way when the
    // clock moves would pass even with the clock read early: this can only make the test
    // weaker, never fail it).
    tokio::time::sleep(Duration::from_millis(300)).await;
    if sent.is_finished() {
        let answer = sent.await.unwrap().text().await.unwrap();
        panic!("the request did not wait for the held writer: {answer}");
    }
    clock(app, json!({"advance": "P1D"})).await;
    let answer = ok_json(sent.await.unwrap()).await;
    (0, answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_order_created_behind_a_long_write_gets_the_connectpay_id_of_the_day_it_is_written() {
    let app = app().await;
    let (_, answer) = held_across_a_day(&app, |attempt| {
        let payload = json!([
            creds(USER, PASSWORD),
            order(&format!("MAGIC-PAID-{attempt}"))
        ]);
        app.client
            .post(app.url(&format!("{CPAY}/co")))
            .json(&payload)
    })
    .await;
    let id = answer[1]["ConnectPayId"].as_str().expect("a ConnectPayId");
    assert_ne!(&id[..9], USER_TODAY, "{answer}");
    assert_eq!(&id[..9], "003326070", "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_order_marked_paid_behind_a_long_write_is_paid_when_it_is_written() {
    let app = app().await;
    let mut ids = Vec::new();
    for n in 0..20 {
        ids.push(create_id(&app, order(&format!("HELD-{n}"))).await);
    }
    let (attempt, answer) = held_across_a_day(&app, |attempt| {
        let csv = json!({"Username": USER, "Password": PASSWORD,
            "CsvOrderNumbers": format!("HELD-{attempt}")});
        let url = app.url(&format!("{CPAY}/moap"));
        app.client.get(url).query(&[("csvOrders", csv.to_string())])
    })
    .await;
    assert_eq!(answer, json!([{"Status": "00"}]));
    let query = [
        ("userName", USER),
        ("password", PASSWORD),
        ("cpayId", ids[attempt].as_str()),
    ];
    let status = app
        .client
        .get(app.url(&format!("{CPAY}/gos")))
        .query(&query);
    let status = ok_json(status.send().await.unwrap()).await;
    assert_eq!(status[1]["DatePaid"], NEXT_DAY, "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_consumer_created_behind_a_long_write_is_created_when_it_is_written() {
    let app = app().await;
    let (attempt, answer) = held_across_a_day(&app, |attempt| {
        let consumer = json!({"ConsumerID": (7000 + attempt).to_string(), "Name": "Held"});
        let payload = json!([creds(USER, PASSWORD), consumer]);
        app.client
            .post(app.url(&format!("{CPAY}/cc")))
            .json(&payload)
    })
    .await;
    assert_eq!(answer[0]["Status"], "00", "{answer}");
    let full = format!("0033{}", 7000 + attempt);
    let query = [
        ("userName", USER),
        ("password", PASSWORD),
        ("fullConsumerCode", full.as_str()),
    ];
    let data = app
        .client
        .get(app.url(&format!("{CPAY}/gcd")))
        .query(&query);
    let data = ok_json(data.send().await.unwrap()).await;
    assert_eq!(data[1]["CreatedOn"], NEXT_DAY, "{data}");
}
