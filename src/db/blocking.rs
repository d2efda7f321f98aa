//! Running SQL so that a long closure never parks a tokio worker, without paying a thread
//! hand-off on the short ones.
//!
//! `block_in_place` hands this worker's queue to another thread while the closure runs, but that
//! costs 10–20 µs a call (measured here), about as much as a whole status-check request. So each
//! call site ([`std::panic::Location`] of the `read`/`write` call) is judged by how long its
//! closures took: a site whose closure ran past [`SLOW`] runs off the worker for its next
//! [`LONG_MEMORY`] calls (and again each time it is slow); the others run inline. A site is thus
//! inline at most once per slow stretch (the first long run of a site that was short), and the
//! common short requests keep their old cost.

use std::panic::Location;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::{Handle, RuntimeFlavor};

/// A closure that ran longer than this held up the requests queued behind it noticeably.
const SLOW: Duration = Duration::from_millis(1);
/// How many calls a site stays off the worker after a slow one: a fast site that was only
/// descheduled mid-closure comes back inline soon, a site that is often slow stays off.
const LONG_MEMORY: u8 = 64;
/// Sites hash into these slots; two sites sharing one only make each other go off the worker
/// a little more often.
const SLOTS: usize = 1024;

static CALLS_LEFT_OFF: [AtomicU8; SLOTS] = [const { AtomicU8::new(0) }; SLOTS];

/// The call site's slot.
fn slot(site: &'static Location<'static>) -> &'static AtomicU8 {
    let mut hash = (site.line() as usize).wrapping_mul(0x9E37_79B9) ^ site.column() as usize;
    for byte in site.file().bytes() {
        hash = hash.wrapping_mul(31).wrapping_add(byte as usize);
    }
    &CALLS_LEFT_OFF[hash % SLOTS]
}

/// How a closure is to run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Place {
    /// Judged by its call site's history.
    ByHistory(&'static Location<'static>),
    /// Always off the worker: work known to be long (snapshot, restore).
    OffWorker,
}

/// Runs `f` (which may borrow, unlike `spawn_blocking`'s) on this thread: inline, or after
/// handing this worker's queue to another thread (`block_in_place`). On the current-thread
/// runtime of `#[tokio::test]` (or outside tokio) it always runs inline.
pub(super) fn run<T>(place: Place, f: impl FnOnce() -> T) -> T {
    let multi_thread = matches!(Handle::try_current(),
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread);
    let slot = match place {
        Place::OffWorker if multi_thread => return tokio::task::block_in_place(f),
        Place::OffWorker => return f(),
        Place::ByHistory(site) => slot(site),
    };
    let off = multi_thread && slot.load(Ordering::Relaxed) > 0;
    let started = Instant::now();
    let out = if off {
        tokio::task::block_in_place(f)
    } else {
        f()
    };
    if started.elapsed() > SLOW {
        slot.store(LONG_MEMORY, Ordering::Relaxed);
    } else if off {
        let _ = slot.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
    }
    out
}

/// Whether the next call from `site` runs off the worker (for tests).
#[cfg(test)]
pub(super) fn goes_off_worker(site: &'static Location<'static>) -> bool {
    slot(site).load(Ordering::Relaxed) > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn here() -> &'static Location<'static> {
        Location::caller()
    }

    #[test]
    fn a_site_that_ran_long_runs_off_the_worker_until_it_has_been_short_for_a_while() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        runtime.block_on(async {
            let (short, long) = (here(), here());
            assert_eq!(run(Place::ByHistory(short), || 7), 7);
            assert!(!goes_off_worker(short), "a short closure stays inline");
            run(Place::ByHistory(long), || std::thread::sleep(SLOW * 3));
            assert!(goes_off_worker(long), "a long closure sends its site off");
            for _ in 0..LONG_MEMORY {
                run(Place::ByHistory(long), || ());
            }
            assert!(
                !goes_off_worker(long),
                "short again for a while: inline again"
            );
        });
    }

    #[test]
    fn outside_a_multi_thread_runtime_everything_runs_inline() {
        let site = here();
        run(Place::ByHistory(site), || std::thread::sleep(SLOW * 3));
        assert_eq!(run(Place::OffWorker, || 7), 7);
    }
}
