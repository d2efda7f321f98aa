//! The ledger: every credit, debit, transfer and reversal is one transaction row and one or
//! two entries, written with the balance change inside the caller's write transaction. A
//! debit only happens when the balance covers it (`balance >= amount` in the same UPDATE),
//! so a balance is never negative and always the sum of its customer's entries, under any
//! concurrency; `merchant_transaction_id` is unique per merchant by a UNIQUE index.

use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;
use sqlx::SqliteConnection;

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
    Database(sqlx::Error),
}

impl From<sqlx::Error> for LedgerError {
    fn from(error: sqlx::Error) -> Self {
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

/// Records a movement. Must run inside a write transaction (`db::begin_write`), which the
/// caller commits or rolls back.
pub async fn record(
    conn: &mut SqliteConnection,
    movement: &Movement<'_>,
) -> Result<Recorded, LedgerError> {
    let mut attempts = 0;
    let (row, transaction_id) = loop {
        attempts += 1;
        let transaction_id = movement
            .transaction_id
            .unwrap_or_else(random_transaction_id);
        let inserted = sqlx::query_scalar::<_, i64>(
            "insert into aggrepay_transactions (merchant_id, transaction_id, merchant_transaction_id, \
             transaction_type, amount, description, pg_transaction_id, to_sub_merchant_id, reverses, \
             created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
        )
        .bind(movement.merchant_id)
        .bind(transaction_id)
        .bind(movement.merchant_transaction_id)
        .bind(movement.kind.as_str())
        .bind(movement.amount)
        .bind(movement.description)
        .bind(movement.pg_transaction_id)
        .bind(movement.to_sub_merchant_id)
        .bind(movement.reverses)
        .bind(stamp(movement.at))
        .fetch_one(&mut *conn)
        .await;
        match inserted {
            Ok(row) => break (row, transaction_id),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                let message = e.message().to_string();
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
                return Err(LedgerError::Database(sqlx::Error::Database(e)));
            }
            Err(e) => return Err(e.into()),
        }
    };
    if let Some(customer) = movement.debit {
        let balance: Option<i64> = sqlx::query_scalar(
            "update aggrepay_customers set balance = balance - ?1 where id = ?2 and balance >= ?1 \
             returning balance",
        )
        .bind(movement.amount)
        .bind(customer)
        .fetch_optional(&mut *conn)
        .await?;
        let balance = balance.ok_or(LedgerError::Insufficient)?;
        entry(conn, row, customer, "DEBIT", movement, balance).await?;
    }
    if let Some(customer) = movement.credit {
        let balance: i64 = sqlx::query_scalar(
            "update aggrepay_customers set balance = balance + ? where id = ? returning balance",
        )
        .bind(movement.amount)
        .bind(customer)
        .fetch_one(&mut *conn)
        .await?;
        entry(conn, row, customer, "CREDIT", movement, balance).await?;
    }
    Ok(Recorded {
        row,
        transaction_id,
    })
}

async fn entry(
    conn: &mut SqliteConnection,
    transaction_row: i64,
    customer: i64,
    payment_type: &str,
    movement: &Movement<'_>,
    balance_after: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into aggrepay_entries (transaction_row, customer_row, payment_type, amount, \
         balance_after, created_at) values (?, ?, ?, ?, ?, ?)",
    )
    .bind(transaction_row)
    .bind(customer)
    .bind(payment_type)
    .bind(movement.amount)
    .bind(balance_after)
    .bind(stamp(movement.at))
    .execute(conn)
    .await?;
    Ok(())
}
