//! Slow and idle clients cannot starve others: the header-read timeout, the idle timeout, and
//! the connection cap (room made by closing a waiting connection, else 503 with
//! `Retry-After`). The load of 1,000 idle and 200 slowloris connections is in
//! `connections_flood`.

use crate::helpers::{binary, spawn_app_with};
use paysandbox::ServeArgs;
use serde_json::{Value, json};
use std::process::Command;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Upper bound for anything that should end; only there so a failure cannot hang the suite.
pub const BOUND: Duration = Duration::from_secs(30);
const HEALTH: &[u8] = b"GET /__sandbox/health HTTP/1.1\r\nHost: sandbox\r\n\r\n";

/// Settings where the timeouts never fire during a test unless it sets them.
pub fn patient(config: &mut ServeArgs) {
    config.header_read_timeout = 600;
    config.idle_timeout = 600;
}

pub async fn connect(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("a connection")
}

/// Reads one whole response (head and `content-length` body): the head and the body.
async fn read_response(stream: &mut TcpStream) -> (String, String) {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse::<usize>().unwrap());
            if bytes.len() >= end + 4 + length {
                let body = String::from_utf8_lossy(&bytes[end + 4..end + 4 + length]).to_string();
                return (head, body);
            }
        }
        let n = timeout(BOUND, stream.read(&mut chunk))
            .await
            .expect("an answer in time")
            .expect("a readable socket");
        assert!(
            n > 0,
            "closed mid-answer: {:?}",
            String::from_utf8_lossy(&bytes)
        );
        bytes.extend_from_slice(&chunk[..n]);
    }
}

/// Waits until the server closes the socket; the bytes it sent before closing.
async fn closed_by_server(stream: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        match timeout(BOUND, stream.read(&mut chunk)).await {
            Err(_) => panic!("the server kept the connection open"),
            Ok(Ok(0)) | Ok(Err(_)) => return got,
            Ok(Ok(n)) => got.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Whether the server has not closed the socket (nothing to read, no end of stream).
pub fn still_open(stream: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    matches!(stream.try_read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[tokio::test]
async fn a_client_trickling_a_request_head_is_closed_after_the_header_read_timeout() {
    let app = spawn_app_with(|c| {
        patient(c);
        c.header_read_timeout = 1;
    })
    .await;
    let mut stream = connect(app.port).await;
    stream
        .write_all(b"GET /__sandbox/health HTTP/1.1\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    let mut chunk = [0u8; 64];
    let answer = loop {
        assert!(
            started.elapsed() < BOUND,
            "the slow head is still being read"
        );
        tokio::select! {
            read = stream.read(&mut chunk) => break read.map(|n| chunk[..n].to_vec()),
            () = tokio::time::sleep(Duration::from_millis(100)) => {
                if stream.write_all(b"a").await.is_err() {
                    break Ok(Vec::new());
                }
            }
        }
    };
    assert!(
        answer.is_err() || answer.as_ref().is_ok_and(Vec::is_empty),
        "closed without an answer, got {answer:?}"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let app = spawn_app_with(|c| {
        patient(c);
        c.idle_timeout = 1;
    })
    .await;
    let mut used = connect(app.port).await;
    used.write_all(HEALTH).await.unwrap();
    let (head, _) = read_response(&mut used).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let mut silent = connect(app.port).await;

    assert!(closed_by_server(&mut used).await.is_empty());
    assert!(closed_by_server(&mut silent).await.is_empty());
}

#[tokio::test]
async fn a_request_in_flight_longer_than_the_idle_timeout_is_answered() {
    let app = spawn_app_with(|c| {
        patient(c);
        c.idle_timeout = 1;
    })
    .await;
    let rule = json!({"provider":"chillr","kind":"latency","latency_ms":2500});
    let added = app.post_json("/__sandbox/faults", &rule).await;
    assert_eq!(added.status(), reqwest::StatusCode::CREATED);

    let mut stream = connect(app.port).await;
    stream
        .write_all(
            b"POST /chillr/api/v5/echo HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 4\r\n\r\nslow",
        )
        .await
        .unwrap();
    let (head, body) = read_response(&mut stream).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body, "slow");
}

/// Sends a request head that expects `100 Continue` and waits for it: the request is then
/// in the service, waiting for its body.
async fn busy_connection(port: u16) -> TcpStream {
    let mut stream = connect(port).await;
    stream
        .write_all(
            b"POST /chillr/api/v5/echo HTTP/1.1\r\nHost: sandbox\r\nExpect: 100-continue\r\n\
              Content-Length: 2\r\n\r\n",
        )
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut chunk = [0u8; 256];
    while !got.ends_with(b"\r\n\r\n") {
        let n = timeout(BOUND, stream.read(&mut chunk))
            .await
            .expect("100 Continue in time")
            .unwrap();
        assert!(n > 0, "closed before 100 Continue");
        got.extend_from_slice(&chunk[..n]);
    }
    assert!(got.starts_with(b"HTTP/1.1 100 Continue"), "{got:?}");
    stream
}

#[tokio::test]
async fn over_the_cap_with_every_connection_busy_a_new_one_is_answered_503_with_retry_after() {
    let app = spawn_app_with(|c| {
        patient(c);
        c.max_connections = 5;
    })
    .await;
    let mut busy = Vec::new();
    for _ in 0..5 {
        busy.push(busy_connection(app.port).await);
    }

    let mut refused = connect(app.port).await;
    let _ = refused.write_all(HEALTH).await;
    let answer = String::from_utf8(closed_by_server(&mut refused).await).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a whole answer");
    let head = head.to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 503 "), "{answer}");
    assert!(head.contains("\r\nretry-after: 1"), "{answer}");
    assert!(head.contains("\r\nconnection: close"), "{answer}");
    let body: Value = serde_json::from_str(body).expect("a JSON body");
    assert!(
        body["error"].as_str().unwrap().contains("connections"),
        "{body}"
    );

    // A busy request finishes; its connection, idle now, makes room for the next one.
    busy[0].write_all(b"ok").await.unwrap();
    let (head, body) = read_response(&mut busy[0]).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body, "ok");
    let mut next = connect(app.port).await;
    next.write_all(HEALTH).await.unwrap();
    let (head, _) = read_response(&mut next).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(closed_by_server(&mut busy[0]).await.is_empty());
}

#[tokio::test]
async fn at_the_cap_the_connection_waiting_longest_makes_room_for_a_new_one() {
    let app = spawn_app_with(|c| {
        patient(c);
        c.max_connections = 3;
    })
    .await;
    let mut open = Vec::new();
    for _ in 0..3 {
        let mut stream = connect(app.port).await;
        stream.write_all(HEALTH).await.unwrap();
        read_response(&mut stream).await;
        open.push(stream);
    }

    let mut newcomer = connect(app.port).await;
    newcomer.write_all(HEALTH).await.unwrap();
    let (head, _) = read_response(&mut newcomer).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");

    assert!(closed_by_server(&mut open[0]).await.is_empty());
    for stream in &mut open[1..] {
        stream.write_all(HEALTH).await.unwrap();
        let (head, _) = read_response(stream).await;
        assert!(
            head.starts_with("http/1.1 200"),
            "the newer ones stay: {head}"
        );
    }
}

#[test]
fn the_connection_settings_have_flags_and_environment_variables() {
    let output = Command::new(binary()).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for (flag, env) in [
        ("--header-read-timeout", "HEADER_READ_TIMEOUT"),
        ("--idle-timeout", "IDLE_TIMEOUT"),
        ("--max-connections", "MAX_CONNECTIONS"),
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
        assert!(help.contains(&format!("[env: {env}")), "{env} missing");
    }
}
