//! PayPro consumers (`cc`, `cmc`, `uc`, `umc`, `gcd`): the documented answers, every failure
//! row, every input channel, lenient JSON, all or nothing, merchant isolation, bad input and
//! concurrent creates.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

const CPAY: &str = "/paypro/cpay";
const USER: &str = "PayPro";
const PASSWORD: &str = "PayProi517";

/// The default merchant's credentials as element 0 of a payload.
fn creds() -> Value {
    json!({"MerchantId": USER, "MerchantPassword": PASSWORD})
}

fn failure(status: &str, description: &str) -> Value {
    json!([{"Status": status}, {"Description": description}])
}

/// A merchant's company code, read from the exported state.
async fn company_of(app: &TestApp, username: &str) -> String {
    let state = app.get_json("/__sandbox/state").await;
    let merchants = state["paypro"]["merchants"]
        .as_array()
        .expect("paypro merchants");
    let merchant = merchants
        .iter()
        .find(|m| m["username"] == username)
        .unwrap_or_else(|| panic!("no merchant {username} in {state}"));
    merchant["company_code"].as_str().unwrap().to_string()
}

/// Loads a fixture document; it must be accepted.
async fn load(app: &TestApp, fixture: Value) {
    let (code, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", &fixture).await).await;
    assert_eq!(code, StatusCode::CREATED, "{answer}");
}

/// A second merchant, `Other` / `pw`, company `0777`.
async fn other_merchant(app: &TestApp) {
    load(
        app,
        json!({"paypro": {"merchants": [
            {"username": "Other", "password": "pw", "company_code": "0777"}
        ]}}),
    )
    .await;
}

/// Answers a response that must be HTTP 200 with a JSON body.
async fn ok_json(response: reqwest::Response) -> Value {
    let (code, answer) = status_and_json(response).await;
    assert_eq!(code, StatusCode::OK, "{answer}");
    answer
}

/// Posts a raw body with a content type to an endpoint.
async fn post_raw(app: &TestApp, endpoint: &str, content_type: &str, body: String) -> Value {
    let response = app
        .client
        .post(app.url(&format!("{CPAY}/{endpoint}")))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("a response");
    ok_json(response).await
}

/// Posts the payload as a JSON body.
async fn call(app: &TestApp, endpoint: &str, payload: &Value) -> Value {
    post_raw(app, endpoint, "application/json", payload.to_string()).await
}

/// Sends the payload as the `oJson` query parameter (percent-encoded by reqwest).
async fn call_query(app: &TestApp, method: reqwest::Method, path: &str, payload: &str) -> Value {
    let response = app
        .client
        .request(method, app.url(path))
        .query(&[("oJson", payload)])
        .send()
        .await
        .expect("a response");
    ok_json(response).await
}

/// curl's style of boundary (PHP curl, `curl -F`).
const CURL_BOUNDARY: &str = "------------------------d74496d66958873e";
/// A browser's style of boundary (jQuery `FormData`), in mixed case.
const BROWSER_BOUNDARY: &str = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body with one `.txt` file part, built by hand.
fn multipart(boundary: &str, file_name: &str, content: &str) -> (String, Vec<u8>) {
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"{file_name}\"\r\nContent-Type: text/plain\r\n\r\n\
         {content}\r\n--{boundary}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

/// Uploads the payload as a text file, as the document describes for `cmc` and `umc`.
async fn upload(app: &TestApp, endpoint: &str, payload: &Value) -> Value {
    let (content_type, body) = multipart(CURL_BOUNDARY, "consumers.txt", &payload.to_string());
    let response = app
        .client
        .post(app.url(&format!("{CPAY}/{endpoint}?oJson")))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("a response");
    ok_json(response).await
}

/// `gcd` with these parameters.
async fn gcd_with(app: &TestApp, params: &[(&str, &str)]) -> Value {
    let response = app
        .client
        .get(app.url(&format!("{CPAY}/gcd")))
        .query(params)
        .send()
        .await
        .expect("a response");
    ok_json(response).await
}

async fn gcd(app: &TestApp, user: &str, password: &str, full: &str) -> Value {
    gcd_with(
        app,
        &[
            ("userName", user),
            ("password", password),
            ("fullConsumerCode", full),
        ],
    )
    .await
}

/// The default merchant's consumer with this full code, or None when gcd has no data.
async fn consumer(app: &TestApp, full: &str) -> Option<Value> {
    let answer = gcd(app, USER, PASSWORD, full).await;
    if answer == failure("03", "No data available") {
        return None;
    }
    assert_eq!(answer[0]["Status"], "00", "{answer}");
    Some(answer[1].clone())
}

/// Creates one consumer of the default merchant with `cc`; it must succeed.
async fn create(app: &TestApp, id: &str, name: &str) {
    let answer = call(
        app,
        "cc",
        &json!([creds(), {"ConsumerID": id, "Name": name}]),
    )
    .await;
    assert_eq!(answer[0]["Status"], "00", "{answer}");
}

async fn freeze(app: &TestApp, at: &str) {
    let set = app
        .post_json("/__sandbox/clock", &json!({ "set": at }))
        .await;
    assert!(set.status().is_success());
}

#[tokio::test]
async fn cc_creates_a_consumer_and_gcd_reads_it_back() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    freeze(&app, "2020-06-10T10:17:45.247+05:00").await;
    let payload = json!([
        {"MerchantId": USER, "MerchantPassword": PASSWORD},
        {"ConsumerID": "123456780", "Name": "Usman", "Mobile": "03123456789",
         "Email": "abcd@paypro.com.pk", "Address": ""}
    ]);
    let answer = call_query(
        &app,
        reqwest::Method::POST,
        "/cpay/cc",
        &payload.to_string(),
    )
    .await;
    assert_eq!(
        answer,
        json!([{"Status": "00"}, {
            "FullConsumerCode": format!("{company}123456780"),
            "Description": "Consumer number created successfully",
            "ConsumerNumber": 123456780
        }])
    );
    let full = format!("{company}123456780");
    let fetched = gcd(&app, USER, PASSWORD, &full).await;
    assert_eq!(
        fetched,
        json!([
            {"Description": "Record fetched successfully", "Status": "00"},
            {"FullConsumerCode": full, "CreatedOn": "2020-06-10T10:17:45.247",
             "Email": "abcd@paypro.com.pk", "ConsumerCode": "123456780", "Address": "",
             "Mobile": "03123456789", "CompanyCode": company, "Name": "Usman"}
        ])
    );

    // A whole second: no fraction. The merchant's own time zone is used.
    load(
        &app,
        json!({"paypro": {"merchants": [
            {"username": "Elsewhere", "password": "pw", "company_code": "0555",
             "utc_offset": "+01:00"}
        ]}}),
    )
    .await;
    freeze(&app, "2020-06-10T10:17:45Z").await;
    let elsewhere = json!({"MerchantId": "Elsewhere", "MerchantPassword": "pw"});
    let answer = call(
        &app,
        "cc",
        &json!([elsewhere, {"ConsumerID": "7", "Name": "A"}]),
    )
    .await;
    assert_eq!(answer[1]["FullConsumerCode"], "05557", "{answer}");
    let fetched = gcd(&app, "Elsewhere", "pw", "05557").await;
    assert_eq!(fetched[1]["CreatedOn"], "2020-06-10T11:17:45", "{fetched}");
}

#[tokio::test]
async fn cc_answers_the_consumer_number_as_an_exact_json_number() {
    let app = spawn_app().await;
    let payload = json!([creds(), {"ConsumerID": "9999999999999999", "Name": "Max"}]);
    let response = app
        .client
        .post(app.url("/cpay/cc"))
        .body(payload.to_string())
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    assert!(
        text.contains(r#""ConsumerNumber":9999999999999999"#),
        "{text}"
    );
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer[1]["ConsumerNumber"], json!(9_999_999_999_999_999u64));
    // Leading zeros are kept in the code; the number is the number.
    let answer = call(
        &app,
        "cc",
        &json!([creds(), {"ConsumerID": "0007", "Name": "Zed"}]),
    )
    .await;
    let company = company_of(&app, USER).await;
    assert_eq!(answer[1]["FullConsumerCode"], format!("{company}0007"));
    assert_eq!(answer[1]["ConsumerNumber"], json!(7));
}

#[tokio::test]
async fn cc_refuses_a_consumer_that_exists_and_changes_nothing() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    create(&app, "42", "First").await;
    let again = call(
        &app,
        "cc",
        &json!([creds(), {"ConsumerID": "42", "Name": "Second"}]),
    )
    .await;
    assert_eq!(again, failure("01", "Consumer Already Exist"));
    let stored = consumer(&app, &format!("{company}42")).await.unwrap();
    assert_eq!(stored["Name"], "First");
}

#[tokio::test]
async fn cc_refuses_bad_fields_with_01_and_creates_nothing() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    let long = |n: usize| "x".repeat(n);
    let not_provided = "Invalid Data. ConsumerID is not provided";
    let invalid_id = "Invalid Data. ConsumerID is invalid";
    let cases = [
        (json!({"Name": "A"}), not_provided),
        (json!({"ConsumerID": "", "Name": "A"}), not_provided),
        (json!({"ConsumerID": "   ", "Name": "A"}), not_provided),
        (json!({"ConsumerID": null, "Name": "A"}), not_provided),
        (
            json!({"ConsumerID": "12345678901234567", "Name": "A"}),
            invalid_id,
        ),
        (
            json!({"ConsumerID": 12345678901234567u64, "Name": "A"}),
            invalid_id,
        ),
        (json!({"ConsumerID": -5, "Name": "A"}), invalid_id),
        (json!({"ConsumerID": "-5", "Name": "A"}), invalid_id),
        (json!({"ConsumerID": 1.5, "Name": "A"}), invalid_id),
        (json!({"ConsumerID": "12a", "Name": "A"}), invalid_id),
        (json!({"ConsumerID": "1 2", "Name": "A"}), invalid_id),
        (json!({"ConsumerID": "١٢٣", "Name": "A"}), invalid_id),
        (
            json!({"ConsumerID": "1'; drop table paypro_consumers;--", "Name": "A"}),
            invalid_id,
        ),
        (
            json!({"ConsumerID": "9".repeat(5000), "Name": "A"}),
            invalid_id,
        ),
        (
            json!({"ConsumerID": ["1"], "Name": "A"}),
            "Invalid Data. ConsumerID is invalid",
        ),
        (json!({"ConsumerID": true, "Name": "A"}), invalid_id),
        (
            json!({"ConsumerID": "501"}),
            "Invalid Data. Name is not provided",
        ),
        (
            json!({"ConsumerID": "502", "Name": "  "}),
            "Invalid Data. Name is not provided",
        ),
        (
            json!({"ConsumerID": "503", "Name": long(1001)}),
            "Invalid Data. Name length is invalid",
        ),
        (
            json!({"ConsumerID": "504", "Name": long(5000)}),
            "Invalid Data. Name length is invalid",
        ),
        (
            json!({"ConsumerID": "505", "Name": {"a": 1}}),
            "Invalid Data. Name is invalid",
        ),
        (
            json!({"ConsumerID": "506", "Name": "A", "Mobile": long(1001)}),
            "Invalid Data. Mobile length is invalid",
        ),
        (
            json!({"ConsumerID": "507", "Name": "A", "Email": long(1001)}),
            "Invalid Data. Email length is invalid",
        ),
        (
            json!({"ConsumerID": "508", "Name": "A", "Address": long(5000)}),
            "Invalid Data. Address length is invalid",
        ),
    ];
    for (element, description) in cases {
        let answer = call(&app, "cc", &json!([creds(), element])).await;
        let shown: String = element.to_string().chars().take(120).collect();
        assert_eq!(answer, failure("01", description), "{shown}");
    }
    for id in ["501", "502", "503", "504", "505", "506", "507", "508", "5"] {
        assert_eq!(
            consumer(&app, &format!("{company}{id}")).await,
            None,
            "{id}"
        );
    }

    // The limits themselves are fine; unicode and SQL are stored as text.
    let name = format!("{}'; drop table paypro_consumers;-- ü 😀", long(960));
    let element = json!({"ConsumerID": "510", "Name": name, "Mobile": long(1000),
                         "Email": long(1000), "Address": "Straße 1, Lahore"});
    let answer = call(&app, "cc", &json!([creds(), element])).await;
    assert_eq!(answer[0]["Status"], "00", "{answer}");
    let stored = consumer(&app, &format!("{company}510")).await.unwrap();
    assert_eq!(stored["Name"], name);
    assert_eq!(stored["Address"], "Straße 1, Lahore");
}

#[tokio::test]
async fn malformed_payloads_are_01_invalid_format_on_every_json_endpoint() {
    let app = spawn_app().await;
    let consumer = json!({"ConsumerID": "1", "Name": "A"});
    let bodies = [
        String::new(),
        "hello".to_string(),
        "[{\"MerchantId\": }]".to_string(),
        json!({"MerchantId": USER, "MerchantPassword": PASSWORD}).to_string(),
        "[]".to_string(),
        json!(["PayPro", consumer]).to_string(),
        json!([{"Merchant": USER, "Password": PASSWORD}, consumer]).to_string(),
        json!([creds()]).to_string(),
        json!([creds(), "consumer"]).to_string(),
        json!([creds(), [consumer]]).to_string(),
        json!([creds(), consumer, null]).to_string(),
        "\u{0}\u{1}\u{2}".to_string(),
    ];
    for endpoint in ["cc", "cmc", "uc", "umc"] {
        for body in &bodies {
            let answer = post_raw(&app, endpoint, "text/plain", body.clone()).await;
            assert_eq!(
                answer,
                failure("01", "Invalid Format"),
                "{endpoint}: {body}"
            );
        }
    }
    // cc and uc take exactly one consumer.
    let two = json!([creds(), consumer, {"ConsumerID": "2", "Name": "B"}]);
    for endpoint in ["cc", "uc"] {
        assert_eq!(
            call(&app, endpoint, &two).await,
            failure("01", "Invalid Format")
        );
    }
    let company = company_of(&app, USER).await;
    assert_eq!(self::consumer(&app, &format!("{company}1")).await, None);
    assert_eq!(self::consumer(&app, &format!("{company}2")).await, None);
}

#[tokio::test]
async fn credential_failures_come_in_the_documented_order() {
    let app = spawn_app().await;
    let long = "u".repeat(61);
    let cases = [
        (
            json!({"MerchantId": "", "MerchantPassword": PASSWORD}),
            "Username cannot be empty",
        ),
        (
            json!({"MerchantId": "  ", "MerchantPassword": ""}),
            "Username cannot be empty",
        ),
        (
            json!({"MerchantPassword": PASSWORD}),
            "Username cannot be empty",
        ),
        (
            json!({"MerchantId": long, "MerchantPassword": PASSWORD}),
            "Username length is invalid",
        ),
        (
            json!({"MerchantId": USER, "MerchantPassword": ""}),
            "Password cannot be empty",
        ),
        (json!({"MerchantId": USER}), "Password cannot be empty"),
        (
            json!({"MerchantId": USER, "MerchantPassword": long}),
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
            json!({"MerchantId": "PayProUser", "MerchantPassword": PASSWORD}),
            "Username or password is invalid",
        ),
    ];
    let consumer = json!({"ConsumerID": "1", "Name": "A"});
    for endpoint in ["cc", "cmc", "uc", "umc"] {
        for (head, description) in &cases {
            let answer = call(&app, endpoint, &json!([head, consumer])).await;
            let expected = failure("01", &format!("Invalid Data. {description}"));
            assert_eq!(answer, expected, "{endpoint}: {head}");
        }
    }
    let gcd_cases = [
        ("", PASSWORD, "Username cannot be empty"),
        (long.as_str(), PASSWORD, "Username length is invalid"),
        (USER, "", "Password cannot be empty"),
        (USER, long.as_str(), "Password length is invalid"),
        (USER, "wrong", "Username or password is invalid"),
    ];
    for (user, password, description) in gcd_cases {
        let answer = gcd(&app, user, password, "00441").await;
        let expected = failure("01", &format!("Invalid Data. {description}"));
        assert_eq!(answer, expected, "gcd {user} / {password}");
    }
    let none = gcd_with(&app, &[("fullConsumerCode", "00441")]).await;
    assert_eq!(
        none,
        failure("01", "Invalid Data. Username cannot be empty")
    );
    let company = company_of(&app, USER).await;
    assert_eq!(self::consumer(&app, &format!("{company}1")).await, None);
    // The other default merchant works too.
    let theirs = json!([{"MerchantId": "PayProUser", "MerchantPassword": "Password"}, consumer]);
    assert_eq!(call(&app, "cc", &theirs).await[0]["Status"], "00");
}

#[tokio::test]
async fn a_disabled_service_is_02_on_every_consumer_endpoint() {
    let app = spawn_app().await;
    load(
        &app,
        json!({"paypro": {"merchants": [
            {"username": "Limited", "password": "pw", "company_code": "0778", "services": ["co"]}
        ]}}),
    )
    .await;
    let head = json!({"MerchantId": "Limited", "MerchantPassword": "pw"});
    let expected = failure(
        "02",
        "Service Failed. User is not Authorized for this service",
    );
    for endpoint in ["cc", "cmc", "uc", "umc"] {
        let answer = call(
            &app,
            endpoint,
            &json!([head, {"ConsumerID": "1", "Name": "A"}]),
        )
        .await;
        assert_eq!(answer, expected, "{endpoint}");
    }
    assert_eq!(gcd(&app, "Limited", "pw", "07781").await, expected);
    // Wrong credentials still come first.
    let wrong = json!([{"MerchantId": "Limited", "MerchantPassword": "no"}, {"ConsumerID": "1"}]);
    assert_eq!(
        call(&app, "cc", &wrong).await,
        failure("01", "Invalid Data. Username or password is invalid")
    );
}

#[tokio::test]
async fn cmc_creates_every_consumer_from_an_uploaded_file() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    let payload = json!([
        creds(),
        {"ConsumerID": "123456785", "Name": "User", "Mobile": "03123456789",
         "Email": "abcd@paypro.com.pk", "Address": ""},
        {"ConsumerID": "123456786", "Name": "User 2", "Mobile": "03123456788",
         "Email": "abcd2@paypro.com.pk", "Address": ""}
    ]);
    let answer = upload(&app, "cmc", &payload).await;
    assert_eq!(
        answer,
        json!([
            {"Status": "00"},
            {"FullConsumerCode": format!("{company}123456785"),
             "Description": "Consumer number 123456785 created successfully",
             "ConsumerNumber": "123456785"},
            {"FullConsumerCode": format!("{company}123456786"),
             "Description": "Consumer number 123456786 created successfully",
             "ConsumerNumber": "123456786"}
        ])
    );
    let second = consumer(&app, &format!("{company}123456786"))
        .await
        .unwrap();
    assert_eq!(second["Name"], "User 2");
    assert_eq!(second["Email"], "abcd2@paypro.com.pk");
    assert!(
        consumer(&app, &format!("{company}123456785"))
            .await
            .is_some()
    );
}

#[tokio::test]
async fn cmc_is_all_or_nothing() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    create(&app, "300", "Existing").await;
    let fresh = json!({"ConsumerID": "301", "Name": "Fresh"});

    // One exists already: nothing is created, the failing one is listed.
    let answer = call(
        &app,
        "cmc",
        &json!([creds(), fresh, {"ConsumerID": 300, "Name": "X"}]),
    )
    .await;
    assert_eq!(
        answer,
        json!([{"Status": "01"}, {"ConsumerID": "300", "Description": "Consumer Already Exist"}])
    );
    // Repeated inside one request.
    let twice = json!([
        creds(),
        fresh,
        {"ConsumerID": "302", "Name": "A"},
        {"ConsumerID": "302", "Name": "B"}
    ]);
    assert_eq!(
        call(&app, "cmc", &twice).await,
        json!([{"Status": "01"}, {"ConsumerID": "302", "Description": "Consumer Already Exist"}])
    );
    // Invalid elements: every failing one is listed, in order.
    let bad = json!([
        creds(),
        {"ConsumerID": "abc", "Name": "A"},
        fresh,
        {"ConsumerID": "303"},
        {"ConsumerID": "300", "Name": "Y"}
    ]);
    assert_eq!(
        call(&app, "cmc", &bad).await,
        json!([
            {"Status": "01"},
            {"ConsumerID": "abc", "Description": "Invalid Data. ConsumerID is invalid"},
            {"ConsumerID": "303", "Description": "Invalid Data. Name is not provided"},
            {"ConsumerID": "300", "Description": "Consumer Already Exist"}
        ])
    );
    for id in ["301", "302", "303"] {
        assert_eq!(
            consumer(&app, &format!("{company}{id}")).await,
            None,
            "{id}"
        );
    }
    assert_eq!(
        consumer(&app, &format!("{company}300")).await.unwrap()["Name"],
        "Existing"
    );
}

#[tokio::test]
async fn cmc_takes_at_most_1000_consumers() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    let many = |n: usize, from: usize| {
        let mut items = vec![creds()];
        items.extend((from..from + n).map(|i| json!({"ConsumerID": i.to_string(), "Name": "N"})));
        Value::Array(items)
    };
    assert_eq!(
        call(&app, "cmc", &many(1001, 10_000)).await,
        failure(
            "01",
            "Invalid Data. Maximum 1000 consumers are allowed in one request"
        )
    );
    assert_eq!(consumer(&app, &format!("{company}10000")).await, None);
    let answer = call(&app, "cmc", &many(1000, 20_000)).await;
    assert_eq!(answer[0]["Status"], "00");
    assert_eq!(answer.as_array().unwrap().len(), 1001);
    assert!(consumer(&app, &format!("{company}20999")).await.is_some());
}

#[tokio::test]
async fn uc_changes_only_the_fields_given() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    let element = json!({"ConsumerID": "123456780", "Name": "Usman", "Mobile": "03123456789",
                         "Email": "abcd@paypro.com.pk", "Address": "Old address"});
    assert_eq!(
        call(&app, "cc", &json!([creds(), element])).await[0]["Status"],
        "00"
    );
    let full = format!("{company}123456780");

    // As a form field, with the full code; empty values leave fields as they are.
    let payload = json!([creds(), {"ConsumerID": full, "Name": "Usman Ali", "Mobile": "",
                                    "Email": "  ", "Address": null}]);
    let form = format!("oJson={}", percent(&payload.to_string()));
    let answer = post_raw(&app, "uc", "application/x-www-form-urlencoded", form).await;
    assert_eq!(
        answer,
        json!([{"Status": "00"}, {"Description": format!("ConsumerID {full} updated successfully"),
                                  "ConsumerID": full}])
    );
    let stored = consumer(&app, &full).await.unwrap();
    assert_eq!(
        (
            &stored["Name"],
            &stored["Mobile"],
            &stored["Email"],
            &stored["Address"]
        ),
        (
            &json!("Usman Ali"),
            &json!("03123456789"),
            &json!("abcd@paypro.com.pk"),
            &json!("Old address")
        )
    );

    // A bare ConsumerID, as a number, works too; the answer names the full code.
    let answer = call(
        &app,
        "uc",
        &json!([creds(), {"ConsumerID": 123456780, "Address": "New"}]),
    )
    .await;
    assert_eq!(answer[1]["ConsumerID"], full);
    let stored = consumer(&app, &full).await.unwrap();
    assert_eq!(
        (&stored["Name"], &stored["Address"]),
        (&json!("Usman Ali"), &json!("New"))
    );

    // Nothing to change is still a success.
    let answer = call(&app, "uc", &json!([creds(), {"ConsumerID": full}])).await;
    assert_eq!(answer[0]["Status"], "00");
}

#[tokio::test]
async fn uc_failures_change_nothing() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    create(&app, "77", "Kept").await;
    let full = format!("{company}77");
    let cases = [
        (
            json!({"Name": "X"}),
            failure("01", "Invalid Data. ConsumerID is not provided"),
        ),
        (
            json!({"ConsumerID": "77x", "Name": "X"}),
            failure("01", "Invalid Data. ConsumerID is invalid"),
        ),
        (
            json!({"ConsumerID": "1".repeat(21), "Name": "X"}),
            failure("01", "Invalid Data. ConsumerID is invalid"),
        ),
        (
            json!({"ConsumerID": "' or 1=1 --", "Name": "X"}),
            failure("01", "Invalid Data. ConsumerID is invalid"),
        ),
        (
            json!({"ConsumerID": full, "Name": "x".repeat(5000)}),
            failure("01", "Invalid Data. Name length is invalid"),
        ),
        (
            json!({"ConsumerID": full, "Mobile": ["1"]}),
            failure("01", "Invalid Data. Mobile is invalid"),
        ),
        (
            json!({"ConsumerID": "78", "Name": "X"}),
            failure("03", "No data available"),
        ),
        (
            json!({"ConsumerID": format!("{company}78"), "Name": "X"}),
            failure("03", "No data available"),
        ),
        (
            json!({"ConsumerID": "077777", "Name": "X"}),
            failure("03", "No data available"),
        ),
        (
            json!({"ConsumerID": "99999999999999999999", "Name": "X"}),
            failure("03", "No data available"),
        ),
    ];
    for (element, expected) in cases {
        let answer = call(&app, "uc", &json!([creds(), element])).await;
        let shown: String = element.to_string().chars().take(120).collect();
        assert_eq!(answer, expected, "{shown}");
    }
    let stored = consumer(&app, &full).await.unwrap();
    assert_eq!(
        (&stored["Name"], &stored["Mobile"]),
        (&json!("Kept"), &json!(""))
    );
}

#[tokio::test]
async fn umc_updates_every_consumer_all_or_nothing() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    create(&app, "123456785", "User").await;
    create(&app, "123456786", "User 2").await;
    let full = |id: &str| format!("{company}{id}");

    // One unknown consumer: nothing changes, the unknown one is listed.
    let payload = json!([creds(), {"ConsumerID": "123456785", "Name": "Changed"},
                         {"ConsumerID": "999", "Name": "Nobody"}]);
    assert_eq!(
        upload(&app, "umc", &payload).await,
        json!([{"Status": "03"}, {"ConsumerID": "999", "Description": "No data available"}])
    );
    let payload = json!([creds(), {"ConsumerID": "123456785", "Name": "Changed"},
                         {"ConsumerID": full("123456786"), "Name": "y".repeat(1001)}]);
    assert_eq!(
        upload(&app, "umc", &payload).await,
        json!([{"Status": "01"}, {"ConsumerID": full("123456786"),
                                  "Description": "Invalid Data. Name length is invalid"}])
    );
    assert_eq!(
        consumer(&app, &full("123456785")).await.unwrap()["Name"],
        "User"
    );

    // Success: bare and full codes, each answered with the full code.
    let payload = json!([
        creds(),
        {"ConsumerID": "123456785", "Name": "User", "Mobile": "03123456789",
         "Email": "abcd@paypro.com.pk", "Address": ""},
        {"ConsumerID": full("123456786"), "Name": "User 2", "Mobile": "03123456788",
         "Email": "abcd2@paypro.com.pk", "Address": ""}
    ]);
    assert_eq!(
        upload(&app, "umc", &payload).await,
        json!([
            {"Status": "00"},
            {"Description": format!("ConsumerID {} updated successfully", full("123456785")),
             "ConsumerID": full("123456785")},
            {"Description": format!("ConsumerID {} updated successfully", full("123456786")),
             "ConsumerID": full("123456786")}
        ])
    );
    let second = consumer(&app, &full("123456786")).await.unwrap();
    assert_eq!(
        (&second["Mobile"], &second["Email"]),
        (&json!("03123456788"), &json!("abcd2@paypro.com.pk"))
    );

    // The same consumer twice: both changes apply, in order.
    let twice = json!([creds(), {"ConsumerID": "123456785", "Name": "A", "Mobile": "1"},
                       {"ConsumerID": "123456785", "Name": "B"}]);
    assert_eq!(call(&app, "umc", &twice).await[0]["Status"], "00");
    let first = consumer(&app, &full("123456785")).await.unwrap();
    assert_eq!(
        (&first["Name"], &first["Mobile"]),
        (&json!("B"), &json!("1"))
    );
}

#[tokio::test]
async fn gcd_answers_03_for_anything_but_the_merchants_full_code() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    create(&app, "1234567", "User").await;
    let no_data = failure("03", "No data available");
    let sql = format!("{company}1' or '1'='1");
    let long = format!("{company}{}", "1".repeat(5000));
    for code in [
        "1234567",
        "0000",
        company.as_str(),
        "abc",
        "٠٠٤٤1234567",
        sql.as_str(),
        long.as_str(),
    ] {
        assert_eq!(gcd(&app, USER, PASSWORD, code).await, no_data, "{code}");
    }
    assert_eq!(
        gcd(&app, USER, PASSWORD, &format!("{company}1234568")).await,
        no_data
    );
    let missing = gcd_with(&app, &[("userName", USER), ("password", PASSWORD)]).await;
    assert_eq!(missing, failure("01", "Invalid Format"));
    let empty = gcd(&app, USER, PASSWORD, "  ").await;
    assert_eq!(empty, failure("01", "Invalid Format"));

    // Names in any case, values trimmed; POST with a form works too.
    let full = format!("{company}1234567");
    let padded = format!(" {full} ");
    let answer = gcd_with(
        &app,
        &[
            ("USERNAME", USER),
            ("Password", PASSWORD),
            ("FULLCONSUMERCODE", padded.as_str()),
        ],
    )
    .await;
    assert_eq!(answer[1]["Name"], "User", "{answer}");
    let form = format!("userName={USER}&password={PASSWORD}&fullConsumerCode={full}");
    let answer = post_raw(&app, "gcd", "application/x-www-form-urlencoded", form).await;
    assert_eq!(answer[0]["Status"], "00", "{answer}");
    let root = app
        .get(&format!(
            "/cpay/gcd?userName={USER}&password={PASSWORD}&fullConsumerCode={full}"
        ))
        .await;
    assert_eq!(ok_json(root).await[1]["ConsumerCode"], "1234567");
}

#[tokio::test]
async fn every_input_channel_is_read() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    let payload = |id: &str| json!([creds(), {"ConsumerID": id, "Name": "Channel"}]).to_string();

    // Query, percent-encoded, on GET and POST, prefixed and at the root.
    for (method, path, id) in [
        (reqwest::Method::GET, "/paypro/cpay/cc", "601"),
        (reqwest::Method::POST, "/cpay/cc", "602"),
    ] {
        let answer = call_query(&app, method, path, &payload(id)).await;
        assert_eq!(answer[0]["Status"], "00", "{path}: {answer}");
    }
    // A form field.
    let form = format!("oJson={}", percent(&payload("603")));
    assert_eq!(
        post_raw(&app, "cc", "application/x-www-form-urlencoded", form).await[0]["Status"],
        "00"
    );
    // A raw body as text/plain, with an empty `?oJson=` in the query.
    let response = app
        .client
        .post(app.url("/paypro/cpay/cc?oJson="))
        .header("content-type", "text/plain")
        .body(payload("604"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok_json(response).await[0]["Status"], "00");
    // A raw body with no content type at all.
    let response = app.post_text("/cpay/cc", payload("605")).await;
    assert_eq!(ok_json(response).await[0]["Status"], "00");
    // A multipart file (documented for cmc and umc) works for cc too.
    let (content_type, body) = multipart(CURL_BOUNDARY, "cc.txt", &payload("606"));
    let response = app
        .client
        .post(app.url("/cpay/cc"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(ok_json(response).await[0]["Status"], "00");
    for id in ["601", "602", "603", "604", "605", "606"] {
        assert!(
            consumer(&app, &format!("{company}{id}")).await.is_some(),
            "{id}"
        );
    }
}

#[tokio::test]
async fn json_is_read_leniently() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    let cc = format!(
        "[{{merchantid: '{USER}', MERCHANTPASSWORD: ' {PASSWORD} ', }}, // credentials\n\
         {{consumerid: 700, 'name': ' Lenient ', Mobile: 3001234567, email: 'a@b.pk',}},]"
    );
    let answer = post_raw(&app, "cc", "text/plain", cc).await;
    assert_eq!(answer[0]["Status"], "00", "{answer}");
    assert_eq!(answer[1]["ConsumerNumber"], 700);
    let stored = consumer(&app, &format!("{company}700")).await.unwrap();
    assert_eq!(
        (&stored["Name"], &stored["Mobile"]),
        (&json!("Lenient"), &json!("3001234567"))
    );

    let head = format!("{{'MerchantId':'{USER}','MerchantPassword':'{PASSWORD}'}}");
    let cmc = format!("[{head},{{ConsumerId:701,NAME:'A'}},{{consumerID:'702',name:'B',}},]");
    let answer = post_raw(&app, "cmc", "application/json", cmc).await;
    assert_eq!(answer[2]["ConsumerNumber"], "702", "{answer}");

    let uc = format!("[{head},{{consumerid:'{company}701',address:'Here',}}]");
    let answer = post_raw(&app, "uc", "text/plain", uc).await;
    assert_eq!(answer[0]["Status"], "00", "{answer}");
    assert_eq!(
        consumer(&app, &format!("{company}701")).await.unwrap()["Address"],
        "Here"
    );
}

#[tokio::test]
async fn a_merchant_never_sees_another_merchants_consumers() {
    let app = spawn_app().await;
    other_merchant(&app).await;
    let company = company_of(&app, USER).await;
    let other = json!({"MerchantId": "Other", "MerchantPassword": "pw"});
    let answer = call(
        &app,
        "cc",
        &json!([other, {"ConsumerID": "555", "Name": "Theirs"}]),
    )
    .await;
    assert_eq!(answer[1]["FullConsumerCode"], "0777555", "{answer}");

    let no_data = failure("03", "No data available");
    assert_eq!(gcd(&app, USER, PASSWORD, "0777555").await, no_data);
    assert_eq!(
        gcd(&app, USER, PASSWORD, &format!("{company}555")).await,
        no_data
    );
    for code in ["0777555", "555"] {
        let answer = call(
            &app,
            "uc",
            &json!([creds(), {"ConsumerID": code, "Name": "Mine"}]),
        )
        .await;
        assert_eq!(answer, no_data, "{code}");
    }
    let answer = call(
        &app,
        "umc",
        &json!([creds(), {"ConsumerID": "0777555", "Name": "Mine"}]),
    )
    .await;
    assert_eq!(
        answer,
        json!([{"Status": "03"}, {"ConsumerID": "0777555", "Description": "No data available"}])
    );
    // The same ConsumerID is free for this merchant.
    create(&app, "555", "Mine").await;
    assert_eq!(
        consumer(&app, &format!("{company}555")).await.unwrap()["Name"],
        "Mine"
    );
    let theirs = gcd(&app, "Other", "pw", "0777555").await;
    assert_eq!(
        (&theirs[1]["Name"], &theirs[1]["CompanyCode"]),
        (&json!("Theirs"), &json!("0777"))
    );
    // And their code with this merchant's credentials stays unknown.
    assert_eq!(
        gcd(&app, "Other", "pw", &format!("{company}555")).await,
        no_data
    );
}

#[tokio::test]
async fn concurrent_creates_of_one_consumer_make_exactly_one() {
    let app = spawn_app().await;
    let payload = json!([creds(), {"ConsumerID": "888", "Name": "Race"}]).to_string();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let client = app.client.clone();
        let url = app.url("/cpay/cc");
        let body = payload.clone();
        tasks.push(tokio::spawn(async move {
            let response = client.post(url).body(body).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<Value>().await.unwrap()
        }));
    }
    let mut created = 0;
    for task in tasks {
        let answer = task.await.unwrap();
        if answer[0]["Status"] == "00" {
            created += 1;
        } else {
            assert_eq!(answer, failure("01", "Consumer Already Exist"));
        }
    }
    assert_eq!(created, 1);
}

#[tokio::test]
async fn a_browser_style_multipart_boundary_in_mixed_case_works() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    let payload = json!([creds(), {"ConsumerID": "650", "Name": "Browser"}]);
    let (content_type, body) = multipart(BROWSER_BOUNDARY, "blob", &payload.to_string());
    let response = app
        .client
        .post(app.url("/cpay/cmc"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let answer = ok_json(response).await;
    assert_eq!(answer[0]["Status"], "00", "{answer}");
    assert!(consumer(&app, &format!("{company}650")).await.is_some());
}

/// Percent-encodes everything but unreserved characters, as a form encoder does.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Loads a fixture document that must be refused at `path`, with a message containing `part`.
async fn refused_fixture(app: &TestApp, fixture: Value, path: &str, part: &str) {
    let (code, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", &fixture).await).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["path"], path, "{answer}");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(message.contains(part), "{answer}");
}

#[tokio::test]
async fn consumers_load_from_fixtures_and_round_trip_through_the_state() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    load(
        &app,
        json!({"paypro": {"consumers": [
            {"username": USER, "consumer_id": "1234567", "name": "User", "mobile": "03123456789",
             "email": "abcd@paypro.com.pk", "address": "ABCD",
             "created_at": "2020-06-10T05:17:45.247Z"},
            {"username": "PayProUser", "consumer_id": "1234567", "name": "Theirs"}
        ]}}),
    )
    .await;
    let fetched = gcd(&app, USER, PASSWORD, &format!("{company}1234567")).await;
    assert_eq!(
        fetched[1]["CreatedOn"], "2020-06-10T10:17:45.247",
        "{fetched}"
    );
    assert_eq!(fetched[1]["Address"], "ABCD");
    create(&app, "99", "Made over HTTP").await;

    let exported = app.get_json("/__sandbox/state").await;
    let consumers = exported["paypro"]["consumers"].as_array().unwrap().clone();
    let ours: Vec<&Value> = consumers.iter().filter(|c| c["username"] == USER).collect();
    assert_eq!(ours.len(), 2, "{consumers:?}");
    assert_eq!(
        *ours[0],
        json!({"username": USER, "consumer_id": "1234567", "name": "User",
               "mobile": "03123456789", "email": "abcd@paypro.com.pk", "address": "ABCD",
               "created_at": "2020-06-10T05:17:45.247Z"})
    );
    assert!(
        consumers.iter().all(|c| c["created_at"].is_string()),
        "{consumers:?}"
    );

    let reset = app
        .client
        .post(app.url("/__sandbox/reset?empty=true"))
        .send()
        .await
        .unwrap();
    assert!(reset.status().is_success());
    load(&app, exported.clone()).await;
    assert_eq!(app.get_json("/__sandbox/state").await, exported);
    let again = gcd(&app, USER, PASSWORD, &format!("{company}99")).await;
    assert_eq!(again[1]["Name"], "Made over HTTP");
}

#[tokio::test]
async fn a_bad_consumer_fixture_is_refused_whole() {
    let app = spawn_app().await;
    let company = company_of(&app, USER).await;
    let good = json!({"username": USER, "consumer_id": "1", "name": "Good"});
    let cases = [
        (
            json!({"username": "Nobody", "consumer_id": "2", "name": "A"}),
            "paypro.consumers[1].username",
            "Nobody",
        ),
        (
            json!({"username": USER, "consumer_id": "12345678901234567", "name": "A"}),
            "paypro.consumers[1].consumer_id",
            "1 to 16 digits",
        ),
        (
            json!({"username": USER, "consumer_id": "", "name": "A"}),
            "paypro.consumers[1].consumer_id",
            "1 to 16 digits",
        ),
        (
            json!({"username": USER, "consumer_id": "2", "name": " "}),
            "paypro.consumers[1].name",
            "empty",
        ),
        (
            json!({"username": USER, "consumer_id": "2", "name": "A", "address": "x".repeat(1001)}),
            "paypro.consumers[1].address",
            "1000",
        ),
        (
            json!({"username": USER, "consumer_id": "1", "name": "Again"}),
            "paypro.consumers[1].consumer_id",
            "duplicate",
        ),
        (
            json!({"username": USER, "consumer_id": "2", "name": "A", "nickname": "B"}),
            "paypro.consumers[1].nickname",
            "unknown field",
        ),
        (
            json!({"username": USER, "consumer_id": "2"}),
            "paypro.consumers[1]",
            "name",
        ),
    ];
    for (bad, path, part) in cases {
        let fixture = json!({"paypro": {"consumers": [good, bad]}});
        refused_fixture(&app, fixture, path, part).await;
    }
    assert_eq!(consumer(&app, &format!("{company}1")).await, None);
}
