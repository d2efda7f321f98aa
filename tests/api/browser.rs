//! The real-browser harness: headless Chromium driven over WebDriver (chromedriver on a free
//! port) against the real server. Without `chromedriver` on PATH a browser test SKIPS with a
//! loud message, unless `PAYSANDBOX_BROWSER_TESTS=required` (CI), where it fails.
//! With `PAYSANDBOX_SCREENSHOTS=<dir>` the tests save their screenshots there.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::future::Future;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An upper bound that only keeps a broken run from hanging.
const PATIENCE: Duration = Duration::from_secs(60);

/// A chromedriver process, killed when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|candidate| candidate.is_file())
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().unwrap().port()
}

/// Runs `steps` with a fresh headless browser, closing it whatever happens; or skips loudly.
pub async fn with_browser<F, Fut>(test: &str, steps: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(program) = chromedriver() else {
        let required = std::env::var("PAYSANDBOX_BROWSER_TESTS").as_deref() == Ok("required");
        assert!(
            !required,
            "PAYSANDBOX_BROWSER_TESTS=required but no chromedriver on PATH \
             (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "\n!!!!! SKIPPED browser test `{test}`: no chromedriver on PATH \
             (apt-get install chromium chromium-driver; set PAYSANDBOX_BROWSER_TESTS=required \
             to make this a failure) !!!!!\n"
        );
        return;
    };
    let port = free_port();
    let _driver = Driver(
        Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < PATIENCE, "chromedriver never listened");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({"args": [
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
            "--window-size=1280,1000", "--disable-gpu",
        ]}),
    );
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a headless chromium session");
    let outcome = {
        use futures_util::FutureExt;
        std::panic::AssertUnwindSafe(steps(client.clone()))
            .catch_unwind()
            .await
    };
    let _ = client.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Saves a screenshot of the window when `PAYSANDBOX_SCREENSHOTS` names a folder.
pub async fn shot(client: &Client, name: &str) {
    let Some(dir) = std::env::var_os("PAYSANDBOX_SCREENSHOTS") else {
        return;
    };
    let png = client.screenshot().await.expect("a screenshot");
    let path = PathBuf::from(dir).join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The element `css` once it exists.
pub async fn element(client: &Client, css: &str) -> Element {
    let found = client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(css))
        .await;
    match found {
        Ok(element) => element,
        Err(e) => panic!("no `{css}` on {:?}: {e}", client.current_url().await),
    }
}

/// Waits until the text of `css` contains `wanted` (case-insensitive), e.g. after a form's
/// redirect or a live swap; answers the text.
pub async fn text_containing(client: &Client, css: &str, wanted: &str) -> String {
    text_where(client, css, wanted, |text| {
        text.to_lowercase().contains(&wanted.to_lowercase())
    })
    .await
}

/// Waits until the text of `css` is `wanted` (trimmed, case-insensitive).
pub async fn text_being(client: &Client, css: &str, wanted: &str) -> String {
    text_where(client, css, wanted, |text| {
        text.trim().eq_ignore_ascii_case(wanted)
    })
    .await
}

async fn text_where(
    client: &Client,
    css: &str,
    wanted: &str,
    good: impl Fn(&str) -> bool,
) -> String {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < PATIENCE {
        if let Ok(found) = client.find(Locator::Css(css)).await
            && let Ok(text) = found.text().await
        {
            if good(&text) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("`{css}` never said `{wanted}`; last: `{last}`");
}

/// Clicks the element `css` (a form's button: the browser posts the form).
pub async fn click(client: &Client, css: &str) {
    element(client, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
}
