//! Chillr's magic values, the one place they are defined: msisdns that make the sandbox
//! answer an outage, pay at once or decline on their own.

use crate::providers::MagicValue;

/// `collect` answers 59 (Internal server error) and creates nothing.
pub const OUTAGE_MSISDN: &str = "9000000059";
// Macros so that the suffixes are written once, in the constants and in the descriptions.
macro_rules! paid_at_once_suffix {
    () => {
        "0001"
    };
}
macro_rules! declines_after_a_minute_suffix {
    () => {
        "0002"
    };
}

/// A Chillr user whose number ends so pays the collect request at once.
pub const PAID_AT_ONCE_SUFFIX: &str = paid_at_once_suffix!();
/// A Chillr user whose number ends so declines one minute after the batch is created.
pub const DECLINES_AFTER_A_MINUTE_SUFFIX: &str = declines_after_a_minute_suffix!();

pub fn pays_at_once(msisdn: &str) -> bool {
    msisdn.ends_with(PAID_AT_ONCE_SUFFIX)
}

pub fn declines_after_a_minute(msisdn: &str) -> bool {
    msisdn.ends_with(DECLINES_AFTER_A_MINUTE_SUFFIX)
}

pub fn magic_values() -> Vec<MagicValue> {
    vec![
        MagicValue {
            field: "customers[].msisdn",
            value: OUTAGE_MSISDN,
            effect: "collect answers 59 (Internal server error) and creates nothing",
        },
        MagicValue {
            field: "customers[].msisdn",
            value: concat!("a Chillr user ending ", paid_at_once_suffix!()),
            effect: "the collect request is paid at once",
        },
        MagicValue {
            field: "customers[].msisdn",
            value: concat!("a Chillr user ending ", declines_after_a_minute_suffix!()),
            effect: "the collect request is declined one minute (sandbox clock) after the batch is created",
        },
    ]
}
