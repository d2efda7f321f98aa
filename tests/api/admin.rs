//! The optional admin token on the control plane.

use crate::helpers::{spawn_app, spawn_app_with};
use reqwest::StatusCode;

#[tokio::test]
async fn with_a_token_every_control_call_but_health_needs_it() {
    let app = spawn_app_with(|c| c.admin_token = Some("s3cret-token".into())).await;

    assert_eq!(app.get("/__sandbox/health").await.status(), StatusCode::OK);

    for path in [
        "/__sandbox/state",
        "/__sandbox/clock",
        "/__sandbox/requests",
        "/__sandbox/openapi.json",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            response.headers().get("www-authenticate").unwrap(),
            "Bearer",
            "{path}"
        );
    }
    let reset = app
        .client
        .post(app.url("/__sandbox/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), StatusCode::UNAUTHORIZED);

    let wrong = app
        .client
        .get(app.url("/__sandbox/state"))
        .bearer_auth("not-it")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    let right = app
        .client
        .get(app.url("/__sandbox/state"))
        .bearer_auth("s3cret-token")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_refused_control_call_changes_nothing() {
    let app = spawn_app_with(|c| c.admin_token = Some("t".into())).await;
    let refused = app
        .client
        .post(app.url("/__sandbox/clock"))
        .json(&serde_json::json!({"set": "2030-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let clock: serde_json::Value = app
        .client
        .get(app.url("/__sandbox/clock"))
        .bearer_auth("t")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(clock["frozen"], false);
}

#[tokio::test]
async fn without_a_token_the_control_plane_is_open() {
    let app = spawn_app().await;
    assert_eq!(app.get("/__sandbox/state").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_admin_token_does_not_guard_the_provider_apis() {
    let app = spawn_app_with(|c| c.admin_token = Some("t".into())).await;
    let response = app.post_text("/api/v5/echo", "hello").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "hello");
}
