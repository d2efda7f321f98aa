//! The accept loop and the front every request passes before the router.
//!
//! The front reads the body under the size limit (a larger body is still read to its end,
//! then answered 413), applies fault rules, turns a panic into the provider's internal
//! error, records the request journal and writes the one log line per request. It sits on
//! hyper directly, not on `axum::serve`, because a `drop` or `timeout` fault must be able to
//! close a connection without any answer, which an axum handler cannot do.

use crate::app::AppState;
use crate::connections::{Connections, Limits};
use crate::faults::{Action, Decision};
use crate::journal::{Head, Record};
use crate::lenient::{LenientStream, Refusal, Refusals};
use crate::providers::Provider;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use bytes::{Bytes, BytesMut};
use futures_util::FutureExt;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use serde_json::Value;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tower::ServiceExt;

#[cfg(test)]
mod tests {
    use super::{is_normal, normalize_path};

    #[test]
    fn paths_lose_repeated_and_trailing_slashes() {
        assert_eq!(
            normalize_path("//api/v1//get_payment_details/2/"),
            "/api/v1/get_payment_details/2"
        );
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("//"), "/");
        assert_eq!(normalize_path("/cpay/co"), "/cpay/co");
    }

    #[test]
    fn only_paths_that_normalising_changes_are_not_normal() {
        for path in [
            "/", "", "//", "/a", "/a/", "//a", "/a//b", "/a/b", "*", "a/b", "/a/b/", "/a.b",
        ] {
            assert_eq!(is_normal(path), normalize_path(path) == path, "{path:?}");
        }
    }
}

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
    let front = Front {
        router,
        state,
        refusals: refusals.clone(),
    };
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
                front.handle(request).await
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

/// Returned to hyper to close a connection without an answer.
#[derive(Debug)]
pub struct CloseWithoutAnswer;

impl std::fmt::Display for CloseWithoutAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("closed without an answer")
    }
}

impl std::error::Error for CloseWithoutAnswer {}

#[derive(Clone)]
struct Front {
    router: Router,
    state: AppState,
    /// How the lenient front marks a malformed request it wants answered.
    refusals: Refusals,
}

/// The request body, or how many bytes it had when it was over the limit.
enum ReadBody {
    Within(Bytes),
    TooLarge(usize),
}

impl Front {
    async fn handle(
        &self,
        request: Request<Incoming>,
    ) -> Result<Response<Body>, CloseWithoutAnswer> {
        let started = Instant::now();
        let arrived = self.state.clock.reading().now;
        let (mut parts, body) = request.into_parts();
        let refused = self.refusals.take(&mut parts.headers);
        // The journal and the log line keep the path as received (a clone of the `Uri` only
        // counts a reference); routing uses it normalised.
        let received = parts.uri.clone();
        let normalized;
        let path = if is_normal(received.path()) {
            received.path()
        } else {
            normalized = normalize_path(received.path());
            parts.uri = with_path(&parts.uri, &normalized);
            normalized.as_str()
        };
        let body = read_body(body, self.state.config.max_body)
            .await
            .map_err(|_| CloseWithoutAnswer)?;

        let Some(routed) = self.state.providers.route(path) else {
            let method = parts.method.clone();
            let response = match (refused, body) {
                (Some(refusal), _) => refused_answer(None, &refusal),
                (None, ReadBody::Within(bytes)) => self.call(parts, bytes, None).await,
                (None, ReadBody::TooLarge(size)) => too_large(None, size),
            };
            log(
                &method,
                received.path(),
                Some(response.status()),
                elapsed_ms(started),
                None,
            );
            return Ok(response);
        };
        let provider = routed.provider;
        let endpoint = provider.endpoint_of(routed.inner_path);
        let decision = match refused {
            Some(_) => Decision::default(),
            None => self.state.faults.decide(provider.name(), endpoint),
        };
        // Journals the request when this function ends, whether it answered, closed the
        // connection, or was abandoned mid-way because the client gave up (hyper then drops
        // this future, as it does during a `timeout` hold). The head is copied for the journal
        // now, so the request's own head can go to the router without a clone.
        let mut journal_entry = PendingEntry {
            front: self,
            method: parts.method.clone(),
            uri: &received,
            head: self
                .state
                .journal
                .is_on()
                .then(|| Head::new(received.path(), received.query(), &parts.headers)),
            provider: provider.name(),
            endpoint,
            request_body: match &body {
                ReadBody::Within(bytes) => bytes.clone(),
                ReadBody::TooLarge(_) => Bytes::new(),
            },
            fault: fault_label(&decision),
            arrived,
            started,
            status: None,
            response_body: Bytes::new(),
        };

        if !decision.delay.is_zero() {
            tokio::time::sleep(decision.delay).await;
        }
        let response = match decision.action {
            _ if let Some(refusal) = &refused => refused_answer(Some(provider), refusal),
            Some(Action::Drop) => return Err(CloseWithoutAnswer),
            Some(Action::Timeout { hold }) => {
                tokio::time::sleep(hold).await;
                return Err(CloseWithoutAnswer);
            }
            Some(Action::Error { status }) => json(
                status
                    .and_then(|s| StatusCode::from_u16(s).ok())
                    .unwrap_or(StatusCode::OK),
                provider.outage_body(),
            ),
            None => match body {
                ReadBody::Within(bytes) => self.call(parts, bytes, Some(provider)).await,
                ReadBody::TooLarge(size) => too_large(Some(provider), size),
            },
        };
        let (head, body) = response.into_parts();
        let bytes = body
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        journal_entry.status = Some(head.status);
        journal_entry.response_body = bytes.clone();
        Ok(Response::from_parts(head, Body::from(bytes)))
    }

    /// Runs the router; a panic becomes the provider's internal error (or a plain 500 on the
    /// control plane), and a bare 405 gets the provider's envelope.
    async fn call(
        &self,
        parts: axum::http::request::Parts,
        body: Bytes,
        provider: Option<&dyn Provider>,
    ) -> Response<Body> {
        let method = parts.method.clone();
        let request = Request::from_parts(parts, Body::from(body));
        let call = self.router.clone().oneshot(request);
        let response = match AssertUnwindSafe(call).catch_unwind().await {
            Ok(Ok(response)) => response,
            Ok(Err(never)) => match never {},
            Err(panic) => {
                let cause = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown");
                tracing::error!(cause, "a handler panicked");
                return match provider {
                    Some(provider) => json(StatusCode::OK, provider.outage_body()),
                    None => json(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        serde_json::json!({"error": "internal error"}),
                    ),
                };
            }
        };
        match provider {
            Some(provider) if response.status() == StatusCode::METHOD_NOT_ALLOWED => {
                let allow = response.headers().get(header::ALLOW).cloned();
                let message = format!("Method {method} is not allowed here");
                let mut replaced = json(
                    StatusCode::METHOD_NOT_ALLOWED,
                    provider.http_error_body(StatusCode::METHOD_NOT_ALLOWED, &message),
                );
                if let Some(allow) = allow {
                    replaced.headers_mut().insert(header::ALLOW, allow);
                }
                replaced
            }
            _ => response,
        }
    }
}

/// Whether [`normalize_path`] would give the path back unchanged, as it does for nearly every
/// request: then it is not copied.
fn is_normal(path: &str) -> bool {
    path == "/" || (path.starts_with('/') && !path.ends_with('/') && !path.contains("//"))
}

/// Repeated slashes collapsed and a trailing slash dropped (`//api/v1/x/` is `/api/v1/x`), as
/// the real services tolerate both (one real client sends `//api/v1/...`).
pub fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

fn with_path(uri: &axum::http::Uri, path: &str) -> axum::http::Uri {
    let target = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    let mut builder = axum::http::Uri::builder();
    if let Some(scheme) = uri.scheme() {
        builder = builder.scheme(scheme.clone());
    }
    if let Some(authority) = uri.authority() {
        builder = builder.authority(authority.clone());
    }
    builder
        .path_and_query(target)
        .build()
        .unwrap_or_else(|_| uri.clone())
}

/// A provider request on its way, recorded in the journal (and logged) when dropped.
struct PendingEntry<'a> {
    front: &'a Front,
    method: Method,
    /// The target as received, for the log line.
    uri: &'a axum::http::Uri,
    /// None when the journal is off.
    head: Option<Head>,
    provider: &'static str,
    endpoint: Option<&'static str>,
    request_body: Bytes,
    fault: Option<String>,
    arrived: chrono::DateTime<chrono::FixedOffset>,
    started: Instant,
    status: Option<StatusCode>,
    response_body: Bytes,
}

impl Drop for PendingEntry<'_> {
    fn drop(&mut self) {
        let duration_ms = elapsed_ms(self.started);
        // Journaled before the line is written, so whoever sees the line finds the entry.
        if let Some(head) = self.head.take() {
            self.front.state.journal.record(Record {
                time: self.arrived,
                provider: self.provider,
                endpoint: self.endpoint,
                method: self.method.clone(),
                head,
                body: std::mem::take(&mut self.request_body),
                status: self.status.map(|s| s.as_u16()),
                response_body: std::mem::take(&mut self.response_body),
                fault: self.fault.take(),
                duration_ms,
            });
        }
        log(
            &self.method,
            self.uri.path(),
            self.status,
            duration_ms,
            Some(self.provider),
        );
    }
}

/// Reads the whole body; past `max` it keeps reading (so the connection is not reset) but
/// keeps nothing.
async fn read_body(mut body: Incoming, max: usize) -> Result<ReadBody, hyper::Error> {
    let mut kept = BytesMut::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            total = total.saturating_add(data.len());
            if total <= max {
                kept.extend_from_slice(&data);
            } else if !kept.is_empty() {
                kept = BytesMut::new();
            }
        }
    }
    Ok(if total > max {
        ReadBody::TooLarge(total)
    } else {
        ReadBody::Within(kept.freeze())
    })
}

fn too_large(provider: Option<&dyn Provider>, size: usize) -> Response<Body> {
    let message = format!("The request body ({size} bytes) is over the sandbox's limit");
    let body = match provider {
        Some(provider) => provider.http_error_body(StatusCode::PAYLOAD_TOO_LARGE, &message),
        None => serde_json::json!({"error": message}),
    };
    json(StatusCode::PAYLOAD_TOO_LARGE, body)
}

/// The answer to a request the lenient front refused (malformed HTTP): the connection closes.
fn refused_answer(provider: Option<&dyn Provider>, refusal: &Refusal) -> Response<Body> {
    let body = match provider {
        Some(provider) => provider.http_error_body(refusal.status, &refusal.message),
        None => serde_json::json!({"error": refusal.message}),
    };
    let mut response = json(refusal.status, body);
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}

fn json(status: StatusCode, body: Value) -> Response<Body> {
    (status, axum::Json(body)).into_response()
}

fn fault_label(decision: &Decision) -> Option<String> {
    (!decision.fired.is_empty()).then(|| {
        decision
            .fired
            .iter()
            .map(|k| {
                serde_json::to_value(k)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join("+")
    })
}

fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// The one line per request. Its fields are recorded straight into the subscriber's reused
/// buffer; nothing is formatted unless the line is enabled.
fn log(
    method: &Method,
    path: &str,
    status: Option<StatusCode>,
    duration_ms: f64,
    provider: Option<&str>,
) {
    if !tracing::enabled!(target: "paysandbox::request", tracing::Level::INFO) {
        return;
    }
    let message = match status {
        Some(_) => "request",
        None => "request closed without an answer",
    };
    let status_code = status.map(|s| s.as_u16());
    if crate::log_output::request_line(
        message,
        method.as_str(),
        path,
        status_code,
        duration_ms,
        provider,
    ) {
        return;
    }
    match status_code {
        Some(status) => tracing::info!(
            target: "paysandbox::request",
            %method, path, status, duration_ms, provider, "request"
        ),
        None => tracing::info!(
            target: "paysandbox::request",
            %method, path, duration_ms, provider, "request closed without an answer"
        ),
    }
}
