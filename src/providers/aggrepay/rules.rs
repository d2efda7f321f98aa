//! Laravel's validation rules and messages, as the real service answers them
//! (`The mpin field is required.`, `The amount must be a number.`, ...).

use super::amount::{AmountProblem, parse_paise};
use super::request::Fields;
use super::wire::WalletError;
use chrono::NaiveDate;

/// `to_customer_id` → `to customer id`, as Laravel names an attribute.
pub fn label(name: &str) -> String {
    name.replace('_', " ")
}

fn fail(message: String) -> WalletError {
    WalletError::InvalidParams(message)
}

pub fn required<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, WalletError> {
    fields
        .get(name)
        .ok_or_else(|| fail(format!("The {} field is required.", label(name))))
}

/// A 10-digit Indian mobile number starting 6–9 (`+91`, `91`, `0` in front accepted), as
/// `+91XXXXXXXXXX`.
pub fn normalize_mobile(text: &str) -> Option<String> {
    crate::phone::indian_mobile(text).map(|digits| format!("+91{digits}"))
}

pub fn mobile(name: &str, value: &str) -> Result<String, WalletError> {
    normalize_mobile(value).ok_or_else(|| {
        fail(format!(
            "The {} field contains an invalid number.",
            label(name)
        ))
    })
}

pub fn digits(name: &str, value: &str, count: usize) -> Result<(), WalletError> {
    if value.len() == count && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(fail(format!("The {} must be {count} digits.", label(name))))
    }
}

/// An amount in paise: a number, above zero, at most two decimals.
pub fn amount(name: &str, value: &str) -> Result<i64, WalletError> {
    parse_paise(value).map_err(|problem| {
        let what = label(name);
        fail(match problem {
            AmountProblem::NotANumber => format!("The {what} must be a number."),
            AmountProblem::NotAboveZero => format!("The {what} must be greater than 0."),
            AmountProblem::TooManyDecimals => format!("The {what} must have 0-2 decimal places."),
        })
    })
}

pub fn email(name: &str, value: &str) -> Result<(), WalletError> {
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

pub fn date(name: &str, value: &str) -> Result<NaiveDate, WalletError> {
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

pub fn max_length(name: &str, value: &str, max: usize) -> Result<(), WalletError> {
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
pub fn integer(name: &str, value: &str, min: i64, max: i64) -> Result<i64, WalletError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_as_laravel_does() {
        assert_eq!(
            mobile("from_mobile_number", "123").unwrap_err(),
            WalletError::invalid("The from mobile number field contains an invalid number.")
        );
        assert_eq!(
            integer("page_size", "0", 1, 100).unwrap_err(),
            WalletError::invalid("The page size must be at least 1.")
        );
        assert_eq!(
            date("date_of_birth", "1990/01/01").unwrap_err(),
            WalletError::invalid("The date of birth does not match the format Y-m-d.")
        );
        assert_eq!(
            normalize_mobile("09900261104").as_deref(),
            Some("+919900261104")
        );
    }
}
