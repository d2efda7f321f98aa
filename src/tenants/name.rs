//! Tenant names and where a request path names one: `/t/<tenant>/<the rest>`, `<tenant>` being
//! 1–63 characters of `[a-z0-9-]` (a DNS label's alphabet, so a name also fits a host name or a
//! file name unchanged).

/// The longest tenant name.
pub const MAX_LEN: usize = 63;

/// Whom a request path is for.
#[derive(Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// Not under `/t/`: the default tenant, exactly as without tenants.
    Default,
    /// `/t/<name><rest>`; `prefix_len` is the length of `/t/<name>`.
    Named {
        name: &'a str,
        rest: &'a str,
        prefix_len: usize,
    },
    /// `/t/<something that is not a name><rest>`.
    BadName {
        name: &'a str,
        rest: &'a str,
        problem: String,
    },
}

/// Splits a request path (as received, before slashes are normalised, so `/t//x` is an empty
/// name rather than tenant `x`).
pub fn target(path: &str) -> Target<'_> {
    let Some(after) = path.strip_prefix("/t/") else {
        return Target::Default;
    };
    let (name, rest) = match after.find('/') {
        Some(at) => after.split_at(at),
        None => (after, ""),
    };
    match problem(name) {
        None => Target::Named {
            name,
            rest,
            prefix_len: 3 + name.len(),
        },
        Some(problem) => Target::BadName {
            name,
            rest,
            problem,
        },
    }
}

/// What is wrong with a tenant name, if anything.
pub fn problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the tenant name is empty; use /t/<tenant>/... with 1-63 of a-z 0-9 -".into());
    }
    if name.len() > MAX_LEN {
        return Some(format!(
            "the tenant name is {} characters long; at most {MAX_LEN}",
            name.len()
        ));
    }
    name.chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        .map(|c| format!("the tenant name has `{c}`; only a-z, 0-9 and - are allowed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_prefix_is_split_off() {
        assert_eq!(
            target("/t/ci-1234/shop/pay"),
            Target::Named {
                name: "ci-1234",
                rest: "/shop/pay",
                prefix_len: 10
            }
        );
        assert_eq!(
            target("/t/a"),
            Target::Named {
                name: "a",
                rest: "",
                prefix_len: 4
            }
        );
        assert_eq!(target("/shop/pay"), Target::Default);
        assert_eq!(target("/t"), Target::Default);
        assert_eq!(target("/tx/a"), Target::Default);
    }

    #[test]
    fn bad_names_are_named_as_such() {
        for path in ["/t//cpay/co", "/t/Upper/cpay/co", "/t/a_b/x", "/t/é/x"] {
            assert!(matches!(target(path), Target::BadName { .. }), "{path}");
        }
        assert!(problem(&"a".repeat(63)).is_none());
        assert!(problem(&"a".repeat(64)).is_some());
    }
}
