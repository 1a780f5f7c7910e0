//! The record's JSON line, written field by field from [`FIELDS`].
//!
//! serde_json escapes a string byte by byte; an article body is most of a
//! record (20 KB in the crawl benchmark) and needs an escape only at its
//! paragraph breaks and quotes, so clean stretches are skipped eight bytes
//! at a time here. The output is byte for byte serde_json's (tests compare
//! the two): the same escapes, `\u00XX` in lower-case hex for the other
//! control characters, everything else (non-ASCII included) as it is.

use super::{Field, Record, FIELDS};

/// Bytes of a JSON line besides its values: the field names, quotes,
/// colons, commas and braces (about 170), rounded up.
const OVERHEAD: usize = 256;

/// Every byte of a word set to `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// True when one of the 8 bytes of `w` needs an escape in a JSON string: a
/// control character (below 0x20), `"` or `\`. Exact (no byte is missed);
/// the test is the usual "has a zero byte" one on `w`, `w ^ "..."` and
/// `w ^ \\\...`, and "has a byte below 0x20" on `w`.
fn needs_escape(w: u64) -> bool {
    let low = splat(0x01);
    let high = splat(0x80);
    let has_zero = |x: u64| x.wrapping_sub(low) & !x & high;
    let below_space = w.wrapping_sub(splat(0x20)) & !w & high;
    (below_space | has_zero(w ^ splat(b'"')) | has_zero(w ^ splat(b'\\'))) != 0
}

/// Appends `s` to `out` as a JSON string literal, quotes included, escaped
/// as serde_json escapes it.
pub fn push_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.push('"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        while let Some(word) = bytes.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            if needs_escape(u64::from_ne_bytes(w)) {
                break;
            }
            i += 8;
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "\\u00",
            _ => {
                i += 1;
                continue;
            }
        };
        // `start` and `i` are at ASCII bytes: character boundaries.
        out.push_str(&s[start..i]);
        out.push_str(escape);
        if escape.len() == 4 {
            // `\u00` and the character's two hex digits.
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        i += 1;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The record as one JSON line, newline included: the fields of
/// [`FIELDS`] in order, as `serde_json::to_string` writes the record.
pub fn json_line(record: &Record) -> String {
    let values: usize = FIELDS
        .iter()
        .map(|f| match f {
            Field::Text(_, get) => get(record).len(),
            Field::OptText(_, get) => get(record).map_or(4, str::len),
            Field::TextList(_, get) => get(record).iter().map(|s| s.len() + 3).sum(),
            Field::Flag(..) => 5,
        })
        .sum();
    // An eighth more for escapes (a paragraph break is 2 bytes escaped to 4).
    let mut out = String::with_capacity(values + values / 8 + OVERHEAD);
    out.push('{');
    for (i, field) in FIELDS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, field.name());
        out.push(':');
        match field {
            Field::Text(_, get) => push_string(&mut out, get(record)),
            Field::OptText(_, get) => match get(record) {
                Some(s) => push_string(&mut out, s),
                None => out.push_str("null"),
            },
            Field::TextList(_, get) => {
                out.push('[');
                for (j, s) in get(record).iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    push_string(&mut out, s);
                }
                out.push(']');
            }
            Field::Flag(_, get) => out.push_str(if get(record) { "true" } else { "false" }),
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::page_type::PageType;

    fn serde_line(r: &Record) -> String {
        let mut line = serde_json::to_string(r).unwrap();
        line.push('\n');
        line
    }

    fn literal(s: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, s);
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character, alone and at every offset in a word, and
        // non-ASCII text around escapes.
        for b in 0u8..0x80 {
            let c = char::from(b);
            for pad in 0..17 {
                let s = format!("{}{c}{}", "a".repeat(pad), "é".repeat(pad % 5));
                assert_eq!(
                    literal(&s),
                    serde_json::to_string(&s).unwrap(),
                    "{b:#x} {pad}"
                );
            }
        }
        for s in [
            "",
            "plain words only, twenty-four",
            "Zwei Absätze.\n\nDer zweite „zitiert\" C:\\Pfad\tund\r\u{1f}\u{7f}.",
            "日本語の本文。\n\n第二段落\u{0}",
            "\"\"\"\"\"\"\"\"\\\\\\\\\\\\\\\\\n",
        ] {
            assert_eq!(literal(s), serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn lines_are_serde_json_lines() {
        let mut r = Record {
            id: "0123456789abcdef".into(),
            url: "https://example.com/a?b=\"c\"".into(),
            site: "example.com:8080".into(),
            title: Some("A \"quoted\" title\\".into()),
            authors: vec!["Ann Écrit".into(), "Bo\tTab".into()],
            published: Some("2024-05-01T10:00:00Z".into()),
            modified: None,
            language: Some("de".into()),
            description: None,
            body: "First paragraph.\n\nSecond, with a line\nbreak and \u{8}\u{c}.".into(),
            extractor: "generic".into(),
            fetched_at: None,
            page_type: PageType::Article,
            paywalled: true,
        };
        for t in PageType::ALL {
            r.page_type = t;
            r.paywalled = !r.paywalled;
            assert_eq!(json_line(&r), serde_line(&r));
        }
        r.authors.clear();
        r.title = None;
        r.body.clear();
        assert_eq!(json_line(&r), serde_line(&r));
    }
}
