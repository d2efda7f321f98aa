//! JSON, and the lenient JSON Json.NET reads (JSON5): the value of every secret member
//! becomes `"***"`, and the text stays JSON.
//!
//! Strict JSON is masked in place, so everything else stays byte for byte as sent (number
//! text, escapes, spacing: what a client debugging an amount or a hash needs to see). Lenient
//! JSON is parsed and written back as strict JSON, which every lenient reader also takes.
//! A string value that itself holds JSON (a payload passed along as text) is masked inside.

use super::names::Names;
use serde_json::Value;

/// The text could not be decoded the way a provider might read it.
#[derive(Debug, PartialEq)]
pub struct Undecodable;

/// How deep JSON may nest for the JSON5 parser, which recurses once per level (serde_json
/// stops at the same depth on its own).
const MAX_DEPTH: usize = 128;
/// How many times JSON may be wrapped in a string inside JSON (or a form) and still be read.
const MAX_NESTING: usize = 4;

/// Whether a reader takes the text for JSON (an ASP.NET provider's test: the first
/// character after white space and a byte-order mark opens an array or an object).
pub fn looks_like_json(text: &str) -> bool {
    matches!(
        text.trim_start_matches('\u{feff}')
            .trim_start()
            .as_bytes()
            .first(),
        Some(b'[' | b'{')
    )
}

/// The JSON text masked; None when nothing in it was secret.
pub fn mask(text: &str, names: &Names) -> Result<Option<String>, Undecodable> {
    mask_at(text, names, 0)
}

/// A string found inside JSON, a form or a part, masked as JSON when it holds JSON. When it
/// looks like JSON but cannot be read, it is refused only if it names a secret: a customer
/// called `[VIP] Saim` is just text.
pub fn mask_embedded(
    text: &str,
    names: &Names,
    nesting: usize,
) -> Result<Option<String>, Undecodable> {
    if !looks_like_json(text) {
        return Ok(None);
    }
    let masked = if nesting < MAX_NESTING {
        mask_at(text, names, nesting + 1)
    } else {
        Err(Undecodable)
    };
    match masked {
        Err(Undecodable) if !names.mentioned_in(text) => Ok(None),
        other => other,
    }
}

fn mask_at(text: &str, names: &Names, nesting: usize) -> Result<Option<String>, Undecodable> {
    let start = text.len() - text.trim_start_matches('\u{feff}').trim_start().len();
    let end = text.trim_end().len().max(start);
    let json = &text[start..end];
    if serde_json::from_str::<serde::de::IgnoredAny>(json).is_ok() {
        let masked = mask_in_place(json, names, nesting)?;
        return Ok(masked.map(|m| format!("{}{m}{}", &text[..start], &text[end..])));
    }
    if !within_depth(json) {
        return Err(Undecodable);
    }
    let mut value: Value = json5::from_str(json).map_err(|_| Undecodable)?;
    if mask_value(&mut value, names, nesting)? {
        Ok(Some(value.to_string()))
    } else {
        Ok(None)
    }
}

/// Masks valid JSON text without parsing it into values: a scan that knows, at each string,
/// whether it is a member name, and skips a secret member's whole value.
fn mask_in_place(json: &str, names: &Names, nesting: usize) -> Result<Option<String>, Undecodable> {
    let bytes = json.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    // For each open container, whether it is an object.
    let mut objects: Vec<bool> = Vec::new();
    let mut expect_name = false;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'{' => {
                objects.push(true);
                expect_name = true;
            }
            b'[' => {
                objects.push(false);
                expect_name = false;
            }
            b'}' | b']' => {
                objects.pop();
            }
            b',' => expect_name = objects.last() == Some(&true),
            b'"' => {
                let end = string_end(bytes, at);
                let text: String = serde_json::from_str(&json[at..end]).map_err(|_| Undecodable)?;
                if expect_name {
                    expect_name = false;
                    if names.is_secret(&text) {
                        let value_start = skip_to_value(bytes, end);
                        let value_end = value_end(bytes, value_start);
                        let value = &json[value_start..value_end];
                        if value != "null" && value != "\"\"" {
                            out.push_str(&json[copied..value_start]);
                            out.push_str("\"***\"");
                            copied = value_end;
                        }
                        at = value_end;
                        continue;
                    }
                } else if let Some(inner) = mask_embedded(&text, names, nesting)? {
                    out.push_str(&json[copied..at]);
                    out.push_str(&Value::String(inner).to_string());
                    copied = end;
                }
                at = end;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    if copied == 0 {
        return Ok(None);
    }
    out.push_str(&json[copied..]);
    Ok(Some(out))
}

/// The index just past the string that opens at `at`.
fn string_end(bytes: &[u8], at: usize) -> usize {
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Past the white space and the colon after a member name.
fn skip_to_value(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b':') {
        at += 1;
    }
    at
}

/// The index just past the value that starts at `at`.
fn value_end(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(b'"') => string_end(bytes, at),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut i = at;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = string_end(bytes, i);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            bytes.len()
        }
        _ => {
            let mut i = at;
            while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']') {
                i += 1;
            }
            // Back over white space before the separator.
            while i > at && bytes[i - 1].is_ascii_whitespace() {
                i -= 1;
            }
            i
        }
    }
}

/// Masks a parsed value; whether anything changed.
fn mask_value(value: &mut Value, names: &Names, nesting: usize) -> Result<bool, Undecodable> {
    let mut changed = false;
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                if !names.is_secret(name) {
                    changed |= mask_value(member, names, nesting)?;
                } else if !matches!(member, Value::Null) && member.as_str() != Some("") {
                    *member = Value::String("***".into());
                    changed = true;
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                changed |= mask_value(item, names, nesting)?;
            }
        }
        Value::String(text) => {
            if let Some(inner) = mask_embedded(text, names, nesting)? {
                *text = inner;
                changed = true;
            }
        }
        _ => {}
    }
    Ok(changed)
}

/// Whether JSON5 text nests at most [`MAX_DEPTH`] deep, found without recursion. Strings
/// (either quote) and comments are skipped as JSON5 reads them; where unsure (a line break
/// inside a string, which JSON5 refuses anyway) a bracket is counted, so the depth found is
/// never less than the parser's.
fn within_depth(text: &str) -> bool {
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    let is_line_end = |c: char| matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}');
    while let Some(c) = chars.next() {
        match c {
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return false;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            '"' | '\'' => {
                while let Some(s) = chars.next() {
                    match s {
                        '\\' => {
                            chars.next();
                        }
                        s if s == c || is_line_end(s) => break,
                        _ => {}
                    }
                }
            }
            '/' if chars.next_if_eq(&'/').is_some() => {
                while chars.next_if(|&s| !is_line_end(s)).is_some() {}
            }
            '/' if chars.next_if_eq(&'*').is_some() => {
                while let Some(s) = chars.next() {
                    if s == '*' && chars.next_if_eq(&'/').is_some() {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names::new(["UserPassword", "password", "pin", "secret_key"])
    }

    fn masked(text: &str) -> String {
        mask(text, &names())
            .expect("decodable")
            .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn strict_json_is_masked_in_place() {
        assert_eq!(
            masked(r#"{"api_key":"k1", "secret_key" : "s3\"cr3t","amount":10.00}"#),
            r#"{"api_key":"k1", "secret_key" : "***","amount":10.00}"#
        );
        assert_eq!(
            masked(r#"[{"UserPass\u0077ord":"p","x":"a\/b"},{"pin":[4826, "x"] , "n":1}]"#),
            r#"[{"UserPass\u0077ord":"***","x":"a\/b"},{"pin":"***" , "n":1}]"#
        );
        assert_eq!(masked(r#"{"pin":4826}"#), r#"{"pin":"***"}"#);
        assert_eq!(masked(r#"{"pin":{"a":[1]}}"#), r#"{"pin":"***"}"#);
        let kept = r#"{"pin":null,"password":"","pin_updated":"true"}"#;
        assert_eq!(mask(kept, &names()), Ok(None));
    }

    #[test]
    fn lenient_json_is_written_back_as_json() {
        assert_eq!(
            masked("[{UserId:'Shop', \"UserPassword\" /* c */ : 'p',},]"),
            r#"[{"UserId":"Shop","UserPassword":"***"}]"#
        );
    }

    #[test]
    fn json_inside_a_string_is_masked_and_stays_a_string() {
        assert_eq!(
            masked(r#"{"data":"[{\"UserPassword\":\"p\"}]"}"#),
            r#"{"data":"[{\"UserPassword\":\"***\"}]"}"#
        );
        let name = r#"{"CustomerName":"[VIP] Saim"}"#;
        assert_eq!(mask(name, &names()), Ok(None));
        let broken = r#"{"note":"[{\"password\":\"p\""}"#;
        assert_eq!(mask(broken, &names()), Err(Undecodable));
    }

    /// Lenient JSON as deep as allowed, inside a string of lenient JSON as deep as allowed,
    /// as many times as allowed: masked on a thread with tokio's default 2 MiB stack.
    #[test]
    fn the_deepest_readable_nesting_fits_a_worker_thread_stack() {
        let mut text = "{pin:'4826'}".to_string();
        for _ in 0..MAX_NESTING {
            let string = Value::String(text).to_string();
            text = format!(
                "{}{{a:{string}, // c\n}}{}",
                "[".repeat(MAX_DEPTH - 1),
                "]".repeat(MAX_DEPTH - 1)
            );
        }
        let masked = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || mask(&text, &names()))
            .unwrap()
            .join()
            .expect("no overflow");
        let masked = masked.expect("decodable").expect("masked");
        assert!(!masked.contains("4826"), "{masked}");
        assert!(masked.contains("***"), "{masked}");
    }

    #[test]
    fn json_too_deep_for_the_lenient_parser_is_refused_without_parsing() {
        let deep = format!("{}{{a:1}}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(!within_depth(&deep));
        assert_eq!(mask(&deep, &names()), Err(Undecodable));
        let brackets_in_strings = format!("[{}]", "'[[[', \"{{{{\", // [[[\n".repeat(200));
        assert!(within_depth(&brackets_in_strings));
        assert!(within_depth(&format!(
            "{}{}",
            "[".repeat(128),
            "]".repeat(128)
        )));
        assert!(!within_depth(&"[".repeat(129)));
        // A closing bracket in a comment ended by `\r` does not hide the depth after it.
        assert!(!within_depth(&format!("// ]]]]\r{}", "[".repeat(129))));
    }
}
