//! The `paypro.orders` fixture section: orders in any state, each naming its merchant by
//! `username`.

use super::lifecycle::OrderStatus;
use super::store::{self, Order};
use crate::db::DbError;
use crate::fixtures::{FixtureProblem, SectionError, on_duplicate};
use crate::money::Amount;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::str::FromStr;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderFixture {
    /// The merchant (its `username`).
    pub username: String,
    pub order_number: String,
    /// 14 digits; generated from the merchant's company code and `created_at` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connectpay_id: Option<String>,
    pub order_amount: Amount,
    /// Default: `order_amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_within_due: Option<Amount>,
    /// Default: `order_amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_after_due: Option<Amount>,
    /// Default: the merchant's fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Amount>,
    /// `yyyy-mm-dd`.
    pub order_due_date: NaiveDate,
    /// `yyyy-mm-dd`.
    pub issue_date: NaiveDate,
    #[serde(default = "service")]
    pub order_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_type_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_status: Option<String>,
    pub customer_name: String,
    #[serde(default)]
    pub customer_mobile: String,
    #[serde(default)]
    pub customer_email: String,
    #[serde(default)]
    pub customer_address: String,
    #[serde(default)]
    pub customer_bank: String,
    /// Line items (`BillDetail01`) as any JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_detail: Option<Value>,
    #[serde(default)]
    pub expire_after_seconds: u32,
    #[serde(default = "unpaid")]
    pub status: FixtureStatus,
    /// Default: now on the sandbox clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// For paid and refunded orders; default `created_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<DateTime<Utc>>,
    /// For paid and refunded orders; default `amount_within_due`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_paid: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded_amount: Option<Amount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixtureStatus {
    Unpaid,
    Paid,
    Blocked,
    Refunded,
}

fn service() -> String {
    "Service".into()
}

fn unpaid() -> FixtureStatus {
    FixtureStatus::Unpaid
}

struct MerchantRow {
    id: i64,
    company_code: String,
    fee: Decimal,
    offset: chrono::FixedOffset,
}

/// Every loaded merchant by username (orders name theirs; none is added while orders load).
fn merchants(conn: &Connection) -> Result<HashMap<String, MerchantRow>, DbError> {
    conn.prepare_cached("select id, username, company_code, fee, utc_offset from paypro_merchants")?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>("username")?,
                MerchantRow {
                    id: r.get("id")?,
                    company_code: r.get("company_code")?,
                    fee: Decimal::from_str(r.get_ref("fee")?.as_str()?).unwrap_or_default(),
                    offset: crate::timezone::parse_offset(r.get_ref("utc_offset")?.as_str()?)
                        .unwrap_or_else(crate::timezone::pakistan),
                },
            ))
        })?
        .collect()
}

pub fn load(
    conn: &Connection,
    orders: &[OrderFixture],
    now: DateTime<Utc>,
) -> Result<(), SectionError> {
    if orders.is_empty() {
        return Ok(());
    }
    let merchants = merchants(conn)?;
    for (i, fixture) in orders.iter().enumerate() {
        let at = |field: &str| format!("orders[{i}].{field}");
        let merchant = merchants.get(&fixture.username).ok_or_else(|| {
            FixtureProblem::new(
                at("username"),
                format!("no merchant with username `{}` is loaded", fixture.username),
            )
        })?;
        if fixture.order_number.trim().is_empty() || fixture.order_number.chars().count() > 256 {
            return Err(
                FixtureProblem::new(at("order_number"), "must have 1 to 256 characters").into(),
            );
        }
        if fixture.order_amount.value().is_zero() {
            return Err(FixtureProblem::new(at("order_amount"), "must be above zero").into());
        }
        let created_at = fixture.created_at.unwrap_or(now);
        let status = match fixture.status {
            FixtureStatus::Unpaid => OrderStatus::Unpaid,
            FixtureStatus::Paid => OrderStatus::Paid,
            FixtureStatus::Blocked => OrderStatus::Blocked,
            FixtureStatus::Refunded => OrderStatus::Refunded,
        };
        let stray = [
            (
                "paid_at",
                fixture.paid_at.is_some()
                    && !matches!(status, OrderStatus::Paid | OrderStatus::Refunded),
            ),
            (
                "amount_paid",
                fixture.amount_paid.is_some()
                    && !matches!(status, OrderStatus::Paid | OrderStatus::Refunded),
            ),
            (
                "blocked_at",
                fixture.blocked_at.is_some() && status != OrderStatus::Blocked,
            ),
            (
                "refunded_at",
                fixture.refunded_at.is_some() && status != OrderStatus::Refunded,
            ),
            (
                "refunded_amount",
                fixture.refunded_amount.is_some() && status != OrderStatus::Refunded,
            ),
        ];
        if let Some((field, _)) = stray.iter().find(|(_, stray)| *stray) {
            return Err(FixtureProblem::new(
                at(field),
                format!("does not apply to a {} order", status.stored()),
            )
            .into());
        }
        let within = fixture
            .amount_within_due
            .unwrap_or(fixture.order_amount)
            .value();
        let was_paid = matches!(status, OrderStatus::Paid | OrderStatus::Refunded);
        let connectpay_id = match &fixture.connectpay_id {
            Some(id) if id.len() != 14 || !id.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(FixtureProblem::new(
                    at("connectpay_id"),
                    format!("`{id}` is not 14 digits"),
                )
                .into());
            }
            Some(id) => id.clone(),
            None => {
                let day = created_at.with_timezone(&merchant.offset).date_naive();
                store::next_connectpay_id(conn, &merchant.company_code, day)?
            }
        };
        let order = Order {
            id: 0,
            merchant_id: merchant.id,
            connectpay_id,
            order_number: fixture.order_number.trim().to_string(),
            order_amount: fixture.order_amount.value(),
            amount_within_due: within,
            amount_after_due: fixture
                .amount_after_due
                .unwrap_or(fixture.order_amount)
                .value(),
            fee: fixture.fee.map(Amount::value).unwrap_or(merchant.fee),
            due_date: fixture.order_due_date,
            issue_date: fixture.issue_date,
            order_type: fixture.order_type.clone(),
            order_type_id: fixture.order_type_id.clone(),
            transaction_status: fixture.transaction_status.clone(),
            customer_name: fixture.customer_name.clone(),
            customer_mobile: fixture.customer_mobile.clone(),
            customer_email: fixture.customer_email.clone(),
            customer_address: fixture.customer_address.clone(),
            customer_bank: fixture.customer_bank.clone(),
            bill_detail: fixture.bill_detail.as_ref().map(Value::to_string),
            expire_after_seconds: fixture.expire_after_seconds.into(),
            status,
            created_at,
            paid_at: was_paid.then(|| fixture.paid_at.unwrap_or(created_at)),
            amount_paid: was_paid.then(|| fixture.amount_paid.map_or(within, Amount::value)),
            blocked_at: (status == OrderStatus::Blocked)
                .then(|| fixture.blocked_at.unwrap_or(created_at)),
            refunded_at: (status == OrderStatus::Refunded)
                .then(|| fixture.refunded_at.unwrap_or(created_at)),
            refunded_amount: (status == OrderStatus::Refunded)
                .then(|| fixture.refunded_amount.map_or(within, Amount::value)),
        };
        store::insert(conn, &order).map_err(|e| {
            on_duplicate(
                e,
                format!("orders[{i}]"),
                format!(
                    "order_number `{}` or connectpay_id `{}`",
                    order.order_number, order.connectpay_id
                ),
            )
        })?;
    }
    Ok(())
}

pub fn export(conn: &Connection) -> Result<Vec<OrderFixture>, DbError> {
    let usernames: HashMap<i64, String> = conn
        .prepare_cached("select id, username from paypro_merchants")?
        .query_map([], |r| Ok((r.get("id")?, r.get("username")?)))?
        .collect::<Result<_, _>>()?;
    let amount = |d: Decimal| Amount::new(d).expect("stored amounts have two decimals");
    Ok(store::all(conn)?
        .into_iter()
        .map(|o| OrderFixture {
            username: usernames.get(&o.merchant_id).cloned().unwrap_or_default(),
            order_number: o.order_number,
            connectpay_id: Some(o.connectpay_id),
            order_amount: amount(o.order_amount),
            amount_within_due: Some(amount(o.amount_within_due)),
            amount_after_due: Some(amount(o.amount_after_due)),
            fee: Some(amount(o.fee)),
            order_due_date: o.due_date,
            issue_date: o.issue_date,
            order_type: o.order_type,
            order_type_id: o.order_type_id,
            transaction_status: o.transaction_status,
            customer_name: o.customer_name,
            customer_mobile: o.customer_mobile,
            customer_email: o.customer_email,
            customer_address: o.customer_address,
            customer_bank: o.customer_bank,
            bill_detail: o.bill_detail.and_then(|t| serde_json::from_str(&t).ok()),
            expire_after_seconds: u32::try_from(o.expire_after_seconds).unwrap_or(u32::MAX),
            status: match o.status {
                OrderStatus::Unpaid => FixtureStatus::Unpaid,
                OrderStatus::Paid => FixtureStatus::Paid,
                OrderStatus::Blocked => FixtureStatus::Blocked,
                OrderStatus::Refunded => FixtureStatus::Refunded,
            },
            created_at: Some(o.created_at),
            paid_at: o.paid_at,
            amount_paid: o.amount_paid.map(amount),
            blocked_at: o.blocked_at,
            refunded_at: o.refunded_at,
            refunded_amount: o.refunded_amount.map(amount),
        })
        .collect())
}
