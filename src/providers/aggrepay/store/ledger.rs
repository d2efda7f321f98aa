//! The ledger: every credit, debit, transfer and reversal is one transaction row and one or
//! two entries, written with the balance change inside the caller's write transaction. A
//! debit only happens when the balance covers it (`balance >= amount` in the same UPDATE),
//! so a balance is never negative and always the sum of its customer's entries, under any
//! concurrency; `merchant_transaction_id` is unique per merchant by a UNIQUE index. The
//! wallets' running limit totals ([`limits`]) change with every entry and reversal, in the
//! same transaction.

use crate::db::{self, DbError};
use crate::providers::aggrepay::store::limits;
use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Merchant to customer: `creditwallet`.
    M2C,
    /// Customer to merchant: `debitwallet`.
    C2M,
    /// Customer to customer: `wallettowallet`.
    C2C,
    /// A `debitwallet` given back: `debitreversal`.
    Reversal,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::M2C => "M2C",
            Kind::C2M => "C2M",
            Kind::C2C => "C2C",
            Kind::Reversal => "REVERSAL",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "M2C" => Some(Kind::M2C),
            "C2M" => Some(Kind::C2M),
            "C2C" => Some(Kind::C2C),
            "REVERSAL" => Some(Kind::Reversal),
            _ => None,
        }
    }
}

/// The side of an entry: money out of the wallet, or into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentType {
    Debit,
    Credit,
}

impl PaymentType {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentType::Debit => "DEBIT",
            PaymentType::Credit => "CREDIT",
        }
    }
}

/// One operation to record.
#[derive(Debug, Clone)]
pub struct Movement<'a> {
    pub merchant_id: i64,
    pub kind: Kind,
    /// Paise, above zero.
    pub amount: i64,
    pub merchant_transaction_id: Option<&'a str>,
    pub description: Option<&'a str>,
    pub pg_transaction_id: Option<&'a str>,
    pub to_sub_merchant_id: Option<i64>,
    /// The transaction row a reversal gives back.
    pub reverses: Option<i64>,
    /// The customer row whose wallet pays.
    pub debit: Option<i64>,
    /// The customer row whose wallet receives.
    pub credit: Option<i64>,
    pub at: DateTime<Utc>,
    /// A fixed transaction id (fixtures); drawn at random when None.
    pub transaction_id: Option<i64>,
}

impl<'a> Movement<'a> {
    /// A movement with no ids, description, wallets or reversal yet (struct update syntax
    /// fills in the rest).
    pub fn new(merchant_id: i64, kind: Kind, amount: i64, at: DateTime<Utc>) -> Movement<'a> {
        Movement {
            merchant_id,
            kind,
            amount,
            merchant_transaction_id: None,
            description: None,
            pg_transaction_id: None,
            to_sub_merchant_id: None,
            reverses: None,
            debit: None,
            credit: None,
            at,
            transaction_id: None,
        }
    }

    /// With the merchant's `merchant_transaction_id` and `description`.
    pub fn named(mut self, id: &'a str, description: Option<&'a str>) -> Movement<'a> {
        self.merchant_transaction_id = Some(id);
        self.description = description;
        self
    }

    /// Paid from the wallet of this customer row.
    pub fn paid_by(mut self, customer_row: i64) -> Movement<'a> {
        self.debit = Some(customer_row);
        self
    }

    /// Paid into the wallet of this customer row.
    pub fn paid_into(mut self, customer_row: i64) -> Movement<'a> {
        self.credit = Some(customer_row);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recorded {
    pub row: i64,
    pub transaction_id: i64,
}

#[derive(Debug)]
pub enum LedgerError {
    /// The paying wallet does not hold the amount.
    Insufficient,
    /// This merchant already used the merchant_transaction_id.
    DuplicateMerchantTransactionId,
    /// The transaction was already reversed.
    AlreadyReversed,
    Database(DbError),
}

impl From<DbError> for LedgerError {
    fn from(error: DbError) -> Self {
        LedgerError::Database(error)
    }
}

pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// 9 digits, not starting with zero.
pub fn random_transaction_id() -> i64 {
    rand::rng().random_range(100_000_000..=999_999_999)
}

/// A customer's balance, read back after the update that changed it. (Read, not returned by
/// the update: SQLite opens a temporary table for a `returning` clause on every execution,
/// which cost more than this second lookup by primary key.)
fn balance_of(conn: &Connection, customer: i64) -> Result<i64, DbError> {
    conn.prepare_cached("select balance from aggrepay_customers where id = ?")?
        .query_row([customer], |r| r.get(0))
}

/// Records a movement. Must run inside a write transaction ([`crate::db::Db::write`]), which
/// commits it or rolls it back.
pub fn record(conn: &Connection, movement: &Movement<'_>) -> Result<Recorded, LedgerError> {
    let mut insert = conn.prepare_cached(
        "insert into aggrepay_transactions (merchant_id, transaction_id, merchant_transaction_id, \
         transaction_type, amount, description, pg_transaction_id, to_sub_merchant_id, reverses, \
         created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    let at = stamp(movement.at);
    let mut attempts = 0;
    let (row, transaction_id) = loop {
        attempts += 1;
        let transaction_id = movement
            .transaction_id
            .unwrap_or_else(random_transaction_id);
        let inserted = insert
            .execute(params![
                movement.merchant_id,
                transaction_id,
                movement.merchant_transaction_id,
                movement.kind.as_str(),
                movement.amount,
                movement.description,
                movement.pg_transaction_id,
                movement.to_sub_merchant_id,
                movement.reverses,
                at,
            ])
            .map(|_| conn.last_insert_rowid());
        match inserted {
            Ok(row) => break (row, transaction_id),
            Err(e) if db::is_unique_violation(&e) => {
                let message = match &e {
                    DbError::SqliteFailure(_, Some(message)) => message.as_str(),
                    _ => "",
                };
                if message.contains("merchant_transaction_id") {
                    return Err(LedgerError::DuplicateMerchantTransactionId);
                }
                if message.contains("reverses") {
                    return Err(LedgerError::AlreadyReversed);
                }
                // A random transaction id met an existing one: draw again.
                if movement.transaction_id.is_none() && attempts < 10 {
                    continue;
                }
                return Err(LedgerError::Database(e));
            }
            Err(e) => return Err(e.into()),
        }
    };
    if let Some(customer) = movement.debit {
        let debited = conn
            .prepare_cached(
                "update aggrepay_customers set balance = balance - ?1 where id = ?2 and balance >= ?1",
            )?
            .execute(params![movement.amount, customer])?;
        if debited == 0 {
            return Err(LedgerError::Insufficient);
        }
        let balance = balance_of(conn, customer)?;
        entry(
            conn,
            row,
            customer,
            PaymentType::Debit,
            movement,
            &at,
            balance,
        )?;
    }
    if let Some(customer) = movement.credit {
        conn.prepare_cached("update aggrepay_customers set balance = balance + ? where id = ?")?
            .execute(params![movement.amount, customer])?;
        let balance = balance_of(conn, customer)?;
        entry(
            conn,
            row,
            customer,
            PaymentType::Credit,
            movement,
            &at,
            balance,
        )?;
    }
    if let Some(original) = movement.reverses {
        limits::record_reversal(conn, original)?;
    }
    Ok(Recorded {
        row,
        transaction_id,
    })
}

/// Inserts one entry of `movement` and counts it in the wallet's limit totals.
fn entry(
    conn: &Connection,
    transaction_row: i64,
    customer: i64,
    payment_type: PaymentType,
    movement: &Movement<'_>,
    at: &str,
    balance_after: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "insert into aggrepay_entries (transaction_row, customer_row, payment_type, amount, \
         balance_after, created_at) values (?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        transaction_row,
        customer,
        payment_type.as_str(),
        movement.amount,
        balance_after,
        at
    ])?;
    limits::record_entry(conn, customer, movement, payment_type)
}

/// Whether the merchant has used a `merchant_transaction_id` already.
pub fn merchant_transaction_id_used(
    conn: &Connection,
    merchant: i64,
    id: &str,
) -> Result<bool, DbError> {
    conn.prepare_cached(
        "select exists(select 1 from aggrepay_transactions \
         where merchant_id = ? and merchant_transaction_id = ?)",
    )?
    .query_row(params![merchant, id], |r| r.get(0))
}

/// A `debitwallet` (C2M) transaction and the customer it debited.
pub struct Original {
    pub id: i64,
    pub transaction_id: i64,
    pub amount: i64,
    pub customer_row: i64,
}

impl Original {
    fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Original {
            id: row.get("id")?,
            transaction_id: row.get("transaction_id")?,
            amount: row.get("amount")?,
            customer_row: row.get("customer_row")?,
        })
    }
}

/// The merchant's `debitwallet` of this `merchant_transaction_id`.
pub fn debit_of(
    conn: &Connection,
    merchant: i64,
    merchant_transaction_id: &str,
) -> Result<Option<Original>, DbError> {
    conn.prepare_cached(
        "select t.id, t.transaction_id, t.amount, e.customer_row from aggrepay_transactions t \
         join aggrepay_entries e on e.transaction_row = t.id and e.payment_type = 'DEBIT' \
         where t.merchant_id = ? and t.merchant_transaction_id = ? and t.transaction_type = 'C2M'",
    )?
    .query_row(
        params![merchant, merchant_transaction_id],
        Original::from_row,
    )
    .optional()
}

/// Whether a transaction has been reversed.
pub fn is_reversed(conn: &Connection, transaction_row: i64) -> Result<bool, DbError> {
    conn.prepare_cached("select exists(select 1 from aggrepay_transactions where reverses = ?)")?
        .query_row(params![transaction_row], |r| r.get(0))
}
