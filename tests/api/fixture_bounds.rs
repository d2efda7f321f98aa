//! The bounds on a fixture document (size of a posted one, depth, alias expansion) and the empty
//! document: each is refused whole with a JSON 400 naming the problem, and changes nothing.

use crate::helpers::{TestApp, spawn_app, spawn_app_with, status_and_json};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// Posts a YAML document; a generous bound keeps a regression from hanging the suite.
async fn post_yaml(app: &TestApp, body: String) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url("/__sandbox/fixtures"))
        .header("content-type", "application/yaml")
        .timeout(Duration::from_secs(120))
        .body(body)
        .send()
        .await
        .expect("an answer before the bound");
    status_and_json(response).await
}

async fn post_json_text(app: &TestApp, body: String) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url("/__sandbox/fixtures?name=big.json"))
        .header("content-type", "application/json")
        .timeout(Duration::from_secs(120))
        .body(body)
        .send()
        .await
        .expect("an answer before the bound");
    status_and_json(response).await
}

fn assert_refused_with(status: StatusCode, answer: &Value, message_part: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["error"], "fixture refused", "{answer}");
    let message = answer["message"].as_str().expect("a message");
    assert!(
        message.contains(message_part),
        "`{message}` lacks `{message_part}`"
    );
}

#[tokio::test]
async fn a_deeply_nested_yaml_document_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let before = app.get_json("/__sandbox/state").await;
    // 400 KB of `{a: `: quadratic for libyaml's scanner when not stopped early.
    let (status, answer) = post_yaml(&app, "{a: ".repeat(100_000)).await;
    assert_refused_with(status, &answer, "nested deeper than 64 levels");
    let block: String = (0..200)
        .map(|i| format!("{}a:\n", "  ".repeat(i)))
        .collect();
    let (status, answer) = post_yaml(&app, block).await;
    assert_refused_with(status, &answer, "nested deeper than 64 levels (line 65)");
    let (status, answer) = post_yaml(&app, format!("{}x\n", "- ".repeat(500))).await;
    assert_refused_with(status, &answer, "nested deeper than 64 levels");
    assert_eq!(app.get_json("/__sandbox/state").await, before);
}

#[tokio::test]
async fn a_deeply_nested_json_document_is_refused() {
    let app = spawn_app().await;
    let deep = format!("{}1{}", "{\"a\":".repeat(65), "}".repeat(65));
    let (status, answer) = post_json_text(&app, deep).await;
    assert_refused_with(status, &answer, "nested deeper than 64 levels");
    // 64 levels pass the bound (and are then refused for their content).
    let fits = format!("{}1{}", "{\"a\":".repeat(64), "}".repeat(64));
    let (status, answer) = post_json_text(&app, fits).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["path"], "a", "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("unknown section")
    );
}

#[tokio::test]
async fn yaml_aliases_that_expand_past_twice_the_document_are_refused() {
    let app = spawn_app().await;
    let laughs = format!(
        "a: &a [{}]\nb: [{}]\n",
        "x,".repeat(20_000),
        "*a,".repeat(20_000)
    );
    let (status, answer) = post_yaml(&app, laughs).await;
    assert_refused_with(status, &answer, "aliases expand the document");

    let nested = "a: &a [x, x, x, x, x, x, x, x, x, x]\n\
                  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n\
                  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n\
                  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    let (status, answer) = post_yaml(&app, nested.into()).await;
    assert_refused_with(status, &answer, "aliases expand the document");
}

#[tokio::test]
async fn ordinary_yaml_anchors_still_load() {
    let app = spawn_app().await;
    let yaml = "aggrepay:\n  merchants:\n\
                \x20   - {api_key: a1, salt: s1, limits: &strict {max_balance: \"500.00\"}}\n\
                \x20   - {api_key: a2, salt: s2, limits: *strict}\n";
    let (status, answer) = post_yaml(&app, yaml.into()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let state = app.get_json("/__sandbox/state").await;
    let merchants = state["aggrepay"]["merchants"].as_array().unwrap();
    let limits: Vec<&Value> = merchants[merchants.len() - 2..]
        .iter()
        .map(|m| &m["limits"]["max_balance"])
        .collect();
    assert_eq!(limits, [&Value::from("500.00"), &Value::from("500.00")]);
}

#[tokio::test]
async fn a_document_over_the_body_limit_is_refused_before_parsing() {
    let app = spawn_app_with(|c| c.max_body = 1024 * 1024).await;
    let big = format!("{{\"chillr\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let (status, answer) = post_json_text(&app, big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.contains("over the sandbox's limit")),
        "{answer}"
    );
}

#[tokio::test]
async fn a_fixture_file_larger_than_the_body_limit_loads_at_start() {
    // Files read at start are the operator's own: a large scenario (here ~20 MB of Chillr
    // merchants, over the default 16 MiB body limit) loads whole.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let padding = "k".repeat(200);
    let merchants: Vec<Value> = (0..80_000)
        .map(|i| {
            serde_json::json!({
                "api_key": format!("{i:06}-{padding}"),
                "api_secret_key": format!("{i:032x}"),
            })
        })
        .collect();
    let text = serde_json::to_string(&serde_json::json!({"chillr": {"merchants": merchants}}))
        .expect("a document");
    assert!(text.len() > 16 * 1024 * 1024, "{}", text.len());
    std::fs::write(dir.path().join("big.json"), text).expect("written");
    let path = dir.path().to_str().expect("a UTF-8 path").to_string();
    let app = spawn_app_with(|c| c.fixtures = Some(path.into())).await;
    let state = app.get_json("/__sandbox/state").await;
    assert_eq!(
        state["chillr"]["merchants"].as_array().map(Vec::len),
        Some(80_000)
    );
}

#[tokio::test]
async fn an_empty_yaml_document_is_refused() {
    let app = spawn_app().await;
    for empty in ["", "   \n", "# only a comment\n", "---\n", "null\n"] {
        let (status, answer) = post_yaml(&app, empty.into()).await;
        assert_refused_with(status, &answer, "the document is empty");
    }
    let (status, answer) = post_yaml(&app, "{}".into()).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "an explicit empty object loads nothing: {answer}"
    );
}

/// The test runtime has one thread, shared by the server and this client: a parse on it
/// would hold every other request until the fixture is answered.
#[tokio::test]
async fn other_calls_are_answered_while_a_large_document_is_parsed() {
    let app = spawn_app().await;
    let merchants: String = (0..20_000)
        .map(|i| format!("    - api_key: big-{i:06}-key-padding-padding\n      api_secret_key: s-{i:06}-padding-padding\n"))
        .collect();
    let yaml = format!("chillr:\n  merchants:\n{merchants}");
    let post = post_yaml(&app, yaml);
    tokio::pin!(post);
    let health = async {
        // Give the upload a head start, so the parse is under way when health is asked.
        tokio::time::sleep(Duration::from_millis(200)).await;
        app.get("/__sandbox/health").await.status()
    };
    tokio::select! {
        biased;
        (status, answer) = &mut post => panic!("the fixture ({status} {answer}) was answered before health"),
        status = health => assert_eq!(status, StatusCode::OK),
    }
    let (status, answer) = post.await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}
