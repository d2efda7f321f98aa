//! The `paypro_merchants` table: credentials, company code, limits, fee, services, time zone.

use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::sync::Arc;

/// A merchant as stored.
#[derive(Debug, Clone)]
pub struct Merchant {
    pub id: i64,
    pub username: String,
    pub password: String,
    pub company_code: String,
    pub min_amount: String,
    pub max_amount: String,
    pub fee: String,
    /// The enabled services as stored: a JSON array of endpoint names.
    pub services: String,
    /// `services` read once when the row is, not on every request that asks.
    enabled: Vec<String>,
    pub utc_offset: String,
    /// `title` or `upper`.
    pub status_case: String,
    pub upper_case_status: bool,
}

impl Merchant {
    pub fn offset(&self) -> chrono::FixedOffset {
        crate::timezone::parse_offset(&self.utc_offset).unwrap_or_else(crate::timezone::pakistan)
    }

    /// Whether `service` (an endpoint name) is enabled.
    pub fn serves(&self, service: &str) -> bool {
        self.enabled.iter().any(|s| s == service)
    }
}

/// A merchant to add, from the fixtures.
pub struct NewMerchant<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub company_code: &'a str,
    pub min_amount: String,
    pub max_amount: String,
    pub fee: String,
    pub services: String,
    pub utc_offset: &'a str,
    pub status_case: &'static str,
}

/// `select <the merchant's columns> from paypro_merchants <rest>`.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "select id, username, password, company_code, min_amount, max_amount, fee, \
             services, utc_offset, status_case from paypro_merchants ",
            $rest
        )
    };
}

fn merchant_from(row: &Row) -> rusqlite::Result<Merchant> {
    let status_case: String = row.get("status_case")?;
    let services: String = row.get("services")?;
    Ok(Merchant {
        enabled: serde_json::from_str(&services).unwrap_or_default(),
        id: row.get("id")?,
        username: row.get("username")?,
        password: row.get("password")?,
        company_code: row.get("company_code")?,
        min_amount: row.get("min_amount")?,
        max_amount: row.get("max_amount")?,
        fee: row.get("fee")?,
        services,
        utc_offset: row.get("utc_offset")?,
        upper_case_status: status_case == "upper",
        status_case,
    })
}

/// The merchant an order belongs to.
pub fn by_id(conn: &Connection, id: i64) -> Result<Merchant, DbError> {
    conn.prepare_cached(select!("where id = ?"))?
        .query_row([id], merchant_from)
}

/// The table merchants are read from (the key of their memo, [`crate::db::Db::read_memo`]).
pub const TABLE: &str = "paypro_merchants";

/// The merchant with this username, if any.
/// The merchant of `username`, shared: every request reads it (kept in the merchants' memo),
/// and a clone is one reference count rather than a copy of its dozen strings.
pub fn by_username(conn: &Connection, username: &str) -> Result<Option<Arc<Merchant>>, DbError> {
    conn.prepare_cached(select!("where username = ?"))?
        .query_row([username], merchant_from)
        .optional()
        .map(|found| found.map(Arc::new))
}

/// Every merchant, in the order they were added.
pub fn all(conn: &Connection) -> Result<Vec<Merchant>, DbError> {
    conn.prepare_cached(select!("order by id"))?
        .query_map([], merchant_from)?
        .collect()
}

pub fn insert(conn: &Connection, merchant: &NewMerchant) -> Result<(), DbError> {
    conn.prepare_cached(
        "insert into paypro_merchants (username, password, company_code, min_amount, \
         max_amount, fee, services, utc_offset, status_case) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        merchant.username,
        merchant.password,
        merchant.company_code,
        merchant.min_amount,
        merchant.max_amount,
        merchant.fee,
        merchant.services,
        merchant.utc_offset,
        merchant.status_case,
    ])?;
    Ok(())
}
