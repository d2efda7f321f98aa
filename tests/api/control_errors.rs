//! Every control-plane error is JSON `{"error": ...}`, axum's own rejections included.

use crate::helpers::{spawn_app, status_and_json};
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn rejections_and_wrong_methods_answer_json() {
    let app = spawn_app().await;
    let cases = [
        (
            Method::POST,
            "/__sandbox/reset?empty=225",
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            Method::POST,
            "/__sandbox/fixtures?name=a&name=b",
            StatusCode::BAD_REQUEST,
            "name",
        ),
        (
            Method::DELETE,
            "/__sandbox/faults/%FF",
            StatusCode::BAD_REQUEST,
            "UTF-8",
        ),
        (
            Method::DELETE,
            "/__sandbox/faults/abc",
            StatusCode::BAD_REQUEST,
            "not a rule id",
        ),
        (
            Method::POST,
            "/__sandbox/paypro/orders/%FF/pay",
            StatusCode::BAD_REQUEST,
            "UTF-8",
        ),
        (
            Method::GET,
            "/__sandbox/requests?limit=x",
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            Method::PUT,
            "/__sandbox/reset",
            StatusCode::METHOD_NOT_ALLOWED,
            "PUT is not a method of /__sandbox/reset",
        ),
        (
            Method::PATCH,
            "/__sandbox/chillr/users",
            StatusCode::METHOD_NOT_ALLOWED,
            "PATCH",
        ),
        (
            Method::GET,
            "/__sandbox/no-such-call",
            StatusCode::NOT_FOUND,
            "no such control call",
        ),
    ];
    for (method, path, expected, part) in cases {
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        let (status, body) = status_and_json(response).await;
        assert_eq!(status, expected, "{method} {path}: {body}");
        assert_eq!(content_type, "application/json", "{method} {path}");
        let message = body["error"].as_str().expect("an error message");
        assert!(
            message.contains(part),
            "{method} {path}: `{message}` lacks `{part}`"
        );
    }
}

#[tokio::test]
async fn a_wrong_method_keeps_the_allow_header() {
    let app = spawn_app().await;
    let response = app
        .client
        .put(app.url("/__sandbox/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");
}

#[tokio::test]
async fn advancing_the_clock_past_its_range_is_a_400_not_a_panic() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/__sandbox/clock",
            &serde_json::json!({"advance_seconds": 9_223_372_036_854_775_806_i64}),
        )
        .await;
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].as_str().unwrap().contains("advance_seconds"));
    assert_eq!(app.get_json("/__sandbox/clock").await["offset_seconds"], 0);
}
