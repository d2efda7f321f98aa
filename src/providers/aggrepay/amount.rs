//! AggrePay money: integer paise inside, decimal text outside (`41` → `"41.0"`, `41.5` →
//! `"41.5"`, `41.25` → `"41.25"`), and the balance of a listing as a JSON number.

use rust_decimal::Decimal;
use std::str::FromStr;

/// Why an amount was refused, in Laravel's words.
#[derive(Debug, PartialEq)]
pub enum AmountProblem {
    NotANumber,
    NotAboveZero,
    TooManyDecimals,
}

/// A posted amount in paise: a number, above zero, at most two decimals, below 10^13.
pub fn parse_paise(text: &str) -> Result<i64, AmountProblem> {
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
        && !text.is_empty()
        && text.bytes().filter(|b| *b == b'.').count() <= 1;
    let value = if plain {
        Decimal::from_str(text).ok()
    } else {
        None
    };
    let value = value.ok_or(AmountProblem::NotANumber)?;
    if value <= Decimal::ZERO {
        return Err(AmountProblem::NotAboveZero);
    }
    if value.normalize().scale() > 2 {
        return Err(AmountProblem::TooManyDecimals);
    }
    // Decimal's own range ends near 7.9e28: an amount close to it overflows in paise.
    let paise = value
        .checked_mul(Decimal::from(100))
        .ok_or(AmountProblem::NotANumber)?
        .trunc();
    i64::try_from(paise)
        .ok()
        .filter(|p| *p < 1_000_000_000_000_000)
        .ok_or(AmountProblem::NotANumber)
}

/// A fixture or control-plane amount (at most two decimals) in paise.
pub fn to_paise(amount: crate::money::Amount) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    amount
        .value()
        .checked_mul(Decimal::from(100))
        .and_then(|paise| paise.to_i64())
        .unwrap_or(0)
}

pub fn to_decimal(paise: i64) -> Decimal {
    Decimal::new(paise, 2).normalize()
}

/// `"41.0"`, `"41.5"`, `"41.25"`.
pub fn shown(paise: i64) -> String {
    let value = to_decimal(paise);
    if value.scale() == 0 {
        format!("{value}.0")
    } else {
        value.to_string()
    }
}

/// The balance of a listing: a JSON number (`40`, `40.5`).
pub fn number(paise: i64) -> serde_json::Value {
    let value = to_decimal(paise);
    if value.scale() == 0 {
        serde_json::Value::from(paise / 100)
    } else {
        serde_json::Number::from_str(&value.to_string())
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_with_at_least_one_decimal() {
        assert_eq!(shown(4100), "41.0");
        assert_eq!(shown(4150), "41.5");
        assert_eq!(shown(4125), "41.25");
        assert_eq!(number(4000).to_string(), "40");
        assert_eq!(number(4050).to_string(), "40.5");
    }

    #[test]
    fn posted_amounts_follow_the_rules() {
        assert_eq!(parse_paise("10"), Ok(1000));
        assert_eq!(parse_paise("10.5"), Ok(1050));
        assert_eq!(parse_paise("0.01"), Ok(1));
        assert_eq!(parse_paise("abc"), Err(AmountProblem::NotANumber));
        assert_eq!(parse_paise("1e3"), Err(AmountProblem::NotANumber));
        assert_eq!(parse_paise("-5"), Err(AmountProblem::NotAboveZero));
        assert_eq!(parse_paise("0"), Err(AmountProblem::NotAboveZero));
        assert_eq!(parse_paise("1.005"), Err(AmountProblem::TooManyDecimals));
        assert_eq!(
            parse_paise("1234567890123456789012345678901234567890"),
            Err(AmountProblem::NotANumber)
        );
    }
}
