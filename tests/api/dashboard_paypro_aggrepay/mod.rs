//! The PayPro and AggrePay dashboard pages (issue 14): each page lists what fixtures and API
//! calls created, filters filter, lists page, each action changes the state as the provider's
//! own API then reports it and answers 303, a refused action answers 400 with the reason and
//! changes nothing, a form without its CSRF token is refused, user text is escaped.

mod aggrepay;
mod paypro;

use crate::dashboard::{Browser, UI};
use reqwest::StatusCode;

/// A page that must answer `status` (HTML); its text.
async fn page_with(browser: &mut Browser, path: &str, status: StatusCode) -> String {
    let response = browser.get(path).await;
    assert_eq!(response.status(), status, "GET {path}");
    response.text().await.unwrap()
}

/// How many times `needle` occurs in `html`.
fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// A dashboard path.
fn ui(path: &str) -> String {
    format!("{UI}{path}")
}
