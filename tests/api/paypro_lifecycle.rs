//! PayPro order lifecycle: `gos` and `gpojson` answers, the merchant's changes (`moap`,
//! `moab`, `mofr`, all or nothing), expiry and amounts due on the sandbox clock, the hosted
//! Click2Pay page, the control plane's pay action and order fixtures.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use crate::paypro_orders::{
    CPAY, FROZEN, PASSWORD, PAYPRO, PAYPRO_PASSWORD, USER, USER_TODAY, change, clock, create,
    create_as, create_id, exchange_raw, failure, freeze, gos, gos_as, gos_query, load, merchant,
    ok_json, order, orders_state, stored, with,
};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};

/// The customer pays: `POST /__sandbox/paypro/orders/{cpayId}/pay`.
async fn pay(app: &TestApp, cpay_id: &str) -> (StatusCode, Value) {
    let path = format!("/__sandbox/paypro/orders/{cpay_id}/pay");
    status_and_json(app.post_json(&path, &json!({})).await).await
}

/// Pays an order through the control plane; it must succeed.
async fn pay_ok(app: &TestApp, cpay_id: &str) -> Value {
    let (status, answer) = pay(app, cpay_id).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

/// `gos` of PayProUser: the raw answer text.
async fn gos_text(app: &TestApp, cpay_id: &str) -> String {
    gos_query(
        app,
        &[
            ("userName", USER),
            ("password", PASSWORD),
            ("cpayId", cpay_id),
        ],
    )
    .await
}

/// `gpojson` with these query parameters: the raw answer text.
async fn gpojson_query(app: &TestApp, query: &[(&str, &str)]) -> String {
    let response = app
        .client
        .get(app.url(&format!("{CPAY}/gpojson")))
        .query(query)
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.expect("a body")
}

/// `gpojson` for a merchant and two dates: the parsed answer.
async fn gpojson_as(app: &TestApp, user: &str, password: &str, start: &str, end: &str) -> Value {
    let text = gpojson_query(
        app,
        &[
            ("username", user),
            ("password", password),
            ("startDate", start),
            ("endDate", end),
        ],
    )
    .await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// PayProUser's `gpojson`: the order numbers listed (the answer must be a success).
async fn paid_numbers(app: &TestApp, start: &str, end: &str) -> Vec<String> {
    let answer = gpojson_as(app, USER, PASSWORD, start, end).await;
    assert_eq!(answer[0], json!({"Status": "00"}), "{answer}");
    answer.as_array().unwrap()[1..]
        .iter()
        .map(|o| o["Order Number"].as_str().unwrap().to_string())
        .collect()
}

/// A `csvOrders` object for a merchant.
fn csv(user: &str, password: &str, numbers: &str) -> Value {
    json!({"Username": user, "Password": password, "CsvOrderNumbers": numbers})
}

/// A `csvOrders` object for PayPro, the merchant of the default fixtures' orders.
fn paypro_csv(numbers: &str) -> Value {
    csv(PAYPRO, PAYPRO_PASSWORD, numbers)
}

/// An HTTP client that does not follow redirects (to see the 303s of Click2Pay).
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// A page: its status and HTML.
async fn page(app: &TestApp, path_and_query: &str) -> (StatusCode, String) {
    let response = app.get(path_and_query).await;
    let status = response.status();
    (status, response.text().await.expect("a body"))
}

/// The `value` of the first input named `name` in the HTML, unescaped.
fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(
        html[start..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#x27;", "'")
            .replace("&amp;", "&"),
    )
}

/// Submits one of the page's forms (`pay` or `fail`): status and Location header.
async fn submit(
    app: &TestApp,
    action: &str,
    cpay_id: &str,
    callback: &str,
) -> (StatusCode, Option<String>, String) {
    let response = no_redirects()
        .post(app.url(&format!("/paypro/click2pay/{action}")))
        .form(&[("cpayId", cpay_id), ("callback_url", callback)])
        .send()
        .await
        .expect("a response");
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().expect("a text Location").to_string());
    (status, location, response.text().await.unwrap_or_default())
}

/// A fixture document of PayPro orders.
fn orders_fixture(orders: Value) -> Value {
    json!({"paypro": {"orders": orders}})
}

/// Posts a fixture that must be refused at `path`; nothing may change.
async fn assert_fixture_refused(app: &TestApp, fixture: Value, path: &str, message_part: &str) {
    let before = app.get_json("/__sandbox/state").await;
    let (status, error) =
        status_and_json(app.post_json("/__sandbox/fixtures", &fixture).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{fixture}: {error}");
    assert_eq!(error["error"], "fixture refused");
    assert_eq!(error["path"], path, "{error}");
    let message = error["message"].as_str().expect("a message");
    assert!(
        message.contains(message_part),
        "`{message}` lacks `{message_part}`"
    );
    assert_eq!(
        app.get_json("/__sandbox/state").await,
        before,
        "state changed"
    );
}

// ---------------------------------------------------------------------------------------
// gos
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn gos_of_the_documents_blocked_sample_order_answers_the_sample_verbatim() {
    let app = spawn_app().await;
    let response = app
        .get("/cpay/gos?userName=ConnectPay&password=p@ssw0rd&cpayId=00471910900006")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.text().await.unwrap(),
        r#"[{"Status":"00"},{"OrderStatus":"Blocked","OrderAmountPaid":0.0000,"DatePaid":null,"OrderNumber":"OpenCart115322"}]"#
    );
}

#[tokio::test]
async fn gos_of_an_unpaid_order_shows_a_zero_amount_with_four_decimals_and_no_date() {
    let app = spawn_app().await;
    freeze(&app).await;
    let id = create_id(&app, order("GOS-1")).await;
    assert_eq!(
        gos_text(&app, &id).await,
        r#"[{"Status":"00"},{"OrderStatus":"Unpaid","OrderAmountPaid":0.0000,"DatePaid":null,"OrderNumber":"GOS-1"}]"#
    );
}

#[tokio::test]
async fn gos_of_a_paid_order_shows_the_amount_and_the_local_time_it_was_paid() {
    let app = spawn_app().await;
    freeze(&app).await;
    let id = create_id(&app, order("GOS-2")).await;
    pay_ok(&app, &id).await;
    assert_eq!(
        gos_text(&app, &id).await,
        r#"[{"Status":"00"},{"OrderStatus":"Paid","OrderAmountPaid":4400.0000,"DatePaid":"2026-03-10T10:00:00","OrderNumber":"GOS-2"}]"#
    );

    // .NET writes the fraction without trailing zeros.
    for (at, shown, amount, number) in [
        (
            "2026-03-10T10:00:00.720+05:00",
            "2026-03-10T10:00:00.72",
            "99.50",
            "GOS-3",
        ),
        (
            "2026-03-10T10:00:00.923+05:00",
            "2026-03-10T10:00:00.923",
            "99.05",
            "GOS-4",
        ),
        (
            "2026-03-10T10:00:00.100+05:00",
            "2026-03-10T10:00:00.1",
            "12",
            "GOS-5",
        ),
    ] {
        clock(&app, json!({"set": at})).await;
        let id = create_id(&app, with(order(number), json!({"OrderAmount": amount}))).await;
        pay_ok(&app, &id).await;
        let text = gos_text(&app, &id).await;
        let four = format!("{:.4}", amount.parse::<f64>().unwrap());
        assert!(
            text.contains(&format!(r#""OrderAmountPaid":{four},"DatePaid":"{shown}""#)),
            "{text}"
        );
    }
    // A merchant in another zone sees its own local time.
    merchant(
        &app,
        json!({"username": "Karachi2", "password": "pw", "company_code": "0811", "utc_offset": "+00:00"}),
    )
    .await;
    clock(&app, json!({"set": FROZEN})).await;
    let utc = create_as(&app, "Karachi2", "pw", order("GOS-6")).await;
    let utc = utc["ConnectPayId"].as_str().unwrap();
    pay_ok(&app, utc).await;
    assert_eq!(
        gos_as(&app, "Karachi2", "pw", utc).await[1]["DatePaid"],
        "2026-03-10T05:00:00"
    );
}

#[tokio::test]
async fn a_merchant_with_upper_case_statuses_sees_paid_in_capitals() {
    let app = spawn_app().await;
    merchant(
        &app,
        json!({"username": "Upper", "password": "pw", "company_code": "0812", "status_case": "upper"}),
    )
    .await;
    let created = create_as(&app, "Upper", "pw", order("UP-1")).await;
    let id = created["ConnectPayId"].as_str().unwrap();
    assert_eq!(
        gos_as(&app, "Upper", "pw", id).await[1]["OrderStatus"],
        "UNPAID"
    );
    pay_ok(&app, id).await;
    assert_eq!(
        gos_as(&app, "Upper", "pw", id).await[1]["OrderStatus"],
        "PAID"
    );
    let answer = change(&app, "moab", &csv("Upper", "pw", "UP-1")).await;
    assert_eq!(
        answer,
        json!([{"Status": "01"}, {"OrderNumber": "UP-1", "OrderStatus": "PAID", "ConnectPayId": id}])
    );
}

#[tokio::test]
async fn gos_without_credentials_or_cpay_id_answers_the_documented_failures() {
    let app = spawn_app().await;
    let long = "x".repeat(61);
    let cases: [(&[(&str, &str)], &str); 8] = [
        (&[], "Invalid Data. Username cannot be empty"),
        (
            &[("cpayId", "00471910900006")],
            "Invalid Data. Username cannot be empty",
        ),
        (
            &[("userName", ""), ("password", "p@ssw0rd")],
            "Invalid Data. Username cannot be empty",
        ),
        (
            &[("userName", &long), ("password", "p@ssw0rd")],
            "Invalid Data. Username length is invalid",
        ),
        (
            &[("userName", "ConnectPay")],
            "Invalid Data. Password cannot be empty",
        ),
        (
            &[("userName", "ConnectPay"), ("password", &long)],
            "Invalid Data. Password length is invalid",
        ),
        (
            &[("userName", "ConnectPay"), ("password", "wrong")],
            "Invalid Data. Username or password is invalid",
        ),
        (
            &[("userName", "ConnectPay"), ("password", "p@ssw0rd")],
            "Invalid Format",
        ),
    ];
    for (query, description) in cases {
        let text = gos_query(&app, query).await;
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(answer, failure("01", description), "{query:?}");
    }
    let empty_id = gos_as(&app, "ConnectPay", "p@ssw0rd", "").await;
    assert_eq!(empty_id, failure("01", "Invalid Format"));
    let unknown = gos_as(&app, "ConnectPay", "p@ssw0rd", "00479999999999").await;
    assert_eq!(unknown, failure("03", "No data available"));
}

#[tokio::test]
async fn gos_reads_parameters_in_any_case_from_the_query_or_a_form() {
    let app = spawn_app().await;
    let expected = json!({"OrderStatus": "Blocked", "OrderAmountPaid": 0.0, "DatePaid": null, "OrderNumber": "OpenCart115322"});
    let answer = ok_json(
        app.get("/paypro/cpay/gos?USERNAME=ConnectPay&PASSWORD=p%40ssw0rd&CPAYID=00471910900006")
            .await,
    )
    .await;
    assert_eq!(answer[1], expected);
    let response = app
        .client
        .post(app.url("/cpay/gos"))
        .form(&[
            ("username", "ConnectPay"),
            ("Password", "p@ssw0rd"),
            ("cpayid", " 00471910900006 "),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok_json(response).await[1], expected);
}

// ---------------------------------------------------------------------------------------
// gpojson
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn gpojson_of_the_documents_sample_lists_the_three_paid_hr_orders() {
    let app = spawn_app().await;
    let answer = ok_json(
        app.get("/cpay/gpojson?username=PayPro&password=%20PayProi517&startDate=2017/01/01&endDate=2020/01/01")
            .await,
    )
    .await;
    let hr = |number: &str, mobile: &str, amount: u64, created: &str, address: &str, id: &str| {
        json!({
            "Order Number": number,
            "Customer Email": "abcd@paypro.com.pk",
            "Issue Date": "2018-12-30T00:00:00",
            "Customer Mobile": mobile,
            "Order Amount": amount,
            "Date Created": created,
            "Order Due Date": "2018-12-20T00:00:00",
            "Customer Address": address,
            "Date Paid": "2019-01-01T00:00:00",
            "ConnectPay Id": id,
            "Amount Paid": amount,
        })
    };
    assert_eq!(
        answer,
        json!([
            {"Status": "00"},
            hr("HR-100013", "03123456789", 45050, "2018-12-27T15:04:25.923", "ABCD Street", "00391836100002"),
            hr("HR-100017", "03333473876", 45054, "2019-01-01T10:12:43.72", "Abcd street", "00391900100005"),
            hr("HR-100018", "03123456789", 45055, "2019-01-01T10:12:43.743", "Abcd Street", "00391900100006"),
        ])
    );
}

#[tokio::test]
async fn gpojson_lists_paid_orders_between_two_dates_inclusive_in_order_of_payment() {
    let app = spawn_app().await;
    freeze(&app).await;
    let ids: Vec<String> = {
        let mut ids = Vec::new();
        for number in [
            "P-FIRST",
            "P-SECOND",
            "P-LAST",
            "P-NEXT-DAY",
            "P-EARLY",
            "P-UNPAID",
        ] {
            ids.push(create_id(&app, order(number)).await);
        }
        ids
    };
    // Paid in another order than created; the earliest moment of the day, the last one,
    // and the first moment of the next day.
    for (at, id) in [
        ("2026-03-10T00:00:00+05:00", &ids[1]),
        ("2026-03-10T12:00:00+05:00", &ids[0]),
        ("2026-03-10T23:59:59+05:00", &ids[2]),
        ("2026-03-11T00:00:00+05:00", &ids[3]),
    ] {
        clock(&app, json!({"set": at})).await;
        pay_ok(&app, id).await;
    }
    clock(&app, json!({"set": "2026-03-09T23:59:59.999+05:00"})).await;
    pay_ok(&app, &ids[4]).await;

    assert_eq!(
        paid_numbers(&app, "2026-03-10", "2026-03-10").await,
        ["P-SECOND", "P-FIRST", "P-LAST"]
    );
    assert_eq!(
        paid_numbers(&app, "2026/03/09", "2026/03/11").await,
        ["P-EARLY", "P-SECOND", "P-FIRST", "P-LAST", "P-NEXT-DAY"]
    );
    assert_eq!(
        paid_numbers(&app, "2026-03-11", "2026/03/31").await,
        ["P-NEXT-DAY"]
    );

    let answer = gpojson_as(&app, USER, PASSWORD, "2026-03-10", "2026-03-10").await;
    let last = &answer[3];
    assert_eq!(last["Date Paid"], "2026-03-10T23:59:59");
    assert_eq!(last["Date Created"], "2026-03-10T10:00:00");
    assert_eq!(last["ConnectPay Id"], ids[2].as_str());
    assert_eq!(last["Order Amount"], json!(4400));
    assert_eq!(last["Amount Paid"], json!(4400));
    assert_eq!(last["Issue Date"], "2026-03-10T00:00:00");
    assert_eq!(last["Order Due Date"], "2026-03-20T00:00:00");
    assert_eq!(last["Customer Mobile"], "03123456789");
    assert_eq!(last["Customer Email"], "");
}

#[tokio::test]
async fn gpojson_refuses_bad_dates_and_answers_no_data_for_an_empty_range() {
    let app = spawn_app().await;
    let check = |start: &'static str, end: &'static str| {
        gpojson_as(&app, PAYPRO, PAYPRO_PASSWORD, start, end)
    };
    assert_eq!(
        check("2020-01-02", "2020-01-01").await,
        failure(
            "01",
            "Invalid Data. Start Date should be less then to End Date"
        )
    );
    for (start, end) in [
        ("01/01/2017", "2020-01-01"),
        ("2017-01-01", "2020-1-1"),
        ("2019-02-30", "2020-01-01"),
        ("", "2020-01-01"),
        ("2017-01-01", "tomorrow"),
        ("2017.01.01", "2020.01.01"),
    ] {
        assert_eq!(
            check(start, end).await,
            failure("01", "Invalid Data. Date format is invalid"),
            "{start} {end}"
        );
    }
    let missing = gpojson_query(&app, &[("username", PAYPRO), ("password", PAYPRO_PASSWORD)]).await;
    assert_eq!(
        serde_json::from_str::<Value>(&missing).unwrap(),
        failure("01", "Invalid Data. Date format is invalid")
    );
    assert_eq!(
        check("2021-01-01", "2021-12-31").await,
        failure("03", "No data available")
    );
    // One day holds only its own payments: HR-100178 and KV-1011 on 2 January 2020.
    let day = check("2020-01-02", "2020-01-02").await;
    let numbers: Vec<&Value> = day.as_array().unwrap()[1..]
        .iter()
        .map(|o| &o["Order Number"])
        .collect();
    assert_eq!(numbers, [&json!("HR-100178"), &json!("KV-1011")]);
    assert_eq!(
        gpojson_as(&app, USER, "wrong", "2020-01-01", "2020-01-02").await,
        failure("01", "Invalid Data. Username or password is invalid")
    );
    assert_eq!(
        gpojson_as(&app, "", "", "2020-01-01", "2020-01-02").await,
        failure("01", "Invalid Data. Username cannot be empty")
    );
}

#[tokio::test]
async fn gpojson_for_a_merchant_without_the_service_is_not_authorized() {
    let app = spawn_app().await;
    merchant(
        &app,
        json!({"username": "NoReports", "password": "pw", "company_code": "0813", "services": ["co", "gos"]}),
    )
    .await;
    assert_eq!(
        gpojson_as(&app, "NoReports", "pw", "2020-01-01", "2020-01-02").await,
        failure(
            "02",
            "Service Failed. User is not Authorized for this service"
        )
    );
}

// ---------------------------------------------------------------------------------------
// moap, moab, mofr
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn moap_of_the_documents_samples_marks_both_orders_paid() {
    let app = spawn_app().await;
    freeze(&app).await;
    // The document's own sample: lower-case `password`, a space after the name.
    let response = app
        .get(r#"/cpay/moap?csvOrders={"Username":"PayPro","password":"PayProi517","CsvOrderNumbers" : "Cpay-10942,CPay-1011"}"#)
        .await;
    assert_eq!(ok_json(response).await, json!([{"Status": "00"}]));
    for (id, amount) in [("00392000100001", 1000.0), ("00392000100002", 1500.0)] {
        let status = gos_as(&app, PAYPRO, PAYPRO_PASSWORD, id).await;
        assert_eq!(status[1]["OrderStatus"], "Paid", "{status}");
        assert_eq!(status[1]["OrderAmountPaid"], json!(amount));
        assert_eq!(status[1]["DatePaid"], "2026-03-10T10:00:00");
    }
}

#[tokio::test]
async fn moab_of_the_documents_sample_blocks_the_order() {
    let app = spawn_app().await;
    let response = app
        .get(r#"/cpay/moab?csvOrders={"Username" : "PayPro","password" :" PayProi517" ,"CsvOrderNumbers" : "Cpay-10942"}"#)
        .await;
    assert_eq!(ok_json(response).await, json!([{"Status": "00"}]));
    assert_eq!(
        gos_as(&app, PAYPRO, PAYPRO_PASSWORD, "00392000100001").await[1]["OrderStatus"],
        "Blocked"
    );
    assert_eq!(
        gos_as(&app, PAYPRO, PAYPRO_PASSWORD, "00392000100002").await[1]["OrderStatus"],
        "Unpaid",
        "only the listed order"
    );
}

#[tokio::test]
async fn the_documents_request_lines_work_verbatim_over_a_socket() {
    let app = spawn_app().await;
    let send = |target: &'static str| {
        let app = &app;
        async move {
            let request = format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let (status, body) = exchange_raw(app, &request).await;
            assert_eq!(status, 200, "{target}: {body}");
            serde_json::from_str::<Value>(&body).unwrap_or_else(|e| panic!("{target}: {e}: {body}"))
        }
    };
    // A raw space in the password, slashes in the dates.
    let report = send("/cpay/gpojson?username=PayPro&password= PayProi517&startDate=2017/01/01&endDate=2020/01/01").await;
    assert_eq!(report.as_array().map(Vec::len), Some(4), "{report}");
    // Raw quotes, braces, spaces and a pipe.
    let refund = send(r#"/cpay/mofr?csvOrders={"Username":"PayPro","Password":"PayProi517","CsvOrderNumbers" : "HR-100178,450|KV-1011,450"}"#).await;
    assert_eq!(refund, json!([{"Status": "00"}]));
    // The document's own sample password for this call is not the merchant's.
    let wrong = send(r#"/cpay/mofr?csvOrders={"Username":"PayPro","Password":"P@ssw0rd","CsvOrderNumbers" : "HR-100178,450|KV-1011,450"}"#).await;
    assert_eq!(
        wrong,
        failure("01", "Invalid Data. Username or password is invalid")
    );
    let paid = send(r#"/cpay/moap?csvOrders={"Username":"PayPro","password" :"PayProi517","CsvOrderNumbers" : " Cpay-10942"}"#).await;
    assert_eq!(paid, json!([{"Status": "00"}]));
    let blocked = send(r#"/cpay/moab?csvOrders={"Username" : "PayPro","password" :" PayProi517" ,"CsvOrderNumbers" : "Cpay-10942"}"#).await;
    assert_eq!(
        blocked,
        json!([{"Status": "01"}, {"OrderNumber": "Cpay-10942", "OrderStatus": "Paid", "ConnectPayId": "00392000100001"}])
    );
}

#[tokio::test]
async fn one_order_that_is_not_unpaid_refuses_the_whole_list_and_changes_nothing() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    for endpoint in ["moap", "moab"] {
        let answer = change(
            &app,
            endpoint,
            &paypro_csv("Cpay-10942,HR-100013,NOPE-1,CPay-1011"),
        )
        .await;
        assert_eq!(
            answer,
            json!([
                {"Status": "01"},
                {"OrderNumber": "HR-100013", "OrderStatus": "Paid", "ConnectPayId": "00391836100002"},
                {"OrderNumber": "NOPE-1", "OrderStatus": "Not Found"},
            ]),
            "{endpoint}"
        );
        let unknown_only = change(&app, endpoint, &paypro_csv("Cpay-10942,NOPE-1")).await;
        assert_eq!(
            unknown_only,
            json!([{"Status": "01"}, {"OrderNumber": "NOPE-1", "OrderStatus": "Not Found"}]),
            "{endpoint}: an unknown number alone also refuses the list"
        );
        let all_unknown = change(&app, endpoint, &paypro_csv("NOPE-1, NOPE-2")).await;
        assert_eq!(
            all_unknown,
            failure("03", "No data available"),
            "{endpoint}"
        );
    }
    assert_eq!(orders_state(&app).await, before, "nothing changed");
    // Blocked ones are listed as Blocked.
    let answer = change(&app, "moab", &paypro_csv("Cpay-10942")).await;
    assert_eq!(answer, json!([{"Status": "00"}]));
    let answer = change(&app, "moap", &paypro_csv("Cpay-10942,CPay-1011")).await;
    assert_eq!(
        answer,
        json!([{"Status": "01"}, {"OrderNumber": "Cpay-10942", "OrderStatus": "Blocked", "ConnectPayId": "00392000100001"}])
    );
    assert_eq!(stored(&app, PAYPRO, "CPay-1011").await["status"], "unpaid");
}

#[tokio::test]
async fn mofr_of_the_documents_sample_refunds_both_paid_orders_once() {
    let app = spawn_app().await;
    freeze(&app).await;
    let answer = change(&app, "mofr", &paypro_csv("HR-100178,450|KV-1011,450")).await;
    assert_eq!(answer, json!([{"Status": "00"}]));
    let refunded = stored(&app, PAYPRO, "HR-100178").await;
    assert_eq!(refunded["status"], "refunded");
    assert_eq!(refunded["refunded_amount"], "450.00");
    let status = gos_as(&app, PAYPRO, PAYPRO_PASSWORD, "00392000200001").await;
    assert_eq!(status[1]["OrderStatus"], "Refunded");
    assert_eq!(
        status[1]["OrderAmountPaid"],
        json!(1000.0),
        "the amount paid stays"
    );

    let again = change(&app, "mofr", &paypro_csv("HR-100178,450|KV-1011,450|")).await;
    assert_eq!(
        again,
        json!([
            {"Status": "01"},
            {"OrderNumber": "HR-100178", "OrderStatus": "Already Refunded", "ConnectPayId": "00392000200001"},
            {"OrderNumber": "KV-1011", "OrderStatus": "Already Refunded", "ConnectPayId": "00392000200002"},
        ])
    );
    // moap and moab of a refunded order list it as Refunded.
    let answer = change(&app, "moab", &paypro_csv("HR-100178")).await;
    assert_eq!(
        answer,
        json!([{"Status": "01"}, {"OrderNumber": "HR-100178", "OrderStatus": "Refunded", "ConnectPayId": "00392000200001"}])
    );
}

#[tokio::test]
async fn mofr_refunds_only_paid_orders_for_an_amount_up_to_the_amount_paid() {
    let app = spawn_app().await;
    change(&app, "moab", &paypro_csv("CPay-1011")).await;
    let before = orders_state(&app).await;
    // HR-100178 was paid 1000.
    for amount in ["0", "-5", "1000.01", "0.00"] {
        let answer = change(&app, "mofr", &paypro_csv(&format!("HR-100178,{amount}"))).await;
        assert_eq!(
            answer,
            json!([{"Status": "01"}, {"OrderNumber": "HR-100178", "OrderStatus": "Invalid Amount", "ConnectPayId": "00392000200001"}]),
            "{amount}"
        );
    }
    let answer = change(
        &app,
        "mofr",
        &paypro_csv("KV-1011,100|Cpay-10942,100|CPay-1011,100|NOPE-9,1"),
    )
    .await;
    assert_eq!(
        answer,
        json!([
            {"Status": "01"},
            {"OrderNumber": "Cpay-10942", "OrderStatus": "Unpaid", "ConnectPayId": "00392000100001"},
            {"OrderNumber": "CPay-1011", "OrderStatus": "Blocked", "ConnectPayId": "00392000100002"},
            {"OrderNumber": "NOPE-9", "OrderStatus": "Not Found"},
        ])
    );
    assert_eq!(
        change(&app, "mofr", &paypro_csv("NOPE-9,1|")).await,
        failure("03", "No data available")
    );
    assert_eq!(orders_state(&app).await, before, "nothing changed");

    // The whole amount paid, and a trailing pipe, are fine.
    let answer = change(&app, "mofr", &paypro_csv("HR-100178,1000|KV-1011, 0.5 |")).await;
    assert_eq!(answer, json!([{"Status": "00"}]));
    assert_eq!(
        stored(&app, PAYPRO, "HR-100178").await["refunded_amount"],
        "1000.00"
    );
    assert_eq!(
        stored(&app, PAYPRO, "KV-1011").await["refunded_amount"],
        "0.50"
    );
}

#[tokio::test]
async fn a_refund_amount_with_more_than_two_decimals_is_an_invalid_amount() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    for amount in ["0.001", "999.999"] {
        let answer = change(&app, "mofr", &paypro_csv(&format!("HR-100178,{amount}"))).await;
        assert_eq!(
            answer,
            json!([{"Status": "01"}, {"OrderNumber": "HR-100178", "OrderStatus": "Invalid Amount", "ConnectPayId": "00392000200001"}]),
            "{amount}"
        );
    }
    assert_eq!(orders_state(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn malformed_refund_pairs_and_unparseable_csv_orders_are_an_invalid_format() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    let invalid = failure("01", "Invalid Format");
    for pairs in [
        "HR-100178",
        "HR-100178,abc",
        "HR-100178;450",
        ",450",
        "HR-100178,450|KV-1011",
        "",
        "|",
    ] {
        let answer = change(&app, "mofr", &paypro_csv(pairs)).await;
        assert_eq!(answer, invalid, "{pairs:?}");
    }
    for endpoint in ["moap", "moab", "mofr"] {
        for text in [
            "not json",
            r#"{"Username":"PayPro","Password":"PayProi517","CsvOrderNumbers":"Cpay-10942""#,
            r#"[{"Username":"PayPro","Password":"PayProi517","CsvOrderNumbers":"Cpay-10942"}]"#,
            r#"{"Username":"PayPro","Password":"PayProi517"}"#,
            r#"{"Username":"PayPro","Password":"PayProi517","CsvOrderNumbers":""}"#,
        ] {
            let response = app
                .client
                .get(app.url(&format!("{CPAY}/{endpoint}")))
                .query(&[("csvOrders", text)])
                .send()
                .await
                .unwrap();
            assert_eq!(ok_json(response).await, invalid, "{endpoint} {text}");
        }
        let nothing = ok_json(app.get(&format!("/cpay/{endpoint}")).await).await;
        assert_eq!(nothing, invalid, "{endpoint} without csvOrders");
    }
    assert_eq!(orders_state(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn csv_orders_take_credentials_in_any_property_case_and_check_them_in_order() {
    let app = spawn_app().await;
    let answer = change(
        &app,
        "moab",
        &json!({"USERNAME": "PayPro", "password": "PayProi517", "csvordernumbers": "Cpay-10942"}),
    )
    .await;
    assert_eq!(answer, json!([{"Status": "00"}]));
    let lenient = app
        .client
        .post(app.url("/cpay/moab"))
        .header("content-type", "text/plain")
        .body("{username:'PayPro', Password:'PayProi517', CsvOrderNumbers:'CPay-1011',}")
        .send()
        .await
        .unwrap();
    assert_eq!(ok_json(lenient).await, json!([{"Status": "00"}]));
    let cases = [
        (
            json!({"Password": "x", "CsvOrderNumbers": "A"}),
            "Invalid Data. Username cannot be empty",
        ),
        (
            json!({"Username": "u".repeat(61), "CsvOrderNumbers": "A"}),
            "Invalid Data. Username length is invalid",
        ),
        (
            json!({"Username": "PayPro", "CsvOrderNumbers": "A"}),
            "Invalid Data. Password cannot be empty",
        ),
        (
            json!({"Username": "PayPro", "Password": "p".repeat(61), "CsvOrderNumbers": "A"}),
            "Invalid Data. Password length is invalid",
        ),
        (
            json!({"Username": "PayPro", "Password": "P@ssw0rd", "CsvOrderNumbers": "A"}),
            "Invalid Data. Username or password is invalid",
        ),
    ];
    for (csv_orders, description) in cases {
        for endpoint in ["moap", "moab", "mofr"] {
            let answer = change(&app, endpoint, &csv_orders).await;
            assert_eq!(
                answer,
                failure("01", description),
                "{endpoint} {csv_orders}"
            );
        }
    }
    merchant(
        &app,
        json!({"username": "NoChanges", "password": "pw", "company_code": "0814", "services": ["co"]}),
    )
    .await;
    for endpoint in ["moap", "moab", "mofr"] {
        let answer = change(&app, endpoint, &csv("NoChanges", "pw", "A,1")).await;
        assert_eq!(
            answer,
            failure(
                "02",
                "Service Failed. User is not Authorized for this service"
            ),
            "{endpoint}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Expiry and the amount due, on the sandbox clock
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn an_order_expires_after_its_seconds_and_can_no_longer_be_paid() {
    let app = spawn_app().await;
    freeze(&app).await;
    let id = create_id(
        &app,
        with(order("EXP-1"), json!({"OrderExpireAfterSeconds": "60"})),
    )
    .await;
    clock(&app, json!({"advance_seconds": 59})).await;
    assert_eq!(gos(&app, &id).await["OrderStatus"], "Unpaid");
    clock(&app, json!({"advance_seconds": 1})).await;
    assert_eq!(gos(&app, &id).await["OrderStatus"], "Blocked");

    let (status, answer) = pay(&app, &id).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["OrderStatus"], "Blocked");

    let (status, html) = page(&app, &format!("/paypro/click2pay?cpayId={id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("cannot be paid"), "{html}");
    assert!(!html.contains("click2pay/pay"), "no Pay form: {html}");
    let (status, _, html) = submit(&app, "pay", &id, "").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("Blocked"), "{html}");
    let (status, location, _) = submit(&app, "pay", &id, "http://shop.test/done").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.expect("a Location");
    assert!(location.ends_with("&status=FAILED"), "{location}");

    let answer = change(&app, "moap", &csv(USER, PASSWORD, "EXP-1")).await;
    assert_eq!(
        answer,
        json!([{"Status": "01"}, {"OrderNumber": "EXP-1", "OrderStatus": "Blocked", "ConnectPayId": id}])
    );
    assert_eq!(gos(&app, &id).await["OrderStatus"], "Blocked");
}

#[tokio::test]
async fn an_order_paid_before_it_expires_stays_paid() {
    let app = spawn_app().await;
    freeze(&app).await;
    let id = create_id(
        &app,
        with(order("EXP-2"), json!({"OrderExpireAfterSeconds": 60})),
    )
    .await;
    clock(&app, json!({"advance_seconds": 59})).await;
    pay_ok(&app, &id).await;
    clock(&app, json!({"advance": "PT1H"})).await;
    assert_eq!(gos(&app, &id).await["OrderStatus"], "Paid");
}

#[tokio::test]
async fn zero_or_empty_expiry_seconds_never_expire() {
    let app = spawn_app().await;
    freeze(&app).await;
    let mut ids = Vec::new();
    for (number, seconds) in [
        ("NEVER-0", json!("0")),
        ("NEVER-EMPTY", json!("")),
        ("NEVER-NUM", json!(0)),
        ("NEVER-ABSENT", Value::Null),
    ] {
        ids.push(
            create_id(
                &app,
                with(order(number), json!({"OrderExpireAfterSeconds": seconds})),
            )
            .await,
        );
    }
    clock(&app, json!({"advance": "P3650D"})).await;
    for id in &ids {
        assert_eq!(gos(&app, id).await["OrderStatus"], "Unpaid", "{id}");
    }
    assert_eq!(pay_ok(&app, &ids[0]).await["OrderStatus"], "Paid");
}

#[tokio::test]
async fn the_amount_due_switches_at_the_end_of_the_due_date_in_the_merchant_zone() {
    let app = spawn_app().await;
    freeze(&app).await;
    let due = |number: &str| {
        with(
            order(number),
            json!({"OrderAmount": "100", "OrderAmountWithinDueDate": "100",
                   "OrderAmountAfterDueDate": "120", "OrderDueDate": "2026-03-12"}),
        )
    };
    let on_time = create_id(&app, due("DUE-ON-TIME")).await;
    let late = create_id(&app, due("DUE-LATE")).await;
    let late_moap = create_id(&app, due("DUE-LATE-MOAP")).await;
    let page_late = create_id(&app, due("DUE-PAGE")).await;

    clock(&app, json!({"set": "2026-03-12T23:59:00+05:00"})).await;
    assert_eq!(pay_ok(&app, &on_time).await["AmountPaid"], "100");
    let (_, html) = page(&app, &format!("/paypro/click2pay?cpayId={page_late}")).await;
    assert!(
        html.contains(">100<"),
        "the page shows the amount due: {html}"
    );

    clock(&app, json!({"set": "2026-03-13T00:00:00+05:00"})).await;
    assert_eq!(pay_ok(&app, &late).await["AmountPaid"], "120");
    let answer = change(&app, "moap", &csv(USER, PASSWORD, "DUE-LATE-MOAP")).await;
    assert_eq!(answer, json!([{"Status": "00"}]));
    let (_, html) = page(&app, &format!("/paypro/click2pay?cpayId={page_late}")).await;
    assert!(
        html.contains(">120<"),
        "the page shows the amount due: {html}"
    );

    assert!(
        gos_text(&app, &on_time)
            .await
            .contains(r#""OrderAmountPaid":100.0000"#)
    );
    assert!(
        gos_text(&app, &late)
            .await
            .contains(r#""OrderAmountPaid":120.0000"#)
    );
    assert!(
        gos_text(&app, &late_moap)
            .await
            .contains(r#""OrderAmountPaid":120.0000"#)
    );
    let report = gpojson_as(&app, USER, PASSWORD, "2026-03-12", "2026-03-13").await;
    let amounts: Vec<(Value, Value, Value)> = report.as_array().unwrap()[1..]
        .iter()
        .map(|o| {
            (
                o["Order Number"].clone(),
                o["Order Amount"].clone(),
                o["Amount Paid"].clone(),
            )
        })
        .collect();
    assert_eq!(
        amounts,
        [
            (json!("DUE-ON-TIME"), json!(100), json!(100)),
            (json!("DUE-LATE"), json!(100), json!(120)),
            (json!("DUE-LATE-MOAP"), json!(100), json!(120)),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// The Click2Pay page
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_click2pay_page_shows_the_order_and_pay_and_fail_forms() {
    let app = spawn_app().await;
    freeze(&app).await;
    let created = create(
        &app,
        with(
            order("C2P-1"),
            json!({"CustomerName": "Saim Ali", "OrderAmount": "4400.50"}),
        ),
    )
    .await;
    let url = format!(
        "{}&callback_url=http://shop.test/done?x=1",
        created["Click2Pay"].as_str().unwrap()
    );
    let response = app.client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let html = response.text().await.unwrap();
    for part in ["C2P-1", "Saim Ali", "4400.50", "Unpaid"] {
        assert!(html.contains(part), "{part} in {html}");
    }
    let pay_form = html
        .find(r#"<form method="post" action="/paypro/click2pay/pay">"#)
        .expect("a Pay form");
    let fail_form = html
        .find(r#"<form method="post" action="/paypro/click2pay/fail">"#)
        .expect("a Fail form");
    let pay_part = &html[pay_form..fail_form];
    let fail_part = &html[fail_form..];
    assert!(
        pay_part.contains(r#"<button type="submit">Pay</button>"#),
        "{pay_part}"
    );
    assert!(
        fail_part.contains(r#"<button type="submit">Fail</button>"#),
        "{fail_part}"
    );
    for part in [pay_part, fail_part] {
        assert_eq!(
            hidden_value(part, "cpayId").as_deref(),
            created["ConnectPayId"].as_str()
        );
        assert_eq!(
            hidden_value(part, "callback_url").as_deref(),
            Some("http://shop.test/done?x=1")
        );
    }
    assert!(!html.contains("<script"), "works without JavaScript");
}

#[tokio::test]
async fn paying_on_the_page_redirects_to_the_callback_and_pays_the_order() {
    let app = spawn_app().await;
    freeze(&app).await;
    let id = create_id(&app, order("C2P-PAY")).await;
    let (_, html) = page(
        &app,
        &format!("/paypro/click2pay?cpayId={id}&callback_url=http://shop.test/done?x=1"),
    )
    .await;
    let callback = hidden_value(&html, "callback_url").expect("a callback input");
    let (status, location, _) = submit(&app, "pay", &id, &callback).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(
            format!(
                "http://shop.test/done?x=1&cpayId={id}&ordId={id}&OrderNumber=C2P-PAY&status=PAID"
            )
            .as_str()
        )
    );
    let status = gos(&app, &id).await;
    assert_eq!(status["OrderStatus"], "Paid");
    assert_eq!(status["OrderAmountPaid"], json!(4400.0));
    assert_eq!(status["DatePaid"], "2026-03-10T10:00:00");

    // Paying again is refused; the page now says why and has no Pay form.
    let (status, location, _) = submit(&app, "pay", &id, &callback).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().ends_with("status=FAILED"));
    assert_eq!(gos(&app, &id).await["DatePaid"], "2026-03-10T10:00:00");
    let (status, html) = page(&app, &format!("/paypro/click2pay?cpayId={id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Paid"), "{html}");
    assert!(html.contains("cannot be paid"), "{html}");
    assert!(!html.contains("/paypro/click2pay/pay"), "{html}");
    assert!(!html.contains("<button"), "{html}");
}

#[tokio::test]
async fn failing_on_the_page_redirects_with_failed_and_leaves_the_order_unpaid() {
    let app = spawn_app().await;
    let id = create_id(&app, order("C2P-FAIL")).await;
    let (status, location, _) = submit(&app, "fail", &id, "http://shop.test/done").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(
            format!(
                "http://shop.test/done?cpayId={id}&ordId={id}&OrderNumber=C2P-FAIL&status=FAILED"
            )
            .as_str()
        ),
        "`?` when the callback has no query yet"
    );
    assert_eq!(gos(&app, &id).await["OrderStatus"], "Unpaid");
    // It can still be paid afterwards.
    let (status, location, _) = submit(&app, "pay", &id, "http://shop.test/done?a=1&b=2").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(
            format!("http://shop.test/done?a=1&b=2&cpayId={id}&ordId={id}&OrderNumber=C2P-FAIL&status=PAID")
                .as_str()
        )
    );
}

#[tokio::test]
async fn without_a_callback_the_page_shows_the_result() {
    let app = spawn_app().await;
    let id = create_id(&app, order("C2P-NOCB")).await;
    let (status, location, html) = submit(&app, "fail", &id, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(location, None);
    assert!(
        html.contains("FAILED") && html.contains("C2P-NOCB"),
        "{html}"
    );
    let (status, location, html) = submit(&app, "pay", &id, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(location, None);
    assert!(html.contains("PAID") && html.contains(&id), "{html}");
    assert_eq!(gos(&app, &id).await["OrderStatus"], "Paid");
}

#[tokio::test]
async fn an_unknown_cpay_id_has_a_not_found_page() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/paypro/click2pay?cpayId=00339999999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("not found"), "{html}");
    let (status, _) = page(&app, "/paypro/click2pay").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = submit(&app, "pay", "00339999999999", "http://shop.test/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = submit(&app, "fail", "00339999999999", "http://shop.test/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_page_escapes_what_the_merchant_sent() {
    let app = spawn_app().await;
    let id = create_id(
        &app,
        with(
            order("<b>C2P</b>&1"),
            json!({"CustomerName": "<script>alert(1)</script>"}),
        ),
    )
    .await;
    let (_, html) = page(
        &app,
        &format!(
            "/paypro/click2pay?cpayId={id}&callback_url=http%3A%2F%2Fshop.test%2F%22%3E%3Cscript%3E"
        ),
    )
    .await;
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;C2P&lt;/b&gt;&amp;1"), "{html}");
    assert_eq!(
        hidden_value(&html, "callback_url").as_deref(),
        Some("http://shop.test/\"><script>"),
        "the callback survives as an attribute value"
    );
}

// ---------------------------------------------------------------------------------------
// The control plane
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_control_plane_pays_an_order_once() {
    let app = spawn_app().await;
    freeze(&app).await;
    let id = create_id(&app, order("CP-1")).await;
    let (status, answer) = pay(&app, &id).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer,
        json!({"ConnectPayId": id, "OrderNumber": "CP-1", "OrderStatus": "Paid",
               "AmountPaid": "4400", "DatePaid": "2026-03-10T10:00:00"})
    );
    let (status, again) = pay(&app, &id).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["OrderStatus"], "Paid");
    let (status, unknown) = pay(&app, "00339999999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{unknown}");
    // The document's blocked order, and a refunded one.
    let (status, blocked) = pay(&app, "00471910900006").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(blocked["OrderStatus"], "Blocked");
    change(&app, "mofr", &paypro_csv("KV-1011,1")).await;
    let (status, refunded) = pay(&app, "00392000200002").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refunded["OrderStatus"], "Refunded");
}

#[tokio::test]
async fn twenty_concurrent_payments_of_one_order_pay_it_once() {
    let app = spawn_app().await;
    freeze(&app).await;
    let id = create_id(&app, order("CP-RACE")).await;
    let url = app.url(&format!("/__sandbox/paypro/orders/{id}/pay"));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url) = (app.client.clone(), url.clone());
            tokio::spawn(async move { client.post(url).send().await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let paid = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((paid, refused), (1, 19), "{statuses:?}");
    assert_eq!(gos(&app, &id).await["OrderStatus"], "Paid");
}

// ---------------------------------------------------------------------------------------
// Fixtures and reset
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn fixture_orders_in_every_state_answer_gos_and_gpojson_accordingly() {
    let app = spawn_app().await;
    freeze(&app).await;
    let base = |number: &str, id: &str| {
        json!({"username": "PayProUser", "order_number": number, "connectpay_id": id,
               "order_amount": "250.00", "order_due_date": "2026-03-31", "issue_date": "2026-03-01",
               "customer_name": "Fixture Customer", "created_at": "2026-03-01T05:00:00Z"})
    };
    load(
        &app,
        orders_fixture(json!([
            base("FX-UNPAID", "00332606000001"),
            with(base("FX-PAID", "00332606000002"), json!({"status": "paid", "paid_at": "2026-03-09T19:00:00Z", "amount_paid": "245.50"})),
            with(base("FX-BLOCKED", "00332606000003"), json!({"status": "blocked", "blocked_at": "2026-03-02T05:00:00Z"})),
            with(base("FX-REFUNDED", "00332606000004"), json!({"status": "refunded", "paid_at": "2026-03-10T18:59:59Z", "refunded_at": "2026-03-10T19:00:00Z", "refunded_amount": "10.00"})),
            with(base("FX-EXPIRED", "00332606000005"), json!({"expire_after_seconds": 3600})),
            {"username": "PayProUser", "order_number": "FX-GENERATED", "order_amount": "5",
             "order_due_date": "2026-03-31", "issue_date": "2026-03-10", "customer_name": "Gen"},
        ])),
    )
    .await;
    let status = |id: &'static str| {
        let app = &app;
        async move { gos_text(app, id).await }
    };
    assert_eq!(
        status("00332606000001").await,
        r#"[{"Status":"00"},{"OrderStatus":"Unpaid","OrderAmountPaid":0.0000,"DatePaid":null,"OrderNumber":"FX-UNPAID"}]"#
    );
    assert_eq!(
        status("00332606000002").await,
        r#"[{"Status":"00"},{"OrderStatus":"Paid","OrderAmountPaid":245.5000,"DatePaid":"2026-03-10T00:00:00","OrderNumber":"FX-PAID"}]"#
    );
    assert_eq!(
        status("00332606000003").await,
        r#"[{"Status":"00"},{"OrderStatus":"Blocked","OrderAmountPaid":0.0000,"DatePaid":null,"OrderNumber":"FX-BLOCKED"}]"#
    );
    assert_eq!(
        status("00332606000004").await,
        r#"[{"Status":"00"},{"OrderStatus":"Refunded","OrderAmountPaid":250.0000,"DatePaid":"2026-03-10T23:59:59","OrderNumber":"FX-REFUNDED"}]"#
    );
    assert!(
        status("00332606000005")
            .await
            .contains(r#""OrderStatus":"Blocked""#),
        "created an hour before the frozen clock with a one-hour expiry"
    );
    // No connectpay_id: one from the company code and the day it was created (now).
    assert_eq!(
        stored(&app, USER, "FX-GENERATED").await["connectpay_id"],
        format!("{USER_TODAY}00001")
    );
    // gpojson lists the paid and the refunded order by the day they were paid.
    let report = gpojson_as(&app, USER, PASSWORD, "2026-03-10", "2026-03-10").await;
    assert_eq!(report[0], json!({"Status": "00"}), "{report}");
    let listed: Vec<(Value, Value)> = report.as_array().unwrap()[1..]
        .iter()
        .map(|o| (o["Order Number"].clone(), o["Amount Paid"].clone()))
        .collect();
    assert_eq!(
        listed,
        [
            (json!("FX-PAID"), json!(245.5)),
            (json!("FX-REFUNDED"), json!(250))
        ]
    );
    // An order created afterwards continues the day's sequence.
    assert_eq!(
        create_id(&app, order("AFTER-FX")).await,
        format!("{USER_TODAY}00002")
    );
}

#[tokio::test]
async fn export_reset_to_empty_and_load_gives_back_the_same_state() {
    let app = spawn_app().await;
    freeze(&app).await;
    let paid = create_id(
        &app,
        with(
            order("EXP-PAID"),
            json!({"OrderAmount": "12.34", "BillDetail01": [{"Item": "A", "Qty": 2}]}),
        ),
    )
    .await;
    create_id(
        &app,
        with(
            order("EXP-EXPIRING"),
            json!({"OrderExpireAfterSeconds": "30"}),
        ),
    )
    .await;
    create_id(&app, order("EXP-BLOCKED")).await;
    clock(&app, json!({"set": "2026-03-10T10:00:01.250+05:00"})).await;
    pay_ok(&app, &paid).await;
    change(&app, "moab", &csv(USER, PASSWORD, "EXP-BLOCKED")).await;
    change(&app, "mofr", &paypro_csv("HR-100178,10.5")).await;

    let exported = app.get_json("/__sandbox/state").await;
    let gos_before = gos_text(&app, &paid).await;
    let (status, answer) = status_and_json(
        app.post_json("/__sandbox/reset?empty=true", &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        orders_state(&app).await,
        json!([]),
        "an empty reset leaves no order"
    );
    load(&app, exported.clone()).await;
    assert_eq!(app.get_json("/__sandbox/state").await, exported);
    assert_eq!(gos_text(&app, &paid).await, gos_before);
}

#[tokio::test]
async fn a_fixture_order_of_an_unknown_merchant_is_refused() {
    let app = spawn_app().await;
    assert_fixture_refused(
        &app,
        orders_fixture(json!([{"username": "Nobody", "order_number": "X-1", "order_amount": "5",
                               "order_due_date": "2026-03-31", "issue_date": "2026-03-10", "customer_name": "N"}])),
        "paypro.orders[0].username",
        "Nobody",
    )
    .await;
}

#[tokio::test]
async fn a_paid_at_on_an_unpaid_fixture_order_is_refused() {
    let app = spawn_app().await;
    let fixture = |status: &str| {
        orders_fixture(json!([
            {"username": USER, "order_number": "OK-1", "order_amount": "5",
             "order_due_date": "2026-03-31", "issue_date": "2026-03-10", "customer_name": "N"},
            {"username": USER, "order_number": "X-1", "order_amount": "5", "status": status,
             "order_due_date": "2026-03-31", "issue_date": "2026-03-10", "customer_name": "N",
             "paid_at": "2026-03-10T05:00:00Z"},
        ]))
    };
    assert_fixture_refused(
        &app,
        fixture("unpaid"),
        "paypro.orders[1].paid_at",
        "unpaid",
    )
    .await;
    assert_fixture_refused(
        &app,
        fixture("blocked"),
        "paypro.orders[1].paid_at",
        "blocked",
    )
    .await;
}

#[tokio::test]
async fn a_duplicate_fixture_order_number_is_refused() {
    let app = spawn_app().await;
    let one = |number: &str| {
        json!({"username": PAYPRO, "order_number": number, "order_amount": "5",
               "order_due_date": "2026-03-31", "issue_date": "2026-03-10", "customer_name": "N"})
    };
    assert_fixture_refused(
        &app,
        orders_fixture(json!([one("Cpay-10942")])),
        "paypro.orders[0]",
        "Cpay-10942",
    )
    .await;
    assert_fixture_refused(
        &app,
        orders_fixture(json!([one("DUP-1"), one("DUP-1")])),
        "paypro.orders[1]",
        "DUP-1",
    )
    .await;
    assert_fixture_refused(
        &app,
        orders_fixture(json!([one("DUP-2"), one("dup-2")])),
        "paypro.orders[1]",
        "dup-2",
    )
    .await;
    // Another merchant may hold the same number.
    load(
        &app,
        orders_fixture(json!([with(one("Cpay-10942"), json!({"username": USER}))])),
    )
    .await;
}

#[tokio::test]
async fn a_reset_undoes_a_created_order() {
    let app = spawn_app().await;
    let before = app.get_json("/__sandbox/state").await;
    freeze(&app).await;
    let id = create_id(&app, order("RESET-1")).await;
    assert_ne!(app.get_json("/__sandbox/state").await, before);
    let (status, _) = status_and_json(app.post_json("/__sandbox/reset", &json!({})).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.get_json("/__sandbox/state").await, before);
    assert_eq!(
        gos_as(&app, USER, PASSWORD, &id).await,
        failure("03", "No data available")
    );
    // The order number and the ConnectPayId are free again (the reset also unfroze the clock).
    freeze(&app).await;
    assert_eq!(create_id(&app, order("RESET-1")).await, id);
}
