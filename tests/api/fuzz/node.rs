//! A JSON document as the fuzzer mutates it: unlike `serde_json::Value` it keeps duplicated
//! keys, strings holding any bytes (invalid UTF-8 included) and number tokens written exactly
//! as given (`1e309`, `-0`, even `NaN`, which only lenient parsers take).

use serde_json::Value;

#[derive(Clone, Debug)]
pub enum Node {
    Null,
    Bool(bool),
    /// Written verbatim: a number token, or anything else the mutators want in place.
    Token(String),
    /// The string's content; `"`, `\` and control bytes are escaped, other bytes go raw.
    Str(Vec<u8>),
    Arr(Vec<Node>),
    Obj(Vec<(Vec<u8>, Node)>),
}

impl Node {
    pub fn from_value(value: &Value) -> Node {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Token(n.to_string()),
            Value::String(s) => Node::Str(s.as_bytes().to_vec()),
            Value::Array(items) => Node::Arr(items.iter().map(Node::from_value).collect()),
            Value::Object(map) => Node::Obj(
                map.iter()
                    .map(|(k, v)| (k.as_bytes().to_vec(), Node::from_value(v)))
                    .collect(),
            ),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Node::Null => out.extend_from_slice(b"null"),
            Node::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Node::Token(t) => out.extend_from_slice(t.as_bytes()),
            Node::Str(s) => write_str(s, out),
            Node::Arr(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Node::Obj(entries) => {
                out.push(b'{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(key, out);
                    out.push(b':');
                    value.write(out);
                }
                out.push(b'}');
            }
        }
    }

    /// How many nodes the tree has (pre-order), for picking one at random.
    pub fn count(&self) -> usize {
        1 + match self {
            Node::Arr(items) => items.iter().map(Node::count).sum(),
            Node::Obj(entries) => entries.iter().map(|(_, v)| v.count()).sum(),
            _ => 0,
        }
    }

    /// The `n`th node in pre-order.
    pub fn nth_mut(&mut self, n: usize) -> &mut Node {
        let mut left = n;
        self.find(&mut left).expect("n is below count()")
    }

    fn find(&mut self, left: &mut usize) -> Option<&mut Node> {
        if *left == 0 {
            return Some(self);
        }
        *left -= 1;
        match self {
            Node::Arr(items) => items.iter_mut().find_map(|item| item.find(left)),
            Node::Obj(entries) => entries.iter_mut().find_map(|(_, v)| v.find(left)),
            _ => None,
        }
    }
}

fn write_str(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0..=0x1f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}
