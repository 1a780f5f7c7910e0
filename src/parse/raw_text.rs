//! Skipping the text of a script or a style before html5ever tokenizes it.
//!
//! The token filter already drops the text of scripts and styles nothing
//! reads, but html5ever's tokenizer still walks it: half the characters
//! of a news page. When the tree builder has switched the tokenizer to
//! script data or raw text, [`raw_text_end`] finds where that text ends
//! in the input still to be tokenized, and the filter removes it from the
//! input: the tokenizer's next characters are the element's end tag.
//!
//! The end is where the HTML standard puts it: the first `</` followed by
//! the element's name (any case) and a tab, line feed, form feed, carriage
//! return (a line feed once preprocessed), space, `/` or `>`. Only script
//! data has other states (`<!--` opens its escaped states, where a
//! `</script>` may not end it): a script holding `<!--` before that end
//! tag is left to the tokenizer, as is one whose end is not in the input's
//! first chunk.

use memchr::memmem;

/// The byte offset in `text` of the end tag that ends the raw text of a
/// `<script>` (`script` true) or a `<style>` element, or None when the
/// tokenizer must find it itself.
pub(super) fn raw_text_end(text: &str, script: bool) -> Option<usize> {
    let name: &[u8] = if script { b"script" } else { b"style" };
    let bytes = text.as_bytes();
    let end = memmem::find_iter(bytes, b"</").find(|&pos| {
        let after = &bytes[pos + 2..];
        after.len() > name.len()
            && after[..name.len()].eq_ignore_ascii_case(name)
            && matches!(
                after[name.len()],
                b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'
            )
    })?;
    if script && memmem::find(&bytes[..end], b"<!--").is_some() {
        return None;
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_tag_ends_the_text_in_any_case() {
        assert_eq!(raw_text_end("if (a < b) x();</script>", true), Some(15));
        assert_eq!(raw_text_end("a</SCRIPT >", true), Some(1));
        assert_eq!(raw_text_end("a</Script\n>", true), Some(1));
        assert_eq!(raw_text_end("a</script/>", true), Some(1));
        assert_eq!(raw_text_end("p{}</style>", false), Some(3));
        // Not the element's own end tag.
        assert_eq!(raw_text_end("'</scripts>'</b></script>", true), Some(16));
        assert_eq!(raw_text_end("p{}</script></style>", false), Some(12));
    }

    #[test]
    fn the_tokenizer_keeps_what_it_must_decide_itself() {
        // No end tag, or one cut off by the end of the input.
        assert_eq!(raw_text_end("var a = 1;", true), None);
        assert_eq!(raw_text_end("var a = 1;</script", true), None);
        // Escaped script data: `<!--` before the end tag.
        assert_eq!(
            raw_text_end(
                "<!-- document.write('<script></script>') --></script>",
                true
            ),
            None
        );
        // In a style `<!--` means nothing.
        assert_eq!(raw_text_end("<!-- p{} --></style>", false), Some(12));
    }
}
