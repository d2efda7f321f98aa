//! The accept loop: each connection admitted (`connections`), framed by the lenient front
//! (`lenient`), and served by hyper, every request going through [`front`].
//!
//! It sits on hyper directly, not on `axum::serve`, because a `drop` or `timeout` fault must be
//! able to close a connection without any answer, which an axum handler cannot do.

mod answers;
mod front;
mod paths;
mod record;

pub use front::{CloseWithoutAnswer, REQUEST_ID_HEADER};
pub use paths::normalize_path;

use crate::connections::{Connections, Limits};
use crate::lenient::{LenientStream, Refusals};
use crate::state::AppState;
use axum::Router;
use front::Front;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How long open requests may take to finish after a shutdown signal.
const DRAIN: Duration = Duration::from_secs(5);

pub async fn serve(
    listener: TcpListener,
    router: Router,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let connections = Connections::new(Limits::new(
        state.config.header_read_timeout,
        state.config.idle_timeout,
        state.config.max_connections,
    ));
    let refusals = Refusals::default();
    // Shared, not cloned, per request: a `Front` holds a dozen reference counts.
    let front = Arc::new(Front::new(router, state, refusals.clone()));
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait and go on accepting.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(admitted) = connections.admit().await else {
            connections.refuse(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let front = front.clone();
        let activity = admitted.activity();
        let service = hyper::service::service_fn(move |request| {
            let front = front.clone();
            let busy = activity.busy();
            async move {
                let _busy = busy;
                front.enter(request).await
            }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .pipeline_flush(true)
            .serve_connection(
                TokioIo::new(LenientStream::new(admitted.track(stream), refusals.clone())),
                service,
            );
        let connection = graceful.watch(connection);
        tokio::spawn(admitted.serve(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection closed");
            }
        }));
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => tracing::warn!("open requests did not finish in time"),
    }
    Ok(())
}
