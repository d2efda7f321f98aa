//! The binary: `--help`, the healthcheck subcommand, JSON logs with one line per request,
//! and a refused fixture stopping the start with exit code 1.

use crate::helpers::{binary, spawn_app};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn help_documents_every_setting_with_its_environment_variable() {
    let output = Command::new(binary()).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for (flag, env) in [
        ("--port", "PORT"),
        ("--host", "HOST"),
        ("--database", "DATABASE_URL"),
        ("--fixtures", "FIXTURES_DIR"),
        ("--admin-token", "ADMIN_TOKEN"),
        ("--max-body", "MAX_BODY"),
        ("--journal-limit", "JOURNAL_LIMIT"),
        ("--log-format", "LOG_FORMAT"),
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
        assert!(
            help.contains(&format!("[env: {env}")),
            "{env} missing from --help"
        );
    }
    assert!(help.contains("healthcheck"));
}

#[tokio::test]
async fn healthcheck_exits_0_when_the_sandbox_answers_and_1_when_it_does_not() {
    let app = spawn_app().await;
    let port = app.port.to_string();
    let up = tokio::process::Command::new(binary())
        .args(["healthcheck", "--port", &port])
        .status()
        .await
        .unwrap();
    assert!(up.success());
    let via_env = tokio::process::Command::new(binary())
        .arg("healthcheck")
        .env("PORT", &port)
        .status()
        .await
        .unwrap();
    assert!(via_env.success());

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let free_port = closed.local_addr().unwrap().port().to_string();
    drop(closed);
    let down = tokio::process::Command::new(binary())
        .args(["healthcheck", "--port", &free_port])
        .status()
        .await
        .unwrap();
    assert_eq!(down.code(), Some(1));
}

#[test]
fn the_server_logs_one_json_line_per_request() {
    let mut child = Command::new(binary())
        .args([
            "serve",
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--database",
            "sqlite::memory:",
            "--log-format",
            "json",
        ])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let address = started["address"]
        .as_str()
        .expect("the listening address is logged")
        .to_string();

    let status = blocking_get(&format!("http://{address}/__sandbox/health"));
    assert_eq!(status, 200);
    let line: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(line["method"], "GET");
    assert_eq!(line["path"], "/__sandbox/health");
    assert_eq!(line["status"], 200);
    assert!(line["duration_ms"].is_number());
}

#[test]
fn the_text_log_line_names_the_request_like_every_other_line() {
    let mut child = Command::new(binary())
        .args([
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--database",
            "sqlite::memory:",
        ])
        .args(["--log-format", "text"])
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = lines.next().unwrap().unwrap();
    let address = started.rsplit("address=").next().unwrap().to_string();
    assert_eq!(
        blocking_get(&format!("http://{address}/paypro/cpay/gos")),
        200
    );
    let line = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    // `2026-11-21T16:29:31.466173Z  INFO paysandbox::request: request method=GET ...`
    let (timestamp, rest) = line.split_once("  ").unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(timestamp).is_ok(),
        "{line}"
    );
    assert!(
        rest.starts_with(
            "INFO paysandbox::request: request method=GET path=\"/paypro/cpay/gos\" status=200 duration_ms="
        ),
        "{line}"
    );
    assert!(
        rest.contains(" provider=\"paypro\" endpoint=\"gos\""),
        "{line}"
    );
}

#[test]
fn lines_still_buffered_are_written_when_the_server_stops() {
    let (mut child, lines, address) = crate::helpers::spawn_binary_with_json_logs();
    assert_eq!(
        blocking_get(&format!("http://{address}/__sandbox/health")),
        200
    );
    // SIGTERM at once: the request's line may still be in the buffer.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let rest: Vec<serde_json::Value> = lines
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    assert!(child.wait().unwrap().success());
    assert!(
        rest.iter().any(|l| l["path"] == "/__sandbox/health"),
        "{rest:?}"
    );
    assert!(
        rest.iter().any(|l| l["message"] == "shutting down"),
        "{rest:?}"
    );
}

#[test]
fn a_refused_fixture_at_start_exits_1_with_the_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.json"),
        r#"{"paypro": {"merchants": [{"username": "u", "password": "p", "company_code": "12"}]}}"#,
    )
    .unwrap();
    let output = Command::new(binary())
        .args(["--port", "0", "--database", "sqlite::memory:", "--fixtures"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("broken.json: paypro.merchants[0].company_code: `12` is not 4 digits"),
        "{stderr}"
    );
}

/// A GET from a plain thread (the test is not async): the status code.
fn blocking_get(url: &str) -> u16 {
    let url = url.to_string();
    std::thread::spawn(move || {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async { reqwest::get(url).await.unwrap().status().as_u16() })
    })
    .join()
    .unwrap()
}
