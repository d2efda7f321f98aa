//! Tenants under load and across restarts: twenty tenants driven at once, each keeping its own
//! orders and money; a tenant on a database file found again by the next process.

use crate::helpers::{TestApp, binary, spawn_app};
use crate::paypro_orders::{create, freeze, order};
use crate::tenants::{KARMENDRA, SAMPLE, balance, tenant, transfer};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn order_count(state: &Value) -> usize {
    state["paypro"]["orders"].as_array().map_or(0, Vec::len)
}

/// Tenant `i` creates `1 + i % 4` orders and tries as many transfers of `(i + 1).00` from the
/// sample wallet (41.00) to an empty one, all at once; answers how many transfers succeeded.
async fn drive(t: TestApp, i: usize) -> usize {
    let n = 1 + i % 4;
    let amount = format!("{}.00", i + 1);
    let mut tasks = tokio::task::JoinSet::new();
    for k in 0..n {
        let (t, amount) = (t.clone_view(), amount.clone());
        tasks.spawn(async move {
            create(&t, order(&format!("LOAD-{k}"))).await;
            let moved = transfer(&t, SAMPLE, KARMENDRA, &amount, &format!("LOAD-{k}")).await;
            usize::from(moved["error"].is_null())
        });
    }
    tasks.join_all().await.into_iter().sum()
}

trait CloneView {
    fn clone_view(&self) -> TestApp;
}

impl CloneView for TestApp {
    fn clone_view(&self) -> TestApp {
        TestApp {
            base: self.base.clone(),
            port: self.port,
            client: self.client.clone(),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_tenants_under_concurrent_load_keep_their_orders_and_money_apart() {
    let app = spawn_app().await;
    let defaults = order_count(&app.get_json("/__sandbox/state").await);
    let start = decimal(&balance(&app, SAMPLE).await) + decimal(&balance(&app, KARMENDRA).await);
    app.delete("/__sandbox/requests").await;
    let names: Vec<String> = (0..20).map(|i| format!("load-{i:02}")).collect();
    for name in &names {
        freeze(&tenant(&app, name)).await;
    }
    let mut all = tokio::task::JoinSet::new();
    for (i, name) in names.iter().enumerate() {
        let t = tenant(&app, name);
        all.spawn(async move { (i, drive(t, i).await) });
    }
    let results = all.join_all().await;
    let mut moved_somewhere = 0;
    for (i, succeeded) in results {
        let t = tenant(&app, &names[i]);
        let state = t.get_json("/__sandbox/state").await;
        assert_eq!(order_count(&state), defaults + 1 + i % 4, "tenant {i}");
        let (sample, karmendra) = (
            decimal(&balance(&t, SAMPLE).await),
            decimal(&balance(&t, KARMENDRA).await),
        );
        let each = Decimal::from(i as u64 + 1);
        assert_eq!(sample + karmendra, start, "money conserved in tenant {i}");
        assert_eq!(
            karmendra,
            each * Decimal::from(succeeded as u64),
            "tenant {i}: only its own {succeeded} transfers of {each} arrived"
        );
        moved_somewhere += succeeded;
    }
    assert!(
        moved_somewhere >= 20,
        "most transfers fit the balance: {moved_somewhere}"
    );
    // The default tenant saw none of it.
    assert_eq!(
        order_count(&app.get_json("/__sandbox/state").await),
        defaults
    );
    assert_eq!(app.get_json("/__sandbox/requests").await, json!([]));
}

/// The binary on a free port over `database`; the child and its base URL.
fn start(database: &str) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(binary())
        .args(["--port", "0", "--host", "127.0.0.1", "--database", database])
        .args(["--log-format", "json"])
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let address = lines.by_ref().find_map(|line| {
        let line: Value = serde_json::from_str(&line.ok()?).ok()?;
        line["address"].as_str().map(str::to_string)
    });
    // The rest of the log is read (and dropped) so the server never writes to a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    match address {
        Some(address) => (child, format!("http://{address}")),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the sandbox did not say where it listens");
        }
    }
}

fn view(base: &str) -> TestApp {
    TestApp {
        base: base.to_string(),
        port: 0,
        client: reqwest::Client::new(),
    }
}

#[tokio::test]
async fn a_tenant_on_a_database_file_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("sandbox.db").display().to_string();

    let (mut first, base) = tokio::task::spawn_blocking({
        let database = database.clone();
        move || start(&database)
    })
    .await
    .unwrap();
    let kept = tenant(&view(&base), "kept");
    freeze(&kept).await;
    create(&kept, order("KEEP-1")).await;
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(dir.path().join("tenants").join("kept.db").exists());

    let (mut second, base) = tokio::task::spawn_blocking(move || start(&database))
        .await
        .unwrap();
    let app = view(&base);
    let list = app.get_json("/__sandbox/tenants").await;
    assert_eq!(list["tenants"][0]["name"], "kept", "{list}");
    assert_eq!(list["tenants"][0]["storage"], "file");
    assert!(list["tenants"][0]["idle_expires"].is_null());
    let state = tenant(&app, "kept").get_json("/__sandbox/state").await;
    assert!(state.to_string().contains("KEEP-1"), "{state}");
    let default = app.get_json("/__sandbox/state").await;
    assert!(!default.to_string().contains("KEEP-1"));
    second.kill().unwrap();
    second.wait().unwrap();
}
