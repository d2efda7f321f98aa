//! Where the lines of a request head end, and where the head itself ends, as httparse sees
//! them: a line ends at LF (a CR before it belongs to the line end), empty lines before the
//! request line are skipped, and the head ends at its first empty line.

/// Where a head ends, if it does in the bytes so far.
pub(super) enum Found {
    /// Empty lines before a request line (httparse skips them).
    Blank(usize),
    Partial {
        line_end: Option<usize>,
        scan: usize,
    },
    Head {
        line_end: usize,
        end: usize,
    },
}

/// Finds the end of the head that starts `bytes`: the first empty line (`\n` or `\r\n`) after
/// the request line, searched from `scan` (a line feed already seen, or 0).
pub(super) fn locate(bytes: &[u8], mut scan: usize, mut line_end: Option<usize>) -> Found {
    let blank = leading_blank(bytes);
    if blank > 0 {
        return Found::Blank(blank);
    }
    loop {
        let Some(lf) = bytes[scan..].iter().position(|&b| b == b'\n') else {
            return Found::Partial {
                line_end,
                scan: bytes.len(),
            };
        };
        let lf = scan + lf;
        let line = *line_end.get_or_insert(lf + 1);
        match (bytes.get(lf + 1), bytes.get(lf + 2)) {
            (Some(b'\n'), _) => {
                return Found::Head {
                    line_end: line,
                    end: lf + 2,
                };
            }
            (Some(b'\r'), Some(b'\n')) => {
                return Found::Head {
                    line_end: line,
                    end: lf + 3,
                };
            }
            (None, _) | (Some(b'\r'), None) => {
                return Found::Partial { line_end, scan: lf };
            }
            _ => scan = lf + 1,
        }
    }
}

/// The length of the empty lines (`\n` or `\r\n`) at the start.
fn leading_blank(bytes: &[u8]) -> usize {
    let mut at = 0;
    loop {
        match &bytes[at..] {
            [b'\n', ..] => at += 1,
            [b'\r', b'\n', ..] => at += 2,
            _ => return at,
        }
    }
}

/// A line without its `\n` and a `\r` before that.
pub(super) fn strip_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}
