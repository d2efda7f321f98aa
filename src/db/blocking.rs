//! Running SQL off the async workers, so that a long statement never parks one.

use tokio::runtime::{Handle, RuntimeFlavor};

/// Runs `f` (which may borrow, unlike `spawn_blocking`'s) on this thread after handing this
/// tokio worker's queue to another thread (`block_in_place`), so the other requests it held
/// go on meanwhile. Where that is impossible (the current-thread runtime of `#[tokio::test]`,
/// or no runtime) `f` runs inline, as it always did.
pub(super) fn off_worker<T>(f: impl FnOnce() -> T) -> T {
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}
