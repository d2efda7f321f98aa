//! Bare axum: one catch-all route answering the canned body of `bench/canned.json` (compiled
//! in) for any method and path. `bench-baseline <port>`; answers until killed.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::serve::ListenerExt;

const CANNED: &str = include_str!("../../canned.json");

async fn canned() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], CANNED)
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(18081);
    let app = Router::new().fallback(canned);
    // TCP_NODELAY like paysandbox's own accept loop.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind")
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    axum::serve(listener, app).await.expect("serve");
}
