//! Form bodies and query strings (`a=1&b=2`), read as PHP, Laravel and ASP.NET read them:
//! split on `&`, then `+` is a space and `%XX` a byte. A secret's value becomes `***`; a
//! name or value holding JSON (a field carrying JSON, a percent-encoded payload with no name) is
//! masked inside.

use super::json::{self, Undecodable};
use super::names::{Names, percent_decode};

/// A form body masked and still a form: pairs with nothing secret stay byte for byte, a
/// masked JSON value is percent-encoded again. None when nothing was secret.
pub fn mask_body(text: &str, names: &Names) -> Result<Option<String>, Undecodable> {
    let pairs = text
        .split('&')
        .map(|piece| Pair::masked(piece, names))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(pairs
        .iter()
        .any(Pair::changed)
        .then(|| pairs.iter().map(Pair::form).collect::<Vec<_>>().join("&")))
}

/// A query string decoded as the providers read it (`a=b c`, not `a=b%20c`), secrets masked.
pub fn mask_query(raw: &str, names: &Names) -> Result<String, Undecodable> {
    let pairs = raw
        .split('&')
        .map(|piece| Pair::masked(piece, names))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(pairs
        .iter()
        .map(Pair::decoded)
        .collect::<Vec<_>>()
        .join("&"))
}

/// Whether the text, read as a form, has a secret field with a value that is not masked:
/// the check that a body masked as JSON or multipart hides nothing from a reader that takes
/// the same bytes for a form (a provider may read a body that is not valid JSON as one).
pub fn has_unmasked_secret(text: &str, names: &Names) -> bool {
    text.split('&').any(|piece| {
        piece.split_once('=').is_some_and(|(name, value)| {
            !value.is_empty() && value != "***" && names.is_secret(&percent_decode(name))
        })
    })
}

/// One `name=value` piece of a form, and what masking put in place of its name or value
/// (decoded; None where unchanged).
struct Pair<'a> {
    raw_name: &'a str,
    raw_value: Option<&'a str>,
    name: Option<String>,
    value: Option<String>,
}

impl<'a> Pair<'a> {
    fn masked(piece: &'a str, names: &Names) -> Result<Self, Undecodable> {
        let (raw_name, raw_value) = match piece.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (piece, None),
        };
        let mut pair = Pair {
            raw_name,
            raw_value,
            name: None,
            value: None,
        };
        let name = percent_decode(raw_name);
        if names.is_secret(&name) {
            pair.value = raw_value.filter(|v| !v.is_empty()).map(|_| "***".into());
        } else {
            pair.name = json::mask_embedded(&name, names, 0)?;
            if let Some(raw_value) = raw_value {
                pair.value = json::mask_embedded(&percent_decode(raw_value), names, 0)?;
            }
        }
        Ok(pair)
    }

    fn changed(&self) -> bool {
        self.name.is_some() || self.value.is_some()
    }

    /// As a form: as written where unchanged, percent-encoded where masked.
    fn form(&self) -> String {
        let name = self.name.as_deref().map_or(self.raw_name.into(), encode);
        match (&self.value, self.raw_value) {
            (Some(value), _) => format!("{name}={}", encode(value)),
            (None, Some(raw_value)) => format!("{name}={raw_value}"),
            (None, None) => name,
        }
    }

    /// Decoded, as the journal shows a query.
    fn decoded(&self) -> String {
        let name = self
            .name
            .clone()
            .unwrap_or_else(|| percent_decode(self.raw_name));
        match (&self.value, self.raw_value) {
            (Some(value), _) => format!("{name}={value}"),
            (None, Some(raw_value)) => format!("{name}={}", percent_decode(raw_value)),
            (None, None) => name,
        }
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names::new(["UserPassword", "password", "pin"])
    }

    #[test]
    fn secret_pairs_are_masked_and_the_rest_kept_as_sent() {
        let masked = mask_body("userName=Pay%20Pro&%70in=12%2634&password=&x", &names());
        assert_eq!(
            masked,
            Ok(Some("userName=Pay%20Pro&%70in=***&password=&x".into()))
        );
        assert_eq!(mask_body("a=1&b=2", &names()), Ok(None));
    }

    #[test]
    fn json_in_a_form_value_or_a_nameless_form_is_masked_and_encoded_again() {
        let body = "data=%5B%7B%22UserPassword%22%3A%22p%22%7D%5D&n=1";
        let masked = mask_body(body, &names()).unwrap().unwrap();
        assert_eq!(
            masked,
            "data=%5B%7B%22UserPassword%22%3A%22***%22%7D%5D&n=1"
        );
        assert_eq!(
            percent_decode(&masked),
            r#"data=[{"UserPassword":"***"}]&n=1"#
        );
        let nameless = "%5B%7B%22UserPassword%22%3A%22p%22%7D%5D";
        let masked = mask_body(nameless, &names()).unwrap().unwrap();
        assert_eq!(percent_decode(&masked), r#"[{"UserPassword":"***"}]"#);
        let broken = "data=%5B%7B%22UserPassword%22%3A%22a&b%22%7D%5D";
        assert!(mask_body(broken, &names()).is_err());
    }

    #[test]
    fn a_query_is_given_back_decoded() {
        assert_eq!(
            mask_query(
                "password=ab%26tail&userName=x+y&data=%7B%22pin%22:1%7D&flag",
                &names()
            ),
            Ok(r#"password=***&userName=x y&data={"pin":"***"}&flag"#.into())
        );
    }

    #[test]
    fn a_secret_pair_left_unmasked_is_noticed() {
        assert!(has_unmasked_secret(r#"{"a":"x&pin=1"}"#, &names()));
        assert!(!has_unmasked_secret("a=1&pin=***&password=", &names()));
    }
}
