//! Form bodies and query strings (`a=1&b=2`), read as PHP, Laravel and ASP.NET read them:
//! split on `&`, then `+` is a space and `%XX` a byte. A secret's value becomes `***`; a
//! name or value holding JSON (PayPro's `oJson`, a percent-encoded payload with no name) is
//! masked inside.

use super::json::{self, Undecodable};
use super::names::{Names, percent_decode};

/// A form body masked and still a form: pairs with nothing secret stay byte for byte, a
/// masked JSON value is percent-encoded again. None when nothing was secret.
pub fn mask_body(text: &str, names: &Names) -> Result<Option<String>, Undecodable> {
    let mut changed = false;
    let mut pieces = Vec::new();
    for piece in text.split('&') {
        let masked = mask_pair(piece, names)?;
        changed |= masked.is_some();
        pieces.push(match masked {
            Some(Masked::Secret(raw_name)) => format!("{raw_name}=***"),
            Some(Masked::Json { name, value }) => {
                let name = name.map_or_else(|| raw_name(piece).to_string(), |n| encode(&n));
                match value {
                    Some(value) => format!("{name}={}", encode(&value)),
                    None => match piece.split_once('=') {
                        Some((_, raw_value)) => format!("{name}={raw_value}"),
                        None => name,
                    },
                }
            }
            None => piece.to_string(),
        });
    }
    Ok(changed.then(|| pieces.join("&")))
}

/// A query string decoded as the providers read it (`a=b c`, not `a=b%20c`), secrets masked.
pub fn mask_query(raw: &str, names: &Names) -> Result<String, Undecodable> {
    let mut pieces = Vec::new();
    for piece in raw.split('&') {
        let masked = mask_pair(piece, names)?;
        let (name, value) = match piece.split_once('=') {
            Some((name, value)) => (percent_decode(name), Some(percent_decode(value))),
            None => (percent_decode(piece), None),
        };
        pieces.push(match masked {
            Some(Masked::Secret(_)) => format!("{name}=***"),
            Some(Masked::Json {
                name: masked_name,
                value: masked_value,
            }) => {
                let name = masked_name.unwrap_or(name);
                match masked_value.or(value) {
                    Some(value) => format!("{name}={value}"),
                    None => name,
                }
            }
            None => match value {
                Some(value) => format!("{name}={value}"),
                None => name,
            },
        });
    }
    Ok(pieces.join("&"))
}

/// Whether the text, read as a form, has a secret field with a value that is not masked:
/// the check that a body masked as JSON or multipart hides nothing from a reader that takes
/// the same bytes for a form (Chillr reads a body that is not valid JSON as one).
pub fn has_unmasked_secret(text: &str, names: &Names) -> bool {
    text.split('&').any(|piece| {
        piece.split_once('=').is_some_and(|(name, value)| {
            !value.is_empty() && value != "***" && names.is_secret(&percent_decode(name))
        })
    })
}

enum Masked {
    /// A secret with a value: the name as written.
    Secret(String),
    /// JSON in the (decoded) name or value, masked; None where that part is unchanged.
    Json {
        name: Option<String>,
        value: Option<String>,
    },
}

fn mask_pair(piece: &str, names: &Names) -> Result<Option<Masked>, Undecodable> {
    let (raw_name, raw_value) = match piece.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (piece, None),
    };
    let name = percent_decode(raw_name);
    if let Some(raw_value) = raw_value
        && names.is_secret(&name)
    {
        return Ok((!raw_value.is_empty()).then(|| Masked::Secret(raw_name.to_string())));
    }
    let masked_name = json::mask_embedded(&name, names, 0)?;
    let masked_value = match raw_value {
        Some(raw_value) => json::mask_embedded(&percent_decode(raw_value), names, 0)?,
        None => None,
    };
    Ok(
        (masked_name.is_some() || masked_value.is_some()).then_some(Masked::Json {
            name: masked_name,
            value: masked_value,
        }),
    )
}

fn raw_name(piece: &str) -> &str {
    piece.split_once('=').map_or(piece, |(name, _)| name)
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names::new(["MerchantPassword", "password", "mpin"])
    }

    #[test]
    fn secret_pairs_are_masked_and_the_rest_kept_as_sent() {
        let masked = mask_body("userName=Pay%20Pro&m%70in=12%2634&password=&x", &names());
        assert_eq!(
            masked,
            Ok(Some("userName=Pay%20Pro&m%70in=***&password=&x".into()))
        );
        assert_eq!(mask_body("a=1&b=2", &names()), Ok(None));
    }

    #[test]
    fn json_in_a_form_value_or_a_nameless_form_is_masked_and_encoded_again() {
        let body = "oJson=%5B%7B%22MerchantPassword%22%3A%22p%22%7D%5D&n=1";
        let masked = mask_body(body, &names()).unwrap().unwrap();
        assert_eq!(
            masked,
            "oJson=%5B%7B%22MerchantPassword%22%3A%22***%22%7D%5D&n=1"
        );
        assert_eq!(
            percent_decode(&masked),
            r#"oJson=[{"MerchantPassword":"***"}]&n=1"#
        );
        let nameless = "%5B%7B%22MerchantPassword%22%3A%22p%22%7D%5D";
        let masked = mask_body(nameless, &names()).unwrap().unwrap();
        assert_eq!(percent_decode(&masked), r#"[{"MerchantPassword":"***"}]"#);
        let broken = "oJson=%5B%7B%22MerchantPassword%22%3A%22a&b%22%7D%5D";
        assert!(mask_body(broken, &names()).is_err());
    }

    #[test]
    fn a_query_is_given_back_decoded() {
        assert_eq!(
            mask_query(
                "password=ab%26tail&userName=x+y&oJson=%7B%22mpin%22:1%7D&flag",
                &names()
            ),
            Ok(r#"password=***&userName=x y&oJson={"mpin":"***"}&flag"#.into())
        );
    }

    #[test]
    fn a_secret_pair_left_unmasked_is_noticed() {
        assert!(has_unmasked_secret(r#"{"a":"x&mpin=1"}"#, &names()));
        assert!(!has_unmasked_secret("a=1&mpin=***&password=", &names()));
    }
}
