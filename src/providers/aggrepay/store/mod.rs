//! All of AggrePay's SQL: merchants, customers, the ledger and its limits usage, the OTP
//! outbox, payment-gateway records, sub merchants, and the dashboard's listings. Nothing here
//! parses a request, hashes, or encodes an answer.

pub mod customers;
pub mod entries;
pub mod ledger;
pub mod limits;
pub mod merchants;
pub mod otp_outbox;
pub mod pages;
pub mod pg_records;
pub mod salts;
pub mod sub_merchants;
