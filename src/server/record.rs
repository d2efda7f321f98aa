//! What is kept of each request once it ends: its journal entry, its count in the report and
//! its one log line, written however it ended (answered, closed, or abandoned by the client).

use crate::diagnosis::Outcome;
use crate::faults::Decision;
use crate::journal::{Head, Record};
use crate::state::AppState;
use axum::http::{Method, StatusCode};
use bytes::Bytes;
use std::borrow::Cow;
use std::time::Instant;

/// A provider request on its way, recorded in the journal (and logged) when dropped.
pub(super) struct PendingEntry<'a> {
    pub(super) id: u64,
    /// How the provider (or the front) says the request ended, and why.
    pub(super) outcome: Option<Outcome>,
    /// The tenant's state: its journal, report counters and URL prefix.
    pub(super) state: &'a AppState,
    pub(super) method: Method,
    /// The target as received, for the log line.
    pub(super) uri: &'a axum::http::Uri,
    /// None when the journal is off.
    pub(super) head: Option<Head>,
    pub(super) provider: &'static str,
    pub(super) endpoint: Option<&'static str>,
    pub(super) request_body: Bytes,
    pub(super) fault: Option<String>,
    pub(super) arrived: chrono::DateTime<chrono::FixedOffset>,
    pub(super) started: Instant,
    pub(super) status: Option<StatusCode>,
    pub(super) response_body: Bytes,
}

impl Drop for PendingEntry<'_> {
    fn drop(&mut self) {
        let duration_ms = elapsed_ms(self.started);
        let code = self.outcome.as_ref().map(|o| o.code.clone());
        if let (Some(endpoint), Some(code)) = (self.endpoint, &code) {
            self.state
                .outcomes
                .count(self.provider, endpoint, code, self.id, self.arrived);
        }
        let fault = self.fault.clone();
        // Journaled before the line is written, so whoever sees the line finds the entry.
        if let Some(head) = self.head.take() {
            self.state.journal.record(Record {
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
            path: &shown(self.state, self.uri.path()),
            status: self.status,
            duration_ms,
            provider: Some(self.provider),
            endpoint: self.endpoint,
            code: code.as_deref(),
            fault: fault.as_deref(),
        });
    }
}

pub(super) fn fault_label(decision: &Decision) -> Option<String> {
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

pub(super) fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// What the one line per request says.
pub(super) struct RequestLine<'a> {
    pub(super) method: &'a Method,
    pub(super) path: &'a str,
    pub(super) status: Option<StatusCode>,
    pub(super) duration_ms: f64,
    pub(super) provider: Option<&'a str>,
    pub(super) endpoint: Option<&'a str>,
    /// The provider's result code (`00`, `HASH-MISMATCH`, `58`).
    pub(super) code: Option<&'a str>,
    /// The fault rule that fired, when one did.
    pub(super) fault: Option<&'a str>,
}

/// The one line per request. Its fields are recorded straight into the subscriber's reused
/// buffer; nothing is formatted unless the line is enabled.
pub(super) fn log(line: &RequestLine<'_>) {
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

/// The path as the client sent it, with the tenant prefix, for the log line.
pub(super) fn shown<'a>(state: &AppState, path: &'a str) -> Cow<'a, str> {
    if state.prefix.is_empty() {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("{}{path}", state.prefix))
    }
}
