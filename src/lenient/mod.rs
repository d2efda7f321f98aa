//! The lenient request front: an adapter under hyper that follows each HTTP/1 request as
//! hyper will read it, rewrites request targets `http::Uri` refuses, and has malformed
//! requests answered in the provider's envelope instead of hyper's bare status or silent
//! close.
//!
//! Real clients of a provider that reads JSON inside a query parameter (PHP curl, C#
//! WebClient, ...) put raw JSON in the query:
//! `POST /p/pay?data=[{"user": " someone "}] HTTP/1.1`, with bare `"`, `{`, `|`,
//! `\`, `^`, spaces and UTF-8 bytes. ASP.NET takes that; hyper answers 400 before any handler
//! runs. So [`LenientStream`] sits between the socket and hyper and rewrites only the target
//! of each request line ([`target`]); a target over 64 KiB moves to a form body
//! ([`long_target`]). Every other byte passes unchanged, except that a bare LF in chunked
//! framing reaches hyper as CRLF ([`chunked`]).
//!
//! To know where each request starts it follows the framing exactly as hyper 1.x does
//! ([`framing`], [`head`], [`chunked`]); anything it cannot follow switches it to passing
//! everything through for the rest of the connection, so the two never disagree about where a
//! message ends. A head hyper would refuse (or frame unsafely) is replaced by a stand-in
//! request the server answers ([`answer`]), and nothing more is read from the connection; when
//! hyper closes it, what the client still sends is read and dropped for a while, so that the
//! close does not reset the connection before the client has read the answer.
//!
//! A slice read from the socket is framed in place; only a head that is split across reads
//! or rewritten, and the bytes read after it in the same read, are copied (once).
//! Writes go straight to the socket.

mod answer;
mod chunked;
mod framing;
mod head;
mod lines;
mod long_target;
mod target;

pub use answer::{Refusal, Refusals};

use framing::Framer;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How much a buffer handed out may keep allocated.
const KEEP: usize = 4 * 1024;
/// After a refusal, how long and how much the client's further bytes are read at the close.
const DRAIN_TIME: Duration = Duration::from_secs(2);
const DRAIN_BYTES: usize = 16 * 1024 * 1024;

/// A byte stream whose requests hyper will accept; see the module documentation.
pub struct LenientStream<S> {
    inner: S,
    framer: Framer,
    /// Bytes to hand out before anything else: a rewritten or held head, a stand-in request.
    out: Vec<u8>,
    out_at: usize,
    /// Bytes read from `inner` but not framed yet (those after bytes that were taken).
    stash: Vec<u8>,
    stash_at: usize,
    /// The close after a refusal: the write side is shut, the rest is being read.
    draining: Option<Draining>,
}

struct Draining {
    until: Pin<Box<tokio::time::Sleep>>,
    read: usize,
    done: bool,
}

impl<S> LenientStream<S> {
    pub fn new(inner: S, refusals: Refusals) -> Self {
        LenientStream {
            inner,
            framer: Framer::new(refusals),
            out: Vec::new(),
            out_at: 0,
            stash: Vec::new(),
            stash_at: 0,
            draining: None,
        }
    }
}

/// What the framer did with the front of a slice.
#[derive(Debug, PartialEq)]
enum Step {
    /// These bytes go to hyper unchanged, where they are.
    Pass(usize),
    /// These bytes were taken (held, dropped, or replaced by what was pushed to `out`).
    Take(usize),
}

impl<S: AsyncRead + Unpin> AsyncRead for LenientStream<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let start = buf.filled().len();
        loop {
            if buf.remaining() == 0 {
                return Poll::Ready(Ok(()));
            }
            if this.out_at < this.out.len() {
                let end = this.out.len().min(this.out_at + buf.remaining());
                buf.put_slice(&this.out[this.out_at..end]);
                this.out_at = end;
                if end == this.out.len() {
                    reset(&mut this.out, &mut this.out_at);
                }
                continue;
            }
            if this.stash_at < this.stash.len() {
                let end = this.stash.len().min(this.stash_at + buf.remaining());
                let slice = &this.stash[this.stash_at..end];
                this.stash_at += match this.framer.feed(slice, &mut this.out) {
                    Step::Pass(n) => {
                        buf.put_slice(&slice[..n]);
                        n
                    }
                    Step::Take(n) => n,
                };
                if this.stash_at == this.stash.len() {
                    reset(&mut this.stash, &mut this.stash_at);
                }
                continue;
            }
            if buf.filled().len() > start {
                return Poll::Ready(Ok(()));
            }
            if this.framer.is_refused() {
                // The stand-in request is hyper's last: it closes after answering it.
                return Poll::Pending;
            }
            ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
            let read = &buf.filled()[start..];
            if read.is_empty() {
                // End of stream: a partly held head goes to hyper as it came.
                if this.framer.give_up(&mut this.out) {
                    continue;
                }
                return Poll::Ready(Ok(()));
            }
            let mut kept = 0;
            while kept < read.len() {
                match this.framer.feed(&read[kept..], &mut this.out) {
                    Step::Pass(n) => kept += n,
                    Step::Take(n) => {
                        this.stash.extend_from_slice(&read[kept + n..]);
                        break;
                    }
                }
            }
            buf.set_filled(start + kept);
        }
    }
}

/// Empties a buffer that was handed out, without keeping a large allocation around.
fn reset(buffer: &mut Vec<u8>, at: &mut usize) {
    buffer.clear();
    buffer.shrink_to(KEEP);
    *at = 0;
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for LenientStream<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.framer.is_refused() {
            return Pin::new(&mut this.inner).poll_shutdown(cx);
        }
        if this.draining.is_none() {
            ready!(Pin::new(&mut this.inner).poll_shutdown(cx))?;
            this.draining = Some(Draining {
                until: Box::pin(tokio::time::sleep(DRAIN_TIME)),
                read: 0,
                done: false,
            });
        }
        let Some(draining) = &mut this.draining else {
            return Poll::Ready(Ok(()));
        };
        let mut scratch = [0u8; 8 * 1024];
        while !draining.done {
            if draining.read > DRAIN_BYTES || draining.until.as_mut().poll(cx).is_ready() {
                break;
            }
            let mut space = ReadBuf::new(&mut scratch);
            match ready!(Pin::new(&mut this.inner).poll_read(cx, &mut space)) {
                Ok(()) if !space.filled().is_empty() => draining.read += space.filled().len(),
                _ => break,
            }
        }
        draining.done = true;
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests;
