//! Where an in-memory database lives: a WAL database whose bytes are in the heap
//! ([`super::heap_files`]), anchored to empty files in a private folder (on `/dev/shm` when
//! there is one), removed when the database is dropped; folders left by a killed process are
//! removed by the next start. README "Decisions" ("The database") says why not SQLite's own
//! in-memory databases.

use anyhow::Context;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

const PREFIX: &str = "paysandbox-";
const LOCK: &str = "lock";
/// The lock file's name until it is locked.
const UNLOCKED: &str = "lock.new";
/// A folder whose lock file is not there yet may be one a starting process is creating.
const CREATING_GRACE: Duration = Duration::from_secs(60);

/// The private folder of one in-memory database; removed on drop.
pub(super) struct MemoryDir {
    /// Held (locked) for as long as the folder is in use: how a later start tells a stale
    /// folder from a live one.
    _lock: File,
    dir: tempfile::TempDir,
}

impl MemoryDir {
    pub(super) fn create() -> anyhow::Result<MemoryDir> {
        let parent = parent();
        remove_stale(&parent);
        let dir = tempfile::Builder::new()
            .prefix(PREFIX)
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a folder in {}", parent.display()))?;
        // Locked under another name, then renamed: a lock file that another start could
        // open before it is locked would look stale to it, and the folder would be removed
        // under this database (seen as "cannot open the database" in parallel tests).
        let unlocked = dir.path().join(UNLOCKED);
        let lock = File::create(&unlocked).context("cannot create the lock file")?;
        lock.try_lock()
            .map_err(|e| anyhow::anyhow!("cannot lock the in-memory database's folder: {e}"))?;
        std::fs::rename(&unlocked, dir.path().join(LOCK)).context("cannot name the lock file")?;
        Ok(MemoryDir { _lock: lock, dir })
    }

    pub(super) fn database(&self) -> PathBuf {
        self.dir.path().join("sandbox.db")
    }
}

/// `/dev/shm` when it is there, else the system's temporary folder: the files stay empty, so
/// room does not matter, only that the folder is gone with the machine.
fn parent() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// Removes the folders of processes that are gone (killed before they could remove them).
fn remove_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let path = entry.path();
        let stale = match File::open(path.join(LOCK)) {
            // A live process holds the lock; a gone one released it with its last descriptor.
            Ok(lock) => lock.try_lock().is_ok(),
            Err(_) => entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|at| at.elapsed().unwrap_or_default() > CREATING_GRACE),
        };
        if stale {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_removed_on_drop_and_a_stale_one_at_the_next_start() {
        let live = MemoryDir::create().unwrap();
        let live_path = live.dir.path().to_path_buf();
        // What a killed process leaves: the folder, its lock file no longer held.
        let stale = tempfile::Builder::new()
            .prefix(PREFIX)
            .tempdir_in(parent())
            .unwrap()
            .keep();
        File::create(stale.join(LOCK)).unwrap();
        let other = MemoryDir::create().unwrap();
        assert!(!stale.exists(), "the stale folder is removed");
        assert!(live_path.exists(), "a live folder is kept");
        drop(live);
        assert!(!live_path.exists(), "a dropped database leaves no folder");
        drop(other);
    }
}
