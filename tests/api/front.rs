//! The front every request passes: prefixes and root aliases, provider envelopes for 404,
//! 405 and 413, panics turned into the provider's internal error, keep-alive and pipelining.

use crate::helpers::{spawn_app, spawn_app_with, status_and_json};
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn health_answers_ok_with_the_providers() {
    let app = spawn_app().await;
    let health = app.get_json("/__sandbox/health").await;
    assert_eq!(health["status"], "ok");
    assert_eq!(
        health["providers"],
        json!(["chillr", "paypro", "aggrepay", "jaze"])
    );
}

#[tokio::test]
async fn a_provider_route_answers_under_its_prefix_and_at_the_root() {
    let app = spawn_app().await;
    for path in ["/chillr/api/v5/echo", "/api/v5/echo"] {
        let response = app.post_text(path, "same handler").await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.text().await.unwrap(), "same handler");
    }
}

#[tokio::test]
async fn unknown_paths_answer_404_in_the_envelope_of_the_provider_they_name() {
    let app = spawn_app().await;
    let cases = [
        (
            "/chillr/api/v5/nothing",
            json!({"status": "failure", "status_code": 404, "message": "No endpoint at /chillr/api/v5/nothing"}),
        ),
        (
            "/api/v5/nothing",
            json!({"status": "failure", "status_code": 404, "message": "No endpoint at /api/v5/nothing"}),
        ),
        (
            "/paypro/cpay/nothing",
            json!([{"Status": "03"}, {"Description": "No endpoint at /paypro/cpay/nothing"}]),
        ),
        (
            "/cpay/nothing",
            json!([{"Status": "03"}, {"Description": "No endpoint at /cpay/nothing"}]),
        ),
        (
            "/aggrepay/api/v1/nothing",
            json!({"data": null, "error": {"code": "NOT-FOUND", "message": "No endpoint at /aggrepay/api/v1/nothing"}, "page": null, "hash": null}),
        ),
        // AggrePay and Jaze share /api/v1/ at the root: the endpoint name decides.
        (
            "/api/v1/debitwallet/x",
            json!({"data": null, "error": {"code": "NOT-FOUND", "message": "No endpoint at /api/v1/debitwallet/x"}, "page": null, "hash": null}),
        ),
        (
            "/jaze/api/v1/nothing",
            json!({"status": "failure", "errorCode": 404, "message": "No endpoint at /jaze/api/v1/nothing"}),
        ),
        (
            "/api/v1/get_payment_receipt/x/y/z",
            json!({"status": "failure", "errorCode": 404, "message": "No endpoint at /api/v1/get_payment_receipt/x/y/z"}),
        ),
        (
            "/api/v1/nothing",
            json!({"error": "No endpoint at /api/v1/nothing"}),
        ),
        ("/nothing", json!({"error": "No endpoint at /nothing"})),
    ];
    for (path, expected) in cases {
        let (status, body) = status_and_json(app.get(path).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body, expected, "{path}");
    }
    let (status, body) = status_and_json(app.get("/__sandbox/nothing").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"error": "no such control call"}));
}

#[tokio::test]
async fn a_wrong_method_answers_405_in_the_provider_envelope() {
    let app = spawn_app().await;
    let response = app.get("/chillr/api/v5/echo").await;
    assert_eq!(response.headers().get("allow").unwrap(), "POST");
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        body,
        json!({"status": "failure", "status_code": 405, "message": "Method GET is not allowed here"})
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_read_to_its_end_and_answered_413_in_the_envelope() {
    let app = spawn_app_with(|c| c.max_body = 1024).await;
    let big = "x".repeat(200_000);
    let (status, body) =
        status_and_json(app.post_text("/chillr/api/v5/echo", big.clone()).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["status"], "failure");
    assert_eq!(body["status_code"], 413);
    assert!(
        body["message"].as_str().unwrap().contains("200000 bytes"),
        "{body}"
    );

    let (status, body) = status_and_json(app.post_text("/cpay/co", big.clone()).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body[0], json!({"Status": "03"}));

    let (status, body) = status_and_json(app.post_text("/__sandbox/fixtures", big).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body["error"].is_string());

    // The connection was not reset: the same client goes on working.
    let ok = app.post_text("/api/v5/echo", "small").await;
    assert_eq!(ok.text().await.unwrap(), "small");
}

#[tokio::test]
async fn bodies_up_to_the_default_limit_reach_the_handler_whole() {
    let app = spawn_app().await;
    let three_mib = "y".repeat(3 * 1024 * 1024);
    let response = app.post_text("/api/v5/echo", three_mib.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap().len(), three_mib.len());
}

#[tokio::test]
async fn a_panic_becomes_the_providers_internal_error_and_the_server_goes_on() {
    let app = spawn_app().await;
    let (status, body) = status_and_json(app.post_text("/chillr/api/v5/panic", "").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"status": "failure", "status_code": 59, "message": "Internal server error"})
    );
    assert_eq!(app.get("/__sandbox/health").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn pipelined_requests_on_one_connection_are_answered_in_order() {
    let app = spawn_app().await;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .unwrap();
    let requests = "POST /api/v5/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst\
                    POST /chillr/api/v5/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n\
                    GET /__sandbox/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    stream.write_all(requests.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 3, "{answer}");
    let first = answer.find("first").expect("first echoed");
    let second = answer.find("second").expect("second echoed");
    let health = answer.find("\"status\":\"ok\"").expect("health answered");
    assert!(first < second && second < health, "{answer}");
}

#[tokio::test]
async fn the_openapi_document_describes_the_control_plane() {
    let app = spawn_app().await;
    let doc = app.get_json("/__sandbox/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/__sandbox/health",
        "/__sandbox/reset",
        "/__sandbox/fixtures",
        "/__sandbox/state",
        "/__sandbox/clock",
        "/__sandbox/requests",
        "/__sandbox/faults",
        "/__sandbox/faults/{id}",
        "/__sandbox/magic",
        "/__sandbox/openapi.json",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["FaultSpec"].is_object());
}

#[tokio::test]
async fn magic_values_are_listed_per_provider() {
    let app = spawn_app().await;
    let magic = app.get_json("/__sandbox/magic").await;
    let names: Vec<&String> = magic.as_object().unwrap().keys().collect();
    assert_eq!(names, ["chillr", "paypro", "aggrepay", "jaze"]);
    assert!(magic.as_object().unwrap().values().all(|v| v.is_array()));
}

#[tokio::test]
async fn repeated_and_trailing_slashes_reach_the_same_endpoint_and_the_journal_keeps_the_path_sent()
{
    let app = spawn_app().await;
    for path in [
        "//chillr/api/v5/echo/",
        "/chillr//api/v5//echo",
        "//api/v5/echo",
    ] {
        let response = app.post_text(path, "slashes").await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.text().await.unwrap(), "slashes", "{path}");
    }
    let journal = app.get_json("/__sandbox/requests?limit=1").await;
    assert_eq!(journal[0]["path"], "//api/v5/echo");
    assert_eq!(journal[0]["provider"], "chillr");
}
