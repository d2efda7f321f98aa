//! The accept loop and the front every request passes before the router.
//!
//! The front first finds the tenant a `/t/<tenant>/` prefix names (creating it on first use),
//! takes the prefix off and runs the rest against that tenant's state and router.
//!
//! The front reads the body under the size limit (a larger body is still read to its end,
//! then answered 413), applies fault rules, turns a panic into the provider's internal
//! error, records the request journal and writes the one log line per request. It sits on
//! hyper directly, not on `axum::serve`, because a `drop` or `timeout` fault must be able to
//! close a connection without any answer, which an axum handler cannot do.

use crate::app::AppState;
use crate::connections::{Connections, Limits};
use crate::diagnosis::{Outcome, kernel_rules, near_miss};
use crate::faults::{Action, Decision};
use crate::journal::{Head, Record};
use crate::lenient::{LenientStream, Refusal, Refusals};
use crate::providers::Provider;
use crate::tenants::name::Target;
use crate::tenants::{self, CreateError};
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
use std::borrow::Cow;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// The header every answer under a provider path carries its journal id in.
pub const REQUEST_ID_HEADER: header::HeaderName =
    header::HeaderName::from_static("x-sandbox-request-id");

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
    // Shared, not cloned, per request: a `Front` holds a dozen reference counts.
    let front = Arc::new(Front {
        router,
        state,
        refusals: refusals.clone(),
    });
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
    /// Finds the tenant the path names and handles the request as that tenant's, with the
    /// prefix taken off; a bad name or a tenant that cannot be had is answered here.
    async fn enter(
        &self,
        mut request: Request<Incoming>,
    ) -> Result<Response<Body>, CloseWithoutAnswer> {
        let (status, message, rest) = match tenants::name::target(request.uri().path()) {
            Target::Default => return self.handle(request).await,
            Target::Named { name, rest, .. } => match self.tenant(name).await {
                Ok(tenant) => {
                    let rest = if rest.is_empty() { "/" } else { rest }.to_string();
                    let uri = with_path(request.uri(), &rest);
                    *request.uri_mut() = uri;
                    return tenant.handle(request).await;
                }
                Err(e @ CreateError::Limit(_)) => {
                    (StatusCode::SERVICE_UNAVAILABLE, e.to_string(), rest)
                }
                Err(e) => {
                    tracing::error!(tenant = name, error = %e, "cannot create a tenant");
                    (StatusCode::SERVICE_UNAVAILABLE, e.to_string(), rest)
                }
            },
            Target::BadName { problem, rest, .. } => (StatusCode::NOT_FOUND, problem, rest),
        };
        let started = Instant::now();
        let rest = normalize_path(rest);
        let (parts, body) = request.into_parts();
        let _ = read_body(body, self.state.config.max_body).await;
        let response = json(
            status,
            tenants::front::error_body(&self.state.providers, &rest, status, &message),
        );
        log(&RequestLine {
            method: &parts.method,
            path: parts.uri.path(),
            status: Some(status),
            duration_ms: elapsed_ms(started),
            provider: None,
            endpoint: None,
            code: None,
            fault: None,
        });
        Ok(response)
    }

    /// The front of a named tenant.
    async fn tenant(&self, name: &str) -> Result<Front, CreateError> {
        let registry = self
            .state
            .tenants
            .as_ref()
            .ok_or_else(|| CreateError::Failed("this sandbox has no tenants".into()))?;
        let tenant = registry.get_or_create(name).await?;
        Ok(Front {
            router: tenant.router.clone(),
            state: tenant.state.clone(),
            refusals: self.refusals.clone(),
        })
    }

    /// The path as the client sent it, with the tenant prefix, for the log line.
    fn shown<'a>(&self, path: &'a str) -> Cow<'a, str> {
        if self.state.prefix.is_empty() {
            Cow::Borrowed(path)
        } else {
            Cow::Owned(format!("{}{path}", self.state.prefix))
        }
    }

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

        let routed = self.state.providers.route(path);
        let routed = routed.or_else(|| self.state.providers.near(path));
        let Some(routed) = routed else {
            let method = parts.method.clone();
            let response = match (refused, body) {
                (Some(refusal), _) => refused_answer(None, &refusal),
                (None, ReadBody::Within(bytes)) => self.call(parts, bytes, None).await,
                (None, ReadBody::TooLarge(size)) => too_large(None, size),
            };
            log(&RequestLine {
                method: &method,
                path: &self.shown(received.path()),
                status: Some(response.status()),
                duration_ms: elapsed_ms(started),
                provider: None,
                endpoint: None,
                code: None,
                fault: None,
            });
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
        let id = self.state.journal.next_id();
        let mut journal_entry = PendingEntry {
            id,
            outcome: None,
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
        let mut response = match decision.action {
            _ if let Some(refusal) = &refused => Outcome::refused(
                kernel_rules::HTTP_MALFORMED
                    .diagnose()
                    .code(refusal.status.as_str().to_string())
                    .got(refusal.message.clone()),
            )
            .on(refused_answer(Some(provider), refusal)),
            Some(Action::Drop) => {
                journal_entry.outcome = Some(Outcome::refused(kernel_rules::FAULT_DROP.diagnose()));
                return Err(CloseWithoutAnswer);
            }
            Some(Action::Timeout { hold }) => {
                journal_entry.outcome =
                    Some(Outcome::refused(kernel_rules::FAULT_TIMEOUT.diagnose()));
                tokio::time::sleep(hold).await;
                return Err(CloseWithoutAnswer);
            }
            Some(Action::Error { status }) => {
                Outcome::refused(kernel_rules::FAULT_ERROR.diagnose()).on(json(
                    status
                        .and_then(|s| StatusCode::from_u16(s).ok())
                        .unwrap_or(StatusCode::OK),
                    provider.outage_body(),
                ))
            }
            None => match body {
                ReadBody::Within(bytes) => self.call(parts, bytes, Some(provider)).await,
                ReadBody::TooLarge(size) => Outcome::refused(
                    kernel_rules::BODY_TOO_LARGE
                        .diagnose()
                        .got(format!("{size} bytes"))
                        .expected(format!("at most {} bytes", self.state.config.max_body)),
                )
                .on(too_large(Some(provider), size)),
            },
        };
        let noted = response.extensions_mut().remove::<Outcome>();
        // A success may note facts (an order number) without a code: its code is the
        // endpoint's documented success.
        let noted = noted.map(|mut outcome| {
            if outcome.code.is_empty()
                && let Some(success) = endpoint.and_then(|e| provider.success_code(e))
            {
                outcome.code = success.into();
            }
            outcome
        });
        journal_entry.outcome = noted
            .or_else(|| self.unmatched_path(&response, provider, routed.inner_path, endpoint))
            .or_else(|| {
                let success = provider.success_code(endpoint?)?;
                response
                    .status()
                    .is_success()
                    .then(|| Outcome::success(success))
            });
        response
            .headers_mut()
            .insert(REQUEST_ID_HEADER, header::HeaderValue::from(id));
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
                    Some(provider) => Outcome::refused(kernel_rules::HANDLER_PANIC.diagnose())
                        .on(json(StatusCode::OK, provider.outage_body())),
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
                let mut diagnosis = kernel_rules::METHOD_NOT_ALLOWED
                    .diagnose()
                    .got(method.to_string());
                if let Some(allowed) = allow.as_ref().and_then(|a| a.to_str().ok()) {
                    diagnosis = diagnosis.expected(allowed.to_string());
                }
                let mut replaced = Outcome::refused(diagnosis).on(json(
                    StatusCode::METHOD_NOT_ALLOWED,
                    provider.http_error_body(StatusCode::METHOD_NOT_ALLOWED, &message),
                ));
                if let Some(allow) = allow {
                    replaced.headers_mut().insert(header::ALLOW, allow);
                }
                replaced
            }
            _ => response,
        }
    }
}

impl Front {
    /// Why a provider's path matched no route (its router's bare 404): a documented endpoint
    /// of another provider, or the endpoints whose names are closest.
    fn unmatched_path(
        &self,
        response: &Response<Body>,
        provider: &dyn Provider,
        inner_path: &str,
        endpoint: Option<&'static str>,
    ) -> Option<Outcome> {
        if response.status() != StatusCode::NOT_FOUND || endpoint.is_some() {
            return None;
        }
        let owner = self.state.providers.iter().find(|other| {
            other.name() != provider.name() && other.endpoint_of(inner_path).is_some()
        });
        let diagnosis = match owner {
            Some(owner) => kernel_rules::PATH_OTHER_PROVIDER
                .diagnose()
                .field("path")
                .got(inner_path.to_string())
                .expected(format!("/{}{inner_path}", owner.name()))
                .hint(format!(
                    "{inner_path} is an endpoint of {}, not of {}: send it under /{}.",
                    owner.name(),
                    provider.name(),
                    owner.name()
                )),
            None => {
                let close = near_miss::suggest(inner_path, provider.endpoints());
                let diagnosis = kernel_rules::PATH_UNKNOWN
                    .diagnose()
                    .field("path")
                    .got(inner_path.to_string());
                match close.first() {
                    Some(best) => diagnosis
                        .expected(close.join(" | "))
                        .hint(format!("Did you mean {best}?")),
                    None => diagnosis.expected(provider.endpoints().join(", ")).hint(
                        "No endpoint name is close; `expected` lists this provider's endpoints.",
                    ),
                }
            }
        };
        Some(Outcome::refused(diagnosis))
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
    id: u64,
    /// How the provider (or the front) says the request ended, and why.
    outcome: Option<Outcome>,
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
        let code = self.outcome.as_ref().map(|o| o.code.clone());
        if let (Some(endpoint), Some(code)) = (self.endpoint, &code) {
            self.front
                .state
                .outcomes
                .count(self.provider, endpoint, code, self.id, self.arrived);
        }
        let fault = self.fault.clone();
        // Journaled before the line is written, so whoever sees the line finds the entry.
        if let Some(head) = self.head.take() {
            self.front.state.journal.record(Record {
                id: self.id,
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
                outcome: self.outcome.take(),
            });
        }
        log(&RequestLine {
            method: &self.method,
            path: &self.front.shown(self.uri.path()),
            status: self.status,
            duration_ms,
            provider: Some(self.provider),
            endpoint: self.endpoint,
            code: code.as_deref(),
            fault: fault.as_deref(),
        });
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

/// What the one line per request says.
struct RequestLine<'a> {
    method: &'a Method,
    path: &'a str,
    status: Option<StatusCode>,
    duration_ms: f64,
    provider: Option<&'a str>,
    endpoint: Option<&'a str>,
    /// The provider's result code (`00`, `HASH-MISMATCH`, `58`).
    code: Option<&'a str>,
    /// The fault rule that fired, when one did.
    fault: Option<&'a str>,
}

/// The one line per request. Its fields are recorded straight into the subscriber's reused
/// buffer; nothing is formatted unless the line is enabled.
fn log(line: &RequestLine<'_>) {
    if !tracing::enabled!(target: "paysandbox::request", tracing::Level::INFO) {
        return;
    }
    let message = match line.status {
        Some(_) => "request",
        None => "request closed without an answer",
    };
    let status = line.status.map(|s| s.as_u16());
    let fields = crate::log_output::RequestFields {
        method: line.method.as_str(),
        path: line.path,
        status,
        duration_ms: line.duration_ms,
        provider: line.provider,
        endpoint: line.endpoint,
        code: line.code,
        fault: line.fault,
    };
    if crate::log_output::request_line(message, &fields) {
        return;
    }
    let (method, path, duration_ms) = (line.method, line.path, line.duration_ms);
    let (provider, endpoint, code, fault) = (line.provider, line.endpoint, line.code, line.fault);
    match status {
        Some(status) => tracing::info!(
            target: "paysandbox::request",
            %method, path, status, duration_ms, provider, endpoint, code, fault, "request"
        ),
        None => tracing::info!(
            target: "paysandbox::request",
            %method, path, duration_ms, provider, endpoint, code, fault,
            "request closed without an answer"
        ),
    }
}
