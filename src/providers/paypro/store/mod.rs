//! All of PayPro's SQL: orders (re-exported here) and consumers.

pub mod consumers;
pub mod merchants;
mod orders;

pub use orders::*;
