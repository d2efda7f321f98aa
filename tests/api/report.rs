//! `GET /__sandbox/report` and `paysandbox report`: every documented outcome per endpoint,
//! counted from the answers' own codes since the last reset (surviving journal eviction),
//! in JSON, JUnit and Markdown.

use crate::helpers::{TestApp, binary, spawn_app, spawn_app_with, status_and_json};
use quick_xml::Reader;
use quick_xml::events::Event;
use reqwest::StatusCode;
use serde_json::Value;

/// Sends a request and answers its id and the provider code its journal entry recorded.
async fn exercise(app: &TestApp, path: &str) -> (u64, String) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let id: u64 = response.headers()["x-sandbox-request-id"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let entry = app.get_json(&format!("/__sandbox/requests/{id}")).await;
    let code = entry["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code: {entry}"))
        .to_string();
    (id, code)
}

fn outcome<'a>(report: &'a Value, provider: &str, endpoint: &str, code: &str) -> &'a Value {
    let provider = report["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["provider"] == provider)
        .unwrap_or_else(|| panic!("no {provider} in {report}"));
    let endpoint = provider["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["endpoint"] == endpoint)
        .unwrap_or_else(|| panic!("no {endpoint} in {provider}"));
    endpoint["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .chain(endpoint["undocumented"].as_array().unwrap())
        .find(|o| o["code"] == code)
        .unwrap_or_else(|| panic!("no outcome {code} in {endpoint}"))
}

#[tokio::test]
async fn before_traffic_every_documented_outcome_is_unexercised() {
    let app = spawn_app().await;
    let response = app.get("/__sandbox/report").await;
    assert_eq!(response.headers()["x-sandbox-lint-findings"], "0");
    let report: Value = response.json().await.unwrap();
    let providers = report["providers"].as_array().unwrap();
    assert_eq!(providers.len(), 4);
    for provider in providers {
        assert!(
            provider["documented"].as_u64().unwrap() > 0,
            "{}",
            provider["provider"]
        );
        assert_eq!(provider["exercised"], 0);
        for endpoint in provider["endpoints"].as_array().unwrap() {
            assert!(
                !endpoint["outcomes"].as_array().unwrap().is_empty(),
                "{endpoint}"
            );
            for outcome in endpoint["outcomes"].as_array().unwrap() {
                assert_eq!(outcome["count"], 0);
                assert!(outcome["first_request"].is_null());
            }
        }
    }
    assert_eq!(report["lint"], serde_json::json!([]));
}

#[tokio::test]
async fn an_answer_is_counted_under_its_code_with_its_first_request_until_reset() {
    let app = spawn_app().await;
    let (first, code) = exercise(&app, "/paypro/cpay/gos").await;
    exercise(&app, "/paypro/cpay/gos").await;
    let report = app.get_json("/__sandbox/report?provider=paypro").await;
    assert_eq!(report["providers"].as_array().unwrap().len(), 1);
    let counted = outcome(&report, "paypro", "gos", &code);
    assert_eq!(counted["count"], 2);
    assert_eq!(counted["first_request"], first);
    assert!(report["providers"][0]["exercised"].as_u64().unwrap() >= 1);

    let later = (chrono::Utc::now() + chrono::Duration::days(400)).to_rfc3339();
    let url = format!(
        "/__sandbox/report?provider=paypro&since={}",
        urlencode(&later)
    );
    let since = app.get_json(&url).await;
    assert_eq!(outcome(&since, "paypro", "gos", &code)["count"], 0);

    assert!(
        app.post_json("/__sandbox/reset", &serde_json::json!({}))
            .await
            .status()
            .is_success()
    );
    let report = app.get_json("/__sandbox/report?provider=paypro").await;
    assert_eq!(outcome(&report, "paypro", "gos", &code)["count"], 0);
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn the_counters_survive_the_journal_forgetting_the_requests() {
    let app = spawn_app_with(|c| c.journal_limit = 1).await;
    let (first, code) = exercise(&app, "/paypro/cpay/gos").await;
    for _ in 0..3 {
        exercise(&app, "/paypro/cpay/gos").await;
    }
    assert_eq!(
        app.get(&format!("/__sandbox/requests/{first}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let report = app.get_json("/__sandbox/report").await;
    let counted = outcome(&report, "paypro", "gos", &code);
    assert_eq!(counted["count"], 4);
    assert_eq!(counted["first_request"], first);
}

#[tokio::test]
async fn a_refusal_before_the_endpoint_is_listed_as_undocumented() {
    let app = spawn_app().await;
    let response = app
        .client
        .delete(app.url("/aggrepay/api/v1/fetchbalance"))
        .send()
        .await
        .unwrap();
    let id: u64 = response.headers()["x-sandbox-request-id"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let report = app.get_json("/__sandbox/report?provider=aggrepay").await;
    let counted = outcome(&report, "aggrepay", "fetchbalance", "405");
    assert_eq!(counted["count"], 1);
    assert_eq!(counted["first_request"], id);
    assert_eq!(counted["meaning"], "not in the document for this endpoint");
}

#[tokio::test]
async fn the_junit_report_is_xml_with_a_suite_per_provider_and_skipped_unexercised_cases() {
    let app = spawn_app().await;
    exercise(&app, "/paypro/cpay/gos").await;
    let response = app.get("/__sandbox/report?format=junit").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let xml = response.text().await.unwrap();
    let mut reader = Reader::from_str(&xml);
    let (mut suites, mut cases, mut skipped) = (Vec::new(), 0, 0);
    let mut exercised_note = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.name().0 {
                "testsuite" => suites.push(
                    e.try_get_attribute("name")
                        .unwrap()
                        .unwrap()
                        .value
                        .to_string(),
                ),
                "testcase" => cases += 1,
                "skipped" => skipped += 1,
                _ => {}
            },
            Ok(Event::Text(t)) => {
                exercised_note |= AsRef::<str>::as_ref(&t).contains("exercised 1 time(s)");
            }
            Ok(Event::Eof) => break,
            Err(e) => panic!(
                "not well-formed XML at {}: {e}\n{xml}",
                reader.buffer_position()
            ),
            _ => {}
        }
    }
    assert_eq!(suites, ["chillr", "paypro", "aggrepay", "jaze"]);
    assert!(
        cases > skipped && skipped > 0,
        "{cases} cases, {skipped} skipped"
    );
    assert!(exercised_note, "{xml}");
}

#[tokio::test]
async fn the_markdown_report_has_a_table_per_provider() {
    let app = spawn_app().await;
    let (id, code) = exercise(&app, "/paypro/cpay/gos").await;
    let response = app
        .get("/__sandbox/report?format=markdown&provider=paypro")
        .await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    let text = response.text().await.unwrap();
    assert!(text.contains("## paypro: "), "{text}");
    assert!(text.contains(&format!("| gos | `{code}` |")), "{text}");
    assert!(text.contains(&format!("| 1 | {id} |")), "{text}");
    assert!(text.contains("not exercised"), "{text}");
    assert!(!text.contains("## chillr"), "{text}");
}

#[tokio::test]
async fn a_bad_format_or_provider_is_a_json_400() {
    let app = spawn_app().await;
    for query in ["format=pdf", "provider=stripe", "since=yesterday"] {
        let (status, body) =
            status_and_json(app.get(&format!("/__sandbox/report?{query}")).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(body["error"].is_string(), "{query}: {body}");
    }
}

#[tokio::test]
async fn the_cli_prints_the_report_and_fails_only_when_asked_and_unreachable() {
    let app = spawn_app().await;
    exercise(&app, "/paypro/cpay/gos").await;
    let url = format!("http://127.0.0.1:{}", app.port);
    let junit = tokio::process::Command::new(binary())
        .args([
            "report",
            "--url",
            &url,
            "--format",
            "junit",
            "--fail-on",
            "lint",
        ])
        .output()
        .await
        .unwrap();
    assert!(
        junit.status.success(),
        "{}",
        String::from_utf8_lossy(&junit.stderr)
    );
    let text = String::from_utf8(junit.stdout).unwrap();
    assert!(text.starts_with("<?xml"), "{text}");
    assert!(text.contains("testsuite name=\"paypro\""), "{text}");

    let markdown = tokio::process::Command::new(binary())
        .args(["report", "--url", &url, "--provider", "jaze"])
        .output()
        .await
        .unwrap();
    assert!(markdown.status.success());
    assert!(
        String::from_utf8(markdown.stdout)
            .unwrap()
            .contains("## jaze: 0 of ")
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let free = closed.local_addr().unwrap().port();
    drop(closed);
    let down = tokio::process::Command::new(binary())
        .args(["report", "--url", &format!("http://127.0.0.1:{free}")])
        .output()
        .await
        .unwrap();
    assert_eq!(down.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&down.stderr).contains("cannot reach"));
}

/// `report` finds the sandbox and its token as the control-plane commands do: `PAYSANDBOX_URL`
/// and `--token`.
#[tokio::test]
async fn the_report_command_takes_the_url_variable_and_the_token_flag() {
    let app = spawn_app_with(|config| config.admin_token = Some("s3cret".into())).await;
    let url = format!("http://127.0.0.1:{}", app.port);
    let report = tokio::process::Command::new(binary())
        .args(["report", "--format", "json", "--token", "s3cret"])
        .env("PAYSANDBOX_URL", &url)
        .env_remove("ADMIN_TOKEN")
        .output()
        .await
        .unwrap();
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let body: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(
        body["providers"].as_array().map(Vec::len),
        Some(4),
        "{body}"
    );
}
