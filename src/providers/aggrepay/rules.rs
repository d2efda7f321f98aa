//! Laravel's validation rules and messages, as the real service answers them
//! (`The mpin field is required.`, `The amount must be a number.`, ...).

use crate::providers::aggrepay::amount::{AmountProblem, parse_paise};
use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::handlers::request::Fields;
use crate::providers::aggrepay::magic::{refuse_magic_move, refuse_magic_mpin};
use crate::providers::aggrepay::store::customers::{Customer, NewCustomer};
use crate::providers::aggrepay::why;
use crate::providers::aggrepay::{diagnoses, laravel};

pub use crate::providers::aggrepay::limit_checks::{credit_allowed, debit_allowed};
use chrono::NaiveDate;

/// The longest text a name, address, description or id field takes (Laravel's `max:255`).
pub const MAX_TEXT: usize = 255;

/// `to_customer_id` → `to customer id`, as Laravel names an attribute.
pub fn label(name: &str) -> String {
    name.replace('_', " ")
}

/// A refusal of the value posted as `name` (None: absent), explained with that value.
pub fn refused(name: &str, value: Option<&str>, message: String) -> AggrePayError {
    let diagnosis =
        laravel::explain_value(diagnoses::PARAMS_INVALID.diagnose(), &message, name, value);
    AggrePayError::InvalidParams(message).with(diagnosis)
}

pub fn required<'a>(fields: &'a Fields, name: &str) -> Result<&'a str, AggrePayError> {
    fields.get(name).ok_or_else(|| {
        refused(
            name,
            None,
            format!("The {} field is required.", label(name)),
        )
    })
}

/// A 10-digit Indian mobile number starting 6–9 (`+91`, `91`, `0` in front accepted), as
/// `+91XXXXXXXXXX`.
pub fn normalize_mobile(text: &str) -> Option<String> {
    crate::phone::indian_mobile(text).map(|digits| format!("+91{digits}"))
}

pub fn mobile(name: &str, value: &str) -> Result<String, AggrePayError> {
    normalize_mobile(value).ok_or_else(|| {
        refused(
            name,
            Some(value),
            format!("The {} field contains an invalid number.", label(name)),
        )
    })
}

pub fn digits(name: &str, value: &str, count: usize) -> Result<(), AggrePayError> {
    if value.len() == count && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(refused(
            name,
            Some(value),
            format!("The {} must be {count} digits.", label(name)),
        ))
    }
}

/// An amount in paise: a number, above zero, at most two decimals.
pub fn amount(name: &str, value: &str) -> Result<i64, AggrePayError> {
    parse_paise(value).map_err(|problem| {
        let what = label(name);
        refused(
            name,
            Some(value),
            match problem {
                AmountProblem::NotANumber => format!("The {what} must be a number."),
                AmountProblem::NotAboveZero => format!("The {what} must be greater than 0."),
                AmountProblem::TooManyDecimals => {
                    format!("The {what} must have 0-2 decimal places.")
                }
            },
        )
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
        Err(refused(
            name,
            Some(value),
            format!("The {} must be a valid email address.", label(name)),
        ))
    }
}

pub fn date(name: &str, value: &str) -> Result<NaiveDate, AggrePayError> {
    let shaped = value.len() == 10 && value.as_bytes()[4] == b'-' && value.as_bytes()[7] == b'-';
    shaped
        .then(|| NaiveDate::parse_from_str(value, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            refused(
                name,
                Some(value),
                format!("The {} does not match the format Y-m-d.", label(name)),
            )
        })
}

pub fn max_length(name: &str, value: &str, max: usize) -> Result<(), AggrePayError> {
    if value.chars().count() <= max {
        Ok(())
    } else {
        Err(refused(
            name,
            Some(value),
            format!(
                "The {} may not be greater than {max} characters.",
                label(name)
            ),
        ))
    }
}

/// A whole number within bounds (`page_number` from 0, `page_size` 1 to 100).
pub fn integer(name: &str, value: &str, min: i64, max: i64) -> Result<i64, AggrePayError> {
    let what = label(name);
    let number: i64 = value
        .parse()
        .map_err(|_| refused(name, Some(value), format!("The {what} must be an integer.")))?;
    if number < min {
        let message = format!("The {what} must be at least {min}.");
        return Err(refused(name, Some(value), message));
    }
    if number > max {
        let message = format!("The {what} may not be greater than {max}.");
        return Err(refused(name, Some(value), message));
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

/// `creditwallet`'s `amount`, `description` and `merchant_transaction_id`, in that order.
pub fn credit_fields(fields: &Fields) -> Result<(i64, Option<&str>, &str), AggrePayError> {
    let amount = required_amount(fields)?;
    let description = optional_text(fields, "description")?;
    Ok((
        amount,
        description,
        required_text(fields, "merchant_transaction_id")?,
    ))
}

/// `debitwallet`'s `description`, `mpin`, `amount` and `merchant_transaction_id`, in that
/// order.
pub fn debit_fields(fields: &Fields) -> Result<(Option<&str>, &str, i64, &str), AggrePayError> {
    let description = optional_text(fields, "description")?;
    let mpin = required_mpin(fields, "mpin")?;
    let amount = required_amount(fields)?;
    Ok((
        description,
        mpin,
        amount,
        required_text(fields, "merchant_transaction_id")?,
    ))
}

/// `wallettowallet`'s `from_customer_id` and `to_customer_id` (required; answered in turn
/// with the lookups).
pub fn transfer_parties(
    fields: &Fields,
) -> (Result<&str, AggrePayError>, Result<&str, AggrePayError>) {
    (
        required(fields, "from_customer_id"),
        required(fields, "to_customer_id"),
    )
}

/// A transfer's checked fields (`description`, `mpin`, `merchant_transaction_id`).
pub type Transfer<'a> = Result<(Option<&'a str>, &'a str, &'a str), AggrePayError>;

/// `wallettowallet`'s `description`, `mpin` and `merchant_transaction_id` in that order,
/// its `amount` (answered after the id's freshness), and then the magic values of the two.
pub fn transfer_fields(
    fields: &Fields,
) -> (
    Transfer<'_>,
    Result<i64, AggrePayError>,
    Result<(), AggrePayError>,
) {
    let transfer = (|| {
        let description = optional_text(fields, "description")?;
        let mpin = required_mpin(fields, "mpin")?;
        Ok((
            description,
            mpin,
            required_text(fields, "merchant_transaction_id")?,
        ))
    })();
    let amount = required_amount(fields);
    let magic = match (&transfer, &amount) {
        (Ok((_, mpin, _)), Ok(amount)) => refuse_magic_move(*amount, mpin),
        _ => Ok(()),
    };
    (transfer, amount, magic)
}

/// `debitreversal`'s description: `description`, or `Description` when that is absent.
pub fn reversal_description(fields: &Fields) -> Result<Option<&str>, AggrePayError> {
    if fields.get("description").is_some() {
        optional_text(fields, "description")
    } else {
        optional_text(fields, "Description")
    }
}

/// Only an active customer's wallet moves money.
pub fn active(customer: &Customer) -> Result<(), AggrePayError> {
    if customer.active {
        Ok(())
    } else {
        Err(AggrePayError::InvalidInputData("Customer is not active"))
    }
}

/// The MPIN given must be the customer's.
fn right_mpin(customer: &Customer, mpin: &str) -> Result<(), AggrePayError> {
    if customer.mpin == mpin {
        Ok(())
    } else {
        Err(AggrePayError::InvalidMpin.with(why::wrong_mpin("mpin")))
    }
}

/// Whether `payer` may pay `amount` (to `payee`, a customer, when given), in the spec's
/// order: both active, the payer's MPIN, the payer's balance (else `short`, each endpoint's
/// own error). The limits come after, with the totals of the transaction.
pub fn may_pay(
    payer: &Customer,
    payee: Option<&Customer>,
    mpin: &str,
    amount: i64,
    short: AggrePayError,
) -> Result<(), AggrePayError> {
    active(payer)?;
    payee.map_or(Ok(()), active)?;
    right_mpin(payer, mpin)?;
    if payer.balance < amount {
        let diagnosis = why::short(&short.diagnosis(), payer.balance, amount);
        return Err(short.with(diagnosis));
    }
    Ok(())
}

/// `registrationotp`'s `mobile_number` (normalised) and `email`, in that order.
pub fn registration_otp_fields(fields: &Fields) -> Result<(String, &str), AggrePayError> {
    let mobile = mobile("mobile_number", required(fields, "mobile_number")?)?;
    let email_address = required(fields, "email")?;
    email("email", email_address)?;
    required_text(fields, "email")?;
    Ok((mobile, email_address))
}

/// `registercustomer`'s fields, checked in the document's order, the magic MPIN last.
pub struct Registration<'a> {
    pub mobile: String,
    pub otp: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    date_of_birth: Option<NaiveDate>,
    mpin: &'a str,
    email: Option<&'a str>,
}

pub fn registration(fields: &Fields) -> Result<Registration<'_>, AggrePayError> {
    let mobile = mobile("mobile_number", required(fields, "mobile_number")?)?;
    let otp = required_otp(fields)?;
    let first_name = required_text(fields, "first_name")?;
    let last_name = required_text(fields, "last_name")?;
    let date_of_birth = fields
        .get("date_of_birth")
        .map(|d| date("date_of_birth", d))
        .transpose()?;
    let mpin = required_mpin(fields, "mpin")?;
    let posted_email = fields.get("email");
    if let Some(address) = posted_email {
        email("email", address)?;
        required_text(fields, "email")?;
    }
    refuse_magic_mpin(&[("mpin", mpin)])?;
    Ok(Registration {
        mobile,
        otp,
        first_name,
        last_name,
        date_of_birth,
        mpin,
        email: posted_email,
    })
}

impl<'a> Registration<'a> {
    /// The customer to insert: an email posted here wins over the one given with the OTP.
    pub fn customer(&'a self, otp_email: Option<&'a str>) -> NewCustomer<'a> {
        NewCustomer {
            mobile: &self.mobile,
            email: self.email.or(otp_email),
            first_name: self.first_name,
            last_name: self.last_name,
            date_of_birth: self.date_of_birth.map(|d| d.format("%Y-%m-%d").to_string()),
            mpin: self.mpin,
        }
    }
}

/// `customerstatus`'s `customer_active`: absent (read), `y` or `n` (set).
pub fn customer_active(fields: &Fields) -> Result<Option<bool>, AggrePayError> {
    match fields.get("customer_active") {
        None => Ok(None),
        Some("y") => Ok(Some(true)),
        Some("n") => Ok(Some(false)),
        Some(value) => Err(refused(
            "customer_active",
            Some(value),
            "The selected customer active is invalid.".into(),
        )),
    }
}

/// `page_number` (from 0) and `page_size` (1 to 100).
pub fn paging(fields: &Fields) -> Result<(i64, i64), AggrePayError> {
    let page_number = integer("page_number", required(fields, "page_number")?, 0, i64::MAX)?;
    let page_size = integer("page_size", required(fields, "page_size")?, 1, 100)?;
    Ok((page_number, page_size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_as_laravel_does() {
        assert_eq!(
            mobile("from_mobile_number", "123").unwrap_err().body(),
            AggrePayError::invalid("The from mobile number field contains an invalid number.")
                .body()
        );
        assert_eq!(
            integer("page_size", "0", 1, 100).unwrap_err().body(),
            AggrePayError::invalid("The page size must be at least 1.").body()
        );
        assert_eq!(
            date("date_of_birth", "1990/01/01").unwrap_err().body(),
            AggrePayError::invalid("The date of birth does not match the format Y-m-d.").body()
        );
        let diagnosis = integer("page_size", "0", 1, 100).unwrap_err().diagnosis();
        assert_eq!(diagnosis.field.as_deref(), Some("page_size"));
        assert_eq!(diagnosis.expected.as_deref(), Some("min:1"));
        assert_eq!(diagnosis.got.as_deref(), Some("`0`"));
        assert_eq!(
            normalize_mobile("09900261104").as_deref(),
            Some("+919900261104")
        );
    }
}
