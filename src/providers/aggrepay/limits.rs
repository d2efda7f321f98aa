//! Wallet limits (spec `aggrepay.md`, Limits): the balance cap, monthly credits, monthly
//! debits, and the daily count and amount of debits, each per customer wallet (the merchant's
//! defaults with the customer's overrides, [`Customer::limits`]).
//!
//! - Inclusive: exactly the limit passes.
//! - Days and months are India time on the sandbox clock: a day runs from 00:00 to 24:00
//!   IST, a month from the 1st at 00:00 IST. Times are stored as `stamp`s (RFC 3339 UTC with
//!   milliseconds), which order as text, so a window is a half-open text range.
//! - Sums are SQL sums over integer paise of the ledger's entries, read inside the caller's
//!   write transaction, so a check and the write it guards see the same ledger.
//! - Monthly credits: `creditwallet` (M2C) and incoming C2C. An opening balance (a fixture
//!   customer's `balance`, or a fixture M2C with neither a merchant_transaction_id nor a
//!   pg_transaction_id, which no `creditwallet` can produce) is where a wallet starts, not a
//!   credit of its month. A reversal is money given back, not a credit.
//! - Debits (monthly, daily count and daily amount): C2M and outgoing C2C, in the period of
//!   the debit itself; a reversed debit no longer counts anywhere ("less reversals").
//! - The balance cap applies to credits and incoming transfers, not to a reversal (which only
//!   gives back what the wallet held).
//! - Order: debits check the daily count, the daily amount, then the month; credits check
//!   the month, then the balance cap.

use super::customers::Customer;
use super::ledger::stamp;
use super::wire::WalletError;
use crate::timezone::india;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use sqlx::SqliteConnection;

pub const BALANCE_LIMIT: &str = "Wallet balance limit exceeded";

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

/// Credits of a wallet within `[start, end)`, in paise.
async fn credits(
    conn: &mut SqliteConnection,
    customer: i64,
    (start, end): &(String, String),
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select coalesce(sum(e.amount), 0) from aggrepay_entries e \
         join aggrepay_transactions t on t.id = e.transaction_row \
         where e.customer_row = ? and e.payment_type = 'CREDIT' \
         and e.created_at >= ? and e.created_at < ? \
         and (t.transaction_type = 'C2C' or (t.transaction_type = 'M2C' \
              and (t.merchant_transaction_id is not null or t.pg_transaction_id is not null)))",
    )
    .bind(customer)
    .bind(start)
    .bind(end)
    .fetch_one(conn)
    .await
}

/// Debits of a wallet within `[start, end)` that were not reversed: (count, paise).
async fn debits(
    conn: &mut SqliteConnection,
    customer: i64,
    (start, end): &(String, String),
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "select count(*), coalesce(sum(e.amount), 0) from aggrepay_entries e \
         where e.customer_row = ? and e.payment_type = 'DEBIT' \
         and e.created_at >= ? and e.created_at < ? \
         and not exists (select 1 from aggrepay_transactions r where r.reverses = e.transaction_row)",
    )
    .bind(customer)
    .bind(start)
    .bind(end)
    .fetch_one(conn)
    .await
}

/// Whether `amount` paise may be credited to the wallet now: the monthly credit limit
/// (`MONTHLY-TRANSACTION-LIMIT-EXCEEDED`), then the balance cap (`INVALID-INPUT-DATA` /
/// `Wallet balance limit exceeded`). `customer.balance` must be read in the same transaction.
pub async fn check_credit(
    conn: &mut SqliteConnection,
    customer: &Customer,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<(), WalletError> {
    let periods = Periods::at(now);
    let month = credits(conn, customer.row, &periods.month).await?;
    if month.saturating_add(amount) > customer.limits.monthly_credit {
        return Err(WalletError::MonthlyLimitExceeded);
    }
    if customer.balance.saturating_add(amount) > customer.limits.max_balance {
        return Err(WalletError::InvalidInputData(BALANCE_LIMIT));
    }
    Ok(())
}

/// Whether `amount` paise may be debited from the wallet now: the daily count and the daily
/// amount (`TRANSACTION-LIMIT`), then the month (`MONTHLY-TRANSACTION-LIMIT-EXCEEDED`). The
/// balance is not a limit: the callers check it first with their own error.
pub async fn check_debit(
    conn: &mut SqliteConnection,
    customer: &Customer,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<(), WalletError> {
    let periods = Periods::at(now);
    let (count, day) = debits(conn, customer.row, &periods.day).await?;
    if count.saturating_add(1) > customer.limits.daily_debit_count
        || day.saturating_add(amount) > customer.limits.daily_debit_amount
    {
        return Err(WalletError::TransactionLimit);
    }
    let (_, month) = debits(conn, customer.row, &periods.month).await?;
    if month.saturating_add(amount) > customer.limits.monthly_debit {
        return Err(WalletError::MonthlyLimitExceeded);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn days_and_months_are_india_time() {
        // 23:59 IST on 31 January is 18:29 UTC; 00:01 IST on 1 February is 18:31 UTC.
        let before = Periods::at(at("2026-01-31T23:59:00+05:30"));
        assert_eq!(
            before.day,
            (
                "2026-01-30T18:30:00.000Z".into(),
                "2026-01-31T18:30:00.000Z".into()
            )
        );
        assert_eq!(
            before.month,
            (
                "2025-12-31T18:30:00.000Z".into(),
                "2026-01-31T18:30:00.000Z".into()
            )
        );
        let after = Periods::at(at("2026-02-01T00:01:00+05:30"));
        assert_eq!(
            after.day,
            (
                "2026-01-31T18:30:00.000Z".into(),
                "2026-02-01T18:30:00.000Z".into()
            )
        );
        assert_eq!(
            after.month,
            (
                "2026-01-31T18:30:00.000Z".into(),
                "2026-02-28T18:30:00.000Z".into()
            )
        );
        let december = Periods::at(at("2026-12-31T20:00:00Z"));
        assert_eq!(
            december.month,
            (
                "2026-12-31T18:30:00.000Z".into(),
                "2027-01-31T18:30:00.000Z".into()
            )
        );
    }
}
