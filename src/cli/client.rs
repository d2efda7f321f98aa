//! The CLI's HTTP client for a running sandbox's control plane: one hyper HTTP/1 connection
//! per call (as `paysandbox report` does), the admin token as a bearer token, and the errors
//! the CLI tells apart: the sandbox not there, the sandbox refusing, a local problem.

use super::Target;
use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::time::Duration;

/// A request body: whole, or streamed (a fixture file being uploaded).
pub type Body = UnsyncBoxBody<Bytes, std::io::Error>;

/// How long a connection may take to open; past it the sandbox counts as not there.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot reach the sandbox at {url}: {reason} — is it running?")]
    Unreachable { url: String, reason: String },
    #[error("the sandbox refused ({status}): {message}")]
    Refused { status: StatusCode, message: String },
    #[error("{0}")]
    Local(String),
}

impl CliError {
    /// 1 when the sandbox refused the call, 2 for anything else (as for a usage error).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Refused { .. } => 1,
            CliError::Unreachable { .. } | CliError::Local(_) => 2,
        }
    }
}

/// A successful answer.
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

/// A sandbox's control plane at a base URL.
pub struct Sandbox {
    url: String,
    host: String,
    port: u16,
    /// The URL's path, without its trailing slash (a sandbox behind a path prefix).
    prefix: String,
    token: Option<String>,
}

impl Sandbox {
    pub fn new(target: &Target) -> Result<Sandbox, CliError> {
        let url = target.url.trim().to_string();
        let bad = |why: &str| CliError::Local(format!("--url `{url}` {why}"));
        let base: hyper::Uri = url.parse().map_err(|_| bad("is not a URL"))?;
        match base.scheme_str() {
            Some("http") => {}
            Some(_) => return Err(bad("is not plain http://")),
            None => return Err(bad("has no scheme; write it as http://host:port")),
        }
        let host = base.host().ok_or_else(|| bad("has no host"))?;
        Ok(Sandbox {
            host: host.trim_start_matches('[').trim_end_matches(']').into(),
            port: base.port_u16().unwrap_or(80),
            prefix: base.path().trim_end_matches('/').to_string(),
            token: target.token.clone().filter(|t| !t.is_empty()),
            url,
        })
    }

    /// `GET /__sandbox<path>?<query>`.
    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Answer, CliError> {
        self.call(Method::GET, path, query, empty(), &[]).await
    }

    /// `POST /__sandbox<path>` with a JSON body (or none).
    pub async fn post_json(&self, path: &str, body: Option<&Value>) -> Result<Answer, CliError> {
        match body {
            Some(json) => {
                let bytes = Bytes::from(json.to_string());
                let body = Full::new(bytes)
                    .map_err(|never| match never {})
                    .boxed_unsync();
                let json = [("content-type", "application/json".to_string())];
                self.call(Method::POST, path, &[], body, &json).await
            }
            None => self.call(Method::POST, path, &[], empty(), &[]).await,
        }
    }

    /// `DELETE /__sandbox<path>`.
    pub async fn delete(&self, path: &str) -> Result<Answer, CliError> {
        self.call(Method::DELETE, path, &[], empty(), &[]).await
    }

    /// One call; a status other than 2xx is [`CliError::Refused`] with the sandbox's message.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Body,
        headers: &[(&str, String)],
    ) -> Result<Answer, CliError> {
        let mut target = format!("{}/__sandbox{path}", self.prefix);
        if !query.is_empty() {
            let mut encoded = form_urlencoded::Serializer::new(String::new());
            for (name, value) in query {
                encoded.append_pair(name, value);
            }
            target = format!("{target}?{}", encoded.finish());
        }
        let mut request = Request::builder()
            .method(method)
            .uri(target)
            .header("host", format!("{}:{}", self.host, self.port));
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let request = request
            .body(body)
            .map_err(|e| CliError::Local(format!("cannot build the request: {e}")))?;

        let stream = tokio::time::timeout(
            CONNECT_TIMEOUT,
            tokio::net::TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| self.unreachable("no answer to connect within 10 s".into()))?
        .map_err(|e| self.unreachable(io_reason(&e)))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| self.unreachable(e.to_string()))?;
        tokio::spawn(connection);
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| self.unreachable(hyper_reason(&e)))?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| self.unreachable(hyper_reason(&e)))?
            .to_bytes();
        if !status.is_success() {
            return Err(CliError::Refused {
                status,
                message: refusal_message(status, &body),
            });
        }
        Ok(Answer { status, body })
    }

    fn unreachable(&self, reason: String) -> CliError {
        CliError::Unreachable {
            url: self.url.clone(),
            reason,
        }
    }
}

fn empty() -> Body {
    Empty::new().map_err(|never| match never {}).boxed_unsync()
}

/// `connection refused`, `no such host`...: the cause in lower case, without errno.
fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
        _ => error.to_string(),
    }
}

/// A hyper error with its cause (hyper's own text alone says little: "connection closed").
fn hyper_reason(error: &hyper::Error) -> String {
    use std::error::Error;
    match error.source() {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}

/// The control plane's `{"error": ...}` (with a refused fixture's file, path and message),
/// or the body as text when it is not that.
fn refusal_message(status: StatusCode, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body).trim().to_string();
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(&text) else {
        return if text.is_empty() {
            "no message".into()
        } else {
            text
        };
    };
    let Some(Value::String(error)) = fields.get("error") else {
        return text;
    };
    let mut message = error.clone();
    for detail in ["file", "path", "message"] {
        if let Some(Value::String(value)) = fields.get(detail)
            && !value.is_empty()
        {
            message.push_str(": ");
            message.push_str(value);
        }
    }
    if status == StatusCode::UNAUTHORIZED {
        message.push_str(" (give it with --token or ADMIN_TOKEN)");
    }
    message
}

/// Writes an answer's body to stdout: JSON pretty-printed, anything else as it came.
pub fn print_answer(answer: &Answer) {
    if answer.status == StatusCode::NO_CONTENT || answer.body.is_empty() {
        return;
    }
    println!("{}", pretty(&answer.body));
}

/// The body pretty-printed when it is JSON, else as text.
pub fn pretty(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(json) => serde_json::to_string_pretty(&json).unwrap_or_default(),
        Err(_) => String::from_utf8_lossy(body).trim_end().to_string(),
    }
}
