//! Wallet limits (spec `aggrepay.md`, Limits): the balance cap, monthly credits, monthly
//! debits, and the daily count and amount of debits, each per customer wallet (the merchant's
//! defaults with the customer's overrides, [`crate::providers::aggrepay::store::customers::Customer::limits`]).
//!
//! - Inclusive: exactly the limit passes.
//! - Days and months are India time on the sandbox clock: a day runs from 00:00 to 24:00
//!   IST, a month from the 1st at 00:00 IST. Times are stored as `stamp`s (RFC 3339 UTC with
//!   milliseconds), which order as text, so a window is a half-open text range.
//! - Totals are running totals in integer paise, one `aggrepay_usage` row per wallet, kind
//!   (`day` or `month`) and period start, kept by [`crate::providers::aggrepay::store::ledger::record`] in the same
//!   transaction as the entries ([`record_entry`], [`record_reversal`]) and read inside the
//!   caller's transaction, so a check and the write it guards see the same totals. They are
//!   derived state: an entry counts in the periods of its own `created_at` (fixtures may
//!   back-date entries, the clock may be moved), a missing row is zero, and a fixture export
//!   leaves them out (loading replays the ledger, which rebuilds them). The tests below
//!   compare them with the sums over the ledger they replace.
//! - Monthly credits: `creditwallet` (M2C) and incoming C2C. An opening balance (a fixture
//!   customer's `balance`, or a fixture M2C with neither a merchant_transaction_id nor a
//!   pg_transaction_id, which no `creditwallet` can produce) is where a wallet starts, not a
//!   credit of its month. A reversal is money given back, not a credit.
//! - Debits (monthly, daily count and daily amount): C2M and outgoing C2C, in the period of
//!   the debit itself; a reversed debit no longer counts anywhere ("less reversals"): the
//!   reversal takes it back out of the day and month of the debit, not of the reversal.
//! - The balance cap applies to credits and incoming transfers, not to a reversal (which only
//!   gives back what the wallet held).
//! - Order: debits check the daily count, the daily amount, then the month; credits check
//!   the month, then the balance cap (the comparisons are [`crate::providers::aggrepay::rules::credit_allowed`]
//!   and [`crate::providers::aggrepay::rules::debit_allowed`]).

use crate::db::DbError;
use crate::providers::aggrepay::store::ledger::{Kind, Movement, PaymentType, stamp};
use crate::timezone::india;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};

/// The India-time day and month that hold an instant, as `[start, end)` stamps.
#[derive(Debug, Clone, PartialEq)]
pub struct Periods {
    pub day: (String, String),
    pub month: (String, String),
}

impl Periods {
    pub fn at(now: DateTime<Utc>) -> Periods {
        let today = now.with_timezone(&india()).date_naive();
        let first = today.with_day(1).unwrap_or(today);
        let next_day = today.checked_add_days(Days::new(1)).unwrap_or(today);
        let next_month = first.checked_add_months(Months::new(1)).unwrap_or(first);
        Periods {
            day: (midnight(today), midnight(next_day)),
            month: (midnight(first), midnight(next_month)),
        }
    }
}

fn midnight(date: NaiveDate) -> String {
    let local = date.and_time(NaiveTime::MIN);
    let instant = india()
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| local.and_utc());
    stamp(instant)
}

const DAY: &str = "day";
const MONTH: &str = "month";

/// A wallet's running totals of one period (a missing row is all zero), or a change to them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Debits not reversed.
    pub debit_count: i64,
    pub debit_paise: i64,
    /// Credits that count against the monthly credit limit.
    pub credit_paise: i64,
}

/// The totals of a wallet for the period of `kind` that starts at `start`.
fn usage(conn: &Connection, customer: i64, kind: &str, start: &str) -> Result<Usage, DbError> {
    conn.prepare_cached(
        "select debit_count, debit_paise, credit_paise from aggrepay_usage \
         where customer_row = ? and kind = ? and period_start = ?",
    )?
    .query_row(params![customer, kind, start], |r| {
        Ok(Usage {
            debit_count: r.get(0)?,
            debit_paise: r.get(1)?,
            credit_paise: r.get(2)?,
        })
    })
    .optional()
    .map(Option::unwrap_or_default)
}

/// Adds `change` to the wallet's day and month that hold `at`.
fn add(conn: &Connection, customer: i64, at: DateTime<Utc>, change: Usage) -> Result<(), DbError> {
    let periods = Periods::at(at);
    conn.prepare_cached(
        "insert into aggrepay_usage (customer_row, kind, period_start, debit_count, debit_paise, \
         credit_paise) values (?1, 'day', ?2, ?4, ?5, ?6), (?1, 'month', ?3, ?4, ?5, ?6) \
         on conflict (customer_row, kind, period_start) do update set \
         debit_count = debit_count + excluded.debit_count, \
         debit_paise = debit_paise + excluded.debit_paise, \
         credit_paise = credit_paise + excluded.credit_paise",
    )?
    .execute(params![
        customer,
        periods.day.0,
        periods.month.0,
        change.debit_count,
        change.debit_paise,
        change.credit_paise
    ])?;
    Ok(())
}

/// Counts a new ledger entry: every DEBIT entry is a debit; a CREDIT entry is a credit when
/// its transaction is a C2C, or an M2C with a merchant_transaction_id or a
/// pg_transaction_id (not an opening balance); a reversal's CREDIT is none.
pub(super) fn record_entry(
    conn: &Connection,
    customer: i64,
    movement: &Movement<'_>,
    payment_type: PaymentType,
) -> Result<(), DbError> {
    let change = match payment_type {
        PaymentType::Debit => Usage {
            debit_count: 1,
            debit_paise: movement.amount,
            credit_paise: 0,
        },
        PaymentType::Credit if counts_as_credit(movement) => Usage {
            credit_paise: movement.amount,
            ..Usage::default()
        },
        PaymentType::Credit => return Ok(()),
    };
    add(conn, customer, movement.at, change)
}

fn counts_as_credit(movement: &Movement<'_>) -> bool {
    match movement.kind {
        Kind::C2C => true,
        Kind::M2C => {
            movement.merchant_transaction_id.is_some() || movement.pg_transaction_id.is_some()
        }
        Kind::C2M | Kind::Reversal => false,
    }
}

/// Takes the debits of transaction row `original`, now reversed, back out of the periods
/// of their own `created_at`.
pub(super) fn record_reversal(conn: &Connection, original: i64) -> Result<(), DbError> {
    let debits = conn
        .prepare_cached(
            "select customer_row, amount, created_at from aggrepay_entries \
             where transaction_row = ? and payment_type = 'DEBIT'",
        )?
        .query_map(params![original], |r| {
            let text: String = r.get(2)?;
            let at = DateTime::parse_from_rfc3339(&text)
                .map_err(|e| DbError::FromSqlConversionFailure(2, Type::Text, Box::new(e)))?;
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                at.with_timezone(&Utc),
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (customer, amount, at) in debits {
        let change = Usage {
            debit_count: -1,
            debit_paise: -amount,
            credit_paise: 0,
        };
        add(conn, customer, at, change)?;
    }
    Ok(())
}

/// The wallet's totals of the India-time day and of the month that hold `now` (read inside
/// the caller's transaction, so a check and the write it guards see the same totals).
pub fn current(
    conn: &Connection,
    customer_row: i64,
    now: DateTime<Utc>,
) -> Result<Current, DbError> {
    let periods = Periods::at(now);
    Ok(Current {
        day: usage(conn, customer_row, DAY, &periods.day.0)?,
        month: usage(conn, customer_row, MONTH, &periods.month.0)?,
    })
}

/// A wallet's totals now.
#[derive(Debug, Clone, Copy)]
pub struct Current {
    pub day: Usage,
    pub month: Usage,
}

#[cfg(test)]
mod tests;
