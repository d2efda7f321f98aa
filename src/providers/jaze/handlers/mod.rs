//! Jaze's handlers, one file per group of the document: payments (S1–S4), logs (S5–S7) and
//! the receipt (S8). Each takes the extracted account and inputs, judges the inputs by the
//! rules, reads the store once and answers the document's shape, or a [`JazeError`].
//!
//! [`JazeError`]: super::errors::JazeError

pub mod extract;
pub mod logs;
pub mod payments;
pub mod receipt;

use axum::Json;

/// What Jaze sends on success: a JSON body, HTTP 200.
pub type Answer<T> = Json<T>;
