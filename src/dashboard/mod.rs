//! The dashboard, `/__sandbox/ui`: server-rendered pages (maud) over the kernel's state — the
//! clock, fault rules, the request journal with its diagnoses, the integration report — and
//! forms that steer it. Every action is a form POST answered by a 303; the one script (live
//! refresh) only re-fetches lists, and every page works without it.

mod actions;
mod answer;
mod control_call;
mod count;
mod form;
pub mod kit;
mod layout;
mod live;
mod login;
mod overview;
mod pager;
mod phone;
mod report;
mod requests;
mod session;

use crate::state::AppState;
use axum::Router;
use axum::middleware;
use axum::routing::{get, post};

pub use session::COOKIE;

/// Where the dashboard is mounted.
pub const BASE: &str = "/__sandbox/ui";

pub fn router(state: &AppState) -> Router<AppState> {
    let names: Vec<&'static str> = state.providers.iter().map(|p| p.name()).collect();
    layout::set_providers(names);
    let mut router = Router::new();
    for provider in state.providers.iter() {
        router = router.nest(&format!("/{}", provider.name()), provider.pages());
    }
    router
        .route("/", get(overview::page))
        .route("/live.js", get(live::script))
        .route("/phone", get(phone::open))
        .route("/phone/{mobile}", get(phone::page))
        .route("/requests", get(requests::list))
        .route("/requests/{id}", get(requests::one))
        .route("/report", get(report::page))
        .route("/state", get(actions::download_state))
        .route("/clock", post(actions::clock))
        .route("/faults", post(actions::add_fault))
        .route("/faults/clear", post(actions::clear_faults))
        .route("/faults/{id}/remove", post(actions::remove_fault))
        .route("/reset", post(actions::reset))
        .route("/fixtures", post(actions::fixtures))
        .route("/login", get(login::form).post(login::submit))
        .fallback(|| async { layout::not_found("no such page") })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::guard,
        ))
}
