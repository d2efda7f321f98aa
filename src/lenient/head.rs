//! A whole request head read as hyper 1 reads it: httparse with hyper's settings, then the
//! body-length rules of hyper's `proto/h1/role.rs`. What hyper would refuse, or take in a way
//! that is not safe to follow, is refused here, so the front can answer it in the provider's
//! envelope instead of hyper's bare status or silent close.

use super::answer::Refusal;
use hyper::http::{Method, StatusCode, Uri};
use std::mem::MaybeUninit;

/// hyper's default limit on the number of header fields (more: 431).
pub(super) const MAX_HEADERS: usize = 100;

/// How the body after a head is framed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Body {
    Empty,
    Fixed(u64),
    Chunked,
    /// `CONNECT` or an `Upgrade`: hyper may hand the connection over; nothing after the head
    /// is followed.
    Opaque,
}

/// What a head that hyper takes says about the message.
#[derive(Debug, PartialEq)]
pub(super) struct Framing {
    pub body: Body,
    /// hyper reads another message after this one.
    pub keep_alive: bool,
    /// The body is a form (`application/x-www-form-urlencoded`).
    pub form: bool,
}

/// Why a head is not forwarded: refused with an answer, or not understood (then it and the
/// rest of the connection go to hyper as they came).
#[derive(Debug, PartialEq)]
pub(super) enum NotTaken {
    Refused(Refusal),
    Unsure,
}

fn bad(message: String) -> NotTaken {
    NotTaken::Refused(Refusal {
        status: StatusCode::BAD_REQUEST,
        message,
    })
}

/// Reads `head` (a request line whose target hyper accepts, the header lines, the empty
/// line). `check_target`: also check the target as `http::Uri` parses it.
pub(super) fn judge(head: &[u8], check_target: bool) -> Result<Framing, NotTaken> {
    // Left uninitialised, as hyper does: httparse writes each field before it is read.
    let mut fields = [MaybeUninit::<httparse::Header>::uninit(); MAX_HEADERS];
    let mut request = httparse::Request::new(&mut []);
    match httparse::ParserConfig::default().parse_request_with_uninit_headers(
        &mut request,
        head,
        &mut fields,
    ) {
        Ok(httparse::Status::Complete(n)) if n == head.len() => {}
        Ok(_) => return Err(NotTaken::Unsure),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(NotTaken::Refused(Refusal {
                status: StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                message: format!("The request has more than {MAX_HEADERS} header fields"),
            }));
        }
        Err(_) => return Err(bad(format!("The request head {}", what_is_wrong(head)))),
    }
    let (Some(method), Some(target), Some(minor)) = (request.method, request.path, request.version)
    else {
        return Err(NotTaken::Unsure);
    };
    if Method::from_bytes(method.as_bytes()).is_err() {
        return Err(bad(format!("The request method {method:?} is not valid")));
    }
    if check_target && !target.starts_with('/') && Uri::try_from(target).is_err() {
        return Err(bad(format!(
            "The request target {target:?} is not a valid URI"
        )));
    }
    framing(method, minor == 1, request.headers)
}

/// hyper's rules (`Server::parse` in `role.rs`), field by field in order; stricter only for a
/// request with both Content-Length and Transfer-Encoding, which hyper takes (by the latter)
/// and RFC 9112 allows refusing.
fn framing(method: &str, http11: bool, fields: &[httparse::Header]) -> Result<Framing, NotTaken> {
    let mut keep_alive = http11;
    let mut saw_close = false;
    let mut upgrade = method == "CONNECT";
    let (mut is_te, mut chunked, mut is_cl) = (false, false, false);
    let mut length: Option<u64> = None;
    let mut form = false;
    for field in fields {
        let (name, value) = (field.name, field.value);
        if name.eq_ignore_ascii_case("transfer-encoding") {
            if !http11 {
                return Err(bad(
                    "An HTTP/1.0 request may not carry Transfer-Encoding".to_string()
                ));
            }
            is_te = true;
            if is_cl {
                length = None;
            }
            chunked = visible(value).is_some_and(|text| {
                text.rsplit(',')
                    .next()
                    .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
            });
        } else if name.eq_ignore_ascii_case("content-length") {
            is_cl = true;
            if is_te {
                continue;
            }
            let Some(n) = digits(value).filter(|&n| n <= u64::MAX - 2) else {
                let shown: String = String::from_utf8_lossy(value).chars().take(40).collect();
                return Err(bad(format!(
                    "The request's Content-Length {shown:?} is not a length"
                )));
            };
            match length {
                Some(seen) if seen != n => {
                    return Err(bad(format!(
                        "The request has Content-Length headers that differ ({seen} and {n})"
                    )));
                }
                _ => length = Some(n),
            }
        } else if name.eq_ignore_ascii_case("connection") {
            let has = |token: &str| {
                visible(value).is_some_and(|text| {
                    text.split(',')
                        .any(|v| v.trim().eq_ignore_ascii_case(token))
                })
            };
            if saw_close || has("close") {
                saw_close = true;
                keep_alive = false;
            } else if !keep_alive {
                keep_alive = has("keep-alive");
            }
        } else if name.eq_ignore_ascii_case("upgrade") {
            upgrade = http11;
        } else if name.eq_ignore_ascii_case("content-type") {
            form = value.get(..33).is_some_and(|start| {
                start.eq_ignore_ascii_case(b"application/x-www-form-urlencoded")
            });
        }
    }
    if is_te && !chunked {
        return Err(bad(
            "The request's Transfer-Encoding does not end with chunked".to_string(),
        ));
    }
    if is_te && is_cl {
        return Err(bad(
            "The request has both Content-Length and Transfer-Encoding".to_string(),
        ));
    }
    let body = match (upgrade, chunked, length) {
        (true, _, _) => Body::Opaque,
        (_, true, _) => Body::Chunked,
        (_, _, Some(n)) if n > 0 => Body::Fixed(n),
        _ => Body::Empty,
    };
    Ok(Framing {
        body,
        keep_alive,
        form,
    })
}

/// A header value as text, as `HeaderValue::to_str` gives it (visible ASCII and tabs only).
fn visible(value: &[u8]) -> Option<&str> {
    value
        .iter()
        .all(|&b| b == b'\t' || (0x20..0x7F).contains(&b))
        .then(|| std::str::from_utf8(value).ok())
        .flatten()
}

/// hyper's `from_digits`: ASCII digits only, no sign, no spaces, no overflow.
fn digits(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |n, &b| {
        b.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(u64::from(b - b'0')))
            .flatten()
    })
}

/// Names what httparse refused in the header lines (after the request line).
fn what_is_wrong(head: &[u8]) -> &'static str {
    let lines = head
        .iter()
        .position(|&b| b == b'\n')
        .map_or(head, |lf| &head[lf + 1..]);
    let bare_cr = lines
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && lines.get(i + 1) != Some(&b'\n'));
    if lines.contains(&0) {
        "holds a NUL byte"
    } else if bare_cr {
        "holds a bare CR (not followed by LF)"
    } else if lines.first().is_some_and(|&b| b == b' ' || b == b'\t')
        || lines
            .windows(2)
            .any(|w| w[0] == b'\n' && (w[1] == b' ' || w[1] == b'\t'))
    {
        "holds a folded header line (obs-fold)"
    } else {
        "holds a malformed header line"
    }
}
