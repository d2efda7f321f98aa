//! S1–S7: payment ids, payment details and payment logs (`GET`, `POST` accepted too).
//!
//! Every request is authenticated first (HTTP Basic; 401 before any other check), then its
//! inputs are judged in this order: the user id (digits only, else 400 `Invalid userId,
//! expected a number`; `500` answers errorCode 500 whatever else the request holds), the dates
//! (`yyyy-mm-dd`, else 400 `Invalid date format, expected yyyy-mm-dd`; fromDate first; a
//! from date after the to date is 400 `fromDate must not be after toDate`), then the user
//! (404 `User not found`, for another account's user too).
//!
//! Inputs come from the path segments after the endpoint name, or else from the query
//! parameters `userId`, `fromDate` and `toDate` (an empty query value counts as absent), so
//! each endpoint is also routed without its segments. A missing user id is 400 `userId is
//! required`; S3, S4, S6 and S7 need both dates (400 `fromDate is required, expected
//! yyyy-mm-dd`, likewise `toDate`), as the document marks them mandatory. S1 takes neither
//! (every payment), either (from only: up to now on the sandbox clock; to only: from the
//! first payment) or both.
//!
//! Ranges are whole days in India time, both ends included: a payment at 23:59:59.999 India
//! time is in that day, one at 00:00:00.000 the next day is not.

mod read;

use super::auth::authenticate;
use super::errors::JazeError;
use crate::app::AppState;
use crate::timezone::india;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, get};
use axum::{Json, Router};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use percent_encoding::percent_decode_str;
use read::Range;
use serde_json::Value;

/// The user id that answers errorCode 500 on every endpoint taking one.
const MAGIC_INTERNAL_ERROR: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    /// S1
    PaymentIds,
    /// S2
    Details,
    /// S3
    DetailsByDate,
    /// S4
    DetailsByUserAndDate,
    /// S5
    Logs,
    /// S6
    LogsByDate,
    /// S7
    LogsByUserAndDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dates {
    Ignored,
    Optional,
    Required,
}

impl Endpoint {
    const ALL: [Endpoint; 7] = [
        Endpoint::PaymentIds,
        Endpoint::Details,
        Endpoint::DetailsByDate,
        Endpoint::DetailsByUserAndDate,
        Endpoint::Logs,
        Endpoint::LogsByDate,
        Endpoint::LogsByUserAndDate,
    ];

    fn name(self) -> &'static str {
        match self {
            Endpoint::PaymentIds => "get_all_payment_ids",
            Endpoint::Details => "get_payment_details",
            Endpoint::DetailsByDate => "get_payment_details_by_date",
            Endpoint::DetailsByUserAndDate => "get_payment_details_by_userid_and_date",
            Endpoint::Logs => "get_payment_logs",
            Endpoint::LogsByDate => "get_payment_logs_by_date",
            Endpoint::LogsByUserAndDate => "get_payment_logs_by_userid_and_date",
        }
    }

    /// The path parameters, in path order.
    fn parameters(self) -> &'static [&'static str] {
        match self {
            Endpoint::PaymentIds | Endpoint::DetailsByDate | Endpoint::LogsByDate => {
                &["fromDate", "toDate"]
            }
            Endpoint::Details | Endpoint::Logs => &["userId"],
            Endpoint::DetailsByUserAndDate | Endpoint::LogsByUserAndDate => {
                &["userId", "fromDate", "toDate"]
            }
        }
    }

    fn dates(self) -> Dates {
        match self {
            Endpoint::PaymentIds => Dates::Optional,
            Endpoint::Details | Endpoint::Logs => Dates::Ignored,
            _ => Dates::Required,
        }
    }

    fn takes_user(self) -> bool {
        self.parameters().contains(&"userId")
    }
}

pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for endpoint in Endpoint::ALL {
        // The endpoint bare, then with each leading run of its path parameters.
        let mut path = format!("/api/v1/{}", endpoint.name());
        router = router.route(&path, handler(endpoint));
        for parameter in endpoint.parameters() {
            path.push_str(&format!("/{{{parameter}}}"));
            router = router.route(&path, handler(endpoint));
        }
    }
    router
}

fn handler(endpoint: Endpoint) -> MethodRouter<AppState> {
    let answer = move |State(state): State<AppState>, headers: HeaderMap, uri: Uri| async move {
        match answer(&state, endpoint, &headers, &uri).await {
            Ok(body) => Json(body).into_response(),
            Err(error) => error.into_response(),
        }
    };
    get(answer).post(answer)
}

async fn answer(
    state: &AppState,
    endpoint: Endpoint,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<Value, JazeError> {
    // The inputs are judged before the lock is taken; their failures answer only once the
    // credentials have passed.
    let inputs = Inputs::read(endpoint, uri);
    let user_id = endpoint.takes_user().then(|| inputs.user_id()).transpose();
    let range = match endpoint.dates() {
        Dates::Ignored => Ok(Range::default()),
        dates => inputs.range(dates, state.clock.now()),
    };
    state
        .db
        .read(|conn| {
            let account = authenticate(conn, headers)?;
            let user_id = user_id?;
            let range = range?;
            let user = match user_id {
                Some(id) => Some(
                    read::user(conn, account.id, id)?
                        .ok_or(JazeError::NotFound("User not found"))?,
                ),
                None => None,
            };
            let user_row = user.as_ref().map(|u| u.row);
            match endpoint {
                Endpoint::PaymentIds => read::payment_ids(conn, account.id, &range),
                Endpoint::Details | Endpoint::DetailsByUserAndDate => {
                    let user = user.as_ref().ok_or(JazeError::Internal)?;
                    read::user_details(conn, account.id, user, &range)
                }
                Endpoint::DetailsByDate => read::details_by_user(conn, account.id, &range),
                Endpoint::Logs | Endpoint::LogsByDate | Endpoint::LogsByUserAndDate => {
                    read::logs(conn, account.id, user_row, &range)
                }
            }
        })
        .await
}

/// The request's inputs by name: path segments first, then query parameters.
struct Inputs {
    user_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl Inputs {
    fn read(endpoint: Endpoint, uri: &Uri) -> Inputs {
        let mut segments = uri.path().split('/').filter(|s| !s.is_empty());
        segments.by_ref().find(|s| *s == endpoint.name());
        let mut named: Vec<(&str, String)> = endpoint
            .parameters()
            .iter()
            .copied()
            .zip(segments.map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned()))
            .collect();
        let query: Vec<(String, String)> =
            serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default();
        let mut take = |name: &str| {
            named
                .iter()
                .position(|(n, _)| *n == name)
                .map(|i| named.swap_remove(i).1)
                // The last of repeated query parameters, as PHP reads them.
                .or_else(|| {
                    query
                        .iter()
                        .rev()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone())
                })
                .filter(|v| !v.is_empty())
        };
        Inputs {
            user_id: take("userId"),
            from: take("fromDate"),
            to: take("toDate"),
        }
    }

    /// The user id; `None` when it is a number too large to be anyone's.
    fn user_id(&self) -> Result<Option<i64>, JazeError> {
        let text = self
            .user_id
            .as_deref()
            .ok_or_else(|| JazeError::BadRequest("userId is required".into()))?;
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(JazeError::BadRequest(
                "Invalid userId, expected a number".into(),
            ));
        }
        let id = text.parse::<i64>().ok();
        if id == Some(MAGIC_INTERNAL_ERROR) {
            return Err(JazeError::Internal);
        }
        Ok(id)
    }

    fn range(&self, dates: Dates, now: DateTime<Utc>) -> Result<Range, JazeError> {
        let required =
            |name: &str| JazeError::BadRequest(format!("{name} is required, expected yyyy-mm-dd"));
        let from = self.from.as_deref().map(parse_date).transpose()?;
        let to = self.to.as_deref().map(parse_date).transpose()?;
        if dates == Dates::Required {
            from.ok_or_else(|| required("fromDate"))?;
            to.ok_or_else(|| required("toDate"))?;
        }
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(JazeError::BadRequest(
                "fromDate must not be after toDate".into(),
            ));
        }
        Ok(Range {
            from: from.map(start_of_day),
            until: match (from, to) {
                (_, Some(to)) => Some(end_of_day(to)),
                (Some(_), None) => Some(now),
                (None, None) => None,
            },
        })
    }
}

/// A `yyyy-mm-dd` date: four, two and two digits, and a day of the calendar.
fn parse_date(text: &str) -> Result<NaiveDate, JazeError> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| JazeError::BadRequest("Invalid date format, expected yyyy-mm-dd".into()))
}

/// Midnight opening the day in India.
fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    (date.and_time(NaiveTime::MIN) - Duration::seconds(i64::from(india().local_minus_utc())))
        .and_utc()
}

/// The last millisecond of the day in India (times are kept to the millisecond).
fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    start_of_day(date) + Duration::days(1) - Duration::milliseconds(1)
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strictly_yyyy_mm_dd() {
        assert_eq!(
            parse_date("2016-06-01"),
            Ok(NaiveDate::from_ymd_opt(2016, 6, 1).unwrap())
        );
        for bad in [
            "2016-6-01",
            "2016-06-1",
            "16-06-01",
            "2016/06/01",
            "2016-02-30",
            "2016-13-01",
            "",
            "2016-06-01x",
            "+016-06-01",
            "２016-06-01",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_are_india_days() {
        let day = NaiveDate::from_ymd_opt(2016, 6, 1).unwrap();
        assert_eq!(start_of_day(day).to_rfc3339(), "2016-05-31T18:30:00+00:00");
        assert_eq!(
            end_of_day(day).to_rfc3339(),
            "2016-06-01T18:29:59.999+00:00"
        );
        let first = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        assert!(start_of_day(first) < end_of_day(last));
    }
}
