//! PayPro's magic values: `OrderNumber` prefixes that make `co`/`cmo` fail or move the new
//! order on at once. The one place they are defined.

use crate::providers::MagicValue;

/// `co`/`cmo` answer `02` Service Fail and create nothing.
const OUTAGE: &str = "MAGIC-02";
/// The order is created, then paid at once.
const PAID: &str = "MAGIC-PAID";
/// The order is created, then blocked at once.
const BLOCKED: &str = "MAGIC-BLOCKED";

/// What a magic order number asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magic {
    Outage,
    Paid,
    Blocked,
}

/// The magic an order number carries, if any (prefixes compared without case).
pub fn of(order_number: &str) -> Option<Magic> {
    [
        (OUTAGE, Magic::Outage),
        (PAID, Magic::Paid),
        (BLOCKED, Magic::Blocked),
    ]
    .into_iter()
    .find(|(prefix, _)| has_prefix(order_number, prefix))
    .map(|(_, magic)| magic)
}

fn has_prefix(number: &str, prefix: &str) -> bool {
    number
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// The magic values as the control plane lists them.
pub fn magic_values() -> Vec<MagicValue> {
    vec![
        MagicValue {
            field: "OrderNumber",
            value: "MAGIC-02…",
            effect: "co/cmo answer 02 Service Fail and create nothing",
        },
        MagicValue {
            field: "OrderNumber",
            value: "MAGIC-PAID…",
            effect: "the order is created, then paid at once",
        },
        MagicValue {
            field: "OrderNumber",
            value: "MAGIC-BLOCKED…",
            effect: "the order is created, then blocked at once",
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_compared_without_case() {
        assert_eq!(of("magic-paid-1"), Some(Magic::Paid));
        assert_eq!(of("MAGIC-02x"), Some(Magic::Outage));
        assert_eq!(of("Magic-Blocked"), Some(Magic::Blocked));
        assert_eq!(of("MAGIC-0"), None);
        assert_eq!(of("ORDER-MAGIC-PAID"), None);
    }
}
