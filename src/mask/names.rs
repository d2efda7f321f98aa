//! Which field names are secret, and whether text that could not be decoded names one.
//!
//! The names come from the providers (what each one reads as a password, key, PIN...). A
//! name matches in any ASCII case and trimmed, as an ASP.NET provider reads names, and also as
//! PHP reads a form name: `new.pin` and `new pin` are `new_pin`, `pin[]` and `data[pin]` carry
//! `pin`.

/// The secret field names, lower-case.
#[derive(Debug, Clone, Default)]
pub struct Names(Vec<String>);

impl Names {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut names: Vec<String> = names
            .into_iter()
            .map(|name| name.trim().to_ascii_lowercase())
            .filter(|name| !name.is_empty())
            .collect();
        names.sort();
        names.dedup();
        Names(names)
    }

    /// Whether a field read under this (decoded) name holds a secret.
    pub fn is_secret(&self, name: &str) -> bool {
        let name = name.trim();
        if self.matches(name) {
            return true;
        }
        let (base, brackets) = name.split_once('[').unwrap_or((name, ""));
        let php_base: String = base
            .trim()
            .chars()
            .map(|c| if c == ' ' || c == '.' { '_' } else { c })
            .collect();
        self.matches(&php_base)
            || brackets
                .split(['[', ']'])
                .any(|segment| self.matches(segment.trim()))
    }

    fn matches(&self, name: &str) -> bool {
        self.0
            .iter()
            .any(|secret| secret.eq_ignore_ascii_case(name))
    }

    /// Whether the text names a secret field in any form a reader could decode it to:
    /// as written, percent-decoded, with JSON or JSON5 escapes resolved, or both in turn. A
    /// name counts as a whole word (`otp`, not the `otp` in `otp_sent` or `customerotp`).
    pub fn mentioned_in(&self, text: &str) -> bool {
        self.mentioned_within(text, 3)
    }

    /// Depth first, so that at most one view per round is held at a time (a body over the
    /// journal's limit may be megabytes).
    fn mentioned_within(&self, text: &str, rounds: usize) -> bool {
        if self.named_in(text) {
            return true;
        }
        if rounds == 0 {
            return false;
        }
        let decodes = |decode: fn(&str) -> String| {
            let decoded = decode(text);
            decoded != text && self.mentioned_within(&decoded, rounds - 1)
        };
        (text.contains(['%', '+']) && decodes(percent_decode))
            || (text.contains('\\') && decodes(unescape))
    }

    fn named_in(&self, text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        self.0.iter().any(|name| {
            lower.match_indices(name.as_str()).any(|(at, _)| {
                let before = lower.as_bytes()[..at].last().copied();
                let after = lower.as_bytes().get(at + name.len()).copied();
                !before.is_some_and(is_word) && !after.is_some_and(is_word)
            })
        })
    }
}

/// `+` as a space and `%XX` as a byte, as form and query readers decode.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// JSON and JSON5 escapes resolved (`\u0077`, `\x77`, `\"`, a backslash before a line break
/// continuing the line), wherever they are: only for looking for names, not for reading values.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => push_hex(&mut out, &mut chars, 4),
            Some('x') => push_hex(&mut out, &mut chars, 2),
            Some('\r') => {
                chars.next_if_eq(&'\n');
            }
            Some('\n' | '\u{2028}' | '\u{2029}') => {}
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn push_hex(out: &mut String, chars: &mut std::iter::Peekable<std::str::Chars>, digits: usize) {
    let hex: String = (0..digits).filter_map(|_| chars.next()).collect();
    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
        Some(c) => out.push(c),
        None => out.push_str(&hex),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names::new(["UserPassword", "password", "pin", "new_pin", "otp"])
    }

    #[test]
    fn names_match_trimmed_in_any_case_and_as_php_reads_them() {
        let names = names();
        for secret in [
            "pin",
            " PIN ",
            "userpassword",
            "new.pin",
            "new pin",
            "pin[]",
            "data[pin]",
            "customers[0][Password]",
        ] {
            assert!(names.is_secret(secret), "{secret}");
        }
        for plain in ["otp_sent", "pin_updated", "xpin", "pass word", "", "[]"] {
            assert!(!names.is_secret(plain), "{plain}");
        }
    }

    #[test]
    fn a_mention_is_found_through_escapes_and_percent_encoding() {
        let names = names();
        for text in [
            r#"{"UserPass\u0077ord": "x"#,
            r"{'\x70in': 1",
            "%70in=1",
            "%22UserPass%5Cu0077ord%22",
            "{\"pass\\\nword\"",
            "a=1&Password",
        ] {
            assert!(names.mentioned_in(text), "{text}");
        }
        for text in [r#"{"otp_sent":"true"}"#, "/api/v1/resendotp", "passwords"] {
            assert!(!names.mentioned_in(text), "{text}");
        }
    }
}
