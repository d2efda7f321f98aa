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
mod tests {
    use super::*;
    use std::task::Waker;

    /// Gives its bytes in pseudo-random slices, sometimes answering Pending first.
    struct Source {
        data: Vec<u8>,
        at: usize,
        max: usize,
        rng: u64,
    }

    fn next(rng: &mut u64) -> usize {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        (*rng >> 8) as usize
    }

    impl AsyncRead for Source {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let this = self.get_mut();
            if next(&mut this.rng).is_multiple_of(4) {
                return Poll::Pending;
            }
            let size = (1 + next(&mut this.rng) % this.max).min(buf.remaining());
            let end = this.data.len().min(this.at + size);
            buf.put_slice(&this.data[this.at..end]);
            this.at = end;
            Poll::Ready(Ok(()))
        }
    }

    /// What hyper would read through the adapter, with slices of at most `max_in` bytes from
    /// the socket and reads of at most `max_out` bytes (some into a partly filled buffer).
    fn run(input: &[u8], max_in: usize, max_out: usize, seed: u64) -> Vec<u8> {
        let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let source = Source {
            data: input.to_vec(),
            at: 0,
            max: max_in,
            rng: rng ^ 0xABCD,
        };
        let mut stream = LenientStream::new(source);
        let mut cx = Context::from_waker(Waker::noop());
        let mut got = Vec::new();
        loop {
            let prefix = next(&mut rng) % 2;
            let mut storage = vec![b'Z'; prefix + 1 + next(&mut rng) % max_out];
            let mut buf = ReadBuf::new(&mut storage);
            buf.advance(prefix);
            match Pin::new(&mut stream).poll_read(&mut cx, &mut buf) {
                Poll::Pending => continue,
                Poll::Ready(Ok(())) if buf.filled().len() == prefix => return got,
                Poll::Ready(Ok(())) => got.extend_from_slice(&buf.filled()[prefix..]),
                Poll::Ready(Err(e)) => panic!("{e}"),
            }
        }
    }

    #[track_caller]
    fn check(input: &[u8], expected: &[u8]) {
        for seed in 0..40 {
            for (max_in, max_out) in [(1, 1), (1, 4096), (4096, 1), (3, 7), (9000, 9000), (64, 5)] {
                let got = run(input, max_in, max_out, seed);
                assert!(
                    got == expected,
                    "seed {seed}, slices {max_in}/{max_out}:\n{}\n---\n{}",
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(expected)
                );
            }
        }
    }

    #[test]
    fn raw_json_in_the_target_is_encoded_and_the_rest_kept() {
        let input = "POST /cpay/co?oJson=[{\"MerchantId\": \" PayProUser \",\"x\":\"a|b\\c^d`e<>#\"}] HTTP/1.1\r\n\
                     Host: x\r\nContent-Length: 5\r\n\r\nhello";
        let expected = "POST /cpay/co?oJson=[%7B%22MerchantId%22:%20%22%20PayProUser%20%22,%22x%22:%22a%7Cb%5Cc%5Ed%60e%3C%3E%23%22%7D] HTTP/1.1\r\n\
                        Host: x\r\nContent-Length: 5\r\n\r\nhello";
        check(input.as_bytes(), expected.as_bytes());
    }

    #[test]
    fn a_body_that_looks_like_a_request_line_is_left_alone() {
        let body = "a\r\n\r\nPOST /x?a={\"b\"} HTTP/1.1\r\n\r\n";
        let head = format!(
            "POST /echo HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let input = format!("{head}{body}GET /y?c={{\"d\"}} HTTP/1.1\r\nHost: y\r\n\r\n");
        let expected = format!("{head}{body}GET /y?c=%7B%22d%22%7D HTTP/1.1\r\nHost: y\r\n\r\n");
        check(input.as_bytes(), expected.as_bytes());
    }

    #[test]
    fn chunked_bodies_with_extensions_and_trailers_are_followed() {
        let chunk = "POST /x?a={\"b\"} HTTP/1.1\r\n\r\n";
        let body = format!(
            "5;ext=\"v a\"\r\n{{\"b\"}}\r\n{:x} ; x=y\r\n{chunk}\r\n0;last\r\nX-Trailer: {{\"t\"}} y\r\n\r\n",
            chunk.len()
        );
        let head = "\r\ntransfer-encoding: gzip, Chunked\r\nHost: x\r\n\r\n";
        let input = format!("POST /c?j={{\"k\"}} HTTP/1.1{head}{body}GET /z?{{}} HTTP/1.1\r\n\r\n");
        let expected =
            format!("POST /c?j=%7B%22k%22%7D HTTP/1.1{head}{body}GET /z?%7B%7D HTTP/1.1\r\n\r\n");
        check(input.as_bytes(), expected.as_bytes());
    }

    #[test]
    fn pipelined_requests_bare_line_feeds_and_leading_empty_lines() {
        let input = "\r\n\nGET /a?x=\"1\" HTTP/1.1\nHost: a\n\nGET /b HTTP/1.1\r\n\r\n\
                     GET /c?y=日本 HTTP/1.0\r\nConnection: keep-alive\r\ncontent-length:2\r\n\r\n{}\
                     DELETE /d?{\"e\"} HTTP/1.1\r\n\r\n";
        let expected = "\r\n\nGET /a?x=%221%22 HTTP/1.1\nHost: a\n\nGET /b HTTP/1.1\r\n\r\n\
                        GET /c?y=%E6%97%A5%E6%9C%AC HTTP/1.0\r\nConnection: keep-alive\r\ncontent-length:2\r\n\r\n{}\
                        DELETE /d?%7B%22e%22%7D HTTP/1.1\r\n\r\n";
        check(input.as_bytes(), expected.as_bytes());
    }

    #[test]
    fn a_valid_target_is_left_byte_identical() {
        let input = "GET /chillr/api/v5/echo?q=%7B%22a%22%3A1%7D&b=[1]+2&u=%u00e9 HTTP/1.1\r\n\
                     Host: x\r\nContent-Length: 3\r\n\r\nabcOPTIONS * HTTP/1.1\r\n\r\n";
        check(input.as_bytes(), input.as_bytes());
        let mut out = Vec::new();
        let mut framer = Framer::default();
        let line = input.find('\n').expect("a line") + 1;
        assert_eq!(framer.feed(input.as_bytes(), &mut out), Step::Pass(line));
        assert!(out.is_empty());
    }

    #[test]
    fn a_lone_percent_becomes_25_and_escapes_stay() {
        let input = "GET /p?note=50% off&p=100%&q=%7b&u=%u00e9&v=%u00zz&ü=日本 HTTP/1.1\r\n\r\n";
        let expected = "GET /p?note=50%25%20off&p=100%25&q=%7b&u=%u00e9&v=%25u00zz\
                        &%C3%BC=%E6%97%A5%E6%9C%AC HTTP/1.1\r\n\r\n";
        check(input.as_bytes(), expected.as_bytes());
    }

    #[test]
    fn garbage_and_unfollowable_framing_pass_through_for_the_rest() {
        let next = "GET /c?{\"d\"} HTTP/1.1\r\n\r\n";
        let long = format!("GET /?a={} HTTP/1.1\r\n\r\n", "{".repeat(LINE_CAP));
        for head in [
            "GET /a b\r\nHost: x\r\n\r\n".to_string(),
            "GET /a HTTP/1.1 x\r\n\r\n".to_string(),
            "GET  HTTP/1.1\r\n\r\n".to_string(),
            "G{T /a HTTP/1.1\r\n\r\n".to_string(),
            long,
            "POST /a HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc".into(),
            "POST /a HTTP/1.1\r\nContent-Length: 3x\r\n\r\nabc".into(),
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n".into(),
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
                .into(),
            "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".into(),
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n".into(),
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n".into(),
            "GET /a HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n".into(),
            "CONNECT host:443 HTTP/1.1\r\n\r\n".into(),
        ] {
            let input = format!("{head}{next}");
            check(input.as_bytes(), input.as_bytes());
        }
        // Not HTTP at all (a TLS hello, say): given up at once, not held for a line feed.
        let mut framer = Framer::default();
        assert_eq!(
            framer.feed(b"\x16\x03\x01\x02", &mut Vec::new()),
            Step::Pass(4)
        );
        assert_eq!(framer.state, State::PassThrough);
    }

    #[test]
    fn repeated_equal_lengths_and_streams_that_end_mid_line() {
        let head = "POST /a HTTP/1.1\r\nContent-Length: 3\r\ncontent-length:3\r\n\r\nabc";
        let input = format!("{head}GET /?{{ HTTP/1.1\r\n\r\nGET /a?{{");
        let expected = format!("{head}GET /?%7B HTTP/1.1\r\n\r\nGET /a?{{");
        check(input.as_bytes(), expected.as_bytes());
        for cut in [
            "GET /a HTTP/1.1\r\nHost: x",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1a;x",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: y",
        ] {
            check(cut.as_bytes(), cut.as_bytes());
        }
    }

    #[test]
    fn every_byte_is_either_kept_as_uri_accepts_it_or_encoded() {
        for b in (0..=255u8).filter(|&b| b != b'\n') {
            let target = [&b"/p"[..], &[b], b"q?x=", &[b], b"y"].concat();
            let line = [&b"GET "[..], &target, b" HTTP/1.1\r\n"].concat();
            let mut out = Vec::new();
            assert!(matches!(
                rewrite_request_line(&line, &mut out),
                Line::Request { .. }
            ));
            let rewritten = if out.is_empty() { &line[..] } else { &out[..] };
            let new_target = &rewritten[4..rewritten.len() - 11];
            assert!(
                new_target.iter().all(|b| (0x21..0x7F).contains(b)),
                "{b:#x}"
            );
            let uri =
                axum::http::Uri::try_from(new_target).unwrap_or_else(|e| panic!("{b:#x}: {e}"));
            assert_eq!(uri.to_string().as_bytes(), new_target, "{b:#x}");
            let decoded: Vec<u8> = percent_encoding::percent_decode(new_target).collect();
            assert_eq!(decoded, target, "{b:#x}");
            assert_eq!(out.is_empty(), !must_encode(b) && b != b'%', "{b:#x}");
        }
    }
}
