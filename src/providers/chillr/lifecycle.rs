//! The payment and batch lifecycle on the sandbox clock, with no background job: a new
//! request is `pending` (or `paid` at once for the magic msisdns ending `0001`), a stored
//! `pending` request reads as `expired` once the batch's expiry date has ended (India time),
//! and as `declined` one minute after creation for the magic msisdns ending `0002`.

use super::store::Request;
use super::{ids, magic};
use crate::timezone::india;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    Pending,
    Paid,
    Declined,
    Expired,
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Declined => "declined",
            PaymentStatus::Expired => "expired",
        }
    }

    /// The stored form (`expired` is never stored: it follows from the clock).
    pub fn parse_stored(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(PaymentStatus::Pending),
            "paid" => Some(PaymentStatus::Paid),
            "declined" => Some(PaymentStatus::Declined),
            _ => None,
        }
    }
}

/// A collect request's status as of `now`, and when it was paid or declined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effective {
    pub status: PaymentStatus,
    pub acted_at: Option<DateTime<Utc>>,
}

/// The first instant after the expiry date, India time.
pub fn expires_at(expiry_date: NaiveDate) -> DateTime<Utc> {
    let next_day = expiry_date.succ_opt().unwrap_or(NaiveDate::MAX);
    next_day
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(india()).single())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// What a batch is as of `now`, from what is stored.
pub struct Timeline {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

impl Timeline {
    pub fn effective(
        &self,
        msisdn: &str,
        stored: PaymentStatus,
        acted_at: Option<DateTime<Utc>>,
    ) -> Effective {
        if stored != PaymentStatus::Pending {
            return Effective {
                status: stored,
                acted_at,
            };
        }
        let auto_decline = self.created_at + Duration::minutes(1);
        if magic::declines_after_a_minute(msisdn)
            && auto_decline < self.expires_at
            && self.now >= auto_decline
        {
            return Effective {
                status: PaymentStatus::Declined,
                acted_at: Some(auto_decline),
            };
        }
        let status = if self.now >= self.expires_at {
            PaymentStatus::Expired
        } else {
            PaymentStatus::Pending
        };
        Effective {
            status,
            acted_at: None,
        }
    }
}

/// `expired` when any request expired, `active` while any is pending, else `completed`.
pub fn batch_status(statuses: impl IntoIterator<Item = PaymentStatus>) -> &'static str {
    let mut any_pending = false;
    for status in statuses {
        match status {
            PaymentStatus::Expired => return "expired",
            PaymentStatus::Pending => any_pending = true,
            _ => {}
        }
    }
    if any_pending { "active" } else { "completed" }
}

/// A new collect request; the magic msisdns ending `0001` pay at once.
pub fn new_request(msisdn: &str, now: DateTime<Utc>) -> Request {
    let paid_at_once = magic::pays_at_once(msisdn);
    Request {
        transaction_id: ids::transaction_id(),
        status: if paid_at_once {
            PaymentStatus::Paid
        } else {
            PaymentStatus::Pending
        },
        acted_at: paid_at_once.then_some(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_batch_expires_at_the_end_of_its_expiry_date_in_india() {
        let end = expires_at(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        assert_eq!(end, at("2026-04-01T00:00:00+05:30"));
    }

    #[test]
    fn pending_reads_as_expired_after_the_end_and_0002_declines_after_a_minute() {
        let timeline = |now: &str| Timeline {
            created_at: at("2026-03-31T10:00:00+05:30"),
            expires_at: at("2026-04-01T00:00:00+05:30"),
            now: at(now),
        };
        let pending = PaymentStatus::Pending;
        assert_eq!(
            timeline("2026-03-31T23:59:59+05:30")
                .effective("9447741462", pending, None)
                .status,
            PaymentStatus::Pending
        );
        assert_eq!(
            timeline("2026-04-01T00:00:00+05:30")
                .effective("9447741462", pending, None)
                .status,
            PaymentStatus::Expired
        );
        assert_eq!(
            timeline("2026-03-31T10:00:59+05:30")
                .effective("9000000002", pending, None)
                .status,
            PaymentStatus::Pending
        );
        let declined = timeline("2026-03-31T10:01:00+05:30").effective("9000000002", pending, None);
        assert_eq!(declined.status, PaymentStatus::Declined);
        assert_eq!(declined.acted_at, Some(at("2026-03-31T10:01:00+05:30")));
        let paid = timeline("2026-05-01T00:00:00+05:30").effective(
            "9447741462",
            PaymentStatus::Paid,
            None,
        );
        assert_eq!(paid.status, PaymentStatus::Paid, "final statuses stay");
    }

    #[test]
    fn the_batch_status_follows_its_requests() {
        use PaymentStatus::*;
        assert_eq!(batch_status([Paid, Pending]), "active");
        assert_eq!(batch_status([Paid, Declined]), "completed");
        assert_eq!(batch_status([Paid, Expired]), "expired");
    }
}
