//! PayPro stores the times of its writes in commit order: concurrent orders created paid on
//! a running clock are listed by `gpojson` (in order of payment) in the order of their
//! ConnectPayIds, which are given out in commit order.

use crate::helpers::spawn_app;
use crate::paypro_orders::{CPAY, PASSWORD, USER, creds, ok_json, order};
use chrono::{Duration, Utc};
use serde_json::json;

#[tokio::test]
async fn orders_created_paid_concurrently_are_paid_in_the_order_of_their_connectpay_ids() {
    let app = spawn_app().await;
    let url = app.url(&format!("{CPAY}/co"));
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let payload = json!([creds(USER, PASSWORD), order(&format!("MAGIC-PAID-{i}"))]);
            let (client, url) = (app.client.clone(), url.clone());
            tokio::spawn(async move { client.post(url).json(&payload).send().await.unwrap() })
        })
        .collect();
    for task in tasks {
        let answer = ok_json(task.await.unwrap()).await;
        assert_eq!(answer[0]["Status"], "00", "{answer}");
    }
    // The clock runs on wall time; a day either side covers any merchant time zone.
    let day = |days: i64| {
        (Utc::now() + Duration::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    let (start, end) = (day(-1), day(1));
    let query = [
        ("username", USER),
        ("password", PASSWORD),
        ("startDate", start.as_str()),
        ("endDate", end.as_str()),
    ];
    let response = app
        .client
        .get(app.url(&format!("{CPAY}/gpojson")))
        .query(&query)
        .send()
        .await
        .unwrap();
    let listing = ok_json(response).await;
    let ids: Vec<&str> = listing.as_array().unwrap()[1..]
        .iter()
        .map(|o| o["ConnectPay Id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 40, "{listing}");
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "paid out of commit order: {listing}");
}
