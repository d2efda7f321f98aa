//! The lenient request-target front: an adapter under hyper that percent-encodes the bytes of
//! an HTTP/1 request target that `http::Uri` refuses, before hyper parses the request.
//!
//! PayPro's real clients (PHP curl, C# WebClient, ...) put raw JSON in the query:
//! `POST /cpay/co?oJson=[{"MerchantId": " PayProUser "}] HTTP/1.1`, with bare `"`, `{`, `|`,
//! `\`, `^`, spaces and UTF-8 bytes. ASP.NET takes that; hyper answers 400 before any handler
//! runs. So [`LenientStream`] sits between the socket and hyper and rewrites only the target
//! of each request line; every other byte passes unchanged, and a request line that needs no
//! change comes out byte-identical.
//!
//! To know where each request line starts (keep-alive, pipelining) it follows HTTP/1 message
//! framing on the read side, as hyper does: the request line, the header lines (noting
//! `Content-Length` and `Transfer-Encoding`), then a fixed-length or chunked body (chunk-size
//! lines with extensions, data, the last chunk and its trailer section). Anything it cannot
//! follow (a line that is not `METHOD SP target SP HTTP/x.y`, a request line over 64 KiB,
//! conflicting or invalid framing, `CONNECT`) switches it to passing everything through for
//! the rest of the connection: hyper then rejects or handles the bytes as it would without us.
//!
//! The target is everything between the first space and the last one (raw JSON has spaces),
//! the version comes after the last space. Encoded as `%XX` (uppercase hex): control bytes and
//! the space (up to 0x20), 0x7F and above (UTF-8 byte by byte), `"`, `#` (else the rest would be
//! cut as a fragment), `<`, `>`, `\`, `^`, backtick, `{`, `|`, `}`. Kept: `[` and `]`
//! (`http::Uri` takes them), `+` (a space to form decoding, as to ASP.NET), `&` and `=` (they
//! split parameters in ASP.NET too), every `%XX` escape and ASP.NET's `%uXXXX`. A lone `%`
//! becomes `%25`: ASP.NET leaves an invalid escape as it is, and `%25` decodes back to that
//! literal `%`, while the target becomes a valid URI for any decoder, strict or not.
//!
//! A slice read from the socket is framed in place; only a request line that is split across
//! reads or rewritten, and the bytes read after it in the same read, are copied (once).
//! Writes go straight to the socket.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The longest request line that is rewritten; a longer one passes through for hyper to refuse.
const LINE_CAP: usize = 64 * 1024;
/// How much of a header, chunk-size or trailer line is kept to look at.
const FIELD_CAP: usize = 4 * 1024;

/// A byte stream whose request targets hyper will accept; see the module documentation.
pub struct LenientStream<S> {
    inner: S,
    framer: Framer,
    /// Bytes to hand out before anything else: a rewritten (or given-up) request line.
    out: Vec<u8>,
    out_at: usize,
    /// Bytes read from `inner` but not framed yet (those after a request line that was taken).
    stash: Vec<u8>,
    stash_at: usize,
}

impl<S> LenientStream<S> {
    pub fn new(inner: S) -> Self {
        LenientStream {
            inner,
            framer: Framer::default(),
            out: Vec::new(),
            out_at: 0,
            stash: Vec::new(),
            stash_at: 0,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for LenientStream<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let start = buf.filled().len();
        loop {
            if buf.remaining() == 0 {
                return Poll::Ready(Ok(()));
            }
            if this.out_at < this.out.len() {
                let end = this.out.len().min(this.out_at + buf.remaining());
                buf.put_slice(&this.out[this.out_at..end]);
                this.out_at = end;
                if end == this.out.len() {
                    reset(&mut this.out, &mut this.out_at);
                }
                continue;
            }
            if this.stash_at < this.stash.len() {
                let end = this.stash.len().min(this.stash_at + buf.remaining());
                let slice = &this.stash[this.stash_at..end];
                this.stash_at += match this.framer.feed(slice, &mut this.out) {
                    Step::Pass(n) => {
                        buf.put_slice(&slice[..n]);
                        n
                    }
                    Step::Take(n) => n,
                };
                if this.stash_at == this.stash.len() {
                    reset(&mut this.stash, &mut this.stash_at);
                }
                continue;
            }
            if buf.filled().len() > start {
                return Poll::Ready(Ok(()));
            }
            ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
            let read = &buf.filled()[start..];
            if read.is_empty() {
                // End of stream: a partly held request line goes to hyper as it came.
                if this.framer.give_up(&mut this.out) {
                    continue;
                }
                return Poll::Ready(Ok(()));
            }
            let mut kept = 0;
            while kept < read.len() {
                match this.framer.feed(&read[kept..], &mut this.out) {
                    Step::Pass(n) => kept += n,
                    Step::Take(n) => {
                        this.stash.extend_from_slice(&read[kept + n..]);
                        break;
                    }
                }
            }
            buf.set_filled(start + kept);
        }
    }
}

/// Empties a buffer that was handed out, without keeping a large allocation around.
fn reset(buffer: &mut Vec<u8>, at: &mut usize) {
    buffer.clear();
    buffer.shrink_to(FIELD_CAP);
    *at = 0;
}

impl<S: AsyncWrite + Unpin> AsyncWrite for LenientStream<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// What the framer did with the front of a slice.
#[derive(Debug, PartialEq)]
enum Step {
    /// These bytes go to hyper unchanged, where they are.
    Pass(usize),
    /// These bytes were taken (held, or replaced by what was pushed to `out`).
    Take(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    RequestLine,
    Headers,
    Fixed(u64),
    ChunkSize,
    ChunkData(u64),
    /// The CRLF after a chunk's data.
    ChunkEnd,
    Trailers,
    PassThrough,
}

/// The HTTP/1 read-side framing, fed slices of the stream in order.
#[derive(Debug)]
struct Framer {
    state: State,
    /// The held request line, or the start of the current header, chunk-size or trailer line.
    line: Vec<u8>,
    /// The current line is longer than what `line` kept.
    cut: bool,
    /// Still in the method of a held request line (so non-HTTP bytes are given up at once).
    in_method: bool,
    head: Head,
}

/// What the headers of the current request said about its body.
#[derive(Debug, Default)]
struct Head {
    http10: bool,
    connect: bool,
    length: Option<u64>,
    /// `Some(last coding is chunked)` once a Transfer-Encoding header was seen.
    chunked: Option<bool>,
}

impl Default for Framer {
    fn default() -> Self {
        Framer {
            state: State::RequestLine,
            line: Vec::new(),
            cut: false,
            in_method: true,
            head: Head::default(),
        }
    }
}

impl Framer {
    /// Frames the front of `input` (not empty); a rewritten request line is pushed to `out`.
    fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Step {
        match self.state {
            State::PassThrough => Step::Pass(input.len()),
            State::Fixed(left) | State::ChunkData(left) => {
                let n = usize::try_from(left).map_or(input.len(), |l| l.min(input.len()));
                let left = left - n as u64;
                self.state = match (self.state, left) {
                    (State::Fixed(_), 0) => State::RequestLine,
                    (State::Fixed(_), _) => State::Fixed(left),
                    (_, 0) => State::ChunkEnd,
                    _ => State::ChunkData(left),
                };
                Step::Pass(n)
            }
            State::RequestLine => self.request_line(input, out),
            _ => {
                let Some(lf) = input.iter().position(|&b| b == b'\n') else {
                    self.keep(input);
                    return Step::Pass(input.len());
                };
                if self.line.is_empty() {
                    self.on_line(&input[..=lf], true);
                } else {
                    self.keep(&input[..=lf]);
                    let line = std::mem::take(&mut self.line);
                    self.on_line(&line, !self.cut);
                    self.line = line;
                    self.line.clear();
                }
                self.cut = false;
                Step::Pass(lf + 1)
            }
        }
    }

    /// Keeps the start of the current line, up to [`FIELD_CAP`].
    fn keep(&mut self, bytes: &[u8]) {
        let room = FIELD_CAP.saturating_sub(self.line.len());
        self.cut |= bytes.len() > room;
        self.line.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    fn request_line(&mut self, input: &[u8], out: &mut Vec<u8>) -> Step {
        let Some(lf) = input.iter().position(|&b| b == b'\n') else {
            if self.in_method {
                let method = input.iter().position(|&b| b == b' ');
                let (name, rest) = input.split_at(method.unwrap_or(input.len()));
                let name = name
                    .strip_suffix(b"\r")
                    .filter(|_| rest.is_empty())
                    .unwrap_or(name);
                if !name.iter().all(|&b| is_tchar(b)) {
                    return self.pass_rest(input, out);
                }
                self.in_method = method.is_none();
            }
            if self.line.len() + input.len() > LINE_CAP {
                return self.pass_rest(input, out);
            }
            self.line.extend_from_slice(input);
            return Step::Take(input.len());
        };
        let end = lf + 1;
        if self.line.len() + end > LINE_CAP {
            return self.pass_rest(input, out);
        }
        self.in_method = true;
        if self.line.is_empty() {
            return if self.start_message(&input[..end], out) {
                Step::Take(end)
            } else {
                Step::Pass(end)
            };
        }
        let mut line = std::mem::take(&mut self.line);
        line.extend_from_slice(&input[..end]);
        if !self.start_message(&line, out) {
            out.extend_from_slice(&line);
        }
        line.clear();
        self.line = line;
        Step::Take(end)
    }

    /// Gives up following the stream: what was held and all of `input` go through as they are.
    fn pass_rest(&mut self, input: &[u8], out: &mut Vec<u8>) -> Step {
        self.state = State::PassThrough;
        if self.line.is_empty() {
            return Step::Pass(input.len());
        }
        out.append(&mut self.line);
        out.extend_from_slice(input);
        Step::Take(input.len())
    }

    /// At the end of the stream: hands over a partly held request line; false when none.
    fn give_up(&mut self, out: &mut Vec<u8>) -> bool {
        if self.state != State::RequestLine || self.line.is_empty() {
            return false;
        }
        self.state = State::PassThrough;
        out.append(&mut self.line);
        true
    }

    /// Reads a whole request line (or an empty line before one); true when a rewritten line
    /// was pushed to `out`.
    fn start_message(&mut self, line: &[u8], out: &mut Vec<u8>) -> bool {
        match rewrite_request_line(line, out) {
            Line::Empty => false,
            Line::Garbage => {
                self.state = State::PassThrough;
                false
            }
            Line::Request {
                http10,
                connect,
                rewritten,
            } => {
                self.state = State::Headers;
                self.head = Head {
                    http10,
                    connect,
                    ..Head::default()
                };
                rewritten
            }
        }
    }

    fn on_line(&mut self, line: &[u8], whole: bool) {
        let text = strip_eol(line);
        match self.state {
            State::Headers => self.header(text, whole),
            State::ChunkSize => {
                let digits = text.iter().take_while(|b| b.is_ascii_hexdigit()).count();
                let size = text[..digits].iter().try_fold(0u64, |size, &b| {
                    let digit = (b as char).to_digit(16).unwrap_or(0);
                    size.checked_mul(16)?.checked_add(u64::from(digit))
                });
                let rest_ok = matches!(text.get(digits), None | Some(b' ' | b'\t' | b';'));
                self.state = match size {
                    Some(0) if digits > 0 && rest_ok => State::Trailers,
                    Some(size) if digits > 0 && rest_ok => State::ChunkData(size),
                    _ => State::PassThrough,
                };
            }
            State::ChunkEnd if text.is_empty() && whole => self.state = State::ChunkSize,
            State::Trailers if text.is_empty() && whole => self.state = State::RequestLine,
            State::Trailers => {}
            _ => self.state = State::PassThrough,
        }
    }

    /// One header line of the current request, or the empty line that ends them.
    fn header(&mut self, text: &[u8], whole: bool) {
        if text.is_empty() {
            let head = std::mem::take(&mut self.head);
            self.state = match (head.chunked, head.length) {
                _ if head.connect => State::PassThrough,
                (Some(true), None) if !head.http10 => State::ChunkSize,
                (Some(_), _) => State::PassThrough,
                (None, Some(n)) if n > 0 => State::Fixed(n),
                (None, _) => State::RequestLine,
            };
            return;
        }
        let Some(colon) = text.iter().position(|&b| b == b':') else {
            self.state = State::PassThrough;
            return;
        };
        let (name, value) = (&text[..colon], trim(&text[colon + 1..]));
        if name.first().is_none_or(|&b| b == b' ' || b == b'\t') {
            // A continuation line (obs-fold) or an empty name: hyper refuses the request.
            self.state = State::PassThrough;
        } else if name.eq_ignore_ascii_case(b"content-length") {
            let length = (!value.is_empty() && whole && value.iter().all(u8::is_ascii_digit))
                .then(|| std::str::from_utf8(value).ok()?.parse::<u64>().ok())
                .flatten();
            match (length, self.head.length) {
                (Some(n), None) => self.head.length = Some(n),
                (Some(n), Some(seen)) if n == seen => {}
                _ => self.state = State::PassThrough,
            }
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            if !whole {
                self.state = State::PassThrough;
                return;
            }
            let last = value.rsplit(|&b| b == b',').next().map(trim);
            self.head.chunked = Some(last.is_some_and(|c| c.eq_ignore_ascii_case(b"chunked")));
        }
    }
}

/// A request line, read.
enum Line {
    Empty,
    Garbage,
    Request {
        http10: bool,
        connect: bool,
        rewritten: bool,
    },
}

/// Reads a request line (with its line end); when its target needs encoding, pushes the
/// rewritten line (same method, version and line end) to `out`.
fn rewrite_request_line(line: &[u8], out: &mut Vec<u8>) -> Line {
    let text = strip_eol(line);
    if text.is_empty() {
        return Line::Empty;
    }
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
    if !version.starts_with(b"HTTP/") {
        return Line::Garbage;
    }
    let target = &text[first + 1..last];
    let needs = |i: usize| match target[i] {
        b'%' => !is_escape(&target[i + 1..]),
        b => must_encode(b),
    };
    let rewritten = match (0..target.len()).find(|&i| needs(i)) {
        None => false,
        Some(from) => {
            out.reserve(line.len() + 2 * (target.len() - from));
            out.extend_from_slice(&line[..first + 1 + from]);
            for (i, &b) in target.iter().enumerate().skip(from) {
                if needs(i) {
                    let hex = [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]];
                    out.extend_from_slice(&[b'%', hex[0], hex[1]]);
                } else {
                    out.push(b);
                }
            }
            out.extend_from_slice(&line[last..]);
            true
        }
    };
    Line::Request {
        http10: version == b"HTTP/1.0",
        connect: method == b"CONNECT",
        rewritten,
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Bytes `http::Uri` refuses in a target, or that RFC 3986 calls unsafe there.
fn must_encode(b: u8) -> bool {
    matches!(
        b,
        0..=0x20 | 0x7F..=0xFF | b'"' | b'#' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
    )
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
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A line without its `\n` and a `\r` before that.
fn strip_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn trim(bytes: &[u8]) -> &[u8] {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = bytes.iter().position(|b| !blank(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !blank(b))
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

#[cfg(test)]
mod tests;
