//! PayPro's SQL for consumers (`paypro_consumers`): one row per merchant and ConsumerID.

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::SqliteConnection;

/// A stored consumer.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Consumer {
    pub id: i64,
    pub consumer_id: String,
    pub name: String,
    pub mobile: String,
    pub email: String,
    pub address: String,
    pub created_at: String,
}

impl Consumer {
    /// When it was created (the stored RFC 3339 text).
    pub fn created(&self) -> Result<DateTime<Utc>, sqlx::Error> {
        parse_stamp(&self.created_at)
    }
}

/// The fields of a consumer to create, or to change (`None`: leave as it is).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    pub name: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// RFC 3339 in UTC with milliseconds, as every PayPro timestamp is stored.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_stamp(text: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| sqlx::Error::Decode(format!("bad stored created_at `{text}`").into()))
}

/// The merchant's consumer with this ConsumerID, if any.
pub async fn find(
    conn: &mut SqliteConnection,
    merchant_id: i64,
    consumer_id: &str,
) -> Result<Option<Consumer>, sqlx::Error> {
    sqlx::query_as(
        "select id, consumer_id, name, mobile, email, address, created_at \
         from paypro_consumers where merchant_id = ? and consumer_id = ?",
    )
    .bind(merchant_id)
    .bind(consumer_id)
    .fetch_optional(conn)
    .await
}

/// Creates a consumer; a UNIQUE violation comes back as the database error it is.
pub async fn insert(
    conn: &mut SqliteConnection,
    merchant_id: i64,
    consumer_id: &str,
    fields: &Fields,
    created_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    sqlx::query(
        "insert into paypro_consumers \
         (merchant_id, consumer_id, name, mobile, email, address, created_at) \
         values (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(merchant_id)
    .bind(consumer_id)
    .bind(text(&fields.name))
    .bind(text(&fields.mobile))
    .bind(text(&fields.email))
    .bind(text(&fields.address))
    .bind(stamp(created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Changes the fields that are `Some`, leaving the others as they are.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    fields: &Fields,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update paypro_consumers set name = coalesce(?, name), mobile = coalesce(?, mobile), \
         email = coalesce(?, email), address = coalesce(?, address) where id = ?",
    )
    .bind(fields.name.as_deref())
    .bind(fields.mobile.as_deref())
    .bind(fields.email.as_deref())
    .bind(fields.address.as_deref())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The id of the PayPro merchant with this username, if any.
pub async fn merchant_id(
    conn: &mut SqliteConnection,
    username: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select id from paypro_merchants where username = ?")
        .bind(username)
        .fetch_optional(conn)
        .await
}

/// Every consumer with its merchant's username, in id order.
#[derive(Debug, sqlx::FromRow)]
pub struct Exported {
    pub username: String,
    pub consumer_id: String,
    pub name: String,
    pub mobile: String,
    pub email: String,
    pub address: String,
    pub created_at: String,
}

pub async fn all(conn: &mut SqliteConnection) -> Result<Vec<Exported>, sqlx::Error> {
    sqlx::query_as(
        "select m.username, c.consumer_id, c.name, c.mobile, c.email, c.address, c.created_at \
         from paypro_consumers c join paypro_merchants m on m.id = c.merchant_id order by c.id",
    )
    .fetch_all(conn)
    .await
}
