//! A chunked body followed byte for byte as hyper 1's decoder (`proto/h1/decode.rs`) reads
//! it, so the front knows where the message ends exactly where hyper does.
//!
//! One leniency: a bare LF where hyper wants CRLF (after a chunk size and its extensions,
//! after chunk data, at the end of a trailer line or of the trailer section) is handed to
//! hyper as CRLF. httparse takes bare LF in a head, hyper's chunk decoder does not, and in
//! the trailer section it would read a bare LF as an ordinary byte and run on into the next
//! request's head. Anything else hyper refuses (a size that is not hex, a bare CR, extensions
//! or trailers over hyper's limits, trailers httparse refuses) ends the framing: hyper fails
//! the body and reads nothing more from the connection.

use super::Step;
use hyper::http::{HeaderName, HeaderValue};

/// hyper's limit on all the chunk-extension bytes of one body.
const EXTENSIONS_LIMIT: u64 = 16 * 1024;
/// hyper's limit on the bytes of the trailer section.
const TRAILER_LIMIT: usize = 16 * 1024;
/// hyper's limit on the number of trailer fields (its default header count).
const TRAILER_COUNT: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Start,
    Size,
    SizeLws,
    Extension,
    SizeLf,
    Body,
    BodyCr,
    BodyLf,
    Trailer,
    TrailerLf,
    EndCr,
    EndLf,
}

/// How a chunked body goes on after a slice.
#[derive(Debug, PartialEq)]
pub(super) enum Flow {
    More,
    /// The body ended with the last byte handed over.
    End,
    /// hyper fails the body here.
    Fail,
}

#[derive(Debug)]
pub(super) struct Chunked {
    state: State,
    size: u64,
    extensions: u64,
    trailers: Option<Vec<u8>>,
    trailer_count: usize,
}

impl Default for Chunked {
    fn default() -> Self {
        Chunked {
            state: State::Start,
            size: 0,
            extensions: 0,
            trailers: None,
            trailer_count: 0,
        }
    }
}

impl Chunked {
    /// Follows the front of `input` (not empty). A bare LF is taken alone, with CRLF pushed
    /// to `out` for it; on `Fail` the step covers the bytes before the one hyper refuses.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> (Step, Flow) {
        let mut at = 0;
        while at < input.len() {
            if self.state == State::Body {
                let n = usize::try_from(self.size)
                    .map_or(input.len() - at, |size| size.min(input.len() - at));
                at += n;
                self.size -= n as u64;
                if self.size == 0 {
                    self.state = State::BodyCr;
                }
                continue;
            }
            let byte = input[at];
            if byte == b'\n' && self.wants_cr() {
                if at > 0 {
                    return (Step::Pass(at), Flow::More);
                }
                out.extend_from_slice(b"\r\n");
                let flow = match self.step(b'\r') {
                    Flow::More => self.step(b'\n'),
                    other => other,
                };
                return (Step::Take(1), flow);
            }
            match self.step(byte) {
                Flow::More => at += 1,
                Flow::End => return (Step::Pass(at + 1), Flow::End),
                Flow::Fail => return (Step::Pass(at), Flow::Fail),
            }
        }
        (Step::Pass(at), Flow::More)
    }

    /// Where hyper would take a `\r` as the start of a line end.
    fn wants_cr(&self) -> bool {
        matches!(
            self.state,
            State::Size
                | State::SizeLws
                | State::Extension
                | State::BodyCr
                | State::Trailer
                | State::EndCr
        )
    }

    /// hyper's `ChunkedState::step` for one byte (data is handled in bulk by `feed`).
    fn step(&mut self, byte: u8) -> Flow {
        use State::*;
        let hex = (byte as char).to_digit(16).map(u64::from);
        self.state = match (self.state, byte) {
            (Start | Size, _) if hex.is_some() => {
                let digit = hex.unwrap_or_default();
                match self.size.checked_mul(16).and_then(|s| s.checked_add(digit)) {
                    Some(size) => self.size = size,
                    None => return Flow::Fail,
                }
                Size
            }
            (Size | SizeLws, b'\t' | b' ') => SizeLws,
            (Size | SizeLws, b';') => Extension,
            (Size | SizeLws | Extension, b'\r') => SizeLf,
            (Extension, b'\n') => return Flow::Fail,
            (Extension, _) => {
                self.extensions += 1;
                if self.extensions >= EXTENSIONS_LIMIT {
                    return Flow::Fail;
                }
                Extension
            }
            (SizeLf, b'\n') if self.size == 0 => EndCr,
            (SizeLf, b'\n') => Body,
            (BodyCr, b'\r') => BodyLf,
            (BodyLf, b'\n') => Start,
            (Trailer, _) => {
                if !self.put(byte) {
                    return Flow::Fail;
                }
                if byte == b'\r' { TrailerLf } else { Trailer }
            }
            (TrailerLf, b'\n') => {
                if self.trailer_count >= TRAILER_COUNT {
                    return Flow::Fail;
                }
                self.trailer_count += 1;
                if !self.put(byte) {
                    return Flow::Fail;
                }
                EndCr
            }
            (EndCr, b'\r') => {
                if self.trailers.is_some() && !self.put(byte) {
                    return Flow::Fail;
                }
                EndLf
            }
            (EndCr, _) => {
                if self.trailers.is_none() {
                    self.trailers = Some(vec![byte]);
                } else if !self.put(byte) {
                    return Flow::Fail;
                }
                Trailer
            }
            (EndLf, b'\n') => {
                if self.trailers.is_some() && !self.put(byte) {
                    return Flow::Fail;
                }
                return if self.trailers_parse() {
                    Flow::End
                } else {
                    Flow::Fail
                };
            }
            _ => return Flow::Fail,
        };
        Flow::More
    }

    /// Adds a trailer byte; false when hyper's limit is reached.
    fn put(&mut self, byte: u8) -> bool {
        let trailers = self.trailers.get_or_insert_with(Vec::new);
        trailers.push(byte);
        trailers.len() < TRAILER_LIMIT
    }

    /// Whether hyper's `decode_trailers` takes the trailer section.
    fn trailers_parse(&self) -> bool {
        let Some(trailers) = &self.trailers else {
            return true;
        };
        let mut headers = vec![httparse::EMPTY_HEADER; self.trailer_count];
        match httparse::parse_headers(trailers, &mut headers) {
            Ok(httparse::Status::Complete((_, headers))) => headers.iter().all(|header| {
                HeaderName::from_bytes(header.name.as_bytes()).is_ok()
                    && HeaderValue::from_bytes(header.value).is_ok()
            }),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunk size a size line gives, or None where hyper fails (or wants more bytes).
    fn size(line: &str) -> Option<u64> {
        let mut chunked = Chunked::default();
        let mut input = line.as_bytes();
        while !input.is_empty() {
            let (step, flow) = chunked.feed(input, &mut Vec::new());
            if flow == Flow::Fail {
                return None;
            }
            let (Step::Pass(n) | Step::Take(n)) = step;
            input = &input[n..];
        }
        matches!(chunked.state, State::Body | State::EndCr).then_some(chunked.size)
    }

    #[test]
    fn size_lines_are_read_as_hyper_reads_them() {
        // The cases of hyper's own `test_read_chunk_size`.
        for (line, expected) in [
            ("1\r\n", 1),
            ("01\r\n", 1),
            ("0\r\n", 0),
            ("00\r\n", 0),
            ("A\r\n", 10),
            ("a\r\n", 10),
            ("Ff\r\n", 255),
            ("Ff   \r\n", 255),
            ("1;extension\r\n", 1),
            ("a;ext name=value\r\n", 10),
            ("1;extension;extension2\r\n", 1),
            ("1;;;  ;\r\n", 1),
            ("2; extension...\r\n", 2),
            ("3   ; extension=123\r\n", 3),
            ("3   ;\r\n", 3),
            ("3   ;   \r\n", 3),
            // The one leniency: a bare LF ends the line.
            ("a\n", 10),
            ("3 ;x\n", 3),
        ] {
            assert_eq!(size(line), Some(expected), "{line:?}");
        }
        for line in [
            "F\rF",
            "F",
            "\r\n\r\n",
            "\r\n",
            "\n",
            "X\r\n",
            "1X\r\n",
            "-\r\n",
            "-1\r\n",
            "1 invalid extension\r\n",
            "1 A\r\n",
            "1;no CRLF",
            "f0000000000000003\r\n",
            " 1\r\n",
        ] {
            assert_eq!(size(line), None, "{line:?}");
        }
    }

    #[test]
    fn extensions_and_trailers_stop_at_hyper_s_limits() {
        let mut chunked = Chunked::default();
        let line = format!("1;{}\r\n", "e".repeat(EXTENSIONS_LIMIT as usize));
        let (_, flow) = chunked.feed(line.as_bytes(), &mut Vec::new());
        assert_eq!(flow, Flow::Fail);

        let body = |trailers: &str| {
            let mut chunked = Chunked::default();
            let input = format!("0\r\n{trailers}\r\n");
            chunked.feed(input.as_bytes(), &mut Vec::new()).1
        };
        assert_eq!(body(&"X: y\r\n".repeat(TRAILER_COUNT)), Flow::End);
        assert_eq!(body(&"X: y\r\n".repeat(TRAILER_COUNT + 1)), Flow::Fail);
        let long = format!("X: {}\r\n", "v".repeat(TRAILER_LIMIT - 8));
        assert_eq!(body(&long), Flow::End);
        let longer = format!("X: {}\r\n", "v".repeat(TRAILER_LIMIT - 7));
        assert_eq!(body(&longer), Flow::Fail);
        assert_eq!(body("X y\r\n"), Flow::Fail);
    }
}
