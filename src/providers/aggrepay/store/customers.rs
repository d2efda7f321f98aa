//! Customers (`aggrepay_customers`): a merchant's customer by id or mobile number, with its
//! limits (its overrides over the merchant's defaults).

use crate::db::{self, DbError};
use crate::providers::aggrepay::store::ledger::stamp;
use crate::providers::aggrepay::store::merchants::{Limits, Merchant};
use chrono::{DateTime, Utc};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

#[derive(Debug, Clone)]
pub struct Customer {
    pub row: i64,
    pub customer_id: String,
    pub mobile_number: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub date_of_birth: Option<String>,
    pub address_line_1: Option<String>,
    pub address_line_2: Option<String>,
    pub city: Option<String>,
    pub pincode: Option<String>,
    pub description: Option<String>,
    pub mpin: String,
    pub active: bool,
    pub balance: i64,
    /// This customer's limits: its overrides over the merchant's defaults.
    pub limits: Limits,
}

/// The columns [`customer_from`] reads, as a literal so the queries are constants.
macro_rules! columns {
    () => {
        "id, customer_id, mobile_number, email, first_name, last_name, date_of_birth, \
         address_line_1, address_line_2, city, pincode, description, mpin, active, balance, \
         max_balance, monthly_credit, monthly_debit, daily_debit_count, daily_debit_amount"
    };
}

/// The columns [`customer_from`] reads (for the store's other queries).
pub(super) const COLUMNS: &str = columns!();

/// A customer from a row that starts with [`COLUMNS`], read by position: by name, rusqlite
/// searches the columns for each one, and that search was a twentieth of a balance request.
pub(super) fn customer_from(row: &Row, defaults: Limits) -> rusqlite::Result<Customer> {
    let over = |column: usize, default: i64| -> rusqlite::Result<i64> {
        Ok(row.get::<_, Option<i64>>(column)?.unwrap_or(default))
    };
    Ok(Customer {
        row: row.get(0)?,
        customer_id: row.get(1)?,
        mobile_number: row.get(2)?,
        email: row.get(3)?,
        first_name: row.get(4)?,
        last_name: row.get(5)?,
        date_of_birth: row.get(6)?,
        address_line_1: row.get(7)?,
        address_line_2: row.get(8)?,
        city: row.get(9)?,
        pincode: row.get(10)?,
        description: row.get(11)?,
        mpin: row.get(12)?,
        active: row.get::<_, i64>(13)? != 0,
        balance: row.get(14)?,
        limits: Limits {
            max_balance: over(15, defaults.max_balance)?,
            monthly_credit: over(16, defaults.monthly_credit)?,
            monthly_debit: over(17, defaults.monthly_debit)?,
            daily_debit_count: over(18, defaults.daily_debit_count)?,
            daily_debit_amount: over(19, defaults.daily_debit_amount)?,
        },
    })
}

pub fn by_customer_id(
    conn: &Connection,
    merchant: &Merchant,
    customer_id: &str,
) -> Result<Option<Customer>, DbError> {
    conn.prepare_cached(concat!(
        "select ",
        columns!(),
        " from aggrepay_customers where merchant_id = ? and customer_id = ?"
    ))?
    .query_row(rusqlite::params![merchant.id, customer_id], |r| {
        customer_from(r, merchant.limits)
    })
    .optional()
}

/// `mobile` already normalised (`+91XXXXXXXXXX`).
pub fn by_mobile(
    conn: &Connection,
    merchant: &Merchant,
    mobile: &str,
) -> Result<Option<Customer>, DbError> {
    conn.prepare_cached(concat!(
        "select ",
        columns!(),
        " from aggrepay_customers where merchant_id = ? and mobile_number = ?"
    ))?
    .query_row(rusqlite::params![merchant.id, mobile], |r| {
        customer_from(r, merchant.limits)
    })
    .optional()
}

/// Sets the given columns (names from the caller's fixed list, never from a request).
pub fn update(
    conn: &Connection,
    row: i64,
    changes: &[(&'static str, String)],
) -> Result<(), DbError> {
    let assignments: Vec<String> = changes.iter().map(|(c, _)| format!("{c} = ?")).collect();
    let sql = format!(
        "update aggrepay_customers set {} where id = ?",
        assignments.join(", ")
    );
    let mut params: Vec<&dyn ToSql> = changes.iter().map(|(_, v)| v as &dyn ToSql).collect();
    params.push(&row);
    conn.prepare_cached(&sql)?.execute(params.as_slice())?;
    Ok(())
}

pub fn set_active(conn: &Connection, row: i64, active: bool) -> Result<(), DbError> {
    conn.prepare_cached("update aggrepay_customers set active = ? where id = ?")?
        .execute(rusqlite::params![active, row])?;
    Ok(())
}

/// Whether an email (case-insensitive) is registered with the merchant.
pub fn email_registered(conn: &Connection, merchant: i64, email: &str) -> Result<bool, DbError> {
    conn.prepare_cached(
        "select exists(select 1 from aggrepay_customers \
         where merchant_id = ? and lower(email) = lower(?))",
    )?
    .query_row(params![merchant, email], |r| r.get(0))
}

/// A customer `registercustomer` validated (mobile normalised).
pub struct NewCustomer<'a> {
    pub mobile: &'a str,
    pub email: Option<&'a str>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub date_of_birth: Option<String>,
    pub mpin: &'a str,
}

/// What [`insert`] did.
pub enum Inserted {
    /// The new customer's id.
    Id(String),
    /// The merchant has a customer with this mobile number already.
    MobileTaken,
    /// Twenty random ids in a row were taken.
    NoFreeId,
}

/// Inserts the customer, active with balance 0, under a fresh random 9-digit customer id
/// (unique across merchants).
pub fn insert(
    conn: &Connection,
    merchant: i64,
    new: &NewCustomer<'_>,
    now: DateTime<Utc>,
) -> Result<Inserted, DbError> {
    let mut insert = conn.prepare_cached(
        "insert into aggrepay_customers (merchant_id, customer_id, mobile_number, email, \
         first_name, last_name, date_of_birth, mpin, active, balance, created_at) \
         values (?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?)",
    )?;
    for _ in 0..20 {
        let customer_id = rand::rng()
            .random_range(100_000_000..=999_999_999u32)
            .to_string();
        let inserted = insert.execute(params![
            merchant,
            customer_id,
            new.mobile,
            new.email,
            new.first_name,
            new.last_name,
            new.date_of_birth,
            new.mpin,
            stamp(now),
        ]);
        match inserted {
            Ok(_) => return Ok(Inserted::Id(customer_id)),
            Err(e) if db::is_unique_violation(&e) && names_customer_id(&e) => continue,
            Err(e) if db::is_unique_violation(&e) => return Ok(Inserted::MobileTaken),
            Err(e) => return Err(e),
        }
    }
    Ok(Inserted::NoFreeId)
}

/// True when the failed constraint is the one on `customer_id`.
fn names_customer_id(error: &DbError) -> bool {
    matches!(error, DbError::SqliteFailure(_, Some(message)) if message.contains("customer_id"))
}

pub fn set_mpin(conn: &Connection, row: i64, mpin: &str) -> Result<(), DbError> {
    conn.prepare_cached("update aggrepay_customers set mpin = ? where id = ?")?
        .execute(params![mpin, row])?;
    Ok(())
}
