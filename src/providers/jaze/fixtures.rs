//! The `jaze` fixture section: ISP accounts (api_token, api_key, name).

use super::records::{self, InvoiceRecord, PaymentRecord, RecordError, UserRecord};
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate, parse_section};
use crate::text::NonEmpty;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub users: Vec<UserRecord>,
    #[serde(default)]
    pub invoices: Vec<InvoiceRecord>,
    #[serde(default)]
    pub payments: Vec<PaymentRecord>,
}

#[derive(Debug, Serialize, Deserialize, sqlx::FromRow)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The HTTP Basic user name.
    #[sqlx(try_from = "String")]
    pub api_token: NonEmpty,
    /// The HTTP Basic password.
    #[sqlx(try_from = "String")]
    pub api_key: NonEmpty,
    /// The ISP's name, printed on receipts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

pub async fn load(
    conn: &mut SqliteConnection,
    section: &Value,
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    let section: Section = parse_section(section)?;
    load_accounts(conn, &section.accounts).await?;
    let at = |list: &str, i: usize, e: RecordError| match e {
        RecordError::Invalid(field, message) => {
            SectionError::from(FixtureProblem::new(format!("{list}[{i}].{field}"), message))
        }
        RecordError::Database(e) => SectionError::Database(e),
    };
    for (i, user) in section.users.iter().enumerate() {
        records::insert_user(conn, user)
            .await
            .map_err(|e| at("users", i, e))?;
    }
    let today = now.with_timezone(&crate::timezone::india()).date_naive();
    for (i, invoice) in section.invoices.iter().enumerate() {
        records::insert_invoice(conn, invoice, today)
            .await
            .map_err(|e| at("invoices", i, e))?;
    }
    for (i, payment) in section.payments.iter().enumerate() {
        records::insert_payment(conn, payment, now)
            .await
            .map_err(|e| at("payments", i, e))?;
    }
    Ok(())
}

async fn load_accounts(
    conn: &mut SqliteConnection,
    accounts: &[Account],
) -> Result<(), SectionError> {
    for (i, account) in accounts.iter().enumerate() {
        sqlx::query("insert into jaze_accounts (api_token, api_key, name) values (?, ?, ?)")
            .bind(account.api_token.as_str())
            .bind(account.api_key.as_str())
            .bind(&account.name)
            .execute(&mut *conn)
            .await
            .map_err(|e| {
                on_duplicate(
                    e,
                    format!("accounts[{i}].api_token"),
                    format!("api_token `{}`", account.api_token),
                )
            })?;
    }
    Ok(())
}

pub async fn export(conn: &mut SqliteConnection) -> Result<Value, sqlx::Error> {
    let accounts: Vec<Account> =
        sqlx::query_as("select api_token, api_key, name from jaze_accounts order by id")
            .fetch_all(&mut *conn)
            .await?;
    let (users, invoices, payments) = records::export(conn).await?;
    let section = Section {
        accounts,
        users,
        invoices,
        payments,
    };
    Ok(serde_json::to_value(section).expect("a section serializes"))
}
