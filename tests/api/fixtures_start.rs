//! Fixtures as documented: every example loads alone, on top of the defaults and as a start
//! folder (`--fixtures-mode replace|add`); a load answers and logs its counts per provider and
//! entity; a start that skips its fixtures because the database holds data says so; an empty
//! YAML file in a start folder stops the start naming it.

use crate::helpers::{TestApp, binary, spawn_app, spawn_app_with, status_and_json};
use paysandbox::config::FixturesMode;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples")
}

fn examples() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(path).unwrap())
        })
        .collect()
}

async fn post_fixture(app: &TestApp, name: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url(&format!("/__sandbox/fixtures?name={name}")))
        .body(body)
        .send()
        .await
        .unwrap();
    status_and_json(response).await
}

/// The keys that identify each example's own records, to find them in the state.
fn assert_every_example_is_in(state: &Value) {
    let has = |list: &Value, field: &str, value: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .any(|item| item[field] == value)
    };
    assert!(has(
        &state["chillr"]["merchants"],
        "api_key",
        "65a0c0ffee000000000000aa"
    ));
    assert!(has(
        &state["chillr"]["batches"],
        "name",
        "March maintenance"
    ));
    assert!(has(
        &state["aggrepay"]["merchants"],
        "api_key",
        "strict-wallet-key"
    ));
    assert!(has(&state["paypro"]["merchants"], "username", "CornerShop"));
    assert!(has(
        &state["jaze"]["accounts"],
        "api_token",
        "second-isp-token"
    ));
}

#[tokio::test]
async fn every_example_loads_alone_into_an_empty_sandbox_and_answers_its_counts() {
    let mut count = 0;
    for (name, body) in examples() {
        let app = spawn_app().await;
        let reset = app
            .client
            .post(app.url("/__sandbox/reset?empty=true"))
            .send()
            .await
            .unwrap();
        assert_eq!(reset.status(), StatusCode::OK);
        let (status, answer) = post_fixture(&app, &name, body).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {answer}");
        assert_eq!(answer["loaded"], name.as_str());
        assert!(
            answer["counts"].as_object().is_some_and(|c| !c.is_empty()),
            "{name}: {answer}"
        );
        count += 1;
    }
    assert!(count >= 5, "the examples are there");
}

#[tokio::test]
async fn a_load_answers_how_many_records_of_each_entity_it_loaded() {
    let app = spawn_app().await;
    let body = std::fs::read(examples_dir().join("chillr-batch-mid-way.yaml")).unwrap();
    let (status, answer) = post_fixture(&app, "chillr-batch-mid-way.yaml", body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(
        answer["counts"],
        json!({"chillr": {"batches": 1, "merchants": 1, "users": 3}})
    );

    let document = json!({
        "jaze": {"accounts": [
            {"api_token": "t1", "api_key": "k1"},
            {"api_token": "t2", "api_key": "k2"}
        ]},
        "paypro": {"merchants": [], "orders": []}
    });
    let response = app.post_json("/__sandbox/fixtures", &document).await;
    let (status, answer) = status_and_json(response).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(
        answer["counts"],
        json!({"jaze": {"accounts": 2}, "paypro": {"merchants": 0, "orders": 0}})
    );
}

#[tokio::test]
async fn the_examples_folder_starts_alone_in_replace_mode() {
    let app = spawn_app_with(|c| {
        c.fixtures = Some(examples_dir());
        c.fixtures_mode = FixturesMode::Replace;
    })
    .await;
    let state = app.get_json("/__sandbox/state").await;
    assert_every_example_is_in(&state);
    assert!(
        !state["chillr"]["merchants"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["api_key"] == "5695d71a6368690df2030000"),
        "replace leaves the defaults out"
    );
}

#[tokio::test]
async fn the_examples_folder_adds_to_the_defaults_in_add_mode() {
    let app = spawn_app_with(|c| {
        c.fixtures = Some(examples_dir());
        c.fixtures_mode = FixturesMode::Add;
    })
    .await;
    let state = app.get_json("/__sandbox/state").await;
    assert_every_example_is_in(&state);
    let default_merchant = state["chillr"]["merchants"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["api_key"] == "5695d71a6368690df2030000");
    assert!(default_merchant, "add keeps the defaults: {state}");
    // The documented credentials keep working beside the examples.
    let answer = app
        .client
        .get(app.url("/cpay/gos?userName=ConnectPay&password=p@ssw0rd&cpayId=00471910900006"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(answer.contains("\"00\""), "{answer}");
}

/// Starts the binary with `envs`, returns its first log line (the listening line, which
/// says what start-up did about fixtures), then stops it.
fn start_binary(envs: &[(&str, &str)]) -> String {
    let mut child = Command::new(binary())
        .args(["--port", "0", "--host", "127.0.0.1"])
        .envs(envs.iter().copied())
        .env("RUST_LOG", "info")
        .env("LOG_FORMAT", "text")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let listening = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    listening
}

#[test]
fn the_binary_starts_with_the_examples_folder_from_the_environment_and_logs_its_counts() {
    let dir = examples_dir();
    // In add mode the defaults' one merchant, user and batch come first.
    for (mode, chillr) in [
        ("add", "chillr batches=2 merchants=3 users=4"),
        ("replace", "chillr batches=1 merchants=2 users=3"),
    ] {
        let fixtures = start_binary(&[
            ("DATABASE_URL", "sqlite::memory:"),
            ("FIXTURES_DIR", dir.to_str().unwrap()),
            ("FIXTURES_MODE", mode),
        ]);
        assert!(fixtures.contains("paysandbox listening"), "{fixtures}");
        assert!(fixtures.contains("fixtures=loaded"), "{mode}: {fixtures}");
        assert!(fixtures.contains(chillr), "{mode}: {fixtures}");
        assert!(fixtures.contains("jaze accounts="), "{mode}: {fixtures}");
        assert_eq!(
            fixtures.contains("default.json"),
            mode == "add",
            "{mode}: {fixtures}"
        );
    }
}

#[test]
fn a_start_on_a_database_that_holds_data_logs_that_it_skipped_the_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kept.db");
    let database = database.to_str().unwrap();
    let first = start_binary(&[("DATABASE_URL", database)]);
    assert!(first.contains("fixtures=loaded default.json"), "{first}");
    let second = start_binary(&[("DATABASE_URL", database)]);
    assert!(
        second.contains("fixtures=skipped the default fixtures: the database already holds data"),
        "{second}"
    );
}

#[test]
fn an_empty_yaml_file_in_the_start_folder_stops_the_start_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blank.yaml"), "# nothing here yet\n").unwrap();
    let output = Command::new(binary())
        .args(["--port", "0", "--host", "127.0.0.1"])
        .args(["--database", "sqlite::memory:", "--fixtures-mode", "add"])
        .arg("--fixtures")
        .arg(dir.path())
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("blank.yaml"), "{stderr}");
    assert!(stderr.contains("the document is empty"), "{stderr}");
}
