//! The dashboard's overview counts, phone page and live-refresh script as a browser without
//! JavaScript sees them (the real-browser test is in `browser.rs`).

use crate::dashboard::{Browser, UI, assert_redirect};
use crate::helpers::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

const PROVIDERS: [&str; 4] = ["chillr", "paypro", "aggrepay", "jaze"];

#[tokio::test]
async fn the_overview_has_a_counts_table_per_provider_linking_to_its_pages_and_a_phone_form() {
    let mut browser = Browser::new(spawn_app().await);
    let html = browser.page(UI).await;
    for provider in PROVIDERS {
        let table = format!(r#"<table class="counts" id="counts-{provider}">"#);
        let at = html
            .find(&table)
            .unwrap_or_else(|| panic!("{table} in {html}"));
        let table = &html[at..at + html[at..].find("</table>").unwrap()];
        let link = format!(r#"<a href="{UI}/{provider}">{provider}</a>"#);
        assert!(table.contains(&link), "{provider}: {table}");
    }
    assert!(
        html.contains(&format!(
            r#"<form id="open-phone" method="get" action="{UI}/phone">"#
        )),
        "{html}"
    );
    assert!(html.contains(r#"name="mobile""#), "{html}");
}

#[tokio::test]
async fn the_phone_form_and_a_prefixed_number_redirect_to_the_ten_digit_page() {
    let mut browser = Browser::new(spawn_app().await);
    let canonical = format!("{UI}/phone/9447741462");
    for path in [
        format!("{UI}/phone?mobile=%2B919447741462"),
        format!("{UI}/phone?mobile=9447741462"),
        format!("{UI}/phone?mobile=+09447741462+"),
        format!("{UI}/phone/919447741462"),
        format!("{UI}/phone/09447741462"),
        format!("{UI}/phone/+919447741462"),
    ] {
        let response = browser.get(&path).await;
        assert_redirect(&response, &canonical);
    }
    let html = browser.page(&canonical).await;
    assert!(html.contains("<h1>Phone 9447741462</h1>"), "{html}");
}

#[tokio::test]
async fn a_number_that_is_not_an_indian_mobile_gets_a_404_page_naming_the_problem() {
    let mut browser = Browser::new(spawn_app().await);
    for (path, shown) in [
        (format!("{UI}/phone/5447741462"), "`5447741462`"),
        (format!("{UI}/phone/944774146"), "`944774146`"),
        (format!("{UI}/phone/%3Cb%3Ex"), "`&lt;b&gt;x`"),
        (format!("{UI}/phone?mobile=abc"), "`abc`"),
        (format!("{UI}/phone"), "``"),
    ] {
        let response = browser.get(&path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!(
                "no such phone: {shown} is not an Indian mobile number"
            )),
            "{path}: {html}"
        );
    }
}

#[tokio::test]
async fn the_page_of_a_number_nobody_used_says_so() {
    let mut browser = Browser::new(spawn_app().await);
    let html = browser.page(&format!("{UI}/phone/7000000001")).await;
    assert!(html.contains(r#"<p id="phone-nothing">"#), "{html}");
    assert!(!html.contains(r#"<section class="phone""#), "{html}");
}

#[tokio::test]
async fn pages_carry_the_live_script_and_mark_their_lists_with_the_ids_it_swaps() {
    let mut browser = Browser::new(spawn_app().await);
    let overview = browser.page(UI).await;
    let phone = browser.page(&format!("{UI}/phone/9447741462")).await;
    for (html, ids) in [
        (&overview, &["counts", "last-requests"][..]),
        (&phone, &["phone-sections"][..]),
    ] {
        let tag = format!(r#"<script src="{UI}/live.js" defer></script>"#);
        assert!(html.contains(&tag), "{html}");
        for id in ids {
            assert!(
                html.contains(&format!(r#"id="{id}" data-live"#)),
                "{id}: {html}"
            );
        }
    }
    let script = browser.get(&format!("{UI}/live.js")).await;
    assert_eq!(script.status(), StatusCode::OK);
    assert_eq!(
        script.headers()[reqwest::header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    let script = script.text().await.unwrap();
    assert!(
        script.contains("querySelectorAll('[data-live][id]')"),
        "{script}"
    );
    assert!(script.contains("setInterval(swap, 2000)"), "{script}");
    // The binary's own script is the only one: nothing is loaded from elsewhere.
    assert_eq!(overview.matches("<script").count(), 1, "{overview}");
}

/// The count in the row `label` of a provider's counts table on the overview.
fn count(html: &str, provider: &str, label: &str) -> i64 {
    let at = html
        .find(&format!(r#"id="counts-{provider}""#))
        .unwrap_or_else(|| panic!("no counts of {provider}: {html}"));
    let table = &html[at..at + html[at..].find("</table>").unwrap()];
    let row = format!(r#"<td>{label}</td><td class="count">"#);
    let start = table
        .find(&row)
        .unwrap_or_else(|| panic!("{row} in {table}"))
        + row.len();
    let digits = &table[start..start + table[start..].find('<').unwrap()];
    digits.parse().unwrap_or_else(|_| panic!("{digits}"))
}

#[tokio::test]
async fn an_order_created_through_the_api_is_counted_on_the_overview() {
    use crate::paypro_orders::{create_id, freeze, order};
    let mut browser = Browser::new(spawn_app().await);
    freeze(&browser.app).await;
    let before = count(&browser.page(UI).await, "paypro", "orders");
    create_id(&browser.app, order("COUNTED-1")).await;
    let after = count(&browser.page(UI).await, "paypro", "orders");
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn the_phone_page_shows_each_providers_section_in_the_providers_order() {
    use crate::chillr_lifecycle::{USER, create, freeze, register};
    let mut browser = Browser::new(spawn_app().await);
    let app = &browser.app;
    freeze(app).await;
    register(app, &[USER]).await;
    let batch = create(app, json!([{"msisdn": USER, "amount": "200"}])).await;
    let fields = [("mobile_number", USER), ("email", "phone@example.com")];
    let sent = crate::aggrepay_otp_order::post(app, "registrationotp", &fields).await;
    assert_eq!(sent["data"]["otp_sent"], "true", "{sent}");
    let html = browser.page(&format!("{UI}/phone/{USER}")).await;
    let chillr = html.find(r#"id="phone-chillr""#).expect(&html);
    let aggrepay = html.find(r#"id="phone-aggrepay""#).expect(&html);
    assert!(chillr < aggrepay, "{html}");
    assert!(html[chillr..aggrepay].contains(&format!(r#"id="collect-{batch}""#)));
    assert!(html[aggrepay..].contains(r#"class="otp-code""#), "{html}");
    assert!(!html.contains("phone-nothing"), "{html}");
}
