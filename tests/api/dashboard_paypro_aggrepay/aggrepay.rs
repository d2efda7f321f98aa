//! AggrePay: merchants, customers with balance, limits and usage, a customer's ledger, PG
//! records, the OTP outbox with each OTP's state.

use super::{count, page_with, ui};
use crate::dashboard::Browser;
use crate::helpers::{TestApp, spawn_app};
use crate::paypro_orders::{clock, load};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha512};

const KEY: &str = "aggrepay-sandbox-api-key";
const SALT: &str = "aggrepay-sandbox-salt";

/// Posts a signed form (Appendix 17.1: ksort, trimmed non-empty values, salt first, SHA-512
/// upper case) of the default merchant to an endpoint; the answer.
async fn post(app: &TestApp, endpoint: &str, fields: &[(&str, &str)]) -> Value {
    let mut all = vec![("api_key", KEY)];
    all.extend_from_slice(fields);
    let mut sorted: Vec<&(&str, &str)> = all.iter().filter(|(_, v)| !v.trim().is_empty()).collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let data = std::iter::once(SALT)
        .chain(sorted.iter().map(|(_, v)| v.trim()))
        .collect::<Vec<_>>()
        .join("|");
    let hash: String = Sha512::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    all.push(("hash", &hash));
    let response = app
        .client
        .post(app.url(&format!("/api/v1/{endpoint}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&all).unwrap())
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

/// The OTPs sent to a number, oldest first, from the control plane's outbox.
async fn sent(app: &TestApp, mobile: &str) -> Vec<Value> {
    let outbox = app
        .get_json(&format!("/__sandbox/aggrepay/otps?mobile_number={mobile}"))
        .await;
    outbox.as_array().unwrap().clone()
}

/// The `<tr>` of `html` that contains `needle`.
fn row_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle} in {html}"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn the_merchants_page_lists_each_merchant_with_its_limits_and_customers() {
    let mut browser = Browser::new(spawn_app().await);
    load(
        &browser.app,
        json!({"aggrepay": {"merchants": [{"api_key": "dash-key", "salt": "s",
        "limits": {"max_balance": "777.00"}}]}}),
    )
    .await;
    let html = browser.page(&ui("/aggrepay")).await;
    let default = row_with(&html, &format!(r#"<td class="api-key">{KEY}</td>"#));
    assert!(
        default.contains(&format!(r#"customers?merchant={KEY}">4</a>"#)),
        "{default}"
    );
    let dash = row_with(&html, r#"<td class="api-key">dash-key</td>"#);
    assert!(
        dash.contains("<td>777.0</td>") && dash.contains(">0</a>"),
        "{dash}"
    );
}

#[tokio::test]
async fn the_customers_page_shows_balances_limits_and_the_usage_the_limit_checks_count() {
    let mut browser = Browser::new(spawn_app().await);
    // The default fixtures' payer: 87.00 opening balance, one 4.00 debit on 4 March 2017.
    clock(&browser.app, json!({"set": "2017-03-04T10:00:00Z"})).await;
    let html = browser.page(&ui("/aggrepay/customers")).await;
    let payer = row_with(&html, r#"<tr id="customer-734203900">"#);
    assert!(
        payer.contains(r#"<td class="balance">83.0</td>"#),
        "{payer}"
    );
    assert!(payer.contains(r#"<td class="day-count">1 / "#), "{payer}");
    assert!(payer.contains(r#"<td class="day-debit">4.0 / "#), "{payer}");
    assert!(
        payer.contains(r#"<td class="month-debit">4.0 / "#),
        "{payer}"
    );
    assert!(
        payer.contains(r#"<td class="month-credit">0.0 / "#),
        "an opening balance is no credit"
    );

    let debit = [
        ("to_sub_merchant_id", "1"),
        ("from_customer_id", "734203900"),
        ("mpin", "1234"),
        ("amount", "5.50"),
        ("merchant_transaction_id", "DASH-1"),
        ("description", ""),
    ];
    let answer = post(&browser.app, "debitwallet", &debit).await;
    assert!(answer["error"].is_null(), "{answer}");
    let html = browser.page(&ui("/aggrepay/customers")).await;
    let payer = row_with(&html, r#"<tr id="customer-734203900">"#);
    assert!(
        payer.contains(r#"<td class="balance">77.5</td>"#),
        "{payer}"
    );
    assert!(payer.contains(r#"<td class="day-count">2 / "#), "{payer}");
    assert!(payer.contains(r#"<td class="day-debit">9.5 / "#), "{payer}");

    // The next day (India time) starts at zero; the month goes on.
    clock(&browser.app, json!({"set": "2017-03-05T00:00:00+05:30"})).await;
    let html = browser
        .page(&ui(&format!("/aggrepay/customers?merchant={KEY}")))
        .await;
    let payer = row_with(&html, r#"<tr id="customer-734203900">"#);
    assert!(payer.contains(r#"<td class="day-count">0 / "#), "{payer}");
    assert!(
        payer.contains(r#"<td class="month-debit">9.5 / "#),
        "{payer}"
    );

    let unknown = page_with(
        &mut browser,
        &ui("/aggrepay/customers?merchant=nobody"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(unknown.contains("no AggrePay merchant `nobody`"));
}

#[tokio::test]
async fn a_customer_page_shows_its_ledger_fifty_entries_a_page() {
    let mut browser = Browser::new(spawn_app().await);
    let transactions: Vec<Value> = (0..55)
        .map(|i| {
            json!({"api_key": KEY, "transaction_id": 800_000_100 + i, "type": "M2C",
            "amount": "1.00", "to_customer_id": "800000001",
            "created_at": format!("2024-01-01T00:{:02}:00Z", i)})
        })
        .collect();
    load(&browser.app, json!({"aggrepay": {
        "customers": [{"api_key": KEY, "customer_id": "800000001", "mobile_number": "+919800000001",
            "first_name": "<b>Ledger</b>", "last_name": "Owner", "mpin": "1234",
            "created_at": "2024-01-01T00:00:00Z"}],
        "transactions": transactions,
    }}))
    .await;
    let path = ui("/aggrepay/customers/800000001");
    let first = browser.page(&path).await;
    assert!(first.contains("55 entries"), "{first}");
    assert_eq!(count(&first, r#"<td class="transaction-id">"#), 50);
    assert!(
        first.contains(r#"<td class="transaction-id">800000154</td>"#),
        "newest first"
    );
    assert!(first.contains("&lt;b&gt;Ledger&lt;/b&gt;") && !first.contains("<b>Ledger"));
    assert!(first.contains(r#"rel="next""#));
    let second = browser.page(&format!("{path}?page=2")).await;
    assert_eq!(count(&second, r#"<td class="transaction-id">"#), 5);
    assert!(second.contains(r#"<td class="transaction-id">800000100</td>"#));
    assert!(
        second.contains(r#"<td class="balance">55.0</td>"#),
        "{second}"
    );

    let list = browser.page(&ui("/aggrepay/customers")).await;
    assert!(list.contains(&format!(r#"href="{path}""#)));
    assert!(list.contains("&lt;b&gt;Ledger&lt;/b&gt;") && !list.contains("<b>Ledger"));
    let missing = page_with(
        &mut browser,
        &ui("/aggrepay/customers/999999999"),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert!(missing.contains("no AggrePay customer 999999999"));
}

#[tokio::test]
async fn the_pg_page_lists_the_gateway_records_and_whether_they_were_used() {
    let mut browser = Browser::new(spawn_app().await);
    let record = json!({"api_key": KEY, "amount": "10.00", "pg_transaction_id": "PG-DASH-1"});
    let response = browser
        .app
        .post_json("/__sandbox/aggrepay/pg-transactions", &record)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let html = browser.page(&ui("/aggrepay/pg")).await;
    let row = row_with(&html, r#"<td class="pg-id">PG-DASH-1</td>"#);
    assert!(
        row.contains(r#"<td class="used">no</td>"#) && row.contains("10.0"),
        "{row}"
    );

    let credit = [
        ("to_customer_id", "575290695"),
        ("amount", "10.00"),
        ("pg_transaction_id", "PG-DASH-1"),
        ("merchant_transaction_id", "DASH-C1"),
    ];
    let answer = post(&browser.app, "creditwallet", &credit).await;
    assert!(answer["error"].is_null(), "{answer}");
    let html = browser.page(&ui("/aggrepay/pg")).await;
    let row = row_with(&html, r#"<td class="pg-id">PG-DASH-1</td>"#);
    assert!(row.contains(r#"<td class="used">yes</td>"#), "{row}");
}

#[tokio::test]
async fn the_otp_outbox_shows_each_otp_valid_used_superseded_or_expired() {
    let mut browser = Browser::new(spawn_app().await);
    clock(&browser.app, json!({"set": "2026-03-10T10:00:00Z"})).await;
    let (first, second) = ("9123400001", "9123400002");
    for mobile in [first, first, second] {
        let answer = post(
            &browser.app,
            "registrationotp",
            &[("mobile_number", mobile), ("email", "dash@example.com")],
        )
        .await;
        assert_eq!(answer["data"]["otp_sent"], "true", "{answer}");
    }
    let otps = sent(&browser.app, first).await;
    let (old, new) = (
        otps[0]["otp"].as_str().unwrap(),
        otps[1]["otp"].as_str().unwrap(),
    );
    let html = browser.page(&ui("/aggrepay/otps")).await;
    assert_eq!(count(&html, r#"<tr class="valid">"#), 2, "{html}");
    assert_eq!(count(&html, r#"<tr class="superseded">"#), 1);
    assert!(
        row_with(&html, r#"<tr class="superseded">"#)
            .contains(&format!(r#"<td class="otp-code">{old}</td>"#))
    );

    let register = [
        ("mobile_number", first),
        ("otp", new),
        ("first_name", "Asha"),
        ("last_name", "Rao"),
        ("mpin", "4321"),
    ];
    let answer = post(&browser.app, "registercustomer", &register).await;
    assert!(answer["error"].is_null(), "{answer}");
    clock(&browser.app, json!({"advance_seconds": 600})).await;
    let html = browser.page(&ui("/aggrepay/otps")).await;
    let used = row_with(&html, r#"<td class="otp-state">used</td>"#);
    assert!(
        used.contains(&format!(r#"<td class="otp-code">{new}</td>"#)),
        "{used}"
    );
    let expired = row_with(&html, r#"<td class="otp-state">expired</td>"#);
    assert!(expired.contains("+919123400002"), "{expired}");

    let one = browser
        .page(&ui(&format!("/aggrepay/otps?mobile=0{second}")))
        .await;
    assert_eq!(count(&one, r#"<td class="otp-code">"#), 1);
    let bad = page_with(
        &mut browser,
        &ui("/aggrepay/otps?mobile=12345"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(bad.contains("mobile: `12345`"));
}
