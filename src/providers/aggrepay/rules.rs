//! Laravel's validation rules and messages, as the real service answers them
//! (`The mpin field is required.`, `The amount must be a number.`, ...).

use crate::providers::aggrepay::amount::{AmountProblem, parse_paise};
use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::store::limits::Current;
use crate::providers::aggrepay::store::merchants::Limits;
use chrono::NaiveDate;

/// The longest text a name, address, description or id field takes (Laravel's `max:255`).
pub const MAX_TEXT: usize = 255;

/// `to_customer_id` → `to customer id`, as Laravel names an attribute.
pub fn label(name: &str) -> String {
    name.replace('_', " ")
}

fn fail(message: String) -> AggrePayError {
    AggrePayError::InvalidParams(message)
}

pub fn required<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, AggrePayError> {
    fields
        .get(name)
        .ok_or_else(|| fail(format!("The {} field is required.", label(name))))
}

/// A 10-digit Indian mobile number starting 6–9 (`+91`, `91`, `0` in front accepted), as
/// `+91XXXXXXXXXX`.
pub fn normalize_mobile(text: &str) -> Option<String> {
    crate::phone::indian_mobile(text).map(|digits| format!("+91{digits}"))
}

pub fn mobile(name: &str, value: &str) -> Result<String, AggrePayError> {
    normalize_mobile(value).ok_or_else(|| {
        fail(format!(
            "The {} field contains an invalid number.",
            label(name)
        ))
    })
}

pub fn digits(name: &str, value: &str, count: usize) -> Result<(), AggrePayError> {
    if value.len() == count && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(fail(format!("The {} must be {count} digits.", label(name))))
    }
}

/// An amount in paise: a number, above zero, at most two decimals.
pub fn amount(name: &str, value: &str) -> Result<i64, AggrePayError> {
    parse_paise(value).map_err(|problem| {
        let what = label(name);
        fail(match problem {
            AmountProblem::NotANumber => format!("The {what} must be a number."),
            AmountProblem::NotAboveZero => format!("The {what} must be greater than 0."),
            AmountProblem::TooManyDecimals => format!("The {what} must have 0-2 decimal places."),
        })
    })
}

pub fn email(name: &str, value: &str) -> Result<(), AggrePayError> {
    let ok = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.contains('@')
            && domain
                .split_once('.')
                .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
            && !value.contains(char::is_whitespace)
    });
    if ok {
        Ok(())
    } else {
        Err(fail(format!(
            "The {} must be a valid email address.",
            label(name)
        )))
    }
}

pub fn date(name: &str, value: &str) -> Result<NaiveDate, AggrePayError> {
    let shaped = value.len() == 10 && value.as_bytes()[4] == b'-' && value.as_bytes()[7] == b'-';
    shaped
        .then(|| NaiveDate::parse_from_str(value, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            fail(format!(
                "The {} does not match the format Y-m-d.",
                label(name)
            ))
        })
}

pub fn max_length(name: &str, value: &str, max: usize) -> Result<(), AggrePayError> {
    if value.chars().count() <= max {
        Ok(())
    } else {
        Err(fail(format!(
            "The {} may not be greater than {max} characters.",
            label(name)
        )))
    }
}

/// A whole number within bounds (`page_number` from 0, `page_size` 1 to 100).
pub fn integer(name: &str, value: &str, min: i64, max: i64) -> Result<i64, AggrePayError> {
    let what = label(name);
    let number: i64 = value
        .parse()
        .map_err(|_| fail(format!("The {what} must be an integer.")))?;
    if number < min {
        return Err(fail(format!("The {what} must be at least {min}.")));
    }
    if number > max {
        return Err(fail(format!("The {what} may not be greater than {max}.")));
    }
    Ok(number)
}

/// A required 4-digit MPIN field.
pub fn required_mpin<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, AggrePayError> {
    let value = required(fields, name)?;
    digits(name, value, 4)?;
    Ok(value)
}

/// A required 6-digit OTP field.
pub fn required_otp(fields: &Fields) -> Result<&str, AggrePayError> {
    let value = required(fields, "otp")?;
    digits("otp", value, 6)?;
    Ok(value)
}

/// A required text of at most [`MAX_TEXT`] characters.
pub fn required_text<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, AggrePayError> {
    let value = required(fields, name)?;
    max_length(name, value, MAX_TEXT)?;
    Ok(value)
}

/// An optional text of at most [`MAX_TEXT`] characters.
pub fn optional_text<'a>(fields: &'a Fields, name: &str) -> Result<Option<&'a str>, AggrePayError> {
    let value = fields.get(name);
    if let Some(value) = value {
        max_length(name, value, MAX_TEXT)?;
    }
    Ok(value)
}

/// `amount`: required, a number above zero with at most two decimals; paise.
pub fn required_amount(fields: &Fields) -> Result<i64, AggrePayError> {
    amount("amount", required(fields, "amount")?)
}

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
    if now.month.credit_paise.saturating_add(amount) > limits.monthly_credit {
        return Err(AggrePayError::MonthlyLimitExceeded);
    }
    if balance.saturating_add(amount) > limits.max_balance {
        return Err(AggrePayError::InvalidInputData(BALANCE_LIMIT));
    }
    Ok(())
}

/// Whether `amount` paise may be debited with today's and this month's totals: the daily
/// count and the daily amount (`TRANSACTION-LIMIT`), then the month
/// (`MONTHLY-TRANSACTION-LIMIT-EXCEEDED`). Inclusive. The balance is no limit: the callers
/// check it first with their own error.
pub fn debit_allowed(limits: &Limits, now: Current, amount: i64) -> Result<(), AggrePayError> {
    if now.day.debit_count.saturating_add(1) > limits.daily_debit_count
        || now.day.debit_paise.saturating_add(amount) > limits.daily_debit_amount
    {
        return Err(AggrePayError::TransactionLimit);
    }
    if now.month.debit_paise.saturating_add(amount) > limits.monthly_debit {
        return Err(AggrePayError::MonthlyLimitExceeded);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_as_laravel_does() {
        assert_eq!(
            mobile("from_mobile_number", "123").unwrap_err(),
            AggrePayError::invalid("The from mobile number field contains an invalid number.")
        );
        assert_eq!(
            integer("page_size", "0", 1, 100).unwrap_err(),
            AggrePayError::invalid("The page size must be at least 1.")
        );
        assert_eq!(
            date("date_of_birth", "1990/01/01").unwrap_err(),
            AggrePayError::invalid("The date of birth does not match the format Y-m-d.")
        );
        assert_eq!(
            normalize_mobile("09900261104").as_deref(),
            Some("+919900261104")
        );
    }
}
