//! The request journal: every request under a provider prefix (or a root alias of one),
//! 404s included, with its response; bounded, newest first, secrets masked.
//!
//! Kept in memory (it is a debugging aid, not state): the oldest entries go first once the
//! limit is reached, and each body is kept up to [`BODY_LIMIT`] bytes, so memory stays flat
//! under any load.

use crate::mask::{mask_header, mask_query, mask_text};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// How much of a request or response body an entry keeps.
pub const BODY_LIMIT: usize = 16 * 1024;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Entry {
    /// Increases by one per request since start (or since the journal was cleared).
    pub id: u64,
    /// When the request arrived, on the sandbox clock.
    #[schema(value_type = String)]
    pub time: DateTime<FixedOffset>,
    pub provider: String,
    /// The endpoint name fault rules use, when the path names one.
    pub endpoint: Option<String>,
    pub method: String,
    pub path: String,
    /// The query string, percent-decoded as the providers read it, secrets masked.
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub body_truncated: bool,
    pub response: ResponseRecord,
    /// The fault rule that acted on the request (`latency`, `error`, `drop`, `timeout`).
    pub fault: Option<String>,
    pub duration_ms: f64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResponseRecord {
    /// None when the connection was dropped or timed out without an answer.
    pub status: Option<u16>,
    pub body: String,
    pub body_truncated: bool,
}

/// What the front records about one request before it is masked and kept.
pub struct Record<'a> {
    pub time: DateTime<FixedOffset>,
    pub provider: &'a str,
    pub endpoint: Option<&'a str>,
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a axum::http::HeaderMap,
    pub body: &'a [u8],
    pub status: Option<u16>,
    pub response_body: &'a [u8],
    pub fault: Option<&'a str>,
    pub duration_ms: f64,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct Filter {
    /// Only this provider's requests.
    pub provider: Option<String>,
    /// Only requests whose path contains this text.
    pub path: Option<String>,
    /// Only requests at or after this instant (RFC 3339).
    #[param(value_type = Option<String>)]
    pub since: Option<DateTime<FixedOffset>>,
    /// At most this many entries (default 100).
    pub limit: Option<usize>,
}

pub struct Journal {
    limit: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: VecDeque<Arc<Entry>>,
    next_id: u64,
}

impl Journal {
    pub fn new(limit: usize) -> Self {
        Journal {
            limit,
            inner: Mutex::default(),
        }
    }

    pub fn record(&self, record: Record<'_>) {
        if self.limit == 0 {
            return;
        }
        let (body, body_truncated) = keep(record.body);
        let (response_body, response_truncated) = keep(record.response_body);
        let query = record.query.map(mask_query);
        let headers = record
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes());
                (
                    name.as_str().to_string(),
                    mask_header(name.as_str(), &value),
                )
            })
            .collect();
        let mut inner = self.lock();
        inner.next_id += 1;
        let entry = Entry {
            id: inner.next_id,
            time: record.time,
            provider: record.provider.to_string(),
            endpoint: record.endpoint.map(str::to_string),
            method: record.method.to_string(),
            path: record.path.to_string(),
            query,
            headers,
            body: mask_text(&body),
            body_truncated,
            response: ResponseRecord {
                status: record.status,
                body: mask_text(&response_body),
                body_truncated: response_truncated,
            },
            fault: record.fault.map(str::to_string),
            duration_ms: record.duration_ms,
        };
        inner.entries.push_front(Arc::new(entry));
        inner.entries.truncate(self.limit);
    }

    /// Matching entries, newest first.
    pub fn list(&self, filter: &Filter) -> Vec<Arc<Entry>> {
        let limit = filter.limit.unwrap_or(100);
        self.lock()
            .entries
            .iter()
            .filter(|e| filter.provider.as_deref().is_none_or(|p| e.provider == p))
            .filter(|e| filter.path.as_deref().is_none_or(|p| e.path.contains(p)))
            .filter(|e| filter.since.is_none_or(|since| e.time >= since))
            .take(limit)
            .cloned()
            .collect()
    }

    pub fn clear(&self) {
        *self.lock() = Inner::default();
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The body as text, cut at [`BODY_LIMIT`] on a character boundary; a body that is not text
/// (a PDF receipt, say) is kept as a note of its size.
fn keep(bytes: &[u8]) -> (String, bool) {
    let truncated = bytes.len() > BODY_LIMIT;
    let kept = &bytes[..bytes.len().min(BODY_LIMIT)];
    match std::str::from_utf8(kept) {
        Ok(text) => (text.to_string(), truncated),
        // Only the last character was cut in two by the limit: keep what comes before it.
        Err(e) if e.error_len().is_none() => (
            String::from_utf8_lossy(&kept[..e.valid_up_to()]).into_owned(),
            truncated,
        ),
        Err(_) => (format!("<binary, {} bytes>", bytes.len()), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(journal: &Journal, path: &str) {
        journal.record(Record {
            time: DateTime::parse_from_rfc3339("2026-01-01T00:00:00+05:30").unwrap(),
            provider: "chillr",
            endpoint: None,
            method: "POST",
            path,
            query: None,
            headers: &axum::http::HeaderMap::new(),
            body: b"{}",
            status: Some(200),
            response_body: b"{}",
            fault: None,
            duration_ms: 1.0,
        });
    }

    #[test]
    fn the_journal_keeps_only_the_newest_entries() {
        let journal = Journal::new(3);
        for i in 0..10 {
            record(&journal, &format!("/chillr/{i}"));
        }
        let paths: Vec<_> = journal
            .list(&Filter::default())
            .iter()
            .map(|e| e.path.clone())
            .collect();
        assert_eq!(paths, ["/chillr/9", "/chillr/8", "/chillr/7"]);
    }

    #[test]
    fn binary_bodies_are_kept_as_their_size() {
        let (text, truncated) = keep(b"%PDF-1.7\n\xff\xfe\x00binary");
        assert_eq!(text, "<binary, 18 bytes>");
        assert!(!truncated);
    }

    #[test]
    fn long_bodies_are_cut() {
        let (text, truncated) = keep(&vec![b'a'; BODY_LIMIT + 10]);
        assert!(truncated);
        assert_eq!(text.len(), BODY_LIMIT);
    }
}
