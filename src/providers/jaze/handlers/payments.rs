//! S1–S4: payment ids and payment details.

use super::super::errors::JazeError;
use super::super::rules::{self, Dates, Range};
use super::super::store::{self, StoredPayment, User};
use super::super::wire::{self, PaymentIds, UserDetails};
use super::extract::{Account, Inputs};
use super::{Answer, Noted, noting_user};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use std::collections::BTreeMap;

/// S1 `get_all_payment_ids[/{fromDate}[/{toDate}]]`.
pub async fn payment_ids(
    State(state): State<AppState>,
    account: Account,
    inputs: Inputs,
) -> Result<Answer<PaymentIds>, JazeError> {
    let range = inputs.range(Dates::Optional, state.clock.now())?;
    let ids = state
        .db
        .read(move |conn| store::payment_ids(conn, account.id, &range))
        .await?;
    Ok(Json(PaymentIds(ids)))
}

/// S2 `get_payment_details/{userId}`: every payment of the user.
pub async fn details(
    State(state): State<AppState>,
    account: Account,
    inputs: Inputs,
) -> Result<Noted<UserDetails>, JazeError> {
    let user_id = inputs.user_id()?;
    let (user, payments) = user_payments(&state, account, user_id, Range::default()).await?;
    Ok(noting_user(user_id, Json(user_details(user, payments)?)))
}

/// S3 `get_payment_details_by_date/{fromDate}/{toDate}`: one array per user.
pub async fn details_by_date(
    State(state): State<AppState>,
    account: Account,
    inputs: Inputs,
) -> Result<Answer<wire::DetailsByDate>, JazeError> {
    let range = inputs.range(Dates::Required, state.clock.now())?;
    let payments = state
        .db
        .read(move |conn| store::payments(conn, account.id, None, &range))
        .await?;
    Ok(Json(by_user(payments)?))
}

/// S4 `get_payment_details_by_userid_and_date/{userId}/{fromDate}/{toDate}`.
pub async fn details_by_user_and_date(
    State(state): State<AppState>,
    account: Account,
    inputs: Inputs,
) -> Result<Noted<UserDetails>, JazeError> {
    let user_id = inputs.user_id()?;
    let range = inputs.range(Dates::Required, state.clock.now())?;
    let (user, payments) = user_payments(&state, account, user_id, range).await?;
    Ok(noting_user(user_id, Json(user_details(user, payments)?)))
}

/// The account's user and their payments within the range, in one snapshot; 404 `User not
/// found` for another account's user too.
async fn user_payments(
    state: &AppState,
    account: Account,
    user_id: Option<i64>,
    range: Range,
) -> Result<(User, Vec<StoredPayment>), JazeError> {
    let found = state
        .db
        .read(move |conn| {
            let Some(user) = store::user(conn, account.id, user_id)? else {
                return Ok(None);
            };
            let payments = store::payments(conn, account.id, Some(user.row), &range)?;
            Ok::<_, crate::db::DbError>(Some((user, payments)))
        })
        .await?;
    found.ok_or(JazeError::NotFound("User not found"))
}

/// S2/S4's answer: the customer, then per payment its record, its invoices and its cheque.
fn user_details(user: User, payments: Vec<StoredPayment>) -> Result<UserDetails, JazeError> {
    let mut records = Vec::with_capacity(payments.len());
    let mut invoices = Vec::with_capacity(payments.len());
    let mut cheques = Vec::with_capacity(payments.len());
    for p in payments {
        records.push(wire::PaymentEntry {
            payment: wire::Payment {
                id: p.payment_id,
                amount: rules::ten_decimals(&p.amount)?,
                create_datetime: rules::india_time(&p.created_at)?,
            },
        });
        invoices.push(invoice_entries(&p));
        cheques.push((cheque_entry(p).into_iter().collect(),));
    }
    let customer = wire::Customer {
        customer_number: user.customer_number,
    };
    Ok(UserDetails(customer, records, invoices, cheques))
}

/// The invoices a payment pays.
fn invoice_entries(p: &StoredPayment) -> Vec<wire::PaymentInvoiceEntry> {
    let entry = |invoice_id| wire::PaymentInvoiceEntry {
        payment_invoice: wire::PaymentInvoice {
            payment_id: p.payment_id,
            invoice_id,
        },
    };
    p.invoice_ids.iter().copied().map(entry).collect()
}

/// The cheque record of a payment by cheque.
fn cheque_entry(p: StoredPayment) -> Option<wire::ChequeEntry> {
    p.bank.map(|bank| wire::ChequeEntry {
        payment_info_cheque: wire::PaymentInfoCheque {
            payment_id: p.payment_id,
            bank,
        },
    })
}

fn by_user(payments: Vec<StoredPayment>) -> Result<wire::DetailsByDate, JazeError> {
    let mut users: BTreeMap<i64, Vec<wire::UserPayment>> = BTreeMap::new();
    for p in payments {
        let method = wire::Method::parse(&p.method).ok_or_else(|| {
            tracing::error!(method = p.method, "jaze: a stored payment cannot be shown");
            JazeError::Internal
        })?;
        users.entry(p.user_id).or_default().push(wire::UserPayment {
            customer_number: p.customer_number,
            user_id: p.user_id.to_string(),
            payment_id: p.payment_id,
            amount: rules::ten_decimals(&p.amount)?,
            payment_date: rules::india_time(&p.created_at)?,
            invoices: p
                .invoice_ids
                .iter()
                .map(|&invoice_id| wire::InvoiceId { invoice_id })
                .collect(),
            payment_type: method.label(),
        });
    }
    Ok(users.into_values().collect())
}
