//! The document's rules for inputs and for how values are shown (pure functions, no SQL).
//!
//! Inputs are judged in this order: the user id (digits only, else 400 `Invalid userId,
//! expected a number`; `500` answers errorCode 500 whatever else the request holds), the dates
//! (`yyyy-mm-dd`, else 400 `Invalid date format, expected yyyy-mm-dd`; fromDate first; a
//! from date after the to date is 400 `fromDate must not be after toDate`). A missing user id
//! is 400 `userId is required`; S3, S4, S6 and S7 need both dates (400 `fromDate is required,
//! expected yyyy-mm-dd`, likewise `toDate`), as the document marks them mandatory. S1 takes
//! neither (every payment), either (from only: up to now on the sandbox clock; to only: from
//! the first payment) or both.
//!
//! Ranges are whole days in India time, both ends included: a payment at 23:59:59.999 India
//! time is in that day, one at 00:00:00.000 the next day is not. Amounts show ten decimals
//! (`"50.0000000000"`), times India time (`2016-03-23 12:06:03.156+05:30`).

use super::diagnoses;
use super::errors::JazeError;
use super::magic::INTERNAL_ERROR_USER;
use super::store::{NewGatewayLog, NewInvoice, NewPayment, NewUser};
use super::wire::{InvoiceRecord, Method, PaymentRecord, UserRecord};
use crate::db::DbError;
use crate::timezone::india;
use base64::Engine;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, SecondsFormat, Utc};
use rand::Rng;
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

/// Creation times within, both ends included; an absent end is open.
#[derive(Debug, Default, Clone)]
pub struct Range {
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// What an endpoint makes of the dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dates {
    Ignored,
    Optional,
    Required,
}

/// The user id; `None` when it is a number too large to be anyone's.
pub fn user_id(text: Option<&str>) -> Result<Option<i64>, JazeError> {
    let text = text.ok_or_else(|| JazeError::BadRequest("userId is required".into()))?;
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(JazeError::BadRequest(
            "Invalid userId, expected a number".into(),
        ));
    }
    let id = text.parse::<i64>().ok();
    if id == Some(INTERNAL_ERROR_USER) {
        return Err(JazeError::Internal);
    }
    Ok(id)
}

/// The range the dates name.
pub fn range(
    from: Option<&str>,
    to: Option<&str>,
    dates: Dates,
    now: DateTime<Utc>,
) -> Result<Range, JazeError> {
    if dates == Dates::Ignored {
        return Ok(Range::default());
    }
    let required =
        |name: &str| JazeError::BadRequest(format!("{name} is required, expected yyyy-mm-dd"));
    let from = from.map(|t| parse_date("fromDate", t)).transpose()?;
    let to = to.map(|t| parse_date("toDate", t)).transpose()?;
    if dates == Dates::Required {
        from.ok_or_else(|| required("fromDate"))?;
        to.ok_or_else(|| required("toDate"))?;
    }
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(JazeError::BadRequest(
            "fromDate must not be after toDate".into(),
        ));
    }
    Ok(Range {
        from: from.map(start_of_day),
        until: match (from, to) {
            (_, Some(to)) => Some(end_of_day(to)),
            (Some(_), None) => Some(now),
            (None, None) => None,
        },
    })
}

/// A `yyyy-mm-dd` date: four, two and two digits, and a day of the calendar; `field` (fromDate
/// or toDate) names it in the diagnosis of a bad one.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, JazeError> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            JazeError::BadRequest("Invalid date format, expected yyyy-mm-dd".into())
                .with(diagnoses::bad_date(field, text))
        })
}

/// Midnight opening the day in India.
fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    (date.and_time(NaiveTime::MIN) - Duration::seconds(i64::from(india().local_minus_utc())))
        .and_utc()
}

/// The last millisecond of the day in India (times are kept to the millisecond).
fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    start_of_day(date) + Duration::days(1) - Duration::milliseconds(1)
}

/// An S8 path id: decimal digits only (no sign, no point), within a 64-bit integer.
pub fn numeric(name: &str, text: &str) -> Result<i64, JazeError> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| JazeError::BadRequest(format!("Invalid {name}, expected a number")))
}

/// S8's ids, the user's judged first; user `500` answers errorCode 500 once both are numbers.
pub fn receipt_ids(user: &str, payment: &str) -> Result<(i64, i64), JazeError> {
    let user_id = numeric("userId", user)?;
    let payment_id = numeric("paymentId", payment)?;
    if user_id == INTERNAL_ERROR_USER {
        return Err(JazeError::Internal);
    }
    Ok((user_id, payment_id))
}

fn corrupt(what: &str, value: &str) -> JazeError {
    tracing::error!(what, value, "jaze: a stored payment cannot be shown");
    JazeError::Internal
}

/// `"50.00"` → `"50.0000000000"`.
pub fn ten_decimals(stored: &str) -> Result<String, JazeError> {
    match Decimal::from_str(stored) {
        Ok(amount) => Ok(format!("{amount:.10}")),
        Err(_) => Err(corrupt("amount", stored)),
    }
}

/// `2016-03-23T06:36:03.156Z` → `2016-03-23 12:06:03.156+05:30`.
pub fn india_time(stored: &str) -> Result<String, JazeError> {
    match DateTime::parse_from_rfc3339(stored) {
        Ok(at) => Ok(at
            .with_timezone(&india())
            .format("%Y-%m-%d %H:%M:%S%.3f%:z")
            .to_string()),
        Err(_) => Err(corrupt("created_at", stored)),
    }
}

/// How times are stored: RFC 3339 UTC with milliseconds, so they compare as text.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

// Records given by fixtures and the control plane. Their faults are answered only once the
// account and user they name are found, as the store checks those.

pub fn new_user(user: &UserRecord) -> Result<NewUser, RecordError> {
    if user.user_id <= 0 {
        return Err(invalid("user_id", "must be a positive number"));
    }
    if user.customer_number.trim().is_empty() {
        return Err(invalid("customer_number", "must not be empty"));
    }
    Ok(NewUser {
        user_id: user.user_id,
        customer_number: user.customer_number.trim().to_string(),
        name: user.name.clone(),
    })
}

/// `today` dates an invoice without a date.
pub fn new_invoice(invoice: &InvoiceRecord, today: NaiveDate) -> Result<NewInvoice, RecordError> {
    if invoice.invoice_id.is_some_and(|id| id <= 0) {
        return Err(invalid("invoice_id", "must be a positive number"));
    }
    Ok(NewInvoice {
        invoice_id: invoice.invoice_id,
        amount: invoice.amount.to_fixed2(),
        date: invoice.date.unwrap_or(today).to_string(),
    })
}

/// `now` dates a payment without a creation time; a token, and a gateway payment's log ids
/// and details, are generated when absent.
pub fn new_payment(payment: &PaymentRecord, now: DateTime<Utc>) -> Result<NewPayment, RecordError> {
    if payment.amount.value().is_zero() {
        return Err(invalid("amount", "must be above zero"));
    }
    if payment.gateway.is_some() && payment.method != Method::Gateway {
        return Err(invalid(
            "gateway",
            "only a gateway payment has a gateway log",
        ));
    }
    if payment.payment_id.is_some_and(|id| id <= 0) {
        return Err(invalid("payment_id", "must be a positive number"));
    }
    let receipt_token = match &payment.receipt_token {
        Some(token)
            if token.len() < 20
                || !token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            return Err(invalid(
                "receipt_token",
                "needs at least 20 URL-safe characters",
            ));
        }
        Some(token) => token.clone(),
        None => new_receipt_token(),
    };
    let bank = match payment.method {
        Method::Cash => Some(payment.bank.clone().unwrap_or_else(|| "Cash".into())),
        Method::Cheque => Some(payment.bank.clone().unwrap_or_else(|| "Cheque".into())),
        Method::Gateway => payment.bank.clone(),
    };
    Ok(NewPayment {
        payment_id: payment.payment_id,
        amount: payment.amount.to_fixed2(),
        method: payment.method,
        bank,
        created_at: stamp(payment.created_at.unwrap_or(now)),
        receipt_token,
        invoice_ids: payment.invoice_ids.clone(),
        gateway: (payment.method == Method::Gateway).then(|| gateway_log(payment)),
    })
}

fn gateway_log(payment: &PaymentRecord) -> NewGatewayLog {
    let log = payment.gateway.clone().unwrap_or_default();
    let mut rng = rand::rng();
    let merchant_txn_id = log
        .merchant_txn_id
        .unwrap_or_else(|| format!("{:024x}", rng.random::<u128>() >> 32));
    let gateway_txn_id = log.gateway_txn_id.unwrap_or_else(|| {
        rng.random_range(1_000_000_000u64..=9_999_999_999)
            .to_string()
    });
    let details = match log.details {
        Some(Value::String(text)) => text,
        Some(other) => other.to_string(),
        None => serde_json::json!({
            "txn_status": "0300", "txn_msg": "success", "txn_err_msg": "NA",
            "txn_amt": payment.amount.to_fixed2(),
        })
        .to_string(),
    };
    NewGatewayLog {
        merchant_txn_id,
        gateway_txn_id,
        details,
        currency: log.number.unwrap_or_else(|| "INR".into()),
        operator: log.operator.unwrap_or_else(|| "techprocess-pay".into()),
    }
}

/// Why a record was refused: the field at fault and the problem.
#[derive(Debug)]
pub enum RecordError {
    Invalid(&'static str, String),
    Database(DbError),
}

impl From<DbError> for RecordError {
    fn from(error: DbError) -> Self {
        RecordError::Database(error)
    }
}

pub fn invalid(field: &'static str, message: impl Into<String>) -> RecordError {
    RecordError::Invalid(field, message.into())
}

/// 32 URL-safe characters from 24 random bytes.
pub fn new_receipt_token() -> String {
    let bytes: [u8; 24] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strictly_yyyy_mm_dd() {
        assert_eq!(
            parse_date("fromDate", "2016-06-01"),
            Ok(NaiveDate::from_ymd_opt(2016, 6, 1).unwrap())
        );
        for bad in [
            "2016-6-01",
            "2016-06-1",
            "16-06-01",
            "2016/06/01",
            "2016-02-30",
            "2016-13-01",
            "",
            "2016-06-01x",
            "+016-06-01",
            "２016-06-01",
        ] {
            assert!(parse_date("toDate", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_are_india_days() {
        let day = NaiveDate::from_ymd_opt(2016, 6, 1).unwrap();
        assert_eq!(start_of_day(day).to_rfc3339(), "2016-05-31T18:30:00+00:00");
        assert_eq!(
            end_of_day(day).to_rfc3339(),
            "2016-06-01T18:29:59.999+00:00"
        );
        let first = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        assert!(start_of_day(first) < end_of_day(last));
    }

    #[test]
    fn amounts_show_ten_decimals() {
        assert_eq!(ten_decimals("50.00"), Ok("50.0000000000".into()));
        assert_eq!(ten_decimals("115"), Ok("115.0000000000".into()));
        assert_eq!(ten_decimals("0.5"), Ok("0.5000000000".into()));
    }

    #[test]
    fn times_show_in_india() {
        assert_eq!(
            india_time("2016-03-23T06:36:03.156Z"),
            Ok("2016-03-23 12:06:03.156+05:30".into())
        );
        assert_eq!(
            india_time("2016-06-01T18:30:00.000Z"),
            Ok("2016-06-02 00:00:00.000+05:30".into())
        );
    }
}
