//! The sandbox clock: set (frozen), advance by ISO-8601 duration or seconds, back to real.

use crate::helpers::{spawn_app, status_and_json};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_clock_starts_on_wall_time() {
    let app = spawn_app().await;
    let clock = app.get_json("/__sandbox/clock").await;
    assert_eq!(clock["frozen"], false);
    assert_eq!(clock["offset_seconds"], 0);
    let now = DateTime::parse_from_rfc3339(clock["now"].as_str().unwrap()).unwrap();
    assert!((Utc::now() - now.with_timezone(&Utc)).num_seconds().abs() < 60);
}

#[tokio::test]
async fn set_freezes_the_clock_in_the_offset_it_was_given() {
    let app = spawn_app().await;
    let (status, set) = status_and_json(
        app.post_json(
            "/__sandbox/clock",
            &json!({"set": "2026-01-31T23:59:00+05:30"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(set["now"], "2026-01-31T23:59:00+05:30");
    assert_eq!(set["frozen"], true);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(
        app.get_json("/__sandbox/clock").await["now"],
        "2026-01-31T23:59:00+05:30"
    );
}

#[tokio::test]
async fn advance_moves_a_frozen_clock_by_an_iso_duration_or_seconds() {
    let app = spawn_app().await;
    app.post_json(
        "/__sandbox/clock",
        &json!({"set": "2026-01-31T23:59:00+05:30"}),
    )
    .await;
    let (_, after) = status_and_json(
        app.post_json("/__sandbox/clock", &json!({"advance": "P1DT2H"}))
            .await,
    )
    .await;
    assert_eq!(after["now"], "2026-02-02T01:59:00+05:30");
    assert_eq!(after["frozen"], true);

    let (_, after) = status_and_json(
        app.post_json("/__sandbox/clock", &json!({"advance_seconds": 61}))
            .await,
    )
    .await;
    assert_eq!(after["now"], "2026-02-02T02:00:01+05:30");

    // A month is a calendar month in the clock's offset: Jan 31 + P1M is Feb 28.
    app.post_json(
        "/__sandbox/clock",
        &json!({"set": "2026-01-31T10:00:00+05:30"}),
    )
    .await;
    let (_, after) = status_and_json(
        app.post_json("/__sandbox/clock", &json!({"advance": "P1M"}))
            .await,
    )
    .await;
    assert_eq!(after["now"], "2026-02-28T10:00:00+05:30");
}

#[tokio::test]
async fn advance_on_a_running_clock_adds_an_offset_and_real_removes_it() {
    let app = spawn_app().await;
    let (_, after) = status_and_json(
        app.post_json("/__sandbox/clock", &json!({"advance": "PT1H"}))
            .await,
    )
    .await;
    assert_eq!(after["frozen"], false);
    assert_eq!(after["offset_seconds"], 3600);
    let now = DateTime::parse_from_rfc3339(after["now"].as_str().unwrap()).unwrap();
    let ahead = (now.with_timezone(&Utc) - Utc::now()).num_seconds();
    assert!((3500..3700).contains(&ahead), "{ahead}");

    let (_, real) = status_and_json(
        app.post_json("/__sandbox/clock", &json!({"real": true}))
            .await,
    )
    .await;
    assert_eq!(real["frozen"], false);
    assert_eq!(real["offset_seconds"], 0);
}

#[tokio::test]
async fn a_frozen_clock_goes_back_to_real_time() {
    let app = spawn_app().await;
    app.post_json("/__sandbox/clock", &json!({"set": "2001-01-01T00:00:00Z"}))
        .await;
    let (_, real) = status_and_json(
        app.post_json("/__sandbox/clock", &json!({"real": true}))
            .await,
    )
    .await;
    assert_eq!(real["frozen"], false);
    let now = DateTime::parse_from_rfc3339(real["now"].as_str().unwrap()).unwrap();
    assert!((Utc::now() - now.with_timezone(&Utc)).num_seconds().abs() < 60);
}

#[tokio::test]
async fn bad_clock_changes_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    app.post_json(
        "/__sandbox/clock",
        &json!({"set": "2026-05-01T12:00:00+05:00"}),
    )
    .await;
    let bad = [
        json!({"set": "31/01/2026"}),
        json!({"advance": "one day"}),
        json!({"advance": "P1D", "advance_seconds": 5}),
        json!({}),
        json!({"real": false}),
        json!({"rewind": "P1D"}),
        json!({"advance_seconds": "ten"}),
    ];
    for body in bad {
        let (status, error) = status_and_json(app.post_json("/__sandbox/clock", &body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            error["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
    }
    let not_json = app.post_text("/__sandbox/clock", "advance=P1D").await;
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get_json("/__sandbox/clock").await["now"],
        "2026-05-01T12:00:00+05:00"
    );
}

#[tokio::test]
async fn reset_puts_the_clock_back_on_wall_time() {
    let app = spawn_app().await;
    app.post_json("/__sandbox/clock", &json!({"set": "2001-01-01T00:00:00Z"}))
        .await;
    app.client
        .post(app.url("/__sandbox/reset"))
        .send()
        .await
        .unwrap();
    let clock = app.get_json("/__sandbox/clock").await;
    assert_eq!(clock["frozen"], false);
    assert_eq!(clock["offset_seconds"], 0);
}
