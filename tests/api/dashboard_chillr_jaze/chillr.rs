//! Chillr's pages: batches (filters, pages), a batch with Pay / Decline, the `back` rule,
//! the user registry and its register form.

use crate::chillr_lifecycle::{
    API_KEY, NON_USER, USER, clock, collect_body, create, create_with, customer, freeze, register,
    status,
};
use crate::dashboard::{Browser, UI, assert_redirect};
use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

/// The expired sample batch of the default fixtures.
const SAMPLE_BATCH: &str = "5743fcb263686923fc0d0000";
/// Another Chillr user, registered by the tests that need two.
const OTHER_USER: &str = "9876543210";

async fn browser() -> Browser {
    let browser = Browser::new(spawn_app().await);
    freeze(&browser.app).await;
    browser
}

fn batch_page(batch_id: &str) -> String {
    format!("{UI}/chillr/batches/{batch_id}")
}

fn act_path(batch_id: &str, msisdn: &str) -> String {
    format!("{UI}/chillr/batches/{batch_id}/customers/{msisdn}")
}

/// The `<td class="state">` of a customer's row on its batch page.
fn state_of(html: &str, msisdn: &str) -> String {
    let row = &html[html
        .find(&format!(r#"<tr id="customer-{msisdn}">"#))
        .unwrap_or_else(|| panic!("no row for {msisdn}: {html}"))..];
    let row = &row[..row.find("</tr>").unwrap()];
    let start = row.find(r#"<td class="state">"#).expect("a state cell") + 18;
    row[start..start + row[start..].find('<').unwrap()].to_string()
}

#[tokio::test]
async fn the_batches_list_shows_merchants_and_batches_and_filters_by_merchant_and_status() {
    let mut browser = browser().await;
    let active = create(&browser.app, json!([{"msisdn": USER, "amount": "200"}])).await;
    let all = browser.page(&format!("{UI}/chillr")).await;
    assert!(
        all.contains(r#"id="merchants""#) && all.contains(API_KEY),
        "{all}"
    );
    assert!(all.contains("2 batches; page 1 of 1"), "{all}");
    for id in [&active, SAMPLE_BATCH] {
        assert!(
            all.contains(&format!(r#"href="{}""#, batch_page(id))),
            "{id}"
        );
    }
    let only_active = browser.page(&format!("{UI}/chillr?status=active")).await;
    assert!(only_active.contains(&active) && !only_active.contains(SAMPLE_BATCH));
    let expired = browser.page(&format!("{UI}/chillr?status=expired")).await;
    assert!(expired.contains(SAMPLE_BATCH) && !expired.contains(&format!("batch-{active}")));
    let mine = browser
        .page(&format!("{UI}/chillr?merchant={API_KEY}"))
        .await;
    assert!(mine.contains("2 batches"), "{mine}");
    let nobody = browser.page(&format!("{UI}/chillr?merchant=nobody")).await;
    assert!(nobody.contains("0 batches") && !nobody.contains(&active));

    let bad = browser.get(&format!("{UI}/chillr?status=paid")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("status: `paid` is not one of")
    );
}

#[tokio::test]
async fn a_batch_whose_requests_decline_on_their_own_lists_as_completed_once_they_have() {
    let mut browser = browser().await;
    let declines = "9876540002";
    register(&browser.app, &[declines]).await;
    let batch = create(&browser.app, json!([{"msisdn": declines, "amount": "5"}])).await;
    let active = browser.page(&format!("{UI}/chillr?status=active")).await;
    assert!(active.contains(&format!("batch-{batch}")), "{active}");
    clock(&browser.app, json!({"advance_seconds": 120})).await;
    let active = browser.page(&format!("{UI}/chillr?status=active")).await;
    assert!(!active.contains(&format!("batch-{batch}")), "{active}");
    let completed = browser.page(&format!("{UI}/chillr?status=completed")).await;
    assert!(completed.contains(&format!("batch-{batch}")), "{completed}");
    let page = browser.page(&batch_page(&batch)).await;
    assert_eq!(state_of(&page, declines), "declined");
}

#[tokio::test]
async fn the_batches_list_paginates_fifty_a_page_newest_first() {
    let mut browser = browser().await;
    for _ in 0..50 {
        create(&browser.app, json!([{"msisdn": USER, "amount": "1"}])).await;
    }
    let first = browser.page(&format!("{UI}/chillr")).await;
    assert!(first.contains("51 batches; page 1 of 2"), "{first}");
    assert!(!first.contains(SAMPLE_BATCH));
    assert!(first.contains("page=2"));
    let second = browser.page(&format!("{UI}/chillr?page=2")).await;
    assert!(second.contains("page 2 of 2") && second.contains(SAMPLE_BATCH));
    let bad = browser.get(&format!("{UI}/chillr?page=zero")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("page: `zero`"));
}

#[tokio::test]
async fn a_batch_page_shows_its_customers_their_states_and_pay_decline_for_pending_ones() {
    let mut browser = browser().await;
    let batch = create(
        &browser.app,
        json!([{"msisdn": USER, "amount": "200"}, {"msisdn": NON_USER, "amount": "600"}]),
    )
    .await;
    let html = browser.page(&batch_page(&batch)).await;
    assert_eq!(state_of(&html, USER), "pending");
    assert_eq!(state_of(&html, NON_USER), "not a Chillr user");
    assert!(html.contains(&format!(r#"<a href="{UI}/phone/{USER}">{USER}</a>"#)));
    assert!(html.contains(&format!(r#"action="{}""#, act_path(&batch, USER))));
    assert!(html.contains(r#"<button name="do" value="pay">Pay</button>"#));
    assert!(html.contains(r#"<button name="do" value="decline">Decline</button>"#));
    assert!(!html.contains(&act_path(&batch, NON_USER)));

    let sample = browser.page(&batch_page(SAMPLE_BATCH)).await;
    assert_eq!(state_of(&sample, USER), "expired");
    assert!(sample.contains(r#"<span id="batch-status">expired</span>"#));
    assert!(!sample.contains(r#"value="pay""#));

    let gone = browser.get(&batch_page("5743fcb263686923fc0dffff")).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert!(gone.text().await.unwrap().contains("no batch"));
}

#[tokio::test]
async fn pay_and_decline_change_the_request_and_answer_303_to_the_batch_or_to_back() {
    let mut browser = browser().await;
    register(&browser.app, &[OTHER_USER]).await;
    let batch = create(
        &browser.app,
        json!([{"msisdn": USER, "amount": "200"}, {"msisdn": OTHER_USER, "amount": "5"}]),
    )
    .await;
    let paid = browser
        .submit(&act_path(&batch, USER), &[("do", "pay")])
        .await;
    assert_redirect(&paid, &batch_page(&batch));
    let view = status(&browser.app, &batch).await;
    assert_eq!(customer(&view, USER)["payment_status"], "paid", "{view}");
    assert_eq!(
        state_of(&browser.page(&batch_page(&batch)).await, USER),
        "paid"
    );

    // Back to a dashboard page (the phone page) when asked; never outside the dashboard.
    let phone = format!("{UI}/phone/{OTHER_USER}");
    let declined = browser
        .submit(
            &act_path(&batch, OTHER_USER),
            &[("do", "decline"), ("back", &phone)],
        )
        .await;
    assert_redirect(&declined, &phone);
    let view = status(&browser.app, &batch).await;
    assert_eq!(customer(&view, OTHER_USER)["payment_status"], "declined");

    for back in [
        "https://elsewhere.example/",
        "/chillr/api/v5/collect",
        "/__sandbox/uix",
    ] {
        let other = create(&browser.app, json!([{"msisdn": USER, "amount": "9"}])).await;
        let response = browser
            .submit(&act_path(&other, USER), &[("do", "pay"), ("back", back)])
            .await;
        assert_redirect(&response, &batch_page(&other));
    }
}

#[tokio::test]
async fn a_refused_action_answers_400_with_the_reason_and_changes_nothing() {
    let mut browser = browser().await;
    let batch = create(&browser.app, json!([{"msisdn": USER, "amount": "200"}])).await;
    let bad = browser
        .submit(&act_path(&batch, USER), &[("do", "refund")])
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let html = bad.text().await.unwrap();
    assert!(html.contains("do: choose pay or decline"), "{html}");
    assert_eq!(state_of(&html, USER), "pending");

    browser
        .submit(&act_path(&batch, USER), &[("do", "decline")])
        .await;
    let again = browser
        .submit(&act_path(&batch, USER), &[("do", "pay")])
        .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let html = again.text().await.unwrap();
    assert!(html.contains("already declined"), "{html}");
    let view = status(&browser.app, &batch).await;
    assert_eq!(customer(&view, USER)["payment_status"], "declined");

    let expired = browser
        .submit(&act_path(SAMPLE_BATCH, USER), &[("do", "pay")])
        .await;
    assert_eq!(expired.status(), StatusCode::BAD_REQUEST);
    assert!(expired.text().await.unwrap().contains("already expired"));
    let unknown = browser
        .submit(&act_path(&batch, NON_USER), &[("do", "pay")])
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(unknown.text().await.unwrap().contains("has no customer"));
}

#[tokio::test]
async fn registering_users_from_the_form_lists_them_and_a_bad_number_changes_nothing() {
    let mut browser = browser().await;
    let users = format!("{UI}/chillr/users");
    let before = browser.page(&users).await;
    assert!(before.contains(&format!(r#"id="user-{USER}""#)), "{before}");
    assert!(before.contains(&format!(r#"href="{UI}/phone/{USER}""#)));

    let done = browser
        .submit(&users, &[("msisdns", "+919876543210\n 9123456789,")])
        .await;
    assert_redirect(&done, &users);
    let after = browser.page(&users).await;
    assert!(after.contains("3 users"), "{after}");
    assert!(after.contains("user-9876543210") && after.contains("user-9123456789"));
    let exported = browser.json("/__sandbox/state").await["chillr"]["users"].clone();
    assert_eq!(exported, json!([USER, "9876543210", "9123456789"]));

    let bad = browser
        .submit(&users, &[("msisdns", "9000011111 12345")])
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains("msisdns[1]: `12345` is not a 10-digit"),
        "{html}"
    );
    assert!(
        html.contains("9000011111 12345</textarea>"),
        "what was typed stays"
    );
    let empty = browser.submit(&users, &[("msisdns", "  ")]).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    let exported = browser.json("/__sandbox/state").await["chillr"]["users"].clone();
    assert_eq!(exported.as_array().unwrap().len(), 3, "{exported}");
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused_and_change_nothing() {
    let mut browser = browser().await;
    let batch = create(&browser.app, json!([{"msisdn": USER, "amount": "200"}])).await;
    browser.page(UI).await;
    let origin = browser.app.base.clone();
    for (path, fields) in [
        (act_path(&batch, USER), [("do", "pay")]),
        (format!("{UI}/chillr/users"), [("msisdns", OTHER_USER)]),
    ] {
        let response = browser.post_form(&path, &fields, Some(&origin)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let view = status(&browser.app, &batch).await;
    assert_eq!(customer(&view, USER)["payment_status"], "pending");
    let users = browser.json("/__sandbox/state").await["chillr"]["users"].clone();
    assert_eq!(users, json!([USER]));
}

#[tokio::test]
async fn batch_names_are_escaped() {
    let mut browser = browser().await;
    let mut body = collect_body(json!([{"msisdn": USER, "amount": "200"}]));
    body["name"] = json!("<script>alert(1)</script>");
    let batch = create_with(&browser.app, &body).await;
    for page in [format!("{UI}/chillr"), batch_page(&batch)] {
        let html = browser.page(&page).await;
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
        assert!(!html.contains("<script>alert"), "{page}");
    }
}
