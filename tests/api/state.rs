//! State: the default fixtures, export, reset (to the start state or to nothing), the
//! export → reset → load round trip, a fixtures folder at start, and a database file that
//! outlives the process.

use crate::helpers::{spawn_app, spawn_app_with, status_and_json};
use paysandbox::{Application, ServeArgs};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_fresh_sandbox_holds_the_documents_sample_credentials_first() {
    let app = spawn_app().await;
    let state = app.get_json("/__sandbox/state").await;
    assert_eq!(
        state["chillr"]["merchants"][0],
        json!({"api_key": "5695d71a6368690df2030000", "api_secret_key": "f333884a36ccfc54787e6d96eac5e3d3"})
    );
    let paypro = &state["paypro"]["merchants"];
    assert_eq!(
        (
            paypro[0]["username"].as_str(),
            paypro[0]["password"].as_str()
        ),
        (Some("PayPro"), Some("PayProi517"))
    );
    assert_eq!(
        (
            paypro[1]["username"].as_str(),
            paypro[1]["password"].as_str()
        ),
        (Some("PayProUser"), Some("Password"))
    );
    assert!(state["aggrepay"]["merchants"][0]["api_key"].is_string());
    assert!(state["jaze"]["accounts"][0]["api_token"].is_string());
}

#[tokio::test]
async fn the_export_is_deterministic() {
    let app = spawn_app().await;
    let first = app
        .client
        .get(app.url("/__sandbox/state"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let second = app
        .client
        .get(app.url("/__sandbox/state"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(first, second);
    assert!(!first.contains("exported_at"));
}

#[tokio::test]
async fn reset_returns_to_the_state_right_after_start() {
    let app = spawn_app().await;
    let at_start = app.get_json("/__sandbox/state").await;
    let extra = json!({"chillr": {"merchants": [{"api_key": "temp", "api_secret_key": "temp"}]}});
    assert_eq!(
        app.post_json("/__sandbox/fixtures", &extra).await.status(),
        StatusCode::CREATED
    );
    assert_ne!(app.get_json("/__sandbox/state").await, at_start);

    let (status, answer) = status_and_json(
        app.client
            .post(app.url("/__sandbox/reset"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer, json!({"reset": true, "empty": false}));
    assert_eq!(app.get_json("/__sandbox/state").await, at_start);
}

#[tokio::test]
async fn reset_with_empty_leaves_nothing() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/__sandbox/reset?empty=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let state = app.get_json("/__sandbox/state").await;
    let sections = state.as_object().unwrap();
    assert_eq!(
        sections.keys().collect::<Vec<_>>(),
        ["chillr", "paypro", "aggrepay", "jaze"]
    );
    for (name, section) in sections {
        for (list, records) in section.as_object().unwrap() {
            assert_eq!(records, &json!([]), "{name}.{list} is not empty");
        }
    }
    // The default merchants can be loaded again: nothing of them is left behind.
    let defaults: Value =
        serde_json::from_str(include_str!("../../fixtures/default.json")).unwrap();
    assert_eq!(
        app.post_json("/__sandbox/fixtures", &defaults)
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn export_reset_and_load_give_back_the_same_state() {
    let app = spawn_app().await;
    let scenario = json!({
        "paypro": {"merchants": [{"username": "Shop", "password": "pw", "company_code": "0777",
                                    "fee": "10.50", "utc_offset": "+04:00"}]},
        "aggrepay": {"merchants": [{"api_key": "k", "salt": "s", "limits": {"monthly_debit": "250.00"}}]}
    });
    app.post_json("/__sandbox/fixtures", &scenario).await;
    let exported = app.get_json("/__sandbox/state").await;

    app.client
        .post(app.url("/__sandbox/reset?empty=true"))
        .send()
        .await
        .unwrap();
    let (status, answer) =
        status_and_json(app.post_json("/__sandbox/fixtures", &exported).await).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(app.get_json("/__sandbox/state").await, exported);
}

#[tokio::test]
async fn a_fixtures_folder_replaces_the_defaults_and_is_what_reset_returns_to() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b-wallets.yaml"),
        "aggrepay:\n  merchants:\n    - api_key: yaml-wallet\n      salt: pepper\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a-collect.json"),
        r#"{"chillr": {"merchants": [{"api_key": "folder-key", "api_secret_key": "folder-secret"}]}}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a fixture").unwrap();
    let folder = dir.path().to_path_buf();
    let app = spawn_app_with(move |c| c.fixtures = Some(folder)).await;

    let state = app.get_json("/__sandbox/state").await;
    assert_eq!(
        state["chillr"]["merchants"],
        json!([{"api_key": "folder-key", "api_secret_key": "folder-secret"}])
    );
    assert_eq!(state["aggrepay"]["merchants"][0]["api_key"], "yaml-wallet");
    assert_eq!(
        state["paypro"]["merchants"],
        json!([]),
        "the defaults are not loaded"
    );

    app.client
        .post(app.url("/__sandbox/reset?empty=true"))
        .send()
        .await
        .unwrap();
    app.client
        .post(app.url("/__sandbox/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(app.get_json("/__sandbox/state").await, state);
}

#[tokio::test]
async fn a_bad_file_in_the_fixtures_folder_stops_the_start_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("good.json"),
        r#"{"chillr": {"merchants": []}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad.json"),
        r#"{"jaze": {"accounts": [{"api_token": "t", "api_key": "k", "secret": 1}]}}"#,
    )
    .unwrap();
    let mut config = ServeArgs::ephemeral();
    config.fixtures = Some(dir.path().to_path_buf());
    let error = match Application::build(config).await {
        Ok(_) => panic!("a bad fixture must stop the start"),
        Err(e) => e.to_string(),
    };
    assert!(error.contains("bad.json"), "{error}");
    assert!(error.contains("jaze.accounts[0]"), "{error}");
    assert!(error.contains("unknown field `secret`"), "{error}");
}

#[tokio::test]
async fn a_database_file_keeps_its_state_across_restarts_and_is_not_reseeded() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sandbox.db");
    let start = |file: std::path::PathBuf| async move {
        let mut config = ServeArgs::ephemeral();
        config.database = file.display().to_string();
        let app = Application::build(config).await.expect("starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        (base, stop, server)
    };
    let client = reqwest::Client::new();

    let (base, stop, server) = start(file.clone()).await;
    let extra = json!({"jaze": {"accounts": [{"api_token": "kept", "api_key": "k"}]}});
    let loaded = client
        .post(format!("{base}/__sandbox/fixtures"))
        .json(&extra)
        .send()
        .await
        .unwrap();
    assert_eq!(loaded.status(), StatusCode::CREATED);
    let before: Value = client
        .get(format!("{base}/__sandbox/state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();

    let (base, stop, server) = start(file).await;
    let after: Value = client
        .get(format!("{base}/__sandbox/state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after, before, "same state, defaults not loaded twice");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
