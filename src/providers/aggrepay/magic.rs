//! AggrePay's magic values: the one place they are defined.

use crate::providers::MagicValue;
use crate::providers::aggrepay::errors::AggrePayError;
use crate::providers::aggrepay::why;

/// The MPIN that is never valid.
pub const NEVER_VALID_MPIN: &str = "0000";

/// `amount` 999.99 on a debit or a transfer: the outage answer.
pub const OUTAGE_PAISE: i64 = 99_999;

/// The prefix of a gateway id that needs no record.
pub const PG_PREFIX: &str = "PGTEST-";

/// The never-valid MPIN answers `INVALID-MPIN` wherever an MPIN is given (the MPINs by
/// field name, to name the field that carried it).
pub fn refuse_magic_mpin(mpins: &[(&str, &str)]) -> Result<(), AggrePayError> {
    match mpins.iter().find(|(_, mpin)| *mpin == NEVER_VALID_MPIN) {
        Some((field, _)) => Err(AggrePayError::InvalidMpin.with(why::never_valid_mpin(field))),
        None => Ok(()),
    }
}

/// The magic values of a debit or transfer: the outage amount, then the never-valid MPIN.
pub fn refuse_magic_move(amount: i64, mpin: &str) -> Result<(), AggrePayError> {
    if amount == OUTAGE_PAISE {
        return Err(AggrePayError::Internal);
    }
    refuse_magic_mpin(&[("mpin", mpin)])
}

pub fn magic_values() -> Vec<MagicValue> {
    vec![
        MagicValue {
            field: "pg_transaction_id",
            value: "PGTEST-…",
            effect: "creditwallet accepts it as a PG record of the credit's amount, once, without set-up",
        },
        MagicValue {
            field: "mpin / old_mpin / new_mpin",
            value: "0000",
            effect: "never a valid MPIN: always INVALID-MPIN",
        },
        MagicValue {
            field: "amount (debitwallet, wallettowallet)",
            value: "999.99",
            effect: "answers INTERNAL-ERROR without touching state",
        },
    ]
}
