//! "Did you mean": the documented paths closest to one that matched none, by the edit
//! distance of each path segment to the endpoint names.

/// How alike two names must be (Jaro–Winkler, 0..1) to be suggested: high enough that
/// `fetchbalanc` finds `fetchbalance` and `gos` does not find `co`.
const ALIKE: f64 = 0.85;

/// Up to three paths like `path` with one segment replaced by the closest endpoint name,
/// best first.
pub fn suggest(path: &str, names: &[&str]) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut found: Vec<(f64, String)> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() {
            continue;
        }
        let lower = segment.to_ascii_lowercase();
        for name in names {
            if *name == *segment {
                continue;
            }
            let score = strsim::jaro_winkler(&lower, &name.to_ascii_lowercase());
            if score >= ALIKE {
                let mut replaced = segments.clone();
                replaced[i] = name;
                found.push((score, replaced.join("/")));
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
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
    fn unrelated_names_are_not_suggested() {
        assert!(suggest("/api/v1/refund", &["gos", "co", "fetchbalance"]).is_empty());
    }
}
