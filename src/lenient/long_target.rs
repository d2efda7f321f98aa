//! Targets over 64 KiB. hyper (and `http::Uri`) refuse a target over 65,534 bytes, and a client of
//! a provider that reads JSON inside a query parameter may send several hundred orders in one
//! target. Such a request reaches hyper with the path alone as its target and the query as a form
//! body (`application/x-www-form-urlencoded`), where an ASP.NET provider reads its parameters too
//! (a query parameter and a form field are the same thing to it). A form body the request had
//! already is kept after the query, joined by `&`; any other body cannot be merged, and the request
//! is refused 414.

use super::answer::Refusal;
use super::head::{Body, Framing, MAX_HEADERS};
use super::target::{RequestLine, encode_into, encoded_len};
use hyper::http::StatusCode;
use std::io::Write;

/// hyper's longest target (`MAX_URI_LEN`), the same as `http::Uri`'s.
pub(super) const MAX_URI: usize = u16::MAX as usize - 1;

fn too_long(message: String) -> Refusal {
    Refusal {
        status: StatusCode::URI_TOO_LONG,
        message,
    }
}

/// Pushes the head (and the start of the body) hyper gets for `head` (a request line ending
/// at `line_end`, raw as sent, then the header lines hyper takes); returns how many bytes of
/// the request's own body follow.
pub(super) fn move_query(
    head: &[u8],
    line_end: usize,
    line: &RequestLine,
    framing: &Framing,
    out: &mut Vec<u8>,
) -> Result<u64, Refusal> {
    let target = &head[line.target.clone()];
    let question = target.iter().position(|&b| b == b'?');
    let (path, query) = match question {
        Some(at) => (&target[..at], &target[at + 1..]),
        None => (target, &b""[..]),
    };
    let size = target.len();
    if question.is_none() || encoded_len(path) > MAX_URI {
        return Err(too_long(format!(
            "The request path is over 64 KiB ({size} bytes with the query)"
        )));
    }
    let body = match framing.body {
        Body::Empty => 0,
        Body::Fixed(n) if framing.form => n,
        _ => {
            return Err(too_long(format!(
                "The request target ({size} bytes) is over 64 KiB: such a query is taken \
                 only from a request without a body or with a form body of known length"
            )));
        }
    };
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let Ok(httparse::Status::Complete((_, fields))) =
        httparse::parse_headers(&head[line_end..], &mut fields)
    else {
        return Err(too_long(format!(
            "The request target ({size} bytes) is over 64 KiB"
        )));
    };
    out.extend_from_slice(&head[line.method.clone()]);
    out.push(b' ');
    encode_into(path, out);
    let minor = line.minor;
    let _ = write!(out, " HTTP/1.{minor}\r\n");
    for field in fields.iter() {
        let name = field.name;
        if name.eq_ignore_ascii_case("content-length")
            || (body == 0 && name.eq_ignore_ascii_case("content-type"))
        {
            continue;
        }
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(field.value);
        out.extend_from_slice(b"\r\n");
    }
    let joined = if body > 0 { 1 } else { 0 };
    let length = query.len() as u64 + joined + body;
    if body == 0 {
        out.extend_from_slice(b"content-type: application/x-www-form-urlencoded\r\n");
    }
    let _ = write!(out, "content-length: {length}\r\n\r\n");
    out.extend_from_slice(query);
    if body > 0 {
        out.push(b'&');
    }
    Ok(body)
}
