//! The wallet limit checks of a credit and a debit (spec `aggrepay.md`, Limits), each
//! refusal explained with the limit, its value and the running total it would pass.

use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::store::limits::Current;
use crate::providers::aggrepay::store::merchants::Limits;
use crate::providers::aggrepay::why;

const BALANCE_LIMIT: &str = "Wallet balance limit exceeded";

/// Whether `amount` paise may be credited to a wallet holding `balance` with this month's
/// totals: the monthly credit limit (`MONTHLY-TRANSACTION-LIMIT-EXCEEDED`), then the balance
/// cap (`INVALID-INPUT-DATA` / `Wallet balance limit exceeded`). Inclusive.
pub fn credit_allowed(
    limits: &Limits,
    balance: i64,
    now: Current,
    amount: i64,
) -> Result<(), AggrePayError> {
    let month = now.month.credit_paise;
    if month.saturating_add(amount) > limits.monthly_credit {
        let diagnosis = why::MONTHLY_CREDIT.passed(month, amount, limits.monthly_credit);
        return Err(AggrePayError::MonthlyLimitExceeded.with(diagnosis));
    }
    if balance.saturating_add(amount) > limits.max_balance {
        let diagnosis = why::WALLET_BALANCE.passed(balance, amount, limits.max_balance);
        return Err(AggrePayError::InvalidInputData(BALANCE_LIMIT).with(diagnosis));
    }
    Ok(())
}

/// Whether `amount` paise may be debited with today's and this month's totals: the daily
/// count and the daily amount (`TRANSACTION-LIMIT`), then the month
/// (`MONTHLY-TRANSACTION-LIMIT-EXCEEDED`). Inclusive. The balance is no limit: the callers
/// check it first with their own error.
pub fn debit_allowed(limits: &Limits, now: Current, amount: i64) -> Result<(), AggrePayError> {
    let (count, day, month) = (
        now.day.debit_count,
        now.day.debit_paise,
        now.month.debit_paise,
    );
    if count.saturating_add(1) > limits.daily_debit_count {
        let diagnosis = why::DAILY_COUNT.passed(count, amount, limits.daily_debit_count);
        return Err(AggrePayError::TransactionLimit.with(diagnosis));
    }
    if day.saturating_add(amount) > limits.daily_debit_amount {
        let diagnosis = why::DAILY_AMOUNT.passed(day, amount, limits.daily_debit_amount);
        return Err(AggrePayError::TransactionLimit.with(diagnosis));
    }
    if month.saturating_add(amount) > limits.monthly_debit {
        let diagnosis = why::MONTHLY_DEBIT.passed(month, amount, limits.monthly_debit);
        return Err(AggrePayError::MonthlyLimitExceeded.with(diagnosis));
    }
    Ok(())
}
