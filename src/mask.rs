//! Masks secrets in what the journal keeps: passwords, MPINs, api secrets, salts, OTPs and
//! credentials in headers become `***`.
//!
//! It works on text, not on a parsed body, because the journal keeps what arrived: JSON (also
//! Json.NET's lenient kind), form bodies, query strings and multipart parts all name a field
//! and then give its value.

use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::LazyLock;

/// A field is secret when its name ends with one of these (case-insensitive):
/// `MerchantPassword`, `api_secret_key`, `new_mpin`, `otp`, `salt`...
const SECRET_NAME: &str = r"(?:password|secret_key|mpin|otp|salt)";

/// `name": "value"`, `name='value'`, `name=value&`, `name: value,` with the name's own quote.
/// A quoted value without its closing quote (a body cut at the journal's limit) runs to the
/// end of the text.
static NAMED_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?i)(\b[\w-]*{SECRET_NAME}\\?["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*(?:"|$)|'(?:[^'\\]|\\.)*(?:'|$)|[^&,;}}\]\s"']*)"#
    ))
    .expect("a valid pattern")
});

/// A multipart part: `name="mpin"`, a blank line, then the value.
static MULTIPART_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"(?i)(name="[\w-]*{SECRET_NAME}"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n)([^\r\n]*)"#
    ))
    .expect("a valid pattern")
});

/// The text with every secret value replaced by `***` (quotes kept).
pub fn mask_text(text: &str) -> String {
    let masked = NAMED_VALUE.replace_all(text, |c: &Captures| {
        let value = &c[2];
        let masked_value = match value.chars().next() {
            _ if value.is_empty() => "",
            Some('"') => "\"***\"",
            Some('\'') => "'***'",
            _ => "***",
        };
        format!("{}{}", &c[1], masked_value)
    });
    match MULTIPART_VALUE.replace_all(&masked, |c: &Captures| format!("{}***", &c[1])) {
        Cow::Owned(twice) => twice,
        Cow::Borrowed(_) => masked.into_owned(),
    }
}

/// A query string, percent-decoded as the providers read it, with secrets masked. A secret
/// parameter is masked before decoding, so an encoded `&` or space in it cannot end the mask
/// early; the other values are decoded and masked as text (JSON in `oJson`, say).
pub fn mask_query(raw: &str) -> String {
    raw.split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name);
            if SECRET_PARAMETER.is_match(&name) && pair.contains('=') {
                format!("{name}=***")
            } else if pair.contains('=') {
                mask_text(&format!("{name}={}", decode(value)))
            } else {
                mask_text(&name)
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

static SECRET_PARAMETER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i){SECRET_NAME}$")).expect("a valid pattern"));

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// Credentials in headers: the scheme stays, the secret goes (`Basic ***`).
pub fn mask_header(name: &str, value: &str) -> String {
    let is = |known: &str| name.eq_ignore_ascii_case(known);
    if is("authorization") || is("proxy-authorization") {
        match value.split_once(' ') {
            Some((scheme, _)) => format!("{scheme} ***"),
            None => "***".into(),
        }
    } else if is("cookie") || is("x-api-key") {
        "***".into()
    } else {
        mask_text(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_secrets_are_masked_and_other_fields_kept() {
        let body = r#"{"api_key":"k1","api_secret_key":"s3cr3t","MerchantPassword": "Pay\"Pro","mpin":1234}"#;
        assert_eq!(
            mask_text(body),
            r#"{"api_key":"k1","api_secret_key":"***","MerchantPassword": "***","mpin":***}"#
        );
    }

    #[test]
    fn lenient_json_form_and_query_secrets_are_masked() {
        assert_eq!(mask_text("{password:'abc', x:1}"), "{password:'***', x:1}");
        assert_eq!(
            mask_text("userName=PayPro&password=PayProi517&cpayId=1"),
            "userName=PayPro&password=***&cpayId=1"
        );
        assert_eq!(
            mask_text("otp=123456&new_mpin=9876"),
            "otp=***&new_mpin=***"
        );
    }

    #[test]
    fn names_that_only_contain_a_secret_word_are_kept() {
        let body = r#"{"otp_sent":"true","otp_expires":"600","path":"/api/v1/customerotp"}"#;
        assert_eq!(mask_text(body), body);
    }

    #[test]
    fn a_secret_cut_off_before_its_closing_quote_is_masked_to_the_end() {
        assert_eq!(
            mask_text(r#"{"a":1,"password":"TOPSECR"#),
            r#"{"a":1,"password":"***""#
        );
    }

    #[test]
    fn query_secrets_are_masked_before_decoding() {
        assert_eq!(
            mask_query("password=ab%26tail-secret&userName=x+y"),
            "password=***&userName=x y"
        );
        assert_eq!(
            mask_query("oJson=%5B%7B%22MerchantPassword%22%3A%22p%22%7D%5D&flag"),
            r#"oJson=[{"MerchantPassword":"***"}]&flag"#
        );
    }

    #[test]
    fn multipart_parts_are_masked() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"mpin\"\r\n\r\n1234\r\n--b\r\nContent-Disposition: form-data; name=\"amount\"\r\n\r\n10\r\n--b--";
        let masked = mask_text(body);
        assert!(masked.contains("name=\"mpin\"\r\n\r\n***\r\n"), "{masked}");
        assert!(masked.contains("name=\"amount\"\r\n\r\n10\r\n"), "{masked}");
    }

    #[test]
    fn authorization_keeps_its_scheme_only() {
        assert_eq!(
            mask_header("Authorization", "Basic dG9rZW46a2V5"),
            "Basic ***"
        );
        assert_eq!(
            mask_header("content-type", "application/json"),
            "application/json"
        );
    }
}
