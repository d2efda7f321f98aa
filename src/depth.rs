//! How deeply a JSON or JSON5 text nests, counted in one pass without recursion, so that no
//! parser that recurses is ever handed more than [`MAX_DEPTH`] levels: json5 has no limit of
//! its own (a few kilobytes of `[` overflowed the stack), and serde_json's is lifted in [`json`]
//! once the scan has bounded the depth.
//!
//! How it counts: outside strings and comments, `[` and `{` open a level and `]` and `}` close
//! one (never below zero); a text's depth is the most levels open at once (`1` is `[]` or
//! `{"a":1}`, `[[1]]` is 2, a scalar is 0). A string runs from `"` or `'` to the same quote,
//! and a backslash hides the character after it. `//` starts a comment that runs to a line
//! end (`\n`, `\r`, U+2028, U+2029) and `/*` one that runs to the first `*/`. These are
//! JSON5's rules, which take in JSON's, so on a text either parser reads the scan counts the
//! brackets the parser nests; where they differ (a `'` or a `/` outside a string) strict JSON
//! stops with an error at that character, before any bracket the scan did not count.
//!
//! The count works on bytes: every delimiter is ASCII, and UTF-8 never repeats an ASCII
//! byte inside a multi-byte character, so a body need not be valid UTF-8 to be scanned.

use serde::de::DeserializeOwned;

/// The most levels of nesting a provider reads: 128 is read, 129 is refused. (serde_json's own
/// limit, also called 128, refuses the 128th level; [`json`] replaces it with this one.)
pub const MAX_DEPTH: usize = 128;

/// Whether `text` nests deeper than [`MAX_DEPTH`]. Stops at the first level too many.
pub fn too_deep(text: impl AsRef<[u8]>) -> bool {
    let text = text.as_ref();
    // A text cannot nest deeper than it has opening brackets; counting them is a loop the
    // compiler vectorises, many times faster than the scan, and settles nearly every body.
    let opening = text.iter().filter(|&&b| b == b'[' || b == b'{').count();
    opening > MAX_DEPTH && scan(text, MAX_DEPTH) > MAX_DEPTH
}

/// The deepest nesting in `text`, counted as the module header says.
pub fn depth(text: impl AsRef<[u8]>) -> usize {
    scan(text.as_ref(), usize::MAX)
}

/// Strict JSON as serde_json reads it, with [`MAX_DEPTH`] in place of serde_json's own limit:
/// None when the text is not JSON for `T` or nests too deeply.
pub fn json<T: DeserializeOwned>(text: impl AsRef<[u8]>) -> Option<T> {
    let text = text.as_ref();
    if too_deep(text) {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    // Safe to lift: the scan above bounds the recursion to MAX_DEPTH frames.
    deserializer.disable_recursion_limit();
    let value = T::deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(value)
}

enum Mode {
    Code,
    String(u8),
    LineComment,
    BlockComment,
}

/// The deepest nesting, or the first depth over `limit` once one is reached.
fn scan(text: &[u8], limit: usize) -> usize {
    let mut mode = Mode::Code;
    let (mut open, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while i < text.len() {
        let byte = text[i];
        let next = text.get(i + 1).copied();
        match mode {
            Mode::Code => match byte {
                b'[' | b'{' => {
                    open += 1;
                    deepest = deepest.max(open);
                    if deepest > limit {
                        return deepest;
                    }
                }
                b']' | b'}' => open = open.saturating_sub(1),
                b'"' | b'\'' => mode = Mode::String(byte),
                b'/' if next == Some(b'/') => {
                    mode = Mode::LineComment;
                    i += 1;
                }
                b'/' if next == Some(b'*') => {
                    mode = Mode::BlockComment;
                    i += 1;
                }
                _ => {}
            },
            Mode::String(quote) => {
                if byte == b'\\' {
                    i += 1;
                } else if byte == quote {
                    mode = Mode::Code;
                }
            }
            Mode::LineComment => {
                if matches!(byte, b'\n' | b'\r') || is_unicode_line_end(&text[i..]) {
                    mode = Mode::Code;
                }
            }
            Mode::BlockComment => {
                if byte == b'*' && next == Some(b'/') {
                    mode = Mode::Code;
                    i += 1;
                }
            }
        }
        i += 1;
    }
    deepest
}

/// U+2028 or U+2029 (JSON5 line terminators) at the start of `rest`, in UTF-8.
fn is_unicode_line_end(rest: &[u8]) -> bool {
    matches!(rest, [0xE2, 0x80, 0xA8 | 0xA9, ..])
}

#[cfg(test)]
mod tests;
