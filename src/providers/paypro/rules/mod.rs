//! The document's validation and business rules, pure functions: request limits, the
//! amount, mobile and email formats ([`dates`] for the date formats, [`lifecycle`] for the
//! order states, [`credentials`] for the credentials, [`orders`] for new orders, [`changes`]
//! for the merchant's changes, [`consumers`] for the consumer fields).

mod changes;
mod consumers;
pub mod credentials;
mod dates;
mod lifecycle;
mod orders;

pub use changes::*;
pub use consumers::*;
pub use dates::*;
pub use lifecycle::*;
pub use orders::*;

use rust_decimal::Decimal;
use std::str::FromStr;

/// The most orders one `cmo` request may carry.
pub const MAX_ORDERS: usize = 50;
/// The documented length of `csvOrders`.
pub const MAX_CSV_ORDERS: usize = 4000;
/// The most consumers one `cmc` or `umc` request may carry.
pub const MAX_CONSUMERS: usize = 1000;
/// The longest `Name`, `Mobile`, `Email` or `Address` (the document's String(1000)).
pub const MAX_FIELD: usize = 1000;

/// SQL Server's decimal(18,2): at most 16 whole digits and 2 decimals, above zero.
pub fn parse_decimal_18_2(text: &str) -> Option<Decimal> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let ok = (1..=16).contains(&whole.len())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.len() <= 2
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(text.contains('.') && fraction.is_empty());
    let value = Decimal::from_str(text).ok().filter(|_| ok)?;
    (value > Decimal::ZERO).then_some(value)
}

/// An optional `+`, then 10 to 13 digits.
pub fn valid_mobile(text: &str) -> bool {
    let digits = text.strip_prefix('+').unwrap_or(text);
    (10..=13).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// One `@`, something before it, and a dot inside the domain.
pub fn valid_email(text: &str) -> bool {
    let mut parts = text.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && !text.contains(char::is_whitespace)
                && domain
                    .split_once('.')
                    .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !b.ends_with('.'))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_sql_decimal_18_2_above_zero() {
        assert_eq!(parse_decimal_18_2("4400"), Some(Decimal::from(4400)));
        assert!(parse_decimal_18_2("4400.5").is_some());
        assert!(parse_decimal_18_2("9999999999999999.99").is_some());
        for bad in [
            "0",
            "-1",
            "1e3",
            "10.001",
            "abc",
            "",
            "123456789012345678901",
            "1.",
            ".5",
        ] {
            assert_eq!(parse_decimal_18_2(bad), None, "{bad}");
        }
    }

    #[test]
    fn mobiles_and_emails_are_checked_loosely() {
        assert!(valid_mobile("03123456789") && valid_mobile("+923123456789"));
        assert!(!valid_mobile("0312") && !valid_mobile("03123abc789"));
        assert!(valid_email("abcd@paypro.com.pk"));
        for bad in ["abcd", "a@b", "a@@b.c", "@b.c", "a b@c.d", "a@.c"] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}
