//! Rows every request reads and almost no request changes (a provider's merchants), kept in
//! memory until a write changes the table they came from.
//!
//! Every provider request authenticates against its merchant's row before anything else: a
//! read of its own, and after each commit a read connection reloads the pages it touches, so
//! on one core it was a tenth of a `gos` and more of a write. Merchants change only through
//! fixtures, the control plane and reset, so a merchant read is kept, tagged with the table's
//! epoch: the writer connection's update hook marks a write that changed a watched table, and
//! its commit bumps the epoch before the write is acknowledged, as does a restore. A value is
//! served only while the epoch it was read at is the current one, and it was read in a
//! snapshot that began after that epoch was taken, so a request that follows an acknowledged
//! write never sees what was there before it.
//!
//! (A table emptied by `DELETE` without `WHERE` bypasses the update hook; [`super::wipe`]
//! deletes with one.)

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// The most values kept of one table; past it the memo starts afresh (the keys come from clients, so an
/// unbounded memo would be theirs to fill).
const CAPACITY: usize = 4096;

type Value = Arc<dyn Any + Send + Sync>;
/// One table's values by key, each with the epoch it was read at.
type Kept = HashMap<String, (u64, Value)>;

#[derive(Default)]
pub(super) struct Memos {
    /// The tables some memo was read from.
    watched: RwLock<Vec<&'static str>>,
    /// Set by the update hook when the open write changed a watched table.
    touched: AtomicBool,
    epoch: AtomicU64,
    /// By table, then by key. Every request reads it (its merchant) and almost none writes
    /// it, so readers share the lock.
    values: RwLock<HashMap<&'static str, Kept>>,
}

impl Memos {
    /// Called by the writer's update hook for every row it changes.
    pub(super) fn row_changed(&self, table: &str) {
        if !self.touched.load(Ordering::Relaxed)
            && self
                .watched
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .contains(&table)
        {
            self.touched.store(true, Ordering::Relaxed);
        }
    }

    /// A write begins: nothing of it is marked yet.
    pub(super) fn write_began(&self) {
        self.touched.store(false, Ordering::Relaxed);
    }

    /// A write committed: the memos of the tables it changed are stale.
    pub(super) fn write_committed(&self) {
        if self.touched.swap(false, Ordering::Relaxed) {
            self.epoch.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// Every page was replaced (a restore): every memo is stale.
    pub(super) fn all_changed(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// The epoch to tag a value read from now on with; `table` is watched from now on.
    pub(super) fn epoch_for(&self, table: &'static str) -> u64 {
        let watched = self.watched.read().unwrap_or_else(|e| e.into_inner());
        if !watched.contains(&table) {
            drop(watched);
            let mut watched = self.watched.write().unwrap_or_else(|e| e.into_inner());
            if !watched.contains(&table) {
                watched.push(table);
            }
        }
        self.epoch.load(Ordering::Acquire)
    }

    pub(super) fn get<V: Clone + 'static>(&self, table: &'static str, key: &str) -> Option<V> {
        let epoch = self.epoch.load(Ordering::Acquire);
        let values = self.values.read().unwrap_or_else(|e| e.into_inner());
        let (at, value) = values.get(table)?.get(key)?;
        (*at == epoch).then(|| value.downcast_ref::<V>().cloned())?
    }

    pub(super) fn put<V: Send + Sync + 'static>(
        &self,
        table: &'static str,
        key: &str,
        epoch: u64,
        value: V,
    ) {
        let mut values = self.values.write().unwrap_or_else(|e| e.into_inner());
        let values = values.entry(table).or_default();
        if values.len() >= CAPACITY {
            values.clear();
        }
        values.insert(key.to_string(), (epoch, Arc::new(value)));
    }
}
