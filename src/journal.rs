//! The request journal: every request under a provider prefix (or a root alias of one),
//! 404s included, with its response; bounded, newest first, secrets masked.
//!
//! Kept in memory (it is a debugging aid, not state): the oldest entries go first once the
//! limit is reached, and each body is kept up to [`BODY_LIMIT`] bytes, so memory stays flat
//! under any load. Masking waits until the journal is listed, except for a request body
//! over the limit: that one is masked while it is whole (a secret cut in two could not be
//! decoded), then cut.

use crate::diagnosis::{Diagnosis, Fact, Outcome};
use crate::mask::Masker;
use axum::http::{HeaderMap, Method};
use bytes::Bytes;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// How much of a request or response body an entry keeps.
pub const BODY_LIMIT: usize = 16 * 1024;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Entry {
    /// The request id: increases by one per request since start (clearing the journal or
    /// resetting the sandbox does not start it again, so an id never names two requests).
    /// The answer carried it in `X-Sandbox-Request-Id`.
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
    /// The provider's result code (`00`, `HASH-MISMATCH`, `58`), when the answer had one.
    pub code: Option<String>,
    /// Why the request was refused; null for a success.
    pub diagnosis: Option<Diagnosis>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResponseRecord {
    /// None when the connection was dropped or timed out without an answer.
    pub status: Option<u16>,
    pub body: String,
    pub body_truncated: bool,
}

/// What the front hands over about one request. Recording it only copies the request head
/// and moves the rest: masking and text conversion wait until the journal is listed, which is
/// rare next to the requests themselves.
pub struct Record {
    pub id: u64,
    pub time: DateTime<FixedOffset>,
    pub provider: &'static str,
    pub endpoint: Option<&'static str>,
    pub method: Method,
    pub head: Head,
    pub body: Bytes,
    pub status: Option<u16>,
    pub response_body: Bytes,
    pub fault: Option<String>,
    pub duration_ms: f64,
    pub outcome: Option<Outcome>,
}

/// The path, query and headers of a request as received, copied into one buffer.
///
/// Copied rather than kept as the request's `Uri` and `HeaderMap`: hyper's header values and
/// path are slices of the connection's read buffer, so holding them would keep one read
/// buffer alive per journaled request.
pub struct Head {
    /// The path, the query, then each header's name and value, back to back.
    text: Box<[u8]>,
    path_end: usize,
    /// Where the query ends, when the request had one (it may be empty).
    query_end: Option<usize>,
    /// Where each header's name and its value end in `text`, in the map's order.
    headers: Box<[(usize, usize)]>,
}

impl Head {
    pub fn new(path: &str, query: Option<&str>, headers: &HeaderMap) -> Self {
        let size = path.len()
            + query.map_or(0, str::len)
            + headers
                .iter()
                .map(|(name, value)| name.as_str().len() + value.len())
                .sum::<usize>();
        let mut text = Vec::with_capacity(size);
        text.extend_from_slice(path.as_bytes());
        let path_end = text.len();
        let query_end = query.map(|query| {
            text.extend_from_slice(query.as_bytes());
            text.len()
        });
        let mut ends = Vec::with_capacity(headers.len());
        for (name, value) in headers {
            text.extend_from_slice(name.as_str().as_bytes());
            let name_end = text.len();
            text.extend_from_slice(value.as_bytes());
            ends.push((name_end, text.len()));
        }
        Head {
            text: text.into_boxed_slice(),
            path_end,
            query_end,
            headers: ends.into_boxed_slice(),
        }
    }

    fn path(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.text[..self.path_end])
    }

    fn query(&self) -> Option<Cow<'_, str>> {
        self.query_end
            .map(|end| String::from_utf8_lossy(&self.text[self.path_end..end]))
    }

    /// The `Content-Type` header's value, if any (multipart bodies need its boundary).
    fn content_type(&self) -> Option<String> {
        self.headers()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.into_owned())
    }

    fn headers(&self) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
        let mut start = self.query_end.unwrap_or(self.path_end);
        self.headers.iter().map(move |&(name_end, value_end)| {
            let name = String::from_utf8_lossy(&self.text[start..name_end]);
            let value = String::from_utf8_lossy(&self.text[name_end..value_end]);
            start = value_end;
            (name, value)
        })
    }
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
    /// Only requests answered with this provider result code or HTTP status.
    pub code: Option<String>,
}

pub struct Journal {
    limit: usize,
    masker: Masker,
    inner: Mutex<Inner>,
    /// The last request id given out.
    last_id: AtomicU64,
}

#[derive(Default)]
struct Inner {
    /// Newest first (in the order they finished), with their ids.
    entries: VecDeque<(u64, Arc<Kept>)>,
}

/// A request as recorded: raw, bodies cut to [`BODY_LIMIT`].
struct Kept {
    time: DateTime<FixedOffset>,
    provider: &'static str,
    endpoint: Option<&'static str>,
    method: Method,
    head: Head,
    body: KeptBody,
    status: Option<u16>,
    response_body: KeptBody,
    fault: Option<String>,
    duration_ms: f64,
    outcome: Option<Outcome>,
}

impl Journal {
    /// A journal of at most `limit` entries, masked by `masker`.
    pub fn new(limit: usize, masker: Masker) -> Self {
        Journal {
            limit,
            masker,
            inner: Mutex::default(),
            last_id: AtomicU64::new(0),
        }
    }

    /// The id of a request that just arrived (given out whether or not it is kept).
    pub fn next_id(&self) -> u64 {
        self.last_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Whether requests are kept at all (a limit of 0 turns the journal off), so the front
    /// can skip building a [`Record`].
    pub fn is_on(&self) -> bool {
        self.limit > 0
    }

    pub fn record(&self, record: Record) {
        if !self.is_on() {
            return;
        }
        let content_type = record.head.content_type();
        let body = KeptBody::request(record.body, &self.masker, content_type.as_deref());
        let response_body = KeptBody::response(record.response_body);
        let kept = Arc::new(Kept {
            time: record.time,
            provider: record.provider,
            endpoint: record.endpoint,
            method: record.method,
            head: record.head,
            body,
            status: record.status,
            response_body,
            fault: record.fault,
            duration_ms: record.duration_ms,
            outcome: record.outcome,
        });
        let evicted = {
            let mut inner = self.lock();
            inner.entries.push_front((record.id, kept));
            if inner.entries.len() > self.limit {
                inner.entries.pop_back()
            } else {
                None
            }
        };
        // Freed outside the lock.
        drop(evicted);
    }

    /// Matching entries, newest first, masked.
    pub fn list(&self, filter: &Filter) -> Vec<Entry> {
        let limit = filter.limit.unwrap_or(100);
        let matching: Vec<(u64, Arc<Kept>)> = self
            .lock()
            .entries
            .iter()
            .filter(|(_, e)| filter.provider.as_deref().is_none_or(|p| e.provider == p))
            .filter(|(_, e)| {
                filter
                    .path
                    .as_deref()
                    .is_none_or(|p| e.head.path().contains(p))
            })
            .filter(|(_, e)| filter.since.is_none_or(|since| e.time >= since))
            .filter(|(_, e)| filter.code.as_deref().is_none_or(|c| e.answered_with(c)))
            .take(limit)
            .cloned()
            .collect();
        matching
            .iter()
            .map(|(id, kept)| kept.entry(*id, &self.masker))
            .collect()
    }

    /// The entry of one request, masked, while the journal still keeps it.
    pub fn get(&self, id: u64) -> Option<Entry> {
        let kept = self
            .lock()
            .entries
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, kept)| kept.clone())?;
        Some(kept.entry(id, &self.masker))
    }

    /// What the report's lint rules see of one provider's kept requests, oldest first.
    pub fn traffic(&self, provider: &str, since: Option<DateTime<FixedOffset>>) -> Vec<Traffic> {
        let mut traffic: Vec<Traffic> = self
            .lock()
            .entries
            .iter()
            .filter(|(_, e)| e.provider == provider)
            .filter(|(_, e)| since.is_none_or(|since| e.time >= since))
            .map(|(id, e)| Traffic {
                id: *id,
                kept: e.clone(),
            })
            .collect();
        traffic.sort_by_key(|t| t.id);
        traffic
    }

    pub fn clear(&self) {
        let old = std::mem::take(&mut *self.lock());
        drop(old);
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

impl Kept {
    /// Whether the answer carried this provider result code or had this HTTP status.
    fn answered_with(&self, code: &str) -> bool {
        let result = self.outcome.as_ref().map(|o| o.code.as_ref());
        result == Some(code) || self.status.is_some_and(|s| s.to_string() == code)
    }

    /// The entry as listed: text, secrets masked.
    fn entry(&self, id: u64, masker: &Masker) -> Entry {
        let content_type = self.head.content_type();
        let (body, body_truncated) = self.body.text(masker, content_type.as_deref());
        let (response_body, response_truncated) = self.response_body.text(masker, None);
        Entry {
            id,
            time: self.time,
            provider: self.provider.to_string(),
            endpoint: self.endpoint.map(str::to_string),
            method: self.method.as_str().to_string(),
            path: self.head.path().into_owned(),
            query: self.head.query().map(|query| masker.query(&query)),
            headers: self
                .head
                .headers()
                .map(|(name, value)| {
                    let masked = masker.header(&name, &value);
                    (name.into_owned(), masked)
                })
                .collect(),
            body,
            body_truncated,
            response: ResponseRecord {
                status: self.status,
                body: response_body,
                body_truncated: response_truncated,
            },
            fault: self.fault.clone(),
            duration_ms: self.duration_ms,
            code: self.outcome.as_ref().map(|o| o.code.to_string()),
            diagnosis: self
                .outcome
                .as_ref()
                .and_then(|o| o.diagnosis.as_deref())
                .cloned(),
        }
    }
}

/// What a lint rule sees of one kept request: its outcome, the facts its handler noted, and
/// its query and body as received (not masked: a lint may read a secret to judge a request,
/// but never puts a value into a finding).
#[derive(Clone)]
pub struct Traffic {
    pub id: u64,
    kept: Arc<Kept>,
}

impl Traffic {
    pub fn time(&self) -> DateTime<FixedOffset> {
        self.kept.time
    }

    pub fn endpoint(&self) -> Option<&'static str> {
        self.kept.endpoint
    }

    pub fn method(&self) -> &Method {
        &self.kept.method
    }

    /// None when the connection closed without an answer.
    pub fn status(&self) -> Option<u16> {
        self.kept.status
    }

    /// The provider's result code.
    pub fn code(&self) -> Option<&str> {
        self.kept.outcome.as_ref().map(|o| o.code.as_ref())
    }

    /// The rule of its diagnosis, when it was refused.
    pub fn rule(&self) -> Option<&'static str> {
        self.kept
            .outcome
            .as_ref()
            .and_then(|o| o.diagnosis.as_ref())
            .map(|d| d.rule)
    }

    /// A fact its handler noted (`Outcome::noting`).
    pub fn fact(&self, name: &str) -> Option<&str> {
        self.facts()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn facts(&self) -> &[Fact] {
        self.kept
            .outcome
            .as_ref()
            .map_or(&[], |o| o.facts.as_slice())
    }

    /// The query string as received.
    pub fn query(&self) -> Option<Cow<'_, str>> {
        self.kept.head.query()
    }

    pub fn content_type(&self) -> Option<String> {
        self.kept.head.content_type()
    }

    /// The body as received (up to [`BODY_LIMIT`]; a longer one is kept masked, a binary one
    /// is empty).
    pub fn body(&self) -> Cow<'_, str> {
        match &self.kept.body {
            KeptBody::Raw { bytes, .. } => String::from_utf8_lossy(bytes),
            KeptBody::Cut(text) => Cow::Borrowed(text),
            KeptBody::Binary(_) => Cow::Borrowed(""),
        }
    }
}

/// A body as the journal keeps it.
enum KeptBody {
    /// Up to [`BODY_LIMIT`] bytes as received (of `len`), masked when listed.
    Raw { bytes: Bytes, len: usize },
    /// A longer request body, masked while it was whole, then cut at [`BODY_LIMIT`] on a
    /// character boundary.
    Cut(Box<str>),
    /// A body that is not text (a PDF receipt, say), kept as a note of its size.
    Binary(usize),
}

impl KeptBody {
    /// A request body. One over the limit is masked now, while whole: a secret the limit cut
    /// in two could not be decoded. That costs time on the way to the answer, but only for
    /// the rare request over 16 KiB.
    fn request(bytes: Bytes, masker: &Masker, content_type: Option<&str>) -> Self {
        let len = bytes.len();
        if len <= BODY_LIMIT {
            return KeptBody::Raw { bytes, len };
        }
        if is_binary(&bytes[..BODY_LIMIT]) {
            return KeptBody::Binary(len);
        }
        let masked = masker.body(content_type, &String::from_utf8_lossy(&bytes));
        KeptBody::Cut(masked[..floor_char_boundary(&masked, BODY_LIMIT)].into())
    }

    /// A response body: the sandbox's own answer, where no client secret is expected, so a
    /// long one (a listing of megabytes) is cut first and masked when listed, off the path of
    /// the answer. A cut JSON answer that names a secret is then not shown.
    fn response(bytes: Bytes) -> Self {
        let len = bytes.len();
        let bytes = if len > BODY_LIMIT {
            // Copied, not sliced: a slice would keep the whole body alive with the entry.
            Bytes::copy_from_slice(&bytes[..BODY_LIMIT])
        } else {
            bytes
        };
        KeptBody::Raw { bytes, len }
    }

    /// The body as masked text, and whether it was cut.
    fn text(&self, masker: &Masker, content_type: Option<&str>) -> (String, bool) {
        match self {
            KeptBody::Raw { bytes, len } => match std::str::from_utf8(bytes) {
                Ok(text) => (masker.body(content_type, text), *len > BODY_LIMIT),
                // Only the last character was cut in two: keep what comes before it.
                Err(e) if e.error_len().is_none() => {
                    let text = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
                    (masker.body(content_type, &text), *len > BODY_LIMIT)
                }
                Err(_) => (binary(*len), false),
            },
            KeptBody::Cut(text) => (text.to_string(), true),
            KeptBody::Binary(len) => (binary(*len), false),
        }
    }
}

/// Whether bytes are not text: invalid UTF-8 other than a character cut at the end.
fn is_binary(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_err_and(|e| e.error_len().is_some())
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut end = at.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

fn binary(len: usize) -> String {
    format!("<binary, {len} bytes>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(journal: &Journal, path: &str) {
        journal.record(Record {
            id: journal.next_id(),
            time: DateTime::parse_from_rfc3339("2026-01-01T00:00:00+05:30").unwrap(),
            provider: "acme",
            endpoint: None,
            method: Method::POST,
            head: Head::new(path, None, &HeaderMap::new()),
            body: Bytes::from_static(b"{}"),
            status: Some(200),
            response_body: Bytes::from_static(b"{}"),
            fault: None,
            duration_ms: 1.0,
            outcome: None,
        });
    }

    fn masker() -> Masker {
        Masker::new(["mpin", "password"])
    }

    fn as_text(body: Vec<u8>) -> (String, bool) {
        let body = KeptBody::request(Bytes::from(body), &masker(), None);
        body.text(&masker(), None)
    }

    #[test]
    fn the_journal_keeps_only_the_newest_entries() {
        let journal = Journal::new(3, masker());
        for i in 0..10 {
            record(&journal, &format!("/acme/{i}"));
        }
        let paths: Vec<_> = journal
            .list(&Filter::default())
            .iter()
            .map(|e| e.path.clone())
            .collect();
        assert_eq!(paths, ["/acme/9", "/acme/8", "/acme/7"]);
        assert_eq!(journal.len(), 3);
    }

    #[test]
    fn traffic_is_one_providers_requests_oldest_first_with_their_outcome_and_raw_body() {
        let journal = Journal::new(10, masker());
        record(&journal, "/acme/1");
        journal.record(Record {
            id: journal.next_id(),
            time: DateTime::parse_from_rfc3339("2026-01-01T00:00:01+05:30").unwrap(),
            provider: "acme",
            endpoint: Some("pay"),
            method: Method::POST,
            head: Head::new("/acme/pay", Some("a=1"), &HeaderMap::new()),
            body: Bytes::from_static(br#"{"mpin":"1234"}"#),
            status: Some(200),
            response_body: Bytes::new(),
            fault: None,
            duration_ms: 1.0,
            outcome: Some(Outcome::success("OK").fact("order", "A-1")),
        });
        let traffic = journal.traffic("acme", None);
        assert_eq!(traffic.len(), 2);
        assert!(traffic[0].id < traffic[1].id);
        let pay = &traffic[1];
        assert_eq!(pay.endpoint(), Some("pay"));
        assert_eq!(pay.code(), Some("OK"));
        assert_eq!(pay.fact("order"), Some("A-1"));
        assert_eq!(pay.query().as_deref(), Some("a=1"));
        assert_eq!(pay.body(), r#"{"mpin":"1234"}"#);
        assert!(journal.traffic("other", None).is_empty());
    }

    #[test]
    fn the_head_is_given_back_as_received_and_masked() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/json".parse().unwrap());
        headers.append("x-trace", "one".parse().unwrap());
        headers.append("x-trace", "two".parse().unwrap());
        headers.insert("authorization", "Basic dG9rZW4=".parse().unwrap());
        let head = Head::new("/acme/api", Some("password=abc&a=b%20c"), &headers);
        assert_eq!(head.path(), "/acme/api");
        assert_eq!(head.query().as_deref(), Some("password=abc&a=b%20c"));
        let pairs: Vec<_> = head
            .headers()
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("content-type", "application/json"),
                ("x-trace", "one"),
                ("x-trace", "two"),
                ("authorization", "Basic dG9rZW4="),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
        assert_eq!(
            Head::new("/", Some(""), &HeaderMap::new())
                .query()
                .as_deref(),
            Some("")
        );
        assert_eq!(Head::new("/", None, &HeaderMap::new()).query(), None);

        let journal = Journal::new(1, masker());
        journal.record(Record {
            id: journal.next_id(),
            time: DateTime::parse_from_rfc3339("2026-01-01T00:00:00+05:30").unwrap(),
            provider: "acme",
            endpoint: Some("pay"),
            method: Method::GET,
            head,
            body: Bytes::from_static(br#"{"mpin":"1234"}"#),
            status: None,
            response_body: Bytes::new(),
            fault: Some("drop".into()),
            duration_ms: 2.0,
            outcome: None,
        });
        let entry = &journal.list(&Filter::default())[0];
        assert_eq!(entry.query.as_deref(), Some("password=***&a=b c"));
        assert_eq!(
            entry.headers[3],
            ("authorization".into(), "Basic ***".into())
        );
        assert_eq!(entry.body, r#"{"mpin":"***"}"#);
        assert_eq!(entry.method, "GET");
    }

    #[test]
    fn binary_bodies_are_kept_as_their_size() {
        let (text, truncated) = as_text(b"%PDF-1.7\n\xff\xfe\x00binary".to_vec());
        assert_eq!(text, "<binary, 18 bytes>");
        assert!(!truncated);
        let (text, truncated) = as_text([vec![0xff; BODY_LIMIT], vec![b'a'; 10]].concat());
        assert_eq!(text, format!("<binary, {} bytes>", BODY_LIMIT + 10));
        assert!(!truncated);
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = KeptBody::request(Bytes::from(vec![b'a'; BODY_LIMIT + 10]), &masker(), None);
        assert!(matches!(body, KeptBody::Cut(text) if text.len() == BODY_LIMIT));
        let body = KeptBody::response(Bytes::from(vec![b'a'; BODY_LIMIT + 10]));
        assert!(matches!(body, KeptBody::Raw { bytes, .. } if bytes.len() == BODY_LIMIT));
        let (text, truncated) = as_text(vec![b'a'; BODY_LIMIT + 10]);
        assert!(truncated);
        assert_eq!(text.len(), BODY_LIMIT);
    }
}
