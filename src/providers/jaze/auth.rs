//! HTTP Basic authentication, as the whole Jaze API does it: user name = the account's API
//! Token, password = its API Key.

use super::errors::JazeError;
use axum::http::{HeaderMap, header};
use base64::Engine;
use rusqlite::{Connection, OptionalExtension};

/// The ISP account whose API Token and API Key were given.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
}

pub fn authenticate(conn: &Connection, headers: &HeaderMap) -> Result<Account, JazeError> {
    let (token, key) = credentials(headers).ok_or(JazeError::Unauthorized)?;
    let (id, _) = conn
        .prepare_cached("select id, api_key from jaze_accounts where api_token = ?")?
        .query_row([&token], |r| {
            Ok((r.get::<_, i64>("id")?, r.get::<_, String>("api_key")?))
        })
        .optional()?
        .filter(|(_, api_key)| *api_key == key)
        .ok_or(JazeError::Unauthorized)?;
    Ok(Account { id })
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
