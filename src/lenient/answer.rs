//! How the front has a refused request answered: it hands hyper, in that request's place, a
//! small request of its own that carries the status and the reason in two headers, marked
//! with a token only this process knows. The server takes them off (see [`Refusals::take`])
//! and answers in the envelope of the provider the path names, logging and journaling it as
//! any request. Going through hyper keeps the answer after those of the requests before it
//! on the connection; `connection: close` makes it the last one.

use hyper::http::{HeaderMap, HeaderName, Method, StatusCode, Uri};
use std::io::Write;
use std::sync::Arc;

const REFUSED: HeaderName = HeaderName::from_static("x-paysandbox-refused");
const REASON: HeaderName = HeaderName::from_static("x-paysandbox-refusal");
/// The longest target the stand-in request keeps; a longer one keeps only its path, or `/`.
const TARGET_KEPT: usize = 16 * 1024;

/// Why a request is answered by the front: the status, and a sentence naming the problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

/// The token shared by every connection's front and the server.
#[derive(Clone)]
pub struct Refusals {
    token: Arc<str>,
}

impl Default for Refusals {
    fn default() -> Self {
        Refusals::with_token(&format!("{:016x}", rand::random::<u64>()))
    }
}

impl Refusals {
    pub fn with_token(token: &str) -> Self {
        Refusals {
            token: token.into(),
        }
    }

    /// Pushes the stand-in for a refused request (its method and raw target as sent).
    pub(super) fn request(
        &self,
        method: &[u8],
        target: &[u8],
        refusal: &Refusal,
        out: &mut Vec<u8>,
    ) {
        let method = match Method::from_bytes(method) {
            Ok(_) if method.len() <= 32 => method,
            _ => b"GET",
        };
        out.extend_from_slice(method);
        out.push(b' ');
        push_target(target, out);
        let reason: String = refusal
            .message
            .chars()
            .map(|c| {
                if c == ' ' || c.is_ascii_graphic() {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        let _ = write!(
            out,
            " HTTP/1.1\r\nconnection: close\r\n{REFUSED}: {} {}\r\n{REASON}: {reason}\r\n\r\n",
            self.token,
            refusal.status.as_u16()
        );
    }

    /// The refusal a request carries when the front made it; the marking headers are taken
    /// off the request either way.
    pub fn take(&self, headers: &mut HeaderMap) -> Option<Refusal> {
        let refused = headers.remove(REFUSED)?;
        let reason = headers.remove(REASON);
        let (token, status) = refused.to_str().ok()?.split_once(' ')?;
        if token != &*self.token {
            return None;
        }
        // The stand-in's own `connection: close` is not part of what the client sent.
        headers.remove(hyper::http::header::CONNECTION);
        Some(Refusal {
            status: status.parse().ok()?,
            message: reason
                .and_then(|r| r.to_str().ok().map(str::to_string))
                .unwrap_or_default(),
        })
    }
}

/// The target as hyper will take it: encoded whole when short enough, else its path, else `/`.
fn push_target(target: &[u8], out: &mut Vec<u8>) {
    let path = target.split(|&b| b == b'?').next().unwrap_or_default();
    for candidate in [target, path] {
        if super::target::encoded_len(candidate) > TARGET_KEPT {
            continue;
        }
        let mut encoded = Vec::new();
        super::target::encode_into(candidate, &mut encoded);
        if !encoded.is_empty() && Uri::try_from(&encoded[..]).is_ok() {
            out.extend_from_slice(&encoded);
            return;
        }
    }
    out.push(b'/');
}
