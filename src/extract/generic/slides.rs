//! Slide counters ("3/50"): the text that marks a slide gallery, whose
//! captions tell other stories (see `dom::Elem::is_gallery`).

/// The slide number of a gallery's slide counter: "3/50", "3 / 50", "3 of
/// 50", "3 von 50" (the first number not above the second, which is 6 or
/// more: "1/2" is a fraction, "4/5" a rating), when below 64.
pub(super) fn slide_number(text: &str) -> Option<u32> {
    // Most texts open with a letter: they are turned away before the trim.
    // (The ASCII bytes `trim` drops are these; a non-ASCII byte may open
    // a Unicode space, so it goes on to the trim.)
    match text.bytes().find(|b| !matches!(b, b' ' | b'\t'..=b'\r')) {
        Some(b) if b.is_ascii_digit() || !b.is_ascii() => {}
        _ => return None,
    }
    let t = text.trim();
    if t.len() > 16 || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (a, rest) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let rest = rest.trim_start();
    let rest = ["/", "of ", "von ", "di ", "de ", "sur ", "z ", "из "]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))?;
    let b = rest.trim();
    match (a.parse::<u32>(), b.parse::<u32>()) {
        (Ok(a), Ok(b)) if a >= 1 && a <= b && b >= 6 && a < 64 => Some(a),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slide_counters() {
        for (t, n) in [
            ("1/50", 1),
            (" 3 / 12 ", 3),
            ("2 of 9", 2),
            ("4 von 20", 4),
            ("\u{b}\n 5/8", 5),
            ("\u{a0}6 / 9\u{a0}", 6),
        ] {
            assert_eq!(slide_number(t), Some(n), "{t}");
        }
        for t in [
            "24/7",
            "0/50",
            "4/5",
            "1/2",
            "1/2/2024",
            "50",
            "of 50",
            "3/4 cup flour",
        ] {
            assert_eq!(slide_number(t), None, "{t}");
        }
    }
}
