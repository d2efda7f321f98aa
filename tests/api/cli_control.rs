//! The control-plane CLI, run as the real binary against a real server: `reset`, `state`,
//! `load` (progress of large files, refusals) and `clock`.

use crate::helpers::{TestApp, binary, spawn_app};
use serde_json::{Value, json};
use std::process::Output;

/// Runs `paysandbox <args>` against the sandbox at `url` (given by `PAYSANDBOX_URL`, no
/// admin token from the environment).
pub(crate) async fn cli_at(url: &str, args: &[&str]) -> Output {
    tokio::process::Command::new(binary())
        .args(args)
        .env("PAYSANDBOX_URL", url)
        .env_remove("ADMIN_TOKEN")
        .output()
        .await
        .expect("the binary runs")
}

/// Runs `paysandbox <args>` against this sandbox.
pub(crate) async fn cli(app: &TestApp, args: &[&str]) -> Output {
    cli_at(&app.base, args).await
}

/// Runs a command that must succeed; its stdout.
pub(crate) async fn cli_ok(app: &TestApp, args: &[&str]) -> String {
    let output = cli(app, args).await;
    assert!(output.status.success(), "{args:?}: {}", describe(&output));
    String::from_utf8(output.stdout).expect("UTF-8 stdout")
}

/// Runs a command that must succeed and print JSON; that JSON.
pub(crate) async fn cli_json(app: &TestApp, args: &[&str]) -> Value {
    let stdout = cli_ok(app, args).await;
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"))
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub(crate) fn describe(output: &Output) -> String {
    format!(
        "status {:?}, stdout {}, stderr {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        stderr(output)
    )
}

#[tokio::test]
async fn reset_clears_rules_and_clock_and_reset_empty_leaves_nothing() {
    let app = spawn_app().await;
    cli_ok(
        &app,
        &["faults", "add", "--provider", "jaze", "--kind", "drop"],
    )
    .await;
    cli_ok(&app, &["clock", "advance", "P1D"]).await;

    let answer = cli_json(&app, &["reset"]).await;
    assert_eq!(answer, json!({"reset": true, "empty": false}));
    assert_eq!(app.get_json("/__sandbox/faults").await, json!([]));
    assert_eq!(app.get_json("/__sandbox/clock").await["offset_seconds"], 0);
    let defaults = app.get_json("/__sandbox/state").await;
    assert!(
        !defaults["paypro"]["merchants"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let answer = cli_json(&app, &["reset", "--empty"]).await;
    assert_eq!(answer, json!({"reset": true, "empty": true}));
    let state = app.get_json("/__sandbox/state").await;
    assert_eq!(state["paypro"]["merchants"], json!([]), "{state}");
}

#[tokio::test]
async fn state_prints_the_document_and_out_writes_it_for_load_to_give_back() {
    let app = spawn_app().await;
    let expected = app.get_json("/__sandbox/state").await;
    assert_eq!(cli_json(&app, &["state"]).await, expected);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("saved.json");
    let file = file.to_str().unwrap();
    let output = cli(&app, &["state", "--out", file]).await;
    assert!(output.status.success(), "{}", describe(&output));
    assert!(output.stdout.is_empty(), "{}", describe(&output));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(written, expected);

    cli_ok(&app, &["reset", "--empty"]).await;
    let answer = cli_json(&app, &["load", file]).await;
    assert_eq!(answer["loaded"], "saved.json", "{answer}");
    assert_eq!(app.get_json("/__sandbox/state").await, expected);
}

#[tokio::test]
async fn load_sends_files_in_order_with_bytes_sent_of_large_ones_and_files_done() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    // A large file: a merchant, then 2 MiB of the whitespace JSON allows.
    let large = dir.path().join("large.json");
    let merchant = json!({"jaze": {"accounts": [
        {"api_token": "padded-token", "api_key": "padded-key", "name": "Padded ISP"}
    ]}});
    let text = format!("{}{}", merchant, " ".repeat(2 * 1024 * 1024));
    std::fs::write(&large, text).unwrap();
    let small = "fixtures/examples/paypro-shop.yaml";

    let output = cli(&app, &["load", large.to_str().unwrap(), small]).await;
    assert!(output.status.success(), "{}", describe(&output));
    let err = stderr(&output);
    assert!(
        err.contains("large.json: 2.0 MiB of 2.0 MiB sent (100%)"),
        "{err}"
    );
    assert!(err.contains("large.json loaded (1 of 2 files)"), "{err}");
    assert!(
        err.contains("paypro-shop.yaml loaded (2 of 2 files)"),
        "{err}"
    );
    assert!(
        !err.contains("paypro-shop.yaml: "),
        "small files show no bytes: {err}"
    );
    let answers = String::from_utf8(output.stdout).unwrap();
    assert!(answers.contains("\"loaded\": \"large.json\""), "{answers}");
    assert!(
        answers.contains("\"loaded\": \"paypro-shop.yaml\""),
        "{answers}"
    );

    let state = app.get_json("/__sandbox/state").await;
    assert!(state.to_string().contains("Padded ISP"), "{state}");
    assert!(state.to_string().contains("CornerShop"), "{state}");
}

#[tokio::test]
async fn load_stops_at_a_refused_file_with_the_sandboxs_message_and_exit_1() {
    let app = spawn_app().await;
    let before = app.get_json("/__sandbox/state").await;
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        r#"{"paypro": {"merchants": [{"username": "u", "password": "p", "company_code": "12"}]}}"#,
    )
    .unwrap();
    let never = "fixtures/examples/paypro-shop.yaml";

    let output = cli(&app, &["load", broken.to_str().unwrap(), never]).await;
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    assert!(
        err.contains("paysandbox load: the sandbox refused (400 Bad Request): fixture refused: broken.json: paypro.merchants[0].company_code: `12` is not 4 digits"),
        "{err}"
    );
    assert!(!err.contains("paypro-shop.yaml"), "{err}");
    assert_eq!(app.get_json("/__sandbox/state").await, before);
}

#[tokio::test]
async fn load_names_a_missing_file_before_loading_any_and_exits_2() {
    let app = spawn_app().await;
    let before = app.get_json("/__sandbox/state").await;
    let output = cli(
        &app,
        &["load", "fixtures/examples/paypro-shop.yaml", "no-such.json"],
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output).contains("cannot read no-such.json"),
        "{}",
        describe(&output)
    );
    assert_eq!(app.get_json("/__sandbox/state").await, before);
}

#[tokio::test]
async fn clock_sets_advances_shows_and_goes_back_to_real_time() {
    let app = spawn_app().await;
    let set = cli_json(&app, &["clock", "set", "2026-01-31T23:59:00+05:30"]).await;
    assert_eq!(set["now"], "2026-01-31T23:59:00+05:30");
    assert_eq!(set["frozen"], true);

    let advanced = cli_json(&app, &["clock", "advance", "P1D"]).await;
    assert_eq!(advanced["now"], "2026-02-01T23:59:00+05:30");
    assert_eq!(cli_json(&app, &["clock"]).await, advanced);
    assert_eq!(cli_json(&app, &["clock", "show"]).await, advanced);

    let real = cli_json(&app, &["clock", "real"]).await;
    assert_eq!(real["frozen"], false);
    assert_eq!(real["offset_seconds"], 0);
    assert_eq!(app.get_json("/__sandbox/clock").await["frozen"], false);
}

#[tokio::test]
async fn a_refused_clock_change_exits_1_with_the_sandboxs_message() {
    let app = spawn_app().await;
    let output = cli(&app, &["clock", "set", "tomorrow"]).await;
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains("paysandbox clock: the sandbox refused (400 Bad Request): set: `tomorrow` is not an RFC 3339 instant"),
        "{}",
        describe(&output)
    );
    assert_eq!(app.get_json("/__sandbox/clock").await["frozen"], false);
}
