//! Jaze's handlers, one file per group of the document: payments (S1–S4), logs (S5–S7) and
//! the receipt (S8). Each takes the extracted account and inputs, judges the inputs by the
//! rules, reads the store once and answers the document's shape, or a [`JazeError`].
//!
//! [`JazeError`]: super::errors::JazeError

pub mod extract;
pub mod logs;
pub mod payments;
pub mod receipt;

use crate::diagnosis::Outcome;
use axum::{Extension, Json};

/// What Jaze sends on success: a JSON body, HTTP 200.
pub type Answer<T> = Json<T>;

/// A success that notes the user it was about (and the payment, for S8), for the lint
/// `jaze.lint.polled_too_often`.
pub type Noted<T> = (Extension<Outcome>, Answer<T>);

/// The answer noting `user_id` (None: a number too large to be anyone's, never a success).
pub fn noting_user<T>(user_id: Option<i64>, answer: Answer<T>) -> Noted<T> {
    let user = user_id.map_or_else(String::new, |id| id.to_string());
    (Extension(Outcome::noting("user", user)), answer)
}
