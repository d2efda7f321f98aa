//! The control-plane CLI, run as the real binary against a real server: `requests` with its
//! filters, `faults`, `pay`, the admin token, and a sandbox that is not there.

use crate::chillr_lifecycle::{self, USER};
use crate::cli_control::{cli, cli_at, cli_json, cli_ok, describe, stderr};
use crate::helpers::{binary, spawn_app, spawn_app_with};
use crate::paypro_orders;
use serde_json::json;

#[tokio::test]
async fn requests_lists_the_journal_filtered_by_provider_path_code_and_limit() {
    let app = spawn_app().await;
    assert_eq!(app.get("/paypro/cpay/gos").await.status(), 200);
    assert_eq!(app.get("/paypro/cpay/nothing-here").await.status(), 404);
    assert_eq!(app.get("/jaze/api/nothing-here").await.status(), 404);

    let all = cli_json(&app, &["requests"]).await;
    assert_eq!(all.as_array().unwrap().len(), 3, "{all}");

    let paypro = cli_json(&app, &["requests", "--provider", "paypro"]).await;
    let paths: Vec<&str> = paypro
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/paypro/cpay/nothing-here", "/paypro/cpay/gos"]);

    let not_found = cli_json(&app, &["requests", "--code", "404"]).await;
    assert_eq!(not_found.as_array().unwrap().len(), 2, "{not_found}");
    assert!(
        not_found
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["response"]["status"] == 404),
        "{not_found}"
    );

    let gos = cli_json(&app, &["requests", "--path", "gos"]).await;
    assert_eq!(gos[0]["path"], "/paypro/cpay/gos", "{gos}");
    assert_eq!(gos.as_array().unwrap().len(), 1, "{gos}");

    let newest = cli_json(&app, &["requests", "--limit", "1"]).await;
    assert_eq!(newest.as_array().unwrap().len(), 1, "{newest}");
    assert_eq!(newest[0]["path"], "/jaze/api/nothing-here", "{newest}");

    let later = cli_json(&app, &["requests", "--since", "2999-01-01T00:00:00Z"]).await;
    assert_eq!(later, json!([]));
}

#[tokio::test]
async fn the_journal_filters_by_a_providers_result_code() {
    let app = spawn_app().await;
    // A gos without credentials: PayPro's refusal carries its own result code.
    assert_eq!(app.get("/paypro/cpay/gos").await.status(), 200);
    let entry = &app.get_json("/__sandbox/requests").await[0];
    let code = entry["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code: {entry}"))
        .to_string();
    assert_eq!(app.get("/jaze/api/nothing-here").await.status(), 404);

    let matching = cli_json(&app, &["requests", "--code", &code]).await;
    assert_eq!(matching.as_array().unwrap().len(), 1, "{matching}");
    assert_eq!(matching[0]["path"], "/paypro/cpay/gos");
    assert_eq!(
        cli_json(&app, &["requests", "--code", "no-such"]).await,
        json!([])
    );
}

#[tokio::test]
async fn faults_add_list_remove_and_clear() {
    let app = spawn_app().await;
    let rule = cli_json(
        &app,
        &[
            "faults",
            "add",
            "--provider",
            "paypro",
            "--endpoint",
            "gos",
            "--kind",
            "latency",
            "--latency-ms",
            "5,10",
            "--count",
            "2",
            "--seed",
            "7",
        ],
    )
    .await;
    assert_eq!(rule["provider"], "paypro");
    assert_eq!(rule["endpoint"], "gos");
    assert_eq!(rule["kind"], "latency");
    assert_eq!(rule["latency_ms"], json!([5, 10]));
    assert_eq!(rule["count"], 2);
    assert_eq!(rule["seed"], 7);
    let error = cli_json(
        &app,
        &[
            "faults",
            "add",
            "--provider",
            "jaze",
            "--kind",
            "error",
            "--status",
            "503",
        ],
    )
    .await;
    assert_eq!(error["status"], 503);

    let listed = cli_json(&app, &["faults", "list"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    assert_eq!(app.get_json("/__sandbox/faults").await, listed);

    let id = rule["id"].to_string();
    assert_eq!(cli_ok(&app, &["faults", "remove", &id]).await, "");
    let left = app.get_json("/__sandbox/faults").await;
    assert_eq!(left.as_array().unwrap().len(), 1, "{left}");
    assert_eq!(left[0]["provider"], "jaze");

    assert_eq!(cli_ok(&app, &["faults", "clear"]).await, "");
    assert_eq!(app.get_json("/__sandbox/faults").await, json!([]));
}

#[tokio::test]
async fn a_refused_fault_rule_exits_1_with_the_sandboxs_message_and_adds_nothing() {
    let app = spawn_app().await;
    let output = cli(
        &app,
        &[
            "faults",
            "add",
            "--provider",
            "paypro",
            "--endpoint",
            "nope",
            "--kind",
            "drop",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    assert!(
        err.starts_with("paysandbox faults: the sandbox refused (400 Bad Request): "),
        "{err}"
    );
    assert!(err.contains("nope"), "{err}");
    assert!(err.contains("gos"), "the endpoint names are listed: {err}");

    let output = cli(&app, &["faults", "remove", "99"]).await;
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains("(404 Not Found): no fault rule 99"),
        "{}",
        describe(&output)
    );
    assert_eq!(app.get_json("/__sandbox/faults").await, json!([]));
}

#[tokio::test]
async fn a_latency_that_is_not_milliseconds_is_named_before_any_call() {
    let app = spawn_app().await;
    let output = cli(
        &app,
        &[
            "faults",
            "add",
            "--provider",
            "jaze",
            "--kind",
            "latency",
            "--latency-ms",
            "fast",
        ],
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output)
            .contains("--latency-ms `fast` is not milliseconds (250) or MIN,MAX (100,500)"),
        "{}",
        describe(&output)
    );
    assert_eq!(app.get_json("/__sandbox/faults").await, json!([]));
}

#[tokio::test]
async fn pay_paypro_pays_an_order_and_refuses_a_paid_one() {
    let app = spawn_app().await;
    paypro_orders::freeze(&app).await;
    let cpay_id = paypro_orders::create_id(&app, paypro_orders::order("CLI-1")).await;

    let paid = cli_json(&app, &["pay", "paypro", &cpay_id]).await;
    assert_eq!(paid["ConnectPayId"], cpay_id.as_str(), "{paid}");
    assert_eq!(paid["OrderStatus"], "Paid", "{paid}");

    let again = cli(&app, &["pay", "paypro", &cpay_id]).await;
    assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
    assert!(
        stderr(&again).contains("(409 Conflict): the order is Paid and cannot be paid"),
        "{}",
        describe(&again)
    );
}

#[tokio::test]
async fn pay_chillr_pays_a_customers_collect_request() {
    let app = spawn_app().await;
    chillr_lifecycle::freeze(&app).await;
    let batch_id = chillr_lifecycle::create(&app, json!([{"msisdn": USER, "amount": "200"}])).await;

    let view = cli_json(&app, &["pay", "chillr", &batch_id, USER]).await;
    assert_eq!(
        chillr_lifecycle::customer(&view, USER)["payment_status"],
        "paid",
        "{view}"
    );
    let stored = chillr_lifecycle::status(&app, &batch_id).await;
    assert_eq!(
        chillr_lifecycle::customer(&stored, USER)["payment_status"],
        "paid"
    );

    let unknown = cli(&app, &["pay", "chillr", &batch_id, "9000000009"]).await;
    assert_eq!(unknown.status.code(), Some(1), "{}", describe(&unknown));
    assert!(
        stderr(&unknown).contains("(404 Not Found)"),
        "{}",
        describe(&unknown)
    );
}

#[tokio::test]
async fn the_admin_token_comes_from_the_flag_or_the_servers_variable() {
    let app = spawn_app_with(|c| c.admin_token = Some("s3cret".into())).await;
    let refused = cli(&app, &["faults", "list"]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", describe(&refused));
    assert!(
        stderr(&refused).contains(
            "(401 Unauthorized): this call needs Authorization: Bearer <admin token> (give it with --token or ADMIN_TOKEN)"
        ),
        "{}",
        describe(&refused)
    );

    assert_eq!(
        cli_json(&app, &["faults", "list", "--token", "s3cret"]).await,
        json!([])
    );
    let via_env = tokio::process::Command::new(binary())
        .args(["clock", "--url", &app.base])
        .env("ADMIN_TOKEN", "s3cret")
        .output()
        .await
        .unwrap();
    assert!(via_env.status.success(), "{}", describe(&via_env));
}

#[tokio::test]
async fn every_command_says_when_the_sandbox_is_not_there_and_exits_2() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let expected =
        format!("cannot reach the sandbox at {url}: connection refused — is it running?");
    for args in [
        &["reset"][..],
        &["state"],
        &["load", "fixtures/examples/paypro-shop.yaml"],
        &["clock", "advance", "P1D"],
        &["requests"],
        &["faults", "list"],
        &["pay", "paypro", "123"],
        &["pay", "chillr", "b", "9447741462"],
    ] {
        let output = cli_at(&url, args).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            describe(&output)
        );
        let err = stderr(&output);
        assert!(
            err.starts_with(&format!("paysandbox {}: {expected}", args[0])),
            "{args:?}: {err}"
        );
    }
}

#[tokio::test]
async fn a_url_that_is_not_plain_http_is_named() {
    let output = cli_at("https://example.test", &["reset"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output).contains("--url `https://example.test` is not plain http://"),
        "{}",
        describe(&output)
    );
}

#[test]
fn help_lists_the_control_commands_and_the_url_variable() {
    let output = std::process::Command::new(binary())
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for command in [
        "reset", "state", "load", "clock", "requests", "faults", "pay",
    ] {
        assert!(
            help.contains(&format!("\n  {command} ")),
            "{command}: {help}"
        );
    }
    let pay = std::process::Command::new(binary())
        .args(["pay", "chillr", "--help"])
        .output()
        .unwrap();
    let pay = String::from_utf8(pay.stdout).unwrap();
    assert!(pay.contains("<BATCH> <MSISDN>"), "{pay}");
    assert!(pay.contains("[env: PAYSANDBOX_URL"), "{pay}");
    assert!(pay.contains("[default: http://localhost:8080]"), "{pay}");
}
