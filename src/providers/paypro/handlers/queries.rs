//! 3.0 Get Paid Orders (`gpojson`) and 7.0 Get Order Status (`gos`).

use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::handlers::extract::Authenticated;
use crate::providers::paypro::rules::effective;
use crate::providers::paypro::rules::{dotnet, paid_range};
use crate::providers::paypro::store::{self, Order, shown};
use crate::providers::paypro::wire::{PaidOrder, PaidOrdersQuery, StatusItem, StatusQuery};
use crate::providers::paypro::wire::{answer, number};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde_json::value::RawValue;

/// `GET /cpay/gos?userName=&password=&cpayId=`: the merchant's order and its status now.
pub async fn gos(
    State(state): State<AppState>,
    request: Authenticated<StatusQuery>,
) -> Result<Response, Failure> {
    let merchant = request.merchant;
    let cpay_id = request.input.cpay_id.ok_or_else(Failure::invalid_format)?;
    let order = state
        .db
        .read(|conn| store::by_connectpay_id(conn, Some(merchant.id), &cpay_id))
        .await?
        .ok_or_else(Failure::no_data)?;
    let now = state.clock.now();
    let offset = merchant.offset();
    let item = StatusItem {
        order_status: effective(&order, now).label(merchant.upper_case_status),
        amount_paid: number(format!("{:.4}", order.amount_paid.unwrap_or_default())),
        date_paid: order.paid_at.map(|at| local(at, offset)),
        order_number: order.order_number,
        bill_detail: order
            .bill_detail
            .and_then(|text| RawValue::from_string(text).ok()),
    };
    Ok(answer(Code::Success, [item]))
}

/// `GET /cpay/gpojson?username=&password=&startDate=&endDate=`: the merchant's orders paid
/// from the start day to the end day, in its time zone.
pub async fn gpojson(
    State(state): State<AppState>,
    request: Authenticated<PaidOrdersQuery>,
) -> Result<Response, Failure> {
    let (merchant, query) = (request.merchant, request.input);
    let offset = merchant.offset();
    let (start, end) = paid_range(query.start_date.as_deref(), query.end_date.as_deref())?;
    let from = day_start(start, offset);
    let to = end
        .succ_opt()
        .map_or(DateTime::<Utc>::MAX_UTC, |d| day_start(d, offset));
    let orders = state
        .db
        .read(|conn| store::paid_between(conn, merchant.id, from, to))
        .await?;
    if orders.is_empty() {
        return Err(Failure::no_data());
    }
    let large = orders.len() >= LARGE_LISTING;
    let encode = move || answer(Code::Success, orders.iter().map(|o| paid_order(o, offset)));
    if !large {
        return Ok(encode());
    }
    // 100,000 orders encode to ~30 MB in about a third of a second: on the blocking pool, so
    // no async worker (and no request queued behind it on that worker) waits for it.
    tokio::task::spawn_blocking(encode)
        .await
        .map_err(|_| Failure::service_fail())
}

/// Listings with at least this many orders are encoded off the async workers.
const LARGE_LISTING: usize = 1_000;

fn paid_order(order: &Order, offset: FixedOffset) -> PaidOrder<'_> {
    let midnight = |d: NaiveDate| dotnet(d.and_hms_opt(0, 0, 0).expect("midnight exists"));
    PaidOrder {
        order_number: &order.order_number,
        customer_email: &order.customer_email,
        issue_date: midnight(order.issue_date),
        customer_mobile: &order.customer_mobile,
        order_amount: number(shown(order.order_amount)),
        date_created: local(order.created_at, offset),
        order_due_date: midnight(order.due_date),
        customer_address: &order.customer_address,
        date_paid: order
            .paid_at
            .map(|at| local(at, offset))
            .unwrap_or_default(),
        connectpay_id: &order.connectpay_id,
        amount_paid: number(shown(order.amount_paid.unwrap_or_default())),
    }
}

/// A moment as the merchant's local .NET time.
pub fn local(at: DateTime<Utc>, offset: FixedOffset) -> String {
    dotnet(at.with_timezone(&offset).naive_local())
}

fn day_start(day: NaiveDate, offset: FixedOffset) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(offset).single())
        .map_or(DateTime::<Utc>::MIN_UTC, |t| t.with_timezone(&Utc))
}
