//! Provider time zones: fixed offsets such as India's +05:30 and Pakistan's +05:00.

use chrono::FixedOffset;

/// India Standard Time, the zone of the Indian providers' dates.
pub fn india() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600 + 30 * 60).expect("a valid offset")
}

/// Pakistan Standard Time, the default zone of a Pakistani provider.
pub fn pakistan() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600).expect("a valid offset")
}

/// Parses `+05:00` / `-03:30` (hours at most 14).
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let bytes = text.as_bytes();
    if bytes.len() != 6 || bytes[3] != b':' {
        return None;
    }
    let sign = match bytes[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = text.get(1..3)?.parse().ok()?;
    let minutes: i32 = text.get(4..6)?.parse().ok()?;
    if hours > 14 || minutes > 59 || !text[1..3].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_both_ways() {
        assert_eq!(parse_offset("+05:00"), Some(pakistan()));
        assert_eq!(parse_offset("+05:30"), Some(india()));
        assert_eq!(
            parse_offset("-03:30").map(|o| o.local_minus_utc()),
            Some(-12600)
        );
        for bad in ["05:00", "+5:00", "+05:60", "+15:00", "+0a:00", "UTC"] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
    }
}
