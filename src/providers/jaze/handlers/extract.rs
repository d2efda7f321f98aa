//! Jaze's extractors: the account of the HTTP Basic credentials, and the inputs of a request.
//!
//! Every request is authenticated first (user name = the account's API Token, password = its
//! API Key; 401 before any other check), so [`Account`] comes before any input in a handler's
//! arguments. Inputs come from the path segments after the endpoint name, or else from the
//! query parameters `userId`, `fromDate` and `toDate` (an empty query value counts as absent;
//! the last of repeated ones, as PHP reads them).

use super::super::endpoints::Endpoint;
use super::super::errors::JazeError;
use super::super::rules::{self, Dates, Range};
use super::super::store;
use crate::app::AppState;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri, header};
use base64::Engine;
use chrono::{DateTime, Utc};
use percent_encoding::percent_decode_str;

/// The ISP account whose API Token and API Key were given.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
}

impl FromRequestParts<AppState> for Account {
    type Rejection = JazeError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, JazeError> {
        let (token, key) = credentials(&parts.headers).ok_or(JazeError::Unauthorized)?;
        let found = state
            .db
            .read(move |conn| store::account_key(conn, &token))
            .await?;
        match found {
            Some((id, api_key)) if api_key == key => Ok(Account { id }),
            _ => Err(JazeError::Unauthorized),
        }
    }
}

fn credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (token, key) = text.split_once(':')?;
    Some((token.to_string(), key.to_string()))
}

/// The request's inputs by name, as sent: path segments first, then query parameters.
/// Judged by the handler, once the credentials have passed.
#[derive(Debug)]
pub struct Inputs {
    user_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl FromRequestParts<AppState> for Inputs {
    type Rejection = JazeError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, JazeError> {
        let endpoint = Endpoint::of_path(parts.uri.path()).ok_or(JazeError::Internal)?;
        Ok(Inputs::read(endpoint, &parts.uri))
    }
}

impl Inputs {
    fn read(endpoint: Endpoint, uri: &Uri) -> Inputs {
        let name = crate::providers::endpoint::Endpoint::name(endpoint);
        let mut segments = uri.path().split('/').filter(|s| !s.is_empty());
        segments.by_ref().find(|s| *s == name);
        let mut named: Vec<(&str, String)> = endpoint
            .parameters()
            .zip(segments.map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned()))
            .collect();
        let query: Vec<(String, String)> =
            serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default();
        let mut take = |name: &str| {
            named
                .iter()
                .position(|(n, _)| *n == name)
                .map(|i| named.swap_remove(i).1)
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
    pub fn user_id(&self) -> Result<Option<i64>, JazeError> {
        rules::user_id(self.user_id.as_deref())
    }

    pub fn range(&self, dates: Dates, now: DateTime<Utc>) -> Result<Range, JazeError> {
        rules::range(self.from.as_deref(), self.to.as_deref(), dates, now)
    }
}

/// S8's `{userId}/{paymentId}`, judged.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptIds {
    pub user_id: i64,
    pub payment_id: i64,
}

impl FromRequestParts<AppState> for ReceiptIds {
    type Rejection = JazeError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, JazeError> {
        let Ok(Path((user, payment))) =
            Path::<(String, String)>::from_request_parts(parts, state).await
        else {
            return Err(JazeError::BadRequest(
                "Invalid userId or paymentId, expected numbers".into(),
            ));
        };
        let (user_id, payment_id) = rules::receipt_ids(&user, &payment)?;
        Ok(ReceiptIds {
            user_id,
            payment_id,
        })
    }
}

#[cfg(test)]
mod proptests;
