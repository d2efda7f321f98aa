//! Keeps the slice skeleton true (README "Adding a provider"): every provider folder has the
//! same files for the same roles, and derives its router and endpoint names from its
//! endpoints enum; and keeps the kernel (everything under `src/` outside the slices) naming
//! no provider: it asks the [`super::Provider`] trait instead.

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
    "diagnoses",
    "lint",
    "openapi",
    "pages",
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

/// The lines outside the slices that may name a provider: the `pub mod` lines of
/// `src/providers/mod.rs`, and the catalogue (`src/catalogue.rs`), which sits above the
/// kernel and lists the slices.
fn may_name_a_provider(file: &Path, line: &str) -> bool {
    let line = line.trim();
    (file.ends_with("src/providers/mod.rs") && line.starts_with("pub mod ") && line.ends_with(';'))
        || (file.ends_with("src/catalogue.rs")
            && ((line.starts_with("use crate::providers::{") && line.ends_with("};"))
                || (line.starts_with("Box::new(") && line.ends_with("),"))))
}

/// Every `.rs` file under `dir`, outside the slices.
fn kernel_files(dir: &Path, slices: &[PathBuf], files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            if !slices.contains(&path) {
                kernel_files(&path, slices, files);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn the_kernel_names_no_provider() {
    let slices = slices();
    // A provider's name is its folder's, matched in any case.
    let names: Vec<String> = slices
        .iter()
        .map(|slice| slice.file_name().unwrap().to_string_lossy().to_lowercase())
        .collect();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    kernel_files(&src, &slices, &mut files);
    assert!(files.iter().any(|f| f.ends_with("src/providers/mod.rs")));
    assert!(files.len() > 20, "{files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable source file");
        for (number, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            if names.iter().any(|name| lower.contains(name.as_str()))
                && !may_name_a_provider(file, line)
            {
                let file = file.strip_prefix(&src).unwrap_or(file).display();
                found.push(format!("src/{file}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the kernel names a provider (ask the Provider trait, or say the general thing):\n{}",
        found.join("\n")
    );
}
