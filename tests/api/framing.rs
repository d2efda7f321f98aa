//! The front and hyper agree on where every message ends, and malformed HTTP gets an answer
//! in the envelope of the provider its path names: over raw sockets against the real server.
//!
//! The property: random pipelined sequences of requests (Content-Length or chunked bodies,
//! chunk extensions, trailers, bare LF anywhere a line ends, raw JSON targets, empty lines
//! between requests) get exactly one answer each, in order, with the body the echo route got
//! byte-identical to the one sent.

use crate::helpers::{TestApp, spawn_app};
use crate::paypro_orders::{PASSWORD, USER, creds, freeze, order};
use crate::request_line::{WAIT, connect, exchange, journaled, responses};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::timeout;

/// How one generated request frames its body.
#[derive(Debug, Clone)]
struct Chunking {
    /// Where the body is cut into chunks (taken modulo its length).
    cuts: Vec<usize>,
    /// Per chunk: CRLF (true) or a bare LF after the size line and after the data.
    crlf: Vec<(bool, bool)>,
    /// Per chunk: an extension after the size, and whether a space comes first.
    extensions: Vec<Option<(bool, String)>>,
    upper_hex: bool,
    /// Trailer fields, each with its line end.
    trailers: Vec<(String, bool)>,
    /// The line ends of the last-chunk line and of the empty line closing the trailers.
    last_crlf: (bool, bool),
}

#[derive(Debug, Clone)]
struct Sent {
    /// Raw JSON put unencoded in the query, as PayPro's PHP clients do.
    query: Option<String>,
    body: String,
    head_crlf: bool,
    chunking: Option<Chunking>,
    /// An empty line before the request line, as some clients send after a body.
    blank: Option<bool>,
}

fn eol(crlf: bool) -> &'static str {
    if crlf { "\r\n" } else { "\n" }
}

impl Sent {
    fn bytes(&self, last: bool) -> Vec<u8> {
        let end = eol(self.head_crlf);
        let target = match &self.query {
            Some(query) => format!("/api/v5/echo?oJson={query}"),
            None => "/api/v5/echo".to_string(),
        };
        let blank = self.blank.map_or("", eol);
        let mut out = format!("{blank}POST {target} HTTP/1.1{end}Host: x{end}");
        if last {
            out.push_str(&format!("Connection: close{end}"));
        }
        let Some(chunking) = &self.chunking else {
            let length = self.body.len();
            out.push_str(&format!("Content-Length: {length}{end}{end}"));
            out.push_str(&self.body);
            return out.into_bytes();
        };
        out.push_str(&format!("Transfer-Encoding: chunked{end}{end}"));
        let mut out = out.into_bytes();
        let body = self.body.as_bytes();
        let mut cuts: Vec<usize> = chunking
            .cuts
            .iter()
            .map(|c| c % (body.len() + 1))
            .chain([0, body.len()])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        for (i, piece) in cuts.windows(2).enumerate() {
            let data = &body[piece[0]..piece[1]];
            let (size_crlf, data_crlf) = chunking.crlf.get(i).copied().unwrap_or((true, true));
            let size = if chunking.upper_hex {
                format!("{:X}", data.len())
            } else {
                format!("{:x}", data.len())
            };
            out.extend_from_slice(size.as_bytes());
            if let Some(Some((space, extension))) = chunking.extensions.get(i) {
                let space = if *space { " " } else { "" };
                out.extend_from_slice(format!("{space};{extension}").as_bytes());
            }
            out.extend_from_slice(eol(size_crlf).as_bytes());
            out.extend_from_slice(data);
            out.extend_from_slice(eol(data_crlf).as_bytes());
        }
        out.extend_from_slice(format!("0{}", eol(chunking.last_crlf.0)).as_bytes());
        for (i, (value, crlf)) in chunking.trailers.iter().enumerate() {
            out.extend_from_slice(format!("X-Trailer-{i}: {value}{}", eol(*crlf)).as_bytes());
        }
        out.extend_from_slice(eol(chunking.last_crlf.1).as_bytes());
        out
    }
}

fn chunking() -> impl Strategy<Value = Chunking> {
    (
        prop::collection::vec(0usize..64, 0..5),
        prop::collection::vec(any::<(bool, bool)>(), 6),
        prop::collection::vec(
            prop::option::of((
                any::<bool>(),
                "[a-z]{1,4}(=[a-z0-9]{0,4}|=\"[a-z ]{0,4}\")?",
            )),
            6,
        ),
        any::<bool>(),
        prop::collection::vec(("[a-zA-Z0-9 {}\":,]{0,12}", any::<bool>()), 0..3),
        any::<(bool, bool)>(),
    )
        .prop_map(
            |(cuts, crlf, extensions, upper_hex, trailers, last_crlf)| Chunking {
                cuts,
                crlf,
                extensions,
                upper_hex,
                trailers,
                last_crlf,
            },
        )
}

fn sent() -> impl Strategy<Value = Sent> {
    (
        prop::option::of("[a-z0-9 {}\\[\\]\":,|\\\\^`<>#%+&=é日]{0,30}"),
        "[a-zA-Z0-9 {}\":,\\r\\n|é日]{0,60}",
        any::<bool>(),
        prop::option::of(chunking()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(query, body, head_crlf, chunking, blank)| Sent {
            query,
            body,
            head_crlf,
            chunking,
            blank,
        })
}

/// Sends the requests pipelined on one connection, written in the given pieces, and reads
/// until the server closes it (the last request asks it to).
async fn answers(app: &TestApp, requests: &[Sent], pieces: &[usize]) -> Vec<(u16, Vec<u8>)> {
    let mut wire = Vec::new();
    for (i, request) in requests.iter().enumerate() {
        wire.extend_from_slice(&request.bytes(i + 1 == requests.len()));
    }
    let (mut reader, mut writer) = connect(app).await.into_split();
    let mut cuts: Vec<usize> = pieces.iter().map(|p| p % (wire.len() + 1)).collect();
    cuts.extend([0, wire.len()]);
    cuts.sort_unstable();
    cuts.dedup();
    let writing = tokio::spawn(async move {
        for piece in cuts.windows(2) {
            writer.write_all(&wire[piece[0]..piece[1]]).await?;
            writer.flush().await?;
        }
        Ok::<_, std::io::Error>(writer)
    });
    let mut raw = Vec::new();
    timeout(WAIT, reader.read_to_end(&mut raw))
        .await
        .expect("the server answers and closes in time")
        .expect("read");
    let _ = writing.await;
    responses(&raw)
}

#[test]
fn pipelined_requests_get_exactly_one_answer_each_with_the_body_sent() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let app = runtime.block_on(spawn_app());
    let mut runner = TestRunner::new(Config {
        cases: 96,
        failure_persistence: None,
        ..Config::default()
    });
    let cases = (
        prop::collection::vec(sent(), 1..6),
        prop::collection::vec(0usize..4096, 0..4),
    );
    let outcome = runner.run(&cases, |(requests, pieces)| {
        let got = runtime.block_on(answers(&app, &requests, &pieces));
        let wanted: Vec<(u16, Vec<u8>)> = requests
            .iter()
            .map(|r| (200, r.body.as_bytes().to_vec()))
            .collect();
        prop_assert_eq!(got, wanted);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

#[tokio::test]
async fn a_trailer_section_ending_in_a_bare_empty_line_does_not_swallow_the_next_request() {
    let app = spawn_app().await;
    let next_body = "GET /api/v5/echo?{\"x\"} HTTP/1.1\r\n\r\n";
    let wire = format!(
        "POST /api/v5/echo?oJson={{\"a\": 1}} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\
         5\r\nfirst\r\n0\r\nX-Checksum: 1\n\n\
         POST /api/v5/echo HTTP/1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{next_body}",
        next_body.len()
    );
    let all = responses(&exchange(&app, wire.as_bytes()).await);
    assert_eq!(
        all,
        [
            (200, b"first".to_vec()),
            (200, next_body.as_bytes().to_vec())
        ]
    );
}

/// A request on its own connection: the status and the JSON body of the one answer, which
/// closes the connection.
async fn refused(app: &TestApp, request: &[u8]) -> (u16, Value) {
    let (mut reader, mut writer) = connect(app).await.into_split();
    let request = request.to_vec();
    // Written alongside the read: the server stops reading a refused request part-way.
    let writing = tokio::spawn(async move { writer.write_all(&request).await.map(|_| writer) });
    let mut raw = Vec::new();
    timeout(WAIT, reader.read_to_end(&mut raw))
        .await
        .expect("the server answers and closes in time")
        .expect("read");
    let _ = writing.await;
    let all = responses(&raw);
    assert_eq!(
        all.len(),
        1,
        "one answer: {}",
        String::from_utf8_lossy(&raw)
    );
    let (status, body) = all.into_iter().next().expect("an answer");
    let head = String::from_utf8_lossy(&raw[..raw.len() - body.len()]).to_lowercase();
    assert!(head.contains("connection: close"), "{head}");
    (status, serde_json::from_slice(&body).expect("a JSON body"))
}

#[tokio::test]
async fn malformed_framing_is_answered_400_in_the_envelope_the_path_names() {
    let app = spawn_app().await;
    let cases: [(&str, &str); 8] = [
        (
            "POST /paypro/cpay/co HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "The request has both Content-Length and Transfer-Encoding",
        ),
        (
            "POST /paypro/cpay/co HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
            "The request has Content-Length headers that differ (2 and 3)",
        ),
        (
            "POST /paypro/cpay/co HTTP/1.1\r\nContent-Length: -2\r\n\r\nab",
            "The request's Content-Length \"-2\" is not a length",
        ),
        (
            "GET /paypro/cpay/gos HTTP/1.1\r\nX-Folded: a\r\n  b\r\n\r\n",
            "The request head holds a folded header line (obs-fold)",
        ),
        (
            "GET /paypro/cpay/gos HTTP/1.1\r\nX-Nul: a\0b\r\n\r\n",
            "The request head holds a NUL byte",
        ),
        (
            "GET /paypro/cpay/gos HTTP/1.1\r\nX-Cr: a\rb\r\n\r\n",
            "The request head holds a bare CR (not followed by LF)",
        ),
        (
            "POST /paypro/cpay/co HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "The request's Transfer-Encoding does not end with chunked",
        ),
        (
            "POST /paypro/cpay/co HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "An HTTP/1.0 request may not carry Transfer-Encoding",
        ),
    ];
    for (request, message) in cases {
        let (status, body) = refused(&app, request.as_bytes()).await;
        assert_eq!(status, 400, "{request:?}");
        assert_eq!(
            body,
            json!([{"Status": "03"}, {"Description": message}]),
            "{request:?}"
        );
    }
    // Each provider's own envelope, and the plain one where the path names none.
    let cl_te = "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    let message = "The request has both Content-Length and Transfer-Encoding";
    let (_, chillr) = refused(
        &app,
        format!("POST /api/v5/echo HTTP/1.1\r\n{cl_te}").as_bytes(),
    )
    .await;
    assert_eq!(
        chillr,
        json!({"status": "failure", "status_code": 400, "message": message})
    );
    let (_, none) = refused(
        &app,
        format!("POST /nothing HTTP/1.1\r\n{cl_te}").as_bytes(),
    )
    .await;
    assert_eq!(none, json!({"error": message}));

    // Journaled as received (the stand-in's marks taken off), and the server goes on.
    let entry = journaled(&app, "/paypro/cpay/gos").await;
    assert_eq!(entry["response"]["status"], 400);
    assert_eq!(entry["headers"], json!([]));
    let health = app.get("/__sandbox/health").await;
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn headers_over_the_limit_are_answered_431_in_the_envelope() {
    let app = spawn_app().await;
    let big = format!("X-Big: {}\r\n", "b".repeat(70 * 1024));
    let many = "X-Many: m\r\n".repeat(101);
    for (headers, message) in [
        (
            big,
            "The request headers are over the sandbox's limit of 65536 bytes",
        ),
        (many, "The request has more than 100 header fields"),
    ] {
        let request = format!("GET /paypro/cpay/gos HTTP/1.1\r\n{headers}\r\n");
        let (status, body) = refused(&app, request.as_bytes()).await;
        assert_eq!(status, 431);
        assert_eq!(body, json!([{"Status": "03"}, {"Description": message}]));
    }
    assert_eq!(app.get("/__sandbox/health").await.status(), StatusCode::OK);
}

/// `&pad=xxx...` making a target of exactly `size` bytes out of `start`.
fn padded(start: &str, size: usize) -> String {
    let pad = size - start.len() - "&pad=".len();
    format!("{start}&pad={}", "x".repeat(pad))
}

#[tokio::test]
async fn a_target_of_1_mib_reaches_paypro_whole() {
    let app = spawn_app().await;
    freeze(&app).await;
    let payload = json!([creds(USER, PASSWORD), order("BIG-1")]).to_string();
    // Unencoded, as PayPro's PHP clients send it.
    let target = padded(&format!("/paypro/cpay/co?oJson={payload}"), 1024 * 1024);
    let request = format!("POST {target} HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    let all = responses(&exchange_closing(&app, &request).await);
    let created: Value = serde_json::from_slice(&all[0].1).expect("JSON");
    assert_eq!(all[0].0, 200);
    assert_eq!(created[0], json!({"Status": "00"}), "{created}");
    let id = created[1]["ConnectPayId"].as_str().expect("an id");

    let start = format!("/paypro/cpay/gos?userName={USER}&password={PASSWORD}&cpayId={id}");
    let target = padded(&start, 1024 * 1024);
    let all = responses(&exchange_closing(&app, &format!("GET {target} HTTP/1.1\r\n\r\n")).await);
    let status: Value = serde_json::from_slice(&all[0].1).expect("JSON");
    assert_eq!(status[0], json!({"Status": "00"}), "{status}");
    assert_eq!(status[1]["OrderNumber"], "BIG-1", "{status}");
}

/// The request, then one asking to close, on one connection: every answer.
async fn exchange_closing(app: &TestApp, request: &str) -> Vec<u8> {
    let close = "GET /__sandbox/health HTTP/1.1\r\nConnection: close\r\n\r\n";
    exchange(app, format!("{request}{close}").as_bytes()).await
}

#[tokio::test]
async fn a_target_over_1_mib_is_answered_414_in_the_envelope_and_journaled() {
    let app = spawn_app().await;
    let target = padded("/paypro/cpay/gos?userName=u", 1024 * 1024 + 1);
    let (status, body) = refused(&app, format!("GET {target} HTTP/1.1\r\n\r\n").as_bytes()).await;
    assert_eq!(status, 414);
    let message = "The request target (1048577 bytes) is over the sandbox's limit of 1048576 bytes";
    assert_eq!(body, json!([{"Status": "03"}, {"Description": message}]));
    // A line that never ends is answered as soon as it is over the limit.
    let endless = padded("/paypro/cpay/gos?a=b", 3 * 1024 * 1024);
    let (status, _) = refused(&app, format!("GET {endless}").as_bytes()).await;
    assert_eq!(status, 414);

    let entry = journaled(&app, "/paypro/cpay/gos").await;
    assert_eq!(entry["response"]["status"], 414);
    assert_eq!(app.get("/__sandbox/health").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_refusal_comes_after_the_answers_to_the_requests_before_it() {
    let app = spawn_app().await;
    let wire = "POST /api/v5/echo HTTP/1.1\r\nContent-Length: 3\r\n\r\none\
                POST /api/v5/echo?{\"a\"} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\ntwo\n0\n\n\
                POST /api/v5/echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab\
                POST /api/v5/echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nnever";
    let all = responses(&exchange(&app, wire.as_bytes()).await);
    let message = "The request has Content-Length headers that differ (1 and 2)";
    let envelope = json!({"status": "failure", "status_code": 400, "message": message});
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(all[0], (200, b"one".to_vec()));
    assert_eq!(all[1], (200, b"two".to_vec()));
    assert_eq!(all[2].0, 400);
    assert_eq!(
        serde_json::from_slice::<Value>(&all[2].1).expect("JSON"),
        envelope
    );
}
