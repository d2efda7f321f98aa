//! Where the log lines go: a buffer in memory, written to stdout when it fills and at least
//! every 50 ms by a flushing thread, and once more when the guard is dropped at exit.
//!
//! Why not a write per line, or a channel to a writer thread: with one line per request, a
//! `write(2)` per line, or a writer thread waking for every line, took a fifth of the CPU of a
//! read at full load on two cores. Appending to a locked buffer costs a memcpy.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;
use tracing_subscriber::fmt::MakeWriter;

const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// The shared buffer; cheap to clone.
#[derive(Clone)]
pub struct BufferedStdout(Arc<Mutex<BufWriter<Stdout>>>);

/// Stops the flushing thread and flushes what is left when dropped.
pub struct FlushGuard {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    out: BufferedStdout,
}

impl BufferedStdout {
    pub fn start() -> (BufferedStdout, FlushGuard) {
        let out = BufferedStdout(Arc::new(Mutex::new(BufWriter::with_capacity(
            64 * 1024,
            io::stdout(),
        ))));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (out, stop) = (out.clone(), stop.clone());
            std::thread::Builder::new()
                .name("paysandbox-log".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(FLUSH_EVERY);
                        let _ = out.lock().flush();
                    }
                })
                .ok()
        };
        let guard = FlushGuard {
            stop,
            thread,
            out: out.clone(),
        };
        (out, guard)
    }

    fn lock(&self) -> MutexGuard<'_, BufWriter<Stdout>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let _ = self.out.lock().flush();
    }
}

/// One event's writer: holds the buffer's lock while tracing writes the line.
pub struct LineWriter<'a>(MutexGuard<'a, BufWriter<Stdout>>);

impl Write for LineWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        // The flushing thread and the guard flush; a line does not.
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for BufferedStdout {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter(self.lock())
    }
}
