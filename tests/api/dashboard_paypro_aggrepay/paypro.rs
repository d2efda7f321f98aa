//! PayPro: the orders list, an order's page and its pay / block / refund forms, consumers.

use super::{count, page_with, ui};
use crate::dashboard::{Browser, assert_redirect};
use crate::helpers::spawn_app;
use crate::paypro_orders::{
    USER, change, clock, create_id, freeze, gos, load, order, stored, with,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// `n` orders of a new merchant `Dash`, numbered `D-0`…, every third one paid.
fn dash_orders(n: usize) -> Value {
    let orders: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "username": "Dash", "order_number": format!("D-{i}"), "order_amount": "100.00",
                "order_due_date": "2099-12-31", "issue_date": "2026-01-01",
                "customer_name": "Dash Customer",
                "status": if i % 3 == 0 { "paid" } else { "unpaid" },
                "created_at": "2026-01-01T00:00:00Z",
                "paid_at": if i % 3 == 0 { json!("2026-01-02T00:00:00Z") } else { Value::Null },
            })
        })
        .collect();
    json!({"paypro": {
        "merchants": [{"username": "Dash", "password": "dash-pass", "company_code": "0777"}],
        "orders": orders,
    }})
}

#[tokio::test]
async fn the_orders_list_filters_by_merchant_status_and_number_and_pages_by_fifty() {
    let mut browser = Browser::new(spawn_app().await);
    load(&browser.app, dash_orders(60)).await;

    let mine = ui("/paypro?merchant=Dash");
    let first = browser.page(&mine).await;
    assert_eq!(count(&first, r#"<tr id="order-"#), 50, "{first}");
    assert!(
        first.contains(r#"<td class="number">D-59</td>"#),
        "newest first"
    );
    assert!(
        first.contains("merchant=Dash&amp;page=2"),
        "a next link keeping the filter"
    );
    let second = browser.page(&format!("{mine}&page=2")).await;
    assert_eq!(count(&second, r#"<tr id="order-"#), 10);
    assert!(second.contains(r#"<td class="number">D-0</td>"#));
    assert!(!second.contains(r#"rel="next""#));

    let paid = browser.page(&format!("{mine}&status=paid")).await;
    assert_eq!(count(&paid, r#"<tr id="order-"#), 20);
    assert_eq!(count(&paid, r#"<td class="status">Paid</td>"#), 20);

    // D-5 and D-50…D-59, in any case.
    let numbered = browser.page(&ui("/paypro?number=d-5")).await;
    assert_eq!(count(&numbered, r#"<tr id="order-"#), 11, "{numbered}");

    // Without a filter the default fixtures' orders are listed too.
    let all = browser.page(&ui("/paypro?page=2")).await;
    assert!(count(&all, r#"<tr id="order-"#) > 10);

    for (query, problem) in [
        ("?page=0", "page: `0`"),
        ("?status=lost", "status: `lost`"),
        ("?merchant=Nobody", "no PayPro merchant `Nobody`"),
    ] {
        let html = page_with(
            &mut browser,
            &ui(&format!("/paypro{query}")),
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert!(html.contains(problem), "{query}: {html}");
    }
}

#[tokio::test]
async fn an_expired_order_is_listed_and_shown_as_blocked() {
    let mut browser = Browser::new(spawn_app().await);
    freeze(&browser.app).await;
    let id = create_id(
        &browser.app,
        with(order("EXP-1"), json!({"OrderExpireAfterSeconds": "60"})),
    )
    .await;
    let row = format!(r#"<tr id="order-{id}">"#);
    assert!(
        browser
            .page(&ui("/paypro?status=unpaid"))
            .await
            .contains(&row)
    );
    clock(&browser.app, json!({"advance_seconds": 61})).await;
    assert!(
        !browser
            .page(&ui("/paypro?status=unpaid"))
            .await
            .contains(&row)
    );
    assert!(
        browser
            .page(&ui("/paypro?status=blocked"))
            .await
            .contains(&row)
    );
    let html = browser.page(&ui(&format!("/paypro/orders/{id}"))).await;
    assert!(
        html.contains(r#"<span id="order-status">Blocked</span>"#),
        "{html}"
    );
    assert!(html.contains("expired"), "the history says why");
    assert!(
        !html.contains(r#"id="pay""#),
        "no pay button on a blocked order"
    );
}

#[tokio::test]
async fn an_order_page_shows_the_order_its_history_and_its_click2pay_link() {
    let mut browser = Browser::new(spawn_app().await);
    freeze(&browser.app).await;
    let id = create_id(&browser.app, order("PAGE-1")).await;
    let html = browser.page(&ui(&format!("/paypro/orders/{id}"))).await;
    assert!(
        html.contains(r#"<span id="order-status">Unpaid</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"<td id="order-number">PAGE-1</td>"#));
    assert!(html.contains(&format!(
        r#"<a id="click2pay" href="/paypro/click2pay?cpayId={id}""#
    )));
    assert!(html.contains("created, 4400 due"), "{html}");
    assert!(html.contains(r#"<button id="pay">"#) && html.contains(r#"<button id="block">"#));
    assert!(html.contains(&format!(
        r#"action="{}/pay""#,
        ui(&format!("/paypro/orders/{id}"))
    )));
    // Its row in the list links here.
    let list = browser.page(&ui("/paypro")).await;
    assert!(list.contains(&format!(
        r#"href="{}""#,
        ui(&format!("/paypro/orders/{id}"))
    )));

    let missing = page_with(
        &mut browser,
        &ui("/paypro/orders/0000000000000"),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert!(missing.contains("no PayPro order with ConnectPay Id 0000000000000"));
}

#[tokio::test]
async fn pay_from_the_order_page_pays_it_and_paying_again_is_refused() {
    let mut browser = Browser::new(spawn_app().await);
    freeze(&browser.app).await;
    let id = create_id(&browser.app, order("PAY-1")).await;
    let path = ui(&format!("/paypro/orders/{id}"));
    let response = browser.submit(&format!("{path}/pay"), &[]).await;
    assert_redirect(&response, &path);
    assert_eq!(gos(&browser.app, &id).await["OrderStatus"], "Paid");
    let html = browser.page(&path).await;
    assert!(html.contains(r#"<span id="order-status">Paid</span>"#));
    assert!(html.contains("paid 4400"), "the history: {html}");
    assert!(html.contains(r#"<button id="refund">"#));

    let paid_at = stored(&browser.app, USER, "PAY-1").await["paid_at"].clone();
    clock(&browser.app, json!({"advance_seconds": 60})).await;
    let again = browser.submit(&format!("{path}/pay"), &[]).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let html = again.text().await.unwrap();
    assert!(
        html.contains("the order is Paid and cannot be paid"),
        "{html}"
    );
    assert_eq!(
        stored(&browser.app, USER, "PAY-1").await["paid_at"],
        paid_at
    );
}

#[tokio::test]
async fn block_from_the_order_page_blocks_it_and_a_paid_order_is_refused() {
    let mut browser = Browser::new(spawn_app().await);
    freeze(&browser.app).await;
    let unpaid = create_id(&browser.app, order("BLK-1")).await;
    let path = ui(&format!("/paypro/orders/{unpaid}"));
    assert_redirect(&browser.submit(&format!("{path}/block"), &[]).await, &path);
    assert_eq!(gos(&browser.app, &unpaid).await["OrderStatus"], "Blocked");
    assert!(
        browser
            .page(&path)
            .await
            .contains("blocked by the merchant")
    );

    let paid = create_id(&browser.app, order("BLK-2")).await;
    let csv = json!({"Username": USER, "password": "Password", "CsvOrderNumbers": "BLK-2"});
    assert_eq!(change(&browser.app, "moap", &csv).await[0]["Status"], "00");
    let path = ui(&format!("/paypro/orders/{paid}"));
    let refused = browser.submit(&format!("{path}/block"), &[]).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("the order is Paid and cannot be blocked"),
        "{html}"
    );
    assert!(html.contains(r#"<span id="order-status">Paid</span>"#));
    assert_eq!(gos(&browser.app, &paid).await["OrderStatus"], "Paid");
}

#[tokio::test]
async fn refund_from_the_order_page_refunds_the_amount_and_refusals_change_nothing() {
    let mut browser = Browser::new(spawn_app().await);
    freeze(&browser.app).await;
    let id = create_id(&browser.app, order("REF-1")).await;
    let path = ui(&format!("/paypro/orders/{id}"));
    let unpaid = browser
        .submit(&format!("{path}/refund"), &[("amount", "10")])
        .await;
    assert_eq!(unpaid.status(), StatusCode::BAD_REQUEST);
    assert!(
        unpaid
            .text()
            .await
            .unwrap()
            .contains("the order is Unpaid and cannot be refunded")
    );

    assert_redirect(&browser.submit(&format!("{path}/pay"), &[]).await, &path);
    for (amount, problem) in [
        ("5000", "Invalid Amount: `5000`"),
        ("abc", "Invalid Amount: `abc`"),
    ] {
        let refused = browser
            .submit(&format!("{path}/refund"), &[("amount", amount)])
            .await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{amount}");
        assert!(refused.text().await.unwrap().contains(problem), "{amount}");
        assert_eq!(gos(&browser.app, &id).await["OrderStatus"], "Paid");
    }
    let done = browser
        .submit(&format!("{path}/refund"), &[("amount", "400.50")])
        .await;
    assert_redirect(&done, &path);
    assert_eq!(gos(&browser.app, &id).await["OrderStatus"], "Refunded");
    assert_eq!(
        stored(&browser.app, USER, "REF-1").await["refunded_amount"],
        "400.50"
    );
    assert!(browser.page(&path).await.contains("refunded 400.50"));

    let again = browser
        .submit(&format!("{path}/refund"), &[("amount", "1")])
        .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.text().await.unwrap().contains("Already Refunded"));
    assert_eq!(
        stored(&browser.app, USER, "REF-1").await["refunded_amount"],
        "400.50"
    );
}

#[tokio::test]
async fn an_order_action_without_the_csrf_token_is_refused_and_changes_nothing() {
    let mut browser = Browser::new(spawn_app().await);
    freeze(&browser.app).await;
    let id = create_id(&browser.app, order("CSRF-1")).await;
    browser.page(&ui("/paypro")).await;
    let origin = browser.app.base.clone();
    for action in ["pay", "block"] {
        let path = ui(&format!("/paypro/orders/{id}/{action}"));
        let response = browser.post_form(&path, &[], Some(&origin)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{action}");
        let forged = browser
            .post_form(&path, &[("csrf", "forged")], Some(&origin))
            .await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN, "{action}");
    }
    assert_eq!(gos(&browser.app, &id).await["OrderStatus"], "Unpaid");
}

#[tokio::test]
async fn user_text_on_the_paypro_pages_is_shown_escaped() {
    let mut browser = Browser::new(spawn_app().await);
    freeze(&browser.app).await;
    let markup = "<script>alert(1)</script>";
    let id = create_id(
        &browser.app,
        with(order("ESC-1"), json!({"CustomerName": markup})),
    )
    .await;
    load(
        &browser.app,
        json!({"paypro": {"consumers": [
            {"username": USER, "consumer_id": "4242", "name": markup}
        ]}}),
    )
    .await;
    for path in [
        ui("/paypro"),
        ui(&format!("/paypro/orders/{id}")),
        ui("/paypro/consumers"),
    ] {
        let html = browser.page(&path).await;
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: {html}"
        );
        assert!(!html.contains(markup), "{path}");
    }
}

#[tokio::test]
async fn the_consumers_page_lists_consumers_by_merchant_and_pages() {
    let mut browser = Browser::new(spawn_app().await);
    let consumers: Vec<Value> = (0..55)
        .map(|i| json!({"username": USER, "consumer_id": format!("{}", 1000 + i), "name": format!("Consumer {i}")}))
        .collect();
    load(&browser.app, json!({"paypro": {"consumers": consumers}})).await;
    let first = browser
        .page(&ui(&format!("/paypro/consumers?merchant={USER}")))
        .await;
    assert_eq!(count(&first, r#"<td class="consumer-id">"#), 50);
    assert!(first.contains("Consumer 0<") && first.contains(r#"rel="next""#));
    let second = browser
        .page(&ui(&format!("/paypro/consumers?merchant={USER}&page=2")))
        .await;
    assert_eq!(count(&second, r#"<td class="consumer-id">"#), 5);
    assert!(second.contains("Consumer 54<"));
    let other = browser.page(&ui("/paypro/consumers?merchant=PayPro")).await;
    assert!(!other.contains("Consumer 0<"));
}
