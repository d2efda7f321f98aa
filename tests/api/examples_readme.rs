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
