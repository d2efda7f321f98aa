//! Customers: the authenticated request, and finding a merchant's customer by id or mobile
//! number with Laravel's messages.

use super::hash::request_hash;
use super::request::Fields;
use super::rules::{label, normalize_mobile};
use super::wire::WalletError;
use crate::db::{Db, DbError};
use axum::http::{HeaderMap, header};
use bytes::Bytes;
use rusqlite::{Connection, OptionalExtension, Row};

/// A merchant, with its default limits (paise; the count as is).
#[derive(Debug, Clone)]
pub struct Merchant {
    pub id: i64,
    pub salt: String,
    pub fixed_otp: Option<String>,
    pub limits: Limits,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub max_balance: i64,
    pub monthly_credit: i64,
    pub monthly_debit: i64,
    pub daily_debit_count: i64,
    pub daily_debit_amount: i64,
}

/// Fields that take any text, so only the `string` rule stops an array or an object.
const FREE_TEXT: &[&str] = &[
    "first_name",
    "last_name",
    "address_line_1",
    "address_line_2",
    "city",
    "description",
    "Description",
    "name",
    "account_name",
    "bank_name",
    "bank_branch",
    "merchant_transaction_id",
    "pg_transaction_id",
];

/// A request whose api_key and hash are good (checked in that order).
pub struct Authenticated {
    pub merchant: Merchant,
    pub fields: Fields,
}

impl Authenticated {
    /// One read-only call: authenticates and runs `f` under one hold of the database, answering
    /// the merchant's salt (to sign the answer with, after the database is let go) and `f`'s data.
    pub async fn read_with<T>(
        db: &Db,
        headers: &HeaderMap,
        body: &Bytes,
        f: impl FnOnce(&Connection, &Merchant, &Fields) -> Result<T, WalletError>,
    ) -> Result<(String, T), WalletError> {
        db.read(|conn| {
            let Authenticated { merchant, fields } = Authenticated::read(conn, headers, body)?;
            Ok((merchant.salt.clone(), f(conn, &merchant, &fields)?))
        })
        .await
    }

    /// [`Authenticated::read_with`] in one write transaction: all of `f`, or nothing.
    pub async fn write_with<T>(
        db: &Db,
        headers: &HeaderMap,
        body: &Bytes,
        f: impl FnOnce(&Connection, &Merchant, &Fields) -> Result<T, WalletError>,
    ) -> Result<(String, T), WalletError> {
        db.write(|tx| {
            let Authenticated { merchant, fields } = Authenticated::read(tx, headers, body)?;
            Ok((merchant.salt.clone(), f(tx, &merchant, &fields)?))
        })
        .await
    }

    pub fn read(
        conn: &Connection,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Result<Authenticated, WalletError> {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let fields = Fields::read(content_type, body);
        // Before the credentials: a body too deep to read has none to check.
        if fields.too_deep() {
            return Err(WalletError::invalid(format!(
                "The request may not be nested more than {} levels deep.",
                crate::depth::MAX_DEPTH
            )));
        }
        let api_key = fields.get("api_key").ok_or(WalletError::Unauthorized)?;
        let merchant = conn
            .prepare_cached(
                "select id, salt, fixed_otp, max_balance, monthly_credit, monthly_debit, \
                 daily_debit_count, daily_debit_amount from aggrepay_merchants where api_key = ?",
            )?
            .query_row([api_key], merchant_from)
            .optional()?
            .ok_or(WalletError::Unauthorized)?;
        let given = fields.get("hash").ok_or(WalletError::HashMismatch)?;
        if !given.eq_ignore_ascii_case(&request_hash(&merchant.salt, fields.pairs())) {
            return Err(WalletError::HashMismatch);
        }
        // Free-text fields have Laravel's `string` rule; the others fail their own format
        // rule (`The mpin must be 4 digits.`) when a JSON array or object is posted.
        if let Some(name) = fields.first_not_text().filter(|n| FREE_TEXT.contains(n)) {
            return Err(WalletError::invalid(format!(
                "The {} must be a string.",
                label(name)
            )));
        }
        Ok(Authenticated { merchant, fields })
    }
}

fn merchant_from(row: &Row) -> rusqlite::Result<Merchant> {
    let paise = |column: &str| -> rusqlite::Result<i64> {
        let text: String = row.get(column)?;
        Ok(super::amount::parse_paise(&text).unwrap_or(0))
    };
    Ok(Merchant {
        id: row.get("id")?,
        salt: row.get("salt")?,
        fixed_otp: row.get("fixed_otp")?,
        limits: Limits {
            max_balance: paise("max_balance")?,
            monthly_credit: paise("monthly_credit")?,
            monthly_debit: paise("monthly_debit")?,
            daily_debit_count: row.get("daily_debit_count")?,
            daily_debit_amount: paise("daily_debit_amount")?,
        },
    })
}

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

fn customer_from(row: &Row, defaults: Limits) -> rusqlite::Result<Customer> {
    let over = |column: &str, default: i64| -> rusqlite::Result<i64> {
        Ok(row.get::<_, Option<i64>>(column)?.unwrap_or(default))
    };
    Ok(Customer {
        row: row.get("id")?,
        customer_id: row.get("customer_id")?,
        mobile_number: row.get("mobile_number")?,
        email: row.get("email")?,
        first_name: row.get("first_name")?,
        last_name: row.get("last_name")?,
        date_of_birth: row.get("date_of_birth")?,
        address_line_1: row.get("address_line_1")?,
        address_line_2: row.get("address_line_2")?,
        city: row.get("city")?,
        pincode: row.get("pincode")?,
        description: row.get("description")?,
        mpin: row.get("mpin")?,
        active: row.get::<_, i64>("active")? != 0,
        balance: row.get("balance")?,
        limits: Limits {
            max_balance: over("max_balance", defaults.max_balance)?,
            monthly_credit: over("monthly_credit", defaults.monthly_credit)?,
            monthly_debit: over("monthly_debit", defaults.monthly_debit)?,
            daily_debit_count: over("daily_debit_count", defaults.daily_debit_count)?,
            daily_debit_amount: over("daily_debit_amount", defaults.daily_debit_amount)?,
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

/// The customer a request names by `<prefix>customer_id` or, when that is absent,
/// `<prefix>mobile_number` (prefix `""`, `"from_"`, `"to_"`), with Laravel's messages:
/// `The selected customer id is invalid.`, `The mobile number field contains an invalid
/// number.`, `The selected mobile number is invalid.`, `The mobile number field is required
/// when customer id is not present.`
pub fn resolve(
    conn: &Connection,
    merchant: &Merchant,
    fields: &Fields,
    prefix: &str,
) -> Result<Customer, WalletError> {
    let id_field = format!("{prefix}customer_id");
    let mobile_field = format!("{prefix}mobile_number");
    if let Some(id) = fields.get(&id_field) {
        return by_customer_id(conn, merchant, id)?.ok_or_else(|| {
            WalletError::invalid(format!("The selected {} is invalid.", label(&id_field)))
        });
    }
    let Some(mobile) = fields.get(&mobile_field) else {
        return Err(WalletError::invalid(format!(
            "The {} field is required when {} is not present.",
            label(&mobile_field),
            label(&id_field)
        )));
    };
    let mobile = normalize_mobile(mobile).ok_or_else(|| {
        WalletError::invalid(format!(
            "The {} field contains an invalid number.",
            label(&mobile_field)
        ))
    })?;
    by_mobile(conn, merchant, &mobile)?.ok_or_else(|| {
        WalletError::invalid(format!("The selected {} is invalid.", label(&mobile_field)))
    })
}
