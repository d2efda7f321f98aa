//! The `aggrepay` fixture section: merchants (api_key, salt, fixed_otp, default limits).

use super::wallet_fixtures::{
    self, CustomerFixture, PgTransactionFixture, SubMerchantFixture, TransactionFixture,
};
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate, parse_section};
use crate::money::Amount;
use crate::text::NonEmpty;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;

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
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    #[sqlx(try_from = "String")]
    pub max_balance: Amount,
    #[sqlx(try_from = "String")]
    pub monthly_credit: Amount,
    #[sqlx(try_from = "String")]
    pub monthly_debit: Amount,
    pub daily_debit_count: u32,
    #[sqlx(try_from = "String")]
    pub daily_debit_amount: Amount,
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

pub async fn load(
    conn: &mut SqliteConnection,
    section: &Value,
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    let section: Section = parse_section(section)?;
    load_merchants(conn, &section.merchants).await?;
    wallet_fixtures::load_customers(conn, &section.customers, now).await?;
    wallet_fixtures::load_pg_transactions(conn, &section.pg_transactions, now).await?;
    wallet_fixtures::load_sub_merchants(conn, &section.sub_merchants, now).await?;
    wallet_fixtures::load_transactions(conn, &section.transactions, now).await
}

async fn load_merchants(
    conn: &mut SqliteConnection,
    merchants: &[Merchant],
) -> Result<(), SectionError> {
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
        sqlx::query(
            "insert into aggrepay_merchants (api_key, salt, fixed_otp, max_balance, \
             monthly_credit, monthly_debit, daily_debit_count, daily_debit_amount) \
             values (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(merchant.api_key.as_str())
        .bind(merchant.salt.as_str())
        .bind(&merchant.fixed_otp)
        .bind(limits.max_balance.to_fixed2())
        .bind(limits.monthly_credit.to_fixed2())
        .bind(limits.monthly_debit.to_fixed2())
        .bind(limits.daily_debit_count)
        .bind(limits.daily_debit_amount.to_fixed2())
        .execute(&mut *conn)
        .await
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

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(try_from = "String")]
    api_key: NonEmpty,
    #[sqlx(try_from = "String")]
    salt: NonEmpty,
    fixed_otp: Option<String>,
    #[sqlx(flatten)]
    limits: Limits,
}

pub async fn export(conn: &mut SqliteConnection) -> Result<Value, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "select api_key, salt, fixed_otp, max_balance, monthly_credit, monthly_debit, \
         daily_debit_count, daily_debit_amount from aggrepay_merchants order by id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let merchants = rows
        .into_iter()
        .map(|r| Merchant {
            api_key: r.api_key,
            salt: r.salt,
            fixed_otp: r.fixed_otp,
            limits: r.limits,
        })
        .collect();
    let records = wallet_fixtures::export(conn).await?;
    let section = Section {
        merchants,
        customers: records.customers,
        pg_transactions: records.pg_transactions,
        sub_merchants: records.sub_merchants,
        transactions: records.transactions,
    };
    Ok(serde_json::to_value(section).expect("a section serializes"))
}
