//! The specific diagnoses of AggrePay's business refusals, built where the numbers are
//! known (inside the write that checks them) and carried out in the error: a limit with its
//! value and the running total, a balance with the amount asked, a wrong MPIN (never its
//! value) and why an OTP did not verify (never its value either).

use crate::diagnosis::{Diagnosis, Rule};
use crate::providers::aggrepay::diagnoses;

/// Paise as rupees with thousands separators: `1050000` → `10,500.00`.
pub fn rupees(paise: i64) -> String {
    let sign = if paise < 0 { "-" } else { "" };
    let paise = paise.unsigned_abs();
    let whole = (paise / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{:02}", paise % 100)
}

const CLOCK: &str = "move the sandbox clock there with POST /__sandbox/clock";

/// One limit that a total would pass: its name, the fixture key that sets it, whether it
/// counts debits (else rupees), and the period that resets it.
pub struct Limit {
    pub rule: &'static Rule,
    pub name: &'static str,
    pub key: &'static str,
    pub count: bool,
    pub period: &'static str,
    /// When the next period starts.
    pub starts: &'static str,
}

pub const DAILY_COUNT: Limit = Limit {
    rule: &diagnoses::LIMIT_DAILY,
    name: "daily debit count",
    key: "daily_debit_count",
    count: true,
    period: "day",
    starts: "00:00 IST",
};

pub const DAILY_AMOUNT: Limit = Limit {
    rule: &diagnoses::LIMIT_DAILY,
    name: "daily debit amount",
    key: "daily_debit_amount",
    count: false,
    period: "day",
    starts: "00:00 IST",
};

pub const MONTHLY_DEBIT: Limit = Limit {
    rule: &diagnoses::LIMIT_MONTHLY,
    name: "monthly debit",
    key: "monthly_debit",
    count: false,
    period: "month",
    starts: "the 1st, 00:00 IST",
};

pub const MONTHLY_CREDIT: Limit = Limit {
    rule: &diagnoses::LIMIT_MONTHLY,
    name: "monthly credit",
    key: "monthly_credit",
    count: false,
    period: "month",
    starts: "the 1st, 00:00 IST",
};

pub const WALLET_BALANCE: Limit = Limit {
    rule: &diagnoses::LIMIT_WALLET_BALANCE,
    name: "wallet balance",
    key: "max_balance",
    count: false,
    period: "",
    starts: "",
};

impl Limit {
    fn shown(&self, value: i64) -> String {
        if self.count {
            value.to_string()
        } else {
            rupees(value)
        }
    }

    /// `total + asked` would pass `limit`.
    pub fn passed(&self, total: i64, asked: i64, limit: i64) -> Diagnosis {
        let asked = if self.count { 1 } else { asked };
        let sum = total.saturating_add(asked);
        let hint = if self.period.is_empty() {
            format!(
                "Credit at most {} now (limit minus balance), debit the wallet first, or set a \
                 higher `limits.{}` for this customer by fixture.",
                rupees(limit.saturating_sub(total).max(0)),
                self.key
            )
        } else {
            format!(
                "Wait for the next {} ({}; {CLOCK}) or set a higher `limits.{}` for this \
                 customer by fixture.",
                self.period, self.starts, self.key
            )
        };
        let diagnosis = self.rule.diagnose();
        let diagnosis = if self.count {
            diagnosis
        } else {
            diagnosis.field("amount")
        };
        diagnosis
            .expected(format!("{} limit {}", self.name, self.shown(limit)))
            .got(format!(
                "{} {} + {} = {} > limit {}",
                self.name,
                self.shown(total),
                self.shown(asked),
                self.shown(sum),
                self.shown(limit)
            ))
            .hint(hint)
    }
}

/// The wallet holds less than the amount: `rule` is the endpoint's own refusal.
pub fn short(rule: &Diagnosis, balance: i64, amount: i64) -> Diagnosis {
    rule.clone()
        .field("amount")
        .expected(format!("at most the balance {}", rupees(balance)))
        .got(format!("amount {}", rupees(amount)))
        .hint(format!(
            "The wallet holds {}: credit it first (creditwallet) or move at most that.",
            rupees(balance)
        ))
}

/// The MPIN in `field` is not the customer's. The sandbox keeps no count of wrong attempts
/// (no lockout), so none is shown.
pub fn wrong_mpin(field: &str) -> Diagnosis {
    diagnoses::MPIN_INVALID
        .diagnose()
        .field(field)
        .expected("the customer's current MPIN (***)")
        .got("*** (another MPIN)")
        .hint(format!(
            "The `{field}` sent is not this customer's current MPIN (the sandbox counts no \
             attempts and never locks): send the MPIN set at registration or by the last \
             changempin/forgotmpin."
        ))
}

/// `0000` in `field`: never a valid MPIN.
pub fn never_valid_mpin(field: &str) -> Diagnosis {
    diagnoses::MPIN_NEVER_VALID
        .diagnose()
        .field(field)
        .expected("any 4 digits but 0000")
        .got("*** (the never-valid MPIN)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupees_are_grouped_by_thousands() {
        assert_eq!(rupees(0), "0.00");
        assert_eq!(rupees(5), "0.05");
        assert_eq!(rupees(100_000), "1,000.00");
        assert_eq!(rupees(1_050_000), "10,500.00");
        assert_eq!(rupees(123_456_789), "1,234,567.89");
    }

    #[test]
    fn a_limit_shows_the_running_total_and_the_amount() {
        let diagnosis = MONTHLY_DEBIT.passed(950_000, 100_000, 1_000_000);
        assert_eq!(
            diagnosis.got.as_deref(),
            Some("monthly debit 9,500.00 + 1,000.00 = 10,500.00 > limit 10,000.00")
        );
        assert_eq!(
            diagnosis.expected.as_deref(),
            Some("monthly debit limit 10,000.00")
        );
        let diagnosis = DAILY_COUNT.passed(1, 500, 1);
        assert_eq!(
            diagnosis.got.as_deref(),
            Some("daily debit count 1 + 1 = 2 > limit 1")
        );
    }
}
