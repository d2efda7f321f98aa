//! Keeps the slice skeleton true (README "Adding a provider"): every provider folder has the
//! same files for the same roles, and derives its router and endpoint names from its
//! endpoints enum.

use std::path::{Path, PathBuf};

/// The roles every slice has: a file, or a folder of the same name with a `mod.rs`.
const ROLES: &[&str] = &[
    "mod",
    "endpoints",
    "handlers",
    "wire",
    "errors",
    "rules",
    "store",
    "fixtures",
    "actions",
    "magic",
];

fn slices() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/providers");
    let mut slices: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("src/providers is readable")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.is_dir())
        .collect();
    slices.sort();
    slices
}

fn has_role(slice: &Path, role: &str) -> bool {
    slice.join(format!("{role}.rs")).is_file() || slice.join(role).join("mod.rs").is_file()
}

#[test]
fn every_slice_has_the_files_of_the_skeleton() {
    let slices = slices();
    assert_eq!(slices.len(), 4, "{slices:?}");
    for slice in &slices {
        for role in ROLES {
            assert!(has_role(slice, role), "{} has no {role}", slice.display());
        }
        let extract = slice.join("handlers/extract.rs").is_file()
            || slice.join("handlers/extract/mod.rs").is_file();
        assert!(extract, "{} has no handlers/extract", slice.display());
        // `handlers` is a folder (one file per endpoint group), never a single file.
        assert!(slice.join("handlers").is_dir(), "{}", slice.display());
    }
}

#[test]
fn every_slice_derives_its_router_and_names_from_its_endpoints_enum() {
    for slice in slices() {
        let read = |file: &str| std::fs::read_to_string(slice.join(file)).unwrap_or_default();
        let (module, endpoints) = (read("mod.rs"), read("endpoints.rs"));
        let both = format!("{module}{endpoints}");
        for derived in ["endpoint::router::<", "endpoint::names::<"] {
            assert!(
                both.contains(derived),
                "{} does not use {derived}",
                slice.display()
            );
        }
        // `impl Endpoint for Endpoint`, however the kernel trait is imported.
        let implemented = endpoints
            .lines()
            .any(|line| line.starts_with("impl ") && line.ends_with(" for Endpoint {"));
        assert!(
            implemented,
            "{}/endpoints.rs implements no Endpoint",
            slice.display()
        );
    }
}
