//! Chillr's dashboard pages, mounted at `<dashboard>/chillr`: merchants and batches (filters
//! `merchant`, `status`), a batch with its customers and the customer's Pay / Decline, the
//! user registry with its register form, and the phone page's section. Actions go through
//! the `/__sandbox/chillr` control plane, so a form does exactly what the API call does.

mod batches;
mod phone;
mod users;

pub use phone::section as phone;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(batches::list))
        .route("/batches/{batch_id}", get(batches::one))
        .route("/batches/{batch_id}/customers/{msisdn}", post(batches::act))
        .route("/users", get(users::list).post(users::register))
}
