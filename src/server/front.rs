//! The front every request passes before the router.
//!
//! It first finds the tenant a `/t/<tenant>/` prefix names (creating it on first use), takes
//! the prefix off and runs the rest against that tenant's state and router. Then it reads the
//! body under the size limit (a larger body is still read to its end, then answered 413),
//! applies fault rules, turns a panic into the provider's internal error, and has the request
//! journaled, counted and logged ([`super::record`]).

use super::answers::{ReadBody, json, read_body, refused_answer, too_large};
use super::paths::{is_normal, normalize_path, with_path};
use super::record::{PendingEntry, RequestLine, elapsed_ms, fault_label, log, shown};
use crate::diagnosis::{Outcome, kernel_rules, near_miss};
use crate::faults::{Action, Decision};
use crate::journal::Head;
use crate::lenient::{Refusal, Refusals};
use crate::providers::Provider;
use crate::state::AppState;
use crate::tenants::name::Target;
use crate::tenants::{self, CreateError};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use bytes::Bytes;
use futures_util::FutureExt;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use tower::ServiceExt;

/// The header every answer under a provider path carries its journal id in.
pub const REQUEST_ID_HEADER: header::HeaderName =
    header::HeaderName::from_static("x-sandbox-request-id");

/// Returned to hyper to close a connection without an answer.
#[derive(Debug)]
pub struct CloseWithoutAnswer;

impl std::fmt::Display for CloseWithoutAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("closed without an answer")
    }
}

impl std::error::Error for CloseWithoutAnswer {}

pub(super) struct Front {
    router: Router,
    state: AppState,
    /// How the lenient front marks a malformed request it wants answered.
    refusals: Refusals,
}

impl Front {
    pub(super) fn new(router: Router, state: AppState, refusals: Refusals) -> Self {
        Front {
            router,
            state,
            refusals,
        }
    }

    /// Finds the tenant the path names and handles the request as that tenant's, with the
    /// prefix taken off; a bad name or a tenant that cannot be had is answered here.
    pub(super) async fn enter(
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
            return Ok(self
                .unrouted(parts, body, refused, &received, started)
                .await);
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
            state: &self.state,
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
        let mut response = self
            .answer(
                decision.action,
                refused,
                parts,
                body,
                provider,
                &mut journal_entry,
            )
            .await?;
        journal_entry.outcome =
            self.outcome_of(&mut response, provider, routed.inner_path, endpoint);
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

    /// A request under no provider's path (the control plane, the dashboard, an unknown
    /// path): answered and logged, not journaled.
    async fn unrouted(
        &self,
        parts: axum::http::request::Parts,
        body: ReadBody,
        refused: Option<Refusal>,
        received: &axum::http::Uri,
        started: Instant,
    ) -> Response<Body> {
        let method = parts.method.clone();
        let response = match (refused, body) {
            (Some(refusal), _) => refused_answer(None, &refusal),
            (None, ReadBody::Within(bytes)) => self.call(parts, bytes, None).await,
            (None, ReadBody::TooLarge(size)) => too_large(None, size),
        };
        log(&RequestLine {
            method: &method,
            path: &shown(&self.state, received.path()),
            status: Some(response.status()),
            duration_ms: elapsed_ms(started),
            provider: None,
            endpoint: None,
            code: None,
            fault: None,
        });
        response
    }

    /// A provider request's answer: the front's own (malformed, a fault, too large) or the
    /// router's. A `drop` or `timeout` fault closes the connection without one.
    async fn answer(
        &self,
        action: Option<Action>,
        refused: Option<Refusal>,
        parts: axum::http::request::Parts,
        body: ReadBody,
        provider: &dyn Provider,
        entry: &mut PendingEntry<'_>,
    ) -> Result<Response<Body>, CloseWithoutAnswer> {
        Ok(match action {
            _ if let Some(refusal) = &refused => Outcome::refused(
                kernel_rules::HTTP_MALFORMED
                    .diagnose()
                    .code(refusal.status.as_str().to_string())
                    .got(refusal.message.clone()),
            )
            .on(refused_answer(Some(provider), refusal)),
            Some(Action::Drop) => {
                entry.outcome = Some(Outcome::refused(kernel_rules::FAULT_DROP.diagnose()));
                return Err(CloseWithoutAnswer);
            }
            Some(Action::Timeout { hold }) => {
                entry.outcome = Some(Outcome::refused(kernel_rules::FAULT_TIMEOUT.diagnose()));
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
        })
    }

    /// How the request ended, for the journal and the report: what the handler noted, else
    /// why the path matched nothing, else the endpoint's documented success.
    fn outcome_of(
        &self,
        response: &mut Response<Body>,
        provider: &dyn Provider,
        inner_path: &str,
        endpoint: Option<&'static str>,
    ) -> Option<Outcome> {
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
        noted
            .or_else(|| self.unmatched_path(response, provider, inner_path, endpoint))
            .or_else(|| {
                let success = provider.success_code(endpoint?)?;
                response
                    .status()
                    .is_success()
                    .then(|| Outcome::success(success))
            })
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
