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
        let mut rest = text;
        while !rest.is_empty() {
            let n = rest
                .bytes()
                .position(|b| !b.is_ascii())
                .unwrap_or(rest.len());
            push_ascii_alnum_lower(&rest.as_bytes()[..n], &mut buf);
            rest = &rest[n..];
            // Then one other character.
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                if c.is_alphanumeric() {
                    for l in c.to_lowercase() {
                        buf.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes());
                    }
                }
                rest = chars.as_str();
            }
        }
    }
    // Whole characters only were copied, so this cannot fail.
    *out = String::from_utf8(buf).unwrap_or_default();
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
