//! Indian mobile numbers, which more than one provider takes: 10 digits starting 6–9, with
//! `+91`, `91` or `0` in front accepted.

/// The 10 significant digits, or None when the text is not such a number.
pub fn indian_mobile(text: &str) -> Option<&str> {
    let digits = match text.len() {
        13 => text.strip_prefix("+91")?,
        12 => text.strip_prefix("91")?,
        11 => text.strip_prefix('0')?,
        10 => text,
        _ => return None,
    };
    let valid = digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(digits.as_bytes().first(), Some(b'6'..=b'9'));
    valid.then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_stripped_and_the_rest_checked() {
        for text in ["9447741462", "+919447741462", "919447741462", "09447741462"] {
            assert_eq!(indian_mobile(text), Some("9447741462"), "{text}");
        }
        for bad in [
            "5447741462",
            "944774146",
            "+929447741462",
            "94477a1462",
            "",
            "+91944774146x",
        ] {
            assert_eq!(indian_mobile(bad), None, "{bad}");
        }
    }
}
