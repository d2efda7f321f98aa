//! Open connections: how many may be open at once, how long a client may take to send a
//! request head, how long a keep-alive connection may sit idle, and the answer a connection
//! gets when there is no room for it.
//!
//! Every admitted connection has an [`Activity`]: its socket is wrapped in [`Tracked`] (which
//! notes when bytes move and when the first byte of a request head arrives) and the service
//! holds a [`Busy`] guard while a request is being handled. A connection is in one of three
//! states: busy (a request is in the service: never timed out, however long a handler or a
//! `timeout` fault holds it), reading a head (bytes arrived, no request yet: closed
//! `header_read` after the first byte, so a client trickling one byte at a time cannot hold
//! it), or idle (closed `idle` after the last byte moved). The timeouts are ours, not hyper's
//! `header_read_timeout`, because hyper's clock starts as soon as it waits for a head, so it
//! cannot tell an idle keep-alive connection from a slow head.
//!
//! At the cap, a new connection first makes room by closing the connection that has waited
//! longest without a request in flight (as nginx reclaims keep-alive and header-waiting
//! connections); only when every open connection is busy is it answered `503` with
//! `Retry-After` and closed. The cap is kept under the process's open-file limit, so
//! accepting never fails for want of a file descriptor and health keeps answering.

mod activity;

pub use activity::{Activity, Busy, Tracked};
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::Instant;

/// File descriptors kept out of the cap for everything that is not a client connection: the
/// database files, the listener, stdio, the runtime, connections being closed to make room
/// and those being answered 503.
pub const FD_RESERVE: u64 = 64;
/// How many connections over the cap may be answered 503 at once; past that the answer is
/// written only if the socket takes it at once, and the socket is closed straight away.
const REFUSING: usize = 16;
/// How many admitted connections may wait for a connection closed to make room for them.
const EVICTING: usize = 16;
/// How long a new connection waits for connections closed to make room for it.
const MAKING_ROOM: Duration = Duration::from_secs(1);
/// How long a refused connection is given to read its 503 before it is closed.
const LINGER: Duration = Duration::from_secs(1);

/// The whole answer to a connection over the cap.
fn refusal() -> Vec<u8> {
    let body = r#"{"error":"Too many open connections; retry in a second"}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The settings, resolved: `None` is "never".
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_read: Option<Duration>,
    pub idle: Option<Duration>,
    pub cap: usize,
}

impl Limits {
    /// Seconds as configured (0 is never); the cap is `max_connections`, lowered to the soft
    /// open-file limit less [`FD_RESERVE`].
    pub fn new(header_read_secs: u64, idle_secs: u64, max_connections: usize) -> Self {
        let seconds = |s: u64| (s > 0).then(|| Duration::from_secs(s));
        Limits {
            header_read: seconds(header_read_secs),
            idle: seconds(idle_secs),
            cap: cap_under_fd_limit(max_connections, open_file_limit()),
        }
    }
}

/// `max_connections`, but never so many that the process runs out of file descriptors.
pub fn cap_under_fd_limit(max_connections: usize, open_files: Option<u64>) -> usize {
    let room = open_files.map_or(usize::MAX, |n| {
        usize::try_from(n.saturating_sub(FD_RESERVE)).unwrap_or(usize::MAX)
    });
    max_connections.min(room).max(1)
}

#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    rlimit::Resource::NOFILE.get().ok().map(|(soft, _)| soft)
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// Why there is no place for a new connection.
enum Full {
    /// Every open connection has a request in flight.
    Busy,
    /// Connections closed to make room have not closed yet.
    Closing,
}

/// Every open connection, for the cap and for making room.
pub struct Connections {
    limits: Limits,
    open: Mutex<HashMap<u64, Arc<Activity>>>,
    /// Told when a connection closes.
    room: Notify,
    next_id: AtomicU64,
    refusing: Arc<AtomicUsize>,
}

impl Connections {
    pub fn new(limits: Limits) -> Arc<Self> {
        tracing::debug!(
            max_connections = limits.cap,
            header_read_timeout_s = limits.header_read.map(|d| d.as_secs()),
            idle_timeout_s = limits.idle.map(|d| d.as_secs()),
            "connection limits"
        );
        Arc::new(Connections {
            limits,
            open: Mutex::new(HashMap::new()),
            room: Notify::new(),
            next_id: AtomicU64::new(0),
            refusing: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// A place for a new connection, making room if needed; `None` when every open
    /// connection is busy (then [`Connections::refuse`] the stream). When connections closed
    /// to make room have not closed yet (a burst of new ones), it waits a moment for them.
    pub async fn admit(self: &Arc<Self>) -> Option<Admitted> {
        let waited_enough = Instant::now() + MAKING_ROOM;
        loop {
            match self.try_admit() {
                Ok(admitted) => return Some(admitted),
                Err(Full::Busy) => return None,
                Err(Full::Closing) => {
                    // `notify_one` keeps a wake-up for a waiter yet to come, so a connection
                    // that closed since the look above is not missed.
                    let room = self.room.notified();
                    if tokio::time::timeout_at(waited_enough, room).await.is_err() {
                        return None;
                    }
                }
            }
        }
    }

    fn try_admit(self: &Arc<Self>) -> Result<Admitted, Full> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let cap = self.limits.cap;
        let room =
            open.len() < cap || (open.len() < cap.saturating_add(EVICTING) && make_room(&open));
        if !room {
            let closing = open.values().any(|a| a.evicted.load(Ordering::Acquire));
            return Err(if closing { Full::Closing } else { Full::Busy });
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity::new());
        open.insert(id, activity.clone());
        Ok(Admitted {
            connections: self.clone(),
            id,
            activity,
        })
    }

    /// Answers 503 with `Retry-After` and closes, giving the client a moment to read it.
    pub fn refuse(&self, stream: TcpStream) {
        tracing::warn!(
            cap = self.limits.cap,
            "connection refused: at the connection cap"
        );
        if self.refusing.fetch_add(1, Ordering::AcqRel) >= REFUSING {
            self.refusing.fetch_sub(1, Ordering::AcqRel);
            let _ = stream.try_write(&refusal());
            return;
        }
        let refusing = self.refusing.clone();
        tokio::spawn(async move {
            let _ = tokio::time::timeout(LINGER, answer_and_close(stream)).await;
            refusing.fetch_sub(1, Ordering::AcqRel);
        });
    }
}

/// Closes the connection that has waited longest with no request in flight. Whether one was
/// found.
fn make_room(open: &HashMap<u64, Arc<Activity>>) -> bool {
    let oldest = open
        .iter()
        .filter(|(_, a)| !a.evicted.load(Ordering::Acquire))
        .filter_map(|(id, a)| a.waiting_since().map(|since| (since, *id, a)))
        .min_by_key(|(since, id, _)| (*since, *id));
    match oldest {
        Some((_, _, activity)) => {
            activity.evicted.store(true, Ordering::Release);
            activity.evict.notify_one();
            true
        }
        None => false,
    }
}

/// Writes the 503, ends the write side, then reads (and drops) what the client sent until it
/// closes: closing with unread bytes would reset the connection and could lose the answer.
async fn answer_and_close(mut stream: TcpStream) -> io::Result<()> {
    stream.write_all(&refusal()).await?;
    stream.shutdown().await?;
    let mut sink = [0u8; 1024];
    while stream.read(&mut sink).await? > 0 {}
    Ok(())
}

/// A connection's place among the open ones; dropping it frees the place.
pub struct Admitted {
    connections: Arc<Connections>,
    id: u64,
    activity: Arc<Activity>,
}

impl Admitted {
    pub fn activity(&self) -> Arc<Activity> {
        self.activity.clone()
    }

    /// The socket, watched for the timeouts.
    pub fn track<S>(&self, inner: S) -> Tracked<S> {
        Tracked::new(inner, self.activity.clone())
    }

    /// Runs the connection until it ends, or until it has read a head or sat idle too long,
    /// or is closed to make room; then drops it, which closes the socket.
    pub async fn serve(self, connection: impl Future<Output = ()>) {
        let limits = self.connections.limits;
        tokio::select! {
            () = connection => {}
            why = self.activity.expired(limits) => tracing::debug!(why, "connection closed"),
        }
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.connections
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
        self.connections.room.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::{FD_RESERVE, cap_under_fd_limit};

    #[test]
    fn the_cap_stays_under_the_open_file_limit() {
        assert_eq!(
            cap_under_fd_limit(10_000, Some(256)),
            256 - FD_RESERVE as usize
        );
        assert_eq!(cap_under_fd_limit(100, Some(1_048_576)), 100);
        assert_eq!(cap_under_fd_limit(100, None), 100);
        assert_eq!(cap_under_fd_limit(100, Some(10)), 1);
    }
}
