//! Masks secrets in what the journal shows: a field is masked after decoding, by the names the
//! providers read as secrets (their [`crate::providers::Provider::secret_fields`]), never by
//! matching raw text.
//!
//! Each channel is decoded as the providers decode it: the query string and form bodies
//! (percent-encoding, PHP-bracket names), JSON and Json.NET's lenient JSON, multipart parts,
//! and JSON carried inside any of those (a form field holding JSON). A secret's value becomes `***`
//! and the text stays valid in its format: `"password":"***"` in JSON, `pin=***` in
//! a form, a part whose content is `***` in multipart. A null or empty secret is kept: it
//! hides nothing and shows why a provider said "cannot be empty".
//!
//! A body that cannot be decoded (JSON that even the lenient reader refuses, JSON nested too
//! deep to parse safely, a broken multipart body) is shown as it came only when no secret
//! name appears in it in any decoded form; otherwise it is replaced by a note of its size.
//! Masking such text by pattern is what leaked before: no pattern knows every way a reader
//! could decode it.

mod form;
mod json;
mod multipart;
mod names;

use json::Undecodable;
pub use names::Names;

/// Masks request and response parts with the secret names of every provider.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    names: Names,
}

impl Masker {
    pub fn new<'a>(secret_names: impl IntoIterator<Item = &'a str>) -> Self {
        Masker {
            names: Names::new(secret_names),
        }
    }

    /// A request or response body (its content type, when known, picks multipart) masked.
    pub fn body(&self, content_type: Option<&str>, text: &str) -> String {
        let names = &self.names;
        let media_type = content_type.unwrap_or_default().to_ascii_lowercase();
        let masked = if media_type.trim_start().starts_with("multipart/form-data") {
            multipart::mask(content_type.unwrap_or_default(), text, names)
        } else if json::looks_like_json(text) {
            json::mask(text, names)
        } else {
            form::mask_body(text, names)
        };
        match masked {
            // The same bytes read as a form (as a provider may read a body that is not valid JSON)
            // must not give a secret away either.
            Ok(Some(masked)) if !form::has_unmasked_secret(&masked, names) => masked,
            Ok(None) if !form::has_unmasked_secret(text, names) => text.to_string(),
            Err(Undecodable) if !names.mentioned_in(text) => text.to_string(),
            _ => not_shown(text.len()),
        }
    }

    /// A query string, decoded as the providers read it, secrets masked.
    pub fn query(&self, raw: &str) -> String {
        match form::mask_query(raw, &self.names) {
            Ok(query) => query,
            Err(Undecodable) if !self.names.mentioned_in(raw) => names::percent_decode(raw),
            Err(Undecodable) => not_shown(raw.len()),
        }
    }

    /// A request header: credentials keep only their scheme (`Basic ***`); cookies, API-key
    /// headers, a header named like a secret field and a value that names one are masked whole.
    pub fn header(&self, name: &str, value: &str) -> String {
        let is = |known: &str| name.eq_ignore_ascii_case(known);
        if is("authorization") || is("proxy-authorization") {
            match value.trim().split_once(' ') {
                Some((scheme, _)) => format!("{scheme} ***"),
                None => "***".into(),
            }
        } else if is("cookie")
            || is("x-api-key")
            || is("x-auth-token")
            || is("x-access-token")
            || self.names.is_secret(name)
            || self.names.is_secret(&name.replace('-', "_"))
            || self.names.mentioned_in(value)
        {
            "***".into()
        } else {
            value.to_string()
        }
    }
}

fn not_shown(len: usize) -> String {
    format!("<not shown: {len} bytes that could not be decoded to mask their secrets>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masker() -> Masker {
        Masker::new(["UserPassword", "password", "secret_key", "pin"])
    }

    #[test]
    fn each_kind_of_body_is_masked_in_its_own_format() {
        let m = masker();
        assert_eq!(
            m.body(None, r#"{"api_key":"k","secret_key":"s"}"#),
            r#"{"api_key":"k","secret_key":"***"}"#
        );
        assert_eq!(
            m.body(Some("text/plain"), "userName=u&password=p"),
            "userName=u&password=***"
        );
        let multipart = "--b\r\nContent-Disposition: form-data; name=\"pin\"\r\n\r\n1\r\n--b--";
        assert_eq!(
            m.body(Some("Multipart/Form-Data; boundary=b"), multipart),
            "--b\r\nContent-Disposition: form-data; name=\"pin\"\r\n\r\n***\r\n--b--"
        );
        assert_eq!(m.body(None, "plain text"), "plain text");
    }

    #[test]
    fn undecodable_bodies_are_shown_only_when_they_name_no_secret() {
        let m = masker();
        assert_eq!(m.body(None, r#"{"amount": 1"#), r#"{"amount": 1"#);
        let cut = r#"{"amount":1,"UserPass\u0077ord":"TOPSEC"#;
        assert_eq!(
            m.body(None, cut),
            format!(
                "<not shown: {} bytes that could not be decoded to mask their secrets>",
                cut.len()
            )
        );
        let deep = format!("{}{{pin:1}}{}", "[".repeat(200), "]".repeat(200));
        assert!(m.body(None, &deep).starts_with("<not shown"));
    }

    #[test]
    fn bytes_that_a_form_reader_would_take_for_a_secret_are_not_shown() {
        let m = masker();
        assert!(m.body(None, r#"{"a":"x&pin=1"}"#).starts_with("<not shown"));
        assert!(m.body(None, "{a:'1'}&pin=4826").starts_with("<not shown"));
    }

    #[test]
    fn headers_keep_a_credential_scheme_and_lose_secrets() {
        let m = masker();
        assert_eq!(m.header("Authorization", "Basic dG9rZW46a2V5"), "Basic ***");
        assert_eq!(m.header("Proxy-Authorization", "token"), "***");
        assert_eq!(m.header("X-Api-Key", "k"), "***");
        assert_eq!(m.header("Secret-Key", "s"), "***");
        assert_eq!(m.header("Referer", "http://shop/pay?pin=1234"), "***");
        assert_eq!(
            m.header("content-type", "application/json"),
            "application/json"
        );
    }
}
