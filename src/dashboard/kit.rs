//! What a provider's dashboard pages are built from: the page shell, links that know where the
//! dashboard is mounted for this request, the form token, and calls to the control plane (so a
//! form does what the matching `/__sandbox` call does).

pub use super::answer::page_with_refusal;
pub use super::control_call::call;
pub use super::count::count;
pub use super::form::{CheckedForm, database_failed, field, segment};
pub use super::layout::{bad_request, error_box, not_found};
pub use super::pager::{Extent, PAGE_SIZE, PEEK_LIMIT, PER_PAGE, Pager, past_page};
pub use super::session::CsrfRefused;

use super::layout;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use maud::{Markup, html};

/// What a page needs to draw its links and forms; the session guard puts it on every request.
#[derive(Clone, Debug)]
pub struct Ui {
    /// Where the dashboard is mounted for this request: `/__sandbox/ui`, or
    /// `/t/<tenant>/__sandbox/ui` under a tenant.
    pub base: String,
    /// The session's CSRF token, carried by every form.
    pub csrf: String,
    /// Authenticated by `Authorization: Bearer` (not a browser): no CSRF token needed.
    pub bearer: bool,
    /// The sandbox clock when the request came in: states that follow from the clock
    /// (expiry) are shown as of it.
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Ui {
    /// A dashboard URL: `path` (starting with `/`) under the dashboard's base.
    pub fn href(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The hidden field every form carries.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name="csrf" value=(self.csrf); }
    }

    /// The check every POST handler makes on its `csrf` field.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), CsrfRefused> {
        if self.bearer || given == Some(self.csrf.as_str()) {
            Ok(())
        } else {
            Err(CsrfRefused)
        }
    }

    /// A whole page: the shell with the navigation, `title` as its heading.
    /// (Its navigation follows the tenant as `base` does.)
    pub fn page(&self, title: &str, content: Markup) -> Markup {
        layout::page(title, content)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ui>().cloned().ok_or((
            StatusCode::INTERNAL_SERVER_ERROR,
            "the dashboard's session guard did not run",
        ))
    }
}
