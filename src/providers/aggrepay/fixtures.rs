//! The `aggrepay` fixture section: merchants (api_key, salt, fixed_otp, default limits).

use super::wallet_fixtures::{
    self, CustomerFixture, PgTransactionFixture, SubMerchantFixture, TransactionFixture,
};
use crate::db::DbError;
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate, parse_section};
use crate::money::Amount;
use crate::text::NonEmpty;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Type;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[serde(default)]
    pub merchants: Vec<Merchant>,
    #[serde(default)]
    pub customers: Vec<CustomerFixture>,
    #[serde(default)]
    pub pg_transactions: Vec<PgTransactionFixture>,
    #[serde(default)]
    pub sub_merchants: Vec<SubMerchantFixture>,
    #[serde(default)]
    pub transactions: Vec<TransactionFixture>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    pub api_key: NonEmpty,
    pub salt: NonEmpty,
    /// When set, every OTP sent for this merchant's customers is this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_otp: Option<String>,
    /// The default limits of every customer's wallet.
    #[serde(default)]
    pub limits: Limits,
}

/// Wallet limits, inclusive; days and months in India time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub max_balance: Amount,
    pub monthly_credit: Amount,
    pub monthly_debit: Amount,
    pub daily_debit_count: u32,
    pub daily_debit_amount: Amount,
}

impl Limits {
    fn from_row(row: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok(Limits {
            max_balance: checked(row, "max_balance")?,
            monthly_credit: checked(row, "monthly_credit")?,
            monthly_debit: checked(row, "monthly_debit")?,
            daily_debit_count: row.get("daily_debit_count")?,
            daily_debit_amount: checked(row, "daily_debit_amount")?,
        })
    }
}

/// A text column read through the type's own check (an amount, a non-empty text).
fn checked<T: TryFrom<String, Error = String>>(
    row: &rusqlite::Row,
    column: &str,
) -> rusqlite::Result<T> {
    let index = row.as_ref().column_index(column)?;
    let text: String = row.get(index)?;
    T::try_from(text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, e.into()))
}

impl TryFrom<String> for Amount {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Amount::parse(&text)
    }
}

impl Default for Limits {
    fn default() -> Self {
        let amount = |text: &str| Amount::parse(text).expect("a valid amount");
        Limits {
            max_balance: amount("10000.00"),
            monthly_credit: amount("10000.00"),
            monthly_debit: amount("10000.00"),
            daily_debit_count: 10,
            daily_debit_amount: amount("5000.00"),
        }
    }
}

pub fn load(conn: &Connection, section: &Value, now: DateTime<Utc>) -> Result<(), SectionError> {
    let section: Section = parse_section(section)?;
    load_merchants(conn, &section.merchants)?;
    wallet_fixtures::load_customers(conn, &section.customers, now)?;
    wallet_fixtures::load_pg_transactions(conn, &section.pg_transactions, now)?;
    wallet_fixtures::load_sub_merchants(conn, &section.sub_merchants, now)?;
    wallet_fixtures::load_transactions(conn, &section.transactions, now)
}

fn load_merchants(conn: &Connection, merchants: &[Merchant]) -> Result<(), SectionError> {
    let mut insert = conn.prepare_cached(
        "insert into aggrepay_merchants (api_key, salt, fixed_otp, max_balance, \
         monthly_credit, monthly_debit, daily_debit_count, daily_debit_amount) \
         values (?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for (i, merchant) in merchants.iter().enumerate() {
        if let Some(otp) = &merchant.fixed_otp
            && (otp.len() != 6 || !otp.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(FixtureProblem::new(
                format!("merchants[{i}].fixed_otp"),
                format!("`{otp}` is not 6 digits"),
            )
            .into());
        }
        let limits = &merchant.limits;
        insert
            .execute(rusqlite::params![
                merchant.api_key.as_str(),
                merchant.salt.as_str(),
                merchant.fixed_otp,
                limits.max_balance.to_fixed2(),
                limits.monthly_credit.to_fixed2(),
                limits.monthly_debit.to_fixed2(),
                limits.daily_debit_count,
                limits.daily_debit_amount.to_fixed2(),
            ])
            .map_err(|e| {
                on_duplicate(
                    e,
                    format!("merchants[{i}].api_key"),
                    format!("api_key `{}`", merchant.api_key),
                )
            })?;
    }
    Ok(())
}

pub fn export(conn: &Connection) -> Result<Value, DbError> {
    let merchants = conn
        .prepare_cached(
            "select api_key, salt, fixed_otp, max_balance, monthly_credit, monthly_debit, \
             daily_debit_count, daily_debit_amount from aggrepay_merchants order by id",
        )?
        .query_map([], |r| {
            Ok(Merchant {
                api_key: checked(r, "api_key")?,
                salt: checked(r, "salt")?,
                fixed_otp: r.get("fixed_otp")?,
                limits: Limits::from_row(r)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let records = wallet_fixtures::export(conn)?;
    let section = Section {
        merchants,
        customers: records.customers,
        pg_transactions: records.pg_transactions,
        sub_merchants: records.sub_merchants,
        transactions: records.transactions,
    };
    Ok(serde_json::to_value(section).expect("a section serializes"))
}
