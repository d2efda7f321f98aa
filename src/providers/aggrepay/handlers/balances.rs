//! Balances and limit checks (document sections 4, 9 and 10).

use crate::providers::aggrepay::amount::shown;
use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::extract::Authenticated;
use crate::providers::aggrepay::handlers::resolve;
use crate::providers::aggrepay::rules;
use crate::providers::aggrepay::store::limits;
use crate::providers::aggrepay::wire::{Answer, success};
use crate::state::AppState;
use axum::extract::State;
use serde_json::{Value, json};

/// `{"balance":"41.0","customer_id":"546693304"}` by `customer_id` or `mobile_number`.
pub async fn fetchbalance(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    let customer = auth
        .read(&state.db, |conn, merchant, fields| {
            resolve(conn, merchant, fields, "")
        })
        .await?;
    let data = json!({"balance": shown(customer.balance), "customer_id": customer.customer_id});
    Ok(success(auth.salt(), data, Value::Null))
}

/// `"data": true` when `amount` could be credited now (monthly credit limit, balance cap).
pub async fn checkcustomercreditlimit(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    check_limit(&state, &auth, Direction::Credit).await
}

/// `"data": true` when `amount` could be debited now (daily count and amount, month).
pub async fn checkcustomerdebitlimit(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Answer, AggrePayError> {
    check_limit(&state, &auth, Direction::Debit).await
}

#[derive(Clone, Copy)]
enum Direction {
    Credit,
    Debit,
}

async fn check_limit(
    state: &AppState,
    auth: &Authenticated,
    direction: Direction,
) -> Result<Answer, AggrePayError> {
    let now = state.clock.now();
    let amount = rules::required_amount(&auth.fields);
    // Only a read: the limits are compared after it, outside the hold.
    let (customer, current, amount) = auth
        .read(&state.db, |conn, merchant, fields| {
            let customer = resolve(conn, merchant, fields, "")?;
            let amount = amount?;
            let current = limits::current(conn, customer.row, now)?;
            Ok((customer, current, amount))
        })
        .await?;
    match direction {
        Direction::Credit => {
            rules::credit_allowed(&customer.limits, customer.balance, current, amount)?
        }
        Direction::Debit => rules::debit_allowed(&customer.limits, current, amount)?,
    }
    Ok(success(auth.salt(), Value::Bool(true), Value::Null))
}
