//! Jaze's pages: users, invoices and payments (filters, pages, receipt links), and the forms
//! that add each.

use crate::dashboard::{Browser, UI, assert_redirect};
use crate::helpers::spawn_app;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

async fn browser() -> Browser {
    Browser::new(spawn_app().await)
}

/// The Jaze section of the exported state.
async fn records(browser: &Browser) -> Value {
    browser.json("/__sandbox/state").await["jaze"].clone()
}

fn len(records: &Value, what: &str) -> usize {
    records[what].as_array().expect("a list").len()
}

/// The `href` of the receipt link in payment `id`'s row.
fn receipt_href(html: &str, id: i64) -> String {
    let row = &html[html
        .find(&format!(r#"<tr id="payment-{id}">"#))
        .unwrap_or_else(|| panic!("no payment {id}: {html}"))..];
    let start = row
        .find(r#"<a class="receipt" href=""#)
        .expect("a receipt link")
        + 25;
    row[start..start + row[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn the_pages_list_the_fixtures_users_invoices_and_payments_with_their_receipts() {
    let mut browser = browser().await;
    let users = browser.page(&format!("{UI}/jaze")).await;
    assert!(
        users.contains("2 users") && users.contains("Sample User One"),
        "{users}"
    );
    assert!(users.contains("jaze-sandbox-token"));
    let invoices = browser.page(&format!("{UI}/jaze/invoices")).await;
    assert!(
        invoices.contains("2 invoices") && invoices.contains("<td>14700</td>"),
        "{invoices}"
    );
    let payments = browser.page(&format!("{UI}/jaze/payments")).await;
    assert!(payments.contains("9 payments"), "{payments}");
    assert!(payments.contains(r#"<tr id="payment-200">"#) && payments.contains("gateway"));

    let token = records(&browser).await["payments"][0]["receipt_token"]
        .as_str()
        .expect("a receipt token")
        .to_string();
    let href = receipt_href(&payments, 7400);
    assert_eq!(href, format!("/jaze/receipts/{token}.pdf"));
    let receipt = browser.app.get(&href).await;
    assert_eq!(receipt.status(), StatusCode::OK);
    assert_eq!(receipt.headers()[CONTENT_TYPE], "application/pdf");
}

#[tokio::test]
async fn invoices_and_payments_filter_by_user_and_method() {
    let mut browser = browser().await;
    let of_two = browser.page(&format!("{UI}/jaze/invoices?user=2")).await;
    assert!(
        of_two.contains("1 invoices") && of_two.contains("<td>14700</td>"),
        "{of_two}"
    );
    assert!(!of_two.contains("<td>100</td>"));
    let gateway = browser
        .page(&format!("{UI}/jaze/payments?method=gateway"))
        .await;
    assert!(
        gateway.contains("1 payments") && gateway.contains("payment-200"),
        "{gateway}"
    );
    let cash_of_two = browser
        .page(&format!("{UI}/jaze/payments?user=2&method=cash"))
        .await;
    assert!(cash_of_two.contains("1 payments") && cash_of_two.contains("payment-7400"));
    for (query, named) in [
        ("invoices?user=two", "user: `two`"),
        ("payments?method=card", "method: `card`"),
        ("payments?page=0", "page: `0`"),
    ] {
        let bad = browser.get(&format!("{UI}/jaze/{query}")).await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "{query}");
        assert!(bad.text().await.unwrap().contains(named), "{query}");
    }
}

#[tokio::test]
async fn payments_paginate_fifty_a_page_newest_first_keeping_the_filters() {
    let mut browser = browser().await;
    for i in 0..50 {
        let body = json!({"user_id": 2, "amount": format!("{}.00", i + 1), "method": "cash"});
        let response = browser
            .app
            .post_json("/__sandbox/jaze/payments", &body)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let first = browser.page(&format!("{UI}/jaze/payments?user=2")).await;
    assert!(first.contains("51 payments; page 1 of 2"), "{first}");
    assert!(!first.contains("payment-7400"));
    assert!(first.contains("user=2&amp;page=2"), "{first}");
    let second = browser
        .page(&format!("{UI}/jaze/payments?user=2&page=2"))
        .await;
    assert!(second.contains("page 2 of 2") && second.contains("payment-7400"));
}

#[tokio::test]
async fn the_forms_add_a_user_an_invoice_and_a_payment_and_answer_303_to_their_list() {
    let mut browser = browser().await;
    let added = browser
        .submit(
            &format!("{UI}/jaze"),
            &[
                ("user_id", "7"),
                ("customer_number", "C7"),
                ("name", "Seven"),
            ],
        )
        .await;
    assert_redirect(&added, &format!("{UI}/jaze"));
    let invoice = browser
        .submit(
            &format!("{UI}/jaze/invoices"),
            &[
                ("account", "jaze-sandbox-token"),
                ("user_id", "7"),
                ("amount", "49.5"),
                ("date", "2026-02-03"),
            ],
        )
        .await;
    assert_redirect(&invoice, &format!("{UI}/jaze/invoices"));
    let state = records(&browser).await;
    let new_invoice = state["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["user_id"] == 7)
        .unwrap_or_else(|| panic!("no invoice of user 7: {state}"))
        .clone();
    assert_eq!(new_invoice["amount"], "49.50");
    assert_eq!(new_invoice["date"], "2026-02-03");
    let invoice_id = new_invoice["invoice_id"].to_string();
    let payment = browser
        .submit(
            &format!("{UI}/jaze/payments"),
            &[
                ("user_id", "7"),
                ("amount", "49.50"),
                ("method", "cheque"),
                ("bank", "HDFC"),
                ("invoice_ids", &invoice_id),
                ("payment_id", "900"),
            ],
        )
        .await;
    assert_redirect(&payment, &format!("{UI}/jaze/payments"));

    let state = records(&browser).await;
    assert!(
        state["users"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["user_id"] == 7 && u["name"] == "Seven" && u["customer_number"] == "C7"),
        "{state}"
    );
    let paid = state["payments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["payment_id"] == 900)
        .unwrap_or_else(|| panic!("no payment 900: {state}"));
    assert_eq!(paid["method"], "cheque");
    assert_eq!(paid["bank"], "HDFC");
    assert_eq!(paid["invoice_ids"], json!([new_invoice["invoice_id"]]));
    let page = browser.page(&format!("{UI}/jaze/payments?user=7")).await;
    assert!(
        page.contains("payment-900") && page.contains("HDFC"),
        "{page}"
    );
}

#[tokio::test]
async fn a_bad_form_value_answers_400_naming_it_and_changes_nothing() {
    let mut browser = browser().await;
    let before = records(&browser).await;
    for (what, fields, named) in [
        (
            "",
            vec![("user_id", "x7"), ("customer_number", "7")],
            "user_id: `x7` is not a whole number",
        ),
        (
            "",
            vec![("user_id", "1"), ("customer_number", "1")],
            "duplicate",
        ),
        ("", vec![("customer_number", "1")], "user_id: required"),
        (
            "/invoices",
            vec![("user_id", "2"), ("amount", "1.234")],
            "amount: `1.234` is not an amount",
        ),
        (
            "/invoices",
            vec![("user_id", "2"), ("amount", "5"), ("date", "03-02-2026")],
            "date: `03-02-2026` is not a yyyy-mm-dd date",
        ),
        (
            "/invoices",
            vec![("user_id", "99"), ("amount", "5")],
            "no user 99",
        ),
        (
            "/payments",
            vec![("user_id", "2"), ("amount", "0"), ("method", "cash")],
            "amount: must be above zero",
        ),
        (
            "/payments",
            vec![
                ("user_id", "2"),
                ("amount", "5"),
                ("method", "cash"),
                ("invoice_ids", "1, b"),
            ],
            "invoice_ids: `b` is not a whole number",
        ),
        (
            "/payments",
            vec![
                ("user_id", "2"),
                ("amount", "5"),
                ("method", "cash"),
                ("account", "nobody"),
            ],
            "no account with api_token `nobody`",
        ),
    ] {
        let response = browser.submit(&format!("{UI}/jaze{what}"), &fields).await;
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{what} {fields:?}"
        );
        let html = response.text().await.unwrap();
        assert!(
            html.contains(r#"class="error""#) && html.contains(named),
            "{named}: {html}"
        );
    }
    // What was typed stays in the form beside the refusal.
    let response = browser
        .submit(
            &format!("{UI}/jaze/invoices"),
            &[("user_id", "2"), ("amount", "oops")],
        )
        .await;
    assert!(response.text().await.unwrap().contains(r#"value="oops""#));
    assert_eq!(records(&browser).await, before);
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused_and_change_nothing() {
    let mut browser = browser().await;
    browser.page(UI).await;
    let before = records(&browser).await;
    let origin = browser.app.base.clone();
    for (path, fields) in [
        ("", vec![("user_id", "8"), ("customer_number", "8")]),
        ("/invoices", vec![("user_id", "2"), ("amount", "5")]),
        (
            "/payments",
            vec![("user_id", "2"), ("amount", "5"), ("method", "cash")],
        ),
    ] {
        let response = browser
            .post_form(&format!("{UI}/jaze{path}"), &fields, Some(&origin))
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let after = records(&browser).await;
    assert_eq!(len(&after, "users"), len(&before, "users"));
    assert_eq!(after, before);
}

#[tokio::test]
async fn user_text_is_escaped() {
    let mut browser = browser().await;
    let added = browser
        .submit(
            &format!("{UI}/jaze"),
            &[
                ("user_id", "9"),
                ("customer_number", "<i>9</i>"),
                ("name", "<script>x()</script>"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let html = browser.page(&format!("{UI}/jaze")).await;
    assert!(html.contains("&lt;script&gt;x()&lt;/script&gt;") && html.contains("&lt;i&gt;9"));
    assert!(!html.contains("<script>x") && !html.contains("<i>9"));
}
