//! PayPro stamps a write with the clock as it is when the write runs, not as it was when
//! the request arrived: times (and the days in ConnectPayIds) follow commit order.

use crate::helpers::spawn_app_with;
use crate::paypro_orders::order;
use crate::paypro_orders::{CPAY, PASSWORD, USER, USER_TODAY, clock, creds, freeze, ok_json};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

/// Enough Chillr users that loading them holds the writer well past the steps below.
const USERS: u64 = 200_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_order_that_waited_for_the_writer_is_stamped_with_the_clock_of_its_write() {
    let app = spawn_app_with(|c| c.read_connections = Some(4)).await;
    freeze(&app).await;
    let users: Vec<String> = (0..USERS)
        .map(|n| (9_100_000_000 + n).to_string())
        .collect();
    let load = {
        let (client, url) = (app.client.clone(), app.url("/__sandbox/fixtures"));
        let document = json!({"chillr": {"users": users}});
        tokio::spawn(async move { client.post(url).json(&document).send().await.unwrap() })
    };
    // Orders are sent until one is held behind the load (unanswered after a pause); the
    // pause is no assertion, only the time for an unheld order to be answered.
    for attempt in 0.. {
        if load.is_finished() {
            let status = load.await.unwrap().status();
            panic!("the load ({status}) ended before an order waited for it: make it longer");
        }
        let created = {
            let (client, url) = (app.client.clone(), app.url(&format!("{CPAY}/co")));
            let number = format!("MAGIC-PAID-WAITED-{attempt}");
            let payload = json!([creds(USER, PASSWORD), order(&number)]);
            tokio::spawn(async move { client.post(url).json(&payload).send().await.unwrap() })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        if created.is_finished() {
            continue;
        }
        clock(&app, json!({"advance": "P1D"})).await;
        let answer = ok_json(created.await.unwrap()).await;
        assert_eq!(load.await.unwrap().status(), StatusCode::CREATED);
        let id = answer[1]["ConnectPayId"].as_str().expect("a ConnectPayId");
        // Written on the next day (070), after the clock moved.
        assert_ne!(&id[..9], USER_TODAY, "{answer}");
        assert_eq!(&id[..9], "003326070", "{answer}");
        return;
    }
}
