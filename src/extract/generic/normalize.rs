//! The normalised form in which texts are compared: lower-cased letters and
//! digits only. The cleaner normalises every paragraph and the crawler
//! every article body (its near-duplicate key), so this is written for
//! speed: ASCII runs go through a table, and a paragraph's form is computed
//! only when a test needs it ([`LazyNorm`]).

/// Each ASCII byte's lower case when it is a letter or digit, else 0.
static ASCII_ALNUM_LOWER: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() {
            table[i] = b.to_ascii_lowercase();
        }
        i += 1;
    }
    table
};

/// Lower-cased letters and digits only: the form in which texts are compared.
pub fn normalize(text: &str) -> String {
    let mut out = String::new();
    normalize_into(text, &mut out);
    out
}

/// [`normalize`] into `out` (cleared first), so that a loop over many
/// texts reuses one buffer.
pub fn normalize_into(text: &str, out: &mut String) {
    let mut buf = std::mem::take(out).into_bytes();
    buf.clear();
    buf.reserve(text.len());
    if text.is_ascii() {
        // Most texts: one run, without looking for its end.
        push_ascii_alnum_lower(text.as_bytes(), &mut buf);
    } else {
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let n = bytes[at..]
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(bytes.len() - at);
            if n > 0 {
                push_ascii_alnum_lower(&bytes[at..at + n], &mut buf);
                at += n;
            }
            // Then one other character (`at` follows an ASCII byte or a
            // whole character: a boundary).
            if let Some(c) = text.get(at..).and_then(|t| t.chars().next()) {
                push_alnum_lower(c, &mut buf);
                at += c.len_utf8();
            }
        }
    }
    // Whole characters only were copied, so this cannot fail.
    *out = String::from_utf8(buf).unwrap_or_default();
}

/// What a non-ASCII character of two UTF-8 bytes (U+0080 to U+07FF: the
/// Latin, Greek, Cyrillic, Hebrew and Arabic letters) adds to a normalised
/// text: nothing (0), its lower case when that is one character, or
/// [`LOWER_IS_LONGER`].
static TWO_BYTE_LOWER: std::sync::LazyLock<Vec<u32>> = std::sync::LazyLock::new(|| {
    (0x80..0x800u32)
        .map(|code| {
            let Some(c) = char::from_u32(code) else {
                return 0;
            };
            if !c.is_alphanumeric() {
                return 0;
            }
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l as u32,
                _ => LOWER_IS_LONGER,
            }
        })
        .collect()
});

/// A [`TWO_BYTE_LOWER`] entry: the lower case is several characters
/// (U+0130, `İ`), appended as [`char::to_lowercase`] gives them.
const LOWER_IS_LONGER: u32 = u32::MAX;

/// Whether a character of three UTF-8 bytes is a letter without case in
/// the large blocks of East Asian text (kana, CJK ideographs, Hangul
/// syllables): kept as it is. (The test `wide_letters_are_kept_as_they_are`
/// checks every one against the Unicode tables.)
fn is_caseless_wide_letter(c: char) -> bool {
    matches!(
        c as u32,
        0x3041..=0x3096 | 0x30A1..=0x30FA | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3
    )
}

/// Appends a non-ASCII character's normalised form: its lower case when
/// it is a letter or digit. Decoding the Unicode tables (letter? lower
/// case?) cost ten times the rest for a text in Greek, Cyrillic or
/// Japanese: the two-byte characters are read from a table made once
/// from them, and the East Asian letters are kept without a look-up.
fn push_alnum_lower(c: char, out: &mut Vec<u8>) {
    let code = c as u32;
    let one = if (0x80..0x800).contains(&code) {
        match TWO_BYTE_LOWER[(code - 0x80) as usize] {
            0 => return,
            LOWER_IS_LONGER => None,
            lower => char::from_u32(lower),
        }
    } else if is_caseless_wide_letter(c) {
        Some(c)
    } else {
        None
    };
    match one {
        Some(l) => out.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes()),
        None if c.is_alphanumeric() => {
            for l in c.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes());
            }
        }
        None => {}
    }
}

/// Bytes of an ASCII run compacted at a time (see [`push_ascii_alnum_lower`]).
const BLOCK: usize = 64;

/// Appends the lower-cased letters and digits of an ASCII run to `out`.
/// Without a branch per byte: every byte of a block is written to a small
/// array, only letters and digits advance its end (which, masked, needs no
/// bounds check), and the block's letters are then appended at once.
fn push_ascii_alnum_lower(run: &[u8], out: &mut Vec<u8>) {
    let mut block = [0u8; BLOCK];
    for chunk in run.chunks(BLOCK) {
        let mut len = 0;
        for &b in chunk {
            let m = ASCII_ALNUM_LOWER[usize::from(b & 0x7f)];
            block[len & (BLOCK - 1)] = m;
            len += usize::from(m != 0);
        }
        out.extend_from_slice(&block[..len]);
    }
}

/// A text's normalised form, computed on first use into a buffer that a
/// loop over many texts reuses: most of the cleaner's tests on a paragraph
/// never look at it.
pub struct LazyNorm<'a> {
    text: &'a str,
    buf: &'a mut String,
    ready: bool,
}

impl<'a> LazyNorm<'a> {
    /// The form of `text`, to be computed into `buf`.
    pub fn new(text: &'a str, buf: &'a mut String) -> Self {
        Self {
            text,
            buf,
            ready: false,
        }
    }

    /// The normalised text.
    pub fn get(&mut self) -> &str {
        if !self.ready {
            normalize_into(self.text, self.buf);
            self.ready = true;
        }
        self.buf
    }

    /// Whether the normalised text is empty, without computing it: the
    /// text holds no letter or digit (a letter's lower case is never
    /// empty).
    pub fn is_empty(&self) -> bool {
        !self.text.chars().any(char::is_alphanumeric)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_keeps_lowercased_letters_and_digits_of_any_script() {
        assert_eq!(normalize("Ärger, im Mai 2024!"), "ärgerimmai2024");
        assert_eq!(normalize("ΑΘΗΝΑ — 東京 «ok»"), "αθηνα東京ok");
        assert_eq!(normalize(" \u{a0}.,;"), "");
    }

    #[test]
    fn long_ascii_runs_are_compacted_across_blocks() {
        let text = "Ab, cd! ".repeat(40) + "É" + &"x-Y ".repeat(30);
        let expected: String = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        assert_eq!(normalize(&text), expected);
        let mut buf = "left over".to_string();
        normalize_into(&text[..100], &mut buf);
        assert_eq!(buf, normalize(&text[..100]));
    }

    /// The form as first written: every character decoded and looked up.
    fn normalize_by_the_tables(text: &str) -> String {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    }

    #[test]
    fn every_character_up_to_the_wide_letters_is_normalised_by_the_tables() {
        let all: String = (0x20..0x1_0000u32)
            .chain(0x1_F000..0x1_F100)
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(normalize(&all), normalize_by_the_tables(&all));
        for text in ["İstanbul ΣΑΣ", "ǅemal Ǆ", "Straße ẞ", "a\u{300}b", "ǈ-Ǉ ﬁ"] {
            assert_eq!(normalize(text), normalize_by_the_tables(text), "{text:?}");
        }
    }

    #[test]
    fn wide_letters_are_kept_as_they_are() {
        for c in (0x800..0x1_0000u32).filter_map(char::from_u32) {
            if is_caseless_wide_letter(c) {
                assert!(c.is_alphanumeric(), "{c:?}");
                assert_eq!(c.to_lowercase().collect::<String>(), c.to_string());
            }
        }
    }

    #[test]
    fn lazy_form_is_empty_exactly_when_the_form_is() {
        let mut buf = String::new();
        for text in ["", " .,;", "\u{a0}—«»", "a", " 7", "—É", "東", "Ⅻ", "½"] {
            let mut lazy = LazyNorm::new(text, &mut buf);
            let empty = lazy.is_empty();
            assert_eq!(empty, lazy.get().is_empty(), "{text:?}");
            assert_eq!(lazy.get(), normalize(text), "{text:?}");
        }
    }
}
