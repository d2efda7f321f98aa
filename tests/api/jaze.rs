//! Jaze payment details, S1–S7: the golden case of every sample, then each endpoint's exact
//! answers on the default data, authentication, errors, date edges, paths, magic values,
//! control-plane records and the isolation of accounts.

use crate::golden;
use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

const TOKEN: &str = "jaze-sandbox-token";
const KEY: &str = "jaze-sandbox-key";
/// The cases written for S1–S7 (the receipts may add more to the folder).
const GOLDEN_CASES: usize = 7;

const SAMPLE_DETAILS: &str = r#"{"txn_status":"0300","txn_msg":"success","txn_err_msg":"NA","clnt_txn_ref":"56easdqq55d71458219261","tpsl_bank_cd":"1110","tpsl_txn_id":"333321604","txn_amt":"1.01","clnt_rqst_meta":"{itc:email}{custname:user_name}","tpsl_txn_time":"17-03-2016 18:24:28","tpsl_rfnd_id":"NA","bal_amt":"NA","rqst_token":"54849facd9-0917-43fa-b37a-74543a361007","hash":"f112a87af8544a662a3b77abeb132e96e65bd228"}"#;

/// The endpoints S1–S7 with inputs that find records, each first needing authentication.
const EVERY_ENDPOINT: [&str; 7] = [
    "/api/v1/get_all_payment_ids",
    "/api/v1/get_payment_details/2",
    "/api/v1/get_payment_details_by_date/2016-01-01/2016-12-31",
    "/api/v1/get_payment_details_by_userid_and_date/2/2016-01-01/2016-12-31",
    "/api/v1/get_payment_logs/1",
    "/api/v1/get_payment_logs_by_date/2016-01-01/2016-12-31",
    "/api/v1/get_payment_logs_by_userid_and_date/1/2016-01-01/2016-12-31",
];

async fn get_as(app: &TestApp, token: &str, key: &str, path: &str) -> (StatusCode, Value) {
    let response = app
        .client
        .get(app.url(path))
        .basic_auth(token, Some(key))
        .send()
        .await
        .expect("a response");
    status_and_json(response).await
}

/// A GET with the default account's credentials; the answer must be HTTP 200.
async fn get(app: &TestApp, path: &str) -> Value {
    let (status, body) = get_as(app, TOKEN, KEY, path).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

/// The raw text of an answer, to see the order of an object's keys.
async fn text(app: &TestApp, path: &str) -> String {
    let response = app
        .client
        .get(app.url(path))
        .basic_auth(TOKEN, Some(KEY))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.expect("a body")
}

fn failure(code: u16, message: &str) -> Value {
    json!({"status": "failure", "errorCode": code, "message": message})
}

async fn create(app: &TestApp, what: &str, body: Value) -> Value {
    let (status, created) = status_and_json(
        app.post_json(&format!("/__sandbox/jaze/{what}"), &body)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{what} {body}: {created}");
    created
}

async fn set_clock(app: &TestApp, at: &str) {
    let response = app
        .post_json("/__sandbox/clock", &json!({ "set": at }))
        .await;
    assert!(response.status().is_success(), "clock {at}");
}

/// One payment as S2 and S4 show it: its `Payment`, its invoices, its cheque records.
fn detail(
    id: i64,
    amount: &str,
    at: &str,
    invoices: &[i64],
    bank: Option<&str>,
) -> (Value, Value, Value) {
    let links: Vec<Value> = invoices
        .iter()
        .map(|invoice| json!({"PaymentInvoice": {"payment_id": id, "invoice_id": invoice}}))
        .collect();
    let cheque: Vec<Value> = bank
        .iter()
        .map(|bank| json!({"PaymentInfoCheque": {"payment_id": id, "bank": bank}}))
        .collect();
    (
        json!({"Payment": {"id": id, "amount": amount, "create_datetime": at}}),
        Value::Array(links),
        json!([cheque]),
    )
}

/// The four-element answer of S2 and S4.
fn details(customer: &str, payments: &[(Value, Value, Value)]) -> Value {
    json!([
        {"customerNumber": customer},
        payments.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
        payments.iter().map(|p| p.1.clone()).collect::<Vec<_>>(),
        payments.iter().map(|p| p.2.clone()).collect::<Vec<_>>(),
    ])
}

/// User 1's cash payments of June 2016, oldest first.
fn june_of_user_1() -> Vec<(Value, Value, Value)> {
    [
        (300, "100", "01"),
        (301, "120", "02"),
        (302, "130", "03"),
        (400, "150", "04"),
        (401, "160", "05"),
        (600, "170", "06"),
        (303, "140", "07"),
    ]
    .into_iter()
    .map(|(id, amount, day)| {
        detail(
            id,
            &format!("{amount}.0000000000"),
            &format!("2016-06-{day} 11:00:00.000+05:30"),
            &[],
            Some("Cash"),
        )
    })
    .collect()
}

fn payment_200() -> (Value, Value, Value) {
    detail(
        200,
        "115.0000000000",
        "2016-09-08 19:23:04.693+05:30",
        &[100],
        None,
    )
}

fn payment_7400() -> (Value, Value, Value) {
    detail(
        7400,
        "50.0000000000",
        "2016-03-23 12:06:03.156+05:30",
        &[14700],
        Some("Cash"),
    )
}

fn sample_log() -> Value {
    json!({"ExternalPayment": {
        "merchantTxnId": "56eddfdf3355d71458219261",
        "gateway_txn_id": "2534341604",
        "details": SAMPLE_DETAILS,
        "number": "INR",
        "operator": "techprocess-pay",
    }})
}

/// A row of S3.
fn dated(
    customer: &str,
    user: &str,
    id: i64,
    amount: &str,
    at: &str,
    invoices: &[i64],
    kind: &str,
) -> Value {
    let invoices: Vec<Value> = invoices.iter().map(|i| json!({"invoice_id": i})).collect();
    json!({
        "customer_number": customer,
        "user_id": user,
        "payment_id": id,
        "amount": amount,
        "payment_date": at,
        "invoices": invoices,
        "payment_type": kind,
    })
}

#[tokio::test]
async fn every_sample_of_the_jaze_document_answers_as_its_golden_case() {
    let ran = golden::run_all("jaze").await;
    assert!(
        ran >= GOLDEN_CASES,
        "one case per sample S1–S7 of the document, found {ran}"
    );
}

#[tokio::test]
async fn all_payment_ids_are_an_object_in_ascending_id_order() {
    let app = spawn_app().await;
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids").await,
        r#"{"200":200,"300":300,"301":301,"302":302,"303":303,"400":400,"401":401,"600":600,"7400":7400}"#
    );
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2016-06-01/2016-06-07").await,
        r#"{"300":300,"301":301,"302":302,"303":303,"400":400,"401":401,"600":600}"#
    );
    let query = text(
        &app,
        "/api/v1/get_all_payment_ids?fromDate=2016-06-03&toDate=2016-06-05",
    )
    .await;
    assert_eq!(query, r#"{"302":302,"400":400,"401":401}"#);
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2016-06-03/2016-06-05").await,
        query
    );
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2015-01-01/2015-12-31").await,
        "{}"
    );
    // The path wins over the query; an empty query value is no value.
    assert_eq!(
        text(
            &app,
            "/api/v1/get_all_payment_ids/2016-06-03/2016-06-05?fromDate=2016-01-01&toDate="
        )
        .await,
        query
    );
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids?fromDate=&toDate=").await,
        text(&app, "/api/v1/get_all_payment_ids").await
    );
}

#[tokio::test]
async fn all_payment_ids_from_a_date_run_to_now_and_to_a_date_from_the_first() {
    let app = spawn_app().await;
    set_clock(&app, "2016-06-05T12:00:00+05:30").await;
    let until_now = r#"{"302":302,"400":400,"401":401}"#;
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2016-06-03").await,
        until_now
    );
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2016-06-03/").await,
        until_now
    );
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids?fromDate=2016-06-03").await,
        until_now
    );
    // Payment 401 was at 11:00 India time: a minute before it, it is not yet there.
    set_clock(&app, "2016-06-05T10:59:00+05:30").await;
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2016-06-03").await,
        r#"{"302":302,"400":400}"#
    );
    // A from date after today has nothing yet.
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2016-07-01").await,
        "{}"
    );
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids?toDate=2016-06-02").await,
        r#"{"300":300,"301":301,"7400":7400}"#
    );
    app.post_json("/__sandbox/clock", &json!({"real": true}))
        .await;
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2016-06-03").await,
        r#"{"200":200,"302":302,"303":303,"400":400,"401":401,"600":600}"#
    );
}

#[tokio::test]
async fn payment_details_list_every_payment_of_the_user_oldest_first() {
    let app = spawn_app().await;
    assert_eq!(
        get(&app, "/api/v1/get_payment_details/2").await,
        details("2", &[payment_7400()])
    );
    // A gateway payment has no bank: its cheque records are an empty list, `[[]]`.
    let mut user_1 = june_of_user_1();
    user_1.push(payment_200());
    assert_eq!(
        get(&app, "/api/v1/get_payment_details/1").await,
        details("1", &user_1)
    );
    let answer = get(&app, "/api/v1/get_payment_details/1").await;
    assert_eq!(answer[3][7], json!([[]]));
    assert_eq!(answer[2][0], json!([]));
}

#[tokio::test]
async fn payment_details_by_user_and_date_keep_the_range() {
    let app = spawn_app().await;
    let june = june_of_user_1();
    let expected = details("1", &june[1..4]);
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_userid_and_date/1/2016-06-02/2016-06-04"
        )
        .await,
        expected
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_userid_and_date/1?fromDate=2016-06-02&toDate=2016-06-04"
        )
        .await,
        expected
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_userid_and_date/1/2016-06-02?toDate=2016-06-04"
        )
        .await,
        expected
    );
    assert_eq!(
        get(&app, "/api/v1/get_payment_details_by_userid_and_date?userId=1&fromDate=2016-06-02&toDate=2016-06-04").await,
        expected
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_userid_and_date/2/2016-06-01/2016-06-30"
        )
        .await,
        json!([{"customerNumber": "2"}, [], [], []])
    );
}

#[tokio::test]
async fn payment_details_by_date_group_the_payments_by_user() {
    let app = spawn_app().await;
    let user_1: Vec<Value> = [
        (300, "100", "01"),
        (301, "120", "02"),
        (302, "130", "03"),
        (400, "150", "04"),
        (401, "160", "05"),
        (600, "170", "06"),
        (303, "140", "07"),
    ]
    .into_iter()
    .map(|(id, amount, day)| {
        dated(
            "1",
            "1",
            id,
            &format!("{amount}.0000000000"),
            &format!("2016-06-{day} 11:00:00.000+05:30"),
            &[],
            "Cash",
        )
    })
    .chain([dated(
        "1",
        "1",
        200,
        "115.0000000000",
        "2016-09-08 19:23:04.693+05:30",
        &[100],
        "Payment gateway",
    )])
    .collect();
    let user_2 = dated(
        "2",
        "2",
        7400,
        "50.0000000000",
        "2016-03-23 12:06:03.156+05:30",
        &[14700],
        "Cash",
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_date/2016-01-01/2016-12-31"
        )
        .await,
        json!([user_1, [user_2.clone()]])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_date?fromDate=2016-03-23&toDate=2016-03-23"
        )
        .await,
        json!([[user_2]])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_date/2016-06-06/2016-06-07"
        )
        .await,
        json!([[user_1[5], user_1[6]]])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_date/2017-01-01/2017-12-31"
        )
        .await,
        json!([])
    );
}

#[tokio::test]
async fn payment_logs_are_those_of_gateway_payments() {
    let app = spawn_app().await;
    assert_eq!(
        get(&app, "/api/v1/get_payment_logs/1").await,
        json!([sample_log()])
    );
    assert_eq!(get(&app, "/api/v1/get_payment_logs/2").await, json!([]));
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_date/2016-09-08/2016-09-08"
        )
        .await,
        json!([sample_log()])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_date?fromDate=2016-09-08&toDate=2016-09-08"
        )
        .await,
        json!([sample_log()])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_date/2016-09-09/2016-12-31"
        )
        .await,
        json!([])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_userid_and_date/1/2016-09-01/2016-09-30"
        )
        .await,
        json!([sample_log()])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_userid_and_date/1/2016-06-01/2016-06-30"
        )
        .await,
        json!([])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_userid_and_date/2/2016-01-01/2016-12-31"
        )
        .await,
        json!([])
    );
}

#[tokio::test]
async fn credentials_are_checked_first_on_every_endpoint() {
    let app = spawn_app().await;
    let unauthorized = failure(401, "Unauthorized");
    let paths = EVERY_ENDPOINT.iter().copied().chain([
        "/api/v1/get_payment_details/abc",
        "/api/v1/get_payment_details/500",
        "/api/v1/get_payment_details/999",
        "/api/v1/get_payment_details_by_date/2016-13-01/2016-01-01",
        "/jaze/api/v1/get_payment_logs/1",
    ]);
    for path in paths {
        let attempts = [
            app.client.get(app.url(path)),
            app.client
                .get(app.url(path))
                .basic_auth(TOKEN, Some("wrong")),
            app.client
                .get(app.url(path))
                .basic_auth(TOKEN, None::<&str>),
            app.client
                .get(app.url(path))
                .basic_auth("unknown", Some(KEY)),
            app.client.get(app.url(path)).bearer_auth(TOKEN),
            app.client
                .get(app.url(path))
                .header("authorization", format!("Bearer {TOKEN}:{KEY}")),
            app.client
                .get(app.url(path))
                .header("authorization", "Basic not-base64!"),
            app.client.post(app.url(path)),
        ];
        for attempt in attempts {
            let response = attempt.send().await.expect("a response");
            let challenge = response
                .headers()
                .get("www-authenticate")
                .map(|v| v.to_str().unwrap().to_string());
            let (status, body) = status_and_json(response).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
            assert_eq!(body, unauthorized, "{path}");
            assert!(challenge.is_some_and(|c| c.starts_with("Basic")), "{path}");
        }
    }
}

#[tokio::test]
async fn bad_inputs_answer_errorcode_400_in_the_envelope() {
    let app = spawn_app().await;
    let bad_date = failure(400, "Invalid date format, expected yyyy-mm-dd");
    for path in [
        "/api/v1/get_all_payment_ids/2016-6-1",
        "/api/v1/get_all_payment_ids/2016-06-01/2016-02-30",
        "/api/v1/get_all_payment_ids/01-06-2016",
        "/api/v1/get_all_payment_ids?fromDate=2016/06/01",
        "/api/v1/get_all_payment_ids?toDate=yesterday",
        "/api/v1/get_payment_details_by_date/2016-06-01/2016-06-31",
        "/api/v1/get_payment_details_by_date/20160601/2016-06-30",
        "/api/v1/get_payment_details_by_userid_and_date/1/2016-06-01/2016-06-01T00:00",
        "/api/v1/get_payment_logs_by_date/2016-06-01/%FF",
        "/api/v1/get_payment_logs_by_date?fromDate=2016-06-01&toDate=2016-00-01",
        "/api/v1/get_payment_logs_by_userid_and_date/1/x/2016-06-01",
    ] {
        assert_eq!(get(&app, path).await, bad_date, "{path}");
    }
    let bad_user = failure(400, "Invalid userId, expected a number");
    for path in [
        "/api/v1/get_payment_details/abc",
        "/api/v1/get_payment_details/-1",
        "/api/v1/get_payment_details/1.5",
        "/api/v1/get_payment_details/%FF",
        "/api/v1/get_payment_details/'%20or%201=1",
        "/api/v1/get_payment_details_by_userid_and_date/x/2016-06-01/2016-06-30",
        "/api/v1/get_payment_logs/1e3",
        "/api/v1/get_payment_logs?userId=one",
        "/api/v1/get_payment_logs_by_userid_and_date/0x1/2016-06-01/2016-06-30",
    ] {
        assert_eq!(get(&app, path).await, bad_user, "{path}");
    }
    let reversed = failure(400, "fromDate must not be after toDate");
    for path in [
        "/api/v1/get_all_payment_ids/2016-06-02/2016-06-01",
        "/api/v1/get_payment_details_by_date/2016-06-02/2016-06-01",
        "/api/v1/get_payment_details_by_userid_and_date/1/2017-01-01/2016-12-31",
        "/api/v1/get_payment_logs_by_date?fromDate=2016-06-02&toDate=2016-06-01",
        "/api/v1/get_payment_logs_by_userid_and_date/1/2016-06-02/2016-06-01",
    ] {
        assert_eq!(get(&app, path).await, reversed, "{path}");
    }
    let no_user = failure(400, "userId is required");
    for path in [
        "/api/v1/get_payment_details",
        "/api/v1/get_payment_logs?userId=",
    ] {
        assert_eq!(get(&app, path).await, no_user, "{path}");
    }
    let no_from = failure(400, "fromDate is required, expected yyyy-mm-dd");
    let no_to = failure(400, "toDate is required, expected yyyy-mm-dd");
    for (path, expected) in [
        ("/api/v1/get_payment_details_by_date", &no_from),
        ("/api/v1/get_payment_details_by_date/2016-06-01", &no_to),
        ("/api/v1/get_payment_details_by_userid_and_date/1", &no_from),
        (
            "/api/v1/get_payment_details_by_userid_and_date/1/2016-06-01",
            &no_to,
        ),
        (
            "/api/v1/get_payment_logs_by_date?toDate=2016-06-01",
            &no_from,
        ),
        (
            "/api/v1/get_payment_logs_by_userid_and_date/1/2016-06-01",
            &no_to,
        ),
    ] {
        assert_eq!(get(&app, path).await, *expected, "{path}");
    }
    // The user id is judged before the dates, the dates before the user's existence.
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_userid_and_date/x/bad/2016-06-01"
        )
        .await,
        bad_user
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_userid_and_date/999/bad/2016-06-01"
        )
        .await,
        bad_date
    );
}

#[tokio::test]
async fn an_unknown_user_is_not_found() {
    let app = spawn_app().await;
    let not_found = failure(404, "User not found");
    for path in [
        "/api/v1/get_payment_details/3",
        "/api/v1/get_payment_details/0",
        "/api/v1/get_payment_details/99999999999999999999999999999999999999",
        "/api/v1/get_payment_details_by_userid_and_date/3/2016-01-01/2016-12-31",
        "/api/v1/get_payment_logs/3",
        "/api/v1/get_payment_logs?userId=3",
        "/api/v1/get_payment_logs_by_userid_and_date/3/2016-01-01/2016-12-31",
    ] {
        assert_eq!(get(&app, path).await, not_found, "{path}");
    }
    // Leading zeros are still the number.
    assert_eq!(
        get(&app, "/api/v1/get_payment_details/0002").await,
        details("2", &[payment_7400()])
    );
}

#[tokio::test]
async fn user_500_answers_errorcode_500_on_every_endpoint_taking_a_user() {
    let app = spawn_app().await;
    let internal = failure(500, "Internal Server Error");
    for path in [
        "/api/v1/get_payment_details/500",
        "/api/v1/get_payment_details?userId=500",
        "/api/v1/get_payment_details_by_userid_and_date/500/2016-01-01/2016-12-31",
        "/api/v1/get_payment_details_by_userid_and_date/500/2017-01-01/2016-12-31",
        "/api/v1/get_payment_details_by_userid_and_date/500",
        "/api/v1/get_payment_logs/500",
        "/api/v1/get_payment_logs/0500",
        "/api/v1/get_payment_logs_by_userid_and_date/500/2016-01-01/2016-12-31",
        "/jaze/api/v1/get_payment_logs_by_userid_and_date/500/2016-01-01/2016-12-31",
    ] {
        let (status, body) = get_as(&app, TOKEN, KEY, path).await;
        assert_eq!((status, body), (StatusCode::OK, internal.clone()), "{path}");
    }
    // Even when the account has a user 500.
    create(
        &app,
        "users",
        json!({"user_id": 500, "customer_number": "500"}),
    )
    .await;
    assert_eq!(get(&app, "/api/v1/get_payment_details/500").await, internal);
}

#[tokio::test]
async fn days_are_whole_days_in_india_time() {
    let app = spawn_app().await;
    create(
        &app,
        "users",
        json!({"user_id": 7, "customer_number": "C-7"}),
    )
    .await;
    for (id, at) in [
        (901, "2016-04-10T23:59:59.999+05:30"),
        (902, "2016-04-11T00:00:00.000+05:30"),
        // Midnight UTC is 05:30 in India: the 12th.
        (903, "2016-04-12T00:00:00Z"),
        // 18:30 UTC is midnight opening the 13th in India.
        (904, "2016-04-12T18:30:00Z"),
    ] {
        create(
            &app,
            "payments",
            json!({"user_id": 7, "payment_id": id, "amount": "10.00", "method": "gateway", "created_at": at,
                   "gateway": {"merchantTxnId": format!("m{id}"), "gateway_txn_id": format!("g{id}"), "details": "{}"}}),
        )
        .await;
    }
    for (day, ids) in [
        ("2016-04-10", r#"{"901":901}"#),
        ("2016-04-11", r#"{"902":902}"#),
        ("2016-04-12", r#"{"903":903}"#),
        ("2016-04-13", r#"{"904":904}"#),
    ] {
        let path = format!("/api/v1/get_all_payment_ids/{day}/{day}");
        assert_eq!(text(&app, &path).await, ids, "{day}");
        let by_user = get(
            &app,
            &format!("/api/v1/get_payment_details_by_userid_and_date/7/{day}/{day}"),
        )
        .await;
        assert_eq!(by_user[1].as_array().unwrap().len(), 1, "{day}: {by_user}");
        let by_date = get(
            &app,
            &format!("/api/v1/get_payment_details_by_date/{day}/{day}"),
        )
        .await;
        assert_eq!(by_date.as_array().unwrap().len(), 1, "{day}: {by_date}");
        let logs = get(
            &app,
            &format!("/api/v1/get_payment_logs_by_date/{day}/{day}"),
        )
        .await;
        let merchant = format!("m{}", &ids[2..5]);
        assert_eq!(
            logs[0]["ExternalPayment"]["merchantTxnId"],
            json!(merchant),
            "{day}"
        );
        assert_eq!(logs.as_array().unwrap().len(), 1, "{day}");
        let logs = get(
            &app,
            &format!("/api/v1/get_payment_logs_by_userid_and_date/7/{day}/{day}"),
        )
        .await;
        assert_eq!(logs.as_array().unwrap().len(), 1, "{day}");
    }
    let answer = get(&app, "/api/v1/get_payment_details/7").await;
    let times: Vec<&Value> = answer[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["Payment"]["create_datetime"])
        .collect();
    assert_eq!(
        times,
        [
            "2016-04-10 23:59:59.999+05:30",
            "2016-04-11 00:00:00.000+05:30",
            "2016-04-12 05:30:00.000+05:30",
            "2016-04-13 00:00:00.000+05:30"
        ]
    );
    // A payment with no bank and no invoices still keeps its index in every array.
    assert_eq!(answer[2], json!([[], [], [], []]));
    assert_eq!(answer[3], json!([[[]], [[]], [[]], [[]]]));
}

#[tokio::test]
async fn paths_match_with_doubled_or_trailing_slashes_under_jaze_and_at_the_root() {
    let app = spawn_app().await;
    let expected = details("2", &[payment_7400()]);
    for path in [
        "/api/v1/get_payment_details/2",
        "/api/v1/get_payment_details/2/",
        "//api/v1/get_payment_details/2/",
        "/api//v1///get_payment_details//2",
        "/jaze/api/v1/get_payment_details/2",
        "/jaze//api/v1/get_payment_details/2/",
        "//jaze/api/v1/get_payment_details/2",
    ] {
        assert_eq!(get(&app, path).await, expected, "{path}");
    }
    for path in [
        "/jaze/api/v1/get_all_payment_ids/2016-06-03/2016-06-05/",
        "//api/v1/get_all_payment_ids//2016-06-03//2016-06-05",
        "/jaze/api/v1/get_all_payment_ids/?fromDate=2016-06-03&toDate=2016-06-05",
    ] {
        assert_eq!(
            text(&app, path).await,
            r#"{"302":302,"400":400,"401":401}"#,
            "{path}"
        );
    }
    // POST is accepted too.
    let response = app
        .client
        .post(app.url("/jaze/api/v1/get_payment_logs/1/"))
        .basic_auth(TOKEN, Some(KEY))
        .send()
        .await
        .unwrap();
    assert_eq!(
        status_and_json(response).await,
        (StatusCode::OK, json!([sample_log()]))
    );
    // More segments than the endpoint takes is no endpoint.
    let (status, _) = get_as(&app, TOKEN, KEY, "/api/v1/get_payment_details/2/3").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn control_plane_records_appear_in_every_endpoint() {
    let app = spawn_app().await;
    create(
        &app,
        "invoices",
        json!({"user_id": 2, "amount": "50.00", "invoice_id": 14701}),
    )
    .await;
    create(
        &app,
        "invoices",
        json!({"user_id": 2, "amount": "25.50", "invoice_id": 14702}),
    )
    .await;
    create(
        &app,
        "invoices",
        json!({"user_id": 2, "amount": "10.00", "invoice_id": 14703}),
    )
    .await;
    create(
        &app,
        "payments",
        json!({"user_id": 2, "payment_id": 7401, "amount": "75.50", "method": "cheque", "bank": "HDFC",
               "invoice_ids": [14702, 14701], "created_at": "2016-03-24T10:00:00+05:30"}),
    )
    .await;
    let details_doc = json!({"txn_status": "0300", "txn_msg": "success"});
    create(
        &app,
        "payments",
        json!({"user_id": 2, "payment_id": 7402, "amount": "10", "method": "gateway", "invoice_ids": [14703],
               "created_at": "2016-03-25T09:15:30.250+05:30",
               "gateway": {"operator": "paytm", "merchantTxnId": "M-7402", "gateway_txn_id": "G-7402",
                           "details": details_doc, "number": "INR"}}),
    )
    .await;

    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2016-03-23/2016-03-25").await,
        r#"{"7400":7400,"7401":7401,"7402":7402}"#
    );
    let cheque = detail(
        7401,
        "75.5000000000",
        "2016-03-24 10:00:00.000+05:30",
        &[14702, 14701],
        Some("HDFC"),
    );
    let gateway = detail(
        7402,
        "10.0000000000",
        "2016-03-25 09:15:30.250+05:30",
        &[14703],
        None,
    );
    let all = details("2", &[payment_7400(), cheque.clone(), gateway.clone()]);
    assert_eq!(get(&app, "/api/v1/get_payment_details/2").await, all);
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_userid_and_date/2/2016-03-24/2016-03-25"
        )
        .await,
        details("2", &[cheque, gateway])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_details_by_date/2016-03-24/2016-03-25"
        )
        .await,
        json!([[
            dated(
                "2",
                "2",
                7401,
                "75.5000000000",
                "2016-03-24 10:00:00.000+05:30",
                &[14702, 14701],
                "Cheque"
            ),
            dated(
                "2",
                "2",
                7402,
                "10.0000000000",
                "2016-03-25 09:15:30.250+05:30",
                &[14703],
                "Payment gateway"
            ),
        ]])
    );
    let log = json!([{"ExternalPayment": {
        "merchantTxnId": "M-7402", "gateway_txn_id": "G-7402", "details": details_doc.to_string(),
        "number": "INR", "operator": "paytm",
    }}]);
    assert_eq!(get(&app, "/api/v1/get_payment_logs/2").await, log);
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_date/2016-03-01/2016-03-31"
        )
        .await,
        log
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_userid_and_date/2/2016-03-25/2016-03-25"
        )
        .await,
        log
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_date/2016-01-01/2016-12-31"
        )
        .await,
        json!([log[0], sample_log()])
    );

    // A new user with no payment yet, and a payment made "now" on the sandbox clock.
    create(
        &app,
        "users",
        json!({"user_id": 3, "customer_number": "CN-003"}),
    )
    .await;
    assert_eq!(
        get(&app, "/api/v1/get_payment_details/3").await,
        json!([{"customerNumber": "CN-003"}, [], [], []])
    );
    assert_eq!(get(&app, "/api/v1/get_payment_logs/3").await, json!([]));
    set_clock(&app, "2020-02-29T23:30:00+05:30").await;
    create(
        &app,
        "payments",
        json!({"user_id": 3, "amount": "1.00", "method": "cash"}),
    )
    .await;
    let created = get(
        &app,
        "/api/v1/get_payment_details_by_date/2020-02-29/2020-02-29",
    )
    .await;
    assert_eq!(created[0][0]["customer_number"], json!("CN-003"));
    assert_eq!(created[0][0]["user_id"], json!("3"));
    assert_eq!(
        created[0][0]["payment_date"],
        json!("2020-02-29 23:30:00.000+05:30")
    );
    assert_eq!(created[0][0]["invoices"], json!([]));
    assert_eq!(created[0][0]["payment_type"], json!("Cash"));
    let id = created[0][0]["payment_id"].as_i64().unwrap();
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2020-02-29").await,
        format!(r#"{{"{id}":{id}}}"#)
    );
}

#[tokio::test]
async fn each_account_sees_only_its_own_records() {
    let app = spawn_app().await;
    let loaded = app
        .post_json(
            "/__sandbox/fixtures",
            &json!({"jaze": {"accounts": [{"api_token": "t2", "api_key": "k2"}]}}),
        )
        .await;
    assert!(loaded.status().is_success());
    create(
        &app,
        "users",
        json!({"account": "t2", "user_id": 2, "customer_number": "other-2"}),
    )
    .await;
    create(
        &app,
        "users",
        json!({"account": "t2", "user_id": 8, "customer_number": "other-8"}),
    )
    .await;
    create(
        &app,
        "invoices",
        json!({"account": "t2", "user_id": 2, "amount": "9.99", "invoice_id": 14700}),
    )
    .await;
    create(
        &app,
        "payments",
        json!({"account": "t2", "user_id": 2, "payment_id": 7400, "amount": "9.99", "method": "gateway",
               "invoice_ids": [14700], "created_at": "2016-03-23T12:00:00+05:30",
               "gateway": {"merchantTxnId": "other", "gateway_txn_id": "1", "details": "{}"}}),
    )
    .await;
    create(
        &app,
        "payments",
        json!({"account": "t2", "user_id": 8, "payment_id": 1, "amount": "1.00", "method": "cash",
               "created_at": "2016-06-03T12:00:00+05:30"}),
    )
    .await;
    let shared = &app;
    let as_t2 = move |path: &'static str| async move {
        let (status, body) = get_as(shared, "t2", "k2", path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        body
    };

    assert_eq!(
        as_t2("/api/v1/get_all_payment_ids").await,
        json!({"1": 1, "7400": 7400})
    );
    assert_eq!(
        as_t2("/api/v1/get_payment_details/2").await,
        details(
            "other-2",
            &[detail(
                7400,
                "9.9900000000",
                "2016-03-23 12:00:00.000+05:30",
                &[14700],
                None
            )]
        )
    );
    assert_eq!(
        as_t2("/api/v1/get_payment_details_by_date/2016-03-23/2016-06-30").await,
        json!([
            [dated(
                "other-2",
                "2",
                7400,
                "9.9900000000",
                "2016-03-23 12:00:00.000+05:30",
                &[14700],
                "Payment gateway"
            )],
            [dated(
                "other-8",
                "8",
                1,
                "1.0000000000",
                "2016-06-03 12:00:00.000+05:30",
                &[],
                "Cash"
            )],
        ])
    );
    let other_log = json!([{"ExternalPayment": {"merchantTxnId": "other", "gateway_txn_id": "1", "details": "{}",
                                                "number": "INR", "operator": "techprocess-pay"}}]);
    assert_eq!(as_t2("/api/v1/get_payment_logs/2").await, other_log);
    assert_eq!(
        as_t2("/api/v1/get_payment_logs_by_date/2016-01-01/2016-12-31").await,
        other_log
    );
    // The default account's user 1 is unknown to t2, exactly like a user nobody has.
    let not_found = failure(404, "User not found");
    for path in [
        "/api/v1/get_payment_details/1",
        "/api/v1/get_payment_details_by_userid_and_date/1/2016-01-01/2016-12-31",
        "/api/v1/get_payment_logs/1",
        "/api/v1/get_payment_logs_by_userid_and_date/1/2016-01-01/2016-12-31",
    ] {
        assert_eq!(as_t2(path).await, not_found, "{path}");
        assert_eq!(
            get(&app, &path.replace("/1", "/8")).await,
            not_found,
            "{path}"
        );
    }
    // The default account is unchanged.
    assert_eq!(
        get(&app, "/api/v1/get_payment_details/2").await,
        details("2", &[payment_7400()])
    );
    assert_eq!(
        get(
            &app,
            "/api/v1/get_payment_logs_by_date/2016-01-01/2016-12-31"
        )
        .await,
        json!([sample_log()])
    );
    assert_eq!(
        text(&app, "/api/v1/get_all_payment_ids/2016-06-03/2016-06-03").await,
        r#"{"302":302}"#
    );
    // One account's token with the other's key is no one.
    let (status, body) = get_as(&app, "t2", KEY, "/api/v1/get_all_payment_ids").await;
    assert_eq!(
        (status, body),
        (StatusCode::UNAUTHORIZED, failure(401, "Unauthorized"))
    );
    let (status, _) = get_as(&app, TOKEN, "k2", "/api/v1/get_all_payment_ids").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
