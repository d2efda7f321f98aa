//! A golden request taken apart into what the mutators change (path segments, query and form
//! pairs, an embedded JSON document, headers), and put back together as bytes to send.

use super::node::Node;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, percent_encode};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// What is percent-encoded in a path segment, a query or a form: all but RFC 3986's
/// unreserved characters.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A golden case, as far as the fuzzer needs it (the expected answer is the golden test's).
#[derive(Deserialize)]
struct Golden {
    clock: Option<String>,
    fixtures: Option<Value>,
    request: GoldenRequest,
}

#[derive(Deserialize)]
struct GoldenRequest {
    method: String,
    path: String,
    json: Option<Value>,
    body: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

/// One seed: the sandbox state a golden request needs, and the request.
pub struct Seed {
    pub file: String,
    pub clock: Option<String>,
    pub fixtures: Option<Value>,
    pub request: FuzzRequest,
}

/// A parameter's value: text, or a JSON document (PayPro's `oJson`, Chillr's `customers`).
#[derive(Clone, Debug)]
pub enum Val {
    Text(Vec<u8>),
    Json(Node),
}

impl Val {
    fn read(text: Vec<u8>) -> Val {
        let starts_json = matches!(
            text.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'[' | b'{')
        );
        match serde_json::from_slice::<Value>(&text) {
            Ok(value) if starts_json => Val::Json(Node::from_value(&value)),
            _ => Val::Text(text),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Val::Text(t) => t.clone(),
            Val::Json(node) => node.to_bytes(),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Body {
    None,
    /// A JSON document with the bytes around it (a multipart envelope, a BOM, nothing).
    Json {
        prefix: Vec<u8>,
        doc: Node,
        suffix: Vec<u8>,
    },
    Form(Vec<(Vec<u8>, Val)>),
    /// Parts written with their own boundary.
    Multipart(Vec<Part>),
    Raw(Vec<u8>),
}

/// A multipart part: its name, its file name if it is a file, its value.
pub type Part = (Vec<u8>, Option<Vec<u8>>, Val);

pub const BOUNDARY: &str = "FuzzBoundary7MA4YWxk";

#[derive(Clone, Debug)]
pub struct FuzzRequest {
    pub method: String,
    /// Decoded path segments (the first is the empty one before the leading slash).
    pub segments: Vec<Vec<u8>>,
    pub query: Vec<(Vec<u8>, Val)>,
    /// Extra bytes appended to the query as they are (`&&`, `%zz`).
    pub raw_query: Vec<u8>,
    pub content_type: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Body,
    /// Byte-level damage done to the body once written.
    pub body_damage: Vec<Damage>,
    /// The body is padded to this many bytes (or as close as its shape allows).
    pub pad_to: Option<usize>,
}

#[derive(Clone, Debug)]
pub enum Damage {
    Truncate(f64),
    Insert(f64, Vec<u8>),
    Flip(f64),
    Prefix(Vec<u8>),
}

/// A request ready to go: what `send` needs, and what a failure report shows.
pub struct Rendered {
    pub method: String,
    pub path_and_query: String,
    pub content_type: Option<Vec<u8>>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

/// Marks where padding goes: letters only, so no encoding changes it.
pub const PAD_MARK: &[u8] = b"QzPADzQ";

pub fn load_seeds(provider: &str) -> Vec<Seed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(provider);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let golden: Golden =
                serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            Seed {
                file: file.file_name().unwrap().to_string_lossy().into_owned(),
                clock: golden.clock,
                fixtures: golden.fixtures,
                request: FuzzRequest::from_golden(golden.request),
            }
        })
        .collect()
}

impl FuzzRequest {
    fn from_golden(golden: GoldenRequest) -> FuzzRequest {
        let (path, query) = golden
            .path
            .split_once('?')
            .unwrap_or((golden.path.as_str(), ""));
        let segments = path
            .split('/')
            .map(|s| percent_decode(s.as_bytes()).collect())
            .collect();
        let query = parse_pairs(query.as_bytes());
        let mut content_type = None;
        let mut headers = Vec::new();
        for (name, value) in golden.headers {
            if name.eq_ignore_ascii_case("content-type") {
                content_type = Some(value.into_bytes());
            } else {
                headers.push((name, value.into_bytes()));
            }
        }
        let body = match (golden.json, golden.body) {
            (Some(json), _) => {
                content_type = Some(b"application/json".to_vec());
                Body::Json {
                    prefix: Vec::new(),
                    doc: Node::from_value(&json),
                    suffix: Vec::new(),
                }
            }
            (None, Some(text)) => read_body(text.into_bytes(), content_type.as_deref()),
            (None, None) => Body::None,
        };
        FuzzRequest {
            method: golden.method,
            segments,
            query,
            raw_query: Vec::new(),
            content_type,
            headers,
            body,
            body_damage: Vec::new(),
            pad_to: None,
        }
    }

    pub fn render(&self) -> Rendered {
        let mut path: String = self
            .segments
            .iter()
            .map(|s| percent_encode(s, ENCODED).to_string())
            .collect::<Vec<_>>()
            .join("/");
        if path.is_empty() {
            path.push('/');
        }
        let mut query = encode_pairs(&self.query, b'&');
        query.extend_from_slice(&self.raw_query);
        if !query.is_empty() {
            path.push('?');
            // Only ASCII is ever written into a query here (raw bytes are percent-encoded).
            path.push_str(&String::from_utf8_lossy(&query));
        }
        let mut body = match &self.body {
            Body::None => Vec::new(),
            Body::Json {
                prefix,
                doc,
                suffix,
            } => {
                let mut out = prefix.clone();
                doc.write(&mut out);
                out.extend_from_slice(suffix);
                out
            }
            Body::Form(pairs) => encode_pairs(pairs, b'&'),
            Body::Multipart(parts) => multipart(parts),
            Body::Raw(bytes) => bytes.clone(),
        };
        if let Some(target) = self.pad_to {
            pad(&mut body, target);
        }
        for damage in &self.body_damage {
            damage.apply(&mut body);
        }
        Rendered {
            method: self.method.clone(),
            path_and_query: path,
            content_type: self.content_type.clone(),
            headers: self.headers.clone(),
            body,
        }
    }
}

/// A body string: a form, or a JSON document somewhere inside (a multipart file, a text
/// body), or bytes the fuzzer only damages.
fn read_body(bytes: Vec<u8>, content_type: Option<&[u8]>) -> Body {
    let is_form =
        content_type.is_some_and(|ct| ct.starts_with(b"application/x-www-form-urlencoded"));
    let first = bytes.iter().position(|b| *b == b'[' || *b == b'{');
    if is_form && first.is_none_or(|i| i > 0) {
        return Body::Form(parse_pairs(&bytes));
    }
    let Some(start) = first else {
        return Body::Raw(bytes);
    };
    let mut stream = serde_json::Deserializer::from_slice(&bytes[start..]).into_iter::<Value>();
    match stream.next() {
        Some(Ok(value)) => {
            let end = start + stream.byte_offset();
            Body::Json {
                prefix: bytes[..start].to_vec(),
                doc: Node::from_value(&value),
                suffix: bytes[end..].to_vec(),
            }
        }
        _ => Body::Raw(bytes),
    }
}

/// `a=b&c=d`, decoded (`+` is a space, as ASP.NET, PHP and Laravel read it).
pub fn parse_pairs(text: &[u8]) -> Vec<(Vec<u8>, Val)> {
    text.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            (decode(name), Val::read(decode(value)))
        })
        .collect()
}

fn decode(text: &[u8]) -> Vec<u8> {
    let spaced: Vec<u8> = text
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_decode(&spaced).collect()
}

pub fn encode_pairs(pairs: &[(Vec<u8>, Val)], separator: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.extend(percent_encode(name, ENCODED).to_string().bytes());
        out.push(b'=');
        out.extend(
            percent_encode(&value.to_bytes(), ENCODED)
                .to_string()
                .bytes(),
        );
    }
    out
}

fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, file, value) in parts {
        out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        out.extend_from_slice(b"Content-Disposition: form-data; name=\"");
        out.extend_from_slice(name);
        out.push(b'"');
        if let Some(file) = file {
            out.extend_from_slice(b"; filename=\"");
            out.extend_from_slice(file);
            out.push(b'"');
        }
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(&value.to_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

/// Grows the padding mark (or, without one, trailing spaces) so the body has `target` bytes;
/// a body already longer keeps its length.
fn pad(body: &mut Vec<u8>, target: usize) {
    match find(body, PAD_MARK) {
        Some(at) => {
            let rest = body.len() - PAD_MARK.len();
            let fill = target.saturating_sub(rest);
            body.splice(at..at + PAD_MARK.len(), std::iter::repeat_n(b'a', fill));
        }
        None => {
            let fill = target.saturating_sub(body.len());
            body.extend(std::iter::repeat_n(b' ', fill));
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

impl Damage {
    fn apply(&self, body: &mut Vec<u8>) {
        let at = |fraction: f64, len: usize| ((len as f64) * fraction) as usize;
        match self {
            Damage::Truncate(f) => body.truncate(at(*f, body.len())),
            Damage::Insert(f, bytes) => {
                let i = at(*f, body.len());
                body.splice(i..i, bytes.iter().copied());
            }
            Damage::Flip(f) => {
                if !body.is_empty() {
                    let i = at(*f, body.len()).min(body.len() - 1);
                    body[i] ^= 0x80;
                }
            }
            Damage::Prefix(bytes) => {
                body.splice(0..0, bytes.iter().copied());
            }
        }
    }
}
