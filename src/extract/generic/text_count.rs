//! Character counts of a text node, whitespace excluded, in one pass over
//! its bytes: the characters, the sentence punctuation among them and the
//! wide (CJK) ones.
//!
//! Decoding every character (`str::chars`) and testing it costs several
//! times a byte test, and most characters need no decoding: a character is
//! counted by its first byte (continuation bytes `10xxxxxx` are not), ASCII
//! whitespace and punctuation are single bytes, and every other character
//! that is whitespace, punctuation or wide starts with one of a few lead
//! bytes (see [`is_special_lead`]). So the bytes are counted in chunks with
//! packed counters (one table load and one addition per byte), and only the
//! characters at a special lead byte are decoded.

/// The counts of [`count`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TextCount {
    /// Characters that are not whitespace (`char::is_whitespace`).
    pub(crate) chars: usize,
    /// Of which sentence punctuation (see [`is_punct`]).
    pub(crate) punct: usize,
    /// Of which wide (CJK) characters (see [`is_wide`]).
    pub(crate) wide: usize,
}

/// Sentence punctuation: `, . ; ! ?` and their CJK, Arabic and Devanagari
/// forms.
pub(crate) fn is_punct(c: char) -> bool {
    matches!(
        c,
        ',' | '.' | '，' | '。' | '、' | ';' | '!' | '?' | '؛' | '،' | '।'
    )
}

/// Characters that weigh three in a prose length
/// ([`crate::extract::article::prose_length`]): kana, CJK ideographs,
/// Hangul syllables.
pub(crate) fn is_wide(c: char) -> bool {
    matches!(
        c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
    )
}

/// Lead bytes of every non-ASCII character that is whitespace, punctuation
/// or wide: `C2` (U+0085, U+00A0), `D8` (U+060C, U+061B), and the
/// three-byte characters `E0`-`EF` (U+0964, U+1680, U+2000-U+205F, U+3000
/// and the CJK punctuation, kana, ideographs, Hangul, fullwidth forms).
const fn is_special_lead(b: u8) -> bool {
    b == 0xC2 || b == 0xD8 || (b >= 0xE0 && b <= 0xEF)
}

/// What each byte adds to a chunk's counters, packed in one word: bits
/// 0-7 the bytes that count as no character (ASCII whitespace and UTF-8
/// continuation bytes), bits 8-15 the ASCII punctuation, bits 16-23 the
/// special lead bytes. One load and one addition per byte.
static BYTE_COUNTS: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let uncounted = matches!(b, b'\t'..=b'\r' | b' ') || (b & 0xC0) == 0x80;
        let punct = matches!(b, b',' | b'.' | b';' | b'!' | b'?');
        table[i] = (uncounted as u32) | ((punct as u32) << 8) | ((is_special_lead(b) as u32) << 16);
        i += 1;
    }
    table
};

/// Counts a text's characters (see [`TextCount`]).
pub(crate) fn count(text: &str) -> TextCount {
    // At most 255 bytes per chunk, so that no packed counter overflows.
    const CHUNK: usize = 255;
    let bytes = text.as_bytes();
    let mut uncounted = 0usize;
    let mut punct = 0usize;
    let mut wide = 0usize;
    for (k, chunk) in bytes.chunks(CHUNK).enumerate() {
        let packed = chunk
            .iter()
            .fold(0u32, |sum, &b| sum + BYTE_COUNTS[usize::from(b)]);
        uncounted += (packed & 0xFF) as usize;
        punct += ((packed >> 8) & 0xFF) as usize;
        if packed >> 16 == 0 {
            continue;
        }
        let start = k * CHUNK;
        for (i, &b) in chunk.iter().enumerate() {
            if !is_special_lead(b) {
                continue;
            }
            // A lead byte starts a character: `start + i` is a boundary.
            let Some(c) = text.get(start + i..).and_then(|t| t.chars().next()) else {
                continue;
            };
            if c.is_whitespace() {
                uncounted += 1;
            } else {
                punct += usize::from(is_punct(c));
                wide += usize::from(is_wide(c));
            }
        }
    }
    TextCount {
        chars: bytes.len() - uncounted,
        punct,
        wide,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts by decoding every character (what [`count`] must equal).
    fn count_by_chars(text: &str) -> TextCount {
        let mut n = TextCount::default();
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            n.chars += 1;
            n.punct += usize::from(is_punct(c));
            n.wide += usize::from(is_wide(c));
        }
        n
    }

    #[test]
    fn counts_equal_the_counts_by_character() {
        let samples = [
            "",
            "   \t\n",
            "Plain words, a stop. Really? Yes!",
            "Grüße aus Köln; «Zitat» — “quotes” … €5",
            "no\u{a0}break\u{85}next\u{1680}ogham\u{2003}em\u{2028}line\u{202f}x\u{205f}y\u{3000}z",
            "日本語のテキスト、句読点。漢字，全角！",
            "한국어 문장입니다. 豈更",
            "مرحبا، كيف حالك؛ جيد",
            "हिन्दी वाक्य। दूसरा",
            "emoji 🎉 and ⁉ and \u{2000}\u{200a}\u{200b}",
        ];
        for s in samples {
            assert_eq!(count(s), count_by_chars(s), "{s:?}");
        }
        // Long texts cross chunk boundaries, with characters split by them.
        for s in samples {
            let long = format!("ab{}", s.repeat(40));
            assert_eq!(count(&long), count_by_chars(&long), "{s:?}");
        }
    }

    #[test]
    fn every_character_counts_as_when_decoded() {
        let all: String = (0..0x1_0000u32)
            .chain(0x1F300..0x1F400)
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(count(&all), count_by_chars(&all));
    }
}
