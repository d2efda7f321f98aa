//! Starts the real server on a free port (in-memory SQLite, default fixtures) and talks to
//! it over HTTP. Test-only routes can be mounted into a provider so the kernel's front
//! (journal, faults, limits, panics) can be driven before the providers have endpoints.

use axum::Router;
use axum::routing::post;
use paysandbox::state::{AppState, ExtraRoutes};
use paysandbox::{Application, ServeArgs};
use reqwest::{Response, StatusCode};
use serde_json::Value;

pub struct TestApp {
    pub base: String,
    pub port: u16,
    pub client: reqwest::Client,
}

/// A sandbox with the default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A sandbox whose settings the caller adjusts.
pub async fn spawn_app_with(configure: impl FnOnce(&mut ServeArgs)) -> TestApp {
    let mut config = ServeArgs::ephemeral();
    configure(&mut config);
    let app = Application::build_with_routes(config, test_routes())
        .await
        .expect("the sandbox starts");
    let port = app.port();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        port,
        client: reqwest::Client::new(),
    }
}

/// Test-only routes mounted into Chillr (so under `/chillr` and at the root `/api/v5/...`):
/// `POST /api/v5/echo` answers the body it got; `POST /api/v5/panic` panics;
/// `POST /api/v5/hold-writer` (body: milliseconds) takes the database's writer, answers once
/// it holds it, and lets it go after that long.
fn test_routes() -> ExtraRoutes {
    let routes: Router<AppState> = Router::new()
        .route("/api/v5/echo", post(|body: String| async move { body }))
        .route(
            "/api/v5/hold-writer",
            post(
                |axum::extract::State(state): axum::extract::State<AppState>, body: String| async move {
                    let ms: u64 = body.trim().parse().expect("milliseconds");
                    let (held, holding) = tokio::sync::oneshot::channel();
                    // On a thread of its own: held on one of the server's workers, the sleep
                    // could delay this very answer until the hold is over.
                    std::thread::spawn(move || {
                        let runtime = tokio::runtime::Builder::new_current_thread()
                            .build()
                            .expect("a runtime");
                        runtime.block_on(state.db.write(move |_| {
                            let _ = held.send(());
                            std::thread::sleep(std::time::Duration::from_millis(ms));
                            Ok::<(), paysandbox::db::DbError>(())
                        }))
                    });
                    holding.await.expect("the writer is held");
                    "held"
                },
            ),
        )
        .route(
            "/api/v5/panic",
            post(|| async {
                if true {
                    panic!("a deliberate test panic");
                }
                ""
            }),
        );
    vec![("chillr", routes)]
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("a response")
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.expect("a JSON body")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("a response")
    }

    pub async fn post_text(&self, path: &str, body: impl Into<String>) -> Response {
        self.client
            .post(self.url(path))
            .body(body.into())
            .send()
            .await
            .expect("a response")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.client
            .delete(self.url(path))
            .send()
            .await
            .expect("a response")
    }
}

/// The status and JSON body of a response.
pub async fn status_and_json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("a body");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, json)
}

/// The path of the built `paysandbox` binary, for tests of the command line.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_paysandbox")
}

/// The binary serving on a free port with JSON logs at info: the child, its log lines, and
/// the address it listens on (from its first line).
pub fn spawn_binary_with_json_logs() -> (
    std::process::Child,
    std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    String,
) {
    spawn_binary_with_json_logs_and(&[])
}

/// [`spawn_binary_with_json_logs`] with more command-line arguments.
pub fn spawn_binary_with_json_logs_and(
    more: &[&str],
) -> (
    std::process::Child,
    std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    String,
) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(binary())
        .args([
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--database",
            "sqlite::memory:",
        ])
        .args(["--log-format", "json"])
        .args(more)
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let started: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let address = started["address"].as_str().unwrap().to_string();
    (child, lines, address)
}
