//! The front fed in every size of read, including one byte at a time.
use super::framing::{Framer, State, TARGET_CAP};
use super::target::{Line, encode_into, must_encode, read_request_line};
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
    let mut stream = LenientStream::new(source, Refusals::with_token("t"));
    let mut cx = Context::from_waker(Waker::noop());
    let mut got = Vec::new();
    let mut pending = 0;
    loop {
        let prefix = next(&mut rng) % 2;
        let mut storage = vec![b'Z'; prefix + 1 + next(&mut rng) % max_out];
        let mut buf = ReadBuf::new(&mut storage);
        buf.advance(prefix);
        match Pin::new(&mut stream).poll_read(&mut cx, &mut buf) {
            // Pending for good: after a refusal, or once the source is spent.
            Poll::Pending
                if pending > 100
                    && (stream.framer.is_refused()
                        || stream.inner.at == stream.inner.data.len()) =>
            {
                return got;
            }
            Poll::Pending => pending += 1,
            Poll::Ready(Ok(())) if buf.filled().len() == prefix => return got,
            Poll::Ready(Ok(())) => {
                pending = 0;
                got.extend_from_slice(&buf.filled()[prefix..]);
            }
            Poll::Ready(Err(e)) => panic!("{e}"),
        }
    }
}

#[track_caller]
fn check(input: &[u8], expected: &[u8]) {
    let slices = [(1, 1), (1, 4096), (4096, 1), (3, 7), (9000, 9000), (64, 5)];
    check_with(input, expected, 40, &slices);
}

/// For inputs too large to feed a byte at a time.
#[track_caller]
fn check_big(input: &[u8], expected: &[u8]) {
    check_with(
        input,
        expected,
        3,
        &[(4096, 4096), (9000, 300), (65536, 65536)],
    );
}

#[track_caller]
fn check_with(input: &[u8], expected: &[u8], seeds: u64, slices: &[(usize, usize)]) {
    for seed in 0..seeds {
        for &(max_in, max_out) in slices {
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
    let input = "POST /p/order?data=[{\"user\": \" someone \",\"x\":\"a|b\\c^d`e<>#\"}] HTTP/1.1\r\n\
                 Host: x\r\nContent-Length: 5\r\n\r\nhello";
    let expected = "POST /p/order?data=[%7B%22user%22:%20%22%20someone%20%22,%22x%22:%22a%7Cb%5Cc%5Ed%60e%3C%3E%23%22%7D] HTTP/1.1\r\n\
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
    let input = "GET /p/api/v5/echo?q=%7B%22a%22%3A1%7D&b=[1]+2&u=%u00e9 HTTP/1.1\r\n\
                 Host: x\r\nContent-Length: 3\r\n\r\nabcOPTIONS * HTTP/1.1\r\n\r\n";
    check(input.as_bytes(), input.as_bytes());
    let mut out = Vec::new();
    let mut framer = Framer::new(Refusals::with_token("t"));
    let head = input.find("\r\n\r\n").expect("a head") + 4;
    assert_eq!(framer.feed(input.as_bytes(), &mut out), Step::Pass(head));
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
    for head in [
        "GET /a b\r\nHost: x\r\n\r\n".to_string(),
        "GET /a HTTP/1.1 x\r\n\r\n".to_string(),
        "GET  HTTP/1.1\r\n\r\n".to_string(),
        "G{T /a HTTP/1.1\r\n\r\n".to_string(),
        "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n".into(),
        "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n".into(),
        "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX: a\rb\r\n\r\n"
            .into(),
        "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a\rb\r\n".into(),
        "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n1\r\na\r\n0\r\n\r\n".into(),
        "GET /a HTTP/1.1\r\nConnection: close\r\n\r\n".into(),
        "GET /a HTTP/1.0\r\n\r\n".into(),
        "GET /a HTTP/1.1\r\nUpgrade: websocket\r\n\r\n".into(),
        "CONNECT host:443 HTTP/1.1\r\n\r\n".into(),
    ] {
        let input = format!("{head}{next}");
        check(input.as_bytes(), input.as_bytes());
    }
    // Not HTTP at all (a TLS hello, say): given up at once, not held for a line feed.
    let mut framer = Framer::new(Refusals::with_token("t"));
    assert_eq!(
        framer.feed(b"\x16\x03\x01\x02", &mut Vec::new()),
        Step::Pass(4)
    );
    assert!(matches!(framer.state, State::PassThrough));
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
        let Line::Request(read) = read_request_line(&line[..line.len() - 2]) else {
            panic!("{b:#x}: not a request line");
        };
        assert_eq!(&line[read.target], &target[..]);
        let mut new_target = Vec::new();
        encode_into(&target, &mut new_target);
        let out = if new_target == target {
            Vec::new()
        } else {
            new_target.clone()
        };
        let new_target = &new_target[..];
        assert!(
            new_target.iter().all(|b| (0x21..0x7F).contains(b)),
            "{b:#x}"
        );
        let uri = axum::http::Uri::try_from(new_target).unwrap_or_else(|e| panic!("{b:#x}: {e}"));
        assert_eq!(uri.to_string().as_bytes(), new_target, "{b:#x}");
        let decoded: Vec<u8> = percent_encoding::percent_decode(new_target).collect();
        assert_eq!(decoded, target, "{b:#x}");
        assert_eq!(out.is_empty(), !must_encode(b) && b != b'%', "{b:#x}");
    }
}

#[test]
fn bare_line_feeds_in_chunked_framing_reach_hyper_as_crlf() {
    let head = "POST /e HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    let next = "GET /n?{ HTTP/1.1\r\n\r\n";
    let input = format!("{head}5;x=y\nhello\n0\nX: y\nZ: w\r\n\n{next}");
    let expected =
        format!("{head}5;x=y\r\nhello\r\n0\r\nX: y\r\nZ: w\r\n\r\nGET /n?%7B HTTP/1.1\r\n\r\n");
    check(input.as_bytes(), expected.as_bytes());
    // The trailer section ends at the bare empty line: the next request is not a trailer.
    let input = format!("{head}1\r\na\r\n0\r\nX: y\n\n{next}");
    let expected = format!("{head}1\r\na\r\n0\r\nX: y\r\n\r\nGET /n?%7B HTTP/1.1\r\n\r\n");
    check(input.as_bytes(), expected.as_bytes());
}

/// The stand-in request hyper gets for a refused one, with nothing after it.
fn stand_in(method: &str, target: &str, status: u16, reason: &str) -> String {
    format!(
        "{method} {target} HTTP/1.1\r\nconnection: close\r\nx-paysandbox-refused: t {status}\r\n\
         x-paysandbox-refusal: {reason}\r\n\r\n"
    )
}

#[test]
fn malformed_heads_are_replaced_by_a_stand_in_and_nothing_after_is_read() {
    let next = "GET /c HTTP/1.1\r\n\r\n";
    let cases = [
        (
            "POST /a?{ HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc",
            "POST /a?%7B",
            400,
            "The request has Content-Length headers that differ (3 and 4)",
        ),
        (
            "POST /a HTTP/1.1\r\nContent-Length: 3x\r\n\r\nabc",
            "POST /a",
            400,
            "The request's Content-Length \"3x\" is not a length",
        ),
        (
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            "POST /a",
            400,
            "The request's Transfer-Encoding does not end with chunked",
        ),
        (
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
            "POST /a",
            400,
            "The request has both Content-Length and Transfer-Encoding",
        ),
        (
            "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /a",
            400,
            "An HTTP/1.0 request may not carry Transfer-Encoding",
        ),
        (
            "GET /a HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET /a",
            400,
            "The request head holds a folded header line (obs-fold)",
        ),
        (
            "GET /a HTTP/1.1\r\nHost: x\0y\r\n\r\n",
            "GET /a",
            400,
            "The request head holds a NUL byte",
        ),
        (
            "GET /a HTTP/1.1\r\nHost: x\ry\r\n\r\n",
            "GET /a",
            400,
            "The request head holds a bare CR (not followed by LF)",
        ),
        (
            "GET /a HTTP/2.0\r\n\r\n",
            "GET /a",
            400,
            "The HTTP version \"HTTP/2.0\" is not served here",
        ),
    ];
    for (head, line, status, reason) in cases {
        let (method, target) = line.split_once(' ').expect("a method");
        let input = format!("{head}{next}");
        check(
            input.as_bytes(),
            stand_in(method, target, status, reason).as_bytes(),
        );
    }
    let many = "X: y\r\n".repeat(101);
    let input = format!("GET /m HTTP/1.1\r\n{many}\r\n{next}");
    let reason = "The request has more than 100 header fields";
    check(
        input.as_bytes(),
        stand_in("GET", "/m", 431, reason).as_bytes(),
    );
    let big = format!("X: {}\r\n", "y".repeat(64 * 1024));
    let input = format!("GET /h HTTP/1.1\r\n{big}\r\n{next}");
    let reason = "The request headers are over the sandbox's limit of 65536 bytes";
    check_big(
        input.as_bytes(),
        stand_in("GET", "/h", 431, reason).as_bytes(),
    );
}

#[test]
fn a_target_over_1_mib_is_refused_414_with_its_path() {
    let query = "a".repeat(TARGET_CAP);
    let input = format!("GET /p/status?{query} HTTP/1.1\r\n\r\n");
    let reason = format!(
        "The request target ({} bytes) is over the sandbox's limit of {TARGET_CAP} bytes",
        query.len() + 10
    );
    check_big(
        input.as_bytes(),
        stand_in("GET", "/p/status", 414, &reason).as_bytes(),
    );
}

#[test]
fn a_target_over_64_kib_moves_into_a_form_body() {
    let query = format!("data=[{{\"a\": \"{}\"}}]", "x".repeat(70 * 1024));
    let next = "GET /n HTTP/1.1\r\n\r\n";
    let input =
        format!("POST /p/order?{query} HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n{next}");
    let expected = format!(
        "POST /p/order HTTP/1.1\r\nHost: h\r\ncontent-type: application/x-www-form-urlencoded\r\n\
         content-length: {}\r\n\r\n{query}{next}",
        query.len()
    );
    check_big(input.as_bytes(), expected.as_bytes());
    let input = format!(
        "POST /p/order?{query} HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 3\r\n\r\nb=c{next}"
    );
    let expected = format!(
        "POST /p/order HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         content-length: {}\r\n\r\n{query}&b=c{next}",
        query.len() + 4
    );
    check_big(input.as_bytes(), expected.as_bytes());
    let input = format!("POST /p/order?{query} HTTP/1.1\r\nContent-Length: 2\r\n\r\n[]{next}");
    let reason = format!(
        "The request target ({} bytes) is over 64 KiB: such a query is taken only from a \
         request without a body or with a form body of known length",
        query.len() + 9
    );
    check_big(
        input.as_bytes(),
        stand_in("POST", "/p/order", 414, &reason).as_bytes(),
    );
}
