//! Tenants on the control plane and at their edges: bad names answered 404 in the envelope of
//! the provider the rest of the path names, the tenant limit, `POST/GET/DELETE
//! /__sandbox/tenants` behind the admin token, and an idle in-memory tenant dropped.

use crate::helpers::{TestApp, spawn_app, spawn_app_with, status_and_json};
use crate::tenants::tenant;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The top-level shape of a JSON answer: an array's length and each element's keys, or an
/// object's keys.
fn shape(value: &Value) -> Vec<Vec<String>> {
    let keys = |v: &Value| {
        let mut keys: Vec<String> = v
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    };
    match value {
        Value::Array(items) => items.iter().map(keys).collect(),
        other => vec![keys(other)],
    }
}

#[tokio::test]
async fn bad_tenant_names_answer_404_in_the_envelope_of_the_provider_named_after_them() {
    let app = spawn_app().await;
    let long = "a".repeat(64);
    for provider_path in [
        "/paypro/cpay/co",
        "/cpay/co",
        "/chillr/api/v5/collect",
        "/aggrepay/api/v1/getbalance",
        "/jaze/api/v1/get_payment_receipt/2/7400",
    ] {
        // The provider's own 404, for the envelope's shape.
        let (_, own) =
            status_and_json(app.post_text(&format!("{provider_path}/nope"), "").await).await;
        for name in [long.as_str(), "Upper", "under_score", ""] {
            let path = format!("/t/{name}{provider_path}");
            let (status, body) = status_and_json(app.post_text(&path, "").await).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
            assert_eq!(shape(&body), shape(&own), "{path}: {body} vs {own}");
            assert!(body.to_string().contains("tenant name"), "{path}: {body}");
        }
    }
    let (status, body) = status_and_json(app.get("/t/No/__sandbox/health").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body["error"].as_str().unwrap().contains("tenant name"),
        "{body}"
    );
    // Nothing was created.
    assert_eq!(
        app.get_json("/__sandbox/tenants").await["tenants"],
        json!([])
    );
}

#[tokio::test]
async fn past_the_tenant_limit_a_new_tenant_is_answered_503_until_one_is_deleted() {
    let app = spawn_app_with(|c| c.max_tenants = 2).await;
    for name in ["one", "two"] {
        assert_eq!(
            tenant(&app, name).get("/__sandbox/health").await.status(),
            StatusCode::OK
        );
    }
    let third = tenant(&app, "three");
    let (status, body) = status_and_json(third.post_text("/paypro/cpay/co", "").await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body[0]["Status"], "03", "PayPro's envelope: {body}");
    assert!(body.to_string().contains("maximum of 2 tenants"), "{body}");
    let (status, body) = status_and_json(
        app.post_json("/__sandbox/tenants", &json!({"name": "three"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    // Existing tenants and the default one go on serving.
    assert_eq!(
        tenant(&app, "one").get("/__sandbox/health").await.status(),
        StatusCode::OK
    );
    assert_eq!(app.get("/__sandbox/health").await.status(), StatusCode::OK);

    assert_eq!(
        app.delete("/__sandbox/tenants/one").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        third.get("/__sandbox/health").await.status(),
        StatusCode::OK
    );
}

fn names(list: &Value) -> Vec<&str> {
    list["tenants"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn tenants_are_created_listed_and_deleted_on_the_default_control_plane() {
    let app = spawn_app().await;
    let fixtures =
        json!({"chillr": {"merchants": [{"api_key": "own-key", "api_secret_key": "own-secret"}]}});
    let (status, created) = status_and_json(
        app.post_json(
            "/__sandbox/tenants",
            &json!({"name": "ci-1", "fixtures": fixtures}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["name"], "ci-1");
    assert_eq!(created["storage"], "memory");
    assert!(created["size_bytes"].as_u64().unwrap() > 0);
    // Its state is the document only.
    let state = tenant(&app, "ci-1").get_json("/__sandbox/state").await;
    assert_eq!(
        state["chillr"]["merchants"][0]["api_key"], "own-key",
        "{state}"
    );
    assert_eq!(state["paypro"]["orders"], json!([]), "{state}");

    let (status, again) = status_and_json(
        app.post_json("/__sandbox/tenants", &json!({"name": "ci-1"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    for bad in [
        json!({"name": "CI"}),
        json!({"name": ""}),
        json!({}),
        json!({"name": "x", "fixtures": {"paypro": 7}}),
    ] {
        let (status, body) = status_and_json(app.post_json("/__sandbox/tenants", &bad).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    // First use creates one too.
    tenant(&app, "ci-2").get("/__sandbox/health").await;
    let list = app.get_json("/__sandbox/tenants").await;
    assert_eq!(names(&list), ["ci-1", "ci-2"], "{list}");
    for entry in list["tenants"].as_array().unwrap() {
        for field in ["created", "last_used", "idle_expires"] {
            assert!(entry[field].as_str().is_some(), "{field} in {entry}");
        }
        assert!(entry["size_bytes"].as_u64().unwrap() > 0);
    }
    assert_eq!(list["limit"], 100);
    assert_eq!(list["idle_seconds"], 3600);

    // Only the default tenant manages tenants.
    let (status, _) = status_and_json(tenant(&app, "ci-1").get("/__sandbox/tenants").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    assert_eq!(
        app.delete("/__sandbox/tenants/ci-1").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete("/__sandbox/tenants/ci-1").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(names(&app.get_json("/__sandbox/tenants").await), ["ci-2"]);
    // Used again, it starts afresh from the start fixtures.
    let fresh = tenant(&app, "ci-1").get_json("/__sandbox/state").await;
    assert_eq!(fresh, app.get_json("/__sandbox/state").await);
}

#[tokio::test]
async fn the_admin_token_guards_the_tenant_calls() {
    let app = spawn_app_with(|c| c.admin_token = Some("s3cret".into())).await;
    assert_eq!(
        app.get("/__sandbox/tenants").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let created = app
        .client
        .post(app.url("/__sandbox/tenants"))
        .bearer_auth("s3cret")
        .json(&json!({"name": "guarded"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    // A tenant's own control plane is guarded by the same token.
    let t = tenant(&app, "guarded");
    assert_eq!(
        t.get("/__sandbox/state").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

/// Polls the listing until `name` is gone (a generous bound, only so a failure cannot hang).
async fn gone(app: &TestApp, name: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if !names(&app.get_json("/__sandbox/tenants").await).contains(&name) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn an_idle_in_memory_tenant_is_dropped_and_starts_afresh() {
    let app = spawn_app_with(|c| c.tenant_idle = 1).await;
    let idle = tenant(&app, "idle");
    crate::paypro_orders::clock(&idle, json!({"set": "2040-01-01T00:00:00+00:00"})).await;
    let list = app.get_json("/__sandbox/tenants").await;
    assert_eq!(names(&list), ["idle"]);
    let expires = list["tenants"][0]["idle_expires"].as_str().unwrap();
    let last_used = list["tenants"][0]["last_used"].as_str().unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(expires).unwrap();
    let last_used = chrono::DateTime::parse_from_rfc3339(last_used).unwrap();
    assert_eq!((expires - last_used).num_seconds(), 1);

    assert!(gone(&app, "idle").await, "the idle tenant is still listed");
    assert_eq!(idle.get_json("/__sandbox/clock").await["offset_seconds"], 0);
}

/// The log says which in-memory tenant was dropped for being idle, and after how long.
#[test]
fn dropping_an_idle_tenant_is_logged() {
    let (mut child, lines, address) =
        crate::helpers::spawn_binary_with_json_logs_and(&["--tenant-idle", "1"]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let answer = reqwest::get(format!("http://{address}/t/idle-logged/__sandbox/clock"))
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
    });
    // The reaper checks four times per idle period; the line comes within seconds. A reader
    // thread hands lines over so a missing line fails the test instead of hanging it.
    let (send, receive) = std::sync::mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Ok(line) = serde_json::from_str::<Value>(&line)
                && send.send(line).is_err()
            {
                return;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let dropped = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match receive.recv_timeout(left) {
            Ok(line) if line["message"] == "in-memory tenant dropped after being idle" => {
                break Some(line);
            }
            Ok(_) => continue,
            Err(_) => break None,
        }
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let dropped = dropped.expect("a log line for the dropped tenant");
    assert_eq!(dropped["tenant"], "idle-logged", "{dropped}");
    assert_eq!(dropped["idle_seconds"], 1, "{dropped}");
}
