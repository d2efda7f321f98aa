//! Chillr's rules for the values of a collect request (mobile numbers, amounts, expiry
//! dates), and the status of a batch as of a time ([`status_view`]).

use super::lifecycle::{PaymentStatus, Timeline, batch_status, expires_at};
use super::magic;
use super::store::{CustomerRecord, StoredBatch};
use super::wire::{BatchStatus, Customer, CustomerStatus, Field};
use crate::timezone::india;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::str::FromStr;

/// The most customers one batch may hold.
const MAX_CUSTOMERS: usize = 10_000;
/// The longest batch name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// The largest amount one customer may be asked for: 1,00,000.00.
const MAX_AMOUNT: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);

/// A 10-digit Indian mobile number starting 6–9; `+91`, `91` and `0` prefixes are stripped.
pub fn normalize_msisdn(text: &str) -> Option<String> {
    crate::phone::indian_mobile(text).map(str::to_string)
}

/// `^\d+(\.\d{1,2})?$`, above zero and at most 1,00,000.00.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let well_formed = !whole.is_empty()
        && whole.len() <= 12
        && whole.bytes().all(|b| b.is_ascii_digit())
        && (!text.contains('.') || (1..=2).contains(&fraction.len()))
        && fraction.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    let amount = Decimal::from_str(text).ok()?;
    (amount > Decimal::ZERO && amount <= MAX_AMOUNT).then_some(amount)
}

/// `dd-mm-yyyy`, a real calendar date.
pub fn parse_expiry_date(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(day, 2) && digits(month, 2) && digits(year, 4)) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

pub fn format_expiry_date(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// A collect request's batch as judged by the rules of code 58: every reason found, and
/// the customers whose msisdn and amount are both valid (msisdn normalised, amount as sent).
pub struct Judged {
    pub name: String,
    pub customers: Vec<(String, String)>,
    pub reasons: Vec<String>,
}

/// Judges a batch whose parameters are all present; `today` is the sandbox's date in India.
pub fn judge_batch(
    name: Field,
    expiry_date: NaiveDate,
    today: NaiveDate,
    customers: &[Customer],
) -> Judged {
    let mut reasons = Vec::new();
    if expiry_date < today {
        reasons.push("expiry_date should not be a past date".to_string());
    }
    let name = match name {
        Field::Text(name) if name.chars().count() > MAX_NAME_CHARS => {
            reasons.push("name is too long".into());
            name
        }
        Field::Text(name) => name,
        _ => {
            reasons.push("name is not text".into());
            String::new()
        }
    };
    let mut valid = Vec::new();
    if customers.len() > MAX_CUSTOMERS {
        reasons.push("too many customers".into());
    } else {
        let mut seen = HashSet::new();
        for (i, customer) in customers.iter().enumerate() {
            let n = i + 1;
            let msisdn = match customer.field("msisdn") {
                Field::Missing => {
                    reasons.push(format!("customer {n} : mobile number is not present"));
                    None
                }
                field => match field.text().and_then(normalize_msisdn) {
                    Some(msisdn) if !seen.insert(msisdn.clone()) => {
                        reasons.push(format!("customer {n} : duplicate mobile number"));
                        None
                    }
                    Some(msisdn) => Some(msisdn),
                    None => {
                        reasons.push(format!("customer {n} : invalid mobile number"));
                        None
                    }
                },
            };
            let amount = match customer.field("amount") {
                Field::Missing => {
                    reasons.push(format!("customer {n} : amount is not present"));
                    None
                }
                field => match field.text().filter(|t| parse_amount(t).is_some()) {
                    Some(amount) => Some(amount.to_string()),
                    None => {
                        reasons.push(format!("customer {n} : invalid amount"));
                        None
                    }
                },
            };
            if let (Some(msisdn), Some(amount)) = (msisdn, amount) {
                valid.push((msisdn, amount));
            }
        }
    }
    Judged {
        name,
        customers: valid,
        reasons,
    }
}

/// The status response's `data`: customers in the order submitted, statuses as of `now`
/// (also the answer of the pay/decline action).
pub fn status_view(batch: &StoredBatch, now: DateTime<Utc>) -> BatchStatus {
    let timeline = timeline(batch, now);
    let mut statuses = Vec::new();
    let customers = batch
        .customers
        .iter()
        .map(|customer| customer_status(&timeline, customer, &mut statuses))
        .collect();
    let non_chillr_customers = batch
        .customers
        .iter()
        .filter(|c| c.request.is_none())
        .map(|c| c.msisdn.clone())
        .collect();
    BatchStatus {
        batch_id: batch.batch_id.clone(),
        batch_status: batch_status(statuses),
        name: batch.name.clone(),
        expiry_date: format_expiry_date(batch.expiry_date),
        customers,
        non_chillr_customers,
    }
}

/// One customer of the status view; the effective status of a collect request is added to
/// `statuses` (the batch's status follows from them).
fn customer_status(
    timeline: &Timeline,
    customer: &CustomerRecord,
    statuses: &mut Vec<PaymentStatus>,
) -> CustomerStatus {
    let Some(request) = &customer.request else {
        return CustomerStatus::NotGenerated {
            msisdn: customer.msisdn.clone(),
            message: "Transaction not generated",
        };
    };
    let effective = timeline.effective(&customer.msisdn, request.status, request.acted_at);
    statuses.push(effective.status);
    let paid_at = effective
        .acted_at
        .filter(|_| effective.status == PaymentStatus::Paid)
        .map(india_time);
    CustomerStatus::Request {
        msisdn: customer.msisdn.clone(),
        amount: customer.amount.clone(),
        payment_status: effective.status.as_str(),
        transaction_id: request.transaction_id.clone(),
        paid_at,
    }
}

/// A batch's life as of `now`: created, expiring at the end of its expiry date.
pub fn timeline(batch: &StoredBatch, now: DateTime<Utc>) -> Timeline {
    Timeline {
        created_at: batch.created_at,
        expires_at: expires_at(batch.expiry_date),
        now,
    }
}

/// `2016-05-24T12:33:14+05:30`.
fn india_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&india())
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Whether the batch holds the magic customer whose batch answers the outage error.
pub fn names_outage_customer(customers: &[(String, String)]) -> bool {
    customers
        .iter()
        .any(|(msisdn, _)| msisdn == magic::OUTAGE_MSISDN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_normalised_to_ten_digits() {
        for text in ["9447741462", "+919447741462", "919447741462", "09447741462"] {
            assert_eq!(
                normalize_msisdn(text).as_deref(),
                Some("9447741462"),
                "{text}"
            );
        }
        for bad in [
            "5447741462",
            "944774146",
            "94477414620",
            "+9194477414",
            "94477a1462",
            "",
            "+929447741462",
        ] {
            assert_eq!(normalize_msisdn(bad), None, "{bad}");
        }
    }

    #[test]
    fn amounts_are_plain_positive_decimals_up_to_one_lakh() {
        assert_eq!(parse_amount("200"), Some(Decimal::from(200)));
        assert_eq!(parse_amount("99.5"), Decimal::from_str("99.5").ok());
        assert!(parse_amount("100000.00").is_some());
        for bad in [
            "-1",
            "1e3",
            "0.001",
            "abc",
            "0",
            "0.00",
            "100000.01",
            " 1",
            "1.",
            "",
            "+5",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn expiry_dates_are_real_dd_mm_yyyy_dates() {
        assert_eq!(
            parse_expiry_date("27-05-2016"),
            NaiveDate::from_ymd_opt(2016, 5, 27)
        );
        for bad in [
            "2016-05-27",
            "31-02-2020",
            "7-5-2016",
            "27/05/2016",
            "27-05-16",
            "",
        ] {
            assert_eq!(parse_expiry_date(bad), None, "{bad}");
        }
    }
}
