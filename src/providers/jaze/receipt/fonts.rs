//! The receipt's text in the standard Helvetica fonts: their resource names, their advance
//! widths (to lay out and cut text) and the WinAnsi encoding they show without embedding.

use pdf_writer::Name;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Font {
    Regular,
    Bold,
}

impl Font {
    pub fn resource(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }
}

/// The text cut to `max` points wide, with an ellipsis where it was cut.
pub fn fit(s: &str, font: Font, size: f32, max: f32) -> String {
    if width(font, s, size) <= max {
        return s.to_string();
    }
    let mut cut: String = s.to_string();
    while !cut.is_empty() {
        cut.pop();
        let candidate = format!("{}\u{2026}", cut.trim_end());
        if width(font, &candidate, size) <= max {
            return candidate;
        }
    }
    "\u{2026}".to_string()
}

/// The width of a text in points, from the standard fonts' metrics.
pub fn width(font: Font, s: &str, size: f32) -> f32 {
    let units: u32 = win_ansi(s).iter().map(|&b| glyph_width(font, b)).sum();
    units as f32 * size / 1000.0
}

/// Helvetica and Helvetica-Bold advance widths (Adobe's AFM) for printable ASCII.
#[rustfmt::skip]
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

fn glyph_width(font: Font, byte: u8) -> u32 {
    let table = match font {
        Font::Regular => &HELVETICA,
        Font::Bold => &HELVETICA_BOLD,
    };
    match byte {
        32..=126 => u32::from(table[usize::from(byte - 32)]),
        0x85 | 0x89 | 0x99 => 1000,
        // Accented letters and the rest of Latin-1: close enough to lay out.
        _ if font == Font::Bold => 611,
        _ => 556,
    }
}

/// The text in WinAnsiEncoding (Windows-1252): what the standard fonts show without
/// embedding; a character outside it becomes `?`, a control character a space.
pub fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            c if c.is_control() => b' ',
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8a,
            '‹' => 0x8b,
            'Œ' => 0x8c,
            'Ž' => 0x8e,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9a,
            '›' => 0x9b,
            'œ' => 0x9c,
            'ž' => 0x9e,
            'Ÿ' => 0x9f,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_ansi_keeps_latin1_and_replaces_the_rest() {
        assert_eq!(win_ansi("Café (₹) – ok"), b"Caf\xe9 (?) \x96 ok".to_vec());
        assert_eq!(win_ansi("a\nb"), b"a b".to_vec());
    }

    #[test]
    fn fit_cuts_long_text_with_an_ellipsis() {
        let long = "A".repeat(400);
        let cut = fit(&long, Font::Bold, 20.0, 200.0);
        assert!(cut.ends_with('\u{2026}'));
        assert!(width(Font::Bold, &cut, 20.0) <= 200.0);
        assert_eq!(fit("short", Font::Regular, 10.0, 200.0), "short");
    }
}
