//! The `paypro` fixture section: merchants with credentials, company code and settings.

use super::ENDPOINTS;
use super::consumers::ConsumerFixture;
use super::order_fixtures::OrderFixture;
use crate::db::DbError;
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate, parse_section};
use crate::money::Amount;
use crate::text::NonEmpty;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[serde(default)]
    pub merchants: Vec<Merchant>,
    #[serde(default)]
    pub orders: Vec<OrderFixture>,
    #[serde(default)]
    pub consumers: Vec<ConsumerFixture>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusCase {
    /// `Unpaid`, `Paid`, `Blocked`, `Refunded`, as documented.
    Title,
    /// `UNPAID`, `PAID`, ..., as newer PayPro responses write them.
    Upper,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    /// The MerchantId / userName (at most 60 characters).
    pub username: NonEmpty,
    pub password: NonEmpty,
    /// Four digits; the first part of every ConnectPayId and FullConsumerCode.
    pub company_code: String,
    #[serde(default = "default_min_amount")]
    pub min_amount: Amount,
    #[serde(default = "default_max_amount")]
    pub max_amount: Amount,
    /// A flat fee per order; `IsFeeApplied` is `True` when it is above zero.
    #[serde(default = "default_fee")]
    pub fee: Amount,
    /// The enabled endpoint names (default: all twelve).
    #[serde(default = "default_services")]
    pub services: Vec<String>,
    /// The merchant's time zone as an offset from UTC.
    #[serde(default = "default_utc_offset")]
    pub utc_offset: String,
    #[serde(default = "default_status_case")]
    pub status_case: StatusCase,
}

fn default_min_amount() -> Amount {
    Amount::parse("1.00").expect("a valid amount")
}
fn default_max_amount() -> Amount {
    Amount::parse("5000000.00").expect("a valid amount")
}
fn default_fee() -> Amount {
    Amount::parse("0").expect("a valid amount")
}
fn default_services() -> Vec<String> {
    ENDPOINTS.iter().map(|s| s.to_string()).collect()
}
fn default_utc_offset() -> String {
    "+05:00".into()
}
fn default_status_case() -> StatusCase {
    StatusCase::Title
}

impl Merchant {
    fn check(&self, at: &str) -> Result<(), FixtureProblem> {
        let problem =
            |field: &str, message: String| FixtureProblem::new(format!("{at}.{field}"), message);
        if self.username.as_str().chars().count() > 60 {
            return Err(problem("username", "at most 60 characters".into()));
        }
        if self.password.as_str().chars().count() > 60 {
            return Err(problem("password", "at most 60 characters".into()));
        }
        if self.company_code.len() != 4 || !self.company_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(problem(
                "company_code",
                format!("`{}` is not 4 digits", self.company_code),
            ));
        }
        if self.min_amount > self.max_amount {
            return Err(problem("min_amount", "is above max_amount".into()));
        }
        if let Some((i, unknown)) = self
            .services
            .iter()
            .enumerate()
            .find(|(_, s)| !ENDPOINTS.contains(&s.as_str()))
        {
            return Err(problem(
                &format!("services[{i}]"),
                format!(
                    "`{unknown}` is not a service; the services are {}",
                    ENDPOINTS.join(", ")
                ),
            ));
        }
        if crate::timezone::parse_offset(&self.utc_offset).is_none() {
            return Err(problem(
                "utc_offset",
                format!("`{}` is not an offset such as +05:00", self.utc_offset),
            ));
        }
        Ok(())
    }
}

pub fn load(
    conn: &Connection,
    section: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), SectionError> {
    let section: Section = parse_section(section)?;
    load_merchants(conn, &section.merchants)?;
    super::order_fixtures::load(conn, &section.orders, now)?;
    super::consumers::load_fixtures(conn, &section.consumers, now)
}

fn load_merchants(conn: &Connection, merchants: &[Merchant]) -> Result<(), SectionError> {
    let mut insert = conn.prepare_cached(
        "insert into paypro_merchants (username, password, company_code, min_amount, \
         max_amount, fee, services, utc_offset, status_case) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for (i, merchant) in merchants.iter().enumerate() {
        let at = format!("merchants[{i}]");
        merchant.check(&at)?;
        insert
            .execute(params![
                merchant.username.as_str(),
                merchant.password.as_str(),
                merchant.company_code,
                merchant.min_amount.to_fixed2(),
                merchant.max_amount.to_fixed2(),
                merchant.fee.to_fixed2(),
                serde_json::to_string(&merchant.services).expect("strings serialize"),
                merchant.utc_offset,
                status_case_text(merchant.status_case),
            ])
            .map_err(|e| {
                on_duplicate(
                    e,
                    at.clone(),
                    format!(
                        "merchant: username `{}` or company_code `{}`",
                        merchant.username, merchant.company_code
                    ),
                )
            })?;
    }
    Ok(())
}

fn status_case_text(case: StatusCase) -> &'static str {
    match case {
        StatusCase::Title => "title",
        StatusCase::Upper => "upper",
    }
}

pub fn export(conn: &Connection) -> Result<Value, DbError> {
    let merchants: Vec<Value> = conn
        .prepare_cached(
            "select username, password, company_code, min_amount, max_amount, fee, services, \
             utc_offset, status_case from paypro_merchants order by id",
        )?
        .query_map([], |r| {
            Ok(serde_json::json!({
                "username": r.get::<_, String>("username")?,
                "password": r.get::<_, String>("password")?,
                "company_code": r.get::<_, String>("company_code")?,
                "min_amount": r.get::<_, String>("min_amount")?,
                "max_amount": r.get::<_, String>("max_amount")?,
                "fee": r.get::<_, String>("fee")?,
                "services": serde_json::from_str::<Value>(r.get_ref("services")?.as_str()?)
                    .unwrap_or(Value::Null),
                "utc_offset": r.get::<_, String>("utc_offset")?,
                "status_case": r.get::<_, String>("status_case")?,
            }))
        })?
        .collect::<Result<_, _>>()?;
    let orders = super::order_fixtures::export(conn)?;
    let consumers = super::consumers::export_fixtures(conn)?;
    Ok(serde_json::json!({ "merchants": merchants, "orders": orders, "consumers": consumers }))
}
