//! Tenants, `/t/<tenant>/...`: each is a sandbox of its own. The same order, transaction and
//! batch in two tenants; a clock, fault, reset or fixture load in one leaving the other
//! untouched; journals and reports that list only their own tenant's requests; Click2Pay and
//! receipt URLs that stay in their tenant. Names, limits and the control plane are in
//! `tenants_admin`, load and restarts in `tenants_load`.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use crate::paypro_orders::{self, create, freeze, order};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha512};

/// The same sandbox seen through `/t/<name>`: every helper taking a `TestApp` works on it.
pub(crate) fn tenant(app: &TestApp, name: &str) -> TestApp {
    TestApp {
        base: format!("{}/t/{name}", app.base),
        port: app.port,
        client: app.client.clone(),
    }
}

pub(crate) const AGGREPAY_KEY: &str = "aggrepay-sandbox-api-key";
const AGGREPAY_SALT: &str = "aggrepay-sandbox-salt";
/// Default fixtures: balance 41.0.
pub(crate) const SAMPLE: &str = "546693304";
/// Default fixtures: balance 0.
pub(crate) const KARMENDRA: &str = "575290695";

/// An AggrePay call signed as Appendix 17.1 says (ksort, non-empty values, salt first,
/// SHA-512, upper case); the JSON answer.
pub(crate) async fn aggrepay(app: &TestApp, endpoint: &str, fields: &[(&str, &str)]) -> Value {
    let mut all: Vec<(&str, &str)> = vec![("api_key", AGGREPAY_KEY)];
    all.extend_from_slice(fields);
    let mut sorted: Vec<&(&str, &str)> = all.iter().filter(|(_, v)| !v.is_empty()).collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut data = AGGREPAY_SALT.to_string();
    for (_, value) in sorted {
        data.push('|');
        data.push_str(value);
    }
    let hash: String = Sha512::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    all.push(("hash", &hash));
    let response = app
        .client
        .post(app.url(&format!("/aggrepay/api/v1/{endpoint}")))
        .form(&all)
        .send()
        .await
        .expect("a response");
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
    body
}

/// Moves `amount` from one default-fixture wallet to another.
pub(crate) async fn transfer(
    app: &TestApp,
    from: &str,
    to: &str,
    amount: &str,
    mtid: &str,
) -> Value {
    aggrepay(
        app,
        "wallettowallet",
        &[
            ("from_customer_id", from),
            ("to_customer_id", to),
            ("mpin", "1234"),
            ("merchant_transaction_id", mtid),
            ("amount", amount),
        ],
    )
    .await
}

fn chillr_collect() -> Value {
    json!({
        "api_key": "5695d71a6368690df2030000", "api_secret_key": "f333884a36ccfc54787e6d96eac5e3d3",
        "name": "Electricity bill", "expiry_date": "31-12-2099",
        "customers": [{"msisdn": "9447741462", "amount": "200"}]
    })
}

/// A wallet's balance (`fetchbalance`).
pub(crate) async fn balance(app: &TestApp, customer: &str) -> String {
    let answer = aggrepay(app, "fetchbalance", &[("customer_id", customer)]).await;
    answer["data"]["balance"]
        .as_str()
        .unwrap_or_else(|| panic!("no balance: {answer}"))
        .to_string()
}

fn order_numbers(state: &Value) -> Vec<String> {
    let mut numbers: Vec<String> = state["paypro"]["orders"]
        .as_array()
        .map(|orders| {
            orders
                .iter()
                .filter_map(|o| o["OrderNumber"].as_str().or(o["order_number"].as_str()))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    numbers.sort();
    numbers
}

#[tokio::test]
async fn two_tenants_create_the_same_order_transaction_and_batch() {
    let app = spawn_app().await;
    let (a, b) = (tenant(&app, "team-a"), tenant(&app, "team-b"));
    for t in [&a, &b] {
        freeze(t).await;
        let created = create(t, order("SAME-1")).await;
        assert_eq!(created["OrderNumber"], "SAME-1", "{created}");
        let moved = transfer(t, SAMPLE, KARMENDRA, "5.00", "SAME-MTID").await;
        assert!(moved["error"].is_null(), "{moved}");
        let (status, batch) = status_and_json(
            t.post_json("/chillr/api/v5/collect", &chillr_collect())
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(batch["status"], "success", "{batch}");
    }
    // Each tenant holds its own one of each; the default tenant none.
    for t in [&a, &b] {
        let state = t.get_json("/__sandbox/state").await;
        assert!(
            order_numbers(&state).contains(&"SAME-1".to_string()),
            "{state}"
        );
        assert_eq!(balance(t, KARMENDRA).await, balance(&a, KARMENDRA).await);
    }
    let default = app.get_json("/__sandbox/state").await;
    assert!(!order_numbers(&default).contains(&"SAME-1".to_string()));
    assert_ne!(balance(&app, KARMENDRA).await, balance(&a, KARMENDRA).await);
}

#[tokio::test]
async fn a_clock_fault_reset_or_fixture_load_in_one_tenant_leaves_another_untouched() {
    let app = spawn_app().await;
    let (a, b) = (tenant(&app, "a"), tenant(&app, "b"));
    let b_before = b.get_json("/__sandbox/state").await;

    paypro_orders::clock(&a, json!({"set": "2030-01-01T00:00:00+00:00"})).await;
    assert!(
        a.get_json("/__sandbox/clock").await["now"]
            .as_str()
            .unwrap()
            .starts_with("2030-01-01")
    );
    assert_eq!(b.get_json("/__sandbox/clock").await["offset_seconds"], 0);
    assert_eq!(app.get_json("/__sandbox/clock").await["offset_seconds"], 0);

    let rule = json!({"provider": "chillr", "kind": "error"});
    let (status, _) = status_and_json(a.post_json("/__sandbox/faults", &rule).await).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        a.get_json("/__sandbox/faults")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(b.get_json("/__sandbox/faults").await, json!([]));
    let (_, in_b) = status_and_json(
        b.post_json("/chillr/api/v5/collect", &chillr_collect())
            .await,
    )
    .await;
    assert_eq!(
        in_b["status"], "success",
        "the fault of A fired in B: {in_b}"
    );

    let fixture = json!({"paypro": {"orders": []}, "chillr": {"users": ["9000000001"]}});
    let loaded = a.post_json("/__sandbox/fixtures", &fixture).await;
    assert_eq!(loaded.status(), StatusCode::CREATED);
    let a_users = a.get_json("/__sandbox/state").await["chillr"]["users"].clone();
    assert!(a_users.to_string().contains("9000000001"), "{a_users}");
    let b_state = b.get_json("/__sandbox/state").await;
    assert!(
        !b_state["chillr"]["users"]
            .to_string()
            .contains("9000000001")
    );

    // B changes, then A resets: B keeps its change.
    freeze(&b).await;
    create(&b, order("B-KEEPS")).await;
    let reset = a.post_json("/__sandbox/reset", &json!({})).await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(
        a.get_json("/__sandbox/state").await,
        b_before,
        "A back to the start"
    );
    let b_after = b.get_json("/__sandbox/state").await;
    assert!(order_numbers(&b_after).contains(&"B-KEEPS".to_string()));
    assert!(
        b.get_json("/__sandbox/clock").await["now"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-10")
    );
}

#[tokio::test]
async fn a_tenants_journal_and_report_list_only_its_own_requests() {
    let app = spawn_app().await;
    let (a, b) = (tenant(&app, "journal-a"), tenant(&app, "journal-b"));
    for _ in 0..2 {
        a.post_json("/paypro/cpay/gos", &json!({})).await;
    }
    b.post_json("/chillr/api/v5/collect", &chillr_collect())
        .await;
    let a_journal = a.get_json("/__sandbox/requests").await;
    let a_paths: Vec<&str> = a_journal
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(a_paths, ["/paypro/cpay/gos", "/paypro/cpay/gos"]);
    let b_journal = b.get_json("/__sandbox/requests").await;
    assert_eq!(b_journal.as_array().unwrap().len(), 1, "{b_journal}");
    assert_eq!(b_journal[0]["path"], "/chillr/api/v5/collect");
    assert_eq!(app.get_json("/__sandbox/requests").await, json!([]));

    let exercised = |report: &Value, provider: &str| {
        report["providers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["provider"] == provider)
            .unwrap()["exercised"]
            .as_u64()
            .unwrap()
    };
    let a_report = a.get_json("/__sandbox/report").await;
    let b_report = b.get_json("/__sandbox/report").await;
    assert!(exercised(&a_report, "paypro") >= 1);
    assert_eq!(exercised(&a_report, "chillr"), 0);
    assert_eq!(exercised(&b_report, "paypro"), 0);
    assert!(exercised(&b_report, "chillr") >= 1);
}

#[tokio::test]
async fn click2pay_and_receipt_urls_carry_their_tenant_and_work_there() {
    let app = spawn_app().await;
    let a = tenant(&app, "links");
    freeze(&a).await;
    let created = create(&a, order("LINK-1")).await;
    let link = created["Click2Pay"].as_str().unwrap();
    let expected = format!("{}/t/links/paypro/click2pay?cpayId=", app.base);
    assert!(link.starts_with(&expected), "{link}");
    let page = a.client.get(link).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("LINK-1"), "{html}");
    assert!(
        html.contains(r#"action="/t/links/paypro/click2pay/pay""#),
        "the Pay form stays in the tenant: {html}"
    );
    // The same link without the tenant finds no such order in the default tenant.
    let outside = link.replace("/t/links", "");
    assert_eq!(
        app.client.get(&outside).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    let receipt: Value = a
        .client
        .get(a.url("/api/v1/get_payment_receipt/2/7400"))
        .basic_auth("jaze-sandbox-token", Some("jaze-sandbox-key"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = receipt["message"].as_str().expect("a receipt URL");
    assert!(
        url.starts_with(&format!("{}/t/links/jaze/receipts/", app.base)),
        "{url}"
    );
    let pdf = a.client.get(url).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
}

#[tokio::test]
async fn the_dashboard_under_a_tenant_links_within_it() {
    let app = spawn_app().await;
    let a = tenant(&app, "ui");
    paypro_orders::clock(&a, json!({"set": "2031-05-05T00:00:00+00:00"})).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let root = client.get(a.url("/")).send().await.unwrap();
    assert_eq!(root.status(), StatusCode::SEE_OTHER);
    assert_eq!(root.headers()["location"], "/t/ui/__sandbox/ui");
    let page = client.get(a.url("/__sandbox/ui")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let cookie = page.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("Path=/t/ui/__sandbox"), "{cookie}");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("2031-05-05"),
        "the tenant's clock is shown: {html}"
    );
    let mut links = 0;
    for attribute in ["href=\"", "action=\""] {
        for part in html.split(attribute).skip(1) {
            let target = &part[..part.find('"').unwrap()];
            assert!(target.starts_with("/t/ui/"), "{target} leaves the tenant");
            links += 1;
        }
    }
    assert!(links > 5, "{html}");
}
