//! Progress of an upload on stderr: bytes sent of a large file, then files done.
//!
//! Written here rather than with a progress-bar crate: those draw nothing when stderr is not
//! a terminal, and `paysandbox load` runs in CI logs as often as in a terminal. On a terminal
//! the line is redrawn at each percent; elsewhere a line is written at each tenth.

use std::io::{IsTerminal, Write};

/// Files from this size on show their bytes sent.
pub const LARGE: u64 = 1024 * 1024;

/// The bytes sent of one file.
pub struct Upload {
    name: String,
    total: u64,
    sent: u64,
    /// The last step shown (a percent on a terminal, a tenth elsewhere).
    shown: Option<u64>,
    terminal: bool,
    visible: bool,
}

impl Upload {
    pub fn new(name: &str, total: u64) -> Upload {
        Upload {
            name: name.to_string(),
            total,
            sent: 0,
            shown: None,
            terminal: std::io::stderr().is_terminal(),
            visible: total >= LARGE,
        }
    }

    /// `bytes` more were handed to the connection.
    pub fn sent(&mut self, bytes: u64) {
        self.sent += bytes;
        if !self.visible {
            return;
        }
        let percent = (self.sent.min(self.total) * 100) / self.total.max(1);
        let step = if self.terminal { percent } else { percent / 10 };
        if self.shown == Some(step) {
            return;
        }
        self.shown = Some(step);
        let line = format!(
            "{}: {} of {} sent ({percent}%)",
            self.name,
            size(self.sent),
            size(self.total)
        );
        let mut stderr = std::io::stderr().lock();
        let _ = if self.terminal {
            write!(stderr, "\r{line}")
        } else {
            writeln!(stderr, "{line}")
        };
        let _ = stderr.flush();
    }

    /// The whole file was sent (ends a redrawn line).
    pub fn finish(&self) {
        if self.visible && self.terminal {
            eprintln!();
        }
    }
}

/// `name loaded (2 of 3 files)`.
pub fn file_done(name: &str, done: usize, of: usize) {
    let files = if of == 1 { "file" } else { "files" };
    eprintln!("{name} loaded ({done} of {of} {files})");
}

/// Bytes in B, KiB or MiB, one decimal.
pub fn size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    // Display only: a float is fine for a rounded size.
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / (KIB * KIB))
    }
}
