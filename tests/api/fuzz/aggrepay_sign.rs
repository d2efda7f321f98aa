//! Signs a mutated AggrePay request again (Appendix 17.1) so that it gets past the hash check
//! to the rules behind it: the hash over the fields as Laravel reads them.

use super::node::Node;
use super::request::{Body, FuzzRequest, Val};
use sha2::{Digest, Sha512};

pub fn sign(request: &mut FuzzRequest, salt: &str) {
    let fields: Vec<(String, String)> = match &request.body {
        Body::Form(pairs) => pairs
            .iter()
            .map(|(n, v)| (text(n), text(&v.to_bytes())))
            .collect(),
        Body::Multipart(parts) => parts
            .iter()
            .map(|(n, _, v)| (text(n), text(&v.to_bytes())))
            .collect(),
        Body::Json {
            doc: Node::Obj(entries),
            ..
        } => entries
            .iter()
            .filter_map(|(name, value)| {
                let value = match value {
                    Node::Null => return None,
                    Node::Str(s) => text(s),
                    Node::Bool(b) => if *b { "1" } else { "" }.to_string(),
                    other => text(&other.to_bytes()),
                };
                Some((text(name), value))
            })
            .collect(),
        _ => return,
    };
    // The last of a repeated name counts, as in PHP's $_POST.
    let mut kept: Vec<(String, String)> = Vec::new();
    for (name, value) in fields {
        let name = if name.eq_ignore_ascii_case("hash") {
            "hash".to_string()
        } else {
            name
        };
        kept.retain(|(n, _)| *n != name);
        kept.push((name, value.trim().to_string()));
    }
    let hash = hash(salt, &kept);
    match &mut request.body {
        Body::Form(pairs) => {
            pairs.retain(|(n, _)| !n.eq_ignore_ascii_case(b"hash"));
            pairs.push((b"hash".to_vec(), Val::Text(hash.into_bytes())));
        }
        Body::Multipart(parts) => {
            parts.retain(|(n, _, _)| !n.eq_ignore_ascii_case(b"hash"));
            parts.push((b"hash".to_vec(), None, Val::Text(hash.into_bytes())));
        }
        Body::Json {
            doc: Node::Obj(entries),
            ..
        } => {
            entries.retain(|(n, _)| !n.eq_ignore_ascii_case(b"hash"));
            entries.push((b"hash".to_vec(), Node::Str(hash.into_bytes())));
        }
        _ => {}
    }
}

/// Appendix 17.1 over fields already read: every non-empty value but the hash's, in the
/// byte order of the names.
pub fn hash(salt: &str, fields: &[(String, String)]) -> String {
    let mut signed: Vec<&(String, String)> = fields
        .iter()
        .filter(|(name, value)| name != "hash" && !value.is_empty())
        .collect();
    signed.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut data = salt.to_string();
    for (_, value) in signed {
        data.push('|');
        data.push_str(value);
    }
    Sha512::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
