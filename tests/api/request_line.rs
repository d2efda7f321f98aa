//! The lenient request-target front over real sockets: raw, unencoded JSON (and spaces, `|`,
//! `\`, `^`, UTF-8, a lone `%`) in the request line works as PayPro's clients send it, without
//! breaking keep-alive, pipelining, chunked bodies or other routes.

use crate::helpers::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// How long a raw read may take before the test fails instead of hanging.
pub(crate) const WAIT: Duration = Duration::from_secs(5);

/// The raw JSON PayPro's PHP clients put in the query, unencoded.
const RAW_JSON: &str = r#"[{"MerchantId": " PayProUser ","x":"a|b\\c^d`e","ü":"日本"}]"#;

pub(crate) async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(("127.0.0.1", app.port))
        .await
        .expect("a connection")
}

/// Writes the bytes on a new connection and reads until the server closes it.
pub(crate) async fn exchange(app: &TestApp, request: &[u8]) -> Vec<u8> {
    let mut stream = connect(app).await;
    stream.write_all(request).await.expect("written");
    let mut answer = Vec::new();
    timeout(WAIT, stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes in time")
        .expect("read");
    answer
}

/// The first whole response in `raw`: status, body (Content-Length or chunked), bytes used.
fn parse_response(raw: &[u8]) -> Option<(u16, Vec<u8>, usize)> {
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&raw[..head_end]).expect("a text head");
    let status = head.get(9..12)?.parse().expect("a status code");
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    if let Some(length) = header("content-length") {
        let end = head_end + length.parse::<usize>().expect("a length");
        return (raw.len() >= end).then(|| (status, raw[head_end..end].to_vec(), end));
    }
    if header("transfer-encoding").is_some_and(|te| te.eq_ignore_ascii_case("chunked")) {
        let (mut at, mut body) = (head_end, Vec::new());
        loop {
            let line_end = raw[at..].windows(2).position(|w| w == b"\r\n")? + at;
            let size_text = std::str::from_utf8(&raw[at..line_end]).expect("a size line");
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            at = line_end + 2;
            if size == 0 {
                return raw[at..]
                    .starts_with(b"\r\n")
                    .then(|| (status, body, at + 2));
            }
            body.extend_from_slice(raw.get(at..at + size)?);
            at += size + 2;
        }
    }
    Some((status, Vec::new(), head_end))
}

/// Every response in a connection's output, in order.
pub(crate) fn responses(mut raw: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let mut all = Vec::new();
    while !raw.is_empty() {
        let (status, body, used) = parse_response(raw)
            .unwrap_or_else(|| panic!("a whole response in {}", String::from_utf8_lossy(raw)));
        all.push((status, body));
        raw = &raw[used..];
    }
    all
}

/// Reads one whole response from a kept-alive connection.
async fn read_response(stream: &mut TcpStream) -> (u16, Vec<u8>) {
    let mut raw = Vec::new();
    let read = async {
        loop {
            if let Some((status, body, _)) = parse_response(&raw) {
                return (status, body);
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await.expect("read");
            assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&raw));
            raw.extend_from_slice(&chunk[..n]);
        }
    };
    timeout(WAIT, read).await.expect("a response in time")
}

fn post(target: &str, body: &str) -> String {
    format!(
        "POST {target} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// The journal's newest entry for exactly this path.
pub(crate) async fn journaled(app: &TestApp, path: &str) -> Value {
    let entries = app
        .get_json(&format!("/__sandbox/requests?path={path}"))
        .await;
    entries
        .as_array()
        .expect("a list")
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("{path} journaled: {entries:#}"))
        .clone()
}

#[tokio::test]
async fn pipelined_raw_json_targets_chunked_bodies_and_the_journal_work() {
    let app = spawn_app().await;
    let first_body = r#"{"body":"one"}"#;
    let chunked_text = format!("POST /cpay/co?oJson={RAW_JSON} HTTP/1.1\r\nHost: y\r\n\r\n");
    let (a, b) = chunked_text.split_at(20);
    let mut request = post(&format!("/chillr/api/v5/echo?oJson={RAW_JSON}"), first_body);
    request.push_str(&format!(
        "POST /api/v5/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x};part=1\r\n{a}\r\n{:X}\r\n{b}\r\n0\r\nX-Note: {{\"t\": 1}}\r\n\r\n",
        a.len(),
        b.len()
    ));
    request.push_str(
        "GET /__sandbox/requests?limit=5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );

    let answer = exchange(&app, request.as_bytes()).await;
    let all = responses(&answer);
    let statuses: Vec<u16> = all.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        statuses,
        [200, 200, 200],
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert_eq!(all[0].1, first_body.as_bytes());
    assert_eq!(all[1].1, chunked_text.as_bytes());

    let journal: Value = serde_json::from_slice(&all[2].1).expect("the journal");
    let entries = journal.as_array().expect("a list");
    assert_eq!(entries.len(), 2, "{journal:#}");
    assert_eq!(entries[0]["path"], "/api/v5/echo");
    assert_eq!(entries[0]["query"], Value::Null);
    assert_eq!(entries[0]["body"], chunked_text.as_str());
    assert_eq!(entries[1]["path"], "/chillr/api/v5/echo");
    assert_eq!(entries[1]["query"], format!("oJson={RAW_JSON}").as_str());
    assert_eq!(entries[1]["body"], first_body);
}

#[tokio::test]
async fn raw_json_targets_keep_the_connection_alive() {
    let app = spawn_app().await;
    let mut stream = connect(&app).await;
    let targets = [
        format!("/chillr/api/v5/echo?oJson={RAW_JSON}"),
        r#"/api/v5/echo?oJson=[{"OrderNumber": "OpenCart115319","CustomerName": "Saim Ali"}]"#
            .to_string(),
    ];
    for (i, target) in targets.iter().enumerate() {
        let body = format!("request {i}");
        stream
            .write_all(post(target, &body).as_bytes())
            .await
            .expect("written");
        let (status, echoed) = read_response(&mut stream).await;
        assert_eq!(status, 200, "{target}");
        assert_eq!(echoed, body.as_bytes());
    }
    let entry = journaled(&app, "/api/v5/echo").await;
    assert_eq!(
        entry["query"],
        r#"oJson=[{"OrderNumber": "OpenCart115319","CustomerName": "Saim Ali"}]"#
    );
}

/// hyper refuses these (the front passes a line it does not understand through); it answers
/// 400 or, for a line httparse itself rejects (no version at the end), closes the connection
/// without an answer. Either way nothing reaches a handler.
fn assert_refused(answer: &[u8]) {
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 400"),
        "{:?}",
        String::from_utf8_lossy(answer)
    );
}

#[tokio::test]
async fn a_line_without_a_version_at_the_end_is_refused_and_the_server_goes_on() {
    let app = spawn_app().await;
    let refused: [&[u8]; 3] = [
        b"POST /chillr/api/v5/echo?a b\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi",
        b"GET /__sandbox/health HTTP/1.1 x\r\n\r\n",
        b"POST /chillr/api/v5/echo?oJson=[\r\n  {\"a\": 1}\r\n] HTTP/1.1\r\n\r\n",
    ];
    for request in refused {
        assert_refused(&exchange(&app, request).await);
    }
    let entries = app.get_json("/__sandbox/requests").await;
    assert_eq!(entries, serde_json::json!([]), "nothing reached a handler");

    let response = app.get("/__sandbox/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let request = post(r#"/chillr/api/v5/echo?oJson={"a": 1}"#, "still here");
    let close = "GET /__sandbox/health HTTP/1.1\r\nConnection: close\r\n\r\n";
    let answer = exchange(&app, format!("{request}{close}").as_bytes()).await;
    let all = responses(&answer);
    assert_eq!(all[0], (200, b"still here".to_vec()));
    assert_eq!(all[1].0, 200);
}

#[tokio::test]
async fn an_already_encoded_target_is_decoded_once_as_before() {
    let app = spawn_app().await;
    let health = app.get_json("/__sandbox/health").await;
    assert_eq!(health["status"], "ok");
    let request = post("/chillr/api/v5/echo?q=%7B%22a%22%3A1%7D&r=[1]+2", "encoded");
    let answer = exchange(
        &app,
        request.replace("Host: x", "Connection: close").as_bytes(),
    )
    .await;
    assert_eq!(responses(&answer), [(200, b"encoded".to_vec())]);
    let entry = journaled(&app, "/chillr/api/v5/echo").await;
    assert_eq!(entry["query"], r#"q={"a":1}&r=[1] 2"#);
}

#[tokio::test]
async fn utf8_and_a_lone_percent_come_through_as_sent() {
    let app = spawn_app().await;
    let query = "note=50% off&name=Saim Ali ü 日本&sign=100%";
    let request = post(&format!("/chillr/api/v5/echo?{query}"), "ü 日本");
    let answer = exchange(
        &app,
        request.replace("Host: x", "Connection: close").as_bytes(),
    )
    .await;
    assert_eq!(responses(&answer), [(200, "ü 日本".as_bytes().to_vec())]);
    let entry = journaled(&app, "/chillr/api/v5/echo").await;
    assert_eq!(entry["query"], query);
}
