//! The `jaze` fixture section: ISP accounts (api_token, api_key, name).

use crate::fixtures::{SectionError, on_duplicate, parse_section};
use crate::text::NonEmpty;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[serde(default)]
    pub accounts: Vec<Account>,
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

pub async fn load(conn: &mut SqliteConnection, section: &Value) -> Result<(), SectionError> {
    let section: Section = parse_section(section)?;
    for (i, account) in section.accounts.iter().enumerate() {
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
            .fetch_all(conn)
            .await?;
    Ok(serde_json::to_value(Section { accounts }).expect("a section serializes"))
}
