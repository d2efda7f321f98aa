//! The names and values a provider's golden requests use, so that a mutated request can
//! borrow another endpoint's parameter (a customer id where an order number was, Jaze's
//! `userId` as a query parameter) and get past the first checks more often.

use super::node::Node;
use super::request::{Body, Seed, Val};
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

#[derive(Default)]
pub struct Vocabulary {
    names: Vec<Vec<u8>>,
    values: Vec<Vec<u8>>,
}

impl Vocabulary {
    pub fn of(seeds: &[Seed]) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for seed in seeds {
            let request = &seed.request;
            for (name, value) in &request.query {
                vocabulary.pair(name, value);
            }
            match &request.body {
                Body::Form(pairs) => pairs.iter().for_each(|(n, v)| vocabulary.pair(n, v)),
                Body::Multipart(parts) => parts.iter().for_each(|(n, _, v)| vocabulary.pair(n, v)),
                Body::Json { doc, .. } => vocabulary.node(doc),
                Body::None | Body::Raw(_) => {}
            }
            for segment in request.segments.iter().skip(4) {
                vocabulary.value(segment);
            }
        }
        vocabulary.names.sort();
        vocabulary.names.dedup();
        vocabulary.values.sort();
        vocabulary.values.dedup();
        vocabulary
    }

    fn pair(&mut self, name: &[u8], value: &Val) {
        self.names.push(name.to_vec());
        match value {
            Val::Text(text) => self.value(text),
            Val::Json(node) => self.node(node),
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Str(s) => self.value(s),
            Node::Token(t) => self.value(t.as_bytes()),
            Node::Arr(items) => items.iter().for_each(|item| self.node(item)),
            Node::Obj(entries) => {
                for (key, value) in entries {
                    self.names.push(key.clone());
                    self.node(value);
                }
            }
            Node::Null | Node::Bool(_) => {}
        }
    }

    fn value(&mut self, value: &[u8]) {
        if !value.is_empty() && value.len() <= 256 {
            self.values.push(value.to_vec());
        }
    }

    pub fn name(&self, rng: &mut ChaCha8Rng) -> Vec<u8> {
        self.names.choose(rng).cloned().unwrap_or_default()
    }

    pub fn some_value(&self, rng: &mut ChaCha8Rng) -> Vec<u8> {
        self.values.choose(rng).cloned().unwrap_or_default()
    }
}
