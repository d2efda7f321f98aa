//! The hostile values the mutators draw from: odd numbers, unicode, NUL, invalid UTF-8,
//! dates that do not exist, huge strings.

use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// Number tokens, some of them JSON only to a lenient parser (`NaN`, `0x10`, `.5`).
pub const NUMBERS: &[&str] = &[
    "1e309",
    "-1e309",
    "-0",
    "-0.0",
    "0",
    "1e-400",
    "-1",
    "0.1",
    "1.005",
    "1E2",
    "4.4e3",
    "0e0",
    "123456789012345678901234567890",
    "9007199254740993",
    "18446744073709551616",
    "-9223372036854775809",
    "79228162514264337593543950336",
    "0.0000000000000000000000000001",
    "NaN",
    "Infinity",
    "-Infinity",
    "0x10",
    ".5",
    "5.",
    "+1",
    "01",
];

const TEXTS: &[&str] = &[
    "",
    " ",
    "\t\r\n",
    "null",
    "true",
    "[]",
    "{}",
    "ü",
    "日本語",
    "😀",
    "\u{202e}desrever",
    "e\u{301}",
    "\u{feff}",
    "\u{ffff}",
    "\u{10ffff}",
    "١٢٣",
    "１２３",
    "\0",
    "a\0b",
    "12\0",
    "1,000.00",
    "1.2.3",
    " 12 ",
    "12abc",
    "31-02-2016",
    "29-02-2100",
    "00-00-0000",
    "9999-12-31",
    "2016-02-30",
    "0000-01-01",
    "32/13/2020",
    "1/1/1",
    "2016-06-01T25:61:00",
    "' OR '1'='1",
    "%",
    "%zz",
    "\\",
    "\"",
    "<script>",
    "../..",
    "a|b",
    ",",
    "|",
];

const INVALID_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xc3",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\x80",
    b"\xe2\x82",
    b"abc\xfe\xfe",
];

/// A hostile string; `big` is the size of the huge ones (bytes).
pub fn text(rng: &mut ChaCha8Rng, original: &[u8], big: usize) -> Vec<u8> {
    if original.iter().any(u8::is_ascii_digit) && rng.random_bool(0.4) {
        return neighbour(rng, original);
    }
    match rng.random_range(0..12) {
        0..=2 => TEXTS.choose(rng).unwrap().as_bytes().to_vec(),
        3 => NUMBERS.choose(rng).unwrap().as_bytes().to_vec(),
        4 => INVALID_UTF8.choose(rng).unwrap().to_vec(),
        5 => huge(rng, big),
        6 => (0..rng.random_range(1..24)).map(|_| rng.random()).collect(),
        _ => {
            // The original value with something hostile inside, or cut short.
            let mut out = original.to_vec();
            let at = rng.random_range(0..=out.len());
            if rng.random_bool(0.2) {
                out.truncate(at);
            } else {
                let insert: Vec<u8> = if rng.random_bool(0.5) {
                    TEXTS.choose(rng).unwrap().as_bytes().to_vec()
                } else {
                    INVALID_UTF8.choose(rng).unwrap().to_vec()
                };
                out.splice(at..at, insert);
            }
            out
        }
    }
}

fn huge(rng: &mut ChaCha8Rng, big: usize) -> Vec<u8> {
    let size = rng.random_range(big / 4..=big);
    let unit: &[u8] = [&b"a"[..], b"9", "😀".as_bytes(), b"\xff", b" "]
        .choose(rng)
        .unwrap();
    unit.repeat(size / unit.len())
}

pub fn number(rng: &mut ChaCha8Rng) -> String {
    NUMBERS.choose(rng).unwrap().to_string()
}

/// Extremes the types behind the rules hold: `i32`, `i64`, `u64`, `Decimal`, years.
const EXTREMES: &[&str] = &[
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551615",
    "79228162514264337593543950335",
    "79228162514264337593543950336",
    "7922816251426433759354395033.5",
    "0.0000000000000000000000000001",
    "99999999999999999999999999.99",
];

/// A number or a date near the one given: its digit groups replaced by extremes (a year
/// 9999 or 0, a day 32, a month 13), zeros appended, a sign or a fraction added.
fn neighbour(rng: &mut ChaCha8Rng, original: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(original);
    match rng.random_range(0..6) {
        0 => EXTREMES.choose(rng).unwrap().as_bytes().to_vec(),
        1 => format!("-{text}").into_bytes(),
        2 => format!("{text}{}", "0".repeat(rng.random_range(1..=30))).into_bytes(),
        3 => format!("{text}.{}", "9".repeat(rng.random_range(1..=30))).into_bytes(),
        _ => {
            // One group of digits (a year, a month, an amount) replaced.
            let groups: Vec<(usize, usize)> = digit_groups(original);
            let (start, end) = *groups.choose(rng).unwrap();
            let replacement: &str = if end - start >= 4 {
                ["9999", "0000", "10000", "0", "99999999999", "1900", "2100"]
                    .choose(rng)
                    .unwrap()
            } else {
                ["00", "0", "13", "29", "30", "31", "32", "99", "-1", "999"]
                    .choose(rng)
                    .unwrap()
            };
            let mut out = original.to_vec();
            out.splice(start..end, replacement.bytes());
            out
        }
    }
}

fn digit_groups(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut start = None;
    for (i, b) in bytes.iter().enumerate() {
        match (b.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                groups.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        groups.push((s, bytes.len()));
    }
    groups
}
