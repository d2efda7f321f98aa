//! Mutations of how a request travels rather than what it says: the encoding of its body,
//! the content type, the credentials header, the path, the method, raw bytes, a body size at
//! the limit, junk in the query.

use super::mutate::Profile;
use super::node::Node;
use super::request::{BOUNDARY, Body, Damage, FuzzRequest, PAD_MARK, Val};
use super::values;
use rand::Rng;
use rand::seq::{IndexedRandom, IteratorRandom};
use rand_chacha::ChaCha8Rng;

/// The same parameters in another encoding: form, multipart, a JSON object, or the query's
/// JSON moved into the body (PayPro reads it from all of those).
pub fn reencode(rng: &mut ChaCha8Rng, request: &mut FuzzRequest) {
    let mut fields: Vec<(Vec<u8>, Val)> = match std::mem::replace(&mut request.body, Body::None) {
        Body::Form(pairs) => pairs,
        Body::Multipart(parts) => parts.into_iter().map(|(n, _, v)| (n, v)).collect(),
        Body::Json {
            doc: Node::Obj(entries),
            ..
        } => {
            // Nested values as JSON text, or as PHP's `customers[0][msisdn]` pairs.
            let brackets = rng.random_bool(0.5);
            let mut fields = Vec::new();
            for (name, value) in entries {
                flatten(name, value, brackets, &mut fields);
            }
            fields
        }
        Body::Json { doc, .. } => vec![(b"oJson".to_vec(), Val::Json(doc))],
        Body::None | Body::Raw(_) => Vec::new(),
    };
    if fields.is_empty() || rng.random_bool(0.3) {
        // The query's parameters go into the body; an empty one may stay behind.
        let moved = std::mem::take(&mut request.query);
        for (name, value) in moved {
            if rng.random_bool(0.3) {
                request.query.push((name.clone(), Val::Text(Vec::new())));
            }
            fields.push((name, value));
        }
    }
    match rng.random_range(0..4) {
        0 => {
            request.content_type = Some(b"application/x-www-form-urlencoded".to_vec());
            request.body = Body::Form(fields);
        }
        1 => {
            request.content_type =
                Some(format!("multipart/form-data; boundary={BOUNDARY}").into_bytes());
            let as_file = rng.random_bool(0.3);
            request.body = Body::Multipart(
                fields
                    .into_iter()
                    .map(|(name, value)| {
                        let file = (as_file || matches!(value, Val::Json(_)))
                            .then(|| b"orders.txt".to_vec());
                        (name, file, value)
                    })
                    .collect(),
            );
        }
        2 => {
            request.content_type = Some(b"application/json".to_vec());
            let entries = fields
                .into_iter()
                .map(|(name, value)| match value {
                    Val::Text(t) => (name, Node::Str(t)),
                    Val::Json(node) => (name, node),
                })
                .collect();
            request.body = Body::Json {
                prefix: Vec::new(),
                doc: Node::Obj(entries),
                suffix: Vec::new(),
            };
        }
        _ => {
            // Only the first parameter's value, as the raw body.
            request.body = match fields.into_iter().next() {
                Some((_, Val::Json(doc))) => Body::Json {
                    prefix: Vec::new(),
                    doc,
                    suffix: Vec::new(),
                },
                Some((_, Val::Text(text))) => Body::Raw(text),
                None => Body::None,
            };
        }
    }
}

fn flatten(name: Vec<u8>, value: Node, brackets: bool, out: &mut Vec<(Vec<u8>, Val)>) {
    let inner = |key: &[u8]| [name.as_slice(), b"[", key, b"]"].concat();
    match value {
        Node::Str(s) => out.push((name, Val::Text(s))),
        Node::Token(t) => out.push((name, Val::Text(t.into_bytes()))),
        Node::Arr(items) if brackets => {
            for (i, item) in items.into_iter().enumerate() {
                flatten(inner(i.to_string().as_bytes()), item, brackets, out);
            }
        }
        Node::Obj(entries) if brackets => {
            for (key, item) in entries {
                flatten(inner(&key), item, brackets, out);
            }
        }
        other => out.push((name, Val::Json(other))),
    }
}

const CONTENT_TYPES: &[&[u8]] = &[
    b"application/json",
    b"application/json; charset=utf-16",
    b"application/x-www-form-urlencoded",
    b"application/x-www-form-urlencoded; charset=\xff",
    b"multipart/form-data",
    b"multipart/form-data; boundary=",
    b"multipart/form-data; boundary=\"unterminated",
    b"multipart/form-data; boundary=FuzzBoundary7MA4YWxk",
    b"MULTIPART/FORM-DATA; boundary=----PayProUploadBoundary",
    b"text/plain",
    b"text/xml",
    b"application/octet-stream",
    b"*/*",
    b";;;",
];

pub fn content_type(rng: &mut ChaCha8Rng, request: &mut FuzzRequest) {
    request.content_type = if rng.random_bool(0.15) {
        None
    } else {
        Some(CONTENT_TYPES.choose(rng).unwrap().to_vec())
    };
}

/// Jaze's Basic credentials: missing, malformed, not base64, not UTF-8, huge.
pub fn header(rng: &mut ChaCha8Rng, request: &mut FuzzRequest) {
    let valid = request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.clone());
    request
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
    let value: Option<Vec<u8>> = match rng.random_range(0..10) {
        0 => None,
        1 => Some(b"Basic".to_vec()),
        2 => Some(b"Basic !!!!".to_vec()),
        3 => Some(b"Bearer jaze-sandbox-token".to_vec()),
        4 => Some(b"Basic \xff\xfe".to_vec()),
        5 => Some(format!("Basic {}", "A".repeat(8_000)).into_bytes()),
        6 => {
            use base64::Engine;
            let inner = values::text(rng, b"jaze-sandbox-token:jaze-sandbox-key", 256);
            let encoded = base64::engine::general_purpose::STANDARD.encode(inner);
            Some(format!("Basic {encoded}").into_bytes())
        }
        7 => valid.map(|v| v.to_ascii_lowercase()),
        8 => valid.map(|v| [v.as_slice(), b"  "].concat()),
        _ => valid,
    };
    if let Some(value) = value {
        request.headers.push(("authorization".into(), value));
    }
}

pub fn path(rng: &mut ChaCha8Rng, request: &mut FuzzRequest, profile: &Profile) {
    let segments = &mut request.segments;
    let params_from = profile.params_from.filter(|from| *from < segments.len());
    match (rng.random_range(0..6), params_from) {
        (0..=2, Some(from)) => {
            let i = rng.random_range(from..segments.len());
            segments[i] = if rng.random_bool(0.3) {
                profile.vocabulary.some_value(rng)
            } else {
                values::text(rng, &segments[i], 2_048)
            };
        }
        (3, Some(from)) if segments.len() > from => {
            segments.pop();
        }
        (4, _) => segments.push(values::text(rng, b"", 64)),
        (5, _) => segments.push(Vec::new()),
        _ => {
            if segments
                .get(1)
                .is_some_and(|s| s == profile.name.as_bytes())
            {
                segments.remove(1);
            } else {
                segments.insert(1, profile.name.as_bytes().to_vec());
            }
        }
    }
}

pub fn method(rng: &mut ChaCha8Rng, request: &mut FuzzRequest) {
    let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];
    request.method = methods.choose(rng).unwrap().to_string();
}

pub fn damage(rng: &mut ChaCha8Rng, request: &mut FuzzRequest) {
    let at: f64 = rng.random();
    let damage = match rng.random_range(0..5) {
        0 => Damage::Truncate(at),
        1 => Damage::Flip(at),
        2 => Damage::Prefix(b"\xef\xbb\xbf".to_vec()),
        _ => {
            let bytes: &[&[u8]] = &[b"\0", b"\xff", b"\"", b"{", b"[", b"}", b"\\", b"\r\n--"];
            Damage::Insert(at, bytes.choose(rng).unwrap().to_vec())
        }
    };
    request.body_damage.push(damage);
}

/// The body grows to a few bytes under, at, or over the limit, inside a string value where
/// there is one.
pub fn near_limit(rng: &mut ChaCha8Rng, request: &mut FuzzRequest, profile: &Profile) {
    let delta: isize = *[-64, -2, -1, 0, 1, 2].choose(rng).unwrap();
    request.pad_to = Some(profile.max_body.saturating_add_signed(delta));
    mark_a_string(rng, request);
}

/// Puts the padding mark at the end of one string value, picked at random (padding the API
/// key only ever tests the key check).
fn mark_a_string(rng: &mut ChaCha8Rng, request: &mut FuzzRequest) {
    match &mut request.body {
        Body::Json { doc, .. } => {
            let strings: Vec<usize> = (0..doc.count())
                .filter(|n| matches!(doc.nth_mut(*n), Node::Str(_)))
                .collect();
            if let Some(n) = strings.choose(rng)
                && let Node::Str(s) = doc.nth_mut(*n)
            {
                s.extend_from_slice(PAD_MARK);
            }
        }
        Body::Form(pairs) => {
            let texts: Vec<&mut Vec<u8>> = pairs
                .iter_mut()
                .filter_map(|(_, v)| match v {
                    Val::Text(t) => Some(t),
                    Val::Json(_) => None,
                })
                .collect();
            if let Some(t) = texts.into_iter().choose(rng) {
                t.extend_from_slice(PAD_MARK);
            }
        }
        _ => {}
    }
}

pub fn raw_query(rng: &mut ChaCha8Rng, request: &mut FuzzRequest) {
    let junk: &[&[u8]] = &[
        b"&&&",
        b"&=",
        b"&a",
        b"&%",
        b"&%zz=%",
        b"&x=%FF%FE",
        b"&oJson",
        b"&;",
    ];
    request
        .raw_query
        .extend_from_slice(junk.choose(rng).unwrap());
}

/// Pads the body to exactly `size` bytes, inside a string value where there is one.
pub fn pad_to(rng: &mut ChaCha8Rng, request: &mut FuzzRequest, size: usize) {
    request.pad_to = Some(size);
    mark_a_string(rng, request);
}
