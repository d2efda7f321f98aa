//! HTTP/1 message framing on the read side, followed exactly as hyper follows it, so the
//! front knows where each request line starts (keep-alive, pipelining).
//!
//! A head (request line and header lines) is held until its empty line, then read as hyper
//! reads it ([`super::head`]); its target is rewritten when `http::Uri` would refuse it. Then
//! the body: a fixed length, or chunked ([`super::chunked`]). A head that hyper would refuse
//! or frame unsafely is refused: a stand-in request takes its place ([`super::answer`]) and
//! nothing more is read from the connection. What the front does not understand (a line that
//! is not `METHOD SP target SP HTTP/x.y`, an upgrade, a body hyper fails) switches it to
//! passing everything through for the rest of the connection: hyper then handles the bytes
//! as it would without us.

use super::Step;
use super::answer::{Refusal, Refusals};
use super::chunked::{Chunked, Flow};
use super::head::{Body, NotTaken, judge};
use super::lines::{Found, locate, strip_eol};
use super::long_target::{MAX_URI, move_query};
use super::target::{
    Line, RequestLine, encode_into, encoded_len, is_tchar, needs_encoding, read_request_line,
};
use hyper::http::StatusCode;

/// The longest target taken (a longer one is refused 414).
pub(super) const TARGET_CAP: usize = 1024 * 1024;
/// The longest request line held while waiting for its line feed.
const LINE_CAP: usize = TARGET_CAP + 64;
/// The most bytes of header lines after the request line (more: 431).
pub(super) const HEADERS_CAP: usize = 64 * 1024;
/// A method longer than this is not one.
const METHOD_CAP: usize = 64;

#[derive(Debug)]
pub(super) enum State {
    Head,
    Fixed(u64),
    Chunked(Box<Chunked>),
    PassThrough,
    /// A stand-in request was handed over; nothing more is read.
    Refused,
}

pub(super) struct Framer {
    pub(super) state: State,
    /// The head being held, from its first byte.
    held: Vec<u8>,
    /// Where the search for the end of the held head goes on.
    scan: usize,
    /// The end of the held request line, once seen.
    line_end: Option<usize>,
    /// hyper reads nothing after the current message.
    last: bool,
    refusals: Refusals,
}

/// What became of a whole head.
enum Done {
    /// hyper gets it as it came.
    Unchanged,
    /// What hyper gets instead was pushed to `out`.
    Replaced,
    /// A stand-in request was pushed to `out`.
    Refused,
    /// It and the rest go to hyper as they came.
    GiveUp,
}

impl Framer {
    pub fn new(refusals: Refusals) -> Self {
        Framer {
            state: State::Head,
            held: Vec::new(),
            scan: 0,
            line_end: None,
            last: false,
            refusals,
        }
    }

    pub fn is_refused(&self) -> bool {
        matches!(self.state, State::Refused)
    }

    /// Frames the front of `input` (not empty); what replaces taken bytes is pushed to `out`.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Step {
        match &mut self.state {
            State::PassThrough => Step::Pass(input.len()),
            State::Refused => Step::Take(input.len()),
            State::Fixed(left) => {
                let n = usize::try_from(*left).map_or(input.len(), |l| l.min(input.len()));
                *left -= n as u64;
                if *left == 0 {
                    self.end_message();
                }
                Step::Pass(n)
            }
            State::Chunked(chunked) => {
                let (step, flow) = chunked.feed(input, out);
                match flow {
                    Flow::More => {}
                    Flow::End => self.end_message(),
                    Flow::Fail => self.state = State::PassThrough,
                }
                step
            }
            State::Head if self.held.is_empty() => self.head_in_place(input, out),
            State::Head => self.head_held(input, out),
        }
    }

    /// At the end of the stream: hands over a partly held head; false when none.
    pub fn give_up(&mut self, out: &mut Vec<u8>) -> bool {
        if self.held.is_empty() || !matches!(self.state, State::Head) {
            return false;
        }
        self.state = State::PassThrough;
        out.append(&mut self.held);
        true
    }

    fn end_message(&mut self) {
        self.state = if self.last {
            State::PassThrough
        } else {
            State::Head
        };
    }

    /// A head that starts this slice: handled where it lies when it is whole.
    fn head_in_place(&mut self, input: &[u8], out: &mut Vec<u8>) -> Step {
        match locate(input, 0, None) {
            Found::Blank(n) => Step::Pass(n),
            Found::Head { line_end, end } => match self.finish(&input[..end], line_end, out) {
                Done::Unchanged => Step::Pass(end),
                Done::Replaced => Step::Take(end),
                Done::Refused => Step::Take(input.len()),
                Done::GiveUp => Step::Pass(input.len()),
            },
            Found::Partial { line_end, scan } => match self.check_partial(input, line_end, out) {
                Some(Done::Refused) => Step::Take(input.len()),
                Some(_) => Step::Pass(input.len()),
                None => {
                    self.held.extend_from_slice(input);
                    (self.scan, self.line_end) = (scan, line_end);
                    Step::Take(input.len())
                }
            },
        }
    }

    /// A head split across reads: the slice joins what is held.
    fn head_held(&mut self, input: &[u8], out: &mut Vec<u8>) -> Step {
        self.held.extend_from_slice(input);
        loop {
            match locate(&self.held, self.scan, self.line_end) {
                Found::Blank(n) => {
                    out.extend(self.held.drain(..n));
                    (self.scan, self.line_end) = (0, None);
                    if self.held.is_empty() {
                        return Step::Take(input.len());
                    }
                }
                Found::Head { line_end, end } => {
                    let mut head = std::mem::take(&mut self.held);
                    let rest = head.len() - end;
                    match self.finish(&head[..end], line_end, out) {
                        Done::Unchanged => out.extend_from_slice(&head[..end]),
                        Done::Replaced => {}
                        Done::Refused => return Step::Take(input.len()),
                        Done::GiveUp => {
                            out.extend_from_slice(&head);
                            return Step::Take(input.len());
                        }
                    }
                    head.clear();
                    self.held = head;
                    (self.scan, self.line_end) = (0, None);
                    return Step::Take(input.len().saturating_sub(rest));
                }
                Found::Partial { line_end, scan } => {
                    (self.scan, self.line_end) = (scan, line_end);
                    let mut held = std::mem::take(&mut self.held);
                    match self.check_partial(&held, line_end, out) {
                        Some(Done::Refused) => {}
                        Some(_) => out.append(&mut held),
                        None => self.held = held,
                    }
                    return Step::Take(input.len());
                }
            }
        }
    }

    /// Limits on a head not whole yet; None while it may still be taken.
    fn check_partial(
        &mut self,
        bytes: &[u8],
        line_end: Option<usize>,
        out: &mut Vec<u8>,
    ) -> Option<Done> {
        let Some(line_end) = line_end else {
            // Not HTTP at all (a TLS hello, say) is given up at once, not held for a line feed.
            let start = &bytes[..bytes.len().min(METHOD_CAP)];
            return match start.iter().position(|&b| b == b' ') {
                Some(space) if space > 0 && start[..space].iter().all(|&b| is_tchar(b)) => {
                    (bytes.len() > LINE_CAP).then(|| {
                        let message = format!(
                            "The request target is over the sandbox's limit of {} bytes",
                            TARGET_CAP
                        );
                        self.refuse(&bytes[..space], &bytes[space + 1..], 414, message, out)
                    })
                }
                None if start.len() < METHOD_CAP
                    && start
                        .iter()
                        .enumerate()
                        .all(|(i, &b)| is_tchar(b) || (b == b'\r' && i + 1 == bytes.len())) =>
                {
                    None
                }
                _ => Some(self.give_up_here()),
            };
        };
        let text = strip_eol(&bytes[..line_end]);
        let (Line::Request(line) | Line::OtherVersion(line)) = read_request_line(text) else {
            return Some(self.give_up_here());
        };
        self.check_sizes(text, &line, bytes.len() - line_end, out)
    }

    /// The target and header limits; Some(Refused) past one.
    fn check_sizes(
        &mut self,
        text: &[u8],
        line: &RequestLine,
        header_bytes: usize,
        out: &mut Vec<u8>,
    ) -> Option<Done> {
        let (method, target) = (&text[line.method.clone()], &text[line.target.clone()]);
        if target.len() > TARGET_CAP {
            let size = target.len();
            let message = format!(
                "The request target ({size} bytes) is over the sandbox's limit of {TARGET_CAP} bytes"
            );
            return Some(self.refuse(method, target, 414, message, out));
        }
        if header_bytes > HEADERS_CAP {
            let message =
                format!("The request headers are over the sandbox's limit of {HEADERS_CAP} bytes");
            return Some(self.refuse(method, target, 431, message, out));
        }
        None
    }

    fn give_up_here(&mut self) -> Done {
        self.state = State::PassThrough;
        Done::GiveUp
    }

    fn refuse(
        &mut self,
        method: &[u8],
        target: &[u8],
        status: u16,
        message: String,
        out: &mut Vec<u8>,
    ) -> Done {
        let refusal = Refusal {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            message,
        };
        self.refusals.request(method, target, &refusal, out);
        self.state = State::Refused;
        self.held = Vec::new();
        Done::Refused
    }

    /// A whole head (request line ending at `line_end`, header lines, empty line).
    fn finish(&mut self, head: &[u8], line_end: usize, out: &mut Vec<u8>) -> Done {
        let text = strip_eol(&head[..line_end]);
        let line = match read_request_line(text) {
            Line::Garbage => return self.give_up_here(),
            Line::OtherVersion(line) => {
                let version: String = String::from_utf8_lossy(&text[line.target.end + 1..])
                    .chars()
                    .take(40)
                    .collect();
                let message = format!("The HTTP version {version:?} is not served here");
                let (method, target) = (&text[line.method.clone()], &text[line.target]);
                return self.refuse(method, target, 400, message, out);
            }
            Line::Request(line) => line,
        };
        if let Some(done) = self.check_sizes(text, &line, head.len() - line_end, out) {
            return done;
        }
        let target = &text[line.target.clone()];
        let rewrite = needs_encoding(target);
        let long = if rewrite {
            encoded_len(target) > MAX_URI
        } else {
            target.len() > MAX_URI
        };
        let start = out.len();
        let judged = if rewrite {
            out.extend_from_slice(&head[..line.target.start]);
            encode_into(target, out);
            out.extend_from_slice(&head[line.target.end..]);
            judge(&out[start..], !long)
        } else {
            judge(head, !long)
        };
        if rewrite && (long || judged.is_err()) {
            out.truncate(start);
        }
        let (method, target) = (&text[line.method.clone()], &text[line.target.clone()]);
        match judged {
            Err(NotTaken::Unsure) => self.give_up_here(),
            Err(NotTaken::Refused(refusal)) => {
                let status = refusal.status.as_u16();
                self.refuse(method, target, status, refusal.message, out)
            }
            Ok(framing) if long => match move_query(head, line_end, &line, &framing, out) {
                Ok(left) => {
                    self.begin_body(
                        if left > 0 {
                            Body::Fixed(left)
                        } else {
                            Body::Empty
                        },
                        framing.keep_alive,
                    );
                    Done::Replaced
                }
                Err(refusal) => {
                    out.truncate(start);
                    let status = refusal.status.as_u16();
                    self.refuse(method, target, status, refusal.message, out)
                }
            },
            Ok(framing) => {
                self.begin_body(framing.body, framing.keep_alive);
                if rewrite {
                    Done::Replaced
                } else {
                    Done::Unchanged
                }
            }
        }
    }

    fn begin_body(&mut self, body: Body, keep_alive: bool) {
        self.last = !keep_alive;
        self.state = match body {
            Body::Empty if keep_alive => State::Head,
            Body::Empty | Body::Opaque => State::PassThrough,
            Body::Fixed(n) => State::Fixed(n),
            Body::Chunked => State::Chunked(Box::default()),
        };
    }
}
