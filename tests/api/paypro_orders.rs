//! PayPro order creation (`co`, `cmo`): the documented answer, ConnectPayIds on the sandbox
//! clock, every input channel real clients use, Json.NET's leniency, every failure row,
//! magic order numbers, bad input, merchant isolation and concurrent creates.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashSet;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub(crate) const CPAY: &str = "/paypro/cpay";
/// The document's sample merchant for orders (company 0033).
pub(crate) const USER: &str = "PayProUser";
pub(crate) const PASSWORD: &str = "Password";
/// The merchant that owns the default fixtures' orders (company 0039).
pub(crate) const PAYPRO: &str = "PayPro";
pub(crate) const PAYPRO_PASSWORD: &str = "PayProi517";
/// The instant the tests freeze the clock at: day 069 of 2026 in Pakistan time.
pub(crate) const FROZEN: &str = "2026-03-10T10:00:00+05:00";
/// PayProUser's ConnectPayId prefix on the frozen day: company, `YY`, `DDD`.
pub(crate) const USER_TODAY: &str = "003326069";

/// Changes the sandbox clock (`{"set": ...}`, `{"advance": ...}`, `{"advance_seconds": n}`).
pub(crate) async fn clock(app: &TestApp, change: Value) {
    let (status, answer) = status_and_json(app.post_json("/__sandbox/clock", &change).await).await;
    assert_eq!(status, StatusCode::OK, "{change}: {answer}");
}

/// Freezes the clock at [`FROZEN`].
pub(crate) async fn freeze(app: &TestApp) {
    clock(app, json!({ "set": FROZEN })).await;
}

/// Element 0 of a `co`/`cmo` payload.
pub(crate) fn creds(user: &str, password: &str) -> Value {
    json!({"MerchantId": user, "MerchantPassword": password})
}

/// A valid order, due ten days after the frozen day.
pub(crate) fn order(number: &str) -> Value {
    json!({
        "OrderNumber": number,
        "OrderAmount": "4400",
        "OrderDueDate": "2026-03-20",
        "OrderType": "Service",
        "IssueDate": "2026-03-10",
        "OrderExpireAfterSeconds": "0",
        "CustomerName": "Umer Aziz",
        "CustomerMobile": "03123456789",
        "CustomerEmail": "",
        "CustomerAddress": "",
    })
}

/// The object with these properties set (a `null` removes the property).
pub(crate) fn with(mut object: Value, changes: Value) -> Value {
    let target = object.as_object_mut().expect("an object");
    for (key, value) in changes.as_object().expect("changes as an object") {
        if value.is_null() {
            target.remove(key);
        } else {
            target.insert(key.clone(), value.clone());
        }
    }
    object
}

/// `[{"Status":status},{"Description":description}]`.
pub(crate) fn failure(status: &str, description: &str) -> Value {
    json!([{"Status": status}, {"Description": description}])
}

/// A response that must be HTTP 200 with a JSON body.
pub(crate) async fn ok_json(response: reqwest::Response) -> Value {
    let (status, answer) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

/// Posts a raw body (with a content type, or none) to an endpoint under `/paypro/cpay`.
pub(crate) async fn post_raw(
    app: &TestApp,
    endpoint: &str,
    content_type: Option<&str>,
    body: impl Into<String>,
) -> Value {
    let mut request = app
        .client
        .post(app.url(&format!("{CPAY}/{endpoint}")))
        .body(body.into());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    ok_json(request.send().await.expect("a response")).await
}

/// Posts a payload as a JSON body.
pub(crate) async fn call(app: &TestApp, endpoint: &str, payload: &Value) -> Value {
    post_raw(app, endpoint, Some("application/json"), payload.to_string()).await
}

/// `co` for a merchant with one order: the whole answer.
pub(crate) async fn co_as(app: &TestApp, user: &str, password: &str, order: Value) -> Value {
    call(app, "co", &json!([creds(user, password), order])).await
}

/// Creates one order for PayProUser; the answer must be a success. Returns element 1.
pub(crate) async fn create(app: &TestApp, order: Value) -> Value {
    create_as(app, USER, PASSWORD, order).await
}

/// Creates one order for a merchant; the answer must be a success. Returns element 1.
pub(crate) async fn create_as(app: &TestApp, user: &str, password: &str, order: Value) -> Value {
    let answer = co_as(app, user, password, order).await;
    assert_eq!(answer[0], json!({"Status": "00"}), "{answer}");
    assert_eq!(answer.as_array().map(Vec::len), Some(2), "{answer}");
    answer[1].clone()
}

/// Creates one order for PayProUser and returns its ConnectPayId.
pub(crate) async fn create_id(app: &TestApp, order: Value) -> String {
    let created = create(app, order).await;
    created["ConnectPayId"]
        .as_str()
        .unwrap_or_else(|| panic!("no ConnectPayId: {created}"))
        .to_string()
}

/// `gos` with these query parameters: the raw answer text.
pub(crate) async fn gos_query(app: &TestApp, query: &[(&str, &str)]) -> String {
    let response = app
        .client
        .get(app.url(&format!("{CPAY}/gos")))
        .query(query)
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.expect("a body")
}

/// `gos` for a merchant: the parsed answer.
pub(crate) async fn gos_as(app: &TestApp, user: &str, password: &str, cpay_id: &str) -> Value {
    let text = gos_query(
        app,
        &[
            ("userName", user),
            ("password", password),
            ("cpayId", cpay_id),
        ],
    )
    .await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// PayProUser's `gos`; it must be a success. Returns element 1.
pub(crate) async fn gos(app: &TestApp, cpay_id: &str) -> Value {
    let answer = gos_as(app, USER, PASSWORD, cpay_id).await;
    assert_eq!(answer[0], json!({"Status": "00"}), "{answer}");
    answer[1].clone()
}

/// `moap`, `moab` or `mofr` with `csvOrders` in the query.
pub(crate) async fn change(app: &TestApp, endpoint: &str, csv_orders: &Value) -> Value {
    let response = app
        .client
        .get(app.url(&format!("{CPAY}/{endpoint}")))
        .query(&[("csvOrders", csv_orders.to_string())])
        .send()
        .await
        .expect("a response");
    ok_json(response).await
}

/// The `paypro.orders` section of the exported state.
pub(crate) async fn orders_state(app: &TestApp) -> Value {
    app.get_json("/__sandbox/state").await["paypro"]["orders"].clone()
}

/// One order of the exported state, by merchant and order number.
pub(crate) async fn stored(app: &TestApp, username: &str, number: &str) -> Value {
    let orders = orders_state(app).await;
    orders
        .as_array()
        .expect("an orders list")
        .iter()
        .find(|o| o["username"] == username && o["order_number"] == number)
        .unwrap_or_else(|| panic!("no order {number} of {username} in {orders}"))
        .clone()
}

/// Loads a fixture document; it must be accepted.
pub(crate) async fn load(app: &TestApp, fixture: Value) {
    let (status, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", &fixture).await).await;
    assert_eq!(status, StatusCode::CREATED, "{fixture}: {answer}");
}

/// Loads one more PayPro merchant.
pub(crate) async fn merchant(app: &TestApp, merchant: Value) {
    load(app, json!({"paypro": {"merchants": [merchant]}})).await;
}

/// Percent-encodes every byte but the unreserved ones.
pub(crate) fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Sends raw bytes on a new connection and answers the response's status and body.
pub(crate) async fn exchange_raw(app: &TestApp, request: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .expect("a connection");
    stream.write_all(request.as_bytes()).await.expect("written");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let raw = String::from_utf8(raw).expect("a UTF-8 response");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a head and a body");
    let status = head[9..12].parse().expect("a status code");
    (status, body.to_string())
}

// ---------------------------------------------------------------------------------------
// The success answer and ConnectPayIds
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_created_order_answers_every_documented_key() {
    let app = spawn_app().await;
    freeze(&app).await;
    let answer = co_as(&app, USER, PASSWORD, order("OpenCart115319")).await;
    let id = format!("{USER_TODAY}00001");
    assert_eq!(
        answer,
        json!([{"Status": "00"}, {
            "Description": "Order number OpenCart115319 created successfully",
            "OrderAmount": "4400",
            "ConnectPayFee": "0",
            "ConnectPayId": id,
            "OrderNumber": "OpenCart115319",
            "IsFeeApplied": "False",
            "Click2Pay": format!("http://127.0.0.1:{}/paypro/click2pay?cpayId={id}", app.port),
        }])
    );
    assert_eq!(
        answer[0].as_object().map(|o| o.len()),
        Some(1),
        "element 0 holds only the status"
    );
    let kept = stored(&app, USER, "OpenCart115319").await;
    assert_eq!(kept["connectpay_id"], id);
    assert_eq!(kept["order_amount"], "4400.00");
    assert_eq!(kept["status"], "unpaid");
}

#[tokio::test]
async fn a_fractional_amount_is_echoed_with_two_decimals() {
    let app = spawn_app().await;
    freeze(&app).await;
    let created = create(&app, with(order("FRAC-1"), json!({"OrderAmount": "99.50"}))).await;
    assert_eq!(created["OrderAmount"], "99.50");
    let created = create(&app, with(order("FRAC-2"), json!({"OrderAmount": "99.5"}))).await;
    assert_eq!(created["OrderAmount"], "99.50");
    assert_eq!(stored(&app, USER, "FRAC-2").await["order_amount"], "99.50");
}

#[tokio::test]
async fn a_merchant_with_a_fee_gets_it_applied_to_each_order() {
    let app = spawn_app().await;
    freeze(&app).await;
    let created = create_as(&app, "Abc", "Password", order("H-5")).await;
    assert_eq!(created["ConnectPayFee"], "60");
    assert_eq!(created["IsFeeApplied"], "True");
    assert_eq!(created["ConnectPayId"], "00342606900001");
    assert_eq!(
        created["Description"],
        "Order number H-5 created successfully"
    );
}

#[tokio::test]
async fn connectpay_ids_count_orders_per_merchant_and_day_in_the_merchant_zone() {
    let app = spawn_app().await;
    // 00:30 on 10 March in Pakistan is still 9 March in UTC: the merchant's day counts.
    clock(&app, json!({"set": "2026-03-10T00:30:00+05:00"})).await;
    assert_eq!(
        create_id(&app, order("SEQ-1")).await,
        format!("{USER_TODAY}00001")
    );
    // A merchant on UTC is still on 9 March (day 068) at that instant.
    merchant(
        &app,
        json!({"username": "OnUtc", "password": "pw", "company_code": "0815", "utc_offset": "+00:00"}),
    )
    .await;
    let utc = create_as(&app, "OnUtc", "pw", order("SEQ-1")).await;
    assert_eq!(utc["ConnectPayId"], "08152606800001");
    clock(&app, json!({"set": "2026-03-10T23:59:59+05:00"})).await;
    let answer = call(
        &app,
        "cmo",
        &json!([creds(USER, PASSWORD), order("SEQ-2"), order("SEQ-3")]),
    )
    .await;
    assert_eq!(answer[0], json!({"Status": "00"}), "{answer}");
    assert_eq!(answer[1]["ConnectPayId"], format!("{USER_TODAY}00002"));
    assert_eq!(answer[2]["ConnectPayId"], format!("{USER_TODAY}00003"));
    assert_eq!(
        create_id(&app, order("SEQ-4")).await,
        format!("{USER_TODAY}00004"),
        "co and cmo share the sequence"
    );
    let other = create_as(&app, "Abc", "Password", order("SEQ-1")).await;
    assert_eq!(
        other["ConnectPayId"], "00342606900001",
        "each merchant has its own sequence"
    );

    clock(&app, json!({"advance_seconds": 1})).await;
    assert_eq!(
        create_id(&app, order("SEQ-5")).await,
        "00332607000001",
        "a new day in the merchant's zone restarts the sequence"
    );
}

#[tokio::test]
async fn click2pay_is_built_from_the_host_the_client_used() {
    let app = spawn_app().await;
    freeze(&app).await;
    let payload = json!([creds(USER, PASSWORD), order("HOST-1")]);
    let response = app
        .client
        .post(app.url("/cpay/co"))
        .header("host", "sandbox.example:8443")
        .json(&payload)
        .send()
        .await
        .expect("a response");
    let answer = ok_json(response).await;
    assert_eq!(
        answer[1]["Click2Pay"],
        format!("http://sandbox.example:8443/paypro/click2pay?cpayId={USER_TODAY}00001"),
        "{answer}"
    );
}

// ---------------------------------------------------------------------------------------
// Where the JSON arrives
// ---------------------------------------------------------------------------------------

/// Asserts a successful single-order answer for this order number.
fn assert_created(answer: &Value, number: &str) {
    assert_eq!(answer[0], json!({"Status": "00"}), "{answer}");
    assert_eq!(answer[1]["OrderNumber"], number, "{answer}");
}

#[tokio::test]
async fn json_percent_encoded_in_the_query_creates_the_order() {
    let app = spawn_app().await;
    let payload = json!([creds(USER, PASSWORD), order("Q-1")]).to_string();
    for (method, number) in [
        (reqwest::Method::POST, "Q-1"),
        (reqwest::Method::GET, "Q-2"),
    ] {
        let payload = payload.replace("Q-1", number);
        let response = app
            .client
            .request(method, app.url(&format!("{CPAY}/co")))
            .query(&[("oJson", payload)])
            .send()
            .await
            .expect("a response");
        assert_created(&ok_json(response).await, number);
    }
}

#[tokio::test]
async fn the_query_parameter_name_matches_in_any_case() {
    let app = spawn_app().await;
    let payload = json!([creds(USER, PASSWORD), order("CASE-1")]).to_string();
    let answer = ok_json(
        app.get(&format!("/cpay/co?OJSON={}", encode(&payload)))
            .await,
    )
    .await;
    assert_created(&answer, "CASE-1");
}

#[tokio::test]
async fn an_empty_query_value_falls_back_to_the_json_body() {
    let app = spawn_app().await;
    let payload = json!([creds(USER, PASSWORD), order("EMPTY-Q")]);
    let response = app
        .client
        .post(app.url(&format!("{CPAY}/co?oJson=")))
        .json(&payload)
        .send()
        .await
        .expect("a response");
    assert_created(&ok_json(response).await, "EMPTY-Q");
}

#[tokio::test]
async fn json_in_a_text_plain_body_or_one_without_content_type_creates_the_order() {
    let app = spawn_app().await;
    let plain = json!([creds(USER, PASSWORD), order("PLAIN-1")]).to_string();
    assert_created(
        &post_raw(&app, "co", Some("text/plain; charset=utf-8"), plain).await,
        "PLAIN-1",
    );
    let bare = json!([creds(USER, PASSWORD), order("BARE-1")]).to_string();
    assert_created(&post_raw(&app, "co", None, bare).await, "BARE-1");
}

#[tokio::test]
async fn a_form_field_named_ojson_creates_the_order() {
    let app = spawn_app().await;
    let payload = json!([
        creds(USER, PASSWORD),
        with(order("FORM-1"), json!({"CustomerName": "A & B + C"}))
    ]);
    let body = format!("other=1&oJson={}", encode(&payload.to_string()));
    let answer = post_raw(&app, "co", Some("application/x-www-form-urlencoded"), body).await;
    assert_created(&answer, "FORM-1");
    assert_eq!(
        stored(&app, USER, "FORM-1").await["customer_name"],
        "A & B + C"
    );
}

#[tokio::test]
async fn a_form_body_without_a_name_creates_the_order() {
    let app = spawn_app().await;
    let payload = json!([creds(USER, PASSWORD), order("NAMELESS-1")]).to_string();
    let answer = post_raw(
        &app,
        "co",
        Some("application/x-www-form-urlencoded"),
        format!("={}", encode(&payload)),
    )
    .await;
    assert_created(&answer, "NAMELESS-1");
}

#[tokio::test]
async fn cmo_takes_the_orders_as_an_uploaded_text_file() {
    let app = spawn_app().await;
    freeze(&app).await;
    let file = serde_json::to_string_pretty(&json!([
        creds(USER, PASSWORD),
        order("FILE-1"),
        order("FILE-2"),
    ]))
    .unwrap();
    let boundary = "----WebClientBoundary8d9f1c2b";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"orders.txt\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    let answer = post_raw(
        &app,
        "cmo",
        Some(&format!("multipart/form-data; boundary={boundary}")),
        body,
    )
    .await;
    assert_eq!(answer[0], json!({"Status": "00"}), "{answer}");
    assert_eq!(answer[1]["OrderNumber"], "FILE-1");
    assert_eq!(answer[2]["OrderNumber"], "FILE-2");
    assert_eq!(answer[2]["ConnectPayId"], format!("{USER_TODAY}00002"));
    assert_eq!(answer.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_multipart_text_field_named_ojson_creates_the_order() {
    let app = spawn_app().await;
    let payload = json!([creds(USER, PASSWORD), order("PART-1")]).to_string();
    let boundary = "PostmanBoundary1234";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"oJson\"\r\n\r\n{payload}\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    assert_created(
        &post_raw(&app, "co", Some(&content_type), body).await,
        "PART-1",
    );
}

#[tokio::test]
async fn an_uploaded_file_saved_with_a_byte_order_mark_is_read() {
    let app = spawn_app().await;
    let payload = json!([creds(USER, PASSWORD), order("BOM-FILE")]).to_string();
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"orders.txt\"\r\n\
         Content-Type: text/plain\r\n\r\n\u{feff}{payload}\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let answer = post_raw(&app, "cmo", Some(&content_type), body).await;
    assert_created(&answer, "BOM-FILE");
}

#[tokio::test]
async fn a_raw_body_with_a_byte_order_mark_is_read() {
    let app = spawn_app().await;
    for (content_type, number) in [("text/plain", "BOM-1"), ("application/json", "BOM-2")] {
        let payload = json!([creds(USER, PASSWORD), order(number)]).to_string();
        let answer = post_raw(&app, "co", Some(content_type), format!("\u{feff}{payload}")).await;
        assert_created(&answer, number);
    }
}

#[tokio::test]
async fn the_documents_csharp_flow_with_the_json_in_query_and_body_creates_one_order() {
    let app = spawn_app().await;
    // `baseUrl + "cpay/co?oJson=" + jsonOrder` and `UploadString(reqUri, jsonOrder)`: the
    // same raw JSON, unencoded, in the request line and in the body.
    let json = r#"[{"MerchantId":"Abc","MerchantPassword":"Password"},{"OrderNumber":"H-5","OrderAmount":"250001","OrderDueDate":"18/12/2021","OrderType":"Service","IssueDate":"11/12/2020","OrderExpireAfterSeconds":"0","CustomerName":"Salman Afridi","CustomerMobile":"","CustomerEmail":"","CustomerAddress":""}]"#;
    let request = format!(
        "POST /cpay/co?oJson={json} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{json}",
        json.len()
    );
    let (status, body) = exchange_raw(&app, &request).await;
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("a JSON answer");
    assert_created(&answer, "H-5");
    assert_eq!(answer[1]["OrderAmount"], "250001");
    assert_eq!(answer[1]["ConnectPayFee"], "60");
    let orders = orders_state(&app).await;
    let h5 = orders
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["order_number"] == "H-5")
        .count();
    assert_eq!(h5, 1, "one order, not one per copy of the JSON");
}

#[tokio::test]
async fn a_non_empty_query_value_wins_over_the_body() {
    let app = spawn_app().await;
    let query = json!([creds(USER, PASSWORD), order("FROM-QUERY")]).to_string();
    let body = json!([creds(USER, PASSWORD), order("FROM-BODY")]).to_string();
    let response = app
        .client
        .post(app.url(&format!("{CPAY}/co")))
        .query(&[("oJson", query)])
        .header("content-type", "text/plain")
        .body(body)
        .send()
        .await
        .expect("a response");
    assert_created(&ok_json(response).await, "FROM-QUERY");
    let numbers: Vec<Value> = orders_state(&app)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_number"].clone())
        .collect();
    assert!(!numbers.contains(&json!("FROM-BODY")), "{numbers:?}");
}

// ---------------------------------------------------------------------------------------
// Json.NET's leniency
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn single_quotes_unquoted_names_trailing_commas_and_comments_are_read() {
    let app = spawn_app().await;
    let text = r#"[
        // the credentials
        {MerchantId: 'PayProUser', MerchantPassword: 'Password',},
        {
            OrderNumber: 'LENIENT-1', // the shop's number
            'OrderAmount': '4400',
            OrderDueDate: '2026-03-20',
            OrderType: "Service",
            IssueDate: '2026-03-10',
            CustomerName: 'Umer Aziz',
            CustomerMobile: '',
        },
    ]"#;
    let answer = post_raw(&app, "co", Some("application/json"), text).await;
    assert_created(&answer, "LENIENT-1");
}

#[tokio::test]
async fn escaped_slashes_and_padded_credentials_of_the_documents_sample_are_read() {
    let app = spawn_app().await;
    let text = r#"[{
"MerchantId": " PayProUser ","MerchantPassword": " Password "}, {"OrderNumber": "OpenCart115319","OrderAmount": "4400","OrderDueDate": "21\/04\/2020","OrderAmountWithinDueDate": "4400","OrderAmountAfterDueDate":"4400","OrderTypeId": "Service","OrderType": "Service","IssueDate": "14\/03\/2020" ,"TransactionStatus": "UNPAID","CustomerName": "Saim Ali","CustomerMobile": "02345678910","CustomerEmail": "","CustomerAddress": "","CustomerBank": ""
}]"#;
    let answer = post_raw(&app, "co", Some("text/plain"), text).await;
    assert_created(&answer, "OpenCart115319");
    let kept = stored(&app, USER, "OpenCart115319").await;
    assert_eq!(kept["order_due_date"], "2020-04-21");
    assert_eq!(kept["issue_date"], "2020-03-14");
    // Single-quoted strings take the same escape.
    let quoted = r"[{MerchantId:'PayProUser',MerchantPassword:'Password'},{OrderNumber:'SQ-1',OrderAmount:'10',OrderDueDate:'21\/04\/2020',OrderType:'Service',IssueDate:'14\/03\/2020',CustomerName:'Saim'}]";
    assert_created(&post_raw(&app, "co", None, quoted).await, "SQ-1");
    assert_eq!(
        stored(&app, USER, "SQ-1").await["order_due_date"],
        "2020-04-21"
    );
}

#[tokio::test]
async fn property_names_match_in_any_case() {
    let app = spawn_app().await;
    let payload = json!([
        {"merchantid": USER, "MERCHANTPASSWORD": PASSWORD},
        {"ORDERNUMBER": "ANYCASE-1", "orderamount": "4400", "orderDueDate": "2026-03-20",
         "ordertype": "Service", "ISSUEDATE": "2026-03-10", "customername": "Umer Aziz"}
    ]);
    let answer = call(&app, "co", &payload).await;
    assert_created(&answer, "ANYCASE-1");
    assert_eq!(
        stored(&app, USER, "ANYCASE-1").await["customer_name"],
        "Umer Aziz"
    );
}

#[tokio::test]
async fn numbers_stand_for_strings_and_values_are_trimmed() {
    let app = spawn_app().await;
    let payload = json!([
        {"MerchantId": " PayProUser ", "MerchantPassword": "  Password "},
        with(order(" TRIM-1 "), json!({
            "OrderAmount": 4400,
            "OrderExpireAfterSeconds": 0,
            "CustomerName": "  Saim Ali ",
            "CustomerMobile": 3123456789_u64,
        }))
    ]);
    let answer = call(&app, "co", &payload).await;
    assert_created(&answer, "TRIM-1");
    assert_eq!(answer[1]["OrderAmount"], "4400");
    let kept = stored(&app, USER, "TRIM-1").await;
    assert_eq!(kept["customer_name"], "Saim Ali");
    assert_eq!(kept["customer_mobile"], "3123456789");
    assert_eq!(kept["order_amount"], "4400.00");
}

// ---------------------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_payload_that_is_not_a_json_array_is_an_object_error() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    let object_error = failure("03", "Invalid Data. Object sent from client has error");
    for body in [
        "not json",
        "[{\"MerchantId\": \"PayProUser\",",
        "{\"MerchantId\": \"PayProUser\", \"MerchantPassword\": \"Password\"}",
        "[]",
        "[1, 2]",
        "\"[{}]\"",
        "[{\"a\": }]",
    ] {
        for endpoint in ["co", "cmo"] {
            let answer = post_raw(&app, endpoint, Some("application/json"), body).await;
            assert_eq!(answer, object_error, "{endpoint} {body}");
        }
    }
    let empty = ok_json(app.client.post(app.url("/cpay/co")).send().await.unwrap()).await;
    assert_eq!(empty, object_error, "no payload at all");
    assert_eq!(orders_state(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn co_takes_exactly_one_order_and_cmo_at_least_one() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    let object_error = failure("03", "Invalid Data. Object sent from client has error");
    let two = json!([creds(USER, PASSWORD), order("ONE-1"), order("ONE-2")]);
    assert_eq!(call(&app, "co", &two).await, object_error);
    assert_eq!(
        call(&app, "co", &json!([creds(USER, PASSWORD)])).await,
        object_error
    );
    assert_eq!(
        call(&app, "cmo", &json!([creds(USER, PASSWORD)])).await,
        object_error
    );
    let not_objects = json!([creds(USER, PASSWORD), "ONE-1"]);
    assert_eq!(call(&app, "cmo", &not_objects).await, object_error);
    assert_eq!(orders_state(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn element_zero_without_credential_keys_is_main_table_details_missing() {
    let app = spawn_app().await;
    let missing = failure("03", "Invalid Data. Main table details are not provided");
    for head in [
        json!({}),
        order("HEAD-1"),
        json!({"UserName": USER, "Password": PASSWORD}),
    ] {
        let answer = call(&app, "co", &json!([head, order("HEAD-2")])).await;
        assert_eq!(answer, missing, "{head}");
        let answer = call(&app, "cmo", &json!([head, order("HEAD-2")])).await;
        assert_eq!(answer, missing, "{head}");
    }
}

#[tokio::test]
async fn credential_failures_come_in_the_documented_order_with_status_04() {
    let app = spawn_app().await;
    let long = "u".repeat(61);
    let cases = [
        (
            json!({"MerchantId": "", "MerchantPassword": ""}),
            "Username cannot be empty",
        ),
        (
            json!({"MerchantId": "   ", "MerchantPassword": "x"}),
            "Username cannot be empty",
        ),
        (
            json!({"MerchantPassword": PASSWORD}),
            "Username cannot be empty",
        ),
        (
            json!({"MerchantId": long, "MerchantPassword": ""}),
            "Username length is invalid",
        ),
        (
            json!({"MerchantId": USER, "MerchantPassword": ""}),
            "Password cannot be empty",
        ),
        (json!({"MerchantId": USER}), "Password cannot be empty"),
        (
            json!({"MerchantId": USER, "MerchantPassword": "p".repeat(61)}),
            "Password length is invalid",
        ),
        (
            json!({"MerchantId": USER, "MerchantPassword": "wrong"}),
            "Username or password is invalid",
        ),
        (
            json!({"MerchantId": "Nobody", "MerchantPassword": PASSWORD}),
            "Username or password is invalid",
        ),
        (
            json!({"MerchantId": USER, "MerchantPassword": "password"}),
            "Username or password is invalid",
        ),
    ];
    for (head, description) in cases {
        for endpoint in ["co", "cmo"] {
            let answer = call(&app, endpoint, &json!([head, order("CRED-1")])).await;
            assert_eq!(
                answer,
                failure("04", &format!("Invalid Data. {description}")),
                "{endpoint} {head}"
            );
        }
    }
    // A 60-character username is only unknown.
    let answer = call(
        &app,
        "co",
        &json!([{"MerchantId": "u".repeat(60), "MerchantPassword": "p".repeat(60)}, order("CRED-1")]),
    )
    .await;
    assert_eq!(
        answer,
        failure("04", "Invalid Data. Username or password is invalid")
    );
}

#[tokio::test]
async fn a_service_disabled_for_the_merchant_is_not_authorized() {
    let app = spawn_app().await;
    merchant(
        &app,
        json!({"username": "GosOnly", "password": "pw", "company_code": "0801", "services": ["gos"]}),
    )
    .await;
    merchant(
        &app,
        json!({"username": "CoOnly", "password": "pw", "company_code": "0802", "services": ["co"]}),
    )
    .await;
    let not_authorized = "Service Failed. User is not Authorized for this service";
    for endpoint in ["co", "cmo"] {
        let answer = call(
            &app,
            endpoint,
            &json!([creds("GosOnly", "pw"), order("SVC-1")]),
        )
        .await;
        assert_eq!(answer, failure("04", not_authorized), "{endpoint}");
    }
    let answer = call(&app, "cmo", &json!([creds("CoOnly", "pw"), order("SVC-1")])).await;
    assert_eq!(answer, failure("04", not_authorized));
    let id = create_as(&app, "CoOnly", "pw", order("SVC-2")).await["ConnectPayId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        gos_as(&app, "CoOnly", "pw", &id).await,
        failure("02", not_authorized)
    );
    // The password is checked before the service.
    assert_eq!(
        gos_as(&app, "CoOnly", "wrong", &id).await,
        failure("01", "Invalid Data. Username or password is invalid")
    );
}

#[tokio::test]
async fn each_missing_or_bad_order_field_has_its_own_description() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    let cases = [
        (json!({"OrderNumber": null}), "Order number is not provided"),
        (json!({"OrderNumber": ""}), "Order number is not provided"),
        (
            json!({"OrderNumber": "   "}),
            "Order number is not provided",
        ),
        (
            json!({"OrderNumber": "N".repeat(257)}),
            "Order number length is invalid",
        ),
        (json!({"OrderAmount": null}), "Order amount is not provided"),
        (json!({"OrderAmount": ""}), "Order amount is not provided"),
        (json!({"OrderAmount": "0"}), "Order amount is out of limits"),
        (json!({"OrderAmount": 0}), "Order amount is out of limits"),
        (
            json!({"OrderAmount": "0.00"}),
            "Order amount is out of limits",
        ),
        (
            json!({"OrderAmount": "-1"}),
            "Order amount is out of limits",
        ),
        (json!({"OrderAmount": -1}), "Order amount is out of limits"),
        (
            json!({"OrderAmount": "abc"}),
            "Order amount is out of limits",
        ),
        (
            json!({"OrderAmount": "123456789012345678901"}),
            "Order amount is out of limits",
        ),
        (
            json!({"OrderAmount": "10.001"}),
            "Order amount is out of limits",
        ),
        (
            json!({"OrderAmount": "0.99"}),
            "Order amount is out of limits",
        ),
        (
            json!({"OrderAmount": "5000000.01"}),
            "Order amount is out of limits",
        ),
        (
            json!({"OrderDueDate": null}),
            "Order due date is not provided",
        ),
        (
            json!({"OrderDueDate": "31/02/2020"}),
            "Order due date format is invalid",
        ),
        (
            json!({"OrderDueDate": "2020/03/21"}),
            "Order due date format is invalid",
        ),
        (json!({"IssueDate": null}), "Issue date is not provided"),
        (
            json!({"IssueDate": "2020-13-45"}),
            "Issue date format is invalid",
        ),
        (json!({"OrderType": null}), "Order type is not provided"),
        (
            json!({"CustomerName": null}),
            "Customer name is not provided",
        ),
        (
            json!({"CustomerName": " "}),
            "Customer name is not provided",
        ),
        (
            json!({"CustomerName": "c".repeat(33)}),
            "Customer name length is invalid",
        ),
        (
            json!({"CustomerAddress": "a".repeat(65)}),
            "Customer address length is invalid",
        ),
        (
            json!({"CustomerMobile": "0312"}),
            "Mobile no. and email is not in valid format",
        ),
        (
            json!({"CustomerMobile": "0312345678a"}),
            "Mobile no. and email is not in valid format",
        ),
        (
            json!({"CustomerEmail": "abcd"}),
            "Mobile no. and email is not in valid format",
        ),
        (
            json!({"CustomerEmail": "abcd@paypro"}),
            "Mobile no. and email is not in valid format",
        ),
        (
            json!({"OrderDueDate": "2026-03-09", "IssueDate": "2026-03-10"}),
            "Due date should not be less than issue date",
        ),
        // The first problem in the documented order is the answer.
        (
            json!({"OrderNumber": null, "OrderAmount": "abc"}),
            "Order number is not provided",
        ),
        (
            json!({"OrderAmount": "abc", "CustomerName": null}),
            "Order amount is out of limits",
        ),
    ];
    for (changes, description) in cases {
        let bad = with(order("FIELD-1"), changes.clone());
        let answer = co_as(&app, USER, PASSWORD, bad.clone()).await;
        assert_eq!(
            answer,
            failure("03", &format!("Invalid Data. {description}")),
            "co {changes}"
        );
        let answer = call(&app, "cmo", &json!([creds(USER, PASSWORD), bad])).await;
        let number = match changes.get("OrderNumber") {
            Some(sent) => sent.as_str().unwrap_or_default().trim(),
            None => "FIELD-1",
        };
        assert_eq!(
            answer,
            json!([{"Status": "03"}, {
                "OrderNumber": number,
                "Description": format!("Invalid Data. {description}"),
            }]),
            "cmo {changes}"
        );
    }
    assert_eq!(orders_state(&app).await, before, "nothing was created");
}

#[tokio::test]
async fn values_at_the_documented_limits_are_accepted() {
    let app = spawn_app().await;
    let long_number = "N".repeat(256);
    let created = create(
        &app,
        with(
            order(&long_number),
            json!({
                "OrderAmount": "5000000.00",
                "CustomerName": "c".repeat(32),
                "CustomerAddress": "a".repeat(64),
                "CustomerMobile": "+923123456789",
                "CustomerEmail": "abcd@paypro.com.pk",
                "OrderDueDate": "10/03/2026",
                "IssueDate": "10-03-2026",
            }),
        ),
    )
    .await;
    assert_eq!(created["OrderNumber"], long_number);
    assert_eq!(created["OrderAmount"], "5000000");
    let small = create(
        &app,
        with(
            order("MIN-1"),
            json!({"OrderAmount": "1", "IssueDate": "1/3/2026"}),
        ),
    )
    .await;
    assert_eq!(small["OrderAmount"], "1");
}

#[tokio::test]
async fn amounts_outside_the_merchants_limits_are_refused() {
    let app = spawn_app().await;
    merchant(
        &app,
        json!({"username": "Limited", "password": "pw", "company_code": "0803",
               "min_amount": "10.00", "max_amount": "100.00"}),
    )
    .await;
    let out = failure("03", "Invalid Data. Order amount is out of limits");
    for amount in ["9.99", "100.01", "1", "4400"] {
        let answer = co_as(
            &app,
            "Limited",
            "pw",
            with(order("LIM-1"), json!({"OrderAmount": amount})),
        )
        .await;
        assert_eq!(answer, out, "{amount}");
    }
    for (number, amount) in [("LIM-10", "10"), ("LIM-100", "100.00")] {
        let created = create_as(
            &app,
            "Limited",
            "pw",
            with(order(number), json!({"OrderAmount": amount})),
        )
        .await;
        assert_eq!(created["OrderNumber"], number);
    }
}

#[tokio::test]
async fn an_order_number_that_exists_is_refused_with_01_in_any_case() {
    let app = spawn_app().await;
    // The default fixtures' order of PayPro.
    let answer = co_as(&app, PAYPRO, PAYPRO_PASSWORD, order("Cpay-10942")).await;
    assert_eq!(
        answer,
        failure("01", "Order number Cpay-10942 already exists")
    );
    create(&app, order("opencart1")).await;
    let before = orders_state(&app).await;
    let answer = co_as(&app, USER, PASSWORD, order("opencart1")).await;
    assert_eq!(
        answer,
        failure("01", "Order number opencart1 already exists")
    );
    // Order numbers are unique without regard to case (as in SQL Server); the answer names
    // the number as it was sent.
    let answer = co_as(&app, USER, PASSWORD, order("OPENCART1")).await;
    assert_eq!(
        answer,
        failure("01", "Order number OPENCART1 already exists")
    );
    let answer = co_as(&app, USER, PASSWORD, order(" OpenCart1 ")).await;
    assert_eq!(
        answer,
        failure("01", "Order number OpenCart1 already exists")
    );
    assert_eq!(orders_state(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn an_order_number_repeated_inside_one_cmo_creates_nothing() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    let answer = call(
        &app,
        "cmo",
        &json!([
            creds(USER, PASSWORD),
            order("REP-1"),
            order("REP-2"),
            order("rep-1")
        ]),
    )
    .await;
    assert_eq!(
        answer,
        json!([{"Status": "01"}, {"OrderNumber": "rep-1", "Description": "Order number rep-1 already exists"}])
    );
    assert_eq!(orders_state(&app).await, before);
}

#[tokio::test]
async fn cmo_takes_50_orders_and_refuses_51() {
    let app = spawn_app().await;
    freeze(&app).await;
    let batch = |prefix: &str, n: usize| {
        let mut items = vec![creds(USER, PASSWORD)];
        items.extend((1..=n).map(|i| order(&format!("{prefix}-{i}"))));
        Value::Array(items)
    };
    let before = orders_state(&app).await;
    let answer = call(&app, "cmo", &batch("BIG", 51)).await;
    assert_eq!(
        answer,
        failure(
            "03",
            "Invalid Data. Maximum 50 orders are allowed in one request"
        )
    );
    assert_eq!(orders_state(&app).await, before, "nothing changed");

    let answer = call(&app, "cmo", &batch("FIFTY", 50)).await;
    let items = answer.as_array().expect("an array");
    assert_eq!(items[0], json!({"Status": "00"}), "{answer}");
    assert_eq!(items.len(), 51);
    for (i, item) in items[1..].iter().enumerate() {
        assert_eq!(
            item["OrderNumber"],
            format!("FIFTY-{}", i + 1),
            "request order"
        );
        assert_eq!(item["ConnectPayId"], format!("{USER_TODAY}{:05}", i + 1));
        assert_eq!(
            item["Description"],
            format!("Order number FIFTY-{} created successfully", i + 1)
        );
    }
}

#[tokio::test]
async fn a_cmo_with_bad_orders_among_good_ones_creates_nothing_and_lists_each_failure() {
    let app = spawn_app().await;
    create(&app, order("EXISTING-1")).await;
    let before = orders_state(&app).await;
    let answer = call(
        &app,
        "cmo",
        &json!([
            creds(USER, PASSWORD),
            order("GOOD-1"),
            order("EXISTING-1"),
            order("GOOD-2"),
            with(order("BAD-AMOUNT"), json!({"OrderAmount": "-5"})),
            with(order("BAD-NAME"), json!({"CustomerName": null})),
        ]),
    )
    .await;
    assert_eq!(
        answer,
        json!([
            {"Status": "01"},
            {"OrderNumber": "EXISTING-1", "Description": "Order number EXISTING-1 already exists"},
            {"OrderNumber": "BAD-AMOUNT", "Description": "Invalid Data. Order amount is out of limits"},
            {"OrderNumber": "BAD-NAME", "Description": "Invalid Data. Customer name is not provided"},
        ])
    );
    assert_eq!(orders_state(&app).await, before, "all or nothing");

    // Element 0 is the first failure's status, whatever comes later.
    let answer = call(
        &app,
        "cmo",
        &json!([
            creds(USER, PASSWORD),
            with(order("BAD-DATE"), json!({"OrderDueDate": "31/02/2020"})),
            order("EXISTING-1"),
            order("GOOD-3"),
        ]),
    )
    .await;
    assert_eq!(
        answer,
        json!([
            {"Status": "03"},
            {"OrderNumber": "BAD-DATE", "Description": "Invalid Data. Order due date format is invalid"},
            {"OrderNumber": "EXISTING-1", "Description": "Order number EXISTING-1 already exists"},
        ])
    );
    assert_eq!(orders_state(&app).await, before, "all or nothing");
}

// ---------------------------------------------------------------------------------------
// Magic order numbers
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn magic_02_order_numbers_answer_service_fail_and_create_nothing() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    let service_fail = json!([{"Status": "02"}, {"Description": "Service Fail"}]);
    let answer = co_as(&app, USER, PASSWORD, order("MAGIC-02-outage")).await;
    assert_eq!(answer, service_fail);
    let answer = call(
        &app,
        "cmo",
        &json!([
            creds(USER, PASSWORD),
            order("OK-1"),
            order("magic-02"),
            order("OK-2")
        ]),
    )
    .await;
    assert_eq!(answer, service_fail);
    assert_eq!(orders_state(&app).await, before, "nothing created");
}

#[tokio::test]
async fn magic_paid_orders_are_created_and_paid_at_once() {
    let app = spawn_app().await;
    freeze(&app).await;
    let created = create(
        &app,
        with(order("MAGIC-PAID-1"), json!({"OrderAmount": "4400"})),
    )
    .await;
    assert_eq!(
        created["Description"],
        "Order number MAGIC-PAID-1 created successfully"
    );
    let status = gos(&app, created["ConnectPayId"].as_str().unwrap()).await;
    assert_eq!(
        status,
        json!({"OrderStatus": "Paid", "OrderAmountPaid": 4400.0, "DatePaid": "2026-03-10T10:00:00", "OrderNumber": "MAGIC-PAID-1"})
    );
}

#[tokio::test]
async fn magic_blocked_orders_are_created_blocked() {
    let app = spawn_app().await;
    let created = create(&app, order("MAGIC-BLOCKED-1")).await;
    let status = gos(&app, created["ConnectPayId"].as_str().unwrap()).await;
    assert_eq!(status["OrderStatus"], "Blocked");
    assert_eq!(status["DatePaid"], Value::Null);
    assert_eq!(
        stored(&app, USER, "MAGIC-BLOCKED-1").await["status"],
        "blocked"
    );
}

// ---------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------

/// A moap `csvOrders` for Cpay-10942 padded with commas to exactly `length` characters.
fn padded_csv_orders(length: usize) -> String {
    let head = r#"{"Username":"PayPro","Password":"PayProi517","CsvOrderNumbers":"Cpay-10942"#;
    let tail = r#""}"#;
    let padding = length - head.len() - tail.len();
    format!("{head}{}{tail}", ",".repeat(padding))
}

#[tokio::test]
async fn a_csv_orders_longer_than_4000_characters_is_an_invalid_format() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    let too_long = padded_csv_orders(4001);
    assert_eq!(too_long.chars().count(), 4001);
    for endpoint in ["moap", "moab", "mofr"] {
        let response = app
            .client
            .get(app.url(&format!("{CPAY}/{endpoint}")))
            .query(&[("csvOrders", &too_long)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            ok_json(response).await,
            failure("01", "Invalid Format"),
            "{endpoint}"
        );
    }
    assert_eq!(orders_state(&app).await, before, "nothing changed");

    // 4000 characters are still fine.
    let response = app
        .client
        .get(app.url(&format!("{CPAY}/moap")))
        .query(&[("csvOrders", padded_csv_orders(4000))])
        .send()
        .await
        .unwrap();
    assert_eq!(ok_json(response).await, json!([{"Status": "00"}]));
    assert_eq!(stored(&app, PAYPRO, "Cpay-10942").await["status"], "paid");
}

#[tokio::test]
async fn unicode_and_sql_in_names_are_stored_and_echoed_exactly() {
    let app = spawn_app().await;
    let before = orders_state(&app).await.as_array().map_or(0, Vec::len);
    let cases = [
        (
            "Robert'); DROP TABLE paypro_orders;--",
            "O'Brien \"; DELETE FROM x; --",
        ),
        // ASCII up to byte 13: see the ignored test below for multi-byte characters there.
        ("ORDER-NUMBER-ü-日本語-🎉", "Ünïcødé 名前 🎉"),
        ("%27%20OR%201=1", "Name with\ttab"),
    ];
    for (number, name) in cases {
        let created = create(&app, with(order(number), json!({"CustomerName": name}))).await;
        assert_eq!(created["OrderNumber"], number);
        assert_eq!(
            created["Description"],
            format!("Order number {number} created successfully")
        );
        let status = gos(&app, created["ConnectPayId"].as_str().unwrap()).await;
        assert_eq!(status["OrderNumber"], number);
        assert_eq!(stored(&app, USER, number).await["customer_name"], name);
    }
    // The SQL did nothing: every order of the fixtures and the three new ones are there.
    assert_eq!(
        orders_state(&app).await.as_array().map(Vec::len),
        Some(before + 3)
    );
}

#[tokio::test]
async fn an_order_number_with_a_multibyte_character_near_its_start_is_created() {
    let app = spawn_app().await;
    // `has_prefix(number, "MAGIC-02")` takes `number[..8]`; byte 8 is inside `日` here.
    for number in [
        "ORDER-日本",
        "日本語の注文",
        "MAGIC-PAIé-1",
        "ÜBERWEISUNG-1",
    ] {
        let answer = co_as(&app, USER, PASSWORD, order(number)).await;
        assert_created(&answer, number);
        let status = gos(&app, answer[1]["ConnectPayId"].as_str().unwrap()).await;
        assert_eq!(status["OrderStatus"], "Unpaid", "{number}");
    }
}

#[tokio::test]
async fn order_numbers_differing_only_in_non_ascii_case_are_one_number_everywhere() {
    let app = spawn_app().await;
    // Inside one cmo the second spelling is refused as a repeat...
    let answer = call(
        &app,
        "cmo",
        &json!([creds(USER, PASSWORD), order("ÄPFEL-1"), order("äpfel-1")]),
    )
    .await;
    assert_eq!(
        answer,
        json!([{"Status": "01"}, {"OrderNumber": "äpfel-1", "Description": "Order number äpfel-1 already exists"}])
    );
    // ...so it must be refused across two requests as well (SQL Server's CI collation).
    create(&app, order("ÜBERWEISUNG-1")).await;
    let answer = co_as(&app, USER, PASSWORD, order("überweisung-1")).await;
    assert_eq!(
        answer,
        failure("01", "Order number überweisung-1 already exists")
    );
}

#[tokio::test]
async fn click2pay_without_a_host_header_names_the_port_the_server_listens_on() {
    let app = spawn_app().await;
    freeze(&app).await;
    let payload = json!([creds(USER, PASSWORD), order("NOHOST-1")]).to_string();
    let request = format!(
        "POST /cpay/co HTTP/1.0\r\nContent-Length: {}\r\n\r\n{payload}",
        payload.len()
    );
    let (status, body) = exchange_raw(&app, &request).await;
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("a JSON answer");
    assert_eq!(
        answer[1]["Click2Pay"],
        format!(
            "http://localhost:{}/paypro/click2pay?cpayId={USER_TODAY}00001",
            app.port
        )
    );
}

// ---------------------------------------------------------------------------------------
// Merchant isolation
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn another_merchants_cpay_id_answers_like_an_unknown_one() {
    let app = spawn_app().await;
    let id = create_id(&app, order("MINE-1")).await;
    let no_data = failure("03", "No data available");
    assert_eq!(gos_as(&app, PAYPRO, PAYPRO_PASSWORD, &id).await, no_data);
    assert_eq!(
        gos_as(&app, PAYPRO, PAYPRO_PASSWORD, "00399999999999").await,
        no_data
    );
    // The document's blocked order belongs to ConnectPay only.
    assert_eq!(
        gos_as(&app, PAYPRO, PAYPRO_PASSWORD, "00471910900006").await,
        no_data
    );
    assert_eq!(gos(&app, &id).await["OrderNumber"], "MINE-1");
}

#[tokio::test]
async fn two_merchants_may_use_the_same_order_number() {
    let app = spawn_app().await;
    let mine = create_id(&app, order("SHARED-1")).await;
    let theirs = create_as(&app, PAYPRO, PAYPRO_PASSWORD, order("SHARED-1")).await;
    let theirs = theirs["ConnectPayId"].as_str().unwrap().to_string();
    assert_ne!(mine, theirs);
    assert!(theirs.starts_with("0039"), "{theirs}");
    // Changing one leaves the other alone.
    let answer = change(
        &app,
        "moab",
        &json!({"Username": PAYPRO, "Password": PAYPRO_PASSWORD, "CsvOrderNumbers": "SHARED-1"}),
    )
    .await;
    assert_eq!(answer, json!([{"Status": "00"}]));
    assert_eq!(
        gos_as(&app, PAYPRO, PAYPRO_PASSWORD, &theirs).await[1]["OrderStatus"],
        "Blocked"
    );
    assert_eq!(gos(&app, &mine).await["OrderStatus"], "Unpaid");
}

#[tokio::test]
async fn moap_by_another_merchant_lists_the_order_as_not_found() {
    let app = spawn_app().await;
    create(&app, order("MINE-2")).await;
    let before = orders_state(&app).await;
    // PayPro asks for its own unpaid order and PayProUser's.
    let answer = change(
        &app,
        "moap",
        &json!({"Username": PAYPRO, "Password": PAYPRO_PASSWORD, "CsvOrderNumbers": "Cpay-10942,MINE-2"}),
    )
    .await;
    assert_eq!(
        answer,
        json!([{"Status": "01"}, {"OrderNumber": "MINE-2", "OrderStatus": "Not Found"}])
    );
    // Only the other merchant's order: exactly as an unknown one.
    let answer = change(
        &app,
        "moap",
        &json!({"Username": PAYPRO, "Password": PAYPRO_PASSWORD, "CsvOrderNumbers": "MINE-2"}),
    )
    .await;
    assert_eq!(answer, failure("03", "No data available"));
    assert_eq!(orders_state(&app).await, before, "nothing changed");
}

// ---------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn concurrent_creates_of_one_order_number_create_it_once() {
    let app = spawn_app().await;
    let url = app.url(&format!("{CPAY}/co"));
    let payload = json!([creds(USER, PASSWORD), order("RACE-1")]);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url, payload) = (app.client.clone(), url.clone(), payload.clone());
            tokio::spawn(async move {
                let response = client.post(url).json(&payload).send().await.unwrap();
                assert_eq!(response.status(), StatusCode::OK);
                response.json::<Value>().await.unwrap()
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        let answer = task.await.unwrap();
        if answer[0]["Status"] == "00" {
            created += 1;
        } else {
            assert_eq!(answer, failure("01", "Order number RACE-1 already exists"));
        }
    }
    assert_eq!(created, 1);
    let orders = orders_state(&app).await;
    let count = orders
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["order_number"] == "RACE-1")
        .count();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn concurrent_creates_of_distinct_numbers_get_distinct_consecutive_ids() {
    let app = spawn_app().await;
    freeze(&app).await;
    let url = app.url(&format!("{CPAY}/co"));
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let (client, url) = (app.client.clone(), url.clone());
            let payload = json!([creds(USER, PASSWORD), order(&format!("PAR-{i}"))]);
            tokio::spawn(async move {
                let response = client.post(url).json(&payload).send().await.unwrap();
                response.json::<Value>().await.unwrap()
            })
        })
        .collect();
    let mut ids = HashSet::new();
    for task in tasks {
        let answer = task.await.unwrap();
        assert_eq!(answer[0], json!({"Status": "00"}), "{answer}");
        ids.insert(answer[1]["ConnectPayId"].as_str().unwrap().to_string());
    }
    let expected: HashSet<String> = (1..=20).map(|n| format!("{USER_TODAY}{n:05}")).collect();
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn amounts_within_and_after_the_due_date_must_be_within_the_merchants_limits_too() {
    let app = spawn_app().await;
    let before = orders_state(&app).await;
    for field in ["OrderAmountWithinDueDate", "OrderAmountAfterDueDate"] {
        let mut too_much = order("DUE-LIMITS-1");
        too_much[field] = json!("5000000.01");
        let answer = co_as(&app, USER, PASSWORD, too_much).await;
        assert_eq!(
            answer,
            failure("03", "Invalid Data. Order amount is out of limits"),
            "{field}"
        );
    }
    assert_eq!(orders_state(&app).await, before, "nothing created");
    let mut at_the_limit = order("DUE-LIMITS-2");
    at_the_limit["OrderAmountAfterDueDate"] = json!("5000000.00");
    assert_eq!(
        co_as(&app, USER, PASSWORD, at_the_limit).await[0]["Status"],
        "00"
    );
}
