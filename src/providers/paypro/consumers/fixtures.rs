//! The `paypro.consumers` fixture section: consumers naming their merchant by `username`.

use super::MAX_FIELD;
use super::store::{self, Fields};
use crate::db::DbError;
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// A consumer in the `paypro` fixture section (`paypro.consumers[]`), named by its merchant's
/// username. `created_at` defaults to the load time; exports always carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::providers::paypro) struct ConsumerFixture {
    /// The merchant's username (MerchantId).
    username: String,
    /// 1 to 16 digits.
    consumer_id: String,
    name: String,
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<DateTime<Utc>>,
}

/// Loads `paypro.consumers[]`; merchants (of this document or earlier ones) must be loaded
/// first. Problems are reported at `consumers[i].<field>`.
pub(in crate::providers::paypro) fn load_fixtures(
    conn: &Connection,
    consumers: &[ConsumerFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    for (i, consumer) in consumers.iter().enumerate() {
        let at = |field: &str| format!("consumers[{i}].{field}");
        let Some(merchant_id) = store::merchant_id(conn, &consumer.username)? else {
            return Err(FixtureProblem::new(
                at("username"),
                format!(
                    "no PayPro merchant has the username `{}`",
                    consumer.username
                ),
            )
            .into());
        };
        let id = &consumer.consumer_id;
        if id.is_empty() || id.len() > 16 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FixtureProblem::new(
                at("consumer_id"),
                format!("`{id}` is not 1 to 16 digits"),
            )
            .into());
        }
        if consumer.name.trim().is_empty() {
            return Err(FixtureProblem::new(at("name"), "must not be empty").into());
        }
        for (field, value) in [
            ("name", &consumer.name),
            ("mobile", &consumer.mobile),
            ("email", &consumer.email),
            ("address", &consumer.address),
        ] {
            if value.chars().count() > MAX_FIELD {
                return Err(FixtureProblem::new(
                    at(field),
                    format!("at most {MAX_FIELD} characters"),
                )
                .into());
            }
        }
        let fields = Fields {
            name: Some(consumer.name.clone()),
            mobile: Some(consumer.mobile.clone()),
            email: Some(consumer.email.clone()),
            address: Some(consumer.address.clone()),
        };
        let created_at = consumer.created_at.unwrap_or(now);
        store::insert(conn, merchant_id, id, &fields, created_at).map_err(|e| {
            on_duplicate(
                e,
                at("consumer_id"),
                format!("consumer `{id}` of merchant `{}`", consumer.username),
            )
        })?;
    }
    Ok(())
}

/// Every consumer, in id order, `created_at` included, so that export → load round-trips.
pub(in crate::providers::paypro) fn export_fixtures(
    conn: &Connection,
) -> Result<Vec<ConsumerFixture>, DbError> {
    store::all(conn)?
        .into_iter()
        .map(|row| {
            Ok(ConsumerFixture {
                created_at: Some(store::parse_stamp(&row.created_at)?),
                username: row.username,
                consumer_id: row.consumer_id,
                name: row.name,
                mobile: row.mobile,
                email: row.email,
                address: row.address,
            })
        })
        .collect()
}
