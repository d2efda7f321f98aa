//! `paysandbox healthcheck`: asks the local server for `/__sandbox/health`, so a container
//! image needs no curl.

use http_body_util::Empty;
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::time::Duration;

/// True when `http://127.0.0.1:<port>/__sandbox/health` answers 200 within two seconds.
pub async fn check(port: u16) -> bool {
    tokio::time::timeout(Duration::from_secs(2), ask(port))
        .await
        .is_ok_and(|answer| answer.is_ok_and(|status| status == 200))
}

async fn ask(port: u16) -> anyhow::Result<u16> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let request = Request::get("/__sandbox/health")
        .header("host", format!("127.0.0.1:{port}"))
        .body(Empty::<Bytes>::new())?;
    Ok(sender.send_request(request).await?.status().as_u16())
}
