//! Request paths: repeated and trailing slashes, and a target with another path.

/// Whether [`normalize_path`] would give the path back unchanged, as it does for nearly every
/// request: then it is not copied.
pub(super) fn is_normal(path: &str) -> bool {
    path == "/" || (path.starts_with('/') && !path.ends_with('/') && !path.contains("//"))
}

/// Repeated slashes collapsed and a trailing slash dropped (`//api/v1/x/` is `/api/v1/x`), as
/// the real services tolerate both (one real client sends `//api/v1/...`).
pub fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

pub(super) fn with_path(uri: &axum::http::Uri, path: &str) -> axum::http::Uri {
    let target = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    };
    let mut builder = axum::http::Uri::builder();
    if let Some(scheme) = uri.scheme() {
        builder = builder.scheme(scheme.clone());
    }
    if let Some(authority) = uri.authority() {
        builder = builder.authority(authority.clone());
    }
    builder
        .path_and_query(target)
        .build()
        .unwrap_or_else(|_| uri.clone())
}

#[cfg(test)]
mod tests {
    use super::{is_normal, normalize_path};

    #[test]
    fn paths_lose_repeated_and_trailing_slashes() {
        assert_eq!(
            normalize_path("//api/v1//get_payment_details/2/"),
            "/api/v1/get_payment_details/2"
        );
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("//"), "/");
        assert_eq!(normalize_path("/cpay/co"), "/cpay/co");
    }

    #[test]
    fn only_paths_that_normalising_changes_are_not_normal() {
        for path in [
            "/", "", "//", "/a", "/a/", "//a", "/a//b", "/a/b", "*", "a/b", "/a/b/", "/a.b",
        ] {
            assert_eq!(is_normal(path), normalize_path(path) == path, "{path:?}");
        }
    }
}
