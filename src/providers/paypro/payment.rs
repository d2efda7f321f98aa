//! The customer pays an order: from the hosted payment page or the control plane.

use super::rules::{OrderStatus, amount_due, effective};
use super::store::merchants;
use super::store::merchants::Merchant;
use super::store::{self, Order};
use crate::db::DbError;
use crate::state::AppState;
use chrono::{DateTime, Utc};

pub enum Outcome {
    /// Paid now; the order as it is afterwards, and its merchant.
    Paid(Order, Box<Merchant>),
    /// Not payable: its current status.
    NotPayable(Order, OrderStatus),
    NotFound,
}

/// Pays the amount due now, in one transaction, if the order is still unpaid.
pub async fn pay(state: &AppState, connectpay_id: &str) -> Result<Outcome, DbError> {
    state
        .db
        .write(|conn| {
            let now: DateTime<Utc> = state.clock.now();
            let Some(order) = store::by_connectpay_id(conn, None, connectpay_id)? else {
                return Ok(Outcome::NotFound);
            };
            let status = effective(&order, now);
            if status != OrderStatus::Unpaid {
                return Ok(Outcome::NotPayable(order, status));
            }
            let merchant = merchants::by_id(conn, order.merchant_id)?;
            let due = amount_due(&order, now, merchant.offset());
            store::mark_paid(conn, order.id, due, now)?;
            let paid = store::by_connectpay_id(conn, None, connectpay_id)?
                .ok_or(DbError::QueryReturnedNoRows)?;
            Ok(Outcome::Paid(paid, Box::new(merchant)))
        })
        .await
}
