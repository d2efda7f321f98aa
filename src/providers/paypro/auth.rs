//! PayPro credentials and enabled services, checked in the spec's order.

use super::errors::{Code, Failure};
use crate::db::DbError;
use rusqlite::{Connection, OptionalExtension, Row};

/// A merchant as the endpoints need it.
#[derive(Debug, Clone)]
pub struct Merchant {
    pub id: i64,
    pub company_code: String,
    pub min_amount: String,
    pub max_amount: String,
    pub fee: String,
    pub utc_offset: String,
    pub upper_case_status: bool,
    services: Vec<String>,
}

impl Merchant {
    pub fn offset(&self) -> chrono::FixedOffset {
        crate::timezone::parse_offset(&self.utc_offset).unwrap_or_else(crate::timezone::pakistan)
    }
}

/// `select <the merchant's columns> from paypro_merchants where <condition>`.
macro_rules! select {
    ($condition:literal) => {
        concat!(
            "select id, username, password, company_code, min_amount, max_amount, fee, \
             services, utc_offset, status_case from paypro_merchants where ",
            $condition
        )
    };
}

fn merchant_from(row: &Row) -> rusqlite::Result<Merchant> {
    Ok(Merchant {
        id: row.get("id")?,
        company_code: row.get("company_code")?,
        min_amount: row.get("min_amount")?,
        max_amount: row.get("max_amount")?,
        fee: row.get("fee")?,
        utc_offset: row.get("utc_offset")?,
        upper_case_status: row.get_ref("status_case")?.as_str()? == "upper",
        services: serde_json::from_str(row.get_ref("services")?.as_str()?).unwrap_or_default(),
    })
}

/// The merchant an order belongs to (for the payment page and the control plane).
pub fn merchant_by_id(conn: &Connection, id: i64) -> Result<Merchant, DbError> {
    conn.prepare_cached(select!("id = ?"))?
        .query_row([id], merchant_from)
}

/// Checks the username and password, then that `service` is enabled. Failures are `01`,
/// except on `co` and `cmo`, where they are `04`.
pub fn authenticate(
    conn: &Connection,
    username: Option<&str>,
    password: Option<&str>,
    service: &str,
) -> Result<Merchant, Failure> {
    let code = if matches!(service, "co" | "cmo") {
        Code::NotAuthorized
    } else {
        Code::Rejected
    };
    let fail = |description: &str| Failure::new(code, format!("Invalid Data. {description}"));
    let username = username.map(str::trim).filter(|u| !u.is_empty());
    let password = password.map(str::trim).filter(|p| !p.is_empty());
    let username = username.ok_or_else(|| fail("Username cannot be empty"))?;
    if username.chars().count() > 60 {
        return Err(fail("Username length is invalid"));
    }
    let password = password.ok_or_else(|| fail("Password cannot be empty"))?;
    if password.chars().count() > 60 {
        return Err(fail("Password length is invalid"));
    }
    let merchant = conn
        .prepare_cached(select!("username = ?"))?
        .query_row([username], |row| {
            if row.get_ref("password")?.as_str()? == password {
                merchant_from(row).map(Some)
            } else {
                Ok(None)
            }
        })
        .optional()?
        .flatten()
        .ok_or_else(|| fail("Username or password is invalid"))?;
    if !merchant.services.iter().any(|s| s == service) {
        let status = if code == Code::NotAuthorized {
            Code::NotAuthorized
        } else {
            Code::ServiceFail
        };
        return Err(Failure::new(
            status,
            "Service Failed. User is not Authorized for this service",
        ));
    }
    Ok(merchant)
}
