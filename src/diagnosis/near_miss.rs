//! "Did you mean": the documented paths closest to one that matched none, by the edit
//! distance (Damerau–Levenshtein: a swapped pair counts as one edit) of each path segment to
//! the endpoint names.

/// How many edits a name of this length may be away and still be suggested: one for a short
/// name (`gso` finds `gos`, `co` does not), up to three for a long one.
fn edits_allowed(name: &str) -> usize {
    match name.len() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    }
}

/// Up to three paths like `path` with one segment replaced by the closest endpoint name,
/// best first.
pub fn suggest(path: &str, names: &[&str]) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut found: Vec<(usize, String)> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() {
            continue;
        }
        let lower = segment.to_ascii_lowercase();
        for name in names {
            if *name == *segment {
                continue;
            }
            let edits = strsim::damerau_levenshtein(&lower, &name.to_ascii_lowercase());
            if edits <= edits_allowed(name) {
                let mut replaced = segments.clone();
                replaced[i] = name;
                found.push((edits, replaced.join("/")));
            }
        }
    }
    found.sort_by_key(|(edits, _)| *edits);
    let mut paths: Vec<String> = Vec::new();
    for (_, path) in found {
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    paths.truncate(3);
    paths
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn a_missing_letter_finds_the_endpoint() {
        assert_eq!(
            suggest("/api/v1/fetchbalanc", &["fetchbalance", "debitwallet"]),
            vec!["/api/v1/fetchbalance"]
        );
    }

    #[test]
    fn case_and_swapped_letters_are_forgiven() {
        assert_eq!(
            suggest("/x/CREDITWALELT", &["creditwallet", "debitwallet"])[0],
            "/x/creditwallet"
        );
    }

    #[test]
    fn a_short_name_allows_one_edit() {
        assert_eq!(suggest("/cpay/gso", &["gos", "co"]), vec!["/cpay/gos"]);
        assert!(suggest("/cpay/xy", &["gos", "co"]).is_empty());
    }

    #[test]
    fn unrelated_names_are_not_suggested() {
        assert!(suggest("/api/v1/refund", &["gos", "co", "fetchbalance"]).is_empty());
    }
}
