//! The `chillr` fixture section: merchants (api_key, api_secret_key).

use crate::fixtures::{SectionError, on_duplicate, parse_section};
use crate::text::NonEmpty;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::SqliteConnection;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[serde(default)]
    pub merchants: Vec<Merchant>,
}

#[derive(Debug, Serialize, Deserialize, sqlx::FromRow)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    #[sqlx(try_from = "String")]
    pub api_key: NonEmpty,
    #[sqlx(try_from = "String")]
    pub api_secret_key: NonEmpty,
}

pub async fn load(conn: &mut SqliteConnection, section: &Value) -> Result<(), SectionError> {
    let section: Section = parse_section(section)?;
    for (i, merchant) in section.merchants.iter().enumerate() {
        sqlx::query("insert into chillr_merchants (api_key, api_secret_key) values (?, ?)")
            .bind(merchant.api_key.as_str())
            .bind(merchant.api_secret_key.as_str())
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

pub async fn export(conn: &mut SqliteConnection) -> Result<Value, sqlx::Error> {
    let merchants: Vec<Merchant> =
        sqlx::query_as("select api_key, api_secret_key from chillr_merchants order by id")
            .fetch_all(conn)
            .await?;
    Ok(serde_json::to_value(Section { merchants }).expect("a section serializes"))
}
