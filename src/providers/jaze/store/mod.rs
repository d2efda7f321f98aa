//! All of Jaze's SQL: the accounts, the payments as S1–S8 read them, the receipts, and the
//! records fixtures and the control plane write. Nothing else: values are judged and answers
//! encoded by the callers, outside any hold of the database.

pub mod pages;
mod read;
mod receipt;
mod records;

pub use read::{GatewayLog, StoredPayment, User, logs, payment_ids, payments, user};
pub use receipt::{StoredReceipt, TokenLookup, receipt, receipt_token};
pub use records::{
    NewGatewayLog, NewInvoice, NewPayment, NewUser, export, insert_invoice, insert_payment,
    insert_user, payment,
};

use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension};
use std::sync::Arc;

/// The table accounts are read from (the key of their memo, [`crate::db::Db::read_memo`]).
pub const ACCOUNTS: &str = "jaze_accounts";

/// Whether some account has this text as its API Key (a token and key sent swapped).
pub fn is_api_key(conn: &Connection, text: &str) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("select 1 from jaze_accounts where api_key = ?")?
        .query_row([text], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The id and API Key of the account with this API Token (the key shared: it is kept in the
/// accounts' memo, and a clone is one reference count).
pub fn account_key(conn: &Connection, api_token: &str) -> Result<Option<(i64, Arc<str>)>, DbError> {
    conn.prepare_cached("select id, api_key from jaze_accounts where api_token = ?")?
        .query_row([api_token], |r| {
            Ok((
                r.get::<_, i64>("id")?,
                r.get::<_, String>("api_key")?.into(),
            ))
        })
        .optional()
}
