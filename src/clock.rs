//! The sandbox clock: the only source of "now" in the code.
//!
//! It is wall time plus an offset, or frozen at a set instant. Tests and QA move it with
//! `POST /__sandbox/clock`, so expiry, due dates, OTP validity and daily/monthly limits can be
//! driven without waiting. Nothing else may call `Utc::now()`.

use chrono::{DateTime, Duration, FixedOffset, Months, Utc};
use std::sync::RwLock;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    /// Wall time shifted by this much.
    Offset(Duration),
    /// Stopped at this instant.
    Frozen(DateTime<Utc>),
}

/// A calendar-aware amount of time to move the clock by (ISO-8601 `P1M2DT3H`, or seconds).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Advance {
    pub months: u32,
    pub days: u64,
    pub exact: Duration,
}

impl Advance {
    pub fn seconds(seconds: i64) -> Self {
        Advance {
            exact: Duration::seconds(seconds),
            ..Default::default()
        }
    }

    /// Parses an ISO-8601 duration such as `P1DT2H`, `PT90S`, `P2W` or `P1M`.
    pub fn parse_iso8601(text: &str) -> Result<Self, String> {
        let parsed = iso8601::duration(text.trim())
            .map_err(|e| format!("`{text}` is not an ISO-8601 duration such as P1DT2H ({e})"))?;
        Ok(match parsed {
            iso8601::Duration::Weeks(w) => Advance {
                days: u64::from(w) * 7,
                ..Default::default()
            },
            iso8601::Duration::YMDHMS {
                year,
                month,
                day,
                hour,
                minute,
                second,
                millisecond,
            } => Advance {
                months: year.saturating_mul(12).saturating_add(month),
                days: u64::from(day),
                exact: Duration::hours(i64::from(hour))
                    + Duration::minutes(i64::from(minute))
                    + Duration::seconds(i64::from(second))
                    + Duration::milliseconds(i64::from(millisecond)),
            },
        })
    }

    /// Months and days are calendar steps in the clock's own offset (Jan 31 + 1 month is
    /// Feb 28 there, whatever the date is in UTC).
    fn apply(&self, from: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        from.checked_add_months(Months::new(self.months))?
            .checked_add_signed(Duration::try_days(i64::try_from(self.days).ok()?)?)?
            .checked_add_signed(self.exact)
    }
}

/// What `GET /__sandbox/clock` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockReading {
    pub now: DateTime<FixedOffset>,
    pub frozen: bool,
    pub offset_seconds: i64,
}

#[derive(Debug)]
pub struct Clock {
    state: RwLock<State>,
}

#[derive(Debug, Clone, Copy)]
struct State {
    mode: Mode,
    /// The offset the last `set` was given in, so the reading comes back as it was written.
    display: FixedOffset,
}

impl Default for Clock {
    fn default() -> Self {
        Self::real()
    }
}

impl Clock {
    /// Wall time, no offset.
    pub fn real() -> Self {
        Clock {
            state: RwLock::new(State {
                mode: Mode::Offset(Duration::zero()),
                display: FixedOffset::east_opt(0).expect("zero offset"),
            }),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.read().mode {
            Mode::Offset(offset) => Utc::now() + offset,
            Mode::Frozen(at) => at,
        }
    }

    pub fn reading(&self) -> ClockReading {
        let state = self.read();
        let now = self.now();
        let offset_seconds = match state.mode {
            Mode::Offset(offset) => offset.num_seconds(),
            Mode::Frozen(at) => (at - Utc::now()).num_seconds(),
        };
        ClockReading {
            now: now.with_timezone(&state.display),
            frozen: matches!(state.mode, Mode::Frozen(_)),
            offset_seconds,
        }
    }

    /// Freezes the clock at `at`.
    pub fn set(&self, at: DateTime<FixedOffset>) {
        let mut state = self.write();
        state.mode = Mode::Frozen(at.with_timezone(&Utc));
        state.display = *at.offset();
    }

    /// Moves the clock forward (or back, for negative seconds); a frozen clock stays frozen.
    pub fn advance(&self, by: Advance) -> Result<(), String> {
        let mut state = self.write();
        let now = match state.mode {
            Mode::Offset(offset) => Utc::now() + offset,
            Mode::Frozen(at) => at,
        };
        let target = by
            .apply(now.with_timezone(&state.display))
            .ok_or_else(|| "the clock cannot be moved that far".to_string())?
            .with_timezone(&Utc);
        state.mode = match state.mode {
            Mode::Offset(offset) => Mode::Offset(offset + (target - now)),
            Mode::Frozen(_) => Mode::Frozen(target),
        };
        Ok(())
    }

    /// Back to wall time with no offset.
    pub fn reset_to_real(&self) {
        *self.write() = *Clock::real().read();
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn a_frozen_clock_advances_by_calendar_months_and_days() {
        let clock = Clock::real();
        // 02:00 on Jan 31 in India is still Jan 30 in UTC: months count in India time.
        clock.set(at("2026-01-31T02:00:00+05:30"));
        clock
            .advance(Advance::parse_iso8601("P1M1DT2H").unwrap())
            .unwrap();
        // Jan 31 + 1 month clamps to Feb 28, + 1 day = Mar 1, + 2 h.
        assert_eq!(
            clock.reading().now.to_rfc3339(),
            "2026-03-01T04:00:00+05:30"
        );
        assert!(clock.reading().frozen);
    }

    #[test]
    fn weeks_and_fractions_of_a_second_are_understood() {
        assert_eq!(
            Advance::parse_iso8601("P2W").unwrap(),
            Advance {
                days: 14,
                ..Default::default()
            }
        );
        assert!(Advance::parse_iso8601("one day").is_err());
    }

    #[test]
    fn an_offset_clock_keeps_running_and_goes_back_to_real() {
        let clock = Clock::real();
        clock.advance(Advance::seconds(3600)).unwrap();
        let reading = clock.reading();
        assert!(!reading.frozen);
        assert_eq!(reading.offset_seconds, 3600);
        clock.reset_to_real();
        assert_eq!(clock.reading().offset_seconds, 0);
    }
}
