//! Money: `Decimal` end to end, never a float.
//!
//! [`Amount`] is a non-negative amount of at most two decimals, written in fixtures and
//! settings as a decimal string (`"100.00"`). Numbers are refused there on purpose: a JSON
//! number goes through `f64` in most parsers, and a fixture must mean exactly what it says.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, utoipa::ToSchema)]
#[schema(value_type = String, example = "100.00")]
pub struct Amount(Decimal);

impl Amount {
    pub fn new(value: Decimal) -> Option<Self> {
        (value >= Decimal::ZERO && value.normalize().scale() <= 2).then_some(Amount(value))
    }

    pub fn value(self) -> Decimal {
        self.0
    }

    /// The stored form: two decimals (`"5000.00"`).
    pub fn to_fixed2(self) -> String {
        format!("{:.2}", self.0)
    }

    /// Parses plain decimal text: digits, optionally a point and one or two digits.
    pub fn parse(text: &str) -> Result<Self, String> {
        let plain = {
            let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && (!text.contains('.') || (1..=2).contains(&fraction.len()))
                && fraction.bytes().all(|b| b.is_ascii_digit())
        };
        if !plain || text.len() > 20 {
            return Err(format!(
                "`{text}` is not an amount: write a decimal string with at most two decimals, such as \"100.00\""
            ));
        }
        Decimal::from_str(text)
            .ok()
            .and_then(Amount::new)
            .ok_or_else(|| format!("`{text}` is out of range"))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_fixed2())
    }
}

impl FromStr for Amount {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        Amount::parse(text)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_fixed2())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a decimal string, such as \"100.00\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Amount, E> {
                Amount::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimal_strings_are_amounts() {
        assert_eq!(Amount::parse("100").unwrap().to_fixed2(), "100.00");
        assert_eq!(Amount::parse("0.5").unwrap().to_fixed2(), "0.50");
        assert_eq!(
            Amount::parse("5000000.00").unwrap().to_fixed2(),
            "5000000.00"
        );
    }

    #[test]
    fn signs_exponents_and_extra_decimals_are_refused() {
        for bad in [
            "-1", "1e3", "0.001", "abc", "", " 1", "1.", ".5", "+1", "1,000",
        ] {
            assert!(Amount::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn a_json_number_is_refused_in_favour_of_a_string() {
        let err = serde_json::from_str::<Amount>("100.5").unwrap_err();
        assert!(err.to_string().contains("decimal string"), "{err}");
        assert_eq!(
            serde_json::from_str::<Amount>("\"100.5\"")
                .unwrap()
                .to_fixed2(),
            "100.50"
        );
    }
}
