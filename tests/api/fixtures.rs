//! `POST /__sandbox/fixtures`: JSON and YAML documents, loaded atomically, refused whole with
//! an error naming the file, the path inside it and the problem.

use crate::helpers::{TestApp, spawn_app, status_and_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn load(app: &TestApp, name: &str, body: &Value) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url(&format!("/__sandbox/fixtures?name={name}")))
        .json(body)
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// Posts a document that must be refused; checks the error and that nothing changed.
async fn assert_refused(app: &TestApp, body: &Value, path: &str, message_part: &str) {
    let before = app.get_json("/__sandbox/state").await;
    let (status, error) = load(app, "scenario.json", body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {error}");
    assert_eq!(error["error"], "fixture refused");
    assert_eq!(error["file"], "scenario.json");
    assert_eq!(error["path"], path, "{error}");
    let message = error["message"].as_str().unwrap();
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

#[tokio::test]
async fn a_document_adds_merchants_of_every_provider() {
    let app = spawn_app().await;
    let (status, answer) = load(
        &app,
        "extra.json",
        &json!({
            "chillr": {"merchants": [{"api_key": "k2", "api_secret_key": "s2"}]},
            "paypro": {"merchants": [{"username": "Shop", "password": "pw", "company_code": "0099",
                                        "fee": "25.00", "status_case": "upper", "services": ["co", "gos"]}]},
            "aggrepay": {"merchants": [{"api_key": "ak2", "salt": "salt2", "fixed_otp": "123456",
                                          "limits": {"max_balance": "500.00", "daily_debit_count": 3}}]},
            "jaze": {"accounts": [{"api_token": "t2", "api_key": "k2"}]}
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["loaded"], "extra.json");

    let state = app.get_json("/__sandbox/state").await;
    assert_eq!(state["chillr"]["merchants"][1]["api_key"], "k2");
    let shop = state["paypro"]["merchants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == "Shop")
        .expect("the new merchant is in the state");
    assert_eq!(shop["username"], "Shop");
    assert_eq!(shop["fee"], "25.00");
    assert_eq!(shop["min_amount"], "1.00", "defaults are filled in");
    assert_eq!(shop["utc_offset"], "+05:00");
    assert_eq!(shop["status_case"], "upper");
    assert_eq!(shop["services"], json!(["co", "gos"]));
    let wallet = &state["aggrepay"]["merchants"][1];
    assert_eq!(wallet["fixed_otp"], "123456");
    assert_eq!(
        wallet["limits"],
        json!({"max_balance": "500.00", "monthly_credit": "10000.00", "monthly_debit": "10000.00",
               "daily_debit_count": 3, "daily_debit_amount": "5000.00"})
    );
    assert_eq!(state["jaze"]["accounts"][1]["api_token"], "t2");
}

#[tokio::test]
async fn a_yaml_document_is_accepted_by_content_type_or_by_name() {
    let app = spawn_app().await;
    let yaml =
        "chillr:\n  merchants:\n    - api_key: yaml-key\n      api_secret_key: yaml-secret\n";
    let by_type = app
        .client
        .post(app.url("/__sandbox/fixtures"))
        .header("content-type", "application/yaml")
        .body(yaml)
        .send()
        .await
        .unwrap();
    assert_eq!(by_type.status(), StatusCode::CREATED);

    let by_name = app
        .client
        .post(app.url("/__sandbox/fixtures?name=more.yml"))
        .body(yaml.replace("yaml-key", "yaml-key-2"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_name.status(), StatusCode::CREATED);
    let keys: Vec<Value> = app.get_json("/__sandbox/state").await["chillr"]["merchants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["api_key"].clone())
        .collect();
    assert_eq!(
        keys,
        [
            json!("5695d71a6368690df2030000"),
            json!("yaml-key"),
            json!("yaml-key-2")
        ]
    );
}

#[tokio::test]
async fn an_unknown_field_is_refused_with_its_path() {
    let app = spawn_app().await;
    assert_refused(
        &app,
        &json!({"chillr": {"merchants": [{"api_key": "a", "api_secret_key": "b"},
                                          {"api_key": "c", "api_secret_key": "d", "colour": "red"}]}}),
        "chillr.merchants[1].colour",
        "unknown field `colour`",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_section_is_refused_naming_the_sections() {
    let app = spawn_app().await;
    assert_refused(
        &app,
        &json!({"stripe": {}}),
        "stripe",
        "chillr, paypro, aggrepay, jaze",
    )
    .await;
}

#[tokio::test]
async fn bad_amounts_are_refused() {
    let app = spawn_app().await;
    for (amount, part) in [
        (json!("abc"), "not an amount"),
        (json!("-1"), "not an amount"),
        (json!("0.001"), "not an amount"),
        (json!("1e3"), "not an amount"),
        (json!(100.5), "decimal string"),
    ] {
        assert_refused(
            &app,
            &json!({"paypro": {"merchants": [{"username": "u", "password": "p",
                                              "company_code": "0101", "max_amount": amount}]}}),
            "paypro.merchants[0].max_amount",
            part,
        )
        .await;
    }
    assert_refused(
        &app,
        &json!({"aggrepay": {"merchants": [{"api_key": "x", "salt": "y",
                                            "limits": {"daily_debit_amount": "ten"}}]}}),
        "aggrepay.merchants[0].limits.daily_debit_amount",
        "not an amount",
    )
    .await;
}

#[tokio::test]
async fn provider_rules_on_settings_are_checked() {
    let app = spawn_app().await;
    let merchant = |extra: Value| {
        let mut m = json!({"username": "u", "password": "p", "company_code": "0101"});
        m.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"paypro": {"merchants": [m]}})
    };
    assert_refused(
        &app,
        &merchant(json!({"company_code": "44"})),
        "paypro.merchants[0].company_code",
        "not 4 digits",
    )
    .await;
    assert_refused(
        &app,
        &merchant(json!({"services": ["co", "pay"]})),
        "paypro.merchants[0].services[1]",
        "`pay` is not a service",
    )
    .await;
    assert_refused(
        &app,
        &merchant(json!({"utc_offset": "PKT"})),
        "paypro.merchants[0].utc_offset",
        "not an offset",
    )
    .await;
    assert_refused(
        &app,
        &merchant(json!({"min_amount": "10.00", "max_amount": "5.00"})),
        "paypro.merchants[0].min_amount",
        "above max_amount",
    )
    .await;
    assert_refused(
        &app,
        &merchant(json!({"status_case": "lower"})),
        "paypro.merchants[0].status_case",
        "unknown variant",
    )
    .await;
    assert_refused(
        &app,
        &merchant(json!({"password": "  "})),
        "paypro.merchants[0].password",
        "must not be empty",
    )
    .await;
    assert_refused(
        &app,
        &json!({"aggrepay": {"merchants": [{"api_key": "x", "salt": "y", "fixed_otp": "12ab"}]}}),
        "aggrepay.merchants[0].fixed_otp",
        "not 6 digits",
    )
    .await;
    assert_refused(
        &app,
        &json!({"jaze": {"accounts": [{"api_token": "t"}]}}),
        "jaze.accounts[0]",
        "missing field `api_key`",
    )
    .await;
}

#[tokio::test]
async fn duplicate_ids_are_refused_inside_a_document_and_against_the_database() {
    let app = spawn_app().await;
    assert_refused(
        &app,
        &json!({"chillr": {"merchants": [{"api_key": "dup", "api_secret_key": "1"},
                                         {"api_key": "dup", "api_secret_key": "2"}]}}),
        "chillr.merchants[1].api_key",
        "duplicate api_key `dup`",
    )
    .await;
    assert_refused(
        &app,
        &json!({"chillr": {"merchants": [{"api_key": "5695d71a6368690df2030000", "api_secret_key": "x"}]}}),
        "chillr.merchants[0].api_key",
        "duplicate api_key `5695d71a6368690df2030000`",
    )
    .await;
    assert_refused(
        &app,
        &json!({"paypro": {"merchants": [{"username": "Other", "password": "p", "company_code": "0044"}]}}),
        "paypro.merchants[0]",
        "company_code `0044`",
    )
    .await;
}

#[tokio::test]
async fn a_document_with_one_bad_section_applies_none_of_the_others() {
    let app = spawn_app().await;
    assert_refused(
        &app,
        &json!({
            "chillr": {"merchants": [{"api_key": "fine", "api_secret_key": "fine"}]},
            "paypro": {"merchants": [{"username": "Fine", "password": "p", "company_code": "0202"}]},
            "jaze": {"accounts": [{"api_token": "t", "api_key": "k", "extra": 1}]}
        }),
        "jaze.accounts[0].extra",
        "unknown field `extra`",
    )
    .await;
}

#[tokio::test]
async fn text_that_is_not_a_document_is_refused() {
    let app = spawn_app().await;
    for (name, body, part) in [
        ("broken.json", "{\"chillr\": ", "not valid JSON"),
        ("broken.json", "[1, 2]", "not an array"),
        ("broken.yaml", "chillr: [unclosed", "not valid YAML"),
    ] {
        let response = app
            .post_text(&format!("/__sandbox/fixtures?name={name}"), body)
            .await;
        let (status, error) = status_and_json(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error["file"], name);
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(part), "{body}: {message}");
    }
    let invalid_utf8 = app
        .client
        .post(app.url("/__sandbox/fixtures"))
        .body(vec![0xff, 0xfe, b'{'])
        .send()
        .await
        .unwrap();
    let (status, error) = status_and_json(invalid_utf8).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["message"], "not UTF-8 text");
}

#[tokio::test]
async fn concurrent_loads_of_the_same_merchant_let_exactly_one_in() {
    let app = spawn_app().await;
    let document = json!({"aggrepay": {"merchants": [{"api_key": "racer", "salt": "s"}]}});
    let attempts = (0..16).map(|_| {
        let client = app.client.clone();
        let url = app.url("/__sandbox/fixtures");
        let document = document.clone();
        tokio::spawn(async move {
            client
                .post(url)
                .json(&document)
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let statuses = futures_join(attempts).await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::BAD_REQUEST)
    );
    let merchants = app.get_json("/__sandbox/state").await["aggrepay"]["merchants"].clone();
    assert_eq!(merchants.as_array().unwrap().len(), 2);
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn every_example_in_the_fixtures_folder_loads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let app = spawn_app().await;
        let response = app
            .client
            .post(app.url(&format!("/__sandbox/fixtures?name={name}")))
            .body(std::fs::read(&path).unwrap())
            .send()
            .await
            .unwrap();
        let (status, answer) = status_and_json(response).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {answer}");
        count += 1;
    }
    assert!(count >= 4, "one example per provider");
}
