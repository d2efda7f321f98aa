//! A connection's activity: whether a request is in flight, when a request head began to
//! arrive, when a byte last moved, and from these when the connection is to be closed.
//!
//! Bytes read while a request is in flight are its body (or a pipelined next request): they
//! start no head. A pipelined head that is still incomplete when its predecessor is answered
//! is therefore timed as idle, not as a slow head: a longer bound, still a bound.

use super::Limits;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Instant;

/// What a connection is doing, shared by its socket, its service and its watchdog.
pub struct Activity {
    started: Instant,
    /// Requests in the service.
    in_flight: AtomicUsize,
    /// Whether a request head has begun to arrive (only noted while none is in flight).
    head_started: AtomicBool,
    /// Microseconds after `started` when the head began to arrive.
    head_at: AtomicU64,
    /// Microseconds after `started` of the last byte moved or request finished.
    last_at: AtomicU64,
    pub(super) evicted: AtomicBool,
    pub(super) evict: Notify,
}

impl Activity {
    pub(super) fn new() -> Self {
        Activity {
            started: Instant::now(),
            in_flight: AtomicUsize::new(0),
            head_started: AtomicBool::new(false),
            head_at: AtomicU64::new(0),
            last_at: AtomicU64::new(0),
            evicted: AtomicBool::new(false),
            evict: Notify::new(),
        }
    }

    fn now_us(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    fn at(&self, us: u64) -> Instant {
        self.started + Duration::from_micros(us)
    }

    /// Held by the service while it handles a request.
    pub fn busy(self: &Arc<Self>) -> Busy {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.head_started.store(false, Ordering::Release);
        Busy(self.clone())
    }

    fn moved(&self, read: bool) {
        let now = self.now_us();
        self.last_at.store(now, Ordering::Release);
        if read
            && self.in_flight.load(Ordering::Acquire) == 0
            && !self.head_started.swap(true, Ordering::AcqRel)
        {
            self.head_at.store(now, Ordering::Release);
        }
    }

    /// When the connection began waiting, if no request is in flight: for making room.
    pub(super) fn waiting_since(&self) -> Option<Instant> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            None
        } else if self.head_started.load(Ordering::Acquire) {
            Some(self.at(self.head_at.load(Ordering::Acquire)))
        } else {
            Some(self.at(self.last_at.load(Ordering::Acquire)))
        }
    }

    /// When the connection is to be closed as things stand, and why.
    fn deadline(&self, limits: Limits) -> Option<(Instant, &'static str)> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            None
        } else if self.head_started.load(Ordering::Acquire) {
            let at = self.at(self.head_at.load(Ordering::Acquire));
            limits
                .header_read
                .map(|d| (at + d, "request head not received in time"))
        } else {
            let at = self.at(self.last_at.load(Ordering::Acquire));
            limits.idle.map(|d| (at + d, "idle"))
        }
    }

    /// Completes when the connection is to be closed. It wakes at least every shortest
    /// timeout, so a state that began while it slept is never judged late.
    pub(super) async fn expired(&self, limits: Limits) -> &'static str {
        let period = [limits.header_read, limits.idle]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(Duration::from_secs(60));
        loop {
            let now = Instant::now();
            let wake = match self.deadline(limits) {
                Some((deadline, why)) if deadline <= now => return why,
                Some((deadline, _)) => deadline.min(now + period),
                None => now + period,
            };
            tokio::select! {
                () = tokio::time::sleep_until(wake) => {}
                () = self.evict.notified() => {
                    // The connection and this watchdog share a task, so a request cannot
                    // start between this look and the close.
                    if self.in_flight.load(Ordering::Acquire) == 0 {
                        return "closed to make room for a new connection";
                    }
                    self.evicted.store(false, Ordering::Release);
                }
            }
        }
    }
}

/// A request in the service; the connection is idle again when the last one is dropped.
pub struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.last_at.store(self.0.now_us(), Ordering::Release);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A socket that tells its [`Activity`] when bytes move.
pub struct Tracked<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> Tracked<S> {
    pub(super) fn new(inner: S, activity: Arc<Activity>) -> Self {
        Tracked { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.moved(true);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.moved(false);
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.moved(false);
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
