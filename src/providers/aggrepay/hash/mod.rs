//! The two hashes of Appendix 17: the request hash a client sends (17.1) and the response
//! hash the sandbox answers with (17.2); [`near_miss`] explains a request hash that does
//! not match.

pub mod near_miss;

use sha2::{Digest, Sha512};

/// 17.1: `strtoupper(sha512(salt|v1|v2...))` over the trimmed, non-empty values of every
/// field but the hash itself, in the byte order of the field names (PHP `ksort`).
pub fn request_hash(salt: &str, fields: &[(String, String)]) -> String {
    sha512_upper(&join(salt, hashed_fields(fields)))
}

/// The fields 17.1 hashes, in the order it hashes them: every field but the hash with a
/// non-empty trimmed value, sorted by the bytes of the name; values trimmed.
pub fn hashed_fields(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut sorted: Vec<(&str, &str)> = fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.trim()))
        .filter(|(name, value)| !is_hash_field(name) && !value.is_empty())
        .collect();
    sort_by_name(&mut sorted);
    sorted
}

/// PHP `ksort` of string keys: the byte order of the names.
pub fn sort_by_name(fields: &mut [(&str, &str)]) {
    fields.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
}

/// `salt|v1|v2...`
pub fn join<'a>(salt: &str, fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut data = salt.to_string();
    for (_, value) in fields {
        data.push('|');
        data.push_str(value);
    }
    data
}

/// 17.2: `strtoupper(sha512(salt . json))` where `json` is the response without its hash, as
/// PHP's `json_encode` writes it.
pub fn response_hash(salt: &str, json_without_hash: &str) -> String {
    sha512_upper(&format!("{salt}{json_without_hash}"))
}

pub fn is_hash_field(name: &str) -> bool {
    name.eq_ignore_ascii_case("hash")
}

pub fn sha512_upper(data: &str) -> String {
    hex::encode_upper(Sha512::digest(data.as_bytes()))
}

/// What a client that took SHA-256 for SHA-512 sends.
pub fn sha256_upper(data: &str) -> String {
    hex::encode_upper(sha2::Sha256::digest(data.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_request_hash_sorts_names_skips_empty_values_and_the_hash_itself() {
        // sha512("salt|k|9447741462") computed independently (PHP generateHashKey).
        let hash = request_hash(
            "salt",
            &fields(&[
                ("mobile_number", " 9447741462 "),
                ("api_key", "k"),
                ("email", ""),
                ("Hash", "x"),
            ]),
        );
        assert_eq!(hash, sha512_upper("salt|k|9447741462"));
        assert_eq!(hash.len(), 128);
        assert!(
            hash.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
    }

    #[test]
    fn byte_order_puts_upper_case_and_digits_before_lower_case() {
        let hash = request_hash(
            "s",
            &fields(&[("b", "2"), ("a", "1"), ("B", "3"), ("_x", "4"), ("0", "5")]),
        );
        assert_eq!(hash, sha512_upper("s|5|3|4|1|2"));
    }

    #[test]
    fn a_zero_is_not_an_empty_value() {
        assert_eq!(
            request_hash("s", &fields(&[("page_number", "0")])),
            sha512_upper("s|0")
        );
    }

    #[test]
    fn known_sha512_vector() {
        // SHA-512("abc") from FIPS 180-2.
        assert_eq!(
            sha512_upper("abc"),
            "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F"
        );
    }
}
