//! Where the log lines go: a buffer in memory, written to stdout when it fills and at least
//! every 50 ms by a flushing thread, and once more when the guard is dropped at exit; and the
//! per-request line, written into that buffer directly.
//!
//! Why not a write per line, or a channel to a writer thread: with one line per request, a
//! `write(2)` per line, or a writer thread waking for every line, took a fifth of the CPU of a
//! read at full load on two cores. Appending to a locked buffer costs a memcpy.

use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
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

/// The per-request line, written straight into the buffer in the shape `tracing`'s formatter
/// gives every other line (text or JSON). One line per request made `tracing-subscriber`'s
/// generic formatter a tenth of a read's CPU; this is a fixed shape, so it is written by hand.
struct RequestLines {
    out: BufferedStdout,
    json: bool,
}

static REQUEST_LINES: OnceLock<RequestLines> = OnceLock::new();

/// Sends request lines to `out` from now on (the binary does, when colours are off; without
/// it, as in tests, they go through `tracing`).
pub fn write_request_lines_to(out: BufferedStdout, json: bool) {
    let _ = REQUEST_LINES.set(RequestLines { out, json });
}

/// What one request's line says.
pub struct RequestFields<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub status: Option<u16>,
    pub duration_ms: f64,
    pub provider: Option<&'a str>,
    /// The endpoint name, when the path names one.
    pub endpoint: Option<&'a str>,
    /// The provider's result code (`00`, `HASH-MISMATCH`, `58`).
    pub code: Option<&'a str>,
    /// The fault rule that fired (`latency`, `error+latency`, ...).
    pub fault: Option<&'a str>,
}

/// One request's line; false when no sink is installed, so the caller logs through `tracing`.
pub fn request_line(message: &str, fields: &RequestFields<'_>) -> bool {
    let Some(sink) = REQUEST_LINES.get() else {
        return false;
    };
    let timestamp = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
    let mut line = String::with_capacity(240);
    if sink.json {
        #[derive(Serialize)]
        struct Line<'a> {
            timestamp: &'a str,
            level: &'static str,
            message: &'a str,
            method: &'a str,
            path: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            status: Option<u16>,
            duration_ms: f64,
            #[serde(skip_serializing_if = "Option::is_none")]
            provider: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            endpoint: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            code: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            fault: Option<&'a str>,
            target: &'static str,
        }
        let line_fields = Line {
            timestamp: &timestamp,
            level: "INFO",
            message,
            method: fields.method,
            path: fields.path,
            status: fields.status,
            duration_ms: (fields.duration_ms * 1000.0).round() / 1000.0,
            provider: fields.provider,
            endpoint: fields.endpoint,
            code: fields.code,
            fault: fields.fault,
            target: TARGET,
        };
        line = serde_json::to_string(&line_fields).unwrap_or_default();
        line.push('\n');
    } else {
        let (method, path) = (fields.method, fields.path);
        let _ = write!(
            line,
            "{timestamp}  INFO {TARGET}: {message} method={method} path={path:?}"
        );
        if let Some(status) = fields.status {
            let _ = write!(line, " status={status}");
        }
        let _ = write!(line, " duration_ms={:.3}", fields.duration_ms);
        for (name, value) in [
            ("provider", fields.provider),
            ("endpoint", fields.endpoint),
            ("code", fields.code),
            ("fault", fields.fault),
        ] {
            if let Some(value) = value {
                let _ = write!(line, " {name}={value:?}");
            }
        }
        line.push('\n');
    }
    let _ = sink.out.lock().write_all(line.as_bytes());
    true
}

/// The target request lines are logged under (what `RUST_LOG` filters on).
pub const TARGET: &str = "paysandbox::request";
