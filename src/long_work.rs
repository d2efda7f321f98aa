//! Long work (a listing of 100,000 orders and its encoding, a snapshot, a long read) on a
//! few threads the system schedules behind the request threads.
//!
//! Off the async workers, a long closure no longer holds the requests queued on its worker,
//! but it still competes for the cores: on one core the system shares it out in time slices,
//! so a `gos` arriving while a `gpojson` over 100,000 orders ran waited up to a slice
//! (p99 159 ms beside it, 1.5 ms alone, `bench/run --cores 1`). These threads run at a lower
//! priority (nice [`NICE`]), so a short request takes the core as soon as it arrives and the
//! long work goes on with what is left; on an idle machine it gets every core it can use.
//! (A thread cannot raise its priority back without privileges, so the threads are kept for
//! this work only.)

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::mpsc::{Receiver, Sender, sync_channel};
use std::sync::{Mutex, OnceLock};

/// How much less these threads weigh than a request thread (nice 0): about a tenth of its
/// share of a busy core.
const NICE: i32 = 10;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The queue of the pool's threads, started on first use, one per core.
fn queue() -> &'static Mutex<Sender<Job>> {
    static QUEUE: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (send, receive) = std::sync::mpsc::channel::<Job>();
        let receive: &'static Mutex<Receiver<Job>> = Box::leak(Box::new(Mutex::new(receive)));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for n in 0..threads {
            std::thread::Builder::new()
                .name(format!("long-work-{n}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let job = receive.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .expect("a thread for long work");
        }
        Mutex::new(send)
    })
}

/// This thread's nice value raised to [`NICE`] (Linux gives each thread its own).
fn lower_priority() {
    let me = rustix::thread::gettid();
    if let Err(e) = rustix::process::setpriority_process(Some(me), NICE) {
        tracing::debug!(error = %e, "long work runs at the normal priority");
    }
}

/// Runs `f` on a long-work thread and waits for it; a panic in `f` goes on here. Blocks the
/// calling thread: from an async worker, call it inside `block_in_place`.
pub fn run<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let (done, result) = sync_channel(1);
    let job: Box<dyn FnOnce() + Send + '_> = Box::new(move || {
        let _ = done.send(catch_unwind(AssertUnwindSafe(f)));
    });
    // SAFETY: the job may borrow from the caller's stack, and this function does not return
    // until the job has run to its end (its result, or its panic, received below) or has
    // been dropped without running (the channel then closes), so nothing it borrows is
    // gone while it can still be used. (std's scoped threads rest on the same argument.)
    let job: Job = unsafe { std::mem::transmute::<Box<dyn FnOnce() + Send + '_>, Job>(job) };
    let sent = queue().lock().unwrap_or_else(|e| e.into_inner()).send(job);
    if let Err(unsent) = sent {
        // No thread to take it (none could be started): run it here.
        (unsent.0)();
    }
    match result.recv() {
        Ok(Ok(out)) => out,
        Ok(Err(panic)) => resume_unwind(panic),
        Err(_) => panic!("long work was dropped before it ran"),
    }
}

/// Runs `f` on a long-work thread without holding an async worker; `None` when it panicked.
pub async fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(catch_unwind(AssertUnwindSafe(f)));
    });
    if let Err(unsent) = queue().lock().unwrap_or_else(|e| e.into_inner()).send(job) {
        (unsent.0)();
    }
    result.await.ok()?.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_runs_on_a_lower_priority_thread_and_borrows_from_the_caller() {
        let words = ["long".to_string(), "work".to_string()];
        let caller = rustix::process::getpriority_process(None).unwrap();
        let (joined, nice, name) = run(|| {
            let nice = rustix::process::getpriority_process(None).unwrap();
            let name = std::thread::current().name().map(str::to_string);
            (words.join(" "), nice, name)
        });
        assert_eq!(joined, "long work");
        assert!(
            nice >= NICE,
            "the thread runs at nice {NICE} (or lower still): {nice}"
        );
        assert!(name.unwrap().starts_with("long-work-"));
        assert_eq!(
            rustix::process::getpriority_process(None).unwrap(),
            caller,
            "the caller keeps its priority"
        );
    }

    #[test]
    fn a_panic_in_long_work_reaches_the_caller_and_the_pool_goes_on() {
        let panicked = std::panic::catch_unwind(|| run(|| panic!("in long work")));
        assert!(panicked.is_err());
        assert_eq!(run(|| 7), 7);
    }

    #[tokio::test]
    async fn spawned_work_answers_its_result_or_none_for_a_panic() {
        assert_eq!(spawn(|| 7).await, Some(7));
        assert_eq!(spawn(|| -> i32 { panic!("in long work") }).await, None);
    }
}
