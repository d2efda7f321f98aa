//! All of PayPro's SQL: orders (re-exported here) and consumers.

pub mod consumers;
mod orders;

pub use orders::*;
