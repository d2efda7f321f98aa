//! Who may use the dashboard, and cross-site posting. A session is a cookie
//! `nonce.tag`, the tag a SHA-256 over a per-process secret, the nonce and the admin token
//! (empty before login), so the server keeps nothing. The CSRF token is derived from the
//! nonce the same way; every POST must carry it in a hidden field and, when the browser sends
//! an `Origin`, come from this very host.

use super::layout::{self, base};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

pub const COOKIE: &str = "sandbox_ui";

/// What a handler knows of the caller.
#[derive(Clone, Debug)]
pub struct Session {
    pub nonce: String,
    pub csrf: String,
    /// Authenticated by `Authorization: Bearer`: not a browser, no CSRF token needed.
    pub bearer: bool,
    pub authed: bool,
}

fn secret() -> &'static [u8; 32] {
    static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
    SECRET.get_or_init(rand::random)
}

fn digest(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(secret());
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hex::encode(hash.finalize())
}

fn admin_token(state: &AppState) -> Option<&str> {
    state
        .config
        .admin_token
        .as_deref()
        .filter(|t| !t.is_empty())
}

/// A new cookie value for `nonce`, authenticated with `token` ("" for none).
pub fn cookie_value(nonce: &str, token: &str) -> String {
    format!("{nonce}.{}", digest(&["session", nonce, token]))
}

/// The session cookie, scoped to this tenant's `/__sandbox` (a tenant's session is its own).
pub fn set_cookie(value: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; HttpOnly; SameSite=Strict; Path={}",
        layout::cookie_path()
    ))
    .expect("a hex cookie is a valid header")
}

pub fn new_nonce() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

fn session_for(nonce: String, bearer: bool, authed: bool) -> Session {
    let csrf = digest(&["csrf", &nonce]);
    Session {
        nonce,
        csrf,
        bearer,
        authed,
    }
}

fn cookie_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// The session a cookie proves, and whether it is logged in (always, without a token).
fn from_cookie(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    let value = cookie_of(headers)?;
    let (nonce, _) = value.split_once('.')?;
    let token = admin_token(state).unwrap_or("");
    if value == cookie_value(nonce, token) {
        Some(session_for(nonce.to_string(), false, true))
    } else if value == cookie_value(nonce, "") {
        Some(session_for(nonce.to_string(), false, false))
    } else {
        None
    }
}

/// A cross-site POST: an `Origin` (browsers send it on every POST) that is not this host.
fn foreign_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin = origin.to_str().ok();
    match (origin, host) {
        (Some(origin), Some(host)) => {
            origin != format!("http://{host}") && origin != format!("https://{host}")
        }
        _ => true,
    }
}

/// Refuses foreign origins, sends the unauthenticated to the login form, hands the session on;
/// the whole request is served with its tenant's prefix in place ([`layout::within`]).
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let prefix = state.prefix.clone();
    layout::within(prefix, guarded(state, request, next)).await
}

async fn guarded(state: AppState, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    if request.method() == Method::POST && foreign_origin(headers) {
        return layout::forbidden("this form was posted from another site");
    }
    let token = admin_token(&state);
    let bearer = token.is_some_and(|token| {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            == Some(token)
    });
    let is_login = request.uri().path() == "/login";
    let (session, fresh) = match from_cookie(&state, headers) {
        Some(mut session) => {
            session.bearer = bearer;
            session.authed |= bearer;
            (session, false)
        }
        None => (
            session_for(new_nonce(), bearer, token.is_none() || bearer),
            true,
        ),
    };
    if !session.authed && !is_login {
        return Redirect::to(&format!("{}/login", base())).into_response();
    }
    let nonce = session.nonce.clone();
    request.extensions_mut().insert(super::kit::Ui {
        base: base(),
        csrf: session.csrf.clone(),
        bearer: session.bearer,
        now: state.clock.now(),
    });
    request.extensions_mut().insert(session);
    let mut response = next.run(request).await;
    // A first visit gets its session (logged in when no token is set).
    if fresh && !response.headers().contains_key(header::SET_COOKIE) {
        let value = cookie_value(&nonce, if bearer { token.unwrap_or("") } else { "" });
        response
            .headers_mut()
            .insert(header::SET_COOKIE, set_cookie(&value));
    }
    response
}

/// A POST without this session's CSRF token.
#[derive(Debug)]
pub struct CsrfRefused;

impl IntoResponse for CsrfRefused {
    fn into_response(self) -> Response {
        layout::forbidden("this form lacks a valid CSRF token; reload the page and try again")
    }
}

/// The CSRF check every POST handler makes on its hidden `csrf` field.
pub fn check_csrf(session: &Session, given: Option<&str>) -> Result<(), CsrfRefused> {
    if session.bearer || given == Some(session.csrf.as_str()) {
        Ok(())
    } else {
        Err(CsrfRefused)
    }
}
