//! `gpojson` over a listing large enough to be encoded off the async workers answers every
//! paid order, in order of payment, in the same shape as a small one.

use crate::helpers::spawn_app;
use crate::paypro_orders::load;
use serde_json::{Value, json};

const ORDERS: usize = 1_500;

#[tokio::test]
async fn gpojson_over_fifteen_hundred_paid_orders_lists_them_all_in_order_of_payment() {
    let app = spawn_app().await;
    let orders: Vec<Value> = (0..ORDERS)
        .map(|i| {
            json!({
                "username": "PayProUser", "order_number": format!("BIG-{i:04}"),
                "order_amount": "100", "order_due_date": "2026-03-31", "issue_date": "2026-03-01",
                "customer_name": "Bulk", "created_at": "2026-03-01T05:00:00Z",
                "status": "paid", "amount_paid": "100",
                "paid_at": format!("2026-03-10T{:02}:{:02}:{:02}Z", i / 3600, i / 60 % 60, i % 60),
            })
        })
        .collect();
    load(&app, json!({"paypro": {"orders": orders}})).await;
    let answer: Value = app
        .get("/cpay/gpojson?username=PayProUser&password=Password&startDate=2026-03-10&endDate=2026-03-10")
        .await
        .json()
        .await
        .expect("a JSON answer");
    let items = answer.as_array().expect("an array");
    assert_eq!(items.len(), ORDERS + 1, "the status and every order");
    assert_eq!(items[0], json!({"Status": "00"}));
    let numbers: Vec<&str> = items[1..]
        .iter()
        .map(|o| o["Order Number"].as_str().expect("an order number"))
        .collect();
    let expected: Vec<String> = (0..ORDERS).map(|i| format!("BIG-{i:04}")).collect();
    assert_eq!(numbers, expected);
    assert_eq!(items[1]["Amount Paid"], json!(100));
    assert_eq!(items[1]["Date Paid"], "2026-03-10T05:00:00");
}
