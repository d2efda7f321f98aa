//! PayPro's SQL for consumers (`paypro_consumers`): one row per merchant and ConsumerID.

use crate::db::DbError;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// A stored consumer.
#[derive(Debug, Clone, PartialEq)]
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
    pub(super) fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Consumer {
            id: row.get("id")?,
            consumer_id: row.get("consumer_id")?,
            name: row.get("name")?,
            mobile: row.get("mobile")?,
            email: row.get("email")?,
            address: row.get("address")?,
            created_at: row.get("created_at")?,
        })
    }

    /// When it was created (the stored RFC 3339 text).
    pub fn created(&self) -> Result<DateTime<Utc>, DbError> {
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

/// The position of `created_at` in every select of this module.
const CREATED_AT_COLUMN: usize = 6;

pub fn parse_stamp(text: &str) -> Result<DateTime<Utc>, DbError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            DbError::FromSqlConversionFailure(
                CREATED_AT_COLUMN,
                Type::Text,
                format!("bad stored created_at `{text}`").into(),
            )
        })
}

/// The merchant's consumer with this ConsumerID, if any.
pub fn find(
    conn: &Connection,
    merchant_id: i64,
    consumer_id: &str,
) -> Result<Option<Consumer>, DbError> {
    conn.prepare_cached(
        "select id, consumer_id, name, mobile, email, address, created_at \
         from paypro_consumers where merchant_id = ? and consumer_id = ?",
    )?
    .query_row(params![merchant_id, consumer_id], Consumer::from_row)
    .optional()
}

/// Creates a consumer; a UNIQUE violation comes back as the database error it is.
pub fn insert(
    conn: &Connection,
    merchant_id: i64,
    consumer_id: &str,
    fields: &Fields,
    created_at: DateTime<Utc>,
) -> Result<(), DbError> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    conn.prepare_cached(
        "insert into paypro_consumers \
         (merchant_id, consumer_id, name, mobile, email, address, created_at) \
         values (?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        merchant_id,
        consumer_id,
        text(&fields.name),
        text(&fields.mobile),
        text(&fields.email),
        text(&fields.address),
        stamp(created_at),
    ])?;
    Ok(())
}

/// Changes the fields that are `Some`, leaving the others as they are.
pub fn update(conn: &Connection, id: i64, fields: &Fields) -> Result<(), DbError> {
    conn.prepare_cached(
        "update paypro_consumers set name = coalesce(?, name), mobile = coalesce(?, mobile), \
         email = coalesce(?, email), address = coalesce(?, address) where id = ?",
    )?
    .execute(params![
        fields.name.as_deref(),
        fields.mobile.as_deref(),
        fields.email.as_deref(),
        fields.address.as_deref(),
        id,
    ])?;
    Ok(())
}

/// The id of the PayPro merchant with this username, if any.
pub fn merchant_id(conn: &Connection, username: &str) -> Result<Option<i64>, DbError> {
    conn.prepare_cached("select id from paypro_merchants where username = ?")?
        .query_row([username], |r| r.get(0))
        .optional()
}

/// Every consumer with its merchant's username, in id order.
pub fn all(conn: &Connection) -> Result<Vec<(String, Consumer)>, DbError> {
    conn.prepare_cached(
        "select m.username, c.id, c.consumer_id, c.name, c.mobile, c.email, c.address, \
         c.created_at from paypro_consumers c join paypro_merchants m on m.id = c.merchant_id \
         order by c.id",
    )?
    .query_map([], |row| {
        Ok((row.get("username")?, Consumer::from_row(row)?))
    })?
    .collect()
}
