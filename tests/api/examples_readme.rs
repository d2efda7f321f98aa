//! What the README's samples promise, where they used to mislead: the journal refuses an
//! unknown provider as the fault rules do; the clock after `{"real":true}`.

use crate::helpers::{spawn_app, status_and_json};
use reqwest::StatusCode;

#[tokio::test]
async fn the_journal_refuses_an_unknown_provider_naming_the_known_ones() {
    let app = spawn_app().await;
    let (status, answer) =
        status_and_json(app.get("/__sandbox/requests?provider=stripe").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    let message = answer["error"].as_str().unwrap();
    assert!(message.contains("`stripe`"), "{message}");
    for provider in ["chillr", "paypro", "aggrepay", "jaze"] {
        assert!(message.contains(provider), "{message}");
    }
    let (status, answer) =
        status_and_json(app.get("/__sandbox/requests?provider=paypro").await).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer.is_array());
}

#[tokio::test]
async fn the_clock_answers_in_utc_after_going_back_to_real_time() {
    let app = spawn_app().await;
    let set = app
        .post_json(
            "/__sandbox/clock",
            &serde_json::json!({"set": "2026-01-31T23:59:00+05:30"}),
        )
        .await;
    let (_, set) = status_and_json(set).await;
    assert_eq!(set["now"], "2026-01-31T23:59:00+05:30");
    let real = app
        .post_json("/__sandbox/clock", &serde_json::json!({"real": true}))
        .await;
    let (status, real) = status_and_json(real).await;
    assert_eq!(status, StatusCode::OK, "{real}");
    assert!(real["now"].as_str().unwrap().ends_with("+00:00"), "{real}");
    assert_eq!(real["offset_seconds"], 0);
    assert_eq!(real["frozen"], false);
}
