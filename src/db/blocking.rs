//! Running SQL so that a long closure never parks a tokio worker, without paying a thread
//! hand-off on the short ones.
//!
//! `block_in_place` hands this worker's queue to another thread while the closure runs, but that
//! costs 10–20 µs a call (measured here), about as much as a whole status-check request. So each
//! call site ([`std::panic::Location`] of the `read`/`write` call) is judged by how long its
//! closures took: a site whose closure ran past [`SLOW`] runs off the worker for its next
//! [`LONG_MEMORY`] calls (and again each time it is slow); the others run inline. A site is
//! thus inline at most once per slow stretch (the first long run of a site that was short),
//! and the common short requests keep their old cost.
//!
//! Inline, "slow" is wall time, and on a busy machine the system deschedules a 10 µs closure
//! now and then for milliseconds; off the worker, wall time also counts the waits for the core
//! this thread handed its queue to. Judged by wall time both ways, a pause sent a fast site
//! off and, on one core, kept it off for good: thread hand-offs were 14–17% of the process's
//! samples on one loaded core (`perf`, `gos` and `co`). So off the worker a closure is judged
//! by its own CPU time, and the memory is short: a descheduled fast site comes back inline
//! after a few calls, a really long one is long again off the worker and stays off. (A
//! closure waiting on a file database's disk counts as short off the worker: such a site
//! goes back inline for one slow call every [`LONG_MEMORY`] + 1.)

use std::panic::Location;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::{Handle, RuntimeFlavor};

/// A closure that ran longer than this held up the requests queued behind it noticeably.
const SLOW: Duration = Duration::from_millis(1);
/// How many calls a site stays off the worker after a slow one: a fast site that was only
/// descheduled mid-closure comes back inline after a few calls, a site that is often slow
/// stays off.
const LONG_MEMORY: u8 = 4;
/// Sites hash into these slots; two sites sharing one only make each other go off the worker
/// a little more often.
const SLOTS: usize = 1024;

static CALLS_LEFT_OFF: [AtomicU8; SLOTS] = [const { AtomicU8::new(0) }; SLOTS];

/// The call site's slot, by the address of its `Location` (a static per call site; should the
/// compiler make two of one site, each has its own history, which costs nothing but a slot).
fn slot(site: &'static Location<'static>) -> &'static AtomicU8 {
    let address = std::ptr::from_ref(site) as usize as u64;
    let hash = (address >> 3).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
    &CALLS_LEFT_OFF[(hash % SLOTS as u64) as usize]
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
    let (out, took) = if off {
        // Off the worker, wall time would count the waits for the core this thread just
        // handed its queue to (on one core, milliseconds): the closure's own CPU time is what
        // tells whether the site is still long.
        tokio::task::block_in_place(|| {
            let started = thread_cpu_time();
            let out = f();
            (out, thread_cpu_time().saturating_sub(started))
        })
    } else {
        let started = Instant::now();
        let out = f();
        (out, started.elapsed())
    };
    if took > SLOW {
        slot.store(LONG_MEMORY, Ordering::Relaxed);
    } else if off {
        let _ = slot.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
    }
    out
}

/// The CPU time this thread has used (a system call; paid only off the worker, beside the
/// hand-off's own cost).
fn thread_cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
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
    fn off_the_worker_a_closure_is_judged_by_its_own_cpu_time_not_by_waiting() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        runtime.block_on(async {
            let (waits, works) = (here(), here());
            for site in [waits, works] {
                run(Place::ByHistory(site), || std::thread::sleep(SLOW * 3));
                assert!(goes_off_worker(site));
            }
            for _ in 0..LONG_MEMORY {
                run(Place::ByHistory(waits), || std::thread::sleep(SLOW * 3));
                run(Place::ByHistory(works), || {
                    let started = thread_cpu_time();
                    while thread_cpu_time() - started < SLOW * 2 {
                        std::hint::black_box(0u64);
                    }
                });
            }
            assert!(
                !goes_off_worker(waits),
                "waiting off the worker (the system's scheduling, not the closure's work) is short"
            );
            assert!(
                goes_off_worker(works),
                "working long off the worker stays off"
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
