//! Jaze's extractors: the account of the HTTP Basic credentials, and the inputs of a request.
//!
//! Every request is authenticated first (user name = the account's API Token, password = its
//! API Key; 401 before any other check), so [`Account`] comes before any input in a handler's
//! arguments. Inputs come from the path segments after the endpoint name, or else from the
//! query parameters `userId`, `fromDate` and `toDate` (an empty query value counts as absent;
//! the last of repeated ones, as PHP reads them).

use super::super::diagnoses;
use super::super::endpoints::Endpoint;
use super::super::errors::JazeError;
use super::super::rules::{self, Dates, Range};
use super::super::store;
use crate::diagnosis::Diagnosis;
use crate::state::AppState;
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
        let (token, key) = credentials(&parts.headers)?;
        let lookup = token.clone();
        let found = state
            .db
            .read_memo(store::ACCOUNTS, &token, move |conn| {
                match store::account_key(conn, &lookup)? {
                    Some(account) => Ok(Ok(account)),
                    // Told apart so that a key sent as the user name is never shown.
                    None => store::is_api_key(conn, &lookup).map(Err),
                }
            })
            .await?;
        match found {
            Ok((id, api_key)) if *api_key == *key => Ok(Account { id }),
            Ok(_) => Err(JazeError::Unauthorized.with(diagnoses::wrong_key())),
            Err(true) => Err(JazeError::Unauthorized.with(diagnoses::token_is_a_key())),
            Err(false) => Err(JazeError::Unauthorized.with(diagnoses::unknown_token(&token))),
        }
    }
}

/// The Basic credentials (API Token, API Key), or a 401 saying why there are none: no
/// header, or one that is not Basic base64 of `token:key`.
fn credentials(headers: &HeaderMap) -> Result<(String, String), JazeError> {
    basic(headers).map_err(|diagnosis| JazeError::Unauthorized.with(*diagnosis))
}

fn basic(headers: &HeaderMap) -> Result<(String, String), Box<Diagnosis>> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| Box::new(diagnoses::no_header()))?;
    // Only the scheme is ever shown: the rest is the credentials.
    let text = value.to_str().unwrap_or("").trim();
    let scheme = text.split(' ').next().unwrap_or("");
    let not_basic = || Box::new(diagnoses::not_basic(shown_scheme(scheme)));
    let (scheme, encoded) = text.split_once(' ').ok_or_else(not_basic)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(not_basic());
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| Box::new(diagnoses::not_basic("Basic (not base64)")))?;
    let text = String::from_utf8(decoded)
        .map_err(|_| Box::new(diagnoses::not_basic("Basic (not UTF-8)")))?;
    let (token, key) = text.split_once(':').ok_or_else(|| {
        Box::new(diagnoses::not_basic(
            "Basic (no colon between token and key)",
        ))
    })?;
    Ok((token.to_string(), key.to_string()))
}

/// The scheme as shown in a diagnosis: a known word, else a note that it is something else
/// (a bare token or a value without a scheme could be the credentials themselves).
fn shown_scheme(scheme: &str) -> &'static str {
    const KNOWN: &[&str] = &["Bearer", "Digest", "Token", "Negotiate", "Basic", "ApiKey"];
    KNOWN
        .iter()
        .find(|known| known.eq_ignore_ascii_case(scheme))
        .copied()
        .unwrap_or("(no scheme word the sandbox knows)")
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
