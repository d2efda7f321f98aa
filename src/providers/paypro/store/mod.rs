//! All of PayPro's SQL: orders (re-exported here), consumers, and the dashboard's listings.

pub mod consumers;
pub mod merchants;
mod orders;
pub mod pages;

pub use orders::*;
