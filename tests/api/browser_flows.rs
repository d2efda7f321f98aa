//! The dashboard in a real browser (issue 14): what an integrator does with it while the app
//! under test talks to the sandbox's APIs (here reqwest stands in for that app).

use crate::browser::{click, element, shot, text_being, text_containing, with_browser};
use crate::dashboard::UI;
use crate::helpers::{TestApp, spawn_app};
use fantoccini::Client;
use serde_json::json;

async fn open(client: &Client, app: &TestApp, path: &str) {
    client
        .goto(&app.url(&format!("{UI}{path}")))
        .await
        .unwrap_or_else(|e| panic!("open {path}: {e}"));
}

/// A PayPro request the sandbox refuses with a diagnosis; its journal id.
async fn refused_paypro_request(app: &TestApp) -> u64 {
    let csv = json!({"Username": "PayPro", "Password": crate::paypro_orders::PAYPRO_PASSWORD,
        "CsvOrderNumbers": "HR-100013"});
    let response = app.get(&format!("/paypro/cpay/moap?csvOrders={csv}")).await;
    let id = response.headers()["x-sandbox-request-id"].to_str().unwrap();
    id.parse().unwrap()
}

#[tokio::test]
async fn the_overview_refreshes_live_links_a_refused_request_to_its_diagnosis_and_opens_a_phone() {
    let app = spawn_app().await;
    with_browser("overview", |client| async move {
        open(&client, &app, "").await;
        assert!(client.title().await.unwrap().contains("Sandbox overview"));
        element(&client, r#"#counts-paypro a[href$="/paypro"]"#).await;
        click(&client, "#live-toggle").await;
        text_containing(&client, "#live-toggle", "Live: on").await;
        // A page-load marker: the list must change without the page being loaded again.
        client
            .execute("window.stillTheSamePage = true; return null;", vec![])
            .await
            .unwrap();
        let id = refused_paypro_request(&app).await;
        text_containing(&client, "#last-requests", "/paypro/cpay/moap").await;
        let same = client
            .execute("return window.stillTheSamePage === true;", vec![])
            .await
            .unwrap();
        assert_eq!(same, json!(true), "the list was swapped in, not reloaded");
        shot(&client, "overview").await;

        click(
            &client,
            &format!(r#"#last-requests a[href$="/requests/{id}"]"#),
        )
        .await;
        text_containing(&client, "#diagnosis", "paypro.order.state_refused").await;
        shot(&client, "journal-diagnosis").await;

        open(&client, &app, "").await;
        element(&client, "#open-phone input[name=mobile]")
            .await
            .send_keys("+919447741462")
            .await
            .unwrap();
        click(&client, "#open-phone button").await;
        text_containing(&client, "h1", "Phone 9447741462").await;
        let url = client.current_url().await.unwrap();
        assert!(url.path().ends_with("/phone/9447741462"), "{url}");
    })
    .await;
}

#[tokio::test]
async fn an_order_created_through_the_api_is_paid_from_its_page() {
    use crate::paypro_orders::{create_id, freeze, gos, order};
    let app = spawn_app().await;
    freeze(&app).await;
    let id = create_id(&app, order("BROWSER-1")).await;
    with_browser("paypro order", |client| async move {
        open(&client, &app, &format!("/paypro/orders/{id}")).await;
        text_being(&client, "#order-status", "Unpaid").await;
        shot(&client, "order").await;
        click(&client, "#pay").await;
        text_being(&client, "#order-status", "Paid").await;
        element(&client, "#refund").await;
        assert_eq!(gos(&app, &id).await["OrderStatus"], "Paid");
    })
    .await;
}

#[tokio::test]
async fn a_chillr_customer_is_declined_from_the_phone_page() {
    use crate::chillr_lifecycle::{USER, create, customer, freeze, register, status};
    let app = spawn_app().await;
    freeze(&app).await;
    register(&app, &[USER]).await;
    let batch = create(&app, json!([{"msisdn": USER, "amount": "200"}])).await;
    with_browser("chillr decline", |client| async move {
        open(&client, &app, &format!("/phone/{USER}")).await;
        let row = format!("#collects #collect-{batch}");
        element(&client, &row).await;
        shot(&client, "phone").await;
        click(&client, &format!(r#"{row} button[value="decline"]"#)).await;
        // Back on the phone page, the collect declined and its buttons gone.
        text_being(&client, &format!("{row} td.state"), "declined").await;
        let url = client.current_url().await.unwrap();
        assert!(url.path().ends_with(&format!("/phone/{USER}")), "{url}");
        let view = status(&app, &batch).await;
        let state = customer(&view, USER).to_string();
        assert!(state.to_lowercase().contains("declin"), "{state}");

        open(&client, &app, &format!("/chillr/batches/{batch}")).await;
        text_being(&client, &format!("#customer-{USER} td.state"), "declined").await;
        shot(&client, "batch").await;
    })
    .await;
}

#[tokio::test]
async fn an_otp_read_on_the_live_phone_page_registers_an_aggrepay_customer() {
    let app = spawn_app().await;
    let mobile = "9123400088";
    with_browser("aggrepay otp", |client| async move {
        open(&client, &app, &format!("/phone/{mobile}?live=1")).await;
        element(&client, "#phone-nothing").await;
        let sent = crate::aggrepay_otp_order::post(
            &app,
            "registrationotp",
            &[("mobile_number", mobile), ("email", "browser@example.com")],
        )
        .await;
        assert_eq!(sent["data"]["otp_sent"], "true", "{sent}");
        // No reload: the live script swaps the phone's sections in.
        let code = element(&client, "#otps .otp-code")
            .await
            .text()
            .await
            .unwrap();
        let code = code.trim().to_string();
        assert!(
            code.len() >= 4 && code.bytes().all(|b| b.is_ascii_digit()),
            "{code}"
        );
        shot(&client, "phone-otp").await;
        let registration = [
            ("mobile_number", mobile),
            ("otp", code.as_str()),
            ("first_name", "Asha"),
            ("last_name", "Rao"),
            ("mpin", "4321"),
        ];
        let answer = crate::aggrepay_otp_order::post(&app, "registercustomer", &registration).await;
        assert!(answer["error"].is_null(), "{answer}");
        assert!(answer["data"]["customer_id"].is_string(), "{answer}");
    })
    .await;
}
