//! Chillr: bad input of every kind answers the right code and creates nothing; concurrent creates and pays.

use crate::chillr_lifecycle::{
    API_KEY, API_SECRET, CHECK, COLLECT, NEXT_WEEK, NON_USER, USER, act, batch_count, clock,
    collect, collect_body, create, create_with, customer, freeze, register, status,
};
use crate::helpers::{TestApp, spawn_app, spawn_app_with, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Instant;

/// Posts a raw body with a content type; Chillr answers with HTTP 200 whatever it is.
async fn post_raw(app: &TestApp, path: &str, content_type: &str, body: String) -> Value {
    let response = app
        .client
        .post(app.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("a response");
    let (status, answer) = status_and_json(response).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

/// Posts a raw JSON text to collect; checks the failure code and that no batch was created.
async fn refused_raw(app: &TestApp, body: String, code: u16) -> Value {
    let before = batch_count(app).await;
    let answer = post_raw(app, COLLECT, "application/json", body.clone()).await;
    let shown: String = body.chars().take(200).collect();
    assert_eq!(answer["status"], "failure", "{shown}: {answer}");
    assert_eq!(answer["status_code"], code, "{shown}: {answer}");
    assert_eq!(
        batch_count(app).await,
        before,
        "{shown}: a batch was created"
    );
    answer
}

/// Posts a JSON body to collect; checks the failure code and that nothing was created.
async fn refused(app: &TestApp, body: &Value, code: u16) -> Value {
    refused_raw(app, body.to_string(), code).await
}

/// Posts a body that must fail with 58 and these reasons, exactly.
async fn refused_58(app: &TestApp, body: &Value, reasons: &[&str]) {
    let answer = refused(app, body, 58).await;
    assert_eq!(answer["message"], "Failed to create batch");
    assert_eq!(answer["data"]["reason"], json!(reasons), "{answer}");
}

/// A create body as raw text with one customer whose amount is written as given.
fn raw_body_with_amount(amount: &str) -> String {
    format!(
        r#"{{"api_key": "{API_KEY}", "api_secret_key": "{API_SECRET}", "name": "Electricity bill",
            "expiry_date": "{NEXT_WEEK}", "customers": [{{"msisdn": "{USER}", "amount": {amount}}}]}}"#
    )
}

/// `n` distinct valid msisdns that end in neither 0001 nor 0002 (magic) nor are 9000000059.
fn many_msisdns(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("8{i:05}5555")).collect()
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_answers_50() {
    let app = spawn_app().await;
    freeze(&app).await;
    let array = format!(
        "[{}]",
        collect_body(json!([{"msisdn": USER, "amount": "1"}]))
    );
    for body in [
        "hello".to_string(),
        "{not json".to_string(),
        array,
        String::new(),
    ] {
        let answer = refused_raw(&app, body, 50).await;
        assert_eq!(answer["message"], "api_key param is missing");
    }
    // Not UTF-8 at all.
    let before = batch_count(&app).await;
    let response = app
        .client
        .post(app.url(COLLECT))
        .header("content-type", "application/json")
        .body(vec![0xff, 0xfe, b'{', 0x80])
        .send()
        .await
        .unwrap();
    let (status, answer) = status_and_json(response).await;
    assert_eq!(
        (status, answer["status_code"].clone()),
        (StatusCode::OK, json!(50))
    );
    assert_eq!(batch_count(&app).await, before);
}

#[tokio::test]
async fn fields_of_the_wrong_type_answer_their_codes() {
    let app = spawn_app().await;
    freeze(&app).await;
    let good = collect_body(json!([{"msisdn": USER, "amount": "200"}]));
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };

    for customers in [json!({}), json!("x"), json!([]), json!(null)] {
        let answer = refused(&app, &with("customers", customers), 54).await;
        assert_eq!(answer["message"], "customer param is missing");
    }
    let answer = refused(&app, &with("expiry_date", json!(20260310)), 55).await;
    assert_eq!(answer["message"], "expiry_date format error (dd-mm-yyyy)");
    refused_58(&app, &with("name", json!({"a": 1})), &["name is not text"]).await;
    let answer = refused(&app, &with("api_key", json!(123)), 57).await;
    assert_eq!(answer["message"], "Merchant not found error");
    refused_58(
        &app,
        &with("customers", json!([5])),
        &[
            "customer 1 : mobile number is not present",
            "customer 1 : amount is not present",
        ],
    )
    .await;
    refused_58(
        &app,
        &with(
            "customers",
            json!([{"msisdn": USER, "amount": "1"}, [USER, "1"], {"msisdn": true, "amount": [1]}]),
        ),
        &[
            "customer 2 : mobile number is not present",
            "customer 2 : amount is not present",
            "customer 3 : invalid mobile number",
            "customer 3 : invalid amount",
        ],
    )
    .await;
}

#[tokio::test]
async fn an_amount_that_is_not_a_plain_positive_decimal_up_to_one_lakh_is_invalid() {
    let app = spawn_app().await;
    freeze(&app).await;
    for amount in [
        "-1",
        "1e3",
        r#""1e3""#,
        "0.001",
        r#""abc""#,
        "0",
        r#""0.00""#,
        "100000.01",
        r#"" 200""#,
        r#""+5""#,
        "1234567890123456789012345678901234567890",
        "true",
    ] {
        let answer = refused_raw(&app, raw_body_with_amount(amount), 58).await;
        assert_eq!(
            answer["data"]["reason"],
            json!(["customer 1 : invalid amount"]),
            "{amount}: {answer}"
        );
    }
    for (amount, echoed) in [
        ("100000", "100000"),
        (r#""99.99""#, "99.99"),
        ("200", "200"),
    ] {
        let before = batch_count(&app).await;
        let answer = post_raw(
            &app,
            COLLECT,
            "application/json",
            raw_body_with_amount(amount),
        )
        .await;
        assert_eq!(answer["status_code"], 0, "{amount}: {answer}");
        assert_eq!(batch_count(&app).await, before + 1);
        let view = status(&app, answer["data"]["batch_id"].as_str().unwrap()).await;
        assert_eq!(customer(&view, USER)["amount"], echoed, "{amount}");
    }
}

#[tokio::test]
async fn a_mobile_number_with_a_country_or_trunk_prefix_is_stored_as_ten_digits() {
    let app = spawn_app().await;
    freeze(&app).await;
    for msisdn in ["+919447741462", "919447741462", "09447741462"] {
        let batch_id = create(&app, json!([{"msisdn": msisdn, "amount": "200"}])).await;
        let view = status(&app, &batch_id).await;
        assert_eq!(view["customers"][0]["msisdn"], USER, "{msisdn}");
        assert_eq!(view["customers"][0]["payment_status"], "pending");
    }
    // A non-user with a prefix is echoed normalised too.
    let answer = collect(
        &app,
        &collect_body(json!([
            {"msisdn": USER, "amount": "200"},
            {"msisdn": "+919633789451", "amount": "600"},
        ])),
    )
    .await;
    assert_eq!(answer["data"]["non_chillr_customers"], json!([NON_USER]));
}

#[tokio::test]
async fn an_expiry_date_is_judged_by_the_day_in_india_not_in_utc() {
    let app = spawn_app().await;
    let customers = json!([{"msisdn": USER, "amount": "200"}]);
    // 00:30 in India is still the day before in UTC, 23:59:59 there is the same day.
    for now in ["2026-03-10T00:30:00+05:30", "2026-03-10T23:59:59+05:30"] {
        clock(&app, json!({ "set": now })).await;
        let mut body = collect_body(customers.clone());
        body["expiry_date"] = json!("10-03-2026");
        let batch_id = create_with(&app, &body).await;
        assert_eq!(status(&app, &batch_id).await["batch_status"], "active");
        body["expiry_date"] = json!("09-03-2026");
        refused_58(&app, &body, &["expiry_date should not be a past date"]).await;
    }
    // A past date is reported together with the customers' problems.
    let mut body = collect_body(json!([{"msisdn": "123", "amount": "200"}]));
    body["expiry_date"] = json!("27-05-2016");
    refused_58(
        &app,
        &body,
        &[
            "expiry_date should not be a past date",
            "customer 1 : invalid mobile number",
        ],
    )
    .await;
}

#[tokio::test]
async fn a_bad_or_repeated_mobile_number_is_named_by_its_position() {
    let app = spawn_app().await;
    freeze(&app).await;
    refused_58(
        &app,
        &collect_body(json!([
            {"msisdn": USER, "amount": "200"},
            {"msisdn": "5447741462", "amount": "200"},
            {"msisdn": "944774146", "amount": "200"},
            {"msisdn": "abc", "amount": "200"},
            {"msisdn": "+92 9447741462", "amount": "200"},
        ])),
        &[
            "customer 2 : invalid mobile number",
            "customer 3 : invalid mobile number",
            "customer 4 : invalid mobile number",
            "customer 5 : invalid mobile number",
        ],
    )
    .await;
    refused_58(
        &app,
        &collect_body(json!([
            {"msisdn": USER, "amount": "200"},
            {"msisdn": "+919447741462", "amount": "300"},
            {"msisdn": NON_USER, "amount": "1"},
            {"msisdn": "09633789451", "amount": "1"},
        ])),
        &[
            "customer 2 : duplicate mobile number",
            "customer 4 : duplicate mobile number",
        ],
    )
    .await;
}

#[tokio::test]
async fn too_many_customers_or_a_too_long_name_answers_58_even_in_a_five_megabyte_body() {
    let app = spawn_app().await;
    freeze(&app).await;
    let customers: Vec<Value> = many_msisdns(10_001)
        .into_iter()
        .map(|m| json!({"msisdn": m, "amount": "1"}))
        .collect();
    refused_58(
        &app,
        &collect_body(json!(customers)),
        &["too many customers"],
    )
    .await;

    let mut body = collect_body(json!([{"msisdn": USER, "amount": "200"}]));
    body["name"] = json!("x".repeat(5 * 1024 * 1024));
    refused_58(&app, &body, &["name is too long"]).await;

    let mut body = collect_body(json!([{"msisdn": "9".repeat(5 * 1024 * 1024), "amount": "200"}]));
    body["name"] = json!("ok");
    refused_58(&app, &body, &["customer 1 : invalid mobile number"]).await;

    let mut body = collect_body(json!([{"msisdn": USER, "amount": "200"}]));
    body["name"] = json!("n".repeat(101));
    refused_58(&app, &body, &["name is too long"]).await;
    body["name"] = json!("é".repeat(101));
    refused_58(&app, &body, &["name is too long"]).await;

    for name in ["n".repeat(100), "é".repeat(100)] {
        body["name"] = json!(name);
        let batch_id = create_with(&app, &body).await;
        assert_eq!(status(&app, &batch_id).await["name"], name);
    }
}

#[tokio::test]
async fn sql_and_unicode_in_a_name_are_stored_and_echoed_exactly() {
    let app = spawn_app().await;
    freeze(&app).await;
    let names = [
        "Robert'); DROP TABLE chillr_batches;--",
        "बिजली बिल 💡",
        "\"quoted\" \\ back\\slash\n\ttab",
    ];
    let mut ids = Vec::new();
    for name in names {
        let mut body = collect_body(json!([{"msisdn": USER, "amount": "200"}]));
        body["name"] = json!(name);
        ids.push(create_with(&app, &body).await);
    }
    for (batch_id, name) in ids.iter().zip(names) {
        assert_eq!(status(&app, batch_id).await["name"], name);
    }
    // The tables still work.
    let batch_id = create(&app, json!([{"msisdn": USER, "amount": "1"}])).await;
    assert_eq!(act(&app, &batch_id, USER, "pay").await.0, StatusCode::OK);
    assert_eq!(batch_count(&app).await, 1 + names.len() + 1);
    let state = app.get_json("/__sandbox/state").await;
    let exported: Vec<&Value> = state["chillr"]["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["name"])
        .collect();
    assert_eq!(
        exported[1..=3],
        names.map(|n| json!(n)).iter().collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_batch_of_ten_thousand_customers_is_created_and_listed_in_order() {
    let app = spawn_app().await;
    freeze(&app).await;
    let msisdns = many_msisdns(10_000);
    // Every other customer is a Chillr user.
    let users: Vec<&str> = msisdns.iter().step_by(2).map(String::as_str).collect();
    register(&app, &users).await;
    let customers: Vec<Value> = msisdns
        .iter()
        .enumerate()
        .map(|(i, m)| json!({"msisdn": m, "amount": format!("{}.{:02}", i + 1, i % 100)}))
        .collect();

    let started = Instant::now();
    let answer = collect(&app, &collect_body(json!(customers))).await;
    eprintln!(
        "creating a batch of 10,000 customers took {:?} (as seen from the test)",
        started.elapsed()
    );
    assert_eq!(answer["status_code"], 0, "{}", answer["message"]);
    let non_chillr = answer["data"]["non_chillr_customers"].as_array().unwrap();
    assert_eq!(non_chillr.len(), 5_000);
    assert_eq!(non_chillr[0], msisdns[1]);

    let started = Instant::now();
    let view = status(&app, answer["data"]["batch_id"].as_str().unwrap()).await;
    eprintln!(
        "check_collect_status of 10,000 customers took {:?}",
        started.elapsed()
    );
    let listed = view["customers"].as_array().unwrap();
    assert_eq!(listed.len(), 10_000);
    let mut transaction_ids = HashSet::new();
    for (i, (entry, msisdn)) in listed.iter().zip(&msisdns).enumerate() {
        assert_eq!(entry["msisdn"], *msisdn, "customer {i}");
        if i % 2 == 0 {
            assert_eq!(entry["payment_status"], "pending", "customer {i}");
            assert_eq!(
                entry["amount"],
                format!("{}.{:02}", i + 1, i % 100),
                "customer {i}"
            );
            assert!(transaction_ids.insert(entry["transaction_id"].as_str().unwrap()));
        } else {
            assert_eq!(
                entry["message"], "Transaction not generated",
                "customer {i}"
            );
        }
    }
    assert_eq!(transaction_ids.len(), 5_000);
    assert_eq!(
        view["non_chillr_customers"].as_array().unwrap().len(),
        5_000
    );
    assert_eq!(view["batch_status"], "active");
}

/// A sandbox on a database file (several connections, WAL), where writers really race.
async fn spawn_on_file() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("sandbox.db").display().to_string();
    (spawn_app_with(|c| c.database = path).await, dir)
}

#[tokio::test]
async fn twenty_concurrent_creates_all_succeed_with_distinct_ids() {
    concurrent_creates(&spawn_app().await).await;
}

#[tokio::test]
async fn twenty_concurrent_creates_on_a_database_file_all_succeed_with_distinct_ids() {
    let (app, _dir) = spawn_on_file().await;
    concurrent_creates(&app).await;
}

async fn concurrent_creates(app: &TestApp) {
    freeze(app).await;
    register(app, &["9847012345", "8123456789"]).await;
    let customers = json!([
        {"msisdn": USER, "amount": "1"},
        {"msisdn": "9847012345", "amount": "2"},
        {"msisdn": "8123456789", "amount": "3"},
    ]);
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let client = app.client.clone();
            let url = app.url(COLLECT);
            let mut body = collect_body(customers.clone());
            body["name"] = json!(format!("batch {i}"));
            tokio::spawn(async move {
                let response = client.post(url).json(&body).send().await.unwrap();
                status_and_json(response).await
            })
        })
        .collect();
    let mut batch_ids = HashSet::new();
    for task in tasks {
        let (code, answer) = task.await.unwrap();
        assert_eq!(code, StatusCode::OK);
        assert_eq!(answer["status_code"], 0, "{answer}");
        batch_ids.insert(answer["data"]["batch_id"].as_str().unwrap().to_string());
    }
    assert_eq!(batch_ids.len(), 20);
    assert_eq!(batch_count(app).await, 21);

    let mut transaction_ids = HashSet::new();
    for batch_id in &batch_ids {
        let view = status(app, batch_id).await;
        for entry in view["customers"].as_array().unwrap() {
            let id = entry["transaction_id"].as_str().unwrap().to_string();
            assert!(transaction_ids.insert(id), "a transaction id repeats");
        }
    }
    assert_eq!(transaction_ids.len(), 60);
}

#[tokio::test]
async fn of_twenty_concurrent_pays_exactly_one_wins() {
    concurrent_pays(&spawn_app().await).await;
}

#[tokio::test]
async fn of_twenty_concurrent_pays_on_a_database_file_exactly_one_wins() {
    let (app, _dir) = spawn_on_file().await;
    concurrent_pays(&app).await;
}

async fn concurrent_pays(app: &TestApp) {
    freeze(app).await;
    let batch_id = create(app, json!([{"msisdn": USER, "amount": "200"}])).await;
    let url = app.url(&format!(
        "/__sandbox/chillr/batches/{batch_id}/customers/{USER}"
    ));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = app.client.clone();
            let url = url.clone();
            tokio::spawn(async move {
                let response = client
                    .post(url)
                    .json(&json!({"action": "pay"}))
                    .send()
                    .await
                    .unwrap();
                status_and_json(response).await
            })
        })
        .collect();
    let mut ok = 0;
    let mut conflicts = 0;
    for task in tasks {
        let (code, answer) = task.await.unwrap();
        match code {
            StatusCode::OK => ok += 1,
            StatusCode::CONFLICT => {
                assert_eq!(answer["payment_status"], "paid", "{answer}");
                conflicts += 1;
            }
            other => panic!("{other}: {answer}"),
        }
    }
    assert_eq!((ok, conflicts), (1, 19));
    assert_eq!(
        customer(&status(app, &batch_id).await, USER)["payment_status"],
        "paid"
    );
}

#[tokio::test]
async fn a_concurrent_pay_and_decline_have_one_winner_that_the_status_shows() {
    pay_decline_race(&spawn_app().await).await;
}

#[tokio::test]
async fn a_concurrent_pay_and_decline_on_a_database_file_have_one_winner() {
    let (app, _dir) = spawn_on_file().await;
    pay_decline_race(&app).await;
}

async fn pay_decline_race(app: &TestApp) {
    freeze(app).await;
    let msisdns = [
        "9847012345",
        "8123456789",
        "7012345678",
        "6123456789",
        "9123456780",
    ];
    register(app, &msisdns).await;
    let customers: Vec<Value> = msisdns
        .iter()
        .map(|m| json!({"msisdn": m, "amount": "10"}))
        .collect();
    let batch_id = create(app, json!(customers)).await;

    for msisdn in msisdns {
        let race: Vec<_> = ["pay", "decline"]
            .into_iter()
            .map(|action| {
                let client = app.client.clone();
                let url = app.url(&format!(
                    "/__sandbox/chillr/batches/{batch_id}/customers/{msisdn}"
                ));
                tokio::spawn(async move {
                    let response = client
                        .post(url)
                        .json(&json!({ "action": action }))
                        .send()
                        .await
                        .unwrap();
                    (action, status_and_json(response).await)
                })
            })
            .collect();
        let mut winners = Vec::new();
        let mut losers = Vec::new();
        for task in race {
            let (action, (code, answer)) = task.await.unwrap();
            match code {
                StatusCode::OK => winners.push((action, answer)),
                StatusCode::CONFLICT => losers.push((action, answer)),
                other => panic!("{other}: {answer}"),
            }
        }
        assert_eq!((winners.len(), losers.len()), (1, 1), "{msisdn}");
        let won = match winners[0].0 {
            "pay" => "paid",
            _ => "declined",
        };
        assert_eq!(losers[0].1["payment_status"], won, "{msisdn}");
        assert_eq!(customer(&winners[0].1, msisdn)["payment_status"], won);
        let view = status(app, &batch_id).await;
        assert_eq!(customer(&view, msisdn)["payment_status"], won, "{msisdn}");
    }
    assert_eq!(status(app, &batch_id).await["batch_status"], "completed");
}

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).expect("a form")
}

#[tokio::test]
async fn form_bodies_with_customers_as_json_or_as_bracket_pairs_create_batches() {
    let app = spawn_app().await;
    freeze(&app).await;
    let form_type = "application/x-www-form-urlencoded";
    let customers = json!([{"msisdn": USER, "amount": "200"}, {"msisdn": NON_USER, "amount": 600}]);
    let answer = post_raw(
        &app,
        COLLECT,
        form_type,
        form(&[
            ("api_key", API_KEY),
            ("api_secret_key", API_SECRET),
            ("name", "Form & JSON"),
            ("expiry_date", NEXT_WEEK),
            ("customers", &customers.to_string()),
        ]),
    )
    .await;
    assert_eq!(answer["status_code"], 0, "{answer}");
    assert_eq!(answer["data"]["non_chillr_customers"], json!([NON_USER]));
    let as_json = answer["data"]["batch_id"].as_str().unwrap().to_string();

    let answer = post_raw(
        &app,
        COLLECT,
        form_type,
        form(&[
            ("api_key", API_KEY),
            ("api_secret_key", API_SECRET),
            ("name", "Form pairs"),
            ("expiry_date", NEXT_WEEK),
            ("customers[0][msisdn]", "+919447741462"),
            ("customers[0][amount]", "250.50"),
            ("customers[1][msisdn]", NON_USER),
            ("customers[1][amount]", "600"),
        ]),
    )
    .await;
    assert_eq!(answer["status_code"], 0, "{answer}");
    let as_pairs = answer["data"]["batch_id"].as_str().unwrap().to_string();
    assert_eq!(batch_count(&app).await, 3);

    let check = |batch_id: &str| {
        form(&[
            ("api_key", API_KEY),
            ("api_secret_key", API_SECRET),
            ("batch_id", batch_id),
        ])
    };
    let answer = post_raw(&app, CHECK, form_type, check(&as_json)).await;
    assert_eq!(answer["status_code"], 0, "{answer}");
    let view = &answer["data"];
    assert_eq!(view["name"], "Form & JSON");
    assert_eq!(customer(view, USER)["amount"], "200");
    assert_eq!(customer(view, USER)["payment_status"], "pending");
    assert_eq!(view["non_chillr_customers"], json!([NON_USER]));

    let answer = post_raw(&app, CHECK, form_type, check(&as_pairs)).await;
    let view = &answer["data"];
    assert_eq!(view["name"], "Form pairs");
    assert_eq!(customer(view, USER)["amount"], "250.50");
    assert_eq!(
        customer(view, NON_USER)["message"],
        "Transaction not generated"
    );

    // JSON labelled as a form (curl's -d) is read as JSON.
    let body = collect_body(json!([{"msisdn": USER, "amount": 1}]));
    let answer = post_raw(&app, COLLECT, form_type, body.to_string()).await;
    assert_eq!(answer["status_code"], 0, "{answer}");
    assert_eq!(batch_count(&app).await, 4);

    // A bad amount in a pair is judged like any other.
    let before = batch_count(&app).await;
    let answer = post_raw(
        &app,
        COLLECT,
        form_type,
        form(&[
            ("api_key", API_KEY),
            ("api_secret_key", API_SECRET),
            ("name", "Form pairs"),
            ("expiry_date", NEXT_WEEK),
            ("customers[0][msisdn]", USER),
            ("customers[0][amount]", "1e3"),
        ]),
    )
    .await;
    assert_eq!(answer["status_code"], 58, "{answer}");
    assert_eq!(
        answer["data"]["reason"],
        json!(["customer 1 : invalid amount"])
    );
    assert_eq!(batch_count(&app).await, before);
}
