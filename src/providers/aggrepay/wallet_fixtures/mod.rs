//! The `aggrepay` records in fixtures: customers (with limit overrides and an opening
//! balance), payment-gateway records, sub merchants, and the ledger's transactions.
//!
//! A customer's `balance` is loaded as one opening credit (type `M2C`, description
//! `Opening balance`), so the balance is always the sum of the ledger; an export therefore
//! lists that credit among the transactions and no `balance` on the customer.

mod export;
mod load;
mod types;

pub use export::export;
pub use load::{load_customers, load_pg_transactions, load_sub_merchants, load_transactions};
pub use types::{CustomerFixture, PgTransactionFixture, SubMerchantFixture, TransactionFixture};
