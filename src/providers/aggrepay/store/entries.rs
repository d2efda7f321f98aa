//! Reading the ledger's entries (`aggrepay_entries` joined with their transactions) for the
//! listings.

use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, params};

/// One ledger entry as the listings show it.
pub struct EntryRow {
    pub amount: i64,
    pub balance_after: i64,
    pub transaction_type: String,
    pub payment_type: String,
    pub created_at: String,
    pub transaction_id: i64,
    pub merchant_transaction_id: Option<String>,
}

impl EntryRow {
    fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(EntryRow {
            amount: row.get("amount")?,
            balance_after: row.get("balance_after")?,
            transaction_type: row.get("transaction_type")?,
            payment_type: row.get("payment_type")?,
            created_at: row.get("created_at")?,
            transaction_id: row.get("transaction_id")?,
            merchant_transaction_id: row.get("merchant_transaction_id")?,
        })
    }
}

const ENTRY: &str = "select e.amount, e.balance_after, t.transaction_type, e.payment_type, e.created_at, \
     t.transaction_id, t.merchant_transaction_id \
     from aggrepay_entries e join aggrepay_transactions t on t.id = e.transaction_row";

/// How many entries a customer has.
pub fn count(conn: &Connection, customer_row: i64) -> Result<i64, DbError> {
    conn.prepare_cached("select count(*) from aggrepay_entries where customer_row = ?")?
        .query_row(params![customer_row], |r| r.get(0))
}

/// A page of a customer's entries, newest first (ties in time by insertion order).
pub fn page(
    conn: &Connection,
    customer_row: i64,
    page_size: i64,
    page_number: i64,
) -> Result<Vec<EntryRow>, DbError> {
    let sql = format!(
        "{ENTRY} where e.customer_row = ? order by e.created_at desc, e.id desc limit ? offset ?"
    );
    conn.prepare_cached(&sql)?
        .query_map(
            params![customer_row, page_size, page_number * page_size],
            EntryRow::from_row,
        )?
        .collect()
}

/// What a transaction is looked up by.
#[derive(Clone, Copy)]
pub enum Key<'a> {
    MerchantTransactionId(&'a str),
    TransactionId(i64),
}

/// The merchant's transaction by one of its ids: its DEBIT entry when it has one.
pub fn by_key(conn: &Connection, merchant: i64, key: Key<'_>) -> Result<Option<EntryRow>, DbError> {
    let (column, given): (&str, rusqlite::types::Value) = match key {
        Key::MerchantTransactionId(id) => ("merchant_transaction_id", id.to_string().into()),
        Key::TransactionId(id) => ("transaction_id", id.into()),
    };
    let sql = format!(
        "{ENTRY} where t.merchant_id = ? and t.{column} = ? \
         order by case e.payment_type when 'DEBIT' then 0 else 1 end, e.id limit 1"
    );
    conn.prepare_cached(&sql)?
        .query_row(params![merchant, given], EntryRow::from_row)
        .optional()
}
