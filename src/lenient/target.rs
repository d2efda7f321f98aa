//! The request line: where its method, target and version are, and the target rewritten into
//! one `http::Uri` accepts.
//!
//! The target is everything between the first space and the last one (raw JSON has spaces),
//! the version comes after the last space. Encoded as `%XX` (uppercase hex): control bytes and
//! the space (up to 0x20), 0x7F and above (UTF-8 byte by byte), `"`, `#` (else the rest would be
//! cut as a fragment), `<`, `>`, `\`, `^`, backtick, `{`, `|`, `}`. Kept: `[` and `]`
//! (`http::Uri` takes them), `+` (a space to form decoding, as to ASP.NET), `&` and `=` (they
//! split parameters in ASP.NET too), every `%XX` escape and ASP.NET's `%uXXXX`. A lone `%`
//! becomes `%25`: ASP.NET leaves an invalid escape as it is, and `%25` decodes back to that
//! literal `%`, while the target becomes a valid URI for any decoder, strict or not.

use std::ops::Range;

/// A request line `METHOD SP target SP HTTP/1.x`, as positions in the line.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RequestLine {
    pub method: Range<usize>,
    pub target: Range<usize>,
    /// The minor version: 0 or 1.
    pub minor: u8,
}

/// What a line at the start of a message is.
#[derive(Debug, PartialEq)]
pub(super) enum Line {
    Request(RequestLine),
    /// `METHOD SP target SP HTTP/...` with another version than 1.0 or 1.1.
    OtherVersion(RequestLine),
    /// Not a request line this front understands.
    Garbage,
}

/// Reads a request line (without its line end, a `\r` before it stripped already).
pub(super) fn read_request_line(text: &[u8]) -> Line {
    let (Some(first), Some(last)) = (
        text.iter().position(|&b| b == b' '),
        text.iter().rposition(|&b| b == b' '),
    ) else {
        return Line::Garbage;
    };
    let (method, version) = (&text[..first], &text[last + 1..]);
    if last <= first + 1 || method.is_empty() || !method.iter().all(|&b| is_tchar(b)) {
        return Line::Garbage;
    }
    let line = RequestLine {
        method: 0..first,
        target: first + 1..last,
        minor: 0,
    };
    match version {
        b"HTTP/1.1" => Line::Request(RequestLine { minor: 1, ..line }),
        b"HTTP/1.0" => Line::Request(line),
        _ if version.starts_with(b"HTTP/") => Line::OtherVersion(line),
        _ => Line::Garbage,
    }
}

/// Whether the target needs rewriting at all (most do not). Every request pays this scan, so
/// it asks the table first and looks at a `%`'s escape only where there is one.
pub(super) fn needs_encoding(target: &[u8]) -> bool {
    target
        .iter()
        .enumerate()
        .any(|(i, &b)| SPECIAL[usize::from(b)] && needs(target, i))
}

/// Appends the target to `out`, encoded; see the module documentation.
pub(super) fn encode_into(target: &[u8], out: &mut Vec<u8>) {
    out.reserve(target.len());
    for (i, &b) in target.iter().enumerate() {
        if needs(target, i) {
            let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
            out.extend_from_slice(&[b'%', hex[0], hex[1]]);
        } else {
            out.push(b);
        }
    }
}

/// The length of the target once encoded.
pub(super) fn encoded_len(target: &[u8]) -> usize {
    target.len() + 2 * (0..target.len()).filter(|&i| needs(target, i)).count()
}

fn needs(target: &[u8], i: usize) -> bool {
    match target[i] {
        b'%' => !is_escape(&target[i + 1..]),
        b => must_encode(b),
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Bytes `http::Uri` refuses in a target, or that RFC 3986 calls unsafe there.
pub(super) fn must_encode(b: u8) -> bool {
    ENCODED[usize::from(b)]
}

/// [`must_encode`] as a table, built from its definition at compile time.
static ENCODED: [bool; 256] = table(false);
/// The bytes [`needs`] has to look at: those encoded, and `%`.
static SPECIAL: [bool; 256] = table(true);

const fn table(with_percent: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(
            b as u8,
            0..=0x20 | 0x7F..=0xFF | b'"' | b'#' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
        ) || (with_percent && b as u8 == b'%');
        b += 1;
    }
    table
}

/// Whether the bytes after a `%` make an escape: two hex digits, or ASP.NET's `u` and four.
fn is_escape(after: &[u8]) -> bool {
    let hex = |bytes: &[u8]| bytes.iter().all(u8::is_ascii_hexdigit);
    match after {
        [a, b, ..] if hex(&[*a, *b]) => true,
        [b'u', rest @ ..] => rest.len() >= 4 && hex(&rest[..4]),
        _ => false,
    }
}

/// RFC 9110 `tchar`: what a method is made of.
pub(super) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}
