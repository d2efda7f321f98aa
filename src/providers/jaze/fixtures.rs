//! The `jaze` fixture section: ISP accounts (api_token, api_key, name).

use super::rules::RecordError;
use super::wire::{InvoiceRecord, PaymentRecord, UserRecord};
use super::{rules, store};
use crate::db::DbError;
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate, parse_section};
use crate::text::NonEmpty;
use chrono::{DateTime, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
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

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The HTTP Basic user name.
    pub api_token: NonEmpty,
    /// The HTTP Basic password.
    pub api_key: NonEmpty,
    /// The ISP's name, printed on receipts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Account {
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        let non_empty = |index: usize| {
            NonEmpty::try_from(row.get::<_, String>(index)?)
                .map_err(|e| DbError::FromSqlConversionFailure(index, Type::Text, e.into()))
        };
        Ok(Account {
            api_token: non_empty(0)?,
            api_key: non_empty(1)?,
            name: row.get(2)?,
        })
    }
}

pub fn load(conn: &Connection, section: &Value, now: DateTime<Utc>) -> Result<(), SectionError> {
    let section: Section = parse_section(section)?;
    load_accounts(conn, &section.accounts)?;
    let at = |list: &str, i: usize, e: RecordError| match e {
        RecordError::Invalid(field, message) => {
            SectionError::from(FixtureProblem::new(format!("{list}[{i}].{field}"), message))
        }
        RecordError::Database(e) => SectionError::Database(e),
    };
    for (i, user) in section.users.iter().enumerate() {
        store::insert_user(conn, user.api_token.as_deref(), rules::new_user(user))
            .map_err(|e| at("users", i, e))?;
    }
    let today = now.with_timezone(&crate::timezone::india()).date_naive();
    for (i, invoice) in section.invoices.iter().enumerate() {
        let new = rules::new_invoice(invoice, today);
        store::insert_invoice(conn, invoice.api_token.as_deref(), invoice.user_id, new)
            .map_err(|e| at("invoices", i, e))?;
    }
    for (i, payment) in section.payments.iter().enumerate() {
        let new = rules::new_payment(payment, now);
        store::insert_payment(conn, payment.api_token.as_deref(), payment.user_id, new)
            .map_err(|e| at("payments", i, e))?;
    }
    Ok(())
}

fn load_accounts(conn: &Connection, accounts: &[Account]) -> Result<(), SectionError> {
    let mut insert = conn
        .prepare_cached("insert into jaze_accounts (api_token, api_key, name) values (?, ?, ?)")?;
    for (i, account) in accounts.iter().enumerate() {
        insert
            .execute((
                account.api_token.as_str(),
                account.api_key.as_str(),
                &account.name,
            ))
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

pub fn export(conn: &Connection) -> Result<Value, DbError> {
    let accounts: Vec<Account> = conn
        .prepare_cached("select api_token, api_key, name from jaze_accounts order by id")?
        .query_map([], Account::from_row)?
        .collect::<Result<_, _>>()?;
    let (users, invoices, payments) = store::export(conn)?;
    let section = Section {
        accounts,
        users,
        invoices,
        payments,
    };
    Ok(serde_json::to_value(section).expect("a section serializes"))
}
