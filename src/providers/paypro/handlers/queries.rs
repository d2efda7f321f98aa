//! 3.0 Get Paid Orders (`gpojson`) and 7.0 Get Order Status (`gos`).

use crate::app::AppState;
use crate::providers::paypro::auth::authenticate;
use crate::providers::paypro::errors::{Code, Failure};
use crate::providers::paypro::handlers::extract::Payload;
use crate::providers::paypro::payload::Inputs;
use crate::providers::paypro::rules::effective;
use crate::providers::paypro::rules::{dotnet, parse_query_date};
use crate::providers::paypro::store::{self, Order, shown};
use crate::providers::paypro::wire::{PaidOrder, StatusItem, answer_raw, number};
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde_json::value::RawValue;

/// `GET /cpay/gos?userName=&password=&cpayId=`.
pub async fn gos(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    order_status(&state, &inputs).await
}

/// `GET /cpay/gpojson?username=&password=&startDate=&endDate=`.
pub async fn gpojson(
    State(state): State<AppState>,
    Payload(inputs): Payload,
) -> Result<Response, Failure> {
    paid_orders(&state, &inputs).await
}

async fn order_status(state: &AppState, inputs: &Inputs) -> Result<Response, Failure> {
    let username = inputs.param("userName");
    let password = inputs.param("password");
    let cpay_id = inputs.param("cpayId");
    let (merchant, order) = state
        .db
        .read(|conn| {
            let merchant = authenticate(conn, username.as_deref(), password.as_deref(), "gos")?;
            let cpay_id = cpay_id.ok_or_else(Failure::invalid_format)?;
            let order = store::by_connectpay_id(conn, Some(merchant.id), &cpay_id)?
                .ok_or_else(Failure::no_data)?;
            Ok::<_, Failure>((merchant, order))
        })
        .await?;
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
    Ok(answer_raw(Code::Success, [item]))
}

async fn paid_orders(state: &AppState, inputs: &Inputs) -> Result<Response, Failure> {
    let username = inputs.param("username");
    let password = inputs.param("password");
    let date = |name: &str| {
        inputs
            .param(name)
            .and_then(|d| parse_query_date(&d))
            .ok_or_else(|| Failure::new(Code::Rejected, "Invalid Data. Date format is invalid"))
    };
    // Checked after the credentials: their failures answer first.
    let range = date("startDate").and_then(|start| Ok((start, date("endDate")?)));
    let (merchant, orders) = state
        .db
        .read(|conn| {
            let merchant = authenticate(conn, username.as_deref(), password.as_deref(), "gpojson")?;
            let (start, end) = range?;
            if start > end {
                return Err(Failure::new(
                    Code::Rejected,
                    "Invalid Data. Start Date should be less then to End Date",
                ));
            }
            let offset = merchant.offset();
            let from = day_start(start, offset);
            let to = end
                .succ_opt()
                .map_or(DateTime::<Utc>::MAX_UTC, |d| day_start(d, offset));
            let orders = store::paid_between(conn, merchant.id, from, to)?;
            Ok((merchant, orders))
        })
        .await?;
    if orders.is_empty() {
        return Err(Failure::no_data());
    }
    let orders_len = orders.len();
    let offset = merchant.offset();
    let encode = move || answer_raw(Code::Success, orders.iter().map(|o| paid_order(o, offset)));
    if orders_len < LARGE_LISTING {
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
