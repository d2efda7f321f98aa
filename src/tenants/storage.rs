//! Where a tenant's database lives: in memory, or `tenants/<name>.db` beside the sandbox's
//! own database file (so a restart finds it again).

use super::name;
use std::path::{Path, PathBuf};

/// The `--database` value for tenant `name`: its file in `folder`, else in memory.
pub(super) fn database_of(folder: Option<&Path>, name: &str) -> (String, Option<PathBuf>) {
    match folder {
        Some(folder) => {
            let file = folder.join(format!("{name}.db"));
            (file.to_string_lossy().into_owned(), Some(file))
        }
        None => ("sqlite::memory:".to_string(), None),
    }
}

/// The tenant files already in `folder`: `(name, file)` for each `<valid name>.db`.
pub(super) fn existing(folder: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let stem = path.file_name()?.to_str()?.strip_suffix(".db")?.to_string();
            name::problem(&stem).is_none().then_some((stem, path))
        })
        .collect();
    found.sort();
    found
}

/// Removes a tenant's database file and its WAL companions.
pub(super) fn remove(file: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = file.as_os_str().to_owned();
        path.push(suffix);
        if let Err(e) = std::fs::remove_file(&path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(file = %PathBuf::from(path).display(), error = %e, "cannot remove a tenant's file");
        }
    }
}
