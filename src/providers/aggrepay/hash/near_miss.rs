//! Why a request hash did not match (Appendix 17.1). `expected` shows the string the sandbox
//! hashed, the salt as `<salt>` and secret values as `***`, with the field names in the
//! order used; then each common client mistake is tried, and when the client's hash is the
//! one that mistake makes, the rule names it. Each try is one SHA over a short string, and
//! only a refused request pays for them.

use super::{hashed_fields, is_hash_field, join, sha256_upper, sha512_upper, sort_by_name};
use crate::diagnosis::Diagnosis;
use crate::providers::Provider;
use crate::providers::aggrepay::AggrePay;
use crate::providers::aggrepay::diagnoses::{
    HASH_EMPTY_INCLUDED, HASH_INCLUDED, HASH_MISMATCH, HASH_MISSING, HASH_OTHER_MERCHANT,
    HASH_POSTED_ORDER, HASH_SALT_LAST, HASH_SHA256, HASH_UNTRIMMED,
};

/// What a request was signed over, as the sandbox sees it.
pub struct Signing<'a> {
    /// The merchant's salt.
    pub salt: &'a str,
    /// The fields as read (trimmed), in the order posted.
    pub fields: &'a [(String, String)],
    /// The same fields with their values exactly as posted (spaces kept).
    pub as_posted: &'a [(String, String)],
    /// The salts of other merchants (a hash made with one of them is a mistake of its own).
    pub other_salts: &'a [String],
}

/// The request carries no hash at all.
pub fn missing(signing: &Signing) -> Diagnosis {
    HASH_MISSING
        .diagnose()
        .field("hash")
        .expected(shown(signing))
}

/// The request's hash `given` is not the one 17.1 makes.
pub fn mismatch(given: &str, signing: &Signing) -> Diagnosis {
    let diagnosis = mistake(given, signing).unwrap_or_else(|| {
        let plain = HASH_MISMATCH.diagnose();
        let digits = given.chars().filter(char::is_ascii_hexdigit).count();
        if digits == given.len() && digits != 128 {
            plain.hint(format!(
                "A SHA-512 hash is 128 hex characters, yours has {digits}: hash the string \
                 in `expected` (your salt for <salt>) with SHA-512, upper case."
            ))
        } else {
            plain
        }
    });
    diagnosis
        .field("hash")
        .expected(shown(signing))
        .got(unsalted(given, signing.salt))
}

/// The mistake whose hash the client sent, tried in turn.
fn mistake(given: &str, signing: &Signing) -> Option<Diagnosis> {
    let is = |hash: String| hash.eq_ignore_ascii_case(given);
    let salt = signing.salt;
    let right = hashed_fields(signing.fields);

    let spaced: Vec<&str> = signing
        .as_posted
        .iter()
        .filter(|(name, value)| !is_hash_field(name) && value.trim() != value)
        .map(|(name, _)| name.as_str())
        .collect();
    if !spaced.is_empty() {
        // PHP's `strlen($value) > 0` keeps a value of spaces only.
        let mut posted: Vec<(&str, &str)> = signing
            .as_posted
            .iter()
            .filter(|(name, value)| !is_hash_field(name) && !value.is_empty())
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        sort_by_name(&mut posted);
        if is(sha512_upper(&join(salt, posted))) {
            return Some(HASH_UNTRIMMED.diagnose().hint(format!(
                "Trim each value before hashing (`{}` had spaces around it): AggrePay hashes \
                 the trimmed values.",
                spaced.join("`, `")
            )));
        }
    }

    let unsigned = || {
        signing
            .fields
            .iter()
            .filter(|(name, _)| !is_hash_field(name))
            .map(|(name, value)| (name.as_str(), value.as_str()))
    };
    let empty: Vec<&str> = unsigned()
        .filter(|(_, value)| value.is_empty())
        .map(|(name, _)| name)
        .collect();
    if !empty.is_empty() {
        let mut all: Vec<(&str, &str)> = unsigned().collect();
        sort_by_name(&mut all);
        if is(sha512_upper(&join(salt, all))) {
            return Some(HASH_EMPTY_INCLUDED.diagnose().hint(format!(
                "Leave out the fields with empty values (`{}`) when joining: only fields \
                 with values are hashed.",
                empty.join("`, `")
            )));
        }
    }

    let posted_order: Vec<(&str, &str)> = unsigned().filter(|(_, v)| !v.is_empty()).collect();
    if posted_order != right && is(sha512_upper(&join(salt, posted_order))) {
        return Some(HASH_POSTED_ORDER.diagnose());
    }

    // Signed twice: a client that signs its field map after the hash is in it, under the
    // document's `Hash` or as `hash`.
    let correct = sha512_upper(&join(salt, right.iter().copied()));
    for name in ["Hash", "hash"] {
        let mut twice = right.clone();
        twice.push((name, correct.as_str()));
        sort_by_name(&mut twice);
        if is(sha512_upper(&join(salt, twice))) {
            return Some(HASH_INCLUDED.diagnose());
        }
    }

    if !right.is_empty() {
        let values: Vec<&str> = right.iter().map(|(_, value)| *value).collect();
        if is(sha512_upper(&format!("{}|{salt}", values.join("|")))) {
            return Some(HASH_SALT_LAST.diagnose());
        }
    }

    if is(sha256_upper(&join(salt, right.iter().copied()))) {
        return Some(HASH_SHA256.diagnose());
    }

    signing
        .other_salts
        .iter()
        .filter(|other| other.as_str() != salt)
        .any(|other| is(sha512_upper(&join(other, right.iter().copied()))))
        .then(|| HASH_OTHER_MERCHANT.diagnose())
}

/// The string 17.1 hashes, salt and secrets masked, then the field names in that order:
/// `<salt>|***|9447741462 (fields: salt|api_key|mobile_number)`.
fn shown(signing: &Signing) -> String {
    let fields = hashed_fields(signing.fields);
    let mut values = String::from("<salt>");
    let mut names = String::from("salt");
    for (name, value) in fields {
        values.push('|');
        if is_secret(name) {
            values.push_str("***");
        } else {
            values.push_str(&unsalted(value, signing.salt));
        }
        names.push('|');
        names.push_str(name);
    }
    format!("{values} (fields: {names})")
}

/// The provider's secret fields, and the `api_key` that goes with the salt.
fn is_secret(name: &str) -> bool {
    name.eq_ignore_ascii_case("api_key")
        || AggrePay
            .secret_fields()
            .iter()
            .any(|secret| secret.eq_ignore_ascii_case(name))
}

/// A value shown with the salt in it (a client that posts its salt by mistake) as `<salt>`.
fn unsalted(value: &str, salt: &str) -> String {
    if salt.is_empty() {
        value.to_string()
    } else {
        value.replace(salt, "<salt>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn diagnose(given: &str, posted: &[(&str, &str)], others: &[String]) -> Diagnosis {
        let as_posted = owned(posted);
        let fields: Vec<(String, String)> = as_posted
            .iter()
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .collect();
        let signing = Signing {
            salt: "s",
            fields: &fields,
            as_posted: &as_posted,
            other_salts: others,
        };
        mismatch(given, &signing)
    }

    const POSTED: &[(&str, &str)] = &[("mobile_number", "9447741462"), ("api_key", "k")];

    #[test]
    fn expected_shows_the_string_hashed_with_salt_and_secrets_masked() {
        let d = diagnose("ABC", POSTED, &[]);
        assert_eq!(d.rule, "aggrepay.hash.mismatch");
        assert_eq!(
            d.expected.as_deref(),
            Some("<salt>|***|9447741462 (fields: salt|api_key|mobile_number)")
        );
        assert_eq!(d.got.as_deref(), Some("ABC"));
        assert!(d.hint.contains("has 3"), "{}", d.hint);
    }

    #[test]
    fn each_mistake_is_named() {
        let cases: &[(&str, String)] = &[
            ("aggrepay.hash.posted_order", sha512_upper("s|9447741462|k")),
            ("aggrepay.hash.salt_last", sha512_upper("k|9447741462|s")),
            ("aggrepay.hash.sha256", sha256_upper("s|k|9447741462")),
            (
                "aggrepay.hash.other_merchant",
                sha512_upper("t|k|9447741462"),
            ),
        ];
        for (rule, hash) in cases {
            let d = diagnose(hash, POSTED, &["t".to_string()]);
            assert_eq!(d.rule, *rule);
        }
        let right = sha512_upper("s|k|9447741462");
        let twice = sha512_upper(&format!("s|{right}|k|9447741462"));
        assert_eq!(
            diagnose(&twice, POSTED, &[]).rule,
            "aggrepay.hash.hash_included"
        );
        let spaced = [("api_key", "k"), ("mobile_number", " 9447741462 ")];
        let untrimmed = sha512_upper("s|k| 9447741462 ");
        assert_eq!(
            diagnose(&untrimmed, &spaced, &[]).rule,
            "aggrepay.hash.untrimmed"
        );
        let with_empty = [("api_key", "k"), ("email", ""), ("mobile_number", "1")];
        let empty = sha512_upper("s|k||1");
        let d = diagnose(&empty, &with_empty, &[]);
        assert_eq!(d.rule, "aggrepay.hash.empty_included");
        assert!(d.hint.contains("`email`"));
    }
}
