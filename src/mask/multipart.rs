//! `multipart/form-data` bodies: the content of a secret part becomes `***`, JSON in a part
//! (a provider's uploaded payload) is masked inside, and every boundary and part header stays as
//! sent.
//!
//! Parts are named by multer, the parser the providers use (it takes `name=pin` unquoted
//! and percent-decodes names); the parts' places in the text come from a split on the
//! boundary, and each part's content must be exactly what multer read, else the body counts
//! as undecodable.

use super::json::{self, Undecodable};
use super::names::{Names, percent_decode};
use bytes::Bytes;
use futures_util::FutureExt;
use std::ops::Range;

pub fn mask(content_type: &str, body: &str, names: &Names) -> Result<Option<String>, Undecodable> {
    let boundary = multer::parse_boundary(content_type).map_err(|_| Undecodable)?;
    let fields = read_fields(&boundary, body).ok_or(Undecodable)?;
    let parts = split(&boundary, body).ok_or(Undecodable)?;
    if parts.len() != fields.len() {
        return Err(Undecodable);
    }
    let mut out = String::new();
    let mut copied = 0;
    for ((name, content), range) in fields.iter().zip(parts) {
        if body.as_bytes()[range.clone()] != content[..] {
            return Err(Undecodable);
        }
        let text = &body[range.clone()];
        // multer takes an unquoted name as written; other readers percent-decode it.
        let secret = name
            .as_deref()
            .is_some_and(|n| names.is_secret(n) || names.is_secret(&percent_decode(n)));
        let masked = if secret {
            (!text.is_empty()).then(|| "***".to_string())
        } else {
            json::mask_embedded(text, names, 0)?
        };
        if let Some(masked) = masked {
            out.push_str(&body[copied..range.start]);
            out.push_str(&masked);
            copied = range.end;
        }
    }
    if copied == 0 {
        return Ok(None);
    }
    out.push_str(&body[copied..]);
    Ok(Some(out))
}

/// Each part's name and content, as multer reads them; None when multer refuses the body.
/// The body is whole in memory, so the parser never waits and completes on the first poll.
fn read_fields(boundary: &str, body: &str) -> Option<Vec<(Option<String>, Bytes)>> {
    let body = Bytes::copy_from_slice(body.as_bytes());
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    async move {
        let mut fields = Vec::new();
        while let Some(field) = multipart.next_field().await.ok()? {
            let name = field.name().map(str::to_string);
            fields.push((name, field.bytes().await.ok()?));
        }
        Some(fields)
    }
    .now_or_never()
    .flatten()
}

/// Where each part's content is: after the first `--boundary` anywhere (as multer looks for
/// it), each part runs from the end of its headers to the next `CRLF--boundary`.
fn split(boundary: &str, body: &str) -> Option<Vec<Range<usize>>> {
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n{delimiter}");
    let mut at = body.find(&delimiter)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with("--") {
            return Some(parts);
        }
        let headers = at + body[at..].find("\r\n")? + 2;
        let content = headers + body[headers..].find("\r\n\r\n")? + 4;
        let end = content + body[content..].find(&next_delimiter)?;
        parts.push(content..end);
        at = end + next_delimiter.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/form-data; boundary=XyZ";

    fn names() -> Names {
        Names::new(["UserPassword", "pin"])
    }

    fn part(disposition: &str, content: &str) -> String {
        format!("--XyZ\r\nContent-Disposition: form-data; {disposition}\r\n\r\n{content}\r\n")
    }

    #[test]
    fn secret_parts_and_json_files_are_masked_and_the_rest_kept() {
        let body = format!(
            "preamble\r\n{}{}{}{}{}--XyZ--\r\n",
            part("name=\"api_key\"", "k"),
            part("name=pin", "4826"),
            part("name=%70in", "4826"),
            part("name=\"PIN\"", ""),
            part(
                "name=\"file\"; filename=\"o.json\"",
                "[{\"UserPassword\":\"p\"}]"
            ),
        );
        let masked = mask(TYPE, &body, &names()).unwrap().unwrap();
        let expected = format!(
            "preamble\r\n{}{}{}{}{}--XyZ--\r\n",
            part("name=\"api_key\"", "k"),
            part("name=pin", "***"),
            part("name=%70in", "***"),
            part("name=\"PIN\"", ""),
            part(
                "name=\"file\"; filename=\"o.json\"",
                "[{\"UserPassword\":\"***\"}]"
            ),
        );
        assert_eq!(masked, expected);
    }

    #[test]
    fn a_body_multer_cannot_read_is_undecodable() {
        let cut = "--XyZ\r\nContent-Disposition: form-data; name=\"pin\"\r\n\r\n4826";
        assert_eq!(mask(TYPE, cut, &names()), Err(Undecodable));
        assert_eq!(mask("multipart/form-data", cut, &names()), Err(Undecodable));
    }
}
