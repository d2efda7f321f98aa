//! The customer pays an order: from the hosted payment page or the control plane.

use super::auth::merchant_by_id;
use super::lifecycle::{OrderStatus, amount_due, effective};
use super::store::{self, Order};
use crate::app::AppState;
use crate::db;
use chrono::{DateTime, Utc};

pub enum Outcome {
    /// Paid now; the order as it is afterwards.
    Paid(Order),
    /// Not payable: its current status.
    NotPayable(Order, OrderStatus),
    NotFound,
}

/// Pays the amount due now, in one transaction, if the order is still unpaid.
pub async fn pay(state: &AppState, connectpay_id: &str) -> Result<Outcome, sqlx::Error> {
    let now: DateTime<Utc> = state.clock.now();
    let mut tx = db::begin_write(&state.db).await?;
    let Some(order) = store::by_connectpay_id(&mut tx, None, connectpay_id).await? else {
        return Ok(Outcome::NotFound);
    };
    let status = effective(&order, now);
    if status != OrderStatus::Unpaid {
        return Ok(Outcome::NotPayable(order, status));
    }
    let merchant = merchant_by_id(&mut tx, order.merchant_id).await?;
    let due = amount_due(&order, now, merchant.offset());
    store::mark_paid(&mut tx, order.id, due, now).await?;
    let paid = store::by_connectpay_id(&mut tx, None, connectpay_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Outcome::Paid(paid))
}
