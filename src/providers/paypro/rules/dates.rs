//! The date formats PayPro clients send, and the .NET formats it answers with.

use crate::providers::paypro::diagnoses;
use crate::providers::paypro::errors::{Code, Failure};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// Order dates: `yyyy-MM-dd`, `dd/MM/yyyy`, `d/M/yyyy`, `dd-MM-yyyy`.
pub fn parse_order_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(date) = ymd(text, '-') {
        return Some(date);
    }
    let separator = if text.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = text.split(separator).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, lengths: &[usize]| {
        lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let lengths: &[usize] = if separator == '/' { &[1, 2] } else { &[2] };
    if !(digits(day, lengths) && digits(month, lengths) && digits(year, &[4])) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// Query dates of `gpojson`: `yyyy-MM-dd` or `yyyy/MM/dd`.
pub fn parse_query_date(text: &str) -> Option<NaiveDate> {
    ymd(text.trim(), '-').or_else(|| ymd(text.trim(), '/'))
}

/// `gpojson`'s `startDate` and `endDate`: both query dates, the start not after the end.
pub fn paid_range(
    start: Option<&str>,
    end: Option<&str>,
) -> Result<(NaiveDate, NaiveDate), Failure> {
    let date = |text: Option<&str>, field: &str| {
        text.and_then(parse_query_date).ok_or_else(|| {
            Failure::new(Code::Rejected, "Invalid Data. Date format is invalid")
                .with(diagnoses::bad_date(field, text.unwrap_or_default()))
        })
    };
    let (start, end) = (date(start, "startDate")?, date(end, "endDate")?);
    if start > end {
        return Err(Failure::new(
            Code::Rejected,
            "Invalid Data. Start Date should be less then to End Date",
        ));
    }
    Ok((start, end))
}

fn ymd(text: &str, separator: char) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split(separator).collect();
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    let ok = year.len() == 4
        && month.len() == 2
        && day.len() == 2
        && [year, month, day]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// .NET's round-trip-ish form PayPro answers with: `2018-12-27T15:04:25.923`, the fraction
/// without trailing zeros and absent when zero (`2019-01-01T00:00:00`).
///
/// Written out rather than through chrono's `format`, which parses its pattern on every call:
/// a `gpojson` writes four of these per order. Years outside 0..=9999 and leap seconds, which
/// chrono writes its own way, still go through it.
pub fn dotnet(at: NaiveDateTime) -> String {
    let (date, time) = (at.date(), at.time());
    let base = if (0..=9999).contains(&date.year()) && time.nanosecond() < 1_000_000_000 {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            date.year(),
            date.month(),
            date.day(),
            time.hour(),
            time.minute(),
            time.second()
        )
    } else {
        at.format("%Y-%m-%dT%H:%M:%S").to_string()
    };
    let millis = at.and_utc().timestamp_subsec_millis();
    if millis == 0 {
        base
    } else {
        let fraction = format!("{millis:03}");
        format!("{base}.{}", fraction.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn order_dates_come_in_four_formats() {
        assert_eq!(parse_order_date("2020-03-21"), date(2020, 3, 21));
        assert_eq!(parse_order_date("21/03/2020"), date(2020, 3, 21));
        assert_eq!(parse_order_date("1/3/2020"), date(2020, 3, 1));
        assert_eq!(parse_order_date("21-03-2020"), date(2020, 3, 21));
        for bad in [
            "31/02/2020",
            "2020/03/21",
            "21.03.2020",
            "",
            "21/03/20",
            "32-01-2020",
        ] {
            assert_eq!(parse_order_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn query_dates_take_dashes_or_slashes() {
        assert_eq!(parse_query_date("2017/01/01"), date(2017, 1, 1));
        assert_eq!(parse_query_date("2020-01-01"), date(2020, 1, 1));
        assert_eq!(parse_query_date("01/01/2017"), None);
    }

    #[test]
    fn dotnet_times_are_written_as_chronos_own_format_would() {
        let mut at = NaiveDate::from_ymd_opt(1999, 12, 31)
            .unwrap()
            .and_hms_milli_opt(23, 59, 58, 7)
            .unwrap();
        for _ in 0..2_000 {
            let expected = at.format("%Y-%m-%dT%H:%M:%S").to_string();
            assert!(dotnet(at).starts_with(&expected), "{at}: {}", dotnet(at));
            at += chrono::Duration::milliseconds(86_400_000 / 7 + 13_579);
        }
    }

    #[test]
    fn dotnet_times_drop_trailing_zeros() {
        let at = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap();
        assert_eq!(
            dotnet(at("2018-12-27 15:04:25.923")),
            "2018-12-27T15:04:25.923"
        );
        assert_eq!(
            dotnet(at("2019-01-01 10:12:43.720")),
            "2019-01-01T10:12:43.72"
        );
        assert_eq!(dotnet(at("2019-01-01 00:00:00")), "2019-01-01T00:00:00");
    }
}
