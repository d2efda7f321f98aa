//! The `chillr` fixture section: merchants, the Chillr user registry, and batches (which may
//! be mid-way: some customers paid or declined, some pending).

use super::ids::{self, is_batch_id, is_transaction_id};
use super::lifecycle::{PaymentStatus, new_request};
use super::rules::{format_expiry_date, normalize_msisdn, parse_amount, parse_expiry_date};
use super::store::{self, CustomerRecord, NewBatch, Request};
use crate::db::DbError;
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate, parse_section};
use crate::text::NonEmpty;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[serde(default)]
    pub merchants: Vec<Merchant>,
    /// Registered Chillr users (shared by all merchants).
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub batches: Vec<Batch>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    pub api_key: NonEmpty,
    pub api_secret_key: NonEmpty,
}

impl Merchant {
    /// A stored merchant; an empty key was never loaded, so it reads as a bad stored value.
    fn from_stored((api_key, api_secret_key): (String, String)) -> Result<Self, DbError> {
        let non_empty = |index, text| {
            NonEmpty::try_from(text).map_err(|message| store::bad_stored_text(index, message))
        };
        Ok(Merchant {
            api_key: non_empty(0, api_key)?,
            api_secret_key: non_empty(1, api_secret_key)?,
        })
    }
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// 24 lower-case hex characters; generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_id: Option<String>,
    /// The merchant it belongs to.
    pub api_key: String,
    pub name: String,
    /// `dd-mm-yyyy`; the batch expires at the end of it, India time.
    pub expiry_date: String,
    /// Default: now on the sandbox clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    pub customers: Vec<Customer>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    pub msisdn: String,
    /// As the merchant sent it: `"200"`, `"99.50"`.
    pub amount: String,
    #[serde(default = "pending")]
    pub payment_status: FixtureStatus,
    /// 12 digits; generated when absent (never for `not_generated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// When paid or declined (default: the batch's creation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acted_at: Option<DateTime<Utc>>,
}

/// `expired` is not a stored status: it follows from the expiry date and the clock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FixtureStatus {
    Pending,
    Paid,
    Declined,
    /// A customer who is not a Chillr user: no collect request, no transaction.
    NotGenerated,
}

fn pending() -> FixtureStatus {
    FixtureStatus::Pending
}

pub fn load(conn: &Connection, section: &Value, now: DateTime<Utc>) -> Result<(), SectionError> {
    let section: Section = parse_section(section)?;
    for (i, merchant) in section.merchants.iter().enumerate() {
        store::insert_merchant(
            conn,
            merchant.api_key.as_str(),
            merchant.api_secret_key.as_str(),
        )
        .map_err(|e| {
            on_duplicate(
                e,
                format!("merchants[{i}].api_key"),
                format!("api_key `{}`", merchant.api_key),
            )
        })?;
    }
    let users = section
        .users
        .iter()
        .enumerate()
        .map(|(i, m)| {
            normalize_msisdn(m).ok_or_else(|| {
                FixtureProblem::new(
                    format!("users[{i}]"),
                    format!("`{m}` is not a mobile number"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    store::register_users(conn, &users)?;
    for (i, batch) in section.batches.iter().enumerate() {
        let at = format!("batches[{i}]");
        let new = check_batch(conn, batch, &at, now)?;
        store::insert_batch(conn, &new)
            .map_err(|e| on_duplicate(e, at.clone(), "batch_id or transaction_id".into()))?;
    }
    Ok(())
}

fn check_batch(
    conn: &Connection,
    batch: &Batch,
    at: &str,
    now: DateTime<Utc>,
) -> Result<NewBatch, SectionError> {
    let problem =
        |field: &str, message: String| FixtureProblem::new(format!("{at}.{field}"), message);
    let created_at = batch.created_at.unwrap_or(now);
    let batch_id = match &batch.batch_id {
        Some(id) if !is_batch_id(id) => {
            return Err(problem(
                "batch_id",
                format!("`{id}` is not 24 lower-case hex characters"),
            )
            .into());
        }
        Some(id) => id.clone(),
        None => ids::batch_id(created_at),
    };
    let merchant = store::merchant_by_api_key(conn, &batch.api_key)?.ok_or_else(|| {
        problem(
            "api_key",
            format!("no merchant with api_key `{}` is loaded", batch.api_key),
        )
    })?;
    if batch.name.is_empty() || batch.name.chars().count() > 100 {
        return Err(problem("name", "must have 1 to 100 characters".into()).into());
    }
    let expiry_date = parse_expiry_date(&batch.expiry_date).ok_or_else(|| {
        problem(
            "expiry_date",
            format!("`{}` is not a dd-mm-yyyy date", batch.expiry_date),
        )
    })?;
    if batch.customers.is_empty() {
        return Err(problem("customers", "a batch has at least one customer".into()).into());
    }
    let mut seen = HashSet::new();
    let mut customers = Vec::new();
    for (j, customer) in batch.customers.iter().enumerate() {
        let field = |name: &str| format!("customers[{j}].{name}");
        let msisdn = normalize_msisdn(&customer.msisdn).ok_or_else(|| {
            problem(
                &field("msisdn"),
                format!("`{}` is not a mobile number", customer.msisdn),
            )
        })?;
        if !seen.insert(msisdn.clone()) {
            return Err(problem(
                &field("msisdn"),
                format!("duplicate msisdn `{msisdn}` in this batch"),
            )
            .into());
        }
        if parse_amount(&customer.amount).is_none() {
            return Err(problem(
                &field("amount"),
                format!("`{}` is not an amount Chillr accepts", customer.amount),
            )
            .into());
        }
        if let Some(id) = &customer.transaction_id
            && (!is_transaction_id(id) || customer.payment_status == FixtureStatus::NotGenerated)
        {
            return Err(problem(
                &field("transaction_id"),
                format!("`{id}` is not 12 digits, or the customer has no collect request"),
            )
            .into());
        }
        let status = match customer.payment_status {
            FixtureStatus::NotGenerated => None,
            FixtureStatus::Pending => Some(PaymentStatus::Pending),
            FixtureStatus::Paid => Some(PaymentStatus::Paid),
            FixtureStatus::Declined => Some(PaymentStatus::Declined),
        };
        if customer.acted_at.is_some()
            && !matches!(status, Some(PaymentStatus::Paid | PaymentStatus::Declined))
        {
            return Err(problem(
                &field("acted_at"),
                "only a paid or declined request has acted_at".into(),
            )
            .into());
        }
        let request = status.map(|status| {
            let generated = new_request(&msisdn, created_at);
            Request {
                transaction_id: customer
                    .transaction_id
                    .clone()
                    .unwrap_or(generated.transaction_id),
                status,
                acted_at: (status != PaymentStatus::Pending)
                    .then(|| customer.acted_at.unwrap_or(created_at)),
            }
        });
        customers.push(CustomerRecord {
            msisdn,
            amount: customer.amount.clone(),
            request,
        });
    }
    Ok(NewBatch {
        batch_id,
        merchant_id: merchant.id,
        name: batch.name.clone(),
        expiry_date,
        created_at,
        customers,
    })
}

pub fn export(conn: &Connection) -> Result<Value, DbError> {
    let merchants = store::all_merchants(conn)?
        .into_iter()
        .map(Merchant::from_stored)
        .collect::<Result<Vec<_>, _>>()?;
    let users = store::all_users(conn)?;
    let mut batches = Vec::new();
    for batch in store::all_batches(conn)? {
        batches.push(Batch {
            batch_id: Some(batch.batch_id),
            api_key: batch.api_key,
            name: batch.name,
            expiry_date: format_expiry_date(batch.expiry_date),
            created_at: Some(batch.created_at),
            customers: batch
                .customers
                .into_iter()
                .map(|c| {
                    let (payment_status, transaction_id, acted_at) = match c.request {
                        None => (FixtureStatus::NotGenerated, None, None),
                        Some(r) => (
                            match r.status {
                                PaymentStatus::Paid => FixtureStatus::Paid,
                                PaymentStatus::Declined => FixtureStatus::Declined,
                                _ => FixtureStatus::Pending,
                            },
                            Some(r.transaction_id),
                            r.acted_at,
                        ),
                    };
                    Customer {
                        msisdn: c.msisdn,
                        amount: c.amount,
                        payment_status,
                        transaction_id,
                        acted_at,
                    }
                })
                .collect(),
        });
    }
    let section = Section {
        merchants,
        users,
        batches,
    };
    Ok(serde_json::to_value(section).expect("a section serializes"))
}
