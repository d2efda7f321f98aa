//! The mutators: each takes a golden request one hostile step further. Here the content:
//! a JSON node's type or value, keys, arrays, nesting, and query or form parameters; what
//! changes how the request travels is in `transport`.

use super::node::Node;
use super::request::{Body, FuzzRequest, Val};
use super::transport::{
    content_type, damage, header, method, near_limit, path, raw_query, reencode,
};
use super::values;
use super::vocabulary::Vocabulary;
use rand::Rng;

use rand_chacha::ChaCha8Rng;

/// What the mutators know of a provider.
pub struct Profile {
    pub name: &'static str,
    /// Path segments from this index on are parameters (Jaze's ids and dates).
    pub params_from: Option<usize>,
    /// AggrePay's salt: most mutated requests are signed again, so they get past the hash.
    pub salt: Option<&'static str>,
    /// The deepest nesting the mutators build.
    pub max_depth: usize,
    /// The sandbox's body limit in this run.
    pub max_body: usize,
    pub vocabulary: Vocabulary,
}

pub fn mutate(rng: &mut ChaCha8Rng, request: &mut FuzzRequest, profile: &Profile) {
    for _ in 0..rng.random_range(1..=3) {
        match rng.random_range(0..20) {
            0..=6 => json_node(rng, request, profile),
            7..=9 => pairs(rng, request, profile),
            10 => reencode(rng, request),
            11 => content_type(rng, request),
            12 | 13 => header(rng, request),
            14 | 15 => path(rng, request, profile),
            16 => method(rng, request),
            17 => damage(rng, request),
            18 => near_limit(rng, request, profile),
            _ => raw_query(rng, request),
        }
    }
    if let Some(salt) = profile.salt
        && rng.random_bool(0.85)
    {
        super::aggrepay_sign::sign(request, salt);
    }
}

/// Every JSON document the request carries, and whether it is in the query.
fn documents(request: &mut FuzzRequest) -> Vec<(&mut Node, bool)> {
    let mut docs = Vec::new();
    match &mut request.body {
        Body::Json { doc, .. } => docs.push((doc, false)),
        Body::Form(pairs) => docs.extend(
            pairs
                .iter_mut()
                .filter_map(|(_, v)| json_of(v).map(|d| (d, false))),
        ),
        Body::Multipart(parts) => docs.extend(
            parts
                .iter_mut()
                .filter_map(|(_, _, v)| json_of(v).map(|d| (d, false))),
        ),
        Body::None | Body::Raw(_) => {}
    }
    docs.extend(
        request
            .query
            .iter_mut()
            .filter_map(|(_, v)| json_of(v).map(|d| (d, true))),
    );
    docs
}

/// How big a huge string gets: half the body limit, or what a URL can carry.
fn big(profile: &Profile, in_query: bool) -> usize {
    if in_query {
        URL_BIG
    } else {
        profile.max_body / 2
    }
}

/// A URL has to stay under the 64 KiB the `http` crate takes: percent-encoding triples a
/// value, a repeated array doubles it, and a case makes up to three mutations.
const URL_BIG: usize = 3 * 1024;

fn json_of(value: &mut Val) -> Option<&mut Node> {
    match value {
        Val::Json(node) => Some(node),
        Val::Text(_) => None,
    }
}

fn json_node(rng: &mut ChaCha8Rng, request: &mut FuzzRequest, profile: &Profile) {
    let mut docs = documents(request);
    if docs.is_empty() {
        return pairs(rng, request, profile);
    }
    let index = rng.random_range(0..docs.len());
    let (doc, in_query) = &mut docs[index];
    let big = big(profile, *in_query);
    let count = doc.count();
    let node = doc.nth_mut(rng.random_range(0..count));
    match rng.random_range(0..9) {
        0 => *node = other_type(rng, node),
        1 | 2 => {
            let original = match node {
                Node::Str(s) => s.clone(),
                Node::Token(t) => t.clone().into_bytes(),
                _ => Vec::new(),
            };
            *node = Node::Str(values::text(rng, &original, big));
        }
        3 => *node = Node::Token(values::number(rng)),
        4 => match node {
            Node::Obj(entries) => object(rng, entries, big, &profile.vocabulary),
            Node::Arr(items) => array(rng, items, big * 2),
            other => *other = other_type(rng, other),
        },
        5 => {
            let mut nested = node.clone();
            for _ in 0..rng.random_range(1..=profile.max_depth) {
                nested = if rng.random_bool(0.5) {
                    Node::Arr(vec![nested])
                } else {
                    Node::Obj(vec![(b"a".to_vec(), nested)])
                };
            }
            *node = nested;
        }
        // A string holding a number becomes the number, and the other way round.
        6 => {
            let swapped = match &*node {
                Node::Str(s) => Node::Token(String::from_utf8_lossy(s).into_owned()),
                Node::Token(t) => Node::Str(t.clone().into_bytes()),
                other => other_type(rng, other),
            };
            *node = swapped;
        }
        _ => match node {
            Node::Obj(entries) => object(rng, entries, big, &profile.vocabulary),
            other => *other = Node::Str(values::text(rng, b"", big)),
        },
    }
}

pub fn other_type(rng: &mut ChaCha8Rng, node: &Node) -> Node {
    match rng.random_range(0..8) {
        0 => Node::Null,
        1 => Node::Bool(rng.random()),
        2 => Node::Token(values::number(rng)),
        3 => Node::Str(Vec::new()),
        4 => Node::Arr(Vec::new()),
        5 => Node::Obj(Vec::new()),
        6 => Node::Arr(vec![node.clone()]),
        _ => Node::Obj(vec![(b"value".to_vec(), node.clone())]),
    }
}

fn object(
    rng: &mut ChaCha8Rng,
    entries: &mut Vec<(Vec<u8>, Node)>,
    big: usize,
    words: &Vocabulary,
) {
    if entries.is_empty() {
        entries.push((values::text(rng, b"", 64), Node::Null));
        return;
    }
    let i = rng.random_range(0..entries.len());
    match rng.random_range(0..7) {
        5 => entries.push((words.name(rng), Node::Str(words.some_value(rng)))),
        6 => entries[i].1 = Node::Str(words.some_value(rng)),
        0 => {
            entries.remove(i);
        }
        // A duplicated key, with the same or a hostile value.
        1 | 2 => {
            let (key, value) = entries[i].clone();
            let value = if rng.random_bool(0.5) {
                value
            } else {
                Node::Str(values::text(rng, b"", big))
            };
            let at = rng.random_range(0..=entries.len());
            entries.insert(at, (key, value));
        }
        3 => {
            let key = &mut entries[i].0;
            *key = match rng.random_range(0..3) {
                0 => key.to_ascii_uppercase(),
                1 => [key.as_slice(), b" "].concat(),
                _ => values::text(rng, key, 256),
            };
        }
        _ => entries.push((values::text(rng, b"extra", 256), Node::Str(b"x".to_vec()))),
    }
}

fn array(rng: &mut ChaCha8Rng, items: &mut Vec<Node>, max_body: usize) {
    if items.is_empty() {
        items.push(Node::Null);
        return;
    }
    let i = rng.random_range(0..items.len());
    match rng.random_range(0..4) {
        0 => {
            items.remove(i);
        }
        1 => items.clear(),
        2 => {
            let copy = items[i].clone();
            items.insert(i, copy);
        }
        // Many copies, about up to the body limit.
        _ => {
            let copy = items[i].clone();
            let size = copy.to_bytes().len() + 1;
            let count = (max_body / size).clamp(1, 2_000);
            items.extend(std::iter::repeat_n(copy, rng.random_range(1..=count)));
        }
    }
}

/// Query, form and multipart parameters: dropped, duplicated, renamed, hostile values.
fn pairs(rng: &mut ChaCha8Rng, request: &mut FuzzRequest, profile: &Profile) {
    let in_body =
        matches!(request.body, Body::Form(_)) && (request.query.is_empty() || rng.random_bool(0.7));
    let big = big(profile, !in_body);
    let list = if in_body {
        let Body::Form(pairs) = &mut request.body else {
            unreachable!()
        };
        pairs
    } else {
        &mut request.query
    };
    if list.is_empty() {
        list.push((
            values::text(rng, b"name", 64),
            Val::Text(values::text(rng, b"", big)),
        ));
        return;
    }
    let i = rng.random_range(0..list.len());
    let words = &profile.vocabulary;
    match rng.random_range(0..10) {
        // Another endpoint's parameter, or another value the provider knows.
        8 => {
            let at = rng.random_range(0..=list.len());
            let pair = (words.name(rng), Val::Text(words.some_value(rng)));
            list.insert(at, pair);
        }
        9 => list[i].1 = Val::Text(words.some_value(rng)),
        0 => {
            list.remove(i);
        }
        1 => {
            let (name, _) = list[i].clone();
            let at = rng.random_range(0..=list.len());
            list.insert(at, (name, Val::Text(values::text(rng, b"", big))));
        }
        2 => {
            let name = &mut list[i].0;
            *name = match rng.random_range(0..4) {
                0 => [name.as_slice(), b"[]"].concat(),
                1 => [name.as_slice(), b"[0][x]"].concat(),
                2 => name.to_ascii_uppercase(),
                _ => values::text(rng, name, 256),
            };
        }
        3 => list[i].1 = Val::Text(Vec::new()),
        4 => list[i].1 = Val::Json(other_type(rng, &Node::Null)),
        _ => {
            let original = list[i].1.to_bytes();
            list[i].1 = Val::Text(values::text(rng, &original, big));
        }
    }
}
