//! The page shell every dashboard page shares (title, navigation, the embedded stylesheet and
//! live-refresh script), the error pages, and where the dashboard is mounted for the request
//! being served.

use super::BASE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::future::Future;
use std::sync::{Arc, OnceLock};

/// A constant compiled into the binary, never user data.
const STYLE: &str = "
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
nav{background:#234;padding:.6em 1em}nav a{color:#fff;margin-right:1.2em;text-decoration:none}
main{padding:1em 1.5em;max-width:1200px}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eef}pre{background:#fff;border:1px solid #ddd;padding:.5em;white-space:pre-wrap;word-break:break-all}
.error{background:#fdd;border:1px solid #c66;padding:.5em 1em}
.diagnosis{background:#ffe;border:2px solid #cc6;padding:.5em 1em}
.no{color:#a33}.yes{color:#383}form.inline{display:inline}
fieldset{margin:.5em 0;border:1px solid #ccc}
#counts{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}#counts table{margin:0}
td.count{text-align:right}#live-toggle{float:right;color:#cde}#open-phone{margin:.8em 0}
section.phone{margin:1em 0;padding:0 1em;border-left:4px solid #89a}
";

tokio::task_local! {
    /// The tenant prefix (`""` or `/t/<name>`) of the request being served: set once by the
    /// session guard, so every page, redirect and error page of that request (the shell is
    /// drawn from many places, some with no state at hand) links within its tenant.
    static PREFIX: Arc<str>;
}

/// Runs `page` (a dashboard request) with its tenant prefix in place.
pub async fn within<F: Future>(prefix: Arc<str>, page: F) -> F::Output {
    PREFIX.scope(prefix, page).await
}

fn prefix() -> Arc<str> {
    PREFIX.try_with(Arc::clone).unwrap_or_else(|_| "".into())
}

/// Where the dashboard is mounted for this request: `/__sandbox/ui`, or under `/t/<tenant>`.
pub fn base() -> String {
    format!("{}{BASE}", prefix())
}

/// The path the session cookie is scoped to: this tenant's control plane.
pub fn cookie_path() -> String {
    format!("{}/__sandbox", prefix())
}

static PROVIDERS: OnceLock<Vec<&'static str>> = OnceLock::new();

/// The providers the navigation links to (their pages live under `base()/<name>`).
pub fn set_providers(names: Vec<&'static str>) {
    let _ = PROVIDERS.set(names);
}

pub fn page(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { (title) " · paysandbox" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                nav {
                    a href=(base()) { "Overview" }
                    a href={ (base()) "/requests" } { "Journal" }
                    a href={ (base()) "/report" } { "Report" }
                    @for name in PROVIDERS.get().map(Vec::as_slice).unwrap_or_default() {
                        a href={ (base()) "/" (name) } { (name) }
                    }
                }
                main {
                    h1 { (title) }
                    (content)
                }
                script src={ (base()) "/live.js" } defer {}
            }
        }
    }
}

/// The hidden field every form carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

pub fn error_box(message: &str) -> Markup {
    html! { p.error role="alert" { (message) } }
}

pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    (status, page(title, error_box(message))).into_response()
}

pub fn not_found(message: &str) -> Response {
    error_page(StatusCode::NOT_FOUND, "Not found", message)
}

pub fn forbidden(message: &str) -> Response {
    error_page(StatusCode::FORBIDDEN, "Refused", message)
}

pub fn bad_request(message: &str) -> Response {
    error_page(StatusCode::BAD_REQUEST, "Refused", message)
}
