//! 1,000 idle plus 200 slowloris connections while health and a Jaze call keep answering:
//! in process (every connection held), and against the binary under `ulimit -n 256` (the
//! cap keeps it under its file limit and closes waiting connections to make room). The
//! latencies are printed (`--nocapture`), never asserted.

use crate::connections::{BOUND, connect, patient, still_open};
use crate::helpers::{binary, spawn_app_with};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

const JAZE_CALL: &str = "/api/v1/get_payment_details/2";

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
    let app = spawn_app_with(patient).await;
    let flood = Flood::start(app.port).await;
    let latencies = answer_while_flooded(&app.base).await;
    let held = flood.stop().await;
    report("in process", held, &latencies);
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
async fn a_server_limited_to_256_open_files_answers_through_1200_idle_and_slowloris_connections() {
    enough_open_files();
    let server = Limited::start();
    let port: u16 = server.1.rsplit(':').next().unwrap().parse().unwrap();
    let flood = Flood::start(port).await;
    let latencies = answer_while_flooded(&format!("http://{}", server.1)).await;
    let held = flood.stop().await;
    report("ulimit -n 256", held, &latencies);
}
