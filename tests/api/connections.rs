//! Slow and idle clients cannot starve others: the header-read timeout, the idle timeout, the
//! connection cap (room made by closing a waiting connection, else 503 with `Retry-After`),
//! and 1,000 idle plus 200 slowloris connections while health and a provider call answer,
//! in process and in a server process limited to 256 open files.

use crate::helpers::{binary, spawn_app_with};
use paysandbox::ServeArgs;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// Upper bound for anything that should end; only there so a failure cannot hang the suite.
const BOUND: Duration = Duration::from_secs(30);
const HEALTH: &[u8] = b"GET /__sandbox/health HTTP/1.1\r\nHost: sandbox\r\n\r\n";
const JAZE_CALL: &str = "/api/v1/get_payment_details/2";

/// Settings where the timeouts never fire during a test unless it sets them.
fn patient(config: &mut ServeArgs) {
    config.header_read_timeout = 600;
    config.idle_timeout = 600;
}

async fn connect(port: u16) -> TcpStream {
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
fn still_open(stream: &TcpStream) -> bool {
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

/// 1,000 connections that send nothing and 200 that send a request head a byte every
/// 500 ms, held until [`Flood::stop`].
struct Flood {
    idle: Vec<TcpStream>,
    slow: Vec<JoinHandle<bool>>,
    stop: Arc<AtomicBool>,
}

impl Flood {
    async fn start(port: u16) -> Flood {
        let mut idle = Vec::new();
        for _ in 0..1_000 {
            idle.push(connect(port).await);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let mut slow = Vec::new();
        for _ in 0..200 {
            let mut stream = connect(port).await;
            let stop = stop.clone();
            slow.push(tokio::spawn(async move {
                let head = b"GET /__sandbox/health HTTP/1.1\r\nHost: sandbox\r\nX-Slow: ";
                let bytes = head.iter().chain(std::iter::repeat(&b'a'));
                for byte in bytes {
                    if stop.load(Ordering::Acquire) {
                        return still_open(&stream);
                    }
                    if stream.write_all(&[*byte]).await.is_err() {
                        return false;
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                unreachable!()
            }));
        }
        Flood { idle, slow, stop }
    }

    /// How many idle and slow connections the server still held.
    async fn stop(self) -> (usize, usize) {
        let idle = self.idle.iter().filter(|s| still_open(s)).count();
        self.stop.store(true, Ordering::Release);
        let mut slow = 0;
        for task in self.slow {
            slow += usize::from(task.await.unwrap());
        }
        (idle, slow)
    }
}

/// Health and a Jaze call, each on a new connection, ten times: the latencies, in ms.
async fn answer_while_flooded(base: &str) -> Vec<f64> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(BOUND)
        .build()
        .unwrap();
    let mut latencies = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let health = client
            .get(format!("{base}/__sandbox/health"))
            .send()
            .await
            .expect("health answers");
        assert_eq!(health.status(), 200);
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);

        let started = Instant::now();
        let jaze = client
            .get(format!("{base}{JAZE_CALL}"))
            .basic_auth("jaze-sandbox-token", Some("jaze-sandbox-key"))
            .send()
            .await
            .expect("the Jaze call answers");
        assert_eq!(jaze.status(), 200);
        let body: Value = jaze.json().await.unwrap();
        assert!(body.is_array() || body.is_object(), "{body}");
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    latencies
}

fn report(what: &str, held: (usize, usize), latencies: &[f64]) {
    let min = latencies.iter().copied().fold(f64::INFINITY, f64::min);
    let max = latencies.iter().copied().fold(0.0, f64::max);
    eprintln!(
        "{what}: server still held {} of 1000 idle and {} of 200 slowloris connections; \
         {} health and Jaze calls answered in {min:.1}..{max:.1} ms",
        held.0,
        held.1,
        latencies.len()
    );
}

/// The test process holds both ends of every connection here, so it needs some 2,500 files.
fn enough_open_files() {
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap();
    assert!(
        limit >= 4_096,
        "this test needs an open-file limit of 4096, got {limit}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_idle_and_two_hundred_slowloris_connections_do_not_stop_health_or_providers() {
    enough_open_files();
    let app = spawn_app_with(|_| {}).await;
    let flood = Flood::start(app.port).await;
    let latencies = answer_while_flooded(&app.base).await;
    let held = flood.stop().await;
    report("in process, default limits", held, &latencies);
    assert_eq!(held, (1_000, 200), "the server held every connection");
}

/// The server binary under `ulimit -n 256`, stopped when dropped.
struct Limited(Child, String);

impl Limited {
    fn start() -> Limited {
        let mut child = Command::new("sh")
            .args([
                "-c",
                "ulimit -n 256 && exec \"$0\" --port 0 --host 127.0.0.1 \
                 --database sqlite::memory: --log-format json",
                binary(),
            ])
            .env("RUST_LOG", "warn,paysandbox=info")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let started: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
        let address = started["address"].as_str().unwrap().to_string();
        // The log is drained so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Limited(child, address)
    }
}

impl Drop for Limited {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_limited_to_256_open_files_answers_through_1200_held_connections() {
    enough_open_files();
    let server = Limited::start();
    let port: u16 = server.1.rsplit(':').next().unwrap().parse().unwrap();
    let flood = Flood::start(port).await;
    let latencies = answer_while_flooded(&format!("http://{}", server.1)).await;
    let held = flood.stop().await;
    report("ulimit -n 256", held, &latencies);
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
