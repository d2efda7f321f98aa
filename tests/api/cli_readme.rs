//! The README's command-line samples run verbatim, in order, against a sandbox just started.

use crate::cli_control::describe;
use crate::helpers::{binary, spawn_app};
use serde_json::json;
use std::path::Path;

/// The first `sh` block after the README's "## The command line" heading.
fn readme_samples() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let section = readme
        .split_once("\n## The command line\n")
        .expect("a command-line section")
        .1;
    let block = section.split_once("```sh\n").expect("an sh block").1;
    block
        .split_once("```")
        .expect("the block's end")
        .0
        .to_string()
}

#[tokio::test]
async fn the_readmes_command_line_samples_work_verbatim() {
    let app = spawn_app().await;
    let samples = readme_samples();
    assert!(samples.contains("paysandbox pay paypro"), "{samples}");
    // Run where the samples expect the repository's root, without writing into it.
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"),
        dir.path().join("fixtures"),
    )
    .unwrap();
    let bin_dir = Path::new(binary()).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let output = tokio::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", &samples])
        .current_dir(dir.path())
        .env("PATH", path)
        .env("PAYSANDBOX_URL", &app.base)
        .env_remove("ADMIN_TOKEN")
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", describe(&output));

    assert!(dir.path().join("state.json").is_file());
    let state = app.get_json("/__sandbox/state").await;
    let order = state["paypro"]["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["connectpay_id"] == "00392000100001")
        .cloned();
    assert_eq!(order.unwrap()["status"], "paid", "{state}");
    let batch = state["chillr"]["batches"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    let customer = batch["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["msisdn"] == "9812345671")
        .unwrap();
    assert_eq!(customer["payment_status"], "paid", "{batch}");
    assert_eq!(app.get_json("/__sandbox/faults").await, json!([]));
    assert_eq!(app.get_json("/__sandbox/clock").await["frozen"], false);
}
