//! The database under concurrency: reads during a long write see one committed state (the
//! one before it or the one after it), a request that follows an acknowledged write sees it
//! whichever read connection serves it, and a kill -9 during concurrent writes loses nothing
//! that was acknowledged.

use crate::helpers::{TestApp, binary, spawn_app_with};
use crate::paypro_orders::{PASSWORD, USER, co_as, creds, freeze, gos, order};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const USERS: usize = 3_000;

/// Chillr users and (loaded after them) a Jaze account, in one fixture document.
fn long_load() -> Value {
    let users: Vec<String> = (0..USERS)
        .map(|n| format!("{}", 9_100_000_000u64 + n as u64))
        .collect();
    json!({
        "chillr": {"users": users},
        "jaze": {"accounts": [{"api_token": "loaded-last", "api_key": "k"}]},
    })
}

/// The Chillr users and whether the Jaze account of [`long_load`] is there, in one export.
async fn seen(app: &TestApp) -> (usize, bool) {
    let state = app.get_json("/__sandbox/state").await;
    let users = state["chillr"]["users"].as_array().map_or(0, Vec::len);
    let accounts = state["jaze"]["accounts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let late = accounts.iter().any(|a| a["api_token"] == "loaded-last");
    (users, late)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reads_during_a_long_fixture_load_see_all_of_it_or_none_of_it() {
    let app = spawn_app_with(|c| c.read_connections = Some(4)).await;
    let (before, late) = seen(&app).await;
    assert!(!late);
    let load = {
        let (client, url) = (app.client.clone(), app.url("/__sandbox/fixtures"));
        tokio::spawn(async move { client.post(url).json(&long_load()).send().await.unwrap() })
    };
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let app = TestApp {
                base: app.base.clone(),
                port: app.port,
                client: app.client.clone(),
            };
            tokio::spawn(async move {
                loop {
                    let (users, late) = seen(&app).await;
                    assert!(
                        (users, late) == (before, false) || (users, late) == (before + USERS, true),
                        "a read saw part of the load: {users} users, Jaze account {late}"
                    );
                    if late {
                        break;
                    }
                }
            })
        })
        .collect();
    assert_eq!(load.await.unwrap().status(), StatusCode::CREATED);
    for reader in readers {
        tokio::time::timeout(Duration::from_secs(120), reader)
            .await
            .expect("readers see the load once it is acknowledged")
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_request_sees_the_writes_acknowledged_before_it() {
    let app = spawn_app_with(|c| c.read_connections = Some(4)).await;
    freeze(&app).await;
    for n in 0..100 {
        let number = format!("RYW-{n}");
        let created = co_as(&app, USER, PASSWORD, order(&number)).await;
        assert_eq!(created[0], json!({"Status": "00"}), "{created}");
        let cpay_id = created[1]["ConnectPayId"].as_str().unwrap();
        assert_eq!(gos(&app, cpay_id).await["OrderNumber"], number.as_str());
    }
}

/// The real binary serving a database file; killed (SIGKILL) on drop.
struct Server {
    child: Child,
    app: TestApp,
}

impl Server {
    async fn start(database: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary())
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--database",
                database,
            ])
            .args(["--read-connections", "3"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let app = TestApp {
            base: format!("http://127.0.0.1:{port}"),
            port,
            client: reqwest::Client::new(),
        };
        let started = Instant::now();
        while !app
            .client
            .get(app.url("/__sandbox/health"))
            .send()
            .await
            .is_ok_and(|r| r.status() == StatusCode::OK)
        {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the sandbox did not start"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Server { child, app }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_during_concurrent_writes_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("killed.db").display().to_string();
    let server = Server::start(&database).await;
    freeze(&server.app).await;
    let (acked_tx, mut acked) = tokio::sync::mpsc::unbounded_channel::<(String, String)>();
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let app = TestApp {
                base: server.app.base.clone(),
                port: server.app.port,
                client: reqwest::Client::new(),
            };
            let acked_tx = acked_tx.clone();
            tokio::spawn(async move {
                for n in 0.. {
                    let number = format!("KILL-{w}-{n}");
                    let payload = json!([creds(USER, PASSWORD), order(&number)]);
                    // Once the server is gone, requests fail: the writer stops.
                    let Ok(response) = app
                        .client
                        .post(app.url("/paypro/cpay/co"))
                        .json(&payload)
                        .send()
                        .await
                    else {
                        return;
                    };
                    let Ok(answer) = response.json::<Value>().await else {
                        return;
                    };
                    if answer[0] == json!({"Status": "00"}) {
                        let cpay_id = answer[1]["ConnectPayId"].as_str().unwrap().to_string();
                        if acked_tx.send((number, cpay_id)).is_err() {
                            return;
                        }
                    }
                }
            })
        })
        .collect();
    drop(acked_tx);
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 400 {
        acknowledged.push(acked.recv().await.expect("writes are acknowledged"));
    }
    drop(server); // SIGKILL while the writers are still writing
    for writer in writers {
        writer.await.unwrap();
    }
    while let Ok(more) = acked.try_recv() {
        acknowledged.push(more);
    }
    let server = Server::start(&database).await;
    for (number, cpay_id) in &acknowledged {
        assert_eq!(
            gos(&server.app, cpay_id).await["OrderNumber"],
            number.as_str(),
            "{cpay_id}"
        );
    }
}
