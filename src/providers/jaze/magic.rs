//! Jaze's magic values, the one place they are defined.

use crate::providers::MagicValue;

/// The user id that answers errorCode 500 (Internal Server Error) on every endpoint taking one.
pub const INTERNAL_ERROR_USER: i64 = 500;

pub fn magic_values() -> Vec<MagicValue> {
    vec![MagicValue {
        field: "userId",
        value: "500",
        effect: "every endpoint answers errorCode 500 (Internal Server Error)",
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listed_value_is_the_one_judged() {
        assert_eq!(magic_values()[0].value, INTERNAL_ERROR_USER.to_string());
    }
}
